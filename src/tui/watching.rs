//! Keeping the interface up to date while files change on disk.
//!
//! In: [`Event::FilesChanged`] and [`Event::WatchNotice`] from the watcher
//! ([`crate::watch`]), [`Event::Refreshed`] from the worker. Out:
//! [`Command::Refresh`] for the worker, and the [`App`] moved onto the
//! refreshed engine without the user losing their place: the same story
//! (found by the versions it shares with the old one, not by its index), the
//! same variant, the same paragraph at the top of the screen, canonical
//! marks where their versions still exist, and a short notice saying what
//! happened. The refresh, and the comparison for the open pair, run on the
//! worker thread, so a story that changed under the user's eyes is redrawn in
//! one step, never blank in between.
//!
//! One refresh runs at a time; paths that change meanwhile (or while a full
//! load runs) wait and go in the next one. A full load (`r`) still reloads
//! everything.
//!
//! This module is a child of `app` so that it can use the app's private
//! helpers without widening them.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Sender;

use super::{App, Command, CompareKey, Event, Jump, LoadState, Screen, View, plural};
use crate::corpus::LoadOptions;
use crate::engine::{Engine, ModelChange};
use crate::model::{Alignment, Comparison, VersionIx};
use crate::state::State;
use crate::watch::{WatchEvent, WatchOptions, Watcher};

/// The interface's part in watching.
#[derive(Debug, Default)]
pub struct Watching {
    /// Paths changed and not yet looked at.
    pending: BTreeSet<PathBuf>,
}

impl Watching {
    /// Whether changed paths wait for a refresh.
    pub fn waiting(&self) -> bool {
        !self.pending.is_empty()
    }
}

/// The pair on screen when a refresh was asked for, so the worker can have
/// its new comparison ready when the refreshed engine arrives.
#[derive(Debug, Clone, PartialEq)]
pub struct Focus {
    pub story: usize,
    pub base: VersionIx,
    pub variant: VersionIx,
    pub hide_style: bool,
    /// Also align (the overview is open).
    pub align: bool,
    /// The canonical marks, to choose the base as the interface will.
    pub state: State,
}

/// What a refresh came to.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The files were as the engine held them.
    Unchanged,
    Changed {
        engine: Arc<Engine>,
        change: Arc<ModelChange>,
    },
    Failed(String),
}

/// A finished refresh, from the worker.
#[derive(Debug, Clone)]
pub struct Refreshed {
    pub generation: u64,
    pub outcome: Outcome,
    /// The open pair's comparison on the new engine.
    pub comparison: Option<(CompareKey, Arc<Comparison>)>,
    /// The open story's alignment on the new engine, when the overview is open.
    pub alignment: Option<(usize, VersionIx, Arc<Alignment>)>,
}

/// Start watching the app's paths, sending what the watcher sees as events.
/// A watcher that cannot start is reported in the status bar; `r` still
/// reloads by hand.
pub fn start(
    app: &mut App,
    opts: &WatchOptions,
    load: &LoadOptions,
    events: Sender<Event>,
) -> Option<Watcher> {
    if !opts.enabled {
        return None;
    }
    let sent = move |e| {
        let _ = events.send(match e {
            WatchEvent::Changed(paths) => Event::FilesChanged(paths),
            WatchEvent::Notice(text) => Event::WatchNotice(text),
        });
    };
    match Watcher::start(&app.paths, load, opts, sent) {
        Ok(w) => Some(w),
        Err(e) => {
            app.error(format!("{e}; press r to reload by hand"));
            None
        }
    }
}

/// Where the open pair goes on a refreshed engine.
struct Place {
    story: usize,
    base: VersionIx,
    variant: VersionIx,
    /// What the user must be told (a base or variant that went away…).
    notes: Vec<String>,
}

