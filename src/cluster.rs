//! Articles → stories: group the articles that are versions of one story.
//!
//! In: the [`Corpus`] and [`ClusterOptions`]. Out: [`Story`]s, the largest
//! first and stories found in one file only last, each with a short id
//! derived from its text, its most central version and how much its
//! versions differ.
//!
//! Two articles are versions of one story when enough of the smaller one's
//! word 5-grams (shingles) appear in the other: rewrites that keep the
//! quotes and key sentences (the sample's 003) share 15–20 % of them, while
//! a different story on the same subject shares a few common phrases at
//! most (5–6 %). Candidate pairs come from an inverted index over the
//! shingles (sorted `(shingle, article)` pairs), never from comparing every
//! pair, and a union–find joins the pairs that pass the check. Large
//! articles keep a consistent 1-in-4 sample of their shingles (those whose
//! hash is 0 mod 4), which keeps memory low and the containment estimate
//! unbiased.

use std::borrow::Borrow;

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use crate::model::{Article, ArticleId, Corpus, Story};
use crate::sync::lock;
use crate::text;
use crate::unionfind::{Snapshot, UnionFind};

/// Words per shingle.
const SHINGLE: usize = 5;
/// Articles with fewer shingles than this keep all of them.
const FULL_BELOW: usize = 2048;
/// Shingles from which a text's sample is sorted first, in the hope that it
/// holds [`FULL_BELOW`] distinct ones on its own (a sample is about a
/// quarter of the shingles).
const LONG_TEXT_SHINGLES: usize = 8 * FULL_BELOW;
/// Keep shingles whose hash is 0 modulo this in large articles.
const SAMPLE_MOD: u64 = 4;
/// The low bits of a posting that hold the article's index.
const ID_MASK: u64 = (1 << 32) - 1;
/// The high bits of a posting that hold its shingle's key.
const KEY_BITS: u32 = 32;
const _: () = assert!(
    KEY_BITS == u32::BITS && ID_MASK.count_ones() == 64 - KEY_BITS && MAX_RUN < 1 << KEY_BITS
);
/// A shingle found in more articles than this is boilerplate, not evidence.
const MAX_RUN: usize = 2000;
/// A shingle shared by at most this many articles is always used as evidence.
const SMALL_RUN: usize = 16;
/// Of its more common shingles, an article uses this many, the rarest first.
const COMMON_ANCHORS: usize = 16;
/// How many distinct groups in one run a new article is checked against.
const MAX_GROUPS_PER_RUN: usize = 8;
/// Runs whose shingle checks are foreseen and made in parallel at a time.
const SPECULATION_BATCH: usize = 4096;

/// How alike two articles must be to be versions of one story.
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// Least share of the smaller article's shingles found in the other.
    pub threshold: f32,
    /// Fewest shingles two articles must share (so that two short pieces
    /// sharing one phrase are not joined).
    pub min_shared: usize,
    /// Least share of the smaller article's paragraphs that must be found, at
    /// least in part, in the other: a page that quotes one paragraph of
    /// another document is not a version of it.
    pub min_coverage: f32,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        Self {
            threshold: 0.10,
            min_shared: 8,
            min_coverage: 0.25,
        }
    }
}

/// An article's shingles, as sorted and deduplicated [`key`]s.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Sketch {
    /// The keys, then for a sketch that kept every shingle a bit per key:
    /// whether its shingle is in the 1-in-[`SAMPLE_MOD`] sample, for
    /// comparisons with a sampled sketch. One allocation for both: an
    /// engine keeps a sketch for every article.
    data: Box<[u32]>,
    /// How many keys `data` starts with.
    len: u32,
    /// Whether only the 1-in-[`SAMPLE_MOD`] sample was kept.
    sampled: bool,
    /// The smallest shingle hash kept and the smallest in the sample, whole:
    /// story ids are made from them ([`story_hash`]).
    first: Option<u64>,
    first_sampled: Option<u64>,
}

/// A shingle's key in a sketch: the top half of its hash. Half the memory
/// of the whole hash, and half the traffic of the merges that compare
/// sketches, which are most of the clustering time. Two of an article's
/// ~500 shingles share a key about once in 35,000 articles, and two
/// articles' different shingles about once in 20,000 comparisons: a
/// shared count is one too many that rarely, which moves a grouping only
/// when it stands exactly at the threshold.
fn key(h: u64) -> u32 {
    (h >> 32) as u32
}

impl Sketch {
    /// The shingles of a body text.
    pub fn of_text(body: &str) -> Sketch {
        Sketch::of_shingles(shingles(body))
    }

    /// The sketch of an article whose [`body_words`] are `words`: the same
    /// as [`Sketch::of_text`] of its body text.
    pub fn of_words((words, _): &BodyWords) -> Sketch {
        let mut body = Vec::new();
        push_shingles(words, &mut body);
        Sketch::of_shingles(body)
    }

    fn of_shingles(mut hashes: Vec<u64>) -> Sketch {
        // A long text's sample alone can show that it is to be sampled (it
        // has FULL_BELOW distinct shingles in it, so the whole has as many):
        // then only the sample is sorted, a quarter of the shingles.
        if hashes.len() >= LONG_TEXT_SHINGLES {
            let mut sample: Vec<u64> = hashes.iter().copied().filter(|&h| in_sample(h)).collect();
            sample.sort_unstable();
            sample.dedup();
            if sample.len() >= FULL_BELOW {
                return Sketch::of_sorted(&sample, true);
            }
        }
        hashes.sort_unstable();
        hashes.dedup();
        let sampled = hashes.len() >= FULL_BELOW;
        if sampled {
            hashes.retain(|h| in_sample(*h));
        }
        Sketch::of_sorted(&hashes, sampled)
    }

