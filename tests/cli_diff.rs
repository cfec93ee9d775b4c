//! `storydiff diff A B`: two files compared directly, coloured only when asked
//! or in a terminal.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/corpus")
        .join(name)
}

fn storydiff(args: &[&str], no_color: bool) -> Output {
    let state = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_storydiff"));
    cmd.env("STORYDIFF_CACHE_DIR", env!("CARGO_TARGET_TMPDIR"));
    cmd.args(args).arg("--state-dir").arg(state.path());
    if no_color {
        cmd.env("NO_COLOR", "1");
    } else {
        cmd.env_remove("NO_COLOR");
    }
    cmd.output().expect("binary runs")
}

const A: &str = "000_66b60800ac77cf39.txt";
const B: &str = "003_e6c2c4d9a5885b82.txt";

#[test]
fn two_files_compare_their_main_stories() {
    let (a, b) = (sample(A), sample(B));
    let out = storydiff(
        &[
            "diff",
            a.to_str().expect("utf-8"),
            b.to_str().expect("utf-8"),
            "--json",
        ],
        true,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let words: Vec<&serde_json::Value> = doc["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .flat_map(|c| c["words"].as_array().into_iter().flatten())
        .collect();
    assert!(
        words
            .iter()
            .any(|w| w["old"] == "Ashtinai" && w["new"] == "Ashtiani" && w["kind"] == "spelling")
    );
}

#[test]
fn a_file_against_itself_has_no_changes() {
    let a = sample(A);
    let a = a.to_str().expect("utf-8");
    let out = storydiff(&["diff", a, a, "--json"], true);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["changes"].as_array().map(Vec::len), Some(0));
}

#[test]
fn plain_when_piped_and_coloured_when_asked() {
    let (a, b) = (sample(A), sample(B));
    let (a, b) = (a.to_str().expect("utf-8"), b.to_str().expect("utf-8"));
    let piped = storydiff(&["diff", a, b], false);
    assert!(piped.status.success());
    let text = String::from_utf8_lossy(&piped.stdout);
    assert!(!text.contains('\u{1b}'), "escape codes when piped");
    assert!(text.contains("[-~Ashtinai-]{+~Ashtiani+}"), "{text}");

    let forced = storydiff(&["diff", a, b, "--color", "always"], false);
    assert!(String::from_utf8_lossy(&forced.stdout).contains('\u{1b}'));
}

#[test]
fn two_paths_that_are_not_files_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().to_str().expect("utf-8");
    let out = storydiff(&["diff", d, d], true);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a file"));
}

#[test]
fn a_reader_that_stops_early_is_no_error() {
    // More output than a pipe holds, so the writes after the reader leaves fail.
    let dir = tempfile::tempdir().expect("tempdir");
    let text = |ships: &str| {
        (0..3000)
            .map(|i| {
                format!(
                    "Report {i} tells of harbour {i} and its {} {ships} today.\n\n",
                    i * 7
                )
            })
            .collect::<String>()
    };
    let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
    std::fs::write(&a, text("ships")).expect("write a");
    std::fs::write(&b, text("boats")).expect("write b");
    // Plain text and JSON (whose writer wraps the pipe's error in its own).
    for json in [false, true] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_storydiff"))
            .env("STORYDIFF_CACHE_DIR", env!("CARGO_TARGET_TMPDIR"))
            .arg("diff")
            .args([&a, &b])
            .args(json.then_some("--json"))
            .arg("--state-dir")
            .arg(dir.path())
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("binary runs");
        let mut first = [0u8; 64];
        std::io::Read::read_exact(&mut child.stdout.take().expect("stdout"), &mut first)
            .expect("some output");
        let out = child.wait_with_output().expect("binary ends");
        assert!(out.status.success(), "json {json}: {:?}", out.status);
        assert!(
            out.stderr.is_empty(),
            "json {json}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
