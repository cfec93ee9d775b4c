//! The watcher on a real temp folder, followed by refreshes as the interface
//! and `storydiff watch` do: files created, changed, atomically replaced,
//! written in bursts, renamed, deleted and recreated, a folder renamed, and
//! 2,000 files arriving at once. Waits are generous; nothing asserts a time.

mod watch_support;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use storydiff::engine::{Engine, Settings};
use storydiff::watch::{WatchEvent, WatchOptions, Watcher};
use watch_support::wait_for;

const LIMIT: Duration = Duration::from_secs(60);

/// An engine kept up to date by a watcher, as the interface keeps its own.
struct Follower {
    root: PathBuf,
    engine: Arc<Mutex<Engine>>,
    /// Batches of changed paths received.
    batches: Arc<AtomicUsize>,
    /// How many paths each batch held.
    sizes: Arc<Mutex<Vec<usize>>>,
    notices: Arc<Mutex<Vec<String>>>,
    _watcher: Watcher,
}

impl Follower {
    fn start(root: &Path, opts: WatchOptions) -> Follower {
        let roots = vec![root.to_path_buf()];
        let engine = Arc::new(Mutex::new(
            Engine::open(&roots, Settings::default()).expect("opens"),
        ));
        let (tx, rx) = mpsc::channel::<WatchEvent>();
        let watcher = Watcher::start(&roots, &Default::default(), &opts, move |e| {
            let _ = tx.send(e);
        })
        .expect("watcher starts");
        let batches = Arc::new(AtomicUsize::new(0));
        let notices = Arc::new(Mutex::new(Vec::new()));
        let sizes = Arc::new(Mutex::new(Vec::new()));
        let z = Arc::clone(&sizes);
        let (e, b, n) = (
            Arc::clone(&engine),
            Arc::clone(&batches),
            Arc::clone(&notices),
        );
        std::thread::spawn(move || {
            for ev in rx {
                match ev {
                    WatchEvent::Changed(paths) => {
                        b.fetch_add(1, Ordering::SeqCst);
                        z.lock().expect("sizes").push(paths.len());
                        let mut engine = e.lock().expect("engine lock");
                        if let Some(r) = engine.refresh(&roots, &paths).expect("refresh") {
                            *engine = r.engine;
                        }
                    }
                    WatchEvent::Notice(text) => n.lock().expect("notices").push(text),
                }
            }
        });
        // Let the watches be set up before the test writes.
        std::thread::sleep(Duration::from_millis(300));
        Follower {
            root: root.to_path_buf(),
            engine,
            batches,
            sizes,
            notices,
            _watcher: watcher,
        }
    }

    /// The files and stories the engine holds now.
    fn model(&self) -> Model {
        model(&self.engine.lock().expect("engine lock"))
    }

    /// Whether the engine now holds what a fresh load of the folder gives.
    fn caught_up(&self) -> bool {
        let fresh = Engine::open(std::slice::from_ref(&self.root), Settings::default());
        match fresh {
            Ok(f) => self.model() == model(&f),
            Err(_) => self.model().files.is_empty(),
        }
    }

    fn wait_caught_up(&self, what: &str) {
        assert!(
            wait_for(LIMIT, || self.caught_up()),
            "the engine caught up after {what}: {:?}",
            self.model().files
        );
    }
}

#[derive(Debug, PartialEq, Eq)]
struct Model {
    files: BTreeSet<PathBuf>,
    stories: BTreeSet<BTreeSet<(PathBuf, usize)>>,
    texts: BTreeSet<u64>,
}

fn model(engine: &Engine) -> Model {
    let c = engine.corpus();
    Model {
        files: c.files.iter().map(|f| f.path.clone()).collect(),
        stories: engine
            .stories()
            .iter()
            .map(|s| {
                s.versions
                    .iter()
                    .map(|&a| (c.file_of(a).path.clone(), c.articles[a].index_in_file))
                    .collect()
            })
            .collect(),
        texts: c.files.iter().map(|f| f.hash).collect(),
    }
}

fn opts() -> WatchOptions {
    WatchOptions {
        debounce: Duration::from_millis(100),
        ..WatchOptions::default()
    }
}

fn seeded(dir: &Path, stories: u64) -> Vec<PathBuf> {
    watch_support::write_corpus(dir, stories, 3, 2)
}

