//! The interface driven by events without a terminal, and drawn into
//! ratatui's test backend for snapshots.

use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers, MouseButton, MouseEvent,
    MouseEventKind,
};
use ratatui::style::{Color, Modifier};

use super::app::{App, Screen};
use super::event::{Command, CompareKey, Event, Work};
use super::fixtures;
use super::keymap::Keymap;
use super::theme::Theme;
use super::{draw, help};
use crate::engine::Engine;

fn key(code: KeyCode) -> Event {
    key_mod(code, KeyModifiers::NONE)
}

fn key_mod(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent {
        code,
        modifiers,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    })
}

fn ch(c: char) -> Event {
    key(KeyCode::Char(c))
}

fn app_with(size: (u16, u16), color: bool) -> (App, Arc<Engine>) {
    let theme = Theme::named("default", color).unwrap();
    let mut app = App::new(Keymap::default(), theme, vec!["assets/corpus".into()], size);
    let cmds = app.start();
    assert_eq!(cmds, [Command::Load { generation: 1 }]);
    let engine = fixtures::engine();
    app.handle(Event::Loaded {
        generation: 1,
        engine: Arc::clone(&engine),
    });
    (app, engine)
}

fn app() -> App {
    app_with((80, 24), true).0
}

fn compare_key(other: usize) -> CompareKey {
    CompareKey {
        story: 0,
        base: 0,
        other,
        hide_style: false,
    }
}

fn deliver(app: &mut App, key: CompareKey, c: crate::model::Comparison) {
    let generation = app.generation;
    app.handle(Event::WorkDone {
        generation,
        work: Work::Compared {
            key,
            comparison: Arc::new(c),
        },
    });
}

/// The app with the Iran story open, 000 against 003.
fn opened(size: (u16, u16)) -> App {
    let (mut app, _) = app_with(size, true);
    let cmds = app.handle(key(KeyCode::Enter));
    assert_eq!(
        cmds,
        [Command::Compare {
            generation: 1,
            key: compare_key(1)
        }]
    );
    assert_eq!(app.screen, Screen::SideBySide);
    deliver(&mut app, compare_key(1), fixtures::comparison_000_003());
    app
}

fn render(app: &mut App, w: u16, h: u16) -> Buffer {
    app.set_size(w, h);
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| draw(f, app)).unwrap();
    term.backend().buffer().clone()
}

/// The buffer's text, one line a row, wide characters counted once.
fn text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let s = buf[(x, y)].symbol();
            line.push_str(s);
            skip = super::wrap::width(s).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Position of the first cell where `word` starts, searching rows in order.
fn find(buf: &Buffer, word: &str, from_x: u16) -> Option<(u16, u16)> {
    let n = word.chars().count() as u16;
    for y in 0..buf.area.height {
        for x in from_x..buf.area.width.saturating_sub(n - 1) {
            let s: String = (0..n)
                .map(|k| buf[(x + k, y)].symbol().to_owned())
                .collect();
            if s == word {
                return Some((x, y));
            }
        }
    }
    None
}

#[test]
fn stories_screen() {
    let mut app = app();
    let buf = render(&mut app, 80, 24);
    insta::assert_snapshot!("stories_80x24", text(&buf));
    let s = text(&buf);
    assert!(s.contains("3 versions"));
    assert!(s.contains("found in one file only (1)"));
    let buf = render(&mut app, 40, 12);
    insta::assert_snapshot!("stories_40x12", text(&buf));
}

#[test]
fn first_frame_shows_progress_while_loading() {
    let theme = Theme::named("default", true).unwrap();
    let mut app = App::new(Keymap::default(), theme, vec![], (80, 24));
    app.start();
    app.handle(Event::Progress("reading assets/corpus".into()));
    let s = text(&render(&mut app, 80, 24));
    assert!(s.contains("reading assets/corpus…"), "{s}");
    // Keys work while loading.
    app.handle(ch('?'));
    assert_eq!(app.screen, Screen::Help);
    app.handle(ch('q'));
    assert_eq!(app.screen, Screen::Stories);
    assert_eq!(app.handle(ch('q')), [Command::Quit]);
}

#[test]
fn load_failure_is_shown() {
    let theme = Theme::named("default", true).unwrap();
    let mut app = App::new(Keymap::default(), theme, vec![], (80, 24));
    app.start();
    app.handle(Event::LoadFailed {
        generation: 1,
        message: "nope/: no such file or folder".into(),
    });
    let s = text(&render(&mut app, 80, 24));
    assert!(
        s.contains("Could not load: nope/: no such file or folder"),
        "{s}"
    );
    assert_eq!(app.handle(ch('r')), [Command::Load { generation: 2 }]);
}

#[test]
fn side_by_side_spelling_and_styles() {
    let mut app = opened((80, 24));
    let buf = render(&mut app, 80, 24);
    insta::assert_snapshot!("side_by_side_000_003_80x24", text(&buf));
    let s = text(&buf);
    assert!(s.contains("Ashtinai"));
    assert!(s.contains("Ashtiani"));

    // Left: Ashti[na]i — the word underlined, "na" reversed; right: Ashti[an]i.
    let right_x = app.view.as_ref().unwrap().layout.geometry.right_x;
    let (x, y) = find(&buf, "Ashtinai", 0).unwrap();
    assert!(x < right_x);
    let t = &app.theme;
    assert_eq!(buf[(x, y)].fg, Color::Magenta);
    assert!(buf[(x, y)].modifier.contains(Modifier::UNDERLINED));
    assert!(!buf[(x, y)].modifier.contains(Modifier::REVERSED));
    for k in 5..7 {
        assert!(
            buf[(x + k, y)].modifier.contains(Modifier::REVERSED),
            "letter {k}"
        );
    }
    assert!(!buf[(x + 7, y)].modifier.contains(Modifier::REVERSED));
    let (x, y) = find(&buf, "Ashtiani", right_x).unwrap();
    assert!(!buf[(x + 4, y)].modifier.contains(Modifier::REVERSED));
    assert!(buf[(x + 5, y)].modifier.contains(Modifier::REVERSED));
    assert!(buf[(x + 6, y)].modifier.contains(Modifier::REVERSED));
    assert!(!buf[(x + 7, y)].modifier.contains(Modifier::REVERSED));

    // Wording: removed in red on the left, added in green on the right, reversed.
    let (x, y) = find(&buf, "slammed", 0).unwrap();
    assert_eq!(buf[(x, y)].fg, Color::Red);
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED));
    let (x, y) = find(&buf, "criticized", right_x).unwrap();
    assert_eq!(buf[(x, y)].fg, Color::Green);
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED));
    // Style: italic and underlined, cyan.
    let (x, y) = find(&buf, "U.S.", right_x).unwrap();
    assert_eq!(buf[(x, y)].fg, Color::Cyan);
    assert!(
        buf[(x, y)]
            .modifier
            .contains(Modifier::ITALIC | Modifier::UNDERLINED)
    );
    // An unchanged word carries no change style.
    let (x, y) = find(&buf, "military", right_x).unwrap();
    assert_eq!(buf[(x, y)].modifier, t.base.add_modifier);
}

