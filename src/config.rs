//! The configuration file → the options of every stage and front.
//!
//! In: where to look ([`locate`]: `--config PATH`, else the
//! `STORYDIFF_CONFIG` environment variable, else `config.toml` in the
//! platform's config folder) and the file's TOML text. Out: a [`Config`]
//! (the built-in defaults with the keys the user set laid over them) with
//! [`Warning`]s for keys it does not know, each naming the nearest known
//! key; or one [`ConfigError`] with file, line and column for a value it
//! cannot use, so that a bad file never half-applies.
//!
//! The built-in defaults are `config.example.toml` at the top of the
//! repository, embedded as [`DEFAULT_TOML`]: one file documents every key
//! and is what `storydiff config default` prints.
//!
//! The text is read twice: as a [`toml::Table`] to check and merge, and as a
//! spanned [`DeTable`] only to know where each key and value stands, so that
//! unknown keys can be warnings (serde would either ignore or reject them)
//! and every message points at a line and column.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

use rustc_hash::FxHashMap;
use serde::Deserialize;
use toml::de::{DeTable, DeValue};
use toml::{Table, Value};

use crate::align::AlignOptions;
use crate::cluster::ClusterOptions;
use crate::corpus::{LoadOptions, SegmentOptions};
use crate::diff::{DiffOptions, Normalization};
use crate::engine::Settings;

/// The built-in configuration: every key with its default and a comment.
pub const DEFAULT_TOML: &str = include_str!("../config.example.toml");

/// The environment variable naming a config file.
pub const ENV_VAR: &str = "STORYDIFF_CONFIG";

/// The file looked for in the config folder.
pub const FILE_NAME: &str = "config.toml";

/// The built-in themes.
pub const THEMES: [&str; 4] = ["dark", "light", "high-contrast", "colorblind"];

/// The parts of the interface a colour can be set for, one by one.
pub const COLOR_SLOTS: [&str; 18] = [
    "text",
    "background",
    "title",
    "dim",
    "selected",
    "status",
    "error",
    "search_hit",
    "headline",
    "caption",
    "furniture",
    "added",
    "removed",
    "moved",
    "spelling",
    "style",
    "wording_old",
    "wording_new",
];

/// Colour names, in the spelling [`parse_color`] gives them (ratatui's).
pub const COLOR_NAMES: [&str; 17] = [
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "gray",
    "darkgray",
    "lightred",
    "lightgreen",
    "lightyellow",
    "lightblue",
    "lightmagenta",
    "lightcyan",
    "white",
    "reset",
];

/// The export formats, by the names the exporter accepts.
pub const EXPORT_FORMATS: [&str; 4] = ["unified", "markdown", "html", "json"];

/// Placeholders of `export.file_name` and `export.file_name_all`.
const PAIR_PLACEHOLDERS: &[&str] = &["story", "base", "other", "format"];
const ALL_PLACEHOLDERS: &[&str] = &["story", "base", "format"];

/// The defaults as a table, to lay user tables over.
// Built from the embedded file: a failure is a bug caught by the tests, not an input error.
static DEFAULTS: LazyLock<Table> = LazyLock::new(|| {
    toml::from_str(DEFAULT_TOML).unwrap_or_else(|e| panic!("embedded config.example.toml: {e}"))
});

// ---------------------------------------------------------------------------
// The configuration

/// Everything the file sets, by section.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub corpus: CorpusConfig,
    pub cleaning: CleaningConfig,
    pub matching: MatchingConfig,
    pub ui: UiConfig,
    pub watch: WatchConfig,
    pub export: ExportConfig,
}

/// `[corpus]`: what is read.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CorpusConfig {
    /// Opened when the command line names no paths; empty: the sample corpus.
    pub paths: Vec<PathBuf>,
    /// Without the dot, lower case.
    pub extensions: Vec<String>,
    pub skip_dirs: Vec<String>,
    /// Files larger than this many MiB are skipped.
    pub max_file_mb: u64,
    /// Keep each folder's model in the cache folder between runs.
    pub cache: bool,
    /// Which fields of a JSON record hold what.
    pub json_fields: JsonFieldsConfig,
}

/// `[corpus.json_fields]`: field names tried in order for each part of a
/// JSON or JSON Lines record (dotted paths reach into nested objects).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct JsonFieldsConfig {
    pub title: Vec<String>,
    pub text: Vec<String>,
    pub url: Vec<String>,
    pub date: Vec<String>,
    pub outlet: Vec<String>,
}

/// `[cleaning]`: furniture and story boundaries.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CleaningConfig {
    /// The user's furniture patterns (each compiles, case-insensitively).
    pub furniture_patterns: Vec<String>,
    /// A paragraph repeated within a file is furniture.
    pub fold_repeats: bool,
    /// Blank lines before a headline that start a new story; 0: automatic.
    pub boundary_blank_lines: usize,
    /// Also split where the subject changes after a headline or furniture.
    pub split_on_topic_change: bool,
}

/// `[matching]`: clustering, paragraph pairing and the diff.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MatchingConfig {
    pub cluster_threshold: f32,
    pub cluster_min_shared: usize,
    pub cluster_min_coverage: f32,
    pub pair_threshold: f32,
    pub merge_containment: f32,
    pub min_moved_words: usize,
    pub rewrite_ratio: f32,
    pub hide_style: bool,
    pub normalize: NormalizeConfig,
}

