//! The HTML export parses, highlights what the interface highlights, and
//! escapes every piece of text from the corpus.

mod export_support;

use scraper::{Html, Selector};
use storydiff::export::{ExportRequest, Format, render};

use export_support::{hostile, iran, sample};

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("valid selector")
}

/// No script, no event handler, no fetch: only in-page links.
fn assert_inert(doc: &Html) {
    assert_eq!(
        doc.select(&sel(
            "script, img, iframe, object, embed, link, audio, video, svg"
        ))
        .count(),
        0
    );
    for el in doc.select(&sel("*")) {
        for (name, value) in el.value().attrs() {
            assert!(!name.starts_with("on"), "event handler attribute {name}");
            if name == "href" {
                assert!(value.starts_with("#r"), "link out of the page: {value}");
            }
            assert_ne!(name, "src");
        }
    }
}

/// Every `&` in the source starts an entity storydiff writes.
fn assert_ampersands_escaped(html: &str) {
    for (i, _) in html.match_indices('&') {
        let rest = &html[i..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                .iter()
                .any(|e| rest.starts_with(e)),
            "raw & at {i}: {}",
            &rest[..rest.len().min(40)]
        );
    }
}

#[test]
fn pair_page_highlights_the_spelling_change() {
    let engine = sample();
    let (story, base, other) = iran(&engine);
    let html = render(
        &engine,
        &ExportRequest::pair(Format::Html, story, base, other),
    )
    .expect("renders");
    let doc = Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "parse errors: {:?}", doc.errors);
    assert_inert(&doc);
    assert_ampersands_escaped(&html);
    let text =
        |s: &str| -> Vec<String> { doc.select(&sel(s)).map(|e| e.text().collect()).collect() };
    assert!(
        text("td.old del.spelling").contains(&"Ashtinai".to_owned()),
        "{:?}",
        text("del")
    );
    assert!(
        text("td.new ins.spelling").contains(&"Ashtiani".to_owned()),
        "{:?}",
        text("ins")
    );
    // The letters that differ are emphasised inside the highlight.
    assert!(doc.select(&sel("del.spelling em")).count() > 0);
    assert!(
        doc.select(&sel("tr.removed")).count() > 0,
        "000 has paragraphs 003 lacks"
    );
    assert_eq!(doc.select(&sel("title")).count(), 1);
    assert!(html.contains("@media (prefers-color-scheme: dark)") && html.contains("@media print"));
}

#[test]
fn furniture_is_optional() {
    let engine = sample();
    let (story, base, other) = iran(&engine);
    let mut req = ExportRequest::pair(Format::Html, story, base, other);
    let hidden = render(&engine, &req).expect("renders");
    req.show_furniture = true;
    let shown = render(&engine, &req).expect("renders");
    let count = |h: &str| Html::parse_document(h).select(&sel("td.furniture")).count();
    assert_eq!(count(&hidden), 0);
    assert!(
        count(&shown) > 0,
        "000 has furniture (TT, repeated captions)"
    );
}

#[test]
fn story_page_has_a_column_per_version() {
    let engine = sample();
    let (story, base, _) = iran(&engine);
    let html = render(&engine, &ExportRequest::all(Format::Html, story, base)).expect("renders");
    let doc = Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "parse errors: {:?}", doc.errors);
    assert_inert(&doc);
    let versions = engine.story(story).versions.len();
    assert_eq!(doc.select(&sel("table.story thead th")).count(), versions);
    for row in doc.select(&sel("table.story tbody tr")) {
        assert_eq!(row.select(&sel("td")).count(), versions);
    }
    let alignment = engine.alignment(story, base);
    assert_eq!(
        doc.select(&sel("table.story tbody tr[id]")).count(),
        alignment.rows.len()
    );
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (engine, story, base, other) = hostile(dir.path());
    for req in [
        ExportRequest::pair(Format::Html, story, base, other),
        ExportRequest::all(Format::Html, story, base),
    ] {
        let mut req = req;
        req.show_furniture = true;
        let html = render(&engine, &req).expect("renders");
        let doc = Html::parse_document(&html);
        assert!(doc.errors.is_empty(), "parse errors: {:?}", doc.errors);
        assert_inert(&doc);
        assert_ampersands_escaped(&html);
        assert!(!html.contains("<script"), "raw script tag");
        assert!(!html.contains("<img"), "raw img tag");
        assert!(!html.contains("</td></tr></table> &"), "raw table end");
        let text: String = doc.root_element().text().collect();
        assert!(
            text.contains("<script>alert(\"pwned\")</script>"),
            "the text is shown, as text"
        );
        assert!(text.contains("</td></tr></table> & &amp; inside"));
        assert!(text.contains("Tom & Jerry <b>sign</b>"));
        // Each table row has as many cells as the header.
        let width = doc.select(&sel("thead th")).count();
        for row in doc.select(&sel("tbody tr")) {
            let cells = row.select(&sel("td")).count();
            assert!(cells == width, "row with {cells} cells, header {width}");
        }
    }
}

#[test]
fn evaluation_texts_give_clean_pages() {
    for folder in ["darwin-origin-ch1", "github-tos-history"] {
        let path = std::path::PathBuf::from("tests/data/eval").join(folder);
        let engine = storydiff::engine::Engine::open(&[path], Default::default()).expect("loads");
        let n = engine.story(0).versions.len();
        for req in [
            ExportRequest::pair(Format::Html, 0, 0, n - 1),
            ExportRequest::all(Format::Html, 0, 0),
        ] {
            let html = render(&engine, &req).expect("renders");
            let doc = Html::parse_document(&html);
            assert!(doc.errors.is_empty(), "{folder}: {:?}", doc.errors);
            assert_inert(&doc);
            assert_ampersands_escaped(&html);
        }
    }
}
