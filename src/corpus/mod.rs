//! Files → articles: read every file under the given paths, split each into
//! paragraphs and articles, and mark page furniture.
//!
//! In: paths and [`LoadOptions`]/[`SegmentOptions`]. Out: a [`Corpus`] whose
//! articles carry short version ids, titles, paragraphs with roles and line
//! spans, what the file says about them ([`ArticleMeta`]), and the warnings
//! about files that were skipped or changed.
//!
//! Stages: [`load`] (the only I/O, decoding with [`encoding`]), then by the
//! file's [`Format`]: plain text and Markdown go through [`layout`] (lines →
//! raw paragraphs); HTML pages through [`html`] (the article's blocks, with
//! their lines, and the page's metadata); JSON and JSON Lines through
//! [`jsonl`] (one article per record). All then meet [`furniture`] (patterns)
//! and [`segment`] (roles and article boundaries).
//! A refresh re-reads changed files with [`load::read_file`], extracts only
//! those, and calls [`from_extracted`] with the other files' articles as
//! they were; ids depend only on the sorted file paths (and a record's
//! number), so they stay put.

pub mod encoding;
pub mod furniture;
pub mod html;
pub mod jsonl;
pub mod layout;
pub mod load;
pub mod segment;

pub use furniture::PatternError;
pub use jsonl::JsonFields;
pub use load::{LoadError, LoadOptions};
pub use segment::{ArticleDraft, SegmentOptions, Segmenter, segment_text};

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::{Article, ArticleMeta, Corpus, SourceFile, Warning};

/// How a file is read, by its name's extension (any case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text or Markdown (and any file named on the command line).
    Text,
    /// `.html`, `.htm`, `.xhtml`.
    Html,
    /// `.json`: an array of records, an object holding one, or one record.
    Json,
    /// `.jsonl`, `.ndjson`: one record a line.
    JsonLines,
}

impl Format {
    pub fn of(path: &Path) -> Format {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "html" | "htm" | "xhtml" => Format::Html,
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::JsonLines,
            _ => Format::Text,
        }
    }
}

/// An article a reader found in a file, before it gets its corpus-wide id.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub draft: ArticleDraft,
    pub meta: ArticleMeta,
    /// What follows the file's short name and a `-` in the version id: the
    /// article's number in the file (`None` for the file's first article of
    /// a text or HTML file, or a JSON file of one record).
    pub suffix: Option<String>,
}

/// Everything a reader found in one file.
#[derive(Debug, Clone, Default)]
pub struct FileArticles {
    pub articles: Vec<Extracted>,
    /// About the file as a whole (records skipped…), without its path.
    pub warnings: Vec<String>,
}

/// The articles of one file, read as its format says.
pub fn extract(file: &SourceFile, segmenter: &Segmenter, json: &JsonFields) -> FileArticles {
    let mut found = match Format::of(&file.path) {
        Format::Text => numbered(segmenter.segment(&file.text), ArticleMeta::default()),
        Format::Html => html::articles(&file.text, segmenter),
        Format::Json => jsonl::articles(&file.text, false, json, segmenter),
        Format::JsonLines => jsonl::articles(&file.text, true, json, segmenter),
    };
    for a in &mut found.articles {
        a.meta.encoding.clone_from(&file.encoding_note);
    }
    found
}

/// Drafts of one file as its articles: the first keeps the file's short
/// name, the next get `-2`, `-3`…; the first has `meta`, the others none.
pub fn numbered(drafts: Vec<ArticleDraft>, meta: ArticleMeta) -> FileArticles {
    let articles = drafts
        .into_iter()
        .enumerate()
        .map(|(i, draft)| Extracted {
            draft,
            meta: if i == 0 {
                meta.clone()
            } else {
                ArticleMeta::default()
            },
            suffix: (i > 0).then(|| (i + 1).to_string()),
        })
        .collect();
    FileArticles {
        articles,
        warnings: Vec::new(),
    }
}

/// Read and segment everything under `paths`.
pub fn open(
    paths: &[PathBuf],
    load: &LoadOptions,
    segment: &SegmentOptions,
) -> Result<Corpus, LoadError> {
    open_keeping(paths, load, segment, true)
}

/// [`open`], except that each file's text is freed as soon as its articles
/// are made (the files keep their path, size, time and hash): the articles
/// hold all that an [`crate::engine::Engine`] shows and compares, and the
/// texts would be a third of the memory at the peak of a large load.
pub fn open_articles(
    paths: &[PathBuf],
    load: &LoadOptions,
    segment: &SegmentOptions,
) -> Result<Corpus, LoadError> {
    open_keeping(paths, load, segment, false)
}

fn open_keeping(
    paths: &[PathBuf],
    load: &LoadOptions,
    segment: &SegmentOptions,
    keep_text: bool,
) -> Result<Corpus, LoadError> {
    let segmenter = Segmenter::new(segment)?;
    let loaded = load::load(paths, load)?;
    let mut files = loaded.files;
    let found = extract_all(&mut files, &segmenter, load, keep_text);
    Ok(from_extracted(files, found, loaded.warnings))
}

