//! Segmentation on its own (`segment_text`): invariants on any input, and
//! the layouts the sample and evaluation files use.

use proptest::prelude::*;
use storydiff::corpus::{SegmentOptions, Segmenter, segment_text};
use storydiff::model::{FurnitureKind, Role};

fn segmenter() -> Segmenter {
    Segmenter::new(&SegmentOptions::default()).expect("default options compile")
}

fn line_count(text: &str) -> u32 {
    storydiff::corpus::layout::split_lines(text).len() as u32
}

fn check_invariants(text: &str) {
    let drafts = segment_text(text, &segmenter());
    let lines = line_count(text);
    let mut last_line = 0;
    for d in &drafts {
        assert!(d.paragraphs.iter().any(|p| p.role.is_body()));
        assert!(d.lines.first <= d.lines.last);
        for p in &d.paragraphs {
            assert!(
                p.lines.first > last_line,
                "paragraphs in order, not overlapping"
            );
            assert!(p.lines.first <= p.lines.last && p.lines.last <= lines);
            assert!(!p.text.contains('\r') && !p.text.contains('\n'));
            assert!(!p.text.trim().is_empty());
            if p.role.is_body() {
                assert!(d.lines.contains(p.lines.first) && d.lines.contains(p.lines.last));
            }
            last_line = p.lines.last;
        }
        assert!(d.title.chars().count() <= 80);
    }
}

proptest! {
    #[test]
    fn any_text_keeps_the_invariants(text in "(?s).{0,400}") {
        check_invariants(&text);
    }

    #[test]
    fn line_soup_keeps_the_invariants(
        lines in prop::collection::vec(
            prop_oneof![
                Just(String::new()),
                Just("TT".to_owned()),
                Just("- November 7, 2024".to_owned()),
                Just("Iran seeks to expand its military cooperation with China".to_owned()),
                Just("A delegation held talks in Tehran on Wednesday, April 27, 2022. (EPA)".to_owned()),
                Just("Raisi told Fenghe that Tehran sees its ties with Beijing as strategic.".to_owned()),
                Just("NATO congratulated Trump on his victory but did not address the Ukrainian issue.".to_owned()),
                Just("# Heading".to_owned()),
                Just("* a list item that goes on".to_owned()),
                Just("| a | b |".to_owned()),
                Just("---".to_owned()),
                Just("+++".to_owned()),
                Just("title: x".to_owned()),
                "[a-z ]{0,90}",
            ],
            0..60,
        ),
        newline in prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
    ) {
        check_invariants(&lines.join(newline));
    }
}

#[test]
fn one_paragraph_per_line_without_blank_lines() {
    let text = "Iran seeks to expand its military cooperation with China\n\
        The Arab News reported that President Ebrahim Raisi expressed his government's desire for closer cooperation with China.\n\
        According to the report, Raisi told China's Minister of National Defense Wei Fenghe that Tehran sees its ties with Beijing as strategic.\n\
        White House is worried Iran could develop a nuclear weapon in weeks\n\
        Wei said his visit was aimed at improving the strategic defense cooperation between Iran and China.\n\
        Iran and China have increased their military ties in recent years, with their navies holding joint drills.\n";
    let d = segment_text(text, &segmenter());
    assert_eq!(d.len(), 1);
    let roles: Vec<Role> = d[0].paragraphs.iter().map(|p| p.role).collect();
    assert_eq!(
        roles,
        vec![
            Role::Headline,
            Role::Body,
            Role::Body,
            Role::Furniture(FurnitureKind::RelatedLink),
            Role::Body,
            Role::Body
        ]
    );
}

#[test]
fn furniture_run_then_another_story() {
    let text = "Iran seeks closer military cooperation with China\n\
        Iranian President Ebrahim Raisi told the visiting Chinese defense minister Wei Fenghe that Tehran sees its ties with Beijing as strategic.\n\
        Wei said his visit was aimed at improving the strategic defense cooperation between Iran and China.\n\
        Source: arabnews\n\
        You May Also Like\n\
        - November 7, 2024\n\
        NATO Secretary-General Mark Rutte stated he looks forward to sitting down with Donald Trump after the U.S. election.\n\
        Rutte said the alliance serves the security of Europe and America, and that members must increase their contributions.\n";
    let d = segment_text(text, &segmenter());
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].lines.last, 3);
    assert_eq!(
        d[0].paragraphs.len(),
        5,
        "the furniture stays with the first story"
    );
    assert_eq!(
        d[1].paragraphs[0].role,
        Role::Furniture(FurnitureKind::Date)
    );
    assert_eq!(d[1].lines.first, 7);
}

#[test]
fn repeated_headline_and_caption_block() {
    let cap = "A Chinese military delegation held talks with Iranian officials in Tehran on Wednesday, April 27, 2022. (EPA)";
    let text = format!(
        "Iran Wants to Expand Strategic Ties with China\n\n{cap}\n{cap}\nTT\n\nIran Wants to Expand Strategic Ties with China\n\n{cap}\n{cap}\n\nIranian President Ebrahim Raisi said Tehran wanted to expand its long-term strategic relations with China.\n"
    );
    let d = segment_text(&text, &segmenter());
    assert_eq!(d.len(), 1);
    let captions = d[0]
        .paragraphs
        .iter()
        .filter(|p| p.role == Role::Caption)
        .count();
    let repeats = d[0]
        .paragraphs
        .iter()
        .filter(|p| p.role == Role::Furniture(FurnitureKind::Repeat))
        .count();
    assert_eq!((captions, repeats), (1, 4));
    assert_eq!(d[0].lines.first, 1);
}

