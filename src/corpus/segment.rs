//! Splitting a file's text into paragraphs and articles, with roles.
//!
//! In: one file's decoded text and a [`Segmenter`] (the compiled
//! [`SegmentOptions`]). Out: [`ArticleDraft`]s, each with its title, its
//! paragraphs (furniture included, each with its [`Role`] and line span)
//! and the span from its first headline, caption or body line to its last
//! body line. Pure: no I/O, linear in the length of the text.
//!
//! The steps:
//! 1. layout ([`super::layout`]): lines → raw paragraphs;
//! 2. a kind per paragraph: furniture pattern, caption, headline-like line,
//!    short section title, or body; a paragraph whose text already appeared
//!    earlier in the file is a repeat;
//! 3. article boundaries, looked for only between two body paragraphs: a
//!    headline after a wider blank gap than the body uses, front matter in
//!    the middle of a Markdown file, or a headline block, a run of
//!    furniture or a lone headline followed by body about something else;
//! 4. roles by position: headline-like lines before an article's first body
//!    paragraph are its `Headline`, those between body paragraphs are
//!    inserted `RelatedLink`s (short section titles stay `Heading`).

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::sync::LazyLock;

use regex::Regex;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::furniture::{self, Furniture, PatternError, Place};
use super::layout::{self, RawPara, Shape};
use crate::model::{FurnitureKind, LineSpan, Paragraph, Role};
use crate::text;

/// How to split and clean.
#[derive(Debug, Clone)]
pub struct SegmentOptions {
    /// Extra furniture patterns (regular expressions matched against a whole
    /// paragraph, ignoring case), on top of the built-in ones in
    /// [`furniture::BUILTIN`].
    pub extra_furniture: Vec<String>,
    /// A paragraph whose text already appeared earlier in the file is furniture.
    pub fold_repeats: bool,
    /// Blank lines before a headline that start a new article; 0: one more
    /// than the file's body paragraphs usually have (at least two).
    pub boundary_blank_lines: u32,
    /// Also split where the subject changes after a headline or furniture.
    pub split_on_topic_change: bool,
}

impl Default for SegmentOptions {
    fn default() -> Self {
        SegmentOptions {
            extra_furniture: Vec::new(),
            fold_repeats: true,
            boundary_blank_lines: 0,
            split_on_topic_change: true,
        }
    }
}

/// [`SegmentOptions`] compiled once, ready to segment any number of files.
#[derive(Debug, Clone)]
pub struct Segmenter {
    furniture: Furniture,
    fold_repeats: bool,
    boundary_blank_lines: u32,
    split_on_topic_change: bool,
}

impl Segmenter {
    /// Compile the options; a bad user pattern is reported, not a panic.
    pub fn new(opts: &SegmentOptions) -> Result<Segmenter, PatternError> {
        Ok(Segmenter {
            furniture: Furniture::new(&opts.extra_furniture)?,
            fold_repeats: opts.fold_repeats,
            boundary_blank_lines: opts.boundary_blank_lines,
            split_on_topic_change: opts.split_on_topic_change,
        })
    }

    /// Split one file's text into articles.
    pub fn segment(&self, text: &str) -> Vec<ArticleDraft> {
        segment_text(text, self)
    }
}

/// An article found in one file, before it gets its corpus-wide id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleDraft {
    pub title: String,
    pub paragraphs: Vec<Paragraph>,
    /// From the first headline, caption or body line to the last body line.
    pub lines: LineSpan,
}

/// Longest title kept, in characters.
pub(crate) const TITLE_CHARS: usize = 80;
/// Only this many bytes of a paragraph are read for its vocabulary.
const VOCAB_BYTES: usize = 4000;
/// Body paragraphs after a candidate boundary compared with the article so
/// far: the uninterrupted body that follows, until it has enough words.
const WINDOW_AFTER: usize = 6;
const WINDOW_WORDS: usize = 40;
/// Fewer content words than this after a boundary: too little to judge a change of subject.
const MIN_WINDOW_WORDS: usize = 12;

/// Share of the following body's content words (counted with repeats, so
/// that a story's recurring names weigh most) already used by the article
/// so far, below which the body is taken for another article.
/// A headline block (headline + caption, date or byline) is a strong hint,
/// a lone headline-like line a weak one (it is usually an inserted link).
const SIM_HEAD_BLOCK: f32 = 0.3;
const SIM_END_FURNITURE: f32 = 0.2;
const SIM_FURNITURE: f32 = 0.18;
const SIM_LONE_HEAD: f32 = 0.15;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Body,
    Heading,
    /// Short, no closing sentence punctuation: a headline, deck or inserted link.
    Head,
    /// A short section title ("A. Definitions", "Background").
    Short,
    Caption,
    Furn(FurnitureKind, Place),
}

impl Kind {
    fn is_body(self) -> bool {
        matches!(self, Kind::Body | Kind::Heading)
    }

    fn is_headlike(self) -> bool {
        matches!(self, Kind::Head | Kind::Short)
    }

