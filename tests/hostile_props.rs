//! The fuzz targets' invariants as property tests, so that `cargo test`
//! checks them on stable: on hostile text (escapes, bidi and invisible
//! characters, right-to-left, CJK, emoji sequences, combining marks, long
//! words, odd newlines) segmentation accounts for every non-blank line,
//! clustering puts each article in one story, alignment puts each body
//! paragraph in one row, and every word diff turns one text into the other.

mod hostile_common;

use std::path::PathBuf;

use proptest::prelude::*;
use storydiff::align::{self, AlignOptions};
use storydiff::cluster::{ClusterOptions, cluster};
use storydiff::corpus::{self, SegmentOptions, Segmenter, layout, load};
use storydiff::diff::{DiffOptions, apply, word_diff};
use storydiff::model::{Corpus, SourceFile, WordDiff};

const WORDS: &[&str] = &[
    "the",
    "minister",
    "said",
    "on",
    "Wednesday",
    "U.S.",
    "US",
    "Ashtinai",
    "Ashtiani",
    "Tehran",
    "strategic",
    "ties",
    "“quoted”",
    "\"quoted\"",
    "—",
    "1,234.56",
    "e\u{301}le\u{301}ve",
    "Z\u{351}a\u{350}l\u{36b}g\u{35b}o",
    "👨\u{200D}👩\u{200D}👧",
    "🇯🇵",
    "👩🏽\u{200D}💻",
    "東京",
    "経済対策を発表",
    "أعلنت",
    "الحكومة",
    "הממשלה",
    "\u{202E}desrever\u{202C}",
    "\u{2066}iso\u{2069}",
    "zero\u{200B}width",
    "\u{FEFF}",
    "\u{1b}[2J",
    "\u{1b}]52;c;cm0gLXJmIH4K\u{7}",
    "\u{1b}]8;;https://evil.example/\u{1b}\\link",
    "\u{9b}31m",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\t",
    "TT",
    "Read more",
    "#",
    "-",
    "*",
    "|",
    "---",
    "(EPA)",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        20 => prop::sample::select(WORDS).prop_map(str::to_owned),
        2 => "[a-zA-Z]{1,12}",
        1 => "\\PC{1,8}",
        1 => "[a-z]{200,2000}",
    ]
}

fn line() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(word(), 0..25),
        prop_oneof![Just(" "), Just(""), Just("  ")],
        prop_oneof![Just(""), Just("."), Just(":"), Just("?")],
    )
        .prop_map(|(ws, sep, end)| format!("{}{end}", ws.join(sep)))
}

fn text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(
            prop_oneof![4 => line(), 1 => Just(String::new()), 1 => "[ \t]{0,3}"],
            0..40,
        ),
        prop::collection::vec(prop_oneof![Just("\n"), Just("\r\n"), Just("\r")], 1..4),
    )
        .prop_map(|(lines, newlines)| {
            let mut out = String::new();
            for (i, l) in lines.iter().enumerate() {
                if i > 0 {
                    let nl = newlines[i % newlines.len()];
                    // A lone CR before an LF would make the two one CRLF.
                    if out.ends_with('\r') && nl.starts_with('\n') {
                        out.push(' ');
                    }
                    out.push_str(nl);
                }
                out.push_str(l);
            }
            out
        })
}

fn segmenter() -> Segmenter {
    Segmenter::new(&SegmentOptions::default()).unwrap()
}

/// The invariants of `fuzz/fuzz_targets/common.rs`, as a property.
fn check_segmentation(text: &str) -> Result<(), TestCaseError> {
    let drafts = segmenter().segment(text);
    let lines = layout::split_lines(text);
    let count = lines.len() as u32;
    let mut last = 0;
    let mut spans = Vec::new();
    for d in &drafts {
        prop_assert!(d.lines.first <= d.lines.last);
        prop_assert!(d.paragraphs.iter().any(|p| p.role.is_body()));
        for p in &d.paragraphs {
            prop_assert!(p.lines.first > last, "paragraphs overlap or go back");
            prop_assert!(p.lines.first <= p.lines.last && p.lines.last <= count);
            prop_assert!(!p.text.trim().is_empty());
            last = p.lines.last;
            spans.push(p.lines);
        }
    }
    if drafts.is_empty() {
        return Ok(());
    }
    for l in &lines {
        if !l.text.trim().is_empty() {
            prop_assert!(
                spans.iter().any(|s| s.contains(l.no)),
                "line {} ({:?}) is in no paragraph",
                l.no,
                l.text
            );
        }
    }
    Ok(())
}

fn corpus_of(texts: &[String]) -> Corpus {
    let files = texts
        .iter()
        .enumerate()
        .map(|(i, t)| SourceFile {
            path: PathBuf::from(format!("prop/{i:02}.txt")),
            size: t.len() as u64,
            modified: None,
            hash: load::hash_bytes(t.as_bytes()),
            text: t.clone(),
            encoding_note: None,
        })
        .collect();
    corpus::from_files(files, Vec::new(), &segmenter())
}

