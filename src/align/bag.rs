//! Word bags: a paragraph's normalised words as interned ids with counts,
//! sorted by id, so that overlaps are a linear merge. Comparisons weigh each
//! word by its rarity in the story ([`idf`]): "the" and "of" say little about
//! which paragraphs are counterparts, names and rare words say much.

use crate::text::{self, Interner};

/// `(word id, count)` pairs sorted by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Bag {
    items: Vec<(u32, u32)>,
    len: u32,
}

impl Bag {
    pub(crate) fn of_text(s: &str, interner: &mut Interner) -> Bag {
        // The keys of `text::words` normalised, without making the tokens.
        // Room for every word up front (a word and its space take at least
        // two bytes), and bare ids sorted and counted in runs: growing the
        // list and sorting pairs was a tenth of aligning a long story.
        let mut ids: Vec<u32> = Vec::with_capacity(s.len() / 2 + 1);
        text::for_each_normalized_word(s, |w| ids.push(interner.intern(w)));
        Bag::of_ids(ids)
    }

    /// The bag of a paragraph's word ids, in any order.
    pub(crate) fn of_ids(mut ids: Vec<u32>) -> Bag {
        ids.sort_unstable();
        let mut items: Vec<(u32, u32)> = Vec::with_capacity(ids.len());
        for &id in &ids {
            match items.last_mut() {
                Some((last, n)) if *last == id => *n += 1,
                _ => items.push((id, 1)),
            }
        }
        Bag {
            items,
            len: ids.len() as u32,
        }
    }

    /// The sum of several bags, in one sort rather than a union at a time.
    pub(crate) fn sum<'a>(bags: impl IntoIterator<Item = &'a Bag>) -> Bag {
        Bag::of_counts(
            bags.into_iter()
                .flat_map(|b| b.items.iter().copied())
                .collect(),
        )
    }

    fn of_counts(mut pairs: Vec<(u32, u32)>) -> Bag {
        pairs.sort_unstable_by_key(|&(id, _)| id);
        let mut items: Vec<(u32, u32)> = Vec::with_capacity(pairs.len());
        for (id, n) in pairs {
            match items.last_mut() {
                Some((last, m)) if *last == id => *m += n,
                _ => items.push((id, n)),
            }
        }
        let len = items.iter().map(|&(_, n)| n).sum();
        Bag { items, len }
    }

    /// Number of words, repeats counted.
    pub(crate) fn len(&self) -> u32 {
        self.len
    }

    pub(crate) fn items(&self) -> &[(u32, u32)] {
        &self.items
    }

    /// Words both bags hold, repeats counted as often as both have them,
    /// each word weighted.
    pub(crate) fn overlap(&self, other: &Bag, w: &[f32]) -> f32 {
        let (a, b) = (&self.items, &other.items);
        let (mut i, mut j, mut n) = (0, 0, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    n += a[i].1.min(b[j].1) as f32 * weight(w, a[i].0);
                    i += 1;
                    j += 1;
                }
            }
        }
        n
    }

    /// The bag's weighted size.
    pub(crate) fn mass(&self, w: &[f32]) -> f32 {
        self.items
            .iter()
            .map(|&(id, n)| n as f32 * weight(w, id))
            .sum()
    }

    /// Weighted Dice similarity, 0 to 1; two empty bags are identical.
    pub(crate) fn dice(&self, other: &Bag, w: &[f32]) -> f32 {
        let total = self.mass(w) + other.mass(w);
        if total <= 0.0 {
            return 1.0;
        }
        2.0 * self.overlap(other, w) / total
    }

    /// Weighted share of this bag's words found in `other`.
    pub(crate) fn contained_in(&self, other: &Bag, w: &[f32]) -> f32 {
        let m = self.mass(w);
        if m <= 0.0 {
            return 0.0;
        }
        self.overlap(other, w) / m
    }

    /// This bag's words less those in `other`.
    pub(crate) fn minus(&self, other: &Bag) -> Bag {
        self.combine(other, |x, y| x.saturating_sub(y))
    }

    fn combine(&self, other: &Bag, f: impl Fn(u32, u32) -> u32) -> Bag {
        let (a, b) = (&self.items, &other.items);
        let mut items = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            let (id, x, y) = match (a.get(i), b.get(j)) {
                (Some(&(ia, x)), Some(&(ib, y))) if ia == ib => {
                    i += 1;
                    j += 1;
                    (ia, x, y)
                }
                (Some(&(ia, x)), Some(&(ib, _))) if ia < ib => {
                    i += 1;
                    (ia, x, 0)
                }
                (Some(&(ia, x)), None) => {
                    i += 1;
                    (ia, x, 0)
                }
                (_, Some(&(ib, y))) => {
                    j += 1;
                    (ib, 0, y)
                }
                (None, None) => break,
            };
            let n = f(x, y);
            if n > 0 {
                items.push((id, n));
            }
        }
        let len = items.iter().map(|&(_, n)| n).sum();
        Bag { items, len }
    }
}

fn weight(w: &[f32], id: u32) -> f32 {
    w.get(id as usize).copied().unwrap_or(1.0)
}

/// In how many of `bags` each word occurs, and how many bags there are.
pub(crate) fn doc_freq<'a>(bags: impl Iterator<Item = &'a Bag>, words: usize) -> (Vec<u32>, u32) {
    let mut df = vec![0u32; words];
    let mut n = 0u32;
    for b in bags {
        n += 1;
        for &(id, _) in &b.items {
            if let Some(d) = df.get_mut(id as usize) {
                *d += 1;
            }
        }
    }
    (df, n)
}

/// Inverse document frequency of every word over the story's body
/// paragraphs (all versions), from [`doc_freq`]: ln(N / df), at least a small
/// floor so that a word every paragraph has still counts a little.
pub(crate) fn idf(df: &[u32], n: u32) -> Vec<f32> {
    const FLOOR: f32 = 0.1;
    df.iter()
        .map(|&d| {
            if d == 0 {
                1.0
            } else {
                (n as f32 / d as f32).ln().max(FLOOR)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_minus() {
        let mut i = Interner::new();
        let a = Bag::of_text("the cat saw the dog", &mut i);
        let b = Bag::of_text("The dog saw a cat, the end", &mut i);
        let w = vec![1.0; i.len()];
        assert_eq!(a.len(), 5);
        assert_eq!(a.overlap(&b, &w), 5.0);
        assert_eq!(b.minus(&a).len(), 2);
        assert!((a.dice(&b, &w) - 10.0 / 12.0).abs() < 1e-6);
        assert_eq!(a.contained_in(&b, &w), 1.0);
    }

    #[test]
    fn rare_words_weigh_more() {
        let mut i = Interner::new();
        let bags: Vec<Bag> = ["the cat", "the dog", "the cow", "the hen"]
            .iter()
            .map(|t| Bag::of_text(t, &mut i))
            .collect();
        let (df, n) = doc_freq(bags.iter(), i.len());
        let w = idf(&df, n);
        let the = bags[0].minus(&bags[0].minus(&bags[1]));
        assert!(the.mass(&w) < bags[0].minus(&the).mass(&w));
        assert!(bags[0].dice(&bags[1], &w) < 0.2);
    }
}
