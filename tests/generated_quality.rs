//! Story grouping and paragraph alignment on generated corpora, scored
//! against the generator's gold facts.
//!
//! In: corpora from `examples/support/corpus_gen.rs`, written to a temporary
//! folder and opened with [`Engine::open`]. Out: pairwise precision and
//! recall for story grouping (over gold articles) and for paragraph pairs
//! (two versions' paragraphs in one alignment row; a merged cell is in the
//! rows its `merged_with` names too, since it holds their text), with a breakdown of the
//! misses by the edits the generator made, printed when a target is missed.

#[path = "../examples/support/corpus_gen.rs"]
mod corpus_gen;

use std::collections::BTreeMap;

use corpus_gen::{GenOptions, Generated, Gold};
use rustc_hash::{FxHashMap, FxHashSet};
use storydiff::engine::{Engine, Settings};
use storydiff::model::ArticleId;

/// A paragraph's place: (file index in the gold's file list, first line).
type Key = (u32, u32);

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    tp: u64,
    predicted: u64,
    gold: u64,
}

impl Counts {
    fn precision(&self) -> f64 {
        if self.predicted == 0 {
            1.0
        } else {
            self.tp as f64 / self.predicted as f64
        }
    }

    fn recall(&self) -> f64 {
        if self.gold == 0 {
            1.0
        } else {
            self.tp as f64 / self.gold as f64
        }
    }

    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "precision {:.4} recall {:.4} F1 {:.4} (tp {}, predicted {}, gold {})",
            self.precision(),
            self.recall(),
            self.f1(),
            self.tp,
            self.predicted,
            self.gold
        )
    }
}

struct Evaluation {
    grouping: Counts,
    pairs: Counts,
    report: String,
}

/// Where a gold body paragraph stands.
struct GoldPara<'a> {
    story: usize,
    version: usize,
    edits: &'a [&'static str],
    blank_lines: bool,
    appended: bool,
}

