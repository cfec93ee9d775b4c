//! The header (screen tabs), the status bar (story, version, share changed,
//! counts by kind, canonical version, load state) and the hint line (the
//! last message, or key hints generated from the keymap).
//!
//! In: `&App`. Out: three lines drawn.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::app::{App, LoadState, Screen, plural};
use super::keymap::Action;
use super::wrap;

pub fn draw_header(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let t = &app.theme;
    let tabs = [
        (Screen::Stories, "Stories", "1"),
        (Screen::SideBySide, "Side by side", "2"),
        (Screen::Overview, "Overview", "3"),
        (Screen::Help, "Help", "?"),
    ];
    let mut spans = vec![Span::styled(" storydiff ", t.title)];
    let wide = area.width >= 70;
    for (screen, name, _) in tabs {
        if !wide && screen != app.screen {
            continue;
        }
        let style = if screen == app.screen {
            t.tab_active
        } else {
            t.dim
        };
        spans.push(Span::raw(" "));
        spans.push(Span::styled(format!(" {name} "), style));
    }
    let used: usize = spans.iter().map(|s| wrap::width(&s.content)).sum();
    if let (Some(engine), Some(view)) = (&app.engine, &app.view)
        && app.screen != Screen::Stories
    {
        let room = usize::from(area.width).saturating_sub(used + 3);
        if room > 8 {
            let title = wrap::fit(&engine.story(view.story).title, room);
            spans.push(Span::raw("  "));
            spans.push(Span::styled(title, t.header));
        }
    }
    frame
        .buffer_mut()
        .set_line(area.x, area.y, &Line::from(spans), area.width);
}

/// One piece of the status bar, with a shorter form for narrow terminals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub full: String,
    pub short: String,
}

fn part(full: impl Into<String>) -> Part {
    let full = full.into();
    Part {
        short: full.clone(),
        full,
    }
}

fn part2(full: impl Into<String>, short: impl Into<String>) -> Part {
    Part {
        full: full.into(),
        short: short.into(),
    }
}

/// The status bar's pieces, most important first.
pub fn status_parts(app: &App) -> Vec<Part> {
    let mut parts = Vec::new();
    if let LoadState::Loading(what) = &app.load {
        parts.push(part2(
            format!("{} {what}…", app.spinner()),
            format!("{} loading…", app.spinner()),
        ));
    }
    let Some(engine) = &app.engine else {
        if let LoadState::Failed(_) = app.load {
            parts.push(part("nothing loaded"));
        }
        return parts;
    };
    match (app.screen, &app.view) {
        (Screen::SideBySide | Screen::Overview, Some(view)) => {
            let s = engine.story(view.story);
            let n = s.versions.len();
            if n < 2 {
                parts.push(part("only one version"));
            } else {
                let file = engine
                    .version_path(view.story, view.variant)
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default();
                parts.push(part2(
                    format!("version {} of {n}: {file}", view.variant + 1),
                    format!(
                        "{}/{n} {}",
                        view.variant + 1,
                        engine.version(view.story, view.variant).id
                    ),
                ));
            }
            if let Some(c) = &view.comparison {
                let pct = view.layout.changed_share * 100.0;
                parts.push(part2(format!("{pct:.0}% changed"), format!("{pct:.0}%")));
                let k = c.counts();
                let mut full = Vec::new();
                let mut short = Vec::new();
                for (n, name, abbr) in [
                    (k.spelling, "spelling", "spell"),
                    (k.style, "style", "style"),
                    (k.wording, "wording", "word"),
                    (k.added, "added", "+"),
                    (k.removed, "removed", "-"),
                    (k.moved, "moved", "↕"),
                ] {
                    if n > 0 {
                        full.push(format!("{n} {name}"));
                        short.push(if abbr.chars().count() > 1 {
                            format!("{n} {abbr}")
                        } else {
                            format!("{abbr}{n}")
                        });
                    }
                }
                if full.is_empty() {
                    parts.push(part("identical"));
                } else {
                    parts.push(part2(full.join(" · "), short.join(" ")));
                }
            }
            match app.state.canonical(engine, view.story) {
                Some(v) => {
                    let id = &engine.version(view.story, v).id;
                    parts.push(part2(format!("★ {id} canonical"), format!("★{id}")));
                }
                None => {
                    let id = &engine.version(view.story, view.base).id;
                    parts.push(part2(
                        format!("base {id}, no canonical"),
                        format!("base {id}"),
                    ));
                }
            }
            let meta = &engine.version(view.story, view.variant).meta;
            parts.extend(meta_part(meta));
            if app.prefs.hide_style {
                parts.push(part2("style hidden", "-style"));
            }
            if app.prefs.show_furniture {
                parts.push(part2("furniture shown", "+furn"));
            }
            parts.push(part2(format!("story {}", s.id), ""));
        }
        _ => {
            let n = engine.stories().len();
            let files = engine.corpus().files.len();
            parts.push(part(format!(
                "{n} stor{} in {files} file{}",
                if n == 1 { "y" } else { "ies" },
                plural(files)
            )));
            let marks = app.state.canonical.len();
            if marks > 0 {
                parts.push(part(format!("★ {marks} canonical mark{}", plural(marks))));
            }
            let warnings = engine.corpus().warnings.len();
            if warnings > 0 {
                parts.push(part(format!("{warnings} file warning{}", plural(warnings))));
            }
        }
    }
    parts
}

