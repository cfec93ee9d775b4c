//! `Engine::refresh` on a temp folder: files created, changed, atomically
//! replaced, renamed, moved and deleted, checked against the story model a
//! fresh load gives and against the change it reports.

mod watch_support;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use storydiff::engine::{Engine, ModelChange, Settings, StoryChangeKind};
use watch_support::file_named;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/corpus");

/// A temp folder holding a copy of the sample corpus.
fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in fs::read_dir(SAMPLE).expect("sample corpus") {
        let entry = entry.expect("entry");
        fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
    }
    dir
}

fn open(root: &Path) -> Engine {
    Engine::open(&[root.to_path_buf()], Settings::default()).expect("opens")
}

/// The stories as sets of (file, place in file): what a fresh load and a
/// refresh must agree on.
fn partition(engine: &Engine) -> BTreeSet<BTreeSet<(PathBuf, usize)>> {
    engine
        .stories()
        .iter()
        .map(|s| {
            s.versions
                .iter()
                .map(|&a| {
                    let art = &engine.corpus().articles[a];
                    (
                        engine.corpus().files[art.file].path.clone(),
                        art.index_in_file,
                    )
                })
                .collect()
        })
        .collect()
}

/// Refresh `engine` for `changed`, check the result against a fresh load of
/// `root`, and return it with its change.
fn refresh(engine: &Engine, root: &Path, changed: &[PathBuf]) -> (Engine, ModelChange) {
    let r = engine
        .refresh(&[root.to_path_buf()], changed)
        .expect("refresh works")
        .expect("something changed");
    let fresh = open(root);
    assert_eq!(
        partition(&r.engine),
        partition(&fresh),
        "refresh agrees with a fresh load"
    );
    let ids =
        |e: &Engine| -> Vec<String> { e.corpus().articles.iter().map(|a| a.id.clone()).collect() };
    assert_eq!(
        ids(&r.engine),
        ids(&fresh),
        "version ids are derived as on load"
    );
    let story_ids =
        |e: &Engine| -> BTreeSet<String> { e.stories().iter().map(|s| s.id.clone()).collect() };
    assert_eq!(
        story_ids(&r.engine),
        story_ids(&fresh),
        "story ids as on load"
    );
    (r.engine, r.change)
}

/// The index of the story holding the version with this id.
fn story_with(engine: &Engine, version: &str) -> usize {
    (0..engine.stories().len())
        .find(|&s| (0..engine.story(s).versions.len()).any(|v| engine.version(s, v).id == version))
        .expect("story found")
}

fn iran(engine: &Engine) -> usize {
    story_with(engine, "000")
}

#[test]
fn a_modified_file_is_read_again_and_reported() {
    let dir = sample_copy();
    let engine = open(dir.path());
    let before = engine.story(iran(&engine)).versions.len();
    let f = file_named(dir.path(), "003");
    let text = fs::read_to_string(&f).expect("read");
    fs::write(&f, text.replace("Ashtiani", "Ashtyani")).expect("write");
    let (new, change) = refresh(&engine, dir.path(), std::slice::from_ref(&f));
    let s = iran(&new);
    assert_eq!(new.story(s).versions.len(), before);
    let c = change
        .stories
        .iter()
        .find(|c| c.index == Some(s))
        .expect("the Iran story is reported");
    assert_eq!(c.kind, StoryChangeKind::Changed);
    assert_eq!(
        c.changed.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(),
        ["003"]
    );
    let sentence = c.sentence();
    assert!(sentence.starts_with("003 changed: story '"), "{sentence}");
    assert!(
        sentence.ends_with(&format!("now has {before} versions")),
        "{sentence}"
    );
    assert_eq!(change.files_changed, 1);
    assert_eq!(change.story_map[iran(&engine)], Some(s));
}