    /// The sketch of sorted, deduplicated shingle hashes, all of them
    /// sampled when `sampled`.
    fn of_sorted(hashes: &[u64], sampled: bool) -> Sketch {
        // The hashes are sorted, so their keys are too; a key shared by two
        // of them is kept once, in the sample when either is. The keys and
        // their bits are counted first so that the sketch is made in place,
        // at its size: every article's sketch is made at once, and this
        // loop is a tenth of that.
        let len = hashes.windows(2).filter(|w| key(w[0]) != key(w[1])).count()
            + usize::from(!hashes.is_empty());
        let words = if sampled { 0 } else { len.div_ceil(32) };
        let mut data: Vec<u32> = Vec::with_capacity(len + words);
        // Whether each key's shingle is in the sample, a bit a key.
        let mut bits: Vec<u32> = vec![0; words];
        for &h in hashes {
            if data.last() != Some(&key(h)) {
                data.push(key(h));
            }
            if let Some(word) = bits.get_mut((data.len() - 1) / 32) {
                *word |= u32::from(in_sample(h)) << ((data.len() - 1) % 32);
            }
        }
        data.extend_from_slice(&bits);
        Sketch {
            data: data.into_boxed_slice(),
            len: len as u32,
            sampled,
            first: hashes.first().copied(),
            first_sampled: hashes.iter().copied().find(|&h| in_sample(h)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.keys().is_empty()
    }

    /// The shingle keys kept, sorted: two articles can only be grouped
    /// when they share one of these.
    pub fn keys(&self) -> &[u32] {
        &self.data[..self.len as usize]
    }

    /// Whether the shingle of key `i` is in the sample.
    fn key_in_sample(&self, i: usize) -> bool {
        self.sampled || self.data[self.len as usize + i / 32] & (1 << (i % 32)) != 0
    }

    /// The keys of the shingles in the sample.
    fn sample(&self) -> impl Iterator<Item = &u32> + Clone {
        self.keys()
            .iter()
            .enumerate()
            .filter(|&(i, _)| self.key_in_sample(i))
            .map(|(_, k)| k)
    }

    /// Estimated number of shingles (the sample scaled up).
    fn size(&self) -> f32 {
        if self.sampled {
            self.keys().len() as f32 * SAMPLE_MOD as f32
        } else {
            self.keys().len() as f32
        }
    }

    /// Shared shingles and the share of the smaller sketch they make up.
    pub fn overlap(&self, other: &Sketch) -> (f32, f32) {
        if !self.sampled && !other.sampled {
            let shared = count_common_sorted(self.keys(), other.keys(), usize::MAX);
            let smaller = self.keys().len().min(other.keys().len()).max(1);
            return (shared as f32, shared as f32 / smaller as f32);
        }
        // Compare on the common sample so both sides are thinned alike.
        let (a, b) = (self.sample(), other.sample());
        let shared = count_common(a.clone(), b.clone());
        let smaller = a.count().min(b.count()).max(1);
        (
            shared as f32 * SAMPLE_MOD as f32,
            shared as f32 / smaller as f32,
        )
    }

    /// Whether the two are versions of one story.
    pub fn same_story(&self, other: &Sketch, opts: &ClusterOptions) -> bool {
        let min_shared = (opts.min_shared as f32).min(self.size().min(other.size()) * 0.5);
        let passes = |shared: f32, containment: f32| {
            containment >= opts.threshold && shared >= min_shared.max(1.0)
        };
        if self.sampled || other.sampled {
            let (shared, containment) = self.overlap(other);
            return passes(shared, containment);
        }
        // The count need only reach the least that passes: versions of one
        // story share most of their shingles, so the merge can stop early.
        let (a, b) = (self.keys(), other.keys());
        let smaller = a.len().min(b.len()).max(1);
        let passes_with = |n: usize| passes(n as f32, n as f32 / smaller as f32);
        let estimate = (opts.threshold * smaller as f32).max(min_shared) as usize;
        let Some(need) =
            (estimate.saturating_sub(2)..=a.len().min(b.len())).find(|&n| passes_with(n))
        else {
            return false;
        };
        passes_with(count_common_sorted(a, b, need))
    }
}

/// The word 5-gram hashes of a text, in order; a text shorter than that is
/// one shingle of all its words.
fn shingles(body: &str) -> Vec<u64> {
    let mut words: Vec<u64> = Vec::new();
    push_word_hashes(body, &mut words);
    let mut out = Vec::new();
    push_shingles(&words, &mut out);
    out
}

fn push_word_hashes(text: &str, out: &mut Vec<u64>) {
    text::for_each_normalized_word(text, |w| out.push(text::hash_str(w)));
}

/// The shingles of a run of word hashes, appended to `out`.
fn push_shingles(words: &[u64], out: &mut Vec<u64>) {
    if words.len() < SHINGLE {
        if !words.is_empty() {
            out.push(combine(words));
        }
    } else {
        out.extend(words.windows(SHINGLE).map(combine));
    }
}

/// Each body paragraph's shingles, made once per article for the paragraph
/// check, with where each paragraph's end.
struct ParagraphShingles {
    shingles: Shingles,
    ends: Vec<u32>,
}

/// The paragraphs' shingles, in order. They are as many as the article's
/// sketch holds, so they are kept as positions in it where they can be: two
/// bytes a shingle instead of eight.
enum Shingles {
    /// Positions in the article's sketch; a position past its end is one in
    /// `short`, the one shingle of a paragraph shorter than [`SHINGLE`]
    /// words, which is no window of the body's and so not in the sketch.
    Positions { at: Vec<u16>, short: Vec<u64> },
    /// The hashes themselves: a sampled sketch lacks most of them, and an
    /// article of many short paragraphs can have more than positions count.
    Hashes(Vec<u64>),
}

impl ParagraphShingles {
    fn of(article: &Article, sketch: &Sketch) -> ParagraphShingles {
        let (words, word_ends) = body_words(article);
        ParagraphShingles::of_words(&words, &word_ends, sketch)
    }

    /// From the body's word hashes, where each paragraph's words end, and
    /// the body's sketch.
    fn of_words(words: &[u64], word_ends: &[usize], sketch: &Sketch) -> ParagraphShingles {
        let mut hashes = Vec::new();
        let mut ends = Vec::with_capacity(word_ends.len());
        let mut start = 0;
        for &end in word_ends {
            push_shingles(&words[start..end], &mut hashes);
            ends.push(hashes.len() as u32);
            start = end;
        }
        let shingles = if sketch.sampled {
            None
        } else {
            Shingles::positions(&hashes, sketch.keys())
        };
        let shingles = shingles.unwrap_or_else(|| {
            hashes.shrink_to_fit();
            Shingles::Hashes(hashes)
        });
        ParagraphShingles { shingles, ends }
    }
}

impl Shingles {
    /// `hashes` as positions in `sketch`, or `None` when a position would
    /// not fit in two bytes.
    fn positions(hashes: &[u64], sketch: &[u32]) -> Option<Shingles> {
        let mut at = Vec::with_capacity(hashes.len());
        let mut short = Vec::new();
        for &h in hashes {
            let pos = match sketch.binary_search(&key(h)) {
                Ok(i) => i,
                Err(_) => {
                    short.push(h);
                    sketch.len() + short.len() - 1
                }
            };
            at.push(u16::try_from(pos).ok()?);
        }
        Some(Shingles::Positions { at, short })
    }
}

/// The word hashes of an article's body paragraphs, in order, and where
/// each paragraph's words end.
pub type BodyWords = (Vec<u64>, Vec<usize>);

/// An article's [`BodyWords`]: the words of its body paragraphs
/// ([`text::for_each_normalized_word`]), each hashed with [`text::hash_str`].
pub fn body_words(article: &Article) -> BodyWords {
    words_of(article, article.body_indices())
}

/// The word hashes of the given paragraphs of an article, in order, and
/// where each paragraph's words end.
fn words_of(article: &Article, paragraphs: impl Iterator<Item = usize> + Clone) -> BodyWords {
    // Prose has about one word in six bytes; room for one in five holds
    // them all at once, rather than a list grown by doubling, each step a
    // copy into memory the process touches for the first time.
    let bytes: usize = paragraphs
        .clone()
        .map(|i| article.paragraphs[i].text.len())
        .sum();
    let mut words = Vec::with_capacity(bytes / 5);
    let mut word_ends = Vec::with_capacity(paragraphs.size_hint().0);
    for i in paragraphs {
        push_word_hashes(&article.paragraphs[i].text, &mut words);
        word_ends.push(words.len());
    }
    (words, word_ends)
}

/// [`body_words`] with the paragraphs hashed on the pool's threads, a run of
/// them a task: for one long article (`diff A B` hashes two), where one
/// task an article leaves a thread idle while the other finishes.
pub fn body_words_in_parallel(article: &Article) -> BodyWords {
    /// Paragraphs a task: enough that a task outweighs its scheduling.
    const RUN: usize = 64;
    let paragraphs: Vec<usize> = article.body_indices().collect();
    let runs: Vec<BodyWords> = paragraphs
        .par_chunks(RUN)
        .map(|run| words_of(article, run.iter().copied()))
        .collect();
    let mut words = Vec::with_capacity(runs.iter().map(|r| r.0.len()).sum());
    let mut word_ends = Vec::with_capacity(paragraphs.len());
    for (run_words, run_ends) in runs {
        let before = words.len();
        words.extend_from_slice(&run_words);
        word_ends.extend(run_ends.iter().map(|&e| before + e));
    }
    (words, word_ends)
}

/// An article's sketch and its paragraphs' shingles, from one pass over its
/// words. The body text is its body paragraphs one a line, and no word runs
/// across a line break, so the body's words are the paragraphs' words in
/// order: the sketch is the one [`Sketch::of_text`] makes of the body text.
fn shingled(article: &Article) -> (Sketch, ParagraphShingles) {
    let words = body_words(article);
    let sketch = Sketch::of_words(&words);
    let paragraphs = ParagraphShingles::of_words(&words.0, &words.1, &sketch);
    (sketch, paragraphs)
}

/// Share of an article's body paragraphs (`paragraphs`, of the article
/// whose sketch is `own`) that have at least a fifth of their shingles in
/// `other`.
fn coverage(paragraphs: &ParagraphShingles, own: &Sketch, other: &Sketch) -> f32 {
    let found_in_other = |h: u64| other.keys().binary_search(&key(h)).is_ok();
    let mut counts = (0usize, 0usize);
    let starts = std::iter::once(0).chain(paragraphs.ends.iter().copied());
    let ranges = starts.zip(paragraphs.ends.iter().copied());
    match &paragraphs.shingles {
        Shingles::Positions { at, short } => {
            // Whether each of the sketch's hashes is in `other`, by one
            // merge of the two sorted lists rather than a search a shingle.
            let keys = own.keys();
            let mut in_other = vec![false; keys.len()];
            mark_common_sorted(keys, other.keys(), &mut in_other);
            let found = |p: usize| match in_other.get(p) {
                Some(&f) => f,
                None => found_in_other(short[p - keys.len()]),
            };
            for (a, b) in ranges {
                let at = &at[a as usize..b as usize];
                if other.sampled {
                    let shingles = at.iter().map(|&p| {
                        let p = usize::from(p);
                        let sampled = match keys.get(p) {
                            Some(_) => own.key_in_sample(p),
                            None => in_sample(short[p - keys.len()]),
                        };
                        (sampled, found(p))
                    });
                    tally(&mut counts, shingles, true);
                } else if !at.is_empty() {
                    // Against a full sketch every shingle counts: only
                    // which are found need looking at.
                    let hits: usize = at.iter().map(|&p| usize::from(found(usize::from(p)))).sum();
                    counts.0 += 1;
                    counts.1 += usize::from(hits * 5 >= at.len());
                }
            }
        }
        Shingles::Hashes(hashes) => {
            for (a, b) in ranges {
                let shingles = hashes[a as usize..b as usize]
                    .iter()
                    .map(|&h| (in_sample(h), found_in_other(h)));
                tally(&mut counts, shingles, other.sampled);
            }
        }
    }
    let (counted, covered) = counts;
    if counted == 0 {
        1.0
    } else {
        covered as f32 / counted as f32
    }
}

/// Adds one paragraph to [`coverage`]'s `(counted, covered)`: its shingles
/// as whether each is in the sample and whether the other article has it,
/// only those in the sample counting when the other's sketch is sampled.
fn tally(
    counts: &mut (usize, usize),
    shingles: impl Iterator<Item = (bool, bool)>,
    other_sampled: bool,
) {
    let (mut kept, mut found) = (0usize, 0usize);
    for (_, f) in shingles.filter(|&(sampled, _)| !other_sampled || sampled) {
        kept += 1;
        found += usize::from(f);
    }
    if kept > 0 {
        counts.0 += 1;
        counts.1 += usize::from(found * 5 >= kept);
    }
}

fn in_sample(h: u64) -> bool {
    h % SAMPLE_MOD == 0
}

fn combine(words: &[u64]) -> u64 {
    // FxHash-style mixing; order matters, so "a b" and "b a" differ.
    words.iter().fold(0xcbf2_9ce4_8422_2325_u64, |acc, w| {
        (acc.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95)
    })
}

/// [`count_common`] of two sorted, deduplicated slices, or any number from
/// `enough` up to it once the count reaches `enough`. Comparing sketches
/// is most of the clustering time, so where the CPU has AVX2 eight keys of
/// each side are compared at once.
fn count_common_sorted(a: &[u32], b: &[u32], enough: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above.
        return unsafe { count_common_avx2(a, b, enough) };
    }
    count_common_scalar(a, b)
}

/// The merge one element at a time, without branches on the data: candidate
/// pairs mostly share few shingles, so the comparisons are unpredictable and
/// a branchy loop stalls on each.
fn count_common_scalar(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        n += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    n
}

/// [`count_common_sorted`] eight by eight; see [`merge_blocks_avx2`].
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn count_common_avx2(a: &[u32], b: &[u32], enough: usize) -> usize {
    let (mut n, mut reached) = (0, false);
    let (left_a, left_b) = merge_blocks_avx2(a, b, |_, found| {
        n += found.count_ones() as usize;
        reached = n >= enough;
        !reached
    });
    if reached {
        return n;
    }
    n + count_common_scalar(&a[left_a], &b[left_b])
}

/// Marks `in_b[i]` for each element `a[i]` that `b` holds (both sorted and
/// deduplicated, `in_b` as long as `a` and all false). The paragraph check
/// asks this of an article's sketch against another's, one merge instead
/// of a search a shingle; it is most of that check's time, so where the
/// CPU has AVX2 eight keys of each side are compared at once.
fn mark_common_sorted(a: &[u32], b: &[u32], in_b: &mut [bool]) {
    assert_eq!(a.len(), in_b.len(), "a mark for each element");
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above.
        unsafe { mark_common_avx2(a, b, in_b) };
        return;
    }
    mark_common_scalar(a, b, in_b);
}

/// [`mark_common_sorted`] one element at a time, without branches on the
/// data. Only ever sets marks, so that it can finish what
/// [`mark_common_avx2`] began.
fn mark_common_scalar(a: &[u32], b: &[u32], in_b: &mut [bool]) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        in_b[i] |= x == y;
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
}

