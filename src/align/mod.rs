//! Stories → alignments: the versions of one story, paragraph by paragraph.
//!
//! In: a [`Story`] with its [`Corpus`], a base version and [`AlignOptions`].
//! Out: an [`Alignment`] (N-way rows of paragraphs across all versions) and,
//! for two versions, a [`Comparison`] with word changes for each row.
//!
//! The alignment is progressive, as in collation tools: the base's body
//! paragraphs make the first rows, then every other version (closest to the
//! base first) is matched against the rows built so far. Similarity is Dice
//! over normalised words, each weighted by its rarity in the story, so that
//! shared names count and shared "the"s hardly do. A paragraph is compared
//! with a few representatives of each row (the base cell and up to two
//! differing cells of other versions) through an inverted index, so the cost
//! grows with versions × paragraphs, not with their square. For each version:
//! 1. counterparts are paired one to one, best first, whatever their order,
//!    so moved paragraphs are found;
//! 2. a paragraph unmatched or out of order may instead take a less similar
//!    row that stands at its place in the order;
//! 3. a paragraph that holds the words of a neighbouring row too (a merge)
//!    stays in its own row and is linked to the other one; a piece split off
//!    a row's paragraph gets a row of its own, linked from the cells that
//!    hold it whole (word containment). Rows are never joined: one version's
//!    merge must not put every other version's two paragraphs in one row;
//! 4. paragraphs off the longest in-order chain are reported as moved;
//! 5. what has no counterpart becomes a new row after the row of the
//!    paragraph before it, for later versions to match.

mod bag;
mod compare;

use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::cluster::{self, BodyWords};
use crate::model::{
    Alignment, Article, Cell, CellStatus, Corpus, Moved, Role, Row, RowKind, Story, VersionIx,
};

use bag::Bag;
pub use compare::compare;

/// Thresholds for pairing paragraphs.
#[derive(Debug, Clone)]
pub struct AlignOptions {
    /// Least word similarity (Dice, words weighted by rarity) for two
    /// paragraphs to be counterparts.
    pub pair_threshold: f32,
    /// Least share of a paragraph's words found in another for a merge or split.
    pub merge_containment: f32,
    /// Fewest words a paragraph needs to be reported as moved.
    pub min_moved_words: usize,
    /// Share of changed words above which a pair is shown as before/after blocks.
    pub rewrite_ratio: f32,
}

impl Default for AlignOptions {
    fn default() -> Self {
        Self {
            pair_threshold: 0.5,
            merge_containment: 0.6,
            min_moved_words: 5,
            rewrite_ratio: 0.6,
        }
    }
}

/// Least similarity for a paragraph to take a row that stands at its place in
/// the order; lower than `pair_threshold`, because the place is evidence too.
/// Unrelated paragraphs of one text score below 0.25 on the weighted measure.
const IN_PLACE_SIMILARITY: f32 = 0.35;
/// A paragraph leaves a row it holds out of order for one in order only if it
/// is at least this share as similar to the new row.
const IN_PLACE_SHARE: f32 = 0.5;
/// Fewest paragraphs or rows worth splitting among threads: below this the
/// hand-off costs more than the work it shares.
const PARALLEL_MIN: usize = 64;
/// Most representatives a row keeps for matching.
const MAX_REPS: usize = 3;
/// A cell this similar to an existing representative adds nothing as another one.
const REP_DISTINCT: f32 = 0.9;
/// Fewest words a piece needs to be merged into, or split from, another paragraph:
/// a two-word line is contained in almost anything.
const MIN_PIECE_WORDS: u32 = 3;
/// A piece split off a row on its own must cover at least this share of the row's words.
const MIN_PIECE_SHARE: f32 = 0.25;
/// Least similarity of a piece to a row it is split off on its own (a piece
/// covering a quarter of a row it is wholly inside scores about 0.4).
const MIN_SPLIT_SIMILARITY: f32 = 0.3;
/// A heading pairs with a body paragraph (one version's segmenting may differ
/// from another's) only when they are this similar.
const HEADING_BODY_SIMILARITY: f32 = 0.8;

/// The least similarity any step reads from a paragraph's list of similar
/// rows (see [`Builder::similarities`]); rows below it are left out. Where the
/// order repair finds no row in the list it reads 0, which decides its share
/// test as any value under this floor would: such a value, halved, is still
/// under `IN_PLACE_SIMILARITY`, the least a row it tests has.
fn sims_floor(opts: &AlignOptions) -> f32 {
    opts.pair_threshold
        .min(IN_PLACE_SIMILARITY)
        .min(MIN_SPLIT_SIMILARITY)
        .min(HEADING_BODY_SIMILARITY)
}
const _: () = assert!(MIN_SPLIT_SIMILARITY * IN_PLACE_SHARE < IN_PLACE_SIMILARITY);

/// The least similarity pairing reads, and the order repair of a paragraph
/// that keeps its place: a row's similarity to that paragraph's rival holder
/// matters only from `IN_PLACE_SIMILARITY / IN_PLACE_SHARE` up (see
/// [`sims_floor`]). Lists start complete down to this floor.
fn pairing_floor(opts: &AlignOptions) -> f32 {
    opts.pair_threshold
        .min(HEADING_BODY_SIMILARITY)
        .min(IN_PLACE_SIMILARITY / IN_PLACE_SHARE)
        .max(sims_floor(opts))
}

/// Each paragraph's similar rows, in row order, each list holding every row
/// at least its floor similar (see [`Builder::similar_rows`]).
struct Sims {
    lists: Vec<Vec<(usize, f32)>>,
    floors: Vec<f32>,
}

impl Sims {
    /// Make the lists of paragraphs `ps` complete down to `floor`. The
    /// builder must hold the rows it held when the lists were made. The
    /// lists are made side by side: a long version can have hundreds of
    /// paragraphs to complete, and the lists read only the rows'
    /// representatives, which pairing leaves be.
    fn complete_all(
        &mut self,
        b: &Builder,
        v: VersionIx,
        ps: impl Iterator<Item = usize>,
        floor: f32,
    ) {
        let paras = &b.versions[v].paras;
        let open: Vec<usize> = ps
            .filter(|&p| p < paras.len() && self.floors[p] > floor)
            .collect();
        let lists: Vec<Vec<(usize, f32)>> = open
            .par_iter()
            .with_min_len(PARALLEL_MIN / 4)
            .map_init(Scratch::default, |scratch, &p| {
                b.similar_rows(&paras[p], floor, scratch)
            })
            .collect();
        for (p, list) in open.into_iter().zip(lists) {
            self.lists[p] = list;
            self.floors[p] = floor;
        }
    }

