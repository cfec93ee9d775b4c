//! Hostile inputs shared by the `hostile_*` tests: each one is built in a
//! temporary folder beside good sample files, so a test can check both what
//! happened to the bad file and that the rest of the corpus still loads.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use storydiff::engine::{Engine, Settings};
use storydiff::model::Warning;

/// The sample corpus, where the good files come from.
pub fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/corpus")
}

/// The text of one sample file, by its number ("000").
pub fn sample(n: &str) -> String {
    let dir = sample_dir();
    let entry = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(n))
        .unwrap_or_else(|| panic!("sample {n} not found"));
    std::fs::read_to_string(entry).unwrap()
}

/// Two good versions of the Iran story, written as `good_a.txt` (000) and
/// `good_b.txt` (003).
pub fn put_good(dir: &Path) {
    std::fs::write(dir.join("good_a.txt"), sample("000")).unwrap();
    std::fs::write(dir.join("good_b.txt"), sample("003")).unwrap();
}

/// The Iran story found in a loaded corpus: both good files are versions of one story.
pub fn assert_good_story(engine: &Engine) {
    let found = engine.stories().iter().enumerate().any(|(i, s)| {
        let ids: Vec<&str> = (0..s.versions.len())
            .map(|v| engine.version(i, v).id.as_str())
            .collect();
        ids.contains(&"good_a") && ids.contains(&"good_b") && s.title.contains("Iran")
    });
    assert!(
        found,
        "the good story was not found; stories: {:?}",
        engine
            .stories()
            .iter()
            .map(|s| (&s.id, &s.title))
            .collect::<Vec<_>>()
    );
}

/// Run `f` on another thread and fail if it takes longer than `secs`: a
/// guard against hangs (a FIFO opened for reading, an endless file), not a
/// timing assertion.
pub fn no_hang<T: Send + 'static>(secs: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(Duration::from_secs(secs)) {
        Ok(v) => v,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("hung for more than {secs} s"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the worker thread panicked"),
    }
}

/// Load `dir` with default settings, guarded against hangs.
pub fn open(dir: &Path) -> Engine {
    let dir = dir.to_path_buf();
    no_hang(300, move || {
        Engine::open(&[dir], Settings::default()).expect("the corpus loads")
    })
}

/// The warnings that name `file` (by file name).
pub fn warnings_for<'a>(engine: &'a Engine, file: &str) -> Vec<&'a Warning> {
    engine
        .corpus()
        .warnings
        .iter()
        .filter(|w| {
            w.path
                .file_name()
                .is_some_and(|n| n.to_string_lossy() == file)
        })
        .collect()
}

/// Exactly one warning names `file`, on one line, and it says `what`.
pub fn assert_one_warning(engine: &Engine, file: &str, what: &str) {
    let ws = warnings_for(engine, file);
    assert_eq!(
        ws.len(),
        1,
        "expected one warning for {file}, got {ws:?} (all: {:?})",
        engine.corpus().warnings
    );
    let line = ws[0].to_string();
    assert!(
        !line.contains('\n'),
        "warning on more than one line: {line:?}"
    );
    assert!(
        line.contains(what),
        "warning for {file} does not say {what:?}: {line}"
    );
}

/// Whether the corpus read `file`, under any article.
pub fn loaded(engine: &Engine, file: &str) -> bool {
    engine.corpus().files.iter().any(|f| {
        f.path
            .file_name()
            .is_some_and(|n| n.to_string_lossy() == file)
    })
}

/// The Iran story (file 004) with terminal escape sequences, C1 controls,
/// bidi controls and invisible characters put into its text: a version of
/// the good story that tries to take over the terminal.
pub fn escapes_text() -> String {
    let base = sample("004");
    let mut out = String::new();
    for (i, line) in base.lines().enumerate() {
        let inject = match i % 9 {
            0 => "\u{1b}[2J\u{1b}[H",
            1 => "\u{1b}]52;c;cm0gLXJmIH4K\u{7}",
            2 => "\u{1b}]8;;https://evil.example/\u{1b}\\link\u{1b}]8;;\u{1b}\\",
            3 => "\u{1b}]0;pwned title\u{7}\u{1b}]2;another\u{1b}\\",
            4 => "\u{1b}[10;10H\u{1b}[3A\u{1b}[?1049l",
            5 => "\u{9b}31m\u{9d}0;c1 title\u{9c}\u{85}",
            6 => "\u{202E}desrever\u{202C} \u{2066}iso\u{2069} \u{200F}",
            7 => "zero\u{200B}width\u{FEFF}\u{2060} \u{7f}",
            _ => "",
        };
        if line.trim().is_empty() {
            out.push_str(line);
        } else {
            out.push_str(inject);
            out.push_str(line);
            out.push_str(inject);
        }
        out.push('\n');
    }
    out
}

