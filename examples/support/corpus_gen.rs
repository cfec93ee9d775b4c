//! A synthetic corpus of news-story versions, with the gold facts about it.
//!
//! In: [`GenOptions`] (how many stories, versions a story, the seed…). Out:
//! [`Generated`]: file names and texts, and a [`Gold`] record saying which
//! file holds which story at which lines, and which paragraphs of the
//! versions are versions of one another.
//!
//! The text is real: sentences from the sample corpus and the public texts
//! in `tests/data/eval/` (Darwin, GitHub's Terms of Service, the Contributor
//! Covenant), deduplicated and dealt out in runs so that no two stories share
//! a sentence. When a corpus needs more sentences than the pool holds, later
//! passes over the pool swap every content word for another real word of the
//! same length (a fixed mapping per pass), so the sentence shapes stay real
//! while the word shingles stop matching earlier stories.
//!
//! Each version is an independent edit of its story's base text: synonym
//! swaps, typos, quote and abbreviation style, clause reordering, dropped
//! sentences, paragraph deletions, merges, splits, moves and insertions. Each
//! file is then laid out like a scraped page: repeated headline and caption
//! blocks, page furniture, blank-line or single-newline paragraphs, and now
//! and then an unrelated story pasted after it.
//!
//! Shared by `examples/gen_corpus.rs`, `tests/generated_quality.rs` and the
//! benchmarks through `#[path]`; it is not part of the library.

#![allow(dead_code)] // each includer uses a different part of it

use std::path::Path;
use std::sync::OnceLock;

use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use serde::Serialize;

/// What to generate.
#[derive(Debug, Clone, Serialize)]
pub struct GenOptions {
    pub stories: usize,
    /// Files written for each story (appended copies come on top).
    pub versions: usize,
    pub seed: u64,
    /// Body paragraphs in a story's base text.
    pub paragraphs: usize,
    /// Makes every story this many times longer (for large-file runs).
    pub scale: usize,
    /// Multiplies every edit rate (0 = verbatim copies, apart from layout and style).
    pub edits: f64,
    /// Multiplies every page-furniture probability.
    pub furniture: f64,
    /// Share of files with an unrelated story appended.
    pub append: f64,
}

impl Default for GenOptions {
    fn default() -> Self {
        Self {
            stories: 10,
            versions: 5,
            seed: 1,
            paragraphs: 12,
            scale: 1,
            edits: 1.0,
            furniture: 1.0,
            append: 0.25,
        }
    }
}

/// The files and their gold facts.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: Vec<GeneratedFile>,
    pub gold: Gold,
}

#[derive(Debug, Clone)]
pub struct GeneratedFile {
    pub name: String,
    pub text: String,
}

impl Generated {
    pub fn total_bytes(&self) -> usize {
        self.files.iter().map(|f| f.text.len()).sum()
    }

    /// Write every file and `gold.json` into `dir` (created if missing).
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        self.files
            .par_iter()
            .try_for_each(|f| std::fs::write(dir.join(&f.name), &f.text))?;
        let json = serde_json::to_vec(&self.gold).map_err(std::io::Error::other)?;
        std::fs::write(dir.join("gold.json"), json)
    }
}

