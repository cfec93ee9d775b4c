//! Comparisons and alignments → one self-contained HTML page.
//!
//! In: a [`Comparison`] (two versions side by side) or an [`Alignment`]
//! (a column per version). Out: a page with inline CSS only (no script, no
//! fetch: a Content-Security-Policy forbids both), highlighting what the
//! interface highlights: removed words on the left, added words on the right,
//! spelling, style and wording changes told apart by class and legend, the
//! differing letters of a spelling change emphasised, moved paragraphs
//! linked to their other place. Readable in light and dark mode and on
//! paper. Every piece of text from the corpus is escaped.

use std::fmt::Write as _;

use super::{Inline, Mark, Piece, View, inline, kind_label, new_marks, old_marks, pieces};
use crate::model::{
    Alignment, Cell, CellStatus, Comparison, PairKind, PairRow, Role, RowKind, VersionIx, WordDiff,
};

/// The two-version page.
pub fn pair(view: &View<'_>, c: &Comparison) -> String {
    let (base, other) = (c.base, c.other);
    let mut body = String::new();
    let _ = write!(
        body,
        "<header><h1 dir=\"auto\">{}</h1>\n<p class=\"meta\">Story <code>{}</code>: version <b>{}</b> \
         (base, <span class=\"file\">{}</span>) compared with version <b>{}</b> \
         (<span class=\"file\">{}</span>).</p>\n",
        esc(&view.story.title),
        esc(&view.story.id),
        esc(view.version_id(base)),
        esc(&view.file(base)),
        esc(view.version_id(other)),
        esc(&view.file(other)),
    );
    let n = c.counts();
    let _ = writeln!(
        body,
        "<ul class=\"counts\"><li><b>{}</b> spelling</li><li><b>{}</b> style</li>\
         <li><b>{}</b> wording</li><li><b>{}</b> added</li><li><b>{}</b> removed</li>\
         <li><b>{}</b> moved</li></ul>",
        n.spelling, n.style, n.wording, n.added, n.removed, n.moved
    );
    notes(&mut body, view);
    legend(&mut body);
    body.push_str("</header>\n<main>\n<table class=\"pair\">\n<colgroup><col class=\"ln\"><col><col class=\"ln\"><col></colgroup>\n");
    let _ = writeln!(
        body,
        "<thead><tr><th class=\"ln\">Line</th><th>{}</th><th class=\"ln\">Line</th><th>{}</th></tr></thead>\n<tbody>",
        version_heading(view, base, true),
        version_heading(view, other, false),
    );

    let firsts: Vec<Vec<Option<usize>>> = c
        .rows
        .iter()
        .map(|r| vec![r.base.iter().min().copied(), r.other.iter().min().copied()])
        .collect();
    let slots = interleave(&firsts, &[extras(view, base), extras(view, other)]);
    for (i, row) in c.rows.iter().enumerate() {
        extra_rows(&mut body, view, &[base, other], &slots[i], true);
        pair_row(&mut body, view, c, i, row);
    }
    if let Some(last) = slots.last() {
        extra_rows(&mut body, view, &[base, other], last, true);
    }
    body.push_str("</tbody>\n</table>\n</main>\n");
    footer(&mut body);
    let title = format!(
        "{} — {} vs {}",
        view.story.title,
        view.version_id(base),
        view.version_id(other)
    );
    page(&title, &body)
}

