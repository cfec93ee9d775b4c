//! The headless command line: stories, alignments and diffs as text for
//! people or JSON for scripts.
//!
//! In: parsed arguments (from `main.rs`). Out: text on stdout (coloured in a
//! terminal, plain when piped, `NO_COLOR` respected) or JSON whose keys are
//! published in `docs/cli.md`, warnings on stderr, and an error for the
//! binary to print. Every string from a file is sanitised before it reaches
//! a terminal; JSON escapes it instead.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anstyle::{AnsiColor, Effects, Style};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use serde::Serialize;

use crate::cache::{Cache, CacheError};
use crate::engine::{Engine, Settings};
use crate::model::{
    Article, ChangeKind, Comparison, PairKind, PairRow, Story, VersionIx, WordDiff,
};
use crate::sanitize::{for_terminal, for_terminal_lines};
use crate::state::State;

const REMOVED: Style = AnsiColor::Red.on_default().effects(Effects::STRIKETHROUGH);
const ADDED: Style = AnsiColor::Green.on_default().effects(Effects::UNDERLINE);
const HEADER: Style = Style::new().effects(Effects::BOLD);
const DIM: Style = Style::new().effects(Effects::DIMMED);

/// The styles of a diff's removed and added words and of its headers.
#[derive(Clone, Copy)]
struct Palette {
    removed: Style,
    added: Style,
    header: Style,
}

impl Palette {
    const COLOR: Palette = Palette {
        removed: REMOVED,
        added: ADDED,
        header: HEADER,
    };
    /// Plain styles print nothing, not even a reset.
    const PLAIN: Palette = Palette {
        removed: Style::new(),
        added: Style::new(),
        header: Style::new(),
    };
}

/// A corpus loaded for one command, and the thread keeping its model for
/// the next open, if one was started.
pub struct Loaded {
    pub engine: Arc<Engine>,
    keeping: Option<std::thread::JoinHandle<Result<(), CacheError>>>,
}

impl Loaded {
    /// Run a command on the engine, then [`Loaded::finish`], whether the
    /// command succeeded or not.
    ///
    /// The model is then left for the process's exit to reclaim: the
    /// command ends with it, and freeing a folder's model piece by piece
    /// (every paragraph's text is an allocation of its own) only delays the
    /// end: 0.03–0.06 s of 1.25–1.30 at 10,000 files (docs/benchmarks.md,
    /// "Tenth pass").
    pub fn run<T>(self, command: impl FnOnce(&Engine) -> Result<T>) -> Result<T> {
        let result = command(&self.engine);
        std::mem::forget(self.finish());
        result
    }

    /// Wait until the model is kept (it is written while the command does
    /// its work), say on stderr if it could not be, and give the engine
    /// back.
    pub fn finish(self) -> Arc<Engine> {
        let Loaded { engine, keeping } = self;
        let problem = keeping.and_then(|keeping| match keeping.join() {
            Ok(Ok(())) => None,
            Ok(Err(problem)) if !problem.worth_telling() => None,
            Ok(Err(problem)) => Some(problem.to_string()),
            Err(_) => Some("cache: keeping the model failed".to_owned()),
        });
        if let Some(problem) = problem {
            let _ = writeln!(
                anstream::stderr().lock(),
                "warning: {}; the next open reads every file (--no-cache skips the cache)",
                for_terminal(&problem)
            );
        }
        engine
    }
}

/// Load `paths` (the sample corpus when empty), through `cache` when
/// given, and report skipped files on stderr. The model is kept on a
/// thread of its own: call [`Loaded::finish`] once the command is done.
pub fn open(paths: &[PathBuf], settings: Settings, cache: Option<&Cache>) -> Result<Loaded> {
    let paths = crate::sample::or_sample(paths).context("cannot prepare the sample corpus")?;
    let loaded = match cache {
        None => Loaded {
            engine: Arc::new(Engine::open(&paths, settings)?),
            keeping: None,
        },
        Some(cache) => {
            let opened = cache.open(&paths, settings)?;
            if let Some(problem) = opened.problem.as_ref().filter(|p| p.worth_telling()) {
                let _ = writeln!(
                    anstream::stderr().lock(),
                    "warning: {}; every file was read",
                    for_terminal(&problem.to_string())
                );
            }
            let keeping = opened.needs_keeping();
            let engine = Arc::new(opened.engine);
            let keeping = keeping.then(|| {
                let (cache, engine, held) = (cache.clone(), Arc::clone(&engine), opened.held);
                std::thread::spawn(move || cache.keep(&paths, &engine, &held))
            });
            Loaded { engine, keeping }
        }
    };
    report_warnings(&loaded.engine);
    Ok(loaded)
}

