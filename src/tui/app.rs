//! The interface's state and how each event changes it.
//!
//! In: [`Event`]s. Out: [`Command`]s for the runner (load, compare, align,
//! save, export, quit). [`App::handle`] does no I/O and needs no terminal, so the
//! whole interface can be driven by key events in tests; the views draw
//! from `&App` alone.

use std::path::PathBuf;
use std::sync::Arc;

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;
use regex::Regex;

use super::event::{Command, CompareKey, Event, Work};
use super::export_dialog::{ExportDialog, ExportFailure, Names, Reply, Stage};
use super::keymap::{Action, Keymap};
use super::side_by_side::{self, DiffLayout, Source};
use super::theme::Theme;
use crate::config::{Config, ExportConfig};
use crate::engine::Engine;
use crate::export::Versions;
use crate::model::{Alignment, Comparison, VersionIx};
use crate::state::State;

// A child of this module (though its file sits beside this one) so that it
// can use the app's private helpers.
#[path = "watching.rs"]
pub mod watching;

/// Which screen is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Stories,
    SideBySide,
    Overview,
    Help,
}

/// Display preferences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefs {
    pub show_furniture: bool,
    pub hide_style: bool,
    pub wrap: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            show_furniture: false,
            hide_style: false,
            wrap: true,
        }
    }
}

/// Where the corpus stands.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadState {
    Loading(String),
    Ready,
    Failed(String),
}

/// The last thing the interface has to tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// The story list: filter text and selection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoryList {
    pub filter: String,
    pub editing: bool,
    /// Index into the filtered stories (multi-version first, then singletons).
    pub selected: usize,
    /// First display row shown.
    pub top: usize,
}

/// A line of the story list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListRow {
    /// The n-th selectable entry, showing this story.
    Story { entry: usize, story: usize },
    /// The line between stories with several versions and single-version ones.
    Separator { singles: usize },
}

/// Search in the open story.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub query: String,
    pub editing: bool,
    pub regex: Option<Regex>,
}

/// Where to scroll once the comparison arrives: the row holding one of these paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Jump {
    base_para: Option<usize>,
    other_para: Option<usize>,
    /// Focus the row (with a little context above); else put it at the top, unfocused.
    focus: bool,
}

/// The open story.
#[derive(Debug, Clone)]
pub struct View {
    pub story: usize,
    pub base: VersionIx,
    pub variant: VersionIx,
    pub comparison: Option<Arc<Comparison>>,
    pub alignment: Option<Arc<Alignment>>,
    pub layout: DiffLayout,
    /// First visual line shown.
    pub top: usize,
    /// The comparison row last jumped to with n/N or from the overview.
    pub focus: Option<usize>,
    /// Overview cursor: alignment row and version column.
    pub cursor: (usize, usize),
    pub overview_top: usize,
    jump: Option<Jump>,
    /// Where the overview cursor goes once the alignment arrives: the row
    /// holding this paragraph of this version.
    overview_jump: Option<(VersionIx, usize)>,
    /// Why the comparison or alignment could not be computed.
    pub problem: Option<String>,
}

/// The screen areas, shared by drawing and mouse handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub body: Rect,
    pub status: Rect,
    pub hints: Rect,
}

/// The smallest terminal the interface draws in.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

pub fn areas(area: Rect) -> Areas {
    let h = area.height;
    let line = |y: u16| Rect::new(area.x, area.y + y, area.width, 1.min(h.saturating_sub(y)));
    Areas {
        header: line(0),
        body: Rect::new(area.x, area.y + 1, area.width, h.saturating_sub(3)),
        status: line(h.saturating_sub(2)),
        hints: line(h.saturating_sub(1)),
    }
}

/// Everything the interface shows and remembers.
#[derive(Debug)]
pub struct App {
    pub keymap: Keymap,
    pub theme: Theme,
    pub paths: Vec<PathBuf>,
    pub size: (u16, u16),
    pub screen: Screen,
    pub help_return: Screen,
    pub help_top: usize,
    pub load: LoadState,
    pub generation: u64,
    pub engine: Option<Arc<Engine>>,
    pub state: State,
    pub state_dir: Option<PathBuf>,
    pub list: StoryList,
    pub view: Option<View>,
    pub prefs: Prefs,
    pub search: Search,
    pub message: Option<Message>,
    pub ticks: usize,
    /// The open export dialog.
    pub export: Option<ExportDialog>,
    /// Where exports go and what they are called.
    pub export_config: ExportConfig,
    /// Story and version ids to reopen after a reload.
    restore: Option<(String, String)>,
    pub watching: watching::Watching,
    /// Where the model is kept between sessions; `None`: not kept.
    pub cache: Option<crate::cache::Cache>,
    quitting: bool,
}

impl App {
    pub fn new(keymap: Keymap, theme: Theme, paths: Vec<PathBuf>, size: (u16, u16)) -> App {
        App {
            keymap,
            theme,
            paths,
            size,
            screen: Screen::Stories,
            help_return: Screen::Stories,
            help_top: 0,
            load: LoadState::Loading("starting".into()),
            generation: 0,
            engine: None,
            state: State::default(),
            state_dir: None,
            list: StoryList::default(),
            view: None,
            prefs: Prefs::default(),
            search: Search::default(),
            message: None,
            ticks: 0,
            export: None,
            export_config: Config::default().export,
            restore: None,
            watching: watching::Watching::default(),
            cache: None,
            quitting: false,
        }
    }

