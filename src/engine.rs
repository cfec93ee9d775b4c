//! The pipeline in one place: open paths, keep the corpus and its stories,
//! and align or compare a story on request, caching the results.

use crate::align::AlignOptions;
use crate::cluster::ClusterOptions;
use crate::corpus::{LoadOptions, SegmentOptions};
use crate::diff::DiffOptions;

/// Every stage's options.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub load: LoadOptions,
    pub segment: SegmentOptions,
    pub cluster: ClusterOptions,
    pub align: AlignOptions,
    pub diff: DiffOptions,
}
