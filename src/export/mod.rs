//! Comparisons and alignments → files a person or a script reads elsewhere.
//!
//! In: an [`Engine`] and an [`ExportRequest`] (which story, which versions,
//! what the user chose to show). Out: the text of a unified diff, a Markdown
//! report, a self-contained HTML page or JSON ([`render`]), or that text
//! written safely to a file ([`write`]): atomically, never over an existing
//! file unless asked, never over a file of the corpus being shown.
//!
//! Each format has its own module with functions on plain data
//! ([`View`] plus a [`Comparison`] or an [`Alignment`]), so that they can be
//! tested and reused without an engine.

pub mod html;
pub mod json;
pub mod markdown;
pub mod unified;

use std::fmt;
use std::io::ErrorKind;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::diff::DiffOptions;
use crate::engine::Engine;
use crate::fsutil::{atomic_write, atomic_write_new};
use crate::model::{
    Article, ArticleMeta, ChangeKind, Comparison, Corpus, LineSpan, Story, VersionIx, WordDiff,
};

pub use unified::body_text;

/// The file formats storydiff exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// A unified diff of the body texts, one paragraph a line.
    Unified,
    /// A Markdown report of the changes.
    Markdown,
    /// A self-contained HTML page, side by side.
    Html,
    /// The JSON of `storydiff diff --json` / `align --json`.
    Json,
}

impl Format {
    pub const ALL: [Format; 4] = [
        Format::Unified,
        Format::Markdown,
        Format::Html,
        Format::Json,
    ];

    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Unified => "diff",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Json => "json",
        }
    }

    /// The name accepted by [`FromStr`] and shown to users.
    pub fn name(self) -> &'static str {
        match self {
            Format::Unified => "unified",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Json => "json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format name that is none of the known ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown export format '{0}': use unified (or diff), markdown (or md), html or json")]
pub struct ParseFormatError(pub String);

impl FromStr for Format {
    type Err = ParseFormatError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "unified" | "diff" => Ok(Format::Unified),
            "markdown" | "md" => Ok(Format::Markdown),
            "html" => Ok(Format::Html),
            "json" => Ok(Format::Json),
            _ => Err(ParseFormatError(s.to_owned())),
        }
    }
}

/// Which versions are exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Versions {
    /// The base against this one other version.
    Pair(VersionIx),
    /// Every version of the story, aligned against the base.
    All,
}

/// What to export, as the user sees it.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub format: Format,
    /// Index of the story in [`Engine::stories`].
    pub story: usize,
    pub base: VersionIx,
    pub versions: Versions,
    /// Show page furniture (dimmed) beside the body; headlines and captions are always shown.
    /// Only the HTML page shows paragraphs that are not body text.
    pub show_furniture: bool,
    /// The diff options of the current view (`hide_style` drops style-only changes).
    pub diff: DiffOptions,
}

impl ExportRequest {
    /// A two-version export with the default view choices.
    pub fn pair(format: Format, story: usize, base: VersionIx, other: VersionIx) -> Self {
        ExportRequest {
            format,
            story,
            base,
            versions: Versions::Pair(other),
            show_furniture: false,
            diff: DiffOptions::default(),
        }
    }

    /// A whole-story export with the default view choices.
    pub fn all(format: Format, story: usize, base: VersionIx) -> Self {
        ExportRequest {
            format,
            story,
            base,
            versions: Versions::All,
            show_furniture: false,
            diff: DiffOptions::default(),
        }
    }
}

/// Why an export was not written. Every message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    InvalidRequest(String),
    #[error("{} already exists; choose another name or allow replacing it (--force)", .0.display())]
    Exists(PathBuf),
    #[error("refusing to write over {}: it is one of the files being compared; choose another name", .0.display())]
    CorpusFile(PathBuf),
    #[error("the folder {} does not exist; create it first or choose another folder", .0.display())]
    MissingFolder(PathBuf),
    #[error("{} is not a folder; choose an existing folder to write into", .0.display())]
    NotAFolder(PathBuf),
    #[error("{} is a folder; give a file name to write", .0.display())]
    IsFolder(PathBuf),
    #[error("cannot write in {}: the place is read-only or you lack permission; choose a folder you can write to", .0.display())]
    NotWritable(PathBuf),
    #[error("not enough disk space (or quota) to write {}; free some space or choose another disk", .0.display())]
    DiskFull(PathBuf),
    #[error("cannot write {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What the format renderers read: the corpus, the story and the view choices.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    pub corpus: &'a Corpus,
    pub story: &'a Story,
    pub show_furniture: bool,
    pub diff: &'a DiffOptions,
}