/// The story continuing `story`, its default base (the canonical version,
/// else the central one) and the variant, kept when it still exists.
fn place(
    old: &Engine,
    new: &Engine,
    change: &ModelChange,
    state: &State,
    (story, base, variant): (usize, VersionIx, VersionIx),
) -> Option<Place> {
    let to = change.story_map.get(story).copied().flatten()?;
    let map = |v: VersionIx| {
        let a = change.article_map[*old.story(story).versions.get(v)?]?;
        new.story(to).versions.iter().position(|&x| x == a)
    };
    let old_id = |v: VersionIx| old.version(story, v).id.clone();
    let canonical = state.canonical(new, to);
    let new_base = canonical.unwrap_or(new.story(to).central);
    let base_id = new.version(to, new_base).id.clone();
    let mut notes = Vec::new();
    let was_canonical = state.canonical(old, story) == Some(base);
    if was_canonical && canonical.is_none() {
        notes.push(format!(
            "canonical version {} is gone; comparing against the central version {base_id} (the mark is kept for when it returns)",
            old_id(base)
        ));
    } else if !was_canonical && canonical.is_some() && map(base) != Some(new_base) {
        notes.push(format!(
            "canonical version {base_id} is back: comparing against it"
        ));
    } else if map(base) != Some(new_base) {
        let why = if map(base).is_none() {
            "is gone"
        } else {
            "is no longer the central one"
        };
        notes.push(format!(
            "base version {} {why}; comparing against {base_id}",
            old_id(base)
        ));
    }
    let n = new.story(to).versions.len();
    let kept = map(variant).filter(|&v| v != new_base);
    let new_variant = if n < 2 {
        new_base
    } else {
        kept.or_else(|| map(base).filter(|&v| v != new_base))
            .unwrap_or((new_base + 1) % n)
    };
    if n >= 2 && variant != base && map(variant).is_none() {
        notes.push(format!(
            "version {} is gone; showing {}",
            old_id(variant),
            new.version(to, new_variant).id
        ));
    }
    Some(Place {
        story: to,
        base: new_base,
        variant: new_variant,
        notes,
    })
}

/// The worker's side: refresh `engine` for `paths`, and compare (and align)
/// the open pair on the result.
pub fn run_refresh(
    generation: u64,
    engine: &Engine,
    roots: &[PathBuf],
    paths: &[PathBuf],
    focus: Option<&Focus>,
    events: &Sender<Event>,
) -> Event {
    let what = match paths {
        [one] => format!("looking at {}", one.display()),
        many => format!("looking at {} changed paths", many.len()),
    };
    let _ = events.send(Event::Progress(what));
    let mut done = Refreshed {
        generation,
        outcome: Outcome::Unchanged,
        comparison: None,
        alignment: None,
    };
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let Some(r) = engine.refresh(roots, paths)? else {
            return Ok(None);
        };
        let new = Arc::new(r.engine);
        let change = Arc::new(r.change);
        let mut comparison = None;
        let mut alignment = None;
        if let Some(f) = focus
            && let Some(p) = place(
                engine,
                &new,
                &change,
                &f.state,
                (f.story, f.base, f.variant),
            )
        {
            if new.story(p.story).versions.len() > 1 {
                let diff = new.diff_options(f.hide_style);
                let key = CompareKey {
                    story: p.story,
                    base: p.base,
                    other: p.variant,
                    hide_style: f.hide_style,
                };
                comparison = Some((key, new.comparison(p.story, p.base, p.variant, &diff)));
            }
            if f.align {
                alignment = Some((p.story, p.base, new.alignment(p.story, p.base)));
            }
        }
        Ok::<_, crate::corpus::LoadError>(Some((new, change, comparison, alignment)))
    }));
    match run {
        Ok(Ok(Some((engine, change, comparison, alignment)))) => {
            done.outcome = Outcome::Changed { engine, change };
            done.comparison = comparison;
            done.alignment = alignment;
        }
        Ok(Ok(None)) => {}
        Ok(Err(e)) => done.outcome = Outcome::Failed(e.to_string()),
        Err(p) => {
            done.outcome = Outcome::Failed(format!(
                "internal error while refreshing: {}",
                super::super::event::panic_text(&*p)
            ))
        }
    }
    Event::Refreshed(Box::new(done))
}

/// What the top line of the screen shows: the texts of its row's first
/// base and other paragraphs, and how far into the row it is.
struct Anchor {
    base: Option<Box<str>>,
    other: Option<Box<str>>,
    offset: usize,
}

