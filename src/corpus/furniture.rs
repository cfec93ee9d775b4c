//! Page furniture: the patterns and rules that tell it from body text.
//!
//! In: one paragraph's text (already trimmed, lines joined). Out: whether it
//! is furniture and of which [`FurnitureKind`], whether it is a photo
//! caption, and whether it marks the end of an article ("Source: …",
//! "You May Also Like"), which the segmenter uses to place boundaries.
//!
//! Every built-in pattern is listed in [`BUILTIN`] with the kind it gives.
//! Patterns match the *whole* paragraph, case-insensitively, and are only
//! tried on paragraphs of at most [`MAX_FURNITURE_CHARS`] characters: page
//! furniture is short, and the cap keeps a 10 MB one-line file cheap.

use std::sync::{LazyLock, OnceLock};

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use crate::model::FurnitureKind;

/// Paragraphs longer than this (in bytes) are never taken for furniture.
pub const MAX_FURNITURE_CHARS: usize = 2000;

/// Where a furniture paragraph usually stands on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Anywhere: menus, "TT", dates, bylines.
    Any,
    /// After an article's text: "Source: …", "You May Also Like", forum footers.
    /// Body text after one of these is likely another article.
    End,
}

use FurnitureKind::{Boilerplate, Byline, Date, RelatedLink};
use Place::{Any, End};

const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";
const WEEKDAY: &str =
    r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?,?";
const TIME: &str = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?\s?m\.?)?(?:\s*\(?(?:[a-z]{2,5}|[+-]\d{2}:?\d{2})\)?)?";

/// `{M}`, `{W}` and `{T}` in a pattern stand for a month name, a weekday and a time of day.
/// Word boundaries are ASCII ones: the patterns' words are English, and a
/// Unicode `\b` forces the slow matcher on text with curly quotes.
fn expand(p: &str) -> String {
    p.replace("{M}", MONTH)
        .replace("{W}", WEEKDAY)
        .replace("{T}", TIME)
        .replace(r"\b", r"(?-u:\b)")
}

/// The built-in furniture patterns, in priority order (the first that matches wins).
/// Each matches a whole paragraph, ignoring case.
pub const BUILTIN: &[(&str, FurnitureKind, Place)] = &[
    // Stray dates and times on a line of their own: "Nov 4, 2011", "- November 7, 2024",
    // "April 27, 2022, 9:26 PM", "Updated: 27 April 2022 14:05 GMT", "2022-04-27".
    (
        r"[-–—•|·\s]*(?:(?:updated|published|posted|last updated|last modified|date)\s*(?:on|at)?\s*:?\s*)?(?:{W}\s*)?(?:{M}\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}(?:st|nd|rd|th)?\s+{M},?\s+\d{4}|{M},?\s+\d{4}|\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2})?(?:z|[+-]\d{2}:?\d{2})?)?|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})(?:\s*(?:[,|•·-]|\bat\b)?\s*{T})?\s*[-–—|]?",
        Date,
        Any,
    ),
    (r"[-–—•|\s]*(?:{W}\s*)?{T}", Date, Any),
    (
        r"(?:about\s+)?(?:an?|\d+)\s+(?:sec|second|min|minute|hr|hour|day|week|month|year)s?\s+ago",
        Date,
        Any,
    ),
    // Bylines: "By The Associated Press", "ByThe Associated Press", "By Jane Doe and John Roe".
    // The name part is checked for capitals in `is_byline`.
    (
        r"(?:reporting|writing|editing|additional reporting|compiled|written|reported|story|words|text)\s+by\s+.{1,120}",
        Byline,
        Any,
    ),
    (
        r"[-–—\s]*(?:ap|afp|reuters|associated press|agence france-presse|xinhua|dpa|ani|pti|ians|tass|efe|ansa|upi|bloomberg)\s*",
        Byline,
        Any,
    ),
    // Truncated teaser links: "NATO Secretary-General Ex...".
    (r".{1,120}?(?:\.\.\.|…)\s*[»›>]?", RelatedLink, Any),
    // Site chrome.
    (
        r"tt|ads?|advertisement|sponsored(?: content)?|promoted",
        Boilerplate,
        Any,
    ),
    (
        r"(?:(?:read|see|watch|listen)\s+(?:more|also|next|the full (?:story|article))|continue reading)\s*[:»›>…\.]*",
        Boilerplate,
        Any,
    ),
    (
        r"what[’']s new|what[’']s hot|home|menu|search|log ?in|sign ?in|register|skip to (?:main )?content",
        Boilerplate,
        Any,
    ),
    (
        r"opinion|report|reports|analysis|caricature|cartoon|video|videos|photos?|gallery|print|email|e-mail|tweet|facebook|twitter|whatsapp|linkedin|telegram|reddit|pinterest|share|share this(?: article| story| post)?|save|copy link|close",
        Boilerplate,
        Any,
    ),
    (
        r"top\s*bottom|back to top|top|bottom|scroll to top",
        Boilerplate,
        End,
    ),
    (
        r"(?:you may also like|you might also like|you may be interested in|related(?: articles| stories| posts| news| content| topics)?|more (?:from|on|in) .{1,40}|recommended(?: for you| stories)?|popular posts|most (?:read|popular|viewed|shared)|trending(?: now| stories)?|latest (?:news|stories|posts)|top stories|see also|also read|more stories|editor[’']s picks)\s*:?",
        Boilerplate,
        End,
    ),
    (r"sources?\s*:.{0,120}", Boilerplate, End),
    (
        r"(?:tags?|topics?|filed under|categories|keywords)\s*:.{0,300}",
        Boilerplate,
        End,
    ),
    (
        r"(?:newsletters?|subscribe|sign up|join (?:our|the) (?:mailing list|newsletter)|get (?:our|the) newsletter)\b.{0,150}",
        Boilerplate,
        End,
    ),
    (
        r"(?:\d+\s+)?comments?|leave a (?:comment|reply)|post a comment|add (?:a )?comment|(?:follow|like) us on .{1,60}|click here.{0,120}|share (?:this|on) .{1,40}",
        Boilerplate,
        End,
    ),
    (
        r"users? who (?:are|is) viewing this thread.*",
        Boilerplate,
        End,
    ),
    // Copyright lines and publisher notes: "… is being included by … not as an endorsement …",
    // republishing terms, RSS feeds.
    (
        r"(?:copyright\s*(?:©|\(c\))?|©|\(c\))\s*\d{4}\b.{0,150}|.{0,200}\ball rights reserved\b.{0,100}",
        Boilerplate,
        End,
    ),
    (
        r".*\b(?:not as an endorsement|is being included by|views expressed (?:in|by) this .{0,60}(?:are|do not)|does not necessarily reflect the (?:views|opinions) of)\b.*",
        Boilerplate,
        End,
    ),
    (
        r".*\b(?:(?:may|can|are free to|feel free to) republish|republish(?:ed)? (?:this|with permission|under)|republishing (?:guidelines|terms)|this (?:article|story|content|piece) (?:was|is|has been) (?:originally |first )?(?:published|republished|reproduced))\b.*",
        Boilerplate,
        End,
    ),
    (r".{0,200}\brss feeds?\b.{0,200}", Boilerplate, End),
    // A lone dash or other line without a single letter.
    (r"[^\p{L}]*", Boilerplate, Any),
];