impl<'a> View<'a> {
    pub fn new(engine: &'a Engine, story: usize, req: &'a ExportRequest) -> Self {
        View {
            corpus: engine.corpus(),
            story: engine.story(story),
            show_furniture: req.show_furniture,
            diff: &req.diff,
        }
    }

    pub(crate) fn article(&self, v: VersionIx) -> Option<&'a Article> {
        let id = *self.story.versions.get(v)?;
        self.corpus.articles.get(id)
    }

    /// The version's id, or `?` for an index that is not in the story.
    pub(crate) fn version_id(&self, v: VersionIx) -> &'a str {
        self.article(v).map_or("?", |a| a.id.as_str())
    }

    /// The version's file as reached from the paths the user gave.
    pub(crate) fn file(&self, v: VersionIx) -> String {
        self.article(v)
            .and_then(|a| self.corpus.files.get(a.file))
            .map(|f| f.path.display().to_string())
            .unwrap_or_default()
    }

    /// What the version's file says about it (outlet, address, date), when
    /// it says anything (HTML pages, JSON records).
    pub(crate) fn meta(&self, v: VersionIx) -> Option<&'a ArticleMeta> {
        self.article(v).map(|a| &a.meta).filter(|m| !m.is_empty())
    }

    /// The texts and the line span of some of a version's paragraphs.
    pub(crate) fn paragraphs(&self, v: VersionIx, ixs: &[usize]) -> Vec<(&'a str, LineSpan)> {
        let Some(a) = self.article(v) else {
            return Vec::new();
        };
        ixs.iter()
            .filter_map(|&i| a.paragraphs.get(i))
            .map(|p| (&*p.text, p.lines))
            .collect()
    }

    /// The lines covered by some of a version's paragraphs.
    pub(crate) fn lines(&self, v: VersionIx, ixs: &[usize]) -> Option<LineSpan> {
        self.paragraphs(v, ixs)
            .into_iter()
            .map(|(_, l)| l)
            .reduce(LineSpan::cover)
    }

    /// Paragraph texts joined as the word diff joins them for a merge or split.
    pub(crate) fn joined(&self, v: VersionIx, ixs: &[usize]) -> String {
        let texts: Vec<&str> = self
            .paragraphs(v, ixs)
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        texts.join(PARAGRAPH_JOIN)
    }
}

/// What separates the paragraphs of a merge or split in one diffed text.
pub(crate) const PARAGRAPH_JOIN: &str = "\n";

/// Check the request's indices against the engine.
fn validate(engine: &Engine, req: &ExportRequest) -> Result<(), ExportError> {
    let Some(story) = engine.stories().get(req.story) else {
        return Err(ExportError::InvalidRequest(format!(
            "there is no story number {} (the corpus has {})",
            req.story,
            engine.stories().len()
        )));
    };
    let n = story.versions.len();
    let other = match req.versions {
        Versions::Pair(o) => Some(o),
        Versions::All => None,
    };
    for v in std::iter::once(req.base).chain(other) {
        if v >= n {
            return Err(ExportError::InvalidRequest(format!(
                "story {} has no version number {v} (it has {n})",
                story.id
            )));
        }
    }
    Ok(())
}

/// The export's text.
pub fn render(engine: &Engine, req: &ExportRequest) -> Result<String, ExportError> {
    validate(engine, req)?;
    let view = View::new(engine, req.story, req);
    let others = || -> Vec<VersionIx> {
        (0..view.story.versions.len())
            .filter(|&v| v != req.base)
            .collect()
    };
    let comparisons = |vs: &[VersionIx]| {
        vs.iter()
            .map(|&v| engine.comparison(req.story, req.base, v, &req.diff))
            .collect::<Vec<_>>()
    };
    let text = match (req.format, req.versions) {
        (Format::Unified, Versions::Pair(other)) => unified::pair(&view, req.base, other),
        (Format::Unified, Versions::All) => unified::story(&view, req.base),
        (Format::Markdown, Versions::Pair(other)) => markdown::pair(
            &view,
            &engine.comparison(req.story, req.base, other, &req.diff),
        ),
        (Format::Markdown, Versions::All) => {
            let cs = comparisons(&others());
            let refs: Vec<&Comparison> = cs.iter().map(|c| c.as_ref()).collect();
            markdown::story(&view, req.base, &refs)
        }
        (Format::Html, Versions::Pair(other)) => html::pair(
            &view,
            &engine.comparison(req.story, req.base, other, &req.diff),
        ),
        (Format::Html, Versions::All) => html::story(&view, &engine.alignment(req.story, req.base)),
        (Format::Json, Versions::Pair(other)) => json::to_string(&json::DiffJson::from_view(
            &view,
            &engine.comparison(req.story, req.base, other, &req.diff),
        )),
        (Format::Json, Versions::All) => json::to_string(&json::AlignJson::from_view(
            &view,
            &engine.alignment(req.story, req.base),
        )),
    };
    Ok(text)
}

