//! The plain data every stage passes along: files, articles, paragraphs,
//! stories, alignments and word changes.
//!
//! These types carry no behaviour beyond small accessors. Each pipeline
//! stage takes some of them in and gives others out:
//! files → [`Article`]s ([`crate::corpus`]) → [`Story`]s ([`crate::cluster`])
//! → [`Alignment`] ([`crate::align`]) → [`Comparison`] and [`WordDiff`]
//! ([`crate::diff`]).

use std::ops::Range;
use std::path::PathBuf;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

/// Index of a file in [`Corpus::files`].
pub type FileId = usize;
/// Index of an article in [`Corpus::articles`].
pub type ArticleId = usize;

/// A 1-based, inclusive range of lines in a file as it is on disk.
/// Serialised as `[first, last]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(from = "[u32; 2]", into = "[u32; 2]")]
pub struct LineSpan {
    pub first: u32,
    pub last: u32,
}

impl LineSpan {
    pub fn new(first: u32, last: u32) -> Self {
        Self { first, last }
    }

    /// The smallest span covering both.
    pub fn cover(self, other: LineSpan) -> LineSpan {
        LineSpan::new(self.first.min(other.first), self.last.max(other.last))
    }

    pub fn contains(self, line: u32) -> bool {
        self.first <= line && line <= self.last
    }
}

impl From<[u32; 2]> for LineSpan {
    fn from([first, last]: [u32; 2]) -> Self {
        Self { first, last }
    }
}

impl From<LineSpan> for [u32; 2] {
    fn from(s: LineSpan) -> Self {
        [s.first, s.last]
    }
}

impl std::fmt::Display for LineSpan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}-{}", self.first, self.last)
        }
    }
}

/// One file read from disk.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourceFile {
    /// The path as reached from the PATH the user gave.
    pub path: PathBuf,
    /// Size in bytes when read.
    pub size: u64,
    /// Modification time when read, where the filesystem tells it.
    pub modified: Option<SystemTime>,
    /// Hash of the raw bytes, to tell a real change from a touched file.
    pub hash: u64,
    /// The decoded text (BOM removed, newlines kept as in the file). Empty
    /// in an [`crate::engine::Engine`]'s corpus, which keeps the articles only.
    #[serde(skip)]
    pub text: String,
    /// Set when the text was not clean UTF-8, e.g. `"UTF-8 (invalid bytes replaced)"`.
    pub encoding_note: Option<String>,
}

/// What a paragraph is on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Running text of the article: aligned and diffed.
    Body,
    /// A section heading inside the body (Markdown `#`, "A. Definitions"): aligned and diffed.
    Heading,
    /// The article's headline, deck or standfirst: shown, never aligned.
    Headline,
    /// A photo caption (its first occurrence): shown, never aligned.
    Caption,
    /// Page furniture: kept so it can be shown dimmed, never aligned or diffed.
    Furniture(FurnitureKind),
}

impl Role {
    /// Whether the paragraph takes part in alignment and diffing.
    pub fn is_body(self) -> bool {
        matches!(self, Role::Body | Role::Heading)
    }

    pub fn is_furniture(self) -> bool {
        matches!(self, Role::Furniture(_))
    }

    /// A short lowercase name, as used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Role::Body => "body",
            Role::Heading => "heading",
            Role::Headline => "headline",
            Role::Caption => "caption",
            Role::Furniture(k) => k.name(),
        }
    }
}

/// Why a paragraph was taken for page furniture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FurnitureKind {
    /// The same text already appeared earlier in the file (repeated caption or headline).
    Repeat,
    /// Matched a furniture pattern ("TT", "Read more", "Source: …", a newsletter footer…).
    Boilerplate,
    /// A headline of another article inserted between the paragraphs of this one.
    RelatedLink,
    /// A stray date or time on a line of its own.
    Date,
    /// A byline ("By The Associated Press").
    Byline,
    /// Front matter or other metadata (`+++`/`---` blocks).
    Metadata,
}

