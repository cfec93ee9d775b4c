//! No byte of a file reaches the terminal raw: every hostile text is shown
//! on every screen of the interface (ratatui's test backend), printed by
//! every command of the real binary (`--color always`, the terminal path),
//! and exported in every format; no ESC, C1 or bidi control may come out
//! unescaped. Right-to-left and wide text keep the side-by-side divider in
//! one column.

mod hostile_common;

use std::path::Path;
use std::process::Command as Process;
use std::sync::Arc;

use hostile_common::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use storydiff::engine::Engine;
use storydiff::export::{self, ExportRequest, Format};
use storydiff::tui::event::Work;
use storydiff::tui::{App, Command, Event, Keymap, Screen, Theme, draw};

// ---- the interface --------------------------------------------------------

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent {
        code,
        modifiers: KeyModifiers::NONE,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    })
}

/// Hand an event to the app and carry out what it asks, the way the runner
/// does, but on this thread.
fn feed(app: &mut App, engine: &Arc<Engine>, ev: Event) {
    let mut queue = app.handle(ev);
    while let Some(cmd) = queue.pop() {
        let more = match cmd {
            Command::Compare { generation, key } => {
                let mut opts = engine.settings().diff.clone();
                opts.hide_style = key.hide_style;
                let comparison = engine.comparison(key.story, key.base, key.other, &opts);
                app.handle(Event::WorkDone {
                    generation,
                    work: Work::Compared { key, comparison },
                })
            }
            Command::Align {
                generation,
                story,
                base,
            } => {
                let alignment = engine.alignment(story, base);
                app.handle(Event::WorkDone {
                    generation,
                    work: Work::Aligned {
                        story,
                        base,
                        alignment,
                    },
                })
            }
            Command::SaveState => app.handle(Event::StateSaved(Ok(()))),
            Command::Load { .. } | Command::Quit | Command::Refresh { .. } | Command::Export(_) => {
                Vec::new()
            }
        };
        queue.extend(more);
    }
}

fn render(app: &mut App, w: u16, h: u16) -> Buffer {
    app.set_size(w, h);
    app.relayout();
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| draw(f, app)).unwrap();
    term.backend().buffer().clone()
}

fn screen_text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// No cell of the screen holds a character a terminal would act on.
fn assert_clean_buffer(buf: &Buffer, what: &str) {
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let s = buf[(x, y)].symbol();
            assert!(
                !s.chars().any(is_dangerous),
                "{what}: cell ({x},{y}) holds {s:?}\n{}",
                screen_text(buf)
            );
        }
    }
}

/// The side-by-side divider stands in one column on every row of the body,
/// and no wide character spills into it.
fn assert_divider_aligned(app: &App, buf: &Buffer, what: &str) {
    let body = app.areas().body;
    // Rows past the end of the text are blank, divider and all.
    let rows: Vec<u16> = (body.y..body.bottom())
        .filter(|&y| (body.x..body.right()).any(|x| buf[(x, y)].symbol() != " "))
        .collect();
    let column = |y: u16| -> Vec<u16> {
        (body.x..body.right())
            .filter(|&x| buf[(x, y)].symbol() == "│")
            .collect()
    };
    let candidates = column(rows[0]);
    let x = candidates
        .into_iter()
        .find(|&x| rows.iter().all(|&y| buf[(x, y)].symbol() == "│"))
        .unwrap_or_else(|| {
            panic!(
                "{what}: no divider column on every row\n{}",
                screen_text(buf)
            )
        });
    for &y in &rows {
        let before = buf[(x - 1, y)].symbol();
        assert!(
            storydiff::tui::wrap::width(before) <= 1,
            "{what}: a wide character {before:?} runs into the divider on row {y}\n{}",
            screen_text(buf)
        );
    }
}

/// A wide, a middling and the smallest terminal.
const SIZES: &[(u16, u16)] = &[(100, 30), (60, 16), (40, 12)];