    /// Paragraph `p`'s similarity to row `r`, 0 when its list lacks the row.
    fn sim_of(&self, p: usize, r: usize) -> f32 {
        let list = &self.lists[p];
        list.binary_search_by_key(&r, |&(row, _)| row)
            .map_or(0.0, |k| list[k].1)
    }
}

/// Working space of [`Builder::similar_rows`], kept clear between paragraphs.
#[derive(Default)]
struct Scratch {
    partial: Vec<f32>,
    seen: Vec<bool>,
    candidates: Vec<usize>,
    row_sim: Vec<f32>,
    rows_touched: Vec<usize>,
    /// The paragraph's words as a table, so that a candidate's overlap is
    /// one pass over its bag rather than a merge.
    counts: Vec<u32>,
    by_weight: Vec<(f32, u32, u32)>,
}

impl Scratch {
    fn fit(&mut self, reps: usize, rows: usize, words: usize) {
        if self.partial.len() < reps {
            self.partial.resize(reps, 0.0);
            self.seen.resize(reps, false);
        }
        if self.row_sim.len() < rows {
            self.row_sim.resize(rows, -1.0);
        }
        if self.counts.len() < words {
            self.counts.resize(words, 0);
        }
    }
}

/// Align every version of `story` against `base`.
pub fn align(corpus: &Corpus, story: &Story, base: VersionIx, opts: &AlignOptions) -> Alignment {
    align_words(corpus, story, base, opts, None, || ()).0
}

/// [`align`] with the versions' body words already hashed (one
/// [`cluster::body_words`] a version, in story order), as clustering hashes
/// them: a caller that sketches the versions too need not do it twice.
///
/// `beside` is other work of the caller's, run on the pool while the
/// alignment takes the steps it makes on one thread (pairing and placing
/// the first version added), which would leave the pool's other threads
/// idle; its result is returned with the alignment.
pub fn align_with_words<T: Send>(
    corpus: &Corpus,
    story: &Story,
    base: VersionIx,
    opts: &AlignOptions,
    words: &[BodyWords],
    beside: impl FnOnce() -> T + Send,
) -> (Alignment, T) {
    align_words(corpus, story, base, opts, Some(words), beside)
}

fn align_words<T: Send>(
    corpus: &Corpus,
    story: &Story,
    base: VersionIx,
    opts: &AlignOptions,
    words: Option<&[BodyWords]>,
    beside: impl FnOnce() -> T + Send,
) -> (Alignment, T) {
    let n = story.versions.len();
    if base >= n {
        let empty = Alignment {
            base,
            rows: Vec::new(),
        };
        return (empty, beside());
    }
    let (versions, distinct) = Version::all(corpus, story, words);
    let mut b = Builder::for_versions(&versions, distinct, base);
    b.seed();
    let mut order = processing_order(&versions, base, &b.w).into_iter();
    let beside_out = match order.next() {
        Some(first) => b.add_version(first, opts, beside),
        None => beside(),
    };
    for v in order {
        b.add_version(v, opts, || ());
    }
    (b.finish(base, corpus, story, opts), beside_out)
}

/// The other versions, most similar to the base first, so that rows take
/// shape from close versions before distant ones are matched against them.
fn processing_order(versions: &[Version], base: VersionIx, w: &[f32]) -> Vec<VersionIx> {
    // A pair has one order: the versions' whole bags (a sort of every word) would decide nothing.
    if versions.len() <= 2 {
        return (0..versions.len()).filter(|&v| v != base).collect();
    }
    let whole: Vec<Bag> = versions
        .iter()
        .map(|v| Bag::sum(v.paras.iter().map(|p| &p.bag)))
        .collect();
    let mut others: Vec<(f32, VersionIx)> = (0..versions.len())
        .filter(|&v| v != base)
        .map(|v| (whole[v].dice(&whole[base], w), v))
        .collect();
    others.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    others.into_iter().map(|(_, v)| v).collect()
}

/// A body paragraph of a version.
struct Para {
    /// Index into the article's paragraphs.
    index: usize,
    bag: Bag,
    heading: bool,
}

/// A version's body paragraphs, in order.
struct Version {
    paras: Vec<Para>,
}

impl Version {
    /// The story's versions, with the number of distinct words they hold,
    /// from each version's [`cluster::body_words`] when the caller has them.
    ///
    /// Words are numbered in the order they first appear, version after
    /// version, as one interner would number them (the order the weighted
    /// sums add in); but each version's words are found, hashed and
    /// numbered on its own thread, and only its distinct words are numbered
    /// for the story in one pass.
    fn all(corpus: &Corpus, story: &Story, words: Option<&[BodyWords]>) -> (Vec<Version>, usize) {
        let made: Vec<BodyWords>;
        let words = match words {
            Some(w) => w,
            None => {
                made = story
                    .versions
                    .par_iter()
                    .map(|&id| {
                        corpus
                            .articles
                            .get(id)
                            .map(cluster::body_words)
                            .unwrap_or_default()
                    })
                    .collect();
                &made
            }
        };
        // Each version numbers its own words, and lists its distinct ones in
        // the order it met them; those lists then get the story's numbers in
        // turn.
        let local: Vec<(Vec<u32>, Vec<u64>)> = words
            .par_iter()
            .map(|(hashes, _)| {
                let mut seen: FxHashMap<u64, u32> = FxHashMap::default();
                let mut distinct = Vec::new();
                let ids = hashes
                    .iter()
                    .map(|&h| {
                        *seen.entry(h).or_insert_with(|| {
                            distinct.push(h);
                            distinct.len() as u32 - 1
                        })
                    })
                    .collect();
                (ids, distinct)
            })
            .collect();
        let mut number: FxHashMap<u64, u32> = FxHashMap::default();
        let story_ids: Vec<Vec<u32>> = local
            .iter()
            .map(|(_, distinct)| {
                distinct
                    .iter()
                    .map(|&h| {
                        let next = number.len() as u32;
                        *number.entry(h).or_insert(next)
                    })
                    .collect()
            })
            .collect();
        let versions = local
            .par_iter()
            .zip(&story_ids)
            .zip(words)
            .zip(&story.versions)
            .map(|((((ids, _), global), (_, ends)), &id)| {
                let Some(a) = corpus.articles.get(id) else {
                    return Version { paras: Vec::new() };
                };
                let starts = std::iter::once(0).chain(ends.iter().copied());
                let spans: Vec<(usize, (usize, usize))> = a
                    .body_indices()
                    .zip(starts.zip(ends.iter().copied()))
                    .collect();
                // A long version's bags are made in runs on the pool's
                // threads: with two versions, one task each would leave a
                // thread idle while the longer one finishes.
                Version {
                    paras: spans
                        .par_iter()
                        .with_min_len(PARALLEL_MIN)
                        .map(|&(index, (from, to))| Para {
                            index,
                            bag: Bag::of_ids(
                                ids[from..to].iter().map(|&i| global[i as usize]).collect(),
                            ),
                            heading: a.paragraphs[index].role == Role::Heading,
                        })
                        .collect(),
                }
            })
            .collect();
        (versions, number.len())
    }