/// `[matching.normalize]`: which differences alone are style changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct NormalizeConfig {
    pub quotes: bool,
    pub dashes: bool,
    pub case: bool,
    pub abbreviation_dots: bool,
    pub whitespace: bool,
}

/// `[interface]` and `[keys]`: what the interface reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UiConfig {
    pub theme: ThemeConfig,
    pub wrap: bool,
    pub show_furniture: bool,
    pub mouse: bool,
    /// Every action with its keys, as written (each one a valid key name,
    /// no key on two actions); what the interface's keymap takes as overrides.
    pub keys: BTreeMap<String, Vec<String>>,
}

/// `[interface.theme]`: a built-in theme and colours set one by one.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ThemeConfig {
    /// One of [`THEMES`].
    pub name: String,
    /// Part (one of [`COLOR_SLOTS`]) → a colour name from [`COLOR_NAMES`] or
    /// `#rrggbb` (lower case): what ratatui's `Color::from_str` reads.
    pub colors: BTreeMap<String, String>,
}

/// `[watch]`: reloading when files change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct WatchConfig {
    pub enabled: bool,
    pub debounce_ms: u64,
    pub poll: bool,
    pub poll_interval_ms: u64,
}

impl WatchConfig {
    pub fn debounce(&self) -> Duration {
        Duration::from_millis(self.debounce_ms)
    }

    /// How often to look at the files, when polling instead of system notices.
    pub fn poll_interval(&self) -> Option<Duration> {
        self.poll
            .then(|| Duration::from_millis(self.poll_interval_ms))
    }
}

/// `[export]`: where exports go and what they are called.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ExportConfig {
    pub folder: PathBuf,
    /// One of [`EXPORT_FORMATS`].
    pub format: String,
    /// A file name without extension, with `{story}`, `{base}`, `{other}`, `{format}`.
    pub file_name: String,
    /// The same for a whole-story export, without `{other}`.
    pub file_name_all: String,
}

/// What an export's file name is made of.
#[derive(Debug, Clone, Copy)]
pub struct NameParts<'a> {
    pub story: &'a str,
    pub base: &'a str,
    /// `None` for an export of the whole story.
    pub other: Option<&'a str>,
    /// The format's name, e.g. "html".
    pub format: &'a str,
    /// Without the dot, e.g. "html".
    pub extension: &'a str,
}

impl ExportConfig {
    /// The file name for an export: the pattern filled in, with anything
    /// that would make it a path or a hidden file replaced, and the extension.
    pub fn file_name_for(&self, parts: &NameParts<'_>) -> String {
        let pattern = match parts.other {
            Some(_) => &self.file_name,
            None => &self.file_name_all,
        };
        let mut out = String::new();
        let mut rest = pattern.as_str();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                rest = "";
                break;
            };
            let value = match &after[..close] {
                "story" => parts.story,
                "base" => parts.base,
                "other" => parts.other.unwrap_or(""),
                "format" => parts.format,
                other => other,
            };
            out.push_str(&file_name_safe(value));
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        let out = match out.strip_prefix('.') {
            Some(tail) => format!("_{tail}"),
            None => out,
        };
        format!("{out}.{}", parts.extension)
    }
}

fn file_name_safe(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect()
}

/// The file's layout, deserialised from the merged table.
#[derive(Deserialize)]
struct FileConfig {
    corpus: CorpusConfig,
    cleaning: CleaningConfig,
    matching: MatchingConfig,
    interface: InterfaceFile,
    keys: BTreeMap<String, Vec<String>>,
    watch: WatchConfig,
    export: ExportConfig,
}

#[derive(Deserialize)]
struct InterfaceFile {
    theme: ThemeConfig,
    wrap: bool,
    show_furniture: bool,
    mouse: bool,
}

impl From<FileConfig> for Config {
    fn from(f: FileConfig) -> Config {
        Config {
            corpus: f.corpus,
            cleaning: f.cleaning,
            matching: f.matching,
            ui: UiConfig {
                theme: f.interface.theme,
                wrap: f.interface.wrap,
                show_furniture: f.interface.show_furniture,
                mouse: f.interface.mouse,
                keys: f.keys,
            },
            watch: f.watch,
            export: f.export,
        }
    }
}

impl Default for Config {
    /// The built-in defaults ([`DEFAULT_TOML`]).
    fn default() -> Config {
        // The embedded file is part of the program; the tests parse and check it.
        Value::Table(DEFAULTS.clone())
            .try_into::<FileConfig>()
            .map(Config::from)
            .unwrap_or_else(|e| panic!("embedded config.example.toml: {e}"))
    }
}

