//! The segmentation facts of `tests/data/seeds.gold.json`, with those of
//! `tests/data/formats.gold.json` (the sample's HTML page and JSON Lines
//! feed) merged in, checked through `corpus::open` on `assets/corpus`.

mod formats_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use storydiff::corpus;
use storydiff::model::{Article, Corpus, Role};

#[derive(Deserialize)]
struct Gold {
    stories: Vec<GoldStory>,
    not_body: NotBody,
}

#[derive(Deserialize)]
struct GoldStory {
    name: String,
    versions: Vec<GoldVersion>,
}

#[derive(Deserialize)]
struct GoldVersion {
    file: String,
    core: [u32; 2],
    #[serde(default)]
    outside: Option<[u32; 2]>,
}

#[derive(Deserialize)]
struct NotBody {
    lines: BTreeMap<String, Vec<u32>>,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn gold() -> Gold {
    serde_json::from_value(formats_support::gold()).expect("gold file parses")
}

fn corpus() -> Corpus {
    corpus::open(
        &[root().join("assets/corpus")],
        &corpus::LoadOptions::default(),
        &corpus::SegmentOptions::default(),
    )
    .expect("sample corpus loads")
}

fn file_id(c: &Corpus, name: &str) -> usize {
    c.files
        .iter()
        .position(|f| f.path.file_name().is_some_and(|n| n == name))
        .unwrap_or_else(|| panic!("{name} loaded"))
}

fn articles_of<'a>(c: &'a Corpus, name: &str) -> Vec<&'a Article> {
    let id = file_id(c, name);
    c.articles.iter().filter(|a| a.file == id).collect()
}

/// The non-blank lines of a file in a 1-based inclusive range.
fn text_lines(c: &Corpus, name: &str, first: u32, last: u32) -> Vec<u32> {
    let text = &c.files[file_id(c, name)].text;
    text.lines()
        .enumerate()
        .map(|(i, l)| (i as u32 + 1, l))
        .filter(|(n, l)| (first..=last).contains(n) && !l.trim().is_empty())
        .map(|(n, _)| n)
        .collect()
}

/// The roles of the paragraphs covering `line` (in a text file at most one;
/// in a JSON Lines file, every paragraph of the record on that line).
fn roles_at(c: &Corpus, name: &str, line: u32) -> Vec<Role> {
    articles_of(c, name)
        .into_iter()
        .flat_map(|a| a.paragraphs.iter())
        .filter(|p| p.lines.contains(line))
        .map(|p| p.role)
        .collect()
}

fn role_at(c: &Corpus, name: &str, line: u32) -> Option<Role> {
    roles_at(c, name, line).first().copied()
}

/// The one article of `version.file` holding the story, checked against the gold spans.
fn article_for<'a>(c: &'a Corpus, story: &str, v: &GoldVersion) -> &'a Article {
    let found: Vec<&Article> = articles_of(c, &v.file)
        .into_iter()
        .filter(|a| a.lines.contains(v.core[0]) && a.lines.contains(v.core[1]))
        .filter(|a| {
            v.outside
                .is_none_or(|[o1, o2]| (o1..=o2).all(|l| !a.lines.contains(l)))
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "{story} in {}: want exactly one article spanning {:?} and none of {:?}; articles: {:?}",
        v.file,
        v.core,
        v.outside,
        articles_of(c, &v.file)
            .iter()
            .map(|a| (&a.id, a.lines))
            .collect::<Vec<_>>()
    );
    found[0]
}

#[test]
fn every_story_version_is_one_article() {
    let (g, c) = (gold(), corpus());
    for s in &g.stories {
        for v in &s.versions {
            article_for(&c, &s.name, v);
        }
    }
}

#[test]
fn core_lines_are_body_except_furniture() {
    let (g, c) = (gold(), corpus());
    for s in &g.stories {
        for v in &s.versions {
            let a = article_for(&c, &s.name, v);
            let not_body = g.not_body.lines.get(&v.file).cloned().unwrap_or_default();
            for line in text_lines(&c, &v.file, v.core[0], v.core[1]) {
                // A text file has one paragraph a line at most; a JSON Lines
                // record has its headline and all its paragraphs on one line.
                let roles: Vec<Role> = a
                    .paragraphs
                    .iter()
                    .filter(|p| p.lines.contains(line))
                    .map(|p| p.role)
                    .collect();
                if not_body.contains(&line) {
                    assert!(
                        roles.iter().all(|r| !r.is_body()),
                        "{} line {line} must not be body",
                        v.file
                    );
                } else {
                    assert!(
                        roles.contains(&Role::Body),
                        "{} line {line} ({}) must be a body paragraph of {}: {roles:?}",
                        v.file,
                        s.name,
                        a.id
                    );
                }
            }
        }
    }
}

