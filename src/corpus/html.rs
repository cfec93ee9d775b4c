//! HTML pages → the article's text blocks, with their lines, and what the
//! page says about the article.
//!
//! In: a page's decoded text (or an HTML fragment from a JSON record). Out:
//! a [`Page`]: the article's blocks (paragraphs, headings, list items,
//! quotes, captions) in page order, each with its line span in the file,
//! and [`PageMeta`] (title, outlet, address, date) from `<meta>` tags,
//! `<link rel=canonical>` and JSON-LD. Pure: no I/O.
//!
//! The page is parsed with `scraper` (html5ever). The article is the
//! `<article>` holding the most text (unless it holds too little of the
//! page's text), else `<main>`, else `<body>`. Inside it, scripts, styles,
//! navigation, asides, footers, forms, hidden elements, page headers without
//! the headline and comments are dropped, and so are small elements whose
//! class or id names a widget (share, related, newsletter, comments…).
//! Block elements end a block, and so does a `<br>` unless the line after it
//! goes on in lower case; inline elements do not.
//!
//! html5ever's tree keeps no positions, so lines come from a second pass of
//! its tokenizer, which tells the line of every run of text: each block is
//! looked for by its first words in the page's text, in order, from where
//! the previous block ended, and its last line is where its last words are.

use std::cell::{Cell, RefCell};
use std::sync::LazyLock;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use rustc_hash::FxHashMap;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use super::layout::{RawPara, Shape};
use super::segment::{self, Flow, Segmenter};
use super::{FileArticles, numbered};
use crate::model::{ArticleMeta, LineSpan, Role};
use crate::text;

/// What a block was on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A paragraph, quote, caption, cell or loose text.
    Text,
    /// `<h1>`: the headline.
    Title,
    /// `<h2>` to `<h6>`.
    Heading(u8),
    /// `<li>`, `<dt>`, `<dd>`.
    ListItem,
}

/// One block of the article's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Whitespace collapsed, trimmed, never empty.
    pub text: String,
    pub kind: BlockKind,
    /// Where the block's first and last words stand in the file.
    pub lines: LineSpan,
}

/// What the page says about its article, where it says it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
}

/// The article's blocks and the page's metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    pub blocks: Vec<Block>,
    pub meta: PageMeta,
}

impl Page {
    /// The blocks as laid-out paragraphs for the segmenter. Headings before
    /// the first paragraph of text are plain, so that the segmenter can take
    /// them for the headline and deck; later ones are section headings.
    pub fn raws(&self) -> Vec<RawPara> {
        let first_text = self
            .blocks
            .iter()
            .position(|b| b.kind == BlockKind::Text)
            .unwrap_or(self.blocks.len());
        self.blocks
            .iter()
            .enumerate()
            .map(|(i, b)| RawPara {
                text: b.text.clone(),
                first: b.lines.first,
                last: b.lines.last,
                shape: match b.kind {
                    BlockKind::Heading(n) if i > first_text => Shape::Heading(n),
                    BlockKind::ListItem => Shape::ListItem,
                    _ => Shape::Plain,
                },
                gap_before: u32::from(i > 0),
                meta_title: None,
            })
            .collect()
    }
}

/// A page's articles: its blocks segmented as a text file's paragraphs are
/// (a page may carry teasers of other stories after its own). The first
/// article gets the page's address and date, and its title when no `<h1>`
/// before the text gave a headline; every article gets the outlet.
pub fn articles(text: &str, seg: &Segmenter) -> FileArticles {
    let page = read_page(text);
    let drafts = segment::segment_paras(&page.raws(), Flow::default(), seg);
    let PageMeta {
        title,
        outlet,
        url,
        date,
    } = page.meta;
    let meta = ArticleMeta {
        outlet: outlet.clone(),
        url,
        date,
        encoding: None,
    };
    let mut found = numbered(drafts, meta);
    for a in found.articles.iter_mut().skip(1) {
        a.meta.outlet.clone_from(&outlet);
    }
    if let (Some(first), Some(title)) = (found.articles.first_mut(), title)
        && !first
            .draft
            .paragraphs
            .iter()
            .any(|p| p.role == Role::Headline)
    {
        first.draft.title = segment::shorten(&title, segment::TITLE_CHARS);
    }
    found
}

