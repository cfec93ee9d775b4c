//! One alignment → the two-version view: the base against one other version,
//! row by row in the base's order, with word changes for each pair.

use crate::diff::{self, DiffOptions};
use crate::model::{Alignment, Comparison, Corpus, PairKind, PairRow, Story, VersionIx};

use super::{AlignOptions, heaviest_increasing};

/// Compare the alignment's base with one other version, word by word.
///
/// Rows come in the base's order. Paragraphs only `other` has, and the
/// other side of moved paragraphs, stand where they are in `other`'s order:
/// after the last paragraph both versions have in the same order before them.
pub fn compare(
    corpus: &Corpus,
    story: &Story,
    alignment: &Alignment,
    other: VersionIx,
    opts: &AlignOptions,
    diff_opts: &DiffOptions,
) -> Comparison {
    let base = alignment.base;
    let text = |v: VersionIx, paras: &[usize]| -> String {
        let Some(a) = story
            .versions
            .get(v)
            .and_then(|&id| corpus.articles.get(id))
        else {
            return String::new();
        };
        let parts: Vec<&str> = paras
            .iter()
            .filter_map(|&i| a.paragraphs.get(i))
            .map(|p| p.text.as_str())
            .collect();
        parts.join("\n")
    };
    let cell = |r: usize, v: VersionIx| alignment.rows[r].cells.get(v).and_then(Option::as_ref);

    // Pairs both versions have in place, and which of them keep the same order in
    // `other` (paragraphs too short to count as moved may stand out of order).
    let pairs: Vec<(usize, usize, usize, u32)> = (0..alignment.rows.len())
        .filter_map(|r| {
            let (_, o) = (cell(r, base)?, cell(r, other)?);
            (o.moved.is_none()).then(|| (r, first(&o.paragraphs), r, 1))
        })
        .collect();
    let mut by_other: Vec<(usize, usize, u32)> =
        pairs.iter().map(|&(r, p, _, w)| (r, p, w)).collect();
    by_other.sort_by_key(|&(_, p, _)| p);
    let chain = heaviest_increasing(&by_other);
    let mut anchors: Vec<(usize, usize)> = by_other
        .iter()
        .zip(&chain)
        .filter(|(_, on)| **on)
        .map(|(&(r, p, _), _)| (p, r))
        .collect();
    anchors.sort_unstable();
    let is_anchor = |r: usize| anchors.iter().any(|&(_, a)| a == r);

    // What floats: `other`'s paragraphs placed by its own order, keyed by the
    // anchor row they follow (None: before every anchor).
    let mut floating: Vec<(Option<usize>, usize, usize)> = Vec::new();
    for r in 0..alignment.rows.len() {
        let Some(o) = cell(r, other) else { continue };
        if cell(r, base).is_some() && o.moved.is_none() {
            continue;
        }
        let p = first(&o.paragraphs);
        let k = anchors.partition_point(|&(ap, _)| ap < p);
        let after = k.checked_sub(1).map(|k| anchors[k].1);
        floating.push((after, p, r));
    }
    floating.sort_by_key(|&(after, p, _)| (after.map_or(0, |a| a + 1), p));

    let pair_row = |r: usize, kind_if_moved: Option<PairKind>| -> PairRow {
        let b = cell(r, base)
            .map(|c| c.paragraphs.clone())
            .unwrap_or_default();
        let o = cell(r, other)
            .map(|c| c.paragraphs.clone())
            .unwrap_or_default();
        let d = diff::word_diff(&text(base, &b), &text(other, &o), diff_opts);
        let kind = kind_if_moved.unwrap_or(if d.changes.is_empty() {
            PairKind::Same
        } else if d.ratio > opts.rewrite_ratio {
            PairKind::Rewritten
        } else {
            PairKind::Changed
        });
        let (base_side, other_side) = if kind == PairKind::MovedTo {
            (Vec::new(), o)
        } else {
            (b, o)
        };
        PairRow {
            kind,
            base: base_side,
            other: other_side,
            diff: Some(d),
            counterpart: None,
        }
    };

    let mut rows: Vec<PairRow> = Vec::new();
    let mut from_at: Vec<(usize, usize)> = Vec::new();
    let mut to_at: Vec<(usize, usize)> = Vec::new();
    let mut flush = |after: Option<usize>, rows: &mut Vec<PairRow>| {
        for &(a, _, r) in floating.iter().filter(|f| f.0 == after) {
            let _ = a;
            if cell(r, base).is_some() {
                to_at.push((r, rows.len()));
                rows.push(pair_row(r, Some(PairKind::MovedTo)));
            } else {
                rows.push(PairRow {
                    kind: PairKind::Added,
                    base: Vec::new(),
                    other: cell(r, other)
                        .map(|c| c.paragraphs.clone())
                        .unwrap_or_default(),
                    diff: None,
                    counterpart: None,
                });
            }
        }
    };
    let mut current: Option<usize> = None;
    for r in 0..alignment.rows.len() {
        let Some(b) = cell(r, base) else { continue };
        match cell(r, other) {
            Some(_) if is_anchor(r) => {
                flush(current, &mut rows);
                rows.push(pair_row(r, None));
                current = Some(r);
            }
            Some(o) if o.moved.is_some() => {
                from_at.push((r, rows.len()));
                rows.push(PairRow {
                    kind: PairKind::MovedFrom,
                    base: b.paragraphs.clone(),
                    other: Vec::new(),
                    diff: None,
                    counterpart: None,
                });
            }
            Some(_) => rows.push(pair_row(r, None)),
            None => rows.push(PairRow {
                kind: PairKind::Removed,
                base: b.paragraphs.clone(),
                other: Vec::new(),
                diff: None,
                counterpart: None,
            }),
        }
    }
    flush(current, &mut rows);

    for &(r, i) in &from_at {
        if let Some(&(_, j)) = to_at.iter().find(|&&(r2, _)| r2 == r) {
            rows[i].counterpart = Some(j);
            rows[j].counterpart = Some(i);
        }
    }
    Comparison { base, other, rows }
}

fn first(paras: &[usize]) -> usize {
    paras.first().copied().unwrap_or(usize::MAX)
}
