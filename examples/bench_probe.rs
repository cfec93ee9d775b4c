//! Timing probes for `bench/compare.sh`, so storydiff runs on exactly the
//! files the other tools get.
//!
//! `bench_probe open PATH…` opens the paths with `Engine::open` and prints
//! one JSON line: files, bytes, articles, stories, seconds. The model is
//! left to the process's exit, not freed.
//! `bench_probe align [--repeat N] PATH…` opens the paths, takes the story
//! with the most versions and prints one JSON line with the best time of N
//! fresh alignments (nothing cached) and of alignment plus the word diffs of
//! every version against the base.
//! `bench_probe stages PATH…` times `Engine::open`'s stages one by one:
//! compiling the patterns, reading, segmenting, and sketching with
//! clustering, with the peak memory after each.
//! `bench_probe pair A B` times `storydiff diff A B`'s stages in the
//! process, best of N: reading and segmenting, sketching, alignment and the
//! word diffs.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};
use storydiff::diff::DiffOptions;
use storydiff::engine::{Engine, Settings};
use storydiff::{cluster, corpus};

fn main() -> anyhow::Result<()> {
    // As the binary does, so that the probe measures what it runs.
    storydiff::memory::one_heap_a_core();
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        bail!("usage: bench_probe open PATH… | bench_probe align [--repeat N] PATH…");
    }
    let cmd = args.remove(0);
    let mut repeat = 5usize;
    if args.first().is_some_and(|a| a == "--repeat") {
        repeat = args.get(1).context("--repeat needs a number")?.parse()?;
        args.drain(..2);
    }
    let paths: Vec<PathBuf> = args.iter().map(PathBuf::from).collect();
    if cmd == "stages" {
        return stages(&paths);
    }
    if cmd == "pair" {
        return pair(&paths, repeat);
    }
    let t = Instant::now();
    let engine = Engine::open(&paths, Settings::default())?;
    let open_s = t.elapsed().as_secs_f64();
    let corpus = engine.corpus();
    let bytes: u64 = corpus.files.iter().map(|f| f.size).sum();
    match cmd.as_str() {
        "open" => println!(
            "{{\"files\":{},\"bytes\":{bytes},\"articles\":{},\"stories\":{},\"seconds\":{open_s:.6}}}",
            corpus.files.len(),
            corpus.articles.len(),
            engine.stories().len()
        ),
        "align" => {
            let s = (0..engine.stories().len())
                .max_by_key(|&s| (engine.story(s).versions.len(), std::cmp::Reverse(s)))
                .context("no story")?;
            let story = engine.story(s).clone();
            let words: usize = story
                .versions
                .iter()
                .map(|&a| corpus.articles[a].body_text().split_whitespace().count())
                .sum();
            let mut align_best = f64::MAX;
            let mut full_best = f64::MAX;
            for _ in 0..repeat.max(1) {
                let fresh = Engine::from_corpus(corpus.clone(), Settings::default());
                let t = Instant::now();
                let a = fresh.alignment(s, story.central);
                align_best = align_best.min(t.elapsed().as_secs_f64());
                let fresh = Engine::from_corpus(corpus.clone(), Settings::default());
                let t = Instant::now();
                let mut rows = a.rows.len();
                for v in (0..story.versions.len()).filter(|&v| v != story.central) {
                    rows += fresh
                        .comparison(s, story.central, v, &DiffOptions::default())
                        .rows
                        .len();
                }
                std::hint::black_box(rows);
                full_best = full_best.min(t.elapsed().as_secs_f64());
            }
            println!(
                "{{\"story\":\"{}\",\"versions\":{},\"words\":{words},\"align_seconds\":{align_best:.6},\"align_and_diff_seconds\":{full_best:.6}}}",
                story.id,
                story.versions.len()
            );
        }
        other => bail!("unknown command '{other}'"),
    }
    // Freeing a large folder's model takes a fifth of a second at 50,000
    // files, which is no part of loading it: the process's exit gives the
    // memory back, so `/usr/bin/time` over this probe times the load alone.
    std::mem::forget(engine);
    Ok(())
}

/// The process's peak resident memory so far in MB (`VmHWM`), or `null`
/// where `/proc` does not tell it.
fn peak_mb() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or_else(|| "null".to_owned(), |kb| format!("{:.1}", kb / 1024.0))
}

/// `Engine::open` split into its stages, each timed on its own.
fn stages(paths: &[PathBuf]) -> anyhow::Result<()> {
    let settings = Settings::default();
    let mut times: Vec<(String, String)> = Vec::new();
    let mut t = Instant::now();
    let mut lap = |name: &'static str, times: &mut Vec<(String, String)>| {
        times.push((name.to_owned(), format!("{:.6}", t.elapsed().as_secs_f64())));
        times.push((format!("{name}_peak_mb"), peak_mb()));
        t = Instant::now();
    };
    let segmenter = corpus::Segmenter::new(&settings.segment)?;
    lap("patterns", &mut times);
    let loaded = corpus::load::load(paths, &settings.load)?;
    lap("read", &mut times);
    let corpus = corpus::from_files_with(loaded.files, loaded.warnings, &segmenter, &settings.load);
    lap("segment", &mut times);
    let (_, stories) = cluster::sketch_and_cluster(&corpus, &settings.cluster);
    lap("sketch_and_cluster", &mut times);
    let fields: Vec<String> = times.iter().map(|(n, s)| format!("\"{n}\":{s}")).collect();
    println!(
        "{{\"articles\":{},\"stories\":{},{}}}",
        corpus.articles.len(),
        stories.len(),
        fields.join(",")
    );
    Ok(())
}

/// `storydiff diff A B`'s stages, each the best of `repeat` runs.
fn pair(paths: &[PathBuf], repeat: usize) -> anyhow::Result<()> {
    let [a, b] = paths else {
        bail!("pair needs two files");
    };
    let settings = Settings::default();
    let mut best = [f64::MAX; 4];
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        let corpus = corpus::open(&[a.clone(), b.clone()], &settings.load, &settings.segment)?;
        let read = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let sketches = cluster::sketches(&corpus);
        let sketch = t.elapsed().as_secs_f64();
        std::hint::black_box(&sketches);
        let engine = Engine::open_pair(a, b, settings.clone())?;
        let t = Instant::now();
        let alignment =
            storydiff::align::align(engine.corpus(), engine.story(0), 0, engine.align_options());
        let align = t.elapsed().as_secs_f64();
        std::hint::black_box(&alignment);
        let t = Instant::now();
        let cmp = engine.comparison(0, 0, 1, &DiffOptions::default());
        let compare = t.elapsed().as_secs_f64();
        std::hint::black_box(&cmp);
        for (b, x) in best.iter_mut().zip([read, sketch, align, compare]) {
            *b = b.min(x);
        }
    }
    println!(
        "{{\"read_and_segment\":{:.6},\"sketch\":{:.6},\"align\":{:.6},\"word_diffs\":{:.6}}}",
        best[0], best[1], best[2], best[3]
    );
    Ok(())
}