/// Every screen, for every story and version of the corpus in `dir`, at a
/// few sizes. Returns all the text drawn.
fn walk_every_screen(dir: &Path, what: &str, sizes: &[(u16, u16)]) -> String {
    let engine = Arc::new(open(dir));
    let theme = Theme::named("default", true).unwrap();
    let mut app = App::new(Keymap::default(), theme, vec![dir.to_path_buf()], (100, 30));
    app.start();
    feed(
        &mut app,
        &engine,
        Event::Loaded {
            generation: 1,
            engine: Arc::clone(&engine),
        },
    );
    let mut seen = String::new();
    let mut check = |app: &mut App, label: &str| {
        for &(w, h) in sizes {
            let buf = render(app, w, h);
            let label = format!("{what}: {label} at {w}×{h}");
            assert_clean_buffer(&buf, &label);
            let pair = app
                .view
                .as_ref()
                .is_some_and(|v| engine.story(v.story).versions.len() > 1);
            if pair && app.screen == Screen::SideBySide {
                assert_divider_aligned(app, &buf, &label);
            }
            seen.push_str(&screen_text(&buf));
        }
    };
    check(&mut app, "stories");
    let entries = app.entries().len();
    for entry in 0..entries {
        feed(&mut app, &engine, key(KeyCode::Home));
        for _ in 0..entry {
            feed(&mut app, &engine, key(KeyCode::Down));
        }
        check(&mut app, &format!("stories, entry {entry} selected"));
        feed(&mut app, &engine, key(KeyCode::Enter));
        assert_eq!(app.screen, Screen::SideBySide);
        let story = app.view.as_ref().map(|v| v.story).unwrap();
        let versions = engine.story(story).versions.len();
        for v in 0..versions.max(2) - 1 {
            check(
                &mut app,
                &format!("side by side, story {story} variant {v}"),
            );
            feed(&mut app, &engine, key(KeyCode::Char('f')));
            check(
                &mut app,
                &format!("side by side with furniture, story {story}"),
            );
            feed(&mut app, &engine, key(KeyCode::Char('f')));
            feed(&mut app, &engine, key(KeyCode::Char('n')));
            feed(&mut app, &engine, key(KeyCode::End));
            check(&mut app, &format!("side by side at the end, story {story}"));
            feed(&mut app, &engine, key(KeyCode::Right));
        }
        feed(&mut app, &engine, key(KeyCode::Char('o')));
        assert_eq!(app.screen, Screen::Overview);
        check(&mut app, &format!("overview, story {story}"));
        feed(&mut app, &engine, key(KeyCode::Char('?')));
        check(&mut app, "help");
        feed(&mut app, &engine, key(KeyCode::Esc));
        feed(&mut app, &engine, key(KeyCode::Esc));
        if app.screen != Screen::Stories {
            feed(&mut app, &engine, key(KeyCode::Esc));
        }
    }
    // The corpus warnings are shown in the message line: a file name with escapes among them.
    seen
}

#[test]
fn every_screen_shows_hostile_text_safely() {
    for case in text_cases() {
        let dir = tempfile::tempdir().unwrap();
        case.write(dir.path());
        let seen = walk_every_screen(dir.path(), case.name, SIZES);
        if case.name == "hostile file name" {
            assert!(
                seen.contains("evil␛]0;title␇"),
                "the file name is not shown with placeholders"
            );
        }
        if case.name == "escapes" {
            assert!(
                seen.contains("␛[2J"),
                "escape sequences are not shown as placeholders"
            );
            assert!(
                seen.contains("⟨U+202E⟩"),
                "bidi overrides are not shown as placeholders: {:?}",
                seen.lines()
                    .filter(|l| l.contains("desrever"))
                    .take(3)
                    .collect::<Vec<_>>()
            );
        }
    }
}

// ---- the command line -----------------------------------------------------

/// Output of the real binary on a terminal path: colours forced on, no
/// config, a private state folder.
fn run(args: &[&std::ffi::OsStr]) -> (String, String) {
    let home = tempfile::tempdir().unwrap();
    let out = Process::new(env!("CARGO_BIN_EXE_storydiff"))
        .env("STORYDIFF_CACHE_DIR", env!("CARGO_TARGET_TMPDIR"))
        .args(args)
        .arg("--color")
        .arg("always")
        .arg("--state-dir")
        .arg(home.path().join("state"))
        .env_remove("STORYDIFF_CONFIG")
        .env_remove("NO_COLOR")
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("HOME", home.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8(out.stderr).expect("stderr is UTF-8");
    assert!(out.status.success(), "storydiff {args:?} failed: {stderr}");
    (stdout, stderr)
}

/// Text for a terminal: the only escape sequences are storydiff's own
/// colours (SGR, `ESC [ … m`); nothing else dangerous is left.
fn assert_clean_terminal(text: &str, what: &str) {
    let mut rest = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\u{1b}' {
            let tail = &text[i + 1..];
            let sgr = tail.strip_prefix('[').and_then(|t| {
                let end = t.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
                (t.as_bytes()[end] == b'm').then_some(end + 2)
            });
            let Some(len) = sgr else {
                let around: String = text[i..].chars().take(30).collect();
                panic!("{what}: a raw escape sequence {around:?}");
            };
            for _ in 0..len {
                chars.next();
            }
            continue;
        }
        rest.push(c);
    }
    for (n, line) in rest.lines().enumerate() {
        assert!(
            !line.chars().any(|c| is_dangerous(c) && c != '\n'),
            "{what}: line {} holds a control or bidi character: {line:?}",
            n + 1
        );
    }
}