#[test]
fn a_touched_file_changes_nothing() {
    let dir = sample_copy();
    let engine = open(dir.path());
    let f = file_named(dir.path(), "001");
    let text = fs::read(&f).expect("read");
    fs::write(&f, &text).expect("rewrite the same bytes");
    let r = engine
        .refresh(&[dir.path().to_path_buf()], &[f])
        .expect("refresh works");
    assert!(r.is_none(), "same bytes: nothing to bring in");
}

#[test]
fn created_and_deleted_files_join_and_leave_stories() {
    let dir = sample_copy();
    let engine = open(dir.path());
    let n = engine.story(iran(&engine)).versions.len();
    let copy = dir.path().join("009_copy.txt");
    let text = fs::read_to_string(file_named(dir.path(), "001")).expect("read");
    fs::write(&copy, text.replace("strategic", "strategical")).expect("write");
    let (e1, change) = refresh(&engine, dir.path(), std::slice::from_ref(&copy));
    assert_eq!(e1.story(iran(&e1)).versions.len(), n + 1);
    let c = change
        .stories
        .iter()
        .find(|c| c.index == Some(iran(&e1)))
        .expect("reported");
    assert_eq!(
        c.gained.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(),
        ["009"]
    );
    assert!(
        c.sentence()
            .contains(&format!("now has {} versions", n + 1))
    );
    assert_eq!(change.files_added, 1);

    let gone = file_named(dir.path(), "003");
    fs::remove_file(&gone).expect("delete");
    let (e2, change) = refresh(&e1, dir.path(), &[gone]);
    assert_eq!(e2.story(iran(&e2)).versions.len(), n);
    let c = change
        .stories
        .iter()
        .find(|c| c.index == Some(iran(&e2)))
        .expect("reported");
    assert_eq!(
        c.lost.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(),
        ["003"]
    );
    assert!(c.sentence().contains("003 removed"), "{}", c.sentence());
    assert_eq!(change.files_removed, 1);
}

#[test]
fn an_atomic_replace_is_a_change() {
    let dir = sample_copy();
    let engine = open(dir.path());
    let f = file_named(dir.path(), "004");
    let text = fs::read_to_string(&f).expect("read");
    let tmp = dir.path().join(".004.txt.swp");
    fs::write(&tmp, text.replace("Raisi", "Raeisi")).expect("write temp");
    fs::rename(&tmp, &f).expect("rename over");
    let (new, change) = refresh(&engine, dir.path(), &[tmp, f]);
    let c = change
        .stories
        .iter()
        .find(|c| c.index == Some(iran(&new)))
        .expect("reported");
    assert!(c.changed.iter().any(|n| n.id == "004"));
}

#[test]
fn a_moved_file_keeps_its_identity() {
    let dir = sample_copy();
    let engine = open(dir.path());
    let from = file_named(dir.path(), "002");
    let sub = dir.path().join("moved");
    fs::create_dir(&sub).expect("mkdir");
    let to = sub.join(from.file_name().expect("name"));
    fs::rename(&from, &to).expect("move");
    let (new, change) = refresh(&engine, dir.path(), &[from.clone(), sub]);
    let s = iran(&new);
    let c = change
        .stories
        .iter()
        .find(|c| c.index == Some(s))
        .expect("reported");
    assert!(c.lost.is_empty() && c.gained.is_empty(), "{c:?}");
    assert_eq!(c.moved.len(), 1);
    assert_eq!(c.moved[0].previous_file.as_deref(), Some(from.as_path()));
    assert!(c.sentence().contains("002 moved to"), "{}", c.sentence());
    let old_article = engine
        .corpus()
        .articles
        .iter()
        .position(|a| a.id == "002")
        .expect("002");
    let mapped = change.article_map[old_article].expect("continued");
    assert_eq!(new.corpus().articles[mapped].id, "002");
}

