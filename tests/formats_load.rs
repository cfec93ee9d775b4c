//! Files in other formats and encodings, end to end through `corpus::open`
//! and the engine: legacy encodings and UTF-16 are decoded (with a warning
//! naming the file and encoding) and still match their UTF-8 versions; JSON
//! field names are configurable; the publication date breaks centrality ties.

use std::fs;
use std::path::{Path, PathBuf};

use storydiff::corpus::{self, JsonFields, LoadOptions, SegmentOptions};
use storydiff::engine::{Engine, Settings};
use storydiff::model::Corpus;

fn sample(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("assets/corpus")
        .join(name);
    fs::read_to_string(p).expect("sample file")
}

/// The Iran story's body in the sample's 000 (lines 12–44), for records.
fn iran_body() -> String {
    sample("000_66b60800ac77cf39.txt")
        .lines()
        .skip(11)
        .take(33)
        .collect::<Vec<_>>()
        .join("\n")
}

fn open(dir: &Path, load: &LoadOptions) -> Corpus {
    corpus::open(&[dir.to_path_buf()], load, &SegmentOptions::default()).expect("loads")
}

fn warnings_about(c: &Corpus, name: &str) -> Vec<String> {
    c.warnings
        .iter()
        .filter(|w| w.path.file_name().is_some_and(|n| n == name))
        .map(|w| w.message.clone())
        .collect()
}

/// The ids of the versions in the story holding `id`.
fn story_of(engine: &Engine, id: &str) -> Vec<String> {
    let s = (0..engine.stories().len())
        .find(|&s| (0..engine.story(s).versions.len()).any(|v| engine.version(s, v).id == id))
        .unwrap_or_else(|| panic!("no story holds {id}"));
    (0..engine.story(s).versions.len())
        .map(|v| engine.version(s, v).id.clone())
        .collect()
}

#[test]
fn legacy_encodings_are_decoded_and_still_match() {
    let d = tempfile::tempdir().expect("tempdir");
    fs::write(
        d.path().join("a_utf8.txt"),
        sample("000_66b60800ac77cf39.txt"),
    )
    .expect("write");
    let text004 = sample("004_033ed2a7a91fa8ad.txt");
    let (cp1252, _, lossy) = encoding_rs::WINDOWS_1252.encode(&text004);
    assert!(!lossy, "004 is all in Windows-1252");
    fs::write(d.path().join("b_cp1252.txt"), &cp1252).expect("write");
    let utf16: Vec<u8> = sample("003_e6c2c4d9a5885b82.txt")
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    fs::write(d.path().join("c_utf16.txt"), utf16).expect("write");
    let (latin1_page, _, _) = encoding_rs::WINDOWS_1252.encode(
        "<html><head><meta charset=\"iso-8859-1\"><title>Caf\u{e9}</title></head><body><p>Le caf\u{e9} est ouvert depuis ce matin, a dit la mairie.</p></body></html>",
    );
    fs::write(d.path().join("d_page.htm"), &latin1_page).expect("write");

    let c = open(d.path(), &LoadOptions::default());
    let text = |name: &str| {
        c.files
            .iter()
            .find(|f| f.path.file_name().is_some_and(|n| n == name))
            .map(|f| f.text.clone())
            .unwrap_or_default()
    };
    assert_eq!(text("b_cp1252.txt"), sample("004_033ed2a7a91fa8ad.txt"));
    assert_eq!(text("c_utf16.txt"), sample("003_e6c2c4d9a5885b82.txt"));
    for (name, enc) in [
        ("b_cp1252.txt", "windows-1252"),
        ("c_utf16.txt", "UTF-16LE"),
        ("d_page.htm", "windows-1252"),
    ] {
        assert_eq!(
            warnings_about(&c, name),
            vec![format!("decoded as {enc}")],
            "{name}"
        );
        let a = c
            .articles
            .iter()
            .find(|a| c.files[a.file].path.file_name().is_some_and(|n| n == name))
            .expect("article");
        assert_eq!(a.meta.encoding.as_deref(), Some(enc), "{name}");
    }
    assert!(warnings_about(&c, "a_utf8.txt").is_empty());
    let page = c
        .articles
        .iter()
        .find(|a| a.id == "d")
        .expect("page article");
    assert_eq!(
        &*page.paragraphs[0].text,
        "Le café est ouvert depuis ce matin, a dit la mairie."
    );

    let engine = Engine::from_corpus(c, Settings::default());
    assert_eq!(story_of(&engine, "a"), ["a", "b", "c"]);
}