/// Whether a JSON record's text is HTML rather than plain text.
pub fn looks_like_html(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('<')
        && ["</p>", "<p>", "<br", "</div>", "</li>", "</h"]
            .iter()
            .any(|tag| t.contains(tag))
}

/// Read a whole page: its article's blocks with their lines, and its metadata.
pub fn read_page(text: &str) -> Page {
    let doc = Html::parse_document(text);
    let meta = page_meta(&doc);
    let Some(root) = article_root(&doc) else {
        return Page {
            blocks: Vec::new(),
            meta,
        };
    };
    let found = blocks_of(root);
    let located = locate(text, &found);
    let blocks = found
        .into_iter()
        .zip(located)
        .map(|((text, kind), lines)| Block { text, kind, lines })
        .collect();
    Page { blocks, meta }
}

/// The blocks of an HTML fragment (a JSON record's text), without lines.
pub fn fragment_blocks(html: &str) -> Vec<(String, BlockKind)> {
    let doc = Html::parse_fragment(html);
    blocks_of(doc.root_element())
}

// Selectors built from constants: a failure is a bug caught by the tests, not an input error.
fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("built-in selector {s}: {e}"))
}

static ARTICLE: LazyLock<Selector> = LazyLock::new(|| sel("article"));
static MAIN: LazyLock<Selector> = LazyLock::new(|| sel("main, [role=main]"));
static BODY: LazyLock<Selector> = LazyLock::new(|| sel("body"));
static H1: LazyLock<Selector> = LazyLock::new(|| sel("h1"));
static META: LazyLock<Selector> = LazyLock::new(|| sel("meta[content]"));
static CANONICAL: LazyLock<Selector> = LazyLock::new(|| sel("link[rel~=canonical][href]"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| sel("title"));
static LD_JSON: LazyLock<Selector> = LazyLock::new(|| sel("script[type=\"application/ld+json\"]"));

/// Below this share of the page's text, the largest `<article>` is a teaser
/// card, not the article.
const ARTICLE_SHARE: f32 = 0.25;
/// A widget-named element is dropped only when it holds less than this share
/// of the article's text (a wrapper named "with-sidebar" holds all of it).
const WIDGET_SHARE: f32 = 0.3;

fn text_len(e: ElementRef<'_>) -> usize {
    e.text().map(|t| t.trim().len()).sum()
}

/// The element holding the article.
fn article_root(doc: &Html) -> Option<ElementRef<'_>> {
    let body = doc.select(&BODY).next();
    let page_len = body.map_or(0, text_len);
    let article = doc.select(&ARTICLE).max_by_key(|&e| text_len(e));
    if let Some(a) = article
        && text_len(a) as f32 >= page_len as f32 * ARTICLE_SHARE
    {
        return Some(a);
    }
    doc.select(&MAIN)
        .max_by_key(|&e| text_len(e))
        .or(body)
        .or_else(|| Some(doc.root_element()))
}

/// Elements never read, whatever their class.
const DROPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "aside", "footer", "form", "button",
    "iframe", "svg", "canvas", "object", "embed", "select", "input", "textarea", "label", "video",
    "audio", "map", "dialog", "menu", "head", "img", "picture", "source",
];
/// ARIA roles of page furniture.
const DROPPED_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "dialog",
    "menu",
    "menubar",
    "toolbar",
];
/// Words in a class or id that name a widget rather than text.
const WIDGET_WORDS: &[&str] = &[
    "share",
    "sharing",
    "sharebar",
    "social",
    "related",
    "newsletter",
    "comment",
    "comments",
    "cookie",
    "cookies",
    "consent",
    "subscribe",
    "subscription",
    "promo",
    "advert",
    "advertisement",
    "ad",
    "ads",
    "sponsored",
    "breadcrumb",
    "breadcrumbs",
    "nav",
    "navbar",
    "navigation",
    "menu",
    "sidebar",
    "popup",
    "modal",
    "paywall",
    "outbrain",
    "taboola",
    "recommended",
    "recirculation",
    "trending",
    "toolbar",
    "footer",
    "masthead",
    "tags",
    "skip",
];