/// Paragraphs longer than this (in bytes) can only be publisher notes.
const SHORT_FURNITURE_CHARS: usize = 300;

/// Words without which no built-in pattern matches a long paragraph.
const LONG_FURNITURE_HINTS: &[&str] = &[
    "endorsement",
    "included by",
    "views expressed",
    "necessarily reflect",
    "republish",
    "rss feed",
    "all rights reserved",
    "viewing this thread",
    "copyright",
    "©",
];

/// Whether a [`fold`]ed paragraph holds one of [`LONG_FURNITURE_HINTS`].
/// Ten searches of the fold (each reads many bytes at a time) cost a third
/// less than one pass of a case-blind automaton over the paragraph, whose
/// building (a million instructions) is saved too; and the fold is wanted
/// anyway when a hint is found.
fn has_long_hint(folded: &str) -> bool {
    LONG_FURNITURE_HINTS.iter().any(|h| folded.contains(h))
}

/// A test a paragraph must pass for one [`BUILTIN`] pattern to be able to
/// match it, run on the paragraph's [`fold`]ed text. Compiling the patterns
/// costs far more than classifying a short file (their Unicode classes and
/// counted repeats make large automata), so each is compiled only when a
/// paragraph first passes its gate, and body text passes almost none. A gate
/// may let through paragraphs its pattern rejects, never the reverse: the
/// literals it looks for are ones every match of its pattern contains.
type Gate = fn(&str) -> bool;

/// The gates of [`BUILTIN`], in the same order.
const GATES: [Gate; BUILTIN.len()] = [
    // A date has digits (which `builtin_match` asks for: see
    // [`NUMERIC_PATTERNS`]), and the pattern allows at most 13 runs of
    // spaces after the leading marks. Its date proper names a month or joins
    // two numbers with "-", "/" or ".": headlines with a number in them
    // ("Could Spark Regional War", "3,000 killed") do neither.
    |f| {
        words_after_at_most(f, &['-', '–', '—', '•', '|', '·'], 14)
            && (MONTH_STEMS.iter().any(|m| f.contains(m)) || joins_numbers(f))
    },
    // A time of day has digits (asked for as the date's are), a separator
    // and at most 4 runs of spaces.
    |f| {
        f.bytes().any(|b| matches!(b, b':' | b'.'))
            && words_after_at_most(f, &['-', '–', '—', '•', '|'], 5)
    },
    |f| f.ends_with("ago"),
    |f| {
        starts_with_any(
            f,
            &[
                "reporting",
                "writing",
                "editing",
                "additional reporting",
                "compiled",
                "written",
                "reported",
                "story",
                "words",
                "text",
            ],
        )
    },
    |f| {
        let name =
            f.trim_start_matches(|c: char| matches!(c, '-' | '–' | '—') || c.is_whitespace());
        AGENCIES.contains(&name.trim_end())
    },
    |f| {
        let f = f.strip_suffix(['»', '›', '>']).unwrap_or(f).trim_end();
        f.ends_with("...") || f.ends_with('…')
    },
    |f| at_most_chars(f, 17) && starts_with_any(f, &["tt", "ad", "sponsored", "promoted"]),
    // "Read the full article »": five words at most.
    |f| {
        starts_with_any(f, &["read", "see", "watch", "listen", "continue reading"])
            && words_after_at_most(f, &[], 5)
    },
    |f| {
        at_most_chars(f, 20)
            && starts_with_any(
                f,
                &[
                    "what", "home", "menu", "search", "log", "sign", "register", "skip",
                ],
            )
    },
    |f| {
        at_most_chars(f, 18)
            && starts_with_any(
                f,
                &[
                    "opinion",
                    "report",
                    "analysis",
                    "caricature",
                    "cartoon",
                    "video",
                    "photo",
                    "gallery",
                    "print",
                    "e",
                    "tweet",
                    "facebook",
                    "twitter",
                    "whatsapp",
                    "linkedin",
                    "telegram",
                    "reddit",
                    "pinterest",
                    "share",
                    "save",
                    "copy link",
                    "close",
                ],
            )
    },
    // "Scroll to top": three words at most.
    |f| starts_with_any(f, &["top", "back", "bottom", "scroll"]) && words_after_at_most(f, &[], 3),
    // The pattern's words up to the first optional part: "more" alone
    // starts many a sentence.
    |f| {
        starts_with_any(
            f,
            &[
                "you may also like",
                "you might also like",
                "you may be interested in",
                "related",
                "more from ",
                "more on ",
                "more in ",
                "more stories",
                "recommended",
                "popular posts",
                "most read",
                "most popular",
                "most viewed",
                "most shared",
                "trending",
                "latest news",
                "latest stories",
                "latest posts",
                "top stories",
                "see also",
                "also read",
                "editor’s picks",
                "editor's picks",
            ],
        )
    },
    |f| f.starts_with("source") && f.contains(':'),
    |f| {
        starts_with_any(
            f,
            &["tag", "topic", "filed under", "categories", "keywords"],
        ) && f.contains(':')
    },
    |f| starts_with_any(f, &["newsletter", "subscribe", "sign up", "join ", "get "]),
    |f| {
        starts_with_any(
            f,
            &[
                "comment",
                "leave a ",
                "post a comment",
                "add ",
                "follow us on ",
                "like us on ",
                "click here",
                "share ",
            ],
        ) || (f.starts_with(char::is_numeric)
            && (f.ends_with("comment") || f.ends_with("comments")))
    },
    |f| f.starts_with("user"),
    |f| starts_with_any(f, &["copyright", "©", "(c)"]) || f.contains("all rights reserved"),
    |f| {
        [
            "not as an endorsement",
            "is being included by",
            "views expressed",
            "does not necessarily reflect the",
        ]
        .iter()
        .any(|w| f.contains(w))
    },
    |f| {
        // "this " is common in prose: it is looked for last.
        f.contains("republish")
            || ((f.contains("published") || f.contains("reproduced")) && f.contains("this "))
    },
    |f| f.contains("rss feed"),
    // Every ASCII letter is a letter.
    |f| !f.bytes().any(|b| b.is_ascii_alphabetic()),
];