/// A story a link list named, pasted below after two blank lines: its
/// headline is not folded as a repeat of the list item, so it starts an
/// article even though both stories share words.
#[test]
fn pasted_story_named_in_a_link_list_starts_an_article() {
    let text = "Iran Wants to Expand Strategic Ties with China\n\n\
        Iranian President Ebrahim Raisi said Tehran wanted to expand its long-term strategic relations with China.\n\n\
        Raisi made the remarks on Wednesday in a meeting with the visiting Chinese defense minister in Tehran.\n\n\
        You May Also Like\n\
        NATO Chief Looks Forward to Meeting Trump\n\
        Markets Close Higher as Investors Weigh Rate Outlook\n\n\n\
        NATO Chief Looks Forward to Meeting Trump\n\n\
        NATO Secretary-General Mark Rutte said he looks forward to sitting down with Donald Trump after the election.\n\n\
        Rutte said the alliance serves the security of Europe and America, and that members must pay more.\n";
    let d = segment_text(text, &segmenter());
    assert_eq!(d.len(), 2, "{d:#?}");
    assert_eq!(d[1].lines.first, 12);
    assert_eq!(d[1].title, "NATO Chief Looks Forward to Meeting Trump");
    assert_eq!(d[1].paragraphs[0].role, Role::Headline);
}

/// "Advertisement", "Read more" or a timestamp alone between two paragraphs
/// is furniture inside the article, even where the paragraphs after it share
/// few words with those before (the sample's 003 has "Read more" inside its
/// story too).
#[test]
fn lone_inline_furniture_stays_inside_the_article() {
    for furniture in [
        "Advertisement",
        "Read more",
        "Continue reading",
        "Oct 2, 2011",
    ] {
        let text = format!(
            "Iran Wants to Expand Strategic Ties with China\n\n\
            Iranian President Ebrahim Raisi said Tehran wanted to expand its long-term strategic relations with China.\n\n\
            {furniture}\n\n\
            Markets in Shanghai and Hong Kong closed higher on Thursday as traders weighed the outlook for interest rates and exports.\n\n\
            Analysts expect the central bank to keep its benchmark lending rate unchanged at its meeting next month.\n"
        );
        let d = segment_text(&text, &segmenter());
        assert_eq!(d.len(), 1, "{furniture}: {d:#?}");
        assert!(d[0].paragraphs[2].role.is_furniture(), "{furniture}");
        assert_eq!(d[0].lines.last, 9);
    }
}

#[test]
fn markdown_front_matter_headings_lists_tables() {
    let text = "---\ntitle: GitHub Terms of Service\n---\n<!-- markdownlint-disable -->\n\nThank you for using GitHub!\n\n## Summary\n\n| Section | What can you find there? |\n| --- | --- |\n| [A. Definitions](#a) | Some basic terms. |\n\n\n### A. Definitions\n1. The “Agreement” refers to this document.\n1. The “Service” refers to the applications.\n";
    let d = segment_text(text, &segmenter());
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].title, "GitHub Terms of Service");
    let got: Vec<(u32, Role)> = d[0]
        .paragraphs
        .iter()
        .map(|p| (p.lines.first, p.role))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, Role::Furniture(FurnitureKind::Metadata)),
            (4, Role::Furniture(FurnitureKind::Metadata)),
            (6, Role::Body),
            (8, Role::Heading),
            (10, Role::Body),
            (11, Role::Furniture(FurnitureKind::Boilerplate)),
            (12, Role::Body),
            (15, Role::Heading),
            (16, Role::Body),
            (17, Role::Body),
        ]
    );
    assert_eq!(d[0].lines.first, 6);
    assert_eq!(
        &*d[0].paragraphs[8].text,
        "The “Agreement” refers to this document."
    );
}

#[test]
fn markdown_documents_split_at_front_matter() {
    let text = "+++\nversion = \"1.4\"\n+++\n\n# Code of Conduct\n\nWe pledge to make participation a harassment-free experience.\n\n\n---\ntitle: GitHub Username Policy\n---\n\nGitHub account names are available on a first-come, first-served basis.\n";
    let d = segment_text(text, &segmenter());
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].title, "Code of Conduct");
    assert_eq!(d[1].title, "GitHub Username Policy");
    assert_eq!(d[1].lines.first, 14);
    assert_eq!(d[0].lines.last, 7);
}

#[test]
fn extra_furniture_patterns_apply() {
    let seg = Segmenter::new(&SegmentOptions {
        extra_furniture: vec!["follow our live coverage.*".to_owned()],
        ..Default::default()
    })
    .expect("compiles");
    let text = "Raisi told Fenghe that Tehran sees its ties with Beijing as strategic.\n\nFollow our live coverage here.\n";
    let d = segment_text(text, &seg);
    assert_eq!(
        d[0].paragraphs[1].role,
        Role::Furniture(FurnitureKind::Boilerplate)
    );
    assert!(
        Segmenter::new(&SegmentOptions {
            extra_furniture: vec!["[".to_owned()],
            ..Default::default()
        })
        .is_err()
    );
}