/// [`mark_common_sorted`] eight by eight; see [`merge_blocks_avx2`].
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn mark_common_avx2(a: &[u32], b: &[u32], in_b: &mut [bool]) {
    let (left_a, left_b) = merge_blocks_avx2(a, b, |at, found| {
        for (lane, mark) in in_b[at..at + 8].iter_mut().enumerate() {
            *mark |= found & (1 << lane) != 0;
        }
        true
    });
    mark_common_scalar(&a[left_a.clone()], &b[left_b], &mut in_b[left_a]);
}

/// The merge of two sorted, deduplicated slices eight by eight: each block
/// of `a` is compared with every element of the current block of `b`, then
/// the block with the smaller last element moves on (both when they are
/// equal). A shared value sits in one block of each side and that pair of
/// blocks is always met, once.
///
/// Where each side moves to hangs on the last loads, so one merge waits
/// on its own loads at every step. Two merges go at once instead: the
/// keys below [`MERGE_PIVOT`] from the front and those above it from the
/// back, the second mirroring the first (the block with the greater first
/// element moves back). A value can only be shared within one half, so
/// the two never meet the same pair. Once the back merge can go no
/// further, the front one goes on past the pivot through what is left
/// between them, a block or two a side.
///
/// `found(i, bits)` hears of each comparison: the block of `a` at `i`, with
/// a bit set for each of its eight elements found in `b`'s block; the merge
/// stops when it says `false`. Gives the ranges of each side left for the
/// rest to be merged one by one.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn merge_blocks_avx2(
    a: &[u32],
    b: &[u32],
    mut found: impl FnMut(usize, u32) -> bool,
) -> (std::ops::Range<usize>, std::ops::Range<usize>) {
    use std::arch::x86_64::{
        __m256i, _mm256_castsi256_ps, _mm256_cmpeq_epi32, _mm256_loadu_si256, _mm256_movemask_ps,
        _mm256_or_si256, _mm256_set1_epi32,
    };
    // A block of `a` against each element of a block of `b`, as a bit a
    // lane of `a`'s block.
    let compare = |i: usize, j: usize| -> u32 {
        let (x, y) = (&a[i..i + 8], &b[j..j + 8]);
        // SAFETY: `x` is eight elements, so the unaligned load reads
        // inside it.
        let va = unsafe { _mm256_loadu_si256(x.as_ptr().cast::<__m256i>()) };
        let mut hits = _mm256_cmpeq_epi32(va, _mm256_set1_epi32(y[0] as i32));
        for &e in &y[1..] {
            hits = _mm256_or_si256(hits, _mm256_cmpeq_epi32(va, _mm256_set1_epi32(e as i32)));
        }
        // The mask has one bit a lane, so it fits the low eight bits.
        _mm256_movemask_ps(_mm256_castsi256_ps(hits)) as u32
    };
    let (mut i, mut j) = (0usize, 0usize);
    let (mut ie, mut je) = (a.len(), b.len());
    loop {
        // Neither step brings the back merge's blocks back within reach
        // once they are not, so its end is final.
        let back =
            ie >= i + 8 && je >= j + 8 && a[ie - 8] >= MERGE_PIVOT && b[je - 8] >= MERGE_PIVOT;
        let front = i + 8 <= ie
            && j + 8 <= je
            && (!back || a[i + 7] < MERGE_PIVOT && b[j + 7] < MERGE_PIVOT);
        if !front && !back {
            break;
        }
        if front {
            if !found(i, compare(i, j)) {
                return (i..ie, j..je);
            }
            let (last_a, last_b) = (a[i + 7], b[j + 7]);
            i += 8 * usize::from(last_a <= last_b);
            j += 8 * usize::from(last_b <= last_a);
        }
        if back {
            if !found(ie - 8, compare(ie - 8, je - 8)) {
                return (i..ie, j..je);
            }
            let (first_a, first_b) = (a[ie - 8], b[je - 8]);
            ie -= 8 * usize::from(first_a >= first_b);
            je -= 8 * usize::from(first_b >= first_a);
        }
    }
    (i..ie, j..je)
}

/// Where [`merge_blocks_avx2`] parts its two merges: keys are the top half
/// of a hash, so half of them fall on either side.
#[cfg(target_arch = "x86_64")]
const MERGE_PIVOT: u32 = 1 << 31;

fn count_common<'a>(
    mut a: impl Iterator<Item = &'a u32>,
    mut b: impl Iterator<Item = &'a u32>,
) -> usize {
    let (mut x, mut y) = (a.next(), b.next());
    let mut n = 0;
    while let (Some(p), Some(q)) = (x, y) {
        match p.cmp(q) {
            std::cmp::Ordering::Less => x = a.next(),
            std::cmp::Ordering::Greater => y = b.next(),
            std::cmp::Ordering::Equal => {
                n += 1;
                x = a.next();
                y = b.next();
            }
        }
    }
    n
}

/// Members of a group tried when a join must be corroborated.
const CORROBORATE_TRIES: usize = 3;

impl UnionFind {
    /// Whether joining the groups of `m` and `rep` through that one matching
    /// pair is borne out by another member of each side that is a group: a
    /// file holding two stories that were not split apart matches both, and
    /// must not make one story of them.
    fn corroborated(&mut self, m: u32, rep: u32, pair_ok: &dyn Fn(u32, u32) -> bool) -> bool {
        let (rm, rr) = (self.find(m), self.find(rep));
        let side_ok = |root: u32, own: u32, other: u32| {
            self.is_single(root)
                || self
                    .members(root)
                    .filter(|&x| x != own)
                    .take(CORROBORATE_TRIES)
                    .any(|x| pair_ok(x, other))
        };
        side_ok(rm, m, rep) && side_ok(rr, rep, m)
    }
}

/// Group the corpus's articles into stories.
pub fn cluster(corpus: &Corpus, opts: &ClusterOptions) -> Vec<Story> {
    sketch_and_cluster(corpus, opts).1
}

/// Each article's sketch (in article order), and the stories: [`sketches`]
/// and [`cluster_with_sketches`] with each article's words read once.
pub fn sketch_and_cluster(corpus: &Corpus, opts: &ClusterOptions) -> (Vec<Sketch>, Vec<Story>) {
    let (sketches, paragraphs): (Vec<Sketch>, Vec<ParagraphShingles>) =
        corpus.articles.par_iter().map(shingled).unzip();
    let all: Vec<ArticleId> = (0..corpus.articles.len()).collect();
    let groups = group_with_paragraphs(&sketches, &paragraphs, &all, opts);
    drop(paragraphs);
    let stories = finish_stories(corpus, &sketches, groups);
    (sketches, stories)
}

/// Each article's sketch, in article order.
pub fn sketches(corpus: &Corpus) -> Vec<Sketch> {
    corpus
        .articles
        .par_iter()
        .map(|a| Sketch::of_text(&a.body_text()))
        .collect()
}

/// [`cluster`] with the articles' sketches already made (one per article,
/// in article order), so a caller that keeps them need not tokenise again.
pub fn cluster_with_sketches<S: Borrow<Sketch> + Sync>(
    corpus: &Corpus,
    sketches: &[S],
    opts: &ClusterOptions,
) -> Vec<Story> {
    let all: Vec<ArticleId> = (0..corpus.articles.len()).collect();
    let groups = group_articles(corpus, sketches, &all, opts);
    finish_stories(corpus, sketches, groups)
}

/// The stories of the groups, in their order and with their ids.
fn finish_stories<S: Borrow<Sketch> + Sync>(
    corpus: &Corpus,
    sketches: &[S],
    groups: Vec<Vec<ArticleId>>,
) -> Vec<Story> {
    let mut stories: Vec<Story> = groups
        .into_par_iter()
        .map(|members| make_story(corpus, sketches, members))
        .collect();
    finish(&mut stories);
    stories
}

/// Group some of the corpus's articles (`subset`, by article id) among
/// themselves, with the same checks as [`cluster`]; the groups hold article ids.
pub fn group_articles<S: Borrow<Sketch> + Sync>(
    corpus: &Corpus,
    sketches: &[S],
    subset: &[ArticleId],
    opts: &ClusterOptions,
) -> Vec<Vec<ArticleId>> {
    // Most articles meet the paragraph check at least once, and many
    // several times: their paragraphs are cut into shingles once, up front.
    let paragraphs: Vec<ParagraphShingles> = subset
        .par_iter()
        .map(|&a| ParagraphShingles::of(&corpus.articles[a], sketches[a].borrow()))
        .collect();
    let local: Vec<ArticleId> = (0..subset.len()).collect();
    let picked: Vec<&Sketch> = subset.iter().map(|&a| sketches[a].borrow()).collect();
    group_with_paragraphs(&picked, &paragraphs, &local, opts)
        .into_iter()
        .map(|g| g.into_iter().map(|i| subset[i]).collect())
        .collect()
}

/// [`group_articles`] with the paragraphs' shingles made: `paragraphs[i]`
/// belongs to `sketches[subset[i]]`.
fn group_with_paragraphs<S: Borrow<Sketch> + Sync>(
    sketches: &[S],
    paragraphs: &[ParagraphShingles],
    subset: &[ArticleId],
    opts: &ClusterOptions,
) -> Vec<Vec<ArticleId>> {
    let local: Vec<&Sketch> = subset.iter().map(|&a| sketches[a].borrow()).collect();
    // The paragraph check runs only on pairs that passed the shingle check.
    let paragraphs_found = |a: usize, b: usize| {
        let (small, big) = if local[a].size() <= local[b].size() {
            (a, b)
        } else {
            (b, a)
        };
        coverage(&paragraphs[small], local[small], local[big]) >= opts.min_coverage
    };
    group(&local, opts, &paragraphs_found)
        .into_iter()
        .map(|g| g.into_iter().map(|i| subset[i]).collect())
        .collect()
}