impl FurnitureKind {
    pub fn name(self) -> &'static str {
        match self {
            FurnitureKind::Repeat => "repeat",
            FurnitureKind::Boilerplate => "boilerplate",
            FurnitureKind::RelatedLink => "related_link",
            FurnitureKind::Date => "date",
            FurnitureKind::Byline => "byline",
            FurnitureKind::Metadata => "metadata",
        }
    }
}

/// A paragraph of an article, with where it stands in its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// The paragraph's text; hard-wrapped lines are joined with a single
    /// space. Boxed: a large folder holds hundreds of thousands of these,
    /// and they never grow once made.
    pub text: Box<str>,
    pub lines: LineSpan,
    pub role: Role,
}

/// One article found in a file. Within a story an article is called a *version*.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Article {
    /// Short, typeable version id, unique in the corpus: the file's short name,
    /// with `-2`, `-3`… for the second and later articles of a file.
    pub id: String,
    pub file: FileId,
    /// 0 for the first article of its file, 1 for the next…
    pub index_in_file: usize,
    /// The headline, or the start of the first body paragraph when there is none.
    pub title: String,
    /// Every paragraph assigned to the article, furniture included, in file order.
    pub paragraphs: Vec<Paragraph>,
    /// From the article's first headline, caption or body line to its last body line.
    pub lines: LineSpan,
    /// What the file's format says about the article (outlet, address, date), if anything.
    pub meta: ArticleMeta,
}

/// What a file tells about an article beyond its text: HTML `<meta>` tags and
/// JSON-LD, or a JSON record's fields. Every field is optional; plain text
/// files give none but `encoding`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleMeta {
    /// The publication or site ("The Associated Press", "arabnews.com").
    pub outlet: Option<String>,
    /// The article's address (the canonical link where the page gives one).
    pub url: Option<String>,
    /// The publication date, as ISO 8601 (`2022-04-27` or `2022-04-27T21:26:00Z`)
    /// where it could be read as such, else as the source wrote it.
    pub date: Option<String>,
    /// The file's encoding when it was not UTF-8 (`windows-1252`, `UTF-16LE`,
    /// `UTF-8 (invalid bytes replaced)`).
    pub encoding: Option<String>,
}

impl ArticleMeta {
    /// Whether there is anything to show besides the encoding.
    pub fn is_empty(&self) -> bool {
        self.outlet.is_none() && self.url.is_none() && self.date.is_none()
    }
}

impl Article {
    /// Indices (into [`Article::paragraphs`]) of the paragraphs that are aligned and diffed.
    pub fn body_indices(&self) -> impl Iterator<Item = usize> + Clone + '_ {
        self.paragraphs
            .iter()
            .enumerate()
            .filter(|(_, p)| p.role.is_body())
            .map(|(i, _)| i)
    }

    /// The body text, one paragraph a line.
    pub fn body_text(&self) -> String {
        let mut out = String::new();
        for i in self.body_indices() {
            out.push_str(&self.paragraphs[i].text);
            out.push('\n');
        }
        out
    }
}

/// A warning about one input file: it was skipped or something in it was changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// Everything read from the paths the user gave.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub files: Vec<SourceFile>,
    pub articles: Vec<Article>,
    pub warnings: Vec<Warning>,
}

impl Corpus {
    pub fn file_of(&self, article: ArticleId) -> &SourceFile {
        &self.files[self.articles[article].file]
    }

    /// Each file's articles, as a range of article ids (a file's articles
    /// follow one another, in file order); empty for a file without any.
    pub fn article_spans(&self) -> Vec<Range<ArticleId>> {
        let mut spans = vec![0..0; self.files.len()];
        let mut start = 0;
        while start < self.articles.len() {
            let file = self.articles[start].file;
            let mut end = start + 1;
            while end < self.articles.len() && self.articles[end].file == file {
                end += 1;
            }
            spans[file] = start..end;
            start = end;
        }
        spans
    }
}

