//! Shared by the `export_*` tests: the sample corpus's Iran story, and a
//! corpus whose text is hostile to HTML and Markdown.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use storydiff::engine::{Engine, Settings};
use storydiff::model::VersionIx;

/// The engine on `assets/corpus`.
pub fn sample() -> Engine {
    Engine::open(&[PathBuf::from("assets/corpus")], Settings::default())
        .expect("the sample corpus loads")
}

/// The version of `story` that is the first article of the file whose name starts with `prefix`.
pub fn version_in(engine: &Engine, story: usize, prefix: &str) -> Option<VersionIx> {
    (0..engine.story(story).versions.len()).find(|&v| {
        let a = engine.version(story, v);
        a.index_in_file == 0
            && engine
                .version_path(story, v)
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
    })
}

/// The Iran–China story with its versions from files 000 and 003.
pub fn iran(engine: &Engine) -> (usize, VersionIx, VersionIx) {
    for s in 0..engine.stories().len() {
        if let (Some(b), Some(o)) = (version_in(engine, s, "000_"), version_in(engine, s, "003_")) {
            if engine.story(s).title.contains("Iran") || engine.version(s, b).title.contains("Iran")
            {
                return (s, b, o);
            }
        }
    }
    panic!("no story holds both 000 and 003 with 'Iran' in its title");
}

pub const HOSTILE_TITLE: &str = "Tom & Jerry <b>sign</b> the \"deal\"";

/// Two versions of a story whose text is full of HTML and Markdown, in `dir`.
pub fn write_hostile(dir: &Path) {
    let para = |n: usize| {
        format!(
            "Paragraph {n} of the story says that the committee met on Tuesday in the capital \
             to discuss the budget for the coming year, and members argued about item {n}."
        )
    };
    let mut a = vec![HOSTILE_TITLE.to_owned()];
    let mut b = vec![HOSTILE_TITLE.to_owned()];
    for n in 1..=8 {
        a.push(para(n));
        b.push(para(n));
    }
    a.insert(3, "The minister wrote <script>alert(\"pwned\")</script> & left; see [link](http://example.com) and <img src=x onerror=alert(1)> for *details* here.".to_owned());
    b.insert(3, "The minister typed <script>alert(\"pwned\")</script> & left; see [link](http://example.com) and <img src=x onerror=alert(1)> for **details** here.".to_owned());
    a.insert(6, "A paragraph only the first version has, with </td></tr></table> & &amp; inside it for good measure.".to_owned());
    b.push("# Not a heading, - not a list, 1. not a list and `not code` with ~~no strike~~ & | pipes |.".to_owned());
    std::fs::write(dir.join("a.txt"), a.join("\n\n") + "\n").expect("write a.txt");
    std::fs::write(dir.join("b.txt"), b.join("\n\n") + "\n").expect("write b.txt");
}

/// The engine on the hostile corpus and its one story with both files.
pub fn hostile(dir: &Path) -> (Engine, usize, VersionIx, VersionIx) {
    write_hostile(dir);
    let engine =
        Engine::open(&[dir.to_path_buf()], Settings::default()).expect("hostile corpus loads");
    for s in 0..engine.stories().len() {
        if let (Some(b), Some(o)) = (version_in(&engine, s, "a."), version_in(&engine, s, "b.")) {
            return (engine, s, b, o);
        }
    }
    panic!("the two hostile files were not taken for one story");
}
