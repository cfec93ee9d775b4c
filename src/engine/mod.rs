//! The pipeline in one place: open paths, keep the corpus and its stories,
//! and align or compare a story on request, caching the results.
//!
//! In: paths and [`Settings`]. Out: an [`Engine`] that answers "which
//! stories", "the alignment of this story against that base" and "the
//! changes between these two versions". Alignments are computed only when
//! asked and kept until the corpus changes.
//!
//! [`Engine::refresh`] (in `refresh.rs`) brings changed files in without
//! starting over: it keeps each article's shingle sketch, and keys the
//! alignment and comparison caches by what a story is made of rather than
//! by its place in the list, so the work done for stories whose versions did
//! not change carries over.

mod refresh;

pub use refresh::{ModelChange, Refreshed, StoryChange, StoryChangeKind, VersionNote};

use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};

use crate::align::{self, AlignOptions};
use crate::cluster::{self, ClusterOptions, Sketch};
use crate::corpus::{self, LoadError, LoadOptions, SegmentOptions};
use crate::diff::DiffOptions;
use crate::model::{Alignment, Article, Comparison, Corpus, Story, VersionIx};
use crate::sync::lock;

/// Every stage's options.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub load: LoadOptions,
    pub segment: SegmentOptions,
    pub cluster: ClusterOptions,
    pub align: AlignOptions,
    pub diff: DiffOptions,
}

/// A story or version id that matched nothing, or more than one thing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error("no story with id '{id}'{}", nearest_hint(.nearest))]
    UnknownStory { id: String, nearest: Vec<String> },
    #[error("story id '{id}' is ambiguous: it could be {}", .matches.join(", "))]
    AmbiguousStory { id: String, matches: Vec<String> },
    #[error("story {story} has no version '{id}'{}", nearest_hint(.nearest))]
    UnknownVersion {
        story: String,
        id: String,
        nearest: Vec<String>,
    },
}

fn nearest_hint(nearest: &[String]) -> String {
    if nearest.is_empty() {
        String::new()
    } else {
        format!(" (nearest: {})", nearest.join(", "))
    }
}

/// Why two files could not be compared.
#[derive(Debug, thiserror::Error)]
pub enum PairError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("{0}: no article text found in this file")]
    NoArticle(PathBuf),
}

/// Frees the files' texts: the articles hold everything the engine shows
/// and compares, and a refresh tells changed files by their hash, so the
/// texts would only double the memory the corpus takes.
fn forget_file_texts(corpus: &mut Corpus) {
    for f in &mut corpus.files {
        f.text = String::new();
    }
}

/// What a story is made of: a hash of its versions' contents, in order. Two
/// stories with the same signature align alike, whatever their place.
type Signature = u64;
type AlignKey = (Signature, VersionIx);
type CompareKey = (
    Signature,
    VersionIx,
    VersionIx,
    bool,
    crate::text::Normalization,
);

/// The loaded corpus, its stories, and cached alignments.
#[derive(Debug)]
pub struct Engine {
    settings: Settings,
    corpus: Corpus,
    stories: Vec<Story>,
    /// Each article's shingles, in article order, shared with later refreshes.
    sketches: Vec<Arc<Sketch>>,
    /// Each story's signature, in story order.
    signatures: Vec<Signature>,
    alignments: Mutex<FxHashMap<AlignKey, Arc<Alignment>>>,
    comparisons: Mutex<FxHashMap<CompareKey, Arc<Comparison>>>,
}

impl Engine {
    /// Load, segment and cluster everything under `paths`.
    pub fn open(paths: &[PathBuf], settings: Settings) -> Result<Engine, LoadError> {
        Engine::open_telling(paths, settings, |_| {})
    }

    /// [`Engine::open`], calling `grouping` with the articles read, before
    /// they are grouped (the slow part, for a progress line).
    pub fn open_telling(
        paths: &[PathBuf],
        settings: Settings,
        grouping: impl FnOnce(&Corpus),
    ) -> Result<Engine, LoadError> {
        let corpus = corpus::open_articles(paths, &settings.load, &settings.segment)?;
        grouping(&corpus);
        Ok(Engine::from_corpus(corpus, settings))
    }

