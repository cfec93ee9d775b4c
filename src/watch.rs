//! Watching the paths the user gave, and telling when files under them change.
//!
//! In: the roots (files or folders, as given on the command line), the load
//! options (which files are read at all) and [`WatchOptions`]. Out:
//! [`WatchEvent`]s handed to a callback: batches of changed paths once the
//! writing has settled, named as reached from the roots (so they compare
//! with the engine's file paths), and notices about watching itself.
//!
//! Folders are watched, never single files: a root that is a file is watched
//! through its folder, so an editor's atomic save (write a temporary file,
//! rename it over the old one) is seen. Events are only a cue for the engine
//! to look again ([`crate::engine::Engine::refresh`] compares size, time and
//! content hash): editors' swap, backup and temporary files, hidden and
//! skipped folders and files the load would not read are dropped here, and
//! a lost-events notice from the system turns into a look at every root.
//!
//! Batches: `notify-debouncer-full` holds each path's events until it has
//! been quiet for the debounce time; this module then waits until no path
//! has come in for a while (a scraper writing thousands of files makes one
//! batch), and holds back files whose size or time still moves between two
//! looks a moment apart (a file written in several bursts is read once).
//!
//! When the system cannot watch (the inotify watch or instance limit is
//! reached, a network filesystem that sends no events), the root is polled
//! with notify's `PollWatcher` instead and a notice says so once; `--poll`
//! polls everything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant, SystemTime};

use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer, new_debouncer_opt,
};

use crate::config::WatchConfig;
use crate::corpus::{LoadOptions, load};
use crate::engine::{Settings, StoryChange, VersionNote};

/// How often files are looked at when polling and no interval is given.
pub const DEFAULT_POLL: Duration = Duration::from_secs(2);
/// The shortest debounce time used: zero would spin the debouncer.
const MIN_DEBOUNCE: Duration = Duration::from_millis(10);
/// Up to this many waiting paths are a save, not a burst.
const FEW: usize = 4;
/// Between the two looks at a file's size and time before it is reported.
const SETTLE: Duration = Duration::from_millis(30);

/// How to watch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchOptions {
    /// Watch at all (`--no-watch` turns it off).
    pub enabled: bool,
    /// Quiet time a path must have before its change is reported.
    pub debounce: Duration,
    /// Poll at this interval instead of asking the system for change notices.
    pub poll: Option<Duration>,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            enabled: true,
            debounce: Duration::from_millis(100),
            poll: None,
        }
    }
}

impl WatchOptions {
    /// The options the config's `[watch]` section sets.
    pub fn from_config(c: &WatchConfig) -> WatchOptions {
        WatchOptions {
            enabled: c.enabled,
            debounce: c.debounce(),
            poll: c.poll_interval(),
        }
    }
}

/// What the watcher reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchEvent {
    /// These files or folders (as reached from the roots) may have changed.
    Changed(Vec<PathBuf>),
    /// Something about watching itself the user should know, said once.
    Notice(String),
}

/// Why watching could not start at all.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("cannot watch for changes: {0}")]
    Unavailable(String),
}

/// A root as given, and the forms event paths come in.
#[derive(Debug, Clone)]
struct Root {
    given: PathBuf,
    absolute: PathBuf,
    canonical: Option<PathBuf>,
    /// The root names a file: only events for it count.
    file: bool,
}

impl Root {
    fn new(given: &Path) -> Root {
        let absolute = std::path::absolute(given).unwrap_or_else(|_| given.to_path_buf());
        Root {
            given: given.to_path_buf(),
            canonical: std::fs::canonicalize(given).ok(),
            file: std::fs::metadata(given).is_ok_and(|m| m.is_file()),
            absolute,
        }
    }

    /// The folder to watch and how.
    fn target(&self) -> (PathBuf, RecursiveMode) {
        if self.file {
            let parent = self
                .absolute
                .parent()
                .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
            (parent, RecursiveMode::NonRecursive)
        } else {
            (self.absolute.clone(), RecursiveMode::Recursive)
        }
    }

