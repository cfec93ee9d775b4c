//! Words and their normal forms, shared by clustering, alignment and diffing.
//!
//! In: a paragraph's text. Out: its tokens (words, punctuation and spaces,
//! with byte ranges, covering the text exactly) and, for each word, a
//! normalised key under which style variants ("U.S." / "US", "Don’t" /
//! "don't") are equal. Tokenising follows Unicode word boundaries (UAX #29),
//! so CJK text splits into characters and Arabic or Hebrew into words.

use std::borrow::Cow;
use std::ops::Range;

use rustc_hash::FxHashMap;
use unicode_segmentation::UnicodeSegmentation;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Word,
    Punct,
    Space,
}

/// A piece of text with its byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: TokenKind,
    pub text: &'a str,
    pub range: Range<usize>,
}

/// Split a text into tokens that cover it exactly, in order.
///
/// Abbreviations written with dots ("U.S.", "e.g.") are kept as one word,
/// dots included, so that "U.S." against "US" is one style change rather
/// than a word plus stray punctuation.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    // Most news text uses a few dozen characters whose UAX #29 word-break
    // classes are known (see `char_class`); the table lookups of the general
    // segmenter were a fifth of loading time. Other text takes the general
    // path; both give the same tokens (tested against each other below).
    fast_tokens(text).unwrap_or_else(|| glue(text, text.split_word_bound_indices()))
}

/// Word-boundary pieces, as `(start, piece)`, made into tokens: dotted
/// abbreviations keep their final dot and runs of spaces are one token.
fn glue<'a>(text: &'a str, pieces: impl Iterator<Item = (usize, &'a str)>) -> Vec<Token<'a>> {
    let mut out: Vec<Token<'_>> = Vec::with_capacity(text.len() / 3);
    for (start, piece) in pieces {
        let range = start..start + piece.len();
        let kind = classify(piece);
        // UAX #29 splits "U.S." as "U.S" + "."; glue the final dot back on.
        if piece == "."
            && let Some(last) = out.last_mut()
            && last.kind == TokenKind::Word
            && last.range.end == start
            && is_dotted_abbreviation(last.text)
        {
            last.range.end = range.end;
            last.text = &text[last.range.clone()];
            continue;
        }
        // Runs of spaces or of the same punctuation come out of UAX #29 one
        // character at a time; merging them keeps token counts honest.
        if let Some(last) = out.last_mut()
            && kind == TokenKind::Space
            && last.kind == TokenKind::Space
            && last.range.end == start
        {
            last.range.end = range.end;
            last.text = &text[last.range.clone()];
            continue;
        }
        out.push(Token {
            kind,
            text: piece,
            range,
        });
    }
    out
}

// What the fast path knows of a character, as bits: its UAX #29 word-break
// class among the few it handles (no Hebrew, Katakana, extenders or format
// characters, so rules WB4, WB7a–c and WB13 never apply), whether it is
// white space, and whether `normalize` may change it. One table lookup a
// byte answers all three for ASCII.

/// ALetter.
const LETTER: u8 = 1;
/// Numeric.
const DIGIT: u8 = 1 << 1;
/// ExtendNumLet (the underscore).
const UNDERSCORE: u8 = 1 << 2;
/// Joins two letters (WB6/7): MidLetter, MidNumLet and Single_Quote.
const MID_LETTER: u8 = 1 << 3;
/// Joins two digits (WB11/12): MidNum, MidNumLet and Single_Quote.
const MID_NUM: u8 = 1 << 4;
/// `char::is_whitespace`: a run of such characters is one space token.
const SPACE: u8 = 1 << 5;
/// An ASCII character [`is_normal`] rejects (upper case, '.', '`', '"').
const FOLD: u8 = 1 << 6;
/// Not ASCII: in [`BYTE_CLASS`], a byte of a longer character, which must
/// be decoded; for a character, one that [`is_normal`] rejects.
const NON_ASCII: u8 = 1 << 7;
/// The classes that make up words (WB5, WB8–10, WB13a/b).
const CORE: u8 = LETTER | DIGIT | UNDERSCORE;

/// The class bits of each byte: ASCII characters' own, [`NON_ASCII`] for
/// the rest.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [NON_ASCII; 256];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        t[i] = match b {
            b'a'..=b'z' => LETTER,
            b'A'..=b'Z' => LETTER | FOLD,
            b'0'..=b'9' => DIGIT,
            b'_' => UNDERSCORE,
            b'\'' => MID_LETTER | MID_NUM,
            b'.' => MID_LETTER | MID_NUM | FOLD,
            b':' => MID_LETTER,
            b',' | b';' => MID_NUM,
            b'`' | b'"' => FOLD,
            b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => SPACE,
            _ => 0,
        };
        i += 1;
    }
    t
};

