//! Messy and hostile files in a corpus: each is put beside two good versions
//! of a story in a temporary folder. Nothing may panic or hang; a file that
//! is skipped or changed gets one warning line naming it; the good story is
//! still found.

mod hostile_common;

use hostile_common::*;
use storydiff::corpus::{LoadOptions, load};
use storydiff::engine::{Engine, Settings};

fn corpus_with(file: &str, bytes: &[u8]) -> (tempfile::TempDir, Engine) {
    let dir = tempfile::tempdir().unwrap();
    put_good(dir.path());
    std::fs::write(dir.path().join(file), bytes).unwrap();
    let engine = open(dir.path());
    assert_good_story(&engine);
    (dir, engine)
}

/// The article read from `file`, if any.
fn article_text(engine: &Engine, file: &str) -> Option<String> {
    let c = engine.corpus();
    let fid = c.files.iter().position(|f| {
        f.path
            .file_name()
            .is_some_and(|n| n.to_string_lossy() == file)
    })?;
    Some(
        c.articles
            .iter()
            .filter(|a| a.file == fid)
            .flat_map(|a| a.paragraphs.iter().map(|p| p.text.clone()))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

#[test]
fn empty_file() {
    let (_d, e) = corpus_with("empty.txt", b"");
    assert_one_warning(&e, "empty.txt", "empty");
}

#[test]
fn whitespace_only() {
    let (_d, e) = corpus_with("blank.txt", b"  \n\t\r\n \r\n\n   \x0c\n");
    assert_one_warning(&e, "blank.txt", "empty");
}

#[test]
fn one_huge_line_without_newline() {
    let words = [
        "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "and", "keeps", "running",
    ];
    let mut line = String::with_capacity(10 << 20);
    let mut i = 0usize;
    while line.len() < 10 << 20 {
        line.push_str(words[i % words.len()]);
        line.push_str(if i % 17 == 16 { ". " } else { " " });
        i = i.wrapping_mul(31).wrapping_add(7) % 1_000_003;
    }
    let (_d, e) = corpus_with("huge.txt", line.as_bytes());
    assert!(loaded(&e, "huge.txt"));
    let text = article_text(&e, "huge.txt").expect("the huge line is an article");
    // All of it, but for the final space.
    assert!(text.len() >= (10 << 20) - 1, "{}", text.len());
}

#[test]
fn a_hundred_kilobyte_word() {
    let (_d, e) = corpus_with("long_word.txt", long_word(100 * 1024).as_bytes());
    let text = article_text(&e, "long_word.txt").expect("loaded");
    assert!(text.contains("abcdefghij"));
    // Its escape sequences are reported, and kept in the text for exports.
    assert_one_warning(&e, "long_word.txt", "escape sequences");
}

#[test]
fn png_named_txt() {
    let (_d, e) = corpus_with("photo.txt", PNG);
    assert!(!loaded(&e, "photo.txt"));
    assert_one_warning(&e, "photo.txt", "PNG");
}

#[test]
fn zip_named_txt() {
    let (_d, e) = corpus_with("archive.txt", ZIP);
    assert!(!loaded(&e, "archive.txt"));
    assert_one_warning(&e, "archive.txt", "zip");
}

#[test]
fn invalid_utf8() {
    let mut bytes = sample("004").into_bytes();
    bytes.splice(200..200, b"\xff\xfe\xc3(\xe2\x82".iter().copied());
    let (_d, e) = corpus_with("invalid.txt", &bytes);
    assert_one_warning(&e, "invalid.txt", "invalid bytes replaced");
    assert!(
        article_text(&e, "invalid.txt")
            .unwrap()
            .contains('\u{FFFD}')
    );
}

#[test]
fn utf16_with_bom() {
    for (name, bytes) in [
        ("le.txt", utf16le(&sample("004"))),
        ("be.txt", utf16be(&sample("004"))),
    ] {
        let (_d, e) = corpus_with(name, &bytes);
        assert_one_warning(&e, name, "UTF-16");
        let text = article_text(&e, name).unwrap();
        assert!(text.contains("Fenghe"), "{text}");
        // Decoded right, the file is one more version of the Iran story.
        let story = e
            .stories()
            .iter()
            .position(|s| s.title.contains("Iran") && s.versions.len() >= 3);
        assert!(story.is_some(), "{name} did not join the Iran story");
    }
}

#[test]
fn windows_1252() {
    let (_d, e) = corpus_with("cp1252.txt", &cp1252_bytes());
    assert_one_warning(&e, "cp1252.txt", "windows-1252");
    let text = article_text(&e, "cp1252.txt").unwrap();
    for want in [
        "Café",
        "Saint-Étienne",
        "€",
        "“We cannot pay this,”",
        "Renée",
        "–",
        "—",
        "mayor’s",
        "naïve",
    ] {
        assert!(text.contains(want), "{want:?} missing from {text}");
    }
}

#[test]
fn nul_bytes_in_text() {
    let mut bytes = sample("004").into_bytes();
    bytes.splice(300..300, b"\0\0".iter().copied());
    bytes.push(0);
    let (_d, e) = corpus_with("nul.txt", &bytes);
    assert_one_warning(&e, "nul.txt", "NUL");
    let text = article_text(&e, "nul.txt").unwrap();
    assert!(!text.contains('\0'));
    assert!(text.contains("Fenghe"));
}

#[test]
fn mostly_nul_is_binary() {
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| if i % 3 == 0 { b'a' } else { 0 })
        .collect();
    let (_d, e) = corpus_with("zeros.txt", &bytes);
    assert!(!loaded(&e, "zeros.txt"));
    assert_one_warning(&e, "zeros.txt", "binary");
}

/// The body paragraph that holds `needle`, with its line span, in `file`.
fn span_of(e: &Engine, file: &str, needle: &str) -> storydiff::model::LineSpan {
    let c = e.corpus();
    let fid = c
        .files
        .iter()
        .position(|f| {
            f.path
                .file_name()
                .is_some_and(|n| n.to_string_lossy() == file)
        })
        .unwrap();
    c.articles
        .iter()
        .filter(|a| a.file == fid)
        .flat_map(|a| &a.paragraphs)
        .find(|p| p.text.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in {file}"))
        .lines
}

#[test]
fn cr_crlf_and_mixed_newlines_keep_line_numbers() {
    let text = sample("004");
    let needle = "Fenghe";
    let want_line = text
        .lines()
        .position(|l| l.contains(needle))
        .map(|i| i as u32 + 1)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    put_good(dir.path());
    std::fs::write(dir.path().join("lf.txt"), &text).unwrap();
    std::fs::write(dir.path().join("crlf.txt"), text.replace('\n', "\r\n")).unwrap();
    std::fs::write(dir.path().join("cr.txt"), text.replace('\n', "\r")).unwrap();
    std::fs::write(dir.path().join("mixed.txt"), mixed_newlines(&text)).unwrap();
    let e = open(dir.path());
    assert_good_story(&e);
    for f in ["lf.txt", "crlf.txt", "cr.txt", "mixed.txt"] {
        assert!(
            warnings_for(&e, f).is_empty(),
            "{f}: {:?}",
            warnings_for(&e, f)
        );
        assert_eq!(span_of(&e, f, needle).first, want_line, "{f}");
    }
    // All four are the same text: versions of the Iran story with no changes between them.
    let iran = e
        .stories()
        .iter()
        .find(|s| s.title.contains("Iran"))
        .unwrap();
    assert_eq!(iran.versions.len(), 6);
}

#[test]
fn terminal_escapes_bidi_and_invisible_characters() {
    let (_d, e) = corpus_with("escapes.txt", escapes_text().as_bytes());
    assert_one_warning(&e, "escapes.txt", "escape sequences");
    // The text itself is kept as it is: exports escape it, the screen shows placeholders.
    let text = article_text(&e, "escapes.txt").unwrap();
    assert!(text.contains("\u{1b}[2J") && text.contains('\u{202E}'));
    // It is still a version of the good story.
    let iran = e
        .stories()
        .iter()
        .enumerate()
        .find(|(_, s)| s.title.contains("Iran"))
        .unwrap();
    assert!(
        (0..iran.1.versions.len()).any(|v| e.version(iran.0, v).id == "escapes"),
        "the version with escapes did not join its story"
    );
}

#[test]
fn right_to_left_cjk_emoji_and_combining_marks() {
    let (rtl_a, rtl_b) = rtl_versions();
    let (wide_a, wide_b) = wide_versions();
    let dir = tempfile::tempdir().unwrap();
    put_good(dir.path());
    for (f, t) in [
        ("rtl_a.txt", &rtl_a),
        ("rtl_b.txt", &rtl_b),
        ("wide_a.txt", &wide_a),
        ("wide_b.txt", &wide_b),
    ] {
        std::fs::write(dir.path().join(f), t).unwrap();
    }
    let e = open(dir.path());
    assert_good_story(&e);
    assert!(e.corpus().warnings.is_empty(), "{:?}", e.corpus().warnings);
    for pair in [["rtl_a", "rtl_b"], ["wide_a", "wide_b"]] {
        let together = e.stories().iter().enumerate().any(|(i, s)| {
            let ids: Vec<&str> = (0..s.versions.len())
                .map(|v| e.version(i, v).id.as_str())
                .collect();
            ids == pair
        });
        assert!(together, "{pair:?} are not one story");
    }
}

#[test]
fn deeply_nested_folders() {
    let dir = tempfile::tempdir().unwrap();
    put_good(dir.path());
    let mut deep = dir.path().to_path_buf();
    for i in 0..300 {
        deep.push(format!("d{}", i % 10));
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("deep.txt"), sample("001")).unwrap();
    let e = open(dir.path());
    assert_good_story(&e);
    assert!(loaded(&e, "deep.txt"), "the deepest file was not read");
}

#[cfg(unix)]
#[test]
fn symlink_loop() {
    let dir = tempfile::tempdir().unwrap();
    put_good(dir.path());
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::os::unix::fs::symlink(dir.path(), sub.join("loop")).unwrap();
    std::os::unix::fs::symlink("self.txt", dir.path().join("self.txt")).unwrap();
    let e = open(dir.path());
    assert_good_story(&e);
    let loops: Vec<_> = warnings_for(&e, "loop");
    assert_eq!(loops.len(), 1, "{:?}", e.corpus().warnings);
    assert!(loops[0].message.contains("loop"));
    assert_one_warning(&e, "self.txt", "link");
}

#[cfg(unix)]
#[test]
fn fifo_named_txt_does_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    put_good(dir.path());
    let fifo = dir.path().join("pipe.txt");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !status.is_ok_and(|s| s.success()) {
        println!("note: mkfifo is not available here; FIFO case not tested");
        return;
    }
    let e = open(dir.path());
    assert_good_story(&e);
    assert_one_warning(&e, "pipe.txt", "not a regular file");
    // Named on its own, beside a good file.
    let good = dir.path().join("good_a.txt");
    let paths = vec![fifo.clone(), good];
    let loaded = no_hang(60, move || load::load(&paths, &LoadOptions::default()));
    let loaded = loaded.expect("the good file loads");
    assert_eq!(loaded.files.len(), 1);
    assert!(loaded.warnings.iter().any(|w| w.path == fifo));
}

#[cfg(unix)]
#[test]
fn device_linked_as_txt_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    put_good(dir.path());
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.txt")).unwrap();
    let e = open(dir.path());
    assert_good_story(&e);
    assert_one_warning(&e, "zero.txt", "not a regular file");
}

