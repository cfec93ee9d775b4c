//! Loading files from disk: encodings, newlines, binary and unreadable
//! files, missing paths, empty folders, symlink loops, skipped types.

use std::fs;
use std::path::{Path, PathBuf};

use storydiff::corpus::{self, LoadError, LoadOptions, SegmentOptions, load};
use storydiff::model::{Corpus, Role};

const STORY: &str = "Iran seeks closer ties with China\n\nIranian President Ebrahim Raisi said Tehran wanted to expand its strategic relations with China.\n\nRaisi told Fenghe that Tehran sees its ties with Beijing as strategic.\n";

fn open(paths: &[PathBuf]) -> Result<Corpus, LoadError> {
    corpus::open(paths, &LoadOptions::default(), &SegmentOptions::default())
}

fn open_dir(dir: &Path) -> Corpus {
    open(&[dir.to_path_buf()]).expect("folder loads")
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn warnings_about<'a>(c: &'a Corpus, name: &str) -> Vec<&'a str> {
    c.warnings
        .iter()
        .filter(|w| w.path.file_name().is_some_and(|n| n == name))
        .map(|w| w.message.as_str())
        .collect()
}

fn body_lines(c: &Corpus) -> Vec<(u32, u32)> {
    c.articles
        .iter()
        .flat_map(|a| a.paragraphs.iter())
        .filter(|p| p.role == Role::Body)
        .map(|p| (p.lines.first, p.lines.last))
        .collect()
}

#[test]
fn utf8_bom_is_removed() {
    let d = tmp();
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(STORY.as_bytes());
    fs::write(d.path().join("a.txt"), bytes).expect("write");
    let c = open_dir(d.path());
    assert_eq!(c.files[0].text, STORY);
    assert_eq!(c.files[0].encoding_note, None);
    assert_eq!(c.articles[0].title, "Iran seeks closer ties with China");
    assert!(c.warnings.is_empty());
}

#[test]
fn crlf_and_cr_only_keep_line_numbers() {
    let d = tmp();
    fs::write(d.path().join("crlf.txt"), STORY.replace('\n', "\r\n")).expect("write");
    fs::write(d.path().join("cr.txt"), STORY.replace('\n', "\r")).expect("write");
    fs::write(d.path().join("lf.txt"), STORY).expect("write");
    for name in ["crlf.txt", "cr.txt", "lf.txt"] {
        let c = open(&[d.path().join(name)]).expect("loads");
        assert_eq!(body_lines(&c), vec![(3, 3), (5, 5)], "{name}");
        assert_eq!(c.articles[0].lines.first, 1, "{name}");
        for p in c.articles.iter().flat_map(|a| a.paragraphs.iter()) {
            assert!(!p.text.contains('\r'), "{name}: {:?}", p.text);
        }
        // The text is kept with its own newlines.
        assert_eq!(c.files[0].text.contains('\r'), name != "lf.txt");
    }
}

#[test]
fn crlf_hard_wrapped_prose_joins() {
    let d = tmp();
    let text = "Project maintainers are responsible for clarifying the standards of acceptable\r\nbehavior and are expected to take appropriate and fair corrective action in\r\nresponse to any instances of unacceptable behavior.\r\n\r\nProject maintainers have the right and responsibility to remove, edit, or\r\nreject comments, commits, code, wiki edits, issues, and other contributions\r\nthat are not aligned to this Code of Conduct.\r\n";
    fs::write(d.path().join("wrapped.txt"), text).expect("write");
    let c = open_dir(d.path());
    assert_eq!(body_lines(&c), vec![(1, 3), (5, 7)]);
    let p = &c.articles[0].paragraphs[0];
    assert!(p.text.contains("acceptable behavior and"));
}