/// Whether a byte is an ASCII character that `char::is_whitespace`
/// accepts; every byte of a longer character is not.
pub(crate) fn is_ascii_space(b: u8) -> bool {
    BYTE_CLASS[usize::from(b)] & SPACE != 0
}

/// The class bits of a character the fast path handles: ASCII, the Latin
/// letters of Latin-1 and Latin Extended-A/B, and the typographic quotes,
/// dashes and spaces of news text. `None`: use the general segmenter.
#[inline]
fn char_class(c: char) -> Option<u8> {
    if c.is_ascii() {
        return Some(BYTE_CLASS[c as usize]);
    }
    let class = match c {
        '\u{2018}' | '\u{2019}' => MID_LETTER | MID_NUM,
        '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{f6}' | '\u{f8}'..='\u{24f}' => LETTER,
        '\u{a0}' => SPACE,
        '\u{ab}' | '\u{bb}' | '\u{a3}' | '\u{a9}' | '\u{b0}' | '\u{20ac}' => 0,
        '\u{2013}' | '\u{2014}' | '\u{201c}' | '\u{201d}' | '\u{2026}' | '\u{2022}' => 0,
        _ => return None,
    };
    Some(class | NON_ASCII)
}

/// The class bits and byte length of the character at byte `i` (a char
/// boundary) of a text; `(0, 0)`, where the fast path stops, past its end
/// and at a character without a [`char_class`].
#[inline(always)]
fn class_at(text: &str, i: usize) -> (u8, usize) {
    let Some(&b) = text.as_bytes().get(i) else {
        return (0, 0);
    };
    let class = BYTE_CLASS[usize::from(b)];
    if class & NON_ASCII == 0 {
        return (class, 1);
    }
    decoded_class(text, i)
}

/// [`class_at`] for a character longer than a byte, kept out of line: the
/// loops stay small for the ASCII most text is made of.
#[inline(never)]
fn decoded_class(text: &str, i: usize) -> (u8, usize) {
    text.get(i..)
        .and_then(|rest| rest.chars().next())
        .and_then(|c| Some((char_class(c)?, c.len_utf8())))
        .unwrap_or((0, 0))
}

/// Whether every character of `text` has a [`char_class`].
fn all_fast(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(rest) = b.get(i..)
        && !rest.is_empty()
    {
        // News text is mostly ASCII even when it has curly quotes: eight
        // bytes at a time step over it.
        if let Some(chunk) = rest.first_chunk::<8>()
            && u64::from_le_bytes(*chunk) & 0x8080_8080_8080_8080 == 0
        {
            i += 8;
            continue;
        }
        if rest[0] < 0x80 {
            i += 1;
            continue;
        }
        match text.get(i..).and_then(|s| s.chars().next()) {
            Some(c) if char_class(c).is_some() => i += c.len_utf8(),
            _ => return false,
        }
    }
    true
}

