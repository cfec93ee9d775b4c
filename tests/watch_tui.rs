//! The interface while files change: the app driven by events, with the real
//! engine worker doing the loading, comparing and refreshing, drawn into
//! ratatui's test backend. The user keeps their story, variant and place;
//! the screen shows the new text; a short notice says what happened.

mod watch_support;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use storydiff::engine::Settings;
use storydiff::tui::event::{Job, spawn_worker};
use storydiff::tui::{App, Command, Event, Screen, TuiOptions, build_app, draw, job_for};
use watch_support::file_named;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/corpus");

/// The app with a real worker thread behind it, as `tui::run` wires them.
struct Harness {
    app: App,
    jobs: Sender<Job>,
    events: Receiver<Event>,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
    root: PathBuf,
}

impl Harness {
    /// The app on a copy of the sample corpus.
    fn new() -> Harness {
        let corpus = tempfile::tempdir().expect("temp dir");
        for entry in fs::read_dir(SAMPLE).expect("sample corpus") {
            let entry = entry.expect("entry");
            fs::copy(entry.path(), corpus.path().join(entry.file_name())).expect("copy");
        }
        Harness::on(corpus)
    }

    /// The app on `corpus`, started and given what it first asks for.
    fn on(corpus: tempfile::TempDir) -> Harness {
        let state = tempfile::tempdir().expect("state dir");
        let opts = TuiOptions {
            paths: vec![corpus.path().to_path_buf()],
            state_dir: Some(state.path().to_path_buf()),
            ..TuiOptions::default()
        };
        let app = build_app(&opts, (100, 30)).expect("app");
        let (tx, rx) = mpsc::channel();
        let jobs = spawn_worker(tx).expect("worker");
        let root = corpus.path().to_path_buf();
        let mut h = Harness {
            app,
            jobs,
            events: rx,
            _dirs: (corpus, state),
            root,
        };
        let first = h.app.start();
        h.run(first);
        h
    }

    /// Carry out commands as the runner does, and feed the app every event
    /// that comes back until the worker has nothing more to say.
    fn run(&mut self, mut commands: Vec<Command>) {
        // Each job ends in one event besides progress; the worker may drop a
        // stale job unanswered, which the timeout covers.
        let mut outstanding = 0usize;
        loop {
            for cmd in commands.drain(..) {
                let job = job_for(&mut self.app, cmd, &Settings::default());
                if let Some(job) = job {
                    self.jobs.send(job).expect("worker alive");
                    outstanding += 1;
                }
            }
            if outstanding == 0 {
                return;
            }
            match self.events.recv_timeout(Duration::from_secs(20)) {
                Ok(ev) => {
                    if !matches!(ev, Event::Progress(_)) {
                        outstanding -= 1;
                    }
                    commands = self.app.handle(ev);
                }
                Err(_) => return,
            }
        }
    }

    fn key(&mut self, code: KeyCode) {
        let cmds = self.app.handle(Event::Key(KeyEvent {
            code,
            modifiers: KeyModifiers::NONE,
            kind: KeyEventKind::Press,
            state: KeyEventState::NONE,
        }));
        self.run(cmds);
    }

    fn changed(&mut self, paths: Vec<PathBuf>) {
        let cmds = self.app.handle(Event::FilesChanged(paths));
        self.run(cmds);
    }

    fn screen(&mut self) -> String {
        let (w, h) = self.app.size;
        let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        term.draw(|f| draw(f, &self.app)).expect("draw");
        let buf = term.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                out.push_str(buf[(x, y)].symbol());
            }
            out.push('\n');
        }
        out
    }

    /// The open story's id, title, base and variant version ids.
    fn open(&self) -> (String, String, String, String) {
        let engine = self.app.engine.as_ref().expect("loaded");
        let view = self.app.view.as_ref().expect("a story is open");
        let s = engine.story(view.story);
        (
            s.id.clone(),
            s.title.clone(),
            engine.version(view.story, view.base).id.clone(),
            engine.version(view.story, view.variant).id.clone(),
        )
    }

    fn message(&self) -> String {
        self.app
            .message
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_default()
    }

    fn file(&self, prefix: &str) -> PathBuf {
        file_named(&self.root, prefix)
    }

    /// Open the Iran story and show version `variant` against the base.
    fn open_iran_at(&mut self, variant: &str) {
        self.key(KeyCode::Enter);
        assert_eq!(self.app.screen, Screen::SideBySide);
        for _ in 0..6 {
            if self.open().3 == variant {
                break;
            }
            self.key(KeyCode::Right);
        }
        assert_eq!(self.open().3, variant);
        assert!(
            self.app
                .view
                .as_ref()
                .is_some_and(|v| v.comparison.is_some())
        );
    }
}