    /// The first command: load the corpus.
    pub fn start(&mut self) -> Vec<Command> {
        self.generation += 1;
        self.load = LoadState::Loading("starting".into());
        vec![Command::Load {
            generation: self.generation,
        }]
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
    }

    pub fn spinner(&self) -> &'static str {
        const FRAMES: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];
        FRAMES[self.ticks % FRAMES.len()]
    }

    pub fn areas(&self) -> Areas {
        areas(Rect::new(0, 0, self.size.0, self.size.1))
    }

    /// Lines of the side-by-side body (below its column headers).
    pub fn page(&self) -> usize {
        usize::from(self.areas().body.height.saturating_sub(1)).max(1)
    }

    /// Update for one event; returns what the runner must do.
    pub fn handle(&mut self, event: Event) -> Vec<Command> {
        let mut out = Vec::new();
        match event {
            Event::Key(k) => self.key(k, &mut out),
            Event::Mouse(m) => self.mouse(m, &mut out),
            Event::Resize(w, h) => self.resize(w, h),
            Event::Tick => self.ticks = self.ticks.wrapping_add(1),
            Event::Progress(p) => {
                if matches!(self.load, LoadState::Loading(_)) {
                    self.load = LoadState::Loading(p);
                }
            }
            Event::Loaded { generation, engine } if generation == self.generation => {
                self.loaded(engine, &mut out)
            }
            Event::LoadFailed {
                generation,
                message,
            } if generation == self.generation => {
                self.load = LoadState::Failed(message.clone());
                self.error(message);
            }
            Event::WorkDone { generation, work } if generation == self.generation => {
                self.work_done(work)
            }
            Event::WorkFailed {
                generation,
                message,
            } if generation == self.generation => {
                if let Some(view) = self.view.as_mut() {
                    view.problem = Some(message.clone());
                }
                self.error(message);
            }
            Event::Exported(result) => self.exported(result),
            Event::StateSaved(Ok(())) => {}
            Event::StateSaved(Err(e)) => self.error(format!("canonical mark not saved: {e}")),
            Event::FilesChanged(paths) => self.files_changed(paths, &mut out),
            Event::Refreshed(r) => self.refreshed(*r, &mut out),
            Event::WatchNotice(text) => self.watch_notice(text),
            Event::Terminate => out.push(Command::Quit),
            Event::Loaded { .. }
            | Event::LoadFailed { .. }
            | Event::WorkDone { .. }
            | Event::WorkFailed { .. } => {}
        }
        if self.watching.waiting() {
            self.send_pending(&mut out);
        }
        if out.contains(&Command::Quit) {
            self.quitting = true;
        }
        out
    }

    pub fn quitting(&self) -> bool {
        self.quitting
    }

    fn resize(&mut self, w: u16, h: u16) {
        if (w, h) != self.size {
            self.size = (w, h);
            self.relayout();
        }
    }

    /// Set the size without an event (the runner, before the first frame).
    pub fn set_size(&mut self, w: u16, h: u16) {
        self.resize(w, h);
    }

    fn loaded(&mut self, engine: Arc<Engine>, out: &mut Vec<Command>) {
        self.load = LoadState::Ready;
        let missing = self.state.missing(&engine);
        let warnings = engine.corpus().warnings.len();
        self.engine = Some(Arc::clone(&engine));
        self.view = None;
        let mut notes = Vec::new();
        if warnings > 0 {
            let mut w = format!("{warnings} file warning{}", plural(warnings));
            if let Some(first) = engine.corpus().warnings.first() {
                w.push_str(&format!(" (first: {first})"));
            }
            notes.push(w);
        }
        if let Some(m) = missing.first() {
            let mut m = m.clone();
            if missing.len() > 1 {
                m.push_str(&format!(" (+{} more)", missing.len() - 1));
            }
            notes.push(m);
        }
        if !notes.is_empty() && self.message.as_ref().is_none_or(|m| !m.error) {
            self.info(notes.join("; "));
        }
        let entries = self.entries().len();
        self.list.selected = self.list.selected.min(entries.saturating_sub(1));
        if let Some((story_id, version_id)) = self.restore.take()
            && let Some(story) = engine.stories().iter().position(|s| s.id == story_id)
        {
            self.open(story, out);
            if let Ok(v) = engine.find_version(story, &version_id)
                && let Some(view) = &self.view
                && v != view.base
            {
                self.set_variant(v, out);
            }
        } else if matches!(self.screen, Screen::SideBySide | Screen::Overview) {
            self.screen = Screen::Stories;
        }
        if let Some(d) = self.export.as_mut()
            && !d.follow(&engine)
        {
            self.export = None;
            self.info("export cancelled: the story is no longer in the files");
        }
    }

    fn work_done(&mut self, work: Work) {
        let hide_style = self.prefs.hide_style;
        let overview_h = self.overview_height();
        let Some(view) = self.view.as_mut() else {
            return;
        };
        match work {
            Work::Compared { key, comparison } => {
                if key.story == view.story
                    && key.base == view.base
                    && key.other == view.variant
                    && key.hide_style == hide_style
                {
                    view.comparison = Some(comparison);
                    self.relayout();
                    self.resolve_jump();
                }
            }
            Work::Aligned {
                story,
                base,
                alignment,
            } => {
                if story == view.story && base == view.base {
                    let rows = alignment.rows.len();
                    if let Some((v, p)) = view.overview_jump.take()
                        && let Some(r) = alignment.rows.iter().position(|row| {
                            row.cells
                                .get(v)
                                .and_then(|c| c.as_ref())
                                .is_some_and(|c| c.paragraphs.contains(&p))
                        })
                    {
                        // The same paragraph on the same screen line, where it fits.
                        let offset = view.cursor.0.saturating_sub(view.overview_top);
                        view.cursor.0 = r;
                        view.overview_top = r.saturating_sub(offset.min(overview_h - 1));
                    }
                    view.cursor.0 = view.cursor.0.min(rows.saturating_sub(1));
                    view.alignment = Some(alignment);
                }
            }
        }
    }

    // ---- story list -------------------------------------------------------

    /// The stories shown in the list, filtered: those with several versions
    /// (most versions first), then single-version ones.
    pub fn entries(&self) -> Vec<usize> {
        let Some(engine) = &self.engine else {
            return Vec::new();
        };
        let needle = self.list.filter.to_lowercase();
        let matches = |i: usize| -> bool {
            if needle.is_empty() {
                return true;
            }
            let s = engine.story(i);
            s.title.to_lowercase().contains(&needle)
                || s.id.to_lowercase().contains(&needle)
                || (0..s.versions.len()).any(|v| {
                    engine.version(i, v).id.to_lowercase().contains(&needle)
                        || engine
                            .version_path(i, v)
                            .to_string_lossy()
                            .to_lowercase()
                            .contains(&needle)
                })
        };
        let mut multi: Vec<usize> = (0..engine.stories().len())
            .filter(|&i| engine.story(i).versions.len() > 1 && matches(i))
            .collect();
        multi.sort_by(|&a, &b| {
            let (sa, sb) = (engine.story(a), engine.story(b));
            sb.versions
                .len()
                .cmp(&sa.versions.len())
                .then(sb.spread.total_cmp(&sa.spread))
                .then(a.cmp(&b))
        });
        let singles = (0..engine.stories().len())
            .filter(|&i| engine.story(i).versions.len() <= 1 && matches(i));
        multi.extend(singles);
        multi
    }

    /// The list's display rows, separator included.
    pub fn list_rows(&self) -> Vec<ListRow> {
        let Some(engine) = &self.engine else {
            return Vec::new();
        };
        let entries = self.entries();
        let first_single = entries
            .iter()
            .position(|&s| engine.story(s).versions.len() <= 1);
        let mut rows = Vec::with_capacity(entries.len() + 1);
        for (entry, &story) in entries.iter().enumerate() {
            if Some(entry) == first_single {
                rows.push(ListRow::Separator {
                    singles: entries.len() - entry,
                });
            }
            rows.push(ListRow::Story { entry, story });
        }
        rows
    }

    fn list_height(&self) -> usize {
        // The body less the filter line.
        usize::from(self.areas().body.height.saturating_sub(1)).max(1)
    }

    fn select(&mut self, entry: usize) {
        let n = self.entries().len();
        self.list.selected = entry.min(n.saturating_sub(1));
        let rows = self.list_rows();
        let pos = rows
            .iter()
            .position(|r| matches!(r, ListRow::Story { entry, .. } if *entry == self.list.selected))
            .unwrap_or(0);
        let h = self.list_height();
        if pos < self.list.top {
            // Keep the separator in sight when the first single is selected.
            self.list.top = if pos > 0 && matches!(rows[pos - 1], ListRow::Separator { .. }) {
                pos - 1
            } else {
                pos
            };
        } else if pos >= self.list.top + h {
            self.list.top = pos + 1 - h;
        }
    }

    fn selected_story(&self) -> Option<usize> {
        self.entries().get(self.list.selected).copied()
    }

    fn filter_changed(&mut self) {
        self.list.top = 0;
        self.select(0);
    }

    // ---- opening and moving between versions ------------------------------

    /// The default base of a story: its canonical version, else its central one.
    fn default_base(&self, story: usize) -> VersionIx {
        let Some(engine) = &self.engine else { return 0 };
        self.state
            .canonical(engine, story)
            .unwrap_or(engine.story(story).central)
    }

    fn open(&mut self, story: usize, out: &mut Vec<Command>) {
        let Some(engine) = self.engine.clone() else {
            return;
        };
        if self.view.as_ref().is_some_and(|v| v.story == story) {
            self.screen = Screen::SideBySide;
            return;
        }
        let n = engine.story(story).versions.len();
        let base = self.default_base(story).min(n.saturating_sub(1));
        let variant = if n > 1 { (base + 1) % n } else { base };
        self.view = Some(View {
            story,
            base,
            variant,
            comparison: None,
            alignment: None,
            layout: DiffLayout::default(),
            top: 0,
            focus: None,
            cursor: (0, variant),
            overview_top: 0,
            jump: None,
            overview_jump: None,
            problem: None,
        });
        self.search = Search::default();
        self.screen = Screen::SideBySide;
        self.request_compare(out);
        self.relayout();
    }

    fn request_compare(&mut self, out: &mut Vec<Command>) {
        let Some(engine) = &self.engine else { return };
        let Some(view) = &self.view else { return };
        if engine.story(view.story).versions.len() < 2 {
            return;
        }
        out.push(Command::Compare {
            generation: self.generation,
            key: CompareKey {
                story: view.story,
                base: view.base,
                other: view.variant,
                hide_style: self.prefs.hide_style,
            },
        });
    }

    fn request_alignment(&mut self, out: &mut Vec<Command>) {
        if let Some(view) = &self.view
            && view.alignment.is_none()
        {
            out.push(Command::Align {
                generation: self.generation,
                story: view.story,
                base: view.base,
            });
        }
    }

    fn set_variant(&mut self, v: VersionIx, out: &mut Vec<Command>) {
        let Some(view) = self.view.as_mut() else {
            return;
        };
        if v == view.variant {
            return;
        }
        view.variant = v;
        view.problem = None;
        view.comparison = None;
        view.top = 0;
        view.focus = None;
        view.cursor.1 = v;
        self.request_compare(out);
        self.relayout();
    }

    fn step_variant(&mut self, forward: bool, out: &mut Vec<Command>) {
        let Some(engine) = &self.engine else { return };
        let Some(view) = &self.view else { return };
        let n = engine.story(view.story).versions.len();
        if n < 2 {
            self.info("this story has only one version");
            return;
        }
        let mut v = view.variant;
        loop {
            v = if forward {
                (v + 1) % n
            } else {
                (v + n - 1) % n
            };
            if v != view.base {
                break;
            }
        }
        if v == view.variant {
            self.info("this story has only two versions");
        }
        self.set_variant(v, out);
    }

    /// Rebuild the side-by-side lines after a change of data, size or option.
    pub fn relayout(&mut self) {
        let Some(engine) = self.engine.clone() else {
            return;
        };
        let width = self.size.0;
        let page = self.page();
        let opts = side_by_side::Options {
            width,
            show_furniture: self.prefs.show_furniture,
            hide_style: self.prefs.hide_style,
            wrap: self.prefs.wrap,
            theme: &self.theme,
            search: self.search.regex.as_ref(),
        };
        let Some(view) = self.view.as_mut() else {
            return;
        };
        let story = engine.story(view.story);
        let base = Source {
            id: &engine.version(view.story, view.base).id,
            article: engine.version(view.story, view.base),
        };
        let old_row = view.layout.lines.get(view.top).and_then(|l| l.row);
        view.layout = if story.versions.len() < 2 {
            side_by_side::build(base, None, &opts)
        } else if let Some(c) = &view.comparison {
            let other = Source {
                id: &engine.version(view.story, view.variant).id,
                article: engine.version(view.story, view.variant),
            };
            side_by_side::build(base, Some((other, c)), &opts)
        } else {
            DiffLayout {
                geometry: side_by_side::geometry(width, 0, 0, true),
                ..DiffLayout::default()
            }
        };
        // Keep the same row at the top across a re-wrap.
        if let Some(r) = old_row
            && let Some(&start) = view.layout.row_start.get(r)
        {
            view.top = start;
        }
        let max_top = view.layout.lines.len().saturating_sub(page);
        view.top = view.top.min(max_top);
    }

    fn resolve_jump(&mut self) {
        let page = self.page();
        let Some(view) = self.view.as_mut() else {
            return;
        };
        let (Some(jump), Some(c)) = (view.jump, &view.comparison) else {
            return;
        };
        view.jump = None;
        let row = c
            .rows
            .iter()
            .position(|r| jump.base_para.is_some_and(|p| r.base.contains(&p)))
            .or_else(|| {
                c.rows
                    .iter()
                    .position(|r| jump.other_para.is_some_and(|p| r.other.contains(&p)))
            });
        match row {
            Some(r) if jump.focus => focus_row(view, r, page),
            Some(r) => {
                if let Some(&start) = view.layout.row_start.get(r) {
                    let max_top = view.layout.lines.len().saturating_sub(page);
                    view.top = start.min(max_top);
                }
            }
            None => {}
        }
    }

    // ---- keys ---------------------------------------------------------------

    fn key(&mut self, k: KeyEvent, out: &mut Vec<Command>) {
        let is_ctrl_c = k.modifiers.contains(KeyModifiers::CONTROL)
            && matches!(k.code, KeyCode::Char('c') | KeyCode::Char('C'));
        if is_ctrl_c {
            out.push(Command::Quit);
            return;
        }
        self.message = None;
        if let Some(dialog) = self.export.as_mut() {
            match dialog.key(&k, &self.keymap) {
                Reply::Nothing => {}
                Reply::Close => self.export = None,
                Reply::Write(order) => out.push(Command::Export(order)),
            }
            return;
        }
        // A filter being typed keeps every character, bound or not.
        if self.screen == Screen::Stories && (self.list.editing || !self.list.filter.is_empty()) {
            self.list.editing = true;
            self.filter_key(k, out);
            return;
        }
        if self.search.editing && self.screen == Screen::SideBySide {
            self.search_key(k);
            return;
        }
        let Some(action) = self.keymap.action(&k) else {
            if self.screen == Screen::Stories
                && let KeyCode::Char(c) = k.code
                && !k
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                && self.engine.is_some()
            {
                self.list.editing = true;
                self.list.filter.push(c);
                self.filter_changed();
            }
            return;
        };
        self.action(action, out);
    }

    /// A key while the story filter is active: characters type, Backspace
    /// deletes (the filter stays active even when empty, so typing on is never
    /// taken for a command), Esc clears it, Enter opens the selected story;
    /// other keys (arrows, pages, Tab, F1) do what the keymap says.
    fn filter_key(&mut self, k: KeyEvent, out: &mut Vec<Command>) {
        match k.code {
            KeyCode::Esc => {
                self.list.editing = false;
                self.list.filter.clear();
                self.filter_changed();
            }
            KeyCode::Enter => {
                if let Some(s) = self.selected_story() {
                    self.open(s, out);
                }
            }
            KeyCode::Backspace => {
                self.list.filter.pop();
                self.filter_changed();
            }
            KeyCode::Char(c)
                if !k
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                self.list.filter.push(c);
                self.filter_changed();
            }
            _ => match self.keymap.action(&k) {
                Some(Action::Back) => {
                    self.list.editing = false;
                    self.list.filter.clear();
                    self.filter_changed();
                }
                Some(a) => self.action(a, out),
                None => {}
            },
        }
    }

    fn search_key(&mut self, k: KeyEvent) {
        match k.code {
            KeyCode::Esc => {
                self.search = Search::default();
                self.relayout();
            }
            KeyCode::Enter => {
                self.search.editing = false;
                if self.search.query.is_empty() {
                    self.search = Search::default();
                } else {
                    let hits = self.view.as_ref().map_or(0, |v| v.layout.hits.len());
                    if hits == 0 {
                        self.info(format!("“{}” is not in this pair", self.search.query));
                    } else {
                        self.info(format!(
                            "{hits} row{} match “{}”: n/N to move between them",
                            plural(hits),
                            self.search.query
                        ));
                        self.step_stop(true, true);
                    }
                }
            }
            KeyCode::Backspace => {
                self.search.query.pop();
                self.update_search();
            }
            KeyCode::Char(c)
                if !k
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                self.search.query.push(c);
                self.update_search();
            }
            _ => {}
        }
    }

    fn update_search(&mut self) {
        self.search.regex = if self.search.query.is_empty() {
            None
        } else {
            Regex::new(&format!("(?i){}", regex::escape(&self.search.query))).ok()
        };
        self.relayout();
    }

    fn action(&mut self, action: Action, out: &mut Vec<Command>) {
        match action {
            Action::Quit => out.push(Command::Quit),
            Action::Help => {
                if self.screen != Screen::Help {
                    self.help_return = self.screen;
                    self.help_top = 0;
                    self.screen = Screen::Help;
                }
            }
            Action::Reload => self.reload(out),
            Action::Export => self.open_export(),
            _ => match self.screen {
                Screen::Stories => self.stories_action(action, out),
                Screen::SideBySide => self.diff_action(action, out),
                Screen::Overview => self.overview_action(action, out),
                Screen::Help => self.help_action(action),
            },
        }
    }

    fn reload(&mut self, out: &mut Vec<Command>) {
        if let (Some(engine), Some(view)) = (&self.engine, &self.view) {
            self.restore = Some((
                engine.story(view.story).id.clone(),
                engine.version(view.story, view.variant).id.clone(),
            ));
        }
        self.generation += 1;
        self.load = LoadState::Loading("reloading".into());
        out.push(Command::Load {
            generation: self.generation,
        });
    }

    fn stories_action(&mut self, action: Action, out: &mut Vec<Command>) {
        let n = self.entries().len();
        let page = self.list_height();
        match action {
            Action::Up => self.select(self.list.selected.saturating_sub(1)),
            Action::Down => self.select(self.list.selected + 1),
            Action::PageUp => self.select(self.list.selected.saturating_sub(page)),
            Action::PageDown => self.select(self.list.selected + page),
            Action::HalfPageUp => self.select(self.list.selected.saturating_sub(page / 2)),
            Action::HalfPageDown => self.select(self.list.selected + page / 2),
            Action::Top => self.select(0),
            Action::Bottom => self.select(n.saturating_sub(1)),
            Action::Open | Action::NextVariant => {
                if let Some(s) = self.selected_story() {
                    self.open(s, out);
                } else if self.engine.is_none() {
                    self.info("still loading…");
                }
            }
            Action::SwitchView => {
                if self.view.is_some() {
                    self.screen = Screen::SideBySide;
                } else {
                    self.info("no story open yet: choose one and press Enter");
                }
            }
            Action::Overview => {
                if let Some(s) = self.selected_story() {
                    self.open(s, out);
                    self.enter_overview(out);
                }
            }
            Action::Search => {
                self.list.editing = true;
            }
            Action::Back => {
                if self.list.filter.is_empty() {
                    out.push(Command::Quit);
                } else {
                    self.list.filter.clear();
                    self.filter_changed();
                }
            }
            _ => {}
        }
    }

    fn scroll(&mut self, delta: isize) {
        let page = self.page();
        let Some(view) = self.view.as_mut() else {
            return;
        };
        let max_top = view.layout.lines.len().saturating_sub(page);
        view.top = view.top.saturating_add_signed(delta).min(max_top);
    }

    fn diff_action(&mut self, action: Action, out: &mut Vec<Command>) {
        let page = self.page() as isize;
        match action {
            Action::Up => self.scroll(-1),
            Action::Down => self.scroll(1),
            Action::PageUp => self.scroll(-(page - 1).max(1)),
            Action::PageDown => self.scroll((page - 1).max(1)),
            Action::HalfPageUp => self.scroll(-(page / 2).max(1)),
            Action::HalfPageDown => self.scroll((page / 2).max(1)),
            Action::Top => self.scroll(isize::MIN / 2),
            Action::Bottom => self.scroll(isize::MAX / 2),
            Action::NextChange => self.step_stop(true, false),
            Action::PrevChange => self.step_stop(false, false),
            Action::NextVariant => self.step_variant(true, out),
            Action::PrevVariant => self.step_variant(false, out),
            Action::ToggleCanonical => {
                // The right-hand version is marked; when the left one (the
                // base) is the canonical version, the key clears its mark.
                let target = match (&self.engine, &self.view) {
                    (Some(engine), Some(view)) => {
                        if self.state.canonical(engine, view.story) == Some(view.base) {
                            Some(view.base)
                        } else {
                            Some(view.variant)
                        }
                    }
                    _ => None,
                };
                if let Some(v) = target {
                    self.toggle_canonical(v, out);
                }
            }
            Action::SwitchView => self.screen = Screen::Stories,
            Action::Overview => self.enter_overview(out),
            Action::ToggleFurniture => {
                self.prefs.show_furniture = !self.prefs.show_furniture;
                self.info(if self.prefs.show_furniture {
                    "page furniture shown (f to fold)"
                } else {
                    "page furniture folded (f to show)"
                });
                self.relayout();
            }
            Action::ToggleStyle => {
                self.prefs.hide_style = !self.prefs.hide_style;
                self.info(if self.prefs.hide_style {
                    "style-only changes hidden (s to show)"
                } else {
                    "style-only changes shown (s to hide)"
                });
                if let Some(view) = self.view.as_mut() {
                    view.comparison = None;
                    view.problem = None;
                }
                self.request_compare(out);
                self.relayout();
            }
            Action::Search => {
                self.search = Search {
                    editing: true,
                    ..Search::default()
                };
                self.relayout();
            }
            Action::Back => {
                if self.search.regex.is_some() {
                    self.search = Search::default();
                    self.relayout();
                } else {
                    self.screen = Screen::Stories;
                }
            }
            Action::Open => {}
            _ => {}
        }
    }

    /// Go to the next (or previous) change, or search hit when `hits` or a search is active.
    fn step_stop(&mut self, forward: bool, hits: bool) {
        let page = self.page();
        let searching = self.search.regex.is_some();
        let Some(view) = self.view.as_mut() else {
            return;
        };
        let use_hits = hits || (searching && !view.layout.hits.is_empty());
        let stops = if use_hits {
            &view.layout.hits
        } else {
            &view.layout.stops
        };
        let (what, whats) = if use_hits {
            ("search hit", "search hits")
        } else {
            ("change", "changes")
        };
        if stops.is_empty() {
            let msg = if use_hits {
                "no search hits".to_owned()
            } else {
                "no changes between these two versions".to_owned()
            };
            self.info(msg);
            return;
        }
        let current = view
            .focus
            .or_else(|| view.layout.lines.get(view.top).and_then(|l| l.row));
        let target = match (current, view.focus.is_some(), forward) {
            (None, _, true) => stops.first().copied(),
            (None, _, false) => stops.last().copied(),
            (Some(c), false, true) => stops.iter().copied().find(|&r| r >= c),
            (Some(c), true, true) => stops.iter().copied().find(|&r| r > c),
            (Some(c), _, false) => stops.iter().rev().copied().find(|&r| r < c),
        };
        let n = stops.len();
        match target {
            Some(r) => {
                let k = stops.iter().position(|&s| s == r).unwrap_or(0) + 1;
                focus_row(view, r, page);
                self.info(format!("{what} {k} of {n}"));
            }
            None => self.info(if forward {
                format!("no more {whats} below ({n} in all)")
            } else {
                format!("no more {whats} above ({n} in all)")
            }),
        }
    }

    fn toggle_canonical(&mut self, v: VersionIx, out: &mut Vec<Command>) {
        let Some(engine) = self.engine.clone() else {
            return;
        };
        let Some(story) = self.view.as_ref().map(|v| v.story) else {
            return;
        };
        let now = self.state.toggle(&engine, story, v);
        let id = engine.version(story, v).id.clone();
        let new_base = self.default_base(story);
        let Some(view) = self.view.as_mut() else {
            return;
        };
        if new_base != view.base {
            let (old_base, old_variant) = (view.base, view.variant);
            let (anchor, focus) = place(view);
            view.base = new_base;
            if view.variant == new_base {
                view.variant = old_base;
            }
            // Keep the user's place: the same paragraphs, in the new pair.
            let known = |v: VersionIx| {
                if v == old_base {
                    anchor.0
                } else if v == old_variant {
                    anchor.1
                } else {
                    None
                }
            };
            view.jump = Some(Jump {
                base_para: known(view.base),
                other_para: known(view.variant),
                focus,
            });
            view.overview_jump = overview_place(view);
            view.comparison = None;
            view.problem = None;
            view.alignment = None;
            view.focus = None;
            view.cursor.1 = view
                .cursor
                .1
                .min(engine.story(story).versions.len().saturating_sub(1));
            self.request_compare(out);
            if self.screen == Screen::Overview {
                self.request_alignment(out);
            }
            self.relayout();
        }
        match (&self.state_dir, now) {
            (Some(_), true) => self.info(format!(
                "★ {id} is now the canonical version of this story (saved)"
            )),
            (Some(_), false) => self.info(format!("{id} is no longer canonical (saved)")),
            (None, _) => self.error(
                "no state folder: the canonical mark holds for this run only (pass --state-dir)",
            ),
        }
        if self.state_dir.is_some() {
            out.push(Command::SaveState);
        }
    }

    /// Open the export dialog: the pair shown side by side, or the whole
    /// story from the overview (or when it has one version).
    fn open_export(&mut self) {
        if !matches!(self.screen, Screen::SideBySide | Screen::Overview) {
            self.info("open a story first: e exports from the side-by-side view or the overview");
            return;
        }
        let (Some(engine), Some(view)) = (&self.engine, &self.view) else {
            self.info("open a story first");
            return;
        };
        let story = engine.story(view.story);
        let n = story.versions.len();
        let base_id = engine.version(view.story, view.base).id.clone();
        let whole = self.screen == Screen::Overview || n < 2;
        let (versions, other, mut what) = if whole {
            (
                Versions::All,
                None,
                format!(
                    "The whole story {}: {n} version{} against {base_id}",
                    story.id,
                    plural(n)
                ),
            )
        } else {
            let other_id = engine.version(view.story, view.variant).id.clone();
            let what = format!("{base_id} against {other_id}");
            (Versions::Pair(view.variant), Some(other_id), what)
        };
        let mut choices = Vec::new();
        if self.prefs.hide_style {
            choices.push("style-only changes hidden");
        }
        if self.prefs.show_furniture {
            choices.push("furniture shown");
        }
        if !choices.is_empty() {
            what.push_str(&format!(" ({})", choices.join(", ")));
        }
        let names = Names {
            story: story.id.clone(),
            base: base_id,
            other,
        };
        self.export = Some(ExportDialog::new(
            view.story,
            view.base,
            versions,
            names,
            what,
            self.prefs.show_furniture,
            self.prefs.hide_style,
            &self.export_config,
        ));
    }

    /// The worker wrote an export, or could not.
    fn exported(&mut self, result: Result<PathBuf, ExportFailure>) {
        let waiting = self
            .export
            .as_ref()
            .is_some_and(|d| d.stage == Stage::Writing);
        match result {
            Ok(path) => {
                if waiting {
                    self.export = None;
                }
                self.info(format!("exported to {}", path.display()));
            }
            Err(ExportFailure::Exists(path)) => match self.export.as_mut() {
                Some(d) if waiting => d.stage = Stage::Confirm(path),
                _ => self.error(format!(
                    "{} already exists; nothing written",
                    path.display()
                )),
            },
            Err(ExportFailure::Failed(msg)) => {
                if waiting && let Some(d) = self.export.as_mut() {
                    d.stage = Stage::Editing;
                    d.error = Some(msg.clone());
                }
                self.error(format!("export failed: {msg}"));
            }
        }
    }

    fn enter_overview(&mut self, out: &mut Vec<Command>) {
        if self.view.is_none() {
            self.info("open a story first");
            return;
        }
        self.screen = Screen::Overview;
        self.request_alignment(out);
    }

    fn overview_height(&self) -> usize {
        // Body less the header line.
        usize::from(self.areas().body.height.saturating_sub(1)).max(1)
    }

    fn overview_action(&mut self, action: Action, out: &mut Vec<Command>) {
        let h = self.overview_height();
        let nversions = match (&self.engine, &self.view) {
            (Some(e), Some(v)) => e.story(v.story).versions.len(),
            _ => 0,
        };
        let Some(view) = self.view.as_mut() else {
            return;
        };
        let nrows = view.alignment.as_ref().map_or(0, |a| a.rows.len());
        let (row, col) = view.cursor;
        let move_row = |view: &mut View, r: usize| {
            view.cursor.0 = r.min(nrows.saturating_sub(1));
            if view.cursor.0 < view.overview_top {
                view.overview_top = view.cursor.0;
            } else if view.cursor.0 >= view.overview_top + h {
                view.overview_top = view.cursor.0 + 1 - h;
            }
        };
        match action {
            Action::Up => move_row(view, row.saturating_sub(1)),
            Action::Down => move_row(view, row + 1),
            Action::PageUp => move_row(view, row.saturating_sub(h)),
            Action::PageDown => move_row(view, row + h),
            Action::HalfPageUp => move_row(view, row.saturating_sub(h / 2)),
            Action::HalfPageDown => move_row(view, row + h / 2),
            Action::Top => move_row(view, 0),
            Action::Bottom => move_row(view, nrows),
            Action::PrevVariant => view.cursor.1 = col.saturating_sub(1),
            Action::NextVariant => view.cursor.1 = (col + 1).min(nversions.saturating_sub(1)),
            Action::Open => self.overview_open(out),
            Action::ToggleCanonical => self.toggle_canonical(col, out),
            Action::Overview | Action::Back => self.screen = Screen::SideBySide,
            Action::SwitchView => self.screen = Screen::Stories,
            Action::NextChange | Action::PrevChange => {
                let forward = action == Action::NextChange;
                if let Some(a) = &view.alignment {
                    let interesting = |r: usize| a.rows[r].kind != crate::model::RowKind::Same;
                    let target = if forward {
                        (row + 1..nrows).find(|&r| interesting(r))
                    } else {
                        (0..row).rev().find(|&r| interesting(r))
                    };
                    if let Some(r) = target {
                        move_row(view, r);
                    }
                }
            }
            _ => {}
        }
    }

    /// Show the pair under the overview cursor side by side, at its row.
    fn overview_open(&mut self, out: &mut Vec<Command>) {
        let Some(view) = self.view.as_mut() else {
            return;
        };
        let Some(a) = view.alignment.clone() else {
            return;
        };
        let (row, col) = view.cursor;
        let Some(arow) = a.rows.get(row) else { return };
        let base_para = arow
            .cells
            .get(view.base)
            .and_then(|c| c.as_ref())
            .and_then(|c| c.paragraphs.first().copied());
        let other_para = arow
            .cells
            .get(col)
            .and_then(|c| c.as_ref())
            .and_then(|c| c.paragraphs.first().copied());
        view.jump = Some(Jump {
            base_para,
            other_para: if col == view.base { None } else { other_para },
            focus: true,
        });
        self.screen = Screen::SideBySide;
        if col != view.base {
            self.set_variant(col, out);
        }
        self.resolve_jump();
    }

    fn help_action(&mut self, action: Action) {
        let page = usize::from(self.areas().body.height).max(1);
        match action {
            Action::Up => self.help_top = self.help_top.saturating_sub(1),
            Action::Down => self.help_top += 1,
            Action::PageUp | Action::HalfPageUp => {
                self.help_top = self.help_top.saturating_sub(page)
            }
            Action::PageDown | Action::HalfPageDown => self.help_top += page,
            Action::Top => self.help_top = 0,
            Action::Bottom => self.help_top = usize::MAX / 2,
            Action::Back | Action::Help => self.screen = self.help_return,
            _ => {}
        }
        let total = super::help::line_count(self);
        self.help_top = self.help_top.min(total.saturating_sub(page));
    }

    // ---- mouse --------------------------------------------------------------

    fn mouse(&mut self, m: MouseEvent, out: &mut Vec<Command>) {
        if self.export.is_some() {
            return;
        }
        let a = self.areas();
        match m.kind {
            MouseEventKind::ScrollUp | MouseEventKind::ScrollDown => {
                let down = m.kind == MouseEventKind::ScrollDown;
                match self.screen {
                    Screen::SideBySide => self.scroll(if down { 3 } else { -3 }),
                    Screen::Stories => {
                        let s = self.list.selected;
                        self.select(if down { s + 1 } else { s.saturating_sub(1) });
                    }
                    Screen::Overview => {
                        self.overview_action(if down { Action::Down } else { Action::Up }, out)
                    }
                    Screen::Help => self.help_action(if down { Action::Down } else { Action::Up }),
                }
            }
            MouseEventKind::Down(MouseButton::Left) => {
                if m.row < a.body.y || m.row >= a.body.y + a.body.height {
                    return;
                }
                match self.screen {
                    Screen::Stories => {
                        // The first body line is the filter line.
                        let Some(k) = (m.row - a.body.y).checked_sub(1) else {
                            return;
                        };
                        let rows = self.list_rows();
                        if let Some(ListRow::Story { entry, .. }) =
                            rows.get(self.list.top + usize::from(k))
                        {
                            if *entry == self.list.selected {
                                self.stories_action(Action::Open, out);
                            } else {
                                self.select(*entry);
                            }
                        }
                    }
                    Screen::Overview => {
                        if let Some(cell) = super::overview::cell_at(self, a.body, m.column, m.row)
                        {
                            let same = self.view.as_ref().is_some_and(|v| v.cursor == cell);
                            if let Some(view) = self.view.as_mut() {
                                view.cursor = cell;
                            }
                            if same {
                                self.overview_open(out);
                            }
                        }
                    }
                    Screen::SideBySide | Screen::Help => {}
                }
            }
            _ => {}
        }
    }
}

