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
    // classes are known (see `fast_class`); the table lookups of the general
    // segmenter were a fifth of loading time. Other text takes the general
    // path; both give the same pieces (tested against each other below).
    if all_fast(text) {
        glue(text, FastWordBounds { text, pos: 0 })
    } else {
        glue(text, text.split_word_bound_indices())
    }
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

/// The UAX #29 word-break classes the fast path knows (no Hebrew, Katakana,
/// extenders or format characters, so rules WB4, WB7a–c and WB13 never apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wb {
    Cr,
    Lf,
    Newline,
    ALetter,
    Numeric,
    MidLetter,
    MidNum,
    /// MidNumLet and Single_Quote, which the rules treat alike outside Hebrew.
    MidNumLetQ,
    ExtendNumLet,
    WSegSpace,
    Other,
}

/// The word-break class of a character the fast path handles: ASCII, the
/// Latin letters of Latin-1 and Latin Extended-A/B, and the typographic
/// quotes, dashes and spaces of news text. `None`: use the general segmenter.
#[inline]
fn fast_class(c: char) -> Option<Wb> {
    if c.is_ascii() {
        return Some(ASCII_CLASS[c as usize]);
    }
    Some(match c {
        '\u{2018}' | '\u{2019}' => Wb::MidNumLetQ,
        '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{f6}' | '\u{f8}'..='\u{24f}' => Wb::ALetter,
        '\u{a0}' | '\u{ab}' | '\u{bb}' | '\u{a3}' | '\u{a9}' | '\u{b0}' | '\u{20ac}' => Wb::Other,
        '\u{2013}' | '\u{2014}' | '\u{201c}' | '\u{201d}' | '\u{2026}' | '\u{2022}' => Wb::Other,
        _ => return None,
    })
}

/// The word-break class of each ASCII character.
static ASCII_CLASS: [Wb; 128] = {
    let mut t = [Wb::Other; 128];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        t[i] = match b {
            b'a'..=b'z' | b'A'..=b'Z' => Wb::ALetter,
            b'0'..=b'9' => Wb::Numeric,
            b' ' => Wb::WSegSpace,
            b'.' | b'\'' => Wb::MidNumLetQ,
            b',' | b';' => Wb::MidNum,
            b':' => Wb::MidLetter,
            b'_' => Wb::ExtendNumLet,
            b'\r' => Wb::Cr,
            b'\n' => Wb::Lf,
            0x0b | 0x0c => Wb::Newline,
            _ => Wb::Other,
        };
        i += 1;
    }
    t
};

/// Whether every character of `text` has a [`fast_class`].
fn all_fast(text: &str) -> bool {
    text.is_ascii() || text.chars().all(|c| fast_class(c).is_some())
}

/// UAX #29 word boundaries for text whose every character has a
/// [`fast_class`]; the same pieces as `split_word_bound_indices`.
struct FastWordBounds<'a> {
    text: &'a str,
    pos: usize,
}

impl FastWordBounds<'_> {
    /// The class and byte length of the character at byte `i` (a char boundary).
    #[inline]
    fn at(&self, i: usize) -> Option<(Wb, usize)> {
        let b = *self.text.as_bytes().get(i)?;
        if b < 0x80 {
            return Some((ASCII_CLASS[b as usize], 1));
        }
        let c = self.text[i..].chars().next()?;
        Some((fast_class(c).unwrap_or(Wb::Other), c.len_utf8()))
    }
}

impl<'a> Iterator for FastWordBounds<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        let start = self.pos;
        let (first, len) = self.at(start)?;
        let core = |w: Wb| matches!(w, Wb::ALetter | Wb::Numeric | Wb::ExtendNumLet);
        let mut end = start + len;
        match first {
            // WB3d: spaces stay together.
            Wb::WSegSpace => {
                while let Some((Wb::WSegSpace, l)) = self.at(end) {
                    end += l;
                }
            }
            // WB3: CR × LF; otherwise WB3a/b break around newlines.
            Wb::Cr if self.text.as_bytes().get(end) == Some(&b'\n') => end += 1,
            // WB5–WB13b: letters, digits and underscores join, and so does
            // a middle character between two letters (WB6/7) or two digits
            // (WB11/12).
            w if core(w) => {
                let mut prev = w;
                while let Some((cur, l)) = self.at(end) {
                    if core(cur) {
                        end += l;
                        prev = cur;
                        continue;
                    }
                    let mid_letter = matches!(cur, Wb::MidLetter | Wb::MidNumLetQ);
                    let mid_num = matches!(cur, Wb::MidNum | Wb::MidNumLetQ);
                    let joins = match (prev, self.at(end + l).map(|(w, _)| w)) {
                        (Wb::ALetter, Some(Wb::ALetter)) => mid_letter,
                        (Wb::Numeric, Some(Wb::Numeric)) => mid_num,
                        _ => false,
                    };
                    if !joins {
                        break;
                    }
                    end += l;
                    prev = cur;
                }
            }
            _ => {}
        }
        self.pos = end;
        Some((start, &self.text[start..end]))
    }
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
    let parts: Vec<&str> = word.split('.').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| (1..=2).contains(&p.chars().count()) && p.chars().all(char::is_alphabetic))
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
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase() && b != b'.' && b != b'`' && b != b'"')
}

