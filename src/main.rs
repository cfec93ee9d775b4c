//! The `storydiff` binary: argument parsing only. The interface lives in
//! `storydiff::tui`, the headless commands in `storydiff::cli`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Find the versions of each story in a folder of articles, align their
/// paragraphs and show every wording change side by side.
///
/// With no command, opens the interface on PATHs (default: the sample corpus).
#[derive(Parser)]
#[command(name = "storydiff", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// Folders or files of articles (default: the sample corpus).
    paths: Vec<PathBuf>,

    #[command(flatten)]
    global: Global,

    /// Keep the terminal's own text selection: no mouse capture.
    #[arg(long)]
    no_mouse: bool,

    /// Do not watch the folders for changes (press r to reload by hand).
    #[arg(long)]
    no_watch: bool,

    /// Look at the files every few seconds instead of asking the system for
    /// change notices (network filesystems).
    #[arg(long)]
    poll: bool,
}

#[derive(Args)]
struct Global {
    /// Config file to read (default: $STORYDIFF_CONFIG, else config.toml in the
    /// platform's config folder; see `storydiff config path`).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Where canonical marks are kept (default: the platform's data folder).
    #[arg(long, global = true, value_name = "DIR")]
    state_dir: Option<PathBuf>,

    /// When to use colours.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    color: Color,

    /// Read every file, without the model kept from the last open (and keep
    /// none); see docs/cache.md.
    #[arg(long, global = true)]
    no_cache: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// List the stories found, largest first.
    Stories {
        /// Folders or files of articles (default: the sample corpus).
        paths: Vec<PathBuf>,
        /// Print JSON (keys documented in docs/cli.md).
        #[arg(long)]
        json: bool,
    },
    /// Show how the paragraphs of every version of a story line up.
    Align {
        paths: Vec<PathBuf>,
        /// Story id (or a unique prefix), from `storydiff stories`.
        #[arg(long)]
        story: String,
        /// Version to align against (default: the canonical one, else the most central).
        #[arg(long, value_name = "VERSION")]
        base: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show the changes between two versions of a story, or between two files.
    Diff {
        /// A folder (with --story, --base, --other), or exactly two files.
        paths: Vec<PathBuf>,
        #[arg(long)]
        story: Option<String>,
        #[arg(long, value_name = "VERSION")]
        base: Option<String>,
        #[arg(long, value_name = "VERSION")]
        other: Option<String>,
        /// Leave out style-only changes (case, punctuation, quotes, abbreviation dots).
        #[arg(long)]
        hide_style: bool,
        #[arg(long)]
        json: bool,
    },
    /// Write the chosen diff, or the whole story's alignment, to a file.
    Export {
        paths: Vec<PathBuf>,
        #[arg(long)]
        story: String,
        #[arg(long, value_name = "VERSION")]
        base: Option<String>,
        /// The version compared with the base.
        #[arg(
            long,
            value_name = "VERSION",
            required_unless_present = "all",
            conflicts_with = "all"
        )]
        other: Option<String>,
        /// Every version of the story, aligned against the base.
        #[arg(long)]
        all: bool,
        /// unified, markdown, html or json (default: the config's export format).
        #[arg(long)]
        format: Option<String>,
        /// The file to write, or - for standard output (default: a name made from
        /// the story and versions, in the config's export folder).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
        /// Leave out style-only changes.
        #[arg(long)]
        hide_style: bool,
        /// Show page furniture (HTML only).
        #[arg(long)]
        furniture: bool,
    },
    /// Print one line per change of the story model while files change.
    Watch {
        paths: Vec<PathBuf>,
        /// JSON Lines (keys documented in docs/cli.md).
        #[arg(long)]
        json: bool,
        /// Poll instead of asking the system for change notices.
        #[arg(long)]
        poll: bool,
    },
    /// Where the config is read from, the default config, or a check of a file.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Print where storydiff looks for its config file.
    Path,
    /// Print the full default config (the same as config.example.toml).
    Default,
    /// Check a config file (default: the one storydiff would read).
    Check { path: Option<PathBuf> },
}