/// Indices of the sketches that belong together, one `Vec` a group.
/// `also` is a further check run on the pairs whose shingles pass.
pub fn group<S: Borrow<Sketch> + Sync>(
    sketches: &[S],
    opts: &ClusterOptions,
    also: &(dyn Fn(usize, usize) -> bool + Sync),
) -> Vec<Vec<usize>> {
    let index = Index::new(&sketches[..sketches.len().min(ID_MASK as usize)]);
    let anchors = index.common_anchors(sketches.len());

    // Symmetric: the shared count over the smaller size either way.
    let shingles_ok = |a: u32, b: u32| {
        sketches[a as usize]
            .borrow()
            .same_story(sketches[b as usize].borrow(), opts)
    };
    let warm = |a: u32| {
        for line in sketches[a as usize].borrow().keys().chunks(16) {
            prefetch(line.as_ptr().cast());
        }
    };
    let checks = Checks {
        shingles: &shingles_ok,
        warm: &warm,
        also,
    };
    let mut uf = UnionFind::new(sketches.len());
    let mut rejected: FxHashSet<(u32, u32)> = FxHashSet::default();
    let parts = index.parts();
    // The room a partition's evidence is made in is kept from one to the
    // next ([`Index::postings`]): the one walked becomes the room of the
    // one after next.
    let mut next = Some(index.evidence(0, &anchors, Vec::new()));
    let mut spare = Vec::new();
    for part in 0..parts {
        let active = next.take().unwrap_or_default();
        // The next partition's evidence is made on a thread of its own
        // while this one is walked: the walk is one thread's work for most
        // of its time, and the evidence only reads the index.
        next = std::thread::scope(|scope| {
            let following = (part + 1 < parts).then(|| {
                let (index, anchors) = (&index, &anchors);
                let room = std::mem::take(&mut spare);
                scope.spawn(move || {
                    let evidence = index.evidence(part + 1, anchors, room);
                    // Its room for sorting, freed, goes back at once: held
                    // through the walk beside two partitions' evidence, it
                    // was 1 MB of the peak at 10,000 files.
                    crate::memory::release_free();
                    evidence
                })
            });
            walk_partition(&active, &mut uf, &mut rejected, &checks);
            // What this partition freed goes back before the next one's
            // walk; a single partition (a refresh's few articles) has no
            // next one to make room for.
            if following.is_some() {
                crate::memory::release_free();
            }
            following.map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
        });
        spare = active;
    }

    let mut by_root: rustc_hash::FxHashMap<u32, Vec<usize>> = Default::default();
    for i in 0..sketches.len() {
        let r = uf.find(i as u32);
        by_root.entry(r).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = by_root.into_values().collect();
    groups.sort_unstable_by_key(|g| g[0]);
    groups
}

/// What grouping asks of a pair of articles (by index).
struct Checks<'a> {
    /// The shingle check.
    shingles: &'a (dyn Fn(u32, u32) -> bool + Sync),
    /// Brings an article's keys into the cache ahead of its shingle check,
    /// which otherwise waits on them: the articles met come from all over
    /// the corpus.
    warm: &'a (dyn Fn(u32) + Sync),
    /// The further check of the pairs that pass it.
    also: &'a (dyn Fn(usize, usize) -> bool + Sync),
}

impl Checks<'_> {
    fn both(&self, a: u32, b: u32) -> bool {
        (self.shingles)(a, b) && (self.also)(a as usize, b as usize)
    }
}

/// Joins the articles of one partition's evidence (sorted postings) that
/// pass both `checks`, run by run in order. `rejected` holds the pairs
/// turned down so far, which are not tried again.
///
/// The runs are walked a batch at a time. The checks a batch's walk will
/// make can be foreseen from the groups as they stand (most of them fail,
/// and those are the same whatever joins come first), and their shingle
/// checks made in parallel first; so can the foreseeing, which only reads
/// the groups, and the looking up of the pairs turned down before. The
/// further check is made by the walk, for the pairs it does try to join
/// (a fifth of those foreseen to pass at 50,000 files). The walk itself
/// stays one at a time and in order (a join changes what comes after it)
/// and makes any check not foreseen, so the groups come out as a plain
/// walk makes them. While a batch is walked, the next one is foreseen from
/// the groups as they stood before it, on the pool's other threads.
fn walk_partition(
    active: &[u64],
    uf: &mut UnionFind,
    rejected: &mut FxHashSet<(u32, u32)>,
    checks: &Checks,
) {
    // Runs of at least two articles.
    let runs: Vec<&[u64]> = active
        .chunk_by(|a, b| a & !ID_MASK == b & !ID_MASK)
        .filter(|run| run.len() >= 2)
        .collect();
    let batches: Vec<&[&[u64]]> = runs.chunks(SPECULATION_BATCH).collect();
    let Some(first) = batches.first() else {
        return;
    };
    let mut foreseen = foresee(first, &uf.snapshot(), rejected, checks);
    // The pairs turned down in the batch walked before, which its
    // foreseeing did not know of.
    let mut before: FxHashSet<(u32, u32)> = FxHashSet::default();
    for (k, batch) in batches.iter().enumerate() {
        let next = batches.get(k + 1);
        let groups = next.map(|_| uf.snapshot());
        let seen: &FxHashSet<(u32, u32)> = rejected;
        let (turned_down, following) = rayon::join(
            || walk_batch(batch, uf, seen, &before, &foreseen, checks),
            || Some(foresee(next?, groups.as_ref()?, seen, checks)),
        );
        rejected.extend(turned_down.iter().copied());
        before = turned_down;
        if let Some(following) = following {
            foreseen = following;
        }
    }
}

/// The checks one batch's walk is foreseen to make, each with its answer,
/// sorted by pair.
struct Foresight {
    pairs: Vec<(u32, u32)>,
    answers: Vec<Foreseen>,
}

impl Foresight {
    fn answer(&self, key: &(u32, u32)) -> Option<Foreseen> {
        self.pairs.binary_search(key).ok().map(|i| self.answers[i])
    }
}

/// What the walk will find of a pair it was foreseen to meet.
#[derive(Clone, Copy)]
enum Foreseen {
    /// Turned down before: not tried again.
    TurnedDown,
    /// Passes the shingle check. The further check is left to the walk:
    /// most pairs foreseen to pass are joined through others before the
    /// walk comes to them, and the further check costs more.
    ShinglesPass,
    /// Fails the shingle check.
    Fail,
}

/// Walks `batch` on the groups as they stood in `groups`, in parallel,
/// and makes the shingle checks met that `rejected` does not turn down.
fn foresee(
    batch: &[&[u64]],
    groups: &Snapshot,
    rejected: &FxHashSet<(u32, u32)>,
    checks: &Checks,
) -> Foresight {
    /// Runs a task: enough to outweigh its scheduling and the list it makes.
    const RUNS_A_TASK: usize = 64;
    let mut pairs: Vec<(u32, u32)> = batch
        .par_chunks(RUNS_A_TASK)
        .flat_map_iter(|runs| {
            let mut keys = Vec::new();
            for &run in runs {
                walk_run(run, &mut Frozen(groups), |_, m, rep| {
                    keys.push((rep.min(m), rep.max(m)));
                });
            }
            keys
        })
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    // The pairs to check (those not turned down before), listed first so
    // that the one a few checks ahead is known and its articles' keys can
    // be brought in.
    let checked: Vec<usize> = (0..pairs.len())
        .into_par_iter()
        .filter(|&k| !rejected.contains(&pairs[k]))
        .collect();
    /// Checks ahead whose articles' keys are brought in: one check takes
    /// longer than the memory does.
    const AHEAD: usize = 2;
    let passes: Vec<bool> = checked
        .par_iter()
        .enumerate()
        .map(|(n, &k)| {
            if let Some(&ahead) = checked.get(n + AHEAD) {
                let (x, y) = pairs[ahead];
                (checks.warm)(x);
                (checks.warm)(y);
            }
            let (a, b) = pairs[k];
            (checks.shingles)(a, b)
        })
        .collect();
    let mut answers = vec![Foreseen::TurnedDown; pairs.len()];
    for (&k, pass) in checked.iter().zip(passes) {
        answers[k] = if pass {
            Foreseen::ShinglesPass
        } else {
            Foreseen::Fail
        };
    }
    Foresight { pairs, answers }
}

/// Walks `batch` in order on the groups themselves, joining the pairs that
/// pass both checks: the answers come from `foreseen` where it has them.
/// Pairs in `rejected` or `before` are not tried. Gives the pairs turned
/// down.
fn walk_batch(
    batch: &[&[u64]],
    uf: &mut UnionFind,
    rejected: &FxHashSet<(u32, u32)>,
    before: &FxHashSet<(u32, u32)>,
    foreseen: &Foresight,
    checks: &Checks,
) -> FxHashSet<(u32, u32)> {
    // Whether a pair passes both checks, turned down before or not (a
    // join's corroboration asks this of pairs the walk has not met).
    let ok = |a: u32, b: u32| {
        let key = (a.min(b), a.max(b));
        match foreseen.answer(&key) {
            Some(Foreseen::ShinglesPass) => (checks.also)(a as usize, b as usize),
            Some(Foreseen::Fail) => false,
            Some(Foreseen::TurnedDown) | None => checks.both(a, b),
        }
    };
    let mut turned_down: FxHashSet<(u32, u32)> = FxHashSet::default();
    for &run in batch {
        walk_run(run, uf, |uf, m, rep| {
            let key = (rep.min(m), rep.max(m));
            if turned_down.contains(&key) || before.contains(&key) {
                return;
            }
            let passes = match foreseen.answer(&key) {
                Some(Foreseen::TurnedDown) => return,
                Some(Foreseen::ShinglesPass) => (checks.also)(m as usize, rep as usize),
                Some(Foreseen::Fail) => false,
                None if rejected.contains(&key) => return,
                None => checks.both(m, rep),
            };
            if passes && uf.corroborated(m, rep, &ok) {
                uf.union(m, rep);
            } else {
                turned_down.insert(key);
            }
        });
    }
    turned_down
}

/// The groups as they stood at a [`Snapshot`], so that several threads can
/// walk runs at once.
struct Frozen<'a>(&'a Snapshot);

/// How a run's walk finds an article's group: on the union–find itself
/// (which shortens its paths as it goes) or on a [`Frozen`] view of it.
trait Roots {
    fn root(&mut self, x: u32) -> u32;
}

impl Roots for UnionFind {
    fn root(&mut self, x: u32) -> u32 {
        self.find(x)
    }
}

impl Roots for Frozen<'_> {
    fn root(&mut self, x: u32) -> u32 {
        self.0.root(x)
    }
}

/// Goes through one run of articles sharing a shingle as grouping does:
/// each member is checked (`check(uf, member, representative)`) against one
/// representative of each group met so far in the run that it is not part
/// of, up to [`MAX_GROUPS_PER_RUN`] groups.
fn walk_run<U: Roots>(run: &[u64], uf: &mut U, mut check: impl FnMut(&mut U, u32, u32)) {
    let mut reps: Vec<u32> = Vec::new();
    for m in run.iter().map(|p| (p & ID_MASK) as u32) {
        for &rep in reps.iter().take(MAX_GROUPS_PER_RUN) {
            if uf.root(rep) != uf.root(m) {
                check(uf, m, rep);
            }
        }
        let root = uf.root(m);
        if !reps.iter().any(|&r| uf.root(r) == root) {
            reps.push(m);
        }
    }
}

