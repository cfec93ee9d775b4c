//! The built-in defaults: one file, valid, complete, and equal to the stages' own defaults.

use std::path::Path;

use storydiff::align::AlignOptions;
use storydiff::cluster::ClusterOptions;
use storydiff::config::{self, Config};
use storydiff::corpus::{LoadOptions, SegmentOptions};
use storydiff::diff::DiffOptions;

fn repo_file(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_embedded_default_is_the_example_file() {
    assert_eq!(config::DEFAULT_TOML, repo_file("config.example.toml"));
}

#[test]
fn the_example_parses_without_warnings_into_the_defaults() {
    let (parsed, warnings) =
        config::parse(config::DEFAULT_TOML, Path::new("config.example.toml")).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(parsed, Config::default());
}

#[test]
fn an_empty_file_gives_the_defaults() {
    let (parsed, warnings) = config::parse("", Path::new("empty.toml")).unwrap();
    assert!(warnings.is_empty());
    assert_eq!(parsed, Config::default());
}

/// The example documents the defaults the stages really use.
#[test]
fn default_settings_are_the_stage_defaults() {
    let s = Config::default().settings();
    let dbg = |x: &dyn std::fmt::Debug| format!("{x:?}");
    assert_eq!(dbg(&s.load), dbg(&LoadOptions::default()));
    assert_eq!(dbg(&s.segment), dbg(&SegmentOptions::default()));
    assert_eq!(dbg(&s.cluster), dbg(&ClusterOptions::default()));
    assert_eq!(dbg(&s.align), dbg(&AlignOptions::default()));
    assert_eq!(dbg(&s.diff), dbg(&DiffOptions::default()));
}

#[test]
fn every_key_is_in_the_example_and_in_the_docs() {
    let example: toml::Table = toml::from_str(config::DEFAULT_TOML).unwrap();
    let docs = repo_file("docs/config.md");
    for key in config::known_keys() {
        let mut v: Option<&toml::Value> = None;
        for part in key.split('.') {
            v = match v {
                None => example.get(part),
                Some(toml::Value::Table(t)) => t.get(part),
                Some(_) => None,
            };
        }
        assert!(v.is_some(), "{key} is not in config.example.toml");
        let name = key.rsplit('.').next().unwrap_or(key);
        // A key, or a table's heading: `[interface.theme.colors]`.
        let documented =
            docs.contains(&format!("`{name}`")) || docs.contains(&format!("`[{key}]`"));
        assert!(documented, "{key} is not in docs/config.md");
    }
    for action in config::actions() {
        assert!(
            docs.contains(&format!("`{action}`")),
            "action {action} is not in docs/config.md"
        );
    }
}

/// Every `key = value` line of the example, and every commented-out example
/// (`#   key = value`), parses on its own in its section without a warning.
#[test]
fn every_documented_key_parses_on_its_own() {
    let mut section = String::new();
    let mut checked = 0;
    for line in config::DEFAULT_TOML.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            section = t.to_owned();
            continue;
        }
        let candidate = match t.strip_prefix('#') {
            Some(rest) if line.starts_with("#   ") && rest.contains(" = ") => rest.trim(),
            Some(_) => continue,
            None if t.contains(" = ") => t,
            None => continue,
        };
        let text = format!("{section}\n{candidate}\n");
        let (_, warnings) = config::parse(&text, Path::new("line.toml"))
            .unwrap_or_else(|e| panic!("{candidate:?} in {section}: {e}"));
        assert!(
            warnings.is_empty(),
            "{candidate:?} in {section}: {warnings:?}"
        );
        checked += 1;
    }
    assert!(checked >= config::known_keys().count() + config::actions().len());
}

