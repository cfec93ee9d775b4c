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

use std::sync::LazyLock;

use regex::{Regex, RegexSet, RegexSetBuilder};

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
static LONG_FURNITURE_HINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)endorsement|included by|views expressed|necessarily reflect|republish|rss feed|all rights reserved|viewing this thread|copyright|©",
    )
    .expect("built-in hint pattern")
});

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

static BUILTIN_SET: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSetBuilder::new(
        BUILTIN
            .iter()
            .map(|(p, _, _)| format!("^(?:{})$", expand(p))),
    )
    .case_insensitive(true)
    .size_limit(64 << 20)
    // A cache too small for 25 patterns makes the lazy DFA give up and fall
    // back to the far slower PikeVM on nearly every paragraph.
    .dfa_size_limit(64 << 20)
    .build()
    .expect("built-in furniture patterns")
});

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

    /// The furniture kind of a paragraph, if it is furniture.
    pub fn classify(&self, text: &str) -> Option<Match> {
        let text = text.trim();
        if text.len() > MAX_FURNITURE_CHARS {
            return None;
        }
        // Most body paragraphs are long, and only the publisher-note patterns
        // can match a long paragraph: a literal search rules the rest out
        // before the pattern set runs (the set is by far the slower test).
        let long = text.len() > SHORT_FURNITURE_CHARS;
        if long && !LONG_FURNITURE_HINT.is_match(text) {
            return self.extra_match(text);
        }
        let by = text.get(..2).is_some_and(|b| b.eq_ignore_ascii_case("by"));
        if !long && by && BYLINE.is_match(text) && text.split_whitespace().count() <= 12 {
            return Some(Match {
                kind: Byline,
                place: Any,
            });
        }
        if BUILTIN_SET.is_match(text)
            && let Some(i) = BUILTIN_SET.matches(text).iter().next()
        {
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
        && CAPTION.is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Option<FurnitureKind> {
        Furniture::new(&[])
            .ok()
            .and_then(|f| f.classify(text))
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

    #[test]
    fn user_patterns_extend_and_bad_ones_are_errors() {
        let f = Furniture::new(&["sponsored by .*".to_owned()]);
        assert!(
            f.as_ref()
                .is_ok_and(|f| f.classify("Sponsored by Acme").is_some())
        );
        let bad = Furniture::new(&["(unclosed".to_owned()]);
        assert!(bad.is_err_and(|e| e.pattern == "(unclosed"));
    }
}
