//! Mistakes in a config file: unknown keys warn, bad values stop with file, line and column.

use std::path::Path;

use storydiff::config::{self, Config, ConfigError};

fn parse(text: &str) -> Result<(Config, Vec<config::Warning>), ConfigError> {
    config::parse(text, Path::new("my.toml"))
}

fn error(text: &str) -> ConfigError {
    match parse(text) {
        Ok(_) => panic!("{text:?} was accepted"),
        Err(e) => e,
    }
}

#[test]
fn an_unknown_key_warns_with_the_nearest_and_is_ignored() {
    let text = "[corpus]\nextensions = [\"txt\"]\n  extention = [\"md\"]\n";
    let (c, warnings) = parse(text).unwrap();
    assert_eq!(warnings.len(), 1);
    let w = &warnings[0];
    assert_eq!((w.line, w.column), (3, 3));
    assert_eq!(w.key, "corpus.extention");
    assert_eq!(w.nearest.as_deref(), Some("corpus.extensions"));
    let shown = w.to_string();
    assert!(shown.starts_with("my.toml:3:3: "), "{shown}");
    assert!(
        shown.contains("corpus.extention") && shown.contains("corpus.extensions"),
        "{shown}"
    );
    assert_eq!(c.corpus.extensions, ["txt"]);
}

#[test]
fn a_key_in_the_wrong_table_points_to_the_right_one() {
    let (_, warnings) = parse("[corpus]\npair_threshold = 0.4\n").unwrap();
    assert_eq!(
        warnings[0].nearest.as_deref(),
        Some("matching.pair_threshold")
    );
    let (_, warnings) = parse("[matchin]\npair_threshold = 0.4\n").unwrap();
    assert_eq!(warnings[0].key, "matchin");
    assert_eq!(warnings[0].nearest.as_deref(), Some("matching"));
}

#[test]
fn a_wrong_type_is_an_error_with_line_column_and_key() {
    let text = "# mine\n[matching]\ncluster_min_shared = 8\npair_threshold = \"high\"\n";
    let e = error(text);
    assert_eq!(e.position(), Some((4, 18)));
    assert_eq!(e.key(), Some("matching.pair_threshold"));
    let shown = e.to_string();
    assert!(
        shown.starts_with("my.toml:4:18: matching.pair_threshold: "),
        "{shown}"
    );
    assert!(shown.contains("found a string"), "{shown}");

    let e = error("[interface]\nwrap = 1\n");
    assert_eq!(
        (e.position(), e.key()),
        (Some((2, 8)), Some("interface.wrap"))
    );
    let e = error("[matching]\nmin_moved_words = 2.5\n");
    assert_eq!(e.key(), Some("matching.min_moved_words"));
    let e = error("corpus = \"articles\"\n");
    assert_eq!((e.position(), e.key()), (Some((1, 10)), Some("corpus")));
    let e = error("[corpus]\nextensions = \"txt\"\n");
    assert_eq!(e.key(), Some("corpus.extensions"));
    let e = error("[corpus]\nextensions = [\"txt\", 3]\n");
    assert_eq!(
        (e.position(), e.key()),
        (Some((2, 22)), Some("corpus.extensions[1]"))
    );
}

#[test]
fn a_value_out_of_range_is_an_error() {
    let e = error("[matching]\nrewrite_ratio = 1.5\n");
    assert_eq!(
        (e.position(), e.key()),
        (Some((2, 17)), Some("matching.rewrite_ratio"))
    );
    assert!(e.to_string().contains("from 0 to 1"));
    let e = error("[matching]\ncluster_min_shared = 0\n");
    assert_eq!(e.key(), Some("matching.cluster_min_shared"));
    let e = error("[watch]\ndebounce_ms = -5\n");
    assert_eq!(e.key(), Some("watch.debounce_ms"));
    let e = error("[matching]\npair_threshold = nan\n");
    assert_eq!(e.key(), Some("matching.pair_threshold"));
    let e = error("[export]\nformat = \"htm\"\n");
    assert!(e.to_string().contains("did you mean \"html\""), "{e}");
    let e = error("[export]\nfile_name = \"out/{story}\"\n");
    assert_eq!(e.key(), Some("export.file_name"));
    let e = error("[export]\nfile_name_all = \"{story}-{other}\"\n");
    assert!(e.to_string().contains("{other}"), "{e}");
    let e = error("[export]\nfolder = \"\"\n");
    assert_eq!(e.key(), Some("export.folder"));
}

#[test]
fn broken_toml_is_an_error_with_line_and_column() {
    let e = error("[corpus]\nextensions = [\"txt\"\n");
    assert!(matches!(e, ConfigError::Syntax { line: 2, .. }), "{e:?}");
    let e = error("[matching]\npair_threshold = 0.5\npair_threshold = 0.6\n");
    assert!(matches!(e, ConfigError::Syntax { line: 3, .. }), "{e:?}");
    assert!(e.to_string().starts_with("my.toml:3:"), "{e}");
}

#[test]
fn a_bad_furniture_pattern_is_an_error_naming_the_key() {
    let text = "[cleaning]\nfurniture_patterns = [\n  'read more',\n  '(unclosed',\n]\n";
    let e = error(text);
    assert_eq!(e.key(), Some("cleaning.furniture_patterns[1]"));
    assert_eq!(e.position(), Some((4, 3)));
    let shown = e.to_string();
    assert!(shown.contains("not a valid regular expression"), "{shown}");
    assert!(!shown.contains('\n'), "one line: {shown}");
}

