//! Comparisons → a Markdown report a person reads or pastes into a ticket.
//!
//! In: a [`Comparison`] (or one per other version, for the whole story).
//! Out: the story's title, the versions and their files, counts of changes
//! by kind, then every paragraph that differs, with removed words
//! `~~struck through~~` and added words `**bold**`, and a list of its word
//! changes by kind. Every piece of text from the corpus is escaped, so that
//! nothing in an article can turn into a link, a list, a heading or HTML.

use std::fmt::Write as _;

use super::{Inline, View, inline};
use crate::model::{ChangeCounts, Comparison, PairKind, PairRow, VersionIx, WordDiff};

/// The report for two versions.
pub fn pair(view: &View<'_>, c: &Comparison) -> String {
    let mut out = String::new();
    title(&mut out, view);
    let _ = writeln!(
        out,
        "Story {}: version **{}** (base) compared with version **{}**.\n",
        escape(&view.story.id),
        escape(view.version_id(c.base)),
        escape(view.version_id(c.other)),
    );
    style_note(&mut out, view);
    versions(&mut out, view, c.base, &[c.base, c.other]);
    out.push_str("## Summary\n\n| Change | Count |\n| --- | ---: |\n");
    let n = c.counts();
    for (label, count) in count_rows(&n) {
        let _ = writeln!(out, "| {label} | {count} |");
    }
    let _ = writeln!(out, "| **Total** | **{}** |\n", n.total());
    out.push_str("## Changes\n\n");
    changes(&mut out, view, c, "###");
    out
}

/// The report for every version against the base: a summary table, then one section a version.
pub fn story(view: &View<'_>, base: VersionIx, comparisons: &[&Comparison]) -> String {
    let mut out = String::new();
    title(&mut out, view);
    let _ = writeln!(
        out,
        "Story {}: all {} versions compared with version **{}** (base).\n",
        escape(&view.story.id),
        view.story.versions.len(),
        escape(view.version_id(base)),
    );
    style_note(&mut out, view);
    let all: Vec<VersionIx> = (0..view.story.versions.len()).collect();
    versions(&mut out, view, base, &all);
    out.push_str("## Summary\n\n| Version |");
    let labels: Vec<&str> = count_rows(&ChangeCounts::default())
        .iter()
        .map(|(l, _)| *l)
        .collect();
    for l in &labels {
        let _ = write!(out, " {l} |");
    }
    out.push_str(" Total |\n| --- |");
    out.push_str(&" ---: |".repeat(labels.len() + 1));
    out.push('\n');
    for c in comparisons {
        let n = c.counts();
        let _ = write!(out, "| {} |", escape(view.version_id(c.other)));
        for (_, count) in count_rows(&n) {
            let _ = write!(out, " {count} |");
        }
        let _ = writeln!(out, " {} |", n.total());
    }
    out.push('\n');
    for c in comparisons {
        let _ = writeln!(
            out,
            "## {} → {}\n",
            escape(view.version_id(c.base)),
            escape(view.version_id(c.other))
        );
        changes(&mut out, view, c, "###");
    }
    out
}

fn title(out: &mut String, view: &View<'_>) {
    let t = if view.story.title.trim().is_empty() {
        "Untitled story".to_owned()
    } else {
        escape(&view.story.title)
    };
    let _ = writeln!(out, "# {t}\n");
}

fn style_note(out: &mut String, view: &View<'_>) {
    if view.diff.hide_style {
        out.push_str(
            "Style-only changes (case, punctuation, quote style, abbreviation dots) are not shown.\n\n",
        );
    }
}