/// Whether an element inside the article is dropped with everything in it.
fn dropped(e: ElementRef<'_>, root_len: usize) -> bool {
    let el = e.value();
    let name = el.name();
    if DROPPED_TAGS.contains(&name) {
        return true;
    }
    // The page's masthead goes; the article's own header holds its headline.
    if name == "header" && e.select(&H1).next().is_none() {
        return true;
    }
    if el.attr("hidden").is_some()
        || el
            .attr("aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        || el
            .attr("role")
            .is_some_and(|r| DROPPED_ROLES.contains(&r.to_ascii_lowercase().as_str()))
    {
        return true;
    }
    if el.attr("style").is_some_and(|s| {
        let s: String = s
            .split_whitespace()
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    }) {
        return true;
    }
    let names = el.classes().chain(el.id());
    let widget = names
        .flat_map(|n| n.split(['-', '_', ' ']))
        .any(|w| WIDGET_WORDS.contains(&w.to_ascii_lowercase().as_str()));
    widget && (text_len(e) as f32) < root_len as f32 * WIDGET_SHARE
}

/// What an element does to the flow of blocks.
fn block_kind(name: &str) -> Option<BlockKind> {
    Some(match name {
        "h1" => BlockKind::Title,
        "h2" => BlockKind::Heading(2),
        "h3" => BlockKind::Heading(3),
        "h4" => BlockKind::Heading(4),
        "h5" => BlockKind::Heading(5),
        "h6" => BlockKind::Heading(6),
        "li" | "dt" | "dd" => BlockKind::ListItem,
        "p" | "div" | "section" | "article" | "main" | "header" | "blockquote" | "pre"
        | "figure" | "figcaption" | "ul" | "ol" | "dl" | "table" | "thead" | "tbody" | "tr"
        | "td" | "th" | "caption" | "address" | "hr" | "details" | "summary" | "body"
        | "center" => BlockKind::Text,
        _ => return None,
    })
}

/// Collects text into blocks as the tree is walked.
struct Blocks {
    out: Vec<(String, BlockKind)>,
    text: String,
    kinds: Vec<BlockKind>,
    root_len: usize,
}

/// Stands for a `<br>` in [`Blocks::text`] until the block is flushed
/// (html5ever turns NUL in the page into U+FFFD, so it never occurs in text).
const BREAK: char = '\0';

impl Blocks {
    /// End the block. Its `<br>`s split it where the next line starts like a
    /// new paragraph (not in lower case) or after a blank line (`<br><br>`);
    /// a line going on in lower case is the same sentence, wrapped.
    fn flush(&mut self) {
        let kind = self.kinds.last().copied().unwrap_or(BlockKind::Text);
        let mut current = String::new();
        for line in self.text.split(BREAK) {
            let collapsed = line.split_whitespace().collect::<Vec<_>>().join(" ");
            let goes_on = collapsed.starts_with(char::is_lowercase);
            if collapsed.is_empty() || (!current.is_empty() && !goes_on) {
                if !current.is_empty() {
                    self.out.push((std::mem::take(&mut current), kind));
                }
            } else if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(&collapsed);
        }
        if !current.is_empty() {
            self.out.push((current, kind));
        }
        self.text.clear();
    }

    fn walk(&mut self, e: ElementRef<'_>) {
        for child in e.children() {
            if let Some(t) = child.value().as_text() {
                self.text.push_str(&t.text);
            } else if let Some(el) = ElementRef::wrap(child) {
                let name = el.value().name();
                if name == "br" {
                    self.text.push(BREAK);
                } else if dropped(el, self.root_len) {
                    // A dropped inline element still separates words.
                    self.text.push(' ');
                } else if let Some(kind) = block_kind(name) {
                    self.flush();
                    self.kinds.push(kind);
                    self.walk(el);
                    self.flush();
                    self.kinds.pop();
                } else {
                    self.walk(el);
                }
            }
        }
    }
}

fn blocks_of(root: ElementRef<'_>) -> Vec<(String, BlockKind)> {
    let mut b = Blocks {
        out: Vec::new(),
        text: String::new(),
        kinds: Vec::new(),
        root_len: text_len(root),
    };
    b.walk(root);
    b.flush();
    b.out
}

/// The page's text as the tokenizer saw it, whitespace collapsed, with the
/// line where each piece of it stands. Text inside `<script>`, `<style>`,
/// `<title>` and the like is left out.
#[derive(Default)]
struct TextLines {
    text: RefCell<String>,
    /// (offset in `text`, line), for every piece that starts on a new line.
    lines: RefCell<Vec<(usize, u32)>>,
    /// Inside an element whose content is not page text.
    raw: Cell<bool>,
}

impl TokenSink for TextLines {
    type Handle = ();

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<()> {
        match token {
            Token::CharacterTokens(t) if !self.raw.get() => {
                // The tokenizer gathers a run of text before passing it on, so
                // `line_number` is the line of the run's end.
                let newlines = t.chars().filter(|&c| c == '\n').count() as u64;
                let mut line = line_number.saturating_sub(newlines).max(1);
                let mut text = self.text.borrow_mut();
                let mut lines = self.lines.borrow_mut();
                for c in t.chars() {
                    if c == '\n' {
                        line += 1;
                    }
                    if c.is_whitespace() {
                        if !text.is_empty() && !text.ends_with(' ') {
                            text.push(' ');
                        }
                    } else {
                        let no = u32::try_from(line).unwrap_or(u32::MAX);
                        if lines.last().is_none_or(|&(_, l)| l != no) {
                            lines.push((text.len(), no));
                        }
                        text.push(c);
                    }
                }
            }
            Token::TagToken(tag) => {
                // Block tags and `<br>` part words, as they part blocks.
                if &*tag.name == "br" || block_kind(&tag.name).is_some() {
                    let mut text = self.text.borrow_mut();
                    if !text.is_empty() && !text.ends_with(' ') {
                        text.push(' ');
                    }
                }
                let raw = match &*tag.name {
                    "script" => Some(RawKind::ScriptData),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                        Some(RawKind::Rawtext)
                    }
                    "title" | "textarea" => Some(RawKind::Rcdata),
                    _ => None,
                };
                if let Some(kind) = raw {
                    match tag.kind {
                        TagKind::StartTag if !tag.self_closing => {
                            self.raw.set(true);
                            return TokenSinkResult::RawData(kind);
                        }
                        TagKind::EndTag => self.raw.set(false),
                        TagKind::StartTag => {}
                    }
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl TextLines {
    fn of(page: &str) -> (String, Vec<(usize, u32)>) {
        let tokenizer = Tokenizer::new(TextLines::default(), TokenizerOpts::default());
        let input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(page));
        let _ = tokenizer.feed(&input);
        tokenizer.end();
        let sink = tokenizer.sink;
        (sink.text.into_inner(), sink.lines.into_inner())
    }
}

/// How many bytes of a block's start (and end) are looked for.
const NEEDLE_BYTES: usize = 60;

fn prefix(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn suffix(s: &str, max: usize) -> &str {
    let mut start = s.len().saturating_sub(max);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    &s[start..]
}

/// Where every run of one, two and three words starts in the page's text,
/// by a hash of the run: a block is found by its first words without
/// scanning the page again for each block.
struct WordIndex {
    runs: [FxHashMap<u64, Vec<usize>>; 3],
}

impl WordIndex {
    fn new(text: &str) -> Self {
        // (start, end) of every word; the text's whitespace is single spaces.
        let mut words = Vec::new();
        let mut at = 0;
        for w in text.split(' ') {
            if !w.is_empty() {
                words.push((at, at + w.len()));
            }
            at += w.len() + 1;
        }
        let mut runs: [FxHashMap<u64, Vec<usize>>; 3] = Default::default();
        for (n, &(start, _)) in words.iter().enumerate() {
            for (k, map) in runs.iter_mut().enumerate() {
                if let Some(&(_, end)) = words.get(n + k) {
                    map.entry(text::hash_str(&text[start..end]))
                        .or_default()
                        .push(start);
                }
            }
        }
        WordIndex { runs }
    }

    /// Where `words` (one to three words joined by single spaces) next
    /// stand at or after `from`, preferring a place where `head` follows.
    fn find(&self, text: &str, words: &str, head: &str, from: usize) -> Option<usize> {
        let k = words.split(' ').count().clamp(1, 3);
        let places = self.runs[k - 1].get(&text::hash_str(words))?;
        let first = places.partition_point(|&p| p < from);
        let mut candidates = places[first..]
            .iter()
            .copied()
            .filter(|&p| text[p..].starts_with(words))
            .take(CANDIDATES);
        let nearest = candidates.next()?;
        Some(
            std::iter::once(nearest)
                .chain(candidates)
                .find(|&p| text[p..].starts_with(head))
                .unwrap_or(nearest),
        )
    }
}

/// How many places of a block's first words are tried for the rest of its start.
const CANDIDATES: usize = 8;

/// The line span of each block in the page, found in order. A block that
/// cannot be found (the parser moved it) gets the line where the previous
/// one ended.
fn locate(page: &str, blocks: &[(String, BlockKind)]) -> Vec<LineSpan> {
    let (text, lines) = TextLines::of(page);
    let index = WordIndex::new(&text);
    let line_at = |offset: usize| {
        let i = lines.partition_point(|&(o, _)| o <= offset);
        lines.get(i.saturating_sub(1)).map_or(1, |&(_, l)| l)
    };
    let mut cursor = 0;
    let mut last_line = 1;
    let mut out = Vec::with_capacity(blocks.len());
    for (block, _) in blocks {
        let head = prefix(block, NEEDLE_BYTES);
        let words: Vec<&str> = block.split(' ').take(3).collect();
        let first_words = words.join(" ");
        let Some(start) = index.find(&text, &first_words, head, cursor) else {
            out.push(LineSpan::new(last_line, last_line));
            continue;
        };
        // The block's end is looked for a little past its length, not in the whole page.
        let mut window = (start + block.len() * 2 + NEEDLE_BYTES * 16).min(text.len());
        while !text.is_char_boundary(window) {
            window += 1;
        }
        let tail = suffix(block, NEEDLE_BYTES);
        let end = text[start..window]
            .find(tail)
            .map_or(start + first_words.len(), |p| start + p + tail.len());
        let span = LineSpan::new(
            line_at(start),
            line_at(end.saturating_sub(1)).max(line_at(start)),
        );
        last_line = span.last;
        cursor = end;
        out.push(span);
    }
    out
}

fn clean(s: &str) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

/// Title, outlet, address and date from `<meta>`, `<link rel=canonical>`,
/// `<title>` and JSON-LD; JSON-LD's headline and publisher, and the meta
/// tags' address and date, come first.
fn page_meta(doc: &Html) -> PageMeta {
    let meta = |keys: &[&str]| {
        keys.iter().find_map(|k| {
            doc.select(&META).find_map(|m| {
                let v = m.value();
                let key = v
                    .attr("property")
                    .or_else(|| v.attr("name"))
                    .or_else(|| v.attr("itemprop"))?;
                if key.eq_ignore_ascii_case(k) {
                    v.attr("content").and_then(clean)
                } else {
                    None
                }
            })
        })
    };
    let ld = json_ld(doc);
    let ld_str = |key: &str| ld.as_ref().and_then(|v| text_of(v.get(key)?));
    let outlet = ld
        .as_ref()
        .and_then(|v| text_of(v.get("publisher")?))
        .or_else(|| meta(&["og:site_name", "application-name"]));
    let title = ld_str("headline")
        .or_else(|| meta(&["og:title", "twitter:title"]))
        .or_else(|| {
            doc.select(&TITLE)
                .next()
                .and_then(|t| clean(&t.text().collect::<String>()))
        })
        .map(|t| strip_site(t, outlet.as_deref()));
    let url = doc
        .select(&CANONICAL)
        .find_map(|l| l.value().attr("href").and_then(clean))
        .or_else(|| meta(&["og:url"]))
        .or_else(|| ld_str("url"))
        .or_else(|| {
            ld.as_ref()
                .and_then(|v| text_of(v.get("mainEntityOfPage")?))
        });
    let date = meta(&[
        "article:published_time",
        "datePublished",
        "pubdate",
        "publishdate",
        "date",
        "dc.date.issued",
        "dc.date",
    ])
    .or_else(|| ld_str("datePublished"))
    .map(|d| iso_date(&d));
    PageMeta {
        title,
        outlet,
        url,
        date,
    }
}

/// "Headline | Site" → "Headline", when "Site" is the outlet.
fn strip_site(title: String, outlet: Option<&str>) -> String {
    let Some(outlet) = outlet else {
        return title;
    };
    for sep in [" | ", " - ", " – ", " — ", " :: "] {
        if let Some(head) = title.strip_suffix(outlet).and_then(|t| t.strip_suffix(sep))
            && !head.trim().is_empty()
        {
            return head.trim().to_owned();
        }
    }
    title
}

/// JSON-LD types that describe an article.
const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "ReportageNews",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "BlogPosting",
    "Report",
    "ScholarlyArticle",
    "LiveBlogPosting",
];

/// The page's JSON-LD object describing the article: one of an article
/// type, else any with a headline.
fn json_ld(doc: &Html) -> Option<Value> {
    let mut objects = Vec::new();
    for script in doc.select(&LD_JSON) {
        let text: String = script.text().collect();
        if let Ok(v) = serde_json::from_str::<Value>(&text) {
            flatten_ld(v, &mut objects);
        }
    }
    let is_article = |v: &Value| match v.get("@type") {
        Some(Value::String(t)) => ARTICLE_TYPES.contains(&t.as_str()),
        Some(Value::Array(ts)) => ts
            .iter()
            .any(|t| t.as_str().is_some_and(|t| ARTICLE_TYPES.contains(&t))),
        _ => false,
    };
    let pick = objects
        .iter()
        .position(is_article)
        .or_else(|| objects.iter().position(|v| v.get("headline").is_some()))?;
    Some(objects.swap_remove(pick))
}

fn flatten_ld(v: Value, out: &mut Vec<Value>) {
    match v {
        Value::Array(items) => items.into_iter().for_each(|i| flatten_ld(i, out)),
        Value::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                flatten_ld(graph, out);
            }
            out.push(Value::Object(map));
        }
        _ => {}
    }
}

/// A JSON value as text: a string, a number, an object's `name` or `@id`,
/// or the first such value of an array.
pub(crate) fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => clean(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(m) => ["name", "@id", "url"]
            .iter()
            .find_map(|k| m.get(*k).and_then(text_of)),
        Value::Array(items) => items.iter().find_map(text_of),
        _ => None,
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A date as ISO 8601 where it can be read as one: ISO already
/// (`2022-04-27T21:26:00Z`, kept as written), `27 Apr 2022 21:26:00 +0000`
/// (RSS), `April 27, 2022` or a Unix time in seconds or milliseconds.
/// Anything else is kept as written, trimmed.
pub(crate) fn iso_date(s: &str) -> String {
    let s = s.trim();
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7) {
        return s.replacen(' ', "T", usize::from(b.get(10) == Some(&b' ')));
    }
    // Nine digits or more: a year alone ("2022") is not a Unix time.
    if (9..=13).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit()) {
        if let Ok(n) = s.parse::<i64>() {
            let secs = if s.len() > 10 { n / 1000 } else { n };
            return unix_to_iso(secs);
        }
    }
    let words: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let month = |w: &str| {
        MONTHS
            .iter()
            .position(|m| w.len() >= 3 && w.starts_with(m))
            .map(|i| i + 1)
    };
    let day = |w: &str| w.parse::<u32>().ok().filter(|d| (1..=31).contains(d));
    let year = |w: &str| w.parse::<u32>().ok().filter(|y| (1000..=9999).contains(y));
    for i in 0..words.len() {
        let Some(m) = month(&words[i]) else {
            continue;
        };
        // "Apr 27 2022" or "27 Apr 2022".
        let found = match (words.get(i + 1), words.get(i + 2), i.checked_sub(1)) {
            (Some(d), Some(y), _) if day(d).is_some() && year(y).is_some() => {
                Some((year(y), day(d)))
            }
            (Some(y), _, Some(p)) if year(y).is_some() && day(&words[p]).is_some() => {
                Some((year(y), day(&words[p])))
            }
            _ => None,
        };
        if let Some((Some(y), Some(d))) = found {
            return format!("{y:04}-{m:02}-{d:02}");
        }
    }
    s.to_owned()
}

/// Seconds since 1970 → `YYYY-MM-DDTHH:MM:SSZ` (the civil-from-days algorithm).
fn unix_to_iso(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html>
<html><head>
<title>Ties with China | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2022-04-27T21:26:00Z">
<link rel="canonical" href="https://example.com/iran-china">
<script>var headline = "Iran seeks ties";</script>
</head><body>
<header class="site"><a href="/">Example News</a><nav><a href="/world">World</a></nav></header>
<article>
<h1>Iran seeks ties
  with China</h1>
<p>First paragraph of the story,
with a line break in the source.</p>
<div class="share-bar"><a href="/share">Share on X</a></div>
<!-- a comment -->
<p>Second &ldquo;paragraph&rdquo;<br>after a break.</p>
<ul><li>One item</li><li>Another item</li></ul>
</article>
<footer>Copyright</footer>
</body></html>
"#;

    #[test]
    fn blocks_lines_and_meta_of_a_page() {
        let page = read_page(PAGE);
        let got: Vec<(&str, BlockKind, (u32, u32))> = page
            .blocks
            .iter()
            .map(|b| (&*b.text, b.kind, (b.lines.first, b.lines.last)))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Iran seeks ties with China", BlockKind::Title, (11, 12)),
                (
                    "First paragraph of the story, with a line break in the source.",
                    BlockKind::Text,
                    (13, 14)
                ),
                (
                    "Second “paragraph” after a break.",
                    BlockKind::Text,
                    (17, 17)
                ),
                ("One item", BlockKind::ListItem, (18, 18)),
                ("Another item", BlockKind::ListItem, (18, 18)),
            ]
        );
        assert_eq!(
            page.meta,
            PageMeta {
                title: Some("Ties with China".into()),
                outlet: Some("Example News".into()),
                url: Some("https://example.com/iran-china".into()),
                date: Some("2022-04-27T21:26:00Z".into()),
            }
        );
    }

    #[test]
    fn lines_survive_tags_entities_and_crlf() {
        let page = "<body>\r\n<p\r\n class=a>One &amp;\r\ntwo</p>\r\n\r\n<p>Three <b>\r\nfour</b>\r\n</p><p>Five</p>\n<script>\n\"<p>Five</p>\"\n</script>\n<p>Six\n</p></body>";
        let got: Vec<(String, (u32, u32))> = read_page(page)
            .blocks
            .into_iter()
            .map(|b| (b.text, (b.lines.first, b.lines.last)))
            .collect();
        assert_eq!(
            got,
            vec![
                ("One & two".to_owned(), (3, 4)),
                ("Three four".to_owned(), (6, 7)),
                ("Five".to_owned(), (8, 8)),
                ("Six".to_owned(), (12, 12)),
            ]
        );
    }

    #[test]
    fn line_breaks_split_new_lines_and_join_wrapped_ones() {
        let b = fragment_blocks(
            "<p>By The Associated Press<br>April 27, 2022</p><p>a sentence that<br>\n goes on<br><br>and a new one</p>",
        );
        let texts: Vec<&str> = b.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "By The Associated Press",
                "April 27, 2022",
                "a sentence that goes on",
                "and a new one"
            ]
        );
        let page = read_page("<body><p>one<br>two</p></body>");
        assert_eq!(page.blocks[0].text, "one two");
        assert_eq!(page.blocks[0].lines, LineSpan::new(1, 1));
    }

    #[test]
    fn json_ld_gives_headline_publisher_and_date() {
        let page = r#"<html><head><script type="application/ld+json">
{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Site"},
{"@type":"NewsArticle","headline":"The headline","datePublished":"2022-04-27",
"publisher":{"@type":"Organization","name":"The Outlet"},"url":"https://x.test/a"}]}
</script></head><body><p>Text.</p></body></html>"#;
        let m = read_page(page).meta;
        assert_eq!(m.title.as_deref(), Some("The headline"));
        assert_eq!(m.outlet.as_deref(), Some("The Outlet"));
        assert_eq!(m.date.as_deref(), Some("2022-04-27"));
        assert_eq!(m.url.as_deref(), Some("https://x.test/a"));
    }

    #[test]
    fn teaser_articles_do_not_win_over_the_page() {
        let long = "Words of the real story. ".repeat(40);
        let page = format!(
            "<body><article><p>A teaser.</p></article><div class=\"story\"><p>{long}</p></div></body>"
        );
        let blocks = read_page(&page).blocks;
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[1].text, long.trim());
    }

    #[test]
    fn hidden_and_widget_elements_are_dropped() {
        let long = "Body text that matters a great deal to the reader. ".repeat(10);
        let page = format!(
            "<body><main><p>{long}</p><p hidden>secret</p><div aria-hidden=\"true\">x</div>\
             <div style=\"display: none\">y</div><section class=\"related-stories\"><p>Other story</p></section>\
             <div id=\"newsletter_signup\">Sign up</div></main></body>"
        );
        let texts: Vec<String> = read_page(&page)
            .blocks
            .into_iter()
            .map(|b| b.text)
            .collect();
        assert_eq!(texts, vec![long.trim().to_owned()]);
    }

    #[test]
    fn fragments_from_json() {
        assert!(looks_like_html("<p>One.</p><p>Two.</p>"));
        assert!(!looks_like_html("One. <b> is bold"));
        let b = fragment_blocks("<p>One.</p><p>Two <b>bold</b>.</p>");
        assert_eq!(
            b,
            vec![
                ("One.".to_owned(), BlockKind::Text),
                ("Two bold.".to_owned(), BlockKind::Text)
            ]
        );
    }

    #[test]
    fn dates_become_iso() {
        assert_eq!(iso_date("2022-04-27T21:26:00Z"), "2022-04-27T21:26:00Z");
        assert_eq!(iso_date("2022-04-27 21:26"), "2022-04-27T21:26");
        assert_eq!(iso_date("April 27, 2022, 9:26 PM"), "2022-04-27");
        assert_eq!(iso_date("Wed, 27 Apr 2022 21:26:00 +0000"), "2022-04-27");
        assert_eq!(iso_date("1651094760"), "2022-04-27T21:26:00Z");
        assert_eq!(iso_date("1651094760000"), "2022-04-27T21:26:00Z");
        assert_eq!(iso_date("last Tuesday"), "last Tuesday");
        assert_eq!(iso_date("2022"), "2022");
    }

    #[test]
    fn strip_site_name() {
        assert_eq!(
            strip_site("Headline | Site".into(), Some("Site")),
            "Headline"
        );
        assert_eq!(strip_site("Headline".into(), Some("Site")), "Headline");
        assert_eq!(strip_site("Site".into(), Some("Site")), "Site");
    }
}