/// The news agencies of the byline pattern, as [`fold`] gives them.
const AGENCIES: &[&str] = &[
    "ap",
    "afp",
    "reuters",
    "associated press",
    "agence france-presse",
    "xinhua",
    "dpa",
    "ani",
    "pti",
    "ians",
    "tass",
    "efe",
    "ansa",
    "upi",
    "bloomberg",
];

/// The first three letters of each month's name, as [`fold`] gives them.
const MONTH_STEMS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Whether the text holds a character that [`char::is_numeric`] accepts.
/// The date and time gates ask it of every short paragraph: ASCII digits are
/// looked for in one pass over the bytes, which the compiler does many at a
/// time, and only the characters that are not ASCII are decoded.
fn has_numeric(f: &str) -> bool {
    let b = f.as_bytes();
    if b.iter().fold(false, |digit, c| digit | c.is_ascii_digit()) {
        return true;
    }
    // A byte of at least 0xC0 starts a character of two or more bytes.
    !f.is_ascii()
        && b.iter().enumerate().any(|(i, &c)| {
            c >= 0xC0
                && f.get(i..)
                    .and_then(|rest| rest.chars().next())
                    .is_some_and(char::is_numeric)
        })
}

/// Whether a number is followed by "-", "/" or "." and another number.
fn joins_numbers(f: &str) -> bool {
    let mut before = [' ', ' '];
    f.chars().any(|c| {
        let joined =
            before[0].is_numeric() && matches!(before[1], '-' | '/' | '.') && c.is_numeric();
        before = [before[1], c];
        joined
    })
}

/// Whether a paragraph has at most `most` words once the leading run of
/// `marks` and spaces is cut. Counting stops past `most`: body paragraphs,
/// which every gate sees, have many more.
fn words_after_at_most(f: &str, marks: &[char], most: usize) -> bool {
    f.trim_start_matches(|c: char| c.is_whitespace() || marks.contains(&c))
        .split_whitespace()
        .nth(most)
        .is_none()
}

/// Whether `f` has at most `most` characters. A character takes one to
/// four bytes, so the length in bytes answers for nearly every paragraph,
/// which is far longer than a menu word: only the rest are counted.
fn at_most_chars(f: &str, most: usize) -> bool {
    f.len() <= most || (f.len() <= 4 * most && f.chars().nth(most).is_none())
}

pub(super) fn starts_with_any(f: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|p| f.starts_with(p))
}

/// The paragraph as the gates see it: each character that the patterns'
/// case-blind matching takes for an ASCII letter becomes that lower-case
/// letter (ASCII capitals, and the two other characters Unicode folds onto
/// one, the long s and the Kelvin sign); everything else stays as it is.
pub(super) fn fold(text: &str) -> String {
    let mut folded = String::new();
    fold_into(text, &mut folded);
    folded
}

/// [`fold`], written into `out` (cleared first): a buffer reused from one
/// paragraph to the next saves an allocation for each.
fn fold_into(text: &str, out: &mut String) {
    out.clear();
    // Byte by byte (other characters' bytes are never ASCII letters), then
    // the two rare characters, if any.
    out.push_str(text);
    out.make_ascii_lowercase();
    // The check for ASCII is a fast pass; looking for two characters at once is not.
    if !out.is_ascii() && (out.contains('\u{17F}') || out.contains('\u{212A}')) {
        *out = out.replace('\u{17F}', "s").replace('\u{212A}', "k");
    }
}

/// Photo captions end with a credit in parentheses: "(EPA)", "(AP Photo/Evgeniy Maloletka)".
// Built from constants: a failure is a bug caught by the tests, not an input error.
static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \(
          (?:
            [^()]{0,60}(?-u:\b)(?i:photo|photos|photograph|image|images|picture|file|getty|reuters|afp|epa|ap|aa|xinhua|anadolu|credit|courtesy|via|handout|screenshot|screengrab)(?-u:\b)[^()]{0,60}
          | \p{Lu}[\p{Lu}\p{N}&/.\ \-]{1,24}
          )
        \)\s*$",
    )
    .expect("built-in caption pattern")
});