#[test]
fn folder_named_txt_is_walked() {
    let dir = tempfile::tempdir().unwrap();
    put_good(dir.path());
    let fake = dir.path().join("folder.txt");
    std::fs::create_dir(&fake).unwrap();
    std::fs::write(fake.join("inside.txt"), sample("002")).unwrap();
    let e = open(dir.path());
    assert_good_story(&e);
    assert!(loaded(&e, "inside.txt"));
    assert!(e.corpus().warnings.is_empty(), "{:?}", e.corpus().warnings);
}

#[cfg(unix)]
#[test]
fn file_without_read_permission() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    put_good(dir.path());
    let locked = dir.path().join("locked.txt");
    std::fs::write(&locked, sample("001")).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        println!(
            "note: running as root, a mode-000 file is still readable; the FIFO and device tests cover unreadable files"
        );
        return;
    }
    let e = open(dir.path());
    assert_good_story(&e);
    assert_one_warning(&e, "locked.txt", "permission denied");
}

#[cfg(unix)]
#[test]
fn file_in_unreadable_folder() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    put_good(dir.path());
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("x.txt"), sample("001")).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read_dir(&locked).is_ok();
    let e = open(dir.path());
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_good_story(&e);
    if readable {
        println!("note: running as root, a mode-000 folder is still readable");
    } else {
        assert_one_warning(&e, "locked", "permission denied");
    }
}

