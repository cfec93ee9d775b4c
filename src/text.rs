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
    let mut out: Vec<Token<'_>> = Vec::new();
    for (start, piece) in text.split_word_bound_indices() {
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
    let plain = word
        .chars()
        .all(|c| c.is_ascii() && !c.is_ascii_uppercase() && c != '.' && c != '`' && c != '"');
    if plain {
        return Cow::Borrowed(word);
    }
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            '.' => {}
            '’' | '‘' | '`' | '´' | 'ʼ' => out.push('\''),
            '“' | '”' | '„' | '«' | '»' => out.push('"'),
            '‐' | '‑' | '‒' | '–' | '—' | '―' => out.push('-'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    Cow::Owned(out)
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

    #[test]
    fn cjk_splits_into_characters() {
        let w: Vec<_> = words("北京欢迎你").map(|t| t.text).collect();
        assert!(w.len() > 1);
    }
}