/// `<story>__<base>__vs__<other>.<ext>`, or `<story>__all.<ext>` for the whole story.
pub fn default_file_name(engine: &Engine, req: &ExportRequest, format: Format) -> String {
    let Some(story) = engine.stories().get(req.story) else {
        return format!("storydiff.{}", format.extension());
    };
    let id = |v: VersionIx| {
        story
            .versions
            .get(v)
            .and_then(|&a| engine.corpus().articles.get(a))
            .map_or_else(|| v.to_string(), |a| a.id.clone())
    };
    let stem = match req.versions {
        Versions::Pair(other) => format!("{}__{}__vs__{}", story.id, id(req.base), id(other)),
        Versions::All => format!("{}__all", story.id),
    };
    format!("{}.{}", file_name_safe(&stem), format.extension())
}

/// A name with no path separators, control characters or characters some systems refuse.
fn file_name_safe(s: &str) -> String {
    let out: String = s
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    // A leading dot would hide the file.
    match out.strip_prefix('.') {
        Some(rest) => format!("_{rest}"),
        None => out,
    }
}

/// Render the export and write it to `target` atomically.
///
/// `target` may be an existing folder, in which case the file gets
/// [`default_file_name`]. An existing file is replaced only when `force`.
/// No file of the corpus, and none of `protected` (e.g. the paths the user
/// gave), is ever written over. Returns the path written.
pub fn write(
    engine: &Engine,
    req: &ExportRequest,
    target: &Path,
    force: bool,
    protected: &[PathBuf],
) -> Result<PathBuf, ExportError> {
    validate(engine, req)?;
    let target = if target.is_dir() {
        target.join(default_file_name(engine, req, req.format))
    } else {
        target.to_path_buf()
    };
    let folder = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !folder.exists() {
        return Err(ExportError::MissingFolder(folder));
    }
    if !folder.is_dir() {
        return Err(ExportError::NotAFolder(folder));
    }
    let corpus_files = engine.corpus().files.iter().map(|f| f.path.as_path());
    if corpus_files
        .chain(protected.iter().map(PathBuf::as_path))
        .any(|p| same_file(&target, p))
    {
        return Err(ExportError::CorpusFile(target));
    }
    if target.is_dir() {
        return Err(ExportError::IsFolder(target));
    }
    if !force && target.symlink_metadata().is_ok() {
        return Err(ExportError::Exists(target));
    }
    let text = render(engine, req)?;
    let written = if force {
        atomic_write(&target, text.as_bytes())
    } else {
        atomic_write_new(&target, text.as_bytes())
    };
    written.map_err(|e| explain(e, &target, &folder))?;
    Ok(target)
}

/// The io error as a message that says what to do.
pub(crate) fn explain(e: std::io::Error, target: &Path, folder: &Path) -> ExportError {
    match e.kind() {
        ErrorKind::AlreadyExists => ExportError::Exists(target.to_path_buf()),
        ErrorKind::NotFound => ExportError::MissingFolder(folder.to_path_buf()),
        ErrorKind::NotADirectory => ExportError::NotAFolder(folder.to_path_buf()),
        ErrorKind::IsADirectory => ExportError::IsFolder(target.to_path_buf()),
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
            ExportError::NotWritable(folder.to_path_buf())
        }
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge => {
            ExportError::DiskFull(target.to_path_buf())
        }
        _ => ExportError::Io {
            path: target.to_path_buf(),
            source: e,
        },
    }
}

/// Whether two paths name the same file, through symbolic or hard links too.
/// A path that does not exist is compared by its canonical folder and name.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return ma.dev() == mb.dev() && ma.ino() == mb.ino();
        }
    }
    match (canonical(a), canonical(b)) {
        (Some(ca), Some(cb)) => ca == cb,
        _ => false,
    }
}

fn canonical(p: &Path) -> Option<PathBuf> {
    if let Ok(c) = p.canonicalize() {
        return Some(c);
    }
    let name = p.file_name()?;
    let folder = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(folder.canonicalize().ok()?.join(name))
}

/// One highlighted stretch of a paragraph's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mark {
    pub range: Range<usize>,
    pub kind: ChangeKind,
    /// Absolute byte ranges of the letters that differ, inside `range`.
    pub emphasis: Vec<Range<usize>>,
}

