//! Files → articles: read every file under the given paths, split each into
//! paragraphs and articles, and mark page furniture.
//!
//! In: paths and [`LoadOptions`]/[`SegmentOptions`]. Out: a [`Corpus`] whose
//! articles carry short version ids, titles, paragraphs with roles and line
//! spans, and the warnings about files that were skipped or changed.
//!
//! Stages: [`load`] (the only I/O), [`layout`] (lines → raw paragraphs),
//! [`furniture`] (patterns), [`segment`] (roles and article boundaries).
//! A watcher re-reads one file with [`load::read_file`], swaps it into the
//! file list and calls [`from_files`] again; ids depend only on the sorted
//! file paths, so they stay put.

pub mod furniture;
pub mod layout;
pub mod load;
pub mod segment;

pub use furniture::PatternError;
pub use load::{LoadError, LoadOptions};
pub use segment::{ArticleDraft, SegmentOptions, Segmenter, segment_text};

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::{Article, Corpus, SourceFile, Warning};

/// Read and segment everything under `paths`.
pub fn open(
    paths: &[PathBuf],
    load: &LoadOptions,
    segment: &SegmentOptions,
) -> Result<Corpus, LoadError> {
    let segmenter = Segmenter::new(segment)?;
    let loaded = load::load(paths, load)?;
    Ok(from_files(loaded.files, loaded.warnings, &segmenter))
}

/// Segment files already read (sorted by path, as [`load::load`] gives
/// them) into a corpus with version ids. Empty files and files with no
/// article text get a warning.
pub fn from_files(
    files: Vec<SourceFile>,
    mut warnings: Vec<Warning>,
    segmenter: &Segmenter,
) -> Corpus {
    let drafts: Vec<Vec<ArticleDraft>> = files
        .par_iter()
        .map(|f| segmenter.segment(&f.text))
        .collect();
    let bases = version_ids(&files.iter().map(|f| f.path.as_path()).collect::<Vec<_>>());
    let mut articles = Vec::new();
    for (file, (ds, base)) in drafts.into_iter().zip(bases).enumerate() {
        if ds.is_empty() {
            let message = if files[file].text.trim().is_empty() {
                "file is empty; no article"
            } else {
                "no article text found (only headlines or page furniture)"
            };
            warnings.push(Warning {
                path: files[file].path.clone(),
                message: message.to_owned(),
            });
        }
        for (index_in_file, d) in ds.into_iter().enumerate() {
            let id = if index_in_file == 0 {
                base.clone()
            } else {
                format!("{base}-{}", index_in_file + 1)
            };
            articles.push(Article {
                id,
                file,
                index_in_file,
                title: d.title,
                paragraphs: d.paragraphs,
                lines: d.lines,
            });
        }
    }
    make_unique(&mut articles);
    warnings.sort_by(|a, b| a.path.cmp(&b.path));
    Corpus {
        files,
        articles,
        warnings,
    }
}

/// A short, typeable id for each file, unique among them: the part of the
/// file stem before its first `_` when no other file claims it ("000" for
/// `000_66b6….txt`), else the whole stem, else `folder/stem`.
pub fn version_ids(paths: &[&Path]) -> Vec<String> {
    let stems: Vec<String> = paths
        .iter()
        .map(|p| {
            p.file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
        })
        .collect();
    let prefixes: Vec<Option<&str>> = stems
        .iter()
        .map(|s| s.split_once('_').map(|(p, _)| p).filter(|p| !p.is_empty()))
        .collect();
    let mut claims: FxHashMap<&str, usize> = FxHashMap::default();
    for (s, p) in stems.iter().zip(&prefixes) {
        *claims.entry(s.as_str()).or_default() += 1;
        if let Some(p) = p
            && p != s
        {
            *claims.entry(p).or_default() += 1;
        }
    }
    let mut ids: Vec<String> = stems
        .iter()
        .zip(&prefixes)
        .map(|(s, p)| match p {
            Some(p) if claims.get(p) == Some(&1) => (*p).to_owned(),
            _ => s.clone(),
        })
        .collect();
    let mut count: FxHashMap<String, usize> = FxHashMap::default();
    for id in &ids {
        *count.entry(id.clone()).or_default() += 1;
    }
    for (i, id) in ids.iter_mut().enumerate() {
        if count.get(id.as_str()).is_some_and(|&c| c > 1) {
            let parent = paths[i]
                .parent()
                .and_then(Path::file_name)
                .map(|n| n.to_string_lossy().into_owned());
            if let Some(parent) = parent {
                *id = format!("{parent}/{}", stems[i]);
            }
        }
    }
    ids
}

/// Last resort for ids that still clash (two `a/x.txt` under different
/// roots, or a file named like another file's second article): later ones
/// in path order get `~2`, `~3`…
fn make_unique(articles: &mut [Article]) {
    let mut used: FxHashSet<String> = FxHashSet::default();
    for a in articles.iter_mut() {
        if !used.insert(a.id.clone()) {
            let mut n = 2;
            while used.contains(&format!("{}~{n}", a.id)) {
                n += 1;
            }
            a.id = format!("{}~{n}", a.id);
            used.insert(a.id.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(paths: &[&str]) -> Vec<String> {
        let p: Vec<&Path> = paths.iter().map(Path::new).collect();
        version_ids(&p)
    }

    #[test]
    fn short_ids_from_stems() {
        assert_eq!(
            ids(&["c/000_66b6.txt", "c/001_3b13.txt"]),
            vec!["000", "001"]
        );
        assert_eq!(
            ids(&["c/covenant-1.0.txt", "c/page-A.txt"]),
            vec!["covenant-1.0", "page-A"]
        );
        assert_eq!(ids(&["c/000_a.txt", "c/000_b.txt"]), vec!["000_a", "000_b"]);
        assert_eq!(ids(&["c/000.txt", "c/000_b.txt"]), vec!["000", "000_b"]);
        assert_eq!(ids(&["a/x.txt", "b/x.md"]), vec!["a/x", "b/x"]);
    }
}