    /// `path` (as an event names it) as reached from this root.
    fn reach(&self, path: &Path, opts: &LoadOptions) -> Option<PathBuf> {
        if self.file {
            let same = path == self.absolute || Some(path) == self.canonical.as_deref();
            return same.then(|| self.given.clone());
        }
        let rest = path
            .strip_prefix(&self.absolute)
            .ok()
            .or_else(|| path.strip_prefix(self.canonical.as_deref()?).ok())?;
        if rest
            .components()
            .any(|c| skipped_name(&c.as_os_str().to_string_lossy(), opts))
        {
            return None;
        }
        if let Some(name) = rest.file_name()
            && junk(&name.to_string_lossy())
        {
            return None;
        }
        // A file the load would not read is of no interest; a path that is
        // gone and has no extension may have been a folder.
        let is_dir = std::fs::metadata(path).is_ok_and(|m| m.is_dir());
        if !is_dir && !load::wanted(path, opts) && path.extension().is_some() {
            return None;
        }
        Some(self.given.join(rest))
    }
}

/// A folder the load never enters, or a hidden name.
fn skipped_name(name: &str, opts: &LoadOptions) -> bool {
    (name.starts_with('.') && name != "." && name != "..")
        || opts.skip_dirs.iter().any(|d| d == name)
}

/// Editors' swap, backup, lock and temporary files, and downloads in progress.
pub fn junk(name: &str) -> bool {
    const SUFFIXES: [&str; 10] = [
        "~",
        ".swp",
        ".swo",
        ".swx",
        ".swpx",
        ".tmp",
        ".temp",
        ".part",
        ".crdownload",
        ".bak",
    ];
    let lower = name.to_lowercase();
    // Hidden names cover Emacs's `.#name` lock files and Vim's `.name.swp`.
    name.starts_with('.')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || SUFFIXES.iter().any(|s| lower.ends_with(s))
        || lower.contains(".tmp.")
}

/// Whether an event can mean the file's content changed. Opening, reading
/// and access-time updates cannot: reacting to them would make the
/// refresh's own reads trigger another refresh.
fn may_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

enum Backend {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

/// Watches the roots until dropped.
pub struct Watcher {
    backends: Vec<Backend>,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kinds: Vec<&str> = self
            .backends
            .iter()
            .map(|b| match b {
                Backend::Native(_) => "native",
                Backend::Poll(_) => "poll",
            })
            .collect();
        f.debug_struct("Watcher").field("backends", &kinds).finish()
    }
}

