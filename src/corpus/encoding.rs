//! Bytes → text, whatever the encoding.
//!
//! In: a file's raw bytes, and whether the file is an HTML page (a page may
//! declare its charset). Out: the decoded text and, when it was not clean
//! UTF-8, a note naming the encoding used (`windows-1252`, `UTF-16LE`) or
//! saying that invalid bytes were replaced; or why the bytes are not text at
//! all. Pure: no I/O.
//!
//! The order of the checks:
//! 1. a byte order mark (UTF-8, UTF-16LE, UTF-16BE) settles it; UTF-32 is refused;
//! 2. known binary signatures (PNG, zip, PDF…) are refused;
//! 3. UTF-16 without a byte order mark is recognised by the zero bytes of its
//!    ASCII characters, all on even or all on odd positions;
//! 4. more than one NUL byte in a hundred, or many control bytes: binary
//!    (fewer NUL bytes are removed, and noted);
//! 5. valid UTF-8 is UTF-8;
//! 6. otherwise, bytes that hold well-formed UTF-8 sequences among the
//!    invalid ones (one for every two at least) are damaged UTF-8: invalid bytes are replaced and noted;
//! 7. otherwise the charset an HTML page declares, else the legacy encoding
//!    `chardetng` guesses (Windows-1252, ISO-8859-x, Shift_JIS…), is used
//!    unless the detector itself finds its guess unlikely, or it decodes to
//!    C1 control characters or errors: then the text is garbage and the
//!    invalid bytes are replaced as in 6.

use chardetng::EncodingDetector;
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// Decoded text, with a note when it was not clean UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The encoding used when it was not UTF-8 (its WHATWG name, e.g.
    /// `windows-1252`), or `UTF-8 (invalid bytes replaced)`.
    pub note: Option<String>,
}

/// Bytes looked at to tell text from binary and UTF-16 from ASCII.
const SNIFF_BYTES: usize = 64 * 1024;
/// How far into an HTML page its charset declaration is looked for.
const PRESCAN_BYTES: usize = 1024;
/// More than one NUL byte in this many makes a file binary.
const NUL_SHARE: usize = 100;
/// The note for damaged UTF-8 and garbage.
pub const LOSSY_UTF8: &str = "UTF-8 (invalid bytes replaced)";

/// Decode a file's bytes. `Err` says why they are not text at all.
pub fn decode(bytes: &[u8], html: bool) -> Result<Decoded, &'static str> {
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Err("UTF-32 text is not supported");
    }
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom..];
        if enc == UTF_8 {
            return utf8_or_legacy(body, html);
        }
        return Ok(with(enc, body));
    }
    if let Some(what) = signature(bytes) {
        return Err(what);
    }
    if let Some(enc) = unmarked_utf16(bytes) {
        let d = with(enc, bytes);
        if d.note.as_deref() == Some(enc.name()) && !mostly_control(&d.text) {
            return Ok(d);
        }
    }
    utf8_or_legacy(bytes, html)
}

/// [`decode`] of bytes the caller gives up. Clean UTF-8, nearly every
/// file, becomes the text as it is, where [`decode`] copies it: a load no
/// longer holds each file twice for a moment, nor copies a corpus's worth
/// of bytes.
pub fn decode_owned(bytes: Vec<u8>, html: bool) -> Result<Decoded, &'static str> {
    // What `decode` takes as it is: no mark (the UTF-16 and UTF-32 marks
    // are not UTF-8, the UTF-8 one is), no binary sign, no NUL byte
    // (without one, no unmarked UTF-16 either), and valid UTF-8.
    if bytes.starts_with(UTF8_MARK) || bytes.contains(&0) || binary_kind(&bytes).is_some() {
        return decode(&bytes, html);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Decoded { text, note: None }),
        Err(e) => decode(e.as_bytes(), html),
    }
}

/// The UTF-8 byte order mark.
const UTF8_MARK: &[u8] = b"\xEF\xBB\xBF";

