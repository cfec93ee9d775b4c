//! Shared by the fuzz targets: a small corpus from raw bytes, and the
//! invariants every stage must keep on it.

use std::path::PathBuf;

use storydiff::corpus::{self, SegmentOptions, Segmenter, load};
use storydiff::model::{Corpus, SourceFile};

/// Up to `max` texts: the input split at 0xFF bytes (never in UTF-8 text),
/// each decoded as a file would be. Undecodable pieces are skipped.
pub fn texts(data: &[u8], max: usize) -> Vec<String> {
    data.split(|&b| b == 0xFF)
        .take(max)
        .filter_map(|piece| load::decode(piece).ok().map(|(t, _)| t))
        .collect()
}

pub fn segmenter() -> Segmenter {
    Segmenter::new(&SegmentOptions::default()).expect("default options compile")
}

/// The texts as files of one corpus, segmented.
pub fn corpus_of(texts: &[String]) -> Corpus {
    let files = texts
        .iter()
        .enumerate()
        .map(|(i, t)| SourceFile {
            path: PathBuf::from(format!("fuzz/{i:02}.txt")),
            size: t.len() as u64,
            modified: None,
            hash: load::hash_bytes(t.as_bytes()),
            text: t.clone(),
            encoding_note: None,
        })
        .collect();
    corpus::from_files(files, Vec::new(), &segmenter())
}

/// Every non-blank line of `text` lies in some paragraph of its articles,
/// paragraphs are in order and inside the file, and none is blank.
pub fn check_segmentation(text: &str, drafts: &[corpus::ArticleDraft]) {
    let lines = corpus::layout::split_lines(text);
    let count = lines.len() as u32;
    let mut last = 0;
    let mut spans = Vec::new();
    for d in drafts {
        assert!(d.lines.first <= d.lines.last);
        assert!(d.paragraphs.iter().any(|p| p.role.is_body()));
        for p in &d.paragraphs {
            assert!(p.lines.first > last, "paragraphs overlap or go back");
            assert!(p.lines.first <= p.lines.last && p.lines.last <= count);
            assert!(!p.text.trim().is_empty(), "a blank paragraph");
            last = p.lines.last;
            spans.push(p.lines);
        }
    }
    if drafts.is_empty() {
        return;
    }
    for l in &lines {
        if !l.text.trim().is_empty() {
            assert!(
                spans.iter().any(|s| s.contains(l.no)),
                "line {} ({:?}) is in no paragraph",
                l.no,
                l.text
            );
        }
    }
}
