//! Reopening a folder without reading it all again: the model kept on disk.
//!
//! In: the paths a folder was opened on, the [`Settings`], and the
//! [`Engine`] made of them. Out, on a later open of the same paths with
//! the same settings and build: that engine again, brought up to date by
//! [`Engine::refresh`], which looks at every file's size and modification
//! time and reads only the files that changed, were added or went away.
//! Reading, segmenting, sketching and grouping a large folder takes
//! seconds; looking at its files takes a tenth of that.
//!
//! The store is one [redb] database, `model.redb` in the cache folder.
//! Each set of opened paths, under one build and one set of settings that
//! shape the model, has a key, and two tables under it: its files (path →
//! the file's size, modification time and content hash, its articles and
//! their sketches) and its model (the stories, the warnings, the files in
//! the corpus's order). A third table says when each key's model was last
//! written: only the [`KEEP`] most recent stay, and models another build
//! made are dropped. Records are [postcard]-encoded; a file's record is
//! compressed with LZ4 (`lz4_flex`), which halves its text for a few
//! percent of the time to keep or read it. A write is one transaction: a
//! crash leaves the previous model whole.
//!
//! The cache is never needed: a store that cannot be opened (another
//! storydiff holds it), or a record that cannot be decoded, only means the
//! folder is read in full, and a damaged database file is replaced when the
//! model is next kept.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use rayon::prelude::*;
use redb::{ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::cluster::Sketch;
use crate::corpus::LoadError;
use crate::engine::{Engine, Settings};
use crate::model::{Article, Corpus, SourceFile, Story, Warning};

/// The environment variable naming the folder the cache is kept in.
pub const ENV_VAR: &str = "STORYDIFF_CACHE_DIR";

/// The database's file name in the cache folder.
pub const FILE_NAME: &str = "model.redb";

/// Sets of opened paths whose models are kept; the least recently written
/// beyond this are dropped when another is kept.
pub const KEEP: usize = 4;

/// Bumped when a record's layout changes; part of every key.
const FORMAT: u32 = 1;

/// This build's identity (a hash of its sources, from `build.rs`): every
/// key starts with it, so that no build reads a model another one made.
const BUILD: &str = env!("STORYDIFF_BUILD_ID");

/// A file modified this close to when its record was taken may have been
/// written again within the same tick of the filesystem's clock, keeping
/// its size and time: its bytes are hashed again on reopening.
const RACY: Duration = Duration::from_secs(2);

/// Memory redb may use for its page cache: the records are read once each.
const DB_CACHE_BYTES: usize = 4 << 20;

const USED: TableDefinition<&str, u64> = TableDefinition::new("used");

/// Files encoded or decoded at a time.
const CHUNK: usize = 128;

/// The one record of a model table.
const MODEL_RECORD: &str = "model";

/// What went wrong with the cache. Never the end of a load: the caller
/// reads the folder in full, and may say why.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cache {}: {source}", .path.display())]
    Store { path: PathBuf, source: redb::Error },
    #[error("cache {}: a record could not be read or written ({message})", .path.display())]
    Record { path: PathBuf, message: String },
    #[error("cache {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cache: {} is not valid UTF-8, so this folder's model cannot be kept", .0.display())]
    Path(PathBuf),
}

impl CacheError {
    /// Whether the user needs to hear of it. Not when another storydiff
    /// has the store open (the cache is only skipped for this run), nor
    /// for a file name that is not UTF-8 (such a folder is never kept; see
    /// docs/cache.md): nothing is wrong, and nothing can be done.
    pub fn worth_telling(&self) -> bool {
        !matches!(
            self,
            CacheError::Store {
                source: redb::Error::DatabaseAlreadyOpen,
                ..
            } | CacheError::Path(_)
        )
    }
}

/// Where the cache lives.
#[derive(Debug, Clone)]
pub struct Cache {
    file: PathBuf,
}

/// How an [`Cache::open`] came by its engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reuse {
    /// Nothing kept for these paths: every file was read.
    None,
    /// The kept model, every file as it was.
    Kept,
    /// The kept model, with the files that changed read again.
    Refreshed,
}

/// An engine opened through the cache, and what the cache held for its
/// paths, for [`Cache::keep`].
pub struct Opened {
    pub engine: Engine,
    pub reuse: Reuse,
    /// Why the kept model could not be used, when it could not.
    pub problem: Option<CacheError>,
    pub held: Held,
}