fn report_warnings(engine: &Engine) {
    let mut err = anstream::stderr().lock();
    for w in &engine.corpus().warnings {
        let _ = writeln!(err, "warning: {}", for_terminal(&w.to_string()));
    }
}

/// The base a command uses: the one asked for, else the canonical mark, else the most central version.
pub fn choose_base(
    engine: &Engine,
    story: usize,
    asked: Option<&str>,
    state_dir: Option<&Path>,
) -> Result<VersionIx> {
    if let Some(id) = asked {
        return Ok(engine.find_version(story, id)?);
    }
    if let Some(dir) = state_dir {
        let mut err = anstream::stderr().lock();
        match State::load(dir) {
            Ok(loaded) => {
                if let Some(notice) = &loaded.notice {
                    let _ = writeln!(err, "warning: {}", for_terminal(notice));
                }
                if let Some(v) = loaded.state.canonical(engine, story) {
                    return Ok(v);
                }
            }
            Err(e) => {
                let _ = writeln!(
                    err,
                    "warning: {}; using the most central version as the base",
                    for_terminal(&e.to_string())
                );
            }
        }
    }
    Ok(engine.story(story).central)
}

#[derive(Serialize)]
struct StoriesJson<'a> {
    stories: Vec<StoryJson<'a>>,
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct StoryJson<'a> {
    id: &'a str,
    title: &'a str,
    spread: f32,
    central: &'a str,
    versions: Vec<VersionJson<'a>>,
}

#[derive(Serialize)]
struct VersionJson<'a> {
    id: &'a str,
    file: String,
    lines: crate::model::LineSpan,
    title: &'a str,
    paragraphs: usize,
    /// What an HTML page or a JSON record says about the version; `null` otherwise.
    outlet: Option<&'a str>,
    url: Option<&'a str>,
    date: Option<&'a str>,
}