fn anchor(engine: &Engine, view: &View) -> Option<Anchor> {
    let c = view.comparison.as_ref()?;
    let r = view.layout.lines.get(view.top)?.row?;
    let row = c.rows.get(r)?;
    let start = *view.layout.row_start.get(r)?;
    let text = |v: VersionIx, p: Option<&usize>| {
        p.and_then(|&i| engine.version(view.story, v).paragraphs.get(i))
            .map(|p| p.text.clone())
    };
    Some(Anchor {
        base: text(view.base, row.base.first()),
        other: text(view.variant, row.other.first()),
        offset: view.top - start,
    })
}

impl App {
    /// Changed paths from the watcher: look at them now, or once the
    /// refresh or load under way is done.
    pub(super) fn files_changed(&mut self, paths: Vec<PathBuf>, out: &mut Vec<Command>) {
        self.watching.pending.extend(paths);
        self.send_pending(out);
    }

    /// Ask for a refresh of the waiting paths, unless one (or a full load) runs.
    pub(super) fn send_pending(&mut self, out: &mut Vec<Command>) {
        if self.watching.pending.is_empty() || matches!(self.load, LoadState::Loading(_)) {
            return;
        }
        if self.engine.is_none() {
            // Nothing could be loaded (an empty folder): files arriving are
            // a reason to try the whole load again.
            if matches!(self.load, LoadState::Failed(_)) {
                self.watching.pending.clear();
                self.reload(out);
            }
            return;
        }
        let paths: Vec<PathBuf> = std::mem::take(&mut self.watching.pending)
            .into_iter()
            .collect();
        let n = paths.len();
        self.load = LoadState::Loading(format!("{n} changed path{}", plural(n)));
        let focus = self.view.as_ref().map(|v| Focus {
            story: v.story,
            base: v.base,
            variant: v.variant,
            hide_style: self.prefs.hide_style,
            align: self.screen == Screen::Overview,
            state: self.state.clone(),
        });
        out.push(Command::Refresh {
            generation: self.generation,
            paths,
            focus,
        });
    }

    /// A refresh finished on the worker.
    pub(super) fn refreshed(&mut self, r: Refreshed, out: &mut Vec<Command>) {
        if r.generation != self.generation {
            // A full load started since; it reads everything anyway.
            return;
        }
        self.load = LoadState::Ready;
        match r.outcome {
            Outcome::Failed(e) => self.error(format!(
                "the changed files could not be brought in: {e}; press r to reload"
            )),
            Outcome::Unchanged => {}
            Outcome::Changed { engine, change } => {
                self.take_refresh(engine, &change, r.comparison, r.alignment, out)
            }
        }
        self.send_pending(out);
    }

    /// A message from the watcher about watching itself.
    pub(super) fn watch_notice(&mut self, text: String) {
        self.error(format!("watching: {text}"));
    }

    fn take_refresh(
        &mut self,
        engine: Arc<Engine>,
        change: &ModelChange,
        comparison: Option<(CompareKey, Arc<Comparison>)>,
        alignment: Option<(usize, VersionIx, Arc<Alignment>)>,
        out: &mut Vec<Command>,
    ) {
        let Some(old) = self.engine.clone() else {
            return;
        };
        let selected = self.selected_story();
        let view = self.view.take();
        let anchor = view.as_ref().and_then(|v| anchor(&old, v));
        self.engine = Some(Arc::clone(&engine));
        // Work asked of the old engine names its story indices: drop it.
        self.generation += 1;

        let mut notes = Vec::new();
        let mut open_story = None;
        if let Some(view) = view {
            match place(
                &old,
                &engine,
                change,
                &self.state,
                (view.story, view.base, view.variant),
            ) {
                Some(p) => {
                    open_story = Some(p.story);
                    notes.extend(p.notes.iter().cloned());
                    self.move_view(view, &p, comparison, alignment, anchor, out);
                }
                None => {
                    notes.push("the story you had open is gone".to_owned());
                    if matches!(self.screen, Screen::SideBySide | Screen::Overview) {
                        self.screen = Screen::Stories;
                    }
                }
            }
        }
        let target = open_story.or_else(|| selected.and_then(|s| change.story_map[s]));
        let entry = target.and_then(|s| self.entries().iter().position(|&e| e == s));
        self.select(entry.unwrap_or(self.list.selected));

        // The notice: what happened to the open story first, then the rest.
        let mut said: Vec<String> = notes;
        let (mine, others): (Vec<_>, Vec<_>) = change
            .stories
            .iter()
            .partition(|c| c.index.is_some() && c.index == open_story);
        said.extend(mine.iter().chain(others.iter()).map(|c| c.sentence()));
        if !change.warnings.is_empty() {
            let n = change.warnings.len();
            said.push(format!(
                "{n} new file warning{} (first: {})",
                plural(n),
                change.warnings[0]
            ));
        }
        if let Some(first) = said.first() {
            let mut text = first.clone();
            if said.len() > 1 {
                text.push_str(&format!(
                    " (+{} more change{})",
                    said.len() - 1,
                    plural(said.len() - 1)
                ));
            }
            self.info(text);
        }
        retire(old);
    }

