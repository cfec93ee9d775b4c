//! The story list: every story with its title, how many versions it has and
//! how much they differ; stories found in one file only come after a
//! separator, so users see what the loader made of each file.
//!
//! In: `&App`. Out: the list drawn into the body area.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::app::{App, ListRow, LoadState};
use super::wrap;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let t = &app.theme;
    if area.height == 0 {
        return;
    }
    let engine = match (&app.load, &app.engine) {
        (_, Some(e)) => e,
        (LoadState::Failed(msg), None) => {
            let text = format!("Could not load: {msg}\n\nr tries again, q quits.");
            centered(frame, area, &text, t.error);
            return;
        }
        (_, None) => {
            let what = match &app.load {
                LoadState::Loading(w) => w.as_str(),
                _ => "loading",
            };
            centered(frame, area, &format!("{} {what}…", app.spinner()), t.dim);
            return;
        }
    };
    let buf = frame.buffer_mut();
    let entries = app.entries();
    let total = engine.stories().len();
    // The filter line.
    let filter_line = if app.list.editing || !app.list.filter.is_empty() {
        let mut spans = vec![
            Span::styled("Filter: ", t.filter),
            Span::raw(wrap::fit(
                &app.list.filter,
                usize::from(area.width).saturating_sub(12),
            )),
        ];
        if app.list.editing {
            spans.push(Span::styled("▏", t.filter));
        }
        spans.push(Span::styled(
            format!("  {} of {total}", entries.len()),
            t.dim,
        ));
        Line::from(spans)
    } else {
        let multi = engine
            .stories()
            .iter()
            .filter(|s| s.versions.len() > 1)
            .count();
        Line::styled(
            format!(
                "{total} stor{}, {multi} with several versions · type to filter",
                if total == 1 { "y" } else { "ies" }
            ),
            t.dim,
        )
    };
    buf.set_line(area.x, area.y, &filter_line, area.width);

    let list = Rect::new(area.x, area.y + 1, area.width, area.height - 1);
    if entries.is_empty() {
        let text = if total == 0 {
            "No stories found.".to_owned()
        } else {
            format!(
                "No story matches “{}”. Esc clears the filter.",
                app.list.filter
            )
        };
        centered(frame, list, &text, t.dim);
        return;
    }
    let w = usize::from(area.width);
    let show_id = w >= 100;
    let show_bar = w >= 56;
    let rows = app.list_rows();
    let buf = frame.buffer_mut();
    for (k, row) in rows
        .iter()
        .skip(app.list.top)
        .take(usize::from(list.height))
        .enumerate()
    {
        let y = list.y + k as u16;
        match *row {
            ListRow::Separator { singles } => {
                let label = format!(" found in one file only ({singles}) ");
                let rule = w.saturating_sub(wrap::width(&label) + 2);
                let line = Line::styled(format!("──{label}{}", "─".repeat(rule)), t.separator);
                buf.set_line(list.x, y, &line, list.width);
            }
            ListRow::Story { entry, story } => {
                let s = engine.story(story);
                let selected = entry == app.list.selected;
                let n = s.versions.len();
                // Right-hand columns, built first so the title gets what is left.
                let mut right: Vec<Span<'static>> = Vec::new();
                if n > 1 {
                    right.push(Span::styled(format!("{n:>3} versions"), t.header));
                    if show_bar {
                        right.push(Span::raw("  "));
                        right.push(Span::styled(bar(s.spread, 6), t.cell_changed));
                    }
                    let differ = if w >= 50 { " differ" } else { "" };
                    let pct = s.spread * 100.0;
                    right.push(Span::styled(format!(" {pct:>3.0}%{differ}"), t.dim));
                } else if let Some(&a) = s.versions.first() {
                    let art = &engine.corpus().articles[a];
                    let file = engine.corpus().files[art.file]
                        .path
                        .file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let where_ = if w >= 100 {
                        format!("{} l.{}", wrap::fit(&file, 24), art.lines)
                    } else {
                        format!("{} l.{}", wrap::fit(&art.id, 10), art.lines)
                    };
                    right.push(Span::styled(where_, t.dim));
                }
                if show_id {
                    right.push(Span::styled(
                        format!("  {}", wrap::fit(&s.id, 10)),
                        t.gutter,
                    ));
                }
                let right_w: usize = right.iter().map(|s| wrap::width(&s.content)).sum();
                let title_w = w.saturating_sub(right_w + 3);
                let title = wrap::fit(&s.title, title_w);
                let pad = title_w.saturating_sub(wrap::width(&title));
                let mut spans = vec![
                    Span::styled(if selected { "▸ " } else { "  " }, t.title),
                    Span::styled(title, if n > 1 { t.base } else { t.dim }),
                    Span::raw(" ".repeat(pad + 1)),
                ];
                spans.extend(right);
                let mut line = Line::from(spans);
                if selected {
                    line = line.patch_style(t.selected);
                    // Fill the whole row so the selection reads as a bar.
                    buf.set_style(Rect::new(list.x, y, list.width, 1), t.selected);
                }
                buf.set_line(list.x, y, &line, list.width);
            }
        }
    }
}

/// A bar of `cells` cells filled to `share` (0 to 1), in eighths.
pub fn bar(share: f32, cells: usize) -> String {
    const EIGHTHS: [char; 9] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
    let total = (share.clamp(0.0, 1.0) * (cells * 8) as f32).round() as usize;
    (0..cells)
        .map(|i| EIGHTHS[total.saturating_sub(i * 8).min(8)])
        .collect::<String>()
        .replace(' ', "·")
}

/// Text centred in `area`, wrapped to its width.
pub fn centered(frame: &mut Frame<'_>, area: Rect, text: &str, style: Style) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let w = usize::from(area.width).saturating_sub(2).max(1);
    let mut lines: Vec<Line<'static>> = Vec::new();
    for para in text.split('\n') {
        let p = wrap::paint(para, style, &[]);
        lines.extend(wrap::wrap(&p, w));
    }
    let h = lines.len().min(usize::from(area.height));
    let y0 = area.y + (area.height - h as u16) / 2;
    let buf = frame.buffer_mut();
    for (k, line) in lines.into_iter().take(h).enumerate() {
        let lw = line.width() as u16;
        let x = area.x + area.width.saturating_sub(lw) / 2;
        buf.set_line(x, y0 + k as u16, &line, area.width);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_by_eighths() {
        assert_eq!(bar(0.0, 4), "····");
        assert_eq!(bar(1.0, 4), "████");
        assert_eq!(bar(0.5, 2), "█·");
        assert_eq!(bar(0.25, 1), "▎");
    }
}
