//! Two texts: the word diff never panics, its ranges are in order on char
//! boundaries, and applying it to the old text gives the new one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storydiff::diff::{DiffOptions, apply, word_diff};

fuzz_target!(|data: &[u8]| {
    let (hide_style, data) = match data.split_first() {
        Some((&b, rest)) => (b & 1 == 1, rest),
        None => (false, data),
    };
    let mut halves = data.splitn(2, |&b| b == 0xFF);
    let old = String::from_utf8_lossy(halves.next().unwrap_or_default());
    let new = String::from_utf8_lossy(halves.next().unwrap_or_default());
    let d = word_diff(
        &old,
        &new,
        &DiffOptions {
            hide_style,
            ..DiffOptions::default()
        },
    );
    let mut edits: Vec<_> = d.changes.iter().chain(&d.hidden).collect();
    edits.sort_by_key(|c| (c.old.start, c.new.start));
    let (mut o, mut n) = (0, 0);
    for c in edits {
        assert!(c.old.start >= o && c.new.start >= n, "edits overlap");
        assert!(old.is_char_boundary(c.old.start) && old.is_char_boundary(c.old.end));
        assert!(new.is_char_boundary(c.new.start) && new.is_char_boundary(c.new.end));
        (o, n) = (c.old.end, c.new.end);
    }
    assert!((0.0..=1.0).contains(&d.ratio), "ratio {}", d.ratio);
    assert_eq!(apply(&d), new);
});