/// What the version's file says about it (a page's or a record's outlet,
/// date and address), if anything; the short form is the outlet alone.
fn meta_part(meta: &crate::model::ArticleMeta) -> Option<Part> {
    // An ISO timestamp is shown as its day.
    let day = meta.date.as_deref().map(|d| match d.get(..10) {
        Some(day) if d.as_bytes().get(4) == Some(&b'-') => day,
        _ => d,
    });
    let full: Vec<&str> = [meta.outlet.as_deref(), day, meta.url.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if full.is_empty() {
        return None;
    }
    let clean = |s: &str| crate::sanitize::for_terminal(s).into_owned();
    let short = meta
        .outlet
        .as_deref()
        .or(day)
        .map(clean)
        .unwrap_or_default();
    Some(part2(clean(&full.join(" · ")), short))
}

/// The parts joined to fit `width`: the least important parts take their
/// short forms first, then are dropped.
pub fn fit_parts(parts: &[Part], width: usize) -> String {
    // Parts carry file names and version ids: shown with placeholders, not dropped by the buffer.
    let join = |v: &[&str]| {
        let v: Vec<&str> = v.iter().copied().filter(|s| !s.is_empty()).collect();
        crate::sanitize::for_terminal(&format!(" {}", v.join(" │ "))).into_owned()
    };
    let mut shown: Vec<&str> = parts.iter().map(|p| p.full.as_str()).collect();
    for i in (0..parts.len()).rev() {
        if wrap::width(&join(&shown)) <= width {
            return join(&shown);
        }
        shown[i] = parts[i].short.as_str();
    }
    while shown.len() > 1 && wrap::width(&join(&shown)) > width {
        shown.pop();
    }
    wrap::fit(&join(&shown), width)
}

pub fn draw_status(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let t = &app.theme;
    let buf = frame.buffer_mut();
    buf.set_style(area, t.status);
    let text = fit_parts(&status_parts(app), usize::from(area.width));
    buf.set_string(area.x, area.y, text, t.status);
}

/// Key hints for the current screen, from the keymap.
pub fn hints(app: &App) -> Vec<(String, String)> {
    let km = &app.keymap;
    let one = |a: Action| km.first_key(a);
    let pair = |a: Action, b: Action| match (km.first_key(a), km.first_key(b)) {
        (Some(x), Some(y)) => Some(format!(
            "{x}{}{y}",
            // Arrows read as a pair ("←→"); letters and names need a slash ("n/N").
            if [&x, &y].iter().all(|k| k.chars().all(|c| !c.is_ascii())) {
                ""
            } else {
                "/"
            }
        )),
        (x, y) => x.or(y),
    };
    let label = |a: Action| {
        km.binding(a)
            .and_then(|b| b.hint.clone())
            .unwrap_or_else(|| a.name().replace('_', " "))
    };
    let mut out: Vec<(Option<String>, String)> = Vec::new();
    if let Some(d) = &app.export {
        if d.stage != super::export_dialog::Stage::Editing {
            // The dialog says what to press.
            return Vec::new();
        }
        let keys = |a: Action| km.dialog_keys(a).into_iter().next();
        let updown = match (keys(Action::Up), keys(Action::Down)) {
            (Some(u), Some(d)) => Some(format!("{u}{d}")),
            (u, d) => u.or(d),
        };
        out.push((updown, "format".into()));
        out.push((Some("←→".into()), "edit name".into()));
        out.push((keys(Action::Open), "write".into()));
        out.push((keys(Action::Back), "cancel".into()));
        return out
            .into_iter()
            .filter_map(|(k, l)| k.map(|k| (k, l)))
            .collect();
    }
    match app.screen {
        Screen::Stories => {
            if app.list.editing {
                out.push((Some("Enter".into()), "open".into()));
                out.push((Some("Esc".into()), "clear filter".into()));
                out.push((Some("↑↓".into()), "move".into()));
            } else {
                out.push((pair(Action::Up, Action::Down), "move".into()));
                out.push((one(Action::Open), label(Action::Open)));
                out.push((one(Action::Search), "filter".into()));
                out.push((one(Action::Overview), label(Action::Overview)));
                out.push((one(Action::Help), label(Action::Help)));
                out.push((one(Action::Back), "quit".into()));
            }
        }
        Screen::SideBySide => {
            if app.search.editing {
                out.push((Some("Enter".into()), "find".into()));
                out.push((Some("Esc".into()), "cancel".into()));
            } else {
                out.push((
                    pair(Action::PrevVariant, Action::NextVariant),
                    label(Action::NextVariant),
                ));
                out.push((
                    pair(Action::NextChange, Action::PrevChange),
                    label(Action::NextChange),
                ));
                for a in [
                    Action::ToggleCanonical,
                    Action::Overview,
                    Action::ToggleFurniture,
                    Action::ToggleStyle,
                    Action::Search,
                    Action::Export,
                    Action::Help,
                    Action::Back,
                ] {
                    out.push((one(a), label(a)));
                }
            }
        }
        Screen::Overview => {
            out.push((Some("←↑↓→".into()), "move".into()));
            out.push((one(Action::Open), "show pair".into()));
            out.push((one(Action::ToggleCanonical), label(Action::ToggleCanonical)));
            out.push((one(Action::Export), label(Action::Export)));
            out.push((one(Action::Help), label(Action::Help)));
            out.push((one(Action::Back), label(Action::Back)));
        }
        Screen::Help => {
            out.push((pair(Action::Up, Action::Down), "scroll".into()));
            out.push((one(Action::Back), label(Action::Back)));
        }
    }
    out.into_iter()
        .filter_map(|(k, l)| k.map(|k| (k, l)))
        .collect()
}

pub fn draw_hints(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let t = &app.theme;
    let w = usize::from(area.width);
    let line = if app.search.editing && app.screen == Screen::SideBySide {
        Line::from(vec![
            Span::styled("Search: ", t.filter),
            Span::raw(wrap::fit(&app.search.query, w.saturating_sub(30))),
            Span::styled("▏", t.filter),
            Span::styled("  Enter find · Esc cancel", t.dim),
        ])
    } else if let Some(m) = &app.message {
        Line::styled(
            wrap::fit(&m.text, w),
            if m.error { t.error } else { t.info },
        )
    } else {
        let mut spans = Vec::new();
        let mut used = 0;
        for (k, l) in hints(app) {
            let item = wrap::width(&k) + wrap::width(&l) + 3;
            if used + item > w {
                break;
            }
            used += item;
            spans.push(Span::styled(format!(" {k}"), t.status_key));
            spans.push(Span::styled(format!(" {l} "), t.dim));
        }
        Line::from(spans)
    };
    frame
        .buffer_mut()
        .set_line(area.x, area.y, &line, area.width);
}