/// Everything a correct engine should find. Lines are 1-based, inclusive, as on disk.
#[derive(Debug, Clone, Serialize)]
pub struct Gold {
    pub about: &'static str,
    pub options: GenOptions,
    /// Every file, in name order, with the articles it holds.
    pub files: Vec<GoldFile>,
    /// Every story: the regular ones first (`s00000`…), then the one-off
    /// stories that were only ever pasted under another one (`x00000`…).
    pub stories: Vec<GoldStory>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoldFile {
    pub file: String,
    pub articles: Vec<GoldArticleRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoldArticleRef {
    pub story: String,
    /// From the headline to the last body line.
    pub lines: [u32; 2],
}

#[derive(Debug, Clone, Serialize)]
pub struct GoldStory {
    pub id: String,
    pub title: String,
    /// Only ever appears pasted under another story, in one file.
    pub one_off: bool,
    /// In (file, line) order.
    pub versions: Vec<GoldVersion>,
    /// Paragraphs that are versions of one another: one group per paragraph of the
    /// base text and per inserted paragraph.
    pub groups: Vec<GoldGroup>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoldVersion {
    pub file: String,
    /// From the (first) headline to the last body line.
    pub lines: [u32; 2],
    /// From the first to the last body line.
    pub body: [u32; 2],
    /// Whether the story was pasted under another one in this file.
    pub appended: bool,
    /// Paragraphs separated by blank lines (else by single newlines).
    pub blank_lines: bool,
    /// Body paragraphs only, in file order.
    pub paragraphs: Vec<GoldParagraph>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoldParagraph {
    /// The paragraph's only line (generated paragraphs are never hard-wrapped).
    pub line: u32,
    /// The groups whose text it holds: two or more for a merge.
    pub groups: Vec<usize>,
    /// What was done to it in this version, e.g. `["split", "typo"]`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoldGroup {
    pub group: usize,
    /// Not in the base text: added by some versions.
    pub inserted: bool,
    pub members: Vec<GoldMember>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoldMember {
    pub file: String,
    pub line: u32,
    /// Other groups merged into the same paragraph.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub merged_with: Vec<usize>,
    /// `[part, of]` where the group's text was split over several paragraphs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<[u8; 2]>,
}

const ABOUT: &str = "Gold facts for a corpus written by examples/gen_corpus.rs. Lines are 1-based \
and inclusive. files: which file holds which story at which lines. stories[].versions[].paragraphs: \
the body paragraphs of each version (furniture, headlines and captions excluded) with the groups \
whose text they hold. stories[].groups: paragraphs that correspond across versions; merged_with \
names the other groups merged into that paragraph, split gives [part, of] when a group's text was \
split over several paragraphs.";

/// Generate a corpus. Deterministic for given options.
pub fn generate(opts: &GenOptions) -> Generated {
    let pool = pool();
    let scale = opts.scale.max(1);
    let paragraphs = (opts.paragraphs.max(2)) * scale;
    let mut dealer = Dealer {
        pool,
        cursor: (opts.seed as usize).wrapping_mul(7919) % pool.sentences.len(),
    };

    let bases: Vec<BaseStory> = (0..opts.stories)
        .map(|s| {
            let mut rng = rng_for(opts.seed, 1, s as u64);
            BaseStory::deal(format!("s{s:05}"), paragraphs, &mut dealer, &mut rng)
        })
        .collect();

    // Decide every file's layout up front so the one-off stories get their sentences
    // in a fixed order; the files themselves are then rendered in parallel.
    let mut jobs = Vec::with_capacity(opts.stories * opts.versions);
    let mut one_offs = Vec::new();
    for s in 0..opts.stories {
        for v in 0..opts.versions {
            let key = (s * opts.versions + v) as u64;
            let mut rng = rng_for(opts.seed, 2, key);
            let appended = if rng.random_bool(opts.append.clamp(0.0, 1.0)) {
                if opts.stories > 1 && rng.random_bool(0.5) {
                    let mut t = rng.random_range(0..opts.stories - 1);
                    if t >= s {
                        t += 1;
                    }
                    Some(StoryRef::Main(t))
                } else {
                    let j = one_offs.len();
                    let n = (paragraphs / 2).max(3);
                    let mut orng = rng_for(opts.seed, 3, j as u64);
                    one_offs.push(BaseStory::deal(
                        format!("x{j:05}"),
                        n,
                        &mut dealer,
                        &mut orng,
                    ));
                    Some(StoryRef::OneOff(j))
                }
            } else {
                None
            };
            jobs.push(FileJob {
                key,
                story: s,
                appended,
                name: String::new(),
            });
        }
    }

    let mut rng = rng_for(opts.seed, 0, 0);
    let mut numbers: Vec<usize> = (0..jobs.len()).collect();
    numbers.shuffle(&mut rng);
    let width = jobs.len().saturating_sub(1).to_string().len().max(3);
    for (job, n) in jobs.iter_mut().zip(numbers) {
        job.name = format!("{n:0width$}_{:016x}.txt", rng.random::<u64>());
    }

    let headlines: Vec<&str> = bases.iter().map(|b| b.headline.as_str()).collect();
    let ctx = RenderCtx {
        opts,
        bases: &bases,
        one_offs: &one_offs,
        headlines: &headlines,
    };
    let rendered: Vec<(GeneratedFile, Vec<ArticleRecord>)> =
        jobs.par_iter().map(|job| ctx.render_file(job)).collect();

    let gold = assemble_gold(opts, &bases, &one_offs, &rendered);
    let mut files: Vec<GeneratedFile> = rendered.into_iter().map(|(f, _)| f).collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Generated { files, gold }
}

fn assemble_gold(
    opts: &GenOptions,
    bases: &[BaseStory],
    one_offs: &[BaseStory],
    rendered: &[(GeneratedFile, Vec<ArticleRecord>)],
) -> Gold {
    let story_ix = |r: StoryRef| match r {
        StoryRef::Main(s) => s,
        StoryRef::OneOff(j) => bases.len() + j,
    };
    let mut stories: Vec<GoldStory> = bases
        .iter()
        .map(|b| (b, false))
        .chain(one_offs.iter().map(|b| (b, true)))
        .map(|(b, one_off)| GoldStory {
            id: b.id.clone(),
            title: b.headline.clone(),
            one_off,
            versions: Vec::new(),
            groups: Vec::new(),
        })
        .collect();
    let mut files = Vec::with_capacity(rendered.len());
    for (file, records) in rendered {
        let mut articles = Vec::new();
        for r in records {
            let st = &mut stories[story_ix(r.story)];
            articles.push(GoldArticleRef {
                story: st.id.clone(),
                lines: r.version.lines,
            });
            st.versions.push(GoldVersion {
                file: file.name.clone(),
                ..r.version.clone()
            });
        }
        files.push(GoldFile {
            file: file.name.clone(),
            articles,
        });
    }
    files.sort_by(|a, b| a.file.cmp(&b.file));
    for st in &mut stories {
        st.versions
            .sort_by(|a, b| (&a.file, a.lines[0]).cmp(&(&b.file, b.lines[0])));
        st.groups = groups_of(&st.versions);
    }
    Gold {
        about: ABOUT,
        options: opts.clone(),
        files,
        stories,
    }
}

fn groups_of(versions: &[GoldVersion]) -> Vec<GoldGroup> {
    let mut groups: Vec<GoldGroup> = Vec::new();
    for v in versions {
        for p in &v.paragraphs {
            for &g in &p.groups {
                if groups.len() <= g {
                    groups.extend((groups.len()..=g).map(|group| GoldGroup {
                        group,
                        inserted: false,
                        members: Vec::new(),
                    }));
                }
                let parts = v
                    .paragraphs
                    .iter()
                    .filter(|q| q.groups.contains(&g))
                    .count();
                let part = v
                    .paragraphs
                    .iter()
                    .take_while(|q| q.line != p.line)
                    .filter(|q| q.groups.contains(&g))
                    .count();
                let split = (parts > 1).then(|| [part as u8 + 1, parts as u8]);
                groups[g].inserted |= p.edits.contains(&"inserted");
                groups[g].members.push(GoldMember {
                    file: v.file.clone(),
                    line: p.line,
                    merged_with: p.groups.iter().copied().filter(|&o| o != g).collect(),
                    split,
                });
            }
        }
    }
    groups.retain(|g| !g.members.is_empty());
    groups
}

// ---------------------------------------------------------------------------
// The sentence pool

struct Pool {
    sentences: Vec<String>,
    /// Content words by length in chars, sorted, for reskinning later passes.
    vocab: Vec<Vec<String>>,
}

const SOURCES: &[(&str, bool)] = &[
    (
        include_str!("../../assets/corpus/000_66b60800ac77cf39.txt"),
        false,
    ),
    (
        include_str!("../../assets/corpus/001_3b13e1d28c208596.txt"),
        false,
    ),
    (
        include_str!("../../assets/corpus/002_dcca5060c2c40b0f.txt"),
        false,
    ),
    (
        include_str!("../../assets/corpus/003_e6c2c4d9a5885b82.txt"),
        false,
    ),
    (
        include_str!("../../assets/corpus/004_033ed2a7a91fa8ad.txt"),
        false,
    ),
    (
        include_str!("../../tests/data/eval/darwin-origin-ch1/origin-1859.txt"),
        false,
    ),
    (
        include_str!("../../tests/data/eval/darwin-origin-ch1/origin-1872.txt"),
        false,
    ),
    (
        include_str!("../../tests/data/eval/github-tos-history/tos-v1-2017-06-09.txt"),
        false,
    ),
    (
        include_str!("../../tests/data/eval/github-tos-history/tos-v6-2025-03-24.txt"),
        false,
    ),
    (
        include_str!("../../tests/data/eval/contributor-covenant/covenant-1.4.txt"),
        true,
    ),
    (
        include_str!("../../tests/data/eval/contributor-covenant/covenant-2.1.txt"),
        true,
    ),
    (
        include_str!("../../tests/data/eval/contributor-covenant/page-B.txt"),
        true,
    ),
];

/// Sentences in the pool, and the words in them.
pub fn pool_size() -> (usize, usize) {
    let p = pool();
    let words = p.sentences.iter().map(|s| s.split(' ').count()).sum();
    (p.sentences.len(), words)
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(build_pool)
}

fn build_pool() -> Pool {
    let mut seen: FxHashSet<u64> = FxHashSet::default();
    let mut sentences = Vec::new();
    for &(text, wrapped) in SOURCES {
        for para in source_paragraphs(text, wrapped) {
            for s in split_sentences(&para) {
                let words = s.split_whitespace().count();
                if !(6..=60).contains(&words) || !looks_like_sentence(&s) {
                    continue;
                }
                let shingles = shingles(&s);
                let known = shingles.iter().filter(|h| seen.contains(h)).count();
                // Near-copies (the sample's five versions, Darwin's editions) would
                // make two stories share paragraphs.
                if known * 10 > shingles.len() * 3 {
                    continue;
                }
                seen.extend(shingles);
                sentences.push(s);
            }
        }
    }
    let mut vocab: Vec<Vec<String>> = vec![Vec::new(); 16];
    for s in &sentences {
        for tok in s.split_whitespace() {
            let (_, core, _) = split_token(tok);
            let lower = core.to_lowercase();
            let n = lower.chars().count();
            if (4..16).contains(&n)
                && lower.chars().all(|c| c.is_ascii_lowercase())
                && !is_kept(&lower)
            {
                vocab[n].push(lower);
            }
        }
    }
    for v in &mut vocab {
        v.sort();
        v.dedup();
    }
    Pool { sentences, vocab }
}

/// A source's paragraphs, one string each, with front matter, Markdown
/// headings, tables and markup taken out.
fn source_paragraphs(text: &str, wrapped: bool) -> Vec<String> {
    let mut lines: Vec<&str> = text.lines().collect();
    if let Some(fence @ ("---" | "+++")) = lines.first().map(|l| l.trim())
        && let Some(end) = lines.iter().skip(1).position(|l| l.trim() == fence)
    {
        lines.drain(..end + 2);
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut flush = |cur: &mut String| {
        if !cur.is_empty() {
            out.push(std::mem::take(cur));
        }
    };
    for line in lines {
        let t = line.trim();
        let skip = t.is_empty()
            || t.starts_with('#')
            || t.starts_with('|')
            || t.starts_with('<')
            || t.starts_with("```")
            || t.contains("http")
            || t.contains("{%");
        let item = t.starts_with("* ") || t.starts_with("- ");
        if skip || item || !wrapped {
            flush(&mut cur);
        }
        if skip {
            continue;
        }
        let t = t.trim_start_matches(['*', '-', ' ']);
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(&strip_markdown(t));
        if !wrapped {
            flush(&mut cur);
        }
    }
    flush(&mut cur);
    out
}

fn strip_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '`' => {}
            '_' if out.is_empty()
                || out.ends_with(' ')
                || chars.peek().is_none_or(|n| !n.is_alphanumeric()) => {}
            '[' => {
                let mut label = String::new();
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                    label.push(d);
                }
                if chars.peek() == Some(&'(') {
                    for d in chars.by_ref() {
                        if d == ')' {
                            break;
                        }
                    }
                }
                out.push_str(&label);
            }
            _ => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "st", "no", "vs", "etc", "inc", "co",
    "ltd", "jr", "sr", "prof", "rev", "gov", "sen", "rep", "fig", "approx",
];

fn split_sentences(para: &str) -> Vec<String> {
    let bytes = para.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if matches!(c, b'.' | b'!' | b'?') {
            let mut end = i + 1;
            // Closing quotes and brackets belong to the sentence they end.
            while end < bytes.len() {
                let rest = &para[end..];
                let n = rest
                    .chars()
                    .next()
                    .filter(|ch| matches!(ch, '"' | '”' | '’' | '\'' | ')'))
                    .map_or(0, char::len_utf8);
                if n == 0 {
                    break;
                }
                end += n;
            }
            let next_starts = para[end..]
                .strip_prefix(' ')
                .and_then(|r| r.chars().next())
                .is_some_and(|ch| ch.is_uppercase() || matches!(ch, '"' | '“' | '‘'));
            let word = para[start..i].rsplit(' ').next().unwrap_or("");
            let abbrev = c == b'.'
                && (word.contains('.')
                    || (word.len() == 1 && word.chars().all(char::is_uppercase))
                    || ABBREVIATIONS.contains(&word.to_lowercase().as_str()));
            if next_starts && !abbrev {
                out.push(para[start..end].trim().to_owned());
                start = end + 1;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    let rest = para[start.min(para.len())..].trim();
    if !rest.is_empty() {
        out.push(rest.to_owned());
    }
    out
}

fn looks_like_sentence(s: &str) -> bool {
    let first_ok = s
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || matches!(c, '"' | '“'));
    let trimmed = s.trim_end_matches(['"', '”', '’', '\'', ')']);
    let last_ok = trimmed.ends_with(['.', '!', '?']);
    first_ok && last_ok && !s.contains("](") && !s.contains("http")
}

fn shingles(s: &str) -> Vec<u64> {
    let words: Vec<String> = s
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        })
        .collect();
    if words.len() < 4 {
        return vec![hash_of(&words)];
    }
    words.windows(4).map(hash_of).collect()
}

fn hash_of<T: std::hash::Hash + ?Sized>(x: &T) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<FxHasher>::default().hash_one(x)
}

/// Splits `tok` into leading punctuation, the word (letters, digits, inner
/// dots, dashes and apostrophes), and the rest.
fn split_token(tok: &str) -> (&str, &str, &str) {
    let start = tok.find(|c: char| c.is_alphanumeric()).unwrap_or(tok.len());
    let rest = &tok[start..];
    let len = rest
        .char_indices()
        .find(|&(_, c)| !c.is_alphanumeric())
        .map_or(rest.len(), |(i, _)| i);
    (&tok[..start], &rest[..len], &rest[len..])
}

const STOPWORDS: &[&str] = &[
    "about",
    "above",
    "after",
    "again",
    "against",
    "also",
    "although",
    "among",
    "another",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "could",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "either",
    "even",
    "ever",
    "every",
    "from",
    "further",
    "have",
    "having",
    "here",
    "however",
    "into",
    "itself",
    "just",
    "last",
    "less",
    "many",
    "more",
    "most",
    "much",
    "must",
    "neither",
    "never",
    "none",
    "only",
    "other",
    "others",
    "over",
    "same",
    "shall",
    "should",
    "since",
    "some",
    "such",
    "than",
    "that",
    "their",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "under",
    "until",
    "upon",
    "very",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "whom",
    "whose",
    "will",
    "with",
    "within",
    "without",
    "would",
    "your",
    "yours",
];

/// Words never reskinned: function words, and the synonym table's words so
/// that later passes still get synonym swaps.
fn is_kept(lower: &str) -> bool {
    static KEPT: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    KEPT.get_or_init(|| {
        STOPWORDS
            .iter()
            .copied()
            .chain(SYNONYMS.iter().flat_map(|&(a, b)| [a, b]))
            .collect()
    })
    .contains(lower)
}

/// Deals consecutive pool sentences to stories; passes after the first
/// reskin their content words.
struct Dealer {
    pool: &'static Pool,
    cursor: usize,
}

impl Dealer {
    fn take(&mut self) -> String {
        let n = self.pool.sentences.len();
        let g = self.cursor;
        self.cursor += 1;
        let s = &self.pool.sentences[g % n];
        let pass = (g / n) as u64;
        if pass == 0 {
            s.clone()
        } else {
            reskin(s, pass, &self.pool.vocab)
        }
    }
}

fn reskin(s: &str, pass: u64, vocab: &[Vec<String>]) -> String {
    map_words(s, |core| {
        let lower = core.to_lowercase();
        let n = lower.chars().count();
        if n < 4 || n >= vocab.len() || vocab[n].is_empty() || is_kept(&lower) {
            return None;
        }
        if !lower.chars().all(|c| c.is_ascii_lowercase()) {
            return None;
        }
        let bucket = &vocab[n];
        let word = &bucket[(hash_of(&(lower.as_str(), pass)) % bucket.len() as u64) as usize];
        Some(match_case(core, word))
    })
}

fn match_case(model: &str, word: &str) -> String {
    let mut chars = model.chars();
    let first_upper = chars.next().is_some_and(char::is_uppercase);
    if first_upper && model.chars().count() > 1 && chars.all(char::is_uppercase) {
        word.to_uppercase()
    } else if first_upper {
        capitalize(word)
    } else {
        word.to_owned()
    }
}

fn capitalize(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn decapitalize(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Rebuilds `s` with each word core replaced where `f` says so.
fn map_words(s: &str, mut f: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for (i, tok) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let (lead, core, rest) = split_token(tok);
        match f(core) {
            Some(new) if !core.is_empty() => {
                out.push_str(lead);
                out.push_str(&new);
                out.push_str(rest);
            }
            _ => out.push_str(tok),
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Stories and their versions

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StoryRef {
    Main(usize),
    OneOff(usize),
}

struct BaseStory {
    id: String,
    headline: String,
    /// Another outlet's headline for the same story.
    alt_headline: String,
    caption: String,
    /// Body paragraphs, as sentences; paragraph `i` is gold group `i`.
    paras: Vec<Vec<String>>,
    /// Paragraphs some versions add; extra `k` is gold group `paras.len() + k`.
    extras: Vec<Vec<String>>,
}

impl BaseStory {
    fn deal(id: String, paragraphs: usize, dealer: &mut Dealer, rng: &mut ChaCha8Rng) -> Self {
        let mut para = |rng: &mut ChaCha8Rng| {
            let want = *[1, 1, 1, 2, 2, 2, 3].choose(rng).unwrap_or(&1);
            let mut sentences = vec![dealer.take()];
            while sentences.len() < want
                && sentences
                    .iter()
                    .map(|s| s.split(' ').count())
                    .sum::<usize>()
                    < 45
            {
                sentences.push(dealer.take());
            }
            sentences
        };
        let paras: Vec<Vec<String>> = (0..paragraphs).map(|_| para(rng)).collect();
        let extras: Vec<Vec<String>> = (0..3).map(|_| para(rng)).collect();
        let caption = format!(
            "{} ({})",
            dealer.take().trim_end_matches('.'),
            ["AFP", "EPA", "Reuters", "AP Photo", "Getty Images"]
                .choose(rng)
                .unwrap_or(&"AFP")
        );
        // A headline that is a whole paragraph title-cased would read as the
        // headline repeated, which no outlet does, so take it from a longer sentence.
        let lead: Vec<&String> = paras.iter().take(4).flatten().collect();
        let long = |k: usize| {
            lead.iter()
                .skip(k)
                .find(|s| s.split(' ').count() >= 14)
                .copied()
                .unwrap_or(lead[k.min(lead.len() - 1)])
        };
        let headline = headline_from(long(0), rng);
        let alt_headline = headline_from(long(1), rng);
        BaseStory {
            id,
            headline,
            alt_headline,
            caption,
            paras,
            extras,
        }
    }
}

const SMALL_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "with",
];

fn headline_from(sentence: &str, rng: &mut ChaCha8Rng) -> String {
    let total = sentence.split_whitespace().count();
    let n = rng.random_range(6..=10).min(total.saturating_sub(4).max(3));
    let mut words: Vec<String> = sentence
        .split_whitespace()
        .take(n)
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '’' && c != '\'')
                .to_owned()
        })
        .filter(|w| !w.is_empty())
        .collect();
    while words.len() > 3
        && words
            .last()
            .is_some_and(|w| SMALL_WORDS.contains(&w.to_lowercase().as_str()))
    {
        words.pop();
    }
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i > 0 && SMALL_WORDS.contains(&w.as_str()) {
                w.clone()
            } else {
                capitalize(w)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A paragraph of one version, before layout.
#[derive(Debug, Clone)]
struct VPara {
    sentences: Vec<String>,
    groups: Vec<usize>,
    edits: Vec<&'static str>,
    split: bool,
}

/// Pairs of words swapped either way by an editor.
const SYNONYMS: &[(&str, &str)] = &[
    ("said", "stated"),
    ("about", "around"),
    ("big", "large"),
    ("many", "numerous"),
    ("often", "frequently"),
    ("start", "begin"),
    ("help", "assist"),
    ("show", "demonstrate"),
    ("shows", "demonstrates"),
    ("slammed", "criticized"),
    ("important", "significant"),
    ("nearly", "almost"),
    ("quickly", "rapidly"),
    ("whole", "entire"),
    ("likely", "probably"),
    ("country", "nation"),
    ("countries", "nations"),
    ("officials", "authorities"),
    ("generally", "usually"),
    ("great", "considerable"),
    ("small", "little"),
    ("perhaps", "possibly"),
    ("believe", "think"),
    ("case", "instance"),
    ("cases", "instances"),
    ("seems", "appears"),
    ("seem", "appear"),
    ("use", "utilize"),
    ("agree", "consent"),
    ("buy", "purchase"),
    ("end", "finish"),
    ("enough", "sufficient"),
    ("main", "principal"),
    ("need", "require"),
    ("get", "obtain"),
];

fn synonym_of(word: &str) -> Option<&'static str> {
    static MAP: OnceLock<FxHashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| {
        SYNONYMS
            .iter()
            .flat_map(|&(a, b)| [(a, b), (b, a)])
            .collect()
    })
    .get(word)
    .copied()
}

/// How a version writes quotes and abbreviations.
#[derive(Debug, Clone, Copy)]
struct Style {
    curly_quotes: bool,
    dotted_abbreviations: bool,
    per_cent: bool,
}

const DOTTED: &[(&str, &str)] = &[
    ("U.S.", "US"),
    ("U.K.", "UK"),
    ("U.N.", "UN"),
    ("E.U.", "EU"),
];

impl Style {
    fn random(rng: &mut ChaCha8Rng) -> Self {
        Style {
            curly_quotes: rng.random_bool(0.5),
            dotted_abbreviations: rng.random_bool(0.5),
            per_cent: rng.random_bool(0.2),
        }
    }

    /// Restyle one sentence (or a headline or caption).
    fn apply(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len() + 8);
        let n = s.split(' ').count();
        for (i, tok) in s.split(' ').enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&self.abbreviation(tok, i + 1 == n));
        }
        let out = if self.per_cent {
            out.replace("percent", "per cent")
        } else {
            out.replace("per cent", "percent")
        };
        if self.curly_quotes {
            curly(&out)
        } else {
            out.replace(['“', '”'], "\"").replace(['‘', '’'], "'")
        }
    }

    fn abbreviation(&self, tok: &str, last: bool) -> String {
        for &(dotted, plain) in DOTTED {
            let (from, to) = if self.dotted_abbreviations {
                (plain, dotted)
            } else {
                (dotted, plain)
            };
            let Some(rest) = tok.strip_prefix(from) else {
                continue;
            };
            if rest.starts_with(|c: char| c.is_alphanumeric()) {
                continue;
            }
            // At a sentence's end the abbreviation's dot is also the full stop.
            let rest = match (self.dotted_abbreviations, rest) {
                (false, "") if last => ".",
                (true, r) if last && r.starts_with('.') => &r[1..],
                (_, r) => r,
            };
            return format!("{to}{rest}");
        }
        tok.to_owned()
    }
}

