//! Two paragraphs → word changes, each with a kind.
//!
//! In: the old and new texts and [`DiffOptions`]. Out: a [`WordDiff`] whose
//! changes say which words were replaced, added or removed, whether each is
//! a spelling, style or wording change, and which letters differ inside a
//! near-identical word.
//!
//! Words and punctuation are compared by their normalised key
//! ([`text::normalize`]), so "US" and "U.S." line up; such pairs become style
//! changes. Spaces take no part in the matching (they would anchor unrelated
//! words to each other); whitespace differences are recorded as hidden edits,
//! never as changes. Every edit is kept: [`WordDiff::changes`] holds what is
//! shown and counted, [`WordDiff::hidden`] the rest (whitespace, and style
//! changes under [`DiffOptions::hide_style`]), and [`apply`] rebuilds the new
//! text from the old one exactly.

use std::ops::Range;

use similar::{Algorithm, DiffOp, capture_diff_slices, capture_diff_slices_deadline};

use crate::model::{Change, ChangeKind, WordDiff};
use std::borrow::Cow;

use rustc_hash::FxHashMap;

use crate::text::{self, TokenKind};

/// How to diff.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// Do not report style-only changes (case, punctuation, quote style, abbreviation dots).
    pub hide_style: bool,
    /// Which differences alone count as style rather than spelling or wording.
    pub normalize: Normalization,
}

pub use crate::text::Normalization;

/// Above this many word pairs a replaced run is not searched for near-identical
/// words: such a run is a rewrite, and one wording change says it best.
const MAX_PAIRING_CELLS: usize = 40_000;

/// A word or punctuation token with its key.
struct Tok<'a> {
    text: &'a str,
    range: Range<usize>,
    word: bool,
    key: u32,
}

/// Numbers for the keys of one diff's tokens. Only their equality matters,
/// and most keys are the text itself, so they are borrowed rather than copied.
struct Keys<'a> {
    ids: FxHashMap<Cow<'a, str>, u32>,
    /// Each word's number by its text as written: most words of a changed
    /// paragraph are in both of its texts, and the second time the word
    /// need not be normalised again.
    by_text: FxHashMap<&'a str, u32>,
}

impl<'a> Keys<'a> {
    fn with_capacity(n: usize) -> Self {
        Keys {
            ids: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            by_text: FxHashMap::with_capacity_and_hasher(n, Default::default()),
        }
    }

    fn intern(&mut self, key: Cow<'a, str>) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(key).or_insert(next)
    }

    fn word(&mut self, word: &'a str, norm: &Normalization) -> u32 {
        let ids = &mut self.ids;
        *self.by_text.entry(word).or_insert_with(|| {
            let next = ids.len() as u32;
            *ids.entry(text::normalize_with(word, norm)).or_insert(next)
        })
    }
}

/// The words and punctuation of `s`, spaces left out. Two adjustments to the
/// shared tokeniser suit Markdown-ish text: a run of one punctuation mark
/// ("###", "**") is one token, so a heading level change reads "###" → "##";
/// and underscores at a word's ends (UAX #29 keeps them in "_We") are
/// punctuation, so "*We*" → "_We_" is a style change.
fn solid_tokens<'a>(s: &'a str, norm: &Normalization, interner: &mut Keys<'a>) -> Vec<Tok<'a>> {
    // About one word or mark in five bytes of prose: room for them all
    // without growing, the unused tail never touched.
    let mut out: Vec<Tok<'a>> = Vec::with_capacity(s.len() / 4);
    text::for_each_token(s, |t| match t.kind {
        TokenKind::Space => {}
        TokenKind::Punct => push_punct(&mut out, s, t.range, norm, interner),
        TokenKind::Word => {
            // '_' is one byte and in no longer character: counting
            // bytes trims as `trim_matches('_')` would, without
            // decoding characters.
            let bytes = t.text.as_bytes();
            let lead = bytes.iter().take_while(|&&b| b == b'_').count();
            let trail = bytes[lead..]
                .iter()
                .rev()
                .take_while(|&&b| b == b'_')
                .count();
            let core = &t.text[lead..t.text.len() - trail];
            if core.is_empty() {
                push_punct(&mut out, s, t.range, norm, interner);
                return;
            }
            let start = t.range.start + lead;
            let end = start + core.len();
            if lead > 0 {
                push_punct(&mut out, s, t.range.start..start, norm, interner);
            }
            out.push(Tok {
                text: core,
                range: start..end,
                word: true,
                key: interner.word(core, norm),
            });
            if end < t.range.end {
                push_punct(&mut out, s, end..t.range.end, norm, interner);
            }
        }
    });
    out
}

fn push_punct<'a>(
    out: &mut Vec<Tok<'a>>,
    s: &'a str,
    range: Range<usize>,
    norm: &Normalization,
    interner: &mut Keys<'a>,
) {
    let piece = &s[range.clone()];
    let mark = piece.chars().next();
    let same_run = |t: &str| t.chars().all(|c| Some(c) == mark);
    if let Some(last) = out.last_mut()
        && !last.word
        && last.range.end == range.start
        && same_run(last.text)
        && same_run(piece)
    {
        last.range.end = range.end;
        last.text = &s[last.range.clone()];
        last.key = interner.intern(text::normalize_punct_with(last.text, norm));
        return;
    }
    out.push(Tok {
        text: piece,
        key: interner.intern(text::normalize_punct_with(piece, norm)),
        range,
        word: false,
    });
}

/// Longer "words" (a 100 KB run of letters) are never spelling variants.
const MAX_SPELLING_CHARS: usize = 64;

