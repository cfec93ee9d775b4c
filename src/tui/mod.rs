//! The full-screen interface.
//!
//! In: [`TuiOptions`] (paths, engine settings, mouse, colour, state folder,
//! display preferences and theme, key bindings, export settings). Out: an interactive session on the
//! terminal, which is always restored on quit, Ctrl-C, SIGTERM or a panic.
//!
//! Architecture: one [`Event`] channel fed by an input thread, a signal
//! thread and an engine worker thread; [`App::handle`] turns events into
//! state changes and [`Command`]s; pure `draw` functions (one file a view)
//! paint `&App`. Every queued event is handled before one frame is drawn.

pub mod app;
pub mod event;
pub mod export_dialog;
pub mod help;
pub mod keymap;
pub mod overview;
pub mod side_by_side;
pub mod status;
pub mod stories;
pub mod theme;
pub mod wrap;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};

use ratatui::crossterm::{cursor, event as ct, execute, terminal};
use ratatui::{Frame, Terminal, backend::CrosstermBackend};

pub use app::{App, Prefs, Screen};
pub use event::{Command, Event};
pub use keymap::{Action, Keymap, KeymapError};
pub use theme::{ColorMode, Theme, ThemeError};

use crate::config::{Config, ExportConfig, ThemeConfig};
use crate::engine::Settings;
use crate::state::State;

/// Display preferences, e.g. from the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UiPrefs {
    /// A name from [`theme::THEMES`] and colours set part by part.
    pub theme: ThemeConfig,
    /// Wrap long paragraphs (else cut them with "…").
    pub wrap: bool,
    /// Show page furniture instead of folding it.
    pub show_furniture: bool,
}

impl Default for UiPrefs {
    fn default() -> Self {
        UiPrefs {
            theme: ThemeConfig {
                name: "dark".into(),
                colors: BTreeMap::new(),
            },
            wrap: true,
            show_furniture: false,
        }
    }
}

/// Everything the interface needs to start.
#[derive(Debug, Clone)]
pub struct TuiOptions {
    /// Files and folders to read; empty means the sample corpus.
    pub paths: Vec<PathBuf>,
    pub settings: Settings,
    pub mouse: bool,
    pub color: ColorMode,
    /// Where canonical marks live; `None` means [`crate::state::default_dir`].
    pub state_dir: Option<PathBuf>,
    pub prefs: UiPrefs,
    /// Keys by action name (see `assets/keymap.toml`): the config's full
    /// `[keys]`, or only some actions; the rest keep their default keys.
    pub keys: BTreeMap<String, Vec<String>>,
    /// Whether and how to watch the paths for changes.
    pub watch: crate::watch::WatchOptions,
    /// Where exports go, their default format and file names.
    pub export: ExportConfig,
    /// Where the model is kept between sessions; `None`: not kept.
    pub cache: Option<crate::cache::Cache>,
}

impl Default for TuiOptions {
    fn default() -> Self {
        TuiOptions {
            paths: Vec::new(),
            settings: Settings::default(),
            mouse: true,
            color: ColorMode::Auto,
            state_dir: None,
            prefs: UiPrefs::default(),
            keys: BTreeMap::new(),
            watch: crate::watch::WatchOptions::default(),
            export: Config::default().export,
            cache: None,
        }
    }
}

/// Why the interface could not start or had to stop.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("theme: {0}")]
    Theme(#[from] ThemeError),
    #[error("key bindings: {0}")]
    Keymap(#[from] KeymapError),
    #[error("terminal error: {0} (storydiff's interface needs an interactive terminal)")]
    Terminal(#[from] std::io::Error),
}

/// The paths to read: the given ones, or the sample corpus.
pub fn resolve_paths(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("assets")
                .join("corpus"),
        ]
    } else {
        paths.to_vec()
    }
}

/// Build the app state the way [`run`] does, without a terminal.
pub fn build_app(opts: &TuiOptions, size: (u16, u16)) -> Result<App, TuiError> {
    let keymap = Keymap::default().with_overrides(&opts.keys)?;
    let theme = Theme::from_config(
        &opts.prefs.theme.name,
        &opts.prefs.theme.colors,
        opts.color.enabled(),
    )?;
    let mut app = App::new(keymap, theme, resolve_paths(&opts.paths), size);
    app.export_config = opts.export.clone();
    app.cache = opts.cache.clone();
    app.prefs.wrap = opts.prefs.wrap;
    app.prefs.show_furniture = opts.prefs.show_furniture;
    app.state_dir = opts.state_dir.clone().or_else(crate::state::default_dir);
    match &app.state_dir {
        Some(dir) => match State::load(dir) {
            Ok(loaded) => {
                app.state = loaded.state;
                if let Some(notice) = loaded.notice {
                    app.error(notice);
                }
            }
            Err(e) => app.error(format!("{e}; canonical marks start empty")),
        },
        None => app.error("no folder for storydiff's state was found; canonical marks will not be saved (pass --state-dir)"),
    }
    Ok(app)
}