fn curly(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut prev: Option<char> = None;
    for c in s.chars() {
        let opening = prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '[' | '—'));
        out.push(match c {
            '"' if opening => '“',
            '"' => '”',
            '\'' if opening => '‘',
            '\'' => '’',
            c => c,
        });
        prev = Some(c);
    }
    out
}

fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
    rng.random_bool(p.clamp(0.0, 1.0))
}

/// Edit the base text into one version's paragraphs.
fn make_version(base: &BaseStory, rng: &mut ChaCha8Rng, e: f64) -> Vec<VPara> {
    // A tenth of the copies are verbatim apart from layout and style; the rest
    // vary in how heavily they were edited.
    let e = if rng.random_bool(0.1) {
        0.0
    } else {
        e * rng.random_range(0.4..1.6)
    };
    let mut paras: Vec<VPara> = base
        .paras
        .iter()
        .enumerate()
        .map(|(i, s)| VPara {
            sentences: s.clone(),
            groups: vec![i],
            edits: Vec::new(),
            split: false,
        })
        .collect();

    for p in &mut paras {
        if p.sentences.len() > 1 && chance(rng, 0.08 * e) {
            let k = rng.random_range(0..p.sentences.len());
            p.sentences.remove(k);
            p.edits.push("sentence_dropped");
        }
        for s in &mut p.sentences {
            if chance(rng, 0.06 * e)
                && let Some(r) = reorder_clauses(s)
            {
                *s = r;
                p.edits.push("clauses_reordered");
            }
        }
    }

    let min_left = (paras.len() * 2 / 3).max(2);
    let mut i = 0;
    while i < paras.len() {
        if paras.len() > min_left && chance(rng, 0.06 * e) {
            paras.remove(i);
        } else {
            i += 1;
        }
    }

    let mut i = 0;
    while i < paras.len() {
        if paras[i].sentences.len() > 1 && chance(rng, 0.06 * e) {
            let k = rng.random_range(1..paras[i].sentences.len());
            let tail = paras[i].sentences.split_off(k);
            paras[i].split = true;
            paras[i].edits.push("split");
            let mut second = paras[i].clone();
            second.sentences = tail;
            paras.insert(i + 1, second);
            i += 2;
        } else {
            i += 1;
        }
    }

    let mut i = 0;
    while i + 1 < paras.len() {
        let free = |p: &VPara| !p.split && p.groups.len() == 1;
        if free(&paras[i]) && free(&paras[i + 1]) && chance(rng, 0.06 * e) {
            let next = paras.remove(i + 1);
            let p = &mut paras[i];
            p.sentences.extend(next.sentences);
            p.groups.extend(next.groups);
            p.edits.extend(next.edits);
            p.edits.push("merged");
        }
        i += 1;
    }

    if paras.len() > 3 && chance(rng, 0.35 * e) {
        let from = rng.random_range(0..paras.len());
        let mut to = rng.random_range(0..paras.len() - 1);
        if to.abs_diff(from) < 2 {
            to = (from + 2 + to) % paras.len();
        }
        let mut p = paras.remove(from);
        p.edits.push("moved");
        let to = to.min(paras.len());
        paras.insert(to, p);
    }

    for (k, extra) in base.extras.iter().enumerate() {
        if chance(rng, 0.2 * e) {
            let at = rng.random_range(1..=paras.len());
            paras.insert(
                at,
                VPara {
                    sentences: extra.clone(),
                    groups: vec![base.paras.len() + k],
                    edits: vec!["inserted"],
                    split: false,
                },
            );
        }
    }

    for p in &mut paras {
        for s in &mut p.sentences {
            let mut swapped = false;
            *s = map_words(s, |core| {
                let syn = if core.bytes().all(|b| b.is_ascii_lowercase()) {
                    synonym_of(core)?
                } else {
                    synonym_of(&core.to_lowercase())?
                };
                if !chance(rng, 0.3 * e) {
                    return None;
                }
                swapped = true;
                Some(match_case(core, syn))
            });
            if swapped {
                p.edits.push("synonym");
            }
        }
        if chance(rng, 0.08 * e) {
            let k = rng.random_range(0..p.sentences.len());
            if let Some(t) = typo(&p.sentences[k], rng) {
                p.sentences[k] = t;
                p.edits.push("typo");
            }
        }
        p.edits.sort_unstable();
        p.edits.dedup();
    }
    paras
}

