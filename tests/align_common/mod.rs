//! Hand-built corpus for the alignment tests: the five sample files, each
//! non-empty line a paragraph, body = the gold `core` span of the Iran story
//! less the gold `not_body` lines; everything else is furniture.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;
use storydiff::model::{
    Alignment, Article, Corpus, FurnitureKind, LineSpan, Paragraph, Role, SourceFile, Story,
    VersionIx,
};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn gold() -> Value {
    let text = std::fs::read_to_string(root().join("tests/data/seeds.gold.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

pub struct Sample {
    pub corpus: Corpus,
    pub story: Story,
    pub files: Vec<String>,
}

impl Sample {
    pub fn version(&self, file: &str) -> VersionIx {
        self.files
            .iter()
            .position(|f| f == file)
            .unwrap_or_else(|| panic!("no file {file}"))
    }

    pub fn article(&self, v: VersionIx) -> &Article {
        &self.corpus.articles[self.story.versions[v]]
    }

    /// Index of the paragraph starting on `line` in version `v`.
    pub fn para(&self, v: VersionIx, line: u32) -> usize {
        self.article(v)
            .paragraphs
            .iter()
            .position(|p| p.lines.first == line)
            .unwrap_or_else(|| panic!("no paragraph at line {line} of {}", self.files[v]))
    }

    pub fn text(&self, v: VersionIx, para: usize) -> &str {
        &self.article(v).paragraphs[para].text
    }
}

/// The row holding paragraph `para` of version `v`.
pub fn row_of(a: &Alignment, v: VersionIx, para: usize) -> Option<usize> {
    a.rows.iter().position(|r| {
        r.cells[v]
            .as_ref()
            .is_some_and(|c| c.paragraphs.contains(&para))
    })
}

/// Articles made of lines: each non-empty line a paragraph, `body(line)` says which are body.
pub fn article_from_lines(
    id: &str,
    file: usize,
    text: &str,
    body: impl Fn(u32) -> bool,
) -> Article {
    let mut paragraphs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i as u32 + 1;
        if line.trim().is_empty() {
            continue;
        }
        paragraphs.push(Paragraph {
            text: line.trim_end().into(),
            lines: LineSpan::new(n, n),
            role: if body(n) {
                Role::Body
            } else {
                Role::Furniture(FurnitureKind::Boilerplate)
            },
        });
    }
    let first = paragraphs.first().map_or(1, |p| p.lines.first);
    let last = paragraphs.last().map_or(1, |p| p.lines.last);
    Article {
        id: id.to_owned(),
        file,
        index_in_file: 0,
        title: id.to_owned(),
        paragraphs,
        lines: LineSpan::new(first, last),
        meta: Default::default(),
    }
}

pub fn source_file(path: &Path, text: String) -> SourceFile {
    SourceFile {
        path: path.to_owned(),
        size: text.len() as u64,
        modified: None,
        hash: storydiff::text::hash_str(&text),
        text,
        encoding_note: None,
    }
}

/// Articles whose paragraphs are blank-line-separated blocks (hard-wrapped lines joined),
/// Markdown `#` lines as headings, all else body: for the evaluation texts.
pub fn article_from_blocks(id: &str, file: usize, text: &str) -> Article {
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut current: Option<Paragraph> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i as u32 + 1;
        if line.trim().is_empty() {
            paragraphs.extend(current.take());
            continue;
        }
        if line.starts_with('#') {
            paragraphs.extend(current.take());
            paragraphs.push(Paragraph {
                text: line.trim().into(),
                lines: LineSpan::new(n, n),
                role: Role::Heading,
            });
            continue;
        }
        match &mut current {
            Some(p) => {
                p.text = format!("{} {}", p.text, line.trim()).into();
                p.lines.last = n;
            }
            None => {
                current = Some(Paragraph {
                    text: line.trim().into(),
                    lines: LineSpan::new(n, n),
                    role: Role::Body,
                });
            }
        }
    }
    paragraphs.extend(current);
    let first = paragraphs.first().map_or(1, |p| p.lines.first);
    let last = paragraphs.last().map_or(1, |p| p.lines.last);
    Article {
        id: id.to_owned(),
        file,
        index_in_file: 0,
        title: id.to_owned(),
        paragraphs,
        lines: LineSpan::new(first, last),
        meta: Default::default(),
    }
}

/// One story of the given articles, in order.
pub fn story_of(corpus: &Corpus) -> Story {
    Story {
        id: "story".to_owned(),
        title: "story".to_owned(),
        versions: (0..corpus.articles.len()).collect(),
        central: 0,
        spread: 0.0,
    }
}

pub fn sample() -> Sample {
    let g = gold();
    let iran = &g["stories"][0];
    assert_eq!(iran["name"], "iran-china");
    let not_body = &g["not_body"]["lines"];
    let mut corpus = Corpus::default();
    let mut files = Vec::new();
    for (fi, ver) in iran["versions"].as_array().unwrap().iter().enumerate() {
        let file = ver["file"].as_str().unwrap().to_owned();
        let path = root().join("assets/corpus").join(&file);
        let text = std::fs::read_to_string(&path).unwrap();
        let core = (
            ver["core"][0].as_u64().unwrap() as u32,
            ver["core"][1].as_u64().unwrap() as u32,
        );
        let skip: Vec<u32> = not_body[&file]
            .as_array()
            .map(|a| a.iter().map(|x| x.as_u64().unwrap() as u32).collect())
            .unwrap_or_default();
        let stem = file[..3].to_owned();
        let article = article_from_lines(&stem, fi, &text, |n| {
            core.0 <= n && n <= core.1 && !skip.contains(&n)
        });
        corpus.files.push(source_file(&path, text));
        corpus.articles.push(article);
        files.push(file);
    }
    let story = story_of(&corpus);
    Sample {
        corpus,
        story,
        files,
    }
}
