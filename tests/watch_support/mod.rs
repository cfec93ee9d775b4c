//! Shared helpers for the watch tests: synthetic corpora written to a temp
//! folder, and waiting with generous bounds.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A small deterministic generator (xorshift64), so runs are comparable.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const COMMON: [&str; 12] = [
    "the", "of", "and", "to", "in", "a", "said", "that", "with", "on", "for", "was",
];

fn word(rng: &mut Rng) -> String {
    if rng.below(3) == 0 {
        COMMON[rng.below(COMMON.len())].to_owned()
    } else {
        format!("w{}", rng.below(40_000))
    }
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s: Vec<String> = (0..words).map(|_| word(rng)).collect();
    if let Some(first) = s.first_mut() {
        *first = format!("Said{first}");
    }
    format!("{}.", s.join(" "))
}

/// The text of one story's base version: a headline and paragraphs.
pub fn story_text(seed: u64, paragraphs: usize) -> (String, Vec<String>) {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let title = format!("Story {seed} {}", sentence(&mut rng, 6));
    let paras = (0..paragraphs)
        .map(|_| {
            let n = 25 + rng.below(35);
            sentence(&mut rng, n)
        })
        .collect();
    (title, paras)
}

/// A version of a story: some paragraphs dropped, a few words changed.
pub fn version_text(seed: u64, version: u64, paragraphs: usize) -> String {
    let (title, paras) = story_text(seed, paragraphs);
    let mut rng = Rng((seed << 8 | version).wrapping_mul(0x2545_F491_4F6C_DD1D) | 1);
    let mut out = format!("{title}\n\n");
    for p in paras {
        if version > 0 && rng.below(12) == 0 {
            continue;
        }
        let mut words: Vec<String> = p.split(' ').map(str::to_owned).collect();
        if version > 0 {
            for _ in 0..2 {
                let i = rng.below(words.len());
                words[i] = format!("v{version}x{}", rng.below(1000));
            }
        }
        out.push_str(&words.join(" "));
        out.push_str("\n\n");
    }
    out
}

/// Write `stories` stories of `versions` versions each into `dir`, one file a
/// version, in `folders` subfolders. Returns the paths written.
pub fn write_corpus(dir: &Path, stories: u64, versions: u64, folders: u64) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for s in 0..stories {
        let sub = dir.join(format!("f{:02}", s % folders.max(1)));
        std::fs::create_dir_all(&sub).expect("create folder");
        for v in 0..versions {
            let p = sub.join(format!("s{s:05}_v{v}.txt"));
            std::fs::write(&p, version_text(s, v, 12)).expect("write file");
            paths.push(p);
        }
    }
    paths
}

/// Wait until `check` holds, for at most `limit`; whether it did.
pub fn wait_for(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    check()
}

/// The file in `root` whose name starts with `prefix` ("000" for the sample's
/// `000_….txt`).
pub fn file_named(root: &Path, prefix: &str) -> PathBuf {
    std::fs::read_dir(root)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .expect("file present")
}
