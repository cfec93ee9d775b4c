//! End to end: the real binary in a pseudo-terminal. Open the sample
//! corpus, move to another version, mark it canonical, quit; a second run
//! must show that version as canonical (★). Export from the dialog, in the
//! theme and folder a config file names, and replace the file on a second
//! export.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 40;
const COLS: u16 = 160;
/// A failsafe for a hung program, not a performance bound.
const PATIENCE: Duration = Duration::from_secs(60);

struct Session {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Session {
    fn start(state_dir: &Path) -> Session {
        Session::start_in(state_dir, Path::new(env!("CARGO_MANIFEST_DIR")), &[])
    }

    fn start_in(state_dir: &Path, cwd: &Path, args: &[&str]) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_storydiff"));
        cmd.env("STORYDIFF_CACHE_DIR", env!("CARGO_TARGET_TMPDIR"));
        cmd.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/corpus"));
        cmd.arg("--state-dir");
        cmd.arg(state_dir);
        cmd.arg("--no-mouse");
        cmd.args(["--color", "never"]);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("STORYDIFF_CONFIG");
        cmd.cwd(cwd);
        let child = pty.slave.spawn_command(cmd).expect("start storydiff");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("pty reader");
        let writer = pty.master.take_writer().expect("pty writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(ROWS, COLS, 0)));
        let feed = Arc::clone(&screen);
        std::thread::spawn(move || {
            let _master = pty.master;
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut p) = feed.lock() {
                    p.process(&buf[..n]);
                }
            }
        });
        Session {
            screen,
            writer,
            child,
        }
    }

    fn contents(&self) -> String {
        self.screen
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    /// Wait until the screen shows what `pred` looks for; returns the screen.
    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.contents();
            if pred(&s) {
                return s;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "gave up waiting for {what}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush keys");
    }

    fn wait_exit(&mut self) {
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(status.success(), "storydiff exited with {status:?}");
                return;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "storydiff did not quit; screen:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The "version N of M: file" part of the status bar.
fn shown_version(screen: &str) -> Option<String> {
    let at = screen.find("version ")?;
    let rest = &screen[at..];
    let end = rest.find(" │").unwrap_or(rest.len());
    Some(rest[..end].to_owned())
}

/// The version id named canonical in the status bar ("★ 002 canonical").
fn canonical_in_status(screen: &str) -> Option<String> {
    screen.lines().find_map(|l| {
        let at = l.find("★ ")?;
        let rest = &l[at + "★ ".len()..];
        let (id, tail) = rest.split_once(' ')?;
        (tail.starts_with("canonical") && !tail.starts_with("canonical mark"))
            .then(|| id.to_owned())
    })
}

#[test]
fn canonical_mark_survives_a_restart() {
    let state = tempfile::tempdir().expect("temp dir");

    let mut s = Session::start(state.path());
    s.wait_for("the story list", |s| {
        s.contains("versions") && s.contains("Stories")
    });
    s.send("\r");
    let first = s.wait_for("the side-by-side view", |s| shown_version(s).is_some());
    let first_version = shown_version(&first);
    s.send("l");
    let moved = s.wait_for("another version", |s| {
        shown_version(s) != first_version && s.contains("changed")
    });
    let variant = shown_version(&moved).expect("a version in the status bar");
    s.send("c");
    let marked = s.wait_for("the canonical mark", |s| canonical_in_status(s).is_some());
    let id = canonical_in_status(&marked).expect("canonical id");
    assert!(
        variant.contains(&id) || marked.contains(&format!("{id} ★")),
        "{marked}"
    );
    s.send("q");
    s.wait_for("the story list again", |s| {
        s.contains("type to filter") || s.contains("Filter")
    });
    s.send("q");
    s.wait_exit();
    let saved =
        std::fs::read_to_string(state.path().join("state.toml")).expect("state.toml written");
    assert!(saved.contains(&id), "{saved}");

    let mut s = Session::start(state.path());
    s.wait_for("the story list", |s| s.contains("versions"));
    s.send("\r");
    let again = s.wait_for("the canonical version on the left", |s| {
        canonical_in_status(s).is_some()
    });
    assert_eq!(
        canonical_in_status(&again).as_deref(),
        Some(id.as_str()),
        "{again}"
    );
    assert!(again.contains(&format!("{id} ★")), "{again}");
    s.send("\u{3}");
    s.wait_exit();
}

#[test]
fn export_dialog_writes_and_replaces_a_file() {
    let state = tempfile::tempdir().expect("temp dir");
    let work = tempfile::tempdir().expect("temp dir");
    let out = work.path().join("exports");
    std::fs::create_dir(&out).expect("exports folder");
    let config = work.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[interface.theme]\nname = \"colorblind\"\n\n[export]\nfolder = {:?}\nformat = \"markdown\"\n",
            out.display().to_string()
        ),
    )
    .expect("config written");
    let config_arg = config.display().to_string();
    let mut s = Session::start_in(state.path(), work.path(), &["--config", &config_arg]);
    s.wait_for("the story list", |s| {
        s.contains("versions") && s.contains("Stories")
    });
    s.send("\r");
    s.wait_for("the side-by-side view", |s| {
        shown_version(s).is_some() && s.contains("changed")
    });
    s.send("e");
    let dialog = s.wait_for("the export dialog", |s| {
        s.contains("Export") && s.contains(".md")
    });
    assert!(dialog.contains("markdown"), "{dialog}");
    s.send("\r");
    let done = s.wait_for("the export written", |s| s.contains("exported to"));
    let written: Vec<_> = std::fs::read_dir(&out)
        .expect("exports folder")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}\n{done}");
    let md = std::fs::read_to_string(&written[0]).expect("the export");
    assert!(md.contains("(base) compared with version"), "{md}");

    // Again: the file exists; y replaces it.
    std::fs::write(&written[0], "old").expect("overwrite");
    s.send("e");
    s.wait_for("the export dialog", |s| {
        s.contains("Export") && s.contains(".md")
    });
    s.send("\r");
    s.wait_for("the question", |s| s.contains("replace it? y/n"));
    s.send("y");
    s.wait_for("the export written", |s| s.contains("exported to"));
    let md = std::fs::read_to_string(&written[0]).expect("the export");
    assert_ne!(md, "old");
    s.send("\u{3}");
    s.wait_exit();
}