    fn is_lead_in(self) -> bool {
        matches!(
            self,
            Kind::Head
                | Kind::Short
                | Kind::Caption
                | Kind::Furn(
                    FurnitureKind::Date | FurnitureKind::Byline | FurnitureKind::Repeat,
                    _
                )
        )
    }
}

/// Split one file's text into articles. Empty or blank text gives none;
/// so does text with no body paragraph at all (only furniture).
pub fn segment_text(text: &str, seg: &Segmenter) -> Vec<ArticleDraft> {
    let layout = layout::layout(text);
    let flow = Flow {
        markdown: layout.markdown,
        wrapped: layout.wrap_width.is_some(),
        one_article: false,
    };
    let mut paras = layout.paras;
    let Some((kinds, starts)) = plan(&paras, flow, seg) else {
        return Vec::new();
    };
    // The laid-out paragraphs are not needed after: their texts move into
    // the drafts instead of being copied.
    let mut texts: Vec<String> = paras
        .iter_mut()
        .map(|r| std::mem::take(&mut r.text))
        .collect();
    drafts(&paras, &kinds, &starts, |s, e| {
        texts[s..e].iter_mut().map(std::mem::take).collect()
    })
}

/// How to read paragraphs that were not laid out from plain text here: the
/// blocks of an HTML page or of a JSON record's text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flow {
    /// Markdown: every plain paragraph is body, only `#` headings are headings.
    pub markdown: bool,
    /// A hard-wrapped document: unpunctuated lines inside it are prose.
    pub wrapped: bool,
    /// The paragraphs are one article (a JSON record): no boundary is looked for.
    pub one_article: bool,
}

/// Steps 2 to 4 on paragraphs already laid out (step 1), by [`segment_text`]
/// or by a reader of a structured format.
pub fn segment_paras(texts: &[RawPara], flow: Flow, seg: &Segmenter) -> Vec<ArticleDraft> {
    let Some((kinds, starts)) = plan(texts, flow, seg) else {
        return Vec::new();
    };
    drafts(texts, &kinds, &starts, |s, e| {
        texts[s..e].iter().map(|r| r.text.clone()).collect()
    })
}

/// The kind of each paragraph and the first paragraph of each article;
/// `None` when there is no body paragraph.
fn plan(texts: &[RawPara], flow: Flow, seg: &Segmenter) -> Option<(Vec<Kind>, Vec<usize>)> {
    let Flow {
        markdown, wrapped, ..
    } = flow;
    if texts.is_empty() {
        return None;
    }
    // Roles and boundaries are judged on what a reader sees: escape
    // sequences and invisible characters must not turn a headline into body
    // or split an article. The paragraphs keep their text as it is.
    let raws = &visible_paras(texts);
    // In hard-wrapped documents most lines end mid-sentence: a paragraph
    // of several lines is prose even when it lacks a full stop. A long
    // file's paragraphs are classified in runs on the pool's threads:
    // `diff A B` segments two files at once, and the longer would
    // otherwise finish alone.
    let mut kinds: Vec<Kind> = raws
        .par_iter()
        .with_min_len(CLASSIFY_RUN)
        .map_init(String::new, |scratch, r| {
            match kind_of(r, markdown, &seg.furniture, scratch) {
                Kind::Head if wrapped && r.last > r.first => Kind::Body,
                k => k,
            }
        })
        .collect();
    if wrapped && let Some(first) = kinds.iter().position(|k| k.is_body()) {
        // Documents carry no inserted links: an unpunctuated line inside one
        // is an unmarked list item or a caption-less line of prose.
        for k in &mut kinds[first..] {
            if *k == Kind::Head {
                *k = Kind::Body;
            }
        }
    }
    if seg.fold_repeats {
        mark_repeats(raws, &mut kinds, markdown);
    }
    if !kinds.iter().any(|k| k.is_body()) {
        // Verse, lists of short lines: with no prose at all, the short lines are the text.
        for k in &mut kinds {
            if matches!(k, Kind::Head | Kind::Short | Kind::Caption) {
                *k = Kind::Body;
            }
        }
    }
    let bodies: Vec<usize> = (0..kinds.len()).filter(|&i| kinds[i].is_body()).collect();
    if bodies.is_empty() {
        return None;
    }
    let starts = if flow.one_article {
        vec![0]
    } else {
        boundaries(raws, &kinds, &bodies, markdown, wrapped, seg)
    };
    Some((kinds, starts))
}

/// The articles that start at `starts`; `texts_of(s, e)` gives the texts
/// of paragraphs `s..e`, which `raws` may no longer hold.
fn drafts(
    raws: &[RawPara],
    kinds: &[Kind],
    starts: &[usize],
    mut texts_of: impl FnMut(usize, usize) -> Vec<String>,
) -> Vec<ArticleDraft> {
    let mut drafts = Vec::with_capacity(starts.len());
    for (n, &s) in starts.iter().enumerate() {
        let e = starts.get(n + 1).copied().unwrap_or(raws.len());
        if let Some(d) = draft(&raws[s..e], &kinds[s..e], || texts_of(s, e)) {
            drafts.push(d);
        }
    }
    drafts
}