impl Watcher {
    /// Start watching `roots`; every [`WatchEvent`] goes to `sink`, called on
    /// the watcher's own thread. Fails only when no root can be watched at all.
    pub fn start(
        roots: &[PathBuf],
        load: &LoadOptions,
        opts: &WatchOptions,
        mut sink: impl FnMut(WatchEvent) + Send + 'static,
    ) -> Result<Watcher, WatchError> {
        let debounce = opts.debounce.max(MIN_DEBOUNCE);
        let interval = opts.poll.unwrap_or(DEFAULT_POLL);
        let every = seconds(interval);
        let roots: Vec<Root> = roots.iter().map(|r| Root::new(r)).collect();
        let (tx, rx) = mpsc::channel::<DebounceEventResult>();
        let mut notices: Vec<String> = Vec::new();
        let mut native: Option<Debouncer<RecommendedWatcher, RecommendedCache>> = None;
        let mut native_failed = false;
        let mut to_poll: Vec<(PathBuf, RecursiveMode)> = Vec::new();
        let mut targets: BTreeSet<PathBuf> = BTreeSet::new();
        for root in &roots {
            let (target, mode) = root.target();
            if !targets.insert(target.clone()) {
                continue;
            }
            if !target.exists() {
                notices.push(format!(
                    "{} is not there, so it is not watched",
                    root.given.display()
                ));
                continue;
            }
            if opts.poll.is_some() || native_failed {
                to_poll.push((target, mode));
                continue;
            }
            if let Some(fs) = network_fs(&target) {
                notices.push(format!(
                    "{} is on a network filesystem ({fs}) that may not report changes; storydiff looks at it every {every} instead",
                    root.given.display()
                ));
                to_poll.push((target, mode));
                continue;
            }
            if native.is_none() {
                match new_debouncer(debounce, None, tx.clone()) {
                    Ok(d) => native = Some(d),
                    Err(e) => {
                        notices.push(format!(
                            "{}; storydiff looks every {every} instead",
                            start_problem(&e)
                        ));
                        native_failed = true;
                        to_poll.push((target, mode));
                        continue;
                    }
                }
            }
            if let Some(d) = native.as_mut()
                && let Err(e) = d.watch(&target, mode)
            {
                // A recursive watch that hit the limit half way holds the
                // watches it got; give them back before polling instead.
                let _ = d.unwatch(&target);
                notices.push(format!(
                    "{}: {}; storydiff looks at it every {every} instead",
                    root.given.display(),
                    watch_problem(&e)
                ));
                to_poll.push((target, mode));
            }
        }
        let mut backends: Vec<Backend> = native.into_iter().map(Backend::Native).collect();
        if !to_poll.is_empty() {
            // notify's poller keeps modification times in whole seconds, so
            // a file rewritten within the second it was last looked at would
            // go unseen; comparing contents catches it (notify-rs/notify#981).
            let config = notify::Config::default()
                .with_poll_interval(interval)
                .with_compare_contents(true);
            match new_debouncer_opt::<_, PollWatcher, NoCache>(
                debounce,
                None,
                tx.clone(),
                NoCache,
                config,
            ) {
                Ok(mut d) => {
                    for (target, mode) in &to_poll {
                        if let Err(e) = d.watch(target, *mode) {
                            notices.push(format!("{}: cannot be watched: {e}", target.display()));
                        }
                    }
                    backends.push(Backend::Poll(d));
                }
                Err(e) => notices.push(format!("cannot poll for changes: {e}")),
            }
        }
        drop(tx);
        if backends.is_empty() {
            return Err(WatchError::Unavailable(if notices.is_empty() {
                "nothing to watch".to_owned()
            } else {
                notices.join("; ")
            }));
        }
        let mut said = BTreeSet::new();
        for n in notices {
            if said.insert(n.clone()) {
                sink(WatchEvent::Notice(n));
            }
        }
        let collector = Collector {
            roots,
            load: load.clone(),
            // The debouncer sends every quarter debounce while paths come in;
            // a gap of one and a half of those ends a small batch, a whole
            // debounce time a burst.
            quiet: (debounce * 3 / 8).max(Duration::from_millis(30)),
            burst_quiet: debounce.max(Duration::from_millis(50)),
            patience: (debounce * 10).max(Duration::from_secs(2)),
            said,
        };
        std::thread::Builder::new()
            .name("storydiff-watch".into())
            .spawn(move || collector.run(rx, &mut sink))
            .map_err(|e| WatchError::Unavailable(e.to_string()))?;
        Ok(Watcher { backends })
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        // Stopping the debouncers closes the channel, which ends the collector.
        for b in self.backends.drain(..) {
            match b {
                Backend::Native(d) => d.stop_nonblocking(),
                Backend::Poll(d) => d.stop_nonblocking(),
            }
        }
    }
}

fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1.0 {
        format!("{} ms", d.as_millis())
    } else if (s - s.round()).abs() < 0.05 {
        format!("{} s", s.round())
    } else {
        format!("{s:.1} s")
    }
}

const LIMIT_HINT: &str = "the system's limit on watched folders is reached (raise fs.inotify.max_user_watches, e.g. `sudo sysctl fs.inotify.max_user_watches=524288`)";

/// Why adding a watch failed, in the user's words.
fn watch_problem(e: &notify::Error) -> String {
    match &e.kind {
        notify::ErrorKind::MaxFilesWatch => LIMIT_HINT.to_owned(),
        notify::ErrorKind::Io(io) if io.raw_os_error() == Some(28) => LIMIT_HINT.to_owned(),
        _ => format!("cannot be watched ({e})"),
    }
}

/// Why the system watcher could not start, in the user's words.
fn start_problem(e: &notify::Error) -> String {
    match &e.kind {
        // EMFILE from inotify_init: too many inotify instances for this user.
        notify::ErrorKind::Io(io) if io.raw_os_error() == Some(24) => {
            "the system's limit on programs watching files is reached (raise fs.inotify.max_user_instances; fs.inotify.max_user_watches may be low too)".to_owned()
        }
        notify::ErrorKind::MaxFilesWatch => LIMIT_HINT.to_owned(),
        _ => format!("the system cannot report file changes ({e})"),
    }
}

