//! Aligning one story, and comparing one pair of versions, on generated text.
//!
//! In: single-story corpora from the generator (60 body paragraphs; 5, 20
//! and 100 versions) and two-version corpora of 24 paragraphs (the sample's
//! size, about 5.5 KB a file) and 50× that. Out: criterion timings of `Engine::alignment` on a fresh engine (so
//! nothing is cached), of `align::align` called directly, and of
//! `Engine::comparison` (alignment plus word diffs) for one pair.

#[path = "../examples/support/corpus_gen.rs"]
mod corpus_gen;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use storydiff::align;
use storydiff::corpus;
use storydiff::diff::DiffOptions;
use storydiff::engine::{Engine, Settings};
use storydiff::model::Corpus;

/// Generates and loads a corpus of one story (no pasted stories).
fn one_story(versions: usize, paragraphs: usize, scale: usize) -> Corpus {
    let generated = corpus_gen::generate(&corpus_gen::GenOptions {
        stories: 1,
        versions,
        seed: 100 + versions as u64,
        paragraphs,
        scale,
        append: 0.0,
        ..corpus_gen::GenOptions::default()
    });
    let dir = tempfile::tempdir().expect("temp dir");
    generated.write_to(dir.path()).expect("write corpus");
    let s = Settings::default();
    corpus::open(&[PathBuf::from(dir.path())], &s.load, &s.segment).expect("open corpus")
}

/// The story with the most versions.
fn largest(engine: &Engine) -> usize {
    (0..engine.stories().len())
        .max_by_key(|&s| (engine.story(s).versions.len(), std::cmp::Reverse(s)))
        .unwrap_or(0)
}

fn alignment(c: &mut Criterion) {
    let mut g = c.benchmark_group("align_60_paragraphs");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for versions in [5, 20, 100] {
        let corpus = one_story(versions, 60, 1);
        let engine = Engine::from_corpus(corpus.clone(), Settings::default());
        let s = largest(&engine);
        let story = engine.story(s).clone();
        eprintln!(
            "align bench: {versions} files → story of {} versions",
            story.versions.len()
        );
        g.bench_with_input(
            BenchmarkId::new("engine_alignment", versions),
            &versions,
            |b, _| {
                b.iter_batched(
                    || Engine::from_corpus(corpus.clone(), Settings::default()),
                    |e| black_box(e.alignment(s, story.central)),
                    BatchSize::LargeInput,
                )
            },
        );
        let opts = engine.align_options().clone();
        g.bench_with_input(BenchmarkId::new("align_fn", versions), &versions, |b, _| {
            b.iter(|| black_box(align::align(&corpus, &story, story.central, &opts)))
        });
    }
    g.finish();
}

fn comparison(c: &mut Criterion) {
    let mut g = c.benchmark_group("compare_pair");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for (name, scale) in [("sample_size", 1), ("50x_sample", 50)] {
        let corpus = one_story(2, 24, scale);
        let bytes: usize = corpus.files.iter().map(|f| f.text.len()).sum();
        eprintln!("compare bench {name}: 2 files, {bytes} bytes");
        let engine = Engine::from_corpus(corpus.clone(), Settings::default());
        let s = largest(&engine);
        if engine.story(s).versions.len() < 2 {
            eprintln!("compare bench {name}: the two versions were not grouped; skipped");
            continue;
        }
        g.bench_function(name, |b| {
            b.iter_batched(
                || Engine::from_corpus(corpus.clone(), Settings::default()),
                |e| black_box(e.comparison(s, 0, 1, &DiffOptions::default())),
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, alignment, comparison);
criterion_main!(benches);
