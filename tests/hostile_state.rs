//! State, exports, config and crashes: a writer killed at any moment leaves
//! the old file or the new one, never half of one; a corrupt state file is
//! moved aside and reported by both fronts; a broken config stops the
//! program with the file, line, column and key; a panic restores the
//! terminal and says where the crash report is.

mod hostile_common;

use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hasher};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hostile_common::*;
use storydiff::engine::{Engine, Settings};
use storydiff::export::{self, ExportRequest, Format};
use storydiff::state::{CanonicalMark, State};

const CHILD_ENV: &str = "STORYDIFF_HOSTILE_CHILD";

fn random_below(n: u64) -> u64 {
    std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
        % n.max(1)
}

/// Two states large enough that writing one takes a while.
fn state_version(which: u8) -> State {
    let mut canonical = BTreeMap::new();
    for i in 0..3000 {
        canonical.insert(
            format!("story{i:05}"),
            CanonicalMark {
                version: format!("v{which}-{i}"),
                file: format!("/corpus/{which}/file {i} with “quotes” and \\ slashes.txt"),
                body_hash: format!("{:016x}", u64::from(which) * 1_000_003 + i),
            },
        );
    }
    State { canonical }
}

/// This test binary run again as a child that does one job until killed.
fn spawn_child(test: &str, job: &str, dir: &Path) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads", "1"])
        .env(CHILD_ENV, format!("{job}:{}", dir.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn child_job() -> Option<(String, PathBuf)> {
    let v = std::env::var(CHILD_ENV).ok()?;
    let (job, dir) = v.split_once(':')?;
    Some((job.to_owned(), PathBuf::from(dir)))
}

fn wait_for(path: &Path) {
    let start = Instant::now();
    while !path.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the child never wrote {path:?}"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// The child side: write the two states in turn, forever.
#[test]
fn child_state_writer() {
    let Some((job, dir)) = child_job() else {
        return;
    };
    if job != "state" {
        return;
    }
    let versions = [state_version(1), state_version(2)];
    for i in 0.. {
        versions[i % 2].save(&dir).unwrap();
    }
}

#[test]
fn state_survives_a_kill_at_any_moment() {
    let dir = tempfile::tempdir().unwrap();
    let versions = [state_version(1), state_version(2)];
    let file = dir.path().join("state.toml");
    for round in 0..30 {
        let mut child = spawn_child("child_state_writer", "state", dir.path());
        wait_for(&file);
        std::thread::sleep(Duration::from_micros(random_below(40_000)));
        child.kill().unwrap();
        child.wait().unwrap();
        let loaded = State::load(dir.path()).unwrap();
        assert!(
            loaded.notice.is_none(),
            "round {round}: {:?}",
            loaded.notice
        );
        assert!(
            versions.contains(&loaded.state),
            "round {round}: the state is neither the old nor the new one"
        );
    }
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("corrupt")), "{names:?}");
    // Each temporary file left is a kill that landed between write and rename.
    let mid_write = names.iter().filter(|n| n.ends_with(".tmp")).count();
    println!("{mid_write} of 30 kills landed between writing and renaming");
}

fn sample_engine() -> Engine {
    Engine::open(&[sample_dir()], Settings::default()).unwrap()
}

/// The two exports the child writes in turn, rendered here to compare with.
fn export_versions(engine: &Engine) -> [String; 2] {
    let story = engine
        .stories()
        .iter()
        .position(|s| s.versions.len() >= 3)
        .unwrap();
    [1, 2].map(|o| {
        export::render(engine, &ExportRequest::pair(Format::Unified, story, 0, o)).unwrap()
    })
}

#[test]
fn child_export_writer() {
    let Some((job, dir)) = child_job() else {
        return;
    };
    if job != "export" {
        return;
    }
    let engine = sample_engine();
    let story = engine
        .stories()
        .iter()
        .position(|s| s.versions.len() >= 3)
        .unwrap();
    let target = dir.join("export.diff");
    for i in 0.. {
        let req = ExportRequest::pair(Format::Unified, story, 0, 1 + i % 2);
        export::write(&engine, &req, &target, true, &[]).unwrap();
    }
}

#[test]
fn export_survives_a_kill_at_any_moment() {
    let dir = tempfile::tempdir().unwrap();
    let versions = export_versions(&sample_engine());
    let file = dir.path().join("export.diff");
    for round in 0..40 {
        let mut child = spawn_child("child_export_writer", "export", dir.path());
        wait_for(&file);
        std::thread::sleep(Duration::from_micros(random_below(40_000)));
        child.kill().unwrap();
        child.wait().unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            versions.contains(&text),
            "round {round}: the export is neither the old nor the new one ({} bytes)",
            text.len()
        );
    }
    let mid_write = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .count();
    println!("{mid_write} of 40 kills landed between writing and renaming");
}