#[test]
fn vanished_file() {
    let dir = tempfile::tempdir().unwrap();
    let gone = dir.path().join("gone.txt");
    let w = load::read_file(&gone, &LoadOptions::default()).unwrap_err();
    assert_eq!(w.path, gone);
    assert!(w.message.contains("vanished"), "{w}");
}

/// Files deleted, truncated, rewritten and replaced by folders while the
/// corpus loads, over and over: every load either reads a file or says why
/// not, and the good story is always found.
#[test]
fn files_changing_while_read() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let dir = tempfile::tempdir().unwrap();
    put_good(dir.path());
    let root = dir.path().to_path_buf();
    let stop = Arc::new(AtomicBool::new(false));
    let churn = {
        let (root, stop) = (root.clone(), Arc::clone(&stop));
        std::thread::spawn(move || {
            let big = sample("001").repeat(200);
            let mut i = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let p = root.join(format!("churn{}.txt", i % 8));
                match i % 5 {
                    0 => drop(std::fs::write(&p, &big)),
                    1 => drop(
                        std::fs::OpenOptions::new()
                            .write(true)
                            .open(&p)
                            .and_then(|f| f.set_len(10)),
                    ),
                    2 => drop(std::fs::remove_file(&p)),
                    3 => drop(std::fs::create_dir(&p).and_then(|()| std::fs::remove_dir(&p))),
                    _ => drop(std::fs::write(&p, b"\xff\xfe\0x")),
                }
                i += 1;
            }
        })
    };
    for _ in 0..40 {
        let r = root.clone();
        let e = no_hang(120, move || Engine::open(&[r], Settings::default()))
            .expect("the good files load");
        assert_good_story(&e);
        for w in &e.corpus().warnings {
            assert!(!w.to_string().contains('\n'));
        }
    }
    stop.store(true, Ordering::Relaxed);
    churn.join().unwrap();
}