#[test]
fn latin1_bytes_are_decoded_as_windows_1252_with_a_warning() {
    let d = tmp();
    let mut bytes = STORY.as_bytes().to_vec();
    bytes.extend_from_slice(b"Caf\xE9 owners said the talks were good for business.\n");
    fs::write(d.path().join("latin1.txt"), bytes).expect("write");
    let c = open_dir(d.path());
    assert_eq!(c.files.len(), 1);
    assert_eq!(c.files[0].encoding_note.as_deref(), Some("windows-1252"));
    assert!(c.files[0].text.contains("Café owners"));
    let w = warnings_about(&c, "latin1.txt");
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("windows-1252"));
}

#[test]
fn damaged_utf8_is_replaced_with_a_warning() {
    let d = tmp();
    let mut bytes = STORY.replace("said", "said “").as_bytes().to_vec();
    bytes.extend_from_slice(b"Caf\xE9 owners said the talks were good for business.\n");
    fs::write(d.path().join("damaged.txt"), bytes).expect("write");
    let c = open_dir(d.path());
    assert_eq!(c.files.len(), 1);
    assert!(c.files[0].encoding_note.is_some());
    assert!(c.files[0].text.contains('\u{FFFD}'));
    let w = warnings_about(&c, "damaged.txt");
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("UTF-8"));
}

#[test]
fn utf16_with_bom_is_decoded() {
    let d = tmp();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(STORY.encode_utf16().flat_map(u16::to_le_bytes));
    fs::write(d.path().join("wide.txt"), bytes).expect("write");
    let c = open_dir(d.path());
    assert_eq!(c.files[0].text, STORY);
    assert_eq!(c.articles.len(), 1);
}

#[test]
fn binary_files_are_skipped_and_reported() {
    let d = tmp();
    fs::write(d.path().join("good.txt"), STORY).expect("write");
    fs::write(
        d.path().join("image.txt"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0",
    )
    .expect("write");
    fs::write(d.path().join("archive.md"), b"PK\x03\x04\x14\0\x08\0\x08\0").expect("write");
    fs::write(
        d.path().join("controls.txt"),
        [1u8, 2, 3, 4, 5, 6, 7, 8, b'a', b'b'],
    )
    .expect("write");
    let c = open_dir(d.path());
    assert_eq!(c.files.len(), 1);
    for name in ["image.txt", "archive.md", "controls.txt"] {
        let w = warnings_about(&c, name);
        assert_eq!(w.len(), 1, "{name}: {w:?}");
        assert!(w[0].contains("binary"), "{name}: {w:?}");
    }
}

#[cfg(unix)]
#[test]
fn unreadable_and_vanished_files_are_skipped() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let d = tmp();
    fs::write(d.path().join("good.txt"), STORY).expect("write");
    // A link to a file that is gone behaves like a file that vanished mid-load.
    symlink(d.path().join("gone.txt"), d.path().join("dangling.txt")).expect("symlink");
    let locked = d.path().join("locked.txt");
    fs::write(&locked, STORY).expect("write");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    let really_locked = fs::read(&locked).is_err(); // root reads it anyway
    let c = open_dir(d.path());
    assert!(c.files.iter().any(|f| f.path.ends_with("good.txt")));
    assert_eq!(warnings_about(&c, "dangling.txt").len(), 1);
    if really_locked {
        assert_eq!(warnings_about(&c, "locked.txt").len(), 1);
        assert!(!c.files.iter().any(|f| f.path.ends_with("locked.txt")));
    }
    // Reading a file that is not there, or a folder, is a warning, never a panic.
    let opts = LoadOptions::default();
    let gone = load::read_file(&d.path().join("nothing.txt"), &opts);
    assert!(gone.is_err_and(|w| w.message.contains("vanished")));
    assert!(load::read_file(d.path(), &opts).is_err());
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).expect("chmod back");
}

#[test]
fn missing_paths() {
    let d = tmp();
    let missing = d.path().join("nope");
    assert!(
        matches!(open(std::slice::from_ref(&missing)), Err(LoadError::Missing(p)) if p == missing)
    );
    fs::write(d.path().join("a.txt"), STORY).expect("write");
    let c = open(&[missing.clone(), d.path().join("a.txt")]).expect("other path loads");
    assert_eq!(c.files.len(), 1);
    assert_eq!(c.warnings.len(), 1);
    assert_eq!(c.warnings[0].path, missing);
}