fn pair_row(out: &mut String, view: &View<'_>, c: &Comparison, i: usize, row: &PairRow) {
    let (base, other) = (c.base, c.other);
    let counterpart = row.counterpart.and_then(|j| c.rows.get(j).map(|r| (j, r)));
    let class = match row.kind {
        PairKind::Same => "same",
        PairKind::Changed => "changed",
        PairKind::Rewritten => "rewritten",
        PairKind::Added => "added",
        PairKind::Removed => "removed",
        PairKind::MovedFrom => "moved-from",
        PairKind::MovedTo => "moved-to",
    };
    let lines = |v: VersionIx, ixs: &[usize]| {
        view.lines(v, ixs)
            .map(|l| l.to_string())
            .unwrap_or_default()
    };
    let plain = |v: VersionIx, ixs: &[usize]| text_html(&view.joined(v, ixs));
    let (left, right) = match row.kind {
        PairKind::Same => (plain(base, &row.base), plain(other, &row.other)),
        PairKind::Changed => match &row.diff {
            Some(d) => (
                marked(&d.old_text, &old_marks(d), "del"),
                marked(&d.new_text, &new_marks(d), "ins"),
            ),
            None => (plain(base, &row.base), plain(other, &row.other)),
        },
        PairKind::Rewritten => (
            format!(
                "<span class=\"badge\">rewritten</span>{}",
                plain(base, &row.base)
            ),
            format!(
                "<span class=\"badge\">rewritten</span>{}",
                plain(other, &row.other)
            ),
        ),
        PairKind::Removed => (
            format!(
                "<span class=\"badge\">removed</span>{}",
                plain(base, &row.base)
            ),
            String::new(),
        ),
        PairKind::Added => (
            String::new(),
            format!(
                "<span class=\"badge\">added</span>{}",
                plain(other, &row.other)
            ),
        ),
        PairKind::MovedFrom => {
            let marker = match counterpart {
                Some((j, r)) => format!(
                    "<span class=\"marker\">↘ moved: now at <a href=\"#r{j}\">line {} of {}</a></span>",
                    esc(&lines(other, &r.other)),
                    esc(view.version_id(other))
                ),
                None => format!(
                    "<span class=\"marker\">↘ moved elsewhere in {}</span>",
                    esc(view.version_id(other))
                ),
            };
            let text = match counterpart.and_then(|(_, r)| r.diff.as_ref()) {
                Some(d) => marked(&d.old_text, &old_marks(d), "del"),
                None => plain(base, &row.base),
            };
            (format!("{marker}{text}"), String::new())
        }
        PairKind::MovedTo => {
            let marker = match counterpart {
                Some((j, r)) => format!(
                    "<span class=\"marker\">↗ moved here from <a href=\"#r{j}\">line {} of {}</a></span>",
                    esc(&lines(base, &r.base)),
                    esc(view.version_id(base))
                ),
                None => "<span class=\"marker\">↗ moved here</span>".to_owned(),
            };
            let text = match &row.diff {
                Some(d) => marked(&d.new_text, &new_marks(d), "ins"),
                None => plain(other, &row.other),
            };
            (String::new(), format!("{marker}{text}"))
        }
    };
    let cell = |html: String, side: &str| {
        if html.is_empty() {
            "<td class=\"gap\"></td>".to_owned()
        } else {
            format!("<td class=\"{side}\" dir=\"auto\">{html}</td>")
        }
    };
    let _ = writeln!(
        out,
        "<tr id=\"r{i}\" class=\"{class}\"><td class=\"ln\">{}</td>{}<td class=\"ln\">{}</td>{}</tr>",
        esc(&lines(base, &row.base)),
        cell(left, "old"),
        esc(&lines(other, &row.other)),
        cell(right, "new"),
    );
}

/// The page with a column per version.
pub fn story(view: &View<'_>, a: &Alignment) -> String {
    story_with(view, a, &|old, new| {
        crate::diff::word_diff(old, new, view.diff)
    })
}