/// The paragraphs as [`crate::sanitize::visible_text`] sees them (borrowed when none changes).
fn visible_paras(raws: &[RawPara]) -> Cow<'_, [RawPara]> {
    use crate::sanitize::visible_text;
    if raws
        .iter()
        .all(|r| matches!(visible_text(&r.text), Cow::Borrowed(_)))
    {
        return Cow::Borrowed(raws);
    }
    Cow::Owned(
        raws.iter()
            .map(|r| RawPara {
                text: visible_text(&r.text).into_owned(),
                ..r.clone()
            })
            .collect(),
    )
}

/// Paragraphs a task when a file's paragraphs are classified: a file of
/// fewer is one task, as most files of a folder are.
const CLASSIFY_RUN: usize = 128;

fn kind_of(r: &RawPara, markdown: bool, furniture: &Furniture, scratch: &mut String) -> Kind {
    match r.shape {
        Shape::Heading(_) => Kind::Heading,
        Shape::FrontMatter | Shape::Comment | Shape::LinkDef => {
            Kind::Furn(FurnitureKind::Metadata, Place::Any)
        }
        Shape::TableRule | Shape::Rule => Kind::Furn(FurnitureKind::Boilerplate, Place::Any),
        Shape::TableRow | Shape::Code => Kind::Body,
        Shape::ListItem | Shape::Plain => {
            if let Some(m) = furniture.classify(&r.text, scratch) {
                return Kind::Furn(m.kind, m.place);
            }
            if markdown || r.shape == Shape::ListItem {
                Kind::Body
            } else if furniture::is_caption(&r.text) {
                Kind::Caption
            } else if headline_like(&r.text) {
                if short_heading_like(&r.text) {
                    Kind::Short
                } else {
                    Kind::Head
                }
            } else {
                Kind::Body
            }
        }
    }
}

/// Short, and not ending like a sentence: a headline, deck or section title.
fn headline_like(t: &str) -> bool {
    let t = t.trim();
    // The ending rules out most paragraphs (sentences) at a glance: it is
    // read before anything that walks the whole paragraph.
    let core = t.trim_end_matches(['"', '”', '’', '\'', '»', ')', ']', ' ']);
    let max_words = match core.chars().last() {
        Some('.' | ':' | ';' | ',' | '…') | None => return false,
        Some('?' | '!') => 15,
        Some(_) => 30,
    };
    t.len() <= 800
        && t.chars().count() <= 200
        && t.chars().any(char::is_alphabetic)
        && t.split_whitespace().take(max_words + 1).count() <= max_words
}

// Built from a constant: a failure is a bug caught by the tests, not an input error.
static ENUMERATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-Z]|[IVXLC]{1,6}|\d{1,2}(?:\.\d{1,2})*)[.)]\s+\S|^(?i:section|article|chapter|part|appendix|annex)\s+[\dIVXLC]+\b")
        .expect("built-in section title pattern")
});

/// Lower-case ASCII words that a Title Case line leaves in lower case.
const SMALL_WORDS: &[&str] = &[
    "a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "with", "at", "by", "from", "as",
    "vs",
];

/// Whether `t` starts as an [`ENUMERATED`] title can: a digit, a letter or
/// Roman numeral before `.` or `)`, or one of the section words (case-blind,
/// folded as the furniture gates fold). Nearly no headline does, and then
/// the pattern is neither run nor compiled.
fn may_be_enumerated(t: &str) -> bool {
    let b = t.as_bytes();
    let Some(first) = t.chars().next() else {
        return false;
    };
    let roman = b.iter().take_while(|c| b"IVXLC".contains(c)).count();
    let marker = |i: usize| matches!(b.get(i), Some(b'.' | b')'));
    if first.is_numeric()
        || (first.is_ascii_uppercase() && marker(1))
        || (roman > 0 && marker(roman))
    {
        return true;
    }
    furniture::starts_with_any(
        &furniture::fold(t),
        &["section", "article", "chapter", "part", "appendix", "annex"],
    )
}

/// "A. Definitions", "Section 3", or a Title Case line of a few words.
fn short_heading_like(t: &str) -> bool {
    let words = || t.split_whitespace();
    if words().nth(8).is_some() {
        return false;
    }
    if may_be_enumerated(t) && ENUMERATED.is_match(t) {
        return true;
    }
    // A word is one of the ASCII small words in lower case exactly when it
    // is one ignoring ASCII case: the only character outside ASCII that
    // lower-cases into it is the Kelvin sign, and no small word has a "k".
    words().nth(6).is_none()
        && words().all(|w| {
            w.starts_with(char::is_uppercase)
                || !w.starts_with(char::is_alphabetic)
                || SMALL_WORDS.iter().any(|s| w.eq_ignore_ascii_case(s))
        })
}

