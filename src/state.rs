//! What the user decided and storydiff remembers between runs: the canonical
//! version of each story.
//!
//! In: the state folder. Out: a [`State`] that resolves each story's mark to
//! one of its current versions. A mark names the version by id, file and a
//! hash of its body text, so it survives a renamed file and a changed story
//! id; a mark whose version is gone is kept (and reported) for when it returns.
//! The file is written atomically; a corrupt file is moved aside, never
//! silently replaced.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::engine::Engine;
use crate::fsutil::{atomic_write, remove_stale_temps};
use crate::model::VersionIx;

const FILE_NAME: &str = "state.toml";
/// Temporary files older than this are left over from a crash, not being written.
const STALE_TEMP: std::time::Duration = std::time::Duration::from_secs(3600);

/// A failure to read or write the state file.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("cannot read the state file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "cannot write the state file {path}: {source} (check that the folder is writable, or pass --state-dir)"
    )]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// One story's canonical version, as the user marked it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CanonicalMark {
    /// The version id when it was marked.
    pub version: String,
    /// The file that held it.
    pub file: String,
    /// Hash of the version's body text, to find it again under another name.
    pub body_hash: String,
}

/// Everything storydiff remembers between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// Canonical marks by story id.
    #[serde(default)]
    pub canonical: BTreeMap<String, CanonicalMark>,
}

/// The state as loaded, with anything the user must be told.
#[derive(Debug)]
pub struct Loaded {
    pub state: State,
    /// Set when a corrupt state file was moved aside: says where.
    pub notice: Option<String>,
}

/// Where the state lives by default: the platform's data folder.
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "storydiff").map(|d| d.data_dir().to_path_buf())
}

pub fn file_in(dir: &Path) -> PathBuf {
    dir.join(FILE_NAME)
}

impl State {
    /// Read the state from `dir`. A missing file is an empty state; a file that
    /// cannot be read or does not parse is renamed to
    /// `state.toml.corrupt-<unix time>` (never over an earlier one) and
    /// reported, so that the next save cannot write over marks that might
    /// still be recovered from it.
    pub fn load(dir: &Path) -> Result<Loaded, StateError> {
        let path = file_in(dir);
        let problem = match std::fs::read(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Loaded {
                    state: State::default(),
                    notice: None,
                });
            }
            Err(e) => e.to_string(),
            Ok(bytes) => match std::str::from_utf8(&bytes) {
                Err(e) => format!("not UTF-8 text: {e}"),
                Ok(text) => match toml::from_str::<State>(text) {
                    Ok(state) => {
                        return Ok(Loaded {
                            state,
                            notice: None,
                        });
                    }
                    Err(err) => err.message().to_owned(),
                },
            },
        };
        let aside = move_aside(dir, &path).map_err(|source| StateError::Read {
            path: path.clone(),
            source,
        })?;
        Ok(Loaded {
            state: State::default(),
            notice: Some(format!(
                "the state file {} could not be read ({problem}); it was moved to {} and storydiff starts with no canonical marks",
                path.display(),
                aside.display()
            )),
        })
    }

    /// Write the state to `dir` atomically, creating the folder if needed.
    pub fn save(&self, dir: &Path) -> Result<(), StateError> {
        let path = file_in(dir);
        let write = |source| StateError::Write {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(write)?;
        let text = toml::to_string_pretty(self)
            .map_err(|e| write(std::io::Error::other(e.to_string())))?;
        atomic_write(&path, text.as_bytes()).map_err(write)?;
        // A crash between writing and renaming leaves a temporary file behind.
        remove_stale_temps(&path, STALE_TEMP);
        Ok(())
    }

    /// The canonical version of `story`, if one is marked and present.
    pub fn canonical(&self, engine: &Engine, story: usize) -> Option<VersionIx> {
        let (_, mark) = self.mark_for(engine, story)?;
        find_marked(engine, story, mark)
    }

    /// The mark that belongs to `story` (by its id, or by a marked body it holds)
    /// and the key it is stored under.
    pub fn mark_for(&self, engine: &Engine, story: usize) -> Option<(&str, &CanonicalMark)> {
        let s = engine.story(story);
        if let Some((k, m)) = self.canonical.get_key_value(&s.id) {
            return Some((k.as_str(), m));
        }
        let hashes: Vec<String> = (0..s.versions.len())
            .map(|v| body_hash(engine, story, v))
            .collect();
        self.canonical
            .iter()
            .find(|(_, m)| hashes.contains(&m.body_hash))
            .map(|(k, m)| (k.as_str(), m))
    }

    /// Marks whose story or version is not in the corpus now, as one line each.
    pub fn missing(&self, engine: &Engine) -> Vec<String> {
        let mut found = vec![false; self.canonical.len()];
        for story in 0..engine.stories().len() {
            if let Some((key, mark)) = self.mark_for(engine, story)
                && find_marked(engine, story, mark).is_some()
                && let Some(i) = self.canonical.keys().position(|k| k == key)
            {
                found[i] = true;
            }
        }
        self.canonical
            .iter()
            .zip(found)
            .filter(|(_, f)| !f)
            .map(|((story, m), _)| {
                format!(
                    "canonical version {} ({}) of story {story} is not in the corpus now; the mark is kept",
                    m.version, m.file
                )
            })
            .collect()
    }

    /// Mark `v` as the canonical version of `story`, or clear the mark when it
    /// already is. Returns whether the version is now canonical.
    pub fn toggle(&mut self, engine: &Engine, story: usize, v: VersionIx) -> bool {
        let current = self.canonical(engine, story);
        let key = self
            .mark_for(engine, story)
            .map(|(k, _)| k.to_owned())
            .unwrap_or_else(|| engine.story(story).id.clone());
        self.canonical.remove(&key);
        if current == Some(v) {
            return false;
        }
        let a = engine.version(story, v);
        self.canonical.insert(
            engine.story(story).id.clone(),
            CanonicalMark {
                version: a.id.clone(),
                file: engine.version_path(story, v).to_string_lossy().into_owned(),
                body_hash: body_hash(engine, story, v),
            },
        );
        true
    }
}

/// Rename an unreadable state file to a free `state.toml.corrupt-<time>[-n]` name.
fn move_aside(dir: &Path, path: &Path) -> std::io::Result<PathBuf> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut aside = dir.join(format!("{FILE_NAME}.corrupt-{stamp}"));
    let mut n = 1;
    while aside.symlink_metadata().is_ok() {
        n += 1;
        aside = dir.join(format!("{FILE_NAME}.corrupt-{stamp}-{n}"));
    }
    std::fs::rename(path, &aside)?;
    Ok(aside)
}

fn find_marked(engine: &Engine, story: usize, mark: &CanonicalMark) -> Option<VersionIx> {
    let n = engine.story(story).versions.len();
    (0..n)
        .find(|&v| body_hash(engine, story, v) == mark.body_hash)
        .or_else(|| (0..n).find(|&v| engine.version(story, v).id == mark.version))
}

fn body_hash(engine: &Engine, story: usize, v: VersionIx) -> String {
    format!(
        "{:016x}",
        crate::text::hash_str(&engine.version(story, v).body_text())
    )
}
