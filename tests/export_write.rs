//! Writing an export: atomic, never over an existing file unless forced,
//! never over a corpus file, clear messages, no temporary file left behind.

mod export_support;

use std::path::{Path, PathBuf};

use storydiff::engine::{Engine, Settings};
use storydiff::export::{ExportError, ExportRequest, Format, default_file_name, render, write};

use export_support::iran;

/// A copy of the sample corpus in a temporary folder, and the engine on it.
fn copied_sample(dir: &Path) -> Engine {
    let corpus = dir.join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    for e in std::fs::read_dir("assets/corpus").expect("sample corpus") {
        let e = e.expect("entry");
        std::fs::copy(e.path(), corpus.join(e.file_name())).expect("copy");
    }
    Engine::open(&[corpus], Settings::default()).expect("loads")
}

fn leftovers(dir: &Path) -> Vec<PathBuf> {
    walk(dir)
        .into_iter()
        .filter(|p| {
            p.extension().is_some_and(|e| e == "tmp")
                || p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn writes_then_refuses_to_replace_unless_forced() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = copied_sample(dir.path());
    let (story, base, other) = iran(&engine);
    let req = ExportRequest::pair(Format::Markdown, story, base, other);
    let target = dir.path().join("report.md");

    let written = write(&engine, &req, &target, false, &[]).expect("first write");
    assert_eq!(written, target);
    assert_eq!(
        std::fs::read_to_string(&target).expect("read"),
        render(&engine, &req).expect("renders")
    );

    std::fs::write(&target, "mine").expect("overwrite by hand");
    let err = write(&engine, &req, &target, false, &[]).expect_err("must not replace");
    assert!(matches!(err, ExportError::Exists(_)), "{err}");
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "mine");

    write(&engine, &req, &target, true, &[]).expect("forced write");
    assert_ne!(std::fs::read_to_string(&target).expect("read"), "mine");
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[test]
fn a_folder_target_gets_the_default_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = copied_sample(dir.path());
    let (story, base, other) = iran(&engine);
    let req = ExportRequest::pair(Format::Html, story, base, other);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("mkdir");
    let written = write(&engine, &req, &out, false, &[]).expect("writes");
    let name = default_file_name(&engine, &req, Format::Html);
    assert_eq!(written, out.join(&name));
    let s = engine.story(story);
    let (b, o) = (
        &engine.version(story, base).id,
        &engine.version(story, other).id,
    );
    assert_eq!(
        name,
        format!(
            "{}__{}__vs__{}.html",
            s.id,
            b.replace('/', "_"),
            o.replace('/', "_")
        )
    );
    assert_eq!(
        default_file_name(
            &engine,
            &ExportRequest::all(Format::Json, story, base),
            Format::Json
        ),
        format!("{}__all.json", s.id)
    );
}

#[test]
fn a_missing_folder_is_said_plainly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = copied_sample(dir.path());
    let (story, base, other) = iran(&engine);
    let target = dir.path().join("no").join("such").join("x.json");
    let err = write(
        &engine,
        &ExportRequest::pair(Format::Json, story, base, other),
        &target,
        true,
        &[],
    )
    .expect_err("no folder");
    assert!(matches!(err, ExportError::MissingFolder(_)), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("does not exist") && msg.contains("create it"),
        "{msg}"
    );
    assert!(!target.exists());
}

#[test]
fn corpus_files_are_never_written_over() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = copied_sample(dir.path());
    let (story, base, other) = iran(&engine);
    let req = ExportRequest::pair(Format::Unified, story, base, other);
    let victim = engine.version_path(story, base).to_path_buf();
    let before = std::fs::read(&victim).expect("read corpus file");
    let corpus = victim.parent().expect("folder").to_path_buf();
    let name = victim.file_name().expect("name");
    let link = dir.path().join("link.txt");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&victim, &link).expect("symlink");
    let roundabout = corpus.join("..").join("corpus").join(name);
    for target in [victim.clone(), roundabout, link] {
        if !target.exists() {
            continue;
        }
        let err = write(&engine, &req, &target, true, &[]).expect_err("corpus file protected");
        assert!(
            matches!(err, ExportError::CorpusFile(_)),
            "{}: {err}",
            target.display()
        );
        assert!(err.to_string().contains("one of the files being compared"));
    }
    assert_eq!(std::fs::read(&victim).expect("read"), before);

    // An extra protected path (e.g. a PATH the user gave) is refused too.
    let given = dir.path().join("given.txt");
    std::fs::write(&given, "x").expect("write");
    let err =
        write(&engine, &req, &given, true, std::slice::from_ref(&given)).expect_err("protected");
    assert!(matches!(err, ExportError::CorpusFile(_)), "{err}");
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn a_read_only_folder_is_said_plainly() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = copied_sample(dir.path());
    let (story, base, other) = iran(&engine);
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).expect("mkdir");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let probe = ro.join("probe");
    if std::fs::write(&probe, "x").is_ok() {
        eprintln!("skipped: this user (root?) can write in a read-only folder");
        return;
    }
    let err = write(
        &engine,
        &ExportRequest::pair(Format::Html, story, base, other),
        &ro.join("x.html"),
        false,
        &[],
    )
    .expect_err("read-only");
    assert!(matches!(err, ExportError::NotWritable(_)), "{err}");
    assert!(err.to_string().contains("read-only"));
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).expect("chmod back");
    assert!(walk(&ro).is_empty(), "nothing left behind");
}

#[test]
fn a_bad_request_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = copied_sample(dir.path());
    let (story, base, _) = iran(&engine);
    let n = engine.story(story).versions.len();
    let err = render(&engine, &ExportRequest::pair(Format::Html, story, base, n))
        .expect_err("bad version");
    assert!(matches!(err, ExportError::InvalidRequest(_)));
    let err = render(
        &engine,
        &ExportRequest::all(Format::Html, engine.stories().len(), 0),
    )
    .expect_err("bad story");
    assert!(matches!(err, ExportError::InvalidRequest(_)));
}