/// The old side's highlights of a word diff (changes that remove or replace words).
pub(crate) fn old_marks(d: &WordDiff) -> Vec<Mark> {
    marks(
        &d.old_text,
        d.changes
            .iter()
            .map(|c| (c.old.clone(), c.kind, c.old_emphasis.as_slice())),
    )
}

/// The new side's highlights of a word diff (changes that add or replace words).
pub(crate) fn new_marks(d: &WordDiff) -> Vec<Mark> {
    marks(
        &d.new_text,
        d.changes
            .iter()
            .map(|c| (c.new.clone(), c.kind, c.new_emphasis.as_slice())),
    )
}

/// Keep the non-empty ranges that are valid in `text`, in order, without overlaps.
fn marks<'c>(
    text: &str,
    changes: impl Iterator<Item = (Range<usize>, ChangeKind, &'c [Range<usize>])>,
) -> Vec<Mark> {
    let mut out: Vec<Mark> = Vec::new();
    for (range, kind, emphasis) in changes {
        if range.is_empty() || text.get(range.clone()).is_none() {
            continue;
        }
        if out.last().is_some_and(|m| m.range.end > range.start) {
            continue;
        }
        let emphasis = emphasis
            .iter()
            .map(|e| range.start + e.start..range.start + e.end)
            .filter(|e| !e.is_empty() && e.end <= range.end && text.get(e.clone()).is_some())
            .collect();
        out.push(Mark {
            range,
            kind,
            emphasis,
        });
    }
    out
}

/// A piece of text between or inside highlights.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece<'t> {
    Plain(&'t str),
    /// Highlighted text as (letters differ, text) parts.
    Marked(ChangeKind, Vec<(bool, &'t str)>),
}

/// Split `text` into plain and highlighted pieces.
pub(crate) fn pieces<'t>(text: &'t str, marks: &[Mark]) -> Vec<Piece<'t>> {
    let mut out = Vec::new();
    let mut at = 0;
    for m in marks {
        if m.range.start < at {
            continue;
        }
        if m.range.start > at {
            out.push(Piece::Plain(&text[at..m.range.start]));
        }
        out.push(Piece::Marked(m.kind, emphasised(text, m)));
        at = m.range.end;
    }
    if at < text.len() {
        out.push(Piece::Plain(&text[at..]));
    }
    out
}

fn emphasised<'t>(text: &'t str, m: &Mark) -> Vec<(bool, &'t str)> {
    let mut parts = Vec::new();
    let mut at = m.range.start;
    for e in &m.emphasis {
        if e.start < at {
            continue;
        }
        if e.start > at {
            parts.push((false, &text[at..e.start]));
        }
        parts.push((true, &text[e.clone()]));
        at = e.end;
    }
    if at < m.range.end {
        parts.push((false, &text[at..m.range.end]));
    }
    parts
}

