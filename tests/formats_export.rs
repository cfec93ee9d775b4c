//! What an HTML page or a JSON record says about a version (outlet, date,
//! address) reaches the exports and the command line's JSON; plain text
//! versions add nothing, and the keys stay additive.

mod export_support;

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};
use storydiff::engine::Engine;
use storydiff::export::{ExportRequest, Format, render};

use export_support::{hostile, sample};

const URL: &str = "https://news.example.com/world/iran-china-military-cooperation";

/// The Iran story and the indices of versions 004 and 005.
fn iran_004_005(engine: &Engine) -> (usize, usize, usize) {
    let s = (0..engine.stories().len())
        .find(|&s| (0..engine.story(s).versions.len()).any(|v| engine.version(s, v).id == "005"))
        .expect("a story holds 005");
    let v = |id: &str| engine.find_version(s, id).expect("version");
    (s, v("004"), v("005"))
}

#[test]
fn diff_json_gives_each_side_its_meta() {
    let engine = sample();
    let (s, v4, v5) = iran_004_005(&engine);
    let doc: Value = serde_json::from_str(
        &render(&engine, &ExportRequest::pair(Format::Json, s, v4, v5)).expect("renders"),
    )
    .expect("json");
    assert_eq!(
        doc["base_meta"],
        json!({"outlet": null, "url": null, "date": null})
    );
    assert_eq!(
        doc["other_meta"],
        json!({"outlet": "Example News", "url": URL, "date": "2022-04-27T21:26:00-04:00"})
    );
}

#[test]
fn align_json_has_meta_in_version_order() {
    let engine = sample();
    let (s, v4, _) = iran_004_005(&engine);
    let doc: Value = serde_json::from_str(
        &render(&engine, &ExportRequest::all(Format::Json, s, v4)).expect("renders"),
    )
    .expect("json");
    let versions = doc["versions"].as_array().expect("versions");
    let meta = doc["meta"].as_array().expect("meta");
    assert_eq!(meta.len(), versions.len());
    for (id, m) in versions.iter().zip(meta) {
        let want = match id.as_str() {
            Some("005") => {
                json!({"outlet": "Example News", "url": URL, "date": "2022-04-27T21:26:00-04:00"})
            }
            Some("feed-1") => json!({
                "outlet": "Example Feed",
                "url": "https://feed.example.org/2022/04/28/iran-china-ties",
                "date": "2022-04-28T08:00:00Z"
            }),
            _ => json!({"outlet": null, "url": null, "date": null}),
        };
        assert_eq!(m, &want, "{id}");
    }
}

#[test]
fn markdown_versions_table_has_outlet_date_and_address_columns() {
    let engine = sample();
    let (s, v4, v5) = iran_004_005(&engine);
    let md = render(&engine, &ExportRequest::all(Format::Markdown, s, v4)).expect("renders");
    assert!(
        md.contains("| Version | File | Lines | Outlet | Date | Address |"),
        "{md}"
    );
    let row = md
        .lines()
        .find(|l| l.starts_with("| 005 |"))
        .expect("a row for 005");
    assert!(
        row.ends_with(&format!(
            "| 48–95 | Example News | 2022-04-27T21:26:00-04:00 | {URL} |"
        )),
        "{row}"
    );
    let plain = md
        .lines()
        .find(|l| l.starts_with("| 004 (base) |"))
        .expect("a row for 004");
    assert!(plain.ends_with("|  |  |  |"), "{plain}");
    // A pair of text versions keeps the three-column table.
    let pair = render(
        &engine,
        &ExportRequest::pair(
            Format::Markdown,
            s,
            v4,
            engine.find_version(s, "000").expect("000"),
        ),
    )
    .expect("renders");
    assert!(pair.contains("| Version | File | Lines |\n"), "{pair}");
    let with_page =
        render(&engine, &ExportRequest::pair(Format::Markdown, s, v4, v5)).expect("renders");
    assert!(
        with_page.contains("| Outlet | Date | Address |"),
        "{with_page}"
    );
}

#[test]
fn html_headings_name_the_outlet_date_and_address() {
    let engine = sample();
    let (s, v4, v5) = iran_004_005(&engine);
    let html = render(&engine, &ExportRequest::pair(Format::Html, s, v4, v5)).expect("renders");
    assert!(
        html.contains(&format!(
            "<span class=\"file\">Example News · 2022-04-27T21:26:00-04:00 · {URL}</span>"
        )),
        "{html}"
    );
}

#[test]
fn meta_from_files_is_escaped_in_html() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (engine, s, b, o) = hostile(dir.path());
    // Text files carry no meta: the hostile exports are unchanged by this feature.
    for v in [b, o] {
        assert_eq!(engine.version(s, v).meta, Default::default());
    }
    let page = "<html><head><meta property=\"og:site_name\" content=\"A &lt;b&gt;Bold&lt;/b&gt; &amp; Co\"></head>\
        <body><p>Paragraph one of a story about the council budget meeting held on Tuesday evening.</p>\
        <p>Paragraph two says the members argued about the budget for the coming year.</p></body></html>";
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::write(d.path().join("a.html"), page).expect("write");
    std::fs::write(d.path().join("b.html"), page.replace("Tuesday", "Monday")).expect("write");
    let engine = Engine::open(&[d.path().to_path_buf()], Default::default()).expect("loads");
    assert_eq!(engine.stories().len(), 1);
    let html = render(&engine, &ExportRequest::pair(Format::Html, 0, 0, 1)).expect("renders");
    assert!(
        html.contains("A &lt;b&gt;Bold&lt;/b&gt; &amp; Co"),
        "{html}"
    );
    assert!(!html.contains("<b>Bold</b>"));
}

#[test]
fn stories_json_lists_outlet_url_and_date_per_version() {
    let state = tempfile::tempdir().expect("tempdir");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/corpus");
    let out = Command::new(env!("CARGO_BIN_EXE_storydiff"))
        .env("STORYDIFF_CACHE_DIR", env!("CARGO_TARGET_TMPDIR"))
        .arg("stories")
        .arg(&corpus)
        .arg("--json")
        .arg("--state-dir")
        .arg(state.path())
        .output()
        .expect("runs");
    assert!(out.status.success());
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    let versions: Vec<&Value> = doc["stories"]
        .as_array()
        .expect("stories")
        .iter()
        .flat_map(|s| s["versions"].as_array().expect("versions"))
        .collect();
    let of = |id: &str| {
        *versions
            .iter()
            .find(|v| v["id"] == id)
            .unwrap_or_else(|| panic!("no version {id}"))
    };
    assert_eq!(of("005")["outlet"], "Example News");
    assert_eq!(of("005")["url"], URL);
    assert_eq!(of("feed-2")["date"], "2022-04-28T09:30:00Z");
    assert!(of("000")["outlet"].is_null() && of("000").get("outlet").is_some());
}