#[test]
fn a_change_to_the_open_variant_is_redrawn_in_place() {
    let mut h = Harness::new();
    h.open_iran_at("003");
    let (story, title, base, _) = h.open();
    // Scroll down a little so there is a place to keep.
    for _ in 0..6 {
        h.key(KeyCode::Down);
    }
    let top_before = h.app.view.as_ref().map(|v| v.top);
    let before = h.screen();
    assert!(!before.contains("Ashtyani"));

    let f = h.file("003");
    let text = fs::read_to_string(&f).expect("read");
    fs::write(&f, text.replace("Ashtiani", "Ashtyani")).expect("write");
    h.changed(vec![f]);

    let (story2, title2, base2, variant2) = h.open();
    assert_eq!(h.app.screen, Screen::SideBySide);
    assert_eq!((title2, base2, variant2.as_str()), (title, base, "003"));
    let _ = (story, story2);
    assert!(h.app.view.as_ref().is_some_and(|v| v.comparison.is_some()));
    assert_eq!(h.app.view.as_ref().map(|v| v.top), top_before, "no jump");
    let msg = h.message();
    assert!(msg.starts_with("003 changed: story '"), "{msg}");
    let after = h.screen();
    assert!(
        after.contains("003 changed"),
        "the notice is on screen:\n{after}"
    );
    // The changed word is on screen once scrolled to.
    h.key(KeyCode::Home);
    let mut seen = h.screen().contains("Ashtyani");
    for _ in 0..40 {
        if seen {
            break;
        }
        h.key(KeyCode::PageDown);
        seen = h.screen().contains("Ashtyani");
    }
    assert!(seen, "the new text is shown");
}

#[test]
fn a_removed_variant_falls_to_another_and_a_new_story_leaves_the_selection() {
    let mut h = Harness::new();
    h.open_iran_at("004");
    let (_, title, base, _) = h.open();
    let gone = h.file("004");
    fs::remove_file(&gone).expect("delete");
    // And a new story that sorts before the open one in the list.
    let new = h.root.join("000a_new.txt");
    fs::write(
        &new,
        "A new story\n\nSomething entirely different happened in Lisbon today, where the trams ran late.\n\nThe city council said it would look into the delays on the number 28 line.\n",
    )
    .expect("write");
    h.changed(vec![gone, new]);
    let (_, title2, base2, variant2) = h.open();
    assert_eq!(title2, title, "same story");
    assert_eq!(base2, base);
    assert_ne!(variant2, "004");
    let msg = h.message();
    assert!(msg.contains("version 004 is gone"), "{msg}");
    // Back in the list, the open story is still the selected one.
    h.key(KeyCode::Tab);
    assert_eq!(h.app.screen, Screen::Stories);
    let engine = h.app.engine.clone().expect("engine");
    let entries = h.app.entries();
    let selected = entries[h.app.list.selected];
    assert_eq!(engine.story(selected).title, title);
}

#[test]
fn a_deleted_canonical_version_keeps_its_mark_for_when_it_returns() {
    let mut h = Harness::new();
    h.open_iran_at("002");
    h.key(KeyCode::Char('c'));
    assert_eq!(h.open().2, "002", "002 is now the base");
    let f = h.file("002");
    let text = fs::read(&f).expect("read");
    fs::remove_file(&f).expect("delete");
    h.changed(vec![f.clone()]);
    let msg = h.message();
    assert!(msg.contains("canonical version 002 is gone"), "{msg}");
    assert_ne!(h.open().2, "002");
    assert_eq!(h.app.state.canonical.len(), 1, "the mark is kept");

    // Back under another name: found by its text.
    let back = h.root.join("002_back.txt");
    fs::write(&back, &text).expect("restore");
    h.changed(vec![back]);
    // Its version id comes from the new name, whose prefix is free again.
    assert_eq!(h.open().2, "002");
    assert!(
        h.message().contains("canonical version 002 is back"),
        "{}",
        h.message()
    );
}

#[test]
fn the_stories_list_keeps_the_selected_story() {
    let mut h = Harness::new();
    assert_eq!(h.app.screen, Screen::Stories);
    let engine = h.app.engine.clone().expect("engine");
    let entries = h.app.entries();
    let last = entries.len() - 1;
    h.key(KeyCode::End);
    let title = engine.story(entries[last]).title.clone();
    // A new single-version story appears; the selection stays on its story.
    fs::write(
        h.root.join("0000_first.txt"),
        "Another story\n\nThe harbour in Gothenburg reopened after the storm, the port authority said on Monday.\n",
    )
    .expect("write");
    h.changed(vec![h.root.join("0000_first.txt")]);
    let engine = h.app.engine.clone().expect("engine");
    let entries = h.app.entries();
    assert_eq!(engine.story(entries[h.app.list.selected]).title, title);
    assert!(h.message().contains("new story"), "{}", h.message());
}

#[test]
fn a_moved_canonical_version_stays_canonical() {
    let mut h = Harness::new();
    h.open_iran_at("002");
    h.key(KeyCode::Char('c'));
    assert_eq!(h.open().2, "002");
    let from = h.file("002");
    let sub = h.root.join("archive");
    fs::create_dir(&sub).expect("mkdir");
    let to = sub.join(from.file_name().expect("name"));
    fs::rename(&from, &to).expect("move");
    h.changed(vec![from, sub]);
    let (_, _, base, _) = h.open();
    assert_eq!(base, "002", "still the base");
    let msg = h.message();
    assert!(msg.contains("002 moved to"), "{msg}");
    assert!(!msg.contains("gone"), "{msg}");
    let engine = h.app.engine.clone().expect("engine");
    let view = h.app.view.as_ref().expect("view");
    assert_eq!(h.app.state.canonical(&engine, view.story), Some(view.base));
}

#[test]
fn files_arriving_in_an_empty_folder_are_loaded() {
    let mut h = Harness::on(tempfile::tempdir().expect("temp dir"));
    assert!(h.app.engine.is_none(), "nothing to load yet");
    let f = h.root.join("first.txt");
    fs::copy(file_named(Path::new(SAMPLE), "000"), &f).expect("copy");
    h.changed(vec![f]);
    let engine = h.app.engine.clone().expect("loaded now");
    assert_eq!(engine.corpus().files.len(), 1);
}