#[test]
fn monochrome_still_marks_changes() {
    let (mut app, _) = app_with((80, 40), false);
    app.handle(key(KeyCode::Enter));
    deliver(&mut app, compare_key(1), fixtures::comparison_000_003());
    let buf = render(&mut app, 80, 40);
    for y in 0..40 {
        for x in 0..80 {
            assert_eq!(buf[(x, y)].fg, Color::Reset);
        }
    }
    let (x, y) = find(&buf, "slammed", 0).unwrap();
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED));
    let (x, y) = find(&buf, "Ashtinai", 0).unwrap();
    assert!(buf[(x, y)].modifier.contains(Modifier::UNDERLINED));
    assert!(buf[(x + 5, y)].modifier.contains(Modifier::REVERSED));
    // Row markers say what changed without colour.
    let s = text(&buf);
    assert!(s.contains(" ~ "), "{s}");
    assert!(s.contains("not in 003"));
}

#[test]
fn side_by_side_small_terminal() {
    let mut app = opened((40, 12));
    let buf = render(&mut app, 40, 12);
    insta::assert_snapshot!("side_by_side_000_003_40x12", text(&buf));
    let s = text(&buf);
    assert!(s.contains("2/3 003"), "{s}");
}

#[test]
fn too_small_says_how_much_room() {
    let mut app = opened((30, 8));
    let s = text(&render(&mut app, 30, 8));
    assert!(s.contains("at least 40×10"), "{s}");
    assert!(s.contains("30×8"), "{s}");
}

#[test]
fn moved_and_rewritten_paragraphs() {
    let mut app = opened((100, 30));
    let cmds = app.handle(ch('l'));
    assert_eq!(
        cmds,
        [Command::Compare {
            generation: 1,
            key: compare_key(2)
        }]
    );
    // The old comparison arriving late is ignored.
    deliver(&mut app, compare_key(1), fixtures::comparison_000_003());
    assert!(app.view.as_ref().unwrap().comparison.is_none());
    deliver(&mut app, compare_key(2), fixtures::comparison_000_004());
    let buf = render(&mut app, 100, 30);
    insta::assert_snapshot!("side_by_side_000_004_moved_100x30", text(&buf));
    let s = text(&buf);
    assert!(s.contains("↕ moved: 004 has it as ¶2, row 2"), "{s}");
    assert!(s.contains("↕ moved: 000 has it as ¶4, row 5"), "{s}");
    assert!(s.contains("version 3 of 3"));
    // Wrapping ←: back to 003.
    let cmds = app.handle(key(KeyCode::Left));
    assert_eq!(
        cmds,
        [Command::Compare {
            generation: 1,
            key: compare_key(1)
        }]
    );
}

#[test]
fn furniture_folds_and_opens() {
    let mut app = opened((80, 24));
    let s = text(&render(&mut app, 80, 24));
    assert!(s.contains("⋯ 2 furniture lines (f to show)"), "{s}");
    assert!(!s.contains("By The Associated Press"));
    app.handle(ch('f'));
    let s = text(&render(&mut app, 80, 24));
    assert!(s.contains("By The Associated Press"), "{s}");
    assert!(!s.contains("furniture lines (f to show)"));
}

#[test]
fn next_change_walks_the_stops() {
    let mut app = opened((80, 24));
    let stops = app.view.as_ref().unwrap().layout.stops.clone();
    assert_eq!(stops, [1, 2, 4, 5]);
    app.handle(ch('n'));
    assert_eq!(app.view.as_ref().unwrap().focus, Some(1));
    app.handle(ch('n'));
    assert_eq!(app.view.as_ref().unwrap().focus, Some(2));
    app.handle(ch('N'));
    assert_eq!(app.view.as_ref().unwrap().focus, Some(1));
    assert_eq!(app.message.as_ref().unwrap().text, "change 1 of 4");
}

#[test]
fn style_changes_can_be_hidden() {
    let mut app = opened((80, 24));
    let cmds = app.handle(ch('s'));
    assert_eq!(
        cmds,
        [Command::Compare {
            generation: 1,
            key: CompareKey {
                hide_style: true,
                ..compare_key(1)
            }
        }]
    );
    let key = CompareKey {
        hide_style: true,
        ..compare_key(1)
    };
    deliver(&mut app, key, fixtures::comparison_000_003());
    let buf = render(&mut app, 160, 30);
    let right_x = app.view.as_ref().unwrap().layout.geometry.right_x;
    let (x, y) = find(&buf, "U.S.", right_x).unwrap();
    assert!(!buf[(x, y)].modifier.contains(Modifier::ITALIC));
    let s = text(&buf);
    assert!(s.contains("style hidden"), "{s}");
}

#[test]
fn search_highlights_and_moves_between_hits() {
    let mut app = opened((80, 24));
    app.handle(ch('/'));
    for c in "deal".chars() {
        app.handle(ch(c));
    }
    let s = text(&render(&mut app, 80, 24));
    assert!(s.contains("Search: deal"), "{s}");
    app.handle(key(KeyCode::Enter));
    let view = app.view.as_ref().unwrap();
    assert_eq!(view.layout.hits, [4]);
    assert_eq!(view.focus, Some(4));
    let buf = render(&mut app, 80, 24);
    let (x, y) = find(&buf, "deal", 0).unwrap();
    assert!(buf[(x, y)].modifier.contains(Modifier::BOLD));
    assert_eq!(buf[(x, y)].bg, Color::Yellow);
    // Esc (back) clears the search first, then leaves.
    app.handle(key(KeyCode::Esc));
    assert!(app.search.regex.is_none());
    assert_eq!(app.screen, Screen::SideBySide);
    app.handle(key(KeyCode::Esc));
    assert_eq!(app.screen, Screen::Stories);
}

