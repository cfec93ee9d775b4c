//! The sample corpus's saved HTML page (005) and JSON Lines feed: their
//! versions join the Iran story, align like the text versions they were made
//! from, carry the page's and the records' metadata, and their line spans
//! point where their text is in the file.

use std::path::PathBuf;

use storydiff::diff::DiffOptions;
use storydiff::engine::{Engine, Settings};
use storydiff::model::{Article, ArticleMeta, ChangeKind, Role, VersionIx};

const HTML: &str = "005_iran_china_saved_page.html";
const FEED: &str = "feed.jsonl";

fn engine() -> Engine {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/corpus");
    Engine::open(&[corpus], Settings::default()).expect("sample corpus loads")
}

/// The story holding version `000`, and the index of each version id in it.
fn iran(engine: &Engine) -> (usize, impl Fn(&str) -> VersionIx + '_) {
    let s = (0..engine.stories().len())
        .find(|&s| (0..engine.story(s).versions.len()).any(|v| engine.version(s, v).id == "000"))
        .expect("a story holds 000");
    let find = move |id: &str| {
        (0..engine.story(s).versions.len())
            .find(|&v| engine.version(s, v).id == id)
            .unwrap_or_else(|| panic!("{id} is not a version of the Iran story"))
    };
    (s, find)
}

fn article<'a>(engine: &'a Engine, id: &str) -> &'a Article {
    engine
        .corpus()
        .articles
        .iter()
        .find(|a| a.id == id)
        .unwrap_or_else(|| panic!("no article {id}"))
}

fn file_text(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("assets/corpus")
        .join(name);
    std::fs::read_to_string(p).expect("sample file")
}

#[test]
fn page_and_feed_record_join_the_iran_story_and_the_other_record_does_not() {
    let e = engine();
    let (s, find) = iran(&e);
    let ids: Vec<&str> = (0..e.story(s).versions.len())
        .map(|v| e.version(s, v).id.as_str())
        .collect();
    assert_eq!(ids, ["000", "001", "002", "003", "004", "005", "feed-1"]);
    assert_eq!(
        e.version_path(s, find("005"))
            .file_name()
            .unwrap_or_default(),
        HTML
    );
    let ferry = e
        .stories()
        .iter()
        .position(|st| st.title == "Port Aldren adds evening ferry crossings")
        .expect("the feed's other record is a story");
    assert_eq!(e.story(ferry).versions.len(), 1);
    // The default base is still a full text copy; the shortened feed copy is less central.
    assert_eq!(e.version(s, e.story(s).central).id, "000");
}

/// The version's paragraph whose text starts with `start`.
fn para(a: &Article, start: &str) -> usize {
    a.paragraphs
        .iter()
        .position(|p| p.text.starts_with(start))
        .unwrap_or_else(|| panic!("{}: no paragraph starts with {start:?}", a.id))
}

#[test]
fn page_aligns_like_004_and_feed_like_000_whatever_the_base() {
    let e = engine();
    let (s, find) = iran(&e);
    let (v000, v004, v005, vfeed) = (find("000"), find("004"), find("005"), find("feed-1"));
    // Each pair: the same paragraph in the text version and in the other format.
    let starts = |a: &Article| -> Vec<usize> { a.body_indices().collect() };
    let (a004, a005) = (e.version(s, v004), e.version(s, v005));
    let (b004, b005) = (starts(a004), starts(a005));
    assert_eq!(
        b004.len(),
        b005.len(),
        "004 and 005 have the same body paragraphs"
    );
    let (a000, afeed) = (e.version(s, v000), e.version(s, vfeed));
    let bfeed = starts(afeed);
    assert_eq!(bfeed.len(), 11);
    for base in 0..e.story(s).versions.len() {
        let alignment = e.alignment(s, base);
        let row_of = |v: VersionIx, p: usize| {
            alignment.rows.iter().position(|r| {
                r.cells[v]
                    .as_ref()
                    .is_some_and(|c| c.paragraphs.contains(&p))
            })
        };
        for (&p4, &p5) in b004.iter().zip(&b005) {
            let r = row_of(v004, p4);
            assert!(
                r.is_some() && r == row_of(v005, p5),
                "base {base}: 004 {p4} / 005 {p5}"
            );
        }
        for &pf in &bfeed {
            let text = &afeed.paragraphs[pf].text;
            let start: String = text.chars().take(20).collect();
            let p0 = para(a000, &start);
            let r = row_of(vfeed, pf);
            assert!(
                r.is_some() && r == row_of(v000, p0),
                "base {base}: {start:?}"
            );
        }
    }
}