/// Below this many bytes in the two files, a pair is diffed on the main
/// thread alone: starting worker threads (and their malloc arenas) costs
/// more than the parallel parts (reading, segmenting and sketching each
/// file, the rows' word diffs) save on the sample's pairs, about 12 KB;
/// two threads take a tenth off at 70 KB and a sixth to a quarter at 50
/// times the sample's size (docs/benchmarks.md).
const PARALLEL_PAIR_BYTES: u64 = 64 * 1024;

/// Make rayon's pool for a pair of files: the main thread alone for a small
/// pair (see [`PARALLEL_PAIR_BYTES`]), else the main thread and the usual
/// workers less one. The main thread only waits for the pool's work
/// otherwise; as one of its threads it works instead, and no worker has to
/// be woken to start each parallel step.
fn pair_pool(a: &std::path::Path, b: &std::path::Path) {
    let size = |p: &std::path::Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let threads = if size(a).saturating_add(size(b)) < PARALLEL_PAIR_BYTES {
        1
    } else {
        // The workers' heaps are the ones that grow a few pages at a time.
        storydiff::memory::grow_in_large_steps();
        // Rayon's own default for the count.
        0
    };
    // An error means the pool already exists; it is then used as it is.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .use_current_thread()
        .build_global();
}

fn main() -> ExitCode {
    storydiff::memory::one_heap_a_core();
    // A bug must still end in one readable line, not a backtrace; the
    // interface replaces this hook with one that restores the terminal first.
    std::panic::set_hook(Box::new(|info| {
        let msg = storydiff::sanitize::for_terminal(&info.to_string()).into_owned();
        eprintln!(
            "error: storydiff hit a bug and stopped ({msg}); please report it with the command you ran"
        );
    }));
    let cli = Cli::parse();
    let choice = match cli.global.color {
        Color::Auto => anstream::ColorChoice::Auto,
        Color::Always => anstream::ColorChoice::Always,
        Color::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`storydiff diff A B | head`): it has what it
        // wanted, so that is no error to report, as in other Unix tools.
        Err(e) if closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let msg = format!("{e:#}");
            eprintln!("error: {}", storydiff::sanitize::for_terminal(&msg));
            ExitCode::FAILURE
        }
    }
}

fn closed_pipe(e: &anyhow::Error) -> bool {
    let broken = |kind: Option<std::io::ErrorKind>| kind == Some(std::io::ErrorKind::BrokenPipe);
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| broken(Some(io.kind())))
            // serde_json keeps the failed write's error inside its own, and
            // does not give it as its source.
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| broken(j.io_error_kind()))
    })
}