    fn cell_bag(&self, positions: &[usize]) -> Cow<'_, Bag> {
        match positions {
            [one] => match self.paras.get(*one) {
                Some(p) => Cow::Borrowed(&p.bag),
                None => Cow::Owned(Bag::default()),
            },
            many => Cow::Owned(Bag::sum(
                many.iter()
                    .filter_map(|&p| self.paras.get(p))
                    .map(|p| &p.bag),
            )),
        }
    }

    /// Words in the paragraphs at `positions`.
    fn words(&self, positions: &[usize]) -> u32 {
        positions
            .iter()
            .filter_map(|&p| self.paras.get(p))
            .map(|p| p.bag.len())
            .sum()
    }
}

/// A row while it is built.
struct BRow {
    /// Per version, positions of its body paragraphs in this row (empty: none).
    cells: Vec<Vec<usize>>,
    /// The row's words: the base cell, or the first cell it was made from.
    full: Bag,
    heading: bool,
    reps: Vec<usize>,
    /// (version, row): that version's cell here also holds the other row.
    spans: Vec<(VersionIx, usize)>,
    /// (version, row): that version's cell in the other row holds this one.
    covered: Vec<(VersionIx, usize)>,
}

struct Rep {
    row: usize,
    mass: f32,
    bag: Bag,
}

struct Builder<'a> {
    versions: &'a [Version],
    rows: Vec<BRow>,
    /// Row ids in display order.
    order: Vec<usize>,
    reps: Vec<Rep>,
    /// Informative word id → representatives holding it, with counts.
    postings: Vec<Vec<(u32, u32)>>,
    /// Words rare enough to find candidates by: in few paragraphs of the
    /// story, or in no more than a couple of paragraphs per version.
    informative: Vec<bool>,
    /// Word weights (see [`bag::idf`]).
    w: Vec<f32>,
    base: VersionIx,
}

impl<'a> Builder<'a> {
    fn new(versions: &'a [Version], w: Vec<f32>, informative: Vec<bool>, base: VersionIx) -> Self {
        Builder {
            versions,
            rows: Vec::new(),
            order: Vec::new(),
            reps: Vec::new(),
            postings: vec![Vec::new(); w.len()],
            informative,
            w,
            base,
        }
    }

    /// A builder with the story's word weights and informative words.
    fn for_versions(versions: &'a [Version], words: usize, base: VersionIx) -> Self {
        let (df, paragraphs) = bag::doc_freq(
            versions.iter().flat_map(|v| v.paras.iter().map(|p| &p.bag)),
            words,
        );
        let weights = bag::idf(&df, paragraphs);
        let common = (2 * versions.len() as u32).max(paragraphs / 4);
        let informative = df.iter().map(|&d| d <= common).collect();
        Builder::new(versions, weights, informative, base)
    }

    fn new_row(&mut self, v: VersionIx, p: usize) -> usize {
        let (row, rep, mass) = self.row_of(v, p);
        self.push_row(row, rep, mass)
    }

    /// A new row of paragraph `p` of version `v` alone, with its
    /// representative's bag and mass.
    fn row_of(&self, v: VersionIx, p: usize) -> (BRow, Bag, f32) {
        let para = &self.versions[v].paras[p];
        let mut cells = vec![Vec::new(); self.versions.len()];
        cells[v].push(p);
        let row = BRow {
            cells,
            full: para.bag.clone(),
            heading: para.heading,
            reps: Vec::new(),
            spans: Vec::new(),
            covered: Vec::new(),
        };
        (row, para.bag.clone(), para.bag.mass(&self.w))
    }

    fn push_row(&mut self, row: BRow, rep: Bag, mass: f32) -> usize {
        let id = self.rows.len();
        self.rows.push(row);
        self.add_rep_with_mass(id, rep, mass);
        id
    }

    fn add_rep(&mut self, row: usize, bag: Bag) {
        let mass = bag.mass(&self.w);
        self.add_rep_with_mass(row, bag, mass);
    }

    fn add_rep_with_mass(&mut self, row: usize, bag: Bag, mass: f32) {
        let id = self.reps.len();
        for &(w, n) in bag.items() {
            if self.informative[w as usize] {
                self.postings[w as usize].push((id as u32, n));
            }
        }
        self.reps.push(Rep { row, mass, bag });
        self.rows[row].reps.push(id);
    }

    fn seed(&mut self) {
        // The base's rows are made side by side and indexed in order.
        let made: Vec<(BRow, Bag, f32)> = (0..self.versions[self.base].paras.len())
            .into_par_iter()
            .with_min_len(PARALLEL_MIN)
            .map(|p| self.row_of(self.base, p))
            .collect();
        // Each informative word's postings get room for all the base's
        // paragraphs holding it at once, rather than growing one by one.
        let mut holding = vec![0u32; self.postings.len()];
        for (_, rep, _) in &made {
            for &(w, _) in rep.items() {
                holding[w as usize] += u32::from(self.informative[w as usize]);
            }
        }
        for (list, &n) in self.postings.iter_mut().zip(&holding) {
            list.reserve_exact(n as usize);
        }
        for (row, rep, mass) in made {
            let id = self.push_row(row, rep, mass);
            self.order.push(id);
        }
    }

    /// Rank of each live row in the display order.
    fn ranks(&self) -> Vec<usize> {
        let mut rank = vec![usize::MAX; self.rows.len()];
        for (i, &r) in self.order.iter().enumerate() {
            rank[r] = i;
        }
        rank
    }

    /// For each paragraph of `v`, the rows it shares informative words with
    /// (every row, for a paragraph made mostly of common words) whose best
    /// representative is at least `floor` similar to it, with that similarity
    /// (see [`Builder::similar_rows`]).
    fn similarities(&self, v: VersionIx, floor: f32) -> Sims {
        let paras = &self.versions[v].paras;
        // Each paragraph's list reads the rows only, so a long version's
        // lists are made side by side, each thread with its own scratch.
        let lists = paras
            .par_iter()
            .with_min_len(PARALLEL_MIN)
            .map_init(Scratch::default, |scratch, para| {
                self.similar_rows(para, floor, scratch)
            })
            .collect();
        Sims {
            lists,
            floors: vec![floor; paras.len()],
        }
    }