#[test]
fn word_changes_across_formats_have_their_kind() {
    let e = engine();
    let (s, find) = iran(&e);
    let opts = DiffOptions::default();
    for (base, other, word_a, word_b, kind) in [
        ("004", "005", "Ashtinai", "Ashtiani", ChangeKind::Spelling),
        ("000", "feed-1", "US", "U.S.", ChangeKind::Style),
    ] {
        let c = e.comparison(s, find(base), find(other), &opts);
        let hit = c.rows.iter().filter_map(|r| r.diff.as_ref()).any(|d| {
            d.changes.iter().any(|ch| {
                ch.kind == kind
                    && d.old_text[ch.old.clone()].trim() == word_a
                    && d.new_text[ch.new.clone()].trim() == word_b
            })
        });
        assert!(
            hit,
            "{base} → {other}: no {kind:?} change {word_a} → {word_b}"
        );
    }
}

#[test]
fn metadata_comes_from_the_page_and_the_records() {
    let e = engine();
    assert_eq!(
        article(&e, "005").meta,
        ArticleMeta {
            outlet: Some("Example News".into()),
            url: Some("https://news.example.com/world/iran-china-military-cooperation".into()),
            date: Some("2022-04-27T21:26:00-04:00".into()),
            encoding: None,
        }
    );
    assert_eq!(
        article(&e, "feed-1").meta,
        ArticleMeta {
            outlet: Some("Example Feed".into()),
            url: Some("https://feed.example.org/2022/04/28/iran-china-ties".into()),
            date: Some("2022-04-28T08:00:00Z".into()),
            encoding: None,
        }
    );
    assert_eq!(
        article(&e, "feed-2").meta.outlet.as_deref(),
        Some("Example Feed")
    );
    for id in ["000", "001", "002", "003", "004"] {
        assert_eq!(article(&e, id).meta, ArticleMeta::default(), "{id}");
    }
}

#[test]
fn page_roles_headline_deck_byline_date_caption() {
    let e = engine();
    let a = article(&e, "005");
    let role_on = |line: u32| {
        a.paragraphs
            .iter()
            .find(|p| p.lines.first == line)
            .map(|p| p.role)
    };
    assert_eq!(role_on(48), Some(Role::Headline));
    assert_eq!(role_on(49), Some(Role::Headline));
    assert!(role_on(50).is_some_and(Role::is_furniture));
    assert!(role_on(51).is_some_and(Role::is_furniture));
    assert_eq!(role_on(71), Some(Role::Caption));
    // Nothing from the share buttons, the advertisement, the inline related
    // link, the newsletter box, the comments, the most-read list or the footer.
    for text in [
        "Share on Social",
        "Advertisement",
        "White House is worried",
        "Get the morning briefing",
        "Great reporting",
        "Most read",
        "All rights reserved",
        "Skip to content",
        "We use cookies",
    ] {
        assert!(
            e.corpus()
                .articles
                .iter()
                .filter(|a| a.id.starts_with("005"))
                .flat_map(|a| &a.paragraphs)
                .all(|p| !p.text.contains(text)),
            "{text:?} was kept"
        );
    }
    assert_eq!(a.lines.first, 48);
    assert_eq!(a.lines.last, 95);
}

/// The words of a paragraph as they can be found in the page's source: runs
/// of letters and digits (entities and tags may stand between them).
fn words(t: &str) -> Vec<&str> {
    t.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn page_paragraphs_point_at_their_lines() {
    let e = engine();
    let source = file_text(HTML);
    let lines: Vec<&str> = source.lines().collect();
    let a = article(&e, "005");
    assert_eq!(a.paragraphs.len(), 15);
    for p in &a.paragraphs {
        let w = words(&p.text);
        let (first, last) = (
            lines[p.lines.first as usize - 1],
            lines[p.lines.last as usize - 1],
        );
        assert!(
            first.contains(w[0]) && first.contains(w[1]),
            "{}: {:?} does not start on line {}: {first:?}",
            p.lines,
            p.text,
            p.lines.first
        );
        assert!(
            last.contains(w[w.len() - 1]) && last.contains(w[w.len() - 2]),
            "{}: {:?} does not end on line {}: {last:?}",
            p.lines,
            p.text,
            p.lines.last
        );
    }
    // Multi-line paragraphs span their lines exactly.
    let spans: Vec<String> = a.paragraphs.iter().map(|p| p.lines.to_string()).collect();
    assert!(spans.contains(&"61-63".to_owned()), "{spans:?}");
    assert!(spans.contains(&"92-93".to_owned()), "{spans:?}");
}

#[test]
fn feed_paragraphs_point_at_their_record() {
    let e = engine();
    let source = file_text(FEED);
    let lines: Vec<&str> = source.lines().collect();
    for (id, line) in [("feed-1", 1u32), ("feed-2", 2)] {
        let a = article(&e, id);
        assert_eq!((a.lines.first, a.lines.last), (line, line), "{id}");
        for p in &a.paragraphs {
            assert_eq!((p.lines.first, p.lines.last), (line, line));
            let escaped = serde_json::to_string(&p.text).expect("string");
            let inner = &escaped[1..escaped.len() - 1];
            assert!(
                lines[line as usize - 1].contains(inner),
                "{id}: {:?}",
                p.text
            );
        }
    }
}