/// "A, B." → "B, a." when both halves are long enough to stand alone.
fn reorder_clauses(s: &str) -> Option<String> {
    let (a, b) = s.split_once(", ")?;
    let end = b.chars().last().filter(|c| matches!(c, '.' | '!' | '?'))?;
    let b = &b[..b.len() - end.len_utf8()];
    let words = |x: &str| x.split_whitespace().count();
    if words(a) < 4 || words(b) < 4 || a.starts_with(['"', '“']) || b.contains(['"', '“', '”'])
    {
        return None;
    }
    let first = a.split(' ').next().unwrap_or("");
    let a = if is_common_word(first) {
        decapitalize(a)
    } else {
        a.to_owned()
    };
    Some(format!("{}, {a}{end}", capitalize(b)))
}

/// Whether a capitalised word is an ordinary word rather than a name, judged
/// by whether the pool has it in lower case.
fn is_common_word(word: &str) -> bool {
    const SHORT: &[&str] = &[
        "if", "it", "he", "she", "we", "you", "they", "i", "so", "no", "not", "all", "any", "our",
        "its", "his", "her", "who", "how", "why", "yet", "now",
    ];
    let lower = word.to_lowercase();
    let n = lower.chars().count();
    let vocab = &pool().vocab;
    SHORT.contains(&lower.as_str())
        || SMALL_WORDS.contains(&lower.as_str())
        || STOPWORDS.contains(&lower.as_str())
        || (n < vocab.len() && vocab[n].binary_search(&lower).is_ok())
}

