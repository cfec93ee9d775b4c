//! One alignment → the two-version view: the base against one other version,
//! row by row in the base's order, with word changes for each pair.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::diff::{self, DiffOptions};
use crate::model::{
    Alignment, Cell, Comparison, Corpus, Moved, PairKind, PairRow, Story, VersionIx, WordDiff,
};

use super::bag::Bag;
use super::{AlignOptions, heaviest_increasing};
use crate::text::Interner;
use crate::unionfind::UnionFind;

/// Compare the alignment's base with one other version, word by word.
///
/// Rows come in the base's order. Paragraphs only `other` has, and the
/// other side of moved paragraphs, stand where they are in `other`'s order:
/// after the last paragraph both versions have in the same order before
/// them, and after the base's paragraphs that `other` lacks there (so a
/// replaced paragraph reads as removed, then added). Merged or split
/// paragraphs are diffed as their texts joined by a newline: rows that the
/// base's or the other version's cell holds together (see
/// [`Cell::merged_with`]) are shown as one row.
pub fn compare(
    corpus: &Corpus,
    story: &Story,
    alignment: &Alignment,
    other: VersionIx,
    opts: &AlignOptions,
    diff_opts: &DiffOptions,
) -> Comparison {
    let base = alignment.base;
    let rows2 = pair_rows(alignment, base, other);
    let n = rows2.len();
    let cell = |r: usize, v: VersionIx| -> Option<&PairCell> {
        if v == base {
            rows2[r].base.as_ref()
        } else {
            rows2[r].other.as_ref()
        }
    };
    let paras = |r: usize, v: VersionIx| -> Vec<usize> {
        cell(r, v).map(|c| c.paragraphs.clone()).unwrap_or_default()
    };
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
            .map(|p| &*p.text)
            .collect();
        parts.join("\n")
    };
    // Word diffs are independent of one another and of the rows' order:
    // each row that needs one notes it (its row, the paragraphs of each side,
    // and whether the diff decides the row's kind), and they are all made at
    // the end, in parallel.
    let mut wanted: Vec<(usize, Vec<usize>, Vec<usize>, bool)> = Vec::new();

    // Anchors: rows both versions have, not moved, on the longest chain that
    // keeps `other`'s order (a paragraph too short to count as moved may still
    // stand out of order; it is shown at the base's place but anchors nothing).
    let mut pairs: Vec<(usize, usize, u32)> = (0..n)
        .filter_map(|r| {
            let (_, o) = (cell(r, base)?, cell(r, other)?);
            o.moved.is_none().then(|| (r, first(&o.paragraphs), 1))
        })
        .collect();
    pairs.sort_by_key(|&(_, p, _)| p);
    let chain = heaviest_increasing(&pairs);
    let mut is_anchor = vec![false; n];
    let mut anchors: Vec<(usize, usize)> = Vec::new();
    for (&(r, p, _), on) in pairs.iter().zip(chain) {
        if on {
            is_anchor[r] = true;
            anchors.push((p, r));
        }
    }

    // Floating rows: `other`'s paragraphs the base lacks, and its side of moved
    // ones, each keyed by the anchor row it follows in `other` (None: none).
    let mut floating: Vec<(Option<usize>, usize, usize)> = (0..n)
        .filter_map(|r| {
            let o = cell(r, other)?;
            if cell(r, base).is_some() && o.moved.is_none() {
                return None;
            }
            let p = first(&o.paragraphs);
            let k = anchors.partition_point(|&(ap, _)| ap < p);
            Some((k.checked_sub(1).map(|k| anchors[k].1), p, r))
        })
        .collect();
    floating.sort_by_key(|&(after, p, _)| (after.map_or(0, |a| a + 1), p));

    let mut rows: Vec<PairRow> = Vec::new();
    let mut moved_from: Vec<(usize, usize)> = Vec::new();
    let mut moved_to: Vec<(usize, usize)> = Vec::new();
    let mut flush = |after: Option<usize>,
                     rows: &mut Vec<PairRow>,
                     wanted: &mut Vec<(usize, Vec<usize>, Vec<usize>, bool)>| {
        // `floating` is sorted by what each follows, so this anchor's are one run.
        let key = |f: &(Option<usize>, usize, usize)| f.0.map_or(0, |a| a + 1);
        let at = key(&(after, 0, 0));
        let from = floating.partition_point(|f| key(f) < at);
        let to = floating.partition_point(|f| key(f) <= at);
        for &(_, _, r) in &floating[from..to] {
            if cell(r, base).is_some() {
                moved_to.push((r, rows.len()));
                wanted.push((rows.len(), paras(r, base), paras(r, other), false));
                rows.push(PairRow {
                    kind: PairKind::MovedTo,
                    base: Vec::new(),
                    other: paras(r, other),
                    diff: None,
                    counterpart: None,
                });
            } else {
                rows.push(PairRow {
                    kind: PairKind::Added,
                    base: Vec::new(),
                    other: paras(r, other),
                    diff: None,
                    counterpart: None,
                });
            }
        }
    };
    // Every row both versions hold in place (the rows made pairs below) is
    // peeled, side by side, before the rows are laid out in order.
    let mut peeled: Vec<Option<Peeled>> = (0..n)
        .into_par_iter()
        .map(|r| {
            cell(r, base)?;
            if cell(r, other)?.moved.is_some() {
                return None;
            }
            Some(peel(
                &paras(r, base),
                &paras(r, other),
                |v, p| text(v, &[p]),
                base,
                other,
            ))
        })
        .collect();
    let mut current: Option<usize> = None;
    for (r, &anchor) in is_anchor.iter().enumerate() {
        let Some(b) = cell(r, base) else { continue };
        let mut pair =
            |r: usize,
             rows: &mut Vec<PairRow>,
             wanted: &mut Vec<(usize, Vec<usize>, Vec<usize>, bool)>| {
                // Always there: a pair is made only of rows both versions
                // hold, not moved (anchors are never moved).
                let Some(peeled) = peeled[r].take() else {
                    return;
                };
                rows.extend(peeled.before);
                wanted.push((rows.len(), peeled.base.clone(), peeled.other.clone(), true));
                rows.push(PairRow {
                    kind: PairKind::Same,
                    base: peeled.base,
                    other: peeled.other,
                    diff: None,
                    counterpart: None,
                });
                rows.extend(peeled.after);
            };
        match cell(r, other) {
            Some(_) if anchor => {
                flush(current, &mut rows, &mut wanted);
                pair(r, &mut rows, &mut wanted);
                current = Some(r);
            }
            Some(o) if o.moved.is_some() => {
                moved_from.push((r, rows.len()));
                rows.push(PairRow {
                    kind: PairKind::MovedFrom,
                    base: b.paragraphs.clone(),
                    other: Vec::new(),
                    diff: None,
                    counterpart: None,
                });
            }
            Some(_) => pair(r, &mut rows, &mut wanted),
            None => rows.push(PairRow {
                kind: PairKind::Removed,
                base: b.paragraphs.clone(),
                other: Vec::new(),
                diff: None,
                counterpart: None,
            }),
        }
    }
    flush(current, &mut rows, &mut wanted);

    let diffs: Vec<WordDiff> = wanted
        .par_iter()
        .map(|(_, bp, op, _)| diff::word_diff(&text(base, bp), &text(other, op), diff_opts))
        .collect();
    for ((at, _, _, decides), d) in wanted.into_iter().zip(diffs) {
        if decides {
            rows[at].kind = if d.changes.is_empty() {
                PairKind::Same
            } else if d.ratio > opts.rewrite_ratio {
                PairKind::Rewritten
            } else {
                PairKind::Changed
            };
        }
        rows[at].diff = Some(d);
    }

    // Reversed, so that the first of a row's entries is the one kept.
    let moved_to: FxHashMap<usize, usize> = moved_to.into_iter().rev().collect();
    for &(r, i) in &moved_from {
        if let Some(&j) = moved_to.get(&r) {
            rows[i].counterpart = Some(j);
            rows[j].counterpart = Some(i);
        }
    }
    Comparison { base, other, rows }
}