#[test]
fn overview_map_and_jump() {
    let mut app = opened((80, 24));
    let cmds = app.handle(ch('o'));
    assert_eq!(
        cmds,
        [Command::Align {
            generation: 1,
            story: 0,
            base: 0
        }]
    );
    assert_eq!(app.screen, Screen::Overview);
    app.handle(Event::WorkDone {
        generation: 1,
        work: Work::Aligned {
            story: 0,
            base: 0,
            alignment: Arc::new(fixtures::alignment()),
        },
    });
    let buf = render(&mut app, 80, 24);
    insta::assert_snapshot!("overview_80x24", text(&buf));
    let s = text(&buf);
    assert!(s.contains("≈93%"), "{s}");
    assert!(s.contains("↕¶2"), "{s}");
    // Cursor starts on the shown variant (003); move to 004, row 4, and open.
    assert_eq!(app.view.as_ref().unwrap().cursor, (0, 1));
    app.handle(key(KeyCode::Right));
    for _ in 0..3 {
        app.handle(key(KeyCode::Down));
    }
    assert_eq!(app.view.as_ref().unwrap().cursor, (3, 2));
    let cmds = app.handle(key(KeyCode::Enter));
    assert_eq!(
        cmds,
        [Command::Compare {
            generation: 1,
            key: compare_key(2)
        }]
    );
    assert_eq!(app.screen, Screen::SideBySide);
    deliver(&mut app, compare_key(2), fixtures::comparison_000_004());
    // Alignment row 4 holds 000's paragraph 6: comparison row 5 (MovedFrom, index 4).
    assert_eq!(app.view.as_ref().unwrap().focus, Some(4));
    let s = text(&render(&mut app, 80, 24));
    assert!(s.contains("version 3 of 3"));
}

#[test]
fn overview_small_terminal() {
    let mut app = opened((40, 12));
    app.handle(ch('o'));
    app.handle(Event::WorkDone {
        generation: 1,
        work: Work::Aligned {
            story: 0,
            base: 0,
            alignment: Arc::new(fixtures::alignment()),
        },
    });
    insta::assert_snapshot!("overview_40x12", text(&render(&mut app, 40, 12)));
}

#[test]
fn overview_click_selects_then_opens() {
    let mut app = opened((80, 24));
    app.handle(ch('o'));
    app.handle(Event::WorkDone {
        generation: 1,
        work: Work::Aligned {
            story: 0,
            base: 0,
            alignment: Arc::new(fixtures::alignment()),
        },
    });
    let buf = render(&mut app, 80, 24);
    let (x, y) = find(&buf, "≈70%", 0).unwrap();
    let click = Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    });
    app.handle(click.clone());
    assert_eq!(app.view.as_ref().unwrap().cursor, (2, 1));
    app.handle(click);
    assert_eq!(app.screen, Screen::SideBySide);
    assert_eq!(app.view.as_ref().unwrap().focus, Some(2));
}

#[test]
fn help_screen_lists_every_binding() {
    let mut app = app();
    app.handle(key(KeyCode::F(1)));
    assert_eq!(app.screen, Screen::Help);
    let buf = render(&mut app, 80, 24);
    insta::assert_snapshot!("help_80x24", text(&buf));
    let all: String = help::lines(&app).iter().map(|l| format!("{l}\n")).collect();
    for b in app.keymap.bindings() {
        assert!(
            all.contains(&b.description[..20.min(b.description.len())]),
            "{}",
            b.description
        );
    }
    assert!(all.contains("Ashtinai Ashtiani"));
    app.handle(key(KeyCode::End));
    let s = text(&render(&mut app, 80, 24));
    assert!(s.contains("search hit"), "{s}");
    insta::assert_snapshot!("help_40x12", text(&render(&mut app, 40, 12)));
}

#[test]
fn typing_filters_the_story_list() {
    let mut app = app();
    assert_eq!(app.entries(), [0, 1]);
    // "c" is bound elsewhere but not in the list: "congo" needs the explicit filter.
    app.handle(ch('/'));
    for c in "congo".chars() {
        app.handle(ch(c));
    }
    assert_eq!(app.entries(), [1]);
    app.handle(key(KeyCode::Esc));
    assert_eq!(app.entries(), [0, 1]);
    // An unbound letter starts the filter by itself.
    app.handle(ch('w'));
    assert!(app.list.editing);
    assert_eq!(app.list.filter, "w");
    // Ctrl-C quits even while typing.
    assert_eq!(
        app.handle(key_mod(KeyCode::Char('c'), KeyModifiers::CONTROL)),
        [Command::Quit]
    );
}

#[test]
fn single_version_story_shows_alone() {
    let mut app = app();
    app.handle(key(KeyCode::Down));
    let cmds = app.handle(key(KeyCode::Enter));
    assert!(cmds.is_empty());
    let s = text(&render(&mut app, 80, 24));
    assert!(s.contains("Rebels in eastern Congo"), "{s}");
    assert!(s.contains("only one version"), "{s}");
}

#[test]
fn canonical_mark_moves_the_base_and_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = opened((80, 24));
    app.state_dir = Some(dir.path().to_owned());
    let cmds = app.handle(ch('c'));
    assert_eq!(
        cmds,
        [
            Command::Compare {
                generation: 1,
                key: CompareKey {
                    story: 0,
                    base: 1,
                    other: 0,
                    hide_style: false
                }
            },
            Command::SaveState
        ]
    );
    let view = app.view.as_ref().unwrap();
    assert_eq!((view.base, view.variant), (1, 0));
    let engine = app.engine.clone().unwrap();
    assert_eq!(app.state.canonical(&engine, 0), Some(1));
    assert!(app.message.as_ref().unwrap().text.contains("★ 003"));
    // A failed save is reported.
    app.handle(Event::StateSaved(Err("disk full".into())));
    assert!(app.message.as_ref().unwrap().error);
    // The header shows the star on the left, canonical version.
    let s = text(&render(&mut app, 80, 24));
    assert!(s.contains("003 ★"), "{s}");
    assert!(s.contains("★ 003 canonical"), "{s}");
}

#[test]
fn file_text_is_sanitised() {
    let (mut app, _) = app_with((80, 24), true);
    let mut corpus = fixtures::corpus();
    corpus.articles[3].paragraphs[1].text = "Evil \u{1b}[2J text \u{202e}reversed".into();
    let engine = Arc::new(Engine::from_parts(
        corpus,
        fixtures::stories(),
        Default::default(),
    ));
    app.handle(Event::Loaded {
        generation: 1,
        engine,
    });
    app.handle(key(KeyCode::Down));
    app.handle(key(KeyCode::Enter));
    let buf = render(&mut app, 80, 24);
    let s = text(&buf);
    assert!(s.contains("Evil ␛[2J text ⟨U+202E⟩reversed"), "{s}");
    for y in 0..24 {
        for x in 0..80 {
            assert!(!buf[(x, y)].symbol().contains(['\u{1b}', '\u{202e}']));
        }
    }
}

