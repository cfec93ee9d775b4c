//! The overview: the alignment map of every version of a story at once.
//!
//! In: `&App` with the story's [`Alignment`](crate::model::Alignment). Out:
//! a grid drawn into the body, rows = aligned paragraphs, columns = versions
//! (★ on the canonical one), each cell saying same, changed (similarity),
//! only here, missing, moved or merged into the row above or below; and the inverse mapping for mouse clicks.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::app::{App, View};
use super::wrap;
use crate::engine::Engine;
use crate::model::{Cell, CellStatus};

/// Where the grid's parts go for a body of a given width.
struct Grid {
    gutter: u16,
    col_w: u16,
    first_col: usize,
    cols: usize,
    snippet_x: u16,
    snippet_w: u16,
    legend: bool,
}

fn grid(engine: &Engine, view: &View, body: Rect) -> Grid {
    let n = engine.story(view.story).versions.len();
    let id_w = (0..n)
        .map(|v| wrap::width(&engine.version(view.story, v).id))
        .max()
        .unwrap_or(3);
    let nrows = view.alignment.as_ref().map_or(0, |a| a.rows.len());
    let gutter = (nrows.max(1).ilog10() as u16 + 2).max(4);
    let col_w = (id_w as u16 + 2).clamp(9, 12);
    let avail = body.width.saturating_sub(gutter);
    let fit = usize::from(avail / col_w).max(1);
    let cols = fit.min(n);
    let first_col = if view.cursor.1 >= cols {
        view.cursor.1 + 1 - cols
    } else {
        0
    };
    let used = gutter + col_w * cols as u16;
    let snippet_w = body.width.saturating_sub(used + 1);
    Grid {
        gutter,
        col_w,
        first_col,
        cols,
        snippet_x: used + 1,
        snippet_w: if snippet_w >= 10 { snippet_w } else { 0 },
        legend: body.height >= 8,
    }
}