/// The text a repeat is recognised by (lower case, quotes folded, spaces
/// collapsed), as a hash: written into `buf`, which is reused so that no
/// paragraph is copied for good.
fn repeat_key(t: &str, buf: &mut String) -> u64 {
    buf.clear();
    // Whitespace read since the last character written: a space is owed
    // before the next one, unless nothing is written yet.
    let mut gap = false;
    let mut rest = t;
    while !rest.is_empty() {
        // News text is plain ASCII but for a few curly quotes and dashes, if
        // any: it is copied a stretch at a time, and only the characters
        // between the stretches are decoded.
        let plain = plain_key_len(rest.as_bytes());
        if plain > 0 {
            push_plain(&rest[..plain], buf, &mut gap);
            rest = &rest[plain..];
            continue;
        }
        let mut chars = rest.chars();
        let Some(c) = chars.next() else {
            break;
        };
        rest = chars.as_str();
        if c.is_whitespace() {
            gap = true;
            continue;
        }
        if gap && !buf.is_empty() {
            buf.push(' ');
        }
        gap = false;
        push_key_char(c, buf);
    }
    text::hash_str(buf)
}

/// A byte that stands for itself in a key but for its case: ASCII other
/// than the backquote and whitespace other than the space.
fn is_plain_key_byte(x: u8) -> bool {
    x.is_ascii() && x != b'`' && !(b'\t'..=b'\r').contains(&x)
}

/// A stretch of [`is_plain_key_byte`]s added to a key: lower case, each
/// run of spaces one space (owed in `gap` when it ends the stretch).
fn push_plain(s: &str, buf: &mut String, gap: &mut bool) {
    let inner = s.trim_matches(' ');
    if inner.is_empty() {
        *gap |= !s.is_empty();
        return;
    }
    if (*gap || s.starts_with(' ')) && !buf.is_empty() {
        buf.push(' ');
    }
    let start = buf.len();
    if inner.contains("  ") {
        for (n, w) in inner.split(' ').filter(|w| !w.is_empty()).enumerate() {
            if n > 0 {
                buf.push(' ');
            }
            buf.push_str(w);
        }
    } else {
        buf.push_str(inner);
    }
    buf[start..].make_ascii_lowercase();
    *gap = s.ends_with(' ');
}

/// How many bytes `b` starts with that are [`is_plain_key_byte`]s.
fn plain_key_len(b: &[u8]) -> usize {
    // Blocks of plain bytes only, nearly all of them, are passed over with
    // a test the compiler does many bytes at a time; the first other byte
    // is then looked for one at a time, in its block only.
    const BLOCK: usize = 32;
    let mut start = 0;
    for block in b.chunks(BLOCK) {
        if block
            .iter()
            .fold(false, |odd, &x| odd | !is_plain_key_byte(x))
        {
            break;
        }
        start += block.len();
    }
    let rest = &b[start..];
    start
        + rest
            .iter()
            .position(|&x| !is_plain_key_byte(x))
            .unwrap_or(rest.len())
}

/// A character of a key that is not an [`is_plain_key_byte`] nor whitespace.
fn push_key_char(c: char, buf: &mut String) {
    match c {
        '’' | '‘' | '`' | '´' => buf.push('\''),
        '“' | '”' | '„' | '«' | '»' => buf.push('"'),
        '‐' | '‑' | '‒' | '–' | '—' | '―' => buf.push('-'),
        c if c.is_ascii() => buf.push(c.to_ascii_lowercase()),
        _ => buf.extend(c.to_lowercase()),
    }
}

/// A paragraph whose text already appeared earlier in the file is a repeat
/// (a caption shown four times, a headline printed twice). Markdown section
/// headings and short Markdown lines may recur legitimately and are left alone.
///
/// One exception: a headline-like line after two or more blank lines whose
/// only earlier appearance was in a link list (headline-like lines after
/// end-of-article furniture such as "You May Also Like") is the headline of
/// the story that list linked to, pasted below: it stays a headline, so that
/// it can start an article.
fn mark_repeats(raws: &[RawPara], kinds: &mut [Kind], markdown: bool) {
    // Key → whether every appearance so far was an item of a link list.
    let mut seen: FxHashMap<u64, bool> = FxHashMap::default();
    let mut buf = String::new();
    let mut in_list = false;
    for (r, k) in raws.iter().zip(kinds.iter_mut()) {
        // A list's items stand close together: a wide gap ends it.
        if r.gap_before >= 2 {
            in_list = false;
        }
        match *k {
            Kind::Furn(_, Place::End) => in_list = true,
            Kind::Body | Kind::Heading | Kind::Caption => in_list = false,
            _ => {}
        }
        let eligible = if markdown {
            *k == Kind::Body && r.text.split_whitespace().nth(7).is_some()
        } else {
            matches!(k, Kind::Body | Kind::Head | Kind::Short | Kind::Caption)
        };
        if !eligible {
            continue;
        }
        let listed = in_list && k.is_headlike();
        match seen.entry(repeat_key(&r.text, &mut buf)) {
            Entry::Vacant(e) => {
                e.insert(listed);
            }
            Entry::Occupied(mut e) => {
                if *e.get() && k.is_headlike() && !listed && r.gap_before >= 2 {
                    // The pasted story's own repeats of it are repeats again.
                    e.insert(false);
                } else {
                    *e.get_mut() &= listed;
                    *k = Kind::Furn(FurnitureKind::Repeat, Place::Any);
                }
            }
        }
    }
}

