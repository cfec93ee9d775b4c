//! Text from files made safe to print on a terminal or to write as JSON.
//!
//! In: any string. Out: the same string with every control character,
//! escape sequence introducer, bidi control and line or paragraph separator
//! replaced by a visible placeholder, so that a file's bytes can never move
//! the cursor, clear the screen, set the clipboard or reverse the direction
//! of a line; or, for JSON, the same characters written as `\uXXXX` escapes
//! so that the output stays exact and is safe to `cat`.

use std::borrow::Cow;
use std::io;

use serde::Serialize;

/// Whether a character must not reach a terminal as is.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_separator(c)
}

/// Bidi embedding, override and isolate controls, and the directional marks.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Line and paragraph separators: some terminals break the line there,
/// others draw nothing, so the columns around them cannot be trusted.
fn is_separator(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}')
}

/// Like [`for_terminal`], but line feeds are kept: for text printed as
/// several lines, such as two merged paragraphs.
pub fn for_terminal_lines(s: &str) -> Cow<'_, str> {
    if !s.contains('\n') {
        return for_terminal(s);
    }
    let parts: Vec<Cow<'_, str>> = s.split('\n').map(for_terminal).collect();
    Cow::Owned(parts.join("\n"))
}

/// Replace unsafe characters with visible placeholders: C0 controls with
/// their Unicode control pictures (ESC → `␛`), DEL with `␡`, C1 controls,
/// bidi controls and separators with `⟨U+XXXX⟩`. A tab becomes four spaces.
pub fn for_terminal(s: &str) -> Cow<'_, str> {
    replace_unsafe(s, |c| c == '\t', "    ")
}

/// For text files a person reads (HTML, Markdown, a unified diff): the
/// placeholders of [`for_terminal`], with line feeds and tabs kept as they are.
pub fn for_text_file(s: &str) -> Cow<'_, str> {
    let keep = |c: char| c == '\n' || c == '\t';
    if !unusual_chars(s, b"\t\n").any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if keep(c) {
            out.push(c);
        } else {
            push_visible(&mut out, c);
        }
    }
    Cow::Owned(out)
}

fn replace_unsafe<'a>(s: &'a str, special: impl Fn(char) -> bool, with: &str) -> Cow<'a, str> {
    // Printable ASCII is never unsafe: only the other characters are decoded.
    if !unusual_chars(s, b"").any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if special(c) {
            out.push_str(with);
        } else {
            push_visible(&mut out, c);
        }
    }
    Cow::Owned(out)
}

/// `c`, or its placeholder when it is unsafe.
fn push_visible(out: &mut String, c: char) {
    match c {
        '\u{0}'..='\u{1F}' => {
            out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'));
        }
        '\u{7F}' => out.push('␡'),
        c if is_unsafe(c) => out.push_str(&format!("⟨U+{:04X}⟩", c as u32)),
        c => out.push(c),
    }
}

/// The text a reader sees, for telling what a paragraph is (a headline, a
/// date, furniture): terminal escape sequences (CSI, OSC, DCS and the other
/// string controls, in their 7-bit and C1 forms) removed whole, and the
/// remaining control characters, bidi controls and invisible spaces
/// (U+200B, U+2060, U+FEFF) dropped. Joiners (U+200C, U+200D) stay: words
/// and emoji need them.
pub fn visible_text(s: &str) -> Cow<'_, str> {
    let invisible = |c: char| {
        (c.is_control() && c != '\t' && c != '\n')
            || is_bidi_control(c)
            || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
    };
    if !unusual_chars(s, b"\t\n").any(invisible) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let introducer = match c {
            '\u{1B}' => match chars.peek() {
                Some('[') => Some('['),
                Some(']' | 'P' | 'X' | '^' | '_') => chars.peek().copied(),
                Some(&n) if ('\u{20}'..='\u{7E}').contains(&n) => {
                    // A two-character sequence (ESC 7, ESC ( B): its intermediates and final.
                    while chars
                        .next_if(|x| ('\u{20}'..='\u{2F}').contains(x))
                        .is_some()
                    {}
                    chars.next();
                    None
                }
                _ => None,
            }
            .inspect(|_| {
                chars.next();
            }),
            '\u{9B}' => Some('['),
            '\u{9D}' | '\u{90}' | '\u{98}' | '\u{9E}' | '\u{9F}' => Some(']'),
            c if invisible(c) => None,
            c => {
                out.push(c);
                continue;
            }
        };
        match introducer {
            // CSI: parameters and intermediates, then one final byte.
            Some('[') => {
                while chars
                    .next_if(|x| ('\u{20}'..='\u{3F}').contains(x))
                    .is_some()
                {}
                chars.next_if(|x| ('\u{40}'..='\u{7E}').contains(x));
            }
            // A string: up to BEL, ST (ESC \ or U+009C) or the end of the line.
            Some(_) => {
                while let Some(x) = chars.next() {
                    if x == '\u{7}' || x == '\u{9C}' || x == '\n' {
                        break;
                    }
                    if x == '\u{1B}' {
                        chars.next_if_eq(&'\\');
                        break;
                    }
                }
            }
            None => {}
        }
    }
    Cow::Owned(out)
}

