//! Comparisons and alignments → the JSON that `storydiff diff --json`,
//! `align --json` and the JSON export print.
//!
//! In: a [`Comparison`] or an [`Alignment`] with the corpus it came from.
//! Out: [`DiffJson`] or [`AlignJson`], plain serde structs whose keys are a
//! published contract (see `docs/formats.md`): keys are only ever added,
//! never renamed or removed, while [`SCHEMA_VERSION`] stays the same.

use serde::Serialize;

use super::View;
use crate::diff::DiffOptions;
use crate::engine::Engine;
use crate::model::{
    Alignment, CellStatus, ChangeCounts, Comparison, LineSpan, Moved, PairKind, PairRow, RowKind,
    VersionIx, WordDiff,
};

/// Bumped only when a key is renamed or removed, or its meaning changes.
pub const SCHEMA_VERSION: u32 = 1;

/// `storydiff diff --json`: what changed from the base version to the other.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiffJson {
    pub schema_version: u32,
    /// The story id.
    pub story: String,
    pub title: String,
    /// The base version's id.
    pub base: String,
    /// The other version's id.
    pub other: String,
    /// The base version's file, as reached from the paths given.
    pub base_file: String,
    pub other_file: String,
    /// What the base version's file says about it (HTML page, JSON record).
    pub base_meta: MetaJson,
    pub other_meta: MetaJson,
    /// Whether style-only changes were left out.
    pub hide_style: bool,
    pub counts: ChangeCounts,
    /// One entry per paragraph that is not the same in both, in the order of the
    /// side-by-side view; a moved paragraph is one entry, at its new place.
    pub changes: Vec<ChangeJson>,
}

/// A version's outlet, address and publication date, where its file gives
/// them (`null` otherwise, and always for plain text files).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct MetaJson {
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
}

impl MetaJson {
    fn of(view: &View<'_>, v: VersionIx) -> Self {
        view.meta(v).map_or_else(MetaJson::default, |m| MetaJson {
            outlet: m.outlet.clone(),
            url: m.url.clone(),
            date: m.date.clone(),
        })
    }
}

/// One paragraph-level change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeJson {
    /// `changed`, `rewritten`, `added`, `removed` or `moved`.
    pub kind: &'static str,
    /// The base version's text; `null` for an added paragraph.
    pub base: Option<SideJson>,
    /// The other version's text; `null` for a removed paragraph.
    pub other: Option<SideJson>,
    /// The word changes, where both sides have text (empty otherwise).
    pub words: Vec<WordJson>,
}

/// One side of a change: several paragraphs (a merge or split) are joined by a newline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SideJson {
    /// `[first, last]`, 1-based inclusive, in the version's file.
    pub lines: LineSpan,
    pub text: String,
}

/// One word-level change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WordJson {
    /// `spelling`, `style` or `wording`.
    pub kind: &'static str,
    /// The base's words, without surrounding spaces (empty for an insertion).
    pub old: String,
    /// The other version's words, without surrounding spaces (empty for a deletion).
    pub new: String,
}

impl DiffJson {
    pub fn new(engine: &Engine, story: usize, comparison: &Comparison) -> Self {
        let opts = engine.settings().diff.clone();
        Self::with_options(engine, story, comparison, &opts)
    }

    /// As [`DiffJson::new`], for a comparison made with other diff options than the engine's.
    pub fn with_options(
        engine: &Engine,
        story: usize,
        comparison: &Comparison,
        diff: &DiffOptions,
    ) -> Self {
        let view = View {
            corpus: engine.corpus(),
            story: engine.story(story),
            show_furniture: false,
            diff,
        };
        Self::from_view(&view, comparison)
    }