impl Opened {
    /// Whether the engine differs from what the cache holds: a model read
    /// afresh or refreshed, or files found the same but with a new
    /// modification time (one kept without its time, say: see [`RACY`]).
    pub fn needs_keeping(&self) -> bool {
        self.reuse != Reuse::Kept
            || self
                .engine
                .corpus()
                .files
                .iter()
                .any(|f| self.held.files.get(&f.path) != Some(&Stamp::of(f)))
    }
}

/// What the cache held for a set of paths when it was opened (each file's
/// stamp, so that keeping the model again writes only what changed), and
/// when the open began.
#[derive(Debug, Clone)]
pub struct Held {
    files: Stamps,
    looked: SystemTime,
}

/// Each file's [`Stamp`], by path.
type Stamps = FxHashMap<PathBuf, Stamp>;

/// What tells one state of a file from another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    size: u64,
    modified: Option<SystemTime>,
    hash: u64,
}

impl Stamp {
    fn of(f: &SourceFile) -> Stamp {
        Stamp {
            size: f.size,
            modified: f.modified,
            hash: f.hash,
        }
    }
}

/// A file's record: the file as read (without its text), its articles and
/// their sketches, in the file's order.
#[derive(Deserialize)]
struct FileRecord {
    file: SourceFile,
    articles: Vec<Article>,
    sketches: Vec<Sketch>,
}

/// A [`FileRecord`] as written, borrowing from the engine.
#[derive(Serialize)]
struct FileRecordOut<'a> {
    file: &'a SourceFile,
    articles: &'a [Article],
    sketches: Vec<&'a Sketch>,
}

/// A key's model record.
#[derive(Serialize, Deserialize)]
struct ModelRecord {
    /// The files' paths, in the corpus's order.
    order: Vec<String>,
    stories: Vec<Story>,
    warnings: Vec<Warning>,
}

impl Cache {
    /// The cache in `dir`.
    pub fn in_dir(dir: &Path) -> Cache {
        Cache {
            file: dir.join(FILE_NAME),
        }
    }

    /// The cache in `$STORYDIFF_CACHE_DIR`, else in the platform's cache
    /// folder (`~/.cache/storydiff` on Linux); `None` when there is none.
    pub fn default_place() -> Option<Cache> {
        let dir = match std::env::var_os(ENV_VAR) {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => directories::ProjectDirs::from("", "", "storydiff")?
                .cache_dir()
                .to_path_buf(),
        };
        Some(Cache::in_dir(&dir))
    }

    /// The database file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Open `paths` as [`Engine::open`] does, starting from the model kept
    /// for them when there is one. Only the load itself can fail; a cache
    /// that cannot be used is reported in [`Opened::problem`].
    pub fn open(&self, paths: &[PathBuf], settings: Settings) -> Result<Opened, LoadError> {
        self.open_telling(paths, settings, |_| {})
    }

    /// [`Cache::open`], calling `grouping` with the articles read when
    /// every file had to be read, before they are grouped (the slow part,
    /// for a progress line).
    pub fn open_telling(
        &self,
        paths: &[PathBuf],
        settings: Settings,
        grouping: impl FnOnce(&Corpus),
    ) -> Result<Opened, LoadError> {
        let looked = SystemTime::now();
        let (kept, problem) = match self.read(&key(paths, &settings), &settings) {
            Ok(kept) => (kept, None),
            Err(problem) => (None, Some(problem)),
        };
        let Some((engine, files)) = kept else {
            return Ok(Opened {
                engine: Engine::open_telling(paths, settings, grouping)?,
                reuse: Reuse::None,
                problem,
                held: Held {
                    files: FxHashMap::default(),
                    looked,
                },
            });
        };
        let held = Held { files, looked };
        let (engine, reuse) = match engine.refresh_owned(paths, paths)? {
            Err(kept) => (kept, Reuse::Kept),
            Ok(refreshed) => (refreshed, Reuse::Refreshed),
        };
        Ok(Opened {
            engine,
            reuse,
            problem: None,
            held,
        })
    }