/// Where the word-boundary piece that starts with a letter, digit or
/// underscore at byte `start` ends, with the class bits of its characters
/// or'ed together. Letters, digits and underscores run together (WB5,
/// WB8–10, WB13a/b), and so does a middle character between two letters
/// (WB6/7) or two digits (WB11/12). It stops at a character without a
/// [`char_class`].
#[inline(always)]
fn word_end(text: &str, start: usize) -> (usize, u8) {
    let b = text.as_bytes();
    let mut i = start;
    let mut seen = 0;
    // The class of the last letter, digit or underscore: a middle character
    // joins only what is the same on both of its sides.
    let mut last = 0;
    loop {
        // Eight bytes at a time while they are ASCII letters, digits and
        // underscores: the byte-by-byte loop's branch was guessed wrong at
        // each word's end.
        while let Some(chunk) = b.get(i..).and_then(|rest| rest.first_chunk::<8>()) {
            let (n, bits, end) = core_prefix(u64::from_le_bytes(*chunk));
            seen |= bits;
            i += n;
            if n > 0 {
                last = BYTE_CLASS[usize::from(end)];
            }
            if n < 8 {
                break;
            }
        }
        let Some(&byte) = b.get(i) else { break };
        let (class, len) = match BYTE_CLASS[usize::from(byte)] {
            class if class & NON_ASCII == 0 => (class, 1),
            _ => decoded_class(text, i),
        };
        if class & CORE != 0 {
            seen |= class;
            last = class;
            i += len;
            continue;
        }
        // Only a middle character can join the word to what follows it.
        if class & (MID_LETTER | MID_NUM) == 0 {
            break;
        }
        let (next, _) = class_at(text, i + len);
        let both = last & next;
        let joins = (both & LETTER != 0 && class & MID_LETTER != 0)
            || (both & DIGIT != 0 && class & MID_NUM != 0);
        if !joins {
            break;
        }
        seen |= class;
        i += len;
    }
    (i, seen)
}

/// How many of the eight bytes of `x` (the first one lowest), from the
/// first, are ASCII letters, digits or underscores; their class bits or'ed
/// together; and the last of them.
#[inline(always)]
fn core_prefix(x: u64) -> (usize, u8, u8) {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    // The high bit of each byte below 0x80 that is at least `c`: each
    // byte's subtraction starts at 0x80 or more, so none borrows.
    let at_least = |v: u64, c: u8| ((v | HIGH) - ONES * u64::from(c)) & HIGH;
    let in_range = |v: u64, lo: u8, hi: u8| at_least(v, lo) & !at_least(v, hi + 1);
    let ascii = !x & HIGH;
    let letter = in_range(x | (ONES * 0x20), b'a', b'z') & ascii;
    let upper = in_range(x, b'A', b'Z') & ascii;
    let digit = in_range(x, b'0', b'9') & ascii;
    let y = x ^ (ONES * u64::from(b'_'));
    // The high bit of each byte of `y` that is zero: an underscore in `x`.
    let underscore = !((((y & !HIGH) + !HIGH) | y) & HIGH) & HIGH;
    let core = letter | digit | underscore;
    let n = ((!core & HIGH).trailing_zeros() / 8) as usize;
    let within = if n == 8 { u64::MAX } else { (1 << (8 * n)) - 1 };
    let flag = |mask: u64, bit: u8| if mask & within == 0 { 0 } else { bit };
    let bits = flag(letter, LETTER)
        | flag(upper, FOLD)
        | flag(digit, DIGIT)
        | flag(underscore, UNDERSCORE);
    let end = if n == 0 {
        0
    } else {
        (x >> (8 * (n - 1))) as u8
    };
    (n, bits, end)
}

/// [`tokens`] in one pass over the bytes for text whose every character has
/// a [`char_class`]: the pieces UAX #29 makes of it, glued as [`glue`]
/// does. `None` at the first character without one.
fn fast_tokens(text: &str) -> Option<Vec<Token<'_>>> {
    let mut out = Vec::with_capacity(text.len() / 3);
    fast_pieces(text, |t| out.push(t)).then_some(out)
}

