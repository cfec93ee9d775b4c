//! Body texts → a unified diff that `patch`, `diffstat` and editors read.
//!
//! In: two versions of a story. Out: the unified diff (three lines of
//! context) between their body texts written one paragraph a line, with
//! `---`/`+++` headers naming each version and its file. Identical bodies
//! give an empty diff, as `diff -u` does. For the whole story: one such diff
//! from the base to each other version, one after another.

use std::fmt::Write as _;

use similar::TextDiff;

use super::View;
use crate::engine::Engine;
use crate::model::VersionIx;

/// A version's body paragraphs, one a line, each ending with a newline.
pub fn body_text(engine: &Engine, story: usize, version: VersionIx) -> String {
    engine.version(story, version).body_text()
}

/// The unified diff from `base`'s body to `other`'s.
pub fn pair(view: &View<'_>, base: VersionIx, other: VersionIx) -> String {
    let (Some(a), Some(b)) = (view.article(base), view.article(other)) else {
        return String::new();
    };
    // Control and bidi characters as the visible placeholders the screen shows.
    let old = crate::sanitize::for_text_file(&a.body_text()).into_owned();
    let new = crate::sanitize::for_text_file(&b.body_text()).into_owned();
    let diff = TextDiff::from_lines(&old, &new);
    diff.unified_diff()
        .context_radius(3)
        .header(&header(view, base), &header(view, other))
        .to_string()
}

/// The diffs from the base to every other version, in story order.
pub fn story(view: &View<'_>, base: VersionIx) -> String {
    let mut out = String::new();
    for other in (0..view.story.versions.len()).filter(|&v| v != base) {
        let _ = write!(out, "{}", pair(view, base, other));
    }
    out
}

/// `000 (assets/corpus/000_….txt)`, with no character that would end the header line.
fn header(view: &View<'_>, v: VersionIx) -> String {
    let label = format!("{} ({})", view.version_id(v), view.file(v));
    crate::sanitize::for_terminal(&label).into_owned()
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;
    use crate::diff::DiffOptions;

    #[test]
    fn pair_has_headers_and_hunks() {
        let corpus = fixture::corpus();
        let st = fixture::story();
        let opts = DiffOptions::default();
        let view = View {
            corpus: &corpus,
            story: &st,
            show_furniture: false,
            diff: &opts,
        };
        let d = pair(&view, 0, 1);
        assert!(d.starts_with("--- a (corpus/a.txt)\n+++ b/2 (corpus/b <&>.txt)\n@@ "));
        assert!(d.contains(&format!("-{}\n", fixture::REMOVED)));
        assert!(d.contains(&format!("+{}\n", fixture::ADDED)));
        assert!(pair(&view, 0, 0).is_empty());
        assert_eq!(story(&view, 0), d);
    }
}