/// As [`story`], with the word diff given (tests use a fixed one).
pub(crate) fn story_with(
    view: &View<'_>,
    a: &Alignment,
    word_diff: &dyn Fn(&str, &str) -> WordDiff,
) -> String {
    let n = view.story.versions.len();
    let all: Vec<VersionIx> = (0..n).collect();
    let mut body = String::new();
    let _ = writeln!(
        body,
        "<header><h1 dir=\"auto\">{}</h1>\n<p class=\"meta\">Story <code>{}</code>: all {n} versions, \
         aligned paragraph by paragraph; changes are shown against version <b>{}</b> (base).</p>",
        esc(&view.story.title),
        esc(&view.story.id),
        esc(view.version_id(a.base)),
    );
    notes(&mut body, view);
    legend(&mut body);
    body.push_str("</header>\n<main>\n<table class=\"story\">\n<thead><tr>");
    for v in 0..n {
        let _ = write!(body, "<th>{}</th>", version_heading(view, v, v == a.base));
    }
    body.push_str("</tr></thead>\n<tbody>\n");

    let firsts: Vec<Vec<Option<usize>>> = a
        .rows
        .iter()
        .map(|r| {
            (0..n)
                .map(|v| {
                    r.cells
                        .get(v)
                        .and_then(Option::as_ref)
                        .and_then(|c| c.paragraphs.iter().min().copied())
                })
                .collect()
        })
        .collect();
    let extra: Vec<Vec<usize>> = (0..n).map(|v| extras(view, v)).collect();
    let slots = interleave(&firsts, &extra);
    let merged = a.merged_cells();
    for (i, row) in a.rows.iter().enumerate() {
        extra_rows(&mut body, view, &all, &slots[i], false);
        let class = match row.kind {
            RowKind::Same => "same",
            RowKind::Changed => "changed",
            RowKind::Partial => "partial",
            RowKind::Moved => "moved",
        };
        let _ = write!(body, "<tr id=\"r{i}\" class=\"{class}\">");
        let base_cell = row.cells.get(a.base).and_then(Option::as_ref);
        for v in 0..n {
            let cell = row.cells.get(v).and_then(Option::as_ref);
            if cell.is_none()
                && let Some(&k) = merged.get(&(i, v))
            {
                let _ = write!(
                    body,
                    "<td class=\"gap\"><span class=\"marker\">merged into <a href=\"#r{k}\">row {}</a></span></td>",
                    k + 1
                );
                continue;
            }
            story_cell(&mut body, view, a.base, base_cell, v, cell, word_diff);
        }
        body.push_str("</tr>\n");
    }
    if let Some(last) = slots.last() {
        extra_rows(&mut body, view, &all, last, false);
    }
    body.push_str("</tbody>\n</table>\n</main>\n");
    footer(&mut body);
    let title = format!("{} — all versions", view.story.title);
    page(&title, &body)
}

fn story_cell(
    out: &mut String,
    view: &View<'_>,
    base: VersionIx,
    base_cell: Option<&Cell>,
    v: VersionIx,
    cell: Option<&Cell>,
    word_diff: &dyn Fn(&str, &str) -> WordDiff,
) {
    let Some(cell) = cell else {
        out.push_str("<td class=\"gap\" title=\"not in this version\"></td>");
        return;
    };
    let (status, badge) = match cell.status {
        CellStatus::Base => ("base", ""),
        CellStatus::Same => ("same", ""),
        CellStatus::Changed => ("changed", ""),
        CellStatus::Added => ("added", "<span class=\"badge\">added</span>"),
    };
    let lines = view
        .lines(v, &cell.paragraphs)
        .map(|l| l.to_string())
        .unwrap_or_default();
    let text = view.joined(v, &cell.paragraphs);
    let html = match (cell.status, base_cell) {
        (CellStatus::Changed, Some(b)) if v != base => {
            let d = word_diff(&view.joined(base, &b.paragraphs), &text);
            inline_html(&d)
        }
        _ => text_html(&text),
    };
    let marker = match cell.moved {
        Some(m) => match m.after_row {
            Some(r) => format!(
                "<span class=\"marker\">↕ moved: paragraph {} of this version, after <a href=\"#r{r}\">row {}</a></span>",
                m.position,
                r + 1
            ),
            None => format!(
                "<span class=\"marker\">↕ moved: paragraph {} of this version, first</span>",
                m.position
            ),
        },
        None => String::new(),
    };
    let _ = write!(
        out,
        "<td class=\"{status}\" dir=\"auto\"><span class=\"ln\">{}</span>{marker}{badge}{html}</td>",
        esc(&lines)
    );
}

/// The paragraphs of a version shown though never aligned: headlines, captions, and
/// furniture when the user shows it; in file order.
fn extras(view: &View<'_>, v: VersionIx) -> Vec<usize> {
    let Some(a) = view.article(v) else {
        return Vec::new();
    };
    a.paragraphs
        .iter()
        .enumerate()
        .filter(|(_, p)| match p.role {
            Role::Body | Role::Heading => false,
            Role::Headline | Role::Caption => true,
            Role::Furniture(_) => view.show_furniture,
        })
        .map(|(i, _)| i)
        .collect()
}

