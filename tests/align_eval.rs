//! Alignment and diff on the public evaluation texts: what a reader of the
//! side-by-side view would check first.

mod align_common;

use align_common::{article_from_blocks, root, source_file, story_of};
use storydiff::align::{AlignOptions, align, compare};
use storydiff::diff::DiffOptions;
use storydiff::model::{ChangeKind, Comparison, Corpus, PairKind, Story};

fn load(dir: &str, names: &[&str]) -> (Corpus, Story) {
    let mut corpus = Corpus::default();
    for (i, n) in names.iter().enumerate() {
        let path = root().join("tests/data/eval").join(dir).join(n);
        let text = std::fs::read_to_string(&path).unwrap();
        corpus.articles.push(article_from_blocks(n, i, &text));
        corpus.files.push(source_file(&path, text));
    }
    let story = story_of(&corpus);
    (corpus, story)
}

fn compared(corpus: &Corpus, story: &Story, base: usize, other: usize) -> Comparison {
    let opts = AlignOptions::default();
    let a = align(corpus, story, base, &opts);
    compare(corpus, story, &a, other, &opts, &DiffOptions::default())
}

fn text_of<'a>(corpus: &'a Corpus, v: usize, paras: &[usize]) -> Vec<&'a str> {
    paras
        .iter()
        .map(|&p| &*corpus.articles[v].paragraphs[p].text)
        .collect()
}

const DARWIN: [&str; 6] = [
    "origin-1859.txt",
    "origin-1860.txt",
    "origin-1861.txt",
    "origin-1866.txt",
    "origin-1869.txt",
    "origin-1872.txt",
];

#[test]
fn darwin_first_and_last_editions_pair_every_paragraph() {
    let (corpus, story) = load("darwin-origin-ch1", &DARWIN);
    let c = compared(&corpus, &story, 0, 5);
    let counts = c.counts();
    // The 1872 text adds four paragraphs and drops or moves none.
    assert_eq!((counts.added, counts.removed, counts.moved), (4, 0, 0));
    for row in &c.rows {
        let Some(d) = &row.diff else { continue };
        for ch in &d.changes {
            let (o, n) = (&d.old_text[ch.old.clone()], &d.new_text[ch.new.clone()]);
            if ch.kind == ChangeKind::Spelling {
                // An ending added or dropped is a wording change, not a typo.
                assert!(!o.starts_with(n) && !n.starts_with(o), "{o} → {n}");
            }
        }
    }
}

#[test]
fn darwin_rewritten_clause_is_one_change() {
    let (corpus, story) = load("darwin-origin-ch1", &DARWIN);
    let c = compared(&corpus, &story, 0, 5);
    let row = c
        .rows
        .iter()
        .find(|r| {
            r.diff
                .as_ref()
                .is_some_and(|d| d.old_text.starts_with("It has been disputed"))
        })
        .expect("the paragraph is paired");
    let d = row.diff.as_ref().unwrap();
    let first = &d.changes[0];
    assert!(d.old_text[first.old.clone()].starts_with("It has been disputed at what period"));
    assert!(d.new_text[first.new.clone()].starts_with("With respect to what I have called"));
}

const TOS: [&str; 6] = [
    "tos-v1-2017-06-09.txt",
    "tos-v2-2017-06-09.txt",
    "tos-v3-2018-04-19.txt",
    "tos-v4-2019-11-13.txt",
    "tos-v5-2021-06-14.txt",
    "tos-v6-2025-03-24.txt",
];

#[test]
fn tos_relettered_sections_pair_up() {
    let (corpus, story) = load("github-tos-history", &TOS);
    let c = compared(&corpus, &story, 0, 5);
    for (old, new) in [
        (
            "### E. Copyright Infringement and DMCA Policy",
            "## F. Copyright Infringement and DMCA Policy",
        ),
        ("### G. API Terms", "## H. API Terms"),
        (
            "#### 2. Account Requirements",
            "### 3. Account Requirements",
        ),
    ] {
        let row = c
            .rows
            .iter()
            .find(|r| text_of(&corpus, 0, &r.base) == [old])
            .unwrap_or_else(|| panic!("{old} not shown"));
        assert_eq!(text_of(&corpus, 5, &row.other), [new]);
        let d = row.diff.as_ref().unwrap();
        let kinds: Vec<ChangeKind> = d.changes.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [ChangeKind::Style, ChangeKind::Wording],
            "{old} → {new}"
        );
    }
}

#[test]
fn tos_section_moved_before_its_neighbour() {
    let (corpus, story) = load("github-tos-history", &TOS);
    let c = compared(&corpus, &story, 0, 1);
    let from = c
        .rows
        .iter()
        .position(|r| {
            r.kind == PairKind::MovedFrom
                && text_of(&corpus, 0, &r.base) == ["#### 3. GitHub May Remove Content"]
        })
        .expect("moved section");
    let to = &c.rows[c.rows[from].counterpart.unwrap()];
    assert_eq!(to.kind, PairKind::MovedTo);
    assert_eq!(
        text_of(&corpus, 1, &to.other),
        ["#### 2. GitHub May Remove Content"]
    );
}

#[test]
fn covenant_page_with_another_document_appended() {
    let names = [
        "covenant-1.0.txt",
        "covenant-1.1.txt",
        "covenant-1.2.txt",
        "covenant-1.3.txt",
        "covenant-1.4.txt",
        "covenant-2.0.txt",
        "covenant-2.1.txt",
        "page-A.txt",
        "page-B.txt",
    ];
    let (corpus, story) = load("contributor-covenant", &names);
    // page-A is covenant 1.4 word for word, then another policy.
    let c = compared(&corpus, &story, 4, 7);
    let mut seen_added = false;
    for r in &c.rows {
        match r.kind {
            PairKind::Same => assert!(!seen_added, "covenant text after the appended part"),
            PairKind::Added => seen_added = true,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(seen_added);
    // page-B reuses single paragraphs of the covenant inside another code of conduct.
    let c = compared(&corpus, &story, 4, 8);
    let reused = c
        .rows
        .iter()
        .find(|r| {
            text_of(&corpus, 4, &r.base)
                .first()
                .is_some_and(|t| t.starts_with("Project maintainers who do not follow"))
        })
        .expect("paragraph shown");
    assert_eq!(reused.kind, PairKind::Changed);
    assert!(
        text_of(&corpus, 8, &reused.other)[0].starts_with("GitHub Community moderators who do not")
    );
}
