//! Write a synthetic corpus of news-story versions and its gold facts.
//!
//! `cargo run --release --example gen_corpus -- --stories S --versions V --seed N
//! [--paragraphs P] [--scale K] OUT/` writes S×V files (plus the unrelated
//! stories pasted into some of them) and `OUT/gold.json`. See
//! `examples/support/corpus_gen.rs` for what the files hold.

#[path = "support/corpus_gen.rs"]
mod corpus_gen;

use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;

/// Write a synthetic corpus of news-story versions and its gold facts.
#[derive(Debug, Parser)]
struct Args {
    /// Stories to generate.
    #[arg(long, default_value_t = 10)]
    stories: usize,
    /// Files written for each story.
    #[arg(long, default_value_t = 5)]
    versions: usize,
    /// Random seed; the same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Body paragraphs in a story's base text.
    #[arg(long, default_value_t = 12)]
    paragraphs: usize,
    /// Make every story K times longer.
    #[arg(long, default_value_t = 1)]
    scale: usize,
    /// Multiply every edit rate (0: copies differ only in layout and style).
    #[arg(long, default_value_t = 1.0)]
    edits: f64,
    /// Multiply every page-furniture probability.
    #[arg(long, default_value_t = 1.0)]
    furniture: f64,
    /// Share of files with an unrelated story appended.
    #[arg(long, default_value_t = 0.25)]
    append: f64,
    /// Folder to write into (created if missing).
    out: PathBuf,
}

fn main() -> anyhow::Result<()> {
    let a = Args::parse();
    let opts = corpus_gen::GenOptions {
        stories: a.stories,
        versions: a.versions,
        seed: a.seed,
        paragraphs: a.paragraphs,
        scale: a.scale,
        edits: a.edits,
        furniture: a.furniture,
        append: a.append,
    };
    let (sentences, words) = corpus_gen::pool_size();
    eprintln!("sentence pool: {sentences} sentences, {words} words");
    let t = Instant::now();
    let corpus = corpus_gen::generate(&opts);
    let generated = t.elapsed();
    corpus.write_to(&a.out)?;
    eprintln!(
        "{} files, {:.1} MB, {} stories ({} one-off) in {}: generated in {:.2} s, written in {:.2} s",
        corpus.files.len(),
        corpus.total_bytes() as f64 / 1e6,
        corpus.gold.stories.len(),
        corpus.gold.stories.iter().filter(|s| s.one_off).count(),
        a.out.display(),
        generated.as_secs_f64(),
        (t.elapsed() - generated).as_secs_f64(),
    );
    Ok(())
}