#[test]
fn json_field_names_are_configurable() {
    let d = tempfile::tempdir().expect("tempdir");
    let body = iran_body();
    let rec = serde_json::json!({
        "headline_text": "Iran wants ties",
        "story": { "paragraphs": body },
        "permalink": "https://x.test/1",
        "meta": { "when": "1651094760" },
        "site": { "name": "X Daily" },
    });
    fs::write(d.path().join("scrape.ndjson"), format!("{rec}\n")).expect("write");

    let c = open(d.path(), &LoadOptions::default());
    assert!(c.articles.is_empty());
    assert_eq!(
        warnings_about(&c, "scrape.ndjson"),
        [
            "1 record has no text (no field text, content, body, maintext); skipped: record 1 (line 1)"
        ]
    );

    let load = LoadOptions {
        json_fields: JsonFields {
            title: vec!["headline_text".into()],
            text: vec!["story.paragraphs".into()],
            url: vec!["permalink".into()],
            date: vec!["meta.when".into()],
            outlet: vec!["site".into()],
        },
        ..LoadOptions::default()
    };
    let c = open(d.path(), &load);
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    let a = &c.articles[0];
    assert_eq!(a.id, "scrape-1");
    assert_eq!(a.title, "Iran wants ties");
    assert_eq!(a.meta.url.as_deref(), Some("https://x.test/1"));
    assert_eq!(a.meta.date.as_deref(), Some("2022-04-27T21:26:00Z"));
    assert_eq!(a.meta.outlet.as_deref(), Some("X Daily"));
    assert_eq!(a.body_indices().count(), 17);
}

#[test]
fn the_earliest_of_equally_central_versions_is_the_base() {
    let d = tempfile::tempdir().expect("tempdir");
    let body = iran_body();
    let rec = |date: &str| serde_json::json!({"title": "Iran", "text": body, "date": date});
    let lines = [
        rec("2022-04-29T10:00:00Z"),
        rec("2022-04-27T09:00:00+02:00"),
        rec("2022-04-28"),
    ]
    .map(|r| r.to_string())
    .join("\n");
    fs::write(d.path().join("wire.jsonl"), lines).expect("write");
    let engine = Engine::open(&[d.path().to_path_buf()], Settings::default()).expect("loads");
    assert_eq!(engine.stories().len(), 1);
    let s = engine.story(0);
    assert_eq!(s.versions.len(), 3);
    assert_eq!(engine.version(0, s.central).id, "wire-2");

    // Without dates the tie goes to the first version id, as before.
    let undated = [rec(""), rec(""), rec("")]
        .map(|r| r.to_string())
        .join("\n");
    fs::write(d.path().join("wire.jsonl"), undated).expect("write");
    let engine = Engine::open(&[d.path().to_path_buf()], Settings::default()).expect("loads");
    assert_eq!(engine.version(0, engine.story(0).central).id, "wire-1");
}

#[test]
fn a_json_array_file_and_broken_records() {
    let d = tempfile::tempdir().expect("tempdir");
    let text = "Iranian President Ebrahim Raisi said Tehran wanted closer ties with China on Wednesday.\n\nRaisi told Fenghe that Tehran sees its ties with Beijing as strategic.";
    let doc = format!(
        "[\n  {{\"title\": \"One\", \"text\": {t}}},\n  42,\n  {{\"title\": \"No text\"}},\n  {{\n    \"title\": \"Two\",\n    \"text\": {t}\n  }}\n]\n",
        t = serde_json::to_string(text).expect("json")
    );
    fs::write(d.path().join("dump.json"), doc).expect("write");
    fs::write(d.path().join("broken.json"), "{\"title\": \"x\", ").expect("write");
    let c = open(d.path(), &LoadOptions::default());
    let ids: Vec<(&str, u32, u32)> = c
        .articles
        .iter()
        .map(|a| (a.id.as_str(), a.lines.first, a.lines.last))
        .collect();
    assert_eq!(ids, [("dump-1", 2, 2), ("dump-4", 5, 7)]);
    assert_eq!(
        warnings_about(&c, "dump.json"),
        [
            "1 record is not a JSON object; skipped: record 2 (line 3)",
            "1 record has no text (no field text, content, body, maintext); skipped: record 3 (line 4)",
        ]
    );
    let broken = warnings_about(&c, "broken.json");
    assert_eq!(broken.len(), 1);
    assert!(broken[0].starts_with("not valid JSON ("), "{broken:?}");
}