// ---- a corrupt state file -------------------------------------------------

fn asides(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("state.toml.corrupt-"))
        .collect();
    v.sort();
    v
}

#[test]
fn corrupt_state_is_moved_aside_never_over_an_earlier_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state.toml");
    let garbage: [&[u8]; 3] = [
        b"[canonical.abc\nversion = ",
        b"canonical = 5\n",
        b"\xff\xfe not utf-8 \x00",
    ];
    for (i, bytes) in garbage.iter().enumerate() {
        std::fs::write(&file, bytes).unwrap();
        let loaded = State::load(dir.path()).unwrap();
        assert_eq!(loaded.state, State::default());
        let notice = loaded.notice.expect("a notice");
        assert!(notice.contains("moved to"), "{notice}");
        assert!(!file.exists());
        let kept = asides(dir.path());
        assert_eq!(
            kept.len(),
            i + 1,
            "an earlier copy was written over: {kept:?}"
        );
        assert!(kept.iter().any(|p| std::fs::read(p).unwrap() == *bytes));
    }
}

fn storydiff(args: &[&std::ffi::OsStr], state: &Path) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_storydiff"))
        .env("STORYDIFF_CACHE_DIR", env!("CARGO_TARGET_TMPDIR"))
        .args(args)
        .arg("--state-dir")
        .arg(state)
        .env_remove("STORYDIFF_CONFIG")
        .env("XDG_CONFIG_HOME", home.path())
        .env("HOME", home.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// The Iran story's id and two of its version ids, in the sample corpus.
fn iran() -> (String, String, String) {
    let e = sample_engine();
    // The largest story: the Iran story, in every sample file.
    let s = 0;
    (
        e.story(s).id.clone(),
        e.version(s, 0).id.clone(),
        e.version(s, 1).id.clone(),
    )
}

#[test]
fn the_command_line_reports_a_corrupt_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state.toml");
    std::fs::write(&file, "[canonical.x]\nversion = \"\u{1b}[2J").unwrap();
    let (story, _, other) = iran();
    let corpus = sample_dir();
    let out = storydiff(
        &[
            "diff".as_ref(),
            corpus.as_os_str(),
            "--story".as_ref(),
            story.as_ref(),
            "--other".as_ref(),
            other.as_ref(),
        ],
        dir.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("could not be read") && err.contains("moved to"),
        "{err}"
    );
    assert!(!err.contains('\u{1b}'), "{err}");
    assert_eq!(asides(dir.path()).len(), 1);
}

#[test]
fn the_interface_reports_a_corrupt_state_file() {
    use storydiff::tui::{TuiOptions, build_app};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("state.toml"), "not = [toml").unwrap();
    let app = build_app(
        &TuiOptions {
            paths: vec![sample_dir()],
            state_dir: Some(dir.path().to_path_buf()),
            ..TuiOptions::default()
        },
        (100, 30),
    )
    .unwrap();
    let message = app.message.as_ref().expect("a message");
    assert!(message.error, "shown as an error");
    assert!(message.text.contains("moved to"), "{}", message.text);
    assert_eq!(asides(dir.path()).len(), 1);
}