/// [`extract`] of every file, in parallel; with `keep_text` false each
/// file's text is freed once read, after what it says about a file without
/// articles is noted.
fn extract_all(
    files: &mut [SourceFile],
    segmenter: &Segmenter,
    load: &LoadOptions,
    keep_text: bool,
) -> Vec<FileArticles> {
    files
        .par_iter_mut()
        .map(|f| {
            let mut found = extract(f, segmenter, &load.json_fields);
            if !keep_text {
                if found.articles.is_empty() && found.warnings.is_empty() {
                    found.warnings.push(no_article(&f.text).to_owned());
                }
                f.text = String::new();
            }
            found
        })
        .collect()
}

/// Why a file that was read gave no article.
fn no_article(text: &str) -> &'static str {
    if text.trim().is_empty() {
        "file is empty; no article"
    } else {
        "no article text found (only headlines or page furniture)"
    }
}

/// [`from_files_with`] with the default [`LoadOptions`] (JSON field names).
pub fn from_files(files: Vec<SourceFile>, warnings: Vec<Warning>, segmenter: &Segmenter) -> Corpus {
    from_files_with(files, warnings, segmenter, &LoadOptions::default())
}

/// Segment files already read (sorted by path, as [`load::load`] gives
/// them) into a corpus with version ids, each file read as its [`Format`]
/// says (`load` names the fields of JSON records). Empty files, files with
/// no article text and files whose text holds terminal controls get a warning.
pub fn from_files_with(
    mut files: Vec<SourceFile>,
    warnings: Vec<Warning>,
    segmenter: &Segmenter,
    load: &LoadOptions,
) -> Corpus {
    let found = extract_all(&mut files, segmenter, load, true);
    from_extracted(files, found, warnings)
}

/// [`from_files_with`] for files already read into articles (`found[i]` is
/// what [`extract`] gave for `files[i]`), so a refresh can extract only the
/// files that changed.
pub fn from_extracted(
    files: Vec<SourceFile>,
    mut found: Vec<FileArticles>,
    mut warnings: Vec<Warning>,
) -> Corpus {
    let bases = version_ids(&files.iter().map(|f| f.path.as_path()).collect::<Vec<_>>());
    // Looking at every character is the slow part of this step: done for
    // all files at once, with the trimming below.
    let unsafe_notes: Vec<Option<String>> = found
        .par_iter_mut()
        .map(|fa| {
            for x in &mut fa.articles {
                // The corpus is kept for the whole session: give back the
                // spare room the list of paragraphs grew (each paragraph's
                // text is boxed to its length when it is made).
                x.draft.paragraphs.shrink_to_fit();
            }
            crate::sanitize::unsafe_summary_of(
                fa.articles
                    .iter()
                    .flat_map(|x| x.draft.paragraphs.iter().map(|p| &*p.text)),
            )
        })
        .collect();
    let mut articles = Vec::new();
    for (file, ((fa, base), unsafe_note)) in
        found.into_iter().zip(bases).zip(unsafe_notes).enumerate()
    {
        let path = &files[file].path;
        let told = !fa.warnings.is_empty();
        warnings.extend(fa.warnings.into_iter().map(|message| Warning {
            path: path.clone(),
            message,
        }));
        if let Some(what) = unsafe_note {
            warnings.push(Warning {
                path: path.clone(),
                message: format!(
                    "holds {what}; shown on screen as placeholders such as ␛, kept as they are in exports"
                ),
            });
        }
        if fa.articles.is_empty() && !told {
            warnings.push(Warning {
                path: path.clone(),
                message: no_article(&files[file].text).to_owned(),
            });
        }
        for (index_in_file, x) in fa.articles.into_iter().enumerate() {
            let id = match &x.suffix {
                None => base.clone(),
                Some(n) => format!("{base}-{n}"),
            };
            articles.push(Article {
                id,
                file,
                index_in_file,
                title: x.draft.title,
                paragraphs: x.draft.paragraphs,
                lines: x.draft.lines,
                meta: x.meta,
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
/// `000_66b6….txt`), else the whole stem, else `folder/stem`. Control and
/// bidi characters and bytes that are not UTF-8 become `_`.
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
    ids.iter().map(|id| typeable(id)).collect()
}

/// An id made of file names: what cannot be typed or shown becomes `_`.
fn typeable(name: &str) -> String {
    name.chars()
        .map(|c| {
            if crate::sanitize::is_unsafe(c) || c == char::REPLACEMENT_CHARACTER {
                '_'
            } else {
                c
            }
        })
        .collect()
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
        assert_eq!(
            ids(&["c/a\u{1b}[2J\u{202E}b.txt", "c/\u{9b}x.md"]),
            vec!["a_[2J_b", "_x"]
        );
    }
}