/// Calls `f` with each of [`tokens`]' tokens in order, without collecting
/// them: the word diff turns each into its own token at once.
pub fn for_each_token<'a>(text: &'a str, f: impl FnMut(Token<'a>)) {
    if all_fast(text) {
        fast_pieces(text, f);
    } else {
        glue(text, text.split_word_bound_indices())
            .into_iter()
            .for_each(f);
    }
}

/// [`fast_tokens`]' pass, handing each token to `f`; false at the first
/// character without a [`char_class`], after the tokens before it.
#[inline(always)]
fn fast_pieces<'a>(text: &'a str, mut f: impl FnMut(Token<'a>)) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let (class, len) = class_at(text, i);
        // Each piece starts where the last ended, and no piece runs over a
        // character without a class (it has no bits): checking where they
        // start checks every character.
        if len == 0 {
            return false;
        }
        let kind = if class & CORE != 0 {
            let (end, seen) = word_end(text, start);
            i = end;
            // Letters or digits make a word, underscores alone punctuation.
            if seen & (LETTER | DIGIT) == 0 {
                TokenKind::Punct
            } else {
                // UAX #29 splits "U.S." as "U.S" + "."; the final dot is
                // the abbreviation's.
                if b.get(i) == Some(&b'.') && is_dotted_abbreviation(&text[start..i]) {
                    i += 1;
                }
                TokenKind::Word
            }
        } else if class & SPACE != 0 {
            // Spaces, tabs and line breaks are pieces of their own, which
            // `glue` merges into one token.
            i += len;
            loop {
                let (class, len) = class_at(text, i);
                if class & SPACE == 0 {
                    break;
                }
                i += len;
            }
            TokenKind::Space
        } else {
            // Any other character is a piece, and punctuation.
            i += len;
            TokenKind::Punct
        };
        f(Token {
            kind,
            text: &text[start..i],
            range: start..i,
        });
    }
    true
}

fn classify(piece: &str) -> TokenKind {
    if piece.chars().all(char::is_whitespace) {
        TokenKind::Space
    } else if piece.chars().any(char::is_alphanumeric) {
        TokenKind::Word
    } else {
        TokenKind::Punct
    }
}

/// "U.S", "e.g" (the final dot not yet attached): letters separated by single dots.
fn is_dotted_abbreviation(word: &str) -> bool {
    // Checked at every word before a full stop, so without collecting the parts.
    let mut parts = 0;
    for part in word.split('.') {
        let mut chars = part.chars();
        let letters = match (chars.next(), chars.next(), chars.next()) {
            (Some(a), None, _) => a.is_alphabetic(),
            (Some(a), Some(b), None) => a.is_alphabetic() && b.is_alphabetic(),
            _ => false,
        };
        if !letters {
            return false;
        }
        parts += 1;
    }
    parts >= 2
}

/// The words of a text (no spaces or punctuation), with byte ranges.
pub fn words(text: &str) -> impl Iterator<Item = Token<'_>> {
    tokens(text)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Word)
}

/// Which differences alone make a style change rather than a spelling or
/// wording change. All on by default; users turn them off in the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Normalization {
    /// Curly and straight quotes and apostrophes: "Don’t" / "Don't".
    pub quotes: bool,
    /// Hyphens, en and em dashes.
    pub dashes: bool,
    /// Upper and lower case: "Minister" / "minister".
    pub case: bool,
    /// Dots in abbreviations: "U.S." / "US".
    pub abbreviation_dots: bool,
    /// Spacing: on, a difference in spacing alone is no change at all;
    /// off, it is reported as a style change.
    pub whitespace: bool,
}

impl Default for Normalization {
    fn default() -> Self {
        Self {
            quotes: true,
            dashes: true,
            case: true,
            abbreviation_dots: true,
            whitespace: true,
        }
    }
}

