//! Text → raw paragraphs, by layout alone (no roles yet).
//!
//! In: a file's decoded text. Out: its lines (LF, CRLF and CR-only newlines,
//! numbered as on disk) grouped into [`RawPara`]s: blank lines separate
//! blocks; inside a block, hard-wrapped prose is joined into one paragraph
//! while one-paragraph-per-line text stays split; Markdown structure
//! (front matter, `#` headings, list items, table rows, comments, code
//! fences) gives paragraphs of their own. Every step is linear in the text.

/// One line of the file, without its line ending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number, as on disk.
    pub no: u32,
    pub text: &'a str,
}

impl Line<'_> {
    fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// What a raw paragraph looks like on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Ordinary text.
    Plain,
    /// `#` to `######` (level 1 to 6), or a Setext heading in Markdown.
    Heading(u8),
    /// A list item (`*`, `-`, `+`, `•`, `1.`, `1)`), marker removed, continuation lines joined.
    ListItem,
    /// A table row (`| a | b |`).
    TableRow,
    /// A table's `| --- | --- |` line.
    TableRule,
    /// `---` or `+++` front matter.
    FrontMatter,
    /// An HTML comment.
    Comment,
    /// A Markdown link reference definition (`[homepage]: https://…`).
    LinkDef,
    /// A line of a fenced code block.
    Code,
    /// A horizontal rule or code fence line (`***`, `---`, `` ``` ``).
    Rule,
}

/// A paragraph as laid out, before roles are given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPara {
    pub text: String,
    pub first: u32,
    pub last: u32,
    pub shape: Shape,
    /// Blank lines right before the paragraph's first line.
    pub gap_before: u32,
    /// For front matter: its `title`, if it has one.
    pub meta_title: Option<String>,
}

/// Split a text into lines, recognising `\n`, `\r\n` and a lone `\r`.
/// A final line ending does not start another (empty) line.
pub fn split_lines(text: &str) -> Vec<Line<'_>> {
    if text.contains('\r') {
        split_any(text)
    } else {
        split_lf(text)
    }
}

/// [`split_lines`], one byte at a time.
fn split_any(text: &str) -> Vec<Line<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let mut no: u32 = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' | b'\r' => {
                out.push(Line {
                    no,
                    text: &text[start..i],
                });
                no = no.saturating_add(1);
                if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < bytes.len() {
        out.push(Line {
            no,
            text: &text[start..],
        });
    }
    out
}

/// [`split_lines`] of a text with no `\r`, the usual case: the line feeds
/// are found by a fast byte search instead of a look at every byte.
fn split_lf(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut no: u32 = 1;
    let mut rest = text;
    while !rest.is_empty() {
        let (line, next) = rest.split_once('\n').unwrap_or((rest, ""));
        out.push(Line { no, text: line });
        no = no.saturating_add(1);
        rest = next;
    }
    out
}

/// What one line is, inside a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Plain,
    Heading(u8),
    /// A list item: byte offset where its text starts, and its marker's indent.
    ListItem(usize),
    TableRow,
    TableRule,
    Rule,
    LinkDef,
    /// `===` or `---` under a line of text (Markdown only).
    SetextUnderline(u8),
}

fn leading_spaces(s: &str) -> usize {
    s.len() - s.trim_start_matches([' ', '\t']).len()
}

fn is_rule(t: &str) -> bool {
    let t = t.trim();
    let Some(c) = t.chars().next() else {
        return false;
    };
    matches!(c, '-' | '*' | '_' | '=')
        && t.chars().filter(|&x| x == c).count() >= 3
        && t.chars().all(|x| x == c || x == ' ' || x == '\t')
}