/// Swap two neighbouring letters inside a longer word.
fn typo(s: &str, rng: &mut ChaCha8Rng) -> Option<String> {
    let words: Vec<&str> = s.split(' ').collect();
    let candidates: Vec<usize> = (0..words.len())
        .filter(|&i| {
            let (_, core, _) = split_token(words[i]);
            core.len() >= 5 && core.is_ascii()
        })
        .collect();
    let &i = candidates.choose(rng)?;
    let (lead, core, rest) = split_token(words[i]);
    let mut b = core.as_bytes().to_vec();
    let k = rng.random_range(1..b.len() - 1);
    if b[k] == b[k + 1] {
        b.remove(k);
    } else {
        b.swap(k, k + 1);
    }
    let core = String::from_utf8(b).ok()?;
    let mut out: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
    out[i] = format!("{lead}{core}{rest}");
    Some(out.join(" "))
}

// ---------------------------------------------------------------------------
// Page layout

struct FileJob {
    key: u64,
    story: usize,
    appended: Option<StoryRef>,
    name: String,
}

struct ArticleRecord {
    story: StoryRef,
    version: GoldVersion,
}

struct RenderCtx<'a> {
    opts: &'a GenOptions,
    bases: &'a [BaseStory],
    one_offs: &'a [BaseStory],
    headlines: &'a [&'a str],
}