/// Gathers debounced events into settled batches.
struct Collector {
    roots: Vec<Root>,
    load: LoadOptions,
    /// No new path for this long ends a batch.
    quiet: Duration,
    /// The same once more than [`FEW`] paths wait: a program writing many
    /// files gets one refresh, not one per pause of the scheduler.
    burst_quiet: Duration,
    /// A batch is sent after this long even while paths keep coming.
    patience: Duration,
    /// Notices already given.
    said: BTreeSet<String>,
}

type Stamp = Option<(u64, Option<SystemTime>)>;

fn stamp(path: &Path) -> Stamp {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()))
}

impl Collector {
    fn run(mut self, rx: Receiver<DebounceEventResult>, sink: &mut dyn FnMut(WatchEvent)) {
        let mut pending: BTreeSet<PathBuf> = BTreeSet::new();
        let mut rescan = false;
        let mut since: Option<Instant> = None;
        loop {
            let waiting = rescan || !pending.is_empty();
            let got = if waiting {
                rx.recv_timeout(if pending.len() > FEW {
                    self.burst_quiet
                } else {
                    self.quiet
                })
            } else {
                rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
            };
            match got {
                Ok(Ok(events)) => {
                    for ev in events {
                        if ev.need_rescan() {
                            rescan = true;
                        }
                        if !may_change(&ev.kind) {
                            continue;
                        }
                        for p in &ev.paths {
                            if let Some(q) = self.reach(p) {
                                pending.insert(q);
                            }
                        }
                    }
                    if (rescan || !pending.is_empty()) && since.is_none() {
                        since = Some(Instant::now());
                    }
                    let overdue = since.is_some_and(|s| s.elapsed() >= self.patience);
                    if !overdue {
                        continue;
                    }
                }
                Ok(Err(errors)) => {
                    for e in errors {
                        let text = match &e.kind {
                            notify::ErrorKind::MaxFilesWatch => format!(
                                "{LIMIT_HINT}: new folders are not watched; press r to reload by hand"
                            ),
                            _ => format!("watching for changes: {e}"),
                        };
                        self.say(sink, text);
                    }
                    continue;
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
            if rescan {
                rescan = false;
                pending.clear();
                since = None;
                sink(WatchEvent::Changed(
                    self.roots.iter().map(|r| r.given.clone()).collect(),
                ));
                continue;
            }
            let ready = settled(&mut pending);
            // What is held back starts a new wait of its own.
            since = (!pending.is_empty()).then(Instant::now);
            if !ready.is_empty() {
                sink(WatchEvent::Changed(ready));
            }
        }
    }

    fn reach(&self, path: &Path) -> Option<PathBuf> {
        self.roots.iter().find_map(|r| r.reach(path, &self.load))
    }

    fn say(&mut self, sink: &mut dyn FnMut(WatchEvent), text: String) {
        if self.said.insert(text.clone()) {
            sink(WatchEvent::Notice(text));
        }
    }
}

/// Take the paths whose size and time hold still over a short wait; those
/// still being written stay pending.
fn settled(pending: &mut BTreeSet<PathBuf>) -> Vec<PathBuf> {
    let first: BTreeMap<PathBuf, Stamp> = pending.iter().map(|p| (p.clone(), stamp(p))).collect();
    std::thread::sleep(SETTLE);
    let mut ready = Vec::new();
    for (p, before) in first {
        if stamp(&p) == before {
            pending.remove(&p);
            ready.push(p);
        }
    }
    ready
}

/// The filesystem type of the mount holding `path`, when it is one known not
/// to deliver change notices (network and some virtual-machine filesystems).
fn network_fs(path: &Path) -> Option<String> {
    let canonical = std::fs::canonicalize(path).ok()?;
    let mounts = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    let fs = mount_type(&mounts, &canonical)?;
    remote(&fs).then_some(fs)
}

/// Filesystems whose changes made elsewhere never reach inotify.
fn remote(fs: &str) -> bool {
    const REMOTE: [&str; 16] = [
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "9p",
        "ceph",
        "glusterfs",
        "lustre",
        "davfs",
        "vboxsf",
        "fuse.sshfs",
        "fuse.rclone",
        "fuse.vmhgfs-fuse",
    ];
    REMOTE.contains(&fs) || fs.starts_with("fuse.s3") || fs.starts_with("fuse.gcsfuse")
}

/// From the text of `/proc/self/mountinfo`, the type of the innermost mount
/// holding `path`.
fn mount_type(mountinfo: &str, path: &Path) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    for line in mountinfo.lines() {
        let Some((left, right)) = line.split_once(" - ") else {
            continue;
        };
        let (Some(point), Some(fs)) = (left.split(' ').nth(4), right.split(' ').next()) else {
            continue;
        };
        let point = PathBuf::from(unescape_octal(point));
        if path.starts_with(&point) {
            let depth = point.components().count();
            if best.as_ref().is_none_or(|(d, _)| depth >= *d) {
                best = Some((depth, fs.to_owned()));
            }
        }
    }
    best.map(|(_, fs)| fs)
}

/// mountinfo writes space, tab, newline and backslash as `\ooo`.
fn unescape_octal(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let code = bytes
            .get(i + 1..i + 4)
            .filter(|d| bytes[i] == b'\\' && d.iter().all(|b| (b'0'..=b'7').contains(b)))
            .and_then(|d| {
                let v = d.iter().fold(0u32, |v, b| v * 8 + u32::from(b - b'0'));
                u8::try_from(v).ok()
            });
        if let Some(v) = code {
            out.push(v);
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One line of `storydiff watch --json`; keys documented in `docs/cli.md`.
#[derive(serde::Serialize)]
struct ChangeLine<'a> {
    change: &'static str,
    story: &'a str,
    previous: Option<&'a str>,
    title: &'a str,
    versions: usize,
    gained: Vec<VersionLine<'a>>,
    lost: Vec<VersionLine<'a>>,
    changed: Vec<VersionLine<'a>>,
    moved: Vec<VersionLine<'a>>,
    message: String,
}

#[derive(serde::Serialize)]
struct VersionLine<'a> {
    id: &'a str,
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    still_present: Option<bool>,
}

fn version_lines(notes: &[VersionNote], lost: bool) -> Vec<VersionLine<'_>> {
    notes
        .iter()
        .map(|n| VersionLine {
            id: &n.id,
            file: n.file.to_string_lossy().into_owned(),
            previous_file: n
                .previous_file
                .as_ref()
                .map(|p| p.to_string_lossy().into_owned()),
            still_present: lost.then_some(n.elsewhere),
        })
        .collect()
}