#[test]
fn a_renamed_folder_moves_its_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = dir.path().join("a");
    fs::create_dir(&a).expect("mkdir");
    for entry in fs::read_dir(SAMPLE).expect("sample") {
        let entry = entry.expect("entry");
        fs::copy(entry.path(), a.join(entry.file_name())).expect("copy");
    }
    let engine = open(dir.path());
    let b = dir.path().join("b");
    fs::rename(&a, &b).expect("rename folder");
    let (new, change) = refresh(&engine, dir.path(), &[a, b]);
    let moved: usize = change.stories.iter().map(|c| c.moved.len()).sum();
    assert!(moved >= 5, "every version moved: {:?}", change.sentences());
    assert!(
        change
            .stories
            .iter()
            .all(|c| c.kind == StoryChangeKind::Changed)
    );
    assert_eq!(new.stories().len(), engine.stories().len());
}

#[test]
fn a_new_story_and_a_removed_story_are_reported() {
    let dir = sample_copy();
    let engine = open(dir.path());
    let other = dir.path().join("zz_other.txt");
    fs::write(&other, watch_support::version_text(7, 0, 8)).expect("write");
    let (e1, change) = refresh(&engine, dir.path(), std::slice::from_ref(&other));
    let added: Vec<_> = change
        .stories
        .iter()
        .filter(|c| c.kind == StoryChangeKind::Added)
        .collect();
    assert_eq!(added.len(), 1, "{:?}", change.sentences());
    let s = added[0].sentence();
    assert!(s.starts_with("zz added: new story 'Story 7"), "{s}");
    fs::remove_file(&other).expect("delete");
    let (_, change) = refresh(&e1, dir.path(), std::slice::from_ref(&other));
    assert_eq!(change.stories.len(), 1, "{:?}", change.sentences());
    assert_eq!(change.stories[0].kind, StoryChangeKind::Removed);
    assert!(
        change.stories[0]
            .sentence()
            .starts_with("zz removed: story 'Story 7")
    );
}

#[test]
fn a_rescan_of_the_root_finds_everything() {
    let dir = sample_copy();
    let engine = open(dir.path());
    fs::write(
        dir.path().join("zz_new.txt"),
        watch_support::version_text(3, 0, 8),
    )
    .expect("w");
    fs::remove_file(file_named(dir.path(), "001")).expect("rm");
    let (_, change) = refresh(&engine, dir.path(), &[dir.path().to_path_buf()]);
    assert_eq!((change.files_added, change.files_removed), (1, 1));
}

#[test]
fn junk_and_skipped_folders_are_not_read() {
    let dir = sample_copy();
    let engine = open(dir.path());
    let hidden = dir.path().join(".git");
    fs::create_dir(&hidden).expect("mkdir");
    let inside = hidden.join("x.txt");
    fs::write(&inside, "text").expect("w");
    let swap = dir.path().join(".000.txt.swp");
    fs::write(&swap, "junk").expect("w");
    let backup = dir.path().join("000.txt~");
    fs::write(&backup, "junk").expect("w");
    let r = engine
        .refresh(&[dir.path().to_path_buf()], &[inside, swap, backup, hidden])
        .expect("refresh works");
    assert!(r.is_none());
}

#[test]
fn unchanged_stories_keep_their_cached_alignments() {
    let dir = tempfile::tempdir().expect("temp dir");
    watch_support::write_corpus(dir.path(), 6, 3, 2);
    let engine = open(dir.path());
    let first = engine.alignment(0, 0);
    let untouched = engine.story(0).versions.clone();
    let untouched_files: Vec<PathBuf> = untouched
        .iter()
        .map(|&a| engine.corpus().file_of(a).path.clone())
        .collect();
    // Change a file of another story.
    let other = (0..engine.corpus().files.len())
        .map(|i| engine.corpus().files[i].path.clone())
        .find(|p| !untouched_files.contains(p))
        .expect("another file");
    let text = fs::read_to_string(&other).expect("read");
    fs::write(
        &other,
        format!("{text}\nA closing line added by an editor today.\n"),
    )
    .expect("w");
    let (new, _) = refresh(&engine, dir.path(), &[other]);
    let s = story_with(&new, &engine.corpus().articles[untouched[0]].id);
    let again = new.alignment(s, 0);
    assert!(
        std::sync::Arc::ptr_eq(&first, &again),
        "carried over, not recomputed"
    );
}