struct Lines {
    text: String,
    count: u32,
}

impl Lines {
    fn push(&mut self, line: &str) -> u32 {
        self.text.push_str(line);
        self.text.push('\n');
        self.count += 1;
        self.count
    }

    fn blank(&mut self) {
        self.push("");
    }

    fn ends_blank(&self) -> bool {
        self.text.is_empty() || self.text.ends_with("\n\n")
    }
}

const DATES: &[&str] = &[
    "Nov 4, 2011",
    "April 27, 2022, 9:26 PM",
    "Wednesday, 27 April, 2022 - 10:15",
    "2022-04-27",
    "Oct 2, 2011",
    "Updated: 3 hours ago",
];
const BYLINES: &[&str] = &[
    "ByThe Associated Press",
    "By The Associated Press",
    "Reuters",
    "By AFP",
    "Staff Writer",
];
const PREAMBLES: &[&str] = &[
    "What's new",
    "Menu",
    "Home › World",
    "Latest News",
    "Skip to content",
];
const INLINE_FURNITURE: &[&str] = &[
    "Read more",
    "Advertisement",
    "Read more",
    "Continue reading",
];
const FOOTERS: &[&[&str]] = &[
    &[
        "Users Who Are Viewing This Thread (Total: 1, Members: 0, Guests: 1)",
        "",
        "Top Bottom",
    ],
    &["Share this article", "Facebook Twitter WhatsApp"],
    &["© 2022 All rights reserved."],
    &["Sign up for our newsletter", "Subscribe"],
];