/// One step of a word diff read as a single text: kept, removed or added words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Inline<'t> {
    Kept(&'t str),
    Removed(ChangeKind, Vec<(bool, &'t str)>),
    Added(ChangeKind, Vec<(bool, &'t str)>),
}

/// The word diff as one text: the new text with removed words shown where they stood.
pub(crate) fn inline(d: &WordDiff) -> Vec<Inline<'_>> {
    let old = old_marks(d);
    let new = new_marks(d);
    let mut out = Vec::new();
    let mut at = 0;
    for c in &d.changes {
        let Some(new_range) = d.new_text.get(c.new.clone()).map(|_| c.new.clone()) else {
            continue;
        };
        if new_range.start < at {
            continue;
        }
        if new_range.start > at {
            out.push(Inline::Kept(&d.new_text[at..new_range.start]));
        }
        if let Some(m) = old.iter().find(|m| m.range == c.old) {
            out.push(Inline::Removed(m.kind, emphasised(&d.old_text, m)));
        }
        if let Some(m) = new.iter().find(|m| m.range == new_range) {
            out.push(Inline::Added(m.kind, emphasised(&d.new_text, m)));
        }
        at = new_range.end;
    }
    if at < d.new_text.len() {
        out.push(Inline::Kept(&d.new_text[at..]));
    }
    out
}

/// What a word change's kind is called on a page.
pub(crate) fn kind_label(k: ChangeKind) -> &'static str {
    match k {
        ChangeKind::Spelling => "spelling",
        ChangeKind::Style => "style",
        ChangeKind::Wording => "wording",
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Moved => "moved",
    }
}

#[cfg(test)]
pub(crate) mod fixture;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Change;

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
        }
        assert_eq!("diff".parse::<Format>(), Ok(Format::Unified));
        assert_eq!("MD".parse::<Format>(), Ok(Format::Markdown));
        assert!("pdf".parse::<Format>().is_err());
        assert_eq!(Format::Unified.extension(), "diff");
    }

    #[test]
    fn file_names_have_no_separators() {
        assert_eq!(file_name_safe("s1__a/b__vs__c"), "s1__a_b__vs__c");
        assert_eq!(file_name_safe(".hidden"), "_hidden");
    }

    #[test]
    fn io_errors_say_what_to_do() {
        let (t, f) = (Path::new("out/x.html"), Path::new("out"));
        let msg = |k: ErrorKind| explain(std::io::Error::from(k), t, f).to_string();
        assert!(msg(ErrorKind::StorageFull).contains("free some space"));
        assert!(msg(ErrorKind::QuotaExceeded).contains("free some space"));
        assert!(msg(ErrorKind::ReadOnlyFilesystem).contains("read-only"));
        assert!(msg(ErrorKind::PermissionDenied).contains("folder you can write to"));
        assert!(msg(ErrorKind::NotFound).contains("does not exist"));
        assert!(msg(ErrorKind::AlreadyExists).contains("already exists"));
    }

    #[test]
    fn same_file_sees_through_links_and_dots() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        std::fs::write(&a, "x").unwrap();
        assert!(same_file(&a, &dir.path().join(".").join("a.txt")));
        std::fs::hard_link(&a, dir.path().join("h.txt")).unwrap();
        assert!(same_file(&dir.path().join("h.txt"), &a));
        assert!(!same_file(&dir.path().join("new.txt"), &a));
        assert!(
            same_file(
                &dir.path().join("new.txt"),
                &dir.path().join("sub/../new.txt")
            ) || !dir.path().join("sub").exists()
        );
    }

    fn diff() -> WordDiff {
        let old = "met Gen. Ashtinai, who said".to_string();
        let new = "met Ashtiani, who said it".to_string();
        WordDiff {
            changes: vec![
                Change {
                    kind: ChangeKind::Wording,
                    old: 4..9,
                    new: 4..4,
                    old_emphasis: vec![],
                    new_emphasis: vec![],
                },
                Change {
                    kind: ChangeKind::Spelling,
                    old: 9..17,
                    new: 4..12,
                    old_emphasis: std::iter::once(5..7).collect(),
                    new_emphasis: std::iter::once(5..7).collect(),
                },
                Change {
                    kind: ChangeKind::Wording,
                    old: 27..27,
                    new: 22..25,
                    old_emphasis: vec![],
                    new_emphasis: vec![],
                },
            ],
            old_text: old,
            new_text: new,
            ratio: 0.4,
            hidden: Vec::new(),
        }
    }

    #[test]
    fn pieces_cover_the_text() {
        let d = diff();
        let p = pieces(&d.old_text, &old_marks(&d));
        assert_eq!(
            p,
            vec![
                Piece::Plain("met "),
                Piece::Marked(ChangeKind::Wording, vec![(false, "Gen. ")]),
                Piece::Marked(
                    ChangeKind::Spelling,
                    vec![(false, "Ashti"), (true, "na"), (false, "i")]
                ),
                Piece::Plain(", who said"),
            ]
        );
        let n = pieces(&d.new_text, &new_marks(&d));
        assert_eq!(
            n.last(),
            Some(&Piece::Marked(ChangeKind::Wording, vec![(false, " it")]))
        );
    }

    #[test]
    fn inline_shows_both_sides() {
        let d = diff();
        let i = inline(&d);
        assert_eq!(i[0], Inline::Kept("met "));
        assert_eq!(
            i[1],
            Inline::Removed(ChangeKind::Wording, vec![(false, "Gen. ")])
        );
        assert!(matches!(i[2], Inline::Removed(ChangeKind::Spelling, _)));
        assert!(matches!(i[3], Inline::Added(ChangeKind::Spelling, _)));
        assert_eq!(i[4], Inline::Kept(", who said"));
        assert_eq!(
            i[5],
            Inline::Added(ChangeKind::Wording, vec![(false, " it")])
        );
    }

    #[test]
    fn bad_ranges_are_dropped_not_panicking() {
        let mut d = diff();
        d.changes[0].old = 3..400;
        d.changes[1].old_emphasis = std::iter::once(0..99).collect();
        let p = pieces(&d.old_text, &old_marks(&d));
        let joined: String = p
            .iter()
            .map(|p| match p {
                Piece::Plain(t) => t.to_string(),
                Piece::Marked(_, parts) => parts.iter().map(|(_, t)| *t).collect(),
            })
            .collect();
        assert_eq!(joined, d.old_text);
    }
}