fn cell_text(cell: Option<&Cell>, is_base: bool, t: &super::theme::Theme) -> (String, Style) {
    match cell {
        None => ("·".into(), t.cell_missing),
        Some(c) => {
            if let Some(m) = c.moved {
                let pct = (c.similarity * 100.0).round();
                let s = if c.status == CellStatus::Changed {
                    format!("↕¶{} {pct:.0}%", m.position)
                } else {
                    format!("↕¶{}", m.position)
                };
                return (s, t.cell_moved);
            }
            match c.status {
                CellStatus::Base => (if is_base { "■ base" } else { "■" }.into(), t.cell_base),
                CellStatus::Same => ("=".into(), t.cell_same),
                CellStatus::Changed => (
                    format!("≈{:.0}%", (c.similarity * 100.0).floor()),
                    t.cell_changed,
                ),
                CellStatus::Added => ("+ only".into(), t.cell_added),
            }
        }
    }
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let t = &app.theme;
    let (Some(engine), Some(view)) = (&app.engine, &app.view) else {
        super::stories::centered(frame, area, "Open a story first.", t.dim);
        return;
    };
    let story = engine.story(view.story);
    let Some(alignment) = &view.alignment else {
        if let Some(p) = &view.problem {
            let text = format!("Could not align this story: {p}");
            super::stories::centered(frame, area, &text, t.error);
            return;
        }
        let text = format!(
            "{} aligning {} versions…",
            app.spinner(),
            story.versions.len()
        );
        super::stories::centered(frame, area, &text, t.dim);
        return;
    };
    if area.height < 2 {
        return;
    }
    let g = grid(engine, view, area);
    let canonical = app.state.canonical(engine, view.story);
    let buf = frame.buffer_mut();
    buf.set_string(
        area.x,
        area.y,
        format!("{:>w$}", "row", w = usize::from(g.gutter - 1)),
        t.gutter,
    );
    let cols = g.first_col..(g.first_col + g.cols).min(story.versions.len());
    for (k, v) in cols.clone().enumerate() {
        let x = area.x + g.gutter + g.col_w * k as u16;
        let id = wrap::fit(&engine.version(view.story, v).id, usize::from(g.col_w) - 2);
        let mut spans = vec![Span::styled(
            id,
            if v == view.base {
                t.cell_base
            } else {
                t.header
            },
        )];
        if canonical == Some(v) {
            spans.push(Span::styled("★", t.star));
        }
        let mut line = Line::from(spans);
        if v == view.cursor.1 {
            line =
                line.patch_style(Style::new().add_modifier(ratatui::style::Modifier::UNDERLINED));
        }
        buf.set_line(x, area.y, &line, g.col_w - 1);
    }
    if g.first_col > 0 {
        buf.set_string(area.x + g.gutter - 1, area.y, "◂", t.dim);
    }
    if cols.end < story.versions.len() {
        buf.set_string(
            area.x + g.gutter + g.col_w * g.cols as u16 - 1,
            area.y,
            "▸",
            t.dim,
        );
    }
    if g.snippet_w > 0 {
        buf.set_string(area.x + g.snippet_x, area.y, "paragraph", t.gutter);
    }
    let rows_h = usize::from(area.height - 1 - u16::from(g.legend));
    // Cells a version merged into another row's paragraph point at that row
    // rather than reading as missing.
    let merged = alignment.merged_cells();
    for (k, (r, row)) in alignment
        .rows
        .iter()
        .enumerate()
        .skip(view.overview_top)
        .take(rows_h)
        .enumerate()
    {
        let y = area.y + 1 + k as u16;
        let num_style = if r == view.cursor.0 {
            t.selected
        } else {
            t.gutter
        };
        buf.set_string(
            area.x,
            y,
            format!("{:>w$}", r + 1, w = usize::from(g.gutter - 1)),
            num_style,
        );
        for (kc, v) in cols.clone().enumerate() {
            let x = area.x + g.gutter + g.col_w * kc as u16;
            let cell = row.cells.get(v).and_then(|c| c.as_ref());
            let (text, mut style) = match (cell, merged.get(&(r, v))) {
                (None, Some(&k)) => (
                    if k < r { "↑ merged" } else { "↓ merged" }.to_owned(),
                    t.cell_moved,
                ),
                _ => cell_text(cell, v == view.base, t),
            };
            let text = format!(
                "{:<w$}",
                wrap::fit(&text, usize::from(g.col_w) - 1),
                w = usize::from(g.col_w) - 1
            );
            if (r, v) == view.cursor {
                style = style.patch(t.cursor);
            }
            buf.set_string(x, y, text, style);
        }
        if g.snippet_w > 0 {
            let cell = row
                .cells
                .get(view.base)
                .and_then(|c| c.as_ref())
                .map(|c| (view.base, c))
                .or_else(|| {
                    row.cells
                        .iter()
                        .enumerate()
                        .find_map(|(v, c)| c.as_ref().map(|c| (v, c)))
                });
            if let Some((v, c)) = cell
                && let Some(&p) = c.paragraphs.first()
                && let Some(para) = engine.version(view.story, v).paragraphs.get(p)
            {
                let text = wrap::fit(&para.text, usize::from(g.snippet_w));
                buf.set_string(area.x + g.snippet_x, y, text, t.dim);
            }
        }
    }
    if g.legend {
        let mut legend = Line::from(vec![
            Span::styled("■ base", t.cell_base),
            Span::raw("  "),
            Span::styled("= same", t.cell_same),
            Span::raw("  "),
            Span::styled("≈ similarity", t.cell_changed),
            Span::raw("  "),
            Span::styled("+ only here", t.cell_added),
            Span::raw("  "),
            Span::styled("· missing", t.cell_missing),
            Span::raw("  "),
        ]);
        if merged.is_empty() {
            legend.push_span(Span::styled("↕¶ moved (its ¶)", t.cell_moved));
        } else {
            // Shorter, to leave room in 80 columns.
            legend.push_span(Span::styled("↕¶ moved", t.cell_moved));
            legend.push_span(Span::raw("  "));
            legend.push_span(Span::styled("↑↓ merged", t.cell_moved));
        }
        buf.set_line(
            area.x + 1,
            area.y + area.height - 1,
            &legend,
            area.width.saturating_sub(1),
        );
    }
}

/// The (row, version) of the cell at screen position (x, y), if any.
pub fn cell_at(app: &App, body: Rect, x: u16, y: u16) -> Option<(usize, usize)> {
    let (engine, view) = (app.engine.as_ref()?, app.view.as_ref()?);
    let alignment = view.alignment.as_ref()?;
    let g = grid(engine, view, body);
    let ky = y.checked_sub(body.y + 1)?;
    let row = view.overview_top + usize::from(ky);
    let kx = x.checked_sub(body.x + g.gutter)? / g.col_w;
    let col = g.first_col + usize::from(kx);
    (row < alignment.rows.len()
        && usize::from(kx) < g.cols
        && col < engine.story(view.story).versions.len())
    .then_some((row, col))
}