    /// The rows `para` shares informative words with (every row, for a
    /// paragraph made mostly of common words) whose best representative is
    /// at least `floor` similar to it, with that similarity, in row order.
    ///
    /// A representative as similar as `floor` shares at least
    /// `floor / (2 - floor)` of the paragraph's mass with it, so the paragraph's
    /// commonest words, up to just under that mass, cannot make a candidate on
    /// their own: candidates come from the postings of its rarer words only,
    /// and those lists are the short ones. A candidate whose overlap in those
    /// words plus all the rest cannot reach `floor` is dropped before its
    /// exact similarity is made; the exact one adds the same terms in the same
    /// order as a full comparison would, so it is the same number.
    fn similar_rows(&self, para: &Para, floor: f32, s: &mut Scratch) -> Vec<(usize, f32)> {
        // Slack for the rounding of sums made in another order than the exact one.
        const SLACK: f32 = 1e-3;
        s.fit(self.reps.len(), self.rows.len(), self.w.len());
        let mass = para.bag.mass(&self.w);
        let mut informative = 0.0;
        let mut common = 0.0;
        s.by_weight.clear();
        for &(w, n) in para.bag.items() {
            s.counts[w as usize] = n;
            let weight = self.w[w as usize];
            if self.informative[w as usize] {
                informative += n as f32 * weight;
                s.by_weight.push((weight, w, n));
            } else {
                common += n as f32 * weight;
            }
        }
        // The rest: common words and the commonest informative ones, as
        // long as their mass stays under what a candidate must share.
        let need = if floor > 0.0 {
            floor * mass / (2.0 - floor) * (1.0 - SLACK)
        } else {
            0.0
        };
        let mut rest = common;
        let mut rare_from = 0;
        if rest < need {
            s.by_weight
                .sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            for &(weight, _, n) in &s.by_weight {
                let more = rest + n as f32 * weight;
                if more >= need {
                    break;
                }
                rest = more;
                rare_from += 1;
            }
        }
        for &(weight, w, n) in &s.by_weight[rare_from..] {
            for &(rep, m) in &self.postings[w as usize] {
                let rep = rep as usize;
                if !s.seen[rep] {
                    s.seen[rep] = true;
                    s.candidates.push(rep);
                }
                s.partial[rep] += n.min(m) as f32 * weight;
            }
        }
        if informative < 0.5 * mass {
            for (rep, seen) in s.seen[..self.reps.len()].iter_mut().enumerate() {
                if !*seen {
                    *seen = true;
                    s.candidates.push(rep);
                }
            }
        }
        for &rep in &s.candidates {
            let r = &self.reps[rep];
            let bound = s.partial[rep] + rest;
            s.seen[rep] = false;
            s.partial[rep] = 0.0;
            let total = mass + r.mass;
            if 2.0 * bound * (1.0 + SLACK) < floor * total {
                continue;
            }
            let sim = if total > 0.0 {
                2.0 * self.overlap(&s.counts, &r.bag) / total
            } else {
                0.0
            };
            if sim <= 0.0 || sim < floor {
                continue;
            }
            if s.row_sim[r.row] < 0.0 {
                s.rows_touched.push(r.row);
            }
            s.row_sim[r.row] = s.row_sim[r.row].max(sim);
        }
        s.candidates.clear();
        for &(w, _) in para.bag.items() {
            s.counts[w as usize] = 0;
        }
        s.rows_touched.sort_unstable();
        let out = s.rows_touched.iter().map(|&r| (r, s.row_sim[r])).collect();
        for &r in &s.rows_touched {
            s.row_sim[r] = -1.0;
        }
        s.rows_touched.clear();
        out
    }

    /// The weighted overlap of a paragraph, given as its word counts, with
    /// `bag`: the informative words' share and the common words' share are
    /// each summed in word order and then added, as the inverted index and
    /// the common-word lists once summed them.
    fn overlap(&self, counts: &[u32], bag: &Bag) -> f32 {
        let mut informative = 0f32;
        let mut common = 0f32;
        for &(w, m) in bag.items() {
            let w = w as usize;
            // A word the paragraph lacks makes a term of 0.0, and adding
            // 0.0 leaves a sum as it was (weights are finite and positive):
            // every word is added, with nothing for the CPU to guess.
            let term = counts[w].min(m) as f32 * self.w[w];
            let informative_word = self.informative[w];
            informative += if informative_word { term } else { 0.0 };
            common += if informative_word { 0.0 } else { term };
        }
        informative + common
    }

    fn add_version<T: Send>(
        &mut self,
        v: VersionIx,
        opts: &AlignOptions,
        beside: impl FnOnce() -> T + Send,
    ) -> T {
        if self.versions[v].paras.is_empty() {
            return beside();
        }
        // Pairing reads only the higher similarities; the few paragraphs the
        // later steps look at get their lists completed down to the floor.
        let sims = self.similarities(v, pairing_floor(opts));
        rayon::join(|| self.place(v, sims, opts), beside).1
    }

    /// The pairing and placing of [`Builder::add_version`], from the
    /// version's similarities: steps made in order, on one thread.
    fn place(&mut self, v: VersionIx, mut sims: Sims, opts: &AlignOptions) {
        let ver: &'a Version = &self.versions[v];
        let np = ver.paras.len();
        let floor = sims_floor(opts);
        let mut row_of: Vec<Option<usize>> = vec![None; np];

        self.match_pairs(v, &sims.lists, &mut row_of, opts);
        self.repair_order(v, &mut sims, floor, &mut row_of);
        // Made before any split adds rows, as the first lists were.
        sims.complete_all(self, v, (0..np).filter(|&p| row_of[p].is_none()), floor);
        self.attach_splits(v, &sims.lists, &mut row_of, opts);
        self.merge_rows(v, opts);

        let rank = self.ranks();
        let cells: Vec<(usize, usize, u32)> = (0..np)
            .filter_map(|p| {
                let r = row_of[p]?;
                (self.rows[r].cells[v].first() == Some(&p))
                    .then(|| (rank[r], p, ver.words(&self.rows[r].cells[v])))
            })
            .collect();
        let in_order = heaviest_increasing(&cells);
        let mut anchored = vec![false; self.rows.len()];
        for (k, &(_, p, _)) in cells.iter().enumerate() {
            if in_order[k]
                && let Some(r) = row_of[p]
            {
                anchored[r] = true;
            }
        }

        let first_anchor = (0..np).find_map(|p| row_of[p].filter(|&r| anchored[r]));
        let mut last: Option<usize> = None;
        for (p, slot) in row_of.iter_mut().enumerate() {
            match *slot {
                Some(r) if anchored[r] => last = Some(r),
                Some(_) => {}
                None => {
                    let id = self.new_row(v, p);
                    // Next to the whole stretch of rows the neighbouring
                    // paragraph holds: a merged paragraph stands in its
                    // first row's place and its last's.
                    let at = match (last, first_anchor) {
                        (Some(l), _) => self.span(v, l).map_or(self.order.len(), |(_, hi)| hi + 1),
                        (None, Some(f)) => self.span(v, f).map_or(0, |(lo, _)| lo),
                        (None, None) => self.order.len(),
                    };
                    self.order.insert(at, id);
                    *slot = Some(id);
                    last = Some(id);
                }
            }
        }

        self.update_reps(v);
    }