const STOPWORDS: &[&str] = &[
    "the", "and", "for", "that", "with", "was", "were", "are", "has", "had", "have", "this",
    "from", "its", "his", "her", "their", "they", "them", "who", "which", "what", "when", "where",
    "will", "would", "could", "should", "can", "been", "being", "but", "not", "all", "any", "also",
    "than", "then", "there", "these", "those", "into", "over", "after", "before", "about", "said",
    "says", "say", "our", "out", "one", "two", "more", "most", "such", "some", "other", "only",
    "very", "may", "might", "must", "does", "did", "each", "both", "while", "during", "between",
    "through", "under", "against", "him", "she", "you", "your", "how", "why", "because", "even",
    "just", "well", "since", "until", "upon", "own", "same", "again", "further", "per", "via",
    "it's", "he's", "she's", "new",
];

/// [`STOPWORDS`] for lookups: each body word is looked up.
static STOPWORD_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| STOPWORDS.iter().copied().collect());

/// The longest of the [`STOPWORDS`], in bytes: a longer word is not looked up.
const STOPWORD_MAX_LEN: usize = {
    let (mut i, mut max) = (0, 0);
    while i < STOPWORDS.len() {
        if STOPWORDS[i].len() > max {
            max = STOPWORDS[i].len();
        }
        i += 1;
    }
    max
};

/// Room for a paragraph's content words is made once, for one in this many
/// bytes: news prose has one in 10 to 13 bytes, so the vector rarely grows.
const BYTES_PER_CONTENT_WORD: usize = 8;

/// Hashes of a paragraph's content words (no stop words, no short words), in text order.
fn content_words(t: &str) -> Vec<u64> {
    let mut end = t.len().min(VOCAB_BYTES);
    while !t.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = Vec::with_capacity(end / BYTES_PER_CONTENT_WORD);
    text::for_each_normalized_word(&t[..end], |mut n| {
        while let Some(stem) = n.strip_suffix("'s") {
            n = stem;
        }
        if n.len() >= 3
            && n.chars().nth(2).is_some()
            && n.chars().any(char::is_alphabetic)
            && (n.len() > STOPWORD_MAX_LEN || !STOPWORD_SET.contains(n))
        {
            out.push(text::hash_str(n));
        }
    });
    out
}

/// The first paragraph of each article (the first article starts at 0).
fn boundaries(
    raws: &[RawPara],
    kinds: &[Kind],
    bodies: &[usize],
    markdown: bool,
    wrapped: bool,
    seg: &Segmenter,
) -> Vec<usize> {
    let strong_gap = match seg.boundary_blank_lines {
        0 => strong_gap(raws, kinds),
        n => n,
    };
    // Each paragraph's content words, read only when a similarity is asked
    // for: most pairs of body paragraphs have nothing between them that
    // could start an article, and Markdown files never ask.
    let mut vocab: Vec<Option<Vec<u64>>> = vec![None; raws.len()];
    let mut starts = vec![0];
    // Content words of the current article's body so far: those of
    // `bodies[..unseen]` since the last boundary (the rest are added when needed).
    let mut seen: FxHashSet<u64> = FxHashSet::default();
    let mut unseen = 0;
    for n in 1..bodies.len() {
        let (a, b) = (bodies[n - 1], bodies[n]);
        let anchor = if markdown {
            markdown_boundary(raws, kinds, a, b, strong_gap)
        } else {
            let sim = || {
                if !seg.split_on_topic_change {
                    return None;
                }
                for &p in &bodies[unseen..n] {
                    seen.extend(vocab_of(&mut vocab, raws, kinds, p).iter().copied());
                }
                unseen = n;
                // The body right after the candidate boundary, up to the next interruption.
                let mut after = vec![b];
                let mut words = vocab_of(&mut vocab, raws, kinds, b).len();
                while after.len() < WINDOW_AFTER
                    && words < WINDOW_WORDS
                    && bodies
                        .get(n + after.len())
                        .is_some_and(|&next| next == b + after.len())
                {
                    words += vocab_of(&mut vocab, raws, kinds, b + after.len()).len();
                    after.push(b + after.len());
                }
                similarity(&vocab, &seen, &after)
            };
            plain_boundary(raws, kinds, a, b, strong_gap, wrapped, sim)
        };
        if let Some(p) = anchor {
            starts.push(p);
            seen.clear();
            unseen = n;
        }
    }
    starts
}

/// The content words of paragraph `i` (none for a heading), read once.
fn vocab_of<'v>(
    vocab: &'v mut [Option<Vec<u64>>],
    raws: &[RawPara],
    kinds: &[Kind],
    i: usize,
) -> &'v [u64] {
    vocab[i].get_or_insert_with(|| {
        if kinds[i] == Kind::Body {
            content_words(&raws[i].text)
        } else {
            Vec::new()
        }
    })
}