/// The paragraphs (base, other) of the row the user is looking at in the
/// side-by-side view (the focused row if any, else the first row shown), and
/// whether that row was focused.
fn place(view: &View) -> ((Option<usize>, Option<usize>), bool) {
    let Some(c) = &view.comparison else {
        return ((None, None), false);
    };
    let row = match view.focus {
        Some(r) => Some(r),
        None => view.layout.lines[view.top.min(view.layout.lines.len())..]
            .iter()
            .find_map(|l| l.row),
    };
    let Some(r) = row.and_then(|r| c.rows.get(r)) else {
        return ((None, None), false);
    };
    (
        (r.base.first().copied(), r.other.first().copied()),
        view.focus.is_some(),
    )
}

/// A paragraph of the overview cursor's row, as (version, paragraph): the
/// one under the cursor, else the first version that has the row.
fn overview_place(view: &View) -> Option<(VersionIx, usize)> {
    let row = view.alignment.as_ref()?.rows.get(view.cursor.0)?;
    let under = row
        .cells
        .get(view.cursor.1)
        .and_then(|c| c.as_ref())
        .and_then(|c| c.paragraphs.first())
        .map(|&p| (view.cursor.1, p));
    under.or_else(|| {
        row.cells.iter().enumerate().find_map(|(v, c)| {
            c.as_ref()
                .and_then(|c| c.paragraphs.first())
                .map(|&p| (v, p))
        })
    })
}

fn focus_row(view: &mut View, r: usize, page: usize) {
    view.focus = Some(r);
    if let Some(&start) = view.layout.row_start.get(r) {
        // A little context above the row.
        let top = start.saturating_sub(2.min(page / 4));
        let max_top = view.layout.lines.len().saturating_sub(page);
        view.top = top.min(max_top);
    }
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