    /// Keep `engine`, opened on `paths`, for the next open: the records of
    /// files that differ from what was `held` are written, those of files
    /// gone are removed, and the model is replaced, in one transaction.
    /// Models made by other builds, and the least recently kept beyond
    /// [`KEEP`], are dropped.
    pub fn keep(&self, paths: &[PathBuf], engine: &Engine, held: &Held) -> Result<(), CacheError> {
        self.keep_unless(paths, engine, held, &AtomicBool::new(false))
            .map(|_| ())
    }

    /// [`Cache::keep`], given up as soon as `stop` is set (a program about
    /// to end): the write is abandoned and the store closed as it was.
    /// Whether the model was kept.
    pub fn keep_unless(
        &self,
        paths: &[PathBuf],
        engine: &Engine,
        held: &Held,
        stop: &AtomicBool,
    ) -> Result<bool, CacheError> {
        let key = key(paths, engine.settings());
        let corpus = engine.corpus();
        let mut order = Vec::with_capacity(corpus.files.len());
        for f in &corpus.files {
            let path = f
                .path
                .to_str()
                .ok_or_else(|| CacheError::Path(f.path.clone()))?;
            order.push(path.to_owned());
        }
        let spans = corpus.article_spans();
        let racy_after = held.looked.checked_sub(RACY);
        let changed: Vec<(usize, SourceFile)> = corpus
            .files
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                // A file modified as it was looked at may be written again
                // within the same tick of the filesystem's clock, keeping
                // its size and time: without a time, it is hashed again on
                // reopening.
                let modified = f.modified.filter(|&m| racy_after.is_some_and(|t| m < t));
                let stamp = Stamp {
                    size: f.size,
                    modified,
                    hash: f.hash,
                };
                (held.files.get(&f.path) != Some(&stamp)).then(|| {
                    let file = SourceFile {
                        modified,
                        ..f.clone()
                    };
                    (i, file)
                })
            })
            .collect();

        let mut db = self.create()?;
        let tx = db.begin_write().map_err(|e| self.store_error(e))?;
        let dropped = {
            let files_name = files_table(&key);
            let mut files = tx
                .open_table(TableDefinition::<&str, &[u8]>::new(&files_name))
                .map_err(|e| self.store_error(e))?;
            // Encoded in parallel a chunk at a time, so that only a chunk's
            // bytes are held beside the model.
            for chunk in changed.chunks(CHUNK) {
                if stop.load(Ordering::Relaxed) {
                    // Dropping an uncommitted transaction abandons it.
                    return Ok(false);
                }
                let encoded: Vec<(usize, Vec<u8>)> = chunk
                    .par_iter()
                    .map(|(i, file)| {
                        let span = spans[*i].clone();
                        let rec = FileRecordOut {
                            file,
                            articles: &corpus.articles[span.clone()],
                            sketches: span.map(|a| engine.sketch(a)).collect(),
                        };
                        postcard::to_stdvec(&rec)
                            .map(|bytes| (*i, lz4_flex::compress_prepend_size(&bytes)))
                    })
                    .collect::<Result<_, _>>()
                    .map_err(|e| self.record_error(e))?;
                for (i, bytes) in encoded {
                    files
                        .insert(order[i].as_str(), bytes.as_slice())
                        .map_err(|e| self.store_error(e))?;
                }
            }
            let now: FxHashSet<&str> = order.iter().map(String::as_str).collect();
            for gone in held.files.keys() {
                if let Some(p) = gone.to_str().filter(|p| !now.contains(p)) {
                    files.remove(p).map_err(|e| self.store_error(e))?;
                }
            }
            let model_name = model_table(&key);
            let mut model = tx
                .open_table(TableDefinition::<&str, &[u8]>::new(&model_name))
                .map_err(|e| self.store_error(e))?;
            let rec = ModelRecord {
                order,
                stories: engine.stories().to_vec(),
                warnings: corpus.warnings.clone(),
            };
            let bytes = postcard::to_stdvec(&rec).map_err(|e| self.record_error(e))?;
            model
                .insert(MODEL_RECORD, bytes.as_slice())
                .map_err(|e| self.store_error(e))?;
            drop_old(&tx, &key).map_err(|e| self.store_error(e))?
        };
        tx.commit().map_err(|e| self.store_error(e))?;
        // Dropped models leave free pages that the file would keep.
        if dropped && !stop.load(Ordering::Relaxed) {
            db.compact(redb::CompactionMode::Balanced)
                .map_err(|e| self.store_error(e))?;
        }
        Ok(true)
    }

    /// The model kept under `key`, as an engine, with each file's stamp;
    /// `None` when there is none (or no database yet).
    fn read(&self, key: &str, settings: &Settings) -> Result<Option<(Engine, Stamps)>, CacheError> {
        if !self.file.exists() {
            return Ok(None);
        }
        let db = redb::Database::builder()
            .set_cache_size(DB_CACHE_BYTES)
            .open_read_only(&self.file)
            .map_err(|e| self.store_error(e))?;
        let tx = db.begin_read().map_err(|e| self.store_error(e))?;
        let model_name = model_table(key);
        let model = match tx.open_table(TableDefinition::<&str, &[u8]>::new(&model_name)) {
            Ok(t) => t,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(e) => return Err(self.store_error(e)),
        };
        let Some(bytes) = model.get(MODEL_RECORD).map_err(|e| self.store_error(e))? else {
            return Ok(None);
        };
        let model: ModelRecord =
            postcard::from_bytes(bytes.value()).map_err(|e| self.record_error(e))?;
        let files_name = files_table(key);
        let files = tx
            .open_table(TableDefinition::<&str, &[u8]>::new(&files_name))
            .map_err(|e| self.store_error(e))?;
        if files.len().map_err(|e| self.store_error(e))? != model.order.len() as u64 {
            return Err(self.record_error("its files and its model disagree"));
        }
        let mut corpus = Corpus {
            files: Vec::with_capacity(model.order.len()),
            articles: Vec::new(),
            warnings: model.warnings,
        };
        let mut sketches = Vec::new();
        let mut held = FxHashMap::default();
        for chunk in model.order.chunks(CHUNK) {
            // The bytes are copied out a chunk at a time and decoded in
            // parallel: decoding is most of a reopening's time.
            let mut raw = Vec::with_capacity(chunk.len());
            for path in chunk {
                let Some(bytes) = files.get(path.as_str()).map_err(|e| self.store_error(e))? else {
                    return Err(self.record_error(format!("no record for {path}")));
                };
                raw.push(bytes.value().to_vec());
            }
            let decoded: Vec<FileRecord> = raw
                .par_iter()
                .map(|packed| {
                    let bytes =
                        lz4_flex::decompress_size_prepended(packed).map_err(|e| e.to_string())?;
                    postcard::from_bytes(&bytes).map_err(|e| e.to_string())
                })
                .collect::<Result<_, String>>()
                .map_err(|e| self.record_error(e))?;
            for (rec, path) in decoded.into_iter().zip(chunk) {
                if rec.articles.len() != rec.sketches.len() || rec.file.path != Path::new(path) {
                    return Err(
                        self.record_error(format!("the record for {path} does not hold together"))
                    );
                }
                let i = corpus.files.len();
                held.insert(rec.file.path.clone(), Stamp::of(&rec.file));
                corpus.files.push(rec.file);
                corpus
                    .articles
                    .extend(rec.articles.into_iter().map(|a| Article { file: i, ..a }));
                sketches.extend(rec.sketches);
            }
        }
        let articles = corpus.articles.len();
        if model
            .stories
            .iter()
            .flat_map(|s| &s.versions)
            .any(|&a| a >= articles)
        {
            return Err(self.record_error("a story names an article that is not there"));
        }
        let engine = Engine::from_kept(settings.clone(), corpus, model.stories, sketches);
        Ok(Some((engine, held)))
    }

    fn store_error(&self, source: impl Into<redb::Error>) -> CacheError {
        CacheError::Store {
            path: self.file.clone(),
            source: source.into(),
        }
    }

    fn record_error(&self, message: impl std::fmt::Display) -> CacheError {
        CacheError::Record {
            path: self.file.clone(),
            message: message.to_string(),
        }
    }

    /// The database, made (with its folder) if need be; a file that is not
    /// a database storydiff can open for writing is replaced.
    fn create(&self) -> Result<redb::Database, CacheError> {
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir).map_err(|source| CacheError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let open = || {
            redb::Database::builder()
                .set_cache_size(DB_CACHE_BYTES)
                .create(&self.file)
        };
        match open() {
            Ok(db) => Ok(db),
            // Only a file redb cannot make sense of is replaced: one held
            // open by another storydiff, or not writable, stays as it is.
            Err(e) if damaged(&e) => {
                std::fs::remove_file(&self.file).map_err(|_| self.store_error(e))?;
                open().map_err(|e| self.store_error(e))
            }
            Err(e) => Err(self.store_error(e)),
        }
    }
}