#[test]
fn file_given_as_folder_and_folder_as_file() {
    let dir = tempfile::tempdir().unwrap();
    put_good(dir.path());
    let good = dir.path().join("good_a.txt");
    // A path through a file, as if it were a folder, beside a good folder.
    let through = good.join("child.txt");
    let paths = vec![through.clone(), dir.path().to_path_buf()];
    let e = Engine::open(&paths, Settings::default()).expect("the folder loads");
    assert_good_story(&e);
    let w = e
        .corpus()
        .warnings
        .iter()
        .find(|w| w.path == through)
        .expect("a warning for the path through a file");
    assert!(w.message.contains("not a folder"), "{w}");
    // Alone, it is an error that names it.
    let err = Engine::open(std::slice::from_ref(&through), Settings::default()).unwrap_err();
    assert!(err.to_string().contains("child.txt"), "{err}");
}

#[cfg(unix)]
#[test]
fn path_that_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    put_good(dir.path());
    let name = std::ffi::OsStr::from_bytes(b"bad\xff\xfe name\x1b[2J.txt");
    let path = dir.path().join(name);
    std::fs::write(&path, sample("004")).unwrap();
    let folder = dir.path().join(std::ffi::OsStr::from_bytes(b"dir\xc3"));
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("in.txt"), sample("002")).unwrap();
    let e = open(dir.path());
    assert_good_story(&e);
    assert!(e.corpus().files.iter().any(|f| f.path == path));
    assert!(loaded(&e, "in.txt"));
    // Its version id is typeable: no escape byte, no replacement character.
    let id = &e
        .corpus()
        .articles
        .iter()
        .find(|a| e.corpus().files[a.file].path == path)
        .unwrap()
        .id;
    assert!(
        !id.chars().any(is_dangerous) && !id.contains('\u{FFFD}'),
        "{id:?}"
    );
}

