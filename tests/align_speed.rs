//! How long alignment takes on synthetic stories: many versions of 60
//! paragraphs, each edited a little. Prints timings; asserts only that the
//! result is whole. Run with
//! `cargo test --release --test align_speed -- --ignored --nocapture`.

mod align_common;

use std::time::Instant;

use align_common::{article_from_lines, story_of};
use storydiff::align::{AlignOptions, align, compare};
use storydiff::diff::DiffOptions;
use storydiff::model::Corpus;

/// A small deterministic generator (xorshift64), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn synthetic(versions: usize, paragraphs: usize, seed: u64) -> Corpus {
    let mut rng = Rng(seed);
    let vocab: Vec<String> = (0..3000).map(|i| format!("w{i}")).collect();
    let common = [
        "the", "of", "and", "to", "in", "a", "said", "that", "with", "on",
    ];
    let base: Vec<Vec<String>> = (0..paragraphs)
        .map(|_| {
            (0..30 + rng.below(40))
                .map(|_| {
                    if rng.below(3) == 0 {
                        common[rng.below(common.len())].to_owned()
                    } else {
                        vocab[rng.below(vocab.len())].clone()
                    }
                })
                .collect()
        })
        .collect();
    let mut corpus = Corpus::default();
    for v in 0..versions {
        let mut paras: Vec<Vec<String>> = Vec::new();
        for p in &base {
            match rng.below(20) {
                0 => continue,
                1 => paras.push(
                    (0..40)
                        .map(|_| vocab[rng.below(vocab.len())].clone())
                        .collect(),
                ),
                _ => {}
            }
            let mut p = p.clone();
            for _ in 0..rng.below(4) {
                let i = rng.below(p.len());
                p[i] = vocab[rng.below(vocab.len())].clone();
            }
            match (rng.below(25), paras.last_mut()) {
                (0, Some(last)) => last.extend(p),
                _ => paras.push(p),
            }
        }
        if paras.len() > 4 && rng.below(2) == 0 {
            let from = rng.below(paras.len());
            let moved = paras.remove(from);
            let to = rng.below(paras.len());
            paras.insert(to, moved);
        }
        let text: Vec<String> = paras.iter().map(|p| p.join(" ")).collect();
        corpus.articles.push(article_from_lines(
            &format!("v{v}"),
            v,
            &text.join("\n"),
            |_| true,
        ));
    }
    corpus
}

#[test]
#[ignore = "timing run; prints figures"]
fn alignment_timings() {
    for versions in [5, 20, 100] {
        let corpus = synthetic(versions, 60, 0x9e37_79b9_7f4a_7c15);
        let story = story_of(&corpus);
        let opts = AlignOptions::default();
        let runs = 5;
        let mut best = f64::MAX;
        let mut rows = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let a = align(&corpus, &story, 0, &opts);
            best = best.min(t.elapsed().as_secs_f64());
            rows = a.rows.len();
        }
        let a = align(&corpus, &story, 0, &opts);
        let t = Instant::now();
        let c = compare(
            &corpus,
            &story,
            &a,
            versions - 1,
            &opts,
            &DiffOptions::default(),
        );
        let cmp = t.elapsed().as_secs_f64();
        println!(
            "{versions:3} versions × 60 paragraphs: align {:7.2} ms (best of {runs}), {rows} rows; compare {:6.2} ms, {} pair rows",
            best * 1e3,
            cmp * 1e3,
            c.rows.len()
        );
        for (v, art) in corpus.articles.iter().enumerate() {
            for p in art.body_indices() {
                let n = a
                    .rows
                    .iter()
                    .filter(|r| {
                        r.cells[v]
                            .as_ref()
                            .is_some_and(|c| c.paragraphs.contains(&p))
                    })
                    .count();
                assert_eq!(n, 1);
            }
        }
    }
}
