//! The export dialog: choose a format and a file, then write the export.
//!
//! In: what the user is looking at (the pair shown side by side, or the
//! whole story from the overview), the config's `[export]` section and key
//! events. Out: an [`ExportOrder`] for the worker thread when the user
//! presses Enter (and again, with `force`, when they agree to replace an
//! existing file), and the dialog drawn over the body.

use std::path::{Path, PathBuf};

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};
use unicode_segmentation::UnicodeSegmentation;

use super::app::App;
use super::keymap::{Action, Keymap};
use super::wrap;
use crate::config::{ExportConfig, NameParts};
use crate::engine::Engine;
use crate::export::{Format, Versions};
use crate::model::VersionIx;
use crate::sanitize::for_terminal;

/// A one-line text field with a cursor; the cursor moves and deletes by
/// grapheme, so an accented letter or an emoji is one step.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextField {
    text: String,
    /// A byte offset on a grapheme boundary.
    cursor: usize,
}

impl TextField {
    /// A field holding `text`, the cursor at its end.
    pub fn new(text: impl Into<String>) -> TextField {
        let text = text.into();
        TextField {
            cursor: text.len(),
            text,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Replace the text, keeping the cursor at the end.
    pub fn set(&mut self, text: impl Into<String>) {
        *self = TextField::new(text);
    }

    pub fn insert(&mut self, c: char) {
        if c.is_control() {
            return;
        }
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
        // A combining mark joins the grapheme before it; stay on a boundary.
        self.cursor = self.next_boundary_from(self.cursor);
    }

    fn prev(&self) -> Option<usize> {
        self.text[..self.cursor]
            .grapheme_indices(true)
            .next_back()
            .map(|(i, _)| i)
    }

    fn next(&self) -> Option<usize> {
        self.text[self.cursor..]
            .graphemes(true)
            .next()
            .map(|g| self.cursor + g.len())
    }

    /// The first grapheme boundary at or after `at`.
    fn next_boundary_from(&self, at: usize) -> usize {
        let mut end = 0;
        for g in self.text.graphemes(true) {
            if end >= at {
                break;
            }
            end += g.len();
        }
        end
    }

    pub fn backspace(&mut self) {
        if let Some(p) = self.prev() {
            self.text.replace_range(p..self.cursor, "");
            self.cursor = p;
        }
    }

    pub fn delete(&mut self) {
        if let Some(n) = self.next() {
            self.text.replace_range(self.cursor..n, "");
        }
    }

    pub fn left(&mut self) {
        if let Some(p) = self.prev() {
            self.cursor = p;
        }
    }

    pub fn right(&mut self) {
        if let Some(n) = self.next() {
            self.cursor = n;
        }
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.len();
    }
}

/// An export for the worker thread to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOrder {
    pub format: Format,
    pub story: usize,
    pub base: VersionIx,
    pub versions: Versions,
    pub show_furniture: bool,
    pub hide_style: bool,
    pub target: PathBuf,
    /// Replace an existing file.
    pub force: bool,
}

/// Why an export was not written, as the interface needs to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportFailure {
    /// The file exists: ask before replacing it.
    Exists(PathBuf),
    /// Anything else, as one line that says what to do.
    Failed(String),
}

/// Where the dialog stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    Editing,
    /// The file exists; y replaces it.
    Confirm(PathBuf),
    /// The worker is writing.
    Writing,
}

/// What a key did to the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Nothing,
    Close,
    Write(ExportOrder),
}

/// The version ids a file name is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    pub story: String,
    pub base: String,
    /// `None` for the whole story.
    pub other: Option<String>,
}

/// The open dialog.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportDialog {
    pub story: usize,
    pub base: VersionIx,
    pub versions: Versions,
    pub show_furniture: bool,
    pub hide_style: bool,
    pub format: Format,
    pub path: TextField,
    pub stage: Stage,
    /// The last failure, shown until the next edit.
    pub error: Option<String>,
    /// What is exported, in words.
    pub what: String,
    names: Names,
    config: ExportConfig,
}

