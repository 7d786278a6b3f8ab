//! A fast hash for tables keyed by short words and values (rule lookups,
//! word lists) and for the compiler's tables of nodes and constants: the
//! keys come from the rule files or are never stored, so no conversation
//! can crowd a table, and the standard hash's protection is not needed.

use std::hash::{BuildHasherDefault, Hasher};

/// FxHash: a multiply and a rotate per eight bytes.
#[derive(Clone, Copy, Default)]
pub struct Fx(u64);

const K: u64 = 0x517c_c1b7_2722_0a95;

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hash map with [`Fx`].
pub type FxMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<Fx>>;