fn run(cli: Cli) -> anyhow::Result<()> {
    use storydiff::{cli, config};
    if let Some(Command::Config { command }) = &cli.command {
        return cli::config(
            match command {
                ConfigCommand::Path => cli::ConfigAction::Path,
                ConfigCommand::Default => cli::ConfigAction::Default,
                ConfigCommand::Check { path } => cli::ConfigAction::Check(path.clone()),
            },
            cli.global.config.as_deref(),
        );
    }
    let loaded = config::load(cli.global.config.as_deref())?;
    for w in &loaded.warnings {
        eprintln!(
            "warning: {}",
            storydiff::sanitize::for_terminal(&w.to_string())
        );
    }
    let config = loaded.config;
    let settings = config.settings();
    let cache = (config.corpus.cache && !cli.global.no_cache)
        .then(storydiff::cache::Cache::default_place)
        .flatten();
    let open = |paths: &[PathBuf], settings| cli::open(paths, settings, cache.as_ref());
    let state_dir = cli
        .global
        .state_dir
        .clone()
        .or_else(storydiff::state::default_dir);
    let or_default = |paths: Vec<PathBuf>| {
        if paths.is_empty() {
            config.corpus.paths.clone()
        } else {
            paths
        }
    };
    match cli.command {
        None => Ok(storydiff::tui::run(storydiff::tui::TuiOptions {
            paths: or_default(cli.paths),
            mouse: config.ui.mouse && !cli.no_mouse,
            color: match cli.global.color {
                Color::Auto => storydiff::tui::ColorMode::Auto,
                Color::Always => storydiff::tui::ColorMode::Always,
                Color::Never => storydiff::tui::ColorMode::Never,
            },
            state_dir,
            prefs: storydiff::tui::UiPrefs {
                theme: config.ui.theme.clone(),
                wrap: config.ui.wrap,
                show_furniture: config.ui.show_furniture,
            },
            keys: config.ui.keys.clone(),
            export: config.export.clone(),
            cache: cache.clone(),
            watch: {
                let mut w = storydiff::watch::WatchOptions::from_config(&config.watch);
                w.enabled &= !cli.no_watch;
                if cli.poll {
                    w.poll = w.poll.or(Some(storydiff::watch::DEFAULT_POLL));
                }
                w
            },
            settings,
        })?),
        Some(Command::Stories { paths, json }) => {
            open(&or_default(paths), settings)?.run(|engine| cli::stories(engine, json))
        }
        Some(Command::Align {
            paths,
            story,
            base,
            json,
        }) => open(&or_default(paths), settings)?.run(|engine| {
            let s = engine.find_story(&story)?;
            let b = cli::choose_base(engine, s, base.as_deref(), state_dir.as_deref())?;
            cli::align(engine, s, b, json)
        }),
        Some(Command::Diff {
            paths,
            story,
            base,
            other,
            hide_style,
            json,
        }) => {
            let mut opts = settings.diff.clone();
            opts.hide_style |= hide_style;
            match story {
                None if paths.len() == 2 => {
                    pair_pool(&paths[0], &paths[1]);
                    cli::diff_files(&paths[0], &paths[1], settings, &opts, json)
                }
                None => anyhow::bail!(
                    "give --story with --other (see `storydiff stories`), or exactly two files to compare"
                ),
                Some(story) => open(&or_default(paths), settings)?.run(|engine| {
                    let s = engine.find_story(&story)?;
                    let b = cli::choose_base(engine, s, base.as_deref(), state_dir.as_deref())?;
                    let Some(other) = other else {
                        anyhow::bail!("give --other VERSION: the version to compare with the base");
                    };
                    let o = engine.find_version(s, &other)?;
                    cli::diff(engine, s, b, o, &opts, json)
                }),
            }
        }
        Some(Command::Export {
            paths,
            story,
            base,
            other,
            all,
            format,
            output,
            force,
            hide_style,
            furniture,
        }) => {
            let paths = or_default(paths);
            open(&paths, settings)?.run(|engine| {
                let s = engine.find_story(&story)?;
                let b = cli::choose_base(engine, s, base.as_deref(), state_dir.as_deref())?;
                let versions = match (all, other) {
                    (true, _) => storydiff::export::Versions::All,
                    (false, Some(o)) => {
                        storydiff::export::Versions::Pair(engine.find_version(s, &o)?)
                    }
                    (false, None) => anyhow::bail!("give --other VERSION or --all"),
                };
                let format: storydiff::export::Format =
                    format.as_deref().unwrap_or(&config.export.format).parse()?;
                let mut diff = engine.settings().diff.clone();
                diff.hide_style |= hide_style;
                let req = storydiff::export::ExportRequest {
                    format,
                    story: s,
                    base: b,
                    versions,
                    show_furniture: furniture,
                    diff,
                };
                cli::export(
                    engine,
                    &req,
                    &config.export,
                    output.as_deref(),
                    force,
                    &paths,
                )
            })
        }
        Some(Command::Watch { paths, json, poll }) => {
            let mut w = storydiff::watch::WatchOptions::from_config(&config.watch);
            if poll {
                w.poll = w.poll.or(Some(storydiff::watch::DEFAULT_POLL));
            }
            storydiff::watch::run_cli(&or_default(paths), settings, &w, json, cache.as_ref())
        }
        Some(Command::Config { .. }) => Ok(()),
    }
}