/// Steps 4 to 7, for bytes with no byte order mark left.
fn utf8_or_legacy(bytes: &[u8], html: bool) -> Result<Decoded, &'static str> {
    if let Some(what) = binary_kind(bytes) {
        return Err(what);
    }
    // Nearly every file has none: a byte search says so before any count.
    let nuls = if bytes.contains(&0) {
        bytes.iter().filter(|&&b| b == 0).count()
    } else {
        0
    };
    if nuls > 0 {
        let cleaned: Vec<u8> = bytes.iter().copied().filter(|&b| b != 0).collect();
        let mut d = utf8_or_legacy(&cleaned, html)?;
        let removed = format!(
            "{nuls} NUL byte{} removed",
            if nuls == 1 { "" } else { "s" }
        );
        let encoding = d.note.take().unwrap_or_else(|| "UTF-8".to_owned());
        d.note = Some(format!("{encoding}, {removed}"));
        return Ok(d);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: s.to_owned(),
            note: None,
        });
    }
    if damaged_utf8(bytes) {
        return Ok(lossy(bytes));
    }
    let declared = html.then(|| declared_charset(bytes)).flatten();
    let (enc, plausible) = declared.map_or_else(
        || {
            let mut det = EncodingDetector::new();
            det.feed(bytes, true);
            det.guess_assess(None, false)
        },
        |enc| (enc, true),
    );
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if !plausible || had_errors || text.chars().any(|c| ('\u{80}'..='\u{9F}').contains(&c)) {
        return Ok(lossy(bytes));
    }
    Ok(Decoded {
        text: text.into_owned(),
        note: Some(enc.name().to_owned()),
    })
}

fn lossy(bytes: &[u8]) -> Decoded {
    Decoded {
        text: String::from_utf8_lossy(bytes).into_owned(),
        note: Some(LOSSY_UTF8.to_owned()),
    }
}

/// Decode with a known encoding; the note names it, and says so when bytes were replaced.
fn with(enc: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    let note = if had_errors {
        format!("{} (invalid bytes replaced)", enc.name())
    } else {
        enc.name().to_owned()
    };
    Decoded {
        text: text.into_owned(),
        note: Some(note),
    }
}

/// UTF-16 without a byte order mark: in text with Latin letters, the zero
/// high bytes of ASCII characters sit on every other position. Text wholly
/// in other scripts has few zero bytes and is not recognised (it needs a mark).
fn unmarked_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let pairs = sample.len() / 2;
    // Without a zero byte neither half of the pairs can pass the test below.
    if pairs < 2 || bytes.len() % 2 == 1 || !sample.contains(&0) {
        return None;
    }
    let (mut first, mut second) = (0usize, 0usize);
    for p in sample.chunks_exact(2) {
        first += usize::from(p[0] == 0 && p[1] != 0);
        second += usize::from(p[1] == 0 && p[0] != 0);
    }
    let both = sample.chunks_exact(2).filter(|p| p == &[0, 0]).count();
    if both > 0 {
        return None;
    }
    if second * 10 >= pairs * 3 && first * 10 <= second {
        Some(UTF_16LE)
    } else if first * 10 >= pairs * 3 && second * 10 <= first {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Whether invalid UTF-8 is really UTF-8 with damage (at least one
/// well-formed multi-byte sequence for every two invalid ones) rather than a
/// legacy encoding, whose accented letters are almost never well-formed UTF-8.
fn damaged_utf8(mut bytes: &[u8]) -> bool {
    let non_ascii = |s: &[u8]| {
        std::str::from_utf8(s).map_or(0, |s| s.chars().filter(|c| !c.is_ascii()).count())
    };
    let (mut good, mut bad) = (0usize, 0usize);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                good += s.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let (valid, rest) = bytes.split_at(e.valid_up_to());
                good += non_ascii(valid);
                bad += 1;
                bytes = &rest[e.error_len().unwrap_or(rest.len())..];
            }
        }
    }
    good > 0 && good * 2 >= bad
}

/// The encoding an HTML page declares in its first bytes (`<meta charset=…>`
/// or `<meta http-equiv="Content-Type" content="…; charset=…">`), when it is
/// an ASCII-compatible one other than UTF-8 (the bytes are known not to be
/// valid UTF-8 when this is asked, so such a declaration is wrong).
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"charset") {
        let mut i = from + at + b"charset".len();
        from = i;
        while lower.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if lower.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while lower
            .get(i)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'"' || *b == b'\'')
        {
            i += 1;
        }
        let end = lower[i..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || b"\"';>/".contains(b))
            .map_or(lower.len(), |n| i + n);
        let enc = Encoding::for_label(&lower[i..end])?;
        return (enc != UTF_8 && enc.is_ascii_compatible()).then_some(enc);
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A known binary file signature.
fn signature(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "binary file (PNG image)"),
        (b"PK\x03\x04", "binary file (zip archive)"),
        (b"%PDF-", "binary file (PDF document)"),
        (b"GIF8", "binary file (GIF image)"),
        (b"\xFF\xD8\xFF", "binary file (JPEG image)"),
        (b"\x1F\x8B", "binary file (gzip archive)"),
        (b"\x7FELF", "binary file (executable)"),
    ];
    SIGNATURES
        .iter()
        .find(|(sig, _)| bytes.starts_with(sig))
        .map(|(_, what)| *what)
}