/// An Arabic/Hebrew story in two versions, with right-to-left and mixed text.
pub fn rtl_versions() -> (String, String) {
    let para = [
        "أعلنت الحكومة اليوم عن خطة جديدة لتوسيع التعاون الاقتصادي مع الدول المجاورة، وقال الوزير إن الخطة ستبدأ في شهر مايو 2024.",
        "הממשלה הודיעה היום על תוכנית חדשה להרחבת שיתוף הפעולה הכלכלי עם המדינות השכנות, והשר אמר כי התוכנית תתחיל בחודש מאי.",
        "وأضاف المتحدث أن المفاوضات مع الشركاء ستستمر خلال الأسابيع المقبلة، وأن النتائج الأولى متوقعة قبل نهاية العام الحالي.",
        "Mixed: the minister (השר) said العربية and עברית text in one line, with numbers 1,234.56 and a URL https://example.org/path.",
        "ראש הממשלה אמר בראיון לטלוויזיה כי ההסכם החדש הוא צעד חשוב לקראת יציבות אזורית ושגשוג כלכלי לכל תושבי האזור.",
    ];
    let a = format!(
        "خطة اقتصادية جديدة للتعاون الإقليمي\n\n{}\n",
        para.join("\n\n")
    );
    let mut b_para = para.to_vec();
    b_para[0] = "أعلنت الحكومة اليوم عن خطة جديدة لتوسيع التعاون التجاري مع الدول المجاورة، وقال الوزير إن الخطة ستبدأ في شهر يونيو 2024.";
    b_para[4] = "ראש הממשלה אמר בראיון לרדיו כי ההסכם החדש הוא צעד חשוב מאוד לקראת יציבות אזורית ושגשוג כלכלי לכל תושבי האזור.";
    let b = format!(
        "خطة اقتصادية جديدة للتعاون الإقليمي\n\n{}\n",
        b_para.join("\n\n")
    );
    (a, b)
}

/// A CJK story with emoji ZWJ sequences and combining marks, in two versions.
pub fn wide_versions() -> (String, String) {
    let para = [
        "东京电视台报道，日本政府周三宣布了一项新的经济刺激计划，总额达到二十万亿日元，以应对持续的通货紧缩压力。",
        "政府関係者によると、この計画には中小企業への補助金と、地方のインフラ整備への投資が含まれている。家族👨‍👩‍👧‍👦も旅行👩🏽‍💻も。",
        "한국 정부도 비슷한 조치를 검토하고 있으며, 전문가들은 지역 경제에 긍정적인 영향을 미칠 것으로 예상하고 있다 🇰🇷🇯🇵.",
        "Combining marks: café, naïve, Zoë, ñ, e\u{301}le\u{301}ve, Z\u{351}\u{34b}a\u{350}\u{35b}l\u{36b}g\u{35b}o\u{346} text, and Devanagari नमस्ते दुनिया.",
        "全角文字のテスト：ＡＢＣ１２３、そして半角ｶﾀｶﾅも混在する段落である。最後にもう一度👨‍👩‍👧‍👦で終わる。",
    ];
    let a = format!("日本政府が新たな経済対策を発表\n\n{}\n", para.join("\n\n"));
    let mut b_para = para.to_vec();
    b_para[0] = "东京电视台报道，日本政府周四宣布了一项新的经济刺激计划，总额达到三十万亿日元，以应对持续的通货紧缩压力。";
    b_para[3] = "Combining marks: cafe\u{301}, naïve, Zoë, ñ, élève, Z\u{351}a\u{350}l\u{36b}g\u{35b}o text, and Devanagari नमस्ते दुनिया!";
    let b = format!(
        "日本政府が新たな経済対策を発表\n\n{}\n",
        b_para.join("\n\n")
    );
    (a, b)
}

