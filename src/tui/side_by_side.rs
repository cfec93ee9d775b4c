//! The main screen: two versions of a story side by side.
//!
//! In: the base and other articles, their [`Comparison`] and the display
//! options. Out: a [`DiffLayout`] of wrapped visual lines (built once per
//! change of data, width or option, so scrolling only slices it) and the
//! drawing of its visible part. Counterparts share a row; a side that lacks
//! the paragraph gets a filler; a moved paragraph appears where each version
//! has it, with a marker naming its other place; rewritten paragraphs are
//! before/after blocks; page furniture is folded into one dimmed line.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use regex::Regex;

use super::app::App;
use super::theme::Theme;
use super::wrap::{self, Painted};
use crate::model::{Article, ChangeKind, Comparison, PairKind, PairRow, Role, WordDiff};
use crate::sanitize::for_terminal;

/// One version as the layout needs it.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub id: &'a str,
    pub article: &'a Article,
}

/// What the layout shows and how.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    pub width: u16,
    pub show_furniture: bool,
    pub hide_style: bool,
    pub wrap: bool,
    pub theme: &'a Theme,
    pub search: Option<&'a Regex>,
}

/// One side of a visual line.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Side {
    /// Source line number, on the first visual line of a paragraph.
    pub lineno: Option<u32>,
    /// Gutter marker of the paragraph ("~", "+", "↕"…), on its first visual line.
    pub marker: Option<Span<'static>>,
    pub text: Line<'static>,
}

/// One screen line of the side-by-side view.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VLine {
    /// The comparison row this line belongs to (`None` for headlines and furniture).
    pub row: Option<usize>,
    /// Whether this is the row's first line (where its number goes).
    pub first: bool,
    pub left: Side,
    pub right: Option<Side>,
}

/// Column positions, relative to the body's left edge.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Geometry {
    /// Width of the row-number gutter (0 when too narrow).
    pub number: u16,
    /// Width of each side's line-number gutter (0 when too narrow).
    pub lineno: u16,
    pub left_x: u16,
    pub left_w: u16,
    /// Where the right side starts (after the separator) and its width; 0 for a single version.
    pub right_x: u16,
    pub right_w: u16,
}

impl Geometry {
    fn text_w(&self, side_w: u16) -> usize {
        usize::from(side_w.saturating_sub(self.lineno + 2)).max(1)
    }
}

/// The whole comparison as screen lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DiffLayout {
    pub lines: Vec<VLine>,
    /// Index in `lines` of each comparison row's first line.
    pub row_start: Vec<usize>,
    /// Rows with something to look at, in order (for n/N).
    pub stops: Vec<usize>,
    /// Rows with a search hit, in order.
    pub hits: Vec<usize>,
    pub geometry: Geometry,
    /// Share of the text that changed, 0 to 1.
    pub changed_share: f32,
}

