//! Reading files: walk the paths, decode the bytes, report what was skipped.

use std::path::PathBuf;

/// What to read.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// File name extensions read (without the dot, lower case).
    pub extensions: Vec<String>,
    /// Folder names never entered.
    pub skip_dirs: Vec<String>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            extensions: vec!["txt".into(), "md".into()],
            skip_dirs: vec![".git".into(), "target".into(), "node_modules".into()],
        }
    }
}

/// Why nothing could be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}: no such file or folder")]
    Missing(PathBuf),
    #[error("{0}: no readable .txt or .md files found")]
    Empty(PathBuf),
}
