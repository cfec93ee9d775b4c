//! Everything that happens to the interface arrives as one [`Event`] on one
//! channel; everything the interface asks for leaves as a [`Command`].
//!
//! In: terminal input, signals, and jobs for the engine. Out: events on the
//! channel. The input thread turns crossterm events into [`Event`]s (key
//! presses only, never releases or repeats of a release) and ticks while
//! idle; the worker thread loads the corpus, computes alignments and
//! comparisons and writes exports, so heavy work and file writing never run
//! on the thread that draws.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use ratatui::crossterm::event::{self as ct, KeyEvent, KeyEventKind, MouseEvent};

use super::app::watching::{self, Focus, Refreshed};
use super::export_dialog::{ExportFailure, ExportOrder};
use crate::engine::{Engine, Settings};
use crate::export::{ExportError, ExportRequest};
use crate::model::{Alignment, Comparison, VersionIx};
use crate::sync::lock;

/// The name of the worker thread; the panic hook leaves the terminal alone
/// for a panic there, since the interface carries on and reports it.
pub const WORKER_THREAD: &str = "storydiff-worker";

/// A comparison the interface wants: `base` against `other` in `story`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CompareKey {
    pub story: usize,
    pub base: VersionIx,
    pub other: VersionIx,
    pub hide_style: bool,
}

/// Finished engine work.
#[derive(Debug, Clone)]
pub enum Work {
    Compared {
        key: CompareKey,
        comparison: Arc<Comparison>,
    },
    Aligned {
        story: usize,
        base: VersionIx,
        alignment: Arc<Alignment>,
    },
}

/// Everything the interface reacts to.
#[derive(Debug, Clone)]
pub enum Event {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// What the loader is doing now.
    Progress(String),
    Loaded {
        generation: u64,
        engine: Arc<Engine>,
    },
    LoadFailed {
        generation: u64,
        message: String,
    },
    WorkDone {
        generation: u64,
        work: Work,
    },
    WorkFailed {
        generation: u64,
        message: String,
    },
    /// The result of writing the state file.
    StateSaved(Result<(), String>),
    /// The result of writing an export: the path written.
    Exported(Result<PathBuf, ExportFailure>),
    /// Files under the given paths changed on disk.
    FilesChanged(Vec<PathBuf>),
    /// The engine brought those changes in (see [`watching`]).
    Refreshed(Box<Refreshed>),
    /// Something about watching the files the user should know.
    WatchNotice(String),
    /// SIGTERM, SIGHUP or SIGINT: leave cleanly.
    Terminate,
    Tick,
}

/// What the interface asks its runner to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Quit,
    /// (Re)load the corpus; results carry `generation`.
    Load {
        generation: u64,
    },
    Compare {
        generation: u64,
        key: CompareKey,
    },
    Align {
        generation: u64,
        story: usize,
        base: VersionIx,
    },
    /// Write the canonical marks to the state folder.
    SaveState,
    /// Look at changed paths again and bring what differs in.
    Refresh {
        generation: u64,
        paths: Vec<PathBuf>,
        focus: Option<Focus>,
    },
    /// Write an export (on the worker thread).
    Export(ExportOrder),
}

/// A job for the worker thread.
pub enum Job {
    Load {
        generation: u64,
        paths: Vec<PathBuf>,
        // Boxed: the settings are far larger than the other jobs.
        settings: Box<Settings>,
        cache: Option<crate::cache::Cache>,
    },
    Compare {
        generation: u64,
        engine: Arc<Engine>,
        key: CompareKey,
    },
    Align {
        generation: u64,
        engine: Arc<Engine>,
        story: usize,
        base: VersionIx,
    },
    Refresh {
        generation: u64,
        engine: Arc<Engine>,
        roots: Vec<PathBuf>,
        paths: Vec<PathBuf>,
        focus: Option<Focus>,
    },
    Export {
        engine: Arc<Engine>,
        order: ExportOrder,
        /// Paths never written over: those the user gave.
        protected: Vec<PathBuf>,
    },
}

/// Start the engine worker. It runs until the job sender is dropped.
pub fn spawn_worker(events: Sender<Event>) -> std::io::Result<Sender<Job>> {
    let (tx, rx) = std::sync::mpsc::channel::<Job>();
    thread::Builder::new()
        .name(WORKER_THREAD.into())
        .spawn(move || worker(rx, events))?;
    Ok(tx)
}

fn worker(jobs: Receiver<Job>, events: Sender<Event>) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        batch.extend(jobs.try_iter());
        for job in coalesce(batch) {
            let event = run_job(job, &events);
            if events.send(event).is_err() {
                return;
            }
        }
    }
}