/// `storydiff stories`: the stories found, largest first.
pub fn stories(engine: &Engine, json: bool) -> Result<()> {
    if json {
        let doc = StoriesJson {
            stories: engine
                .stories()
                .iter()
                .enumerate()
                .map(|(i, s)| story_json(engine, i, s))
                .collect(),
            warnings: engine
                .corpus()
                .warnings
                .iter()
                .map(|w| w.to_string())
                .collect(),
        };
        return print_json(&doc);
    }
    let mut out = styled_stdout();
    let n = engine.stories().len();
    let multi = engine
        .stories()
        .iter()
        .filter(|s| s.versions.len() > 1)
        .count();
    writeln!(
        out,
        "{HEADER}{n} {}{HEADER:#} ({multi} with several versions, {} found in one file only)",
        if n == 1 { "story" } else { "stories" },
        n - multi
    )?;
    let mut singles_started = false;
    for (i, s) in engine.stories().iter().enumerate() {
        if s.versions.len() < 2 && !singles_started {
            singles_started = true;
            writeln!(out, "\n{DIM}found in one file only:{DIM:#}")?;
        }
        let size = if s.versions.len() == 1 {
            "1 version".to_owned()
        } else {
            format!(
                "{} versions, {:.0}% different",
                s.versions.len(),
                s.spread * 100.0
            )
        };
        writeln!(
            out,
            "\n{HEADER}{}{HEADER:#}  {size}  {}",
            s.id,
            for_terminal(&s.title)
        )?;
        for v in 0..s.versions.len() {
            let a = engine.version(i, v);
            let mark = if v == s.central { "·" } else { " " };
            writeln!(
                out,
                "  {mark} {:<8} {}:{}",
                for_terminal(&a.id),
                for_terminal(&engine.version_path(i, v).display().to_string()),
                a.lines
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

/// A command's whole answer in JSON on standard output, gathered into large
/// writes: standard output alone writes each line as it comes, 181,425
/// writes for `stories --json` on 10,000 files. Not through the colour
/// adapter, which would read every byte again for codes JSON never holds
/// (and the JSON escapes what a terminal must not get raw).
fn print_json<T: Serialize + ?Sized>(doc: &T) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    crate::sanitize::to_json_writer(&mut out, doc)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// Standard output for a command's styled answer, gathered into large
/// writes (see [`print_json`]); the colour adapter strips the styles where
/// they are not wanted. Flush it at the end, so that a failed write is
/// reported rather than lost when it is dropped.
fn styled_stdout() -> std::io::BufWriter<anstream::AutoStream<std::io::StdoutLock<'static>>> {
    std::io::BufWriter::new(anstream::stdout().lock())
}

fn story_json<'a>(engine: &'a Engine, i: usize, s: &'a Story) -> StoryJson<'a> {
    StoryJson {
        id: &s.id,
        title: &s.title,
        spread: s.spread,
        central: &engine.version(i, s.central).id,
        versions: (0..s.versions.len())
            .map(|v| {
                let a = engine.version(i, v);
                VersionJson {
                    id: &a.id,
                    file: engine.version_path(i, v).display().to_string(),
                    lines: a.lines,
                    title: &a.title,
                    paragraphs: a.body_indices().count(),
                    outlet: a.meta.outlet.as_deref(),
                    url: a.meta.url.as_deref(),
                    date: a.meta.date.as_deref(),
                }
            })
            .collect(),
    }
}

/// `storydiff align`: the alignment table of one story.
pub fn align(engine: &Engine, story: usize, base: VersionIx, json: bool) -> Result<()> {
    let alignment = engine.alignment(story, base);
    if json {
        return print_json(&crate::export::json::AlignJson::new(
            engine, story, &alignment,
        ));
    }
    let mut out = styled_stdout();
    let s = engine.story(story);
    writeln!(
        out,
        "{HEADER}story {}{HEADER:#}  {}",
        s.id,
        for_terminal(&s.title)
    )?;
    writeln!(
        out,
        "base {}; cells give the paragraph's first line, ~ changed, ↕ moved, · missing, →N merged into row N",
        for_terminal(&engine.version(story, base).id)
    )?;
    let ids: Vec<String> = (0..s.versions.len())
        .map(|v| {
            let id = for_terminal(&engine.version(story, v).id).into_owned();
            if v == base { format!("{id}*") } else { id }
        })
        .collect();
    let width = ids
        .iter()
        .map(|i| i.chars().count())
        .max()
        .unwrap_or(3)
        .max(7);
    write!(out, "{HEADER}{:>4} {:<8}", "row", "kind")?;
    for id in &ids {
        write!(out, " {id:<width$}")?;
    }
    writeln!(out, "  text{HEADER:#}")?;
    let merged = alignment.merged_cells();
    for (r, row) in alignment.rows.iter().enumerate() {
        write!(
            out,
            "{:>4} {:<8}",
            r + 1,
            format!("{:?}", row.kind).to_lowercase()
        )?;
        let mut text = String::new();
        for (v, cell) in row.cells.iter().enumerate() {
            let label = match cell {
                None => match merged.get(&(r, v)) {
                    Some(k) => format!("→{}", k + 1),
                    None => "·".to_owned(),
                },
                Some(c) => {
                    let a = engine.version(story, v);
                    let lines: Vec<String> = c
                        .paragraphs
                        .iter()
                        .map(|&p| a.paragraphs[p].lines.first.to_string())
                        .collect();
                    if text.is_empty() {
                        text = c
                            .paragraphs
                            .first()
                            .map(|&p| a.paragraphs[p].text.to_string())
                            .unwrap_or_default();
                    }
                    let mark = if c.moved.is_some() {
                        "↕"
                    } else if c.status == crate::model::CellStatus::Changed {
                        "~"
                    } else {
                        ""
                    };
                    format!("{}{mark}", lines.join("+"))
                }
            };
            write!(out, " {label:<width$}")?;
        }
        writeln!(out, "  {DIM}{}{DIM:#}", for_terminal(&truncate(&text, 60)))?;
    }
    out.flush()?;
    Ok(())
}

/// `storydiff diff`: the changes between two versions of a story.
pub fn diff(
    engine: &Engine,
    story: usize,
    base: VersionIx,
    other: VersionIx,
    opts: &crate::diff::DiffOptions,
    json: bool,
) -> Result<()> {
    let cmp = engine.comparison(story, base, other, opts);
    if json {
        return print_json(&crate::export::json::DiffJson::with_options(
            engine, story, &cmp, opts,
        ));
    }
    // Standard output writes each line as it comes, and the colour adapter
    // each piece between two colour codes; a long diff is thousands of them,
    // so they are gathered into large writes.
    let stdout = std::io::stdout();
    let choice = anstream::AutoStream::choice(&stdout);
    let mut buffered = std::io::BufWriter::new(stdout.lock());
    if choice == anstream::ColorChoice::Never {
        // Plain output is written without colour codes rather than with
        // codes the stream then strips: stripping read every byte again.
        print_comparison(&mut buffered, engine, story, &cmp, &Palette::PLAIN)?;
    } else {
        let raw: &mut (dyn Write + 'static) = &mut buffered;
        let mut out = anstream::AutoStream::new(raw, choice);
        print_comparison(&mut out, engine, story, &cmp, &Palette::COLOR)?;
    }
    buffered.flush()?;
    Ok(())
}

/// `storydiff diff A B`: the main story of each file compared directly.
///
/// This is a whole run of the binary, which ends right after it: the engine
/// is left for the process's exit to reclaim, as freeing it piece by piece
/// would only delay the end of the command.
pub fn diff_files(
    a: &Path,
    b: &Path,
    settings: Settings,
    opts: &crate::diff::DiffOptions,
    json: bool,
) -> Result<()> {
    for p in [a, b] {
        if !p.is_file() {
            bail!(
                "{}: not a file (give two files, or a folder with --story, --base and --other)",
                p.display()
            );
        }
    }
    let engine = Engine::open_pair(a, b, settings)?;
    report_warnings(&engine);
    let printed = diff(&engine, 0, 0, 1, opts, json);
    std::mem::forget(engine);
    printed
}

fn print_comparison(
    out: &mut impl Write,
    engine: &Engine,
    story: usize,
    cmp: &Comparison,
    palette: &Palette,
) -> Result<()> {
    let Palette {
        removed,
        added,
        header,
    } = *palette;
    let s = engine.story(story);
    let (ba, oa) = (
        engine.version(story, cmp.base),
        engine.version(story, cmp.other),
    );
    writeln!(
        out,
        "{header}story {}{header:#}  {}",
        s.id,
        for_terminal(&s.title)
    )?;
    writeln!(
        out,
        "{removed}---{removed:#} {} {}",
        for_terminal(&ba.id),
        for_terminal(&engine.version_path(story, cmp.base).display().to_string())
    )?;
    writeln!(
        out,
        "{added}+++{added:#} {} {}",
        for_terminal(&oa.id),
        for_terminal(&engine.version_path(story, cmp.other).display().to_string())
    )?;
    // Rows are written out in order but made into text side by side: on a
    // long diff the formatting is as much work as a stage of the engine.
    let rows: Vec<Vec<u8>> = cmp
        .rows
        .par_iter()
        .enumerate()
        .filter(|(_, row)| row.kind != PairKind::Same)
        .map(|(i, row)| {
            // A row prints at most both sides' texts and its markers: room
            // for that at once rather than growing a byte buffer step by step.
            let len = |a: &Article, ps: &[usize]| {
                ps.iter()
                    .map(|&p| a.paragraphs[p].text.len())
                    .sum::<usize>()
            };
            let mut buf = Vec::with_capacity(len(ba, &row.base) + len(oa, &row.other) + 256);
            print_row(&mut buf, cmp, i, row, (ba, oa), palette).map(|()| buf)
        })
        .collect::<Result<_>>()?;
    for row in rows {
        out.write_all(&row)?;
    }
    let c = cmp.counts();
    writeln!(out)?;
    writeln!(
        out,
        "{header}{} changes{header:#}: {} spelling, {} style, {} wording, {} added, {} removed, {} moved",
        c.total(),
        c.spelling,
        c.style,
        c.wording,
        c.added,
        c.removed,
        c.moved
    )?;
    Ok(())
}

/// One changed row: its `@@` header line and its text, after a blank line.
fn print_row(
    out: &mut impl Write,
    cmp: &Comparison,
    i: usize,
    row: &PairRow,
    (ba, oa): (&Article, &Article),
    palette: &Palette,
) -> Result<()> {
    let Palette {
        removed,
        added,
        header,
    } = *palette;
    writeln!(out)?;
    writeln!(out, "{}", row_header(cmp, i, row, ba, oa, header))?;
    let text = |a: &Article, ps: &[usize]| {
        ps.iter()
            .map(|&p| &*a.paragraphs[p].text)
            .collect::<Vec<_>>()
            .join(" ")
    };
    match (row.kind, &row.diff) {
        (PairKind::Changed | PairKind::MovedTo, Some(d)) => print_inline(out, d, palette)?,
        (PairKind::Rewritten, _) => {
            writeln!(
                out,
                "{removed}- {}{removed:#}",
                for_terminal(&text(ba, &row.base))
            )?;
            writeln!(
                out,
                "{added}+ {}{added:#}",
                for_terminal(&text(oa, &row.other))
            )?;
        }
        (PairKind::Removed | PairKind::MovedFrom, _) => {
            writeln!(
                out,
                "{removed}- {}{removed:#}",
                for_terminal(&text(ba, &row.base))
            )?;
        }
        (PairKind::Added, _) => {
            writeln!(
                out,
                "{added}+ {}{added:#}",
                for_terminal(&text(oa, &row.other))
            )?;
        }
        _ => writeln!(out, "  {}", for_terminal(&text(oa, &row.other)))?,
    }
    Ok(())
}

fn row_header(
    cmp: &Comparison,
    i: usize,
    row: &PairRow,
    ba: &Article,
    oa: &Article,
    header: Style,
) -> String {
    let lines = |a: &Article, ps: &[usize]| {
        ps.iter()
            .map(|&p| a.paragraphs[p].lines.to_string())
            .collect::<Vec<_>>()
            .join("+")
    };
    let side = |a: &Article, ps: &[usize]| {
        if ps.is_empty() {
            "—".to_owned()
        } else {
            format!("{}:{}", for_terminal(&a.id), lines(a, ps))
        }
    };
    let what = match row.kind {
        PairKind::MovedFrom | PairKind::MovedTo => {
            let other_row = row.counterpart.and_then(|c| cmp.rows.get(c));
            let place = other_row
                .map(|r| match row.kind {
                    PairKind::MovedFrom => format!(
                        "moved: in {} at line {}",
                        for_terminal(&oa.id),
                        lines(oa, &r.other)
                    ),
                    _ => format!(
                        "moved: in {} at line {}",
                        for_terminal(&ba.id),
                        lines(ba, &r.base)
                    ),
                })
                .unwrap_or_else(|| "moved".to_owned());
            let _ = i;
            place
        }
        k => format!("{k:?}").to_lowercase(),
    };
    let kinds = row
        .diff
        .as_ref()
        .map(|d| {
            let mut n = [0usize; 3];
            for ch in &d.changes {
                match ch.kind {
                    ChangeKind::Spelling => n[0] += 1,
                    ChangeKind::Style => n[1] += 1,
                    _ => n[2] += 1,
                }
            }
            let parts: Vec<String> = ["spelling", "style", "wording"]
                .iter()
                .zip(n)
                .filter(|(_, c)| *c > 0)
                .map(|(k, c)| format!("{c} {k}"))
                .collect();
            if parts.is_empty() {
                String::new()
            } else {
                format!(" ({})", parts.join(", "))
            }
        })
        .unwrap_or_default();
    format!(
        "{header}@@ {} → {} {what}{kinds} @@{header:#}",
        side(ba, &row.base),
        side(oa, &row.other)
    )
}

/// A paragraph with removed words as `[-…-]` and added words as `{+…+}`
/// (git's word-diff markers), coloured as well when the stream allows it.
fn print_inline(out: &mut impl Write, d: &WordDiff, palette: &Palette) -> Result<()> {
    let Palette { removed, added, .. } = *palette;
    let mut pos = 0;
    for ch in &d.changes {
        out.write_all(for_terminal_lines(&d.old_text[pos..ch.old.start]).as_bytes())?;
        let old = &d.old_text[ch.old.clone()];
        let new = &d.new_text[ch.new.clone()];
        let tag = match ch.kind {
            ChangeKind::Spelling => "~",
            ChangeKind::Style => "^",
            _ => "",
        };
        if !old.is_empty() {
            write!(out, "{removed}[-{tag}")?;
            out.write_all(for_terminal_lines(old).as_bytes())?;
            write!(out, "-]{removed:#}")?;
        }
        if !new.is_empty() {
            write!(out, "{added}{{+{tag}")?;
            out.write_all(for_terminal_lines(new).as_bytes())?;
            write!(out, "+}}{added:#}")?;
        }
        pos = ch.old.end;
    }
    out.write_all(for_terminal_lines(&d.old_text[pos..]).as_bytes())?;
    writeln!(out)?;
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// `storydiff export`: write the export to `output` (`-` for stdout), or to
/// the default name in the config's export folder; say on stderr where.
pub fn export(
    engine: &Engine,
    req: &crate::export::ExportRequest,
    config: &crate::config::ExportConfig,
    output: Option<&Path>,
    force: bool,
    protected: &[PathBuf],
) -> Result<()> {
    use crate::export;
    if output == Some(Path::new("-")) {
        let text = export::render(engine, req)?;
        let mut out = std::io::stdout().lock();
        // Exports keep the file's text as it is, but a terminal must not get it raw.
        if std::io::IsTerminal::is_terminal(&out) {
            out.write_all(for_terminal_lines(&text).as_bytes())?;
        } else {
            out.write_all(text.as_bytes())?;
        }
        return Ok(());
    }
    let target = match output {
        Some(p) => p.to_path_buf(),
        None => {
            let version_id = |v: VersionIx| engine.version(req.story, v).id.as_str();
            let parts = crate::config::NameParts {
                story: &engine.story(req.story).id,
                base: version_id(req.base),
                other: match req.versions {
                    export::Versions::Pair(o) => Some(version_id(o)),
                    export::Versions::All => None,
                },
                format: req.format.name(),
                extension: req.format.extension(),
            };
            config.folder.join(config.file_name_for(&parts))
        }
    };
    let written = export::write(engine, req, &target, force, protected)?;
    let mut err = anstream::stderr().lock();
    writeln!(
        err,
        "wrote {}",
        for_terminal(&written.display().to_string())
    )?;
    Ok(())
}

/// What `storydiff config` was asked to do.
pub enum ConfigAction {
    Path,
    Default,
    Check(Option<PathBuf>),
}

/// `storydiff config path|default|check`.
pub fn config(action: ConfigAction, explicit: Option<&Path>) -> Result<()> {
    use crate::config;
    let mut out = anstream::stdout().lock();
    match action {
        ConfigAction::Path => writeln!(out, "{}", config::locate(explicit))?,
        ConfigAction::Default => write!(out, "{}", config::DEFAULT_TOML)?,
        ConfigAction::Check(path) => {
            let path = match path {
                Some(p) => p,
                None => config::locate(explicit)
                    .path
                    .context("no config folder on this system: name a file to check")?,
            };
            let warnings = config::check(&path)?;
            for w in &warnings {
                writeln!(out, "warning: {}", for_terminal(&w.to_string()))?;
            }
            writeln!(
                out,
                "{}: ok{}",
                for_terminal(&path.display().to_string()),
                if warnings.is_empty() {
                    String::new()
                } else {
                    format!(" ({} warnings)", warnings.len())
                }
            )?;
        }
    }
    Ok(())
}