fn versions(out: &mut String, view: &View<'_>, base: VersionIx, vs: &[VersionIx]) {
    // Outlet, date and address columns only when some file gives them.
    let with_meta = vs.iter().any(|&v| view.meta(v).is_some());
    out.push_str("## Versions\n\n| Version | File | Lines |");
    out.push_str(if with_meta {
        " Outlet | Date | Address |\n| --- | --- | --- | --- | --- | --- |\n"
    } else {
        "\n| --- | --- | --- |\n"
    });
    for &v in vs {
        let lines = view
            .article(v)
            .map(|a| describe_span(a.lines.first, a.lines.last))
            .unwrap_or_default();
        let _ = write!(
            out,
            "| {}{} | {} | {} |",
            escape(view.version_id(v)),
            if v == base { " (base)" } else { "" },
            escape(&view.file(v)),
            lines,
        );
        if with_meta {
            let m = view.meta(v);
            let cell = |f: fn(&crate::model::ArticleMeta) -> Option<&String>| {
                m.and_then(f).map_or_else(String::new, |s| escape(s))
            };
            let _ = write!(
                out,
                " {} | {} | {} |",
                cell(|m| m.outlet.as_ref()),
                cell(|m| m.date.as_ref()),
                cell(|m| m.url.as_ref()),
            );
        }
        out.push('\n');
    }
    out.push('\n');
}

fn count_rows(n: &ChangeCounts) -> [(&'static str, usize); 6] {
    [
        ("Spelling", n.spelling),
        ("Style", n.style),
        ("Wording", n.wording),
        ("Added paragraphs", n.added),
        ("Removed paragraphs", n.removed),
        ("Moved paragraphs", n.moved),
    ]
}

/// One subsection per paragraph that is not the same in both versions.
fn changes(out: &mut String, view: &View<'_>, c: &Comparison, h: &str) {
    out.push_str("Removed words are ~~struck through~~, added words are **bold**.\n\n");
    let (base, other) = (c.base, c.other);
    let (b, o) = (view.version_id(base), view.version_id(other));
    let lines = |v: VersionIx, ixs: &[usize]| {
        view.lines(v, ixs)
            .map_or_else(|| "?".to_owned(), |l| describe_lines(l.first, l.last))
    };
    let mut n = 0;
    for row in &c.rows {
        let heading = match row.kind {
            PairKind::Same => continue,
            PairKind::MovedFrom if moved_pair(c, row).is_some() => continue,
            PairKind::Changed => format!(
                "Changed: {} of {} → {} of {}",
                lines(base, &row.base),
                escape(b),
                lines(other, &row.other),
                escape(o)
            ),
            PairKind::Rewritten => format!(
                "Rewritten: {} of {} → {} of {}",
                lines(base, &row.base),
                escape(b),
                lines(other, &row.other),
                escape(o)
            ),
            PairKind::Removed => format!(
                "Removed: {} of {} (not in {})",
                lines(base, &row.base),
                escape(b),
                escape(o)
            ),
            PairKind::Added => format!(
                "Added: {} of {} (not in {})",
                lines(other, &row.other),
                escape(o),
                escape(b)
            ),
            PairKind::MovedTo => match moved_pair(c, row) {
                Some(from) => format!(
                    "Moved: {} of {} → {} of {}",
                    lines(base, &from.base),
                    escape(b),
                    lines(other, &row.other),
                    escape(o)
                ),
                None => format!("Moved: {} of {}", lines(other, &row.other), escape(o)),
            },
            PairKind::MovedFrom => format!(
                "Moved: {} of {} (moved elsewhere in {})",
                lines(base, &row.base),
                escape(b),
                escape(o)
            ),
        };
        n += 1;
        let _ = writeln!(out, "{h} {n}. {heading}\n");
        match (row.kind, &row.diff) {
            (PairKind::Rewritten, d) => {
                let before = d
                    .as_ref()
                    .map_or_else(|| view.joined(base, &row.base), |d| d.old_text.clone());
                let after = d
                    .as_ref()
                    .map_or_else(|| view.joined(other, &row.other), |d| d.new_text.clone());
                let _ = writeln!(
                    out,
                    "Before ({}):\n\n{}\n",
                    escape(b),
                    quote(&escape_block(&before))
                );
                let _ = writeln!(
                    out,
                    "After ({}):\n\n{}\n",
                    escape(o),
                    quote(&escape_block(&after))
                );
            }
            (_, Some(d)) => {
                let _ = writeln!(out, "{}\n", quote(&render_inline(d)));
                word_list(out, d);
            }
            (PairKind::Added | PairKind::MovedTo, None) => {
                let _ = writeln!(
                    out,
                    "{}\n",
                    quote(&escape_block(&view.joined(other, &row.other)))
                );
            }
            (_, None) => {
                let _ = writeln!(
                    out,
                    "{}\n",
                    quote(&escape_block(&view.joined(base, &row.base)))
                );
            }
        }
    }
    if n == 0 {
        out.push_str("No differences in the body text.\n\n");
    }
}

/// The MovedFrom/MovedTo row that is the other half of this moved paragraph.
fn moved_pair<'c>(c: &'c Comparison, row: &PairRow) -> Option<&'c PairRow> {
    let other = c.rows.get(row.counterpart?)?;
    matches!(
        (row.kind, other.kind),
        (PairKind::MovedTo, PairKind::MovedFrom) | (PairKind::MovedFrom, PairKind::MovedTo)
    )
    .then_some(other)
}

