//! Fuzz target `decide`: arbitrary bytes as one conversation, decided by
//! the bundled rules of `rules/`. Deciding never panics: the answer is a
//! decision or an input error (E04xx), both serialize, and every path
//! through the runtime (explained, routed by the index, `first_match`)
//! decides the same.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    baton_fuzz::bundled();
    if let Ok(text) = std::str::from_utf8(bytes) {
        baton_fuzz::decide_text(text);
    }
});