/// Lay out `base` alone (a story with one version) or against `other`.
pub fn build(
    base: Source<'_>,
    other: Option<(Source<'_>, &Comparison)>,
    opts: &Options<'_>,
) -> DiffLayout {
    let max_line = base
        .article
        .lines
        .last
        .max(other.map_or(0, |(o, _)| o.article.lines.last));
    let owned_rows;
    let rows: &[PairRow] = match other {
        Some((_, c)) => &c.rows,
        None => {
            owned_rows = base
                .article
                .body_indices()
                .map(|i| PairRow {
                    kind: PairKind::Same,
                    base: vec![i],
                    other: vec![],
                    diff: None,
                    counterpart: None,
                })
                .collect::<Vec<_>>();
            &owned_rows
        }
    };
    let geometry = geometry(opts.width, rows.len(), max_line, other.is_some());
    let mut b = Builder {
        opts,
        geometry,
        base,
        other: other.map(|(o, _)| o),
        rows,
        out: DiffLayout {
            geometry,
            ..DiffLayout::default()
        },
        base_gaps: gaps(base.article),
        other_gaps: other.map(|(o, _)| gaps(o.article)).unwrap_or_default(),
    };
    b.run();
    b.out
}

/// Column positions for a body `width` wide.
pub fn geometry(width: u16, rows: usize, max_line: u32, two: bool) -> Geometry {
    let gutters = width >= 60;
    let number = if gutters {
        digits(rows).max(2) as u16 + 1
    } else {
        0
    };
    let lineno = if gutters {
        digits(max_line as usize) as u16 + 1
    } else {
        0
    };
    let rest = width.saturating_sub(number);
    if two {
        let left_w = rest.saturating_sub(1) / 2;
        Geometry {
            number,
            lineno,
            left_x: number,
            left_w,
            right_x: number + left_w + 1,
            right_w: rest.saturating_sub(left_w + 1),
        }
    } else {
        Geometry {
            number,
            lineno,
            left_x: number,
            left_w: rest,
            right_x: 0,
            right_w: 0,
        }
    }
}

fn digits(n: usize) -> usize {
    n.max(1).ilog10() as usize + 1
}

/// Non-body paragraphs keyed by the body paragraph they precede
/// (`usize::MAX` for those after the last body paragraph).
fn gaps(a: &Article) -> BTreeMap<usize, Vec<usize>> {
    let mut out: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut pending = Vec::new();
    for (i, p) in a.paragraphs.iter().enumerate() {
        if p.role.is_body() {
            if !pending.is_empty() {
                out.insert(i, std::mem::take(&mut pending));
            }
        } else {
            pending.push(i);
        }
    }
    if !pending.is_empty() {
        out.insert(usize::MAX, pending);
    }
    out
}

/// Styles over byte ranges of a text.
type Layers = Vec<(std::ops::Range<usize>, Style)>;

/// A side's block of lines for one row: (source line, marker, text).
type Block = Vec<(Option<u32>, Option<Span<'static>>, Line<'static>)>;

struct Builder<'a> {
    opts: &'a Options<'a>,
    geometry: Geometry,
    base: Source<'a>,
    other: Option<Source<'a>>,
    rows: &'a [PairRow],
    out: DiffLayout,
    base_gaps: BTreeMap<usize, Vec<usize>>,
    other_gaps: BTreeMap<usize, Vec<usize>>,
}

