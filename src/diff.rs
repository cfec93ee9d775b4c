//! Two paragraphs → word changes, each with a kind.
//!
//! In: the old and new texts and [`DiffOptions`]. Out: a [`WordDiff`] whose
//! changes say which words were replaced, added or removed, whether each is
//! a spelling, style or wording change, and which letters differ inside a
//! near-identical word.

use crate::model::WordDiff;

/// How to diff.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// Do not report style-only changes (case, punctuation, quote style, abbreviation dots).
    pub hide_style: bool,
}

/// The word changes from `old` to `new`.
pub fn word_diff(old: &str, new: &str, opts: &DiffOptions) -> WordDiff {
    let _ = (old, new, opts);
    todo!("word_diff")
}