/// A file that sets every key to something else: each lands where it should.
#[test]
fn every_key_reaches_the_config_and_the_settings() {
    let text = r##"
[corpus]
paths = ["articles", "~/news"]
extensions = [".TXT", "html"]
skip_dirs = ["old"]
max_file_mb = 3

[cleaning]
furniture_patterns = ['follow us on .{1,40}', '''editor's note:.*''']
fold_repeats = false
boundary_blank_lines = 3
split_on_topic_change = false

[matching]
cluster_threshold = 0.2
cluster_min_shared = 4
pair_threshold = 1
merge_containment = 0.7
min_moved_words = 9
rewrite_ratio = 0.4
hide_style = true

[matching.normalize]
quotes = false
dashes = false
case = false
abbreviation_dots = false
whitespace = false

[interface]
wrap = false
show_furniture = true
mouse = false

[interface.theme]
name = "colorblind"

[interface.theme.colors]
added = "#0072B2"
removed = "Light Red"

[keys]
quit = ["Ctrl-q", "Ctrl-c"]
back = ["Esc", "Backspace"]

[watch]
enabled = true
debounce_ms = 250
poll = true
poll_interval_ms = 750

[export]
folder = "exports"
format = "markdown"
file_name = "{story}-{base}-{other}"
file_name_all = "{story}-{format}"
"##;
    let (c, warnings) = config::parse(text, Path::new("all.toml")).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");

    assert_eq!(c.corpus.paths[0], Path::new("articles"));
    assert!(c.corpus.paths[1].ends_with("news"));
    if directories::BaseDirs::new().is_some() {
        assert!(
            !c.corpus.paths[1].starts_with("~"),
            "{:?}",
            c.corpus.paths[1]
        );
    }
    assert_eq!(c.corpus.extensions, ["txt", "html"]);
    assert_eq!(c.cleaning.furniture_patterns.len(), 2);
    assert!(!c.cleaning.fold_repeats);
    assert_eq!(c.cleaning.boundary_blank_lines, 3);
    assert!(!c.cleaning.split_on_topic_change);
    assert_eq!(c.ui.theme.name, "colorblind");
    assert_eq!(c.ui.theme.colors["added"], "#0072b2");
    assert_eq!(c.ui.theme.colors["removed"], "lightred");
    assert!(!c.ui.wrap && c.ui.show_furniture && !c.ui.mouse);
    assert_eq!(c.ui.keys["quit"], ["Ctrl-q", "Ctrl-c"]);
    // Actions the file does not name keep their default keys.
    assert_eq!(c.ui.keys["down"], ["Down", "j"]);
    assert_eq!(c.ui.keys.len(), config::actions().len());
    assert!(c.watch.enabled);
    assert_eq!(c.watch.debounce().as_millis(), 250);
    assert_eq!(c.watch.poll_interval().map(|d| d.as_millis()), Some(750));
    assert_eq!(c.export.folder, Path::new("exports"));
    assert_eq!(c.export.format, "markdown");
    assert_eq!(c.export.file_name_all, "{story}-{format}");

    let s = c.settings();
    assert_eq!(s.load.extensions, ["txt", "html"]);
    assert_eq!(s.load.skip_dirs, ["old"]);
    assert_eq!(s.load.max_file_bytes, 3 << 20);
    assert_eq!(s.segment.extra_furniture, c.cleaning.furniture_patterns);
    assert_eq!(s.cluster.threshold, 0.2);
    assert_eq!(s.cluster.min_shared, 4);
    assert_eq!(s.align.pair_threshold, 1.0);
    assert_eq!(s.align.merge_containment, 0.7);
    assert_eq!(s.align.min_moved_words, 9);
    assert_eq!(s.align.rewrite_ratio, 0.4);
    assert!(s.diff.hide_style);
    let n = s.diff.normalize;
    assert!(!(n.quotes || n.dashes || n.case || n.abbreviation_dots || n.whitespace));
}

#[test]
fn export_file_names_fill_the_pattern() {
    let mut e = Config::default().export;
    let parts = config::NameParts {
        story: "a1b2",
        base: "000",
        other: Some("003"),
        format: "html",
        extension: "html",
    };
    assert_eq!(e.file_name_for(&parts), "a1b2__000__vs__003.html");
    let all = config::NameParts {
        other: None,
        format: "markdown",
        extension: "md",
        ..parts
    };
    assert_eq!(e.file_name_for(&all), "a1b2__all.md");
    // Values never make the name a path or a hidden file.
    e.file_name = "{other}-{story}".into();
    let odd = config::NameParts {
        other: Some(".hidden/../x"),
        ..parts
    };
    assert_eq!(e.file_name_for(&odd), "_hidden_.._x-a1b2.html");
}