impl Builder<'_> {
    fn run(&mut self) {
        let mut changed = 0.0f32;
        let mut total = 0.0f32;
        for (i, row) in self.rows.iter().enumerate() {
            let lg = row.base.first().and_then(|p| self.base_gaps.remove(p));
            let rg = row.other.first().and_then(|p| self.other_gaps.remove(p));
            self.gap(lg, rg);
            let (c, t) = self.row(i, row);
            changed += c;
            total += t;
        }
        // Whatever is left: after the last body paragraph, or next to paragraphs no row holds.
        let lg: Vec<usize> = std::mem::take(&mut self.base_gaps)
            .into_values()
            .flatten()
            .collect();
        let rg: Vec<usize> = std::mem::take(&mut self.other_gaps)
            .into_values()
            .flatten()
            .collect();
        self.gap(
            (!lg.is_empty()).then_some(lg),
            (!rg.is_empty()).then_some(rg),
        );
        self.out.changed_share = if total > 0.0 { changed / total } else { 0.0 };
    }

    fn text_w(&self, right: bool) -> usize {
        let g = self.geometry;
        g.text_w(if right { g.right_w } else { g.left_w })
    }

    fn lines_of(&self, p: &Painted, right: bool) -> Vec<Line<'static>> {
        let w = self.text_w(right);
        let mut out = Vec::new();
        for (i, seg) in split_paragraphs(&p.text).into_iter().enumerate() {
            if i > 0 {
                out.push(Line::default());
            }
            if self.opts.wrap {
                for r in wrap::line_ranges(&p.text[seg.clone()], w) {
                    out.push(wrap::slice(p, r.start + seg.start..r.end + seg.start));
                }
            } else {
                let sub = sub_painted(p, seg);
                out.push(wrap::truncate(&sub, w));
            }
        }
        out
    }

    /// Headlines, captions and furniture standing before a row.
    fn gap(&mut self, left: Option<Vec<usize>>, right: Option<Vec<usize>>) {
        if left.is_none() && right.is_none() {
            return;
        }
        let lb = left
            .map(|g| self.gap_block(self.base.article, &g, false))
            .unwrap_or_default();
        let rb = match (right, self.other) {
            (Some(g), Some(o)) => self.gap_block(o.article, &g, true),
            _ => Vec::new(),
        };
        self.push_blocks(None, lb, rb);
    }

    fn gap_block(&self, a: &Article, paras: &[usize], right: bool) -> Block {
        let t = self.opts.theme;
        let mut block = Block::new();
        let mut folded_lines = 0u32;
        let mut folded_at = None;
        let flush = |block: &mut Block, n: &mut u32, at: &mut Option<u32>| {
            if *n > 0 {
                let s = if *n == 1 { "" } else { "s" };
                block.push((
                    *at,
                    Some(Span::styled("⋯", t.furniture)),
                    Line::styled(format!("{n} furniture line{s} (f to show)"), t.furniture),
                ));
                *n = 0;
                *at = None;
            }
        };
        for &i in paras {
            let p = &a.paragraphs[i];
            if p.role.is_furniture() && !self.opts.show_furniture {
                folded_lines += p.lines.last.saturating_sub(p.lines.first) + 1;
                folded_at.get_or_insert(p.lines.first);
                continue;
            }
            flush(&mut block, &mut folded_lines, &mut folded_at);
            let (style, marker) = match p.role {
                Role::Headline => (t.headline, "#"),
                Role::Caption => (t.caption, "▣"),
                _ => (t.furniture, "·"),
            };
            let painted = wrap::paint(&p.text, style, &[]);
            // In narrow columns a headline or caption gets one line, not five.
            let lines = if self.opts.width < 60 {
                vec![wrap::truncate(&painted, self.text_w(right))]
            } else {
                self.lines_of(&painted, right)
            };
            for (k, line) in lines.into_iter().enumerate() {
                block.push(if k == 0 {
                    (Some(p.lines.first), Some(Span::styled(marker, t.dim)), line)
                } else {
                    (None, None, line)
                });
            }
        }
        flush(&mut block, &mut folded_lines, &mut folded_at);
        block
    }

    /// Lay out one comparison row; returns (changed words, words) for the share.
    fn row(&mut self, i: usize, row: &PairRow) -> (f32, f32) {
        let t = self.opts.theme;
        let base_text = join(self.base.article, &row.base);
        let other_text = self
            .other
            .map(|o| join(o.article, &row.other))
            .unwrap_or_default();
        let words = base_text
            .split_whitespace()
            .count()
            .max(other_text.split_whitespace().count()) as f32;
        // Ids come from file names: made safe like any file text.
        let other_id = for_terminal(self.other.map_or("", |o| o.id));
        let base_id = for_terminal(self.base.id);
        let mut hit = false;
        let (left, right, changed, marker) = match row.kind {
            PairKind::Same => {
                let l = self.para(&base_text, t.base, &[], &mut hit);
                let r = self.para(&other_text, t.base, &[], &mut hit);
                (l, r, 0.0, None)
            }
            PairKind::Changed => {
                let (l, r, ratio) = match &row.diff {
                    Some(d) => {
                        let (ol, nl) = self.change_layers(d);
                        let l = self.para(&d.old_text, t.base, &ol, &mut hit);
                        let r = self.para(&d.new_text, t.base, &nl, &mut hit);
                        (l, r, d.ratio)
                    }
                    None => (
                        self.para(&base_text, t.base, &[], &mut hit),
                        self.para(&other_text, t.base, &[], &mut hit),
                        0.0,
                    ),
                };
                (l, r, ratio * words, Some(("~", t.cell_changed)))
            }
            PairKind::Rewritten => {
                let l = self.para(&base_text, t.rewritten_old, &[], &mut hit);
                let r = self.para(&other_text, t.rewritten_new, &[], &mut hit);
                (l, r, words, Some(("≠", t.cell_changed)))
            }
            PairKind::Added => {
                let r = self.para(&other_text, t.added_para, &[], &mut hit);
                (Painted::default(), r, words, Some(("+", t.cell_added)))
            }
            PairKind::Removed => {
                let l = self.para(&base_text, t.removed_para, &[], &mut hit);
                (l, Painted::default(), words, Some(("-", t.cell_missing)))
            }
            PairKind::MovedFrom => {
                let l = self.para(&base_text, t.base, &[], &mut hit);
                (l, Painted::default(), 0.0, Some(("↕", t.cell_moved)))
            }
            PairKind::MovedTo => {
                let r = match &row.diff {
                    Some(d) => {
                        let (_, nl) = self.change_layers(d);
                        self.para(&d.new_text, t.base, &nl, &mut hit)
                    }
                    None => self.para(&other_text, t.base, &[], &mut hit),
                };
                let ratio = row.diff.as_ref().map_or(0.0, |d| d.ratio);
                (
                    Painted::default(),
                    r,
                    ratio * words,
                    Some(("↕", t.cell_moved)),
                )
            }
        };
        let marker = marker.map(|(m, s)| Span::styled(m, s));
        let filler = |text: String| vec![(None, marker.clone(), Line::styled(text, t.filler))];
        let moved_note = |side: &str, there: Option<usize>, para: Option<usize>| {
            let mut s = format!("↕ moved: {side} has it");
            if let Some(p) = para {
                s.push_str(&format!(" as ¶{p}"));
            }
            if let Some(r) = there {
                s.push_str(&format!(", row {}", r + 1));
            }
            (None, None, Line::styled(s, t.moved))
        };
        let see = |there: Option<usize>| match there {
            Some(r) => filler(format!("moved: see row {}", r + 1)),
            None => filler("moved elsewhere".to_owned()),
        };
        let counterpart = row.counterpart.and_then(|c| self.rows.get(c));
        let lb: Block = match row.kind {
            PairKind::Added => filler(format!("not in {base_id}")),
            PairKind::MovedTo => see(row.counterpart),
            _ => {
                let mut b = self.block(&left, &row.base, self.base.article, marker.clone(), false);
                if row.kind == PairKind::MovedFrom
                    && let Some(o) = self.other
                {
                    let para = counterpart
                        .and_then(|r| r.other.first())
                        .and_then(|&p| body_position(o.article, p));
                    b.push(moved_note(&other_id, row.counterpart, para));
                }
                b
            }
        };
        let rb: Block = match (row.kind, self.other) {
            (_, None) => Vec::new(),
            (PairKind::Removed, _) => filler(format!("not in {other_id}")),
            (PairKind::MovedFrom, _) => see(row.counterpart),
            (_, Some(o)) => {
                let mut b = self.block(&right, &row.other, o.article, marker.clone(), true);
                if row.kind == PairKind::MovedTo {
                    let para = counterpart
                        .and_then(|r| r.base.first())
                        .and_then(|&p| body_position(self.base.article, p));
                    b.push(moved_note(&base_id, row.counterpart, para));
                }
                b
            }
        };
        let is_stop = match row.kind {
            PairKind::Same => false,
            PairKind::Changed => row.diff.as_ref().is_none_or(|d| {
                d.changes
                    .iter()
                    .any(|c| !(self.opts.hide_style && c.kind == ChangeKind::Style))
            }),
            _ => true,
        };
        if is_stop {
            self.out.stops.push(i);
        }
        if hit {
            self.out.hits.push(i);
        }
        self.out.row_start.push(self.out.lines.len());
        self.push_blocks(Some(i), lb, rb);
        (changed, words)
    }

    fn block(
        &self,
        p: &Painted,
        paras: &[usize],
        a: &Article,
        marker: Option<Span<'static>>,
        right: bool,
    ) -> Block {
        let lines = self.lines_of(p, right);
        // Paragraph k of a merged side starts after the k-th blank separator line.
        let mut starts = paras
            .iter()
            .map(|&i| a.paragraphs.get(i).map(|p| p.lines.first));
        let mut block = Block::new();
        let mut at_start = true;
        for (k, line) in lines.into_iter().enumerate() {
            let is_blank = line.spans.is_empty();
            let lineno = if at_start {
                starts.next().flatten()
            } else {
                None
            };
            block.push((lineno, if k == 0 { marker.clone() } else { None }, line));
            at_start = is_blank;
        }
        block
    }

    fn para(
        &self,
        text: &str,
        base: Style,
        layers: &[(std::ops::Range<usize>, Style)],
        hit: &mut bool,
    ) -> Painted {
        let mut layers = layers.to_vec();
        if let Some(re) = self.opts.search {
            for m in re.find_iter(text) {
                if m.start() < m.end() {
                    *hit = true;
                    layers.push((m.range(), self.opts.theme.search_hit));
                }
            }
        }
        wrap::paint(text, base, &layers)
    }

    /// Style layers for the old and new texts of a word diff.
    fn change_layers(&self, d: &WordDiff) -> (Layers, Layers) {
        let t = self.opts.theme;
        let mut old = Vec::new();
        let mut new = Vec::new();
        for c in &d.changes {
            if self.opts.hide_style && c.kind == ChangeKind::Style {
                continue;
            }
            old.push((c.old.clone(), t.change_old(c.kind)));
            new.push((c.new.clone(), t.change_new(c.kind)));
            for r in &c.old_emphasis {
                old.push((emphasis(&c.old, r), t.letters()));
            }
            for r in &c.new_emphasis {
                new.push((emphasis(&c.new, r), t.letters()));
            }
        }
        (old, new)
    }

    fn push_blocks(&mut self, row: Option<usize>, left: Block, right: Block) {
        let two = self.other.is_some();
        let n = left.len().max(right.len()).max(1);
        let mut left = left.into_iter();
        let mut right = right.into_iter();
        for k in 0..n {
            let side = |x: Option<(Option<u32>, Option<Span<'static>>, Line<'static>)>| {
                x.map(|(lineno, marker, text)| Side {
                    lineno,
                    marker,
                    text,
                })
                .unwrap_or_default()
            };
            self.out.lines.push(VLine {
                row,
                first: k == 0,
                left: side(left.next()),
                right: two.then(|| side(right.next())),
            });
        }
    }
}