    /// The main article (the one with the most body text) of each of two
    /// files, as the two versions of one story, for comparing files directly.
    pub fn open_pair(a: &Path, b: &Path, settings: Settings) -> Result<Engine, PairError> {
        let corpus = corpus::open(
            &[a.to_path_buf(), b.to_path_buf()],
            &settings.load,
            &settings.segment,
        )?;
        let main_of = |path: &Path| {
            corpus
                .articles
                .iter()
                .enumerate()
                .filter(|(_, x)| corpus.files[x.file].path == path)
                .max_by_key(|(i, x)| {
                    (
                        x.body_indices()
                            .map(|p| x.paragraphs[p].text.len())
                            .sum::<usize>(),
                        usize::MAX - i,
                    )
                })
                .map(|(i, _)| i)
                .ok_or_else(|| PairError::NoArticle(path.to_path_buf()))
        };
        let (va, vb) = (main_of(a)?, main_of(b)?);
        // The story's id comes from the sketches, but its alignment does not
        // need it: the sketches are made while the alignment pairs and places
        // the paragraphs, steps it takes on one thread (`diff` will ask for
        // the alignment next, and it is most of the work).
        let unnamed = Story {
            id: String::new(),
            title: String::new(),
            versions: vec![va, vb],
            central: 0,
            spread: 0.0,
        };
        // Both hash the two versions' words alike: that is done once.
        let (words_a, words_b) = rayon::join(
            || cluster::body_words_in_parallel(&corpus.articles[va]),
            || cluster::body_words_in_parallel(&corpus.articles[vb]),
        );
        let words = [words_a, words_b];
        let (alignment, sketches) =
            align::align_with_words(&corpus, &unnamed, 0, &settings.align, &words, || {
                corpus
                    .articles
                    .par_iter()
                    .enumerate()
                    .map(|(i, a)| match [va, vb].iter().position(|&v| v == i) {
                        Some(k) => Sketch::of_words(&words[k]),
                        None => Sketch::of_text(&a.body_text()),
                    })
                    .collect::<Vec<_>>()
            });
        let story = cluster::pair_story(&corpus, &sketches, va, vb);
        let sketches = sketches.into_iter().map(Arc::new).collect();
        let engine = Engine::assemble(settings, corpus, vec![story], sketches);
        lock(&engine.alignments).insert((engine.signatures[0], 0), Arc::new(alignment));
        Ok(engine)
    }

    /// An engine over given stories, for callers that grouped the articles themselves.
    pub fn from_parts(corpus: Corpus, stories: Vec<Story>, settings: Settings) -> Engine {
        let sketches = cluster::sketches(&corpus)
            .into_iter()
            .map(Arc::new)
            .collect();
        Engine::assemble(settings, corpus, stories, sketches)
    }

    /// An engine over a model kept earlier: its corpus, stories and each
    /// article's sketch, in article order.
    pub(crate) fn from_kept(
        settings: Settings,
        corpus: Corpus,
        stories: Vec<Story>,
        sketches: Vec<Sketch>,
    ) -> Engine {
        let sketches = sketches.into_iter().map(Arc::new).collect();
        Engine::assemble(settings, corpus, stories, sketches)
    }

    /// Cluster an already loaded corpus.
    pub fn from_corpus(mut corpus: Corpus, settings: Settings) -> Engine {
        forget_file_texts(&mut corpus);
        crate::memory::release_free();
        let (sketches, stories) = cluster::sketch_and_cluster(&corpus, &settings.cluster);
        let sketches: Vec<Arc<Sketch>> = sketches.into_iter().map(Arc::new).collect();
        Engine::assemble(settings, corpus, stories, sketches)
    }

