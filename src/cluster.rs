//! Articles → stories: group the articles that are versions of one story.
//!
//! In: the [`Corpus`] and [`ClusterOptions`]. Out: [`Story`]s, largest first.

use crate::model::{Corpus, Story};

/// How alike two articles must be to be versions of one story.
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// Least share of the smaller article's word shingles found in the other.
    pub threshold: f32,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        Self { threshold: 0.12 }
    }
}

/// Group the corpus's articles into stories.
pub fn cluster(corpus: &Corpus, opts: &ClusterOptions) -> Vec<Story> {
    let _ = (corpus, opts);
    todo!("cluster")
}