#[test]
fn reload_keeps_the_open_pair() {
    let mut app = opened((80, 24));
    app.handle(ch('l'));
    let cmds = app.handle(ch('r'));
    assert_eq!(cmds, [Command::Load { generation: 2 }]);
    let cmds = app.handle(Event::Loaded {
        generation: 2,
        engine: fixtures::engine(),
    });
    assert_eq!(
        cmds,
        [
            Command::Compare {
                generation: 2,
                key: compare_key(1)
            },
            Command::Compare {
                generation: 2,
                key: compare_key(2)
            }
        ]
    );
    assert_eq!(app.view.as_ref().unwrap().variant, 2);
}

#[test]
fn mouse_wheel_scrolls_and_click_selects_a_story() {
    let mut app = opened((80, 12));
    render(&mut app, 80, 12);
    let wheel = |kind| {
        Event::Mouse(MouseEvent {
            kind,
            column: 10,
            row: 5,
            modifiers: KeyModifiers::NONE,
        })
    };
    app.handle(wheel(MouseEventKind::ScrollDown));
    assert_eq!(app.view.as_ref().unwrap().top, 3);
    app.handle(wheel(MouseEventKind::ScrollUp));
    assert_eq!(app.view.as_ref().unwrap().top, 0);
    app.handle(key(KeyCode::Tab));
    assert_eq!(app.screen, Screen::Stories);
    let buf = render(&mut app, 80, 12);
    let (_, y) = find(&buf, "Congo", 0).unwrap();
    let click = Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 5,
        row: y,
        modifiers: KeyModifiers::NONE,
    });
    app.handle(click.clone());
    assert_eq!(app.list.selected, 1);
    app.handle(click);
    assert_eq!(app.view.as_ref().unwrap().story, 1);
}

#[test]
fn keys_doc_matches_the_keymap() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/keys.md"))
        .unwrap_or_default();
    let generated = Keymap::default().markdown();
    if doc != generated && std::env::var_os("STORYDIFF_WRITE_DOCS").is_some() {
        std::fs::write(
            concat!(env!("CARGO_MANIFEST_DIR"), "/docs/keys.md"),
            &generated,
        )
        .unwrap();
        return;
    }
    assert_eq!(
        doc, generated,
        "docs/keys.md is stale: run with STORYDIFF_WRITE_DOCS=1"
    );
}

// ---- the real sample corpus -------------------------------------------------

fn real_app(size: (u16, u16)) -> App {
    let theme = Theme::named("default", true).unwrap();
    let paths = super::resolve_paths(&[]);
    let engine = Arc::new(Engine::open(&paths, crate::engine::Settings::default()).unwrap());
    let mut app = App::new(Keymap::default(), theme, paths, size);
    app.start();
    app.handle(Event::Loaded {
        generation: 1,
        engine,
    });
    app
}

#[test]
fn real_corpus_story_list() {
    let mut app = real_app((80, 24));
    let s = text(&render(&mut app, 80, 24));
    insta::assert_snapshot!("real_stories_80x24", s);
    assert!(s.contains("7 versions"), "{s}");
    assert!(s.contains("found in one file only"), "{s}");
    insta::assert_snapshot!("real_stories_40x12", text(&render(&mut app, 40, 12)));
}

/// Carry out the app's commands the way the runner does, but on this thread.
fn run(app: &mut App, commands: Vec<Command>) {
    super::run_here(app, commands, &crate::engine::Settings::default());
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let ev = match c {
            '\n' => key(KeyCode::Enter),
            '\u{1b}' => key(KeyCode::Esc),
            c => ch(c),
        };
        let cmds = app.handle(ev);
        run(app, cmds);
    }
}

/// The real sample opened on the Iran story, showing `other` against 000.
fn real_pair(size: (u16, u16), other: &str) -> App {
    let mut app = real_app(size);
    press(&mut app, "\n");
    let engine = app.engine.clone().unwrap();
    let story = app.view.as_ref().unwrap().story;
    let want = engine.find_version(story, other).unwrap();
    assert_eq!(
        engine.version(story, app.view.as_ref().unwrap().base).id,
        "000"
    );
    while app.view.as_ref().unwrap().variant != want {
        press(&mut app, "l");
    }
    app
}

#[test]
fn real_side_by_side_000_003_spelling() {
    let mut app = real_pair((80, 24), "003");
    press(&mut app, "/Ashtinai\n");
    let buf = render(&mut app, 80, 24);
    let s = text(&buf);
    insta::assert_snapshot!("real_side_by_side_000_003_80x24", s);
    assert!(s.contains("Ashtinai") && s.contains("Ashtiani"), "{s}");
    // The differing letters are emphasised on both sides: Ashti[na]i / Ashti[an]i.
    let right_x = app.view.as_ref().unwrap().layout.geometry.right_x;
    press(&mut app, "\u{1b}");
    let buf = render(&mut app, 80, 24);
    let (x, y) = find(&buf, "Ashtinai", 0).unwrap();
    assert!(buf[(x, y)].modifier.contains(Modifier::UNDERLINED));
    assert_eq!(buf[(x, y)].fg, Color::Magenta);
    assert!(!buf[(x + 4, y)].modifier.contains(Modifier::REVERSED));
    assert!(buf[(x + 5, y)].modifier.contains(Modifier::REVERSED));
    let (x, y) = find(&buf, "Ashtiani", right_x).unwrap();
    assert!(buf[(x + 5, y)].modifier.contains(Modifier::REVERSED));
    assert!(!buf[(x + 7, y)].modifier.contains(Modifier::REVERSED));
    // "slammed" → "criticized" is wording.
    let mut app = real_pair((80, 24), "003");
    press(&mut app, "/slammed\n\u{1b}");
    let buf = render(&mut app, 80, 24);
    let (x, y) = find(&buf, "slammed", 0).unwrap();
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED));
    assert_eq!(buf[(x, y)].fg, Color::Red);

    let mut app = real_pair((40, 12), "003");
    press(&mut app, "/Ashtinai\n");
    insta::assert_snapshot!(
        "real_side_by_side_000_003_40x12",
        text(&render(&mut app, 40, 12))
    );
}