/// Draw the whole interface for the current state.
pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    if area.width < app::MIN_WIDTH || area.height < app::MIN_HEIGHT {
        let text = format!(
            "storydiff needs a terminal of at least {}×{}; this one is {}×{}.",
            app::MIN_WIDTH,
            app::MIN_HEIGHT,
            area.width,
            area.height
        );
        stories::centered(frame, area, &text, app.theme.base);
        return;
    }
    // The theme's text and background colours under everything.
    frame.buffer_mut().set_style(area, app.theme.base);
    let a = app::areas(area);
    status::draw_header(frame, a.header, app);
    match app.screen {
        Screen::Stories => stories::draw(frame, a.body, app),
        Screen::SideBySide => side_by_side::draw(frame, a.body, app),
        Screen::Overview => overview::draw(frame, a.body, app),
        Screen::Help => help::draw(frame, a.body, app),
    }
    if let Some(d) = &app.export {
        export_dialog::draw(frame, a.body, app, d);
    }
    status::draw_status(frame, a.status, app);
    status::draw_hints(frame, a.hints, app);
}

/// Run the interface until the user quits.
pub fn run(opts: TuiOptions) -> Result<(), TuiError> {
    let mut app = build_app(&opts, (80, 24))?;
    let settings = opts.settings.clone();
    let crash_dir = app.state_dir.clone();

    let (tx, rx) = mpsc::channel::<Event>();
    let guard = TerminalGuard::enter(opts.mouse)?;
    let hook = PanicHook::install(crash_dir, opts.mouse);
    let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
    let size = terminal.size()?;
    app.set_size(size.width, size.height);

    let stop = Arc::new(AtomicBool::new(false));
    event::spawn_input(tx.clone(), Arc::clone(&stop))?;
    event::spawn_signals(tx.clone())?;
    let jobs = event::spawn_worker(tx.clone())?;
    let _watcher = app::watching::start(&mut app, &opts.watch, &settings.load, tx.clone());

    let first = app.start();
    execute_all(&mut app, first, &jobs, &settings);
    terminal.draw(|f| draw(f, &app))?;
    let result = loop {
        let Ok(ev) = rx.recv() else { break Ok(()) };
        let mut commands = app.handle(ev);
        while let Ok(ev) = rx.try_recv() {
            commands.extend(app.handle(ev));
        }
        execute_all(&mut app, commands, &jobs, &settings);
        if app.quitting() {
            break Ok(());
        }
        if let Ok(size) = terminal.size() {
            app.set_size(size.width, size.height);
        }
        if let Err(e) = terminal.draw(|f| draw(f, &app)) {
            break Err(TuiError::Terminal(e));
        }
    };
    stop.store(true, Ordering::Relaxed);
    drop(terminal);
    drop(guard);
    hook.uninstall();
    event::stop_keeping();
    result
}

fn execute_all(
    app: &mut App,
    commands: Vec<Command>,
    jobs: &Sender<event::Job>,
    settings: &Settings,
) {
    for cmd in commands {
        let Some(job) = job_for(app, cmd, settings) else {
            continue;
        };
        if jobs.send(job).is_err() {
            app.error("the engine worker stopped; press q to quit and start again");
        }
    }
}

/// The worker's job for a command; `None` for what is done here and now
/// (saving the canonical marks is small) or needs no engine work. Public for
/// tests that drive the real worker thread.
pub fn job_for(app: &mut App, cmd: Command, settings: &Settings) -> Option<event::Job> {
    let engine = app.engine.clone();
    match cmd {
        Command::Quit => None,
        Command::Load { generation } => Some(event::Job::Load {
            generation,
            paths: app.paths.clone(),
            settings: Box::new(settings.clone()),
            cache: app.cache.clone(),
        }),
        Command::Compare { generation, key } => Some(event::Job::Compare {
            generation,
            engine: engine?,
            key,
        }),
        Command::Align {
            generation,
            story,
            base,
        } => Some(event::Job::Align {
            generation,
            engine: engine?,
            story,
            base,
        }),
        Command::Refresh {
            generation,
            paths,
            focus,
        } => Some(event::Job::Refresh {
            generation,
            engine: engine?,
            roots: app.paths.clone(),
            paths,
            focus,
        }),
        Command::Export(order) => Some(event::Job::Export {
            engine: engine?,
            order,
            protected: app.paths.clone(),
        }),
        Command::SaveState => {
            let result = match &app.state_dir {
                Some(dir) => app.state.save(dir).map_err(|e| e.to_string()),
                None => Err("no state folder".into()),
            };
            app.handle(Event::StateSaved(result));
            None
        }
    }
}