impl ExportDialog {
    /// A dialog for `versions` of `story` against `base`, the format and
    /// file name from the config.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        story: usize,
        base: VersionIx,
        versions: Versions,
        names: Names,
        what: String,
        show_furniture: bool,
        hide_style: bool,
        config: &ExportConfig,
    ) -> ExportDialog {
        let format = config.format.parse().unwrap_or(Format::Html);
        let mut d = ExportDialog {
            story,
            base,
            versions,
            show_furniture,
            hide_style,
            format,
            path: TextField::default(),
            stage: Stage::Editing,
            error: None,
            what,
            names,
            config: config.clone(),
        };
        d.path.set(d.default_path(format));
        d
    }

    /// The config's file name for `format`, in the config's folder.
    pub fn default_path(&self, format: Format) -> String {
        let name = self.config.file_name_for(&NameParts {
            story: &self.names.story,
            base: &self.names.base,
            other: self.names.other.as_deref(),
            format: format.name(),
            extension: format.extension(),
        });
        let folder = &self.config.folder;
        if folder.as_os_str().is_empty() || folder == Path::new(".") {
            name
        } else {
            folder.join(name).display().to_string()
        }
    }

    /// Choose another format. An untouched file name follows it; an edited
    /// one keeps its name and changes only the format's extension.
    pub fn set_format(&mut self, format: Format) {
        let old = self.format;
        self.format = format;
        if self.path.text() == self.default_path(old) {
            self.path.set(self.default_path(format));
        } else if let Some(stem) = self
            .path
            .text()
            .strip_suffix(&format!(".{}", old.extension()))
        {
            self.path.set(format!("{stem}.{}", format.extension()));
        }
    }

    /// Point the dialog at the same story and versions in a reloaded
    /// corpus, found by their ids; `false` when they are gone.
    pub fn follow(&mut self, engine: &Engine) -> bool {
        let Some(story) = engine
            .stories()
            .iter()
            .position(|s| s.id == self.names.story)
        else {
            return false;
        };
        let Ok(base) = engine.find_version(story, &self.names.base) else {
            return false;
        };
        let versions = match &self.names.other {
            Some(id) => match engine.find_version(story, id) {
                Ok(v) => Versions::Pair(v),
                Err(_) => return false,
            },
            None => Versions::All,
        };
        self.story = story;
        self.base = base;
        self.versions = versions;
        true
    }

    fn step_format(&mut self, forward: bool) {
        let all = Format::ALL;
        let i = all.iter().position(|&f| f == self.format).unwrap_or(0);
        let n = all.len();
        let j = if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        };
        self.set_format(all[j]);
    }

    fn order(&self, target: PathBuf, force: bool) -> ExportOrder {
        ExportOrder {
            format: self.format,
            story: self.story,
            base: self.base,
            versions: self.versions,
            show_furniture: self.show_furniture,
            hide_style: self.hide_style,
            target,
            force,
        }
    }

    /// Handle a key. Characters always type into the file name; other keys
    /// edit it or, through the keymap, choose the format (up/down), write
    /// (open) or cancel (back).
    pub fn key(&mut self, k: &KeyEvent, keymap: &Keymap) -> Reply {
        let typed = match k.code {
            KeyCode::Char(c)
                if !k
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                Some(c)
            }
            _ => None,
        };
        let action = keymap.action(k);
        match self.stage.clone() {
            Stage::Writing => {
                if action == Some(Action::Back) && typed.is_none() {
                    return Reply::Close;
                }
                Reply::Nothing
            }
            Stage::Confirm(target) => {
                match typed {
                    Some('y' | 'Y') => {
                        self.stage = Stage::Writing;
                        return Reply::Write(self.order(target, true));
                    }
                    Some('n' | 'N') => self.stage = Stage::Editing,
                    _ if action == Some(Action::Back) => self.stage = Stage::Editing,
                    _ => {}
                }
                Reply::Nothing
            }
            Stage::Editing => {
                if let Some(c) = typed {
                    self.path.insert(c);
                    self.error = None;
                    return Reply::Nothing;
                }
                match k.code {
                    KeyCode::Left => self.path.left(),
                    KeyCode::Right => self.path.right(),
                    KeyCode::Home => self.path.home(),
                    KeyCode::End => self.path.end(),
                    KeyCode::Backspace => {
                        self.path.backspace();
                        self.error = None;
                    }
                    KeyCode::Delete => {
                        self.path.delete();
                        self.error = None;
                    }
                    _ => match action {
                        Some(Action::Up) => self.step_format(false),
                        Some(Action::Down) => self.step_format(true),
                        Some(Action::Back) => return Reply::Close,
                        Some(Action::Open) => {
                            let text = self.path.text().trim();
                            if text.is_empty() {
                                self.error = Some("give a file name to write".into());
                                return Reply::Nothing;
                            }
                            let target = PathBuf::from(text);
                            self.error = None;
                            self.stage = Stage::Writing;
                            return Reply::Write(self.order(target, false));
                        }
                        _ => {}
                    },
                }
                Reply::Nothing
            }
        }
    }
}

