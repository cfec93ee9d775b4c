//! Hand-built corpus, comparisons and alignment for the view tests, taken
//! from the sample corpus's Iran-China story: a spelling change
//! (Ashtinai/Ashtiani), a style change (US/U.S.), a wording change
//! (slammed/criticized), a removed, an added, a moved and a rewritten
//! paragraph, headline and furniture.

use std::path::PathBuf;
use std::sync::Arc;

use crate::engine::{Engine, Settings};
use crate::model::*;

fn para(text: &str, line: u32, role: Role) -> Paragraph {
    Paragraph {
        text: text.into(),
        lines: LineSpan::new(line, line),
        role,
    }
}

const RAISI: &str = "TEHRAN, Iran -- Iranian President Ebrahim Raisi expressed Wednesday his government’s desire for closer cooperation with China in remarks made during a visit by the Chinese defense minister, state media reported.";
const WEI_OLD: &str = "Wei also met with his Iranian counterpart, Gen. Mohammad Reza Ashtinai, and reportedly invited him to visit China.";
const WEI_NEW: &str = "Wei also met with his Iranian counterpart, Gen. Mohammad Reza Ashtiani, and reportedly invited him to visit China.";
const US_OLD: &str = "Ashtiani slammed the US military presence in the Middle East.";
const US_NEW: &str = "Ashtiani criticized the U.S. military presence in the Middle East.";
const TIES: &str = "Iran and China have increased their military ties in recent years, with their navies visiting each other’s ports.";
const DEAL: &str = "China is a signatory to the nuclear deal between Iran and world powers, along with Russia, Britain, France and Germany.";
const BAGHERI: &str = "Major General Mohammad Bagheri, the chief of staff of Iran’s armed forces, also met with the Chinese visitor.";
const OIL: &str = "The treaty paved the way for economic activities ranging from oil trade to transportation and agriculture.";
const CONGO: &str = "Rebels in eastern Congo said they had taken the town after days of fighting.";

fn article(id: &str, file: FileId, index: usize, paragraphs: Vec<Paragraph>) -> Article {
    let first = paragraphs.first().map_or(1, |p| p.lines.first);
    let last = paragraphs.last().map_or(1, |p| p.lines.last);
    Article {
        id: id.to_owned(),
        file,
        index_in_file: index,
        title: paragraphs
            .iter()
            .find(|p| p.role == Role::Headline)
            .map_or_else(|| paragraphs[0].text.to_string(), |p| p.text.to_string()),
        paragraphs,
        lines: LineSpan::new(first, last),
        meta: Default::default(),
    }
}

fn file(name: &str) -> SourceFile {
    SourceFile {
        path: PathBuf::from("assets/corpus").join(name),
        size: 0,
        modified: None,
        hash: 0,
        text: String::new(),
        encoding_note: None,
    }
}

/// The corpus: versions 000, 003 and 004 of one story, and a single-version
/// story (000-2) from the second half of file 000.
pub fn corpus() -> Corpus {
    use FurnitureKind::*;
    let a000 = article(
        "000",
        0,
        0,
        vec![
            para(
                "Iran seeks to expand its military cooperation with China",
                1,
                Role::Headline,
            ),
            para("By The Associated Press", 3, Role::Furniture(Byline)),
            para("April 27, 2022, 9:26 PM", 4, Role::Furniture(Date)),
            para(RAISI, 6, Role::Body),
            para(WEI_OLD, 8, Role::Body),
            para(US_OLD, 10, Role::Body),
            para(TIES, 12, Role::Body),
            para(DEAL, 14, Role::Body),
            para("Read more", 16, Role::Furniture(Boilerplate)),
        ],
    );
    let a003 = article(
        "003",
        1,
        0,
        vec![
            para(RAISI, 2, Role::Body),
            para(WEI_NEW, 4, Role::Body),
            para(US_NEW, 6, Role::Body),
            para(TIES, 8, Role::Body),
            para(BAGHERI, 10, Role::Body),
            para("Read more", 12, Role::Furniture(Boilerplate)),
        ],
    );
    let a004 = article(
        "004",
        2,
        0,
        vec![
            para(
                "Iran seeks to expand its military cooperation with China",
                3,
                Role::Headline,
            ),
            para(RAISI, 14, Role::Body),
            para(TIES, 16, Role::Body),
            para(WEI_OLD, 18, Role::Body),
            para(US_OLD, 20, Role::Body),
            para(OIL, 22, Role::Body),
        ],
    );
    let congo = article(
        "000-2",
        0,
        1,
        vec![
            para("Congo rebels take town", 59, Role::Headline),
            para(CONGO, 61, Role::Body),
        ],
    );
    Corpus {
        files: vec![
            file("000_66b60800ac77cf39.txt"),
            file("003_e6c2c4d9a5885b82.txt"),
            file("004_033ed2a7a91fa8ad.txt"),
        ],
        articles: vec![a000, a003, a004, congo],
        warnings: vec![],
    }
}

pub fn stories() -> Vec<Story> {
    vec![
        Story {
            id: "s-iran".into(),
            title: "Iran seeks to expand its military cooperation with China".into(),
            versions: vec![0, 1, 2],
            central: 0,
            spread: 0.3,
        },
        Story {
            id: "s-congo".into(),
            title: "Congo rebels take town".into(),
            versions: vec![3],
            central: 0,
            spread: 0.0,
        },
    ]
}

