//! `storydiff export` from the command line: default names, refusal to
//! replace, standard output, and never writing over the corpus.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/corpus")
}

fn storydiff(args: &[&str], cwd: &Path) -> Output {
    let state = tempfile::tempdir().expect("tempdir");
    Command::new(env!("CARGO_BIN_EXE_storydiff"))
        .env("STORYDIFF_CACHE_DIR", env!("CARGO_TARGET_TMPDIR"))
        .args(args)
        .arg("--state-dir")
        .arg(state.path())
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("STORYDIFF_CONFIG")
        .env("XDG_CONFIG_HOME", state.path())
        .output()
        .expect("binary runs")
}

fn iran_story() -> String {
    let out = storydiff(
        &["stories", corpus().to_str().expect("utf-8"), "--json"],
        Path::new("."),
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    doc["stories"][0]["id"].as_str().expect("id").to_owned()
}

#[test]
fn writes_the_default_name_and_refuses_to_replace_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let story = iran_story();
    let c = corpus();
    let args = [
        "export",
        c.to_str().expect("utf-8"),
        "--story",
        &story,
        "--base",
        "000",
        "--other",
        "003",
        "--format",
        "markdown",
    ];
    let out = storydiff(&args, dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let name = format!("{story}__000__vs__003.md");
    let written = dir.path().join(&name);
    let text = std::fs::read_to_string(&written).expect("export written");
    assert!(text.contains("Ashtinai") && text.contains("Ashtiani"));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&name));

    let again = storydiff(&args, dir.path());
    assert!(!again.status.success());
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("--force") || err.contains("exists"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    let mut forced: Vec<&str> = args.to_vec();
    forced.push("--force");
    assert!(storydiff(&forced, dir.path()).status.success());
}

#[test]
fn writes_to_standard_output_and_the_whole_story() {
    let story = iran_story();
    let c = corpus();
    let out = storydiff(
        &[
            "export",
            c.to_str().expect("utf-8"),
            "--story",
            &story,
            "--all",
            "--format",
            "json",
            "-o",
            "-",
        ],
        Path::new("."),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("align json");
    // The five text files, the saved page (005) and the feed's first record.
    assert_eq!(
        doc["versions"],
        serde_json::json!(["000", "001", "002", "003", "004", "005", "feed-1"])
    );
    assert!(doc["rows"].as_array().is_some_and(|r| !r.is_empty()));
}

#[test]
fn never_writes_over_a_corpus_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    for f in std::fs::read_dir(corpus()).expect("corpus") {
        let f = f.expect("entry").path();
        std::fs::copy(&f, dir.path().join(f.file_name().expect("name"))).expect("copy");
    }
    let victim = dir.path().join("003_e6c2c4d9a5885b82.txt");
    let before = std::fs::read(&victim).expect("read");
    let story = iran_story();
    let out = storydiff(
        &[
            "export",
            dir.path().to_str().expect("utf-8"),
            "--story",
            &story,
            "--other",
            "003",
            "--format",
            "unified",
            "-o",
            victim.to_str().expect("utf-8"),
            "--force",
        ],
        Path::new("."),
    );
    assert!(!out.status.success());
    assert_eq!(std::fs::read(&victim).expect("read"), before);
}
