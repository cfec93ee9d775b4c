//! The Markdown report has its sections, its counts, and escaped text.

mod export_support;

use storydiff::export::{ExportRequest, Format, render};

use export_support::{hostile, iran, sample};

#[test]
fn report_has_the_expected_sections() {
    let engine = sample();
    let (story, base, other) = iran(&engine);
    let md = render(
        &engine,
        &ExportRequest::pair(Format::Markdown, story, base, other),
    )
    .expect("renders");
    assert!(md.starts_with("# "), "starts with the title");
    let pos = |s: &str| md.find(s).unwrap_or_else(|| panic!("missing {s:?}\n{md}"));
    assert!(pos("## Versions") < pos("## Summary") && pos("## Summary") < pos("## Changes"));
    let path = engine
        .version_path(story, base)
        .display()
        .to_string()
        .replace('_', "\\_");
    assert!(md.contains(&path), "names the base file {path}");
    let counts = engine
        .comparison(story, base, other, &Default::default())
        .counts();
    assert!(md.contains(&format!("| Spelling | {} |", counts.spelling)));
    assert!(md.contains(&format!("| Removed paragraphs | {} |", counts.removed)));
    assert!(md.contains(&format!("| **Total** | **{}** |", counts.total())));
    assert!(md.contains("~~Ashtinai~~"), "removed word struck");
    assert!(md.contains("**Ashtiani**"), "added word bold");
    assert!(md.contains("- spelling: `Ashtinai` → `Ashtiani`"));
    assert!(md.contains("### 1. "));
    assert!(
        md.contains("Removed: line"),
        "removed paragraphs said as such"
    );
}

#[test]
fn whole_story_has_a_section_per_version() {
    let engine = sample();
    let (story, base, _) = iran(&engine);
    let md = render(&engine, &ExportRequest::all(Format::Markdown, story, base)).expect("renders");
    let n = engine.story(story).versions.len();
    let base_id = engine.version(story, base).id.replace('_', "\\_");
    let sections = md
        .lines()
        .filter(|l| l.starts_with(&format!("## {base_id} → ")))
        .count();
    assert_eq!(sections, n - 1, "{md}");
}

#[test]
fn hostile_text_cannot_become_markup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (engine, story, base, other) = hostile(dir.path());
    let md = render(
        &engine,
        &ExportRequest::pair(Format::Markdown, story, base, other),
    )
    .expect("renders");
    // Every `<` is escaped, except storydiff's own <del>/<ins>.
    for (i, _) in md.match_indices('<') {
        let ours = ["<del>", "</del>", "<ins>", "</ins>"]
            .iter()
            .any(|t| md[i..].starts_with(t));
        assert!(
            ours || md[..i].ends_with('\\'),
            "raw < at {i}: {}",
            &md[i..md.len().min(i + 30)]
        );
    }
    assert!(!md.contains("[link](http"));
    assert!(md.contains("\\<script\\>alert"));
    assert!(md.contains("\\<img src=x onerror=alert(1)\\>"));
    // The corpus reader takes "# Not a heading…" for a Markdown heading and drops the "#";
    // what is left must not start a list or a code span either.
    assert!(
        md.contains("Not a heading, - not a list, 1. not a list and \\`not code\\`"),
        "{md}"
    );
    assert!(md.contains("\\~\\~no strike\\~\\~ \\& \\| pipes \\|"));
    assert!(!md.lines().any(|l| l.starts_with("# Not")));
}