/// The key of a set of paths opened under `settings` by this build: the
/// paths as given (the corpus's paths are spelled from them) and as
/// resolved, the settings that shape the model, and the build, hashed.
fn key(paths: &[PathBuf], settings: &Settings) -> String {
    let mut text = format!(
        "{FORMAT}\n{}\n{:?}\n{:?}\n{:?}\n",
        env!("CARGO_PKG_VERSION"),
        settings.load,
        settings.segment,
        settings.cluster
    );
    if let Ok(cwd) = std::env::current_dir() {
        text.push_str(&cwd.to_string_lossy());
        text.push('\n');
    }
    for p in paths {
        text.push_str(&p.to_string_lossy());
        text.push('\0');
        if let Ok(resolved) = std::fs::canonicalize(p) {
            text.push_str(&resolved.to_string_lossy());
        }
        text.push('\n');
    }
    format!(
        "{BUILD}-{:016x}",
        crate::corpus::load::hash_bytes(text.as_bytes())
    )
}

/// Drop, in `tx`, the models other builds made and the least recently
/// kept beyond [`KEEP`], and mark `key` as kept now. Whether any was dropped.
fn drop_old(tx: &redb::WriteTransaction, key: &str) -> Result<bool, redb::Error> {
    let mut used = tx.open_table(USED)?;
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    used.insert(key, now)?;
    let mut mine: Vec<(u64, String)> = Vec::new();
    let mut old: Vec<String> = Vec::new();
    for entry in used.iter()? {
        let (k, v) = entry?;
        let k = k.value().to_owned();
        if k.starts_with(BUILD) {
            mine.push((v.value(), k));
        } else {
            old.push(k);
        }
    }
    mine.sort_unstable_by(|a, b| b.cmp(a));
    old.extend(mine.into_iter().skip(KEEP).map(|(_, k)| k));
    for k in &old {
        used.remove(k.as_str())?;
        for name in [files_table(k), model_table(k)] {
            tx.delete_table(TableDefinition::<&str, &[u8]>::new(&name))?;
        }
    }
    Ok(!old.is_empty())
}