pub fn engine() -> Arc<Engine> {
    Arc::new(Engine::from_parts(corpus(), stories(), Settings::default()))
}

fn range(text: &str, word: &str) -> std::ops::Range<usize> {
    let s = text.find(word).unwrap_or(0);
    s..s + word.len()
}

fn change(kind: ChangeKind, old: &str, new: &str, o: &str, n: &str) -> Change {
    Change {
        kind,
        old: range(old, o),
        new: range(new, n),
        old_emphasis: vec![],
        new_emphasis: vec![],
    }
}

fn same(base: usize, other: usize) -> PairRow {
    PairRow {
        kind: PairKind::Same,
        base: vec![base],
        other: vec![other],
        diff: None,
        counterpart: None,
    }
}

/// 000 (version 0) against 003 (version 1).
pub fn comparison_000_003() -> Comparison {
    let mut spelling = change(
        ChangeKind::Spelling,
        WEI_OLD,
        WEI_NEW,
        "Ashtinai",
        "Ashtiani",
    );
    // Relative to the changed word: Ashti[na]i / Ashti[an]i.
    spelling.old_emphasis = std::iter::once(5..7).collect();
    spelling.new_emphasis = std::iter::once(5..7).collect();
    Comparison {
        base: 0,
        other: 1,
        rows: vec![
            same(3, 0),
            PairRow {
                kind: PairKind::Changed,
                base: vec![4],
                other: vec![1],
                diff: Some(WordDiff {
                    old_text: WEI_OLD.into(),
                    new_text: WEI_NEW.into(),
                    changes: vec![spelling],
                    hidden: vec![],
                    ratio: 0.05,
                }),
                counterpart: None,
            },
            PairRow {
                kind: PairKind::Changed,
                base: vec![5],
                other: vec![2],
                diff: Some(WordDiff {
                    old_text: US_OLD.into(),
                    new_text: US_NEW.into(),
                    changes: vec![
                        change(ChangeKind::Wording, US_OLD, US_NEW, "slammed", "criticized"),
                        change(ChangeKind::Style, US_OLD, US_NEW, "US", "U.S."),
                    ],
                    hidden: vec![],
                    ratio: 0.2,
                }),
                counterpart: None,
            },
            same(6, 3),
            PairRow {
                kind: PairKind::Removed,
                base: vec![7],
                other: vec![],
                diff: None,
                counterpart: None,
            },
            PairRow {
                kind: PairKind::Added,
                base: vec![],
                other: vec![4],
                diff: None,
                counterpart: None,
            },
        ],
    }
}

/// 000 (version 0) against 004 (version 2): the "ties" paragraph moved up,
/// the last one rewritten.
pub fn comparison_000_004() -> Comparison {
    Comparison {
        base: 0,
        other: 2,
        rows: vec![
            same(3, 1),
            PairRow {
                kind: PairKind::MovedTo,
                base: vec![],
                other: vec![2],
                diff: Some(WordDiff {
                    old_text: TIES.into(),
                    new_text: TIES.into(),
                    changes: vec![],
                    hidden: vec![],
                    ratio: 0.0,
                }),
                counterpart: Some(4),
            },
            same(4, 3),
            same(5, 4),
            PairRow {
                kind: PairKind::MovedFrom,
                base: vec![6],
                other: vec![],
                diff: None,
                counterpart: Some(1),
            },
            PairRow {
                kind: PairKind::Rewritten,
                base: vec![7],
                other: vec![5],
                diff: None,
                counterpart: None,
            },
        ],
    }
}

fn cell(p: usize, status: CellStatus, similarity: f32) -> Option<Cell> {
    Some(Cell {
        paragraphs: vec![p],
        status,
        similarity,
        moved: None,
        merged_with: Vec::new(),
    })
}

/// Every version against 000.
pub fn alignment() -> Alignment {
    use CellStatus::*;
    let mut moved = cell(2, Same, 1.0);
    if let Some(c) = moved.as_mut() {
        c.moved = Some(Moved {
            position: 2,
            after_row: Some(0),
        });
    }
    let row = |kind, cells| Row { kind, cells };
    Alignment {
        base: 0,
        rows: vec![
            row(
                RowKind::Same,
                vec![cell(3, Base, 1.0), cell(0, Same, 1.0), cell(1, Same, 1.0)],
            ),
            row(
                RowKind::Changed,
                vec![
                    cell(4, Base, 1.0),
                    cell(1, Changed, 0.93),
                    cell(3, Same, 1.0),
                ],
            ),
            row(
                RowKind::Changed,
                vec![
                    cell(5, Base, 1.0),
                    cell(2, Changed, 0.7),
                    cell(4, Same, 1.0),
                ],
            ),
            row(
                RowKind::Moved,
                vec![cell(6, Base, 1.0), cell(3, Same, 1.0), moved],
            ),
            row(
                RowKind::Partial,
                vec![cell(7, Base, 1.0), None, cell(5, Changed, 0.1)],
            ),
            row(RowKind::Partial, vec![None, cell(4, Added, 0.0), None]),
        ],
    }
}