    /// Reopen the view on the refreshed engine, keeping the same paragraph at
    /// the top of the screen.
    fn move_view(
        &mut self,
        old: View,
        p: &Place,
        comparison: Option<(CompareKey, Arc<Comparison>)>,
        alignment: Option<(usize, VersionIx, Arc<Alignment>)>,
        anchor: Option<Anchor>,
        out: &mut Vec<Command>,
    ) {
        let key = CompareKey {
            story: p.story,
            base: p.base,
            other: p.variant,
            hide_style: self.prefs.hide_style,
        };
        let comparison = comparison.filter(|(k, _)| *k == key).map(|(_, c)| c);
        let alignment = alignment
            .filter(|(s, b, _)| *s == p.story && *b == p.base)
            .map(|(_, _, a)| a);
        let rows = alignment.as_ref().map_or(usize::MAX, |a| a.rows.len());
        let waiting = comparison.is_none();
        let aligned = alignment.is_some();
        self.view = Some(View {
            story: p.story,
            base: p.base,
            variant: p.variant,
            comparison,
            alignment,
            layout: old.layout,
            top: old.top,
            focus: None,
            cursor: (old.cursor.0.min(rows.saturating_sub(1)), p.variant),
            overview_top: old.overview_top,
            jump: None,
            overview_jump: None,
            problem: None,
        });
        self.relayout();
        if waiting {
            self.request_compare(out);
        }
        if !aligned && self.screen == Screen::Overview {
            self.request_alignment(out);
        }
        let Some(engine) = self.engine.clone() else {
            return;
        };
        let page = self.page();
        let Some(view) = self.view.as_mut() else {
            return;
        };
        let Some(anchor) = anchor else {
            return;
        };
        let find = |v: VersionIx, text: &Option<Box<str>>| {
            let text = text.as_deref()?;
            engine
                .version(view.story, v)
                .paragraphs
                .iter()
                .position(|q| &*q.text == text)
        };
        let base_para = find(view.base, &anchor.base);
        let other_para = find(view.variant, &anchor.other);
        match &view.comparison {
            Some(c) => {
                let row = c
                    .rows
                    .iter()
                    .position(|r| base_para.is_some_and(|b| r.base.contains(&b)))
                    .or_else(|| {
                        c.rows
                            .iter()
                            .position(|r| other_para.is_some_and(|o| r.other.contains(&o)))
                    });
                if let Some(&start) = row.and_then(|r| view.layout.row_start.get(r)) {
                    let max_top = view.layout.lines.len().saturating_sub(page);
                    view.top = (start + anchor.offset).min(max_top);
                }
            }
            None => {
                view.top = 0;
                view.jump = Some(Jump {
                    base_para,
                    other_para,
                    focus: false,
                });
            }
        }
    }
}

/// Let go of the old engine off the interface thread: dropping a large
/// corpus takes long enough to be seen.
fn retire(engine: Arc<Engine>) {
    if Arc::strong_count(&engine) == 1 {
        let _ = std::thread::Builder::new()
            .name("storydiff-drop".into())
            .spawn(move || drop(engine));
    }
}