/// A minimal PNG image (a 1×1 pixel).
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xff\xff?\0\x05\xfe\x02\xfe\xa7\x35\x81\x84\0\0\0\0IEND\xaeB`\x82";

/// A minimal zip archive holding one file.
pub const ZIP: &[u8] = b"PK\x03\x04\x14\0\0\0\0\0\0\0!\0\x86\xa6\x10\x36\x05\0\0\0\x05\0\0\0\x05\0\0\0a.txthelloPK\x01\x02\x14\x03\x14\0\0\0\0\0\0\0!\0\x86\xa6\x10\x36\x05\0\0\0\x05\0\0\0\x05\0\0\0\0\0\0\0\0\0\0\0\xa4\x81\0\0\0\0a.txtPK\x05\x06\0\0\0\0\x01\0\x01\0\x33\0\0\0(\0\0\0\0\0";

/// `text` encoded as UTF-16 little-endian with a byte order mark.
pub fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

/// `text` encoded as UTF-16 big-endian with a byte order mark.
pub fn utf16be(text: &str) -> Vec<u8> {
    let mut out = vec![0xFE, 0xFF];
    out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    out
}

/// A short story in Windows-1252: curly quotes, dashes, accents, the euro sign.
pub fn cp1252_bytes() -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(b"Caf\xe9 owners in Saint-\xc9tienne protest the new \x80 tax\n\n");
    out.extend_from_slice(
        b"\x93We cannot pay this,\x94 said Ren\xe9e Dupr\xe9, who runs a small caf\xe9 \x96 one of many \x97 near the station.\n\n",
    );
    out.extend_from_slice(
        b"The mayor\x92s office said the na\xefve plan would be reviewed on Thursday, and that the \x80 20 fee was only a proposal.\n",
    );
    out
}

/// A hostile file's bytes under a name, for tests that run every case.
pub struct Case {
    pub name: &'static str,
    pub file: &'static str,
    pub bytes: Vec<u8>,
    /// Another version of the same story, where the case needs a partner to be compared with.
    pub partner: Option<(&'static str, Vec<u8>)>,
}

impl Case {
    /// Write the case and its partner into `dir`, beside the good files.
    pub fn write(&self, dir: &Path) {
        put_good(dir);
        std::fs::write(dir.join(self.file), &self.bytes).unwrap();
        if let Some((f, b)) = &self.partner {
            std::fs::write(dir.join(f), b).unwrap();
        }
    }
}

/// The hostile files whose text loads (possibly repaired), each to be shown
/// and exported: the terminal-safety tests run all of them.
pub fn text_cases() -> Vec<Case> {
    let (rtl_a, rtl_b) = rtl_versions();
    let (wide_a, wide_b) = wide_versions();
    let iran = sample("004");
    let mut invalid = iran.clone().into_bytes();
    invalid.splice(200..200, b"\xff\xfe\xc3(\xe2\x82".iter().copied());
    let mut nul = iran.clone().into_bytes();
    nul.splice(300..300, b"\0\0".iter().copied());
    vec![
        Case {
            name: "escapes",
            file: "escapes.txt",
            bytes: escapes_text().into_bytes(),
            partner: None,
        },
        Case {
            name: "invalid utf-8",
            file: "invalid.txt",
            bytes: invalid,
            partner: None,
        },
        Case {
            name: "utf-16",
            file: "utf16.txt",
            bytes: utf16le(&escapes_text()),
            partner: None,
        },
        Case {
            name: "windows-1252",
            file: "cp1252.txt",
            bytes: cp1252_bytes(),
            partner: None,
        },
        Case {
            name: "nul bytes",
            file: "nul.txt",
            bytes: nul,
            partner: None,
        },
        Case {
            name: "cr only",
            file: "cr.txt",
            bytes: escapes_text().replace('\n', "\r").into_bytes(),
            partner: None,
        },
        Case {
            name: "mixed newlines",
            file: "mixed.txt",
            bytes: mixed_newlines(&escapes_text()).into_bytes(),
            partner: None,
        },
        Case {
            name: "rtl",
            file: "rtl.txt",
            bytes: rtl_a.into_bytes(),
            partner: Some(("rtl_b.txt", rtl_b.into_bytes())),
        },
        Case {
            name: "wide",
            file: "wide.txt",
            bytes: wide_a.into_bytes(),
            partner: Some(("wide_b.txt", wide_b.into_bytes())),
        },
        Case {
            name: "hostile file name",
            file: "evil\u{1b}]0;title\u{7}\u{1b}[2J\u{202E}gpj.txt",
            bytes: sample("004").replace("Raisi", "Raeesi").into_bytes(),
            partner: None,
        },
        Case {
            name: "json record",
            file: "feed.jsonl",
            bytes: {
                let record = serde_json::json!({
                    "title": "\u{1b}]0;pwned\u{7}Iran \u{202E}seeks\u{202C} ties",
                    "text": escapes_text(),
                    "url": "https://evil.example/\u{1b}[2J",
                    "outlet": "Outlet\u{9b}31m",
                });
                format!("{record}\n{{not json\n").into_bytes()
            },
            partner: None,
        },
        Case {
            name: "html page",
            file: "page.html",
            bytes: format!(
                "<html><head><title>\u{1b}]0;pwned\u{7}A page</title></head><body><h1>Iran &#x202E;seeks ties</h1>{}</body></html>",
                escapes_text()
                    .split("\n\n")
                    .map(|p| format!("<p>{p}</p>"))
                    .collect::<String>()
            )
            .into_bytes(),
            partner: None,
        },
        Case {
            name: "long word",
            file: "long_word.txt",
            bytes: long_word(100 * 1024).into_bytes(),
            partner: None,
        },
    ]
}

/// A paragraph holding one 100 KB "word", between ordinary sentences.
pub fn long_word(bytes: usize) -> String {
    let word: String = "abcdefghij\u{1b}[2J".chars().cycle().take(bytes).collect();
    format!(
        "A headline over a very long word\n\nThe text before the word goes on for a while, as news copy does.\n\n{word}\n\nAnd the text after it ends the story with a sentence.\n"
    )
}

/// `text` with its line endings cycling through LF, CR and CRLF (in that
/// order, so that a lone CR is never followed by an LF, which would make
/// the two one CRLF).
pub fn mixed_newlines(text: &str) -> String {
    let mut out = String::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str(["\n", "\r", "\r\n"][i % 3]);
        }
        out.push_str(line);
    }
    out
}

/// Whether a character must never reach a terminal raw: C0 and C1 controls
/// (ESC among them), DEL, and bidi embedding/override/isolate controls and marks.
pub fn is_dangerous(c: char) -> bool {
    c.is_control() || storydiff::sanitize::is_bidi_control(c)
}
