//! Styled paragraph text made safe for the terminal and wrapped to a width.
//!
//! In: a paragraph's text with style layers over byte ranges (word changes,
//! emphasised letters, search hits). Out: terminal-safe [`Line`]s no wider
//! than the column. Break opportunities follow Unicode line breaking (UAX
//! #14, via textwrap) so CJK breaks between ideographs and an emoji ZWJ
//! sequence stays whole; widths are counted per grapheme exactly as ratatui's
//! buffer counts them, and a word longer than the line is split between
//! graphemes, never inside one.

use std::ops::Range;

use ratatui::buffer::CellWidth;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use textwrap::WordSeparator;
use textwrap::core::Fragment;
use unicode_segmentation::UnicodeSegmentation;

use crate::sanitize::for_terminal;

/// Terminal-safe text and the style of each byte range of it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Painted {
    pub text: String,
    /// Consecutive, non-overlapping ranges covering `text`.
    pub spans: Vec<(Range<usize>, Style)>,
}

/// Sanitise `text` (keeping its newlines) and style it: `base` everywhere,
/// then each layer patched over its byte range, in order. Ranges off char boundaries or past the end
/// are narrowed to fit.
pub fn paint(text: &str, base: Style, layers: &[(Range<usize>, Style)]) -> Painted {
    let clamp = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let layers: Vec<(Range<usize>, Style)> = layers
        .iter()
        .map(|(r, s)| (clamp(r.start)..clamp(r.end), *s))
        .filter(|(r, _)| r.start < r.end)
        .collect();
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for (r, _) in &layers {
        cuts.push(r.start);
        cuts.push(r.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Painted::default();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let style = layers
            .iter()
            .filter(|(r, _)| r.start <= a && b <= r.end)
            .fold(base, |acc, (_, s)| acc.patch(*s));
        let start = out.text.len();
        // Newlines separate the paragraphs of a merged cell; the views split on them.
        for (k, piece) in text[a..b].split('\n').enumerate() {
            if k > 0 {
                out.text.push('\n');
            }
            out.text.push_str(&for_terminal(piece));
        }
        let end = out.text.len();
        match out.spans.last_mut() {
            Some((r, s)) if *s == style => r.end = end,
            _ => out.spans.push((start..end, style)),
        }
    }
    out
}

/// Display width of a string, as ratatui's buffer lays it out.
pub fn width(s: &str) -> usize {
    // Most news text is ASCII, where every character is its own grapheme
    // (CRLF aside, and both of its halves are controls): grapheme
    // segmentation was a quarter of drawing a frame.
    if s.is_ascii() {
        return s.bytes().filter(|b| !b.is_ascii_control()).count();
    }
    s.graphemes(true).map(grapheme_width).sum()
}

fn grapheme_width(g: &str) -> usize {
    if g.contains(char::is_control) {
        0
    } else {
        usize::from(g.cell_width())
    }
}

#[derive(Debug)]
struct Frag {
    /// Byte range of the word.
    start: usize,
    end: usize,
    width: usize,
    ws_width: usize,
}

impl Fragment for Frag {
    fn width(&self) -> f64 {
        self.width as f64
    }
    fn whitespace_width(&self) -> f64 {
        self.ws_width as f64
    }
    fn penalty_width(&self) -> f64 {
        0.0
    }
}

/// The byte ranges of the lines `text` wraps into at `width` columns
/// (trailing whitespace of a line left out). Empty text is one empty line.
pub fn line_ranges(text: &str, width: usize) -> Vec<Range<usize>> {
    let width = width.max(1);
    let base = text.as_ptr() as usize;
    let mut frags = Vec::new();
    for word in WordSeparator::UnicodeBreakProperties.find_words(text) {
        let start = word.word.as_ptr() as usize - base;
        let end = start + word.word.len();
        let w = self::width(word.word);
        if w <= width {
            frags.push(Frag {
                start,
                end,
                width: w,
                ws_width: self::width(word.whitespace),
            });
            continue;
        }
        // Too long for a line: split between graphemes.
        let mut chunk_start = start;
        let mut chunk_width = 0;
        for (i, g) in word.word.grapheme_indices(true) {
            let gw = grapheme_width(g);
            if chunk_width + gw > width && chunk_width > 0 {
                frags.push(Frag {
                    start: chunk_start,
                    end: start + i,
                    width: chunk_width,
                    ws_width: 0,
                });
                chunk_start = start + i;
                chunk_width = 0;
            }
            chunk_width += gw;
        }
        frags.push(Frag {
            start: chunk_start,
            end,
            width: chunk_width,
            ws_width: self::width(word.whitespace),
        });
    }
    if frags.is_empty() {
        return std::iter::once(0..0).collect();
    }
    textwrap::wrap_algorithms::wrap_first_fit(&frags, &[width as f64])
        .into_iter()
        .filter_map(|line| Some(line.first()?.start..line.last()?.end))
        .collect()
}

/// The spans of `p` that fall inside `range`.
pub fn slice(p: &Painted, range: Range<usize>) -> Line<'static> {
    let spans: Vec<Span<'static>> = p
        .spans
        .iter()
        .filter_map(|(r, s)| {
            let a = r.start.max(range.start);
            let b = r.end.min(range.end);
            (a < b).then(|| Span::styled(p.text[a..b].to_owned(), *s))
        })
        .collect();
    Line::from(spans)
}