fn describe_span(first: u32, last: u32) -> String {
    if first == last {
        first.to_string()
    } else {
        format!("{first}–{last}")
    }
}

fn describe_lines(first: u32, last: u32) -> String {
    if first == last {
        format!("line {first}")
    } else {
        format!("lines {first}–{last}")
    }
}

/// `text` as a block quote; each of its lines (the paragraphs of a merge) on a line of its own.
fn quote(text: &str) -> String {
    let lines: Vec<String> = text.lines().map(|l| format!("> {l}")).collect();
    // A backslash at the end of a line is a hard line break.
    lines.join("\\\n")
}

/// "- spelling: `Ashtinai` → `Ashtiani`" for each word change.
fn word_list(out: &mut String, d: &WordDiff) {
    if d.changes.is_empty() {
        return;
    }
    for ch in &d.changes {
        let old = d.old_text.get(ch.old.clone()).unwrap_or("").trim();
        let new = d.new_text.get(ch.new.clone()).unwrap_or("").trim();
        let what = match (old.is_empty(), new.is_empty()) {
            (true, true) => continue,
            (true, false) => format!("added {}", code_span(new)),
            (false, true) => format!("removed {}", code_span(old)),
            (false, false) => format!("{} → {}", code_span(old), code_span(new)),
        };
        let _ = writeln!(out, "- {}: {what}", super::kind_label(ch.kind));
    }
    out.push('\n');
}

/// `text` as a code span: shown exactly as it is, whatever characters it holds.
fn code_span(text: &str) -> String {
    let text: String = crate::sanitize::for_text_file(text)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // A space on each side lets the span start or end with a backtick; Markdown strips it.
    if text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Removed,
    Added,
}

/// The word diff as one Markdown text: removed words struck, added words bold.
fn render_inline(d: &WordDiff) -> String {
    let segments: Vec<(Style, String)> = inline(d)
        .into_iter()
        .map(|p| match p {
            Inline::Kept(t) => (Style::Plain, t.to_owned()),
            Inline::Removed(_, parts) => (Style::Removed, parts.iter().map(|(_, t)| *t).collect()),
            Inline::Added(_, parts) => (Style::Added, parts.iter().map(|(_, t)| *t).collect()),
        })
        .collect();
    let mut out = String::new();
    for (i, (style, text)) in segments.iter().enumerate() {
        if *style == Style::Plain {
            out.push_str(&escape_at(text, out.is_empty() || out.ends_with('\n')));
            continue;
        }
        let core = text.trim();
        let lead = &text[..text.len() - text.trim_start().len()];
        let trail = &text[text.trim_end().len()..];
        if core.is_empty() {
            // A removed space is invisible; an added one is kept as a space.
            if *style == Style::Added {
                out.push_str(text);
            }
            continue;
        }
        out.push_str(lead);
        let delim = if *style == Style::Removed { "~~" } else { "**" };
        let next = segments.get(i + 1).map(|(s, t)| match s {
            Style::Plain => t.chars().next(),
            _ => t.chars().next().filter(|c| c.is_whitespace()).or(Some('*')),
        });
        let next = if trail.is_empty() {
            next.flatten()
        } else {
            Some(' ')
        };
        let prev = out.chars().last();
        let body = escape_at(core, out.is_empty() || out.ends_with('\n'));
        if flanks(prev, core, next) {
            let _ = write!(out, "{delim}{body}{delim}");
        } else {
            let tag = if *style == Style::Removed {
                "del"
            } else {
                "ins"
            };
            let _ = write!(out, "<{tag}>{body}</{tag}>");
        }
        out.push_str(trail);
    }
    out
}

