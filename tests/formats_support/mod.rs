//! The gold facts of the whole sample corpus: `tests/data/seeds.gold.json`
//! (the five text files) with `tests/data/formats.gold.json` (the saved HTML
//! page and the JSON Lines feed) merged in. Every fact of the first is kept
//! as it is; the second only adds versions to its stories, new stories,
//! not-body lines, aligned groups and word changes.

#![allow(dead_code)]

use std::path::Path;

use serde_json::Value;

fn read(name: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn array<'a>(v: &'a mut Value, path: &[&str]) -> &'a mut Vec<Value> {
    let mut at = v;
    for key in path {
        at = &mut at[*key];
    }
    if at.is_null() {
        *at = Value::Array(Vec::new());
    }
    at.as_array_mut()
        .unwrap_or_else(|| panic!("{path:?} is not an array"))
}

/// The seeds' gold facts with those of the files in other formats merged in.
pub fn gold() -> Value {
    let mut gold = read("seeds.gold.json");
    let extra = read("formats.gold.json");
    for s in extra["stories"].as_array().expect("stories") {
        let stories = array(&mut gold, &["stories"]);
        match stories.iter_mut().find(|g| g["name"] == s["name"]) {
            Some(g) => array(g, &["versions"])
                .extend(s["versions"].as_array().expect("versions").iter().cloned()),
            None => stories.push(s.clone()),
        }
    }
    for (file, lines) in extra["not_body"]["lines"].as_object().expect("not_body") {
        gold["not_body"]["lines"][file] = lines.clone();
    }
    for (section, list) in [("aligned", "groups"), ("word_changes", "cases")] {
        let more = extra[section][list].as_array().cloned().unwrap_or_default();
        array(&mut gold, &[section, list]).extend(more);
    }
    gold
}

/// The files whose versions make up a gold story.
pub fn story_files(gold: &Value, name: &str) -> Vec<String> {
    gold["stories"]
        .as_array()
        .expect("stories")
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no gold story {name}"))["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .map(|v| v["file"].as_str().expect("file").to_owned())
        .collect()
}
