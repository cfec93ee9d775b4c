//! Stories → alignments: the versions of one story, paragraph by paragraph.
//!
//! In: a [`Story`] with its [`Corpus`], a base version and [`AlignOptions`].
//! Out: an [`Alignment`] (N-way rows of paragraphs across all versions) and,
//! for two versions, a [`Comparison`] with word changes for each row.

use crate::model::{Alignment, Comparison, Corpus, Story, VersionIx};

/// Thresholds for pairing paragraphs.
#[derive(Debug, Clone)]
pub struct AlignOptions {
    /// Least word similarity for two paragraphs to be counterparts.
    pub pair_threshold: f32,
    /// Least share of a paragraph's words found in another for a merge or split.
    pub merge_containment: f32,
    /// Fewest words a paragraph needs to be reported as moved.
    pub min_moved_words: usize,
    /// Share of changed words above which a pair is shown as before/after blocks.
    pub rewrite_ratio: f32,
}

impl Default for AlignOptions {
    fn default() -> Self {
        Self {
            pair_threshold: 0.5,
            merge_containment: 0.6,
            min_moved_words: 5,
            rewrite_ratio: 0.6,
        }
    }
}

/// Align every version of `story` against `base`.
pub fn align(corpus: &Corpus, story: &Story, base: VersionIx, opts: &AlignOptions) -> Alignment {
    let _ = (corpus, story, base, opts);
    todo!("align")
}

/// Compare the alignment's base with one other version, word by word.
pub fn compare(
    corpus: &Corpus,
    story: &Story,
    alignment: &Alignment,
    other: VersionIx,
    opts: &AlignOptions,
    diff: &crate::diff::DiffOptions,
) -> Comparison {
    let _ = (corpus, story, alignment, other, opts, diff);
    todo!("compare")
}