/// A change's emphasis range (relative to the changed words, as the diff
/// gives it) as a byte range of the whole text.
fn emphasis(change: &std::ops::Range<usize>, r: &std::ops::Range<usize>) -> std::ops::Range<usize> {
    r.start + change.start..r.end + change.start
}

/// The 1-based position of paragraph `p` among the article's body paragraphs.
fn body_position(a: &Article, p: usize) -> Option<usize> {
    a.body_indices().position(|i| i == p).map(|k| k + 1)
}

/// The paragraphs' texts, one a line.
fn join(a: &Article, paras: &[usize]) -> String {
    let texts: Vec<&str> = paras
        .iter()
        .filter_map(|&i| a.paragraphs.get(i).map(|p| &*p.text))
        .collect();
    texts.join("\n")
}

fn split_paragraphs(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices('\n') {
        out.push(start..i);
        start = i + 1;
    }
    out.push(start..text.len());
    out
}

fn sub_painted(p: &Painted, r: std::ops::Range<usize>) -> Painted {
    let text = p.text[r.clone()].to_owned();
    let spans = p
        .spans
        .iter()
        .filter_map(|(s, st)| {
            let a = s.start.max(r.start);
            let b = s.end.min(r.end);
            (a < b).then(|| (a - r.start..b - r.start, *st))
        })
        .collect();
    Painted { text, spans }
}

