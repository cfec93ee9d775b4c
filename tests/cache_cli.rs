//! The model cache seen from the command line: a second run gives what a
//! run without the cache gives, a changed file is seen, and `--no-cache`
//! or `cache = false` keep nothing.

use std::path::Path;
use std::process::{Command, Output};

fn run(cache: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_storydiff"))
        .env("STORYDIFF_CACHE_DIR", cache)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    storydiff::sample::write_to(dir.path()).unwrap();
    dir
}

#[test]
fn a_second_run_gives_what_a_run_without_the_cache_gives() {
    let corpus = sample_copy();
    let cache = tempfile::tempdir().unwrap();
    let folder = corpus.path().to_str().unwrap();
    let uncached = run(cache.path(), &["stories", folder, "--json", "--no-cache"]);
    assert!(!cache.path().join("model.redb").exists());

    let first = run(cache.path(), &["stories", folder, "--json"]);
    assert!(cache.path().join("model.redb").exists());
    let second = run(cache.path(), &["stories", folder, "--json"]);
    for out in [&first, &second] {
        assert_eq!(out.stdout, uncached.stdout);
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&uncached.stderr)
        );
    }

    // A story's alignment through the kept model is the one made afresh.
    let stories: serde_json::Value = serde_json::from_slice(&second.stdout).unwrap();
    let id = stories["stories"][0]["id"].as_str().unwrap();
    let args = ["align", folder, "--story", id, "--json"];
    let kept = run(cache.path(), &args);
    let afresh = run(cache.path(), &[&args[..], &["--no-cache"]].concat());
    assert_eq!(kept.stdout, afresh.stdout);
}

#[test]
fn a_file_changed_between_runs_is_seen() {
    let corpus = sample_copy();
    let cache = tempfile::tempdir().unwrap();
    let folder = corpus.path().to_str().unwrap();
    run(cache.path(), &["stories", folder, "--json"]);

    std::fs::remove_file(corpus.path().join("004_033ed2a7a91fa8ad.txt")).unwrap();
    let after = run(cache.path(), &["stories", folder, "--json"]);
    let afresh = run(cache.path(), &["stories", folder, "--json", "--no-cache"]);
    assert_eq!(after.stdout, afresh.stdout);
    assert!(!String::from_utf8_lossy(&after.stdout).contains("004_033ed2a7a91fa8ad"));
}

#[test]
fn cache_false_in_the_config_keeps_nothing() {
    let corpus = sample_copy();
    let cache = tempfile::tempdir().unwrap();
    let config = cache.path().join("config.toml");
    std::fs::write(&config, "[corpus]\ncache = false\n").unwrap();
    let folder = corpus.path().to_str().unwrap();
    let config = config.to_str().unwrap();
    run(cache.path(), &["stories", folder, "--config", config]);
    assert!(!cache.path().join("model.redb").exists());
}

#[test]
fn a_damaged_cache_is_told_once_and_replaced() {
    let corpus = sample_copy();
    let cache = tempfile::tempdir().unwrap();
    std::fs::write(cache.path().join("model.redb"), "garbage").unwrap();
    let folder = corpus.path().to_str().unwrap();
    let first = run(cache.path(), &["stories", folder, "--json"]);
    let told = String::from_utf8_lossy(&first.stderr);
    assert!(
        told.contains("warning: cache") && told.contains("model.redb"),
        "{told}"
    );
    let second = run(cache.path(), &["stories", folder, "--json"]);
    assert_eq!(String::from_utf8_lossy(&second.stderr), "");
    assert_eq!(first.stdout, second.stdout);
}