/// Fewest postings in a partition of the index. A partition's postings
/// are held (twice: the one walked and the next one's evidence) beside the
/// sketches they come from, so they must stay a small part of them: at
/// 10,000 files, whose peak memory is closest to its bound, a partition of
/// this size is 2 MB beside 23 MB of sketches.
const POSTINGS_PER_PART: usize = 1 << 18;

/// Most partitions of the index. Each partition's postings are gathered
/// twice from every sketch, and each starts the walk with a batch foreseen
/// alone, so their count multiplies work that grows with the corpus: at
/// 50,000 files 128 partitions of the least size took 0.3–0.5 s more than
/// 32 (docs/benchmarks.md, "Seventh pass"), which hold 8 MB more.
const MAX_PARTS: usize = 32;

/// The inverted index over the sketches' shingles, as sorted postings: each
/// packs the shingle's [`key`] in the top 32 bits with the article's index
/// in the low 32 (a rare clash of keys only costs extra checks). It is never
/// held whole: the postings are made and sorted a partition at a time, the
/// partitions split by the shingles' top bits so that they come in the
/// order of the whole index.
struct Index<'a, S> {
    sketches: &'a [S],
    /// Top bits of a shingle that name its partition.
    bits: u32,
    /// Where each partition starts in each sketch: `parts() + 1` offsets a
    /// sketch.
    bounds: Bounds,
    /// How many postings each partition holds.
    part_lens: Vec<usize>,
}

/// [`Index`]'s offsets, two bytes each where every sketch is short enough
/// (at 50,000 files and 128 partitions they would be 32 MB at four).
enum Bounds {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

impl Bounds {
    fn get(&self, i: usize) -> usize {
        match self {
            Bounds::Narrow(b) => usize::from(b[i]),
            Bounds::Wide(b) => b[i] as usize,
        }
    }

    /// The address of offset `i`, for [`prefetch`].
    fn address(&self, i: usize) -> *const u8 {
        match self {
            Bounds::Narrow(b) => b.as_ptr().wrapping_add(i).cast(),
            Bounds::Wide(b) => b.as_ptr().wrapping_add(i).cast(),
        }
    }

    /// The postings in each of `parts` partitions: each sketch's offsets
    /// read in order, a sketch's partitions after one another.
    fn part_lens(&self, parts: usize) -> Vec<usize> {
        let stride = parts + 1;
        let sketches = match self {
            Bounds::Narrow(b) => b.len(),
            Bounds::Wide(b) => b.len(),
        } / stride;
        let mut lens = vec![0; parts];
        for i in 0..sketches {
            for (p, len) in lens.iter_mut().enumerate() {
                *len += self.get(i * stride + p + 1) - self.get(i * stride + p);
            }
        }
        lens
    }
}

/// Asks the CPU to bring the cache line at `p` in. Gathering a partition's
/// postings reads a few keys from each of tens of thousands of sketches,
/// every read a cache miss that the hardware cannot foresee; asked for a
/// few sketches ahead, the lines are there when the loop comes to them.
#[inline(always)]
fn prefetch(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint: it reads nothing into the program
    // and never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// How many top bits of a shingle's key name its partition, for an index
/// of `total` postings.
fn part_bits(total: usize) -> u32 {
    let per_part = POSTINGS_PER_PART.max(total.div_ceil(MAX_PARTS));
    (total / per_part).next_power_of_two().trailing_zeros()
}

impl<'a, S: Borrow<Sketch> + Sync> Index<'a, S> {
    fn new(sketches: &'a [S]) -> Self {
        let total: usize = sketches.iter().map(|s| s.borrow().keys().len()).sum();
        Index::with_bits(sketches, part_bits(total))
    }

    /// The index in `1 << bits` partitions.
    fn with_bits(sketches: &'a [S], bits: u32) -> Self {
        let parts = 1usize << bits;
        let offsets = |s: &'a S| {
            let keys = s.borrow().keys();
            (0..=parts).map(move |p| keys.partition_point(|&k| part_of(posting_key(k), bits) < p))
        };
        let narrow = sketches
            .iter()
            .all(|s| s.borrow().keys().len() <= usize::from(u16::MAX));
        let bounds = if narrow {
            Bounds::Narrow(
                sketches
                    .par_iter()
                    .flat_map_iter(|s| offsets(s).map(|o| o as u16))
                    .collect(),
            )
        } else {
            Bounds::Wide(
                sketches
                    .par_iter()
                    .flat_map_iter(|s| offsets(s).map(|o| o as u32))
                    .collect(),
            )
        };
        let part_lens = bounds.part_lens(parts);
        Index {
            sketches,
            bits,
            bounds,
            part_lens,
        }
    }

    fn parts(&self) -> usize {
        1 << self.bits
    }

    /// The postings of one partition, sorted, in `sorted`; `gathered` is
    /// room for them before they are sorted. Callers keep the room from one
    /// partition to the next where memory allows: a partition's postings
    /// are megabytes, made 64 times in a load, and a new allocation of that
    /// size is memory the process touches for the first time, a page fault
    /// every 4 KB (two thirds of the load's faults at 10,000 files).
    fn postings(&self, part: usize, gathered: &mut Vec<u64>, sorted: &mut Vec<u64>) {
        /// Sketches ahead whose keys are prefetched; their offsets are
        /// prefetched twice as far ahead, as the keys' address needs them.
        const AHEAD: usize = 8;
        let stride = self.parts() + 1;
        let at = |i: usize, p: usize| self.bounds.get(i * stride + p);
        gathered.clear();
        gathered.reserve(self.part_lens[part]);
        for (i, s) in self.sketches.iter().enumerate() {
            prefetch(self.bounds.address((i + 2 * AHEAD) * stride + part));
            if let Some(ahead) = self.sketches.get(i + AHEAD) {
                let keys = ahead.borrow().keys();
                prefetch(keys.as_ptr().wrapping_add(at(i + AHEAD, part)).cast());
            }
            let keys = &s.borrow().keys()[at(i, part)..at(i, part + 1)];
            gathered.extend(keys.iter().map(|&k| posting_key(k) | i as u64));
        }
        sort_postings(gathered, self.bits, sorted);
    }

    /// For each article (`articles` of them), the shingles it may use of
    /// its more common ones (shared by more than [`SMALL_RUN`] articles):
    /// the [`COMMON_ANCHORS`] rarest, as sorted posting keys. A shingle
    /// found in hundreds of articles (a stock phrase, or a story with
    /// hundreds of versions) then costs each article a handful of checks
    /// instead of bringing in every pair, and the versions of a large story
    /// still meet through their rarer shared shingles.
    fn common_anchors(&self, articles: usize) -> Anchors {
        // Each article's candidates so far, each packed as its run's length
        // over the key's bits so that they sort as (length, key), and cut
        // back to the best when they reach twice as many: the best of all
        // are among the best of what was kept. Partitions are read a few at
        // a time, so the common postings of the whole index are never held.
        // Each article's candidates in a row of its own, of room for twice
        // as many as it keeps: one block for all (an allocation an article
        // made on whichever thread kept its candidates scattered them over
        // the threads' heaps, which raised the peak by 2 MB at 10,000
        // files).
        const ROOM: usize = 2 * COMMON_ANCHORS;
        const _: () = assert!(ROOM <= u8::MAX as usize);
        let mut best: Vec<u64> = vec![0; articles * ROOM];
        let mut held: Vec<u8> = vec![0; articles];
        // The candidates are kept by ranges of articles in parallel, each
        // partition's split by range as it is gathered: kept on one thread,
        // they left a core idle for a third of this step. What an article
        // keeps does not depend on the order its candidates come in: the
        // least of them, all distinct (a sketch's keys are).
        let threads = rayon::current_num_threads().max(1);
        let per_range = articles.div_ceil(4 * threads).max(1);
        let ranges = articles.div_ceil(per_range);
        let parts: Vec<usize> = (0..self.parts()).collect();
        // The room partitions are read in ([`Index::postings`]): one a
        // thread at work, handed on to the partitions read after.
        let rooms = Rooms::default();
        for chunk in parts.chunks(threads * 2) {
            let found: Vec<Vec<Vec<(u32, u64)>>> = chunk
                .par_iter()
                .map(|&part| {
                    let mut room = lock(&rooms).pop().unwrap_or_default();
                    let (gathered, postings) = &mut room;
                    self.postings(part, gathered, postings);
                    let mut found = vec![Vec::new(); ranges];
                    for run in postings.chunk_by(|a, b| a & !ID_MASK == b & !ID_MASK) {
                        if (SMALL_RUN + 1..=MAX_RUN).contains(&run.len()) {
                            let len = (run.len() as u64) << KEY_BITS;
                            for &p in run {
                                let a = (p & ID_MASK) as u32;
                                found[a as usize / per_range].push((a, len | u64::from(key_of(p))));
                            }
                        }
                    }
                    lock(&rooms).push(room);
                    found
                })
                .collect();
            best.par_chunks_mut(per_range * ROOM)
                .zip(held.par_chunks_mut(per_range))
                .enumerate()
                .for_each(|(range, (rows, counts))| {
                    let first = range * per_range;
                    for &(a, packed) in found.iter().flat_map(|part| &part[range]) {
                        let i = a as usize - first;
                        let row = &mut rows[i * ROOM..(i + 1) * ROOM];
                        let n = &mut counts[i];
                        row[usize::from(*n)] = packed;
                        *n += 1;
                        if usize::from(*n) == ROOM {
                            row.sort_unstable();
                            *n = COMMON_ANCHORS as u8;
                        }
                    }
                });
        }
        // Ties in length go to the smaller key: the run met first.
        let mut anchors = Anchors {
            keys: Vec::new(),
            ends: Vec::with_capacity(articles),
        };
        for (row, &n) in best.chunks_mut(ROOM).zip(&held) {
            let row = &mut row[..usize::from(n)];
            row.sort_unstable();
            let start = anchors.keys.len();
            anchors
                .keys
                .extend(row.iter().take(COMMON_ANCHORS).map(|&packed| packed as u32));
            anchors.keys[start..].sort_unstable();
            anchors.ends.push(anchors.keys.len() as u32);
        }
        anchors
    }

    /// The postings of one partition that serve as evidence, sorted: every
    /// shingle shared by a few articles (at most [`SMALL_RUN`]), and of the
    /// more common ones those each article took as anchors. Shingles found
    /// in one article or in more than [`MAX_RUN`] are no evidence.
    ///
    /// `postings` is the room they are made in (see [`Index::postings`]);
    /// the room for sorting them is the evidence's own, freed when it is
    /// made.
    fn evidence(&self, part: usize, anchors: &Anchors, mut postings: Vec<u64>) -> Vec<u64> {
        self.postings(part, &mut Vec::new(), &mut postings);
        let mut written = 0;
        let mut start = 0;
        while start < postings.len() {
            let key = postings[start] & !ID_MASK;
            let end = start
                + postings[start..]
                    .iter()
                    .take_while(|&&p| p & !ID_MASK == key)
                    .count();
            let len = end - start;
            if (2..=MAX_RUN).contains(&len) {
                for i in start..end {
                    let a = (postings[i] & ID_MASK) as usize;
                    if len <= SMALL_RUN || anchors.of(a).binary_search(&key_of(key)).is_ok() {
                        postings[written] = postings[i];
                        written += 1;
                    }
                }
            }
            start = end;
        }
        postings.truncate(written);
        postings
    }
}

/// Room for reading a partition ([`Index::postings`]), shared by threads
/// that read partitions one after another.
type Rooms = std::sync::Mutex<Vec<(Vec<u64>, Vec<u64>)>>;

/// A shingle key where it stands in a posting, above the article's index.
fn posting_key(k: u32) -> u64 {
    u64::from(k) << (64 - KEY_BITS)
}

/// The shingle key of a posting.
fn key_of(posting: u64) -> u32 {
    (posting >> (64 - KEY_BITS)) as u32
}

/// Each article's anchors ([`Index::common_anchors`]): sorted keys, the
/// articles' one after the other.
struct Anchors {
    keys: Vec<u32>,
    /// Where each article's keys end.
    ends: Vec<u32>,
}

impl Anchors {
    fn of(&self, article: usize) -> &[u32] {
        let start = article.checked_sub(1).map_or(0, |a| self.ends[a] as usize);
        &self.keys[start..self.ends[article] as usize]
    }
}

/// The partition of a posting: its key's top `bits` bits.
fn part_of(h: u64, bits: u32) -> usize {
    h.checked_shr(64 - bits).unwrap_or(0) as usize
}

/// One partition's postings, gathered article by article (`gathered`),
/// sorted into `sorted`; `gathered` is left as room. The postings of one
/// key come in article order already, so sorting by the key alone sorts
/// them whole: a least-significant-digit radix sort by the key's bits
/// below the partition's, a few bits a pass, which moves each posting once
/// a pass and compares none (a sort of each bucket after one scatter was
/// most of this step's time).
fn sort_postings(gathered: &mut Vec<u64>, bits: u32, sorted: &mut Vec<u64>) {
    /// Fewer postings than this are sorted as they are: the passes' tallies
    /// would outweigh them.
    const RADIX_FROM: usize = 256;
    /// Most bits a pass sorts by: its tallies stay in the first-level cache.
    const MOST_BITS: u32 = 11;
    sorted.clear();
    if gathered.len() < RADIX_FROM {
        sorted.extend_from_slice(gathered);
        sorted.sort_unstable();
        return;
    }
    let key_bits = KEY_BITS - bits;
    let passes = key_bits.div_ceil(MOST_BITS);
    let width = key_bits.div_ceil(passes);
    let digits = 1usize << width;
    let digit = |p: u64, pass: u32| (key_of(p) >> (pass * width)) as usize & (digits - 1);
    let mut starts = vec![0usize; digits * passes as usize];
    for &p in gathered.iter() {
        for pass in 0..passes {
            starts[pass as usize * digits + digit(p, pass)] += 1;
        }
    }
    for tally in starts.chunks_mut(digits) {
        let mut at = 0;
        for start in tally {
            let n = *start;
            *start = at;
            at += n;
        }
    }
    sorted.resize(gathered.len(), 0);
    let (mut from, mut to) = (gathered, sorted);
    for (pass, next) in starts.chunks_mut(digits).enumerate() {
        for &p in from.iter() {
            let d = digit(p, pass as u32);
            to[next[d]] = p;
            next[d] += 1;
        }
        std::mem::swap(&mut from, &mut to);
    }
    // After the last pass the postings are in `from`.
    if passes % 2 == 0 {
        std::mem::swap(from, to);
    }
}

/// Two articles as the versions of one story, in the order given (the first
/// is the base), whatever their overlap. `sketches` are the articles' (one
/// per article, in article order), made once for this and the engine.
pub fn pair_story(corpus: &Corpus, sketches: &[Sketch], a: ArticleId, b: ArticleId) -> Story {
    let (_, c) = sketches[a].overlap(&sketches[b]);
    // The same article twice is a valid (if dull) comparison: no changes.
    let versions = vec![a, b];
    Story {
        id: story_hash(&versions, sketches)[..6].to_owned(),
        title: corpus.articles[a].title.clone(),
        versions,
        central: 0,
        spread: (1.0 - c).clamp(0.0, 1.0),
    }
}

/// One story of the given articles: versions in id order, the most central
/// one, and a full-length (16 hex digit) id that [`finish`] shortens.
pub fn make_story<S: Borrow<Sketch> + Sync>(
    corpus: &Corpus,
    sketches: &[S],
    mut members: Vec<ArticleId>,
) -> Story {
    members.sort_by(|&a, &b| corpus.articles[a].id.cmp(&corpus.articles[b].id));
    let days: Vec<Option<&str>> = members
        .iter()
        .map(|&m| corpus.articles[m].meta.date.as_deref().and_then(iso_day))
        .collect();
    let (central, spread) = centrality(&members, sketches, &days);
    let title = corpus.articles[members[central]].title.clone();
    Story {
        id: story_hash(&members, sketches),
        title,
        versions: members,
        central,
        spread,
    }
}

/// The calendar day of an ISO 8601 date (`2022-04-27` of
/// `2022-04-27T21:26:00-04:00`); `None` for dates in other forms.
fn iso_day(date: &str) -> Option<&str> {
    let day = date.get(..10)?;
    let b = day.as_bytes();
    let ok = b.iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == b'-',
        _ => c.is_ascii_digit(),
    });
    ok.then_some(day)
}

