//! The `storydiff` binary: argument parsing only. The interface lives in
//! `storydiff::tui`, the headless commands in `storydiff::cli`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use storydiff::engine::Settings;

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
}

#[derive(Args)]
struct Global {
    /// Where canonical marks are kept (default: the platform's data folder).
    #[arg(long, global = true, value_name = "DIR")]
    state_dir: Option<PathBuf>,

    /// When to use colours.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    color: Color,
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let choice = match cli.global.color {
        Color::Auto => anstream::ColorChoice::Auto,
        Color::Always => anstream::ColorChoice::Always,
        Color::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let msg = format!("{e:#}");
            eprintln!("error: {}", storydiff::sanitize::for_terminal(&msg));
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    use storydiff::cli;
    let settings = Settings::default();
    let state_dir = cli
        .global
        .state_dir
        .clone()
        .or_else(storydiff::state::default_dir);
    match cli.command {
        None => Ok(storydiff::tui::run(storydiff::tui::TuiOptions {
            paths: cli.paths,
            settings,
            mouse: !cli.no_mouse,
            color: match cli.global.color {
                Color::Auto => storydiff::tui::ColorMode::Auto,
                Color::Always => storydiff::tui::ColorMode::Always,
                Color::Never => storydiff::tui::ColorMode::Never,
            },
            state_dir,
            ..Default::default()
        })?),
        Some(Command::Stories { paths, json }) => cli::stories(&cli::open(&paths, settings)?, json),
        Some(Command::Align {
            paths,
            story,
            base,
            json,
        }) => {
            let engine = cli::open(&paths, settings)?;
            let s = engine.find_story(&story)?;
            let b = cli::choose_base(&engine, s, base.as_deref(), state_dir.as_deref())?;
            cli::align(&engine, s, b, json)
        }
        Some(Command::Diff {
            paths,
            story,
            base,
            other,
            hide_style,
            json,
        }) => {
            let opts = storydiff::diff::DiffOptions { hide_style };
            match story {
                None if paths.len() == 2 => {
                    cli::diff_files(&paths[0], &paths[1], settings, &opts, json)
                }
                None => anyhow::bail!(
                    "give --story with --other (see `storydiff stories`), or exactly two files to compare"
                ),
                Some(story) => {
                    let engine = cli::open(&paths, settings)?;
                    let s = engine.find_story(&story)?;
                    let b = cli::choose_base(&engine, s, base.as_deref(), state_dir.as_deref())?;
                    let Some(other) = other else {
                        anyhow::bail!("give --other VERSION: the version to compare with the base");
                    };
                    let o = engine.find_version(s, &other)?;
                    cli::diff(&engine, s, b, o, &opts, json)
                }
            }
        }
    }
}
