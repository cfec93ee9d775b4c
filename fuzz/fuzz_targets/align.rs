//! A small corpus grouped into stories: aligning every story against each
//! base and comparing every pair never panics, every body paragraph is in
//! exactly one row, and every word diff turns one text into the other.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storydiff::align::{self, AlignOptions};
use storydiff::cluster::{ClusterOptions, cluster};
use storydiff::diff::{DiffOptions, apply};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let corpus = common::corpus_of(&common::texts(data, 4));
    let stories = cluster(&corpus, &ClusterOptions::default());
    let opts = AlignOptions::default();
    for story in &stories {
        for base in 0..story.versions.len() {
            let a = align::align(&corpus, story, base, &opts);
            for (v, &art) in story.versions.iter().enumerate() {
                let body: Vec<usize> = corpus.articles[art].body_indices().collect();
                let mut rows_of = vec![0usize; corpus.articles[art].paragraphs.len()];
                for row in &a.rows {
                    assert_eq!(row.cells.len(), story.versions.len());
                    if let Some(c) = &row.cells[v] {
                        for &p in &c.paragraphs {
                            rows_of[p] += 1;
                        }
                    }
                }
                for p in body {
                    assert_eq!(rows_of[p], 1, "body paragraph {p} of version {v}");
                }
            }
            for other in 0..story.versions.len() {
                for hide_style in [false, true] {
                    let d = DiffOptions {
                        hide_style,
                        ..DiffOptions::default()
                    };
                    let c = align::compare(&corpus, story, &a, other, &opts, &d);
                    for row in &c.rows {
                        if let Some(w) = &row.diff {
                            assert_eq!(apply(w), w.new_text);
                        }
                    }
                }
            }
        }
    }
});
