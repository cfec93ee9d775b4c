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
    let mut queue = commands;
    while !queue.is_empty() {
        let mut next = Vec::new();
        for cmd in queue {
            let Some(engine) = app.engine.clone() else {
                continue;
            };
            let generation = app.generation;
            let event = match cmd {
                Command::Compare { key, .. } => {
                    let diff = crate::diff::DiffOptions {
                        hide_style: key.hide_style,
                        ..Default::default()
                    };
                    Event::WorkDone {
                        generation,
                        work: Work::Compared {
                            key,
                            comparison: engine.comparison(key.story, key.base, key.other, &diff),
                        },
                    }
                }
                Command::Align { story, base, .. } => Event::WorkDone {
                    generation,
                    work: Work::Aligned {
                        story,
                        base,
                        alignment: engine.alignment(story, base),
                    },
                },
                _ => continue,
            };
            next.extend(app.handle(event));
        }
        queue = next;
    }
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