impl Config {
    /// The engine's options. Options the config does not set keep their
    /// stage's default.
    // The stage owners add fields to their option structs; `..default()`
    // keeps this compiling and those fields at their defaults until mapped.
    #[allow(clippy::needless_update)]
    pub fn settings(&self) -> Settings {
        let m = &self.matching;
        Settings {
            load: LoadOptions {
                extensions: self.corpus.extensions.clone(),
                skip_dirs: self.corpus.skip_dirs.clone(),
                max_file_bytes: self.corpus.max_file_mb << 20,
                json_fields: crate::corpus::jsonl::JsonFields {
                    title: self.corpus.json_fields.title.clone(),
                    text: self.corpus.json_fields.text.clone(),
                    url: self.corpus.json_fields.url.clone(),
                    date: self.corpus.json_fields.date.clone(),
                    outlet: self.corpus.json_fields.outlet.clone(),
                },
                ..LoadOptions::default()
            },
            segment: SegmentOptions {
                extra_furniture: self.cleaning.furniture_patterns.clone(),
                fold_repeats: self.cleaning.fold_repeats,
                boundary_blank_lines: self.cleaning.boundary_blank_lines as u32,
                split_on_topic_change: self.cleaning.split_on_topic_change,
            },
            cluster: ClusterOptions {
                threshold: m.cluster_threshold,
                min_shared: m.cluster_min_shared,
                min_coverage: m.cluster_min_coverage,
            },
            align: AlignOptions {
                pair_threshold: m.pair_threshold,
                merge_containment: m.merge_containment,
                min_moved_words: m.min_moved_words,
                rewrite_ratio: m.rewrite_ratio,
                ..AlignOptions::default()
            },
            diff: DiffOptions {
                hide_style: m.hide_style,
                normalize: Normalization {
                    quotes: m.normalize.quotes,
                    dashes: m.normalize.dashes,
                    case: m.normalize.case,
                    abbreviation_dots: m.normalize.abbreviation_dots,
                    whitespace: m.normalize.whitespace,
                },
                ..DiffOptions::default()
            },
            ..Settings::default()
        }
    }
}

// ---------------------------------------------------------------------------
// Where the file is

/// Who named the config file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `--config PATH` on the command line.
    Flag,
    /// The `STORYDIFF_CONFIG` environment variable.
    Env,
    /// `config.toml` in the platform's config folder.
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::Flag => "--config",
            Source::Env => ENV_VAR,
            Source::Default => "the default location",
        })
    }
}

/// Where the config is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// `None` only for [`Source::Default`] on a system without a home folder.
    pub path: Option<PathBuf>,
    pub source: Source,
    pub exists: bool,
}

impl fmt::Display for Located {
    /// One line for `storydiff config path`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(path) = &self.path else {
            return write!(
                f,
                "no config folder on this system (no home folder); built-in defaults in use (give --config PATH or set {ENV_VAR})"
            );
        };
        let how = match self.source {
            Source::Flag => "from --config",
            Source::Env => "from STORYDIFF_CONFIG",
            Source::Default => "the default location",
        };
        let state = match (self.exists, self.source) {
            (true, _) => "",
            (false, Source::Default) => "; not there, built-in defaults in use",
            (false, _) => "; not there",
        };
        write!(f, "{} ({how}{state})", path.display())
    }
}

/// The platform's config folder for storydiff (`$XDG_CONFIG_HOME/storydiff`
/// or `~/.config/storydiff` on Linux).
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "storydiff").map(|d| d.config_dir().to_path_buf())
}

/// Where to read the config: `explicit` (from `--config`), else the
/// `STORYDIFF_CONFIG` environment variable, else the default location.
pub fn locate(explicit: Option<&Path>) -> Located {
    let env = std::env::var_os(ENV_VAR);
    locate_with(explicit, env.as_deref(), default_dir().as_deref())
}

/// [`locate`] with the environment variable's value and the config folder given.
/// An empty variable counts as unset.
pub fn locate_with(
    explicit: Option<&Path>,
    env: Option<&OsStr>,
    default_dir: Option<&Path>,
) -> Located {
    let (path, source) = match (explicit, env.filter(|e| !e.is_empty())) {
        (Some(p), _) => (Some(p.to_path_buf()), Source::Flag),
        (None, Some(e)) => (Some(PathBuf::from(e)), Source::Env),
        (None, None) => (default_dir.map(|d| d.join(FILE_NAME)), Source::Default),
    };
    let exists = path.as_deref().is_some_and(Path::exists);
    Located {
        path,
        source,
        exists,
    }
}

// ---------------------------------------------------------------------------
// Messages

/// A key the config does not know; it is ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The key as a dotted path: `corpus.extention`.
    pub key: String,
    /// The nearest known key, as a dotted path.
    pub nearest: Option<String>,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

/// Why the config cannot be used. Lines and columns count from 1.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: cannot read the config file: {source}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: no such config file (named by {named_by})", .path.display())]
    NotFound { path: PathBuf, named_by: Source },
    #[error("{}:{line}:{column}: not valid TOML: {message}", .path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}:{line}:{column}: {key}: {message}", .path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        key: String,
        message: String,
    },
}

impl ConfigError {
    /// Line and column, for errors that have them.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            ConfigError::Syntax { line, column, .. }
            | ConfigError::Invalid { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }

    /// The dotted key a value error is about.
    pub fn key(&self) -> Option<&str> {
        match self {
            ConfigError::Invalid { key, .. } => Some(key),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------
// Loading

/// A config ready to use, what was ignored in it, and where it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    pub warnings: Vec<Warning>,
    pub located: Located,
}

/// Find and read the config. A missing file at the default location means
/// the built-in defaults; a missing file named by `--config` or
/// `STORYDIFF_CONFIG` is an error.
pub fn load(explicit: Option<&Path>) -> Result<Loaded, ConfigError> {
    load_located(locate(explicit))
}

/// Read the config from where [`locate`] (or [`locate_with`]) found it.
pub fn load_located(located: Located) -> Result<Loaded, ConfigError> {
    match (&located.path, located.exists, located.source) {
        (Some(path), true, _) => {
            let (config, warnings) = read(path)?;
            Ok(Loaded {
                config,
                warnings,
                located,
            })
        }
        (Some(path), false, Source::Flag | Source::Env) => Err(ConfigError::NotFound {
            path: path.clone(),
            named_by: located.source,
        }),
        _ => Ok(Loaded {
            config: Config::default(),
            warnings: Vec::new(),
            located,
        }),
    }
}

/// Check one file as `storydiff config check` does: the warnings, or the error.
pub fn check(path: &Path) -> Result<Vec<Warning>, ConfigError> {
    read(path).map(|(_, warnings)| warnings)
}

fn read(path: &Path) -> Result<(Config, Vec<Warning>), ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, path)
}