/// Carry out `commands` on this thread, as the runner and its worker do,
/// until the app asks for nothing more: the interface without a terminal
/// or threads, for tests and benchmarks.
pub fn run_here(app: &mut App, commands: Vec<Command>, settings: &Settings) {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut queue = commands;
    while !queue.is_empty() {
        let mut next = Vec::new();
        for cmd in queue {
            if let Some(job) = job_for(app, cmd, settings) {
                let done = event::run_job(job, &tx);
                // Progress notes first, as the worker sends them.
                for ev in rx.try_iter().chain(std::iter::once(done)) {
                    next.extend(app.handle(ev));
                }
            }
        }
        queue = next;
    }
}

/// Raw mode, alternate screen and mouse capture, undone on drop. Public
/// so that the crash path can be tested in a pseudo-terminal.
pub struct TerminalGuard {
    mouse: bool,
}

impl TerminalGuard {
    pub fn enter(mouse: bool) -> std::io::Result<TerminalGuard> {
        terminal::enable_raw_mode()?;
        TERMINAL_ENTERED.store(true, Ordering::SeqCst);
        let guard = TerminalGuard { mouse };
        let mut out = std::io::stdout();
        execute!(out, terminal::EnterAlternateScreen, cursor::Hide)?;
        if mouse {
            execute!(out, ct::EnableMouseCapture)?;
        }
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal(self.mouse);
    }
}

/// Whether the terminal is in the interface's modes. Restoring happens once:
/// the panic hook does it, then the guard is dropped while unwinding, and a
/// second "leave the alternate screen" would move the cursor back to where
/// storydiff started, so that the shell prompt overwrites the crash message.
static TERMINAL_ENTERED: AtomicBool = AtomicBool::new(false);

fn restore_terminal(mouse: bool) {
    if !TERMINAL_ENTERED.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = std::io::stdout();
    if mouse {
        let _ = execute!(out, ct::DisableMouseCapture);
    }
    let _ = execute!(out, terminal::LeaveAlternateScreen, cursor::Show);
    let _ = terminal::disable_raw_mode();
    let _ = out.flush();
}

type Hook = Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Sync + Send + 'static>;

/// A panic hook that restores the terminal before the panic is printed and
/// writes a crash report under the state folder. A panic on the worker
/// thread is caught and reported by the interface, so the terminal stays.
/// Public so that the crash path can be tested in a pseudo-terminal.
pub struct PanicHook {
    previous: Arc<Mutex<Option<Hook>>>,
}

impl PanicHook {
    pub fn install(dir: Option<PathBuf>, mouse: bool) -> PanicHook {
        let previous = Arc::new(Mutex::new(Some(std::panic::take_hook())));
        let prev = Arc::clone(&previous);
        std::panic::set_hook(Box::new(move |info| {
            let report = format!(
                "storydiff {} crashed on thread '{}': {info}\n\n{}\n",
                env!("CARGO_PKG_VERSION"),
                std::thread::current().name().unwrap_or("?"),
                std::backtrace::Backtrace::force_capture()
            );
            let written = dir.as_deref().and_then(|d| write_crash_report(d, &report));
            if std::thread::current().name() == Some(event::WORKER_THREAD) {
                if let Ok(mut last) = event::LAST_CRASH_REPORT.lock() {
                    *last = written;
                }
                return;
            }
            restore_terminal(mouse);
            if let Ok(guard) = prev.lock()
                && let Some(hook) = guard.as_ref()
            {
                hook(info);
            }
            if let Some(path) = written {
                eprintln!(
                    "storydiff: a crash report was written to {}",
                    path.display()
                );
            }
        }));
        PanicHook { previous }
    }

    pub fn uninstall(self) {
        let prev = self.previous.lock().ok().and_then(|mut g| g.take());
        let _ = std::panic::take_hook();
        if let Some(hook) = prev {
            std::panic::set_hook(hook);
        }
    }
}

fn write_crash_report(dir: &Path, report: &str) -> Option<PathBuf> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    std::fs::create_dir_all(dir).ok()?;
    let path = dir.join(format!("crash-{stamp}.txt"));
    std::fs::write(&path, report).ok()?;
    Some(path)
}

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod tests;