fn atx_heading(t: &str) -> Option<(u8, &str)> {
    if leading_spaces(t) > 3 {
        return None;
    }
    let t = t.trim_start();
    let hashes = t.len() - t.trim_start_matches('#').len();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &t[hashes..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let text = rest.trim();
    // A closing run of `#` is not part of the heading.
    let stripped = text.trim_end_matches('#');
    let text = if stripped.is_empty() || stripped.ends_with([' ', '\t']) {
        stripped.trim_end()
    } else {
        text
    };
    Some((hashes as u8, text))
}

/// Byte offset where a list item's text starts, if the line is a list item.
fn list_item(t: &str) -> Option<usize> {
    let indent = leading_spaces(t);
    let rest = &t[indent..];
    let marker_len = if rest.starts_with(['-', '*', '+']) {
        1
    } else if rest.starts_with('•') {
        '•'.len_utf8()
    } else {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if (1..=3).contains(&digits) && rest[digits..].starts_with(['.', ')']) {
            digits + 1
        } else {
            return None;
        }
    };
    let after = &rest[marker_len..];
    let spaces = leading_spaces(after);
    if spaces == 0 || after.trim().is_empty() {
        return None;
    }
    Some(indent + marker_len + spaces)
}

/// `[label]: destination`
fn is_link_def(t: &str) -> bool {
    t.strip_prefix('[')
        .and_then(|r| r.split_once("]:"))
        .is_some_and(|(label, dest)| {
            !label.is_empty() && !label.contains(']') && !dest.trim().is_empty()
        })
}

/// A heading's text without the emphasis wrapped round all of it (`_Title_`).
fn unwrap_emphasis(t: &str) -> &str {
    for m in ["**", "__", "*", "_"] {
        if let Some(inner) = t.strip_prefix(m).and_then(|r| r.strip_suffix(m))
            && !inner.trim().is_empty()
            && !inner.contains(m)
        {
            return inner.trim();
        }
    }
    t
}

fn table_rule(t: &str) -> bool {
    let t = t.trim();
    t.contains('-')
        && t.contains('|')
        && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

fn classify_line(line: &str, markdown: bool, prev_plain: bool) -> LineKind {
    let t = line.trim();
    if let Some((level, text)) = atx_heading(line) {
        // A heading with no words (a lone `#`) only decorates.
        return if unwrap_emphasis(text).is_empty() {
            LineKind::Rule
        } else {
            LineKind::Heading(level)
        };
    }
    if markdown && prev_plain && leading_spaces(line) <= 3 {
        if !t.is_empty() && t.chars().all(|c| c == '=') {
            return LineKind::SetextUnderline(1);
        }
        if t.len() >= 2 && t.chars().all(|c| c == '-') {
            return LineKind::SetextUnderline(2);
        }
    }
    if is_rule(t) {
        return LineKind::Rule;
    }
    if markdown && leading_spaces(line) <= 3 && is_link_def(t) {
        return LineKind::LinkDef;
    }
    if t.starts_with('|') {
        return if table_rule(t) {
            LineKind::TableRule
        } else {
            LineKind::TableRow
        };
    }
    if let Some(start) = list_item(line) {
        return LineKind::ListItem(start);
    }
    LineKind::Plain
}

/// Whether the text looks like Markdown: front matter at the top, or
/// several `#` headings, or a heading together with lists or tables.
pub fn looks_like_markdown(lines: &[Line<'_>]) -> bool {
    if let Some(first) = lines.iter().position(|l| !l.is_blank())
        && front_matter_end(lines, first).is_some()
    {
        return true;
    }
    let (mut headings, mut structure) = (0usize, 0usize);
    for l in lines {
        if atx_heading(l.text).is_some_and(|(_, t)| !t.is_empty()) {
            headings += 1;
        } else if l.text.trim_start().starts_with('|') || list_item(l.text).is_some() {
            structure += 1;
        }
    }
    headings >= 2 || (headings == 1 && structure >= 2)
}

/// If a front matter block (`---`/`+++` … same line, with `key: value` or
/// `key = value` lines) starts at `i`, the index of its closing line.
fn front_matter_end(lines: &[Line<'_>], i: usize) -> Option<usize> {
    let delim = lines[i].text.trim_end();
    if delim != "---" && delim != "+++" {
        return None;
    }
    let first = lines.get(i + 1)?;
    if !is_key_line(first.text) {
        return None;
    }
    lines
        .iter()
        .enumerate()
        .skip(i + 2)
        .take(200)
        .find(|(_, l)| l.text.trim_end() == delim)
        .map(|(j, _)| j)
}

fn is_key_line(t: &str) -> bool {
    let key_len = t
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(t.len());
    key_len > 0
        && t.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && t[key_len..].trim_start().starts_with([':', '='])
}

fn meta_title(lines: &[Line<'_>]) -> Option<String> {
    lines.iter().find_map(|l| {
        let t = l.text.trim();
        let rest = t.strip_prefix("title")?.trim_start();
        let value = rest.strip_prefix(':').or_else(|| rest.strip_prefix('='))?;
        let value = value.trim().trim_matches(['"', '\'']).trim();
        (!value.is_empty()).then(|| value.to_owned())
    })
}

/// Lines of a paragraph joined with single spaces, each trimmed.
fn join<'a>(parts: impl Iterator<Item = &'a str> + Clone) -> String {
    // Sized once: the paragraph is kept as built, so it should not hold the
    // spare room that growing by doubling leaves.
    let len = parts.clone().map(|p| p.trim().len() + 1).sum::<usize>();
    let mut out = String::with_capacity(len.saturating_sub(1));
    for p in parts {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(p);
    }
    out
}

/// Whether a run of plain lines (no blank line, no Markdown structure
/// between them) is prose hard-wrapped at a fixed width, as opposed to
/// one paragraph (or headline, caption…) per line.
///
/// Hard-wrapped lines fill the width: each line is long enough that the
/// next line's first word would not have fit after it.
fn is_hard_wrapped(run: &[&str]) -> bool {
    if run.len() < 2 {
        return false;
    }
    let lens: Vec<usize> = run.iter().map(|l| l.trim().chars().count()).collect();
    let width = lens.iter().copied().max().unwrap_or(0);
    if !(30..=100).contains(&width) {
        return false;
    }
    let pairs = run.len() - 1;
    let mut full = 0;
    let mut continued = 0;
    for i in 0..pairs {
        let next = run[i + 1].trim();
        let next_word = next
            .split_whitespace()
            .next()
            .map_or(0, |w| w.chars().count());
        if lens[i] + 1 + next_word > width {
            full += 1;
        }
        let this = run[i].trim_end();
        if next.starts_with(|c: char| c.is_lowercase())
            || this.ends_with([',', ';', '-', '(', '/'])
            || this.ends_with(" and")
            || this.ends_with(" or")
            || this.ends_with(" the")
        {
            continued += 1;
        }
    }
    // Lines can fill the width by chance (a caption printed twice, a headline
    // over a shorter line); wrapped prose also reads on from line to line,
    // mostly into a lower-case word, where one-sentence lines start with a capital.
    full * 10 >= pairs * 6 && continued * 3 >= pairs && continued > 0
}

/// A file's text laid out in raw paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub paras: Vec<RawPara>,
    /// Whether the text was read as Markdown.
    pub markdown: bool,
    /// For plain text hard-wrapped at a fixed width: that width.
    pub wrap_width: Option<usize>,
}

/// Lay out a whole text.
pub fn layout(text: &str) -> Layout {
    let lines = split_lines(text);
    let markdown = looks_like_markdown(&lines);
    let wrap_width = if markdown { None } else { wrap_width(&lines) };
    Layout {
        paras: build(&lines, markdown, wrap_width),
        markdown,
        wrap_width,
    }
}

/// Group lines into raw paragraphs.
fn build(lines: &[Line<'_>], markdown: bool, wrap: Option<usize>) -> Vec<RawPara> {
    let mut b = Builder {
        lines,
        markdown,
        wrap,
        out: Vec::new(),
        gap: 0,
        run: Vec::new(),
    };
    b.build();
    b.out
}

/// The width a plain-text file is hard-wrapped at, if any of its blocks
/// clearly is: then lines of other blocks that fill that width and read on
/// into a lower-case word are joined too (list items, short paragraphs).
fn wrap_width(lines: &[Line<'_>]) -> Option<usize> {
    let mut width = None;
    for block in lines.split(|l| l.is_blank()) {
        if block.len() < 2 {
            // A line alone is not wrapped: no list of it to build.
            continue;
        }
        let texts: Vec<&str> = block.iter().map(|l| l.text).collect();
        if is_hard_wrapped(&texts) {
            let w = texts.iter().map(|t| t.trim().chars().count()).max();
            width = width.max(w);
        }
    }
    width
}

/// Whether `next` carries on the line `prev` of text wrapped at `width`.
fn carries_on(prev: &str, next: &str, width: usize) -> bool {
    let (prev, next) = (prev.trim(), next.trim());
    let len = prev.chars().count();
    let next_word = next
        .split_whitespace()
        .next()
        .map_or(0, |w| w.chars().count());
    len <= width
        && (len + 1 + next_word > width || prev.ends_with([',', ';']))
        && next.starts_with(|c: char| c.is_lowercase())
        && !prev.ends_with(['.', '!', '?', ':'])
}

struct Builder<'a, 'l> {
    lines: &'l [Line<'a>],
    markdown: bool,
    wrap: Option<usize>,
    out: Vec<RawPara>,
    /// Blank lines seen since the last paragraph.
    gap: u32,
    /// Indices of the pending run of plain lines.
    run: Vec<usize>,
}

impl Builder<'_, '_> {
    fn push(&mut self, text: String, first: u32, last: u32, shape: Shape) {
        self.out.push(RawPara {
            text,
            first,
            last,
            shape,
            gap_before: self.gap,
            meta_title: None,
        });
        self.gap = 0;
    }

    fn build(&mut self) {
        let lines = self.lines;
        let mut i = 0;
        // Whether the current block has a list item that continuation lines attach to.
        let mut in_list = false;
        while i < lines.len() {
            let line = lines[i];
            if line.is_blank() {
                self.flush_run();
                self.gap += 1;
                in_list = false;
                i += 1;
                continue;
            }
            let block_start = i == 0 || lines[i - 1].is_blank();
            if block_start && let Some(end) = front_matter_end(lines, i) {
                self.flush_run();
                let inner = &lines[i + 1..end];
                self.push(
                    join(inner.iter().map(|l| l.text)),
                    line.no,
                    lines[end].no,
                    Shape::FrontMatter,
                );
                if let Some(p) = self.out.last_mut() {
                    p.meta_title = meta_title(inner);
                }
                in_list = false;
                i = end + 1;
                continue;
            }
            let t = line.text.trim_start();
            if t.starts_with("<!--") {
                self.flush_run();
                let end = (i..lines.len().min(i + 500))
                    .find(|&j| lines[j].text.contains("-->"))
                    .unwrap_or(i);
                self.push(
                    join(lines[i..=end].iter().map(|l| l.text)),
                    line.no,
                    lines[end].no,
                    Shape::Comment,
                );
                in_list = false;
                i = end + 1;
                continue;
            }
            if self.markdown
                && leading_spaces(line.text) <= 3
                && (t.starts_with("```") || t.starts_with("~~~"))
            {
                self.flush_run();
                i = self.fence(i);
                in_list = false;
                continue;
            }
            let prev_plain = !self.run.is_empty();
            match classify_line(line.text, self.markdown, prev_plain) {
                LineKind::SetextUnderline(level) => {
                    let run = std::mem::take(&mut self.run);
                    let first = lines[run[0]].no;
                    self.push(
                        join(run.iter().map(|&j| lines[j].text)),
                        first,
                        line.no,
                        Shape::Heading(level),
                    );
                }
                LineKind::Heading(level) => {
                    self.flush_run();
                    let text =
                        unwrap_emphasis(atx_heading(line.text).map_or("", |(_, t)| t)).to_owned();
                    self.push(text, line.no, line.no, Shape::Heading(level));
                    in_list = false;
                }
                LineKind::Rule => {
                    self.flush_run();
                    self.push(line.text.trim().to_owned(), line.no, line.no, Shape::Rule);
                    in_list = false;
                }
                LineKind::LinkDef => {
                    self.flush_run();
                    self.push(
                        line.text.trim().to_owned(),
                        line.no,
                        line.no,
                        Shape::LinkDef,
                    );
                    in_list = false;
                }
                LineKind::TableRow | LineKind::TableRule => {
                    self.flush_run();
                    let shape =
                        if matches!(classify_line(line.text, false, false), LineKind::TableRule) {
                            Shape::TableRule
                        } else {
                            Shape::TableRow
                        };
                    self.push(line.text.trim().to_owned(), line.no, line.no, shape);
                    in_list = false;
                }
                LineKind::ListItem(start) => {
                    self.flush_run();
                    self.push(
                        line.text[start..].trim().to_owned(),
                        line.no,
                        line.no,
                        Shape::ListItem,
                    );
                    in_list = true;
                }
                LineKind::Plain => {
                    let indented = leading_spaces(line.text) > 0;
                    if in_list && (self.markdown || indented) {
                        // A list item's continuation line.
                        if let Some(p) = self.out.last_mut() {
                            p.text.push(' ');
                            p.text.push_str(line.text.trim());
                            p.last = line.no;
                        }
                    } else {
                        in_list = false;
                        self.run.push(i);
                    }
                }
            }
            i += 1;
        }
        self.flush_run();
    }

    /// A fenced code block from `i`: fences become rules, inner lines code.
    /// Returns the index after the block.
    fn fence(&mut self, i: usize) -> usize {
        let lines = self.lines;
        let open = lines[i].text.trim();
        let ch = open.chars().next().unwrap_or('`');
        let len = open.len() - open.trim_start_matches(ch).len();
        self.push(open.to_owned(), lines[i].no, lines[i].no, Shape::Rule);
        let mut j = i + 1;
        while j < lines.len() {
            let t = lines[j].text.trim();
            if t.starts_with(ch)
                && t.len() - t.trim_start_matches(ch).len() >= len
                && t.trim_start_matches(ch).trim().is_empty()
            {
                self.push(t.to_owned(), lines[j].no, lines[j].no, Shape::Rule);
                return j + 1;
            }
            if t.is_empty() {
                self.gap += 1;
            } else {
                self.push(
                    lines[j].text.trim_end().to_owned(),
                    lines[j].no,
                    lines[j].no,
                    Shape::Code,
                );
            }
            j += 1;
        }
        j
    }

    /// Turn the pending run of plain lines into paragraphs.
    fn flush_run(&mut self) {
        if self.run.is_empty() {
            return;
        }
        // Taken to be walked while paragraphs are pushed, and put back
        // emptied: the next run reuses its room.
        let mut run = std::mem::take(&mut self.run);
        let lines = self.lines;
        if let [j] = run[..] {
            // Most runs, in text written one paragraph a line: the line is
            // the paragraph, whether the run is read as wrapped or not.
            self.push(
                lines[j].text.trim().to_owned(),
                lines[j].no,
                lines[j].no,
                Shape::Plain,
            );
            run.clear();
            self.run = run;
            return;
        }
        let texts: Vec<&str> = run.iter().map(|&j| lines[j].text).collect();
        if self.markdown || is_hard_wrapped(&texts) {
            // A new paragraph may still start at an indented first line
            // ("    It was…") in prose that uses indents instead of blank lines.
            let mut start = 0;
            for k in 1..=run.len() {
                let new_par = k < run.len()
                    && !self.markdown
                    && leading_spaces(texts[k]) >= 2
                    && leading_spaces(texts[k - 1]) < 2;
                if k == run.len() || new_par {
                    self.push(
                        join(texts[start..k].iter().copied()),
                        lines[run[start]].no,
                        lines[run[k - 1]].no,
                        Shape::Plain,
                    );
                    start = k;
                }
            }
        } else {
            let mut start = 0;
            for k in 1..=run.len() {
                let joined = k < run.len()
                    && self
                        .wrap
                        .is_some_and(|w| carries_on(texts[k - 1], texts[k], w));
                if !joined {
                    self.push(
                        join(texts[start..k].iter().copied()),
                        lines[run[start]].no,
                        lines[run[k - 1]].no,
                        Shape::Plain,
                    );
                    start = k;
                }
            }
        }
        run.clear();
        self.run = run;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nos(text: &str) -> Vec<(u32, &str)> {
        split_lines(text)
            .into_iter()
            .map(|l| (l.no, l.text))
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn line_feed_only_text_splits_as_the_byte_walk_does(text in "[a \n]{0,40}") {
            proptest::prop_assert_eq!(split_lf(&text), split_any(&text));
        }
    }

    #[test]
    fn newlines_of_every_kind() {
        assert_eq!(nos("a\nb\n"), vec![(1, "a"), (2, "b")]);
        assert_eq!(
            nos("a\r\nb\r\n\r\nc"),
            vec![(1, "a"), (2, "b"), (3, ""), (4, "c")]
        );
        assert_eq!(
            nos("a\rb\r\rc\r"),
            vec![(1, "a"), (2, "b"), (3, ""), (4, "c")]
        );
        assert_eq!(nos(""), vec![]);
        assert_eq!(nos("\n"), vec![(1, "")]);
    }

    fn paras(text: &str) -> Vec<(String, u32, u32, Shape)> {
        layout(text)
            .paras
            .into_iter()
            .map(|p| (p.text, p.first, p.last, p.shape))
            .collect()
    }

    #[test]
    fn hard_wrapped_prose_joins() {
        let text = "Project maintainers are responsible for clarifying the standards of acceptable\n\
                    behavior and are expected to take appropriate and fair corrective action in\n\
                    response to any instances of unacceptable behavior.\n";
        let p = paras(text);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].1, 1);
        assert_eq!(p[0].2, 3);
        assert!(p[0].0.starts_with("Project maintainers are responsible for clarifying the standards of acceptable behavior and"));
    }

    #[test]
    fn one_paragraph_per_line_stays_split() {
        let cap = "A Chinese military delegation, headed by Defense Minister Wei Fenghe, held talks with Iranian officials in Tehran on Wednesday, April 27, 2022. (EPA)";
        let text = format!("{cap}\n{cap}\nTT\n");
        assert_eq!(paras(&text).len(), 3);
        let short = "Iran seeks to expand its military cooperation with China\nBy Jane Doe\n";
        assert_eq!(paras(short).len(), 2);
    }

    #[test]
    fn markdown_structure() {
        let text = "+++\nversion = \"1.4\"\n+++\n\n# Title\n\n## Our Standards\n\nExamples of behavior\ninclude:\n\n* Using welcoming language\n* The use of sexualized language or imagery and unwelcome sexual attention or\n  advances\n\n| a | b |\n| --- | --- |\n| c | d |\n";
        let p = paras(text);
        let shapes: Vec<Shape> = p.iter().map(|x| x.3).collect();
        assert_eq!(
            shapes,
            vec![
                Shape::FrontMatter,
                Shape::Heading(1),
                Shape::Heading(2),
                Shape::Plain,
                Shape::ListItem,
                Shape::ListItem,
                Shape::TableRow,
                Shape::TableRule,
                Shape::TableRow
            ]
        );
        assert_eq!(p[3].0, "Examples of behavior include:");
        assert_eq!(
            p[5].0,
            "The use of sexualized language or imagery and unwelcome sexual attention or advances"
        );
        assert_eq!((p[5].1, p[5].2), (13, 14));
        assert_eq!(p[1].0, "Title");
    }

    #[test]
    fn link_definitions_and_emphasised_headings() {
        let text = "# A\n\n### _Best Practices_\n\nSee [x][h].\n\n[h]: https://example.org\n[v2]: https://example.org/v2\n";
        let p = paras(text);
        assert_eq!(p[1].0, "Best Practices");
        assert_eq!(p.iter().filter(|x| x.3 == Shape::LinkDef).count(), 2);
    }

    #[test]
    fn empty_heading_is_a_rule() {
        assert_eq!(paras("#\t")[0].3, Shape::Rule);
        assert_eq!(paras("##")[0].3, Shape::Rule);
    }

    #[test]
    fn heading_line_followed_by_text() {
        let text = "---\ntitle: X\n---\n\n#### 1. Required Information\nYou must provide a valid email address.\n";
        let p = paras(text);
        assert_eq!(p[1].3, Shape::Heading(4));
        assert_eq!(p[1].0, "1. Required Information");
        assert_eq!(p[2].0, "You must provide a valid email address.");
    }

    #[test]
    fn front_matter_mid_file_and_title() {
        let text = "Some text here.\n\n\n---\ntitle: GitHub Username Policy\nversions:\n  fpt: '*'\n---\n\nBody.\n";
        let lines = split_lines(text);
        let p = build(&lines, true, None);
        assert_eq!(p[1].shape, Shape::FrontMatter);
        assert_eq!(p[1].gap_before, 2);
        assert_eq!(p[1].meta_title.as_deref(), Some("GitHub Username Policy"));
        assert_eq!((p[1].first, p[1].last), (4, 8));
    }

    #[test]
    fn huge_line_is_one_paragraph() {
        let text = "word ".repeat(200_000);
        let p = paras(&text);
        assert_eq!(p.len(), 1);
    }
}