/// The key of a word under the chosen normalisations (see [`normalize`]).
pub fn normalize_with<'a>(word: &'a str, n: &Normalization) -> Cow<'a, str> {
    if n.quotes && n.dashes && n.case && n.abbreviation_dots {
        return normalize(word);
    }
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            '.' if n.abbreviation_dots => {}
            '’' | '‘' | '`' | '´' | 'ʼ' if n.quotes => out.push('\''),
            '“' | '”' | '„' | '«' | '»' if n.quotes => out.push('"'),
            '‐' | '‑' | '‒' | '–' | '—' | '―' if n.dashes => out.push('-'),
            c if n.case => out.extend(c.to_lowercase()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The key of a punctuation mark under the chosen normalisations.
pub fn normalize_punct_with<'a>(p: &'a str, n: &Normalization) -> Cow<'a, str> {
    if n.quotes && n.dashes {
        return normalize_punct(p);
    }
    if p.is_ascii() {
        return Cow::Borrowed(p);
    }
    Cow::Owned(
        p.chars()
            .map(|c| match c {
                '’' | '‘' | '`' | '´' | 'ʼ' if n.quotes => '\'',
                '“' | '”' | '„' | '«' | '»' if n.quotes => '"',
                '‐' | '‑' | '‒' | '–' | '—' | '―' if n.dashes => '-',
                _ => c,
            })
            .collect(),
    )
}

/// The key under which two spellings of a word count as the same word in a
/// different style: lower case, no dots, straight quotes, one kind of dash.
/// "U.S." → "us", "Tehran’s" → "tehran's".
pub fn normalize(word: &str) -> Cow<'_, str> {
    if is_normal(word) {
        return Cow::Borrowed(word);
    }
    let mut out = String::with_capacity(word.len());
    fold_into(word, &mut out);
    Cow::Owned(out)
}

/// Whether [`normalize`] leaves a word as it is.
fn is_normal(word: &str) -> bool {
    word.bytes()
        .all(|b| BYTE_CLASS[usize::from(b)] & (FOLD | NON_ASCII) == 0)
}

/// [`normalize`]'s folding, appended to `out`.
fn fold_into(word: &str, out: &mut String) {
    if word.is_ascii() {
        fold_ascii_into(word, out);
        return;
    }
    for c in word.chars() {
        match c {
            '.' => {}
            '’' | '‘' | '`' | '´' | 'ʼ' => out.push('\''),
            '“' | '”' | '„' | '«' | '»' => out.push('"'),
            '‐' | '‑' | '‒' | '–' | '—' | '―' => out.push('-'),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            _ => out.extend(c.to_lowercase()),
        }
    }
}

/// [`fold_into`] for an ASCII word: the same folding byte by byte (ASCII
/// lowercases to ASCII).
fn fold_ascii_into(word: &str, out: &mut String) {
    out.extend(word.bytes().filter(|&b| b != b'.').map(|b| {
        if b == b'`' {
            '\''
        } else {
            char::from(b.to_ascii_lowercase())
        }
    }));
}

/// Calls `f` with the [`normalize`]d form of each of the text's [`words`],
/// in order, without building its tokens or a string per word: the loader
/// and clustering only need the words' keys, and making every token was
/// most of their time.
pub fn for_each_normalized_word(text: &str, mut f: impl FnMut(&str)) {
    if !all_fast(text) {
        for w in words(text) {
            f(&normalize(w.text));
        }
        return;
    }
    // The words are the pieces `fast_tokens` makes into words, found in one
    // pass that also notes what folding each needs. Gluing a dotted
    // abbreviation's final dot back on, as `tokens` does, changes no key:
    // normalising drops dots.
    let b = text.as_bytes();
    let mut buf = String::new();
    let mut i = 0;
    while let Some(&byte) = b.get(i) {
        let class = BYTE_CLASS[usize::from(byte)];
        if class & CORE == 0 {
            if class & NON_ASCII == 0 {
                i += 1;
                continue;
            }
            let (class, len) = decoded_class(text, i);
            if class & CORE == 0 {
                // Every character has a class, so `len` is not 0; were it,
                // stepping a byte would still end the loop.
                i += len.max(1);
                continue;
            }
        }
        let start = i;
        let (end, seen) = word_end(text, start);
        i = end;
        let word = &text[start..end];
        if seen & (LETTER | DIGIT) == 0 {
            // Underscores alone are punctuation.
            continue;
        }
        if seen & (FOLD | NON_ASCII) == 0 {
            f(word);
        } else {
            buf.clear();
            if seen & NON_ASCII == 0 {
                fold_ascii_into(word, &mut buf);
            } else {
                fold_into(word, &mut buf);
            }
            f(&buf);
        }
    }
}