/// The name part of a byline: "By" then capitalised words (the pattern set is case-blind).
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:by)\s*(?:(?:\p{Lu}[\p{L}'’.\-]*|(?i:the|and|of|de|da|van|von|al|bin|ibn|el)|&|,|\||[-–—])\s*){1,12}$",
    )
    .expect("built-in byline pattern")
});

/// The lower-case words [`BYLINE`] takes as names.
const SMALL_WORDS: [&str; 11] = [
    "the", "and", "of", "de", "da", "van", "von", "al", "bin", "ibn", "el",
];

/// Whether what follows "By" could be [`BYLINE`]'s names, tested before
/// compiling that pattern (its repeated Unicode classes make it the costliest
/// to build). Every character of the names is a letter, a space or one of
/// the pattern's marks, and each word starts a name: with a capital, a mark,
/// or one of the small words.
fn may_be_byline(rest: &str) -> bool {
    const MARKS: [char; 9] = ['\'', '’', '.', '-', '&', ',', '|', '–', '—'];
    rest.chars()
        .all(|c| c.is_alphabetic() || c.is_whitespace() || MARKS.contains(&c))
        && rest.split_whitespace().all(|word| {
            !word.starts_with(|c: char| c.is_ascii_lowercase())
                || SMALL_WORDS.iter().any(|w| {
                    word.get(..w.len())
                        .is_some_and(|p| p.eq_ignore_ascii_case(w))
                })
        })
}

/// [`BYLINE`], for a paragraph starting with "by": ASCII text is checked
/// here, by the fewest names that spell it out, so the pattern is compiled
/// only for other text that could be a byline.
fn is_byline(text: &str) -> bool {
    if !text.is_ascii() {
        return may_be_byline(&text[2..]) && BYLINE.is_match(text);
    }
    // The pattern's `\s`, on ASCII.
    let space = |c: u8| matches!(c, b'\t'..=b'\r' | b' ');
    let b = text.as_bytes();
    let skip = |mut i: usize| {
        while b.get(i).copied().is_some_and(space) {
            i += 1;
        }
        i
    };
    // fewest[i]: the fewest names that cover the text up to byte i.
    let mut fewest = vec![usize::MAX; b.len() + 1];
    fewest[skip(2)] = 0;
    for i in skip(2)..b.len() {
        if fewest[i] == usize::MAX {
            continue;
        }
        let mut ends = Vec::new();
        if b[i].is_ascii_uppercase() {
            let mut j = i + 1;
            ends.push(j);
            while b
                .get(j)
                .is_some_and(|c| c.is_ascii_alphabetic() || b"'.-".contains(c))
            {
                j += 1;
                ends.push(j);
            }
        }
        for w in SMALL_WORDS {
            if b[i..]
                .get(..w.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(w.as_bytes()))
            {
                ends.push(i + w.len());
            }
        }
        if b"&,|-".contains(&b[i]) {
            ends.push(i + 1);
        }
        for e in ends {
            let next = skip(e);
            fewest[next] = fewest[next].min(fewest[i] + 1);
        }
    }
    (1..=12).contains(&fewest[b.len()])
}

/// [`CAPTION`], answered without the pattern when the credit is ASCII (the
/// pattern's two Unicode classes repeated sixty times take milliseconds to
/// compile). The credit can hold no parenthesis, so it is what stands
/// between the last "(" and the closing ")".
fn ends_with_credit(text: &str) -> bool {
    let Some(inner) = text
        .strip_suffix(')')
        .and_then(|t| t.rfind('(').map(|open| &t[open + 1..]))
    else {
        return false;
    };
    if inner.contains(')') {
        return false;
    }
    if !inner.is_ascii() {
        return CAPTION.is_match(text);
    }
    let b = inner.as_bytes();
    let abbreviation = b.len() >= 2
        && b.len() <= 25
        && b[0].is_ascii_uppercase()
        && b[1..]
            .iter()
            .all(|&c| c.is_ascii_uppercase() || c.is_ascii_digit() || b"&/. -".contains(&c));
    abbreviation || has_credit_word(&inner.to_ascii_lowercase())
}

/// The words of [`CAPTION`]'s first branch.
const CREDIT_WORDS: [&str; 21] = [
    "photo",
    "photos",
    "photograph",
    "image",
    "images",
    "picture",
    "file",
    "getty",
    "reuters",
    "afp",
    "epa",
    "ap",
    "aa",
    "xinhua",
    "anadolu",
    "credit",
    "courtesy",
    "via",
    "handout",
    "screenshot",
    "screengrab",
];