fn life_of_files(opts: WatchOptions) {
    let dir = tempfile::tempdir().expect("temp dir");
    let paths = seeded(dir.path(), 6);
    let f = Follower::start(dir.path(), opts);

    // Created.
    let new = dir.path().join("f00/new_story.txt");
    fs::write(&new, watch_support::version_text(77, 0, 10)).expect("write");
    f.wait_caught_up("a file was created");
    assert!(f.model().files.contains(&new));

    // Changed in place.
    fs::write(&paths[0], watch_support::version_text(0, 9, 12)).expect("write");
    f.wait_caught_up("a file was changed");

    // Atomically replaced: written under a temporary name, renamed over.
    let tmp = dir.path().join("f00/.s00000_v1.txt.tmp");
    fs::write(&tmp, watch_support::version_text(0, 8, 12)).expect("write");
    fs::rename(&tmp, &paths[1]).expect("rename over");
    f.wait_caught_up("a file was atomically replaced");

    // Written in several bursts.
    {
        use std::io::Write;
        let mut w = fs::File::create(&paths[2]).expect("create");
        let text = watch_support::version_text(0, 7, 12);
        let (a, b) = text.split_at(text.len() / 2);
        w.write_all(a.as_bytes()).expect("write");
        w.flush().expect("flush");
        std::thread::sleep(Duration::from_millis(30));
        w.write_all(b.as_bytes()).expect("write");
    }
    f.wait_caught_up("a file was written in two bursts");

    // Renamed (moved to another folder).
    let moved = dir.path().join("f01/renamed.txt");
    fs::rename(&paths[3], &moved).expect("rename");
    f.wait_caught_up("a file was renamed");
    assert!(f.model().files.contains(&moved));

    // Deleted, then recreated.
    fs::remove_file(&paths[4]).expect("delete");
    f.wait_caught_up("a file was deleted");
    assert!(!f.model().files.contains(&paths[4]));
    fs::write(&paths[4], watch_support::version_text(1, 1, 12)).expect("recreate");
    f.wait_caught_up("a file was recreated");
    assert!(f.model().files.contains(&paths[4]));

    // A folder renamed.
    let renamed = dir.path().join("g01");
    fs::rename(dir.path().join("f01"), &renamed).expect("rename folder");
    f.wait_caught_up("a folder was renamed");
    assert!(f.model().files.iter().any(|p| p.starts_with(&renamed)));

    // Editors' junk is never read.
    fs::write(dir.path().join("f00/.s00000_v0.txt.swp"), "swap").expect("write");
    fs::write(dir.path().join("f00/s00000_v0.txt~"), "backup").expect("write");
    std::thread::sleep(Duration::from_millis(500));
    assert!(f.caught_up());
    assert!(f.notices.lock().expect("notices").is_empty() || opts.poll.is_some());
}

#[test]
fn files_created_changed_replaced_renamed_and_deleted() {
    life_of_files(opts());
}

#[test]
fn polling_sees_the_same_changes() {
    life_of_files(WatchOptions {
        poll: Some(Duration::from_millis(100)),
        ..opts()
    });
}

/// notify's poller keeps whole seconds of modification time: a rewrite that
/// leaves the time as it was is seen by comparing contents.
#[test]
fn polling_sees_a_rewrite_that_keeps_the_modification_time() {
    let dir = tempfile::tempdir().expect("temp dir");
    let paths = seeded(dir.path(), 2);
    let f = Follower::start(
        dir.path(),
        WatchOptions {
            poll: Some(Duration::from_millis(100)),
            ..opts()
        },
    );
    let when = fs::metadata(&paths[0])
        .and_then(|m| m.modified())
        .expect("mtime");
    fs::write(&paths[0], watch_support::version_text(0, 5, 14)).expect("write");
    fs::File::options()
        .write(true)
        .open(&paths[0])
        .and_then(|file| file.set_modified(when))
        .expect("set mtime back");
    f.wait_caught_up("a rewrite that kept its modification time");
}

#[test]
fn a_burst_of_two_thousand_files_ends_in_one_consistent_state() {
    let dir = tempfile::tempdir().expect("temp dir");
    seeded(dir.path(), 4);
    let f = Follower::start(dir.path(), opts());
    let before = f.model().files.len();
    // Made first, so the files land on disk as fast as a scraper's would.
    let texts: Vec<String> = (0..2000u64)
        .map(|i| watch_support::version_text(1000 + i / 4, i % 4, 6))
        .collect();
    let burst = dir.path().join("burst");
    fs::create_dir(&burst).expect("mkdir");
    let t = std::time::Instant::now();
    for (i, text) in texts.iter().enumerate() {
        fs::write(burst.join(format!("b{i:04}.txt")), text).expect("write");
    }
    println!("writing took {:?}", t.elapsed());
    assert!(
        wait_for(LIMIT * 2, || f.model().files.len() == before + 2000),
        "every file counted: {} of {}",
        f.model().files.len(),
        before + 2000
    );
    f.wait_caught_up("2,000 files were added");
    let batches = f.batches.load(Ordering::SeqCst);
    println!(
        "2,000 files arrived in {batches} batch(es) of {:?} paths",
        f.sizes.lock().expect("sizes")
    );
    assert!(
        batches < 200,
        "coalesced, not one refresh a file: {batches}"
    );
}

#[test]
fn a_root_given_as_a_file_is_watched_through_its_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("one.txt");
    fs::write(&file, watch_support::version_text(5, 0, 8)).expect("write");
    let sibling = dir.path().join("sibling.txt");
    let (tx, rx) = mpsc::channel();
    let _w = Watcher::start(
        std::slice::from_ref(&file),
        &Default::default(),
        &opts(),
        move |e| {
            let _ = tx.send(e);
        },
    )
    .expect("starts");
    std::thread::sleep(Duration::from_millis(300));
    fs::write(&sibling, "not watched").expect("write");
    let tmp = dir.path().join("one.txt.tmp");
    fs::write(&tmp, watch_support::version_text(5, 1, 8)).expect("write");
    fs::rename(&tmp, &file).expect("atomic save");
    let got = rx.recv_timeout(LIMIT).expect("an event");
    assert_eq!(got, WatchEvent::Changed(vec![file.clone()]));
}
