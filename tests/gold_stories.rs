//! The gold stories of the sample corpus, checked through the library: each
//! gold story is one story whose versions come from exactly the gold files,
//! with every core line inside and no outside line in each version's span.
//! The gold is `seeds.gold.json` with `formats.gold.json` merged in (the
//! sample's HTML page and JSON Lines feed).

mod formats_support;

use std::path::PathBuf;

use storydiff::engine::{Engine, Settings};

fn engine() -> Engine {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/corpus");
    Engine::open(&[corpus], Settings::default()).expect("sample corpus loads")
}

fn gold() -> serde_json::Value {
    formats_support::gold()
}

#[test]
fn every_gold_story_is_found_and_nothing_else() {
    let engine = engine();
    let gold = gold();
    let gold_stories = gold["stories"].as_array().expect("stories");
    assert_eq!(engine.stories().len(), gold_stories.len());
    for g in gold_stories {
        let want = g["versions"].as_array().expect("versions");
        let hit = (0..engine.stories().len()).find(|&s| {
            let story = engine.story(s);
            story.versions.len() == want.len()
                && want.iter().all(|w| {
                    (0..story.versions.len()).any(|v| {
                        let a = engine.version(s, v);
                        let file = engine.version_path(s, v).file_name().unwrap_or_default();
                        let core = (
                            w["core"][0].as_u64().unwrap_or(0) as u32,
                            w["core"][1].as_u64().unwrap_or(0) as u32,
                        );
                        let outside_ok = w.get("outside").is_none_or(|o| {
                            let (o0, o1) = (
                                o[0].as_u64().unwrap_or(0) as u32,
                                o[1].as_u64().unwrap_or(0) as u32,
                            );
                            o1 < a.lines.first || o0 > a.lines.last
                        });
                        file == w["file"].as_str().unwrap_or_default()
                            && a.lines.contains(core.0)
                            && a.lines.contains(core.1)
                            && outside_ok
                    })
                })
        });
        assert!(hit.is_some(), "gold story {} not found", g["name"]);
    }
}

#[test]
fn multi_version_stories_come_first_and_ids_are_short_and_unique() {
    let engine = engine();
    let stories = engine.stories();
    // The first story is the Iran story, with a version from each of its gold files.
    let mut want = formats_support::story_files(&gold(), "iran-china");
    want.sort();
    let mut files: Vec<String> = (0..stories[0].versions.len())
        .map(|v| {
            let p = engine.version_path(0, v);
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    assert_eq!(files, want);
    assert_eq!(stories[0].versions.len(), 7);
    assert!(stories[1..].iter().all(|s| s.versions.len() == 1));
    let mut ids: Vec<&str> = stories.iter().map(|s| s.id.as_str()).collect();
    assert!(ids.iter().all(|i| i.len() == 6));
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), stories.len());
}

#[test]
fn story_ids_do_not_depend_on_load_order() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let forward = Engine::open(&files, Settings::default()).expect("loads");
    files.reverse();
    let backward = Engine::open(&files, Settings::default()).expect("loads");
    let ids = |e: &Engine| {
        let mut v: Vec<String> = e.stories().iter().map(|s| s.id.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(ids(&forward), ids(&backward));
}

#[test]
fn the_central_version_of_the_wire_story_is_a_full_copy() {
    let engine = engine();
    let s = engine.story(0);
    let central = &engine.version(0, s.central).id;
    assert!(central == "000" || central == "001", "central is {central}");
}
