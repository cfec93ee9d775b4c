//! Where the config is read from: --config, then STORYDIFF_CONFIG, then the
//! config folder. The environment is only changed in child processes.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use storydiff::config::{self, ConfigError, Source};

fn write(path: &Path, text: &str) -> PathBuf {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(path, text).unwrap();
    path.to_path_buf()
}

#[test]
fn the_flag_beats_the_variable_which_beats_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let flag = write(&dir.path().join("flag.toml"), "");
    let env = write(&dir.path().join("env.toml"), "");
    let folder = dir.path().join("conf");
    write(&folder.join("config.toml"), "");

    let l = config::locate_with(Some(&flag), Some(env.as_os_str()), Some(&folder));
    assert_eq!(
        (l.path.as_deref(), l.source, l.exists),
        (Some(&*flag), Source::Flag, true)
    );
    let l = config::locate_with(None, Some(env.as_os_str()), Some(&folder));
    assert_eq!(
        (l.path.as_deref(), l.source, l.exists),
        (Some(&*env), Source::Env, true)
    );
    let l = config::locate_with(None, None, Some(&folder));
    assert_eq!(l.path, Some(folder.join("config.toml")));
    assert_eq!((l.source, l.exists), (Source::Default, true));
    // An empty variable counts as unset.
    let l = config::locate_with(None, Some(OsStr::new("")), Some(&folder));
    assert_eq!(l.source, Source::Default);
    // No home folder: nowhere to look, defaults in use.
    let l = config::locate_with(None, None, None);
    assert_eq!((l.path, l.source, l.exists), (None, Source::Default, false));
}

#[test]
fn a_missing_file_is_an_error_only_when_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");

    let loaded = config::load_located(config::locate_with(None, None, Some(dir.path()))).unwrap();
    assert_eq!(loaded.config, config::Config::default());
    assert!(!loaded.located.exists);
    assert!(
        loaded
            .located
            .to_string()
            .contains("built-in defaults in use")
    );

    let e = config::load_located(config::locate_with(Some(&missing), None, None)).unwrap_err();
    assert!(
        matches!(
            e,
            ConfigError::NotFound {
                named_by: Source::Flag,
                ..
            }
        ),
        "{e:?}"
    );
    let e = config::load_located(config::locate_with(None, Some(missing.as_os_str()), None))
        .unwrap_err();
    assert!(
        matches!(
            e,
            ConfigError::NotFound {
                named_by: Source::Env,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("STORYDIFF_CONFIG"), "{e}");
}

#[test]
fn a_found_file_is_read_and_a_bad_one_stops_the_load() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(
        &dir.path().join("good.toml"),
        "[matching]\npair_threshold = 0.8\nx = 1\n",
    );
    let loaded = config::load(Some(&good)).unwrap();
    assert_eq!(loaded.config.matching.pair_threshold, 0.8);
    assert_eq!(loaded.warnings.len(), 1);
    assert_eq!(loaded.located.source, Source::Flag);

    let bad = write(
        &dir.path().join("bad.toml"),
        "[matching]\npair_threshold = true\n",
    );
    assert!(matches!(
        config::load(Some(&bad)),
        Err(ConfigError::Invalid { line: 2, .. })
    ));
}

/// Run by [`the_environment_decides_in_a_child_process`] with its own
/// environment; prints what `locate` and `load` found.
#[test]
#[ignore = "run in a child process by the_environment_decides_in_a_child_process"]
fn child_prints_what_it_finds() {
    // Under --include-ignored in the parent, the real environment is not ours to read.
    if std::env::var_os("STORYDIFF_TEST_CHILD").is_none() {
        return;
    }
    let flag = std::env::var_os("STORYDIFF_TEST_FLAG").map(PathBuf::from);
    let loaded = config::load(flag.as_deref()).unwrap();
    let path = loaded.located.path.map(|p| p.display().to_string());
    println!(
        "FOUND {:?} {} {}",
        loaded.located.source,
        path.unwrap_or_default(),
        loaded.config.matching.pair_threshold
    );
}

fn child(env: &[(&str, &Path)]) -> String {
    let exe = std::env::current_exe().unwrap();
    let mut cmd = Command::new(exe);
    cmd.args([
        "child_prints_what_it_finds",
        "--exact",
        "--ignored",
        "--nocapture",
    ])
    .env_remove("STORYDIFF_CONFIG")
    .env_remove("STORYDIFF_TEST_FLAG")
    .env("STORYDIFF_TEST_CHILD", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("FOUND "))
        .unwrap_or_else(|| panic!("no FOUND line in {stdout}"))
        .to_owned()
}

#[test]
fn the_environment_decides_in_a_child_process() {
    let dir = tempfile::tempdir().unwrap();
    let xdg = dir.path().join("xdg");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let default = write(
        &xdg.join("storydiff").join("config.toml"),
        "matching.pair_threshold = 0.7\n",
    );
    let env = write(
        &dir.path().join("env.toml"),
        "matching.pair_threshold = 0.8\n",
    );
    let flag = write(
        &dir.path().join("flag.toml"),
        "matching.pair_threshold = 0.9\n",
    );
    let base: [(&str, &Path); 2] = [("XDG_CONFIG_HOME", &xdg), ("HOME", &home)];

    let with = |extra: &[(&str, &Path)]| {
        let mut all = base.to_vec();
        all.extend_from_slice(extra);
        child(&all)
    };
    assert_eq!(
        with(&[("STORYDIFF_CONFIG", &env), ("STORYDIFF_TEST_FLAG", &flag)]),
        format!("Flag {} 0.9", flag.display())
    );
    assert_eq!(
        with(&[("STORYDIFF_CONFIG", &env)]),
        format!("Env {} 0.8", env.display())
    );
    if cfg!(target_os = "linux") {
        assert_eq!(with(&[]), format!("Default {} 0.7", default.display()));
    }
}
