//! Reading files: walk the paths, decode the bytes, report what was skipped.
//!
//! In: the paths the user gave and [`LoadOptions`]. Out: the readable
//! [`SourceFile`]s, sorted by path, and a [`Warning`] for every file that
//! was skipped (binary, unreadable, vanished, too large) or changed on the
//! way in (decoded from another encoding than UTF-8, or invalid bytes
//! replaced: see [`super::encoding`]), plus one summary line for files of
//! other types. One bad file never stops the load; only "nothing at all
//! could be read" is an error. Files are read in parallel.
//!
//! This is the only module of the pipeline that touches the filesystem.

use std::fs::{File, FileType, Metadata};
use std::hash::Hasher;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHasher;
use walkdir::WalkDir;

use super::Format;
use super::encoding;
use super::furniture::PatternError;
use super::jsonl::JsonFields;
use crate::model::{SourceFile, Warning};

/// What to read.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// File name extensions read (without the dot, lower case).
    pub extensions: Vec<String>,
    /// Folder names never entered.
    pub skip_dirs: Vec<String>,
    /// Files larger than this are skipped with a warning.
    pub max_file_bytes: u64,
    /// Which fields of a JSON or JSON Lines record hold the article's parts.
    pub json_fields: JsonFields,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            extensions: ["txt", "md", "html", "htm", "json", "jsonl", "ndjson"]
                .map(String::from)
                .to_vec(),
            skip_dirs: vec![".git".into(), "target".into(), "node_modules".into()],
            max_file_bytes: 256 << 20,
            json_fields: JsonFields::default(),
        }
    }
}

/// Why nothing could be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}: no such file or folder")]
    Missing(PathBuf),
    #[error("{0}: no readable article files found (.txt, .md, .html, .json…)")]
    Empty(PathBuf),
    /// The one path given could not be read; says why.
    #[error("{0}")]
    Unreadable(Warning),
    #[error(transparent)]
    Pattern(#[from] PatternError),
}

/// The files read, and what went wrong on the way.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Sorted by path, each file once.
    pub files: Vec<SourceFile>,
    pub warnings: Vec<Warning>,
}

/// How many skipped file names the summary warning shows.
const SKIPPED_NAMES_SHOWN: usize = 3;

fn warn(path: &Path, message: impl Into<String>) -> Warning {
    Warning {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Whether a folder is never entered: hidden, or named in `skip_dirs`.
fn skip_dir(name: &std::ffi::OsStr, opts: &LoadOptions) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || opts.skip_dirs.iter().any(|d| *d == name)
}

/// Whether a file found while walking a folder is read: not hidden, and
/// with one of the extensions (any case). A watcher can ask the same.
pub fn wanted(path: &Path, opts: &LoadOptions) -> bool {
    let hidden = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'));
    let ext_ok = path.extension().is_some_and(|e| {
        let e = e.to_string_lossy().to_lowercase();
        opts.extensions.iter().any(|x| x.eq_ignore_ascii_case(&e))
    });
    !hidden && ext_ok
}

/// Walk `paths` and read every wanted file. A path that names a file is
/// read whatever its extension; folders are walked recursively, following
/// symbolic links (a loop is reported and not followed), skipping hidden
/// folders and those in `skip_dirs`.
pub fn load(paths: &[PathBuf], opts: &LoadOptions) -> Result<Loaded, LoadError> {
    let mut warnings = Vec::new();
    let mut found: Vec<PathBuf> = Vec::new();
    let mut other_type: Vec<PathBuf> = Vec::new();
    for root in paths {
        match std::fs::metadata(root) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if paths.len() == 1 {
                    return Err(LoadError::Missing(root.clone()));
                }
                warnings.push(warn(root, "no such file or folder"));
            }
            Err(e) => warnings.push(warn(root, format!("cannot be opened: {}", io_reason(&e)))),
            // Anything but a folder is read as a file, so that a pipe or a
            // device named on the command line is reported, not walked.
            Ok(m) if !m.is_dir() => found.push(root.clone()),
            Ok(_) => walk(root, opts, &mut found, &mut other_type, &mut warnings),
        }
    }
    if !other_type.is_empty() {
        warnings.push(skipped_summary(paths, &other_type, opts));
    }
    found.sort();
    found.dedup();
    let looked = dedup_same_file(found);
    let results: Vec<Result<SourceFile, Warning>> = looked
        .into_par_iter()
        .map(|(p, stat)| read_file_looked_at(&p, stat, opts))
        .collect();
    let mut files = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(f) => {
                if let Some(note) = &f.encoding_note {
                    warnings.push(warn(&f.path, format!("decoded as {note}")));
                }
                files.push(f);
            }
            Err(w) => warnings.push(w),
        }
    }
    if files.is_empty() {
        let root = paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
        // One path that is not a folder: say what is wrong with it.
        let not_dir = !std::fs::metadata(&root).is_ok_and(|m| m.is_dir());
        if paths.len() == 1
            && not_dir
            && let Some(w) = warnings.iter().find(|w| w.path == root)
        {
            return Err(LoadError::Unreadable(w.clone()));
        }
        return Err(LoadError::Empty(root));
    }
    Ok(Loaded { files, warnings })
}