#[test]
fn marks_survive_a_corrupt_file_and_a_save() {
    // The marks of the moved-aside file are still there for the user to recover.
    let dir = tempfile::tempdir().unwrap();
    let good = state_version(1);
    good.save(dir.path()).unwrap();
    let mut text = std::fs::read_to_string(dir.path().join("state.toml")).unwrap();
    text.push_str("\n[[[broken");
    std::fs::write(dir.path().join("state.toml"), &text).unwrap();
    assert!(State::load(dir.path()).unwrap().notice.is_some());
    State::default().save(dir.path()).unwrap();
    let aside = asides(dir.path());
    assert_eq!(std::fs::read_to_string(&aside[0]).unwrap(), text);
}

// ---- a broken config --------------------------------------------------------

fn with_config(text: &[u8], args: &[&str]) -> (std::process::Output, PathBuf, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("my config.toml");
    std::fs::write(&cfg, text).unwrap();
    let mut all: Vec<&std::ffi::OsStr> = vec!["--config".as_ref(), cfg.as_os_str()];
    all.extend(args.iter().map(|a| std::ffi::OsStr::new(*a)));
    let out = storydiff(&all, &dir.path().join("state"));
    (out, cfg, dir)
}

#[test]
fn a_broken_config_stops_the_program_with_file_line_column_and_key() {
    let corpus = sample_dir().display().to_string();
    let cases: [(&[u8], &str, Option<&str>); 5] = [
        (b"[matching]\npair_threshold = 0.5\n[ui\n", ":3:", None),
        (
            b"[corpus]\nextensions = [\"txt\"]\n\n[matching]\npair_threshold = \"high\"\n",
            ":5:18:",
            Some("matching.pair_threshold"),
        ),
        (
            b"[matching]\ncluster_min_shared = -3\n",
            ":2:",
            Some("matching.cluster_min_shared"),
        ),
        (
            b"[cleaning]\nfurniture_patterns = [\"ok\", \"(broken\"]\n",
            ":2:",
            Some("cleaning.furniture_patterns[1]"),
        ),
        (b"\xff\xfe[ui]\n", "my config.toml", None),
    ];
    for (text, position, key) in cases {
        for args in [vec!["stories", corpus.as_str()], vec![corpus.as_str()]] {
            let (out, cfg, _d) = with_config(text, &args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "started with a broken config: {err}");
            assert!(
                out.stdout.is_empty(),
                "printed before failing: {:?}",
                out.stdout
            );
            let first = err.lines().next().unwrap_or("");
            assert!(first.contains(&cfg.display().to_string()), "{err}");
            assert!(first.contains(position), "{err}");
            if let Some(key) = key {
                assert!(first.contains(key), "{err}");
            }
            assert!(!err.contains('\u{1b}'), "{err}");
        }
    }
}