/// Why bytes are binary rather than text, if they are: a known file
/// signature, more than a few NUL bytes, or many control bytes.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    if let Some(what) = signature(bytes) {
        return Some(what);
    }
    let sample = &bytes[..bytes.len().min(SNIFF_BYTES)];
    // Text may carry a stray NUL (removed, and noted); many mean data.
    if sample.contains(&0) {
        let nuls = sample.iter().filter(|&&b| b == 0).count();
        if nuls * NUL_SHARE > sample.len() {
            return Some("binary file (contains NUL bytes)");
        }
    }
    let is_control = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F;
    // Text nearly never holds one: a pass without early exit, which the
    // compiler does many bytes at a time, says so before any count.
    if !sample.iter().fold(false, |any, &b| any | is_control(b)) {
        return None;
    }
    let control = sample.iter().filter(|&&b| is_control(b)).count();
    (control * 10 > sample.len() && control > 0).then_some("binary file (mostly control bytes)")
}

/// Whether decoded text is mostly control characters (binary read as UTF-16).
fn mostly_control(text: &str) -> bool {
    let (mut control, mut all) = (0usize, 0usize);
    for c in text.chars().take(SNIFF_BYTES) {
        all += 1;
        control += usize::from(c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}'));
    }
    control * 10 > all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(bytes: &[u8]) -> Option<String> {
        decode(bytes, false).ok().and_then(|d| d.note)
    }

    fn text(bytes: &[u8], html: bool) -> String {
        decode(bytes, html).map(|d| d.text).unwrap_or_default()
    }

    /// [`binary_kind`] and [`unmarked_utf16`] without their zero-byte and
    /// control-byte gates: every count taken.
    fn ungated(bytes: &[u8]) -> (Option<&'static str>, Option<&'static str>) {
        let sample = &bytes[..bytes.len().min(SNIFF_BYTES)];
        let nuls = sample.iter().filter(|&&b| b == 0).count();
        let control = sample
            .iter()
            .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F)
            .count();
        let binary = signature(bytes)
            .or((nuls * NUL_SHARE > sample.len()).then_some("binary file (contains NUL bytes)"))
            .or((control * 10 > sample.len() && control > 0)
                .then_some("binary file (mostly control bytes)"));
        let pairs = sample.len() / 2;
        let (mut first, mut second) = (0usize, 0usize);
        for p in sample.chunks_exact(2) {
            first += usize::from(p[0] == 0 && p[1] != 0);
            second += usize::from(p[1] == 0 && p[0] != 0);
        }
        let both = sample.chunks_exact(2).filter(|p| p == &[0, 0]).count();
        let utf16 = if pairs < 2 || bytes.len() % 2 == 1 || both > 0 {
            None
        } else if second * 10 >= pairs * 3 && first * 10 <= second {
            Some("UTF-16LE")
        } else if first * 10 >= pairs * 3 && second * 10 <= first {
            Some("UTF-16BE")
        } else {
            None
        };
        (binary, utf16)
    }

    proptest::proptest! {
        #[test]
        fn decoding_owned_bytes_is_decoding_them(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![
                    0u8, b'a', b'a', b'a', b' ', b'\n', 1, 0x7F, 0xC3, 0xA9, 0xEF, 0xBB, 0xBF,
                    0xFF, 0xFE, b'%', b'P', b'D', b'F', b'-',
                ]),
                0..48,
            ),
            html: bool,
        ) {
            proptest::prop_assert_eq!(decode_owned(bytes.clone(), html), decode(&bytes, html));
        }

        #[test]
        fn the_byte_gates_never_change_a_verdict(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![0u8, 0, b'a', b'a', b'a', b' ', b'\n', b'\t', 1, 0x1B, 0x7F, 0xC3, 0xA9]),
                0..64,
            ),
        ) {
            let (binary, utf16) = ungated(&bytes);
            proptest::prop_assert_eq!(binary_kind(&bytes), binary);
            proptest::prop_assert_eq!(unmarked_utf16(&bytes).map(|e| e.name()), utf16);
        }
    }

    #[test]
    fn utf8_with_and_without_mark() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFh\xC3\xA9", false),
            Ok(Decoded {
                text: "hé".into(),
                note: None
            })
        );
        assert_eq!(note("plain ascii".as_bytes()), None);
    }

    #[test]
    fn utf16_with_and_without_mark() {
        let s = "Iran’s president said “yes”.\n";
        let le: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = s.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for (bytes, name) in [(&le, "UTF-16LE"), (&be, "UTF-16BE")] {
            assert_eq!(text(bytes, false), s);
            assert_eq!(note(bytes).as_deref(), Some(name));
            let mut marked = if name == "UTF-16LE" {
                vec![0xFF, 0xFE]
            } else {
                vec![0xFE, 0xFF]
            };
            marked.extend_from_slice(bytes);
            assert_eq!(text(&marked, false), s);
            assert_eq!(note(&marked).as_deref(), Some(name));
        }
    }

    #[test]
    fn windows_1252_is_detected_not_replaced() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252
            .encode("Iran’s president said “the café is open” – and smiled. Déjà vu for Zoë.");
        let d = decode(&bytes, false).expect("text");
        assert_eq!(
            d.text,
            "Iran’s president said “the café is open” – and smiled. Déjà vu for Zoë."
        );
        assert_eq!(d.note.as_deref(), Some("windows-1252"));
    }

    #[test]
    fn iso_8859_2_is_detected() {
        let s = "Zażółć gęślą jaźń. Przyjechał minister obrony Chin, a rozmowy w Teheranie trwały długo i dotyczyły współpracy.";
        let (bytes, _, _) = encoding_rs::ISO_8859_2.encode(s);
        let d = decode(&bytes, false).expect("text");
        assert_eq!(d.text, s);
        assert!(
            matches!(d.note.as_deref(), Some("ISO-8859-2" | "windows-1250")),
            "{:?}",
            d.note
        );
    }

    #[test]
    fn html_declared_charset_is_used() {
        let page = b"<html><head><meta charset=\"iso-8859-1\"><title>x</title></head><body><p>caf\xE9</p></body></html>";
        let d = decode(page, true).expect("text");
        assert!(d.text.contains("<p>café</p>"));
        assert_eq!(d.note.as_deref(), Some("windows-1252"));
        assert_eq!(
            declared_charset(
                b"<meta http-equiv=Content-Type content='text/html; charset=windows-1251'>"
            ),
            Some(encoding_rs::WINDOWS_1251)
        );
        assert_eq!(declared_charset(b"<meta charset=utf-8>"), None);
    }

    #[test]
    fn damaged_utf8_is_replaced_with_a_note() {
        // Good UTF-8 throughout, one multi-byte character cut short.
        let mut bytes = "Iran’s “strategic” ties – café".as_bytes().to_vec();
        bytes.extend_from_slice(b" \xE2\x80 end");
        let d = decode(&bytes, false).expect("text");
        assert!(d.text.starts_with("Iran’s “strategic” ties – café"));
        assert!(d.text.contains('\u{FFFD}'));
        assert_eq!(d.note.as_deref(), Some(LOSSY_UTF8));
    }

    #[test]
    fn garbage_is_replaced_with_a_note() {
        // The detector's best guess (Windows-1252) gives C1 control characters.
        let d = decode(
            b"text \x8d\x8f\x90\x9d\x81\x8d\x8f\x90\x9d\x81 text \xa0\xa1\xfe\xff\xc0",
            false,
        )
        .expect("text");
        assert_eq!(d.note.as_deref(), Some(LOSSY_UTF8));
        assert!(d.text.starts_with("text \u{FFFD}"));
    }

    #[test]
    fn binary_is_refused() {
        assert!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", false).is_err());
        assert!(decode(b"PK\x03\x04\x14\0", false).is_err());
        assert!(decode(b"a\0\0b", false).is_err());
        let stray = [b"a".repeat(300), vec![0], "é".repeat(100).into_bytes()].concat();
        let d = decode(&stray, false).expect("text");
        assert_eq!(d.text.chars().count(), 400);
        assert_eq!(d.note.as_deref(), Some("UTF-8, 1 NUL byte removed"));
        assert!(decode(b"\x01\x02\x03\x04abc", false).is_err());
        assert!(decode(&[0xFF, 0xFE, 0, 0, 0x41, 0, 0, 0], false).is_err());
    }
}