/// The characters of `s` other than printable ASCII and the `layout` bytes
/// (ASCII controls such as tab and line feed), in order. Only these can be
/// controls, escapes or invisible, and nearly every paragraph holds few or
/// none: the ASCII runs between them are skipped sixteen bytes at a time.
fn unusual_chars<'a>(s: &'a str, layout: &'a [u8]) -> impl Iterator<Item = char> + 'a {
    let mut rest = s;
    std::iter::from_fn(move || {
        let i = first_unusual(rest.as_bytes(), layout)?;
        // Every byte before `i` is ASCII, so `i` starts a character.
        let c = rest.get(i..)?.chars().next()?;
        rest = rest.get(i + c.len_utf8()..)?;
        Some(c)
    })
}

/// Where the first byte that is neither printable ASCII nor one of `layout` is.
fn first_unusual(b: &[u8], layout: &[u8]) -> Option<usize> {
    let unusual = |x: &u8| !(b' '..0x7f).contains(x) && !layout.contains(x);
    let mut chunks = b.chunks_exact(16);
    let mut at = 0;
    for chunk in &mut chunks {
        // No early exit inside a chunk, so that the check is done on all
        // sixteen bytes at once; a chunk with a layout byte is looked at byte by byte.
        let printable = chunk
            .iter()
            .fold(true, |all, &x| all & (b' '..0x7f).contains(&x));
        if !printable && let Some(i) = chunk.iter().position(unusual) {
            return Some(at + i);
        }
        at += 16;
    }
    chunks.remainder().iter().position(unusual).map(|i| at + i)
}

/// What a file's text holds that the screen will not show as is, as a short
/// phrase for a warning (`None` when nothing). Tabs, line feeds, carriage
/// returns and form feeds are ordinary layout and not counted.
pub fn unsafe_summary(text: &str) -> Option<String> {
    unsafe_summary_of([text])
}

/// [`unsafe_summary`] of several texts taken together (a file's paragraphs).
pub fn unsafe_summary_of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let (mut escapes, mut controls, mut bidi) = (0usize, 0usize, 0usize);
    for text in texts {
        for c in unusual_chars(text, b"\t\n\r\x0c") {
            match c {
                '\t' | '\n' | '\r' | '\u{C}' => {}
                '\u{1B}' | '\u{9B}' | '\u{9D}' => escapes += 1,
                c if is_bidi_control(c) => bidi += 1,
                c if is_unsafe(c) => controls += 1,
                _ => {}
            }
        }
    }
    let mut parts = Vec::new();
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if escapes > 0 {
        parts.push(count(
            escapes,
            "terminal escape sequence",
            "terminal escape sequences",
        ));
    }
    if controls > 0 {
        parts.push(count(
            controls,
            "other control character",
            "other control characters",
        ));
    }
    if bidi > 0 {
        parts.push(count(bidi, "bidi control", "bidi controls"));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Pretty-printed JSON in which every character [`is_unsafe`] flags (C0
/// and C1 controls, DEL, bidi controls, separators) is a `\uXXXX` escape:
/// the text is exact for a parser and harmless in a terminal.
pub fn to_json_pretty<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::new();
    to_json_writer(&mut out, value)?;
    // The formatter writes only what serde_json gave it and ASCII escapes.
    String::from_utf8(out).map_err(|e| serde_json::Error::io(io::Error::other(e)))
}

/// [`to_json_pretty`] into a writer.
pub fn to_json_writer<W: io::Write, T: Serialize + ?Sized>(
    writer: W,
    value: &T,
) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(writer, SafeFormatter::default());
    value.serialize(&mut ser)
}

/// serde_json's pretty formatter, escaping what [`is_unsafe`] flags.
#[derive(Default)]
struct SafeFormatter {
    pretty: serde_json::ser::PrettyFormatter<'static>,
}