fn walk(
    root: &Path,
    opts: &LoadOptions,
    found: &mut Vec<PathBuf>,
    other_type: &mut Vec<PathBuf>,
    warnings: &mut Vec<Warning>,
) {
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !e.file_type().is_dir() || !skip_dir(e.file_name(), opts)
        });
    for entry in walker {
        match entry {
            Err(e) => {
                let path = e.path().unwrap_or(root);
                let message = if let Some(anc) = e.loop_ancestor() {
                    format!("symbolic link loop back to {}; not followed", anc.display())
                } else if let Some(io) = e.io_error() {
                    if io.kind() == io::ErrorKind::NotFound {
                        "broken symbolic link or vanished; skipped".to_owned()
                    } else {
                        format!("cannot be read: {}; skipped", io_reason(io))
                    }
                } else {
                    format!("{e}")
                };
                warnings.push(warn(path, message));
            }
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) => {
                let p = e.path();
                let hidden = p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'));
                if !wanted(p, opts) {
                    if !hidden {
                        other_type.push(p.to_path_buf());
                    }
                } else if e.file_type().is_file() {
                    found.push(p.to_path_buf());
                } else {
                    // A pipe would block the reader, a device never end.
                    warnings.push(warn(p, format!("{}; skipped", not_regular(&e.file_type()))));
                }
            }
        }
    }
}

/// One line for all the files skipped for their type, with a few names.
fn skipped_summary(paths: &[PathBuf], skipped: &[PathBuf], opts: &LoadOptions) -> Warning {
    let mut names: Vec<String> = skipped
        .iter()
        .take(SKIPPED_NAMES_SHOWN)
        .map(|p| {
            p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .collect();
    if skipped.len() > SKIPPED_NAMES_SHOWN {
        names.push(format!("and {} more", skipped.len() - SKIPPED_NAMES_SHOWN));
    }
    let exts: Vec<String> = opts.extensions.iter().map(|e| format!(".{e}")).collect();
    let root = paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    warn(
        &root,
        format!(
            "skipped {} file{} not ending in {}: {}",
            skipped.len(),
            if skipped.len() == 1 { "" } else { "s" },
            exts.join(" or "),
            names.join(", ")
        ),
    )
}

/// The same file reached twice (through a link, or named and inside a
/// named folder) is read once, under the first of its paths in sort order.
/// Each path's file is looked up on the pool's threads (one at a time it
/// was a quarter of a second at 50,000 files), and what was found is kept
/// for the read, which need not ask again.
fn dedup_same_file(found: Vec<PathBuf>) -> Vec<(PathBuf, io::Result<FileType>)> {
    let looked: Vec<(SameFile, io::Result<FileType>)> =
        found.par_iter().map(|p| SameFile::of(p)).collect();
    let mut seen = rustc_hash::FxHashSet::default();
    found
        .into_iter()
        .zip(looked)
        .filter_map(|(path, (key, stat))| seen.insert(key).then_some((path, stat)))
        .collect()
}

/// What the file a path reaches is, for telling two paths to one file apart
/// from two files: its device and inode where there are such (one status
/// call, where resolving every part of the path was four), else its
/// resolved path; the path itself when it reaches nothing.
#[derive(PartialEq, Eq, Hash)]
enum SameFile {
    #[cfg(unix)]
    Inode(u64, u64),
    Path(PathBuf),
}

impl SameFile {
    /// The path's file, and its type (or why there is none): kept for the
    /// read rather than the whole metadata, whose list, made before the
    /// texts are read and freed after, raised the peak by 4.5 MB at 10,000
    /// files.
    fn of(path: &Path) -> (SameFile, io::Result<FileType>) {
        let stat = std::fs::metadata(path);
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if let Ok(m) = &stat {
                return (SameFile::Inode(m.dev(), m.ino()), Ok(m.file_type()));
            }
        }
        let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        (SameFile::Path(resolved), stat.map(|m| m.file_type()))
    }
}

fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::NotFound => "no longer there".to_owned(),
        io::ErrorKind::NotADirectory => "part of the path is a file, not a folder".to_owned(),
        _ => e.to_string(),
    }
}