/// 100,000 tiny files load: each is too short to be much of an article, and
/// the good story is found among them.
#[test]
fn a_hundred_thousand_tiny_files() {
    let dir = tempfile::tempdir().unwrap();
    put_good(dir.path());
    let n = 100_000;
    for i in 0..n {
        let sub = dir.path().join(format!("s{:03}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir(&sub).unwrap();
        }
        let text = format!(
            "Note {i}\n\nItem number {i} was filed today by clerk {}.\n",
            i % 97
        );
        std::fs::write(sub.join(format!("{i:06}.txt")), text).unwrap();
    }
    let e = open(dir.path());
    assert_eq!(e.corpus().files.len(), n + 2);
    assert_good_story(&e);
}

/// Two versions of hostile sizes compared: a 100 KB word against the same
/// word with one letter changed, and two different 10 MB lines. The diff
/// must end and still turn one text into the other.
#[test]
fn comparing_huge_versions_ends() {
    use storydiff::diff::{DiffOptions, apply, word_diff};
    let word: String = "abcdefghij".repeat(10 * 1024);
    let mut other = word.clone();
    other.replace_range(50_000..50_001, "X");
    let old = format!("Before the word. {word} After the word.");
    let new = format!("Before the word. {other} After the word.");
    let d = no_hang(300, move || word_diff(&old, &new, &DiffOptions::default()));
    assert_eq!(d.changes.len(), 1);
    assert!(apply(&d).contains('X'));

    let line = |seed: u64| {
        let words = [
            "wire", "story", "minister", "said", "talks", "Tehran", "agency", "on",
        ];
        let mut x = seed;
        let mut out = String::with_capacity(10 << 20);
        while out.len() < 10 << 20 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            out.push_str(words[(x >> 33) as usize % words.len()]);
            out.push(' ');
        }
        out
    };
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
    std::fs::write(&a, format!("Huge line\n\n{}\n", line(1))).unwrap();
    std::fs::write(&b, format!("Huge line\n\n{}\n", line(2))).unwrap();
    let ok = no_hang(600, move || {
        let e = Engine::open_pair(&a, &b, Settings::default()).expect("both load");
        let c = e.comparison(0, 0, 1, &DiffOptions::default());
        c.rows
            .iter()
            .filter_map(|r| r.diff.as_ref())
            .all(|d| apply(d) == d.new_text)
    });
    assert!(ok, "a diff does not turn one text into the other");
}

/// Two stories of one file that share their smallest shingle (the sample's
/// 000 alone: the Iran story and the Congo story) get different ids, so a
/// canonical mark kept under one never applies to the other.
#[test]
fn story_ids_never_name_two_stories() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("000.txt"), sample("000")).unwrap();
    std::fs::write(
        dir.path().join("twice.txt"),
        format!("{}\n\n\n{}", sample("002"), sample("002")),
    )
    .unwrap();
    let e = open(dir.path());
    let ids: Vec<&str> = e.stories().iter().map(|s| s.id.as_str()).collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(e.find_story(id), Ok(i));
    }
}

/// Through the binary: a folder where `diff` wants a file, and a path
/// through a file, each fail with one line naming the path.
#[test]
fn wrong_kinds_of_path_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    put_good(dir.path());
    let good = dir.path().join("good_a.txt");
    let run = |args: &[&std::ffi::OsStr]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_storydiff"))
            .env("STORYDIFF_CACHE_DIR", env!("CARGO_TARGET_TMPDIR"))
            .args(args)
            .arg("--state-dir")
            .arg(dir.path().join("state"))
            .env_remove("STORYDIFF_CONFIG")
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?} succeeded");
        String::from_utf8(out.stderr).unwrap()
    };
    let err = run(&["diff".as_ref(), dir.path().as_os_str(), good.as_os_str()]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("not a file") && err.contains(&dir.path().display().to_string()),
        "{err}"
    );
    let through = good.join("x.txt");
    let err = run(&["stories".as_ref(), through.as_os_str()]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("x.txt") && err.contains("not a folder"),
        "{err}"
    );
}