/// Whether a lower-case ASCII credit holds one of [`CREDIT_WORDS`] as a whole
/// word with at most sixty characters on either side.
fn has_credit_word(inner: &str) -> bool {
    let b = inner.as_bytes();
    let word_at = |i: usize| {
        b.get(i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    };
    CREDIT_WORDS.iter().any(|w| {
        (0..=b.len().saturating_sub(w.len())).any(|s| {
            let e = s + w.len();
            b[s..].starts_with(w.as_bytes())
                && s <= 60
                && b.len() - e <= 60
                && (s == 0 || !word_at(s - 1))
                && !word_at(e)
        })
    })
}

/// [`BUILTIN`], each pattern compiled on first use, by one of two engines.
///
/// `regex` compiles a pattern into automata that handle every Unicode
/// class and case folding; for the date pattern that is ~5 million
/// instructions, as much as the rest of a small `storydiff diff`.
/// `regex-lite` compiles the same pattern in a seventh of that (see
/// [`lite_regex`]), but knows only ASCII: its `\s` and `\d` are ASCII, its
/// case-blindness is ASCII's, and it has no `\p{..}` classes. It is used
/// for the paragraphs on which it gives the same answer ([`lite_agrees`]);
/// they are nearly all of them.
static FULL_REGEXES: [OnceLock<Regex>; BUILTIN.len()] = [const { OnceLock::new() }; BUILTIN.len()];
static LITE_REGEXES: [OnceLock<regex_lite::Regex>; BUILTIN.len()] =
    [const { OnceLock::new() }; BUILTIN.len()];

/// `\p{L}` stands only in [`BUILTIN`]'s last pattern, inside a class, where
/// `a-zA-Z` means the same on ASCII text.
const UNICODE_LETTERS: &str = r"\p{L}";

fn full_regex(i: usize) -> &'static Regex {
    FULL_REGEXES[i].get_or_init(|| {
        RegexBuilder::new(&format!("^(?:{})$", expand(BUILTIN[i].0)))
            .case_insensitive(true)
            .size_limit(64 << 20)
            .build()
            .expect("built-in furniture pattern")
    })
}

/// The pattern for `regex-lite`, matched case-sensitively against the
/// paragraph's [`fold`]: the patterns' letters are all lower case, so on
/// the folded text that is the case-blind match, and compiling it takes
/// two fifths less (no class of two cases for every letter).
fn lite_regex(i: usize) -> &'static regex_lite::Regex {
    LITE_REGEXES[i].get_or_init(|| {
        let pattern = expand(BUILTIN[i].0).replace(UNICODE_LETTERS, "a-zA-Z");
        regex_lite::Regex::new(&format!("^(?:{pattern})$")).expect("built-in furniture pattern")
    })
}

/// Whether `regex-lite` matches [`BUILTIN`] pattern `i` on `text` exactly
/// when `regex` does. The patterns' letters are ASCII and their other
/// literals have no case, so the engines differ only on characters that
/// `regex` takes for a space, a digit or (case-blind) an ASCII letter and
/// `regex-lite` does not: non-ASCII spaces and digits, the long s and the
/// Kelvin sign. `\p{L}` becomes `a-zA-Z`, which is only right on ASCII text.
fn lite_agrees(i: usize, text: &str) -> bool {
    if BUILTIN[i].0.contains(UNICODE_LETTERS) {
        return text.is_ascii();
    }
    !text.chars().any(|c| {
        !c.is_ascii()
            && (c.is_whitespace() || c.is_numeric() || matches!(c, '\u{17F}' | '\u{212A}'))
    })
}

/// Whether [`BUILTIN`] pattern `i` matches the whole paragraph, given also
/// as [`fold`] gives it.
fn builtin_is_match(i: usize, text: &str, folded: &str) -> bool {
    if lite_agrees(i, text) {
        lite_regex(i).is_match(folded)
    } else {
        full_regex(i).is_match(text)
    }
}

/// The [`BUILTIN`] patterns that match only text with a digit: the date
/// and time patterns, first in the list. Their gates leave the digit to
/// [`builtin_match`], which looks for it once for both.
const NUMERIC_PATTERNS: usize = 2;

/// The first [`BUILTIN`] pattern that matches the whole paragraph.
fn builtin_match(text: &str, folded: &str) -> Option<usize> {
    let first = if has_numeric(folded) {
        0
    } else {
        NUMERIC_PATTERNS
    };
    (first..BUILTIN.len()).find(|&i| GATES[i](folded) && builtin_is_match(i, text, folded))
}

/// A user's furniture pattern that is not a valid regular expression.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("furniture pattern '{pattern}' is not a valid regular expression: {reason}")]
pub struct PatternError {
    pub pattern: String,
    pub reason: String,
}

/// What a paragraph was taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub kind: FurnitureKind,
    pub place: Place,
}

/// The built-in patterns plus the user's, compiled once.
#[derive(Debug, Clone)]
pub struct Furniture {
    extra: Option<RegexSet>,
}

impl Furniture {
    /// Compile the user's extra patterns (each matched against a whole
    /// paragraph, ignoring case). A bad pattern is an error, never a panic.
    pub fn new(extra: &[String]) -> Result<Furniture, PatternError> {
        for p in extra {
            if let Err(e) = Regex::new(p) {
                return Err(PatternError {
                    pattern: p.clone(),
                    reason: e.to_string(),
                });
            }
        }
        let extra = if extra.is_empty() {
            None
        } else {
            let set = RegexSetBuilder::new(extra.iter().map(|p| format!("^(?:{p})$")))
                .case_insensitive(true)
                .build()
                .map_err(|e| PatternError {
                    pattern: extra.join(" | "),
                    reason: e.to_string(),
                })?;
            Some(set)
        };
        Ok(Furniture { extra })
    }

    /// The furniture kind of a paragraph, if it is furniture. `scratch`
    /// is room to work in, lent so that a run of paragraphs can share it.
    pub fn classify(&self, text: &str, scratch: &mut String) -> Option<Match> {
        let text = text.trim();
        if text.len() > MAX_FURNITURE_CHARS {
            return None;
        }
        // Most body paragraphs are long, and only the publisher-note patterns
        // can match a long paragraph: a literal search rules the rest out.
        let long = text.len() > SHORT_FURNITURE_CHARS;
        fold_into(text, scratch);
        let folded = scratch.as_str();
        if long && !has_long_hint(folded) {
            return self.extra_match(text);
        }
        let by = text.get(..2).is_some_and(|b| b.eq_ignore_ascii_case("by"));
        if !long && by && text.split_whitespace().count() <= 12 && is_byline(text) {
            return Some(Match {
                kind: Byline,
                place: Any,
            });
        }
        if let Some(i) = builtin_match(text, folded) {
            let (_, kind, place) = BUILTIN[i];
            return Some(Match { kind, place });
        }
        self.extra_match(text)
    }