/// What a file that is neither a regular file nor a folder is.
fn not_regular(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "not a regular file (a named pipe)";
        }
        if t.is_socket() {
            return "not a regular file (a socket)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "not a regular file (a device)";
        }
    }
    let _ = t;
    "not a regular file"
}

/// How many times a file that changes while it is read is read again.
const READ_ATTEMPTS: usize = 3;

/// Read and decode one file. `Err` is the warning saying why it was skipped;
/// a file whose text had to be repaired is `Ok` with an `encoding_note`.
/// Only regular files are opened (a pipe would block, a device never end);
/// a file that changes while it is read is read again, and skipped if it
/// never holds still.
pub fn read_file(path: &Path, opts: &LoadOptions) -> Result<SourceFile, Warning> {
    read_file_looked_at(path, std::fs::metadata(path).map(|m| m.file_type()), opts)
}

/// [`read_file`] of a path whose file type was just asked for (`stat`).
fn read_file_looked_at(
    path: &Path,
    stat: io::Result<FileType>,
    opts: &LoadOptions,
) -> Result<SourceFile, Warning> {
    let skipped = |why: String| warn(path, format!("{why}; skipped"));
    let mut stat = Some(stat);
    for _ in 0..READ_ATTEMPTS {
        let stat = stat
            .take()
            .unwrap_or_else(|| std::fs::metadata(path).map(|m| m.file_type()));
        let Bytes {
            bytes,
            before: meta,
            after,
        } = read_bytes(path, stat, opts).map_err(skipped)?;
        // The same length and time after the read as before: the bytes are one version.
        let still = after.as_ref().is_some_and(|a| {
            a.len() == bytes.len() as u64
                && a.modified().ok() == meta.as_ref().and_then(|m| m.modified().ok())
        });
        if !still {
            continue;
        }
        let html = matches!(Format::of(path), Format::Html);
        let (size, hash) = (bytes.len() as u64, hash_bytes(&bytes));
        let decoded = encoding::decode_owned(bytes, html).map_err(|why| skipped(why.to_owned()))?;
        return Ok(SourceFile {
            path: path.to_path_buf(),
            size,
            modified: meta.and_then(|m| m.modified().ok()),
            hash,
            text: decoded.text,
            encoding_note: decoded.note,
        });
    }
    Err(skipped("kept changing while being read".to_owned()))
}

/// A regular file's raw bytes, with what its open file said of it before
/// and after the read.
struct Bytes {
    bytes: Vec<u8>,
    before: Option<Metadata>,
    after: Option<Metadata>,
}