/// A group of articles that are versions of the same story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    /// Short id derived from the content (not from load order).
    pub id: String,
    pub title: String,
    /// The story's versions, as article ids, in a stable order (by version id).
    pub versions: Vec<ArticleId>,
    /// Index in `versions` of the most central version (the default base).
    pub central: usize,
    /// How much the versions differ from the central one, 0 (identical) to 1.
    pub spread: f32,
}

/// Index of a version within its story (into [`Story::versions`]).
pub type VersionIx = usize;

/// The paragraph-by-paragraph alignment of every version of a story against a base.
#[derive(Debug, Clone, PartialEq)]
pub struct Alignment {
    /// The base version (index into the story's versions).
    pub base: VersionIx,
    pub rows: Vec<Row>,
}

impl Alignment {
    /// The row whose cell of version `v` also holds row `row`'s text (see
    /// [`Cell::merged_with`]), when `v` has no cell of its own there.
    pub fn merged_into(&self, row: usize, v: VersionIx) -> Option<usize> {
        let own = self.rows.get(row)?.cells.get(v)?;
        if own.is_some() {
            return None;
        }
        self.rows.iter().position(|r| {
            r.cells
                .get(v)
                .and_then(Option::as_ref)
                .is_some_and(|c| c.merged_with.contains(&row))
        })
    }

    /// Every (row, version) whose text is held by that version's cell in
    /// another row, with that row: [`Alignment::merged_into`] for all at once.
    pub fn merged_cells(&self) -> std::collections::HashMap<(usize, VersionIx), usize> {
        let mut out = std::collections::HashMap::new();
        for (r, row) in self.rows.iter().enumerate() {
            for (v, cell) in row.cells.iter().enumerate() {
                for &k in cell.as_ref().map_or(&[][..], |c| &c.merged_with) {
                    out.insert((k, v), r);
                }
            }
        }
        out
    }
}

/// One aligned row: the paragraphs of each version that are versions of one another.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub kind: RowKind,
    /// One entry per story version, in the story's version order; `None` where
    /// that version has no paragraph in this row.
    pub cells: Vec<Option<Cell>>,
}

/// What a row holds, summed over its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// Every version has the paragraph, word for word.
    Same,
    /// Every present cell matches the base, some with changes.
    Changed,
    /// Some versions have the paragraph and others do not.
    Partial,
    /// Some version has the paragraph at another place in its order.
    Moved,
}

/// A version's paragraphs in one row: one, or several for a merge or split.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Indices into the version's [`Article::paragraphs`], in file order.
    pub paragraphs: Vec<usize>,
    pub status: CellStatus,
    /// Word similarity to the base cell (1 = identical); 0 where the base has none.
    pub similarity: f32,
    /// Set when the paragraph stands elsewhere in this version's order than in the base.
    pub moved: Option<Moved>,
    /// Other rows (indices into [`Alignment::rows`]) whose text this cell's
    /// paragraph also holds: the version merged them into one paragraph (or
    /// kept whole what others split). The cell stands in the row it overlaps
    /// most; in those rows this version's cell is `None`. Rows stay as the
    /// other versions have them, so one version's merge does not join every
    /// version's paragraphs.
    pub merged_with: Vec<usize>,
}

/// How a cell compares with the base cell of its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CellStatus {
    /// This is the base version's cell.
    Base,
    Same,
    Changed,
    /// The base has no paragraph in this row, nor one that holds it merged.
    Added,
}

/// Where a moved paragraph stands in its own version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moved {
    /// 1-based position among the version's body paragraphs.
    pub position: usize,
    /// Index of the row after which the paragraph stands in its version's own order
    /// (`None`: it comes first).
    pub after_row: Option<usize>,
}