#[test]
fn themes_and_colours_are_checked() {
    let e = error("[interface.theme]\nname = \"drak\"\n");
    assert_eq!(e.key(), Some("interface.theme.name"));
    assert!(e.to_string().contains("did you mean \"dark\""), "{e}");
    for name in config::THEMES {
        let (c, _) = parse(&format!("[interface.theme]\nname = \"{name}\"\n")).unwrap();
        assert_eq!(c.ui.theme.name, name);
    }

    let e = error("[interface.theme.colors]\nadded = \"teal\"\n");
    assert_eq!(
        (e.position(), e.key()),
        (Some((2, 9)), Some("interface.theme.colors.added"))
    );
    let e = error("[interface.theme.colors]\nadded = \"#12345\"\n");
    assert_eq!(e.key(), Some("interface.theme.colors.added"));
    let e = error("[interface.theme.colors]\nadded = \"#12345g\"\n");
    assert_eq!(e.key(), Some("interface.theme.colors.added"));
    let e = error("[interface.theme.colors]\nadded = 3\n");
    assert_eq!(e.key(), Some("interface.theme.colors.added"));

    let (c, warnings) = parse(
        "[interface.theme.colors]\nadded = \"Bright Green\"\nmoved = \"#ABCDEF\"\nremovd = \"red\"\n",
    )
    .unwrap();
    assert_eq!(c.ui.theme.colors["added"], "lightgreen");
    assert_eq!(c.ui.theme.colors["moved"], "#abcdef");
    assert!(!c.ui.theme.colors.contains_key("removd"));
    assert_eq!(warnings.len(), 1);
    assert_eq!(
        warnings[0].nearest.as_deref(),
        Some("interface.theme.colors.removed")
    );
    for slot in config::COLOR_SLOTS {
        let (c, w) = parse(&format!("[interface.theme.colors]\n{slot} = \"blue\"\n")).unwrap();
        assert!(w.is_empty());
        assert_eq!(c.ui.theme.colors[slot], "blue");
    }
}

#[test]
fn a_key_taken_from_a_default_binding_is_a_conflict() {
    let e = error("[keys]\nquit = [\"Ctrl-c\", \"j\"]\n");
    assert_eq!(
        (e.position(), e.key()),
        (Some((2, 19)), Some("keys.quit[1]"))
    );
    let shown = e.to_string();
    assert!(
        shown.contains("'down'") && shown.contains("'quit'"),
        "{shown}"
    );
    assert!(shown.contains("give 'down' other keys"), "{shown}");
    // Spelling does not hide a conflict.
    let e = error("[keys]\nhelp = [\"ctrl-D\"]\n");
    assert!(e.to_string().contains("half_page_down"), "{e}");
    // Moving the key away first resolves it.
    let (c, warnings) = parse("[keys]\nquit = [\"j\"]\ndown = [\"Down\"]\n").unwrap();
    assert!(warnings.is_empty());
    assert_eq!(c.ui.keys["quit"], ["j"]);
}

#[test]
fn two_user_bindings_of_one_key_conflict() {
    let e = error("[keys]\nsearch = [\"x\"]\nexport = [\"X\", \"x\"]\n");
    let shown = e.to_string();
    assert!(
        shown.contains("'export'") && shown.contains("'search'"),
        "{shown}"
    );
    assert!(!shown.contains("by default"), "{shown}");
}

#[test]
fn keys_are_checked_and_unknown_actions_warned() {
    let e = error("[keys]\nquit = [\"Ctrl-q\", \"Hyper-q\"]\n");
    assert_eq!(
        (e.position(), e.key()),
        (Some((2, 19)), Some("keys.quit[1]"))
    );
    let e = error("[keys]\nquit = \"q\"\n");
    assert_eq!(e.key(), Some("keys.quit"));
    let (c, warnings) = parse("[keys]\nqiut = [\"x\"]\nreload = []\n").unwrap();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].key, "keys.qiut");
    assert_eq!(warnings[0].nearest.as_deref(), Some("keys.quit"));
    assert!(!c.ui.keys.contains_key("qiut"));
    assert!(c.ui.keys["reload"].is_empty());
}

#[test]
fn a_file_overrides_only_what_it_sets() {
    let (c, _) = parse("[matching]\npair_threshold = 0.7\n").unwrap();
    let mut expected = Config::default();
    expected.matching.pair_threshold = 0.7;
    assert_eq!(c, expected);
    // Dotted keys and inline tables reach the same places.
    let (c, _) = parse("matching.normalize.case = false\ninterface = { mouse = false }\n").unwrap();
    let mut expected = Config::default();
    expected.matching.normalize.case = false;
    expected.ui.mouse = false;
    assert_eq!(c, expected);
}

#[test]
fn check_reports_warnings_or_the_error_of_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.toml");
    std::fs::write(&good, "[watch]\nenabeld = true\n").unwrap();
    let warnings = config::check(&good).unwrap();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].path, good);
    assert_eq!(warnings[0].nearest.as_deref(), Some("watch.enabled"));

    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[watch]\nenabled = \"yes\"\n").unwrap();
    let e = config::check(&bad).unwrap_err();
    assert!(
        e.to_string()
            .starts_with(&format!("{}:2:11: watch.enabled", bad.display())),
        "{e}"
    );

    let missing = dir.path().join("missing.toml");
    assert!(matches!(
        config::check(&missing),
        Err(ConfigError::Read { .. })
    ));

    let binary = dir.path().join("binary.toml");
    std::fs::write(&binary, [0xff, 0xfe, 0x00]).unwrap();
    assert!(matches!(
        config::check(&binary),
        Err(ConfigError::Read { .. })
    ));
}