/// The raw bytes of a regular file whose type is `stat`; `Err` says why
/// not.
fn read_bytes(
    path: &Path,
    stat: io::Result<FileType>,
    opts: &LoadOptions,
) -> Result<Bytes, String> {
    let gone = |e: &io::Error| match e.kind() {
        io::ErrorKind::NotFound => "vanished before it could be read".to_owned(),
        _ => format!("cannot be read: {}", io_reason(e)),
    };
    let stat = stat.map_err(|e| gone(&e))?;
    if stat.is_dir() {
        return Err("is a folder, not a file".to_owned());
    }
    if !stat.is_file() {
        return Err(not_regular(&stat).to_owned());
    }
    let mut f = File::open(path).map_err(|e| gone(&e))?;
    let meta = f.metadata().ok();
    // Replaced by something else between the look and the open.
    if meta.as_ref().is_some_and(|m| !m.is_file()) {
        return Err("is not a regular file any more".to_owned());
    }
    let size_hint = meta.as_ref().map_or(0, Metadata::len);
    if size_hint > opts.max_file_bytes {
        return Err(format!(
            "too large ({} MB, the limit is {} MB)",
            size_hint >> 20,
            opts.max_file_bytes >> 20
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size_hint).unwrap_or(0));
    // `take` guards against a file that grows while being read. A file
    // that says its length is read to that length only, which spares the
    // read that would find its end (one system call in eight of a load):
    // had it grown meanwhile, its length after the read tells.
    let limit = if size_hint > 0 {
        size_hint
    } else {
        opts.max_file_bytes.saturating_add(1)
    };
    (&mut f)
        .take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("could not be read to the end: {}", io_reason(&e)))?;
    if bytes.len() as u64 > opts.max_file_bytes {
        return Err("grew too large while being read".to_owned());
    }
    // Asked of the open file rather than of its path: no second lookup.
    let after = f.metadata().ok();
    Ok(Bytes {
        bytes,
        before: meta,
        after,
    })
}

/// A stable hash of raw bytes (FxHash, the same across runs).
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(bytes);
    h.write_usize(bytes.len());
    h.finish()
}

/// Bytes → text, as [`encoding::decode`] does for a file that is not HTML:
/// the text, and a note naming the encoding when it was not clean UTF-8.
/// `Err` says why the bytes are not text at all.
pub fn decode(bytes: &[u8]) -> Result<(String, Option<String>), &'static str> {
    encoding::decode(bytes, false).map(|d| (d.text, d.note))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms_and_reports_binary() {
        assert_eq!(decode(b"\xEF\xBB\xBFhi"), Ok(("hi".to_owned(), None)));
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("hé\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(
            decode(&le),
            Ok(("hé\n".to_owned(), Some("UTF-16LE".to_owned())))
        );
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("hé".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&be).map(|d| d.0), Ok("hé".to_owned()));
        assert!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").is_err());
        assert!(decode(b"PK\x03\x04\x14\0").is_err());
        assert!(decode(b"a\0b").is_err());
        assert!(decode(b"\x01\x02\x03\x04abc").is_err());
        let (text, note) = decode(b"caf\xE9 ok").unwrap_or_default();
        assert_eq!(text, "caf\u{E9} ok");
        assert_eq!(note.as_deref(), Some("windows-1252"));
    }

    #[test]
    fn a_file_is_read_whole_whatever_was_seen_of_it_before() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "first line\n").expect("write");
        // What the dedup pass saw, before the file grew.
        let seen = std::fs::metadata(&path).map(|m| m.file_type());
        std::fs::write(&path, "first line\nsecond line, added since\n").expect("write");
        let f = read_file_looked_at(&path, seen, &LoadOptions::default()).expect("read");
        assert_eq!(f.text, "first line\nsecond line, added since\n");
        assert_eq!(f.size, f.text.len() as u64);
    }

    #[test]
    fn wanted_checks_extension_and_hidden() {
        let o = LoadOptions::default();
        assert!(wanted(Path::new("a/b.txt"), &o));
        assert!(wanted(Path::new("a/b.MD"), &o));
        assert!(!wanted(Path::new("a/b.png"), &o));
        assert!(!wanted(Path::new("a/.b.txt"), &o));
        assert!(!wanted(Path::new("a/README"), &o));
    }

    #[test]
    fn hash_tells_contents_apart() {
        assert_eq!(hash_bytes(b"abc"), hash_bytes(b"abc"));
        assert_ne!(hash_bytes(b"abc"), hash_bytes(b"abd"));
    }
}
