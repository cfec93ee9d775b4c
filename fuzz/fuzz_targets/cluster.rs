//! A small corpus of up to six files: clustering never panics and puts
//! every article in exactly one story.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storydiff::cluster::{ClusterOptions, cluster};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let corpus = common::corpus_of(&common::texts(data, 6));
    let stories = cluster(&corpus, &ClusterOptions::default());
    let mut seen = vec![0usize; corpus.articles.len()];
    for s in &stories {
        assert!(!s.versions.is_empty());
        assert!(s.central < s.versions.len());
        assert!((0.0..=1.0).contains(&s.spread), "spread {}", s.spread);
        for &a in &s.versions {
            seen[a] += 1;
        }
    }
    assert!(seen.iter().all(|&n| n == 1), "an article in {seen:?} stories");
    let mut ids: Vec<&str> = stories.iter().map(|s| s.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), stories.len(), "story ids clash");
});