    /// First and last place in the order of row `r` and the rows `v`'s cell there also holds.
    fn span(&self, v: VersionIx, r: usize) -> Option<(usize, usize)> {
        let at = self.position(r)?;
        let mut out = (at, at);
        for &(u, k) in &self.rows[r].spans {
            if u == v
                && let Some(i) = self.position(k)
            {
                out = (out.0.min(i), out.1.max(i));
            }
        }
        Some(out)
    }

    fn position(&self, row: usize) -> Option<usize> {
        self.order.iter().position(|&r| r == row)
    }

    /// One-to-one pairs, best similarity first; among equals the pair whose
    /// relative positions agree wins, so repeated paragraphs pair in order.
    fn match_pairs(
        &mut self,
        v: VersionIx,
        sims: &[Vec<(usize, f32)>],
        row_of: &mut [Option<usize>],
        opts: &AlignOptions,
    ) {
        let ver: &'a Version = &self.versions[v];
        let rank = self.ranks();
        let nrows = self.order.len().max(1) as f32;
        let np = ver.paras.len() as f32;
        let mut cands: Vec<(f32, f32, usize, usize)> = Vec::new();
        for (p, list) in sims.iter().enumerate() {
            for &(r, s) in list {
                let same_kind = self.rows[r].heading == ver.paras[p].heading;
                if s >= opts.pair_threshold && (same_kind || s >= HEADING_BODY_SIMILARITY) {
                    let drift = (p as f32 / np - rank[r] as f32 / nrows).abs();
                    cands.push((s, drift, p, r));
                }
            }
        }
        cands.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(a.1.total_cmp(&b.1))
                .then(a.2.cmp(&b.2))
                .then(a.3.cmp(&b.3))
        });
        for (_, _, p, r) in cands {
            if row_of[p].is_none() && self.rows[r].cells[v].is_empty() {
                row_of[p] = Some(r);
                self.rows[r].cells[v].push(p);
            }
        }
    }

    /// Prefer counterparts in order. A paragraph left unmatched, or matched to
    /// a row out of order (a move), takes a row at its own place in the order
    /// when it is similar enough to it, even if the best match was elsewhere:
    /// "Wei met Ashtinai and invited him to China" belongs with "Wei met
    /// Ashtinai, who said…" where it stands, not with the later "Wei invited
    /// him to China" it shares more words with. A row at that place held by a
    /// paragraph that is itself out of order may be taken from it.
    fn repair_order(
        &mut self,
        v: VersionIx,
        sims: &mut Sims,
        floor: f32,
        row_of: &mut [Option<usize>],
    ) {
        let ver: &'a Version = &self.versions[v];
        let np = ver.paras.len();
        for _ in 0..2 * np {
            let rank = self.ranks();
            let cells: Vec<(usize, usize, u32)> = (0..np)
                .filter_map(|p| row_of[p].map(|r| (rank[r], p, ver.paras[p].bag.len())))
                .collect();
            let chain = heaviest_increasing(&cells);
            let mut on_chain = vec![false; np];
            for (k, &(_, p, _)) in cells.iter().enumerate() {
                on_chain[p] = chain[k];
            }
            let mut change: Option<(usize, usize, Option<usize>)> = None;
            sims.complete_all(self, v, (0..np).filter(|&p| !on_chain[p]), floor);
            for p in (0..np).filter(|&p| !on_chain[p]) {
                let lo = (0..p)
                    .rev()
                    .find(|&q| on_chain[q])
                    .and_then(|q| row_of[q])
                    .map(|r| rank[r]);
                let hi = (p + 1..np)
                    .find(|&q| on_chain[q])
                    .and_then(|q| row_of[q])
                    .map(|r| rank[r]);
                let current = row_of[p].map_or(0.0, |r| sims.sim_of(p, r));
                let mut best: Option<(f32, usize, Option<usize>)> = None;
                for &(r, sim) in &sims.lists[p] {
                    let at = rank[r];
                    let in_place = lo.is_none_or(|lo| lo < at) && hi.is_none_or(|hi| at < hi);
                    if !in_place
                        || sim < IN_PLACE_SIMILARITY
                        || sim < IN_PLACE_SHARE * current
                        || self.rows[r].heading != ver.paras[p].heading
                    {
                        continue;
                    }
                    let holder = self.rows[r].cells[v].first().copied();
                    if let Some(q) = holder
                        && (q == p || on_chain[q] || sim < IN_PLACE_SHARE * sims.sim_of(q, r))
                    {
                        continue;
                    }
                    if best.is_none_or(|(b, _, _)| sim > b) {
                        best = Some((sim, r, holder));
                    }
                }
                if let Some((_, r, holder)) = best {
                    change = Some((p, r, holder));
                    break;
                }
            }
            let Some((p, r, holder)) = change else { return };
            if let Some(old) = row_of[p] {
                self.rows[old].cells[v].clear();
            }
            if let Some(q) = holder {
                row_of[q] = None;
            }
            self.rows[r].cells[v] = vec![p];
            row_of[p] = Some(r);
        }
    }

    /// Paragraphs left over that are pieces of a row: split off the same
    /// paragraph as a neighbour already in that row, or, failing that, mostly
    /// made of an unclaimed row's words.
    fn attach_splits(
        &mut self,
        v: VersionIx,
        sims: &[Vec<(usize, f32)>],
        row_of: &mut [Option<usize>],
        opts: &AlignOptions,
    ) {
        let ver: &'a Version = &self.versions[v];
        let np = ver.paras.len();
        let piece = |p: usize| !ver.paras[p].heading && ver.paras[p].bag.len() >= MIN_PIECE_WORDS;
        loop {
            let mut changed = false;
            for p in 0..np {
                if row_of[p].is_some() || !piece(p) {
                    continue;
                }
                // (containment, row, the neighbour in that row, if any).
                let mut best: Option<(f32, usize, Option<usize>)> = None;
                let neighbours = [p.checked_sub(1), (p + 1 < np).then_some(p + 1)];
                for q in neighbours.into_iter().flatten() {
                    let Some(rq) = row_of[q] else { continue };
                    // The neighbour's row, or the row it was split off (a
                    // third piece follows the second, whose row is new).
                    let parents = self.rows[rq].covered.iter().map(|&(_, k)| k);
                    for r in std::iter::once(rq).chain(parents) {
                        if self.rows[r].heading {
                            continue;
                        }
                        let residual = self.rows[r]
                            .full
                            .minus(&ver.cell_bag(&self.rows[r].cells[v]));
                        let c = ver.paras[p].bag.contained_in(&residual, &self.w);
                        if c >= opts.merge_containment && best.is_none_or(|(bc, _, _)| c > bc) {
                            best = Some((c, r, Some(q)));
                        }
                    }
                }
                if best.is_none() {
                    for &(r, s) in &sims[p] {
                        let row = &self.rows[r];
                        if s < MIN_SPLIT_SIMILARITY || row.heading || self.holds(r, v) {
                            continue;
                        }
                        let overlap = ver.paras[p].bag.overlap(&row.full, &self.w);
                        let c = overlap / ver.paras[p].bag.mass(&self.w).max(f32::MIN_POSITIVE);
                        let share = overlap / row.full.mass(&self.w).max(f32::MIN_POSITIVE);
                        if c >= opts.merge_containment
                            && share >= MIN_PIECE_SHARE
                            && best.is_none_or(|(bc, _, _)| c > bc)
                        {
                            best = Some((c, r, None));
                        }
                    }
                }
                match best {
                    Some((_, r, Some(q))) => {
                        let next_to = row_of[q].unwrap_or(r);
                        row_of[p] = Some(self.split_row(v, p, r, next_to, p > q, opts));
                        changed = true;
                    }
                    Some((_, r, None)) => {
                        row_of[p] = Some(r);
                        self.rows[r].cells[v].push(p);
                        changed = true;
                    }
                    None => {}
                }
            }
            if !changed {
                return;
            }
        }
    }

    /// Whether `v` has a paragraph in row `r`, or one elsewhere that holds it.
    fn holds(&self, r: usize, v: VersionIx) -> bool {
        !self.rows[r].cells[v].is_empty() || self.rows[r].covered.iter().any(|&(u, _)| u == v)
    }

    /// Note that `v`'s cell in row `primary` also holds row `other`.
    fn link(&mut self, v: VersionIx, primary: usize, other: usize) {
        if primary == other || self.rows[primary].spans.contains(&(v, other)) {
            return;
        }
        self.rows[primary].spans.push((v, other));
        self.rows[other].covered.push((v, primary));
    }

    /// Paragraph `p` of `v` is a piece of row `r`, whose text some versions
    /// hold in one paragraph: it gets a row of its own next to `next_to`
    /// (after it when `after`), and the cells of `r` that hold the piece's
    /// words are linked to the new row. Joining the piece to `r` instead would
    /// pair it with every version's part of `r` that it is not a version of
    /// (when the base merged two paragraphs others keep apart, every other
    /// version's two paragraphs would share one row).
    fn split_row(
        &mut self,
        v: VersionIx,
        p: usize,
        r: usize,
        next_to: usize,
        after: bool,
        opts: &AlignOptions,
    ) -> usize {
        let id = self.new_row(v, p);
        let at = match self.position(next_to) {
            Some(i) if after => i + 1,
            Some(i) => i,
            None => self.order.len(),
        };
        self.order.insert(at, id);
        let versions: &'a [Version] = self.versions;
        let piece = &versions[v].paras[p].bag;
        self.rows[r].full = self.rows[r].full.minus(piece);
        for (u, ver) in versions.iter().enumerate() {
            if u == v || self.rows[r].cells[u].is_empty() {
                continue;
            }
            let c = piece.contained_in(&ver.cell_bag(&self.rows[r].cells[u]), &self.w);
            if c >= opts.merge_containment {
                self.link(u, r, id);
            }
        }
        id
    }

    /// A paragraph of `v` that holds the words of its own row and of a
    /// neighbouring row it has no paragraph in: the paragraph merges the two.
    /// It stays in its row and is linked to the other; the rows stay apart
    /// for the versions that keep the paragraphs apart.
    fn merge_rows(&mut self, v: VersionIx, opts: &AlignOptions) {
        let ver: &'a Version = &self.versions[v];
        // After a link the search goes on from the row that linked, not from
        // the top: a link changes only that row's residual and makes its new
        // neighbour held by `v`, which can end an earlier row's search for a
        // neighbour sooner but never make one that found none find one.
        let mut from = 0;
        loop {
            let mut linked = None;
            for at in from..self.order.len() {
                let r2 = self.order[at];
                if self.rows[r2].cells[v].is_empty() || self.rows[r2].heading {
                    continue;
                }
                let mut residual = ver
                    .cell_bag(&self.rows[r2].cells[v])
                    .minus(&self.rows[r2].full);
                for &(u, k) in &self.rows[r2].spans {
                    if u == v {
                        residual = residual.minus(&self.rows[k].full);
                    }
                }
                if residual.len() < MIN_PIECE_WORDS {
                    continue;
                }
                if let Some(r) = self.mergeable_neighbour(at, v, &residual, opts) {
                    self.link(v, r2, r);
                    linked = Some(at);
                    break;
                }
            }
            match linked {
                Some(at) => from = at,
                None => return,
            }
        }
    }

    /// The nearest row before or after `order[at]` that `v` has no paragraph in and
    /// whose words are mostly in `residual`. Looks past a couple of rows other
    /// versions added and past rows this cell already holds, but never past a
    /// row `v` or the base has a paragraph in (the base's order is kept).
    fn mergeable_neighbour(
        &self,
        at: usize,
        v: VersionIx,
        residual: &Bag,
        opts: &AlignOptions,
    ) -> Option<usize> {
        const REACH: usize = 3;
        let from = self.order[at];
        let before: Vec<usize> = self.order[..at].iter().rev().take(REACH).copied().collect();
        let after: Vec<usize> = self.order[at + 1..].iter().take(REACH).copied().collect();
        let mut best: Option<(usize, f32, usize)> = None;
        for side in [before, after] {
            for (dist, &r) in side.iter().enumerate() {
                let row = &self.rows[r];
                if row.covered.contains(&(v, from)) {
                    continue;
                }
                if self.holds(r, v) {
                    break;
                }
                let c = if row.heading || row.full.len() < MIN_PIECE_WORDS {
                    0.0
                } else {
                    row.full.contained_in(residual, &self.w)
                };
                if c >= opts.merge_containment {
                    if best.is_none_or(|(bd, bc, _)| (dist, -c) < (bd, -bc)) {
                        best = Some((dist, c, r));
                    }
                    break;
                }
                if !row.cells[self.base].is_empty() {
                    break;
                }
            }
        }
        best.map(|(_, _, r)| r)
    }

    /// Let rows remember how `v` words them, when that differs from what they know.
    fn update_reps(&mut self, v: VersionIx) {
        let ver: &'a Version = &self.versions[v];
        for r in 0..self.rows.len() {
            let row = &self.rows[r];
            // A merged cell is no version of this row alone: as a
            // representative it would draw the neighbour's paragraphs here.
            if row.cells[v].is_empty()
                || row.reps.len() >= MAX_REPS
                || row.spans.iter().any(|&(u, _)| u == v)
            {
                continue;
            }
            let bag = ver.cell_bag(&row.cells[v]).into_owned();
            let known = row
                .reps
                .iter()
                .any(|&rep| self.reps[rep].bag.dice(&bag, &self.w) >= REP_DISTINCT);
            if !known {
                self.add_rep(r, bag);
            }
        }
    }

    fn finish(
        self,
        base: VersionIx,
        corpus: &Corpus,
        story: &Story,
        opts: &AlignOptions,
    ) -> Alignment {
        let nv = self.versions.len();
        // Moves, per version: cells off the heaviest in-order chain of rows.
        let mut moved: Vec<FxHashMap<usize, Moved>> = vec![FxHashMap::default(); nv];
        for v in (0..nv).filter(|&v| v != base) {
            let ver = &self.versions[v];
            let mut row_at = vec![usize::MAX; ver.paras.len()];
            let mut cells: Vec<(usize, usize, u32)> = Vec::new();
            for (i, &r) in self.order.iter().enumerate() {
                let cell = &self.rows[r].cells[v];
                for &p in cell {
                    row_at[p] = i;
                }
                if let Some(&first) = cell.first() {
                    cells.push((i, first, ver.words(cell)));
                }
            }
            cells.sort_by_key(|&(_, p, _)| p);
            let in_order = heaviest_increasing(&cells);
            for (k, &(i, first, words)) in cells.iter().enumerate() {
                if !in_order[k] && words as usize >= opts.min_moved_words {
                    let after_row = first
                        .checked_sub(1)
                        .map(|q| row_at[q])
                        .filter(|&x| x != usize::MAX);
                    moved[v].insert(
                        i,
                        Moved {
                            position: first + 1,
                            after_row,
                        },
                    );
                }
            }
        }

        let article = |v: VersionIx| corpus.articles.get(story.versions[v]);
        let rank = self.ranks();
        let rows = self
            .order
            .par_iter()
            .with_min_len(PARALLEL_MIN)
            .enumerate()
            .map(|(i, &r)| {
                let brow = &self.rows[r];
                // Where the base merged this row into another paragraph, the
                // cells here are versions of (part of) that paragraph.
                let covering =
                    |v: VersionIx| brow.covered.iter().find(|&&(u, _)| u == v).map(|&(_, k)| k);
                let base_cell = match covering(base) {
                    Some(k) if brow.cells[base].is_empty() => &self.rows[k].cells[base],
                    _ => &brow.cells[base],
                };
                let base_bag = self.versions[base].cell_bag(base_cell);
                let base_text = joined(article(base), &self.versions[base], base_cell);
                let cells: Vec<Option<Cell>> = (0..nv)
                    .map(|v| {
                        let pos = &brow.cells[v];
                        if pos.is_empty() {
                            return None;
                        }
                        let ver = &self.versions[v];
                        let paragraphs = pos
                            .iter()
                            .filter_map(|&p| ver.paras.get(p))
                            .map(|p| p.index)
                            .collect();
                        let mut merged_with: Vec<usize> = brow
                            .spans
                            .iter()
                            .filter(|&&(u, _)| u == v)
                            .map(|&(_, k)| rank[k])
                            .filter(|&k| k != usize::MAX)
                            .collect();
                        merged_with.sort_unstable();
                        let (status, similarity) = if v == base {
                            (CellStatus::Base, 1.0)
                        } else if base_cell.is_empty() && merged_with.is_empty() {
                            (CellStatus::Added, 0.0)
                        } else {
                            // A merged cell is compared with the base's text of
                            // every row it holds.
                            let (base_text, base_bag) = if merged_with.is_empty() {
                                (Cow::Borrowed(&base_text), Cow::Borrowed(&*base_bag))
                            } else {
                                let mut all: Vec<usize> = std::iter::once(r)
                                    .chain(brow.spans.iter().filter(|s| s.0 == v).map(|s| s.1))
                                    .flat_map(|k| self.rows[k].cells[base].iter().copied())
                                    .collect();
                                all.sort_unstable();
                                all.dedup();
                                let b = &self.versions[base];
                                (
                                    Cow::Owned(joined(article(base), b, &all)),
                                    Cow::Owned(b.cell_bag(&all).into_owned()),
                                )
                            };
                            let text = joined(article(v), ver, pos);
                            let same = text.split_whitespace().eq(base_text.split_whitespace());
                            let status = if same {
                                CellStatus::Same
                            } else {
                                CellStatus::Changed
                            };
                            // Shown to people: plain share of words, unweighted.
                            (status, ver.cell_bag(pos).dice(&base_bag, &[]))
                        };
                        Some(Cell {
                            paragraphs,
                            status,
                            similarity,
                            moved: moved[v].get(&i).copied(),
                            merged_with,
                        })
                    })
                    .collect();
                let held: Vec<bool> = (0..nv)
                    .map(|v| cells[v].is_some() || covering(v).is_some())
                    .collect();
                Row {
                    kind: row_kind(&cells, &held),
                    cells,
                }
            })
            .collect();
        Alignment { base, rows }
    }
}

