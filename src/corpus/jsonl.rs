//! JSON and JSON Lines files → articles: each record is one article.
//!
//! In: a `.json`, `.jsonl` or `.ndjson` file's text, the [`JsonFields`] that
//! name a record's parts, and a [`Segmenter`]. Out: one [`Extracted`]
//! article per record with text, and warnings for the records skipped (not
//! JSON, not an object, no text). Pure: no I/O.
//!
//! A JSON Lines file holds one record a line. A `.json` file holds an array
//! of records, an object with such an array (`{"articles": […]}`), or one
//! record; a `.json` file that is not one JSON document is read as JSON Lines.
//! A record's version id is the file's short name and its number (`feed-3`,
//! counting every record, skipped ones too; a file of one record keeps the
//! bare name). Its paragraphs point at the line of the field they come from
//! (a JSON string holds no line break, so the whole text field is on one
//! line), and the article's span starts at the line where the record starts.
//!
//! The text field is laid out like a plain text file (blank lines or one
//! paragraph a line), or read as HTML when it is markup; the title becomes the
//! article's headline. Roles, furniture and repeats come from the segmenter,
//! as for text files, but a record is never split into several articles.

use std::collections::BTreeMap;

use serde_json::Value;
use serde_json::value::RawValue;

use super::html::{self, BlockKind};
use super::layout::{self, RawPara, Shape};
use super::segment::{self, Flow, Segmenter};
use super::{Extracted, FileArticles};
use crate::model::{ArticleMeta, LineSpan, Role};

/// Which fields of a record hold the article's parts: for each part, the
/// field names tried in order (the first present and non-empty wins). A
/// name with dots (`meta.title`) reaches into nested objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonFields {
    pub title: Vec<String>,
    pub text: Vec<String>,
    pub url: Vec<String>,
    pub date: Vec<String>,
    pub outlet: Vec<String>,
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

impl Default for JsonFields {
    /// The names used by common scrapers (newspaper3k, trafilatura,
    /// news-please, feed exports).
    fn default() -> Self {
        JsonFields {
            title: names(&["title", "headline"]),
            text: names(&["text", "content", "body", "maintext", "article"]),
            url: names(&["url", "link", "canonical_url"]),
            date: names(&[
                "date",
                "published",
                "date_publish",
                "publish_date",
                "published_at",
                "datePublished",
                "pubDate",
            ]),
            outlet: names(&["source", "outlet", "sitename", "source_domain", "publisher"]),
        }
    }
}

/// Keys of an object that usually hold the array of records.
const RECORD_ARRAYS: &[&str] = &[
    "articles",
    "items",
    "records",
    "data",
    "results",
    "entries",
    "posts",
    "documents",
];
/// How many skipped records a warning names.
const NAMED: usize = 3;

/// One record of the file, before it is read.
struct Rec<'a> {
    /// 1-based number among the file's records; 0 for a file that is one record.
    no: usize,
    /// The record's JSON text, a slice of the file's text.
    raw: &'a str,
}

/// Byte offsets → 1-based line numbers (LF, CRLF or a lone CR ends a line).
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let b = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\r' if b.get(i + 1) == Some(&b'\n') => {
                    i += 2;
                    starts.push(i);
                }
                b'\n' | b'\r' => {
                    i += 1;
                    starts.push(i);
                }
                _ => i += 1,
            }
        }
        LineIndex { starts }
    }

    fn line(&self, offset: usize) -> u32 {
        u32::try_from(self.starts.partition_point(|&s| s <= offset)).unwrap_or(u32::MAX)
    }
}

/// Where a slice of `text` starts in it.
fn offset_in(text: &str, part: &str) -> usize {
    (part.as_ptr() as usize)
        .checked_sub(text.as_ptr() as usize)
        .filter(|&o| o <= text.len())
        .unwrap_or(0)
}

/// Records that could not be read, for the file's warnings.
#[derive(Default)]
struct Skipped {
    invalid: Vec<String>,
    not_object: Vec<String>,
    no_text: Vec<String>,
}