/// The line `storydiff watch` prints for one story's change.
pub fn change_line(c: &StoryChange, json: bool) -> String {
    if !json {
        return crate::sanitize::for_terminal(&c.sentence()).into_owned();
    }
    let line = ChangeLine {
        change: c.kind.name(),
        story: &c.story,
        previous: c.previous.as_deref(),
        title: &c.title,
        versions: c.versions,
        gained: version_lines(&c.gained, false),
        lost: version_lines(&c.lost, true),
        changed: version_lines(&c.changed, false),
        moved: version_lines(&c.moved, false),
        message: c.sentence(),
    };
    serde_json::to_string(&line).unwrap_or_default()
}

/// `storydiff watch [PATH]... [--json]`: load the paths, then print one line
/// per change of the story model until interrupted (or until stdout closes).
/// Notices and file warnings go to stderr.
pub fn run_cli(
    paths: &[PathBuf],
    settings: Settings,
    opts: &WatchOptions,
    json: bool,
    cache: Option<&crate::cache::Cache>,
) -> anyhow::Result<()> {
    use anyhow::Context;
    use std::io::Write;

    let roots = crate::sample::or_sample(paths).context("cannot prepare the sample corpus")?;
    let loaded = crate::cli::open(&roots, settings, cache)?;
    let (tx, rx) = mpsc::channel();
    let _watcher = Watcher::start(&roots, &loaded.engine.settings().load, opts, move |e| {
        let _ = tx.send(e);
    })?;
    // The first model is let go once a refresh replaces it.
    let mut engine = loaded.finish();
    let shown: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
    eprintln!(
        "{}",
        crate::sanitize::for_terminal(&format!(
            "watching {} files ({} stories) under {}; Ctrl-C stops",
            engine.corpus().files.len(),
            engine.stories().len(),
            shown.join(", ")
        ))
    );
    let mut out = std::io::stdout().lock();
    for event in rx {
        match event {
            WatchEvent::Notice(n) => eprintln!("note: {}", crate::sanitize::for_terminal(&n)),
            WatchEvent::Changed(changed) => match engine.refresh(&roots, &changed) {
                Ok(None) => {}
                Ok(Some(r)) => {
                    for w in &r.change.warnings {
                        eprintln!("warning: {}", crate::sanitize::for_terminal(&w.to_string()));
                    }
                    let mut lines = String::new();
                    for c in &r.change.stories {
                        lines.push_str(&change_line(c, json));
                        lines.push('\n');
                    }
                    match out.write_all(lines.as_bytes()).and_then(|()| out.flush()) {
                        Ok(()) => {}
                        // The reader went away: nothing left to do.
                        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
                        Err(e) => return Err(e).context("cannot write to stdout"),
                    }
                    engine = Arc::new(r.engine);
                }
                Err(e) => eprintln!("warning: {}", crate::sanitize::for_terminal(&e.to_string())),
            },
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_are_junk() {
        for name in [
            ".000.txt.swp",
            "000.txt~",
            ".#000.txt",
            "#000.txt#",
            "000.txt.tmp",
            "4913",
            "x.txt.part",
            "x.tmp.txt",
        ] {
            assert!(junk(name), "{name}");
        }
        for name in ["000.txt", "notes.md", "temperature.txt"] {
            assert!(!junk(name), "{name}");
        }
    }

    #[test]
    fn events_that_cannot_change_content_are_dropped() {
        use notify::event::{CreateKind, RemoveKind, RenameMode};
        assert!(!may_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!may_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(may_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(may_change(&EventKind::Create(CreateKind::File)));
        assert!(may_change(&EventKind::Remove(RemoveKind::Any)));
        assert!(may_change(&EventKind::Modify(ModifyKind::Name(
            RenameMode::Both
        ))));
        assert!(!may_change(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime
        ))));
    }

    #[test]
    fn the_innermost_mount_names_the_filesystem() {
        let info = "\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
40 22 0:35 / /mnt/news rw,relatime shared:20 - nfs4 server:/news rw,vers=4.2
41 40 0:36 / /mnt/news/local\\040copy rw - ext4 /dev/sdb1 rw
";
        let at = |p: &str| mount_type(info, Path::new(p));
        assert_eq!(at("/home/a/corpus").as_deref(), Some("ext4"));
        assert_eq!(at("/mnt/news/2024").as_deref(), Some("nfs4"));
        assert_eq!(at("/mnt/news/local copy/x").as_deref(), Some("ext4"));
        assert!(remote("nfs4") && remote("fuse.sshfs") && !remote("ext4"));
    }

    #[test]
    fn limit_messages_name_the_setting() {
        let e = notify::Error::new(notify::ErrorKind::MaxFilesWatch);
        assert!(watch_problem(&e).contains("fs.inotify.max_user_watches"));
        let e = notify::Error::io(std::io::Error::from_raw_os_error(24));
        assert!(start_problem(&e).contains("fs.inotify.max_user_instances"));
    }

    #[test]
    fn paths_are_given_as_reached_from_the_root() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
        let root = Root::new(dir.path());
        let opts = LoadOptions::default();
        let abs = std::fs::canonicalize(dir.path()).expect("canonical");
        assert_eq!(
            root.reach(&abs.join("sub/a.txt"), &opts),
            Some(dir.path().join("sub/a.txt"))
        );
        assert_eq!(
            root.reach(&abs.join("sub"), &opts),
            Some(dir.path().join("sub"))
        );
        assert_eq!(
            root.reach(&abs.join("gone-folder"), &opts),
            Some(dir.path().join("gone-folder"))
        );
        assert_eq!(root.reach(&abs.join("a.png"), &opts), None);
        assert_eq!(root.reach(&abs.join(".git/x.txt"), &opts), None);
        assert_eq!(root.reach(&abs.join("node_modules/x.txt"), &opts), None);
        assert_eq!(root.reach(&abs.join("a.txt.swp"), &opts), None);
        assert_eq!(root.reach(Path::new("/elsewhere/a.txt"), &opts), None);
    }
}