/// The version most like the others (the default base), and how far the
/// others are from it on average (1 − mean overlap). `days` are the
/// versions' publication days, where known: among equally central versions
/// the one published first wins.
fn centrality<S: Borrow<Sketch> + Sync>(
    members: &[ArticleId],
    sketches: &[S],
    days: &[Option<&str>],
) -> (usize, f32) {
    if members.len() < 2 {
        return (0, 0.0);
    }
    // Beyond this many versions, compare with a fixed subset: the centre of a
    // large story is stable and the quadratic cost is not.
    const PEERS: usize = 48;
    let peers: Vec<usize> = (0..members.len()).take(PEERS).collect();
    // `overlap` is symmetric (the same shared count over the same smaller
    // size, on the common sample when either side is sampled), so the mean
    // of both directions is either one, and each pair is measured once.
    let sim = |a: usize, b: usize| {
        let (sa, sb) = (sketches[members[a]].borrow(), sketches[members[b]].borrow());
        sa.overlap(sb).1
    };
    let np = peers.len();
    // Similarities among the peers, row `v` holding `sim(v, p)` for p > v.
    let among: Vec<Vec<f32>> = (0..np)
        .into_par_iter()
        .map(|v| (v + 1..np).map(|p| sim(v, p)).collect())
        .collect();
    let sim_cached = |a: usize, b: usize| match (a < np && b < np, a < b) {
        (true, true) => among[a][b - a - 1],
        (true, false) => among[b][a - b - 1],
        _ => sim(a, b),
    };
    let scores: Vec<f32> = (0..members.len())
        .into_par_iter()
        .map(|v| {
            let (sum, n) = peers
                .iter()
                .filter(|&&p| p != v)
                .fold((0.0, 0), |(s, n), &p| (s + sim_cached(v, p), n + 1));
            if n == 0 { 0.0 } else { sum / n as f32 }
        })
        .collect();
    let mut best = 0;
    for (v, s) in scores.iter().enumerate() {
        // Ties go to the version published on an earlier day, else to the
        // earlier version id, so the choice is stable.
        let earlier = matches!((days[v], days[best]), (Some(a), Some(b)) if a < b);
        if *s > scores[best] + 1e-6 || ((*s - scores[best]).abs() <= 1e-6 && earlier) {
            best = v;
        }
    }
    let others: Vec<f32> = (0..members.len())
        .filter(|&v| v != best)
        .map(|v| sim_cached(best, v))
        .collect();
    let mean = others.iter().sum::<f32>() / others.len() as f32;
    (best, (1.0 - mean).clamp(0.0, 1.0))
}

/// A hex id from the story's text: the smallest sampled shingle over its
/// versions, 16 digits long until [`finish`] shortens it. Adding a version
/// changes it only when that version brings a smaller one.
pub fn story_hash<S: Borrow<Sketch>>(members: &[ArticleId], sketches: &[S]) -> String {
    let min = members
        .iter()
        .filter_map(|&m| sketches[m].borrow().first_sampled)
        .min()
        .or_else(|| {
            members
                .iter()
                .filter_map(|&m| sketches[m].borrow().first)
                .min()
        })
        .unwrap_or(0);
    format!("{:016x}", mix(min))
}