fn evaluate(generated: &Generated, engine: &Engine, with_pairs: bool) -> Evaluation {
    let gold = &generated.gold;
    let corpus = engine.corpus();
    let file_ix: FxHashMap<&str, u32> = gold
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.file.as_str(), i as u32))
        .collect();
    let story_ix: FxHashMap<&str, usize> = gold
        .stories
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let file_of_article = |a: ArticleId| -> Option<u32> {
        let path = &corpus.files[corpus.articles[a].file].path;
        let name = path.file_name()?.to_str()?;
        file_ix.get(name).copied()
    };
    let mut engine_story_of: FxHashMap<ArticleId, usize> = FxHashMap::default();
    for (s, story) in engine.stories().iter().enumerate() {
        for &a in &story.versions {
            engine_story_of.insert(a, s);
        }
    }
    let mut articles_in_file: FxHashMap<u32, Vec<ArticleId>> = FxHashMap::default();
    for a in 0..corpus.articles.len() {
        if let Some(f) = file_of_article(a) {
            articles_in_file.entry(f).or_default().push(a);
        }
    }

    let mut report = String::new();
    let mut line = |s: String| {
        report.push_str(&s);
        report.push('\n');
    };

    // --- Story grouping, pairwise over gold articles.
    // Each gold article is matched to the engine article that covers most of its body.
    let mut labels: Vec<(usize, i64)> = Vec::new();
    let mut unmatched = Vec::new();
    let mut shared_article = Vec::new();
    let mut matched_to: FxHashMap<ArticleId, usize> = FxHashMap::default();
    for gf in &gold.files {
        let f = file_ix[gf.file.as_str()];
        for ga in &gf.articles {
            let s = story_ix[ga.story.as_str()];
            let gv = gold.stories[s]
                .versions
                .iter()
                .find(|v| v.file == gf.file && v.lines == ga.lines);
            let body = gv.map_or(ga.lines, |v| v.body);
            let best = articles_in_file
                .get(&f)
                .into_iter()
                .flatten()
                .map(|&a| {
                    let l = corpus.articles[a].lines;
                    let overlap = (l.last.min(body[1]) + 1).saturating_sub(l.first.max(body[0]));
                    (overlap, a)
                })
                .filter(|&(o, _)| o > 0)
                .max_by_key(|&(o, a)| (o, std::cmp::Reverse(a)));
            let label = match best.and_then(|(_, a)| engine_story_of.get(&a).map(|&es| (a, es))) {
                Some((a, es)) => {
                    if let Some(other) = matched_to.insert(a, s) {
                        shared_article.push(format!(
                            "{} {} holds {} and {}",
                            gf.file, corpus.articles[a].lines, gold.stories[other].id, ga.story
                        ));
                    }
                    es as i64
                }
                None => {
                    unmatched.push(format!("{} {:?} ({})", gf.file, ga.lines, ga.story));
                    -(labels.len() as i64) - 1
                }
            };
            labels.push((s, label));
        }
    }
    let grouping = pair_counts(&labels);
    line(format!("story grouping: {grouping}"));
    if !shared_article.is_empty() {
        line(format!(
            "  {} engine articles hold two gold articles (pasted story not split off): {:?}",
            shared_article.len(),
            &shared_article[..shared_article.len().min(8)]
        ));
    }
    if !unmatched.is_empty() {
        line(format!(
            "  {} gold articles have no engine article in any story, e.g. {:?}",
            unmatched.len(),
            &unmatched[..unmatched.len().min(5)]
        ));
    }
    let spurious: Vec<String> = (0..corpus.articles.len())
        .filter(|a| !matched_to.contains_key(a))
        .map(|a| {
            let art = &corpus.articles[a];
            let name = file_of_article(a).map_or("?", |f| gold.files[f as usize].file.as_str());
            format!(
                "{name} {} {:?}",
                art.lines,
                art.title.chars().take(40).collect::<String>()
            )
        })
        .collect();
    if !spurious.is_empty() {
        line(format!(
            "  {} engine articles match no gold article, e.g. {:?}",
            spurious.len(),
            &spurious[..spurious.len().min(8)]
        ));
    }
    let mut split_stories = Vec::new();
    let mut by_gold: BTreeMap<usize, FxHashSet<i64>> = BTreeMap::new();
    let mut by_pred: BTreeMap<i64, FxHashSet<usize>> = BTreeMap::new();
    for &(g, p) in &labels {
        by_gold.entry(g).or_default().insert(p);
        by_pred.entry(p).or_default().insert(g);
    }
    for (g, preds) in &by_gold {
        if preds.len() > 1 {
            split_stories.push(format!(
                "{} ({} versions) in {} engine stories",
                gold.stories[*g].id,
                gold.stories[*g].versions.len(),
                preds.len()
            ));
        }
    }
    let mixed: Vec<String> = by_pred
        .iter()
        .filter(|(_, gs)| gs.len() > 1)
        .map(|(p, gs)| {
            let mut ids: Vec<&str> = gs.iter().map(|&g| gold.stories[g].id.as_str()).collect();
            ids.sort_unstable();
            format!("engine story {p} holds {}", ids.join(" + "))
        })
        .collect();
    if !split_stories.is_empty() {
        line(format!(
            "  {} gold stories split: {:?}",
            split_stories.len(),
            &split_stories[..split_stories.len().min(8)]
        ));
    }
    if !mixed.is_empty() {
        line(format!(
            "  {} engine stories mix gold stories: {:?}",
            mixed.len(),
            &mixed[..mixed.len().min(8)]
        ));
    }

    // --- Paragraph pairs.
    let pairs = if !with_pairs {
        Counts::default()
    } else {
        let mut gold_paras: FxHashMap<Key, GoldPara<'_>> = FxHashMap::default();
        let mut gold_pairs: FxHashSet<(Key, Key)> = FxHashSet::default();
        for (s, story) in gold.stories.iter().enumerate() {
            for (v, version) in story.versions.iter().enumerate() {
                let f = file_ix[version.file.as_str()];
                for p in &version.paragraphs {
                    gold_paras.insert(
                        (f, p.line),
                        GoldPara {
                            story: s,
                            version: v,
                            edits: &p.edits,
                            blank_lines: version.blank_lines,
                            appended: version.appended,
                        },
                    );
                }
            }
            for (a, va) in story.versions.iter().enumerate() {
                for vb in &story.versions[a + 1..] {
                    let (fa, fb) = (file_ix[va.file.as_str()], file_ix[vb.file.as_str()]);
                    for pa in &va.paragraphs {
                        for pb in &vb.paragraphs {
                            if pa.groups.iter().any(|g| pb.groups.contains(g)) {
                                gold_pairs.insert(ordered((fa, pa.line), (fb, pb.line)));
                            }
                        }
                    }
                }
            }
        }

        let mut predicted: FxHashSet<(Key, Key)> = FxHashSet::default();
        // The same without the merged cells' links to the other rows they hold.
        let mut predicted_cells_only: FxHashSet<(Key, Key)> = FxHashSet::default();
        // Pairs between two cells that each hold several paragraphs: rows
        // joined because some version merged or split them.
        let mut joined: FxHashSet<(Key, Key)> = FxHashSet::default();
        let mut engine_body: FxHashSet<Key> = FxHashSet::default();
        let mut engine_lines: FxHashMap<Key, &str> = FxHashMap::default();
        for (s, story) in engine.stories().iter().enumerate() {
            let alignment = engine.alignment(s, story.central);
            let merged = alignment.merged_cells();
            for (r, row) in alignment.rows.iter().enumerate() {
                // (cell's paragraphs, held here through a merged cell's link)
                let mut cells: Vec<(Vec<Key>, bool)> = Vec::new();
                for (v, cell) in row.cells.iter().enumerate() {
                    let (cell, linked) = match (cell, merged.get(&(r, v))) {
                        (Some(c), _) => (c, false),
                        (None, Some(&k)) => match &alignment.rows[k].cells[v] {
                            Some(c) => (c, true),
                            None => continue,
                        },
                        (None, None) => continue,
                    };
                    let a = story.versions[v];
                    let Some(f) = file_of_article(a) else {
                        continue;
                    };
                    let article = &corpus.articles[a];
                    cells.push((
                        cell.paragraphs
                            .iter()
                            .map(|&i| {
                                let key = (f, article.paragraphs[i].lines.first);
                                engine_lines.insert(key, &*article.paragraphs[i].text);
                                key
                            })
                            .collect(),
                        linked,
                    ));
                }
                for (i, (ca, la)) in cells.iter().enumerate() {
                    for (cb, lb) in &cells[i + 1..] {
                        for &ka in ca {
                            for &kb in cb {
                                if ka.0 != kb.0 {
                                    predicted.insert(ordered(ka, kb));
                                    if !la && !lb {
                                        predicted_cells_only.insert(ordered(ka, kb));
                                    }
                                    if ca.len() > 1 && cb.len() > 1 {
                                        joined.insert(ordered(ka, kb));
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for &a in &story.versions {
                if let Some(f) = file_of_article(a) {
                    let article = &corpus.articles[a];
                    for i in article.body_indices() {
                        engine_body.insert((f, article.paragraphs[i].lines.first));
                    }
                }
            }
        }
        let tp = predicted.intersection(&gold_pairs).count() as u64;
        let pairs = Counts {
            tp,
            predicted: predicted.len() as u64,
            gold: gold_pairs.len() as u64,
        };
        line(format!("paragraph pairs: {pairs}"));
        let cells_only = Counts {
            tp: predicted_cells_only.intersection(&gold_pairs).count() as u64,
            predicted: predicted_cells_only.len() as u64,
            gold: gold_pairs.len() as u64,
        };
        line(format!(
            "  not counting merged cells' links to the other rows they hold: {cells_only}"
        ));
        let lenient = Counts {
            tp: predicted
                .iter()
                .filter(|p| gold_pairs.contains(p) && !joined.contains(p))
                .count() as u64,
            predicted: predicted.difference(&joined).count() as u64,
            gold: gold_pairs.difference(&joined).count() as u64,
        };
        line(format!(
            "  not counting pairs between two multi-paragraph cells ({} pairs): {lenient}",
            joined.len()
        ));

        // Why gold pairs were missed.
        let mut missed: BTreeMap<String, u64> = BTreeMap::new();
        let mut missed_examples: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for &(ka, kb) in gold_pairs.difference(&predicted) {
            let (pa, pb) = (&gold_paras[&ka], &gold_paras[&kb]);
            let cause = if !engine_body.contains(&ka) || !engine_body.contains(&kb) {
                "a paragraph is not a body paragraph of any engine story (segmentation)".to_owned()
            } else {
                let mut tags: Vec<&str> = pa.edits.iter().chain(pb.edits).copied().collect();
                tags.retain(|t| !matches!(*t, "typo" | "synonym"));
                if !pa.blank_lines || !pb.blank_lines {
                    tags.push("single-newline file");
                }
                if pa.appended || pb.appended {
                    tags.push("appended article");
                }
                tags.sort_unstable();
                tags.dedup();
                if tags.is_empty() {
                    "no structural edit".to_owned()
                } else {
                    tags.join("+")
                }
            };
            *missed.entry(cause.clone()).or_default() += 1;
            let ex = missed_examples.entry(cause).or_default();
            if ex.len() < 2 {
                ex.push(format!(
                    "{}:{} ~ {}:{} (story {})",
                    gold.files[ka.0 as usize].file,
                    ka.1,
                    gold.files[kb.0 as usize].file,
                    kb.1,
                    gold.stories[pa.story].id
                ));
            }
        }
        if !missed.is_empty() {
            line("  missed gold pairs by edits on the two paragraphs:".to_owned());
            let mut by_count: Vec<_> = missed.into_iter().collect();
            by_count.sort_by_key(|e| std::cmp::Reverse(e.1));
            for (cause, n) in by_count.iter().take(15) {
                line(format!(
                    "    {n:6}  {cause}  e.g. {:?}",
                    missed_examples[cause]
                ));
            }
        }

        // What the wrong pairs are.
        let mut wrong: BTreeMap<&str, u64> = BTreeMap::new();
        let mut wrong_examples: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for &(ka, kb) in predicted.difference(&gold_pairs) {
            let cause = match (gold_paras.get(&ka), gold_paras.get(&kb)) {
                (Some(a), Some(b)) if a.story != b.story => "paragraphs of different gold stories",
                (Some(a), Some(b)) if a.version == b.version => "two paragraphs of one version",
                (Some(_), Some(_)) if joined.contains(&(ka, kb)) => {
                    "different paragraphs of one story, both in multi-paragraph cells (rows joined)"
                }
                (Some(_), Some(_)) => "different paragraphs of one story",
                _ => "a paragraph that is not gold body text (furniture, caption, headline)",
            };
            *wrong.entry(cause).or_default() += 1;
            let ex = wrong_examples.entry(cause).or_default();
            if ex.len() < 2 {
                let show = |k: Key| {
                    let text = engine_lines.get(&k).copied().unwrap_or("");
                    format!(
                        "{}:{} {:?}",
                        gold.files[k.0 as usize].file,
                        k.1,
                        text.chars().take(50).collect::<String>()
                    )
                };
                ex.push(format!("{} ~ {}", show(ka), show(kb)));
            }
        }
        if !wrong.is_empty() {
            line("  wrong pairs:".to_owned());
            for (cause, n) in &wrong {
                line(format!(
                    "    {n:6}  {cause}  e.g. {:?}",
                    wrong_examples[cause]
                ));
            }
        }
        pairs
    };

    Evaluation {
        grouping,
        pairs,
        report,
    }
}

fn ordered(a: Key, b: Key) -> (Key, Key) {
    if a <= b { (a, b) } else { (b, a) }
}

/// Pairwise counts from (gold label, predicted label) per item.
fn pair_counts(labels: &[(usize, i64)]) -> Counts {
    let pairs = |n: u64| n * n.saturating_sub(1) / 2;
    let mut both: FxHashMap<(usize, i64), u64> = FxHashMap::default();
    let mut gold: FxHashMap<usize, u64> = FxHashMap::default();
    let mut pred: FxHashMap<i64, u64> = FxHashMap::default();
    for &(g, p) in labels {
        *both.entry((g, p)).or_default() += 1;
        *gold.entry(g).or_default() += 1;
        *pred.entry(p).or_default() += 1;
    }
    Counts {
        tp: both.values().map(|&n| pairs(n)).sum(),
        predicted: pred.values().map(|&n| pairs(n)).sum(),
        gold: gold.values().map(|&n| pairs(n)).sum(),
    }
}

fn generate_and_open(opts: &GenOptions) -> (Generated, Engine, tempfile::TempDir) {
    let generated = corpus_gen::generate(opts);
    let dir = tempfile::tempdir().expect("temp dir");
    generated.write_to(dir.path()).expect("write corpus");
    let engine =
        Engine::open(&[dir.path().to_path_buf()], Settings::default()).expect("open corpus");
    (generated, engine, dir)
}

fn check_targets(name: &str, opts: &GenOptions) {
    let (generated, engine, _dir) = generate_and_open(opts);
    let ev = evaluate(&generated, &engine, true);
    let report = format!(
        "--- {name}: {} files, {} gold stories, {} engine stories\n{}",
        generated.files.len(),
        generated.gold.stories.len(),
        engine.stories().len(),
        ev.report
    );
    let ok =
        ev.grouping.precision() >= 0.99 && ev.grouping.recall() >= 0.99 && ev.pairs.f1() >= 0.95;
    assert!(
        ok,
        "targets are grouping precision and recall ≥ 0.99, paragraph-pair F1 ≥ 0.95\n{report}"
    );
    eprintln!("{report}");
}

#[test]
fn five_versions_meet_the_targets() {
    check_targets(
        "12 stories × 5 versions",
        &GenOptions {
            stories: 12,
            versions: 5,
            seed: 11,
            ..GenOptions::default()
        },
    );
}

#[test]
fn twenty_versions_meet_the_targets() {
    check_targets(
        "6 stories × 20 versions",
        &GenOptions {
            stories: 6,
            versions: 20,
            seed: 12,
            ..GenOptions::default()
        },
    );
}

/// Many stories, a quarter of the files with a second story pasted in: the
/// grouping alone, where false merges between stories would show.
#[test]
fn many_stories_group_correctly() {
    let opts = GenOptions {
        stories: 80,
        versions: 4,
        seed: 21,
        ..GenOptions::default()
    };
    let (generated, engine, _dir) = generate_and_open(&opts);
    let ev = evaluate(&generated, &engine, false);
    eprintln!(
        "--- 80 stories × 4 versions: {} files, {} gold stories, {} engine stories\n{}",
        generated.files.len(),
        generated.gold.stories.len(),
        engine.stories().len(),
        ev.report
    );
    assert!(
        ev.grouping.precision() >= 0.99 && ev.grouping.recall() >= 0.99,
        "target is grouping precision and recall ≥ 0.99\n{}",
        ev.report
    );
}

/// The gold must describe the files as written, or every score above is moot.
#[test]
fn gold_matches_the_files() {
    let opts = GenOptions {
        stories: 8,
        versions: 6,
        seed: 5,
        ..GenOptions::default()
    };
    let generated = corpus_gen::generate(&opts);
    let texts: FxHashMap<&str, Vec<&str>> = generated
        .files
        .iter()
        .map(|f| (f.name.as_str(), f.text.lines().collect()))
        .collect();
    check_gold(&generated.gold, &texts);
    assert_eq!(generated.files.len(), 48);
    assert!(generated.gold.stories.iter().any(|s| s.one_off));
    assert!(
        generated
            .gold
            .stories
            .iter()
            .flat_map(|s| &s.versions)
            .any(|v| !v.blank_lines)
    );
}

fn check_gold(gold: &Gold, texts: &FxHashMap<&str, Vec<&str>>) {
    for f in &gold.files {
        let lines = &texts[f.file.as_str()];
        let mut prev_end = 0;
        for (i, a) in f.articles.iter().enumerate() {
            assert!(a.lines[0] > prev_end && a.lines[0] <= a.lines[1]);
            if i > 0 {
                // A pasted story follows two or more blank lines.
                let before = &lines[..a.lines[0] as usize - 1];
                assert!(
                    before.iter().rev().take(2).all(|l| l.is_empty()),
                    "{}",
                    f.file
                );
            }
            prev_end = a.lines[1];
        }
    }
    for story in &gold.stories {
        let n_versions = story.versions.len();
        assert!(n_versions >= 1);
        for v in &story.versions {
            let lines = &texts[v.file.as_str()];
            assert!(v.lines[0] <= v.body[0] && v.body[1] == v.lines[1]);
            for p in &v.paragraphs {
                let text = lines[p.line as usize - 1];
                assert!(
                    text.split(' ').count() >= 5,
                    "{}:{} {text:?}",
                    v.file,
                    p.line
                );
                assert!(!p.groups.is_empty());
                assert!(v.body[0] <= p.line && p.line <= v.body[1]);
            }
        }
        for g in &story.groups {
            for m in &g.members {
                let v = story
                    .versions
                    .iter()
                    .find(|v| v.file == m.file)
                    .expect("member's version");
                let p = v
                    .paragraphs
                    .iter()
                    .find(|p| p.line == m.line)
                    .expect("member's paragraph");
                assert!(p.groups.contains(&g.group));
                assert_eq!(m.merged_with.len() + 1, p.groups.len());
            }
        }
    }
}

#[test]
fn generator_is_deterministic_for_a_seed() {
    let opts = GenOptions {
        stories: 5,
        versions: 4,
        seed: 9,
        ..GenOptions::default()
    };
    let a = corpus_gen::generate(&opts);
    let b = corpus_gen::generate(&opts);
    let c = corpus_gen::generate(&GenOptions { seed: 10, ..opts });
    let texts = |g: &Generated| -> Vec<(String, String)> {
        g.files
            .iter()
            .map(|f| (f.name.clone(), f.text.clone()))
            .collect()
    };
    assert_eq!(texts(&a), texts(&b));
    assert_eq!(
        serde_json::to_string(&a.gold).ok(),
        serde_json::to_string(&b.gold).ok()
    );
    assert_ne!(texts(&a), texts(&c));
}

/// Stories must not share paragraphs, or grouping precision would be capped by the data.
#[test]
fn stories_share_no_sentences() {
    let generated = corpus_gen::generate(&GenOptions {
        stories: 60,
        versions: 1,
        seed: 3,
        edits: 0.0,
        furniture: 0.0,
        append: 0.0,
        ..GenOptions::default()
    });
    let mut owner: FxHashMap<String, &str> = FxHashMap::default();
    let texts: FxHashMap<&str, &str> = generated
        .files
        .iter()
        .map(|f| (f.name.as_str(), &*f.text))
        .collect();
    for story in &generated.gold.stories {
        for v in &story.versions {
            let lines: Vec<&str> = texts[v.file.as_str()].lines().collect();
            for p in &v.paragraphs {
                let key: String = lines[p.line as usize - 1]
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .flat_map(char::to_lowercase)
                    .collect();
                if let Some(other) = owner.insert(key, story.id.as_str()) {
                    assert_eq!(
                        other, story.id,
                        "a paragraph of {} is also in {other}",
                        story.id
                    );
                }
            }
        }
    }
}