/// [`normalize`]'s folding, appended to `out`.
fn fold_into(word: &str, out: &mut String) {
    if word.is_ascii() {
        // The same folding byte by byte (ASCII lowercases to ASCII).
        for b in word.bytes().filter(|&b| b != b'.') {
            out.push(if b == b'`' {
                '\''
            } else {
                char::from(b.to_ascii_lowercase())
            });
        }
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

/// Calls `f` with the [`normalize`]d form of each of the text's [`words`],
/// in order, without building its tokens or a string per word: the loader
/// and clustering only need the words' keys, and making every token was
/// most of their time.
pub fn for_each_normalized_word(text: &str, mut f: impl FnMut(&str)) {
    // Gluing a dotted abbreviation's final dot back on, as `tokens` does,
    // changes no key: normalising drops dots.
    if all_fast(text) {
        let mut buf = String::new();
        fast_words(text, |w| {
            if is_normal(w) {
                f(w);
            } else {
                buf.clear();
                fold_into(w, &mut buf);
                f(&buf);
            }
        });
    } else {
        for w in words(text) {
            f(&normalize(w.text));
        }
    }
}

/// The words of a text whose every character has a [`fast_class`], as
/// [`FastWordBounds`] and [`classify`] find them, skipping everything else
/// without making pieces of it: letters, digits and underscores run
/// together, and so does a middle character between two letters or two
/// digits (WB6/7, WB11/12); a run of underscores alone is not a word.
fn fast_words<'a>(text: &'a str, mut f: impl FnMut(&'a str)) {
    let b = text.as_bytes();
    let class_at = |i: usize| -> Option<(Wb, usize)> {
        let c = *b.get(i)?;
        if c < 0x80 {
            return Some((ASCII_CLASS[c as usize], 1));
        }
        let ch = text.get(i..)?.chars().next()?;
        Some((fast_class(ch).unwrap_or(Wb::Other), ch.len_utf8()))
    };
    let core = |w: Wb| matches!(w, Wb::ALetter | Wb::Numeric | Wb::ExtendNumLet);
    let mut i = 0;
    while let Some((first, len)) = class_at(i) {
        if !core(first) {
            i += len;
            continue;
        }
        let start = i;
        let mut prev = first;
        i += len;
        while let Some((cur, l)) = class_at(i) {
            if core(cur) {
                prev = cur;
                i += l;
                continue;
            }
            let Some((next, nl)) = class_at(i + l) else {
                break;
            };
            let joins = match (prev, next) {
                (Wb::ALetter, Wb::ALetter) => matches!(cur, Wb::MidLetter | Wb::MidNumLetQ),
                (Wb::Numeric, Wb::Numeric) => matches!(cur, Wb::MidNum | Wb::MidNumLetQ),
                _ => false,
            };
            if !joins {
                break;
            }
            prev = next;
            i += l + nl;
        }
        if b[start..i].iter().any(|&c| c != b'_') {
            f(&text[start..i]);
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

    fn general(s: &str) -> Vec<(usize, &str)> {
        s.split_word_bound_indices().collect()
    }

    #[test]
    fn fast_bounds_match_uax29_for_every_known_character() {
        // Each character between each pair of context characters that
        // exercise the joining rules (letters, digits, middles, spaces, CR).
        let ctx = [
            'a', 'Z', 'é', '1', '_', '.', ':', ',', '\'', ' ', '\r', '\n', '\u{2019}', '-',
        ];
        for c in alphabet().into_iter().filter(|&c| fast_class(c).is_some()) {
            for x in ctx {
                for y in ctx {
                    for s in [
                        format!("{x}{c}{y}"),
                        format!("{x}{x}{c}{y}{y}"),
                        format!("{c}{c}{x}{c}{y}"),
                    ] {
                        let fast: Vec<_> = FastWordBounds { text: &s, pos: 0 }.collect();
                        assert_eq!(fast, general(&s), "{s:?} ({:?})", fast_class(c));
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_tokens_match_the_general_segmenter(
            s in proptest::collection::vec(proptest::sample::select(alphabet()), 0..60)
        ) {
            let s: String = s.into_iter().collect();
            if s.chars().all(|c| fast_class(c).is_some()) {
                let fast: Vec<_> = FastWordBounds { text: &s, pos: 0 }.collect();
                proptest::prop_assert_eq!(fast, general(&s));
            }
            let general_tokens = glue(&s, s.split_word_bound_indices());
            proptest::prop_assert_eq!(tokens(&s), general_tokens);
            let mut keys = Vec::new();
            for_each_normalized_word(&s, |w| keys.push(w.to_owned()));
            let expected: Vec<String> = words(&s).map(|w| normalize(w.text).into_owned()).collect();
            proptest::prop_assert_eq!(keys, expected);
        }

        #[test]
        fn normalized_words_match_the_tokens_words(
            s in proptest::collection::vec(
                proptest::sample::select("aZq9_.:,;'\" \r\n-`Xé’".chars().collect::<Vec<_>>()),
                0..40,
            )
        ) {
            let s: String = s.into_iter().collect();
            let mut keys = Vec::new();
            for_each_normalized_word(&s, |w| keys.push(w.to_owned()));
            let expected: Vec<String> = words(&s).map(|w| normalize(w.text).into_owned()).collect();
            proptest::prop_assert_eq!(keys, expected);
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
