//! Bringing changed files in without starting over.
//!
//! In: the paths the engine was opened on and the paths a watcher saw change
//! (files or folders, as reached from those paths). Out: a new [`Engine`] and
//! a [`ModelChange`] that says, story by story, what changed; or nothing, when
//! the files turn out to be as the engine holds them.
//!
//! A change notice is a cue to look, not the truth: each path is looked at
//! again (size and modification time first, then the content hash) and
//! compared with what the engine holds. Only files whose bytes changed are
//! read and split into articles; the articles and sketches of unchanged
//! files, and of files that moved with their content intact, are carried
//! over. When few
//! articles changed, only the stories they touch (and those sharing shingles
//! with the new text) are grouped again; otherwise everything is regrouped
//! from the kept sketches. Cached alignments of stories whose versions are
//! unchanged carry over, since the caches are keyed by story signature.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use walkdir::WalkDir;

use super::{Engine, lock};
use crate::cluster::{self, Sketch};
use crate::corpus::{
    self, ArticleDraft, Extracted, FileArticles, Format, LoadError, LoadOptions, Segmenter, load,
};
use crate::model::{ArticleId, Corpus, Paragraph, SourceFile, Story, Warning};

/// The engine after a refresh, and what changed.
#[derive(Debug)]
pub struct Refreshed {
    pub engine: Engine,
    pub change: ModelChange,
}

/// What a refresh changed in the story model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelChange {
    /// One entry per story that gained, lost or changed a version, appeared
    /// or went away; stories that stayed as they were are not listed.
    pub stories: Vec<StoryChange>,
    /// For each story of the old engine, the story of the new one that
    /// continues it (the one holding most of its versions), if any.
    pub story_map: Vec<Option<usize>>,
    /// For each article of the old engine, the article of the new one that
    /// continues it: the same place in the same file, or the same content
    /// under a new path (a moved or renamed file).
    pub article_map: Vec<Option<ArticleId>>,
    pub files_added: usize,
    pub files_removed: usize,
    pub files_changed: usize,
    /// Warnings the old engine did not have (a file that became unreadable…).
    pub warnings: Vec<Warning>,
}

/// How a story changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoryChangeKind {
    /// A story that was not there before.
    Added,
    /// A story none of whose versions belong to a story now.
    Removed,
    /// A story that gained, lost or changed a version.
    Changed,
}

impl StoryChangeKind {
    pub fn name(self) -> &'static str {
        match self {
            StoryChangeKind::Added => "added",
            StoryChangeKind::Removed => "removed",
            StoryChangeKind::Changed => "changed",
        }
    }
}

/// A version named in a [`StoryChange`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionNote {
    /// The version id (now, or when last seen for a lost version).
    pub id: String,
    pub file: PathBuf,
    /// Where the version was before, for a moved file.
    pub previous_file: Option<PathBuf>,
    /// For a lost version: whether it still exists, in another story.
    pub elsewhere: bool,
}

/// One story's change.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryChange {
    pub kind: StoryChangeKind,
    /// The story's id now; for a removed story, its last id.
    pub story: String,
    /// The id it had before, when that differs (ids follow the text).
    pub previous: Option<String>,
    pub title: String,
    /// How many versions it has now (0 once removed).
    pub versions: usize,
    /// Index in the new engine's stories (`None` once removed).
    pub index: Option<usize>,
    /// Index in the old engine's stories (`None` for a new story).
    pub old_index: Option<usize>,
    pub gained: Vec<VersionNote>,
    pub lost: Vec<VersionNote>,
    /// Versions whose text changed.
    pub changed: Vec<VersionNote>,
    /// Versions whose file moved, the text unchanged.
    pub moved: Vec<VersionNote>,
}

/// Longest title shown in a sentence, in characters.
const TITLE_CHARS: usize = 48;

