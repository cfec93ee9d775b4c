//! Properties of the word diff and the alignment on random input.

mod align_common;

use align_common::{article_from_lines, story_of};
use proptest::prelude::*;
use storydiff::align::{AlignOptions, align, compare};
use storydiff::diff::{DiffOptions, apply, word_diff};
use storydiff::model::{Corpus, PairKind, RowKind, WordDiff};

/// Words chosen so that style variants, near-spellings, punctuation and odd
/// spaces meet often.
fn word() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "the",
        "The",
        "US",
        "U.S.",
        "U.S",
        "us",
        "Ashtinai",
        "Ashtiani",
        "slammed",
        "criticized",
        "he",
        "He",
        "Wei",
        "said",
        "2021",
        "2022",
        ",",
        ".",
        ";",
        "“",
        "”",
        "\"",
        "'",
        "’",
        "—",
        "-",
        "e.g.",
        "long-term",
        "北京",
        "欢迎",
        "é",
        "naïve",
        "🙂",
        "(",
        ")",
        "x",
    ])
}

fn space() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![" ", " ", " ", "", "  ", "\u{a0}", "\t"])
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec((word(), space()), 0..24)
        .prop_map(|v| v.into_iter().map(|(w, s)| format!("{w}{s}")).collect())
}

fn check_ranges(d: &WordDiff) {
    let mut all: Vec<_> = d.changes.iter().chain(&d.hidden).collect();
    all.sort_by_key(|c| (c.old.start, c.old.end, c.new.start));
    for w in all.windows(2) {
        assert!(w[0].old.end <= w[1].old.start, "old ranges overlap: {d:#?}");
        assert!(w[0].new.end <= w[1].new.start, "new ranges overlap: {d:#?}");
    }
    for c in &all {
        assert!(
            d.old_text.get(c.old.clone()).is_some(),
            "bad old range {c:?}"
        );
        assert!(
            d.new_text.get(c.new.clone()).is_some(),
            "bad new range {c:?}"
        );
        let (o, n) = (&d.old_text[c.old.clone()], &d.new_text[c.new.clone()]);
        for r in &c.old_emphasis {
            assert!(o.get(r.clone()).is_some(), "bad emphasis {r:?} in {o:?}");
        }
        for r in &c.new_emphasis {
            assert!(n.get(r.clone()).is_some(), "bad emphasis {r:?} in {n:?}");
        }
    }
    assert!((0.0..=1.0).contains(&d.ratio));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn a_text_against_itself_has_no_changes(a in text()) {
        let d = word_diff(&a, &a, &DiffOptions::default());
        prop_assert!(d.changes.is_empty() && d.hidden.is_empty());
        prop_assert_eq!(d.ratio, 0.0);
    }

    #[test]
    fn applying_a_diff_gives_the_new_text(a in text(), b in text(), hide in any::<bool>()) {
        let d = word_diff(&a, &b, &DiffOptions { hide_style: hide, ..Default::default() });
        check_ranges(&d);
        prop_assert_eq!(apply(&d), b);
    }

    #[test]
    fn applying_an_edit_of_a_text_gives_it(a in text(), cut in 0usize..24, insert in text()) {
        // Versions that share most of their text, as real ones do.
        let words: Vec<&str> = a.split(' ').collect();
        let k = cut.min(words.len());
        let b = format!("{} {} {}", words[..k].join(" "), insert, words[k..].join(" "));
        let d = word_diff(&a, &b, &DiffOptions::default());
        check_ranges(&d);
        prop_assert_eq!(apply(&d), b);
    }
}

/// Paragraphs distinct enough to have one counterpart each.
const SENTENCES: [&str; 10] = [
    "Iranian President Ebrahim Raisi met the Chinese defense minister in Tehran on Wednesday.",
    "Raisi said that ties with Beijing were strategic and would deepen over the coming years.",
    "The two countries signed a cooperation agreement covering oil, mining and transport in 2021.",
    "Wei also met his Iranian counterpart, who criticized the military presence of Washington.",
    "Trade between the countries fell after sanctions were imposed again in 2018 by Washington.",
    "Exports to China have surged by 58 percent in the past twelve months, AFP reported today.",
    "China is a signatory to the nuclear deal along with Russia, Britain, France and Germany.",
    "Navies of both states held joint drills in the Indian Ocean and visited each other's ports.",
    "Talks to revive the nuclear deal with world powers have stalled for several months now.",
    "Officials said further meetings were planned but gave no dates for the next round of talks.",
];

#[derive(Debug, Clone)]
enum Edit {
    Keep,
    Drop,
    Typo,
    MergeWithNext,
}