/// Blank lines before a headline that mark a new article: more than the body uses.
fn strong_gap(raws: &[RawPara], kinds: &[Kind]) -> u32 {
    let mut counts = [0usize; 4];
    for (r, k) in raws.iter().zip(kinds) {
        if *k == Kind::Body {
            counts[(r.gap_before as usize).min(3)] += 1;
        }
    }
    let mode = (0..4)
        .max_by_key(|&g| (counts[g], std::cmp::Reverse(g)))
        .unwrap_or(0) as u32;
    (mode + 1).max(2)
}

fn markdown_boundary(
    raws: &[RawPara],
    kinds: &[Kind],
    a: usize,
    b: usize,
    strong_gap: u32,
) -> Option<usize> {
    if let Some(p) = (a + 1..b).find(|&p| raws[p].shape == Shape::FrontMatter) {
        return Some(p);
    }
    (kinds[b] == Kind::Heading
        && raws[b].shape == Shape::Heading(1)
        && raws[b].gap_before >= strong_gap)
        .then_some(b)
}

fn plain_boundary(
    raws: &[RawPara],
    kinds: &[Kind],
    a: usize,
    b: usize,
    strong_gap: u32,
    wrapped: bool,
    sim: impl FnOnce() -> Option<f32>,
) -> Option<usize> {
    let inter = a + 1..b;
    if let Some(p) = inter.clone().find(|&p| {
        (kinds[p].is_headlike() || raws[p].shape == Shape::FrontMatter)
            && raws[p].gap_before >= strong_gap
    }) {
        return Some(p);
    }
    if inter.is_empty() {
        return None;
    }
    let head_block = inter.clone().any(|p| {
        kinds[p].is_headlike()
            && p + 1 < b
            && matches!(
                kinds[p + 1],
                Kind::Caption
                    | Kind::Furn(
                        FurnitureKind::Repeat | FurnitureKind::Byline | FurnitureKind::Date,
                        _
                    )
            )
    });
    // Sections of a hard-wrapped document differ in vocabulary too: there a
    // lone title line is a section heading, not another article's headline.
    let lone_head = !wrapped && inter.clone().any(|p| kinds[p] == Kind::Head);
    // A run of furniture, or one furniture line set off by a wider gap than
    // the body's. A lone line on the body's own spacing ("Advertisement",
    // "Read more", "Continue reading", a timestamp) is furniture inside the
    // article, no sign of another: ad slots and teaser links sit between a
    // story's paragraphs.
    let furn: Vec<usize> = inter
        .clone()
        .filter(|&p| matches!(kinds[p], Kind::Furn(k, _) if k != FurnitureKind::Repeat))
        .collect();
    let furniture = match furn.as_slice() {
        [] => false,
        [p] => {
            raws[*p].gap_before >= strong_gap
                || raws[b].gap_before >= strong_gap
                || matches!(kinds[*p], Kind::Furn(_, Place::End))
        }
        _ => true,
    };
    let end_marker = inter
        .clone()
        .any(|p| matches!(kinds[p], Kind::Furn(_, Place::End)));
    let threshold = if head_block {
        SIM_HEAD_BLOCK
    } else if end_marker {
        SIM_END_FURNITURE
    } else if furniture {
        SIM_FURNITURE
    } else if lone_head {
        SIM_LONE_HEAD
    } else {
        return None;
    };
    let sim = sim()?;
    (sim < threshold).then(|| lead_in(kinds, a, b))
}

/// Where the next article's lead-in starts, between body paragraphs `a` and
/// `b`: at its headline (one not followed by end-of-article furniture), else
/// at the captions, dates and bylines right before `b`, else at `b`.
fn lead_in(kinds: &[Kind], a: usize, b: usize) -> usize {
    let last_end = (a + 1..b)
        .rev()
        .find(|&p| matches!(kinds[p], Kind::Furn(_, Place::End)));
    let from = last_end.map_or(a + 1, |p| p + 1);
    if let Some(h) = (from..b).find(|&p| kinds[p].is_headlike()) {
        return h;
    }
    let mut s = b;
    while s > a + 1 && kinds[s - 1].is_lead_in() {
        s -= 1;
    }
    s
}

/// Share of the distinct content words after the boundary that the body
/// before it already used; `None` when there is too little text to tell.
/// The paragraphs `after` have had their words read.
fn similarity(vocab: &[Option<Vec<u64>>], seen: &FxHashSet<u64>, after: &[usize]) -> Option<f32> {
    let words = || after.iter().flat_map(|&i| vocab[i].iter().flatten());
    let total = words().count();
    if total < MIN_WINDOW_WORDS || seen.is_empty() {
        return None;
    }
    let shared = words().filter(|w| seen.contains(w)).count();
    Some(shared as f32 / total as f32)
}