impl StoryChange {
    /// The change in a sentence for people, e.g. "004 changed: story 'Iran
    /// seeks…' now has 6 versions".
    pub fn sentence(&self) -> String {
        let title = short_title(&self.title);
        fn ids(v: &[VersionNote]) -> String {
            v.iter()
                .map(|n| n.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        }
        match self.kind {
            StoryChangeKind::Added => {
                let all = ids(&self.gained);
                if self.versions == 1 {
                    format!("{all} added: new story '{title}'")
                } else {
                    format!(
                        "new story '{title}' with {} versions ({all})",
                        self.versions
                    )
                }
            }
            StoryChangeKind::Removed => {
                let (gone, elsewhere): (Vec<&VersionNote>, Vec<&VersionNote>) =
                    self.lost.iter().partition(|n| !n.elsewhere);
                let gone: Vec<&str> = gone.iter().map(|n| n.id.as_str()).collect();
                if elsewhere.is_empty() {
                    format!("{} removed: story '{title}' is gone", gone.join(", "))
                } else {
                    format!("story '{title}' is gone: its versions now belong to other stories")
                }
            }
            StoryChangeKind::Changed => {
                let mut parts = Vec::new();
                if !self.changed.is_empty() {
                    parts.push(format!("{} changed", ids(&self.changed)));
                }
                if !self.gained.is_empty() {
                    parts.push(format!("{} added", ids(&self.gained)));
                }
                let (gone, left): (Vec<VersionNote>, Vec<VersionNote>) =
                    self.lost.iter().cloned().partition(|n| !n.elsewhere);
                if !gone.is_empty() {
                    parts.push(format!("{} removed", ids(&gone)));
                }
                if !left.is_empty() {
                    parts.push(format!("{} went to another story", ids(&left)));
                }
                for m in &self.moved {
                    parts.push(format!("{} moved to {}", m.id, m.file.display()));
                }
                if parts.is_empty() {
                    if let Some(prev) = &self.previous {
                        parts.push(format!("story {prev} is now {}", self.story));
                    }
                }
                format!(
                    "{}: story '{title}' now has {} version{}",
                    parts.join(", "),
                    self.versions,
                    if self.versions == 1 { "" } else { "s" }
                )
            }
        }
    }
}

fn short_title(title: &str) -> String {
    let t = title.trim();
    if t.chars().count() <= TITLE_CHARS {
        t.to_owned()
    } else {
        let cut: String = t.chars().take(TITLE_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

impl ModelChange {
    /// Whether no story changed.
    pub fn is_empty(&self) -> bool {
        self.stories.is_empty()
    }

    /// Every story change as a sentence, in order.
    pub fn sentences(&self) -> Vec<String> {
        self.stories.iter().map(StoryChange::sentence).collect()
    }
}

/// What looking at one path again found.
enum Look {
    /// Same size and modification time as held: not read.
    Unchanged,
    /// Read, and the same bytes as held: only its metadata moved on.
    Touched {
        size: u64,
        modified: Option<SystemTime>,
    },
    /// No longer there (or no longer a file).
    Gone,
    /// Read, and new or different.
    Read(SourceFile),
    /// There, but cannot be read now (the warning says why).
    Skipped(Warning),
}

/// Where a file of the new corpus comes from.
enum Origin {
    /// The old file at this index, its bytes unchanged (maybe with new metadata).
    Kept(usize, Option<(u64, Option<SystemTime>)>),
    /// Read again: `held` is the old file at the same path, `same` an old
    /// file with the same bytes (whose articles are then reused).
    Read {
        file: SourceFile,
        held: Option<usize>,
        same: Option<usize>,
    },
}

/// A new file's old counterparts: at the same path, and with the same bytes.
struct Source {
    held: Option<usize>,
    same: Option<usize>,
}

/// Above this share of changed articles a refresh regroups everything.
const REGROUP_SHARE: usize = 4;
/// Below this many changed articles a refresh always regroups only what they touch.
const REGROUP_FEW: usize = 32;

impl Engine {
    /// Look again at `changed` (files or folders under `roots`, the paths the
    /// engine was opened on) and bring what differs in. `Ok(None)` when
    /// nothing differs from what the engine holds.
    pub fn refresh(
        &self,
        roots: &[PathBuf],
        changed: &[PathBuf],
    ) -> Result<Option<Refreshed>, LoadError> {
        let looks = self.look_again(roots, changed);
        if !self.differs(&looks) {
            return Ok(None);
        }
        let segmenter = Segmenter::new(&self.settings.segment)?;
        Ok(Some(self.rebuild(looks, &segmenter, None)))
    }

    /// [`Engine::refresh`] of an engine that is given up: the articles of
    /// the files that stay are moved into the new engine rather than
    /// copied, so that two copies of a large corpus are never held. Gives
    /// the new engine, or this one back when nothing differs (with the
    /// size and modification time of files read again and found the same).
    pub(crate) fn refresh_owned(
        mut self,
        roots: &[PathBuf],
        changed: &[PathBuf],
    ) -> Result<Result<Engine, Engine>, LoadError> {
        let looks = self.look_again(roots, changed);
        if !self.differs(&looks) {
            for (_, held, look) in looks {
                if let (Some(i), Look::Touched { size, modified }) = (held, look) {
                    self.corpus.files[i].size = size;
                    self.corpus.files[i].modified = modified;
                }
            }
            return Ok(Err(self));
        }
        let segmenter = Segmenter::new(&self.settings.segment)?;
        // Files read again are compared with their old articles, and a new
        // file with the bytes of an old one takes a copy of that one's:
        // those keep theirs.
        let read: FxHashSet<u64> = looks
            .iter()
            .filter_map(|(_, _, l)| match l {
                Look::Read(f) => Some(f.hash),
                _ => None,
            })
            .collect();
        let mut stays = vec![true; self.corpus.files.len()];
        for (_, held, look) in &looks {
            if let Some(i) = held
                && !matches!(look, Look::Unchanged | Look::Touched { .. })
            {
                stays[*i] = false;
            }
        }
        let spans = self.corpus.article_spans();
        let taken: Taken = (0..self.corpus.files.len())
            .map(|i| {
                let take = stays[i] && !read.contains(&self.corpus.files[i].hash);
                let articles = &mut self.corpus.articles[spans[i].clone()];
                Mutex::new(take.then(|| {
                    articles
                        .iter_mut()
                        .map(|a| std::mem::take(&mut a.paragraphs))
                        .collect()
                }))
            })
            .collect();
        Ok(Ok(self.rebuild(looks, &segmenter, Some(&taken)).engine))
    }

    /// Each path of `changed` looked at again, with the file it was.
    fn look_again(
        &self,
        roots: &[PathBuf],
        changed: &[PathBuf],
    ) -> Vec<(PathBuf, Option<usize>, Look)> {
        let opts = &self.settings.load;
        let old = &self.corpus;
        to_look_at(old, roots, changed, opts)
            .into_par_iter()
            .map(|p| {
                let held = find_file(old, &p);
                let look = look(&p, held.map(|i| &old.files[i]), opts);
                (p, held, look)
            })
            .collect()
    }

    /// Whether what was looked at differs from what the engine holds.
    fn differs(&self, looks: &[(PathBuf, Option<usize>, Look)]) -> bool {
        looks.iter().any(|(_, held, l)| match l {
            Look::Unchanged | Look::Touched { .. } => false,
            Look::Gone => held.is_some(),
            Look::Read(_) => true,
            Look::Skipped(w) => held.is_some() || !self.corpus.warnings.contains(w),
        })
    }

    fn rebuild(
        &self,
        mut looks: Vec<(PathBuf, Option<usize>, Look)>,
        segmenter: &Segmenter,
        taken: Option<&Taken>,
    ) -> Refreshed {
        let old = &self.corpus;
        // Warnings about files read again, gone or skipped are made afresh.
        let looked: FxHashSet<&Path> = looks
            .iter()
            .filter(|(_, _, l)| !matches!(l, Look::Unchanged | Look::Touched { .. }))
            .map(|(p, _, _)| p.as_path())
            .collect();
        let mut warnings: Vec<Warning> = old
            .warnings
            .iter()
            .filter(|w| !looked.contains(w.path.as_path()))
            .cloned()
            .collect();

        // Which old files stay, go or change, and which files are new.
        looks.sort_by(|a, b| a.0.cmp(&b.0));
        let mut updates: Vec<(PathBuf, Origin)> = Vec::new();
        let mut replaced = vec![false; old.files.len()];
        let mut gone = vec![false; old.files.len()];
        let (mut added, mut removed, mut changed) = (0, 0, 0);
        for (path, held, look) in looks {
            match look {
                Look::Unchanged => {}
                Look::Touched { size, modified } => {
                    if let Some(i) = held {
                        replaced[i] = true;
                        updates.push((path, Origin::Kept(i, Some((size, modified)))));
                    }
                }
                Look::Gone | Look::Skipped(_) => {
                    if let Look::Skipped(w) = look {
                        warnings.push(w);
                    }
                    if let Some(i) = held {
                        replaced[i] = true;
                        gone[i] = true;
                        removed += 1;
                    }
                }
                Look::Read(file) => {
                    if let Some(note) = &file.encoding_note {
                        warnings.push(Warning {
                            path: file.path.clone(),
                            message: format!("decoded as {note}"),
                        });
                    }
                    match held {
                        Some(i) => {
                            replaced[i] = true;
                            changed += 1;
                        }
                        None => added += 1,
                    }
                    let origin = Origin::Read {
                        file,
                        held,
                        same: None,
                    };
                    updates.push((path, origin));
                }
            }
        }
        if updates
            .iter()
            .any(|(_, o)| matches!(o, Origin::Read { .. }))
        {
            let by_hash: FxHashMap<u64, usize> = old
                .files
                .iter()
                .enumerate()
                .map(|(i, f)| (f.hash, i))
                .collect();
            for (_, origin) in &mut updates {
                if let Origin::Read { file, same, .. } = origin {
                    *same = by_hash.get(&file.hash).copied();
                }
            }
        }
        // The old files (sorted by path) merged with the updates (sorted too).
        let mut plan: Vec<Origin> = Vec::with_capacity(old.files.len() + updates.len());
        let mut ups = updates.into_iter().peekable();
        for (i, f) in old.files.iter().enumerate() {
            while let Some((_, origin)) = ups.next_if(|(p, _)| p.as_path() < f.path.as_path()) {
                plan.push(origin);
            }
            if !replaced[i] {
                plan.push(Origin::Kept(i, None));
            }
        }
        plan.extend(ups.map(|(_, o)| o));

        let spans = old.article_spans();
        let carry = Carry {
            old,
            spans: &spans,
            bases: std::sync::OnceLock::new(),
            taken,
        };
        let json = &self.settings.load.json_fields;
        // Files and articles, cloned or read in parallel: cloning is most of
        // a small refresh's time on a large corpus.
        let built: Vec<(SourceFile, FileArticles, Source)> = plan
            .into_par_iter()
            .map(|origin| match origin {
                Origin::Kept(i, meta) => {
                    let mut f = old.files[i].clone();
                    if let Some((size, modified)) = meta {
                        f.size = size;
                        f.modified = modified;
                    }
                    let source = Source {
                        held: Some(i),
                        same: Some(i),
                    };
                    (f, carry.articles(i), source)
                }
                Origin::Read {
                    file,
                    held,
                    same: Some(k),
                } => (
                    file,
                    carry.articles(k),
                    Source {
                        held,
                        same: Some(k),
                    },
                ),
                Origin::Read {
                    file,
                    held,
                    same: None,
                } => {
                    let found = corpus::extract(&file, segmenter, json);
                    (file, found, Source { held, same: None })
                }
            })
            .collect();
        let mut files = Vec::with_capacity(built.len());
        let mut drafts = Vec::with_capacity(built.len());
        let mut sources = Vec::with_capacity(built.len());
        for (f, d, s) in built {
            files.push(f);
            drafts.push(d);
            sources.push(s);
        }
        let mut corpus = corpus::from_extracted(files, drafts, warnings);
        let mut seen = FxHashSet::default();
        corpus
            .warnings
            .retain(|w| seen.insert((w.path.clone(), w.message.clone())));

        // Which old article each new one continues (`identity`: same place in
        // the same file, or a moved file), and which it equals (`carried`).
        let n = corpus.articles.len();
        let mut carried: Vec<Option<ArticleId>> = vec![None; n];
        let mut identity: Vec<Option<ArticleId>> = vec![None; n];
        for (a, art) in corpus.articles.iter().enumerate() {
            let source = &sources[art.file];
            let at = |i: usize| {
                let r = &spans[i];
                (art.index_in_file < r.len()).then_some(r.start + art.index_in_file)
            };
            carried[a] = source.same.and_then(at);
            // A file moved intact continues the file it came from when that
            // one is gone; a copy of a file that stays is a new version.
            identity[a] = source
                .held
                .and_then(at)
                .or_else(|| carried[a].filter(|&o| gone[old.articles[o].file]));
            if carried[a].is_none()
                && let Some(o) = identity[a]
                && old.articles[o].paragraphs == art.paragraphs
            {
                carried[a] = Some(o);
            }
        }
        let sketches: Vec<Arc<Sketch>> = corpus
            .articles
            .par_iter()
            .enumerate()
            .map(|(a, art)| match carried[a] {
                Some(o) => Arc::clone(&self.sketches[o]),
                None => Arc::new(Sketch::of_text(&art.body_text())),
            })
            .collect();

        let stories = self.regroup(&corpus, &sketches, &carried);
        let engine = Engine::assemble(self.settings.clone(), corpus, stories, sketches);
        self.carry_caches(&engine);
        let mut change = describe(self, &engine, &identity, &carried);
        change.files_added = added;
        change.files_removed = removed;
        change.files_changed = changed;
        let before: FxHashSet<(&Path, &str)> = old
            .warnings
            .iter()
            .map(|w| (w.path.as_path(), w.message.as_str()))
            .collect();
        change.warnings = engine
            .corpus
            .warnings
            .iter()
            .filter(|w| !before.contains(&(w.path.as_path(), w.message.as_str())))
            .cloned()
            .collect();
        Refreshed { engine, change }
    }

    /// The new corpus's stories: the old ones carried where nothing near them
    /// changed, the rest grouped again.
    fn regroup(
        &self,
        corpus: &Corpus,
        sketches: &[Arc<Sketch>],
        carried: &[Option<ArticleId>],
    ) -> Vec<Story> {
        let opts = &self.settings.cluster;
        let n = corpus.articles.len();
        // Each old article continues in one new article; a second copy of
        // the same text (a copied file) is grouped afresh like new text.
        let mut new_of_old: Vec<Option<ArticleId>> = vec![None; self.corpus.articles.len()];
        for (a, o) in carried.iter().enumerate() {
            if let Some(o) = o {
                new_of_old[*o].get_or_insert(a);
            }
        }
        let continues = |a: ArticleId| carried[a].filter(|&o| new_of_old[o] == Some(a));
        let fresh: Vec<ArticleId> = (0..n).filter(|&a| continues(a).is_none()).collect();
        let gone = new_of_old.iter().filter(|m| m.is_none()).count();
        if (fresh.len() + gone) * REGROUP_SHARE > n && fresh.len() + gone > REGROUP_FEW {
            return cluster::cluster_with_sketches(corpus, sketches, opts);
        }
        let mut story_of_old = vec![0usize; self.corpus.articles.len()];
        for (s, story) in self.stories.iter().enumerate() {
            for &a in &story.versions {
                story_of_old[a] = s;
            }
        }
        // Old stories to regroup: those that lost or changed an article, and
        // those holding an article that shares a shingle with new text.
        let mut touched = vec![false; self.stories.len()];
        for (o, m) in new_of_old.iter().enumerate() {
            if m.is_none() {
                touched[story_of_old[o]] = true;
            }
        }
        let shingles: FxHashSet<u32> = fresh
            .iter()
            .flat_map(|&a| sketches[a].keys().iter().copied())
            .collect();
        if !shingles.is_empty() {
            // A bit per value of a key's top 16 bits rules out nearly every
            // key before the set is asked: the scan reads every sketch.
            let mut bits = vec![0u64; 1 << 10];
            for h in &shingles {
                let k = (h >> 16) as usize;
                bits[k >> 6] |= 1 << (k & 63);
            }
            let maybe = |h: u32| {
                let k = (h >> 16) as usize;
                bits[k >> 6] & (1 << (k & 63)) != 0
            };
            let near: Vec<usize> = (0..n)
                .into_par_iter()
                .filter_map(|a| {
                    let o = continues(a)?;
                    sketches[a]
                        .keys()
                        .iter()
                        .any(|&h| maybe(h) && shingles.contains(&h))
                        .then_some(story_of_old[o])
                })
                .collect();
            for s in near {
                touched[s] = true;
            }
        }
        let mut subset: Vec<ArticleId> = fresh;
        let mut kept: Vec<Vec<ArticleId>> = Vec::new();
        for (s, story) in self.stories.iter().enumerate() {
            let members = story.versions.iter().filter_map(|&o| new_of_old[o]);
            if touched[s] {
                subset.extend(members);
            } else {
                kept.push(members.collect());
            }
        }
        subset.sort_unstable();
        let regrouped = cluster::group_articles(corpus, sketches, &subset, opts);
        let old_story: FxHashMap<ArticleId, usize> = self
            .stories
            .iter()
            .enumerate()
            .filter(|(s, _)| !touched[*s])
            .filter_map(|(s, story)| new_of_old[story.versions[0]].map(|a| (a, s)))
            .collect();
        let mut stories: Vec<Story> = kept
            .into_par_iter()
            .map(|members| {
                let s = old_story.get(&members[0]).map(|&s| &self.stories[s]);
                carry_story(corpus, sketches, members, s)
            })
            .chain(
                regrouped
                    .into_par_iter()
                    .map(|members| cluster::make_story(corpus, sketches, members)),
            )
            .collect();
        cluster::finish(&mut stories);
        stories
    }

    /// Copy the cached alignments and comparisons of stories that are still
    /// made of the same versions.
    fn carry_caches(&self, new: &Engine) {
        let live: FxHashSet<u64> = new.signatures.iter().copied().collect();
        let mut alignments = lock(&new.alignments);
        for (k, v) in lock(&self.alignments).iter() {
            if live.contains(&k.0) {
                alignments.insert(*k, Arc::clone(v));
            }
        }
        drop(alignments);
        let mut comparisons = lock(&new.comparisons);
        for (k, v) in lock(&self.comparisons).iter() {
            if live.contains(&k.0) {
                comparisons.insert(*k, Arc::clone(v));
            }
        }
    }
}

/// An old story whose versions are all unchanged, in the new corpus: its
/// versions in the new id order, its central version and title kept, and its
/// full id recomputed for [`cluster::finish`].
fn carry_story(
    corpus: &Corpus,
    sketches: &[Arc<Sketch>],
    mut members: Vec<ArticleId>,
    old: Option<&Story>,
) -> Story {
    let Some(old) = old else {
        return cluster::make_story(corpus, sketches, members);
    };
    let central_member = members.get(old.central).copied();
    members.sort_by(|&a, &b| corpus.articles[a].id.cmp(&corpus.articles[b].id));
    let central = central_member
        .and_then(|c| members.iter().position(|&m| m == c))
        .unwrap_or(0);
    Story {
        id: cluster::story_hash(&members, sketches),
        title: old.title.clone(),
        versions: members,
        central,
        spread: old.spread,
    }
}

/// The old corpus's articles, ready to be carried into the new one.
struct Carry<'a> {
    old: &'a Corpus,
    spans: &'a [Range<usize>],
    /// The old version ids' file parts, made when first needed.
    bases: std::sync::OnceLock<Vec<String>>,
    /// The paragraphs moved out of the old articles, where they were.
    taken: Option<&'a Taken>,
}

/// An old engine's paragraphs moved out of it ([`Engine::refresh_owned`]):
/// one slot a file, each article's paragraphs; `None` for a file whose
/// articles are copied.
type Taken = Vec<Mutex<Option<Vec<Vec<Paragraph>>>>>;

impl Carry<'_> {
    /// What reading old file `i` gave, as [`corpus::extract`] gives it.
    fn articles(&self, i: usize) -> FileArticles {
        let old = self.old;
        let file = &old.files[i];
        let numbered = matches!(Format::of(&file.path), Format::Text | Format::Html);
        let mut taken = self
            .taken
            .and_then(|t| lock(&t[i]).take())
            .map(Vec::into_iter);
        let articles = old.articles[self.spans[i].clone()]
            .iter()
            .map(|a| Extracted {
                draft: ArticleDraft {
                    title: a.title.clone(),
                    paragraphs: taken
                        .as_mut()
                        .and_then(Iterator::next)
                        .unwrap_or_else(|| a.paragraphs.clone()),
                    lines: a.lines,
                },
                meta: a.meta.clone(),
                suffix: if numbered {
                    (a.index_in_file > 0).then(|| (a.index_in_file + 1).to_string())
                } else {
                    self.suffix(i, &a.id)
                },
            })
            .collect::<Vec<_>>();
        // A file without articles keeps what it was told (records skipped…),
        // so no "no article" warning is added in its place.
        let warnings = if articles.is_empty() {
            old.warnings
                .iter()
                .filter(|w| w.path == file.path)
                .map(|w| w.message.clone())
                .collect()
        } else {
            Vec::new()
        };
        FileArticles { articles, warnings }
    }

    /// A record's number in its version id (`"3"` of `feed-3`): what follows
    /// the file's part and a `-`, less any `~n` added to tell clashes apart.
    fn suffix(&self, file: usize, id: &str) -> Option<String> {
        let bases = self.bases.get_or_init(|| {
            let paths: Vec<&Path> = self.old.files.iter().map(|f| f.path.as_path()).collect();
            corpus::version_ids(&paths)
        });
        let id = match id.rsplit_once('~') {
            Some((head, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => head,
            _ => id,
        };
        id.strip_prefix(bases[file].as_str())?
            .strip_prefix('-')
            .map(str::to_owned)
    }
}

/// The index of the held file at `path` (files are sorted by path).
fn find_file(corpus: &Corpus, path: &Path) -> Option<usize> {
    corpus
        .files
        .binary_search_by(|f| f.path.as_path().cmp(path))
        .ok()
}

/// The file paths to look at for the changed paths: every held file at or
/// under one, and every wanted file now under a changed folder. Paths
/// outside the roots, or inside folders the load never enters, are left out.
fn to_look_at(
    corpus: &Corpus,
    roots: &[PathBuf],
    changed: &[PathBuf],
    opts: &LoadOptions,
) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    for c in changed {
        let Some(root) = roots
            .iter()
            .filter(|r| c.starts_with(r))
            .max_by_key(|r| r.components().count())
        else {
            continue;
        };
        let inside = c.strip_prefix(root).unwrap_or(Path::new(""));
        if inside
            .components()
            .any(|part| skipped_dir(part.as_os_str(), opts))
        {
            continue;
        }
        let start = corpus
            .files
            .partition_point(|f| f.path.as_path() < c.as_path());
        out.extend(
            corpus.files[start..]
                .iter()
                .take_while(|f| f.path.starts_with(c))
                .map(|f| f.path.clone()),
        );
        match std::fs::metadata(c) {
            Ok(m) if m.is_dir() => walk(c, opts, &mut out),
            Ok(_) if c == root || load::wanted(c, opts) => {
                out.insert(c.clone());
            }
            _ => {}
        }
    }
    out
}

/// Whether the load never enters a folder of this name (hidden, or skipped).
fn skipped_dir(name: &std::ffi::OsStr, opts: &LoadOptions) -> bool {
    let name = name.to_string_lossy();
    (name.starts_with('.') && name != "." && name != "..")
        || opts.skip_dirs.iter().any(|d| *d == name)
}

/// Every wanted file under `dir`, by the load's rules.
fn walk(dir: &Path, opts: &LoadOptions, out: &mut BTreeSet<PathBuf>) {
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !e.file_type().is_dir() || !skipped_dir(e.file_name(), opts)
        });
    for entry in walker.flatten() {
        if entry.file_type().is_file() && load::wanted(entry.path(), opts) {
            out.insert(entry.into_path());
        }
    }
}

/// Look at one file again.
fn look(path: &Path, held: Option<&SourceFile>, opts: &LoadOptions) -> Look {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Look::Gone,
        Ok(m) if m.is_dir() => return Look::Gone,
        Ok(m) => {
            if let Some(h) = held
                && m.len() == h.size
                && m.modified().ok() == h.modified
                && h.modified.is_some()
            {
                return Look::Unchanged;
            }
        }
        Err(_) => {}
    }
    match load::read_file(path, opts) {
        Ok(f) => match held {
            Some(h) if h.hash == f.hash => Look::Touched {
                size: f.size,
                modified: f.modified,
            },
            _ => Look::Read(f),
        },
        Err(_) if !path.exists() => Look::Gone,
        Err(w) => Look::Skipped(w),
    }
}