/// `p` wrapped into lines no wider than `width`; a newline starts a new line.
pub fn wrap(p: &Painted, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let mut start = 0;
    for seg in p.text.split('\n') {
        for r in line_ranges(seg, width) {
            out.push(slice(p, r.start + start..r.end + start));
        }
        start += seg.len() + 1;
    }
    out
}

/// `p` on one line, cut with "…" when wider than `width`.
pub fn truncate(p: &Painted, width: usize) -> Line<'static> {
    if p.text.contains('\n') {
        let first = p.text.find('\n').unwrap_or(p.text.len());
        let mut one = p.clone();
        one.text.truncate(first);
        one.spans.retain(|(r, _)| r.start < first);
        if let Some((r, _)) = one.spans.last_mut() {
            r.end = r.end.min(first);
        }
        one.text.push_str(" ⏎");
        one.spans.push((first..one.text.len(), Style::new()));
        return truncate(&one, width);
    }
    if self::width(&p.text) <= width {
        return slice(p, 0..p.text.len());
    }
    let mut used = 0;
    let mut end = 0;
    for (i, g) in p.text.grapheme_indices(true) {
        let gw = grapheme_width(g);
        if used + gw + 1 > width {
            break;
        }
        used += gw;
        end = i + g.len();
    }
    let end = p.text[..end].trim_end().len();
    let mut line = slice(p, 0..end);
    if width > 0 {
        line.spans.push(Span::raw("…"));
    }
    line
}

/// Plain text cut to `width` columns with "…".
pub fn fit(s: &str, width: usize) -> String {
    let p = paint(s, Style::new(), &[]);
    truncate(&p, width)
        .spans
        .iter()
        .map(|s| s.content.as_ref())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    fn texts(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    fn check_widths(text: &str, w: usize) -> Vec<String> {
        let p = paint(text, Style::new(), &[]);
        let lines = texts(&wrap(&p, w));
        for l in &lines {
            assert!(width(l) <= w, "{l:?} wider than {w}");
        }
        // Nothing lost but the whitespace at the breaks.
        let joined: String = lines.concat().split_whitespace().collect();
        let orig: String = text.split_whitespace().collect();
        assert_eq!(joined, orig);
        lines
    }

    #[test]
    fn wraps_words_and_keeps_styles() {
        let text = "Wei also met with Gen. Mohammad Reza Ashtinai today";
        let start = text.find("Ashtinai").unwrap();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let p = paint(text, Style::new(), &[(start..start + 8, bold)]);
        let lines = wrap(&p, 20);
        assert_eq!(
            texts(&lines),
            ["Wei also met with", "Gen. Mohammad Reza", "Ashtinai today"]
        );
        assert_eq!(lines[2].spans[0].content, "Ashtinai");
        assert_eq!(lines[2].spans[0].style, bold);
    }

    #[test]
    fn wide_scripts_keep_columns_straight() {
        check_widths("中华人民共和国国防部长魏凤和访问伊朗并会见了总统", 9);
        check_widths("الرئيس الإيراني إبراهيم رئيسي يستقبل وزير الدفاع الصيني", 12);
        let family = "👨‍👩‍👧‍👦";
        let lines = check_widths(&format!("{family}{family}{family} ok"), 4);
        for l in &lines {
            assert_eq!(
                l.matches('\u{200d}').count(),
                3 * l.matches(family).count(),
                "{l:?}"
            );
        }
        check_widths("supercalifragilisticexpialidocious", 7);
        check_widths("e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}", 2);
    }

    #[test]
    fn escapes_are_neutralised_and_styles_follow() {
        let text = "a\u{1b}[2Jb bold";
        let p = paint(
            text,
            Style::new(),
            &[(
                text.len() - 4..text.len(),
                Style::new().add_modifier(Modifier::BOLD),
            )],
        );
        assert_eq!(p.text, "a␛[2Jb bold");
        assert_eq!(&p.text[p.spans[1].0.clone()], "bold");
    }

    #[test]
    fn newlines_split_lines_and_never_reach_a_span() {
        let p = paint("one two\nthree\u{1b}", Style::new(), &[]);
        let lines = wrap(&p, 20);
        assert_eq!(texts(&lines), ["one two", "three␛"]);
        assert_eq!(truncate(&p, 20).to_string(), "one two ⏎");
        for l in lines.iter().chain([&truncate(&p, 5)]) {
            assert!(l.spans.iter().all(|s| !s.content.contains('\n')));
        }
    }

    #[test]
    fn ascii_width_matches_grapheme_width() {
        for s in [
            "",
            "plain words",
            "tab\there",
            "cr\r\nlf",
            "\u{1b}[2J",
            "a\u{7f}b",
        ] {
            let slow: usize = s.graphemes(true).map(grapheme_width).sum();
            assert_eq!(width(s), slow, "{s:?}");
        }
    }

    #[test]
    fn truncates_with_ellipsis() {
        let p = paint("Ashtiani stressed the need", Style::new(), &[]);
        assert_eq!(truncate(&p, 10).to_string(), "Ashtiani…");
        assert_eq!(fit("短い文字列です", 5), "短い…");
    }
}