fn version() -> impl Strategy<Value = Vec<String>> {
    (
        Just((0..SENTENCES.len()).collect::<Vec<usize>>()).prop_shuffle(),
        prop::collection::vec(
            prop_oneof![
                6 => Just(Edit::Keep),
                2 => Just(Edit::Drop),
                2 => Just(Edit::Typo),
                1 => Just(Edit::MergeWithNext),
            ],
            SENTENCES.len(),
        ),
        any::<bool>(),
    )
        .prop_map(|(order, edits, shuffle)| {
            let order: Vec<usize> = if shuffle {
                order
            } else {
                (0..SENTENCES.len()).collect()
            };
            let mut out: Vec<String> = Vec::new();
            let mut merge = false;
            for (i, &s) in order.iter().enumerate() {
                let text = match edits[i] {
                    Edit::Drop => continue,
                    Edit::Typo => SENTENCES[s].replacen("the", "teh", 1),
                    _ => SENTENCES[s].to_owned(),
                };
                match out.last_mut() {
                    Some(last) if merge => {
                        last.push(' ');
                        last.push_str(&text);
                    }
                    _ => out.push(text),
                }
                merge = matches!(edits[i], Edit::MergeWithNext);
            }
            out
        })
}

fn corpus_of(versions: &[Vec<String>]) -> Corpus {
    let mut corpus = Corpus::default();
    for (i, paras) in versions.iter().enumerate() {
        // A furniture line first, so paragraph indices differ from body positions.
        let text = format!("Read more\n{}", paras.join("\n"));
        corpus
            .articles
            .push(article_from_lines(&format!("v{i}"), i, &text, |n| n > 1));
    }
    corpus
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    #[test]
    fn every_body_paragraph_is_in_exactly_one_row(
        versions in prop::collection::vec(version(), 1..6),
        base_pick in any::<prop::sample::Index>(),
        other_pick in any::<prop::sample::Index>(),
    ) {
        let corpus = corpus_of(&versions);
        let story = story_of(&corpus);
        let base = base_pick.index(versions.len());
        let opts = AlignOptions::default();
        let a = align(&corpus, &story, base, &opts);
        prop_assert_eq!(a.base, base);
        for row in &a.rows {
            prop_assert_eq!(row.cells.len(), versions.len());
            prop_assert!(row.cells.iter().any(Option::is_some));
        }
        for (v, art) in corpus.articles.iter().enumerate() {
            for p in art.body_indices() {
                let n = a.rows.iter().filter(|r| {
                    r.cells[v].as_ref().is_some_and(|c| c.paragraphs.contains(&p))
                }).count();
                prop_assert_eq!(n, 1, "version {} paragraph {}", v, p);
            }
            for row in &a.rows {
                if let Some(c) = &row.cells[v] {
                    prop_assert!(c.paragraphs.iter().all(|&p| art.paragraphs[p].role.is_body()));
                }
            }
        }
        // Base rows keep the base's order.
        let base_firsts: Vec<usize> = a.rows.iter()
            .filter_map(|r| r.cells[base].as_ref().map(|c| c.paragraphs[0]))
            .collect();
        prop_assert!(base_firsts.windows(2).all(|w| w[0] < w[1]));

        let other = other_pick.index(versions.len());
        let c = compare(&corpus, &story, &a, other, &opts, &DiffOptions::default());
        let mut base_seen = Vec::new();
        let mut other_seen = Vec::new();
        for (i, r) in c.rows.iter().enumerate() {
            base_seen.extend(r.base.iter().copied());
            other_seen.extend(r.other.iter().copied());
            if let Some(j) = r.counterpart {
                prop_assert_eq!(c.rows[j].counterpart, Some(i));
            }
            if let Some(d) = &r.diff {
                prop_assert_eq!(apply(d), d.new_text.clone());
            }
        }
        base_seen.sort_unstable();
        other_seen.sort_unstable();
        let base_body: Vec<usize> = corpus.articles[base].body_indices().collect();
        let other_body: Vec<usize> = corpus.articles[other].body_indices().collect();
        prop_assert_eq!(base_seen, base_body);
        prop_assert_eq!(other_seen, other_body);
    }

    #[test]
    fn a_version_aligned_with_itself_is_all_same(v in version(), copies in 1usize..4) {
        let versions = vec![v; copies];
        let corpus = corpus_of(&versions);
        let story = story_of(&corpus);
        let a = align(&corpus, &story, 0, &AlignOptions::default());
        for row in &a.rows {
            prop_assert_eq!(row.kind, RowKind::Same);
        }
        let c = compare(&corpus, &story, &a, copies - 1, &AlignOptions::default(), &DiffOptions::default());
        for r in &c.rows {
            prop_assert_eq!(r.kind, PairKind::Same);
        }
    }
}