/// The kind of a change, in the user's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A near-identical word: a typo fixed or made ("Ashtinai" → "Ashtiani").
    Spelling,
    /// Only punctuation, quote style, case or abbreviation dots ("US" → "U.S.").
    Style,
    /// Anything else inside a paragraph.
    Wording,
    /// A paragraph only the other version has.
    Added,
    /// A paragraph only the base version has.
    Removed,
    /// A paragraph both have, at different places in their order.
    Moved,
}

impl ChangeKind {
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::Spelling => "spelling",
            ChangeKind::Style => "style",
            ChangeKind::Wording => "wording",
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Moved => "moved",
        }
    }
}

/// One word-level change between two aligned paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// Byte range of the old words in the base paragraph text (empty for an insertion).
    pub old: Range<usize>,
    /// Byte range of the new words in the other paragraph text (empty for a deletion).
    pub new: Range<usize>,
    /// Byte ranges, inside `old`'s text, of the letters that differ (spelling changes).
    pub old_emphasis: Vec<Range<usize>>,
    /// Byte ranges, inside `new`'s text, of the letters that differ (spelling changes).
    pub new_emphasis: Vec<Range<usize>>,
}

/// The word-level differences between two texts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WordDiff {
    pub old_text: String,
    pub new_text: String,
    /// The changes to show and count, in text order; ranges never overlap.
    pub changes: Vec<Change>,
    /// Edits that are not reported as changes: whitespace differences, and style
    /// changes when they are hidden. Kept so that `changes` and `hidden` together
    /// turn `old_text` into `new_text` exactly (see [`crate::diff::apply`]).
    /// In text order; never overlap each other or `changes`.
    pub hidden: Vec<Change>,
    /// Share of the words that changed, 0 to 1 (spelling and wording changes; style
    /// changes do not count).
    pub ratio: f32,
}

/// One row of the two-version comparison shown side by side.
#[derive(Debug, Clone, PartialEq)]
pub struct PairRow {
    pub kind: PairKind,
    /// Paragraph indices in the base version (several for a merge).
    pub base: Vec<usize>,
    /// Paragraph indices in the other version (several for a split).
    pub other: Vec<usize>,
    /// Word changes, where both sides have text.
    pub diff: Option<WordDiff>,
    /// For a moved paragraph: where the counterpart stands (index of the other [`PairRow`]).
    pub counterpart: Option<usize>,
}

/// What a [`PairRow`] shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PairKind {
    Same,
    Changed,
    /// Mostly different: shown as before/after blocks rather than word highlights.
    Rewritten,
    /// Only the other version has it.
    Added,
    /// Only the base version has it.
    Removed,
    /// The base's paragraph, whose counterpart stands elsewhere in the other version.
    MovedFrom,
    /// The other version's paragraph, moved here; carries the diff against its counterpart.
    MovedTo,
}

/// Two versions of a story compared paragraph by paragraph, then word by word.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub base: VersionIx,
    pub other: VersionIx,
    pub rows: Vec<PairRow>,
}

impl Comparison {
    /// Number of changes of each kind, paragraph-level kinds included.
    pub fn counts(&self) -> ChangeCounts {
        let mut c = ChangeCounts::default();
        for row in &self.rows {
            match row.kind {
                PairKind::Added => c.added += 1,
                PairKind::Removed => c.removed += 1,
                PairKind::MovedTo => c.moved += 1,
                _ => {}
            }
            if let Some(d) = &row.diff {
                for ch in &d.changes {
                    match ch.kind {
                        ChangeKind::Spelling => c.spelling += 1,
                        ChangeKind::Style => c.style += 1,
                        ChangeKind::Wording => c.wording += 1,
                        _ => {}
                    }
                }
            }
        }
        c
    }
}

/// Changes counted by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ChangeCounts {
    pub spelling: usize,
    pub style: usize,
    pub wording: usize,
    pub added: usize,
    pub removed: usize,
    pub moved: usize,
}

impl ChangeCounts {
    pub fn total(&self) -> usize {
        self.spelling + self.style + self.wording + self.added + self.removed + self.moved
    }
}