/// One article from its paragraphs; `texts` gives their texts, in order,
/// and is only called when they make an article (hold a body paragraph).
fn draft(
    raws: &[RawPara],
    kinds: &[Kind],
    texts: impl FnOnce() -> Vec<String>,
) -> Option<ArticleDraft> {
    let first_body = kinds.iter().position(|k| k.is_body())?;
    let last_body = kinds.iter().rposition(|k| k.is_body())?;
    let paragraphs: Vec<Paragraph> = raws
        .iter()
        .zip(kinds)
        .zip(texts())
        .enumerate()
        .map(|(i, ((r, &k), text))| Paragraph {
            text: text.into_boxed_str(),
            lines: LineSpan::new(r.first, r.last),
            role: role(k, i, first_body, last_body),
        })
        .collect();
    let first = paragraphs
        .iter()
        .position(|p| {
            matches!(
                p.role,
                Role::Headline | Role::Caption | Role::Body | Role::Heading
            )
        })
        .unwrap_or(first_body);
    let lines = LineSpan::new(
        paragraphs[first].lines.first,
        paragraphs[last_body].lines.last,
    );
    let title = raws[..first_body]
        .iter()
        .find_map(|r| r.meta_title.as_deref())
        .or_else(|| {
            paragraphs
                .iter()
                .find(|p| p.role == Role::Headline)
                .map(|p| &*p.text)
        })
        .unwrap_or(&paragraphs[first_body].text);
    let title = shorten(title, TITLE_CHARS);
    Some(ArticleDraft {
        title,
        paragraphs,
        lines,
    })
}

fn role(k: Kind, i: usize, first_body: usize, last_body: usize) -> Role {
    match k {
        Kind::Body => Role::Body,
        Kind::Heading => Role::Heading,
        Kind::Caption => Role::Caption,
        Kind::Furn(f, _) => Role::Furniture(f),
        Kind::Head | Kind::Short if i < first_body => Role::Headline,
        Kind::Short if i < last_body => Role::Heading,
        Kind::Head | Kind::Short => Role::Furniture(FurnitureKind::RelatedLink),
    }
}