fn joined(article: Option<&Article>, ver: &Version, positions: &[usize]) -> String {
    let Some(a) = article else {
        return String::new();
    };
    let mut out = String::new();
    for &p in positions {
        if let Some(para) = ver.paras.get(p).and_then(|p| a.paragraphs.get(p.index)) {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&para.text);
        }
    }
    out
}

/// `held[v]`: version `v` has the row's text, in a cell here or merged into
/// another row's cell (which is then changed, not missing).
fn row_kind(cells: &[Option<Cell>], held: &[bool]) -> RowKind {
    if cells.iter().flatten().any(|c| c.moved.is_some()) {
        RowKind::Moved
    } else if held.iter().any(|&h| !h) {
        RowKind::Partial
    } else if cells.len() > cells.iter().flatten().count() {
        RowKind::Changed
    } else if cells
        .iter()
        .flatten()
        .all(|c| matches!(c.status, CellStatus::Base | CellStatus::Same))
    {
        RowKind::Same
    } else {
        RowKind::Changed
    }
}

/// Which of `items` (row rank, position, weight), given in position order,
/// lie on the heaviest chain of increasing row ranks.
pub(crate) fn heaviest_increasing(items: &[(usize, usize, u32)]) -> Vec<bool> {
    let n = items.len();
    let mut on = vec![false; n];
    if n == 0 {
        return on;
    }
    // Compress ranks, then a Fenwick tree of (best chain weight, its last item)
    // over ranks gives the best chain ending below any rank in O(log n).
    let mut ranks: Vec<usize> = items.iter().map(|&(r, _, _)| r).collect();
    ranks.sort_unstable();
    ranks.dedup();
    let m = ranks.len();
    let mut tree: Vec<(u64, usize)> = vec![(0, usize::MAX); m + 1];
    let mut prev = vec![usize::MAX; n];
    let mut best = (0u64, usize::MAX);
    for (k, &(r, _, w)) in items.iter().enumerate() {
        let idx = ranks.partition_point(|&x| x < r);
        // Best chain over ranks strictly below r: prefix [0, idx).
        let mut q = (0u64, usize::MAX);
        let mut i = idx;
        while i > 0 {
            if tree[i].0 > q.0 {
                q = tree[i];
            }
            i &= i - 1;
        }
        let total = q.0 + u64::from(w.max(1));
        prev[k] = q.1;
        if total > best.0 {
            best = (total, k);
        }
        let mut i = idx + 1;
        while i <= m {
            if total > tree[i].0 {
                tree[i] = (total, k);
            }
            i += i & i.wrapping_neg();
        }
    }
    let mut k = best.1;
    while k != usize::MAX {
        on[k] = true;
        k = prev[k];
    }
    on
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Interner;

    #[test]
    fn heaviest_chain_prefers_weight() {
        // Ranks in position order: 0, 2, 1, 3 with the third much heavier.
        let items = [(0, 0, 10), (2, 1, 5), (1, 2, 50), (3, 3, 10)];
        assert_eq!(heaviest_increasing(&items), vec![true, false, true, true]);
        let items = [(0, 0, 10), (2, 1, 50), (1, 2, 5), (3, 3, 10)];
        assert_eq!(heaviest_increasing(&items), vec![true, true, false, true]);
        assert!(heaviest_increasing(&[]).is_empty());
    }

    /// Each paragraph's similarity to every representative it shares an
    /// informative word with (to every one, for a paragraph mostly of common
    /// words), the informative words' overlap summed in the paragraph's word
    /// order and the common words' in the representative's: the comparison
    /// of every candidate that [`Builder::similarities`] stands for.
    fn similarities_by_scan(b: &Builder, v: VersionIx) -> Vec<Vec<(usize, f32)>> {
        let informative = |w: u32| b.informative[w as usize];
        b.versions[v]
            .paras
            .iter()
            .map(|para| {
                let mass = para.bag.mass(&b.w);
                let inf_mass: f32 = para
                    .bag
                    .items()
                    .iter()
                    .filter(|&&(w, _)| informative(w))
                    .map(|&(w, n)| n as f32 * b.w[w as usize])
                    .sum();
                let mut row_sim = vec![-1f32; b.rows.len()];
                for r in &b.reps {
                    let count = |bag: &Bag, w: u32| {
                        bag.items()
                            .iter()
                            .find(|&&(x, _)| x == w)
                            .map_or(0, |&(_, n)| n)
                    };
                    let shares = para
                        .bag
                        .items()
                        .iter()
                        .any(|&(w, _)| informative(w) && count(&r.bag, w) > 0);
                    if !shares && inf_mass >= 0.5 * mass {
                        continue;
                    }
                    let mut inter = 0f32;
                    for &(w, n) in para.bag.items() {
                        let m = count(&r.bag, w);
                        if informative(w) && m > 0 {
                            inter += n.min(m) as f32 * b.w[w as usize];
                        }
                    }
                    let mut common = 0f32;
                    for &(w, m) in r.bag.items() {
                        let n = count(&para.bag, w);
                        if !informative(w) && n > 0 {
                            common += n.min(m) as f32 * b.w[w as usize];
                        }
                    }
                    let total = mass + r.mass;
                    let sim = if total > 0.0 {
                        2.0 * (inter + common) / total
                    } else {
                        0.0
                    };
                    row_sim[r.row] = row_sim[r.row].max(sim);
                }
                (0..b.rows.len())
                    .filter(|&r| row_sim[r] > 0.0)
                    .map(|r| (r, row_sim[r]))
                    .collect()
            })
            .collect()
    }

    /// Words drawn with a skew, so that some are in most paragraphs.
    fn skewed_words() -> impl proptest::strategy::Strategy<Value = Vec<(u8, u8)>> {
        proptest::collection::vec((0u8..24, 0u8..24), 0..14)
    }

    proptest::proptest! {
        #[test]
        fn pruned_similarities_match_the_full_scan(
            texts in proptest::collection::vec(
                proptest::collection::vec(skewed_words(), 1..10),
                2..5,
            ),
            threshold in proptest::sample::select(vec![0.5f32, 0.4, 0.2, 0.05, 0.0, -1.0]),
        ) {
            let mut interner = Interner::new();
            let versions: Vec<Version> = texts
                .iter()
                .map(|paras| Version {
                    paras: paras
                        .iter()
                        .enumerate()
                        .map(|(index, words)| {
                            let text: Vec<String> =
                                words.iter().map(|&(a, b)| format!("w{}", a.min(b))).collect();
                            Para {
                                index,
                                bag: Bag::of_text(&text.join(" "), &mut interner),
                                heading: false,
                            }
                        })
                        .collect(),
                })
                .collect();
            let opts = AlignOptions {
                pair_threshold: threshold,
                ..AlignOptions::default()
            };
            let (low, high) = (sims_floor(&opts), pairing_floor(&opts));
            let mut b = Builder::for_versions(&versions, interner.len(), 0);
            b.seed();
            for v in 1..versions.len() {
                let scan = similarities_by_scan(&b, v);
                let above = |floor: f32| -> Vec<Vec<(usize, f32)>> {
                    scan.iter()
                        .map(|list| list.iter().copied().filter(|&(_, s)| s >= floor).collect())
                        .collect()
                };
                // Bit for bit: the steps compare these numbers with each other.
                let bits = |lists: &[Vec<(usize, f32)>]| -> Vec<Vec<(usize, u32)>> {
                    lists
                        .iter()
                        .map(|l| l.iter().map(|&(r, s)| (r, s.to_bits())).collect())
                        .collect()
                };
                let mut sims = b.similarities(v, high);
                proptest::prop_assert_eq!(bits(&sims.lists), bits(&above(high)));
                sims.complete_all(&b, v, 0..b.versions[v].paras.len(), low);
                proptest::prop_assert_eq!(bits(&sims.lists), bits(&above(low)));
                b.add_version(v, &opts, || ());
            }
        }
    }
}
