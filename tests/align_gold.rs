//! Every gold fact of the sample corpus, checked through `align` and `compare`.

mod align_common;

use align_common::{Sample, gold, row_of, sample};
use serde_json::Value;
use storydiff::align::{AlignOptions, align, compare};
use storydiff::diff::DiffOptions;
use storydiff::model::{Alignment, ChangeKind, Comparison, PairKind, PairRow};

fn aligned(s: &Sample, base: usize) -> Alignment {
    let a = align(&s.corpus, &s.story, base, &AlignOptions::default());
    every_body_paragraph_once(s, &a);
    a
}

fn compared(s: &Sample, a: &Alignment, other: usize) -> Comparison {
    compare(
        &s.corpus,
        &s.story,
        a,
        other,
        &AlignOptions::default(),
        &DiffOptions::default(),
    )
}

fn every_body_paragraph_once(s: &Sample, a: &Alignment) {
    for v in 0..s.story.versions.len() {
        for p in s.article(v).body_indices() {
            let n = a
                .rows
                .iter()
                .filter(|r| {
                    r.cells[v]
                        .as_ref()
                        .is_some_and(|c| c.paragraphs.contains(&p))
                })
                .count();
            assert_eq!(n, 1, "{} paragraph {p} is in {n} rows", s.files[v]);
        }
    }
}

fn line(v: &Value) -> u32 {
    v.as_u64().unwrap() as u32
}

fn bases(s: &Sample) -> [usize; 2] {
    [
        s.version("000_66b60800ac77cf39.txt"),
        s.version("003_e6c2c4d9a5885b82.txt"),
    ]
}

#[test]
fn aligned_groups_share_a_row_whatever_the_base() {
    let s = sample();
    let g = gold();
    for base in 0..s.story.versions.len() {
        let a = aligned(&s, base);
        for group in g["aligned"]["groups"].as_array().unwrap() {
            // Each member's rows: its cell's row and, for a paragraph that
            // merges two others keep apart, the rows its cell also holds
            // (`merged_with`). Every two members of different versions must
            // share a row: a group of one version's two paragraphs and another
            // version's merged one is two rows, linked by the merged cell.
            let mut rows = Vec::new();
            for (file, lines) in group.as_object().unwrap() {
                let v = s.version(file);
                for l in lines.as_array().unwrap() {
                    let p = s.para(v, line(l));
                    let r = row_of(&a, v, p);
                    let mut held: Vec<usize> = r.into_iter().collect();
                    if let Some(c) = r.and_then(|r| a.rows[r].cells[v].as_ref()) {
                        held.extend(&c.merged_with);
                    }
                    rows.push((file.clone(), line(l), v, held));
                }
            }
            for (i, x) in rows.iter().enumerate() {
                for y in &rows[i + 1..] {
                    assert!(
                        !x.3.is_empty() && (x.2 == y.2 || x.3.iter().any(|r| y.3.contains(r))),
                        "base {}: group not in one row: {rows:?}",
                        s.files[base]
                    );
                }
            }
        }
    }
}

#[test]
fn moved_paragraph_is_reported_as_moved() {
    let s = sample();
    let g = gold();
    for case in g["moved"]["cases"].as_array().unwrap() {
        let va = s.version(case["a"]["file"].as_str().unwrap());
        let vb = s.version(case["b"]["file"].as_str().unwrap());
        let pa = s.para(va, line(&case["a"]["line"]));
        let pb = s.para(vb, line(&case["b"]["line"]));
        let mut all_bases = bases(&s).to_vec();
        all_bases.extend([va, vb]);
        for base in all_bases {
            let a = aligned(&s, base);
            let r = row_of(&a, va, pa);
            assert!(
                r.is_some() && r == row_of(&a, vb, pb),
                "base {}",
                s.files[base]
            );
            let row = &a.rows[r.unwrap()];
            let moved = [va, vb]
                .iter()
                .any(|&v| row.cells[v].as_ref().is_some_and(|c| c.moved.is_some()));
            assert!(moved, "base {}: not marked moved: {row:?}", s.files[base]);
        }
        for (base, other, pbase, pother) in [(va, vb, pa, pb), (vb, va, pb, pa)] {
            let a = aligned(&s, base);
            let c = compared(&s, &a, other);
            let from = c
                .rows
                .iter()
                .position(|r| r.kind == PairKind::MovedFrom && r.base.contains(&pbase))
                .unwrap_or_else(|| panic!("no MovedFrom in {:#?}", c.rows));
            let to = c.rows[from]
                .counterpart
                .expect("MovedFrom has a counterpart");
            let to_row = &c.rows[to];
            assert_eq!(to_row.kind, PairKind::MovedTo);
            assert!(to_row.other.contains(&pother));
            assert_eq!(to_row.counterpart, Some(from));
            assert!(to_row.diff.is_some());
        }
    }
}

#[test]
fn only_in_paragraphs_have_no_counterpart() {
    let s = sample();
    let g = gold();
    for base in bases(&s) {
        let a = aligned(&s, base);
        for case in g["only_in"]["cases"].as_array().unwrap() {
            let v = s.version(case["file"].as_str().unwrap());
            let p = s.para(v, line(&case["line"]));
            let r = row_of(&a, v, p).expect("paragraph is in a row");
            for absent in case["absent_from"].as_array().unwrap() {
                let w = s.version(absent.as_str().unwrap());
                assert!(
                    a.rows[r].cells[w].is_none(),
                    "base {}: {} line {} has a counterpart in {}",
                    s.files[base],
                    s.files[v],
                    case["line"],
                    s.files[w]
                );
            }
        }
    }
}