/// Whether `~~`/`**` around `core` open and close emphasis by CommonMark's flanking rules.
fn flanks(prev: Option<char>, core: &str, next: Option<char>) -> bool {
    let outer = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || is_punct(c));
    let (Some(first), Some(last)) = (core.chars().next(), core.chars().last()) else {
        return false;
    };
    let opens = !is_punct(first) || outer(prev);
    let closes = !is_punct(last) || outer(next);
    opens && closes
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation() || (!c.is_alphanumeric() && !c.is_whitespace())
}

/// `text` with every Markdown-active character escaped, inside a line.
pub(crate) fn escape(text: &str) -> String {
    escape_at(text, false)
}

/// `text` escaped as the start of a paragraph, where `-`, `+` and `1.` would start a list.
fn escape_block(text: &str) -> String {
    escape_at(text, true)
}

/// Escape `text`; `line_start` says whether it starts a line, where `-`, `+`, `1.` start lists.
fn escape_at(text: &str, line_start: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut at_start = line_start;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if at_start && c == ' ' {
            // Leading spaces would make an indented code block.
            continue;
        }
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '-' | '+' | '=' | '!' if at_start => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => {
                out.push('\n');
                at_start = true;
                continue;
            }
            c if crate::sanitize::is_unsafe(c) => {
                out.push_str(&crate::sanitize::for_text_file(c.encode_utf8(&mut [0; 4])));
            }
            c if at_start && c.is_ascii_digit() => {
                out.push(c);
                while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    out.push(d);
                    chars.next();
                }
                if let Some(&p) = chars.peek().filter(|p| matches!(p, '.' | ')')) {
                    out.push('\\');
                    out.push(p);
                    chars.next();
                }
            }
            c => out.push(c),
        }
        at_start = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;
    use crate::diff::DiffOptions;

    #[test]
    fn report_has_its_sections() {
        let (corpus, st, opts) = (fixture::corpus(), fixture::story(), DiffOptions::default());
        let view = View {
            corpus: &corpus,
            story: &st,
            show_furniture: false,
            diff: &opts,
        };
        let md = pair(&view, &fixture::comparison());
        assert!(md.starts_with("# Iran \\& China \\<talks\\>\n"), "{md}");
        for s in [
            "## Versions",
            "## Summary",
            "## Changes",
            "| Spelling | 1 |",
            "| **Total** | **6** |",
        ] {
            assert!(md.contains(s), "missing {s}\n{md}");
        }
        assert!(
            md.contains("### 1. Moved: line 11 of a → line 3 of b/2"),
            "{md}"
        );
        assert!(
            md.contains("### 2. Changed: line 7 of a → line 7 of b/2"),
            "{md}"
        );
        assert!(
            md.contains("~~Gen.~~ Mohammad Reza ~~Ashtinai~~**Ashtiani**"),
            "{md}"
        );
        assert!(md.contains("- spelling: `Ashtinai` → `Ashtiani`"), "{md}");
        assert!(md.contains("### 3. Removed: line 9 of a (not in b/2)"));
        assert!(md.contains("\\<script\\>alert(1)\\</script\\>"));
        assert!(
            md.contains(
                "> \\- A new paragraph \\*with\\* markdown\\_chars \\& \\[links\\] \\`code\\`."
            ),
            "{md}"
        );
        assert!(!md.contains("### 5."));
        // A lone "." right after a letter cannot be struck with `~~`: it falls back to <del>.
        assert!(md.contains("Indian Ocean<del>.</del>**!**"), "{md}");
    }

    #[test]
    fn escaping_blocks_lists_and_code() {
        assert_eq!(escape_block("1. first"), "1\\. first");
        assert_eq!(escape_block("    code"), "code");
        assert_eq!(escape_block("a\n- b"), "a\n\\- b");
        assert_eq!(escape("- mid"), "- mid");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x"), "`` `x ``");
        assert_eq!(quote("one\ntwo"), "> one\\\n> two");
    }
}
