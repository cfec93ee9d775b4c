//! A small hand-built corpus, story, comparison and alignment for the format tests.

use std::path::PathBuf;

use crate::model::{
    Alignment, Article, Cell, CellStatus, Change, ChangeKind, Comparison, Corpus, FurnitureKind,
    LineSpan, Moved, PairKind, PairRow, Paragraph, Role, Row, RowKind, SourceFile, Story, WordDiff,
};

pub const HEADLINE: &str = "Iran & China <talks>";
pub const MOVED_OLD: &str = "A moved paragraph about naval drills in the Indian Ocean.";
pub const MOVED_NEW: &str = "A moved paragraph about naval drills in the Indian Ocean!";
pub const SAME: &str = "Raisi said Tehran wanted ties.";
pub const CHANGED_OLD: &str = "Wei also met Gen. Mohammad Reza Ashtinai, who spoke.";
pub const CHANGED_NEW: &str = "Wei also met Mohammad Reza Ashtiani, who spoke.";
pub const REMOVED: &str = "This paragraph was cut <script>alert(1)</script>.";
pub const ADDED: &str = "- A new paragraph *with* markdown_chars & [links] `code`.";

fn para(text: &str, line: u32, role: Role) -> Paragraph {
    Paragraph {
        text: text.into(),
        lines: LineSpan::new(line, line),
        role,
    }
}

fn file(path: &str, paragraphs: &[Paragraph]) -> SourceFile {
    let text: String = paragraphs
        .iter()
        .map(|p| format!("{}\n\n", p.text))
        .collect();
    SourceFile {
        path: PathBuf::from(path),
        size: text.len() as u64,
        modified: None,
        hash: 0,
        text,
        encoding_note: None,
    }
}

pub fn corpus() -> Corpus {
    let a = vec![
        para(HEADLINE, 1, Role::Headline),
        para("TT", 3, Role::Furniture(FurnitureKind::Boilerplate)),
        para(SAME, 5, Role::Body),
        para(CHANGED_OLD, 7, Role::Body),
        para(REMOVED, 9, Role::Body),
        para(MOVED_OLD, 11, Role::Body),
    ];
    let b = vec![
        para(HEADLINE, 1, Role::Headline),
        para(MOVED_NEW, 3, Role::Body),
        para(SAME, 5, Role::Body),
        para(CHANGED_NEW, 7, Role::Body),
        para(ADDED, 9, Role::Body),
    ];
    Corpus {
        files: vec![file("corpus/a.txt", &a), file("corpus/b <&>.txt", &b)],
        articles: vec![
            Article {
                id: "a".into(),
                file: 0,
                index_in_file: 0,
                title: HEADLINE.into(),
                lines: LineSpan::new(1, 11),
                paragraphs: a,
                meta: Default::default(),
            },
            Article {
                id: "b/2".into(),
                file: 1,
                index_in_file: 0,
                title: HEADLINE.into(),
                lines: LineSpan::new(1, 9),
                paragraphs: b,
                meta: Default::default(),
            },
        ],
        warnings: Vec::new(),
    }
}

pub fn story() -> Story {
    Story {
        id: "s1".into(),
        title: HEADLINE.into(),
        versions: vec![0, 1],
        central: 0,
        spread: 0.2,
    }
}

/// A change replacing `old_word` (empty: nothing) in `old` by `new_word` in `new`.
fn change(
    kind: ChangeKind,
    old: &str,
    old_word: &str,
    new: &str,
    new_word: &str,
    emphasis: Option<(usize, usize)>,
) -> Change {
    // An empty side stands where the other side's word stands (the texts share a prefix).
    let at = |text: &str, word: &str| text.find(word).unwrap_or(0);
    let (mut o, mut n) = (at(old, old_word), at(new, new_word));
    if old_word.is_empty() {
        o = n;
    }
    if new_word.is_empty() {
        n = o;
    }
    let em: Vec<_> = emphasis.map(|(s, e)| s..e).into_iter().collect();
    Change {
        kind,
        old: o..o + old_word.len(),
        new: n..n + new_word.len(),
        old_emphasis: em.clone(),
        new_emphasis: em,
    }
}

fn changed_diff() -> WordDiff {
    WordDiff {
        old_text: CHANGED_OLD.into(),
        new_text: CHANGED_NEW.into(),
        changes: vec![
            change(
                ChangeKind::Wording,
                CHANGED_OLD,
                "Gen. ",
                CHANGED_NEW,
                "",
                None,
            ),
            change(
                ChangeKind::Spelling,
                CHANGED_OLD,
                "Ashtinai",
                CHANGED_NEW,
                "Ashtiani",
                Some((5, 7)),
            ),
        ],
        ratio: 0.2,
        hidden: Vec::new(),
    }
}

fn moved_diff() -> WordDiff {
    WordDiff {
        old_text: MOVED_OLD.into(),
        new_text: MOVED_NEW.into(),
        changes: vec![change(
            ChangeKind::Style,
            MOVED_OLD,
            ".",
            MOVED_NEW,
            "!",
            None,
        )],
        ratio: 0.1,
        hidden: Vec::new(),
    }
}

pub fn comparison() -> Comparison {
    let row = |kind, base: Vec<usize>, other: Vec<usize>| PairRow {
        kind,
        base,
        other,
        diff: None,
        counterpart: None,
    };
    let mut rows = vec![
        row(PairKind::MovedTo, vec![], vec![1]),
        row(PairKind::Same, vec![2], vec![2]),
        row(PairKind::Changed, vec![3], vec![3]),
        row(PairKind::Removed, vec![4], vec![]),
        row(PairKind::MovedFrom, vec![5], vec![]),
        row(PairKind::Added, vec![], vec![4]),
    ];
    rows[0].diff = Some(moved_diff());
    rows[0].counterpart = Some(4);
    rows[4].counterpart = Some(0);
    rows[2].diff = Some(changed_diff());
    Comparison {
        base: 0,
        other: 1,
        rows,
    }
}

pub fn alignment() -> Alignment {
    let cell = |paragraphs: Vec<usize>, status, similarity| Cell {
        paragraphs,
        status,
        similarity,
        moved: None,
        merged_with: Vec::new(),
    };
    let mut moved = cell(vec![1], CellStatus::Changed, 0.9);
    moved.moved = Some(Moved {
        position: 1,
        after_row: None,
    });
    Alignment {
        base: 0,
        rows: vec![
            Row {
                kind: RowKind::Same,
                cells: vec![
                    Some(cell(vec![2], CellStatus::Base, 1.0)),
                    Some(cell(vec![2], CellStatus::Same, 1.0)),
                ],
            },
            Row {
                kind: RowKind::Changed,
                cells: vec![
                    Some(cell(vec![3], CellStatus::Base, 1.0)),
                    Some(cell(vec![3], CellStatus::Changed, 0.8)),
                ],
            },
            Row {
                kind: RowKind::Partial,
                cells: vec![Some(cell(vec![4], CellStatus::Base, 1.0)), None],
            },
            Row {
                kind: RowKind::Moved,
                cells: vec![Some(cell(vec![5], CellStatus::Base, 1.0)), Some(moved)],
            },
            Row {
                kind: RowKind::Partial,
                cells: vec![None, Some(cell(vec![4], CellStatus::Added, 0.0))],
            },
        ],
    }
}