/// Where each column's extra paragraphs go: `slots[r][c]` are the extras of
/// column `c` shown just before row `r`, `slots[rows]` those after the last
/// row. An extra goes before the first row from which on every row's
/// paragraph in that column comes after it in the file, so it stays in file
/// order even among moved rows, and the versions' headlines share a row.
fn interleave(firsts: &[Vec<Option<usize>>], extras: &[Vec<usize>]) -> Vec<Vec<Vec<usize>>> {
    let cols = extras.len();
    // later[r][c]: the first paragraph of column c in rows r.. (MAX: none).
    let mut later = vec![vec![usize::MAX; cols]];
    for row in firsts.iter().rev() {
        let after = &later[later.len() - 1];
        let here: Vec<usize> = (0..cols)
            .map(|c| {
                row.get(c)
                    .copied()
                    .flatten()
                    .unwrap_or(usize::MAX)
                    .min(after[c])
            })
            .collect();
        later.push(here);
    }
    later.reverse();
    let mut next = vec![0; cols];
    let mut slots = Vec::with_capacity(firsts.len() + 1);
    for row_later in later.iter().take(firsts.len()) {
        let mut slot = vec![Vec::new(); cols];
        for c in 0..cols {
            while let Some(&e) = extras[c].get(next[c]).filter(|&&e| e < row_later[c]) {
                slot[c].push(e);
                next[c] += 1;
            }
        }
        slots.push(slot);
    }
    slots.push((0..cols).map(|c| extras[c][next[c]..].to_vec()).collect());
    slots
}

/// One table row per extra paragraph, the columns' extras side by side.
fn extra_rows(
    out: &mut String,
    view: &View<'_>,
    versions: &[VersionIx],
    slot: &[Vec<usize>],
    line_columns: bool,
) {
    let height = slot.iter().map(Vec::len).max().unwrap_or(0);
    for k in 0..height {
        out.push_str("<tr class=\"extra\">");
        for (c, &v) in versions.iter().enumerate() {
            let p = slot
                .get(c)
                .and_then(|s| s.get(k))
                .and_then(|&i| view.article(v)?.paragraphs.get(i));
            let Some(p) = p else {
                if line_columns {
                    out.push_str("<td class=\"ln\"></td>");
                }
                out.push_str("<td></td>");
                continue;
            };
            let (class, badge) = match p.role {
                Role::Headline => ("headline", String::new()),
                Role::Caption => ("caption", "<span class=\"badge\">caption</span>".to_owned()),
                Role::Furniture(k) => (
                    "furniture",
                    format!(
                        "<span class=\"badge\">{}</span>",
                        esc(&k.name().replace('_', " "))
                    ),
                ),
                Role::Body | Role::Heading => ("", String::new()),
            };
            let lines = esc(&p.lines.to_string());
            if line_columns {
                let _ = write!(out, "<td class=\"ln\">{lines}</td>");
                let _ = write!(
                    out,
                    "<td class=\"{class}\" dir=\"auto\">{badge}{}</td>",
                    text_html(&p.text)
                );
            } else {
                let _ = write!(
                    out,
                    "<td class=\"{class}\" dir=\"auto\"><span class=\"ln\">{lines}</span>{badge}{}</td>",
                    text_html(&p.text)
                );
            }
        }
        out.push_str("</tr>\n");
    }
}

fn version_heading(view: &View<'_>, v: VersionIx, base: bool) -> String {
    let lines = view
        .article(v)
        .map(|a| a.lines.to_string())
        .unwrap_or_default();
    // The outlet, date and address a page or record gives, as plain text.
    let source = view.meta(v).map_or_else(String::new, |m| {
        let parts: Vec<&str> = [&m.outlet, &m.date, &m.url]
            .into_iter()
            .filter_map(|x| x.as_deref())
            .collect();
        format!(" <span class=\"file\">{}</span>", esc(&parts.join(" · ")))
    });
    format!(
        "{}{} <span class=\"file\">{}, lines {}</span>{source}",
        esc(view.version_id(v)),
        if base {
            " <span class=\"badge\">base</span>"
        } else {
            ""
        },
        esc(&view.file(v)),
        esc(&lines),
    )
}

