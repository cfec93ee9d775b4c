//! Splitting a file's text into paragraphs and articles, with roles.

/// How to split and clean.
#[derive(Debug, Clone, Default)]
pub struct SegmentOptions {
    /// Extra furniture patterns (regular expressions matched against a whole paragraph).
    pub extra_furniture: Vec<String>,
}