/// At most `max` characters, cut at a word boundary with an ellipsis.
pub(crate) fn shorten(t: &str, max: usize) -> String {
    let t = t.trim();
    if t.chars().count() <= max {
        return t.to_owned();
    }
    let cut: String = t.chars().take(max - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([' ', ',', ';', ':', '-']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_enumerated_gate_lets_every_match_through() {
        let lines = [
            "Section 3",
            "section 3 Scope",
            "ſection 2",
            "SECTION 12 Terms",
            "Article IV",
            "ARTICLE 5",
            "Chapter 1",
            "Part II",
            "Appendix C",
            "Annex 1",
            "A. Definitions",
            "B) Scope",
            "IV. Remedies",
            "XII) Notes",
            "C. ",
            "12. Fees",
            "3) Use",
            "1.2 Scope",
            "1.2. Scope",
            "٣. Arabic digit",
            "Iran Wants to Expand Ties",
            "Israeli Army Kills Three",
            "Partisan Fight",
            "Sections",
            "II",
            "I.",
            "X.Y",
            "CLI. Tools",
            "a. lower",
            "Über. Alles",
            "",
            " Section 3",
        ];
        for t in lines {
            if ENUMERATED.is_match(t) {
                assert!(may_be_enumerated(t), "{t:?} matches but the gate stops it");
            }
        }
        assert!(!may_be_enumerated("Iran Wants to Expand Strategic Ties"));
    }

    proptest::proptest! {
        #[test]
        fn the_enumerated_gate_never_stops_a_match(
            head in proptest::sample::select(vec![
                "", "section", "SECTION", "ſection", "article", "chapter", "part",
                "appendix", "annex", "IV", "XLC", "A", "z", "12", "1.2", "٣",
            ]),
            tail in "[ .)IVX0-9a-zA-Z]{0,8}",
        ) {
            let t = format!("{head}{tail}");
            if ENUMERATED.is_match(&t) {
                proptest::prop_assert!(may_be_enumerated(&t), "{:?}", t);
            }
        }
    }

    /// A word as [`repeat_key`] reads it, one character at a time.
    fn push_key_chars(w: &str, buf: &mut String) {
        for c in w.chars() {
            push_key_char(c, buf);
        }
    }

    #[test]
    fn small_words_match_ignoring_ascii_case_as_in_lower_case() {
        assert!(
            SMALL_WORDS
                .iter()
                .all(|w| w.bytes().all(|b| b.is_ascii_lowercase() && b != b'k'))
        );
        for w in [
            "The", "OF", "vs", "Vs", "İn", "\u{212A}", "a\u{17F}", "Ω", "for", "fore", "",
        ] {
            assert_eq!(
                SMALL_WORDS.iter().any(|s| w.eq_ignore_ascii_case(s)),
                SMALL_WORDS.contains(&w.to_lowercase().as_str()),
                "{w}"
            );
        }
    }

    /// [`headline_like`] as it was written before its ending was read first.
    fn headline_like_reference(t: &str) -> bool {
        let t = t.trim();
        if t.len() > 800 || t.chars().count() > 200 || !t.chars().any(char::is_alphabetic) {
            return false;
        }
        let words = t.split_whitespace().take(31).count();
        if words > 30 {
            return false;
        }
        let core = t.trim_end_matches(['"', '”', '’', '\'', '»', ')', ']', ' ']);
        match core.chars().last() {
            Some('.' | ':' | ';' | ',' | '…') | None => false,
            Some('?' | '!') => words <= 15,
            Some(_) => true,
        }
    }

    proptest::proptest! {
        #[test]
        fn headline_like_reads_as_the_reference(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Iran", "ties", "a", "9", "—", "’", "\"", "»", ")", "]", ".", "?", "!", "…",
                    ":", ",", ";", "x?", "y.", "Straße", "\u{a0}", "\t",
                ]),
                0..40,
            ),
            sep in proptest::sample::select(vec![" ", "", "  "]),
            long in proptest::sample::select(vec![0usize, 150, 790]),
        ) {
            let t = format!("{}{}", "w".repeat(long), words.join(sep));
            proptest::prop_assert_eq!(headline_like(&t), headline_like_reference(&t), "{:?}", t);
        }

        #[test]
        fn keys_read_as_word_by_word(t in "[ a-zA-Z`\t\x0b\x1c\r.é’—İ\u{a0}\u{2009}]{0,80}") {
            let mut whole = String::new();
            let key = repeat_key(&t, &mut whole);
            let mut words = String::new();
            for w in t.split_whitespace() {
                if !words.is_empty() {
                    words.push(' ');
                }
                push_key_chars(w, &mut words);
            }
            proptest::prop_assert_eq!(&whole, &words);
            proptest::prop_assert_eq!(key, text::hash_str(&words));
        }

        #[test]
        fn ascii_words_key_as_character_by_character(w in "[ -~]{1,12}|[a-zA-Z`'’´“\\-–]{1,8}") {
            let (mut fast, mut slow) = (String::new(), String::new());
            repeat_key(&w, &mut fast);
            for (i, word) in w.split_whitespace().enumerate() {
                if i > 0 {
                    slow.push(' ');
                }
                push_key_chars(word, &mut slow);
            }
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    fn seg(text: &str) -> Vec<ArticleDraft> {
        let s = Segmenter::new(&SegmentOptions::default());
        s.map(|s| s.segment(text)).unwrap_or_default()
    }

    fn roles(d: &ArticleDraft) -> Vec<(u32, Role)> {
        d.paragraphs
            .iter()
            .map(|p| (p.lines.first, p.role))
            .collect()
    }

    #[test]
    fn blank_text_has_no_article() {
        assert!(seg("").is_empty());
        assert!(seg(" \n\t\n\r\n").is_empty());
        assert!(seg("TT\nRead more\n").is_empty());
    }

    #[test]
    fn headline_caption_body() {
        let text = "Iran Wants Ties with China\n\nA delegation held talks in Tehran on Wednesday. (EPA)\nA delegation held talks in Tehran on Wednesday. (EPA)\nTT\n\nIranian President Ebrahim Raisi said Tehran wanted closer ties.\n\nRaisi told Fenghe that Tehran sees its ties with Beijing as strategic.\n";
        let d = seg(text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].title, "Iran Wants Ties with China");
        assert_eq!(
            roles(&d[0]),
            vec![
                (1, Role::Headline),
                (3, Role::Caption),
                (4, Role::Furniture(FurnitureKind::Repeat)),
                (5, Role::Furniture(FurnitureKind::Boilerplate)),
                (7, Role::Body),
                (9, Role::Body),
            ]
        );
        assert_eq!(d[0].lines, LineSpan::new(1, 9));
    }

    #[test]
    fn wide_gap_and_headline_start_an_article() {
        let text = "First story headline here\n\nThe first story is about ministers meeting in Tehran today.\n\nThey agreed on more talks about defence.\n\n\nSecond Headline\n\nThe ministers also met again later in Tehran today for defence talks.\n";
        let d = seg(text);
        assert_eq!(d.len(), 2);
        assert_eq!(d[1].title, "Second Headline");
        assert_eq!(d[0].lines, LineSpan::new(1, 5));
        assert_eq!(d[1].lines, LineSpan::new(8, 10));
    }

    #[test]
    fn section_titles_stay_headings() {
        let text = "The agreement covers the use of the service by every user and visitor.\n\nA. Definitions\n\nThe service refers to the applications and software provided to users.\n";
        let d = seg(text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].paragraphs[1].role, Role::Heading);
    }

    #[test]
    fn short_lines_only_are_body() {
        let d = seg("Roses are red\nViolets are blue\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].paragraphs.iter().all(|p| p.role == Role::Body));
    }

    #[test]
    fn titles_are_shortened_at_a_word() {
        let long = "word ".repeat(40);
        let s = shorten(&long, 80);
        assert!(s.chars().count() <= 80);
        assert!(s.ends_with('…'));
        assert_eq!(shorten("short", 80), "short");
    }

    #[test]
    fn headline_like_lines() {
        assert!(headline_like(
            "Iran seeks to expand its military cooperation with China"
        ));
        assert!(headline_like("Cancerous Tumor"));
        assert!(!headline_like(
            "Raisi told Fenghe that Tehran sees its ties as strategic."
        ));
        assert!(!headline_like("Examples of unacceptable behavior include:"));
        assert!(short_heading_like("A. Definitions"));
        assert!(short_heading_like("Cancerous Tumor"));
        assert!(!short_heading_like(
            "White House is worried Iran could develop a nuclear weapon in weeks"
        ));
    }
}