/// Parse config text; `origin` is the file name used in messages.
pub fn parse(text: &str, origin: &Path) -> Result<(Config, Vec<Warning>), ConfigError> {
    let syntax = |e: toml::de::Error| {
        let (line, column) = line_col(text, e.span().map_or(0, |s| s.start));
        ConfigError::Syntax {
            path: origin.to_path_buf(),
            line,
            column,
            message: e.message().trim().to_owned(),
        }
    };
    let doc = DeTable::parse(text).map_err(syntax)?;
    let user: Table = toml::from_str(text).map_err(syntax)?;
    let mut spans = FxHashMap::default();
    index_spans(doc.get_ref(), "", &mut spans);
    let mut cx = Checker {
        text,
        origin,
        spans,
        warnings: Vec::new(),
    };
    let clean = cx.table(&user, "")?;
    let mut merged = DEFAULTS.clone();
    merge(&mut merged, clean.clone());
    let config: Config = Value::Table(merged)
        .try_into::<FileConfig>()
        .map(Config::from)
        .map_err(|e| cx.error("", format!("cannot be used: {}", e.message())))?;
    cx.key_conflicts(&config.ui.keys, &clean)?;
    Ok((config, cx.warnings))
}

/// Lay `over` onto `base`: tables merge key by key, anything else replaces.
fn merge(base: &mut Table, over: Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(Value::Table(b)), Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The schema

#[derive(Debug, Clone, Copy)]
enum Ty {
    Bool,
    Uint {
        min: i64,
        max: i64,
    },
    /// A number from 0 to 1.
    Ratio,
    Choice(&'static [&'static str]),
    Extensions,
    Names,
    Path,
    Paths,
    Patterns,
    Template(&'static [&'static str]),
    /// A table of part → colour.
    Colors,
    /// A table of action → keys.
    Keys,
}

/// Every key by dotted path. Tables are the prefixes of these paths.
const SCHEMA: &[(&str, Ty)] = &[
    ("corpus.paths", Ty::Paths),
    ("corpus.extensions", Ty::Extensions),
    ("corpus.skip_dirs", Ty::Names),
    (
        "corpus.max_file_mb",
        Ty::Uint {
            min: 1,
            max: 1_048_576,
        },
    ),
    ("corpus.cache", Ty::Bool),
    ("corpus.json_fields.title", Ty::Names),
    ("corpus.json_fields.text", Ty::Names),
    ("corpus.json_fields.url", Ty::Names),
    ("corpus.json_fields.date", Ty::Names),
    ("corpus.json_fields.outlet", Ty::Names),
    ("cleaning.furniture_patterns", Ty::Patterns),
    ("cleaning.fold_repeats", Ty::Bool),
    (
        "cleaning.boundary_blank_lines",
        Ty::Uint { min: 0, max: 100 },
    ),
    ("cleaning.split_on_topic_change", Ty::Bool),
    ("matching.cluster_threshold", Ty::Ratio),
    ("matching.cluster_min_coverage", Ty::Ratio),
    (
        "matching.cluster_min_shared",
        Ty::Uint {
            min: 1,
            max: 1_000_000,
        },
    ),
    ("matching.pair_threshold", Ty::Ratio),
    ("matching.merge_containment", Ty::Ratio),
    (
        "matching.min_moved_words",
        Ty::Uint {
            min: 0,
            max: 1_000_000,
        },
    ),
    ("matching.rewrite_ratio", Ty::Ratio),
    ("matching.hide_style", Ty::Bool),
    ("matching.normalize.quotes", Ty::Bool),
    ("matching.normalize.dashes", Ty::Bool),
    ("matching.normalize.case", Ty::Bool),
    ("matching.normalize.abbreviation_dots", Ty::Bool),
    ("matching.normalize.whitespace", Ty::Bool),
    ("interface.wrap", Ty::Bool),
    ("interface.show_furniture", Ty::Bool),
    ("interface.mouse", Ty::Bool),
    ("interface.theme.name", Ty::Choice(&THEMES)),
    ("interface.theme.colors", Ty::Colors),
    ("keys", Ty::Keys),
    ("watch.enabled", Ty::Bool),
    (
        "watch.debounce_ms",
        Ty::Uint {
            min: 0,
            max: 60_000,
        },
    ),
    ("watch.poll", Ty::Bool),
    (
        "watch.poll_interval_ms",
        Ty::Uint {
            min: 10,
            max: 3_600_000,
        },
    ),
    ("export.folder", Ty::Path),
    ("export.format", Ty::Choice(&EXPORT_FORMATS)),
    ("export.file_name", Ty::Template(PAIR_PLACEHOLDERS)),
    ("export.file_name_all", Ty::Template(ALL_PLACEHOLDERS)),
];

/// Every key's dotted path, for documentation and tests.
pub fn known_keys() -> impl Iterator<Item = &'static str> {
    SCHEMA.iter().map(|(k, _)| *k)
}

