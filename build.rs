//! Link settings Cargo.toml cannot express, and the build's identity.
//!
//! `STORYDIFF_BUILD_ID` is a hash of the sources and the locked
//! dependencies: the model cache (`src/cache.rs`) keys what it keeps by it,
//! so that a build never reuses a model another build made.
//!
//! On Linux with glibc the `storydiff` binary is linked at a fixed address
//! (`-no-pie`). A position-independent executable makes the dynamic loader
//! apply some 21,700 relocations at every start and write to the pages they
//! fall on: half a millisecond of each run, a fifth of a `storydiff diff` of
//! two news articles (see docs/benchmarks.md, "Sixth pass"). What is given
//! up is the random placement of the program's own code; the libraries,
//! heap and stack are still placed at random. The library, the examples and
//! the tests are linked as before.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=src");
    println!("cargo::rerun-if-changed=Cargo.lock");
    let mut files = Vec::new();
    collect(std::path::Path::new("src"), &mut files);
    files.push("Cargo.lock".into());
    files.sort();
    // FNV-1a over each file's path and bytes: a build script has no crates.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for f in &files {
        let bytes = std::fs::read(f).unwrap_or_default();
        for b in f.to_string_lossy().bytes().chain(bytes) {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo::rustc-env=STORYDIFF_BUILD_ID={hash:016x}");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}