/// Whether redb could not open a file because of what is in it.
fn damaged(e: &redb::DatabaseError) -> bool {
    match e {
        redb::DatabaseError::Storage(redb::StorageError::Corrupted(_))
        | redb::DatabaseError::UpgradeRequired(_) => true,
        redb::DatabaseError::Storage(redb::StorageError::Io(io)) => {
            io.kind() == std::io::ErrorKind::InvalidData
        }
        _ => false,
    }
}

fn files_table(key: &str) -> String {
    format!("files-{key}")
}

fn model_table(key: &str) -> String {
    format!("model-{key}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A copy of the sample corpus, and an empty cache beside it.
    struct Fixture {
        corpus: tempfile::TempDir,
        _store: tempfile::TempDir,
        cache: Cache,
        paths: Vec<PathBuf>,
        settings: Settings,
    }

    fn fixture() -> Fixture {
        let corpus = tempfile::tempdir().unwrap();
        crate::sample::write_to(corpus.path()).unwrap();
        let store = tempfile::tempdir().unwrap();
        Fixture {
            cache: Cache::in_dir(store.path()),
            paths: vec![corpus.path().to_path_buf()],
            corpus,
            _store: store,
            settings: Settings::default(),
        }
    }

    impl Fixture {
        fn dir(&self) -> &Path {
            self.corpus.path()
        }

        fn open(&self) -> Opened {
            self.cache.open(&self.paths, self.settings.clone()).unwrap()
        }

        /// Open through the cache and keep the model; gives how it was opened.
        fn open_and_keep(&self) -> (Engine, Reuse) {
            open_and_keep(&self.cache, &self.paths, &self.settings)
        }

        /// The folder read afresh, without the cache.
        fn fresh(&self) -> Engine {
            Engine::open(&self.paths, self.settings.clone()).unwrap()
        }

        /// Reopen after a change: the model is refreshed into what a fresh
        /// read gives, and kept so.
        fn assert_refreshed_as_fresh(&self) {
            let (engine, reuse) = self.open_and_keep();
            assert_eq!(reuse, Reuse::Refreshed);
            assert_eq!(model(&engine), model(&self.fresh()));
            let (again, reuse) = self.open_and_keep();
            assert_eq!(reuse, Reuse::Kept);
            assert_eq!(model(&again), model(&engine));
        }

        /// Set every file's modification time.
        fn set_times(&self, t: SystemTime) {
            for entry in std::fs::read_dir(self.dir()).unwrap() {
                set_time(&entry.unwrap().path(), t);
            }
        }
    }

    fn set_time(path: &Path, t: SystemTime) {
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(t).unwrap();
    }

    /// What a model is made of, to compare two engines.
    fn model(engine: &Engine) -> Vec<(String, Vec<String>)> {
        engine
            .stories()
            .iter()
            .map(|s| {
                let versions = s
                    .versions
                    .iter()
                    .map(|&a| {
                        let article = &engine.corpus().articles[a];
                        format!("{} {}", article.id, article.body_text())
                    })
                    .collect();
                (s.id.clone(), versions)
            })
            .collect()
    }

    /// Open `paths` through `cache` and keep the model; gives how it was opened.
    fn open_and_keep(cache: &Cache, paths: &[PathBuf], settings: &Settings) -> (Engine, Reuse) {
        let opened = cache.open(paths, settings.clone()).unwrap();
        assert!(opened.problem.is_none(), "{:?}", opened.problem);
        cache.keep(paths, &opened.engine, &opened.held).unwrap();
        (opened.engine, opened.reuse)
    }

    #[test]
    fn a_reopened_folder_is_the_folder_read_afresh() {
        let f = fixture();
        let fresh = f.fresh();
        let (first, reuse) = f.open_and_keep();
        assert_eq!(reuse, Reuse::None);
        assert!(f.cache.file().exists());
        let (again, reuse) = f.open_and_keep();
        assert_eq!(reuse, Reuse::Kept);
        for engine in [&first, &again] {
            assert_eq!(model(engine), model(&fresh));
            assert_eq!(engine.corpus().warnings, fresh.corpus().warnings);
            for (a, b) in engine.corpus().files.iter().zip(&fresh.corpus().files) {
                assert_eq!((&a.path, a.size, a.hash), (&b.path, b.size, b.hash));
            }
            for a in 0..fresh.corpus().articles.len() {
                assert_eq!(engine.sketch(a).keys(), fresh.sketch(a).keys());
                assert_eq!(
                    engine.corpus().articles[a].file,
                    fresh.corpus().articles[a].file
                );
            }
        }
    }

    #[test]
    fn files_changed_added_or_gone_are_read_again() {
        let f = fixture();
        f.open_and_keep();
        let changed = f.dir().join("001_3b13e1d28c208596.txt");
        let mut text = std::fs::read_to_string(&changed).unwrap();
        text.push_str("\n\nA paragraph added after the model was kept, long enough to count.\n");
        std::fs::write(&changed, text).unwrap();
        std::fs::remove_file(f.dir().join("003_e6c2c4d9a5885b82.txt")).unwrap();
        std::fs::write(
            f.dir().join("new.txt"),
            "A new story\n\nIts only paragraph, about something else entirely.\n",
        )
        .unwrap();
        f.assert_refreshed_as_fresh();
    }

    #[test]
    fn a_file_copied_or_moved_between_runs_is_seen() {
        let f = fixture();
        f.open_and_keep();
        let dir = f.dir();
        std::fs::copy(dir.join("000_66b60800ac77cf39.txt"), dir.join("copy.txt")).unwrap();
        std::fs::rename(dir.join("002_dcca5060c2c40b0f.txt"), dir.join("moved.txt")).unwrap();
        f.assert_refreshed_as_fresh();
    }

    #[test]
    fn a_file_rewritten_at_once_with_its_size_and_time_is_read_again() {
        let f = fixture();
        let path = f.dir().join("002_dcca5060c2c40b0f.txt");
        // Written just before the open: the same tick of a coarse clock.
        set_time(&path, SystemTime::now());
        let stamp = std::fs::metadata(&path).unwrap().modified().unwrap();
        f.open_and_keep();

        let text = std::fs::read_to_string(&path).unwrap();
        let swapped = text.replacen("Iran", "Irak", 1);
        assert_eq!(swapped.len(), text.len());
        std::fs::write(&path, &swapped).unwrap();
        set_time(&path, stamp);
        f.assert_refreshed_as_fresh();
    }

    #[test]
    fn a_file_kept_without_its_time_gets_it_back_once_it_is_old_enough() {
        let f = fixture();
        // Every file was just written: all are kept without their time.
        f.open_and_keep();
        f.set_times(SystemTime::now() - Duration::from_secs(3600));
        let opened = f.open();
        assert_eq!(opened.reuse, Reuse::Kept);
        assert!(
            opened.needs_keeping(),
            "the files' times are worth keeping now"
        );
        f.cache
            .keep(&f.paths, &opened.engine, &opened.held)
            .unwrap();
        let opened = f.open();
        assert_eq!(opened.reuse, Reuse::Kept);
        assert!(!opened.needs_keeping());
    }

    #[test]
    fn other_settings_or_paths_do_not_share_a_model() {
        let f = fixture();
        f.open_and_keep();
        let mut stricter = f.settings.clone();
        stricter.cluster.threshold = 0.5;
        assert_eq!(open_and_keep(&f.cache, &f.paths, &stricter).1, Reuse::None);
        let one = vec![f.dir().join("000_66b60800ac77cf39.txt")];
        assert_eq!(open_and_keep(&f.cache, &one, &f.settings).1, Reuse::None);
        assert_eq!(f.open_and_keep().1, Reuse::Kept);
    }

    #[test]
    fn only_the_most_recent_models_are_kept() {
        let f = fixture();
        let folders: Vec<tempfile::TempDir> = (0..=KEEP)
            .map(|i| {
                let dir = tempfile::tempdir().unwrap();
                std::fs::write(
                    dir.path().join("a.txt"),
                    format!("Story {i}\n\nThe one paragraph of folder number {i}.\n"),
                )
                .unwrap();
                dir
            })
            .collect();
        let paths = |dir: &tempfile::TempDir| vec![dir.path().to_path_buf()];
        for dir in &folders {
            open_and_keep(&f.cache, &paths(dir), &f.settings);
        }
        let reuse = |dir| f.cache.open(&paths(dir), f.settings.clone()).unwrap().reuse;
        assert_eq!(reuse(&folders[0]), Reuse::None);
        for dir in &folders[1..] {
            assert_eq!(reuse(dir), Reuse::Kept);
        }
    }

    #[test]
    fn a_keep_stopped_halfway_leaves_the_store_as_it_was() {
        let f = fixture();
        let opened = f.open();
        let stop = AtomicBool::new(true);
        let kept = f
            .cache
            .keep_unless(&f.paths, &opened.engine, &opened.held, &stop);
        assert!(!kept.unwrap());
        // The store opens cleanly, without the model.
        assert_eq!(f.open_and_keep().1, Reuse::None);
        assert_eq!(f.open_and_keep().1, Reuse::Kept);
    }

    #[test]
    fn a_damaged_store_is_read_around_then_replaced() {
        let f = fixture();
        std::fs::write(f.cache.file(), b"not a database at all, only some bytes").unwrap();
        let opened = f.open();
        assert_eq!(opened.reuse, Reuse::None);
        let problem = opened.problem.as_ref().expect("the damage is told");
        assert!(problem.worth_telling());
        assert!(problem.to_string().contains("model.redb"), "{problem}");
        assert_eq!(model(&opened.engine), model(&f.fresh()));

        f.cache
            .keep(&f.paths, &opened.engine, &opened.held)
            .unwrap();
        assert_eq!(f.open_and_keep().1, Reuse::Kept);
    }

    #[test]
    fn a_store_held_by_another_storydiff_is_skipped_quietly() {
        let f = fixture();
        f.open_and_keep();
        let held = redb::Database::create(f.cache.file()).unwrap();
        let opened = f.open();
        assert_eq!(opened.reuse, Reuse::None);
        let problem = opened.problem.as_ref().expect("the store was busy");
        assert!(!problem.worth_telling(), "{problem}");
        let kept = f.cache.keep(&f.paths, &opened.engine, &opened.held);
        assert!(kept.is_err_and(|e| !e.worth_telling()));
        drop(held);
        assert_eq!(f.open_and_keep().1, Reuse::Kept);
    }
}