/// The actions that keys can be bound to: those of the default `[keys]`.
pub fn actions() -> Vec<&'static str> {
    match DEFAULTS.get("keys") {
        Some(Value::Table(t)) => t.keys().map(String::as_str).collect(),
        _ => Vec::new(),
    }
}

fn field(path: &str) -> Option<Ty> {
    SCHEMA.iter().find(|(k, _)| *k == path).map(|(_, t)| *t)
}

fn is_table(path: &str) -> bool {
    SCHEMA.iter().any(|(k, _)| {
        k.strip_prefix(path)
            .is_some_and(|rest| rest.starts_with('.'))
    })
}

/// Every known dotted path: keys and the tables that hold them.
fn known_paths() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (k, _) in SCHEMA {
        let mut end = 0;
        while let Some(dot) = k[end..].find('.') {
            end += dot;
            out.push(k[..end].to_owned());
            end += 1;
        }
        out.push((*k).to_owned());
    }
    out.sort();
    out.dedup();
    out
}

fn parent(path: &str) -> &str {
    path.rfind('.').map_or("", |i| &path[..i])
}

fn last(path: &str) -> &str {
    path.rfind('.').map_or(path, |i| &path[i + 1..])
}

/// A key as it appears in a dotted path: bare when TOML allows, else quoted.
fn join(prefix: &str, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let key = if bare {
        key.to_owned()
    } else {
        format!("{key:?}")
    };
    if prefix.is_empty() {
        key
    } else {
        format!("{prefix}.{key}")
    }
}

/// The candidate closest to `word`, if any is remotely close.
fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(word, c), c))
        .filter(|(score, _)| *score > 0.0)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The known key nearest to an unknown dotted path: a key of the same table
/// when one is close, else a key of the same name in another table.
fn nearest_path(path: &str) -> Option<String> {
    let known = known_paths();
    let (par, name) = (parent(path), last(path));
    let score = |k: &str| strsim::normalized_damerau_levenshtein(name, last(k));
    let sibling = known
        .iter()
        .filter(|k| parent(k) == par)
        .map(|k| (score(k), k))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    // Moving a key to another table is a bigger step than a typo.
    let elsewhere = known
        .iter()
        .filter(|k| parent(k) != par)
        .map(|k| (score(k) * 0.85, k))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match (sibling, elsewhere) {
        (Some(s), Some(e)) if e.0 > s.0 => Some(e.1.clone()),
        (Some(s), _) => Some(s.1.clone()),
        (None, e) => e.map(|e| e.1.clone()),
    }
}

// ---------------------------------------------------------------------------
// Checking a user table

#[derive(Debug, Clone)]
struct Span {
    key: Range<usize>,
    value: Range<usize>,
}

fn index_spans(table: &DeTable<'_>, prefix: &str, out: &mut FxHashMap<String, Span>) {
    for (k, v) in table.iter() {
        let path = join(prefix, k.get_ref());
        out.insert(
            path.clone(),
            Span {
                key: k.span(),
                value: v.span(),
            },
        );
        index_value(v.get_ref(), &path, out);
    }
}

fn index_value(v: &DeValue<'_>, path: &str, out: &mut FxHashMap<String, Span>) {
    match v {
        DeValue::Table(t) => index_spans(t, path, out),
        DeValue::Array(a) => {
            for (i, e) in a.iter().enumerate() {
                let p = format!("{path}[{i}]");
                out.insert(
                    p.clone(),
                    Span {
                        key: e.span(),
                        value: e.span(),
                    },
                );
                index_value(e.get_ref(), &p, out);
            }
        }
        _ => {}
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "a string",
        Value::Integer(_) => "a whole number",
        Value::Float(_) => "a number with a fraction",
        Value::Boolean(_) => "true or false",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
    }
}

/// A value as written, short, for messages.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        Value::Array(_) | Value::Table(_) => type_name(v).to_owned(),
        other => other.to_string(),
    }
}

struct Checker<'a> {
    text: &'a str,
    origin: &'a Path,
    spans: FxHashMap<String, Span>,
    warnings: Vec<Warning>,
}