    fn assemble(
        settings: Settings,
        mut corpus: Corpus,
        stories: Vec<Story>,
        sketches: Vec<Arc<Sketch>>,
    ) -> Engine {
        forget_file_texts(&mut corpus);
        let signatures = stories.par_iter().map(|s| signature(&corpus, s)).collect();
        Engine {
            settings,
            corpus,
            stories,
            sketches,
            signatures,
            alignments: Mutex::default(),
            comparisons: Mutex::default(),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The configured word-diff options, with style changes hidden or not as
    /// the user has toggled them.
    pub fn diff_options(&self, hide_style: bool) -> crate::diff::DiffOptions {
        crate::diff::DiffOptions {
            hide_style,
            ..self.settings.diff.clone()
        }
    }

    /// The shingles of article `a`.
    pub fn sketch(&self, a: crate::model::ArticleId) -> &Sketch {
        &self.sketches[a]
    }

    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// Stories, largest first; stories found in one file only come last.
    pub fn stories(&self) -> &[Story] {
        &self.stories
    }

    pub fn story(&self, story: usize) -> &Story {
        &self.stories[story]
    }

    /// The article that is version `v` of `story`.
    pub fn version(&self, story: usize, v: VersionIx) -> &Article {
        &self.corpus.articles[self.stories[story].versions[v]]
    }

    /// The file (as reached from the given paths) that holds version `v` of `story`.
    pub fn version_path(&self, story: usize, v: VersionIx) -> &Path {
        &self.corpus.files[self.version(story, v).file].path
    }

    /// Find a story by its id or a unique prefix of it.
    pub fn find_story(&self, id: &str) -> Result<usize, LookupError> {
        if let Some(i) = self.stories.iter().position(|s| s.id == id) {
            return Ok(i);
        }
        let matches: Vec<usize> = (0..self.stories.len())
            .filter(|&i| self.stories[i].id.starts_with(id))
            .collect();
        match matches.as_slice() {
            [one] => Ok(*one),
            [] => Err(LookupError::UnknownStory {
                id: id.to_owned(),
                nearest: nearest(id, self.stories.iter().map(|s| s.id.as_str())),
            }),
            many => Err(LookupError::AmbiguousStory {
                id: id.to_owned(),
                matches: many.iter().map(|&i| self.stories[i].id.clone()).collect(),
            }),
        }
    }

    /// Find a version of `story` by its version id, its file name or file stem.
    pub fn find_version(&self, story: usize, id: &str) -> Result<VersionIx, LookupError> {
        let s = &self.stories[story];
        let by_id = (0..s.versions.len()).find(|&v| self.version(story, v).id == id);
        let by_file = || {
            (0..s.versions.len()).find(|&v| {
                let a = self.version(story, v);
                let path = &self.corpus.files[a.file].path;
                a.index_in_file == 0
                    && (path.file_name().is_some_and(|n| n == id)
                        || path.file_stem().is_some_and(|n| n == id)
                        || path.to_string_lossy() == id)
            })
        };
        by_id
            .or_else(by_file)
            .ok_or_else(|| LookupError::UnknownVersion {
                story: s.id.clone(),
                id: id.to_owned(),
                nearest: nearest(
                    id,
                    (0..s.versions.len()).map(|v| self.version(story, v).id.as_str()),
                ),
            })
    }

    /// The alignment of every version of `story` against `base`, computed once.
    pub fn alignment(&self, story: usize, base: VersionIx) -> Arc<Alignment> {
        let key = (self.signatures[story], base);
        if let Some(a) = lock(&self.alignments).get(&key) {
            return Arc::clone(a);
        }
        let a = Arc::new(align::align(
            &self.corpus,
            &self.stories[story],
            base,
            &self.settings.align,
        ));
        lock(&self.alignments).insert(key, Arc::clone(&a));
        a
    }

    /// `base` against `other`, paragraph by paragraph and word by word.
    pub fn comparison(
        &self,
        story: usize,
        base: VersionIx,
        other: VersionIx,
        diff: &DiffOptions,
    ) -> Arc<Comparison> {
        let key = (
            self.signatures[story],
            base,
            other,
            diff.hide_style,
            diff.normalize,
        );
        if let Some(c) = lock(&self.comparisons).get(&key) {
            return Arc::clone(c);
        }
        let alignment = self.alignment(story, base);
        let c = Arc::new(align::compare(
            &self.corpus,
            &self.stories[story],
            &alignment,
            other,
            &self.settings.align,
            diff,
        ));
        lock(&self.comparisons).insert(key, Arc::clone(&c));
        c
    }

    /// The stage options with `AlignOptions` changed, e.g. from the config.
    pub fn align_options(&self) -> &AlignOptions {
        &self.settings.align
    }

    pub fn cluster_options(&self) -> &ClusterOptions {
        &self.settings.cluster
    }

    pub fn segment_options(&self) -> &SegmentOptions {
        &self.settings.segment
    }
}

/// The signature of a story: its versions' file contents and places in
/// their files, in version order. A file's articles depend only on its bytes,
/// so equal signatures mean equal versions.
fn signature(corpus: &Corpus, story: &Story) -> Signature {
    let mut h = FxHasher::default();
    for &a in &story.versions {
        let article = &corpus.articles[a];
        h.write_u64(corpus.files[article.file].hash);
        h.write_usize(article.index_in_file);
    }
    h.finish()
}

/// Up to three candidates closest to `id` by edit distance.
fn nearest<'a>(id: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut scored: Vec<(usize, &str)> = candidates
        .map(|c| (strsim::levenshtein(id, c), c))
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_owned())
        .collect()
}
