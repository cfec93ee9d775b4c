//! Text from files made safe to print on a terminal.
//!
//! In: any string. Out: the same string with every control character,
//! escape sequence introducer and bidi control replaced by a visible
//! placeholder, so that a file's bytes can never move the cursor, clear the
//! screen, set the clipboard or reverse the direction of a line.

use std::borrow::Cow;

/// Whether a character must not reach a terminal as is.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Bidi embedding, override and isolate controls, and the directional marks.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
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
/// their Unicode control pictures (ESC → `␛`), DEL with `␡`, C1 controls and
/// bidi controls with `⟨U+XXXX⟩`. A tab becomes four spaces.
pub fn for_terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' => out.push_str("    "),
            '\u{0}'..='\u{1F}' => {
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'));
            }
            '\u{7F}' => out.push('␡'),
            c if is_unsafe(c) => {
                out.push_str(&format!("⟨U+{:04X}⟩", c as u32));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_become_visible() {
        assert_eq!(for_terminal("a\u{1b}[2Jb"), "a␛[2Jb");
        assert_eq!(for_terminal("x\u{9b}y"), "x⟨U+009B⟩y");
        assert_eq!(for_terminal("\u{202E}abc"), "⟨U+202E⟩abc");
        assert_eq!(for_terminal("plain"), "plain");
        assert!(!for_terminal("\u{1b}]52;c;aGk=\u{7}").chars().any(is_unsafe));
    }
}