fn check_diff(old: &str, new: &str, d: &WordDiff) -> Result<(), TestCaseError> {
    let mut edits: Vec<_> = d.changes.iter().chain(&d.hidden).collect();
    edits.sort_by_key(|c| (c.old.start, c.new.start));
    let (mut o, mut n) = (0, 0);
    for c in edits {
        prop_assert!(c.old.start >= o && c.new.start >= n, "edits overlap");
        prop_assert!(old.is_char_boundary(c.old.start) && old.is_char_boundary(c.old.end));
        prop_assert!(new.is_char_boundary(c.new.start) && new.is_char_boundary(c.new.end));
        (o, n) = (c.old.end, c.new.end);
    }
    prop_assert!((0.0..=1.0).contains(&d.ratio));
    prop_assert_eq!(apply(d), new);
    Ok(())
}

/// Versions of one hostile story: a base text, and copies with lines
/// dropped, swapped or edited.
fn versions() -> impl Strategy<Value = Vec<String>> {
    (
        prop::collection::vec(line(), 3..14),
        prop::collection::vec(
            prop::collection::vec((0usize..4, any::<prop::sample::Index>(), word()), 0..5),
            1..4,
        ),
    )
        .prop_map(|(base, edits)| {
            let mut out = vec![base.join("\n\n")];
            for version in edits {
                let mut lines = base.clone();
                for (op, at, w) in version {
                    let i = at
                        .index(lines.len().max(1))
                        .min(lines.len().saturating_sub(1));
                    match op {
                        0 if lines.len() > 1 => {
                            lines.remove(i);
                        }
                        1 => lines.swap(i, 0),
                        2 => lines[i] = format!("{} {w}", lines[i]),
                        _ => lines[i] = lines[i].replacen(' ', &format!(" {w} "), 1),
                    }
                }
                out.push(lines.join("\n\n"));
            }
            out
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn segmentation_accounts_for_every_line(text in text()) {
        check_segmentation(&text)?;
    }

    #[test]
    fn any_bytes_decode_and_segment(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        if let Ok((text, _)) = load::decode(&bytes) {
            check_segmentation(&text)?;
        }
    }

    #[test]
    fn word_diff_of_hostile_texts_applies(a in line(), b in line(), hide in any::<bool>()) {
        let d = word_diff(&a, &b, &DiffOptions { hide_style: hide, ..DiffOptions::default() });
        check_diff(&a, &b, &d)?;
    }

    #[test]
    fn word_diff_of_an_edit_applies(a in line(), at in any::<prop::sample::Index>(), w in word()) {
        let cut = a.char_indices().map(|(i, _)| i).chain([a.len()]).collect::<Vec<_>>();
        let k = cut[at.index(cut.len())];
        let b = format!("{}{w}{}", &a[..k], &a[k..]);
        let d = word_diff(&a, &b, &DiffOptions::default());
        check_diff(&a, &b, &d)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    #[test]
    fn small_corpora_cluster_align_and_diff(texts in versions()) {
        let corpus = corpus_of(&texts);
        let stories = cluster(&corpus, &ClusterOptions::default());
        let mut seen = vec![0usize; corpus.articles.len()];
        for s in &stories {
            prop_assert!(s.central < s.versions.len());
            prop_assert!((0.0..=1.0).contains(&s.spread));
            for &a in &s.versions {
                seen[a] += 1;
            }
        }
        prop_assert!(seen.iter().all(|&n| n == 1), "{:?}", seen);
        let mut ids: Vec<&str> = stories.iter().map(|s| s.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        prop_assert_eq!(ids.len(), stories.len(), "story ids clash");
        let opts = AlignOptions::default();
        for story in &stories {
            for base in 0..story.versions.len() {
                let a = align::align(&corpus, story, base, &opts);
                for (v, &art) in story.versions.iter().enumerate() {
                    let mut rows_of = vec![0usize; corpus.articles[art].paragraphs.len()];
                    for row in &a.rows {
                        prop_assert_eq!(row.cells.len(), story.versions.len());
                        if let Some(c) = &row.cells[v] {
                            for &p in &c.paragraphs {
                                rows_of[p] += 1;
                            }
                        }
                    }
                    for p in corpus.articles[art].body_indices() {
                        prop_assert_eq!(rows_of[p], 1, "paragraph {} of version {}", p, v);
                    }
                }
                for other in 0..story.versions.len() {
                    let c = align::compare(&corpus, story, &a, other, &opts, &DiffOptions::default());
                    for row in &c.rows {
                        if let Some(w) = &row.diff {
                            check_diff(&w.old_text, &w.new_text, w)?;
                        }
                    }
                }
            }
        }
    }
}

/// The hostile files of the other tests keep the invariants too.
#[test]
fn hostile_cases_keep_the_invariants() {
    for case in hostile_common::text_cases() {
        let (text, _) = load::decode(&case.bytes).unwrap();
        check_segmentation(&text).unwrap_or_else(|e| panic!("{}: {e}", case.name));
    }
}
