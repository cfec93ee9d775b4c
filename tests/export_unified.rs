//! The unified diff names both versions and round-trips: applied to the
//! base's body text it gives the other version's body text.

mod export_support;

use std::path::Path;
use std::process::Command;

use storydiff::export::{ExportRequest, Format, body_text, render};

use export_support::{iran, sample};

/// Apply a unified diff to `old`, strictly: context and removed lines must match.
fn apply(old: &str, diff: &str) -> Result<String, String> {
    let old: Vec<&str> = old.lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut at = 0; // next line of `old` to copy
    let mut lines = diff.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with("--- ") || line.starts_with("+++ ") {
            continue;
        }
        let Some(header) = line.strip_prefix("@@ -") else {
            return Err(format!("unexpected line {line:?}"));
        };
        let start: usize = header
            .split([',', ' '])
            .next()
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| format!("bad hunk header {line:?}"))?;
        // A hunk that adds to an empty range starts after line `start`.
        let from = if header.split(' ').next().is_some_and(|r| r.ends_with(",0")) {
            start
        } else {
            start - 1
        };
        if from < at || from > old.len() {
            return Err(format!("hunk at {start} out of order"));
        }
        out.extend(old[at..from].iter().map(|s| s.to_string()));
        at = from;
        while let Some(l) = lines.peek() {
            if l.starts_with("@@") || l.starts_with("--- ") {
                break;
            }
            let l = lines.next().unwrap_or_default();
            match l.split_at_checked(1) {
                Some((" ", text)) | Some(("-", text)) => {
                    if old.get(at) != Some(&text) {
                        return Err(format!(
                            "line {} is {:?}, the diff says {text:?}",
                            at + 1,
                            old.get(at)
                        ));
                    }
                    if l.starts_with(' ') {
                        out.push(text.to_owned());
                    }
                    at += 1;
                }
                Some(("+", text)) => out.push(text.to_owned()),
                _ if l.starts_with('\\') => {}
                _ => return Err(format!("bad hunk line {l:?}")),
            }
        }
    }
    out.extend(old[at..].iter().map(|s| s.to_string()));
    Ok(out.iter().map(|l| format!("{l}\n")).collect())
}

#[test]
fn headers_name_versions_and_files() {
    let engine = sample();
    let (story, base, other) = iran(&engine);
    let diff = render(
        &engine,
        &ExportRequest::pair(Format::Unified, story, base, other),
    )
    .expect("renders");
    let mut lines = diff.lines();
    let minus = lines.next().unwrap_or_default();
    let plus = lines.next().unwrap_or_default();
    let id = |v| engine.version(story, v).id.clone();
    let path = |v| engine.version_path(story, v).display().to_string();
    assert_eq!(minus, format!("--- {} ({})", id(base), path(base)));
    assert_eq!(plus, format!("+++ {} ({})", id(other), path(other)));
    assert!(minus.contains("assets/corpus/000_"), "{minus}");
    assert!(lines.next().unwrap_or_default().starts_with("@@ -"));
    assert!(
        diff.lines()
            .any(|l| l.starts_with('-') && l.contains("Ashtinai"))
    );
    assert!(
        diff.lines()
            .any(|l| l.starts_with('+') && l.contains("Ashtiani"))
    );
}

#[test]
fn applying_the_diff_gives_the_other_body_in_rust() {
    let engine = sample();
    let (story, _, _) = iran(&engine);
    let n = engine.story(story).versions.len();
    for base in 0..n {
        for other in 0..n {
            let diff = render(
                &engine,
                &ExportRequest::pair(Format::Unified, story, base, other),
            )
            .expect("renders");
            let patched = apply(&body_text(&engine, story, base), &diff)
                .unwrap_or_else(|e| panic!("{base} → {other}: {e}"));
            assert_eq!(
                patched,
                body_text(&engine, story, other),
                "{base} → {other}"
            );
        }
    }
}

#[test]
fn gnu_patch_applies_the_diff() {
    let patch = Path::new("/usr/bin/patch");
    if !patch.exists() {
        eprintln!("skipped: /usr/bin/patch is not installed (the pure-Rust round trip still runs)");
        return;
    }
    let engine = sample();
    let (story, base, other) = iran(&engine);
    let dir = tempfile::tempdir().expect("tempdir");
    let old = dir.path().join("base.txt");
    let out = dir.path().join("patched.txt");
    let diff_path = dir.path().join("export.diff");
    std::fs::write(&old, body_text(&engine, story, base)).expect("write base");
    let diff = render(
        &engine,
        &ExportRequest::pair(Format::Unified, story, base, other),
    )
    .expect("renders");
    std::fs::write(&diff_path, &diff).expect("write diff");
    let status = Command::new(patch)
        .arg("--quiet")
        .arg("--batch")
        .arg("-o")
        .arg(&out)
        .arg(&old)
        .arg(&diff_path)
        .status()
        .expect("patch runs");
    assert!(status.success(), "patch failed on:\n{diff}");
    let patched = std::fs::read_to_string(&out).expect("read patched");
    assert_eq!(patched, body_text(&engine, story, other));
}

#[test]
fn whole_story_is_one_diff_per_other_version() {
    let engine = sample();
    let (story, base, _) = iran(&engine);
    let diff = render(&engine, &ExportRequest::all(Format::Unified, story, base)).expect("renders");
    let n = engine.story(story).versions.len();
    let differing = (0..n)
        .filter(|&v| v != base && body_text(&engine, story, v) != body_text(&engine, story, base))
        .count();
    assert_eq!(
        diff.lines().filter(|l| l.starts_with("+++ ")).count(),
        differing
    );
}

#[test]
fn the_rust_applier_is_strict() {
    assert_eq!(
        apply(
            "a\nb\nc\n",
            "--- x\n+++ y\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        ),
        Ok("a\nB\nc\n".into())
    );
    assert!(
        apply(
            "a\nX\nc\n",
            "--- x\n+++ y\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        )
        .is_err()
    );
    assert_eq!(
        apply("", "--- x\n+++ y\n@@ -0,0 +1 @@\n+new\n"),
        Ok("new\n".into())
    );
}

#[test]
fn round_trips_on_the_evaluation_texts() {
    for folder in [
        "darwin-origin-ch1",
        "github-tos-history",
        "contributor-covenant",
    ] {
        let path = std::path::PathBuf::from("tests/data/eval").join(folder);
        let engine = storydiff::engine::Engine::open(&[path], Default::default()).expect("loads");
        let mut pairs = 0;
        for story in 0..engine.stories().len() {
            let n = engine.story(story).versions.len();
            for other in 1..n {
                let diff = render(
                    &engine,
                    &ExportRequest::pair(Format::Unified, story, 0, other),
                )
                .expect("renders");
                let patched = apply(&body_text(&engine, story, 0), &diff)
                    .unwrap_or_else(|e| panic!("{folder} story {story}, 0 → {other}: {e}"));
                assert_eq!(patched, body_text(&engine, story, other));
                pairs += 1;
            }
        }
        assert!(pairs > 0, "{folder}: no story with two versions");
    }
}