fn mix(mut x: u64) -> u64 {
    // splitmix64 finaliser: spreads the low-biased minimum over all bits.
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn order_stories(stories: &mut [Story]) {
    stories.sort_by(|a, b| {
        let single = |s: &Story| s.versions.len() < 2;
        single(a)
            .cmp(&single(b))
            .then(b.versions.len().cmp(&a.versions.len()))
            .then(a.versions[0].cmp(&b.versions[0]))
    });
}

/// Put stories made by [`make_story`] in their order (largest first,
/// single-version ones last) and shorten their ids.
pub fn finish(stories: &mut [Story]) {
    order_stories(stories);
    separate_clashes(stories);
    unique_ids(stories);
}

/// Two stories can share their smallest shingle (a phrase both print, or
/// none at all): each story after the first with a given id gets one mixed
/// from its title instead, so that an id, and the canonical mark kept under
/// it, never names two stories.
fn separate_clashes(stories: &mut [Story]) {
    let mut used: FxHashSet<String> = FxHashSet::default();
    for s in stories.iter_mut() {
        if used.insert(s.id.clone()) {
            continue;
        }
        let mut h = u64::from_str_radix(&s.id, 16).unwrap_or(0) ^ text::hash_str(&s.title);
        loop {
            let id = format!("{:016x}", mix(h));
            if used.insert(id.clone()) {
                s.id = id;
                break;
            }
            h = h.wrapping_add(1);
        }
    }
}

/// Shorten the 16-hex hashes to 6 characters, longer (by two) only where two
/// stories would share an id. Sorting the ids puts each one next to those it
/// shares the longest prefix with, so one pass over neighbours suffices.
fn unique_ids(stories: &mut [Story]) {
    let mut order: Vec<usize> = (0..stories.len()).collect();
    order.sort_by(|&a, &b| stories[a].id.cmp(&stories[b].id));
    let common = |a: usize, b: usize| {
        stories[a]
            .id
            .bytes()
            .zip(stories[b].id.bytes())
            .take_while(|(x, y)| x == y)
            .count()
    };
    let mut keep = vec![6usize; stories.len()];
    for (k, &i) in order.iter().enumerate() {
        let before = k.checked_sub(1).map_or(0, |j| common(order[j], i));
        let after = order.get(k + 1).map_or(0, |&j| common(i, j));
        let shared = before.max(after);
        let mut len = 6;
        while len < 16 && len <= shared {
            len += 2;
        }
        keep[i] = len;
    }
    for (s, len) in stories.iter_mut().zip(keep) {
        s.id.truncate(len.min(s.id.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustc_hash::FxHashMap;

    #[test]
    fn clashing_ids_are_separated() {
        let story = |title: &str, first: usize| Story {
            id: "0e7efee0e33c493b".into(),
            title: title.into(),
            versions: vec![first],
            central: 0,
            spread: 0.0,
        };
        let mut stories = vec![story("Iran", 0), story("Congo", 1), story("Congo", 2)];
        finish(&mut stories);
        let mut ids: Vec<&str> = stories.iter().map(|s| s.id.as_str()).collect();
        assert!(ids.contains(&"0e7efe"), "the first keeps its id: {ids:?}");
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 3, "{ids:?}");
    }

    const A: &str = "Iranian President Ebrahim Raisi said Tehran wanted to expand its long-term strategic relations with China at a meeting with Beijing's Defense Minister Wei Fenghe in Tehran on Wednesday.";

    #[test]
    fn body_words_in_parallel_are_the_body_words() {
        let text: String = (0..300)
            .map(|i| {
                format!(
                    "Paragraph {i} says the port of {} had {i} ships.\n\n",
                    i * 7
                )
            })
            .collect();
        let file = crate::model::SourceFile {
            path: "long.txt".into(),
            size: text.len() as u64,
            modified: None,
            hash: 0,
            text,
            encoding_note: None,
        };
        let segmenter = crate::corpus::Segmenter::new(&Default::default()).expect("segmenter");
        let corpus = crate::corpus::from_files(vec![file], Vec::new(), &segmenter);
        let article = &corpus.articles[0];
        assert!(article.body_indices().count() > 200);
        assert_eq!(body_words_in_parallel(article), body_words(article));
    }

    #[test]
    fn identical_texts_are_one_story() {
        let s = Sketch::of_text(A);
        assert!(s.same_story(&s, &ClusterOptions::default()));
    }

    #[test]
    fn unrelated_texts_stay_apart() {
        let a = Sketch::of_text(A);
        let b = Sketch::of_text(
            "Fighting has flared more fiercely in Democratic Republic of Congo's mineral-rich east since the start of the year.",
        );
        assert!(!a.same_story(&b, &ClusterOptions::default()));
    }

    #[test]
    fn grouping_is_transitive_and_order_free() {
        let texts = [
            A,
            "Something else entirely, about the weather in Lisbon and its trams today.",
            A,
        ];
        let sketches: Vec<Sketch> = texts.iter().map(|t| Sketch::of_text(t)).collect();
        let groups = group(&sketches, &ClusterOptions::default(), &|_, _| true);
        assert_eq!(groups, vec![vec![0, 2], vec![1]]);
    }

    #[test]
    fn stories_with_more_versions_than_a_small_run_group_through_common_shingles() {
        // Three stories of 20 versions each (so every shingle they share is
        // a common one, met through the anchors and the foreseen checks),
        // all carrying one stock sentence.
        let stock = "Copyright the news agency all rights reserved and may not be republished";
        let mut texts = Vec::new();
        for story in 0..3 {
            for version in 0..20 {
                let words: Vec<String> = (0..60)
                    .map(|w| {
                        if w == version * 3 {
                            format!("edit{version}x{story}")
                        } else {
                            format!("s{story}w{w}")
                        }
                    })
                    .collect();
                texts.push(format!("{} {stock}", words.join(" ")));
            }
        }
        let sketches: Vec<Sketch> = texts.iter().map(|t| Sketch::of_text(t)).collect();
        let groups = group(&sketches, &ClusterOptions::default(), &|_, _| true);
        let expected: Vec<Vec<usize>> = (0..3).map(|s| (s * 20..s * 20 + 20).collect()).collect();
        assert_eq!(groups, expected);
    }

    #[test]
    fn ids_grow_only_where_they_clash() {
        let story = |id: &str| Story {
            id: id.to_owned(),
            title: String::new(),
            versions: vec![0],
            central: 0,
            spread: 0.0,
        };
        let mut stories = vec![
            story("aaaaaa1111111111"),
            story("bbbbbb0000000000"),
            story("aaaaaa1122222222"),
            story("cccccccccccccccc"),
            story("cccccccccccccccc"),
        ];
        unique_ids(&mut stories);
        let ids: Vec<&str> = stories.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "aaaaaa1111",
                "bbbbbb",
                "aaaaaa1122",
                "cccccccccccccccc",
                "cccccccccccccccc"
            ]
        );
    }

    #[test]
    fn equally_central_versions_go_by_publication_day() {
        let sketches = vec![Sketch::of_text(A); 3];
        let members = [0, 1, 2];
        assert_eq!(centrality(&members, &sketches, &[None, None, None]).0, 0);
        let days = [Some("2022-04-28"), None, Some("2022-04-27")];
        assert_eq!(centrality(&members, &sketches, &days).0, 2);
        assert_eq!(iso_day("2022-04-27T21:26:00-04:00"), Some("2022-04-27"));
        assert_eq!(iso_day("April 27, 2022"), None);
    }

    /// Keys for the merges' tests: few enough that sets share many, at both
    /// ends of the range and on both sides of where the AVX2 merge parts
    /// its two merges.
    fn merged_keys() -> impl proptest::strategy::Strategy<Value = u32> {
        let pivot = 1u32 << 31;
        proptest::prop_oneof![
            0u32..200,
            pivot - 200..pivot + 200,
            u32::MAX - 200..=u32::MAX
        ]
    }

    proptest::proptest! {
        #[test]
        fn shared_counts_agree(
            a in proptest::collection::btree_set(merged_keys(), 0..120),
            b in proptest::collection::btree_set(merged_keys(), 0..120),
            enough in 0usize..130,
        ) {
            let (a, b): (Vec<u32>, Vec<u32>) = (a.into_iter().collect(), b.into_iter().collect());
            let expected = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
            proptest::prop_assert_eq!(count_common_scalar(&a, &b), expected);
            proptest::prop_assert_eq!(count_common_sorted(&a, &b, usize::MAX), expected);
            let bounded = count_common_sorted(&a, &b, enough);
            proptest::prop_assert!(bounded <= expected);
            proptest::prop_assert_eq!(bounded >= enough, expected >= enough);
            proptest::prop_assert_eq!(count_common(a.iter(), b.iter()), expected);
            let marked = |mark: fn(&[u32], &[u32], &mut [bool])| {
                let mut in_b = vec![false; a.len()];
                mark(&a, &b, &mut in_b);
                in_b
            };
            let in_b: Vec<bool> = a.iter().map(|x| b.binary_search(x).is_ok()).collect();
            proptest::prop_assert_eq!(&marked(mark_common_scalar), &in_b);
            proptest::prop_assert_eq!(&marked(mark_common_sorted), &in_b);
        }
    }

    #[test]
    fn a_long_text_sorted_by_its_sample_gets_the_same_sketch() {
        // Distinct hashes, then every one again: the sample alone decides.
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        let mut hashes: Vec<u64> = (0..LONG_TEXT_SHINGLES)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x
            })
            .collect();
        hashes.extend(hashes.clone());
        let mut all = hashes.clone();
        all.sort_unstable();
        all.dedup();
        all.retain(|&h| in_sample(h));
        let expected = Sketch::of_sorted(&all, true);
        let got = Sketch::of_shingles(hashes);
        assert!(got.sampled);
        assert_eq!(got.keys(), expected.keys());
        assert_eq!(
            (got.first, got.first_sampled),
            (expected.first, expected.first_sampled)
        );
        // Too few distinct ones in the sample: the whole is sorted, as before.
        let few: Vec<u64> = (0..LONG_TEXT_SHINGLES as u64)
            .map(|i| (i % 3000) << 40 | (i % 3000 % SAMPLE_MOD))
            .collect();
        let mut all = few.clone();
        all.sort_unstable();
        all.dedup();
        let sampled = all.len() >= FULL_BELOW;
        if sampled {
            all.retain(|&h| in_sample(h));
        }
        let expected = Sketch::of_sorted(&all, sampled);
        let got = Sketch::of_shingles(few);
        assert!(!got.keys().is_empty());
        assert_eq!(got.keys(), expected.keys());
        assert_eq!(got.sampled, expected.sampled);
    }

    proptest::proptest! {
        #[test]
        fn the_early_stopping_check_agrees_with_the_overlap(
            a in proptest::collection::vec(0u64..600, 0..200),
            b in proptest::collection::vec(0u64..600, 0..200),
            threshold in 0.0f32..1.0,
            min_shared in 0usize..20,
        ) {
            let spread = |h: Vec<u64>| h.into_iter().map(|x| x << 40).collect();
            let (sa, sb) = (Sketch::of_shingles(spread(a)), Sketch::of_shingles(spread(b)));
            let opts = ClusterOptions { threshold, min_shared, ..ClusterOptions::default() };
            let (shared, containment) = sa.overlap(&sb);
            let floor = (min_shared as f32).min(sa.size().min(sb.size()) * 0.5);
            let expected = containment >= threshold && shared >= floor.max(1.0);
            proptest::prop_assert_eq!(sa.same_story(&sb, &opts), expected);
        }
    }

    /// The overlap of two sets of whole shingle hashes, as sketches of the
    /// hashes themselves measured it.
    fn overlap_of_hashes(a: &[u64], b: &[u64]) -> (f32, f32) {
        let thin = |mut h: Vec<u64>| {
            h.sort_unstable();
            h.dedup();
            let sampled = h.len() >= FULL_BELOW;
            if sampled {
                h.retain(|x| in_sample(*x));
            }
            (h, sampled)
        };
        let ((a, sa), (b, sb)) = (thin(a.to_vec()), thin(b.to_vec()));
        let common = |x: &[u64], y: &[u64]| x.iter().filter(|h| y.binary_search(h).is_ok()).count();
        if !sa && !sb {
            let shared = common(&a, &b);
            return (
                shared as f32,
                shared as f32 / a.len().min(b.len()).max(1) as f32,
            );
        }
        let a: Vec<u64> = a.into_iter().filter(|h| sa || in_sample(*h)).collect();
        let b: Vec<u64> = b.into_iter().filter(|h| sb || in_sample(*h)).collect();
        let shared = common(&a, &b);
        (
            shared as f32 * SAMPLE_MOD as f32,
            shared as f32 / a.len().min(b.len()).max(1) as f32,
        )
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// Sketches of keys measure what sketches of whole hashes measured
        /// (where no two hashes share a key), sampled or not, and keep the
        /// smallest hashes story ids are made from.
        #[test]
        fn keys_measure_as_whole_hashes_do(
            shared in proptest::collection::vec(proptest::num::u64::ANY, 0..1500),
            only_a in proptest::collection::vec(proptest::num::u64::ANY, 0..2500),
            only_b in proptest::collection::vec(proptest::num::u64::ANY, 0..300),
        ) {
            let a: Vec<u64> = shared.iter().chain(&only_a).copied().collect();
            let b: Vec<u64> = shared.iter().chain(&only_b).copied().collect();
            let mut keys: Vec<u32> = a.iter().chain(&b).map(|&h| key(h)).collect();
            keys.sort_unstable();
            keys.dedup();
            let mut whole: Vec<u64> = a.iter().chain(&b).copied().collect();
            whole.sort_unstable();
            whole.dedup();
            proptest::prop_assume!(keys.len() == whole.len());
            let (sa, sb) = (Sketch::of_shingles(a.clone()), Sketch::of_shingles(b.clone()));
            proptest::prop_assert_eq!(sa.overlap(&sb), overlap_of_hashes(&a, &b));
            proptest::prop_assert_eq!(sb.overlap(&sa), overlap_of_hashes(&b, &a));
            let mut sorted = a.clone();
            sorted.sort_unstable();
            if sa.sampled {
                sorted.retain(|h| in_sample(*h));
            }
            proptest::prop_assert_eq!(sa.first, sorted.first().copied());
            proptest::prop_assert_eq!(sa.first_sampled, sorted.iter().copied().find(|h| in_sample(*h)));
        }
    }

    /// An article's body as word hashes from a small vocabulary (so that
    /// shingles repeat within and across articles), split into paragraphs
    /// of 0–12 words (so that some are shorter than a shingle).
    fn paragraph_words() -> impl proptest::strategy::Strategy<Value = Vec<Vec<u64>>> {
        proptest::collection::vec(proptest::collection::vec(0u64..6, 0..12), 0..20)
    }

    /// The word hashes one after the other and where each paragraph's end.
    fn flatten(paragraphs: &[Vec<u64>]) -> (Vec<u64>, Vec<usize>) {
        let words: Vec<u64> = paragraphs.concat();
        let ends = paragraphs
            .iter()
            .scan(0, |end, p| {
                *end += p.len();
                Some(*end)
            })
            .collect();
        (words, ends)
    }

    fn sketch_of(words: &[u64]) -> Sketch {
        let mut body = Vec::new();
        push_shingles(words, &mut body);
        Sketch::of_shingles(body)
    }

    proptest::proptest! {
        /// Paragraph shingles kept as positions in the article's sketch give
        /// the coverage their hashes give, whatever the other article.
        #[test]
        fn paragraph_positions_cover_as_hashes_do(
            mine in paragraph_words(),
            theirs in paragraph_words(),
            other_sampled: bool,
        ) {
            let (words, ends) = flatten(&mine);
            let own = sketch_of(&words);
            let positions = ParagraphShingles::of_words(&words, &ends, &own);
            let as_positions = matches!(positions.shingles, Shingles::Positions { .. });
            proptest::prop_assert!(as_positions);
            let mut hashes = Vec::new();
            let mut start = 0;
            for &end in &ends {
                push_shingles(&words[start..end], &mut hashes);
                start = end;
            }
            let plain = ParagraphShingles {
                shingles: Shingles::Hashes(hashes),
                ends: positions.ends.clone(),
            };
            let (other_words, _) = flatten(&theirs);
            let mut other = sketch_of(&other_words);
            if other_sampled {
                // The common-sample filter must apply to either form alike.
                let mut hashes = Vec::new();
                push_shingles(&other_words, &mut hashes);
                hashes.sort_unstable();
                hashes.dedup();
                hashes.retain(|h| in_sample(*h));
                other = Sketch::of_sorted(&hashes, true);
            }
            let expected = coverage(&plain, &own, &other);
            proptest::prop_assert_eq!(coverage(&positions, &own, &other).to_bits(), expected.to_bits());
        }
    }

    #[test]
    fn paragraph_shingles_past_two_bytes_of_positions_keep_their_hashes() {
        // One word a paragraph: each is a short shingle of its own, and a
        // body of one repeated word has a sketch of one hash.
        let words = vec![7u64; 70_000];
        let ends: Vec<usize> = (1..=words.len()).collect();
        let own = sketch_of(&words);
        assert!(!own.sampled && own.keys().len() == 1);
        let paragraphs = ParagraphShingles::of_words(&words, &ends, &own);
        assert!(matches!(paragraphs.shingles, Shingles::Hashes(_)));
        // A paragraph shorter than a shingle is found only in a body as short.
        assert_eq!(coverage(&paragraphs, &own, &own), 0.0);
        assert_eq!(coverage(&paragraphs, &own, &sketch_of(&[7])), 1.0);
    }

    proptest::proptest! {
        /// The radix sort of a partition's postings, gathered article by
        /// article, sorts as a plain sort does, and partitions taken in turn
        /// come in the order of the whole.
        #[test]
        fn partitions_sort_as_the_whole_index_does(
            articles in proptest::collection::vec(
                // Small keys too, that articles share.
                proptest::collection::btree_set(
                    proptest::prop_oneof![0u32..64, proptest::num::u32::ANY],
                    0..400,
                ),
                0..40,
            ),
            bits in 0u32..6,
        ) {
            let postings: Vec<u64> = articles
                .iter()
                .enumerate()
                .flat_map(|(i, keys)| keys.iter().map(move |&k| posting_key(k) | i as u64))
                .collect();
            let mut whole = postings.clone();
            whole.sort_unstable();
            let mut joined = Vec::new();
            for part in 0..1usize << bits {
                let mut mine: Vec<u64> =
                    postings.iter().copied().filter(|&h| part_of(h, bits) == part).collect();
                let mut sorted = vec![7];
                sort_postings(&mut mine, bits, &mut sorted);
                joined.extend(sorted);
            }
            proptest::prop_assert_eq!(joined, whole);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Anchors chosen while partitions are read a few at a time are
        /// each article's rarest common shingles over the whole index.
        #[test]
        fn anchors_are_the_rarest_common_shingles_of_the_whole_index(
            pool in proptest::collection::vec(proptest::num::u64::ANY, 40..400),
            picks in proptest::collection::vec(proptest::collection::vec(proptest::num::usize::ANY, 0..150), 20..80),
            bits in 0u32..5,
        ) {
            let sketches: Vec<Sketch> = picks
                .iter()
                .map(|p| {
                    let mut hashes: Vec<u64> = p.iter().map(|&i| pool[i % pool.len()]).collect();
                    hashes.sort_unstable();
                    hashes.dedup();
                    Sketch::of_sorted(&hashes, false)
                })
                .collect();
            let mut runs: FxHashMap<u64, u32> = FxHashMap::default();
            for s in &sketches {
                let mut keys: Vec<u64> = s.keys().iter().map(|&k| posting_key(k)).collect();
                keys.dedup();
                for k in keys {
                    *runs.entry(k).or_default() += 1;
                }
            }
            let want: Vec<Vec<u64>> = sketches
                .iter()
                .map(|s| {
                    let mut common: Vec<(u32, u64)> = s
                        .keys()
                        .iter()
                        .map(|&k| (runs[&posting_key(k)], posting_key(k)))
                        .filter(|&(len, _)| (SMALL_RUN as u32 + 1..=MAX_RUN as u32).contains(&len))
                        .collect();
                    common.sort_unstable();
                    let mut mine: Vec<u64> = common.into_iter().take(COMMON_ANCHORS).map(|(_, k)| k).collect();
                    mine.sort_unstable();
                    mine
                })
                .collect();
            let index = Index::with_bits(&sketches, bits);
            let anchors = index.common_anchors(sketches.len());
            let got: Vec<Vec<u64>> = (0..sketches.len())
                .map(|a| anchors.of(a).iter().map(|&k| posting_key(k)).collect())
                .collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn partitions_hold_the_least_size_until_there_are_most_of_them() {
        assert_eq!(part_bits(0), 0);
        assert_eq!(part_bits(POSTINGS_PER_PART * 8), 3);
        // The 10,000-file corpus: 6.3 million postings in 32 partitions.
        assert_eq!(part_bits(6_300_000), 5);
        // The 50,000-file one would take 128 partitions of the least size.
        assert_eq!(part_bits(31_500_000), MAX_PARTS.trailing_zeros());
        for total in [
            POSTINGS_PER_PART * MAX_PARTS + 1,
            usize::MAX / 3,
            usize::MAX,
        ] {
            assert!(1 << part_bits(total) <= MAX_PARTS, "{total}");
        }
    }

    #[test]
    fn sketches_past_two_bytes_of_offsets_are_indexed_as_others() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut hashes: Vec<u64> = (0..70_000)
            .map(|_| {
                state = mix(state);
                state
            })
            .collect();
        hashes.sort_unstable();
        hashes.dedup();
        let big = Sketch::of_sorted(&hashes, false);
        let small = Sketch::of_sorted(&hashes[..10], false);
        let other = Sketch::of_sorted(&[1, 2, 3], false);
        let sketches = [big.clone(), other, big, small];
        let index = Index::new(&sketches);
        assert!(matches!(index.bounds, Bounds::Wide(_)));
        let groups = group(&sketches, &ClusterOptions::default(), &|_, _| true);
        // The small one is wholly contained in the big ones.
        assert_eq!(groups, [vec![0, 2, 3], vec![1]]);
    }

    #[test]
    fn sampled_sketches_compare_on_the_common_sample() {
        let long: String = (0..3000).map(|i| format!("word{i} ")).collect();
        let a = Sketch::of_text(&long);
        assert!(a.sampled);
        let (_, c) = a.overlap(&a);
        assert!((c - 1.0).abs() < 1e-6);
    }
}