/// The dialog's keys as (keys, what they do), for the dialog, the help
/// screen and docs/keys.md.
pub fn key_help(keymap: &Keymap) -> Vec<(String, String)> {
    let keys = |a: Action| {
        let k = keymap.dialog_keys(a);
        if k.is_empty() {
            "(unbound)".to_owned()
        } else {
            k.join(" ")
        }
    };
    vec![
        (
            format!("{} {}", keys(Action::Up), keys(Action::Down)),
            "choose the format (unified, markdown, html, json)".into(),
        ),
        (
            "← → Home End".into(),
            "move in the file name; typing edits it, Backspace and Delete remove".into(),
        ),
        (keys(Action::Open), "write the file".into()),
        (keys(Action::Back), "cancel".into()),
        (
            "y n".into(),
            "when the file exists: replace it, or go back to change the name".into(),
        ),
    ]
}

/// Where the dialog goes in the body.
pub fn area(body: Rect) -> Rect {
    let w = body.width.saturating_sub(2).min(64);
    let h = body.height.min(7);
    Rect::new(
        body.x + (body.width - w) / 2,
        body.y + (body.height - h) / 2,
        w,
        h,
    )
}

pub fn draw(frame: &mut Frame<'_>, body: Rect, app: &App, d: &ExportDialog) {
    let t = &app.theme;
    let r = area(body);
    if r.width < 10 || r.height < 3 {
        return;
    }
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .title(Span::styled(" Export ", t.title))
        .border_style(t.dialog)
        .style(t.base);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let inner = Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    );
    let w = usize::from(inner.width);
    let buf = frame.buffer_mut();
    let mut y = inner.y;
    let end = inner.y + inner.height;
    let mut put = |line: Line<'_>| {
        if y < end {
            buf.set_line(inner.x, y, &line, inner.width);
            y += 1;
        }
    };

    put(Line::styled(wrap::fit(&d.what, w), t.header));

    // Labels only where the four formats still fit beside them.
    let label_w = if w >= 40 { 8 } else { 0 };
    let label = |text: &str| {
        Span::styled(
            format!("{text:<label_w$}")
                .chars()
                .take(label_w)
                .collect::<String>(),
            t.dim,
        )
    };
    let mut spans = vec![label("Format")];
    for f in Format::ALL {
        let style = if f == d.format { t.selected } else { t.base };
        spans.push(Span::styled(format!(" {} ", f.name()), style));
    }
    put(Line::from(spans));

    // One space in, like the format names.
    let field_w = w.saturating_sub(label_w + 1).max(1);
    let mut spans = vec![label("File"), Span::raw(" ")];
    spans.extend(field_spans(
        &d.path,
        field_w,
        d.stage == Stage::Editing,
        app,
    ));
    put(Line::from(spans));

    let status = match (&d.stage, &d.error) {
        (Stage::Confirm(p), _) => {
            // The question always shows; the name gives way.
            let ask = " exists: replace it? y/n";
            let name = p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let name = wrap::fit(&name, w.saturating_sub(wrap::width(ask)));
            Line::styled(format!("{name}{ask}"), t.error)
        }
        (Stage::Writing, _) => Line::styled(format!("{} writing…", app.spinner()), t.dim),
        (Stage::Editing, Some(e)) => Line::styled(wrap::fit(e, w), t.error),
        (Stage::Editing, None) => Line::default(),
    };
    put(status);

    let km = &app.keymap;
    let first = |a: Action| km.dialog_keys(a).into_iter().next().unwrap_or_default();
    let hints = match d.stage {
        Stage::Editing => format!(
            "{}{} format  {} write  {} cancel",
            first(Action::Up),
            first(Action::Down),
            first(Action::Open),
            first(Action::Back)
        ),
        Stage::Confirm(_) => "y replace  n change the name".to_owned(),
        Stage::Writing => format!("{} close (the file is still written)", first(Action::Back)),
    };
    put(Line::styled(wrap::fit(&hints, w), t.dim));
}