fn kind_of(name: &str) -> ChangeKind {
    match name {
        "spelling" => ChangeKind::Spelling,
        "style" => ChangeKind::Style,
        "wording" => ChangeKind::Wording,
        other => panic!("unknown kind {other}"),
    }
}

#[test]
fn word_changes_have_their_kind() {
    let s = sample();
    let g = gold();
    for case in g["word_changes"]["cases"].as_array().unwrap() {
        let va = s.version(case["a"]["file"].as_str().unwrap());
        let vb = s.version(case["b"]["file"].as_str().unwrap());
        let pa = s.para(va, line(&case["a"]["line"]));
        let pb = s.para(vb, line(&case["b"]["line"]));
        let kind = kind_of(case["kind"].as_str().unwrap());
        let (wa, wb) = (
            case["a_word"].as_str().unwrap(),
            case["b_word"].as_str().unwrap(),
        );
        // Each direction, with each of the two as the base.
        for (base, other, pbase, pother, old_w, new_w) in
            [(va, vb, pa, pb, wa, wb), (vb, va, pb, pa, wb, wa)]
        {
            let a = aligned(&s, base);
            let c = compared(&s, &a, other);
            let row = c
                .rows
                .iter()
                .find(|r| {
                    r.other.contains(&pother)
                        && r.diff
                            .as_ref()
                            .is_some_and(|d| d.old_text.contains(s.text(base, pbase)))
                })
                .unwrap_or_else(|| panic!("{old_w}→{new_w}: paragraphs not compared"));
            let d = row.diff.as_ref().unwrap();
            let found = d.changes.iter().find(|ch| {
                &d.old_text[ch.old.clone()] == old_w && &d.new_text[ch.new.clone()] == new_w
            });
            let ch = found.unwrap_or_else(|| {
                let shown: Vec<_> = d
                    .changes
                    .iter()
                    .map(|ch| {
                        (
                            ch.kind,
                            &d.old_text[ch.old.clone()],
                            &d.new_text[ch.new.clone()],
                        )
                    })
                    .collect();
                panic!("no change {old_w}→{new_w} in {shown:#?}")
            });
            assert_eq!(ch.kind, kind, "{old_w}→{new_w}");
            if kind == ChangeKind::Spelling {
                assert!(!ch.old_emphasis.is_empty() && !ch.new_emphasis.is_empty());
                for r in &ch.old_emphasis {
                    assert!(r.end <= ch.old.len());
                }
                for r in &ch.new_emphasis {
                    assert!(r.end <= ch.new.len());
                }
            }
        }
    }
}

#[test]
fn identical_versions_have_no_changes() {
    let s = sample();
    let g = gold();
    for pair in g["identical"]["pairs"].as_array().unwrap() {
        let va = s.version(pair[0]["file"].as_str().unwrap());
        let vb = s.version(pair[1]["file"].as_str().unwrap());
        for (base, other) in [(va, vb), (vb, va)] {
            let a = aligned(&s, base);
            let c = compared(&s, &a, other);
            assert!(!c.rows.is_empty());
            for r in &c.rows {
                assert_eq!(r.kind, PairKind::Same, "{r:#?}");
                assert!(r.diff.as_ref().is_some_and(|d| d.changes.is_empty()));
            }
            assert_eq!(c.counts().total(), 0);
        }
    }
}

/// 002 and 004 hold 000's paragraphs at lines 14 and 16 as one paragraph. The
/// alignment keeps them in two rows (000, 001 and the feed keep them apart),
/// but the two-version view shows the merge, and the split the other way
/// round, as one row.
#[test]
fn a_merge_is_one_row_side_by_side() {
    let s = sample();
    let v000 = s.version("000_66b60800ac77cf39.txt");
    let v002 = s.version("002_dcca5060c2c40b0f.txt");
    let (a, b) = (s.para(v000, 14), s.para(v000, 16));
    let m = s.para(v002, 4);
    for (base, other) in [(v000, v002), (v002, v000)] {
        let al = aligned(&s, base);
        assert_ne!(row_of(&al, v000, a), row_of(&al, v000, b));
        let c = compared(&s, &al, other);
        // The 000 side and the 002 side of a comparison row.
        let base_is_000 = base == v000;
        let sa = |r: &PairRow| {
            if base_is_000 {
                r.base.clone()
            } else {
                r.other.clone()
            }
        };
        let sm = |r: &PairRow| {
            if base_is_000 {
                r.other.clone()
            } else {
                r.base.clone()
            }
        };
        let row = c
            .rows
            .iter()
            .find(|r| sm(r).contains(&m))
            .expect("the merged paragraph is shown");
        assert_eq!(sa(row), vec![a, b], "{row:?}");
        assert_eq!(sm(row), vec![m]);
        assert!(
            matches!(row.kind, PairKind::Changed | PairKind::Same),
            "{row:?}"
        );
    }
}