/// Least share of a paragraph's words the other side must hold for the
/// paragraph to stay in a merged or split pair.
const KEEP_CONTAINMENT: f32 = 0.3;

/// A pair of cells with the paragraphs at their ends that the other side
/// does not hold taken out as removed (base) or added (other) rows.
struct Peeled {
    before: Vec<PairRow>,
    base: Vec<usize>,
    other: Vec<usize>,
    after: Vec<PairRow>,
}

/// A row merges paragraphs when some version holds them in one; another
/// version may hold only one of them. "Raisi stressed…" + "“Confronting…”, he
/// added" against a version with just the quote is the quote changed and the
/// first paragraph removed, not one paragraph losing half its words.
fn peel(
    base_paras: &[usize],
    other_paras: &[usize],
    text: impl Fn(VersionIx, usize) -> String,
    base: VersionIx,
    other: VersionIx,
) -> Peeled {
    let mut out = Peeled {
        before: Vec::new(),
        base: base_paras.to_vec(),
        other: other_paras.to_vec(),
        after: Vec::new(),
    };
    if base_paras.len() < 2 && other_paras.len() < 2 {
        return out;
    }
    let mut interner = Interner::new();
    let mut bag_of = |v: VersionIx, p: usize| Bag::of_text(&text(v, p), &mut interner);
    let base_bags: Vec<Bag> = base_paras.iter().map(|&p| bag_of(base, p)).collect();
    let other_bags: Vec<Bag> = other_paras.iter().map(|&p| bag_of(other, p)).collect();
    let held = |bag: &Bag, by: &Bag| bag.contained_in(by, &[]) >= KEEP_CONTAINMENT;

    let whole_other = Bag::sum(&other_bags);
    let (mut lo, mut hi) = (0, base_bags.len());
    while hi - lo > 1 && !held(&base_bags[lo], &whole_other) {
        lo += 1;
    }
    while hi - lo > 1 && !held(&base_bags[hi - 1], &whole_other) {
        hi -= 1;
    }
    let whole_base = Bag::sum(&base_bags[lo..hi]);
    let (mut olo, mut ohi) = (0, other_bags.len());
    while ohi - olo > 1 && !held(&other_bags[olo], &whole_base) {
        olo += 1;
    }
    while ohi - olo > 1 && !held(&other_bags[ohi - 1], &whole_base) {
        ohi -= 1;
    }

    let removed = |p: usize| PairRow {
        kind: PairKind::Removed,
        base: vec![p],
        other: Vec::new(),
        diff: None,
        counterpart: None,
    };
    let added = |p: usize| PairRow {
        kind: PairKind::Added,
        base: Vec::new(),
        other: vec![p],
        diff: None,
        counterpart: None,
    };
    out.before
        .extend(base_paras[..lo].iter().map(|&p| removed(p)));
    out.before
        .extend(other_paras[..olo].iter().map(|&p| added(p)));
    out.after
        .extend(base_paras[hi..].iter().map(|&p| removed(p)));
    out.after
        .extend(other_paras[ohi..].iter().map(|&p| added(p)));
    out.base = base_paras[lo..hi].to_vec();
    out.other = other_paras[olo..ohi].to_vec();
    out
}

