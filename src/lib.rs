//! storydiff: find the versions of each story in a folder of articles, align
//! their paragraphs, and classify every wording change.
//!
//! The pipeline runs one way, one module a stage:
//! files → articles ([`corpus`]) → stories ([`cluster`]) → alignment
//! ([`align`]) → word changes ([`diff`]) → exports ([`export`]).
//! [`engine`] ties the stages together and caches their results. The core
//! modules know nothing of terminals; [`cli`] and [`tui`] are the two fronts.

pub mod align;
pub mod cache;
pub mod cli;
pub mod cluster;
pub mod config;
pub mod corpus;
pub mod diff;
pub mod engine;
pub mod export;
pub mod fsutil;
pub mod memory;
pub mod model;
pub mod sample;
pub mod sanitize;
pub mod state;
mod sync;
pub mod text;
pub mod tui;
mod unionfind;
pub mod watch;
