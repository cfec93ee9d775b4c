//! Load + segment + cluster at 1,000, 10,000 and 50,000 generated files.
//!
//! In: corpora written once per run by the generator
//! (`examples/support/corpus_gen.rs`) into temporary folders, 10 versions a
//! story and a quarter of the files with a second story pasted in. Out: for
//! each size, wall-clock times of `corpus::open` (load and segment),
//! `cluster::cluster` and the whole `Engine::open`, best and median of three
//! runs (one above 20,000 files), with throughput; then the time to keep the
//! model in a fresh cache (`Cache::keep`, once) and to reopen the folder
//! from it with nothing changed (`Cache::open`, best and median). The files
//! are in the page cache, having just been written.
//!
//! A plain harness rather than criterion: one 50,000-file run takes seconds,
//! so three timed runs say as much as criterion's ten and keep the bench
//! under a minute. `STORYDIFF_BENCH_SIZES=1000,10000` picks the sizes.

#[path = "../examples/support/corpus_gen.rs"]
mod corpus_gen;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use storydiff::cache::{Cache, Reuse};
use storydiff::cluster;
use storydiff::corpus;
use storydiff::engine::{Engine, Settings};

const RUNS: usize = 3;

fn main() {
    // As the binary does, so that the figures are the binary's.
    storydiff::memory::one_heap_a_core();
    // `cargo bench` passes `--bench` and maybe a filter; only a filter naming "load" or nothing runs this.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if !filter.is_empty() && !filter.iter().any(|f| "load".contains(f.as_str())) {
        return;
    }
    let sizes: Vec<usize> = std::env::var("STORYDIFF_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 50_000]);
    println!(
        "{:>7} {:>8} {:>9} {:>8} | {:>21} {:>21} {:>21} | {:>8} | {:>9} {:>21}",
        "files",
        "MB",
        "articles",
        "stories",
        "load+segment best/med",
        "cluster best/med",
        "Engine::open best/med",
        "MB/s",
        "keep",
        "reopen best/med"
    );
    for &files in &sizes {
        run(files);
    }
}

fn run(files: usize) {
    let versions = 10;
    let opts = corpus_gen::GenOptions {
        stories: files.div_ceil(versions),
        versions,
        seed: 42,
        ..corpus_gen::GenOptions::default()
    };
    let generated = corpus_gen::generate(&opts);
    let dir = tempfile::tempdir().expect("temp dir");
    generated.write_to(dir.path()).expect("write corpus");
    let mb = generated.total_bytes() as f64 / 1e6;
    let n_files = generated.files.len();
    drop(generated);
    let paths = vec![PathBuf::from(dir.path())];
    let settings = Settings::default();

    let open = || corpus::open(&paths, &settings.load, &settings.segment).expect("open corpus");
    // The files were just written, so they are in the page cache already.
    let runs = if files > 20_000 { 1 } else { RUNS };
    let mut last = None;
    let load = time(runs, || last = Some(open()));
    let Some(loaded) = last else { return };
    let articles = loaded.articles.len();
    let stories = cluster::cluster(&loaded, &settings.cluster).len();
    let clus = time(runs, || {
        black_box(cluster::cluster(&loaded, &settings.cluster));
    });
    drop(loaded);
    let whole = time(runs, || {
        black_box(Engine::open(&paths, Settings::default()).expect("open"));
    });

    let store = tempfile::tempdir().expect("temp dir");
    let cache = Cache::in_dir(store.path());
    let opened = cache.open(&paths, Settings::default()).expect("open");
    let started = Instant::now();
    cache
        .keep(&paths, &opened.engine, &opened.held)
        .expect("keep the model");
    let keep = started.elapsed();
    drop(opened);
    let reopen = time(runs, || {
        let opened = cache.open(&paths, Settings::default()).expect("reopen");
        assert_eq!(opened.reuse, Reuse::Kept);
        black_box(opened);
    });
    println!(
        "{n_files:>7} {mb:>8.1} {articles:>9} {stories:>8} | {:>21} {:>21} {:>21} | {:>8.0} | {:>6.1} ms {:>21}",
        show(load),
        show(clus),
        show(whole),
        mb / whole.1.as_secs_f64(),
        keep.as_secs_f64() * 1e3,
        show(reopen)
    );
}

/// Best and median of `runs` runs.
fn time(runs: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    let mut t: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    t.sort();
    (t[0], t[runs / 2])
}

fn show((best, median): (Duration, Duration)) -> String {
    format!(
        "{:.1} / {:.1} ms",
        best.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e3
    )
}