#[test]
fn real_side_by_side_000_004_moved() {
    let mut app = real_pair((100, 30), "004");
    let view = app.view.as_ref().unwrap();
    let moved = view
        .comparison
        .as_ref()
        .unwrap()
        .rows
        .iter()
        .position(|r| r.kind == crate::model::PairKind::MovedFrom)
        .expect("a moved paragraph between 000 and 004");
    while app.view.as_ref().unwrap().focus != Some(moved) {
        press(&mut app, "n");
    }
    let s = text(&render(&mut app, 100, 30));
    insta::assert_snapshot!("real_side_by_side_000_004_moved_100x30", s);
    assert!(s.contains("↕ moved: 004 has it as ¶"), "{s}");
    let s = text(&render(&mut app, 80, 24));
    insta::assert_snapshot!("real_side_by_side_000_004_moved_80x24", s);
}

#[test]
fn status_bar_shows_the_outlet_date_and_address_of_a_page() {
    let mut app = real_pair((120, 30), "005");
    let full: Vec<String> = super::status::status_parts(&app)
        .into_iter()
        .map(|p| p.full)
        .collect();
    assert!(
        full.iter().any(|p| p
            == "Example News · 2022-04-27 · https://news.example.com/world/iran-china-military-cooperation"),
        "{full:?}"
    );
    // When the bar is short of room, the outlet stays.
    let s = text(&render(&mut app, 120, 30));
    let status = s.lines().rev().nth(1).unwrap_or_default();
    assert!(status.contains("│ Example News"), "{status}");
    // A text file says nothing of the kind.
    let mut app = real_pair((120, 30), "004");
    let s = text(&render(&mut app, 120, 30));
    assert!(!s.contains("Example News"), "{s}");
}

#[test]
fn real_overview() {
    let mut app = real_pair((80, 24), "003");
    press(&mut app, "o");
    assert!(app.view.as_ref().unwrap().alignment.is_some());
    let s = text(&render(&mut app, 80, 24));
    insta::assert_snapshot!("real_overview_80x24", s);
    assert!(s.contains("■ base"), "{s}");
    insta::assert_snapshot!("real_overview_40x12", text(&render(&mut app, 40, 12)));
    // Enter shows the pair under the cursor side by side.
    press(&mut app, "jjj\n");
    assert_eq!(app.screen, Screen::SideBySide);
    assert!(app.view.as_ref().unwrap().focus.is_some());
}

// ---- export dialog ----------------------------------------------------------

fn export_to(app: &mut App, dir: &std::path::Path) {
    app.export_config.folder = dir.to_owned();
}

#[test]
fn export_dialog_asks_format_and_file_then_confirms_replacing() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = opened((80, 24));
    export_to(&mut app, dir.path());
    app.handle(ch('s'));
    assert!(app.handle(ch('e')).is_empty());
    let d = app.export.as_ref().expect("the dialog is open");
    assert_eq!(d.format, crate::export::Format::Html);
    let default = dir.path().join("s-iran__000__vs__003.html");
    assert_eq!(d.path.text(), default.display().to_string());
    let s = text(&render(&mut app, 80, 24));
    assert!(s.contains("Export"), "{s}");
    assert!(
        s.contains("000 against 003 (style-only changes hidden)"),
        "{s}"
    );
    assert!(s.contains("replace") || s.contains("write"), "{s}");

    // ↑ chooses markdown (the one before html): the untouched name follows the format.
    app.handle(key(KeyCode::Up));
    let d = app.export.as_ref().unwrap();
    assert_eq!(d.format, crate::export::Format::Markdown);
    assert!(d.path.text().ends_with("s-iran__000__vs__003.md"));
    // Letters type, even bound ones; ← and Backspace edit in place.
    for _ in 0..3 {
        app.handle(key(KeyCode::Left));
    }
    app.handle(key(KeyCode::Backspace));
    for c in "-qj".chars() {
        app.handle(ch(c));
    }
    assert!(app.export.is_some());
    let d = app.export.as_ref().unwrap();
    assert!(
        d.path.text().ends_with("s-iran__000__vs__00-qj.md"),
        "{}",
        d.path.text()
    );
    // An edited name keeps its stem when the format changes.
    app.handle(key(KeyCode::Down));
    let d = app.export.as_ref().unwrap();
    assert!(d.path.text().ends_with("00-qj.html"), "{}", d.path.text());
    app.handle(key(KeyCode::Up));
    app.handle(key(KeyCode::Up));
    let d = app.export.as_ref().unwrap();
    assert_eq!(d.format, crate::export::Format::Unified);
    assert!(d.path.text().ends_with("00-qj.diff"), "{}", d.path.text());
    let target = std::path::PathBuf::from(d.path.text());

    // Enter writes on the worker: the order carries the view's choices.
    let cmds = app.handle(key(KeyCode::Enter));
    let order = super::export_dialog::ExportOrder {
        format: crate::export::Format::Unified,
        story: 0,
        base: 0,
        versions: crate::export::Versions::Pair(1),
        show_furniture: false,
        hide_style: true,
        target: target.clone(),
        force: false,
    };
    assert_eq!(cmds, [Command::Export(order.clone())]);
    // The file exists: the dialog asks; n goes back to the name.
    use super::export_dialog::{ExportFailure, Stage};
    app.handle(Event::Exported(Err(ExportFailure::Exists(target.clone()))));
    assert_eq!(
        app.export.as_ref().unwrap().stage,
        Stage::Confirm(target.clone())
    );
    let s = text(&render(&mut app, 80, 24));
    assert!(s.contains("exists: replace it? y/n"), "{s}");
    app.handle(ch('n'));
    assert_eq!(app.export.as_ref().unwrap().stage, Stage::Editing);
    app.handle(key(KeyCode::Enter));
    app.handle(Event::Exported(Err(ExportFailure::Exists(target.clone()))));
    let cmds = app.handle(ch('y'));
    assert_eq!(
        cmds,
        [Command::Export(super::export_dialog::ExportOrder {
            force: true,
            ..order
        })]
    );
    app.handle(Event::Exported(Ok(target.clone())));
    assert!(app.export.is_none());
    let m = app.message.as_ref().unwrap();
    assert!(!m.error);
    assert_eq!(m.text, format!("exported to {}", target.display()));
}