/// How long one word diff may search for the smallest set of changes.
const WORD_DIFF_DEADLINE: std::time::Duration = std::time::Duration::from_secs(1);

/// Below this many tokens in the two texts together, a word diff has no
/// deadline: the search's worst case there (every token changed) is some
/// sixteen million steps, milliseconds against [`WORD_DIFF_DEADLINE`]; on
/// this VM the clock reads were 2 % of a long diff's time.
const DEADLINE_FROM_TOKENS: usize = 4096;

/// A change in token indices, before it is turned into byte ranges.
struct Raw {
    kind: ChangeKind,
    old: Range<usize>,
    new: Range<usize>,
}

/// The word changes from `old` to `new`.
pub fn word_diff(old: &str, new: &str, opts: &DiffOptions) -> WordDiff {
    // Most rows of two versions hold the same paragraph: what the full diff
    // would find for them (no edit of any kind) is known without tokenising.
    if old == new {
        return WordDiff {
            old_text: old.to_owned(),
            new_text: new.to_owned(),
            changes: Vec::new(),
            hidden: Vec::new(),
            ratio: 0.0,
        };
    }
    diff_tokens(old, new, opts)
}

/// [`word_diff`] by tokens, for texts that may differ.
fn diff_tokens(old: &str, new: &str, opts: &DiffOptions) -> WordDiff {
    let mut interner = Keys::with_capacity((old.len() + new.len()) / 8);
    let a = solid_tokens(old, &opts.normalize, &mut interner);
    let b = solid_tokens(new, &opts.normalize, &mut interner);
    let a_keys: Vec<u32> = a.iter().map(|t| t.key).collect();
    let b_keys: Vec<u32> = b.iter().map(|t| t.key).collect();

    let mut raws = Vec::new();
    // Two long paragraphs with little in common (a 10 MB line against
    // another) make the search quadratic; past the deadline the rest is
    // reported as replaced, which is still an exact edit script. Shorter
    // ones cannot come near it, and the search reads the clock at every
    // step it takes: they go without.
    let deadline = (a_keys.len() + b_keys.len() >= DEADLINE_FROM_TOKENS)
        .then(|| std::time::Instant::now() + WORD_DIFF_DEADLINE);
    // Texts that differ only in style (quotes, case, abbreviation dots) have
    // the same keys, and the search finds them equal throughout (a test
    // holds it to that); a third of a long story's changed pairs are such.
    let ops = if a_keys == b_keys {
        vec![DiffOp::Equal {
            old_index: 0,
            new_index: 0,
            len: a_keys.len(),
        }]
    } else {
        capture_diff_slices_deadline(Algorithm::Patience, &a_keys, &b_keys, deadline)
    };
    for op in ops {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for i in 0..len {
                    let (o, n) = (old_index + i, new_index + i);
                    if a[o].text != b[n].text {
                        raws.push(Raw {
                            kind: ChangeKind::Style,
                            old: o..o + 1,
                            new: n..n + 1,
                        });
                    }
                }
            }
            _ => refine(&a, &b, op.old_range(), op.new_range(), &mut raws),
        }
    }

    let mut edits: Vec<Change> = Vec::with_capacity(raws.len());
    for r in &raws {
        let ch = to_bytes(
            r,
            &Side {
                text: old,
                toks: &a,
            },
            &Side {
                text: new,
                toks: &b,
            },
        );
        match edits.last_mut() {
            Some(prev)
                if prev.kind == ChangeKind::Style
                    && ch.kind == ChangeKind::Style
                    && prev.old.end == ch.old.start
                    && prev.new.end == ch.new.start =>
            {
                prev.old.end = ch.old.end;
                prev.new.end = ch.new.end;
            }
            _ => edits.push(ch),
        }
    }
    for ch in &mut edits {
        if ch.kind == ChangeKind::Spelling {
            let (o, n) = letter_emphasis(&old[ch.old.clone()], &new[ch.new.clone()]);
            ch.old_emphasis = o;
            ch.new_emphasis = n;
        }
    }

    let edits = merge_rewrites(old, new, edits);

    let (mut changes, mut hidden): (Vec<Change>, Vec<Change>) = edits
        .into_iter()
        .partition(|c| !(opts.hide_style && c.kind == ChangeKind::Style));
    // Spacing alone is no change unless the user asked to see it as style.
    let show_spaces = !opts.normalize.whitespace && !opts.hide_style;
    let gaps = gap_edits(old, new, &changes, &hidden, show_spaces);
    for (ch, visible) in gaps {
        if visible {
            changes.push(ch);
        } else {
            hidden.push(ch);
        }
    }
    changes.sort_by_key(|c| (c.old.start, c.old.end, c.new.start));
    hidden.sort_by_key(|c| (c.old.start, c.old.end, c.new.start));
    absorb_spaces(old, new, &mut changes, &mut hidden);

    let changed_words: usize = changes
        .iter()
        .chain(&hidden)
        .filter(|c| c.kind != ChangeKind::Style)
        .map(|c| {
            text::words(&old[c.old.clone()]).count() + text::words(&new[c.new.clone()]).count()
        })
        .sum();
    let total_words = count_words(&a) + count_words(&b);
    let ratio = if total_words == 0 {
        0.0
    } else {
        (changed_words as f32 / total_words as f32).min(1.0)
    };

    WordDiff {
        old_text: old.to_owned(),
        new_text: new.to_owned(),
        changes,
        hidden,
        ratio,
    }
}

/// Most words an unchanged stretch between two wording changes may have and
/// still be folded into them.
const MAX_FOLDED_WORDS: usize = 3;

