//! Every gold fact of the sample corpus, checked through the command line's
//! JSON, as a script would read it. The gold is `seeds.gold.json` with
//! `formats.gold.json` merged in (the sample's HTML page and JSON Lines feed).

mod formats_support;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn gold() -> Value {
    formats_support::gold()
}

fn corpus() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/corpus")
        .display()
        .to_string()
}

fn run(args: &[&str]) -> Value {
    let state = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_storydiff"))
        .env("STORYDIFF_CACHE_DIR", env!("CARGO_TARGET_TMPDIR"))
        .args(args)
        .arg("--state-dir")
        .arg(state.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs");
    assert!(
        out.status.success(),
        "storydiff {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "storydiff {args:?} printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn file_name(v: &Value) -> String {
    Path::new(v["file"].as_str().expect("file is a string"))
        .file_name()
        .expect("file name")
        .to_string_lossy()
        .into_owned()
}

fn lines(v: &Value) -> (u64, u64) {
    (
        v["lines"][0].as_u64().expect("first line"),
        v["lines"][1].as_u64().expect("last line"),
    )
}

/// The stories list, and the id of the story holding the Iran story's versions.
fn stories() -> Vec<Value> {
    run(&["stories", &corpus(), "--json"])["stories"]
        .as_array()
        .expect("stories array")
        .clone()
}

fn iran_story(stories: &[Value]) -> (String, Vec<Value>) {
    let mut want = formats_support::story_files(&gold(), "iran-china");
    want.sort();
    let s = stories
        .iter()
        .find(|s| {
            let mut files: Vec<String> = s["versions"]
                .as_array()
                .map(|vs| vs.iter().map(file_name).collect())
                .unwrap_or_default();
            files.sort();
            files == want
        })
        .expect("a story with a version from each gold file of the Iran story");
    (
        s["id"].as_str().expect("id").to_owned(),
        s["versions"].as_array().expect("versions").clone(),
    )
}

fn version_id_of(versions: &[Value], file: &str) -> String {
    versions
        .iter()
        .find(|v| file_name(v) == file)
        .and_then(|v| v["id"].as_str())
        .unwrap_or_else(|| panic!("no version from {file}"))
        .to_owned()
}

#[test]
fn stories_match_the_gold_versions() {
    let gold = gold();
    let stories = stories();
    for g in gold["stories"].as_array().expect("gold stories") {
        let want: Vec<&Value> = g["versions"].as_array().expect("versions").iter().collect();
        let found = stories
            .iter()
            .find(|s| {
                let vs = s["versions"].as_array().expect("versions");
                vs.len() == want.len()
                    && want.iter().all(|w| {
                        vs.iter().any(|v| {
                            let (a, b) = lines(v);
                            let (c0, c1) = (
                                w["core"][0].as_u64().expect("core"),
                                w["core"][1].as_u64().expect("core"),
                            );
                            file_name(v) == w["file"].as_str().expect("file") && a <= c0 && c1 <= b
                        })
                    })
            })
            .unwrap_or_else(|| panic!("no story matches gold story {}", g["name"]));
        for w in &want {
            let Some(outside) = w.get("outside") else {
                continue;
            };
            let v = found["versions"]
                .as_array()
                .expect("versions")
                .iter()
                .find(|v| file_name(v) == w["file"].as_str().expect("file"))
                .expect("version");
            let (a, b) = lines(v);
            let (o0, o1) = (
                outside[0].as_u64().expect("o"),
                outside[1].as_u64().expect("o"),
            );
            assert!(
                o1 < a || o0 > b,
                "{}: version {:?} overlaps outside lines {o0}-{o1} in {}",
                g["name"],
                (a, b),
                w["file"]
            );
        }
    }
    assert_eq!(
        stories.len(),
        gold["stories"].as_array().map(Vec::len).unwrap_or(0)
    );
}

/// Rows of the alignment as, per row, the set of (file, first line) it holds:
/// its cells' paragraphs, and those of cells in other rows whose
/// `merged_with` names it (a version's paragraph that merges two rows).
fn align_rows(story: &str, base: Option<&str>) -> (Vec<Vec<(String, u64)>>, Value) {
    let c = corpus();
    let mut args = vec!["align", c.as_str(), "--story", story, "--json"];
    let b;
    if let Some(base) = base {
        b = base.to_owned();
        args.push("--base");
        args.push(&b);
    }
    let doc = run(&args);
    let mut rows: Vec<Vec<(String, u64)>> = doc["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            r["cells"]
                .as_array()
                .expect("cells")
                .iter()
                .filter(|c| !c.is_null())
                .flat_map(|c| {
                    let f = file_name(c);
                    c["paragraphs"]
                        .as_array()
                        .expect("paragraphs")
                        .iter()
                        .map(move |p| (f.clone(), lines(p).0))
                        .collect::<Vec<_>>()
                })
                .collect()
        })
        .collect();
    for r in doc["rows"].as_array().expect("rows") {
        for c in r["cells"].as_array().expect("cells") {
            let Some(merged) = c["merged_with"].as_array() else {
                continue;
            };
            let f = file_name(c);
            for k in merged {
                let k = k.as_u64().expect("row index") as usize;
                for p in c["paragraphs"].as_array().expect("paragraphs") {
                    rows[k].push((f.clone(), lines(p).0));
                }
            }
        }
    }
    (rows, doc)
}

#[test]
fn aligned_groups_share_a_row_whatever_the_base() {
    let gold = gold();
    let (story, versions) = iran_story(&stories());
    let mut bases: Vec<Option<String>> = vec![None];
    bases.extend(versions.iter().map(|v| v["id"].as_str().map(str::to_owned)));
    for base in &bases {
        let (rows, _) = align_rows(&story, base.as_deref());
        for group in gold["aligned"]["groups"].as_array().expect("groups") {
            let members: Vec<(String, u64)> = group
                .as_object()
                .expect("group")
                .iter()
                .flat_map(|(f, ls)| {
                    ls.as_array()
                        .expect("lines")
                        .iter()
                        .map(|l| (f.clone(), l.as_u64().expect("line")))
                        .collect::<Vec<_>>()
                })
                .collect();
            // Every two members of different files share a row (one file's
            // two paragraphs stand in two rows when another file merged them).
            for (i, a) in members.iter().enumerate() {
                assert!(
                    rows.iter().any(|r| r.contains(a)),
                    "base {base:?}: {a:?} is in no row"
                );
                for b in members[i + 1..].iter().filter(|b| b.0 != a.0) {
                    assert!(
                        rows.iter().any(|r| r.contains(a) && r.contains(b)),
                        "base {base:?}: {a:?} and {b:?} share no row"
                    );
                }
            }
        }
    }
}

#[test]
fn not_body_lines_are_never_aligned() {
    let gold = gold();
    let (story, _) = iran_story(&stories());
    let (rows, doc) = align_rows(&story, None);
    for (file, ls) in gold["not_body"]["lines"].as_object().expect("not_body") {
        for l in ls.as_array().expect("lines") {
            let l = l.as_u64().expect("line");
            for row in &rows {
                assert!(
                    !row.contains(&(file.clone(), l)),
                    "{file}:{l} is aligned as body"
                );
            }
            // Nor inside a multi-line paragraph.
            for r in doc["rows"].as_array().expect("rows") {
                for c in r["cells"]
                    .as_array()
                    .expect("cells")
                    .iter()
                    .filter(|c| !c.is_null())
                {
                    if file_name(c) != *file {
                        continue;
                    }
                    for p in c["paragraphs"].as_array().expect("paragraphs") {
                        let (a, b) = lines(p);
                        assert!(
                            !(a <= l && l <= b),
                            "{file}:{l} inside body paragraph {a}-{b}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn only_in_paragraphs_have_no_counterpart() {
    let gold = gold();
    let (story, _) = iran_story(&stories());
    for base in [None, Some("000")] {
        let (rows, _) = align_rows(&story, base);
        for case in gold["only_in"]["cases"].as_array().expect("cases") {
            let me = (
                case["file"].as_str().expect("file").to_owned(),
                case["line"].as_u64().expect("line"),
            );
            let row = rows
                .iter()
                .find(|r| r.contains(&me))
                .unwrap_or_else(|| panic!("{me:?} is in no row"));
            for absent in case["absent_from"].as_array().expect("absent") {
                let f = absent.as_str().expect("file");
                assert!(
                    row.iter().all(|(rf, _)| rf != f),
                    "base {base:?}: {me:?} has a counterpart in {f}: {row:?}"
                );
            }
        }
    }
}

fn diff(story: &str, base: &str, other: &str) -> Value {
    run(&[
        "diff",
        &corpus(),
        "--story",
        story,
        "--base",
        base,
        "--other",
        other,
        "--json",
    ])
}

#[test]
fn moved_paragraph_is_linked_to_its_counterpart() {
    let gold = gold();
    let (story, versions) = iran_story(&stories());
    for case in gold["moved"]["cases"].as_array().expect("cases") {
        let (fa, la) = (
            case["a"]["file"].as_str().expect("f"),
            case["a"]["line"].as_u64().expect("l"),
        );
        let (fb, lb) = (
            case["b"]["file"].as_str().expect("f"),
            case["b"]["line"].as_u64().expect("l"),
        );
        let doc = diff(
            &story,
            &version_id_of(&versions, fa),
            &version_id_of(&versions, fb),
        );
        let moved = doc["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .find(|c| {
                c["kind"] == "moved"
                    && c["base"].get("lines").map(|l| l[0].as_u64()) == Some(Some(la))
                    && c["other"].get("lines").map(|l| l[0].as_u64()) == Some(Some(lb))
            });
        assert!(
            moved.is_some(),
            "{fa}:{la} → {fb}:{lb} not reported as moved: {doc:#}"
        );
        // And in the alignment, the two stand in one row with the moved cell marked.
        let (_, adoc) = align_rows(&story, Some(&version_id_of(&versions, fa)));
        let row = adoc["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| {
                r["cells"].as_array().expect("cells").iter().any(|c| {
                    !c.is_null()
                        && file_name(c) == fa
                        && c["paragraphs"][0]["lines"][0].as_u64() == Some(la)
                })
            })
            .expect("row of the moved paragraph");
        let cell = row["cells"]
            .as_array()
            .expect("cells")
            .iter()
            .find(|c| !c.is_null() && file_name(c) == fb)
            .expect("counterpart in the same row");
        assert!(!cell["moved"].is_null(), "moved cell not marked: {cell:#}");
    }
}

#[test]
fn word_changes_have_the_gold_kind() {
    let gold = gold();
    let (story, versions) = iran_story(&stories());
    for case in gold["word_changes"]["cases"].as_array().expect("cases") {
        let (fa, la) = (
            case["a"]["file"].as_str().expect("f"),
            case["a"]["line"].as_u64().expect("l"),
        );
        let (fb, lb) = (
            case["b"]["file"].as_str().expect("f"),
            case["b"]["line"].as_u64().expect("l"),
        );
        let doc = diff(
            &story,
            &version_id_of(&versions, fa),
            &version_id_of(&versions, fb),
        );
        let within = |side: &Value, line: u64| {
            side.get("lines")
                .and_then(|l| Some((l[0].as_u64()?, l[1].as_u64()?)))
                .is_some_and(|(a, b)| a <= line && line <= b)
        };
        let change = doc["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .find(|c| within(&c["base"], la) && within(&c["other"], lb))
            .unwrap_or_else(|| panic!("no change pairs {fa}:{la} with {fb}:{lb}: {doc:#}"));
        let words = change["words"].as_array().expect("words");
        let hit = words.iter().any(|w| {
            w["old"] == case["a_word"] && w["new"] == case["b_word"] && w["kind"] == case["kind"]
        });
        assert!(
            hit,
            "{fa}:{la} → {fb}:{lb}: no {} change {} → {}; got {words:#?}",
            case["kind"], case["a_word"], case["b_word"]
        );
    }
}

#[test]
fn identical_versions_have_no_changes() {
    let gold = gold();
    let (story, versions) = iran_story(&stories());
    for pair in gold["identical"]["pairs"].as_array().expect("pairs") {
        let a = version_id_of(&versions, pair[0]["file"].as_str().expect("f"));
        let b = version_id_of(&versions, pair[1]["file"].as_str().expect("f"));
        let doc = diff(&story, &a, &b);
        assert_eq!(doc["changes"].as_array().map(Vec::len), Some(0), "{doc:#}");
    }
}

#[test]
fn unknown_ids_give_one_clear_line_and_fail() {
    let out = Command::new(env!("CARGO_BIN_EXE_storydiff"))
        .env("STORYDIFF_CACHE_DIR", env!("CARGO_TARGET_TMPDIR"))
        .args(["align", &corpus(), "--story", "zzzzzz"])
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no story with id 'zzzzzz'"), "{err}");
    assert!(err.contains("nearest"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    let out = Command::new(env!("CARGO_BIN_EXE_storydiff"))
        .env("STORYDIFF_CACHE_DIR", env!("CARGO_TARGET_TMPDIR"))
        .args(["stories", "/definitely/not/here"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/definitely/not/here"));
}