/// JSON: the dangerous characters appear only as `\u` escapes, and the
/// text parses back exactly.
fn assert_clean_json(text: &str, what: &str) -> serde_json::Value {
    assert!(
        !text.chars().any(|c| is_dangerous(c) && c != '\n'),
        "{what}: a raw control or bidi character in JSON"
    );
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{what}: not JSON ({e})"))
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

/// The story of `file` in the corpus, and the versions to compare it with.
fn story_of(engine: &Engine, file: &str) -> (usize, usize, usize) {
    for (i, s) in engine.stories().iter().enumerate() {
        for v in 0..s.versions.len() {
            if engine
                .version_path(i, v)
                .file_name()
                .is_some_and(|n| n.to_string_lossy() == file)
            {
                let other = if s.versions.len() > 1 {
                    (v + 1) % s.versions.len()
                } else {
                    v
                };
                return (i, v, other);
            }
        }
    }
    panic!("{file} is in no story");
}

#[test]
fn every_command_prints_hostile_text_safely() {
    for case in text_cases() {
        let dir = tempfile::tempdir().unwrap();
        case.write(dir.path());
        let what = case.name;
        let d = dir.path().as_os_str();
        let (out, err) = run(&[os("stories"), d]);
        assert_clean_terminal(&out, &format!("{what}: stories"));
        assert_clean_terminal(&err, &format!("{what}: stories warnings"));
        let (out, err) = run(&[os("stories"), os("--json"), d]);
        assert_clean_json(&out, &format!("{what}: stories --json"));
        assert_clean_terminal(&err, &format!("{what}: stories --json warnings"));

        let engine = open(dir.path());
        let (s, v, o) = story_of(&engine, case.file);
        let story = engine.story(s).id.clone();
        let (base, other) = (
            engine.version(s, v).id.clone(),
            engine.version(s, o).id.clone(),
        );
        let align = [
            os("align"),
            d,
            os("--story"),
            os(&story),
            os("--base"),
            os(&base),
        ];
        let (out, _) = run(&align);
        assert_clean_terminal(&out, &format!("{what}: align"));
        let (out, _) = run(&[&align[..], &[os("--json")]].concat());
        assert_clean_json(&out, &format!("{what}: align --json"));
        let diff = [
            os("diff"),
            d,
            os("--story"),
            os(&story),
            os("--base"),
            os(&base),
            os("--other"),
            os(&other),
        ];
        let (out, _) = run(&diff);
        assert_clean_terminal(&out, &format!("{what}: diff"));
        let (out, _) = run(&[&diff[..], &[os("--json")]].concat());
        let json = assert_clean_json(&out, &format!("{what}: diff --json"));
        assert!(json.get("changes").is_some());
        // Two files compared directly: the hostile one against a good one.
        let a = dir.path().join("good_a.txt");
        let b = dir.path().join(case.file);
        let (out, err) = run(&[os("diff"), a.as_os_str(), b.as_os_str()]);
        assert_clean_terminal(&out, &format!("{what}: diff of two files"));
        assert_clean_terminal(&err, &format!("{what}: diff of two files, warnings"));
        let (out, _) = run(&[os("diff"), os("--json"), a.as_os_str(), b.as_os_str()]);
        assert_clean_json(&out, &format!("{what}: diff --json of two files"));
    }
}

/// JSON keeps the text exact: the escape sequences of the hostile file come
/// back byte for byte from `diff --json`.
#[test]
fn json_keeps_the_original_text() {
    let dir = tempfile::tempdir().unwrap();
    put_good(dir.path());
    std::fs::write(dir.path().join("escapes.txt"), escapes_text()).unwrap();
    let a = dir.path().join("good_b.txt");
    let b = dir.path().join("escapes.txt");
    let (out, _) = run(&[os("diff"), os("--json"), a.as_os_str(), b.as_os_str()]);
    assert!(
        out.contains("\\u001b[2J") && out.contains("\\u202e"),
        "{out}"
    );
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(json.to_string().contains("\\u001b[2J"));
    let mut found = false;
    walk_strings(&json, &mut |s| found |= s.contains("\u{1b}[2J"));
    assert!(found, "the escape sequence is not in the parsed JSON");
}

fn walk_strings(v: &serde_json::Value, f: &mut impl FnMut(&str)) {
    match v {
        serde_json::Value::String(s) => f(s),
        serde_json::Value::Array(a) => a.iter().for_each(|x| walk_strings(x, f)),
        serde_json::Value::Object(o) => o.values().for_each(|x| walk_strings(x, f)),
        _ => {}
    }
}

// ---- exports --------------------------------------------------------------

#[test]
fn every_export_escapes_hostile_text() {
    for case in text_cases() {
        let dir = tempfile::tempdir().unwrap();
        case.write(dir.path());
        let engine = open(dir.path());
        let (s, v, o) = story_of(&engine, case.file);
        for format in Format::ALL {
            for (req, label) in [
                (ExportRequest::pair(format, s, v, o), "pair"),
                (ExportRequest::pair(format, s, o, v), "pair, reversed"),
                (ExportRequest::all(format, s, v), "whole story"),
                (
                    ExportRequest {
                        show_furniture: true,
                        ..ExportRequest::all(format, s, o)
                    },
                    "whole story with furniture",
                ),
            ] {
                let what = format!("{}: {format} export, {label}", case.name);
                let text = export::render(&engine, &req).unwrap();
                match format {
                    Format::Json => {
                        assert_clean_json(&text, &what);
                    }
                    _ => assert!(
                        !text
                            .chars()
                            .any(|c| is_dangerous(c) && c != '\n' && c != '\t'),
                        "{what}: a raw control or bidi character: {:?}",
                        text.chars()
                            .position(|c| is_dangerous(c) && c != '\n' && c != '\t')
                            .map(|p| text
                                .chars()
                                .skip(p.saturating_sub(20))
                                .take(40)
                                .collect::<String>())
                    ),
                }
            }
        }
    }
}

/// A file name with escapes shows in the status bar with placeholders, not
/// silently cut down to its printable characters.
#[test]
fn status_bar_shows_a_hostile_file_name() {
    // 003's text under the hostile name: a version other than the central one.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good_a.txt"), sample("000")).unwrap();
    std::fs::write(dir.path().join("good_c.txt"), sample("004")).unwrap();
    let name = "evil\u{1b}]0;title\u{7}\u{1b}[2J\u{202E}gpj.txt";
    std::fs::write(dir.path().join(name), sample("003")).unwrap();
    let engine = Arc::new(open(dir.path()));
    let theme = Theme::named("default", false).unwrap();
    let mut app = App::new(
        Keymap::default(),
        theme,
        vec![dir.path().to_path_buf()],
        (120, 30),
    );
    app.start();
    feed(
        &mut app,
        &engine,
        Event::Loaded {
            generation: 1,
            engine: Arc::clone(&engine),
        },
    );
    feed(&mut app, &engine, key(KeyCode::Enter));
    let mut status_lines = Vec::new();
    for _ in 0..3 {
        let buf = render(&mut app, 120, 30);
        let y = app.areas().status.y;
        let row: String = (0..120).map(|x| buf[(x, y)].symbol().to_owned()).collect();
        status_lines.push(row);
        feed(&mut app, &engine, key(KeyCode::Right));
    }
    assert!(
        status_lines
            .iter()
            .any(|l| l.contains("evil␛]0;title␇␛[2J⟨U+202E⟩gpj.txt")),
        "{status_lines:#?}"
    );
}

/// A 10 MB line, once alone and once against another version of itself
/// with a few words changed, on every screen.
#[test]
fn a_huge_line_on_every_screen() {
    let words = [
        "wire", "story", "minister", "said", "talks", "Tehran", "agency", "on",
    ];
    let mut x = 7u64;
    let mut line = String::with_capacity(10 << 20);
    while line.len() < 10 << 20 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        line.push_str(words[(x >> 33) as usize % words.len()]);
        line.push(' ');
    }
    let edited = line.replacen("minister", "\u{1b}[2Jprime minister", 3);
    let dir = tempfile::tempdir().unwrap();
    put_good(dir.path());
    std::fs::write(
        dir.path().join("huge_a.txt"),
        format!("Huge line\n\n{line}\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("huge_b.txt"),
        format!("Huge line\n\n{edited}\n"),
    )
    .unwrap();
    let d = dir.path().to_path_buf();
    // One size: every relayout wraps the whole 10 MB paragraph again.
    no_hang(900, move || walk_every_screen(&d, "huge line", &[(80, 24)]));
}