impl Checker<'_> {
    fn at(&self, path: &str, key: bool) -> (usize, usize) {
        let offset = self
            .spans
            .get(path)
            .map_or(0, |s| if key { s.key.start } else { s.value.start });
        line_col(self.text, offset)
    }

    fn error(&self, path: &str, message: String) -> ConfigError {
        let (line, column) = self.at(path, false);
        ConfigError::Invalid {
            path: self.origin.to_path_buf(),
            line,
            column,
            key: path.to_owned(),
            message,
        }
    }

    fn expected(&self, path: &str, what: &str, found: &Value) -> ConfigError {
        self.error(path, format!("expected {what}, found {}", type_name(found)))
    }

    fn warn(&mut self, path: &str, what: &str, nearest: Option<String>) {
        let (line, column) = self.at(path, true);
        let hint = match &nearest {
            Some(n) => format!("; the nearest known {what} is '{n}'"),
            None => String::new(),
        };
        self.warnings.push(Warning {
            path: self.origin.to_path_buf(),
            line,
            column,
            key: path.to_owned(),
            message: format!("unknown {what} '{path}' is ignored{hint}"),
            nearest,
        });
    }

    /// Check a table at `prefix`; the result holds only known keys, with
    /// values in the form the config structs read.
    fn table(&mut self, table: &Table, prefix: &str) -> Result<Table, ConfigError> {
        let mut out = Table::new();
        for (k, v) in table {
            let path = join(prefix, k);
            if let Some(ty) = field(&path) {
                let clean = self.value(&path, ty, v)?;
                out.insert(k.clone(), clean);
            } else if is_table(&path) {
                let Value::Table(t) = v else {
                    return Err(self.expected(&path, &format!("a table ([{path}])"), v));
                };
                out.insert(k.clone(), Value::Table(self.table(t, &path)?));
            } else {
                let near = nearest_path(&path);
                self.warn(&path, "key", near);
            }
        }
        Ok(out)
    }

    fn value(&mut self, path: &str, ty: Ty, v: &Value) -> Result<Value, ConfigError> {
        match ty {
            Ty::Bool => match v {
                Value::Boolean(_) => Ok(v.clone()),
                _ => Err(self.expected(path, "true or false", v)),
            },
            Ty::Uint { min, max } => match v {
                Value::Integer(i) if (min..=max).contains(i) => Ok(v.clone()),
                Value::Integer(i) => Err(self.error(
                    path,
                    format!("{i} is out of range: give a whole number from {min} to {max}"),
                )),
                _ => Err(self.expected(path, "a whole number", v)),
            },
            Ty::Ratio => {
                let x = match v {
                    Value::Float(f) => *f,
                    Value::Integer(i) => *i as f64,
                    _ => return Err(self.expected(path, "a number from 0 to 1", v)),
                };
                if (0.0..=1.0).contains(&x) {
                    Ok(Value::Float(x))
                } else {
                    Err(self.error(
                        path,
                        format!("{} is out of range: give a number from 0 to 1", shown(v)),
                    ))
                }
            }
            Ty::Choice(names) => {
                let Value::String(s) = v else {
                    return Err(self.expected(path, &format!("one of {}", quoted(names)), v));
                };
                if names.contains(&s.as_str()) {
                    Ok(v.clone())
                } else {
                    let near = nearest(s, names.iter().copied())
                        .map(|n| format!(" (did you mean \"{n}\"?)"))
                        .unwrap_or_default();
                    Err(self.error(path, format!("{s:?} is not one of {}{near}", quoted(names))))
                }
            }
            Ty::Extensions => self.strings(path, v, |s| {
                let e = s.trim().trim_start_matches('.').to_lowercase();
                if e.is_empty() {
                    Err("an empty extension".to_owned())
                } else {
                    Ok(e)
                }
            }),
            Ty::Names => self.strings(path, v, |s| {
                if s.is_empty() {
                    Err("an empty folder name".to_owned())
                } else {
                    Ok(s.to_owned())
                }
            }),
            Ty::Path => {
                let Value::String(s) = v else {
                    return Err(self.expected(path, "a path (a string)", v));
                };
                expand_home(s)
                    .map(Value::String)
                    .map_err(|m| self.error(path, m))
            }
            Ty::Paths => self.strings(path, v, expand_home),
            Ty::Patterns => self.strings(path, v, |s| {
                regex::RegexBuilder::new(s)
                    .case_insensitive(true)
                    .build()
                    .map(|_| s.to_owned())
                    .map_err(|e| format!("not a valid regular expression: {}", regex_reason(&e)))
            }),
            Ty::Template(allowed) => {
                let Value::String(s) = v else {
                    return Err(self.expected(path, "a file name pattern (a string)", v));
                };
                check_template(s, allowed)
                    .map(|()| v.clone())
                    .map_err(|m| self.error(path, m))
            }
            Ty::Colors => self.colors(path, v),
            Ty::Keys => self.keys(path, v),
        }
    }

    /// A list of strings, each checked and rewritten by `each`.
    fn strings(
        &self,
        path: &str,
        v: &Value,
        each: impl Fn(&str) -> Result<String, String>,
    ) -> Result<Value, ConfigError> {
        let Value::Array(items) = v else {
            return Err(self.expected(path, "a list of strings", v));
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let at = format!("{path}[{i}]");
            let Value::String(s) = item else {
                return Err(self.expected(&at, "a string", item));
            };
            out.push(Value::String(each(s).map_err(|m| self.error(&at, m))?));
        }
        Ok(Value::Array(out))
    }

    fn colors(&mut self, path: &str, v: &Value) -> Result<Value, ConfigError> {
        let Value::Table(t) = v else {
            return Err(self.expected(path, &format!("a table ([{path}])"), v));
        };
        let mut out = Table::new();
        for (slot, c) in t {
            let at = join(path, slot);
            if !COLOR_SLOTS.contains(&slot.as_str()) {
                let near = nearest(slot, COLOR_SLOTS).map(|n| join(path, n));
                self.warn(&at, "part", near);
                continue;
            }
            let Value::String(s) = c else {
                return Err(self.expected(&at, "a colour name or \"#rrggbb\"", c));
            };
            let Some(color) = parse_color(s) else {
                return Err(self.error(
                    &at,
                    format!(
                        "{s:?} is not a colour: give \"#rrggbb\" or one of {}",
                        COLOR_NAMES.join(", ")
                    ),
                ));
            };
            out.insert(slot.clone(), Value::String(color));
        }
        Ok(Value::Table(out))
    }

    fn keys(&mut self, path: &str, v: &Value) -> Result<Value, ConfigError> {
        let Value::Table(t) = v else {
            return Err(self.expected(path, "a table ([keys])", v));
        };
        let known = actions();
        let mut out = Table::new();
        for (action, keys) in t {
            let at = join(path, action);
            if !known.contains(&action.as_str()) {
                let near = nearest(action, known.iter().copied()).map(|n| join(path, n));
                self.warn(&at, "action", near);
                continue;
            }
            let clean = self.strings(&at, keys, |k| canonical_key(k).map(|_| k.to_owned()))?;
            out.insert(action.clone(), clean);
        }
        Ok(Value::Table(out))
    }

    /// One key on two actions, after the user's bindings are laid over the
    /// defaults. `user` is the checked user table (to tell who set what).
    fn key_conflicts(
        &self,
        keys: &BTreeMap<String, Vec<String>>,
        user: &Table,
    ) -> Result<(), ConfigError> {
        let user_keys = match user.get("keys") {
            Some(Value::Table(t)) => Some(t),
            _ => None,
        };
        let set_by_user = |action: &str| user_keys.is_some_and(|t| t.contains_key(action));
        let mut owner: BTreeMap<String, (&str, usize)> = BTreeMap::new();
        for (action, list) in keys {
            for (i, k) in list.iter().enumerate() {
                let Ok(canon) = canonical_key(k) else {
                    continue;
                };
                match owner.get(&canon) {
                    Some(&(first, _)) if first != action => {
                        // Point at a binding the user wrote: that is what to change.
                        let (at, other) = if set_by_user(action) {
                            (format!("{}[{i}]", join("keys", action)), first)
                        } else {
                            let (_, j) = owner[&canon];
                            (format!("{}[{j}]", join("keys", first)), action.as_str())
                        };
                        let default_note = if set_by_user(other) {
                            String::new()
                        } else {
                            format!(
                                "; '{other}' has it by default, so give '{other}' other keys too"
                            )
                        };
                        let (a, b) = if first < action.as_str() {
                            (first, action.as_str())
                        } else {
                            (action.as_str(), first)
                        };
                        return Err(self.error(
                            &at,
                            format!("key '{canon}' is bound to both '{a}' and '{b}'{default_note}"),
                        ));
                    }
                    Some(_) => {}
                    None => {
                        owner.insert(canon, (action, i));
                    }
                }
            }
        }
        Ok(())
    }
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The one line of a regex error that says what is wrong.
fn regex_reason(e: &regex::Error) -> String {
    let text = e.to_string();
    text.lines()
        .find_map(|l| l.strip_prefix("error: "))
        .unwrap_or(text.trim())
        .to_owned()
}