    pub fn from_view(view: &View<'_>, c: &Comparison) -> Self {
        let (base, other) = (c.base, c.other);
        let side = |v: VersionIx, ixs: &[usize], text: Option<&str>| -> Option<SideJson> {
            let lines = view.lines(v, ixs)?;
            let text = text.map_or_else(|| view.joined(v, ixs), str::to_owned);
            Some(SideJson { lines, text })
        };
        let mut changes = Vec::new();
        for row in &c.rows {
            let diff = row.diff.as_ref();
            let (kind, base_ixs) = match row.kind {
                PairKind::Same => continue,
                // Told once, at the paragraph's new place, with its old place as `base`.
                PairKind::MovedFrom if counterpart(c, row).is_some() => continue,
                PairKind::MovedTo => (
                    "moved",
                    counterpart(c, row).map_or(&row.base[..], |r| &r.base[..]),
                ),
                PairKind::MovedFrom => ("moved", &row.base[..]),
                PairKind::Changed => ("changed", &row.base[..]),
                PairKind::Rewritten => ("rewritten", &row.base[..]),
                PairKind::Added => ("added", &row.base[..]),
                PairKind::Removed => ("removed", &row.base[..]),
            };
            changes.push(ChangeJson {
                kind,
                base: side(base, base_ixs, diff.map(|d| d.old_text.as_str())),
                other: side(other, &row.other, diff.map(|d| d.new_text.as_str())),
                words: diff.map(words).unwrap_or_default(),
            });
        }
        DiffJson {
            schema_version: SCHEMA_VERSION,
            story: view.story.id.clone(),
            title: view.story.title.clone(),
            base: view.version_id(base).to_owned(),
            other: view.version_id(other).to_owned(),
            base_file: view.file(base),
            other_file: view.file(other),
            base_meta: MetaJson::of(view, base),
            other_meta: MetaJson::of(view, other),
            hide_style: view.diff.hide_style,
            counts: c.counts(),
            changes,
        }
    }
}

/// The row a moved paragraph's counterpart stands in, when it is the other half of the move.
fn counterpart<'c>(c: &'c Comparison, row: &PairRow) -> Option<&'c PairRow> {
    let other = c.rows.get(row.counterpart?)?;
    let pair = matches!(
        (row.kind, other.kind),
        (PairKind::MovedTo, PairKind::MovedFrom) | (PairKind::MovedFrom, PairKind::MovedTo)
    );
    pair.then_some(other)
}

fn words(d: &WordDiff) -> Vec<WordJson> {
    d.changes
        .iter()
        .map(|ch| WordJson {
            kind: ch.kind.name(),
            old: d
                .old_text
                .get(ch.old.clone())
                .unwrap_or("")
                .trim()
                .to_owned(),
            new: d
                .new_text
                .get(ch.new.clone())
                .unwrap_or("")
                .trim()
                .to_owned(),
        })
        .collect()
}