/// The default `[keys]` are the interface's keymap (`assets/keymap.toml`,
/// where the help text lives): same actions, same keys. Before the interface
/// is merged there is no keymap to compare with.
#[test]
fn default_keys_are_the_interface_keymap() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/keymap.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "no {}: nothing to compare the default keys with",
            path.display()
        );
        return;
    };
    let keymap: toml::Table = toml::from_str(&text).unwrap();
    let mut from_keymap = std::collections::BTreeMap::new();
    for b in keymap["binding"].as_array().unwrap() {
        let action = b["action"].as_str().unwrap().to_owned();
        let keys: Vec<String> = b["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap().to_owned())
            .collect();
        from_keymap.insert(action, keys);
    }
    assert_eq!(Config::default().ui.keys, from_keymap);
}

/// The example shows the built-in furniture patterns, in order, as
/// `#     '''pattern'''` lines, each under a `#   kind:` line.
#[test]
fn the_example_lists_the_builtin_furniture_patterns() {
    use storydiff::corpus::furniture::{BUILTIN, Place};
    let lines: Vec<&str> = config::DEFAULT_TOML.lines().collect();
    let shown: Vec<(&str, &str)> = lines
        .windows(2)
        .filter_map(|w| {
            let pattern = w[1].strip_prefix("#     '''")?.strip_suffix("'''")?;
            let kind = w[0].strip_prefix("#   ")?.strip_suffix(':')?;
            Some((kind, pattern))
        })
        .collect();
    let builtin: Vec<(String, &str)> = BUILTIN
        .iter()
        .map(|(p, kind, place)| {
            let kind = kind.name().replace('_', " ");
            let label = match place {
                Place::End => format!("{kind} (ends an article)"),
                Place::Any => kind,
            };
            (label, *p)
        })
        .collect();
    let shown: Vec<(String, &str)> = shown.into_iter().map(|(k, p)| (k.to_owned(), p)).collect();
    assert_eq!(shown, builtin);
}

/// The cleaning and normalisation keys reach the stages that use them.
#[test]
fn cleaning_and_normalisation_keys_change_what_the_engine_does() {
    use std::path::PathBuf;
    use storydiff::engine::Engine;
    let text =
        "[cleaning]\nfold_repeats = false\n\n[matching.normalize]\nabbreviation_dots = false\n";
    let (config, warnings) =
        storydiff::config::parse(text, std::path::Path::new("test.toml")).expect("parses");
    assert!(warnings.is_empty());
    let settings = config.settings();
    assert!(!settings.segment.fold_repeats);
    assert!(!settings.diff.normalize.abbreviation_dots);
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/corpus");
    let engine = Engine::open(&[corpus], settings).expect("loads");
    // Without folding, the repeated caption of 000 is no longer a repeat.
    let a = &engine.corpus().articles[0];
    assert!(
        a.paragraphs.iter().all(|p| p.role
            != storydiff::model::Role::Furniture(storydiff::model::FurnitureKind::Repeat))
    );
    // Without abbreviation dots, US → U.S. is not a style change.
    let s = 0;
    let find = |id: &str| engine.find_version(s, id).expect("version");
    let cmp = engine.comparison(s, find("000"), find("004"), &engine.settings().diff);
    let style_us = cmp.rows.iter().filter_map(|r| r.diff.as_ref()).any(|d| {
        d.changes.iter().any(|c| {
            c.kind == storydiff::model::ChangeKind::Style && &d.new_text[c.new.clone()] == "U.S."
        })
    });
    assert!(!style_us);
}

/// `[corpus.json_fields]` renames the fields a JSON Lines record is read from.
#[test]
fn json_field_names_come_from_the_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    let feed = dir.path().join("feed.jsonl");
    std::fs::write(
        &feed,
        "{\"heading\": \"Ferry times change\", \"story\": \"The evening ferry now leaves at six. Passengers were told on Monday that the later crossing ends.\"}\n",
    )
    .expect("write");
    let text = "[corpus.json_fields]\ntitle = [\"heading\"]\ntext = [\"story\"]\n";
    let (config, warnings) =
        storydiff::config::parse(text, std::path::Path::new("t.toml")).expect("parses");
    assert!(warnings.is_empty(), "{warnings:?}");
    let settings = config.settings();
    let engine = storydiff::engine::Engine::open(&[feed], settings).expect("loads");
    let a = &engine.corpus().articles[0];
    assert_eq!(a.title, "Ferry times change");
    assert!(a.body_text().contains("evening ferry"));
}
