//! Files → articles: read every file under the given paths, split each into
//! paragraphs and articles, and mark page furniture.
//!
//! In: paths and [`LoadOptions`]/[`SegmentOptions`]. Out: a [`Corpus`] whose
//! articles carry short version ids, titles, paragraphs with roles and line
//! spans, and the warnings about files that were skipped or changed.

pub mod furniture;
pub mod load;
pub mod segment;

pub use load::{LoadError, LoadOptions};
pub use segment::SegmentOptions;

use std::path::PathBuf;

use crate::model::Corpus;

/// Read and segment everything under `paths`.
pub fn open(
    paths: &[PathBuf],
    load: &LoadOptions,
    segment: &SegmentOptions,
) -> Result<Corpus, LoadError> {
    let _ = (paths, load, segment);
    todo!("corpus::open")
}