#[test]
fn export_dialog_reports_failures_and_cancels() {
    let mut app = opened((80, 24));
    app.handle(ch('e'));
    // An empty name is refused in the dialog.
    app.handle(key(KeyCode::Home));
    for _ in 0..200 {
        app.handle(key(KeyCode::Delete));
    }
    assert_eq!(app.export.as_ref().unwrap().path.text(), "");
    assert!(app.handle(key(KeyCode::Enter)).is_empty());
    assert!(app.export.as_ref().unwrap().error.is_some());
    app.handle(ch('x'));
    assert!(!app.handle(key(KeyCode::Enter)).is_empty());
    use super::export_dialog::{ExportFailure, Stage};
    app.handle(Event::Exported(Err(ExportFailure::Failed(
        "the folder nope does not exist".into(),
    ))));
    let d = app.export.as_ref().unwrap();
    assert_eq!(d.stage, Stage::Editing);
    assert_eq!(d.error.as_deref(), Some("the folder nope does not exist"));
    assert!(app.message.as_ref().unwrap().error);
    let s = text(&render(&mut app, 80, 24));
    assert!(s.contains("the folder nope does not exist"), "{s}");
    // Esc cancels; keys go back to the view.
    app.handle(key(KeyCode::Esc));
    assert!(app.export.is_none());
    assert_eq!(app.screen, Screen::SideBySide);
    // Export from the story list only says where it works.
    app.handle(key(KeyCode::Tab));
    app.handle(ch('e'));
    assert!(app.export.is_none());
    assert!(app.message.as_ref().unwrap().text.contains("side-by-side"));
}

#[test]
fn export_from_the_overview_is_the_whole_story() {
    let mut app = opened((80, 24));
    app.handle(ch('f'));
    app.handle(ch('o'));
    app.handle(ch('e'));
    let d = app.export.as_ref().unwrap();
    assert_eq!(d.versions, crate::export::Versions::All);
    assert!(d.show_furniture);
    assert_eq!(d.path.text(), "s-iran__all.html");
    assert!(
        d.what
            .contains("whole story s-iran: 3 versions against 000"),
        "{}",
        d.what
    );
}

#[test]
fn export_dialog_snapshots() {
    let mut app = opened((80, 24));
    app.handle(ch('e'));
    insta::assert_snapshot!("export_dialog_80x24", text(&render(&mut app, 80, 24)));
    insta::assert_snapshot!("export_dialog_40x12", text(&render(&mut app, 40, 12)));
    // The smallest terminal still shows the whole dialog.
    let s = text(&render(&mut app, 40, 10));
    for part in ["json", "s-iran__000__vs__003.html", "Esc cancel"] {
        assert!(s.contains(part), "{part}: {s}");
    }
}

#[test]
fn real_export_writes_files_and_never_a_corpus_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = real_pair((100, 30), "003");
    export_to(&mut app, dir.path());
    // Markdown of the pair shown.
    press(&mut app, "e");
    let cmds = app.handle(key(KeyCode::Up));
    run(&mut app, cmds);
    let cmds = app.handle(key(KeyCode::Enter));
    run(&mut app, cmds);
    assert!(app.export.is_none(), "{:?}", app.export);
    let md = dir.path().join(format!(
        "{}__000__vs__003.md",
        app.engine.as_ref().unwrap().story(0).id
    ));
    let m = app.message.clone().unwrap();
    assert_eq!(m.text, format!("exported to {}", md.display()));
    let text_md = std::fs::read_to_string(&md).unwrap();
    assert!(text_md.contains("Ashtinai") && text_md.contains("Ashtiani"));
    // Again: the file exists, y replaces it.
    press(&mut app, "e");
    let cmds = app.handle(key(KeyCode::Up));
    run(&mut app, cmds);
    let cmds = app.handle(key(KeyCode::Enter));
    run(&mut app, cmds);
    assert!(matches!(
        app.export.as_ref().unwrap().stage,
        super::export_dialog::Stage::Confirm(_)
    ));
    let cmds = app.handle(ch('y'));
    run(&mut app, cmds);
    assert!(app.export.is_none());
    assert!(!app.message.as_ref().unwrap().error);
    // HTML of the whole story from the overview.
    press(&mut app, "oe");
    let cmds = app.handle(key(KeyCode::Enter));
    run(&mut app, cmds);
    let written: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        written.iter().any(|n| n.ends_with("__all.html")),
        "{written:?}"
    );
    // A file of the corpus is refused, and left alone.
    let corpus_file = app.engine.as_ref().unwrap().corpus().files[0].path.clone();
    let before = std::fs::read(&corpus_file).unwrap();
    press(&mut app, "e");
    app.handle(key(KeyCode::Home));
    for _ in 0..300 {
        app.handle(key(KeyCode::Delete));
    }
    for c in corpus_file.display().to_string().chars() {
        app.handle(ch(c));
    }
    let cmds = app.handle(key(KeyCode::Enter));
    run(&mut app, cmds);
    let m = app.message.clone().unwrap();
    assert!(
        m.error && m.text.contains("refusing to write over"),
        "{m:?}"
    );
    let cmds = app.handle(key(KeyCode::Enter));
    run(&mut app, cmds);
    // Even when asked to replace.
    if let Some(d) = &app.export
        && matches!(d.stage, super::export_dialog::Stage::Confirm(_))
    {
        let cmds = app.handle(ch('y'));
        run(&mut app, cmds);
    }
    assert_eq!(std::fs::read(&corpus_file).unwrap(), before);
}

// ---- themes -------------------------------------------------------------------

type CellStyle = (Color, Color, Modifier);

fn cell_style(buf: &Buffer, (x, y): (u16, u16)) -> CellStyle {
    let c = &buf[(x, y)];
    (c.fg, c.bg, c.modifier)
}

