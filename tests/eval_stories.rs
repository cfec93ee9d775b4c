//! What the engine makes of the real multi-version texts in tests/data/eval:
//! every edition of a text is one story, and a page that only quotes a
//! paragraph of another document is not a version of it.

use std::path::PathBuf;

use storydiff::engine::{Engine, Settings};

fn open(sub: &str) -> Engine {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/eval")
        .join(sub);
    Engine::open(&[p], Settings::default()).expect("eval texts load")
}

/// Version ids of the story that holds `id`.
fn story_of(e: &Engine, id: &str) -> Vec<String> {
    let s = (0..e.stories().len())
        .find(|&s| (0..e.story(s).versions.len()).any(|v| e.version(s, v).id == id))
        .unwrap_or_else(|| panic!("no story holds {id}"));
    let mut ids: Vec<String> = (0..e.story(s).versions.len())
        .map(|v| e.version(s, v).id.clone())
        .collect();
    ids.sort();
    ids
}

#[test]
fn six_editions_of_darwin_are_one_story() {
    let e = open("darwin-origin-ch1");
    assert_eq!(
        story_of(&e, "origin-1859"),
        [
            "origin-1859",
            "origin-1860",
            "origin-1861",
            "origin-1866",
            "origin-1869",
            "origin-1872"
        ]
    );
}

#[test]
fn six_revisions_of_the_terms_are_one_story() {
    let e = open("github-tos-history");
    assert_eq!(story_of(&e, "tos-v1-2017-06-09").len(), 6);
}

#[test]
fn covenant_versions_are_one_story_and_quoting_pages_are_not() {
    let e = open("contributor-covenant");
    let covenant = story_of(&e, "covenant-1.0");
    for v in ["1.0", "1.1", "1.2", "1.3", "1.4", "2.0", "2.1"] {
        assert!(covenant.contains(&format!("covenant-{v}")), "{covenant:?}");
    }
    // page-A carries covenant 1.4 word for word, then another policy.
    assert!(covenant.contains(&"page-A".to_owned()));
    assert_eq!(story_of(&e, "page-A-2"), ["page-A-2"]);
    // page-B is another code of conduct that reuses the covenant's pledge.
    assert_eq!(story_of(&e, "page-B"), ["page-B"]);
}