/// Drop jobs made stale by later ones: everything before the last load, and
/// every comparison but the last (the user has moved on). Exports are never
/// dropped: the user asked for that file.
fn coalesce(mut batch: Vec<Job>) -> Vec<Job> {
    if let Some(last_load) = batch.iter().rposition(|j| matches!(j, Job::Load { .. })) {
        let exports: Vec<Job> = batch
            .drain(..last_load)
            .filter(|j| matches!(j, Job::Export { .. }))
            .collect();
        batch.splice(0..0, exports);
    }
    let last_compare = batch.iter().rposition(|j| matches!(j, Job::Compare { .. }));
    batch
        .into_iter()
        .enumerate()
        .filter(|(i, j)| !matches!(j, Job::Compare { .. }) || Some(*i) == last_compare)
        .map(|(_, j)| j)
        .collect()
}

/// The threads keeping models for the next session, with the flag that
/// stops them: [`stop_keeping`] ends them when the interface ends.
static KEEPING: Mutex<Vec<(Arc<AtomicBool>, std::thread::JoinHandle<()>)>> = Mutex::new(Vec::new());

/// Set once the interface ends: a load finishing after that keeps nothing.
static CLOSING: AtomicBool = AtomicBool::new(false);

/// Keep a loaded model for the next session on a thread of its own, so
/// that the worker is free for the user's next request. A model that
/// cannot be kept is only read in full next time: nothing is reported.
fn keep_in_background(
    cache: crate::cache::Cache,
    paths: Vec<PathBuf>,
    engine: &Arc<Engine>,
    held: crate::cache::Held,
) {
    let mut keeping = lock(&KEEPING);
    if CLOSING.load(Ordering::Relaxed) {
        return;
    }
    let engine = Arc::clone(engine);
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let thread = std::thread::Builder::new()
        .name("storydiff-cache".into())
        .spawn(move || {
            let keep = || cache.keep_unless(&paths, &engine, &held, &flag);
            let _ = catch_unwind(AssertUnwindSafe(keep));
        });
    if let Ok(thread) = thread {
        keeping.retain(|(_, t)| !t.is_finished());
        keeping.push((stop, thread));
    }
}

/// Stop the threads keeping models and wait for them: a write they were
/// making is abandoned, and the store is left as it was before it.
pub(crate) fn stop_keeping() {
    let keeping = {
        let mut keeping = lock(&KEEPING);
        CLOSING.store(true, Ordering::Relaxed);
        std::mem::take(&mut *keeping)
    };
    for (stop, _) in &keeping {
        stop.store(true, Ordering::Relaxed);
    }
    for (_, thread) in keeping {
        let _ = thread.join();
    }
}

pub(crate) fn run_job(job: Job, events: &Sender<Event>) -> Event {
    match job {
        Job::Load {
            generation,
            paths,
            settings,
            cache,
        } => {
            let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            let _ = events.send(Event::Progress(format!("reading {}", shown.join(", "))));
            let grouping = |corpus: &crate::model::Corpus| {
                let _ = events.send(Event::Progress(format!(
                    "grouping {} articles from {} files into stories",
                    corpus.articles.len(),
                    corpus.files.len()
                )));
            };
            let loaded = catch_unwind(AssertUnwindSafe(|| match &cache {
                Some(cache) => {
                    let opened = cache.open_telling(&paths, *settings, grouping)?;
                    let keeping = opened.needs_keeping();
                    let engine = Arc::new(opened.engine);
                    if keeping {
                        keep_in_background(cache.clone(), paths.clone(), &engine, opened.held);
                    }
                    Ok(engine)
                }
                None => Engine::open_telling(&paths, *settings, grouping).map(Arc::new),
            }));
            match loaded {
                Ok(Ok(engine)) => Event::Loaded { generation, engine },
                Ok(Err(e)) => Event::LoadFailed {
                    generation,
                    message: e.to_string(),
                },
                Err(p) => Event::LoadFailed {
                    generation,
                    message: format!("internal error while loading: {}", panic_text(&*p)),
                },
            }
        }
        Job::Compare {
            generation,
            engine,
            key,
        } => {
            let diff = engine.diff_options(key.hide_style);
            match catch_unwind(AssertUnwindSafe(|| {
                engine.comparison(key.story, key.base, key.other, &diff)
            })) {
                Ok(comparison) => Event::WorkDone {
                    generation,
                    work: Work::Compared { key, comparison },
                },
                Err(p) => Event::WorkFailed {
                    generation,
                    message: format!("internal error while comparing: {}", panic_text(&*p)),
                },
            }
        }
        Job::Refresh {
            generation,
            engine,
            roots,
            paths,
            focus,
        } => watching::run_refresh(generation, &engine, &roots, &paths, focus.as_ref(), events),
        Job::Align {
            generation,
            engine,
            story,
            base,
        } => match catch_unwind(AssertUnwindSafe(|| engine.alignment(story, base))) {
            Ok(alignment) => Event::WorkDone {
                generation,
                work: Work::Aligned {
                    story,
                    base,
                    alignment,
                },
            },
            Err(p) => Event::WorkFailed {
                generation,
                message: format!("internal error while aligning: {}", panic_text(&*p)),
            },
        },
        Job::Export {
            engine,
            order,
            protected,
        } => {
            let req = ExportRequest {
                format: order.format,
                story: order.story,
                base: order.base,
                versions: order.versions,
                show_furniture: order.show_furniture,
                diff: engine.diff_options(order.hide_style),
            };
            let written = catch_unwind(AssertUnwindSafe(|| {
                crate::export::write(&engine, &req, &order.target, order.force, &protected)
            }));
            Event::Exported(match written {
                Ok(Ok(path)) => Ok(path),
                Ok(Err(ExportError::Exists(path))) => Err(ExportFailure::Exists(path)),
                Ok(Err(e)) => Err(ExportFailure::Failed(e.to_string())),
                Err(p) => Err(ExportFailure::Failed(format!(
                    "internal error while exporting: {}",
                    panic_text(&*p)
                ))),
            })
        }
    }
}