/// Every record of a JSON (`lines == false`) or JSON Lines file, as articles.
pub fn articles(text: &str, lines: bool, fields: &JsonFields, seg: &Segmenter) -> FileArticles {
    let index = LineIndex::new(text);
    let mut skipped = Skipped::default();
    let mut warnings = Vec::new();
    let records = if lines {
        json_lines(text, &index, &mut skipped)
    } else {
        match json_document(text, fields) {
            Ok(r) => r,
            Err(e) => {
                // Several documents one after another: JSON Lines under another name.
                let mut as_lines = Skipped::default();
                let r = json_lines(text, &index, &mut as_lines);
                if r.is_empty() || !as_lines.invalid.is_empty() {
                    warnings.push(format!("not valid JSON ({e}); nothing read"));
                    return FileArticles {
                        articles: Vec::new(),
                        warnings,
                    };
                }
                r
            }
        }
    };
    let mut articles = Vec::new();
    for rec in &records {
        let at = index.line(offset_in(text, rec.raw));
        let name = if rec.no == 0 {
            format!("the record (line {at})")
        } else {
            format!("record {} (line {at})", rec.no)
        };
        match read_record(text, rec, &index, fields, seg) {
            Ok(x) => articles.push(x),
            Err(Problem::NotObject) => skipped.not_object.push(name),
            Err(Problem::NoText) => skipped.no_text.push(name),
        }
    }
    if !skipped.invalid.is_empty() {
        warnings.push(summary(
            &skipped.invalid,
            "record is not valid JSON",
            "records are not valid JSON",
        ));
    }
    if !skipped.not_object.is_empty() {
        warnings.push(summary(
            &skipped.not_object,
            "record is not a JSON object",
            "records are not JSON objects",
        ));
    }
    if !skipped.no_text.is_empty() {
        let looked: Vec<&str> = fields.text.iter().map(String::as_str).take(4).collect();
        warnings.push(summary(
            &skipped.no_text,
            &format!("record has no text (no field {})", looked.join(", ")),
            &format!("records have no text (no field {})", looked.join(", ")),
        ));
    }
    FileArticles { articles, warnings }
}

fn summary(items: &[String], one: &str, many: &str) -> String {
    let mut shown: Vec<&str> = items.iter().take(NAMED).map(String::as_str).collect();
    let more = items.len().saturating_sub(NAMED);
    let more = (more > 0).then(|| format!("and {more} more"));
    shown.extend(more.as_deref());
    if items.len() == 1 {
        format!("1 {one}; skipped: {}", shown.join(", "))
    } else {
        format!("{} {many}; skipped: {}", items.len(), shown.join(", "))
    }
}

/// The records of a JSON Lines text: one per non-blank line.
fn json_lines<'a>(text: &'a str, index: &LineIndex, skipped: &mut Skipped) -> Vec<Rec<'a>> {
    let mut out = Vec::new();
    let mut no = 0;
    for line in layout::split_lines(text) {
        let t = line.text.trim();
        if t.is_empty() {
            continue;
        }
        no += 1;
        match serde_json::from_str::<&RawValue>(t) {
            Ok(raw) => out.push(Rec { no, raw: raw.get() }),
            Err(_) => {
                let at = index.line(offset_in(text, t));
                skipped.invalid.push(format!("record {no} (line {at})"));
            }
        }
    }
    out
}

/// The records of a JSON document: an array's elements, those of the
/// object's array of records, or the object itself.
fn json_document<'a>(
    text: &'a str,
    fields: &JsonFields,
) -> Result<Vec<Rec<'a>>, serde_json::Error> {
    let doc: &RawValue = serde_json::from_str(text)?;
    let numbered = |items: Vec<&'a RawValue>| {
        items
            .into_iter()
            .enumerate()
            .map(|(i, raw)| Rec {
                no: i + 1,
                raw: raw.get(),
            })
            .collect()
    };
    if let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(doc.get()) {
        return Ok(numbered(items));
    }
    let Ok(map) = serde_json::from_str::<BTreeMap<String, &RawValue>>(doc.get()) else {
        return Ok(vec![Rec {
            no: 0,
            raw: doc.get(),
        }]);
    };
    if field(&map, &fields.text).is_some() {
        return Ok(vec![Rec {
            no: 0,
            raw: doc.get(),
        }]);
    }
    let arrays = RECORD_ARRAYS
        .iter()
        .filter_map(|k| map.get(*k))
        .chain(map.values());
    for raw in arrays {
        if let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(raw.get())
            && items.iter().any(|i| i.get().starts_with('{'))
        {
            return Ok(numbered(items));
        }
    }
    Ok(vec![Rec {
        no: 0,
        raw: doc.get(),
    }])
}

enum Problem {
    NotObject,
    NoText,
}

/// The first of `names` present in the record, with the raw field it was
/// found in (for its line).
fn field<'a>(map: &BTreeMap<String, &'a RawValue>, names: &[String]) -> Option<(Value, &'a str)> {
    names.iter().find_map(|name| {
        if let Some(raw) = map.get(name.as_str()) {
            let v: Value = serde_json::from_str(raw.get()).ok()?;
            return (!empty(&v)).then_some((v, raw.get()));
        }
        let (head, rest) = name.split_once('.')?;
        let raw = map.get(head)?;
        let v: Value = serde_json::from_str(raw.get()).ok()?;
        let pointer = format!("/{}", rest.replace('.', "/"));
        let found = v.pointer(&pointer)?.clone();
        (!empty(&found)).then_some((found, raw.get()))
    })
}

