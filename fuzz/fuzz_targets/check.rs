//! Fuzz target `check`: arbitrary bytes as one rule file. Checking never
//! panics; the file reads to the same items and diagnostics with and
//! without the direct reader of rules and tests; every diagnostic points
//! inside the file, on character boundaries, and renders (plain, human,
//! JSON) without panicking; a file that checks clean compiles, decides a
//! fixed conversation the same way with and without an explanation, and
//! runs its own `test` blocks.
//!
//! Bytes that are not UTF-8 are read the way a person's editor would show
//! them (each bad byte as U+FFFD): the loader reports such a file (E0107)
//! without checking it, so this checks the text that file would become
//! once saved as UTF-8.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    baton_fuzz::check_text("rules/fuzz.baton", &text);
});