/// `storydiff align --json`: every version of a story, paragraph by paragraph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlignJson {
    pub schema_version: u32,
    pub story: String,
    pub title: String,
    /// The base version's id.
    pub base: String,
    /// The story's version ids; every row's `cells` follows this order.
    pub versions: Vec<String>,
    /// The versions' files, in the same order.
    pub files: Vec<String>,
    /// What each version's file says about it, in the same order.
    pub meta: Vec<MetaJson>,
    pub rows: Vec<RowJson>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowJson {
    /// `same`, `changed`, `partial` or `moved`.
    pub kind: RowKind,
    /// One per version, `null` where that version has no paragraph in the row.
    pub cells: Vec<Option<CellJson>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellJson {
    pub version: String,
    pub file: String,
    /// One paragraph, or several for a merge or split.
    pub paragraphs: Vec<ParagraphJson>,
    /// `base`, `same`, `changed` or `added`.
    pub status: CellStatus,
    /// Word similarity to the base cell, 0 to 1 (1 = identical, 0 where the base has none).
    pub similarity: f64,
    /// Where the paragraph stands in its own version when that differs from the base.
    pub moved: Option<Moved>,
    /// Indices in `rows` of the other rows this cell's paragraph also holds
    /// (the version merged them; its cell there is `null`); `[]` for none.
    pub merged_with: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParagraphJson {
    pub lines: LineSpan,
    pub text: String,
    /// `body` or `heading`.
    pub role: &'static str,
}

impl AlignJson {
    pub fn new(engine: &Engine, story: usize, alignment: &Alignment) -> Self {
        let opts = DiffOptions::default();
        let view = View {
            corpus: engine.corpus(),
            story: engine.story(story),
            show_furniture: false,
            diff: &opts,
        };
        Self::from_view(&view, alignment)
    }

    pub fn from_view(view: &View<'_>, a: &Alignment) -> Self {
        let n = view.story.versions.len();
        let rows = a
            .rows
            .iter()
            .map(|row| RowJson {
                kind: row.kind,
                cells: (0..n)
                    .map(|v| {
                        let cell = row.cells.get(v)?.as_ref()?;
                        let article = view.article(v)?;
                        Some(CellJson {
                            version: article.id.clone(),
                            file: view.file(v),
                            paragraphs: cell
                                .paragraphs
                                .iter()
                                .filter_map(|&i| article.paragraphs.get(i))
                                .map(|p| ParagraphJson {
                                    lines: p.lines,
                                    text: p.text.to_string(),
                                    role: p.role.name(),
                                })
                                .collect(),
                            status: cell.status,
                            similarity: round3(cell.similarity),
                            moved: cell.moved,
                            merged_with: cell.merged_with.clone(),
                        })
                    })
                    .collect(),
            })
            .collect();
        AlignJson {
            schema_version: SCHEMA_VERSION,
            story: view.story.id.clone(),
            title: view.story.title.clone(),
            base: view.version_id(a.base).to_owned(),
            versions: (0..n).map(|v| view.version_id(v).to_owned()).collect(),
            files: (0..n).map(|v| view.file(v)).collect(),
            meta: (0..n).map(|v| MetaJson::of(view, v)).collect(),
            rows,
        }
    }
}

/// Three decimals are plenty and keep the output stable across platforms.
fn round3(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

/// Pretty-printed JSON with a final newline. Control and bidi characters
/// are `\u` escapes, so that the file is exact and safe to `cat`.
pub fn to_string<T: Serialize>(value: &T) -> String {
    // These structs hold only strings, numbers and sequences: serialising cannot fail.
    let mut s =
        crate::sanitize::to_json_pretty(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;

    fn view<'a>(
        corpus: &'a crate::model::Corpus,
        story: &'a crate::model::Story,
        opts: &'a DiffOptions,
    ) -> View<'a> {
        View {
            corpus,
            story,
            show_furniture: false,
            diff: opts,
        }
    }

    #[test]
    fn diff_json_has_the_contract_keys() {
        let (corpus, st, opts) = (fixture::corpus(), fixture::story(), DiffOptions::default());
        let j = DiffJson::from_view(&view(&corpus, &st, &opts), &fixture::comparison());
        let v: serde_json::Value = serde_json::from_str(&to_string(&j)).unwrap();
        for key in [
            "story",
            "title",
            "base",
            "other",
            "base_file",
            "other_file",
            "counts",
            "changes",
        ] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        assert_eq!(v["base"], "a");
        assert_eq!(v["other_file"], "corpus/b <&>.txt");
        let kinds: Vec<&str> = v["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["moved", "changed", "removed", "added"]);
        let moved = &v["changes"][0];
        assert_eq!(moved["base"]["lines"], serde_json::json!([11, 11]));
        assert_eq!(moved["other"]["lines"], serde_json::json!([3, 3]));
        let changed = &v["changes"][1];
        assert_eq!(
            changed["words"][1],
            serde_json::json!({"kind": "spelling", "old": "Ashtinai", "new": "Ashtiani"})
        );
        assert_eq!(changed["words"][0]["new"], "");
        assert!(v["changes"][2]["other"].is_null());
        assert!(v["changes"][3]["base"].is_null());
        assert_eq!(v["counts"]["spelling"], 1);
    }

    #[test]
    fn align_json_has_the_contract_keys() {
        let (corpus, st, opts) = (fixture::corpus(), fixture::story(), DiffOptions::default());
        let j = AlignJson::from_view(&view(&corpus, &st, &opts), &fixture::alignment());
        let v: serde_json::Value = serde_json::from_str(&to_string(&j)).unwrap();
        assert_eq!(v["versions"], serde_json::json!(["a", "b/2"]));
        assert_eq!(v["base"], "a");
        let rows = v["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 5);
        assert!(rows[2]["cells"][1].is_null());
        let moved = &rows[3]["cells"][1];
        assert_eq!(
            moved["moved"],
            serde_json::json!({"position": 1, "after_row": null})
        );
        assert_eq!(moved["paragraphs"][0]["lines"], serde_json::json!([3, 3]));
        assert_eq!(moved["status"], "changed");
        assert_eq!(moved["similarity"], 0.9);
        assert_eq!(rows[3]["kind"], "moved");
        assert!(rows[0]["cells"][0]["moved"].is_null());
    }
}