#[test]
fn every_theme_tells_the_changes_apart() {
    for name in super::theme::THEMES {
        let theme = Theme::named(name, true).unwrap();
        let mut app = App::new(
            Keymap::default(),
            theme,
            vec!["assets/corpus".into()],
            (100, 30),
        );
        app.start();
        app.handle(Event::Loaded {
            generation: 1,
            engine: fixtures::engine(),
        });
        app.handle(key(KeyCode::Enter));
        deliver(&mut app, compare_key(1), fixtures::comparison_000_003());
        let buf = render(&mut app, 100, 30);
        let right_x = app.view.as_ref().unwrap().layout.geometry.right_x;
        let old = find(&buf, "Ashtinai", 0).unwrap_or_else(|| panic!("{name}"));
        let new = find(&buf, "Ashtiani", right_x).unwrap();
        let plain = cell_style(&buf, find(&buf, "presence", right_x).unwrap());
        let spelling = cell_style(&buf, old);
        let letters = cell_style(&buf, (old.0 + 5, old.1));
        let wording_old = cell_style(&buf, find(&buf, "slammed", 0).unwrap());
        let wording_new = cell_style(&buf, find(&buf, "criticized", right_x).unwrap());
        let style = cell_style(&buf, find(&buf, "U.S.", right_x).unwrap());
        // Ashti[na]i / Ashti[an]i: the word and its changed letters stand out.
        assert_ne!(spelling, plain, "{name}: spelling vs plain");
        assert_ne!(letters, spelling, "{name}: letters vs word");
        assert_eq!(cell_style(&buf, new), spelling, "{name}: both sides alike");
        assert_eq!(cell_style(&buf, (new.0 + 5, new.1)), letters, "{name}");
        assert_ne!(cell_style(&buf, (new.0 + 7, new.1)), letters, "{name}");
        let kinds = [
            ("plain", plain),
            ("spelling", spelling),
            ("letters", letters),
            ("wording_old", wording_old),
            ("style", style),
        ];
        for (i, (a, sa)) in kinds.iter().enumerate() {
            for (b, sb) in &kinds[i + 1..] {
                assert_ne!(sa, sb, "{name}: {a} and {b} look the same");
            }
        }
        if name != "mono" {
            assert_ne!(wording_old, wording_new, "{name}: removed vs added words");
        }
        // Words without colour still differ from plain text by their modifiers.
        for (what, s) in [
            ("spelling", spelling),
            ("wording_old", wording_old),
            ("wording_new", wording_new),
            ("style", style),
        ] {
            assert_ne!(s.2, plain.2, "{name}: {what} has no marker besides colour");
        }
    }
}

#[test]
fn theme_colours_can_be_set_part_by_part() {
    let mut colors = std::collections::BTreeMap::new();
    colors.insert("wording_old".to_owned(), "#0072b2".to_owned());
    colors.insert("background".to_owned(), "black".to_owned());
    colors.insert("search_hit".to_owned(), "lightcyan".to_owned());
    let t = Theme::from_config("dark", &colors, true).unwrap();
    assert_eq!(t.base.bg, Some(Color::Black));
    assert_eq!(
        t.change_old(crate::model::ChangeKind::Wording).fg,
        Some(Color::Rgb(0, 0x72, 0xb2))
    );
    assert_eq!(t.search_hit.bg, Some(Color::LightCyan));
    // A highlight drawn as text on colour gets the colour as its background.
    let hc = Theme::from_config("high-contrast", &colors, true).unwrap();
    assert_eq!(
        hc.change_old(crate::model::ChangeKind::Wording).bg,
        Some(Color::Rgb(0, 0x72, 0xb2))
    );
    // The background fills the screen.
    let mut app = opened((80, 24));
    app.theme = t;
    let buf = render(&mut app, 80, 24);
    assert_eq!(buf[(79, 12)].bg, Color::Black);
    // Without colour, overrides are checked but not applied.
    let m = Theme::from_config("dark", &colors, false).unwrap();
    assert_eq!(m, Theme::named("mono", false).unwrap());
    // Every part the config knows is accepted; errors name the part.
    for slot in crate::config::COLOR_SLOTS {
        let one = std::iter::once((slot.to_owned(), "red".to_owned())).collect();
        assert!(Theme::from_config("light", &one, true).is_ok(), "{slot}");
    }
    let bad = std::iter::once(("added".to_owned(), "teal".to_owned())).collect();
    let e = Theme::from_config("dark", &bad, true).unwrap_err();
    assert!(e.to_string().contains("'added'"), "{e}");
    let bad = std::iter::once(("addded".to_owned(), "red".to_owned())).collect();
    assert!(Theme::from_config("dark", &bad, true).is_err());
    for name in crate::config::THEMES {
        assert!(Theme::named(name, true).is_some(), "{name}");
    }
    assert!(Theme::from_config("solarized", &Default::default(), true).is_err());
}

#[test]
fn build_app_takes_the_config_theme_keys_and_export() {
    let config = crate::config::Config::default();
    let dir = tempfile::tempdir().unwrap();
    let mut opts = super::TuiOptions {
        state_dir: Some(dir.path().to_owned()),
        color: super::ColorMode::Always,
        keys: config.ui.keys.clone(),
        export: config.export.clone(),
        ..Default::default()
    };
    opts.prefs.theme.name = "colorblind".into();
    let app = super::build_app(&opts, (80, 24)).unwrap();
    assert_eq!(app.theme.name, "colorblind");
    assert_eq!(app.export_config, config.export);
    opts.prefs.theme.name = "nope".into();
    let e = super::build_app(&opts, (80, 24)).unwrap_err();
    assert!(e.to_string().contains("unknown theme 'nope'"), "{e}");
}

// ---- keys from the config --------------------------------------------------------

#[test]
fn config_actions_are_the_keymap_actions() {
    let mut from_config = crate::config::actions();
    from_config.sort_unstable();
    let mut ours: Vec<&str> = super::keymap::Action::ALL.map(|a| a.name()).to_vec();
    ours.sort_unstable();
    assert_eq!(from_config, ours);
}

#[test]
fn a_full_key_map_from_the_config_works() {
    let config = crate::config::Config::default();
    let km = Keymap::default().with_overrides(&config.ui.keys).unwrap();
    for b in Keymap::default().bindings() {
        assert_eq!(km.keys(b.action), b.keys.as_slice(), "{}", b.action.name());
    }
    // Swapping two actions' keys in a full map is no conflict.
    let mut keys = config.ui.keys.clone();
    keys.insert("down".into(), vec!["Down".into(), "n".into()]);
    keys.insert("next_change".into(), vec!["j".into()]);
    keys.insert("switch_view".into(), vec!["Shift-Tab".into()]);
    let km = Keymap::default().with_overrides(&keys).unwrap();
    let mut app = App::new(
        km,
        Theme::named("dark", true).unwrap(),
        vec!["assets/corpus".into()],
        (80, 24),
    );
    app.start();
    app.handle(Event::Loaded {
        generation: 1,
        engine: fixtures::engine(),
    });
    app.handle(ch('n'));
    assert_eq!(app.list.selected, 1);
    // Terminals send Shift-Tab as BackTab.
    app.handle(key(KeyCode::Up));
    app.handle(key(KeyCode::Enter));
    app.handle(key_mod(KeyCode::BackTab, KeyModifiers::SHIFT));
    assert_eq!(app.screen, Screen::Stories);
    // A key on two actions is refused with both names and what to do.
    keys.insert("next_change".into(), vec!["j".into(), "k".into()]);
    let e = Keymap::default().with_overrides(&keys).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("'next_change'") && msg.contains("'up'"),
        "{msg}"
    );
    assert!(msg.contains("other keys"), "{msg}");
    let opts = super::TuiOptions {
        keys,
        ..Default::default()
    };
    let e = super::build_app(&opts, (80, 24)).unwrap_err();
    assert!(e.to_string().starts_with("key bindings: key k"), "{e}");
}