impl serde_json::ser::Formatter for SafeFormatter {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_unsafe(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                // Every unsafe character is in the Basic Multilingual Plane.
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.pretty.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.pretty.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_become_visible() {
        assert_eq!(for_terminal("a\u{1b}[2Jb"), "a␛[2Jb");
        assert_eq!(for_terminal("x\u{9b}y"), "x⟨U+009B⟩y");
        assert_eq!(for_terminal("\u{202E}abc"), "⟨U+202E⟩abc");
        assert_eq!(for_terminal("a\u{2028}b"), "a⟨U+2028⟩b");
        assert_eq!(for_terminal("plain"), "plain");
        assert!(!for_terminal("\u{1b}]52;c;aGk=\u{7}").chars().any(is_unsafe));
    }

    #[test]
    fn visible_text_drops_sequences_whole() {
        assert_eq!(visible_text("plain"), "plain");
        assert_eq!(visible_text("a\u{1b}[2J\u{1b}[10;10Hb"), "ab");
        assert_eq!(
            visible_text("\u{1b}]52;c;aGk=\u{7}x\u{1b}]0;t\u{1b}\\y"),
            "xy"
        );
        assert_eq!(
            visible_text("\u{1b}]8;;https://e.x/\u{1b}\\link\u{1b}]8;;\u{1b}\\"),
            "link"
        );
        assert_eq!(visible_text("\u{9b}31mred\u{9d}0;t\u{9c}."), "red.");
        assert_eq!(visible_text("\u{1b}(Bx\u{1b}7y"), "xy");
        assert_eq!(visible_text("\u{202E}ab\u{202C} z\u{200B}w\u{7f}"), "ab zw");
        assert_eq!(visible_text("👨\u{200D}👩 \u{1b}"), "👨\u{200D}👩 ");
    }

    proptest::proptest! {
        #[test]
        fn unusual_chars_are_every_char_but_printable_ascii_and_layout(
            // Runs of printable ASCII longer than a chunk, between other characters.
            parts in proptest::collection::vec(
                (
                    "[ -~]{0,40}",
                    proptest::sample::select(vec![
                        'a', '\t', '\n', '\r', '\u{c}', '\u{0}', '\u{1b}', '\u{7f}', '\u{80}',
                        '\u{9b}', 'é', '’', '\u{202e}', '\u{200b}', '\u{feff}', '👍', '\u{2028}',
                    ]),
                ),
                0..6,
            ),
            layout in proptest::sample::select(vec![&b""[..], b"\t\n", b"\t\n\r\x0c"]),
        ) {
            let s: String = parts.iter().flat_map(|(run, c)| run.chars().chain([*c])).collect();
            let slow: Vec<char> = s
                .chars()
                .filter(|&c| !((' '..'\u{7f}').contains(&c) || (c.is_ascii() && layout.contains(&(c as u8)))))
                .collect();
            proptest::prop_assert_eq!(unusual_chars(&s, layout).collect::<Vec<_>>(), slow);
        }
    }

    #[test]
    fn text_files_keep_lines_and_tabs() {
        assert_eq!(for_text_file("a\tb\nc\u{1b}[2J\r"), "a\tb\nc␛[2J␍");
        assert_eq!(for_text_file("\u{202E}x"), "⟨U+202E⟩x");
        assert!(matches!(for_text_file("plain\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn summary_counts_what_the_screen_replaces() {
        assert_eq!(unsafe_summary("plain\ttext\r\n\u{c}"), None);
        assert_eq!(
            unsafe_summary("\u{1b}[2J\u{1b}]0;t\u{7} \u{202E}x\u{9b}1m"),
            Some(
                "3 terminal escape sequences, 1 other control character, 1 bidi control".to_owned()
            )
        );
    }

    #[test]
    fn json_escapes_every_unsafe_character() {
        let s = "a\u{1b}[2J \u{9b} \u{202E} \u{7f} \u{2028} é 👍 \"q\"";
        let json = to_json_pretty(&serde_json::json!({ "t": s })).unwrap_or_default();
        assert!(!json.chars().any(|c| c != '\n' && is_unsafe(c)), "{json}");
        assert!(
            json.contains("\\u001b[2J") && json.contains("\\u009b") && json.contains("\\u202e")
        );
        assert!(json.contains("é 👍 \\\"q\\\""));
        let back: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back["t"], s);
        assert!(json.contains("\n  \"t\": "), "pretty: {json}");
    }
}