impl RenderCtx<'_> {
    fn base(&self, r: StoryRef) -> &BaseStory {
        match r {
            StoryRef::Main(s) => &self.bases[s],
            StoryRef::OneOff(j) => &self.one_offs[j],
        }
    }

    fn render_file(&self, job: &FileJob) -> (GeneratedFile, Vec<ArticleRecord>) {
        let mut rng = rng_for(self.opts.seed, 4, job.key);
        let f = self.opts.furniture;
        let blank_sep = !rng.random_bool(0.3);
        let style = Style::random(&mut rng);
        let mut w = Lines {
            text: String::with_capacity(6000 * self.opts.scale.max(1)),
            count: 0,
        };
        if chance(&mut rng, 0.15 * f) {
            w.push(PREAMBLES.choose(&mut rng).unwrap_or(&"Menu"));
            w.blank();
        }
        let mut records = vec![self.render_article(
            &mut w,
            StoryRef::Main(job.story),
            false,
            blank_sep,
            style,
            &mut rng,
        )];
        if chance(&mut rng, 0.15 * f) {
            w.blank();
            w.push("You May Also Like");
            for _ in 0..rng.random_range(2..=3) {
                if blank_sep {
                    w.blank();
                }
                w.push(&style.apply(self.other_headline(job.story, &mut rng)));
            }
        }
        if let Some(r) = job.appended {
            for _ in 0..rng.random_range(2..=3) {
                w.blank();
            }
            records.push(self.render_article(&mut w, r, true, blank_sep, style, &mut rng));
        }
        if chance(&mut rng, 0.15 * f) {
            w.blank();
            w.blank();
            for line in *FOOTERS.choose(&mut rng).unwrap_or(&FOOTERS[0]) {
                w.push(line);
            }
        }
        let file = GeneratedFile {
            name: job.name.clone(),
            text: w.text,
        };
        (file, records)
    }

    fn other_headline(&self, not: usize, rng: &mut ChaCha8Rng) -> &str {
        let n = self.headlines.len();
        if n < 2 {
            return "Markets Close Higher as Investors Weigh Rate Outlook";
        }
        let mut t = rng.random_range(0..n - 1);
        if t >= not {
            t += 1;
        }
        self.headlines[t]
    }

    fn render_article(
        &self,
        w: &mut Lines,
        story: StoryRef,
        appended: bool,
        blank_sep: bool,
        style: Style,
        rng: &mut ChaCha8Rng,
    ) -> ArticleRecord {
        let f = self.opts.furniture;
        let base = self.base(story);
        let paras = make_version(base, rng, self.opts.edits);
        let headline = style.apply(if rng.random_bool(0.75) {
            &base.headline
        } else {
            &base.alt_headline
        });
        let caption = style.apply(&base.caption);
        let first = w.push(&headline);
        if blank_sep {
            w.blank();
        }
        if chance(rng, 0.25 * f) {
            w.push(if rng.random_bool(0.5) {
                DATES.choose(rng).unwrap_or(&DATES[0])
            } else {
                BYLINES.choose(rng).unwrap_or(&BYLINES[0])
            });
            if blank_sep {
                w.blank();
            }
        }
        let with_caption = chance(rng, 0.5 * f);
        let repeats = rng.random_range(1..=3);
        if with_caption {
            for _ in 0..repeats {
                w.push(&caption);
            }
            if chance(rng, 0.5 * f) {
                w.push("TT");
            }
            if blank_sep {
                w.blank();
            }
            if chance(rng, 0.3 * f) {
                w.push(&headline);
                if blank_sep {
                    w.blank();
                }
                for _ in 0..repeats {
                    w.push(&caption);
                }
                if blank_sep {
                    w.blank();
                }
            }
        }
        let mut out = Vec::with_capacity(paras.len());
        for (i, p) in paras.iter().enumerate() {
            if i > 0 {
                if chance(rng, 0.03 * f) {
                    let line = if rng.random_bool(0.6) {
                        INLINE_FURNITURE.choose(rng).unwrap_or(&"Read more")
                    } else {
                        DATES.choose(rng).unwrap_or(&DATES[0])
                    };
                    if blank_sep {
                        w.blank();
                    }
                    w.push(line);
                }
                if blank_sep {
                    w.blank();
                }
            }
            let text = p
                .sentences
                .iter()
                .map(|s| style.apply(s))
                .collect::<Vec<_>>()
                .join(" ");
            let line = w.push(&text);
            out.push(GoldParagraph {
                line,
                groups: p.groups.clone(),
                edits: p.edits.clone(),
            });
        }
        let body = [
            out.first().map_or(first, |p| p.line),
            out.last().map_or(first, |p| p.line),
        ];
        debug_assert!(!w.ends_blank());
        ArticleRecord {
            story,
            version: GoldVersion {
                file: String::new(),
                lines: [first, body[1]],
                body,
                appended,
                blank_lines: blank_sep,
                paragraphs: out,
            },
        }
    }
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// An independent random stream for each (seed, purpose, index).
fn rng_for(seed: u64, domain: u64, index: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(splitmix(splitmix(seed) ^ splitmix((domain << 48) ^ index)))
}
