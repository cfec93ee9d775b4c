//! Link settings Cargo.toml cannot express.
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
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}