/// Fold short unchanged stretches between wording changes into one change,
/// as a reader sees a rewritten clause: "[It has been disputed at→With
/// respect to] what [period of life→I have called] the…" reads better as one
/// replacement. A stretch is folded when it has few words, is at most half as
/// long (in letters) as the changes on either side, and ends no sentence.
fn merge_rewrites(old: &str, new: &str, edits: Vec<Change>) -> Vec<Change> {
    let solid = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count();
    let size = |c: &Change| solid(&old[c.old.clone()]).max(solid(&new[c.new.clone()]));
    let mut out: Vec<Change> = Vec::with_capacity(edits.len());
    for ch in edits {
        if let Some(prev) = out.last_mut()
            && prev.kind == ChangeKind::Wording
            && ch.kind == ChangeKind::Wording
            && prev.old.end <= ch.old.start
        {
            let gap = &old[prev.old.end..ch.old.start];
            let gap_len = solid(gap);
            let sentence_break = gap.contains(['.', ';', ':', '!', '?']);
            if !sentence_break
                && text::words(gap).count() <= MAX_FOLDED_WORDS
                && 2 * gap_len <= size(prev)
                && 2 * gap_len <= size(&ch)
            {
                prev.old.end = ch.old.end;
                prev.new.end = ch.new.end;
                continue;
            }
        }
        out.push(ch);
    }
    out
}

/// A whitespace edit touching a shown insertion, deletion or punctuation
/// change joins it, so that "wild-duck" → "wild duck" shows "-" → " " rather
/// than a dash removed and a hidden space.
fn absorb_spaces(old: &str, new: &str, changes: &mut [Change], hidden: &mut Vec<Change>) {
    let blank = |s: &str| s.chars().all(char::is_whitespace);
    hidden.retain(|h| {
        let is_space = blank(&old[h.old.clone()]) && blank(&new[h.new.clone()]);
        let touching = changes.iter_mut().find(|c| {
            (c.old.end == h.old.start && c.new.end == h.new.start)
                || (h.old.end == c.old.start && h.new.end == c.new.start)
        });
        let punct_or_one_sided = |c: &Change| {
            let (o, n) = (&old[c.old.clone()], &new[c.new.clone()]);
            o.is_empty() || n.is_empty() || !o.chars().chain(n.chars()).any(char::is_alphanumeric)
        };
        match touching {
            Some(c) if is_space && c.kind != ChangeKind::Spelling && punct_or_one_sided(c) => {
                c.old = c.old.start.min(h.old.start)..c.old.end.max(h.old.end);
                c.new = c.new.start.min(h.new.start)..c.new.end.max(h.new.end);
                false
            }
            _ => true,
        }
    });
}

/// Rebuild the new text from the old one: every change and hidden edit
/// replaces its old range by its new range's text; the rest is copied.
pub fn apply(diff: &WordDiff) -> String {
    let mut edits: Vec<&Change> = diff.changes.iter().chain(&diff.hidden).collect();
    edits.sort_by_key(|c| (c.old.start, c.old.end, c.new.start));
    let mut out = String::with_capacity(diff.new_text.len());
    let mut cursor = 0;
    for ch in edits {
        out.push_str(diff.old_text.get(cursor..ch.old.start).unwrap_or(""));
        out.push_str(diff.new_text.get(ch.new.clone()).unwrap_or(""));
        cursor = cursor.max(ch.old.end);
    }
    out.push_str(diff.old_text.get(cursor..).unwrap_or(""));
    out
}