/// Draw the side-by-side screen into `area`.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let t = &app.theme;
    let Some(view) = app.view.as_ref() else {
        super::stories::centered(
            frame,
            area,
            "No story open: press Tab for the story list.",
            t.dim,
        );
        return;
    };
    let Some(engine) = app.engine.as_ref() else {
        return;
    };
    if area.height == 0 {
        return;
    }
    let story = engine.story(view.story);
    let canonical = app.state.canonical(engine, view.story);
    let layout = &view.layout;
    let g = layout.geometry;
    let buf = frame.buffer_mut();

    // Column headers: version id, ★ for the canonical one, file name.
    let header = |v: usize, w: u16| -> Line<'static> {
        let a = engine.version(view.story, v);
        let file = engine
            .version_path(view.story, v)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut spans = vec![Span::styled(wrap::fit(&a.id, 16), t.header)];
        if canonical == Some(v) {
            spans.push(Span::styled(" ★", t.star));
        }
        let used: usize = spans.iter().map(|s| wrap::width(&s.content)).sum();
        let rest = usize::from(w).saturating_sub(used + 1);
        if rest > 3 {
            spans.push(Span::styled(format!(" {}", wrap::fit(&file, rest)), t.dim));
        }
        Line::from(spans)
    };
    let y0 = area.y;
    buf.set_line(
        area.x + g.left_x,
        y0,
        &header(view.base, g.left_w),
        g.left_w,
    );
    let single = story.versions.len() < 2;
    if !single {
        buf.set_line(
            area.x + g.right_x,
            y0,
            &header(view.variant, g.right_w),
            g.right_w,
        );
        buf.set_string(area.x + g.right_x - 1, y0, "│", t.separator);
    }
    let body = Rect::new(area.x, area.y + 1, area.width, area.height - 1);

    if !single && view.comparison.is_none() {
        if let Some(p) = &view.problem {
            let text = format!(
                "Could not compare these versions: {p}\n\n←/→ tries another version, r reloads."
            );
            super::stories::centered(frame, body, &text, t.error);
            return;
        }
        let a = &engine.version(view.story, view.base).id;
        let b = &engine.version(view.story, view.variant).id;
        super::stories::centered(
            frame,
            body,
            &format!("{} comparing {a} with {b}…", app.spinner()),
            t.dim,
        );
        return;
    }
    let buf = frame.buffer_mut();
    let focus = view.focus;
    for (k, line) in layout
        .lines
        .iter()
        .skip(view.top)
        .take(usize::from(body.height))
        .enumerate()
    {
        let y = body.y + k as u16;
        let focused = line.row.is_some() && line.row == focus;
        if g.number > 0
            && let (Some(r), true) = (line.row, line.first)
        {
            let num = format!("{:>w$}", r + 1, w = usize::from(g.number - 1));
            let style = if focused {
                t.focus_marker.patch(t.selected)
            } else {
                t.gutter
            };
            buf.set_string(body.x, y, num, style);
        } else if focused && g.number > 0 {
            buf.set_string(body.x + g.number.saturating_sub(2), y, "▌", t.focus_marker);
        }
        draw_side(buf, body.x + g.left_x, y, g.left_w, g.lineno, &line.left, t);
        if let Some(right) = &line.right {
            buf.set_string(body.x + g.right_x - 1, y, "│", t.separator);
            draw_side(buf, body.x + g.right_x, y, g.right_w, g.lineno, right, t);
        }
    }
    if layout.lines.is_empty() {
        super::stories::centered(frame, body, "This version has no body text.", t.dim);
    }
}

fn draw_side(
    buf: &mut ratatui::buffer::Buffer,
    x: u16,
    y: u16,
    w: u16,
    lineno_w: u16,
    side: &Side,
    t: &Theme,
) {
    if w == 0 {
        return;
    }
    let mut x = x;
    let mut w = w;
    if lineno_w > 0 {
        if let Some(n) = side.lineno {
            let s = format!("{:>width$}", n, width = usize::from(lineno_w - 1));
            buf.set_stringn(x, y, s, usize::from(lineno_w - 1), t.gutter);
        }
        x += lineno_w;
        w = w.saturating_sub(lineno_w);
    }
    if let Some(m) = &side.marker {
        buf.set_span(x, y, m, w.min(1));
    }
    x += 2;
    w = w.saturating_sub(2);
    buf.set_line(x, y, &side.text, w);
}