#[test]
fn many_changes_agree_with_a_fresh_load() {
    let dir = tempfile::tempdir().expect("temp dir");
    let paths = watch_support::write_corpus(dir.path(), 120, 3, 4);
    let engine = open(dir.path());
    let mut changed = Vec::new();
    let mut rng = watch_support::Rng(99);
    for _ in 0..6 {
        let p = &paths[rng.below(paths.len())];
        if p.exists() {
            fs::remove_file(p).expect("rm");
            changed.push(p.clone());
        }
    }
    for i in 0..6 {
        let p = &paths[rng.below(paths.len())];
        if p.exists() {
            let s = 500 + i;
            fs::write(p, watch_support::version_text(s, 1, 12)).expect("w");
            changed.push(p.clone());
        }
    }
    for i in 0..6u64 {
        // New versions of existing stories, and a new story of two versions.
        let p = dir.path().join(format!("f00/new{i}.txt"));
        let story = if i < 4 { i * 7 } else { 900 };
        fs::write(&p, watch_support::version_text(story, 5 + i, 12)).expect("w");
        changed.push(p);
    }
    let (new, change) = refresh(&engine, dir.path(), &changed);
    assert!(!change.is_empty());
    assert!(
        change
            .stories
            .iter()
            .any(|c| c.kind == StoryChangeKind::Added && c.versions == 2)
    );
    let files: usize = new.corpus().files.len();
    assert_eq!(files, open(dir.path()).corpus().files.len());
}

#[test]
fn watch_lines_have_the_published_keys() {
    let dir = sample_copy();
    let engine = open(dir.path());
    let f = file_named(dir.path(), "003");
    let text = fs::read_to_string(&f).expect("read");
    fs::write(&f, text.replace("Ashtiani", "Ashtyani")).expect("write");
    let moved = dir.path().join("002_moved.txt");
    fs::rename(file_named(dir.path(), "002"), &moved).expect("move");
    let (_, change) = refresh(&engine, dir.path(), &[dir.path().to_path_buf()]);
    let c = change
        .stories
        .iter()
        .find(|c| !c.changed.is_empty())
        .expect("a changed story");
    let line = storydiff::watch::change_line(c, true);
    assert!(!line.contains('\n'));
    let v: serde_json::Value = serde_json::from_str(&line).expect("JSON");
    for key in [
        "change", "story", "previous", "title", "versions", "gained", "lost", "changed", "moved",
        "message",
    ] {
        assert!(v.get(key).is_some(), "{key} in {line}");
    }
    assert_eq!(v["change"], "changed");
    assert_eq!(v["changed"][0]["id"], "003");
    assert_eq!(
        v["moved"][0]["previous_file"]
            .as_str()
            .map(|p| p.ends_with(".txt")),
        Some(true)
    );
    assert_eq!(v["message"], c.sentence());
    let text_line = storydiff::watch::change_line(c, false);
    assert_eq!(text_line, c.sentence());
}

#[test]
fn every_file_deleted_leaves_an_empty_model_that_files_can_refill() {
    let dir = sample_copy();
    let engine = open(dir.path());
    let all: Vec<PathBuf> = engine
        .corpus()
        .files
        .iter()
        .map(|f| f.path.clone())
        .collect();
    for p in &all {
        fs::remove_file(p).expect("delete");
    }
    let r = engine
        .refresh(&[dir.path().to_path_buf()], &all)
        .expect("refresh works")
        .expect("changed");
    assert!(r.engine.corpus().files.is_empty() && r.engine.stories().is_empty());
    assert!(
        r.change
            .stories
            .iter()
            .all(|c| c.kind == StoryChangeKind::Removed)
    );
    assert_eq!(r.change.stories.len(), engine.stories().len());
    let back = dir.path().join("000_back.txt");
    fs::copy(format!("{SAMPLE}/000_66b60800ac77cf39.txt"), &back).expect("copy");
    let (again, change) = refresh(&r.engine, dir.path(), &[back]);
    assert_eq!(again.corpus().files.len(), 1);
    assert!(
        change
            .stories
            .iter()
            .all(|c| c.kind == StoryChangeKind::Added)
    );
}