    fn extra_match(&self, text: &str) -> Option<Match> {
        self.extra
            .as_ref()
            .is_some_and(|s| s.is_match(text))
            .then_some(Match {
                kind: Boilerplate,
                place: Any,
            })
    }
}

/// Whether a paragraph is a photo caption: a sentence or two ending with a
/// photo credit in parentheses.
pub fn is_caption(text: &str) -> bool {
    let text = text.trim();
    text.len() <= 600
        && text.ends_with(')')
        && text.split_whitespace().nth(4).is_some()
        && ends_with_credit(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in patterns as one set, as they were matched before the
    /// gates: the reference the gated matching must agree with.
    static BUILTIN_SET: LazyLock<RegexSet> = LazyLock::new(|| {
        RegexSetBuilder::new(
            BUILTIN
                .iter()
                .map(|(p, _, _)| format!("^(?:{})$", expand(p))),
        )
        .case_insensitive(true)
        .size_limit(64 << 20)
        .dfa_size_limit(64 << 20)
        .build()
        .expect("built-in furniture patterns")
    });

    fn kind(text: &str) -> Option<FurnitureKind> {
        Furniture::new(&[])
            .ok()
            .and_then(|f| f.classify(text, &mut String::new()))
            .map(|m| m.kind)
    }

    #[test]
    fn builtin_patterns_compile() {
        assert_eq!(BUILTIN_SET.len(), BUILTIN.len());
        assert!(!CAPTION.as_str().is_empty());
        assert!(!BYLINE.as_str().is_empty());
    }

    #[test]
    fn site_chrome_is_boilerplate() {
        for t in [
            "TT",
            "Read more",
            "You May Also Like",
            "Popular Posts",
            "Source: arabnews",
            "Newsletter",
            "Subscribe to our mailing list to get the new updates!",
            "ads",
            "opinion",
            "Report",
            "Caricature",
            "Top Bottom",
            "Users Who Are Viewing This Thread (Total: 1, Members: 0, Guests: 1)",
            "What's new",
            "-",
        ] {
            assert_eq!(kind(t), Some(Boilerplate), "{t}");
        }
    }

    #[test]
    fn dates_bylines_and_teasers() {
        for t in [
            "Nov 4, 2011",
            "- November 7, 2024",
            "April 27, 2022, 9:26 PM",
            "Oct 2, 2011",
            "27 April 2022",
            "2022-04-27",
            "Updated: April 27, 2022 at 9:26 pm EST",
            "9:26 PM",
        ] {
            assert_eq!(kind(t), Some(Date), "{t}");
        }
        for t in [
            "ByThe Associated Press",
            "By Jane Doe",
            "By Jane Doe and John Roe",
            "Reporting by Parisa Hafezi; Editing by Alex Richardson",
        ] {
            assert_eq!(kind(t), Some(Byline), "{t}");
        }
        assert_eq!(kind("NATO Secretary-General Ex..."), Some(RelatedLink));
        assert_eq!(kind("NATO Secretary-General Ex…"), Some(RelatedLink));
    }

    #[test]
    fn publisher_notes_are_boilerplate() {
        let note = "RT (Russia Today) is a state-owned news organization funded by the Russian government. The information provided by this news source is being included by the Libertarian Hub not as an endorsement of the Russian government, but rather because it is being actively censored.";
        assert_eq!(kind(note), Some(Boilerplate));
        assert_eq!(
            kind("This article was originally published on The Conversation."),
            Some(Boilerplate)
        );
    }

    #[test]
    fn body_text_is_not_furniture() {
        for t in [
            "Raisi told Fenghe that Tehran sees its ties with Beijing as strategic.",
            "By Tuesday the talks had stalled, officials said.",
            "Effective date: May 22, 2017",
            "Cancerous Tumor",
            "Iran seeks to expand its military cooperation with China",
            "The report was published on Monday.",
            "A. Definitions",
        ] {
            assert_eq!(kind(t), None, "{t}");
        }
    }

    #[test]
    fn headlines_with_numbers_pass_no_gate() {
        for t in [
            "UN Warns Congo’s M23 Conflict Could Spark Regional War",
            "More than 3,000 have been killed or wounded, according to Kyiv.",
        ] {
            assert_eq!(builtin_match(t, &fold(t)), None, "{t}");
            assert!(!GATES.iter().any(|gate| gate(&fold(t))), "{t}");
        }
    }

    #[test]
    fn builtin_patterns_have_no_capitals() {
        // `lite_regex` matches case-sensitively on folded text.
        for (p, _, _) in BUILTIN {
            let p = expand(p).replace(UNICODE_LETTERS, "");
            let mut escaped = false;
            for c in p.chars() {
                assert!(escaped || !c.is_uppercase(), "{c:?} in {p}");
                escaped = !escaped && c == '\\';
            }
        }
    }

    #[test]
    fn the_lite_engine_is_kept_off_what_it_reads_differently() {
        assert!(lite_agrees(0, "What’s new — Nov 4, 2011"));
        assert!(!lite_agrees(0, "Nov\u{a0}4, 2011"));
        assert!(!lite_agrees(0, "Nov ٤, 2011"));
        assert!(!lite_agrees(6, "\u{17F}ponsored"));
        let no_letters = BUILTIN.len() - 1;
        assert!(lite_agrees(no_letters, "- * -"));
        assert!(!lite_agrees(no_letters, "« »"));
    }

    #[test]
    fn captions_end_with_a_credit() {
        assert!(is_caption(
            "A Chinese military delegation held talks in Tehran on Wednesday, April 27, 2022. (EPA)"
        ));
        assert!(is_caption(
            "A Ukrainian self-propelled howitzer fires towards Russian positions. (AP Photo/Evgeniy Maloletka)"
        ));
        assert!(!is_caption(
            "North Korea is preparing to launch an intercontinental ballistic missile (ICBM), the JCS said."
        ));
        assert!(!is_caption("Tehran (EPA)"));
    }

    /// Furniture and near-furniture, one or more for each pattern and check.
    const EXAMPLES: &[&str] = &[
        "TT",
        "Ads",
        "Sponsored content",
        "Promoted",
        "Read more",
        "See also",
        "Watch next »",
        "Read the full story…",
        "Continue reading:",
        "What's new",
        "What’s hot",
        "Log in",
        "Skip to main content",
        "Share this article",
        "E-mail",
        "Copy link",
        "Top Bottom",
        "Back to top",
        "Scroll to top",
        "Top   bottom",
        "You May Also Like",
        "More from Reuters",
        "Editor’s Picks:",
        "Source: arabnews",
        "Sources : AP, AFP",
        "Tags: Iran, China",
        "Filed under: World",
        "Newsletter",
        "Subscribe to our mailing list",
        "Sign up now",
        "Join our newsletter",
        "Get the newsletter",
        "12 comments",
        "Comments",
        "Leave a reply",
        "Post a comment",
        "Add a comment",
        "Follow us on Twitter",
        "Click here to read",
        "Share on Facebook",
        "Users Who Are Viewing This Thread (Total: 1)",
        "Copyright © 2022 Reuters",
        "© 2022 Acme",
        "(c) 2021 Foo",
        "All Rights Reserved.",
        "2022 Acme. All rights reserved",
        "This article was originally published on The Conversation.",
        "You may republish this article",
        "Republished with permission",
        "Subscribe to our RSS feeds",
        "Nov 4, 2011",
        "- November 7, 2024",
        "April 27, 2022, 9:26 PM",
        "27 April 2022",
        "2022-04-27",
        "2022-04-27T09:26:00+02:00",
        "04/27/2022",
        "Updated: April 27, 2022 at 9:26 pm EST",
        "Last updated on: Wed., April 27, 2022 | 9:26 a. m. (GMT)",
        "9:26 PM",
        "— Wednesday 9.26",
        "Monday, 9:26 a.m. (+03:00)",
        "About an hour ago",
        "3 days ago",
        "a minute ago",
        "Reporting by Parisa Hafezi; Editing by Alex Richardson",
        "Story by Jane Doe",
        "ByThe Associated Press",
        "By Jane Doe",
        "By Jane Doe and John Roe",
        "by the AP",
        "By A,B,C,D,E,F,G",
        "By A,B,C,D,E,F",
        "By Jean de la Fontaine",
        "By JANE-DOE & O'Neil",
        "By Tuesday the talks had stalled",
        "By van Gogh",
        "By vAN Gogh",
        "BY  Ibn Battuta |",
        "By",
        "By ",
        "By Ünal Öz",
        "By Jane\u{a0}Doe",
        "By jane",
        "By Deutsche Welle",
        "— AP",
        "Reuters",
        "Agence France-Presse ",
        "AFP -",
        "-– Bloomberg",
        "NATO Secretary-General Ex...",
        "NATO Secretary-General Ex… »",
        "...",
        "…",
        "-",
        "—",
        "123",
        "· · ·",
        "* * *",
        "«»",
        "١٢٣",
        "Ωμέγα",
        "opinion",
        "Report",
        "Caricature",
        "Analysis",
        "Cancerous Tumor",
        "A. Definitions",
        "Effective date: May 22, 2017",
        "The report was published on Monday.",
        "RSS feeds are available.",
        "The views expressed in this article are the author's own.",
    ];

    /// Paragraphs to hold the gated matching against the pattern set: the
    /// sample's, the module's examples, and variants on what the gates and
    /// the hand-written checks look at (case, the long s and Kelvin sign,
    /// Unicode spaces and digits, lengths at the limits).
    fn probes() -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for f in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/corpus"))
            .into_iter()
            .flatten()
            .flatten()
        {
            let text = std::fs::read_to_string(f.path()).unwrap_or_default();
            out.extend(
                text.split("\n\n")
                    .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")),
            );
            out.extend(text.lines().map(str::to_owned));
        }
        out.extend(EXAMPLES.iter().map(|s| (*s).to_owned()));
        let variants: Vec<String> = out
            .iter()
            .flat_map(|t| {
                [
                    t.to_uppercase(),
                    t.to_lowercase(),
                    t.replace('s', "\u{17F}").replace('k', "\u{212A}"),
                    t.replace(' ', "\u{a0}"),
                    t.replace('1', "١").replace('2', "٢"),
                    format!("{t} (AP Photo/Evgeniy Maloletka)"),
                    format!("{t} (EPA)"),
                    format!("{t} (Photo: Jane Doe)"),
                    format!("{t} (file photo)"),
                    format!("{t} (Photö: Jane)"),
                    format!("{} (AFP)", "x".repeat(t.len() % 70)),
                    format!(
                        "a b c d ({} via {})",
                        "y".repeat(t.len() % 64),
                        "z".repeat(t.len() % 63)
                    ),
                ]
            })
            .collect();
        out.extend(variants);
        out
    }

    #[test]
    fn gated_matching_agrees_with_the_pattern_set() {
        let mut checked = 0;
        for p in probes() {
            let t = p.trim();
            let want = BUILTIN_SET.matches(t).iter().next();
            assert_eq!(builtin_match(t, &fold(t)), want, "{t:?}");
            if t.get(..2).is_some_and(|b| b.eq_ignore_ascii_case("by")) {
                assert_eq!(is_byline(t), BYLINE.is_match(t), "{t:?}");
            }
            if t.ends_with(')') {
                assert_eq!(ends_with_credit(t), CAPTION.is_match(t), "{t:?}");
            }
            checked += 1;
        }
        assert!(checked > 1000);
    }

    /// What the random edits put into an example: pieces of the patterns'
    /// literals, and the characters the engines and gates read differently.
    const PIECES: &[&str] = &[
        "Nov",
        "sept",
        "May",
        "4",
        "27",
        "2011",
        "1st",
        ",",
        " ",
        ".",
        ":",
        "-",
        "/",
        "|",
        "–",
        "•",
        "PM",
        "a.m.",
        "(GMT)",
        "+03:00",
        "T",
        "Z",
        "on",
        "at",
        "Wed,",
        "ago",
        "by",
        "Jane",
        "AP",
        "...",
        "…",
        "»",
        "TT",
        "ads",
        "read",
        "more",
        "from",
        "related",
        "top",
        "source",
        "comments",
        "copyright",
        "©",
        "all rights reserved",
        "republish",
        "this article was",
        "rss feed",
        "what’s",
        "new",
        "log",
        "share",
        "x",
        "\u{a0}",
        "\u{2009}",
        "\u{17F}",
        "\u{212A}",
        "é",
        "Ω",
        "٣",
        "\n",
        "\t",
    ];

    /// An example with up to four edits, each putting a piece in at a place
    /// (or in place of the character there), or taking a character out.
    fn edited_example() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        (
            proptest::sample::select(EXAMPLES),
            proptest::collection::vec(
                (
                    proptest::num::usize::ANY,
                    0..3u8,
                    proptest::sample::select(PIECES),
                ),
                0..4,
            ),
        )
            .prop_map(|(example, edits)| {
                let mut chars: Vec<String> = example.chars().map(String::from).collect();
                for (at, how, piece) in edits {
                    let at = at % (chars.len() + 1);
                    match how {
                        0 => chars.insert(at, piece.to_owned()),
                        1 if at < chars.len() => chars[at] = piece.to_owned(),
                        _ if at < chars.len() => {
                            chars.remove(at);
                        }
                        _ => chars.push(piece.to_owned()),
                    }
                }
                chars.concat()
            })
    }

    proptest::proptest! {
        #[test]
        fn has_numeric_finds_what_the_characters_hold(
            s in proptest::collection::vec(
                proptest::sample::select("a 9.’é٣Ⅻ½¹\u{17F}—".chars().collect::<Vec<_>>()),
                0..20,
            ),
        ) {
            let text: String = s.iter().collect();
            proptest::prop_assert_eq!(has_numeric(&text), text.chars().any(char::is_numeric));
        }
    }

    proptest::proptest! {
        #[test]
        fn at_most_chars_counts_the_characters(
            s in proptest::collection::vec(
                proptest::sample::select("a é’𝄞".chars().collect::<Vec<_>>()),
                0..30,
            ),
            most in 0usize..20,
        ) {
            let text: String = s.iter().collect();
            proptest::prop_assert_eq!(at_most_chars(&text, most), text.chars().count() <= most);
        }
    }

    proptest::proptest! {
        /// `fold` works on bytes; it must map each character as its doc says.
        #[test]
        fn fold_maps_each_character(
            s in proptest::collection::vec(
                proptest::sample::select("aZ09 .Kk\u{17F}\u{212A}éÉßİ’–\n".chars().collect::<Vec<_>>()),
                0..30,
            ),
        ) {
            let text: String = s.iter().collect();
            let want: String = s
                .iter()
                .map(|&c| match c {
                    '\u{17F}' => 's',
                    '\u{212A}' => 'k',
                    c => c.to_ascii_lowercase(),
                })
                .collect();
            proptest::prop_assert_eq!(fold(&text), want);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Each pattern's gate lets through every paragraph the pattern
        /// matches, the [`NUMERIC_PATTERNS`] match only text with a digit,
        /// and `regex-lite` answers as `regex` wherever it is used.
        #[test]
        fn gates_and_the_lite_engine_agree_with_the_patterns(t in edited_example()) {
            for (i, gate) in GATES.iter().enumerate() {
                let full = full_regex(i).is_match(&t);
                if full {
                    proptest::prop_assert!(gate(&fold(&t)), "gate {} stops {:?}", i, t);
                    proptest::prop_assert!(
                        i >= NUMERIC_PATTERNS || has_numeric(&fold(&t)),
                        "{} matches {:?}, which has no digit",
                        i,
                        t
                    );
                }
                if lite_agrees(i, &t) {
                    proptest::prop_assert_eq!(
                        lite_regex(i).is_match(&fold(&t)),
                        full,
                        "{} {:?}",
                        i,
                        t
                    );
                }
            }
        }
    }

    #[test]
    fn only_the_long_s_and_kelvin_sign_fold_onto_ascii_letters() {
        let letter = Regex::new("(?i)^[a-z]$").expect("class");
        let marks = Regex::new("(?i)^[’'–—…©»›•·]$").expect("class");
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = c.to_string();
            if !c.is_ascii() {
                assert_eq!(
                    letter.is_match(&s),
                    matches!(c, '\u{17F}' | '\u{212A}'),
                    "{c:?}"
                );
                assert_eq!(marks.is_match(&s), "’–—…©»›•·".contains(c), "{c:?}");
            }
        }
    }

    #[test]
    fn user_patterns_extend_and_bad_ones_are_errors() {
        let f = Furniture::new(&["sponsored by .*".to_owned()]);
        assert!(f.as_ref().is_ok_and(|f| {
            f.classify("Sponsored by Acme", &mut String::new())
                .is_some()
        }));
        let bad = Furniture::new(&["(unclosed".to_owned()]);
        assert!(bad.is_err_and(|e| e.pattern == "(unclosed"));
    }
}