/// The field's text scrolled so the cursor shows, the cursor cell reversed.
fn field_spans(f: &TextField, width: usize, active: bool, app: &App) -> Vec<Span<'static>> {
    let t = &app.theme;
    // (byte offset, shown text, width) of each grapheme, shown safe.
    let gs: Vec<(usize, String, usize)> = f
        .text()
        .grapheme_indices(true)
        .map(|(i, g)| {
            let shown = for_terminal(g).into_owned();
            let w = wrap::width(&shown);
            (i, shown, w)
        })
        .collect();
    let at = gs
        .iter()
        .position(|(i, _, _)| *i >= f.cursor())
        .unwrap_or(gs.len());
    // Keep one cell for the cursor at the end.
    let room = width.saturating_sub(1).max(1);
    let mut start = 0;
    while gs[start..at].iter().map(|g| g.2).sum::<usize>() > room {
        start += 1;
    }
    let mut spans = Vec::new();
    let mut used = 0;
    let mut plain = String::new();
    for (k, (_, shown, gw)) in gs.iter().enumerate().skip(start) {
        if used + gw > width {
            break;
        }
        used += gw;
        if k == at && active {
            spans.push(Span::styled(std::mem::take(&mut plain), t.base));
            spans.push(Span::styled(shown.clone(), t.cursor));
        } else {
            plain.push_str(shown);
        }
    }
    spans.push(Span::styled(plain, t.base));
    if at == gs.len() && active && used < width {
        spans.push(Span::styled(" ", t.cursor));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_edits_by_grapheme() {
        let mut f = TextField::new("ae\u{301}👍🏽");
        f.backspace();
        assert_eq!(f.text(), "ae\u{301}");
        f.left();
        assert_eq!(f.cursor(), 1);
        f.insert('ß');
        assert_eq!(f.text(), "aße\u{301}");
        f.delete();
        assert_eq!(f.text(), "aß");
        f.home();
        f.delete();
        f.end();
        f.insert('x');
        assert_eq!(f.text(), "ßx");
        f.insert('\u{7}');
        assert_eq!(f.text(), "ßx");
        f.right();
        assert_eq!(f.cursor(), f.text().len());
    }

    #[test]
    fn combining_mark_keeps_the_cursor_on_a_boundary() {
        let mut f = TextField::new("e");
        f.insert('\u{301}');
        assert_eq!(f.cursor(), f.text().len());
        f.backspace();
        assert_eq!(f.text(), "");
    }
}