#[test]
fn an_exact_copy_of_a_file_is_a_new_version() {
    let dir = sample_copy();
    let engine = open(dir.path());
    let n = engine.story(iran(&engine)).versions.len();
    let copy = dir.path().join("009_copy.txt");
    fs::copy(file_named(dir.path(), "001"), &copy).expect("copy");
    let (new, change) = refresh(&engine, dir.path(), std::slice::from_ref(&copy));
    assert_eq!(new.story(iran(&new)).versions.len(), n + 1);
    let c = change
        .stories
        .iter()
        .find(|c| c.index == Some(iran(&new)))
        .expect("reported");
    assert_eq!(
        c.gained.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(),
        ["009"]
    );
    assert!(c.moved.is_empty() && c.lost.is_empty());
}

#[test]
fn rounds_of_random_edits_keep_agreeing_with_a_fresh_load() {
    let dir = tempfile::tempdir().expect("temp dir");
    watch_support::write_corpus(dir.path(), 40, 3, 3);
    let mut engine = open(dir.path());
    let mut rng = watch_support::Rng(7);
    for round in 0..10u64 {
        let files: Vec<PathBuf> = engine
            .corpus()
            .files
            .iter()
            .map(|f| f.path.clone())
            .collect();
        let mut changed = Vec::new();
        for k in 0..4u64 {
            let p = files[rng.below(files.len())].clone();
            if !p.exists() {
                continue;
            }
            let fresh = dir
                .path()
                .join(format!("f0{}/r{round}_{k}.txt", rng.below(3)));
            match rng.below(5) {
                0 => fs::remove_file(&p).expect("rm"),
                1 => fs::write(
                    &p,
                    watch_support::version_text(rng.below(40) as u64, 7 + k, 12),
                )
                .expect("w"),
                2 => {
                    fs::copy(&p, &fresh).expect("cp");
                    changed.push(fresh);
                }
                3 => {
                    fs::rename(&p, &fresh).expect("mv");
                    changed.push(fresh);
                }
                _ => {
                    fs::write(&fresh, watch_support::version_text(100 + round, k, 10)).expect("w");
                    changed.push(fresh);
                }
            }
            changed.push(p);
        }
        if let Some(r) = engine
            .refresh(&[dir.path().to_path_buf()], &changed)
            .expect("refresh works")
        {
            let fresh = open(dir.path());
            assert_eq!(partition(&r.engine), partition(&fresh), "round {round}");
            engine = r.engine;
        }
    }
}

#[test]
fn a_feed_losing_a_record_keeps_the_other_records_ids() {
    let dir = sample_copy();
    let engine = open(dir.path());
    let feed = dir.path().join("feed.jsonl");
    let text = fs::read_to_string(&feed).expect("read");
    let first = text.lines().next().expect("a record");
    // The first record goes; the second keeps its number (and id).
    let kept: Vec<&str> = text.lines().skip(1).collect();
    fs::write(&feed, format!("\n{}\n", kept.join("\n"))).expect("write");
    assert!(!first.is_empty());
    let (new, _) = refresh(&engine, dir.path(), std::slice::from_ref(&feed));
    let ids = |e: &Engine| -> Vec<String> {
        e.corpus()
            .articles
            .iter()
            .filter(|a| e.corpus().files[a.file].path == feed)
            .map(|a| a.id.clone())
            .collect()
    };
    assert_eq!(ids(&new).len(), ids(&engine).len() - 1, "{:?}", ids(&new));
}