/// One version's paragraphs in a row of the two-version view.
struct PairCell {
    paragraphs: Vec<usize>,
    moved: Option<Moved>,
}

/// The alignment's rows as the two versions see them: rows that the base's
/// or the other's cell holds together become one, at the first one's place.
struct PairCells {
    base: Option<PairCell>,
    other: Option<PairCell>,
}

fn pair_rows(alignment: &Alignment, base: VersionIx, other: VersionIx) -> Vec<PairCells> {
    let n = alignment.rows.len();
    let cell = |r: usize, v: VersionIx| -> Option<&Cell> {
        alignment.rows[r].cells.get(v).and_then(Option::as_ref)
    };
    // Rows linked by either version's merged cells are one group.
    let mut groups = UnionFind::new(n);
    for r in 0..n {
        for v in [base, other] {
            for &k in cell(r, v).map_or(&[][..], |c| &c.merged_with) {
                if k < n {
                    groups.union(r as u32, k as u32);
                }
            }
        }
    }
    let mut out: Vec<PairCells> = Vec::with_capacity(n);
    let mut slot: Vec<usize> = vec![usize::MAX; n];
    for r in 0..n {
        // A group's first row, met first here, gives it its place.
        let g = groups.find(r as u32) as usize;
        let at = if slot[g] == usize::MAX {
            slot[g] = out.len();
            out.push(PairCells {
                base: None,
                other: None,
            });
            out.len() - 1
        } else {
            slot[g]
        };
        for (v, side) in [(base, true), (other, false)] {
            let Some(c) = cell(r, v) else { continue };
            let target = if side {
                &mut out[at].base
            } else {
                &mut out[at].other
            };
            match target {
                Some(t) => {
                    t.paragraphs.extend(&c.paragraphs);
                    t.paragraphs.sort_unstable();
                    t.paragraphs.dedup();
                    t.moved = t.moved.or(c.moved);
                }
                None => {
                    *target = Some(PairCell {
                        paragraphs: c.paragraphs.clone(),
                        moved: c.moved,
                    })
                }
            }
        }
    }
    out
}

fn first(paras: &[usize]) -> usize {
    paras.first().copied().unwrap_or(usize::MAX)
}