// ---- canonical marks and the user's place ------------------------------------------

#[test]
fn canonical_mark_toggles_off_from_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = opened((80, 24));
    app.state_dir = Some(dir.path().to_owned());
    let engine = app.engine.clone().unwrap();
    app.handle(ch('c'));
    assert_eq!(app.state.canonical(&engine, 0), Some(1));
    let view = app.view.as_ref().unwrap();
    assert_eq!((view.base, view.variant), (1, 0));
    // The base shown is now the canonical one: c clears its mark.
    let cmds = app.handle(ch('c'));
    assert_eq!(app.state.canonical(&engine, 0), None);
    assert!(cmds.contains(&Command::SaveState));
    let view = app.view.as_ref().unwrap();
    assert_eq!((view.base, view.variant), (0, 1));
    assert!(
        app.message
            .as_ref()
            .unwrap()
            .text
            .contains("003 is no longer canonical"),
        "{:?}",
        app.message
    );
}

#[test]
fn real_canonical_mark_keeps_the_place() {
    let mut app = real_pair((80, 24), "003");
    let engine = app.engine.clone().unwrap();
    for _ in 0..12 {
        press(&mut app, "j");
    }
    let anchor = {
        let view = app.view.as_ref().unwrap();
        assert!(view.top > 0);
        let c = view.comparison.as_ref().unwrap();
        let r = view.layout.lines[view.top..]
            .iter()
            .find_map(|l| l.row)
            .unwrap();
        *c.rows[r]
            .base
            .first()
            .expect("a paragraph of 000 at the top")
    };
    // Mark 003: it becomes the base; 000's paragraph is on the right, at the top.
    press(&mut app, "c");
    let view = app.view.as_ref().unwrap();
    assert_eq!(engine.version(view.story, view.base).id, "003");
    assert!(view.top > 0, "scrolled back to the top");
    let c = view.comparison.as_ref().unwrap();
    let r = view.layout.lines[view.top..]
        .iter()
        .find_map(|l| l.row)
        .unwrap();
    assert!(
        c.rows[r].other.contains(&anchor),
        "row {r}: {:?}",
        c.rows[r]
    );
    // And back: clearing the mark keeps the place too.
    press(&mut app, "c");
    let view = app.view.as_ref().unwrap();
    assert_eq!(engine.version(view.story, view.base).id, "000");
    let c = view.comparison.as_ref().unwrap();
    let r = view.layout.lines[view.top..]
        .iter()
        .find_map(|l| l.row)
        .unwrap();
    assert!(c.rows[r].base.contains(&anchor), "row {r}: {:?}", c.rows[r]);
}

#[test]
fn real_overview_canonical_mark_keeps_the_cursor_row() {
    let mut app = real_pair((80, 24), "003");
    // Row 6: 003's "“Confronting…”", which also holds row 5 (merged).
    press(&mut app, "ojjjjj");
    let (col, para) = {
        let view = app.view.as_ref().unwrap();
        let a = view.alignment.as_ref().unwrap();
        let cell = a.rows[view.cursor.0].cells[view.cursor.1].as_ref().unwrap();
        (view.cursor.1, cell.paragraphs[0])
    };
    press(&mut app, "c");
    let view = app.view.as_ref().unwrap();
    assert_eq!(view.base, col);
    let a = view.alignment.as_ref().unwrap();
    let cell = a.rows[view.cursor.0].cells[col].as_ref().unwrap();
    assert!(cell.paragraphs.contains(&para));
}

// ---- the story filter ---------------------------------------------------------------

#[test]
fn an_active_filter_keeps_every_letter() {
    let mut app = app();
    app.handle(ch('w'));
    app.handle(key(KeyCode::Backspace));
    // Still filtering: "j" and "c" type instead of moving or marking.
    assert!(app.list.editing);
    for c in "con".chars() {
        app.handle(ch(c));
    }
    assert_eq!(app.list.filter, "con");
    assert_eq!(app.entries(), [1]);
    // Open, come back: the filter is still active and typing goes on.
    app.handle(key(KeyCode::Enter));
    assert_eq!(app.screen, Screen::SideBySide);
    app.handle(key(KeyCode::Tab));
    assert_eq!(app.screen, Screen::Stories);
    app.handle(ch('g'));
    app.handle(ch('j'));
    assert_eq!(app.list.filter, "congj");
    // Arrows still move and F1 still helps; Esc clears.
    app.handle(key(KeyCode::F(1)));
    assert_eq!(app.screen, Screen::Help);
    app.handle(key(KeyCode::Esc));
    assert_eq!(app.screen, Screen::Stories);
    app.handle(key(KeyCode::Esc));
    assert_eq!(app.list.filter, "");
    assert!(!app.list.editing);
    app.handle(ch('j'));
    assert_eq!(app.list.selected, 1);
}

#[test]
fn export_dialog_follows_a_reload() {
    let mut app = opened((80, 24));
    app.handle(ch('e'));
    app.handle(ch('x'));
    // A reload (e.g. a file changed on disk) keeps the dialog and its text.
    assert_eq!(app.handle(key(KeyCode::F(5))), []);
    let generation = app.generation + 1;
    app.generation = generation;
    app.handle(Event::Loaded {
        generation,
        engine: fixtures::engine(),
    });
    let d = app.export.as_ref().expect("still open");
    assert!(d.path.text().ends_with(".htmlx"));
    assert_eq!(d.versions, crate::export::Versions::Pair(1));
    // A corpus without the story closes it, saying why.
    let mut stories = fixtures::stories();
    stories[0].id = "s-other".into();
    let engine = Arc::new(Engine::from_parts(
        fixtures::corpus(),
        stories,
        Default::default(),
    ));
    app.generation += 1;
    let generation = app.generation;
    app.handle(Event::Loaded { generation, engine });
    assert!(app.export.is_none());
    assert!(
        app.message
            .as_ref()
            .unwrap()
            .text
            .contains("export cancelled")
    );
}