/// `~` and `~/…` → the home folder; other paths as written.
fn expand_home(s: &str) -> Result<String, String> {
    if s.is_empty() {
        return Err("an empty path (write \".\" for the current folder)".to_owned());
    }
    let rest = match s.strip_prefix('~') {
        Some("") => "",
        Some(r) if r.starts_with('/') || r.starts_with(std::path::MAIN_SEPARATOR) => &r[1..],
        _ => return Ok(s.to_owned()),
    };
    match directories::BaseDirs::new() {
        Some(b) => Ok(b.home_dir().join(rest).to_string_lossy().into_owned()),
        None => Ok(s.to_owned()),
    }
}

/// A file name pattern: no folders, braces balanced, known placeholders only.
fn check_template(s: &str, allowed: &[&str]) -> Result<(), String> {
    if s.trim().is_empty() {
        return Err("an empty file name".to_owned());
    }
    if s.contains(['/', '\\']) {
        return Err("a file name, not a path: put the folder in export.folder".to_owned());
    }
    let mut rest = s;
    while let Some(i) = rest.find(['{', '}']) {
        if rest[i..].starts_with('}') {
            return Err("a '}' without its '{'".to_owned());
        }
        let after = &rest[i + 1..];
        let Some(close) = after.find('}') else {
            return Err("a '{' without its '}'".to_owned());
        };
        let name = &after[..close];
        if !allowed.contains(&name) {
            let near = nearest(name, allowed.iter().copied())
                .map(|n| format!(" (did you mean {{{n}}}?)"))
                .unwrap_or_default();
            let list: Vec<String> = allowed.iter().map(|a| format!("{{{a}}}")).collect();
            return Err(format!(
                "unknown placeholder {{{name}}}{near}; this pattern can use {}",
                list.join(", ")
            ));
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

/// A colour as ratatui reads it: a name from [`COLOR_NAMES`] (spaces, `-`
/// and `_` ignored, "grey" and "bright" accepted) or `#rrggbb`, lower case.
pub fn parse_color(s: &str) -> Option<String> {
    let t = s.trim();
    if let Some(hex) = t.strip_prefix('#') {
        return (hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()))
            .then(|| format!("#{}", hex.to_ascii_lowercase()));
    }
    let name = t
        .to_lowercase()
        .replace([' ', '-', '_'], "")
        .replace("bright", "light")
        .replace("grey", "gray");
    COLOR_NAMES.contains(&name.as_str()).then_some(name)
}

/// A key name in one spelling, so that "ctrl-D", "Ctrl-d" and "CTRL-d" are
/// one key: `Ctrl-Alt-Shift-` as needed, then the character or key name.
/// The grammar is the interface's keymap's: a single character, or a key
/// name, after any of `Ctrl-`, `Alt-`, `Shift-` (any case). Shift is part of
/// a character already (`G`), and Ctrl with a letter is the lower-case letter.
pub fn canonical_key(s: &str) -> Result<String, String> {
    let (mut ctrl, mut alt, mut shift) = (false, false, false);
    let mut rest = s;
    loop {
        if let Some(r) = strip_prefix_ci(rest, "ctrl-") {
            ctrl = true;
            rest = r;
        } else if let Some(r) = strip_prefix_ci(rest, "alt-") {
            alt = true;
            rest = r;
        } else if let Some(r) = strip_prefix_ci(rest, "shift-") {
            shift = true;
            rest = r;
        } else {
            break;
        }
    }
    let mut chars = rest.chars();
    let (name, is_char) = match (chars.next(), chars.next()) {
        (None, _) => return Err("an empty key name".to_owned()),
        (Some('↑'), None) => ("Up".to_owned(), false),
        (Some('↓'), None) => ("Down".to_owned(), false),
        (Some('←'), None) => ("Left".to_owned(), false),
        (Some('→'), None) => ("Right".to_owned(), false),
        (Some(' '), None) => ("Space".to_owned(), true),
        (Some(c), None) if ctrl => (c.to_ascii_lowercase().to_string(), true),
        (Some(c), None) => (c.to_string(), true),
        _ => {
            let lower = rest.to_ascii_lowercase();
            let named = match lower.as_str() {
                "up" => "Up",
                "down" => "Down",
                "left" => "Left",
                "right" => "Right",
                "pageup" | "pgup" => "PageUp",
                "pagedown" | "pgdn" => "PageDown",
                "home" => "Home",
                "end" => "End",
                "enter" | "return" => "Enter",
                "esc" | "escape" => "Esc",
                "tab" => "Tab",
                "backtab" => "BackTab",
                "backspace" => "Backspace",
                "delete" | "del" => "Delete",
                "insert" => "Insert",
                "space" => "Space",
                f => match f.strip_prefix('f').map(str::parse::<u8>) {
                    Some(Ok(n @ 1..=12)) => {
                        return Ok(modified(ctrl, alt, shift, &format!("F{n}")));
                    }
                    _ => {
                        return Err(format!(
                            "unknown key name {rest:?}: give one character, or one of Up Down Left Right PageUp PageDown Home End Enter Esc Tab BackTab Backspace Delete Insert Space F1-F12, with Ctrl-, Alt- or Shift- in front if you like"
                        ));
                    }
                },
            };
            (named.to_owned(), matches!(named, "Space" | "BackTab"))
        }
    };
    Ok(modified(ctrl, alt, shift && !is_char, &name))
}

fn modified(ctrl: bool, alt: bool, shift: bool, name: &str) -> String {
    let mut out = String::new();
    if ctrl {
        out.push_str("Ctrl-");
    }
    if alt {
        out.push_str("Alt-");
    }
    if shift {
        out.push_str("Shift-");
    }
    out.push_str(name);
    out
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    (s.len() > prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix))
    .then(|| &s[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let t = "a = 1\nbé = \"x\"\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 6), (2, 1));
        // "bé = " is 5 characters, 6 bytes.
        assert_eq!(line_col(t, 12), (2, 6));
    }

    #[test]
    fn canonical_keys() {
        assert_eq!(canonical_key("ctrl-D").as_deref(), Ok("Ctrl-d"));
        assert_eq!(canonical_key("Ctrl-d").as_deref(), Ok("Ctrl-d"));
        assert_eq!(canonical_key("G").as_deref(), Ok("G"));
        assert_eq!(canonical_key("shift-G").as_deref(), Ok("G"));
        assert_eq!(canonical_key("shift-tab").as_deref(), Ok("Shift-Tab"));
        assert_eq!(canonical_key("pgdn").as_deref(), Ok("PageDown"));
        assert_eq!(canonical_key(" ").as_deref(), Ok("Space"));
        assert_eq!(canonical_key("space").as_deref(), Ok("Space"));
        assert_eq!(canonical_key("f12").as_deref(), Ok("F12"));
        assert_eq!(canonical_key("-").as_deref(), Ok("-"));
        assert!(canonical_key("F13").is_err());
        assert!(canonical_key("Ctrl-").is_err());
        assert!(canonical_key("").is_err());
        assert!(canonical_key("jj").is_err());
    }

    #[test]
    fn colours() {
        assert_eq!(parse_color("Light-Red").as_deref(), Some("lightred"));
        assert_eq!(parse_color("dark grey").as_deref(), Some("darkgray"));
        assert_eq!(parse_color("#00AAFF").as_deref(), Some("#00aaff"));
        assert_eq!(parse_color("#00AAF"), None);
        assert_eq!(parse_color("teal"), None);
    }

    #[test]
    fn templates() {
        assert!(check_template("{story}-{base}-{other}", PAIR_PLACEHOLDERS).is_ok());
        assert!(check_template("{story}-{other}", ALL_PLACEHOLDERS).is_err());
        assert!(
            check_template("{stroy}", PAIR_PLACEHOLDERS)
                .is_err_and(|e| e.contains("did you mean {story}"))
        );
        assert!(check_template("a/{story}", PAIR_PLACEHOLDERS).is_err());
        assert!(check_template("{story", PAIR_PLACEHOLDERS).is_err());
        assert!(check_template("story}", PAIR_PLACEHOLDERS).is_err());
    }

    #[test]
    fn nearest_prefers_the_same_table() {
        assert_eq!(
            nearest_path("corpus.extention").as_deref(),
            Some("corpus.extensions")
        );
        assert_eq!(
            nearest_path("corpus.pair_threshold").as_deref(),
            Some("matching.pair_threshold")
        );
        assert_eq!(nearest_path("matchin").as_deref(), Some("matching"));
    }
}