#[test]
fn empty_folder_is_an_error() {
    let d = tmp();
    fs::create_dir(d.path().join("sub")).expect("mkdir");
    assert!(matches!(
        open(&[d.path().to_path_buf()]),
        Err(LoadError::Empty(_))
    ));
    // Only files of other types: still nothing to read.
    fs::write(d.path().join("sub/pic.png"), b"x").expect("write");
    assert!(matches!(
        open(&[d.path().to_path_buf()]),
        Err(LoadError::Empty(_))
    ));
}

#[test]
fn empty_and_blank_files_give_no_article() {
    let d = tmp();
    fs::write(d.path().join("empty.txt"), "").expect("write");
    fs::write(d.path().join("blank.txt"), " \n\t\r\n\n").expect("write");
    fs::write(d.path().join("good.txt"), STORY).expect("write");
    let c = open_dir(d.path());
    assert_eq!(c.files.len(), 3);
    assert_eq!(c.articles.len(), 1);
    for name in ["empty.txt", "blank.txt"] {
        let w = warnings_about(&c, name);
        assert_eq!(w.len(), 1, "{name}");
        assert!(w[0].contains("empty"), "{name}: {w:?}");
    }
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported_and_survived() {
    use std::os::unix::fs::symlink;
    let d = tmp();
    let sub = d.path().join("sub");
    fs::create_dir(&sub).expect("mkdir");
    fs::write(sub.join("a.txt"), STORY).expect("write");
    symlink(d.path(), sub.join("loop")).expect("symlink");
    let c = open_dir(d.path());
    assert_eq!(c.files.len(), 1);
    assert!(
        c.warnings.iter().any(|w| w.message.contains("loop")),
        "{:?}",
        c.warnings
    );
}

#[test]
fn other_types_get_one_summary_warning() {
    let d = tmp();
    fs::write(d.path().join("a.txt"), STORY).expect("write");
    for i in 0..7 {
        fs::write(d.path().join(format!("pic{i}.png")), b"x").expect("write");
    }
    let c = open_dir(d.path());
    assert_eq!(c.warnings.len(), 1, "{:?}", c.warnings);
    assert!(c.warnings[0].message.contains("7 files"));
    assert!(c.warnings[0].message.contains("pic0.png"));
    // A file named on the command line is read whatever its extension.
    fs::write(d.path().join("notes.text"), STORY).expect("write");
    let c = open(&[d.path().join("notes.text")]).expect("named file loads");
    assert_eq!(c.articles.len(), 1);
}

#[test]
fn hidden_and_skipped_folders_are_not_entered() {
    let d = tmp();
    for dir in [".git", ".hidden", "node_modules", "target", "news"] {
        fs::create_dir(d.path().join(dir)).expect("mkdir");
        fs::write(d.path().join(dir).join("a.txt"), STORY).expect("write");
    }
    let c = open_dir(d.path());
    assert_eq!(c.files.len(), 1);
    assert!(c.files[0].path.ends_with("news/a.txt"));
}

#[test]
fn files_are_sorted_and_ids_unique() {
    let d = tmp();
    for dir in ["b", "a"] {
        fs::create_dir(d.path().join(dir)).expect("mkdir");
        fs::write(d.path().join(dir).join("x_1.txt"), STORY).expect("write");
    }
    fs::write(d.path().join("a").join("y.txt"), STORY).expect("write");
    let c = open_dir(d.path());
    let names: Vec<String> = c
        .files
        .iter()
        .map(|f| {
            f.path
                .strip_prefix(d.path())
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(names, vec!["a/x_1.txt", "a/y.txt", "b/x_1.txt"]);
    let ids: Vec<&str> = c.articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, vec!["a/x_1", "y", "b/x_1"]);
    // Same bytes, same hash; sizes and times are filled.
    assert_eq!(c.files[0].hash, c.files[2].hash);
    assert_eq!(c.files[0].size, STORY.len() as u64);
    assert!(c.files[0].modified.is_some());
}

#[test]
fn same_file_reached_twice_is_read_once() {
    let d = tmp();
    fs::write(d.path().join("a.txt"), STORY).expect("write");
    let c = open(&[d.path().to_path_buf(), d.path().join("a.txt")]).expect("loads");
    assert_eq!(c.files.len(), 1);
}

#[cfg(unix)]
#[test]
fn file_and_link_to_it_are_read_once_under_the_first_name() {
    let d = tmp();
    fs::write(d.path().join("b.txt"), STORY).expect("write");
    std::os::unix::fs::symlink(d.path().join("b.txt"), d.path().join("a.txt")).expect("symlink");
    std::os::unix::fs::symlink("gone.txt", d.path().join("c.txt")).expect("symlink");
    let c = open(&[d.path().to_path_buf()]).expect("loads");
    let names: Vec<_> = c
        .files
        .iter()
        .map(|f| f.path.file_name().map(|n| n.to_owned()))
        .collect();
    assert_eq!(names, vec![Some("a.txt".into())]);
}

#[test]
fn bad_user_pattern_is_an_error() {
    let d = tmp();
    fs::write(d.path().join("a.txt"), STORY).expect("write");
    let opts = SegmentOptions {
        extra_furniture: vec!["(oops".to_owned()],
        ..Default::default()
    };
    let r = corpus::open(&[d.path().to_path_buf()], &LoadOptions::default(), &opts);
    assert!(matches!(r, Err(LoadError::Pattern(_))));
    let opts = SegmentOptions {
        extra_furniture: vec!["raisi told .*".to_owned()],
        ..Default::default()
    };
    let c = corpus::open(&[d.path().to_path_buf()], &LoadOptions::default(), &opts).expect("loads");
    assert_eq!(body_lines(&c), vec![(3, 3)]);
}

#[test]
fn huge_line_and_huge_word_load() {
    let d = tmp();
    let line = "The minister said the talks went well and more would follow. ".repeat(170_000);
    assert!(line.len() > 10_000_000);
    fs::write(
        d.path().join("line.txt"),
        format!("Headline here\n\n{line}\n"),
    )
    .expect("write");
    let word = "x".repeat(100_000);
    fs::write(
        d.path().join("word.txt"),
        format!("{word}\n{word} {word}.\n"),
    )
    .expect("write");
    let c = open_dir(d.path());
    assert_eq!(c.articles.len(), 2);
    assert_eq!(c.articles[0].paragraphs.len(), 2);
}

#[test]
fn opening_for_articles_frees_the_texts_and_says_the_same() {
    let d = tmp();
    fs::write(d.path().join("story.txt"), STORY).expect("write");
    fs::write(d.path().join("empty.txt"), "").expect("write");
    fs::write(
        d.path().join("furniture.txt"),
        "Read more\n\nAdvertisement\n",
    )
    .expect("write");
    let paths = [d.path().to_path_buf()];
    let kept = open(&paths).expect("folder loads");
    let freed = corpus::open_articles(&paths, &LoadOptions::default(), &SegmentOptions::default())
        .expect("folder loads");
    assert_eq!(freed.warnings, kept.warnings);
    assert_eq!(
        warnings_about(&freed, "empty.txt"),
        ["file is empty; no article"]
    );
    assert_eq!(warnings_about(&freed, "furniture.txt").len(), 1);
    let texts = |c: &Corpus| -> Vec<Vec<String>> {
        c.articles
            .iter()
            .map(|a| a.paragraphs.iter().map(|p| p.text.to_string()).collect())
            .collect()
    };
    assert_eq!(texts(&freed), texts(&kept));
    assert!(freed.files.iter().all(|f| f.text.is_empty()));
    assert!(kept.files.iter().any(|f| f.text == STORY));
}