fn empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.iter().all(empty),
        _ => false,
    }
}

/// A text field: a string, or an array of strings (one per paragraph).
fn body_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => {
            let parts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            (!parts.is_empty()).then(|| parts.join("\n\n"))
        }
        _ => None,
    }
}

fn read_record(
    text: &str,
    rec: &Rec<'_>,
    index: &LineIndex,
    fields: &JsonFields,
    seg: &Segmenter,
) -> Result<Extracted, Problem> {
    let map: BTreeMap<String, &RawValue> =
        serde_json::from_str(rec.raw).map_err(|_| Problem::NotObject)?;
    let line_of = |raw: &str| index.line(offset_in(text, raw));
    let (body, body_raw) = field(&map, &fields.text).ok_or(Problem::NoText)?;
    let body = body_text(&body).ok_or(Problem::NoText)?;
    let body_line = line_of(body_raw);
    let title =
        field(&map, &fields.title).and_then(|(v, raw)| Some((html::text_of(&v)?, line_of(raw))));
    let meta_of = |names: &[String]| field(&map, names).and_then(|(v, _)| html::text_of(&v));
    let meta = ArticleMeta {
        outlet: meta_of(&fields.outlet),
        url: meta_of(&fields.url),
        date: meta_of(&fields.date).map(|d| html::iso_date(&d)),
        encoding: None,
    };

    let mut raws = Vec::new();
    if let Some((t, line)) = &title {
        raws.push(RawPara {
            text: t.clone(),
            first: *line,
            last: *line,
            shape: Shape::Plain,
            gap_before: 0,
            meta_title: None,
        });
    }
    let flow = if html::looks_like_html(&body) {
        for (t, kind) in html::fragment_blocks(&body) {
            raws.push(RawPara {
                text: t,
                first: body_line,
                last: body_line,
                shape: match kind {
                    BlockKind::Heading(n) => Shape::Heading(n),
                    BlockKind::ListItem => Shape::ListItem,
                    BlockKind::Text | BlockKind::Title => Shape::Plain,
                },
                gap_before: 1,
                meta_title: None,
            });
        }
        Flow {
            one_article: true,
            ..Flow::default()
        }
    } else {
        let laid = layout::layout(&body);
        raws.extend(laid.paras.into_iter().map(|p| RawPara {
            first: body_line,
            last: body_line,
            ..p
        }));
        Flow {
            markdown: laid.markdown,
            wrapped: laid.wrap_width.is_some(),
            one_article: true,
        }
    };
    let mut draft = segment::segment_paras(&raws, flow, seg)
        .into_iter()
        .next()
        .ok_or(Problem::NoText)?;
    let start = line_of(rec.raw);
    let mut last = draft.lines.last;
    if let Some((t, line)) = title {
        if let Some(p) = draft.paragraphs.first_mut() {
            p.role = Role::Headline;
        }
        draft.title = segment::shorten(&t, segment::TITLE_CHARS);
        last = last.max(line);
    }
    draft.lines = LineSpan::new(start, last.max(start));
    Ok(Extracted {
        draft,
        meta,
        suffix: (rec.no > 0).then(|| rec.no.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::SegmentOptions;

    fn seg() -> Segmenter {
        Segmenter::new(&SegmentOptions::default()).unwrap_or_else(|e| panic!("{e}"))
    }

    const STORY: &str = "Iranian President Ebrahim Raisi said Tehran wanted closer ties with China.\n\nRaisi told Fenghe that Tehran sees its ties with Beijing as strategic.";

    #[test]
    fn json_lines_records_are_articles_with_their_lines() {
        let text = format!(
            "{}\n\n{}\nnot json\n{}\n",
            serde_json::json!({"title": "Iran wants ties", "text": STORY, "url": "https://a.test/1", "date": "2022-04-27T10:00:00Z", "source": "Wire"}),
            serde_json::json!({"headline": "Other", "content": "Something else entirely happened today in Lisbon."}),
            serde_json::json!({"title": "No text here"}),
        );
        let got = articles(&text, true, &JsonFields::default(), &seg());
        assert_eq!(got.articles.len(), 2);
        let a = &got.articles[0];
        assert_eq!(a.suffix.as_deref(), Some("1"));
        assert_eq!(a.draft.title, "Iran wants ties");
        assert_eq!(a.draft.lines, LineSpan::new(1, 1));
        let roles: Vec<Role> = a.draft.paragraphs.iter().map(|p| p.role).collect();
        assert_eq!(roles, vec![Role::Headline, Role::Body, Role::Body]);
        assert!(
            a.draft
                .paragraphs
                .iter()
                .all(|p| p.lines == LineSpan::new(1, 1))
        );
        assert_eq!(
            a.meta,
            ArticleMeta {
                outlet: Some("Wire".into()),
                url: Some("https://a.test/1".into()),
                date: Some("2022-04-27T10:00:00Z".into()),
                encoding: None,
            }
        );
        let b = &got.articles[1];
        assert_eq!(b.suffix.as_deref(), Some("2"));
        assert_eq!(b.draft.lines, LineSpan::new(3, 3));
        assert_eq!(got.warnings.len(), 2, "{:?}", got.warnings);
        assert_eq!(
            got.warnings[0],
            "1 record is not valid JSON; skipped: record 3 (line 4)"
        );
        assert!(got.warnings[1].contains("record 4 (line 5)"));
    }

    #[test]
    fn json_array_records_point_at_their_lines() {
        let text = format!(
            "[\n  {{\n    \"title\": \"Iran wants ties\",\n    \"meta\": {{\"site\": \"Wire\"}},\n    \"text\": {}\n  }},\n  {{\"text\": \"Second record text that is long enough to be a paragraph.\"}}\n]\n",
            serde_json::to_string(STORY).unwrap_or_default()
        );
        let fields = JsonFields {
            outlet: vec!["meta.site".into()],
            ..JsonFields::default()
        };
        let got = articles(&text, false, &fields, &seg());
        assert!(got.warnings.is_empty(), "{:?}", got.warnings);
        assert_eq!(got.articles.len(), 2);
        let a = &got.articles[0];
        assert_eq!(a.draft.lines, LineSpan::new(2, 5));
        assert_eq!(a.draft.paragraphs[0].lines, LineSpan::new(3, 3));
        assert_eq!(a.draft.paragraphs[1].lines, LineSpan::new(5, 5));
        assert_eq!(a.meta.outlet.as_deref(), Some("Wire"));
        assert_eq!(got.articles[1].draft.lines, LineSpan::new(7, 7));
        assert_eq!(got.articles[1].suffix.as_deref(), Some("2"));
    }

    #[test]
    fn one_object_and_wrapped_arrays() {
        let one = serde_json::json!({"title": "T", "body": STORY}).to_string();
        let got = articles(&one, false, &JsonFields::default(), &seg());
        assert_eq!(got.articles.len(), 1);
        assert_eq!(got.articles[0].suffix, None);
        let wrapped =
            serde_json::json!({"status": "ok", "articles": [{"text": STORY}, {"text": STORY}]})
                .to_string();
        let got = articles(&wrapped, false, &JsonFields::default(), &seg());
        assert_eq!(got.articles.len(), 2);
        assert_eq!(got.articles[1].suffix.as_deref(), Some("2"));
    }

    #[test]
    fn html_text_and_paragraph_arrays() {
        let rec = serde_json::json!({"content": "<p>First paragraph of the story here.</p><p>Second paragraph with <b>bold</b> words.</p>"}).to_string();
        let got = articles(&rec, true, &JsonFields::default(), &seg());
        let texts: Vec<&str> = got.articles[0]
            .draft
            .paragraphs
            .iter()
            .map(|p| &*p.text)
            .collect();
        assert_eq!(
            texts,
            vec![
                "First paragraph of the story here.",
                "Second paragraph with bold words."
            ]
        );
        let rec =
            serde_json::json!({"text": ["One paragraph here.", "Another one here."]}).to_string();
        let got = articles(&rec, true, &JsonFields::default(), &seg());
        assert_eq!(got.articles[0].draft.paragraphs.len(), 2);
    }

    #[test]
    fn broken_json_file_is_one_warning() {
        let got = articles(
            "{\"text\": \"unterminated",
            false,
            &JsonFields::default(),
            &seg(),
        );
        assert!(got.articles.is_empty());
        assert_eq!(got.warnings.len(), 1);
        assert!(
            got.warnings[0].starts_with("not valid JSON"),
            "{:?}",
            got.warnings
        );
    }

    #[test]
    fn line_index_counts_all_newlines() {
        let i = LineIndex::new("a\nb\r\nc\rd");
        assert_eq!([i.line(0), i.line(2), i.line(5), i.line(7)], [1, 2, 3, 4]);
    }
}