#[test]
fn each_file_gives_exactly_its_stories() {
    let (g, c) = (gold(), corpus());
    let mut want: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for s in &g.stories {
        for v in &s.versions {
            want.entry(v.file.as_str())
                .or_default()
                .push(s.name.as_str());
        }
    }
    for (file, stories) in &want {
        let arts = articles_of(&c, file);
        assert_eq!(
            arts.len(),
            stories.len(),
            "{file}: articles {:?}, stories {stories:?}",
            arts.iter()
                .map(|a| (&a.id, &a.title, a.lines))
                .collect::<Vec<_>>()
        );
    }
    let per_file: Vec<usize> = want.values().map(Vec::len).collect();
    // 000…004, then 005 (HTML) and feed.jsonl.
    assert_eq!(per_file, vec![2, 2, 2, 1, 2, 1, 2]);
    // Distinct stories of a file are distinct articles.
    for s in &g.stories {
        for v in &s.versions {
            let a = article_for(&c, &s.name, v);
            for other in &g.stories {
                if other.name == s.name {
                    continue;
                }
                for ov in other.versions.iter().filter(|ov| ov.file == v.file) {
                    assert_ne!(a.id, article_for(&c, &other.name, ov).id);
                }
            }
        }
    }
}

#[test]
fn not_body_lines_are_never_body() {
    let (g, c) = (gold(), corpus());
    for (file, lines) in &g.not_body.lines {
        for &line in lines {
            for role in roles_at(&c, file, line) {
                assert!(
                    matches!(role, Role::Furniture(_) | Role::Headline | Role::Caption),
                    "{file} line {line}: {role:?}"
                );
                assert!(!role.is_body(), "{file} line {line}: {role:?}");
            }
        }
    }
}

#[test]
fn a_repeated_caption_is_a_caption_once() {
    let c = corpus();
    for a in &c.articles {
        let mut captions: BTreeMap<&str, usize> = BTreeMap::new();
        for p in a.paragraphs.iter().filter(|p| p.role == Role::Caption) {
            *captions.entry(&*p.text).or_default() += 1;
        }
        assert!(captions.values().all(|&n| n == 1), "{}: {captions:?}", a.id);
    }
    // 000 line 3 is the caption; lines 4, 9, 10 repeat it.
    assert_eq!(
        role_at(&c, "000_66b60800ac77cf39.txt", 3),
        Some(Role::Caption)
    );
    for line in [4, 9, 10] {
        assert_eq!(
            role_at(&c, "000_66b60800ac77cf39.txt", line),
            Some(Role::Furniture(storydiff::model::FurnitureKind::Repeat))
        );
    }
}

#[test]
fn version_ids_and_titles() {
    let c = corpus();
    let ids: Vec<&str> = c.articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "000", "000-2", "001", "001-2", "002", "002-2", "003", "004", "004-2", "005", "feed-1",
            "feed-2"
        ]
    );
    let title = |id: &str| {
        c.articles
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.title.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        title("000"),
        "Iran Wants to Expand Strategic Ties with China to Confront US"
    );
    assert!(title("000-2").starts_with("UN Warns Congo"));
    assert_eq!(title("004-2"), "Cancerous Tumor");
    assert_eq!(
        title("005"),
        "Iran seeks to expand its military cooperation with China"
    );
    assert_eq!(title("feed-2"), "Port Aldren adds evening ferry crossings");
    assert_eq!(
        title("002"),
        "Iran seeks to expand its military cooperation with China"
    );
    assert!(c.articles.iter().all(|a| a.title.chars().count() <= 80));
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
}

#[test]
fn paragraphs_keep_their_lines_and_no_carriage_returns() {
    let c = corpus();
    for a in &c.articles {
        let file = &c.files[a.file].text;
        let lines: Vec<&str> = file.lines().collect();
        for p in &a.paragraphs {
            assert!(!p.text.contains('\r') && !p.text.contains('\n'));
            // The lines of the HTML page's and the feed's paragraphs are
            // checked in tests/formats_sample.rs.
            if c.files[a.file].path.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let first = lines[p.lines.first as usize - 1].trim();
            assert!(
                p.text.starts_with(first) || first.ends_with(&*p.text) || p.text.contains(first),
                "{} {}: {:?} vs {:?}",
                a.id,
                p.lines,
                p.text,
                first
            );
        }
    }
}
