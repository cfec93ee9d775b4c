//! How long bringing in one saved change takes on a 10,000-file corpus.
//! Prints timings; asserts only that the result is right. Run with
//! `cargo test --release --test watch_speed -- --ignored --nocapture --test-threads 1`.

mod watch_support;

use std::fs;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use storydiff::engine::{Engine, Settings};
use storydiff::watch::{WatchEvent, WatchOptions, Watcher};

const STORIES: u64 = 2500;
const VERSIONS: u64 = 4;

fn big_corpus() -> (tempfile::TempDir, Vec<PathBuf>, Engine) {
    let dir = tempfile::tempdir().expect("temp dir");
    let paths = watch_support::write_corpus(dir.path(), STORIES, VERSIONS, 20);
    let t = Instant::now();
    let engine = Engine::open(&[dir.path().to_path_buf()], Settings::default()).expect("opens");
    println!(
        "full load of {} files, {} articles, {} stories: {:?}",
        engine.corpus().files.len(),
        engine.corpus().articles.len(),
        engine.stories().len(),
        t.elapsed()
    );
    (dir, paths, engine)
}

#[test]
#[ignore]
fn one_saved_file_on_ten_thousand() {
    let (dir, paths, mut engine) = big_corpus();
    let roots = [dir.path().to_path_buf()];
    let mut times = Vec::new();
    for round in 0..5u64 {
        let p = &paths[(round as usize * 1237) % paths.len()];
        let text = fs::read_to_string(p).expect("read");
        fs::write(
            p,
            format!("{text}\nA line added in round {round} by an editor.\n"),
        )
        .expect("w");
        let t = Instant::now();
        let r = engine
            .refresh(&roots, std::slice::from_ref(p))
            .expect("refresh")
            .expect("changed");
        let took = t.elapsed();
        times.push(took);
        println!(
            "refresh after one saved file: {took:?} ({:?})",
            r.change.sentences()
        );
        // Dropping the old engine is not part of the refresh; the interface
        // does it off its thread.
        let old = std::mem::replace(&mut engine, r.engine);
        let t = Instant::now();
        drop(old);
        println!("  dropping the old engine: {:?}", t.elapsed());
    }
    times.sort();
    println!("median refresh: {:?}", times[times.len() / 2]);
}

#[test]
#[ignore]
fn saved_file_to_refreshed_engine_through_the_watcher() {
    let (dir, paths, engine) = big_corpus();
    let roots = vec![dir.path().to_path_buf()];
    let (tx, rx) = mpsc::channel();
    let opts = WatchOptions {
        debounce: Duration::from_millis(100),
        ..WatchOptions::default()
    };
    let _watcher = Watcher::start(&roots, &Default::default(), &opts, move |e| {
        let _ = tx.send(e);
    })
    .expect("watcher starts");
    std::thread::sleep(Duration::from_millis(500));
    let p = &paths[4242];
    let text = fs::read_to_string(p).expect("read");
    let t = Instant::now();
    fs::write(p, format!("{text}\nOne more line.\n")).expect("w");
    let changed = loop {
        match rx.recv_timeout(Duration::from_secs(30)).expect("an event") {
            WatchEvent::Changed(paths) => break paths,
            WatchEvent::Notice(n) => println!("notice: {n}"),
        }
    };
    let noticed = t.elapsed();
    let r = engine
        .refresh(&roots, &changed)
        .expect("refresh")
        .expect("changed");
    println!(
        "saved → batch from the watcher: {noticed:?} (debounce 100 ms); → refreshed engine: {:?} ({:?})",
        t.elapsed(),
        r.change.sentences()
    );
}