/// The story-by-story difference between two engines, given which new
/// article continues which old one.
fn describe(
    old: &Engine,
    new: &Engine,
    identity: &[Option<ArticleId>],
    carried: &[Option<ArticleId>],
) -> ModelChange {
    let mut article_map: Vec<Option<ArticleId>> = vec![None; old.corpus.articles.len()];
    for (a, o) in identity.iter().enumerate() {
        if let Some(o) = o {
            article_map[*o] = Some(a);
        }
    }
    let mut new_story_of: Vec<Option<usize>> = vec![None; new.corpus.articles.len()];
    for (s, story) in new.stories.iter().enumerate() {
        for &a in &story.versions {
            new_story_of[a] = Some(s);
        }
    }
    // Pair old and new stories by the versions they share, most shared first.
    let mut shared: FxHashMap<(usize, usize), usize> = FxHashMap::default();
    for (s, story) in old.stories.iter().enumerate() {
        for &o in &story.versions {
            if let Some(n) = article_map[o].and_then(|a| new_story_of[a]) {
                *shared.entry((s, n)).or_default() += 1;
            }
        }
    }
    let mut pairs: Vec<((usize, usize), usize)> = shared.into_iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut story_map: Vec<Option<usize>> = vec![None; old.stories.len()];
    let mut old_of_new: Vec<Option<usize>> = vec![None; new.stories.len()];
    for ((o, n), _) in pairs {
        if story_map[o].is_none() && old_of_new[n].is_none() {
            story_map[o] = Some(n);
            old_of_new[n] = Some(o);
        }
    }

    let note_new = |a: ArticleId| VersionNote {
        id: new.corpus.articles[a].id.clone(),
        file: new.corpus.file_of(a).path.clone(),
        previous_file: None,
        elsewhere: false,
    };
    let note_old = |o: ArticleId| VersionNote {
        id: old.corpus.articles[o].id.clone(),
        file: old.corpus.file_of(o).path.clone(),
        previous_file: None,
        elsewhere: article_map[o].is_some(),
    };
    let mut stories = Vec::new();
    for (n, story) in new.stories.iter().enumerate() {
        let Some(o) = old_of_new[n] else {
            stories.push(StoryChange {
                kind: StoryChangeKind::Added,
                story: story.id.clone(),
                previous: None,
                title: story.title.clone(),
                versions: story.versions.len(),
                index: Some(n),
                old_index: None,
                gained: story.versions.iter().map(|&a| note_new(a)).collect(),
                lost: Vec::new(),
                changed: Vec::new(),
                moved: Vec::new(),
            });
            continue;
        };
        let was = &old.stories[o];
        let mut c = StoryChange {
            kind: StoryChangeKind::Changed,
            story: story.id.clone(),
            previous: (was.id != story.id).then(|| was.id.clone()),
            title: story.title.clone(),
            versions: story.versions.len(),
            index: Some(n),
            old_index: Some(o),
            gained: Vec::new(),
            lost: Vec::new(),
            changed: Vec::new(),
            moved: Vec::new(),
        };
        let mut continued = 0;
        for &v in &was.versions {
            match article_map[v].filter(|&a| new_story_of[a] == Some(n)) {
                Some(a) => {
                    continued += 1;
                    let (from, to) = (&old.corpus.file_of(v).path, &new.corpus.file_of(a).path);
                    if carried[a] != Some(v) {
                        c.changed.push(note_new(a));
                    } else if from != to {
                        c.moved.push(VersionNote {
                            previous_file: Some(from.clone()),
                            ..note_new(a)
                        });
                    }
                }
                None => c.lost.push(note_old(v)),
            }
        }
        if continued < story.versions.len() {
            c.gained = story
                .versions
                .iter()
                .filter(|&&a| identity[a].is_none_or(|o| !was.versions.contains(&o)))
                .map(|&a| note_new(a))
                .collect();
        }
        if !(c.gained.is_empty() && c.lost.is_empty() && c.changed.is_empty() && c.moved.is_empty())
        {
            stories.push(c);
        }
    }
    for (o, story) in old.stories.iter().enumerate() {
        if story_map[o].is_none() {
            stories.push(StoryChange {
                kind: StoryChangeKind::Removed,
                story: story.id.clone(),
                previous: None,
                title: story.title.clone(),
                versions: 0,
                index: None,
                old_index: Some(o),
                gained: Vec::new(),
                lost: story.versions.iter().map(|&v| note_old(v)).collect(),
                changed: Vec::new(),
                moved: Vec::new(),
            });
        }
    }
    ModelChange {
        stories,
        story_map,
        article_map,
        ..ModelChange::default()
    }
}