/// The normalised form of a punctuation token (quotes and dashes folded).
pub fn normalize_punct(p: &str) -> Cow<'_, str> {
    if p.is_ascii() {
        return Cow::Borrowed(p);
    }
    Cow::Owned(
        p.chars()
            .map(|c| match c {
                '’' | '‘' | '`' | '´' | 'ʼ' => '\'',
                '“' | '”' | '„' | '«' | '»' => '"',
                '‐' | '‑' | '‒' | '–' | '—' | '―' => '-',
                _ => c,
            })
            .collect(),
    )
}

/// Maps words to small integers so that comparing paragraphs compares `u32`s.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    ids: FxHashMap<String, u32>,
}

impl Interner {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn intern(&mut self, key: &str) -> u32 {
        if let Some(&id) = self.ids.get(key) {
            return id;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(key.to_owned(), id);
        id
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// A stable 64-bit hash of a string (FxHash is stable across runs, unlike std's SipHash keys).
pub fn hash_str(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    s.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        tokens(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn tokens_cover_the_text() {
        let s = "Wei also met Gen. Mohammad Reza Ashtinai,  who “underscored” the U.S. role.";
        let toks = tokens(s);
        let joined: String = toks.iter().map(|t| t.text).collect();
        assert_eq!(joined, s);
        for w in toks.windows(2) {
            assert_eq!(w[0].range.end, w[1].range.start);
        }
    }

    #[test]
    fn abbreviation_keeps_its_dots() {
        assert_eq!(
            texts("the U.S. role"),
            vec!["the", " ", "U.S.", " ", "role"]
        );
        assert_eq!(texts("ends here."), vec!["ends", " ", "here", "."]);
        assert_eq!(normalize("U.S."), "us");
        assert_eq!(normalize("US"), "us");
    }

    #[test]
    fn quotes_and_dashes_fold() {
        assert_eq!(normalize("Tehran’s"), "tehran's");
        assert_eq!(normalize_punct("—"), "-");
        assert_eq!(normalize_punct("“"), "\"");
    }

    #[test]
    fn normalisations_can_be_turned_off() {
        let all = Normalization::default();
        let none = Normalization {
            quotes: false,
            dashes: false,
            case: false,
            abbreviation_dots: false,
            whitespace: false,
        };
        assert_eq!(normalize_with("U.S.", &all), normalize_with("US", &all));
        assert_ne!(normalize_with("U.S.", &none), normalize_with("US", &none));
        assert_ne!(
            normalize_with("Minister", &none),
            normalize_with("minister", &none)
        );
        assert_ne!(
            normalize_punct_with("“", &none),
            normalize_punct_with("\"", &none)
        );
    }

    /// Every character the fast path knows, with a few it does not.
    fn alphabet() -> Vec<char> {
        let mut v: Vec<char> = (0u32..0x250).filter_map(char::from_u32).collect();
        v.extend(
            "\u{2018}\u{2019}\u{201c}\u{201d}\u{2013}\u{2014}\u{2026}\u{2022}\u{20ac}".chars(),
        );
        v.extend("\u{ad}\u{301}\u{5d0}\u{30a2}\u{200d}\u{2060}北".chars());
        v
    }

    /// The tokens of the general segmenter, which the fast path must equal.
    fn general(s: &str) -> Vec<Token<'_>> {
        glue(s, s.split_word_bound_indices())
    }

    /// [`normalize`] spelled out character by character.
    fn reference_key(w: &str) -> String {
        w.chars()
            .filter(|&c| c != '.')
            .flat_map(|c| match c {
                '’' | '‘' | '`' | '´' | 'ʼ' => vec!['\''],
                '“' | '”' | '„' | '«' | '»' => vec!['"'],
                '‐' | '‑' | '‒' | '–' | '—' | '―' => vec!['-'],
                c => c.to_lowercase().collect(),
            })
            .collect()
    }

    /// Tokens, words and keys of `s` by the fast paths against the general
    /// segmenter and the reference folding.
    fn check_against_general(s: &str) -> Result<(), proptest::test_runner::TestCaseError> {
        let known = s.chars().all(|c| char_class(c).is_some());
        proptest::prop_assert_eq!(all_fast(s), known);
        let expected = general(s);
        match fast_tokens(s) {
            Some(fast) => {
                proptest::prop_assert!(known);
                proptest::prop_assert_eq!(&fast, &expected);
            }
            None => proptest::prop_assert!(!known),
        }
        proptest::prop_assert_eq!(&tokens(s), &expected);
        let mut each = Vec::new();
        for_each_token(s, |t| each.push(t));
        proptest::prop_assert_eq!(&each, &expected);
        let mut keys = Vec::new();
        for_each_normalized_word(s, |w| keys.push(w.to_owned()));
        let expected_keys: Vec<String> = expected
            .iter()
            .filter(|t| t.kind == TokenKind::Word)
            .map(|t| reference_key(t.text))
            .collect();
        proptest::prop_assert_eq!(&keys, &expected_keys);
        for t in &expected {
            proptest::prop_assert_eq!(normalize(t.text), reference_key(t.text));
        }
        Ok(())
    }

    #[test]
    fn fast_tokens_match_uax29_for_every_known_character() {
        // Each character between each pair of context characters that
        // exercise the joining rules (letters, digits, middles, spaces, CR).
        let ctx = [
            'a', 'Z', 'é', '1', '_', '.', ':', ',', '\'', ' ', '\r', '\n', '\u{2019}', '-',
        ];
        for c in alphabet().into_iter().filter(|&c| char_class(c).is_some()) {
            for x in ctx {
                for y in ctx {
                    for s in [
                        format!("{x}{c}{y}"),
                        format!("{x}{x}{c}{y}{y}"),
                        format!("{c}{c}{x}{c}{y}"),
                    ] {
                        let fast = fast_tokens(&s);
                        assert_eq!(fast, Some(general(&s)), "{s:?} ({:?})", char_class(c));
                        check_against_general(&s).unwrap();
                    }
                }
            }
        }
    }

    #[test]
    fn is_normal_is_the_ascii_test_it_was() {
        for c in alphabet() {
            let s = c.to_string();
            let b = s.as_bytes()[0];
            let old = s.bytes().all(|b| {
                b.is_ascii() && !b.is_ascii_uppercase() && b != b'.' && b != b'`' && b != b'"'
            });
            assert_eq!(is_normal(&s), old, "{c:?} {b}");
        }
    }

    /// Pieces of news text: abbreviations, numbers, contractions, quotes,
    /// dashes, underscores, spaces and line breaks, and a few characters
    /// only the general segmenter knows.
    const FRAGMENTS: &[&str] = &[
        "U.S.",
        "e.g.",
        "U.K",
        "a.b.c.",
        "Ph.D.",
        "Mr.",
        "No.",
        "St.",
        "1,000",
        "3.5",
        "2,5.7",
        "10:30",
        "1;2",
        "don't",
        "Don’t",
        "‘quoted’",
        "“Said”",
        "rock’n’roll",
        "—",
        "–",
        "-",
        "…",
        "•",
        "€5",
        "£",
        "©",
        "°",
        "«",
        "»",
        "_",
        "__",
        "_We_",
        "snake_case",
        "x_1",
        "Élysée",
        "naïve",
        "ŁÓDŹ",
        "Ǆ",
        "ß",
        "ı",
        "İ",
        " ",
        "  ",
        "\t",
        "\u{a0}",
        "\r\n",
        "\n",
        "\r",
        "\u{b}",
        "\u{c}",
        ".",
        ",",
        ":",
        ";",
        "'",
        "`",
        "\"",
        "!",
        "?",
        "(",
        ")",
        "a",
        "Z",
        "9",
        "word",
        "Minister",
        "IT’S",
        "北京",
        "\u{301}",
        "\u{200d}",
        "\u{ad}",
        "שלום",
        "カタ",
        "🙂",
    ];

    proptest::proptest! {
        /// The eight-byte step of `word_end` agrees with the byte table.
        #[test]
        fn core_prefix_matches_the_byte_table(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(b"aqzAQZ09_ '.:,;`@[{/".to_vec()),
                    proptest::num::u8::ANY,
                ],
                8,
            )
        ) {
            let chunk: [u8; 8] = bytes.as_slice().try_into().expect("eight bytes");
            let n = chunk
                .iter()
                .take_while(|&&b| BYTE_CLASS[usize::from(b)] & CORE != 0)
                .count();
            let bits = chunk[..n]
                .iter()
                .fold(0, |bits, &b| bits | BYTE_CLASS[usize::from(b)]);
            let end = if n == 0 { 0 } else { chunk[n - 1] };
            proptest::prop_assert_eq!(core_prefix(u64::from_le_bytes(chunk)), (n, bits, end));
        }

        /// Long words, where `word_end` takes eight bytes at a time.
        #[test]
        fn long_words_match_the_general_segmenter(
            s in proptest::collection::vec(
                proptest::sample::select("aaaaaaaaZZq9_ .'’é,".chars().collect::<Vec<_>>()),
                0..80,
            )
        ) {
            let s: String = s.into_iter().collect();
            check_against_general(&s)?;
        }

        #[test]
        fn fast_tokens_match_the_general_segmenter(
            s in proptest::collection::vec(proptest::sample::select(alphabet()), 0..60)
        ) {
            let s: String = s.into_iter().collect();
            check_against_general(&s)?;
        }

        #[test]
        fn normalized_words_match_the_general_ones(
            s in proptest::collection::vec(
                proptest::sample::select("aZq9_.:,;'\" \r\n-`Xé’".chars().collect::<Vec<_>>()),
                0..40,
            )
        ) {
            let s: String = s.into_iter().collect();
            check_against_general(&s)?;
        }

        #[test]
        fn news_like_text_matches_the_general_segmenter(
            parts in proptest::collection::vec(
                proptest::sample::select(FRAGMENTS),
                0..30,
            ),
            known_only in proptest::bool::ANY,
        ) {
            let s: String = parts
                .into_iter()
                .filter(|p| !known_only || p.chars().all(|c| char_class(c).is_some()))
                .collect();
            check_against_general(&s)?;
        }
    }

    #[test]
    fn ascii_folding_matches_the_general_one() {
        for w in ["U.S.", "Don`t", "ABC", "x\"Y", "e.g.", "A_B.1"] {
            let general: String = w
                .chars()
                .filter(|&c| c != '.')
                .flat_map(|c| {
                    if c == '`' {
                        vec!['\'']
                    } else {
                        c.to_lowercase().collect()
                    }
                })
                .collect();
            assert_eq!(normalize(w), general);
        }
    }

    #[test]
    fn cjk_splits_into_characters() {
        let w: Vec<_> = words("北京欢迎你").map(|t| t.text).collect();
        assert!(w.len() > 1);
    }
}