fn notes(out: &mut String, view: &View<'_>) {
    let mut notes = Vec::new();
    if view.diff.hide_style {
        notes.push("style-only changes are hidden");
    }
    notes.push(if view.show_furniture {
        "page furniture is shown, dimmed"
    } else {
        "page furniture is hidden"
    });
    let _ = writeln!(
        out,
        "<p class=\"meta\">In this export {}.</p>",
        notes.join("; ")
    );
}

fn legend(out: &mut String) {
    out.push_str(
        "<p class=\"legend\"><span class=\"key\"><del class=\"wording\">removed</del> \
         <ins class=\"wording\">added</ins> wording</span> \
         <span class=\"key\"><del class=\"spelling\">Ashti<em>na</em>i</del> \
         <ins class=\"spelling\">Ashti<em>an</em>i</ins> spelling (changed letters emphasised)</span> \
         <span class=\"key\"><del class=\"style\">US</del> <ins class=\"style\">U.S.</ins> style only</span> \
         <span class=\"key\"><span class=\"marker\">↕ moved</span> paragraph at another place</span> \
         <span class=\"key\"><span class=\"badge\">added</span><span class=\"badge\">removed</span>whole paragraph</span></p>\n",
    );
}

fn footer(out: &mut String) {
    let _ = writeln!(
        out,
        "<footer>Made with storydiff {}. Lines are counted in each file as it is on disk.</footer>",
        env!("CARGO_PKG_VERSION")
    );
}

/// Text with its highlights, each in a `<del>`/`<ins>` whose class names the kind of change.
fn marked(text: &str, marks: &[Mark], tag: &str) -> String {
    let mut out = String::new();
    for p in pieces(text, marks) {
        match p {
            Piece::Plain(t) => out.push_str(&text_html(t)),
            Piece::Marked(kind, parts) => highlight(&mut out, tag, kind_label(kind), &parts),
        }
    }
    out
}

/// A word diff as one text: removed words struck where they stood, added words marked.
fn inline_html(d: &WordDiff) -> String {
    let mut out = String::new();
    for p in inline(d) {
        match p {
            Inline::Kept(t) => out.push_str(&text_html(t)),
            Inline::Removed(kind, parts) => highlight(&mut out, "del", kind_label(kind), &parts),
            Inline::Added(kind, parts) => highlight(&mut out, "ins", kind_label(kind), &parts),
        }
    }
    out
}

/// `parts` in a `<tag class=…>`; spaces at either end stay outside, where they
/// would only show as a stray coloured gap.
fn highlight(out: &mut String, tag: &str, class: &str, parts: &[(bool, &str)]) {
    let mut parts: Vec<(bool, &str)> = parts.to_vec();
    let mut lead = "";
    let mut trail = "";
    if let Some((false, first)) = parts.first_mut() {
        let t = first.trim_start();
        lead = &first[..first.len() - t.len()];
        *first = t;
    }
    if let Some((false, last)) = parts.last_mut() {
        let t = last.trim_end();
        trail = &last[t.len()..];
        *last = t;
    }
    parts.retain(|(_, t)| !t.is_empty());
    out.push_str(&text_html(lead));
    if !parts.is_empty() {
        let _ = write!(out, "<{tag} class=\"{class}\">");
        for (emphasised, t) in parts {
            if emphasised {
                let _ = write!(out, "<em>{}</em>", text_html(t));
            } else {
                out.push_str(&text_html(t));
            }
        }
        let _ = write!(out, "</{tag}>");
    }
    out.push_str(&text_html(trail));
}

/// Escaped text, a newline (between merged paragraphs) shown as a line break.
fn text_html(s: &str) -> String {
    esc(s).replace('\n', "<br>")
}