fn count_words(toks: &[Tok<'_>]) -> usize {
    toks.iter().filter(|t| t.word).count()
}

/// Split a replaced run so that near-identical words (typos) and style
/// variants stand alone, and turn the rest into wording changes.
fn refine(a: &[Tok<'_>], b: &[Tok<'_>], old: Range<usize>, new: Range<usize>, out: &mut Vec<Raw>) {
    if old.is_empty() || new.is_empty() {
        push_run(a, b, old, new, out);
        return;
    }
    let pairs = pair_words(&a[old.clone()], &b[new.clone()]);
    let (mut co, mut cn) = (old.start, new.start);
    for (i, j, kind) in pairs {
        let (i, j) = (old.start + i, new.start + j);
        push_run(a, b, co..i, cn..j, out);
        if let Some(kind) = kind {
            out.push(Raw {
                kind,
                old: i..i + 1,
                new: j..j + 1,
            });
        }
        co = i + 1;
        cn = j + 1;
    }
    push_run(a, b, co..old.end, cn..new.end, out);
}

/// A run with nothing worth pairing inside: trim the tokens both ends share
/// (by key, or as punctuation), then what is left is one change.
fn push_run(
    a: &[Tok<'_>],
    b: &[Tok<'_>],
    old: Range<usize>,
    new: Range<usize>,
    out: &mut Vec<Raw>,
) {
    let (mut os, mut oe, mut ns, mut ne) = (old.start, old.end, new.start, new.end);
    let mut head = Vec::new();
    // Equal keys, or punctuation against punctuation, at the ends of a run are
    // not part of its wording change: "#### E" → "### F" is "####" → "###" and "E" → "F".
    let apart = |x: &Tok<'_>, y: &Tok<'_>| x.key == y.key || (!x.word && !y.word);
    while os < oe && ns < ne && apart(&a[os], &b[ns]) {
        if a[os].text != b[ns].text {
            head.push(Raw {
                kind: ChangeKind::Style,
                old: os..os + 1,
                new: ns..ns + 1,
            });
        }
        os += 1;
        ns += 1;
    }
    let mut tail = Vec::new();
    while os < oe && ns < ne && apart(&a[oe - 1], &b[ne - 1]) {
        if a[oe - 1].text != b[ne - 1].text {
            tail.push(Raw {
                kind: ChangeKind::Style,
                old: oe - 1..oe,
                new: ne - 1..ne,
            });
        }
        oe -= 1;
        ne -= 1;
    }
    out.extend(head);
    if os < oe || ns < ne {
        let has_words = a[os..oe].iter().chain(&b[ns..ne]).any(|t| t.word);
        out.push(Raw {
            kind: if has_words {
                ChangeKind::Wording
            } else {
                ChangeKind::Style
            },
            old: os..oe,
            new: ns..ne,
        });
    }
    out.extend(tail.into_iter().rev());
}

/// Pairs of words (indices into the two runs) worth showing on their own,
/// found by a weighted longest common subsequence: equal keys weigh most,
/// near-identical spellings less. `None` kind: equal, not a change.
fn pair_words(a: &[Tok<'_>], b: &[Tok<'_>]) -> Vec<(usize, usize, Option<ChangeKind>)> {
    let (n, m) = (a.len(), b.len());
    if n * m > MAX_PAIRING_CELLS {
        return Vec::new();
    }
    let weight = |i: usize, j: usize| -> (u32, Option<ChangeKind>) {
        let (x, y) = (&a[i], &b[j]);
        if !x.word || !y.word {
            return (0, None);
        }
        if x.key == y.key {
            let kind = (x.text != y.text).then_some(ChangeKind::Style);
            return (3, kind);
        }
        if is_spelling_variant(x.text, y.text) {
            return (2, Some(ChangeKind::Spelling));
        }
        (0, None)
    };
    let w = m + 1;
    let mut dp = vec![0u32; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let skip = dp[(i + 1) * w + j].max(dp[i * w + j + 1]);
            let (wt, _) = weight(i, j);
            let take = if wt > 0 {
                dp[(i + 1) * w + j + 1] + wt
            } else {
                0
            };
            dp[i * w + j] = skip.max(take);
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        let (wt, kind) = weight(i, j);
        if wt > 0 && dp[i * w + j] == dp[(i + 1) * w + j + 1] + wt {
            pairs.push((i, j, kind));
            i += 1;
            j += 1;
        } else if dp[i * w + j] == dp[(i + 1) * w + j] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

/// Whether two different words are one word spelled two ways: a typo made or
/// fixed ("Ashtinai" / "Ashtiani", "occured" / "occurred"), or a spelling
/// variant ("colour" / "color"), not another word. Not spelling: a changed
/// figure ("2021" / "2022", a change of fact); a change at the start of the
/// word ("could" / "would", "like" / "unlike"); an ending added or dropped
/// ("seed" / "seeds", "there" / "the"); short words that differ in more than a
/// swapped or doubled letter ("with" / "which").
pub fn is_spelling_variant(a: &str, b: &str) -> bool {
    let (ka, kb) = (text::normalize(a), text::normalize(b));
    if ka == kb {
        return false;
    }
    let letters = |s: &str| {
        s.chars()
            .all(|c| c.is_alphabetic() || c == '\'' || c == '-')
    };
    if !letters(&ka) || !letters(&kb) {
        return false;
    }
    let ca: Vec<char> = ka.chars().collect();
    let cb: Vec<char> = kb.chars().collect();
    let (la, lb) = (ca.len(), cb.len());
    // No word is this long; the edit distance below is quadratic in length.
    if la.min(lb) < 3 || la.max(lb) > MAX_SPELLING_CHARS {
        return false;
    }
    let prefix = ca.iter().zip(&cb).take_while(|(x, y)| x == y).count();
    let suffix = ca[prefix..]
        .iter()
        .rev()
        .zip(cb[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    if prefix == 0 || (suffix == 0 && (prefix == la || prefix == lb)) {
        return false;
    }
    let dist = strsim::osa_distance(&ka, &kb);
    let longest = la.max(lb);
    if longest <= 4 {
        let (ma, mb) = (&ca[prefix..la - suffix], &cb[prefix..lb - suffix]);
        let swapped = ma.len() == 2 && mb.len() == 2 && ma[0] == mb[1] && ma[1] == mb[0];
        let doubled = |short: &[char], long: &[char]| {
            short.is_empty() && long.len() == 1 && (prefix > 0 && ca[prefix - 1] == long[0])
        };
        return swapped || doubled(ma, mb) || doubled(mb, ma);
    }
    let allowed = if longest <= 6 { 1 } else { 2 };
    dist <= allowed && 1.0 - dist as f32 / longest as f32 >= 0.6
}

/// Byte ranges of the letters that differ between two near-identical words.
/// Edits separated by a single unchanged letter are shown as one, so a
/// swapped pair reads "na" / "an" rather than two stray letters.
fn letter_emphasis(old: &str, new: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let oc: Vec<(usize, char)> = old.char_indices().collect();
    let nc: Vec<(usize, char)> = new.char_indices().collect();
    let ochars: Vec<char> = oc.iter().map(|&(_, c)| c).collect();
    let nchars: Vec<char> = nc.iter().map(|&(_, c)| c).collect();
    let obyte = |i: usize| oc.get(i).map_or(old.len(), |&(b, _)| b);
    let nbyte = |i: usize| nc.get(i).map_or(new.len(), |&(b, _)| b);

    // Hunks of non-equal ops, in char indices: (old range, new range).
    let mut hunks: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    let mut pending_gap: Option<usize> = None;
    for op in capture_diff_slices(Algorithm::Myers, &ochars, &nchars) {
        let (o, n) = (op.old_range(), op.new_range());
        if let DiffOp::Equal { len, .. } = op {
            pending_gap = Some(len);
            continue;
        }
        match (hunks.last_mut(), pending_gap) {
            (Some(last), Some(gap)) if gap <= 1 => {
                last.0.end = o.end;
                last.1.end = n.end;
            }
            (Some(last), None) => {
                last.0.end = o.end;
                last.1.end = n.end;
            }
            _ => hunks.push((o, n)),
        }
        pending_gap = None;
    }
    let mut old_em = Vec::new();
    let mut new_em = Vec::new();
    for (o, n) in hunks {
        if !o.is_empty() {
            old_em.push(obyte(o.start)..obyte(o.end));
        }
        if !n.is_empty() {
            new_em.push(nbyte(n.start)..nbyte(n.end));
        }
    }
    (old_em, new_em)
}

/// A token-index change as byte ranges. A pure insertion or deletion takes
/// along the space on the side where the two texts differ by it, so that "a
/// very big dog" → "a dog" deletes " very big" and "at improving" → "at
/// “improving" inserts just "“".
fn to_bytes(r: &Raw, a: &Side<'_>, b: &Side<'_>) -> Change {
    let (old, new) = if r.new.is_empty() {
        placed(a, r.old.clone(), b, r.new.start).unwrap_or_else(|| {
            (
                grown_span(a.toks, r.old.clone()),
                empty_at(b.toks, r.new.start, r.old.start == 0, b.text.len()),
            )
        })
    } else if r.old.is_empty() {
        let (new, old) = placed(b, r.new.clone(), a, r.old.start).unwrap_or_else(|| {
            (
                grown_span(b.toks, r.new.clone()),
                empty_at(a.toks, r.old.start, r.new.start == 0, a.text.len()),
            )
        });
        (old, new)
    } else {
        (
            a.toks[r.old.start].range.start..a.toks[r.old.end - 1].range.end,
            b.toks[r.new.start].range.start..b.toks[r.new.end - 1].range.end,
        )
    };
    Change {
        kind: r.kind,
        old,
        new,
        old_emphasis: Vec::new(),
        new_emphasis: Vec::new(),
    }
}

/// One text and its word and punctuation tokens.
struct Side<'a> {
    text: &'a str,
    toks: &'a [Tok<'a>],
}

impl Side<'_> {
    /// The whitespace between tokens `i - 1` and `i`.
    fn space_before(&self, i: usize) -> &str {
        &self.text[self.toks[i - 1].range.end..self.toks[i].range.start]
    }
}

/// Where a run present on one side only goes, when it sits between tokens on
/// both sides: the run with the space before it, if the space after it is
/// what the other side has at that point, or else the run with the space
/// after it, if the space before it matches. Returns the run's bytes and the
/// (empty) range on the other side.
fn placed(
    side: &Side<'_>,
    run: Range<usize>,
    other: &Side<'_>,
    at: usize,
) -> Option<(Range<usize>, Range<usize>)> {
    if run.start == 0 || run.end >= side.toks.len() || at == 0 || at >= other.toks.len() {
        return None;
    }
    let there = other.space_before(at);
    if side.space_before(run.end) == there {
        let pos = other.toks[at - 1].range.end;
        Some((
            side.toks[run.start - 1].range.end..side.toks[run.end - 1].range.end,
            pos..pos,
        ))
    } else if side.space_before(run.start) == there {
        let pos = other.toks[at].range.start;
        Some((
            side.toks[run.start].range.start..side.toks[run.end].range.start,
            pos..pos,
        ))
    } else {
        None
    }
}

/// The bytes of tokens `span` plus the space that separates them from what
/// stays: the space before, or at the start of the text the space after.
fn grown_span(toks: &[Tok<'_>], span: Range<usize>) -> Range<usize> {
    let end = toks[span.end - 1].range.end;
    if span.start > 0 {
        toks[span.start - 1].range.end..end
    } else if let Some(next) = toks.get(span.end) {
        toks[0].range.start..next.range.start
    } else {
        toks[0].range.start..end
    }
}

/// The empty range where the other side's insertion or deletion happens:
/// after token `at - 1`, or before the first token when the edit is at the start.
fn empty_at(toks: &[Tok<'_>], at: usize, at_start: bool, text_len: usize) -> Range<usize> {
    let pos = if at_start {
        toks.get(at)
            .map_or_else(|| toks.last().map_or(0, |t| t.range.end), |t| t.range.start)
    } else if at > 0 {
        toks[at - 1].range.end
    } else {
        toks.first().map_or(0, |t| t.range.start)
    };
    let pos = pos.min(text_len);
    pos..pos
}

/// The edits in the stretches between changes, which match token for token
/// and can differ only in whitespace. Returns each edit with whether it must
/// be shown (only if the stretches unexpectedly differ in more than spaces).
fn gap_edits(
    old: &str,
    new: &str,
    changes: &[Change],
    hidden: &[Change],
    show_spaces: bool,
) -> Vec<(Change, bool)> {
    let mut all: Vec<&Change> = changes.iter().chain(hidden).collect();
    all.sort_by_key(|c| (c.old.start, c.old.end, c.new.start));
    let mut out = Vec::new();
    // Most stretches are the same bytes on both sides, which the walk finds
    // without an edit (a test holds it to that): one comparison clears them.
    let mut stretch = |og: Range<usize>, ng: Range<usize>| {
        if old.as_bytes().get(og.clone()) != new.as_bytes().get(ng.clone()) {
            whitespace_edits(old, new, og, ng, show_spaces, &mut out);
        }
    };
    let (mut po, mut pn) = (0, 0);
    for ch in all {
        stretch(po..ch.old.start, pn..ch.new.start);
        po = ch.old.end;
        pn = ch.new.end;
    }
    stretch(po..old.len(), pn..new.len());
    out
}

/// The spacing edits in one stretch between changes, found run by run of
/// spaces and of other characters.
fn whitespace_edits(
    old: &str,
    new: &str,
    og: Range<usize>,
    ng: Range<usize>,
    show: bool,
    out: &mut Vec<(Change, bool)>,
) {
    let (mut i, mut j) = (og.start, ng.start);
    loop {
        let ie = skip_space(old, i, og.end);
        let je = skip_space(new, j, ng.end);
        if old[i..ie] != new[j..je] {
            out.push((edit(ChangeKind::Style, i..ie, j..je), show));
        }
        i = ie;
        j = je;
        if i >= og.end && j >= ng.end {
            return;
        }
        let same = solid_common_prefix(&old[i..og.end], &new[j..ng.end]);
        if same == 0 {
            // Not reached when the token diff is right: the stretch differs in
            // more than spaces, so show it rather than lose it.
            let has_words = old[i..og.end]
                .chars()
                .chain(new[j..ng.end].chars())
                .any(char::is_alphanumeric);
            let kind = if has_words {
                ChangeKind::Wording
            } else {
                ChangeKind::Style
            };
            out.push((edit(kind, i..og.end, j..ng.end), true));
            return;
        }
        i += same;
        j += same;
    }
}

/// The length in bytes of the run of the same characters, none of them
/// whitespace, that both texts start with. Byte by byte over ASCII: the
/// stretches between changes are most of a changed paragraph.
fn solid_common_prefix(a: &str, b: &str) -> usize {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let mut k = 0;
    while let (Some(&c), Some(&d)) = (x.get(k), y.get(k)) {
        if c < 0x80 {
            if c != d || text::is_ascii_space(c) {
                break;
            }
            k += 1;
            continue;
        }
        // Both texts have been the same characters up to `k`, so `k` starts a
        // character in each: the same bytes are the same character.
        match a[k..].chars().next() {
            Some(ch)
                if !ch.is_whitespace()
                    && x.get(k..k + ch.len_utf8()) == y.get(k..k + ch.len_utf8()) =>
            {
                k += ch.len_utf8();
            }
            _ => break,
        }
    }
    k
}

fn skip_space(s: &str, mut i: usize, end: usize) -> usize {
    let b = s.as_bytes();
    while i < end {
        if b[i] < 0x80 {
            if !text::is_ascii_space(b[i]) {
                break;
            }
            i += 1;
            continue;
        }
        match s[i..end].chars().next() {
            Some(c) if c.is_whitespace() => i += c.len_utf8(),
            _ => break,
        }
    }
    i
}

fn edit(kind: ChangeKind, old: Range<usize>, new: Range<usize>) -> Change {
    Change {
        kind,
        old,
        new,
        old_emphasis: Vec::new(),
        new_emphasis: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(d: &WordDiff) -> Vec<(ChangeKind, &str, &str)> {
        d.changes
            .iter()
            .map(|c| {
                (
                    c.kind,
                    &d.old_text[c.old.clone()],
                    &d.new_text[c.new.clone()],
                )
            })
            .collect()
    }

    fn diff(a: &str, b: &str) -> WordDiff {
        let d = word_diff(a, b, &DiffOptions::default());
        assert_eq!(apply(&d), b, "apply must rebuild the new text");
        d
    }

    #[test]
    fn identical_text_has_no_changes() {
        let d = diff("The same words.", "The same words.");
        assert!(d.changes.is_empty() && d.hidden.is_empty());
        assert_eq!(d.ratio, 0.0);
    }

    proptest::proptest! {
        /// The shortcut for equal texts gives what the full diff gives.
        #[test]
        fn equal_texts_diff_as_the_full_diff_does(
            s in proptest::collection::vec(
                proptest::sample::select(
                    "aZ9_.:,;'\" \t\r\n-–`Xé’“”U.S.".chars().collect::<Vec<_>>(),
                ),
                0..40,
            ),
            hide_style in proptest::bool::ANY,
            whitespace in proptest::bool::ANY,
        ) {
            let s: String = s.into_iter().collect();
            let opts = DiffOptions {
                hide_style,
                normalize: Normalization {
                    whitespace,
                    ..Normalization::default()
                },
            };
            proptest::prop_assert_eq!(word_diff(&s, &s, &opts), diff_tokens(&s, &s, &opts));
        }

        /// The byte-wise walks over the stretches between changes agree with
        /// walking them a character at a time, Unicode spaces included.
        #[test]
        fn byte_walks_match_char_walks(
            a in proptest::collection::vec(
                proptest::sample::select("ab é\u{a0}\u{2009}\u{3000}\t\u{b}’".chars().collect::<Vec<_>>()),
                0..24,
            ),
            b in proptest::collection::vec(
                proptest::sample::select("ab é\u{a0}\u{2009}\u{3000}\t\u{b}’".chars().collect::<Vec<_>>()),
                0..24,
            ),
        ) {
            let (a, b): (String, String) = (a.into_iter().collect(), b.into_iter().collect());
            let spaces: usize = a.chars().take_while(|c| c.is_whitespace()).map(char::len_utf8).sum();
            proptest::prop_assert_eq!(skip_space(&a, 0, a.len()), spaces);
            let same: usize = a
                .chars()
                .zip(b.chars())
                .take_while(|(x, y)| x == y && !x.is_whitespace())
                .map(|(x, _)| x.len_utf8())
                .sum();
            proptest::prop_assert_eq!(solid_common_prefix(&a, &b), same);
        }

        /// Walking a stretch against the same bytes finds no edit, which is
        /// what [`gap_edits`] takes for granted when it skips them.
        #[test]
        fn equal_stretches_have_no_whitespace_edits(
            s in proptest::collection::vec(
                proptest::sample::select("ab é\u{a0}\u{2009}\t\n’.".chars().collect::<Vec<_>>()),
                0..24,
            ),
            show in proptest::bool::ANY,
        ) {
            let s: String = s.into_iter().collect();
            let mut out = Vec::new();
            whitespace_edits(&s, &s, 0..s.len(), 0..s.len(), show, &mut out);
            proptest::prop_assert!(out.is_empty());
        }

        /// The search finds a sequence of keys equal to itself throughout,
        /// which is what [`diff_tokens`] takes for granted when the keys of
        /// both sides are the same.
        #[test]
        fn equal_keys_diff_as_all_equal(keys in proptest::collection::vec(0u32..6, 0..120)) {
            let deadline = std::time::Instant::now() + WORD_DIFF_DEADLINE;
            let ops = capture_diff_slices_deadline(Algorithm::Patience, &keys, &keys, Some(deadline));
            let mut at = 0;
            for op in ops {
                match op {
                    DiffOp::Equal { old_index, new_index, len } => {
                        proptest::prop_assert_eq!((old_index, new_index), (at, at));
                        at += len;
                    }
                    other => proptest::prop_assert!(false, "not equal: {other:?}"),
                }
            }
            proptest::prop_assert_eq!(at, keys.len());
        }
    }

    #[test]
    fn typo_is_spelling_with_letter_emphasis() {
        let d = diff(
            "Gen. Mohammad Reza Ashtinai, who spoke",
            "Gen. Mohammad Reza Ashtiani, who spoke",
        );
        assert_eq!(
            shown(&d),
            vec![(ChangeKind::Spelling, "Ashtinai", "Ashtiani")]
        );
        let c = &d.changes[0];
        let old_word = &d.old_text[c.old.clone()];
        let new_word = &d.new_text[c.new.clone()];
        let em_old: Vec<&str> = c
            .old_emphasis
            .iter()
            .map(|r| &old_word[r.clone()])
            .collect();
        let em_new: Vec<&str> = c
            .new_emphasis
            .iter()
            .map(|r| &new_word[r.clone()])
            .collect();
        assert_eq!(em_old, vec!["na"]);
        assert_eq!(em_new, vec!["an"]);
    }

    #[test]
    fn abbreviation_dots_and_quotes_are_style() {
        let d = diff("the US role, “he said”", "the U.S. role, \"he said\"");
        let kinds: Vec<_> = shown(&d);
        assert_eq!(
            kinds,
            vec![
                (ChangeKind::Style, "US", "U.S."),
                (ChangeKind::Style, "“", "\""),
                (ChangeKind::Style, "”", "\""),
            ]
        );
        assert_eq!(d.ratio, 0.0);
    }

    #[test]
    fn abbreviation_at_sentence_end_is_one_style_change() {
        let d = diff("troops left the US.", "troops left the U.S.");
        assert_eq!(shown(&d), vec![(ChangeKind::Style, "US.", "U.S.")]);
    }

    #[test]
    fn case_change_is_style() {
        let d = diff("he said", "He said");
        assert_eq!(shown(&d), vec![(ChangeKind::Style, "he", "He")]);
    }

    #[test]
    fn other_word_is_wording() {
        let d = diff(
            "Ashtiani also slammed the US military",
            "Ashtiani also criticized the US military",
        );
        assert_eq!(
            shown(&d),
            vec![(ChangeKind::Wording, "slammed", "criticized")]
        );
        let d = diff("He said his visit", "Wei said his visit");
        assert_eq!(shown(&d), vec![(ChangeKind::Wording, "He", "Wei")]);
    }

    #[test]
    fn changed_number_is_wording_not_spelling() {
        let d = diff("signed in 2021 with", "signed in 2022 with");
        assert_eq!(shown(&d), vec![(ChangeKind::Wording, "2021", "2022")]);
    }

    #[test]
    fn lone_typo_is_split_out_of_a_replaced_run() {
        let d = diff(
            "met Ashtinai, who underscored the need",
            "met Ashtiani and reportedly stressed the need",
        );
        let s = shown(&d);
        assert!(
            s.contains(&(ChangeKind::Spelling, "Ashtinai", "Ashtiani")),
            "{s:?}"
        );
        assert!(s.iter().any(|c| c.0 == ChangeKind::Wording));
    }

    #[test]
    fn insertion_and_deletion_are_wording_with_an_empty_side() {
        let d = diff("a very big dog", "a dog");
        assert_eq!(shown(&d), vec![(ChangeKind::Wording, " very big", "")]);
        let d = diff("a dog", "a very big dog");
        assert_eq!(shown(&d), vec![(ChangeKind::Wording, "", " very big")]);
        let d = diff("Big dog barks", "dog barks");
        assert_eq!(shown(&d), vec![(ChangeKind::Wording, "Big ", "")]);
        let d = diff("dog barks", "dog barks loudly");
        assert_eq!(shown(&d), vec![(ChangeKind::Wording, "", " loudly")]);
    }

    #[test]
    fn punctuation_only_edit_is_style() {
        let d = diff("long-term ties", "long term ties");
        assert!(
            shown(&d).iter().all(|c| c.0 == ChangeKind::Style),
            "{:?}",
            shown(&d)
        );
        let d = diff("ties, he said", "ties he said");
        assert_eq!(shown(&d), vec![(ChangeKind::Style, ",", "")]);
    }

    #[test]
    fn whitespace_is_not_a_change() {
        let d = diff("two  spaces here", "two spaces\u{a0}here ");
        assert!(d.changes.is_empty());
        assert!(!d.hidden.is_empty());
    }

    #[test]
    fn hide_style_keeps_the_diff_complete() {
        let a = "the US role, “he said”";
        let b = "the U.S. role, \"he said\" today";
        let d = word_diff(
            a,
            b,
            &DiffOptions {
                hide_style: true,
                ..Default::default()
            },
        );
        assert_eq!(shown(&d), vec![(ChangeKind::Wording, "", " today")]);
        assert_eq!(apply(&d), b);
    }

    #[test]
    fn spelling_variant_rules() {
        for (a, b) in [
            ("Ashtinai", "Ashtiani"),
            ("recieve", "receive"),
            ("occured", "occurred"),
            ("teh", "the"),
            ("colour", "color"),
            ("neverthelsss", "nevertheless"),
            ("organisation", "organization"),
        ] {
            assert!(is_spelling_variant(a, b), "{a} / {b}");
        }
        for (a, b) in [
            ("slammed", "criticized"),
            ("He", "Wei"),
            ("US", "U.S."),
            ("2021", "2022"),
            ("cat", "dog"),
            ("with", "which"),
            ("like", "unlike"),
            ("regularly", "irregularly"),
            ("seed", "seeds"),
            ("there", "the"),
            ("could", "would"),
            ("the", "tha"),
        ] {
            assert!(!is_spelling_variant(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn short_kept_words_inside_a_rewrite_are_folded_in() {
        let d = diff(
            "It has been disputed at what period of life the causes act",
            "With respect to what I have called the direct action act",
        );
        assert_eq!(
            shown(&d),
            vec![(
                ChangeKind::Wording,
                "It has been disputed at what period of life the causes",
                "With respect to what I have called the direct action"
            )]
        );
        // A kept word longer than the change beside it stays.
        let d = diff("or dimly seen laws", "or but dimly understood laws");
        assert_eq!(
            shown(&d),
            vec![
                (ChangeKind::Wording, "", " but"),
                (ChangeKind::Wording, "seen", "understood")
            ]
        );
    }

    #[test]
    fn an_inserted_quote_takes_no_space() {
        let d = diff(
            "aimed at improving the cooperation",
            "aimed at “improving the cooperation”",
        );
        assert_eq!(
            shown(&d),
            vec![(ChangeKind::Style, "", "“"), (ChangeKind::Style, "", "”")]
        );
    }

    #[test]
    fn markdown_marks_are_style() {
        let d = diff("### A. Definitions", "## A. Definitions");
        assert_eq!(shown(&d), vec![(ChangeKind::Style, "###", "##")]);
        let d = diff(
            "**Short version:** *We use terms.*",
            "**Short version:** _We use terms._",
        );
        assert_eq!(
            shown(&d),
            vec![(ChangeKind::Style, "*", "_"), (ChangeKind::Style, "*", "_")]
        );
        let d = diff("#### E. Copyright", "### F. Copyright");
        assert_eq!(
            shown(&d),
            vec![
                (ChangeKind::Style, "####", "###"),
                (ChangeKind::Wording, "E", "F")
            ]
        );
    }

    #[test]
    fn a_space_next_to_a_change_joins_it() {
        let d = diff("the wild-duck flies", "the wild duck flies");
        assert_eq!(shown(&d), vec![(ChangeKind::Style, "-", " ")]);
    }

    #[test]
    fn ratio_counts_changed_words() {
        let d = diff("one two three four", "one two five four");
        assert!((d.ratio - 2.0 / 8.0).abs() < 1e-6);
        let d = diff("alpha beta", "gamma delta");
        assert_eq!(d.ratio, 1.0);
    }

    #[test]
    fn empty_sides() {
        let d = diff("", "new words");
        assert_eq!(shown(&d), vec![(ChangeKind::Wording, "", "new words")]);
        let d = diff("old words", "");
        assert_eq!(shown(&d), vec![(ChangeKind::Wording, "old words", "")]);
        let d = diff("  ", " ");
        assert!(d.changes.is_empty());
    }

    #[test]
    fn normalisations_turned_off_are_no_longer_style() {
        let dots_off = DiffOptions {
            normalize: Normalization {
                abbreviation_dots: false,
                ..Normalization::default()
            },
            ..DiffOptions::default()
        };
        let d = word_diff("the US role", "the U.S. role", &dots_off);
        assert!(d.changes.iter().all(|c| c.kind != ChangeKind::Style));
        assert_eq!(apply(&d), "the U.S. role");
        let spaces_seen = DiffOptions {
            normalize: Normalization {
                whitespace: false,
                ..Normalization::default()
            },
            ..DiffOptions::default()
        };
        let d = word_diff("a  b", "a b", &spaces_seen);
        assert_eq!(d.changes.len(), 1);
        assert_eq!(d.changes[0].kind, ChangeKind::Style);
        assert!(
            word_diff("a  b", "a b", &DiffOptions::default())
                .changes
                .is_empty()
        );
    }

    #[test]
    fn huge_words_are_never_spelling_variants() {
        let a = "x".repeat(100_000);
        let mut b = a.clone();
        b.push('y');
        assert!(!is_spelling_variant(&a, &b));
        let d = word_diff(&a, &b, &DiffOptions::default());
        assert_eq!(apply(&d), b);
    }
}