/// Where the panic hook last wrote a crash report, for the worker's message.
pub static LAST_CRASH_REPORT: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

/// The message of a panic payload, and where its crash report is.
pub fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    let msg = panic_message(p);
    match LAST_CRASH_REPORT.lock().ok().and_then(|mut g| g.take()) {
        Some(path) => format!("{msg} (crash report: {})", path.display()),
        None => msg,
    }
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_owned()
    }
}

/// Start the input thread: terminal events until `stop` is set, a tick
/// every quarter second while nothing happens.
pub fn spawn_input(events: Sender<Event>, stop: Arc<AtomicBool>) -> std::io::Result<()> {
    thread::Builder::new()
        .name("storydiff-input".into())
        .spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let ev = match ct::poll(Duration::from_millis(250)) {
                    Ok(true) => match ct::read() {
                        Ok(ct::Event::Key(k)) if k.kind == KeyEventKind::Press => Event::Key(k),
                        Ok(ct::Event::Mouse(m)) => Event::Mouse(m),
                        Ok(ct::Event::Resize(w, h)) => Event::Resize(w, h),
                        Ok(_) => continue,
                        Err(_) => break,
                    },
                    Ok(false) => Event::Tick,
                    Err(_) => break,
                };
                if events.send(ev).is_err() {
                    break;
                }
            }
        })?;
    Ok(())
}

/// Turn SIGTERM, SIGHUP and SIGINT into [`Event::Terminate`].
#[cfg(unix)]
pub fn spawn_signals(events: Sender<Event>) -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    thread::Builder::new()
        .name("storydiff-signals".into())
        .spawn(move || {
            if signals.forever().next().is_some() {
                let _ = events.send(Event::Terminate);
            }
        })?;
    Ok(())
}

#[cfg(not(unix))]
pub fn spawn_signals(_events: Sender<Event>) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(generation: u64) -> Job {
        Job::Load {
            generation,
            paths: vec![],
            settings: Box::default(),
            cache: None,
        }
    }

    #[test]
    fn stale_jobs_are_dropped() {
        let kinds = |b: &[Job]| -> Vec<u64> {
            b.iter()
                .map(|j| match j {
                    Job::Load { generation, .. } => *generation,
                    Job::Compare { .. } | Job::Align { .. } | Job::Refresh { .. } => 99,
                    Job::Export { .. } => 77,
                })
                .collect()
        };
        let batch = coalesce(vec![load(1), load(2)]);
        assert_eq!(kinds(&batch), [2]);
        let export = Job::Export {
            engine: crate::tui::fixtures::engine(),
            order: ExportOrder {
                format: crate::export::Format::Json,
                story: 0,
                base: 0,
                versions: crate::export::Versions::All,
                show_furniture: false,
                hide_style: false,
                target: "x.json".into(),
                force: false,
            },
            protected: vec![],
        };
        let batch = coalesce(vec![load(1), export, load(2)]);
        assert_eq!(kinds(&batch), [77, 2]);
    }
}