/// `s` safe anywhere in HTML text or a quoted attribute. Control characters,
/// which HTML forbids, and bidi controls, which could reorder what the page
/// shows, become the visible placeholders the terminal shows (`␛`,
/// `⟨U+202E⟩`); newlines and tabs are kept.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            '\r' => {}
            c if crate::sanitize::is_unsafe(c) => {
                out.push_str(&crate::sanitize::for_text_file(c.encode_utf8(&mut [0; 4])));
            }
            c => out.push(c),
        }
    }
    out
}

const LIGHT: &str = "--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--border:#d1d9e0;--head:#f6f8fa;\
--del-bg:#ffd7d5;--del-fg:#82071e;--ins-bg:#c8f5d3;--ins-fg:#0b5020;\
--sp-bg:#ffe58f;--sp-fg:#5c3b00;--st-bg:#dbe9ff;--st-fg:#0a3069;\
--row-add:#effcf2;--row-del:#fff3f2;--row-mv:#f4efff;--mv-fg:#6639ba;--gap:#f3f4f6;--furn:#6e7781;";

const DARK: &str = "--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--border:#30363d;--head:#161b22;\
--del-bg:#5c1a1f;--del-fg:#ffcfcb;--ins-bg:#0f4a25;--ins-fg:#b4f1c4;\
--sp-bg:#5a4300;--sp-fg:#ffe8a3;--st-bg:#102f5c;--st-fg:#cfe3ff;\
--row-add:#0c1f13;--row-del:#25100f;--row-mv:#1b1430;--mv-fg:#c9a7ff;--gap:#161b22;--furn:#8b949e;";

const CSS: &str = "
body{margin:0;padding:1.25rem 1.5rem;background:var(--bg);color:var(--fg);font:15px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif}
h1{font-size:1.45rem;line-height:1.25;margin:0 0 .3rem}
code{font-family:ui-monospace,'SFMono-Regular',Menlo,Consolas,monospace;font-size:.9em}
.meta{color:var(--muted);margin:.2rem 0}
.file{color:var(--muted);font-weight:normal;font-size:.85em;overflow-wrap:anywhere}
.counts{list-style:none;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;padding:0;margin:.6rem 0}
.legend{display:flex;flex-wrap:wrap;gap:.4rem 1.4rem;font-size:.85em;color:var(--muted);margin:.6rem 0 1rem}
.legend .key{white-space:nowrap}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th,td{border-top:1px solid var(--border);padding:.45rem .6rem;vertical-align:top;text-align:left;overflow-wrap:anywhere}
thead th{position:sticky;top:0;z-index:1;background:var(--head);border-bottom:2px solid var(--border)}
col.ln{width:4.2em}
td.ln,th.ln{color:var(--muted);text-align:right;font-variant-numeric:tabular-nums;font-size:.85em;white-space:nowrap}
span.ln{float:right;margin-left:.6em;color:var(--muted);font-size:.8em;font-variant-numeric:tabular-nums}
del,ins{border-radius:3px;padding:0 .12em;-webkit-box-decoration-break:clone;box-decoration-break:clone}
del{text-decoration:line-through;text-decoration-thickness:1px}
ins{text-decoration:none}
del.wording{background:var(--del-bg);color:var(--del-fg)}
ins.wording{background:var(--ins-bg);color:var(--ins-fg)}
del.spelling,ins.spelling{background:var(--sp-bg);color:var(--sp-fg)}
del.style,ins.style{background:var(--st-bg);color:var(--st-fg)}
ins.style{text-decoration:underline dotted}
del em,ins em{font-style:normal;font-weight:700;text-decoration:underline;text-decoration-thickness:2px}
tr.added td.new,tr.rewritten td.new,td.added{background:var(--row-add)}
tr.removed td.old,tr.rewritten td.old{background:var(--row-del)}
tr.moved-from td.old,tr.moved-to td.new,tr.moved td.changed,tr.moved td.same{background:var(--row-mv)}
td.gap{background:var(--gap)}
tr.extra td{color:var(--furn);font-size:.92em}
td.headline{font-weight:600;color:var(--fg)!important}
td.furniture{font-style:italic}
.badge{display:inline-block;font-size:.72em;line-height:1.5;padding:0 .45em;margin-right:.45em;border:1px solid currentColor;border-radius:1em;color:var(--muted);font-weight:normal;vertical-align:.08em}
.marker{display:block;font-size:.82em;color:var(--mv-fg);margin-bottom:.15em}
.marker a{color:inherit}
.legend .marker{display:inline}
footer{margin-top:1.2rem;font-size:.8em;color:var(--muted)}
";

