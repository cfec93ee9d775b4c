//! The JSON export is the published `diff --json` / `align --json` contract:
//! every key exists, with the documented types, and lines point into the files.

mod export_support;

use serde_json::Value;
use storydiff::export::json::{AlignJson, DiffJson};
use storydiff::export::{ExportRequest, Format, render};

use export_support::{iran, sample};

fn parse(s: &str) -> Value {
    serde_json::from_str(s).expect("valid JSON")
}

/// `lines` is `[first, last]`, 1-based, first <= last, within the file; the
/// text's first and last words are on those lines.
fn check_lines(lines: &Value, text: &str, file_text: &str) {
    let first = lines[0].as_u64().expect("first line") as usize;
    let last = lines[1].as_u64().expect("last line") as usize;
    assert!(lines.as_array().is_some_and(|a| a.len() == 2));
    assert!(1 <= first && first <= last, "{lines}");
    let file_lines: Vec<&str> = file_text.lines().collect();
    assert!(last <= file_lines.len(), "{lines} past the end of the file");
    let first_word = text.split_whitespace().next().unwrap_or("");
    let last_word = text.split_whitespace().last().unwrap_or("");
    assert!(
        file_lines[first - 1].contains(first_word),
        "line {first} lacks {first_word:?}"
    );
    assert!(
        file_lines[last - 1].contains(last_word),
        "line {last} lacks {last_word:?}"
    );
}

#[test]
fn diff_json_has_every_contract_key() {
    let engine = sample();
    let (story, base, other) = iran(&engine);
    let v = parse(
        &render(
            &engine,
            &ExportRequest::pair(Format::Json, story, base, other),
        )
        .expect("renders"),
    );
    for key in [
        "story",
        "title",
        "base",
        "other",
        "base_file",
        "other_file",
        "counts",
        "changes",
    ] {
        assert!(v.get(key).is_some(), "missing top-level key {key}");
    }
    assert_eq!(v["story"], engine.story(story).id.as_str());
    assert_eq!(v["base"], engine.version(story, base).id.as_str());
    assert_eq!(v["other"], engine.version(story, other).id.as_str());
    assert_eq!(
        v["base_file"],
        engine
            .version_path(story, base)
            .display()
            .to_string()
            .as_str()
    );
    for k in ["spelling", "style", "wording", "added", "removed", "moved"] {
        assert!(v["counts"][k].is_u64(), "counts.{k}");
    }
    let read = |f: &Value| {
        std::fs::read_to_string(f.as_str().expect("file is a string")).expect("file exists")
    };
    let (base_text, other_text) = (read(&v["base_file"]), read(&v["other_file"]));
    let changes = v["changes"].as_array().expect("changes is an array");
    assert!(!changes.is_empty());
    for c in changes {
        let kind = c["kind"].as_str().expect("kind");
        assert!(
            ["changed", "rewritten", "added", "removed", "moved"].contains(&kind),
            "{kind}"
        );
        for (side, file_text) in [("base", &base_text), ("other", &other_text)] {
            let s = &c[side];
            assert!(c.get(side).is_some(), "missing {side}");
            if s.is_null() {
                assert!(
                    (side == "base" && kind == "added")
                        || (side == "other" && kind == "removed")
                        || kind == "moved",
                    "{side} null in a {kind} change"
                );
                continue;
            }
            let text = s["text"].as_str().expect("text");
            check_lines(&s["lines"], text, file_text);
        }
        for w in c["words"].as_array().expect("words") {
            assert!(
                ["spelling", "style", "wording"].contains(&w["kind"].as_str().unwrap_or("")),
                "{w}"
            );
            assert!(w["old"].is_string() && w["new"].is_string());
        }
    }
    let spelling = serde_json::json!({"kind": "spelling", "old": "Ashtinai", "new": "Ashtiani"});
    assert!(
        changes.iter().any(|c| c["words"]
            .as_array()
            .is_some_and(|ws| ws.contains(&spelling))),
        "the Ashtinai → Ashtiani spelling change"
    );
}

#[test]
fn align_json_has_every_contract_key() {
    let engine = sample();
    let (story, base, _) = iran(&engine);
    let v =
        parse(&render(&engine, &ExportRequest::all(Format::Json, story, base)).expect("renders"));
    for key in ["story", "title", "base", "versions", "rows"] {
        assert!(v.get(key).is_some(), "missing top-level key {key}");
    }
    let versions: Vec<&str> = v["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(versions.len(), engine.story(story).versions.len());
    assert!(versions.contains(&v["base"].as_str().expect("base")));
    let rows = v["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), engine.alignment(story, base).rows.len());
    let mut moved = 0;
    for row in rows {
        assert!(
            ["same", "changed", "partial", "moved"].contains(&row["kind"].as_str().unwrap_or(""))
        );
        let cells = row["cells"].as_array().expect("cells");
        assert_eq!(cells.len(), versions.len());
        for (i, cell) in cells.iter().enumerate() {
            if cell.is_null() {
                continue;
            }
            assert_eq!(cell["version"], versions[i]);
            let file_text =
                std::fs::read_to_string(cell["file"].as_str().expect("file")).expect("file exists");
            let paragraphs = cell["paragraphs"].as_array().expect("paragraphs");
            assert!(!paragraphs.is_empty());
            for p in paragraphs {
                check_lines(&p["lines"], p["text"].as_str().expect("text"), &file_text);
            }
            assert!(
                ["base", "same", "changed", "added"]
                    .contains(&cell["status"].as_str().unwrap_or(""))
            );
            let sim = cell["similarity"].as_f64().expect("similarity");
            assert!((0.0..=1.0).contains(&sim));
            assert!(cell.get("moved").is_some());
            if !cell["moved"].is_null() {
                moved += 1;
                assert!(cell["moved"]["position"].is_u64());
                assert!(cell["moved"].get("after_row").is_some());
            }
        }
    }
    eprintln!("{} rows, {moved} moved cells", rows.len());
}

#[test]
fn constructors_match_the_export() {
    let engine = sample();
    let (story, base, other) = iran(&engine);
    let c = engine.comparison(story, base, other, &Default::default());
    let a = engine.alignment(story, base);
    let diff = serde_json::to_value(DiffJson::new(&engine, story, &c)).expect("serialises");
    let align = serde_json::to_value(AlignJson::new(&engine, story, &a)).expect("serialises");
    let exported = |req| parse(&render(&engine, &req).expect("renders"));
    assert_eq!(
        diff,
        exported(ExportRequest::pair(Format::Json, story, base, other))
    );
    assert_eq!(
        align,
        exported(ExportRequest::all(Format::Json, story, base))
    );
}

#[test]
fn hiding_style_drops_style_words() {
    let engine = sample();
    let (story, base, other) = iran(&engine);
    let mut req = ExportRequest::pair(Format::Json, story, base, other);
    req.diff.hide_style = true;
    let v = parse(&render(&engine, &req).expect("renders"));
    assert_eq!(v["hide_style"], true);
    assert_eq!(v["counts"]["style"], 0);
    let style_words = v["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .flat_map(|c| c["words"].as_array().cloned().unwrap_or_default())
        .filter(|w| w["kind"] == "style")
        .count();
    assert_eq!(style_words, 0);
}
