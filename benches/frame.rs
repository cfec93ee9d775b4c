//! Drawing the interface, and answering a key, on a large story.
//!
//! In: one generated story of 20 versions × 60 body paragraphs (about 2,400
//! words a version), opened in the side-by-side screen of a 200×60
//! `TestBackend`. Out: criterion timings of one full frame (`tui::draw`
//! through ratatui's diffing), of a scroll key handled and drawn, of the
//! next version (its comparison is cached in the engine, as after the first
//! visit) handled and drawn, and of the overview screen drawn.

#[path = "../examples/support/corpus_gen.rs"]
mod corpus_gen;

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use storydiff::engine::{Engine, Settings};
use storydiff::tui::{App, Event, Keymap, Screen, Theme, run_here};

const SIZE: (u16, u16) = (200, 60);

/// The generated story opened on the side-by-side screen, and its engine.
fn opened() -> (App, tempfile::TempDir) {
    let generated = corpus_gen::generate(&corpus_gen::GenOptions {
        stories: 1,
        versions: 20,
        seed: 120,
        paragraphs: 60,
        append: 0.0,
        ..corpus_gen::GenOptions::default()
    });
    let dir = tempfile::tempdir().expect("temp dir");
    generated.write_to(dir.path()).expect("write corpus");
    let paths = vec![PathBuf::from(dir.path())];
    let engine = Arc::new(Engine::open(&paths, Settings::default()).expect("open corpus"));
    let theme = Theme::named("default", true).expect("default theme");
    let mut app = App::new(Keymap::default(), theme, paths, SIZE);
    let _ = app.start();
    let commands = app.handle(Event::Loaded {
        generation: app.generation,
        engine,
    });
    run_here(&mut app, commands, &Settings::default());
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::SideBySide, "the story opened");
    (app, dir)
}

fn press(app: &mut App, code: KeyCode) {
    let commands = app.handle(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    run_here(app, commands, &Settings::default());
}

fn frame(c: &mut Criterion) {
    let (mut app, _dir) = opened();
    let mut term = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).expect("test terminal");
    let mut g = c.benchmark_group("frame_200x60");
    g.sample_size(50)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));

    // Ratatui only sends the cells that changed; clearing first makes every
    // frame a full one, as after a resize.
    g.bench_function("side_by_side_full_frame", |b| {
        b.iter(|| {
            term.clear().expect("clear");
            term.draw(|f| storydiff::tui::draw(f, &app)).expect("draw");
        })
    });
    g.bench_function("scroll_key_and_frame", |b| {
        let mut down = true;
        b.iter(|| {
            // Down and up in turn, so the view never reaches the end.
            press(&mut app, if down { KeyCode::Down } else { KeyCode::Up });
            down = !down;
            term.draw(|f| storydiff::tui::draw(f, &app)).expect("draw");
        })
    });
    // Visit every version once, so each comparison is cached as it is
    // after the worker has answered.
    for _ in 0..20 {
        press(&mut app, KeyCode::Right);
    }
    g.bench_function("next_version_key_and_frame", |b| {
        b.iter(|| {
            press(&mut app, KeyCode::Right);
            term.draw(|f| storydiff::tui::draw(f, &app)).expect("draw");
        })
    });
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(app.screen, Screen::Overview, "the overview opened");
    g.bench_function("overview_full_frame", |b| {
        b.iter(|| {
            term.clear().expect("clear");
            black_box(term.draw(|f| storydiff::tui::draw(f, &app)).expect("draw"));
        })
    });
    g.finish();
}

criterion_group!(benches, frame);
criterion_main!(benches);
