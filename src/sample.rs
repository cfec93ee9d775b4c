//! The sample corpus that storydiff opens when no path is given.
//!
//! In a checkout it is `assets/corpus/`; an installed binary carries the same
//! seven files (five text files, a saved HTML page and a JSON Lines feed)
//! inside it and writes them once to the cache folder.

use std::path::{Path, PathBuf};

const FILES: [(&str, &str); 7] = [
    (
        "000_66b60800ac77cf39.txt",
        include_str!("../assets/corpus/000_66b60800ac77cf39.txt"),
    ),
    (
        "001_3b13e1d28c208596.txt",
        include_str!("../assets/corpus/001_3b13e1d28c208596.txt"),
    ),
    (
        "002_dcca5060c2c40b0f.txt",
        include_str!("../assets/corpus/002_dcca5060c2c40b0f.txt"),
    ),
    (
        "003_e6c2c4d9a5885b82.txt",
        include_str!("../assets/corpus/003_e6c2c4d9a5885b82.txt"),
    ),
    (
        "004_033ed2a7a91fa8ad.txt",
        include_str!("../assets/corpus/004_033ed2a7a91fa8ad.txt"),
    ),
    (
        "005_iran_china_saved_page.html",
        include_str!("../assets/corpus/005_iran_china_saved_page.html"),
    ),
    ("feed.jsonl", include_str!("../assets/corpus/feed.jsonl")),
];

/// The folder holding the sample corpus: the checkout's `assets/corpus`
/// (shown relative to the current folder when it lies below it), else a
/// copy in the cache folder.
pub fn corpus_dir() -> std::io::Result<PathBuf> {
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join("corpus");
    if checkout.is_dir() {
        let shown = std::env::current_dir()
            .ok()
            .and_then(|cwd| checkout.strip_prefix(&cwd).ok().map(Path::to_path_buf))
            .unwrap_or(checkout);
        return Ok(shown);
    }
    let dir = directories::ProjectDirs::from("", "", "storydiff")
        .map(|d| d.cache_dir().join("sample-corpus"))
        .unwrap_or_else(|| std::env::temp_dir().join("storydiff-sample-corpus"));
    write_to(&dir)?;
    Ok(dir)
}

/// Write the sample corpus's files into `dir` (made if need be), leaving
/// those already there as they are: a copy to try changes on.
pub fn write_to(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, text) in FILES {
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
            crate::fsutil::atomic_write(&path, text.as_bytes())?;
        }
    }
    Ok(())
}

/// `paths`, or the sample corpus when it is empty.
pub fn or_sample(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    if paths.is_empty() {
        Ok(vec![corpus_dir()?])
    } else {
        Ok(paths.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_file_is_embedded_as_it_is_on_disk() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets")
            .join("corpus");
        let mut on_disk: Vec<(String, String)> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                (name, std::fs::read_to_string(e.path()).unwrap_or_default())
            })
            .collect();
        on_disk.sort();
        let embedded: Vec<(String, String)> = FILES
            .iter()
            .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
            .collect();
        assert_eq!(on_disk, embedded);
    }
}
