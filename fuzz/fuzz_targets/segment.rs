//! Any bytes, decoded as a file is: segmentation never panics and accounts
//! for every non-blank line.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok((text, _)) = storydiff::corpus::load::decode(data) {
        let drafts = common::segmenter().segment(&text);
        common::check_segmentation(&text, &drafts);
    }
});