const PRINT: &str = "
@media print{
body{padding:0;font-size:9.5pt}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
thead{display:table-header-group}
thead th{position:static}
tr{break-inside:avoid}
ins{text-decoration:underline}
a{color:inherit;text-decoration:none}
}
";

/// The whole document around `body`.
fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <meta name=\"generator\" content=\"storydiff\">\n\
         <title>{}</title>\n<style>\n:root{{color-scheme:light dark;{LIGHT}}}\n\
         @media (prefers-color-scheme: dark){{:root{{{DARK}}}}}\n{CSS}{PRINT}\
         @media print{{:root{{color-scheme:light;{LIGHT}}}}}\n</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        esc(title)
    )
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;
    use crate::diff::DiffOptions;

    fn view<'a>(
        corpus: &'a crate::model::Corpus,
        story: &'a crate::model::Story,
        opts: &'a DiffOptions,
        furniture: bool,
    ) -> View<'a> {
        View {
            corpus,
            story,
            show_furniture: furniture,
            diff: opts,
        }
    }

    #[test]
    fn pair_page_escapes_and_highlights() {
        let (corpus, st, opts) = (fixture::corpus(), fixture::story(), DiffOptions::default());
        let html = pair(&view(&corpus, &st, &opts, false), &fixture::comparison());
        assert!(
            html.contains("<del class=\"spelling\">Ashti<em>na</em>i</del>"),
            "{html}"
        );
        assert!(html.contains("<ins class=\"spelling\">Ashti<em>an</em>i</ins>"));
        assert!(
            html.contains("<del class=\"wording\">Gen.</del> "),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<script"));
        assert!(html.contains("Iran &amp; China &lt;talks&gt;"));
        assert!(html.contains("corpus/b &lt;&amp;&gt;.txt"));
        assert!(html.contains("href=\"#r4\">line 11 of a</a>"), "{html}");
        assert!(html.contains("href=\"#r0\">line 3 of b/2</a>"));
        assert!(!html.contains(">TT<"), "furniture hidden");
        let shown = pair(&view(&corpus, &st, &opts, true), &fixture::comparison());
        assert!(shown.contains("boilerplate</span>TT</td>"), "{shown}");
    }

    #[test]
    fn story_page_has_a_column_per_version() {
        let (corpus, st, opts) = (fixture::corpus(), fixture::story(), DiffOptions::default());
        let diff = |old: &str, new: &str| WordDiff {
            old_text: old.to_owned(),
            new_text: new.to_owned(),
            changes: Vec::new(),
            hidden: Vec::new(),
            ratio: 0.0,
        };
        let html = story_with(
            &view(&corpus, &st, &opts, true),
            &fixture::alignment(),
            &diff,
        );
        assert_eq!(html.matches("<th>").count(), 2);
        assert!(html.contains("<td class=\"gap\" title=\"not in this version\"></td>"));
        assert!(html.contains("moved: paragraph 1 of this version, first"));
        assert!(html.contains(
            "<td class=\"headline\" dir=\"auto\"><span class=\"ln\">1</span>Iran &amp; China"
        ));
    }

    #[test]
    fn interleave_places_extras_before_their_row() {
        let firsts = vec![
            vec![None, Some(1)],
            vec![Some(2), Some(2)],
            vec![Some(5), None],
        ];
        let slots = interleave(&firsts, &[vec![0, 1, 3, 9], vec![0, 4]]);
        assert_eq!(slots[0], vec![vec![0, 1], vec![0]]);
        assert!(slots[1].iter().all(Vec::is_empty));
        assert_eq!(slots[2], vec![vec![3], vec![4]]);
        assert_eq!(slots[3], vec![vec![9], Vec::<usize>::new()]);
    }
}