#[test]
fn config_text_with_escapes_is_reported_safely() {
    let (out, _, _d) = with_config(
        b"[ui]\n\"\x1b[2Jtheme\" = 1\n[matching]\npair_threshold = \"\x1b]0;x\x07\"\n",
        &["stories"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        !err.chars().any(|c| is_dangerous(c) && c != '\n'),
        "{err:?}"
    );
}

// ---- crashes ----------------------------------------------------------------

/// The child side of the panic test: the interface's terminal set-up and
/// panic hook, then a panic, as a crash in the interface would.
#[test]
fn child_panicking_interface() {
    let Some((job, dir)) = child_job() else {
        return;
    };
    if job != "panic" {
        return;
    }
    let guard = storydiff::tui::TerminalGuard::enter(true).unwrap();
    let _hook = storydiff::tui::PanicHook::install(Some(dir), true);
    print!("drawing the interface\r\n");
    let _ = std::io::Write::flush(&mut std::io::stdout());
    let _keep = &guard;
    panic!("a bug in the interface");
}

#[cfg(unix)]
#[test]
fn a_panic_restores_the_terminal_and_says_where_the_report_is() {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let dir = tempfile::tempdir().unwrap();
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(std::env::current_exe().unwrap());
    cmd.args([
        "child_panicking_interface",
        "--exact",
        "--nocapture",
        "--test-threads",
        "1",
    ]);
    cmd.env(CHILD_ENV, format!("panic:{}", dir.path().display()));
    cmd.env("TERM", "xterm-256color");
    cmd.env("RUST_BACKTRACE", "0");
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            all.extend_from_slice(&buf[..n]);
        }
        let _ = tx.send(all);
    });
    let status = child.wait().unwrap();
    assert!(!status.success(), "the child did not panic");
    let termios = pty
        .master
        .get_termios()
        .map(|t| format!("{:?}", t.local_flags));
    drop(pty.master);
    let raw = rx.recv_timeout(Duration::from_secs(60)).unwrap();
    let mut screen = vt100::Parser::new(30, 200, 0);
    screen.process(&raw);
    let s = screen.screen();
    assert!(!s.alternate_screen(), "still on the alternate screen");
    assert!(!s.hide_cursor(), "the cursor is still hidden");
    let text = s.contents();
    assert!(text.contains("a bug in the interface"), "{text}");
    let line = text
        .lines()
        .find(|l| l.contains("crash report was written to"))
        .unwrap_or_else(|| panic!("no crash report line in {text}"));
    let path = line.split("written to ").nth(1).unwrap().trim();
    let report = std::fs::read_to_string(path).unwrap();
    assert!(report.contains("a bug in the interface"), "{report}");
    // Mouse reporting off again: the last mouse mode sequence turns it off.
    let raw = String::from_utf8_lossy(&raw);
    let on = raw.rfind("\u{1b}[?1000h");
    let off = raw.rfind("\u{1b}[?1000l");
    assert!(on.is_some() && off > on, "mouse capture not released");
    // Raw mode off again: the line discipline echoes and edits lines.
    if let Some(flags) = termios {
        assert!(
            flags.contains("ICANON") && flags.contains("ECHO"),
            "{flags}"
        );
    } else {
        println!("note: the pseudo-terminal's modes could not be read back");
    }
}

/// A panic on the engine worker is caught: the interface gets an error
/// event that says where the crash report went, and the worker goes on.
#[test]
fn a_worker_panic_becomes_a_message_with_the_report() {
    use std::sync::Arc;
    use storydiff::tui::event::{CompareKey, Job, spawn_worker};
    use storydiff::tui::{Event, PanicHook};
    let dir = tempfile::tempdir().unwrap();
    let hook = PanicHook::install(Some(dir.path().to_path_buf()), false);
    let (tx, rx) = std::sync::mpsc::channel();
    let jobs = spawn_worker(tx).unwrap();
    let engine = Arc::new(sample_engine());
    let bad = CompareKey {
        story: 10_000,
        base: 0,
        other: 1,
        hide_style: false,
    };
    jobs.send(Job::Compare {
        generation: 1,
        engine: Arc::clone(&engine),
        key: bad,
    })
    .unwrap();
    let ev = rx.recv_timeout(Duration::from_secs(60)).unwrap();
    let Event::WorkFailed { message, .. } = ev else {
        panic!("expected a failure, got {ev:?}")
    };
    assert!(message.contains("internal error"), "{message}");
    let report = message
        .split("crash report: ")
        .nth(1)
        .map(|p| p.trim_end_matches(')'))
        .unwrap_or_else(|| panic!("no report path in {message}"));
    assert!(Path::new(report).exists());
    // The worker still works.
    let good = CompareKey { story: 0, ..bad };
    jobs.send(Job::Compare {
        generation: 2,
        engine,
        key: good,
    })
    .unwrap();
    let ev = rx.recv_timeout(Duration::from_secs(60)).unwrap();
    assert!(matches!(ev, Event::WorkDone { .. }), "{ev:?}");
    hook.uninstall();
}
