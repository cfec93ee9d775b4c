//! The help screen, generated from the keymap (every action, its keys and
//! what it does) plus the colour and marker legend.
//!
//! In: `&App`. Out: the help text drawn into the body, scrolled.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::app::App;
use super::wrap;
use crate::model::ChangeKind;

/// Every line of the help text at the current width.
pub fn lines(app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    let width = usize::from(app.size.0).max(20);
    let keys_w = 18.min(width / 3);
    let desc_w = width.saturating_sub(keys_w + 4).max(10);
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut group = "";
    for b in app.keymap.bindings() {
        if b.group != group {
            if !group.is_empty() {
                out.push(Line::default());
            }
            group = &b.group;
            out.push(Line::styled(group.to_owned(), t.title));
        }
        let keys = app.keymap.keys_label(b.action);
        out.extend(key_rows(&keys, &b.description, keys_w, desc_w, app));
    }
    out.push(Line::default());
    out.push(Line::styled("Export dialog", t.title));
    for (keys, what) in super::export_dialog::key_help(&app.keymap) {
        out.extend(key_rows(&keys, &what, keys_w, desc_w, app));
    }
    out.push(Line::default());
    out.push(Line::styled("Typing", t.title));
    for s in [
        "In the story list, typing a character no key is bound to starts the filter; while the filter is active every character types into it (arrows move, Enter opens, Esc clears).",
        "While searching, keys type text: Enter accepts, Esc cancels. In the export dialog characters type into the file name.",
        "Ctrl-C always quits. The mouse wheel scrolls; a click selects a story or an overview cell, a second click opens it.",
    ] {
        for line in wrap::wrap(&wrap::paint(s, t.base, &[]), width.saturating_sub(2)) {
            let mut spans = vec![Span::raw("  ")];
            spans.extend(line.spans);
            out.push(Line::from(spans));
        }
    }
    out.push(Line::default());
    out.push(Line::styled("Colours and markers", t.title));
    let sample = |spans: Vec<Span<'static>>, what: &str| {
        let mut v = vec![Span::raw("  ")];
        let w: usize = spans.iter().map(|s| wrap::width(&s.content)).sum();
        v.extend(spans);
        v.push(Span::raw(" ".repeat(22usize.saturating_sub(w))));
        v.push(Span::styled(what.to_owned(), t.dim));
        Line::from(v)
    };
    out.push(sample(
        vec![
            Span::styled("slammed", t.change_old(ChangeKind::Wording)),
            Span::raw(" "),
            Span::styled("criticized", t.change_new(ChangeKind::Wording)),
        ],
        "wording: removed on the left, added on the right",
    ));
    out.push(sample(
        vec![
            Span::styled("Ashti", t.change_old(ChangeKind::Spelling)),
            Span::styled("na", t.letters()),
            Span::styled("i", t.change_old(ChangeKind::Spelling)),
            Span::raw(" "),
            Span::styled("Ashti", t.change_new(ChangeKind::Spelling)),
            Span::styled("an", t.letters()),
            Span::styled("i", t.change_new(ChangeKind::Spelling)),
        ],
        "spelling: underlined, changed letters reversed",
    ));
    out.push(sample(
        vec![
            Span::styled("US", t.change_old(ChangeKind::Style)),
            Span::raw(" "),
            Span::styled("U.S.", t.change_new(ChangeKind::Style)),
        ],
        "style only (punctuation, case, quotes): italic, underlined; s hides",
    ));
    out.push(sample(
        vec![Span::styled("~", t.cell_changed)],
        "the paragraph changed",
    ));
    out.push(sample(
        vec![
            Span::styled("+", t.cell_added),
            Span::raw(" "),
            Span::styled("-", t.cell_missing),
        ],
        "only in the right / only in the left version",
    ));
    out.push(sample(
        vec![
            Span::styled("≠", t.cell_changed),
            Span::raw(" "),
            Span::styled("before", t.rewritten_old),
            Span::raw(" "),
            Span::styled("after", t.rewritten_new),
        ],
        "rewritten: shown as whole before/after blocks",
    ));
    out.push(sample(
        vec![Span::styled("↕ moved", t.moved)],
        "moved: the note names its place in the other version",
    ));
    out.push(sample(
        vec![Span::styled("★", t.star)],
        "the story's canonical version",
    ));
    out.push(sample(
        vec![Span::styled("⋯ 3 furniture lines", t.furniture)],
        "folded page furniture; f shows it",
    ));
    out.push(sample(
        vec![Span::styled("match", t.search_hit)],
        "search hit",
    ));
    out.push(Line::default());
    let saved = match &app.state_dir {
        Some(d) => format!("Canonical marks are saved in {}.", d.display()),
        None => "Canonical marks are not saved (no state folder).".to_owned(),
    };
    out.push(Line::styled(
        format!("  {}", wrap::fit(&saved, width.saturating_sub(2))),
        t.dim,
    ));
    out
}

/// Keys in a column, what they do wrapped beside them.
fn key_rows(keys: &str, what: &str, keys_w: usize, desc_w: usize, app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    let painted = wrap::paint(what, t.base, &[]);
    wrap::wrap(&painted, desc_w)
        .into_iter()
        .enumerate()
        .map(|(k, line)| {
            let key_col = if k == 0 {
                format!("  {:<keys_w$}", wrap::fit(keys, keys_w))
            } else {
                " ".repeat(keys_w + 2)
            };
            let mut spans = vec![Span::styled(key_col, t.status_key), Span::raw("  ")];
            spans.extend(line.spans);
            Line::from(spans)
        })
        .collect()
}

pub fn line_count(app: &App) -> usize {
    lines(app).len()
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let buf = frame.buffer_mut();
    for (k, line) in lines(app)
        .iter()
        .skip(app.help_top)
        .take(usize::from(area.height))
        .enumerate()
    {
        buf.set_line(area.x, area.y + k as u16, line, area.width);
    }
}
