//! What the benchmarks share: finding the data, and timing a pass.

#![allow(dead_code)]

use std::path::Path;
use std::time::{Duration, Instant};

/// The text of `../shared/data/{shared}` when it is there (the whole data
/// set), else of `tests/data/{local}` (the copy in this repository).
pub fn data(shared: &str, local: &str) -> (String, String) {
    let path = [
        format!("../shared/data/{shared}"),
        format!("tests/data/{local}"),
    ]
    .into_iter()
    .find(|p| Path::new(p).exists())
    .expect("data file");
    let text = std::fs::read_to_string(&path).expect("readable");
    (path, text)
}

/// The fastest of at least `runs` passes and `seconds` of passes, after one
/// warm-up pass. What a pass returns is dropped after its time is taken.
pub fn best<T>(runs: usize, seconds: u64, mut pass: impl FnMut() -> T) -> Duration {
    drop(pass());
    let started = Instant::now();
    let mut fastest = Duration::MAX;
    let mut done = 0;
    while done < runs || started.elapsed() < Duration::from_secs(seconds) {
        let t = Instant::now();
        let out = pass();
        fastest = fastest.min(t.elapsed());
        drop(out);
        done += 1;
    }
    fastest
}

/// The fastest pass of each of `passes`, timed in turns (one pass of each
/// per round) for at least `rounds` rounds and `seconds` seconds, after one
/// warm-up round. On a shared machine a slow spell then slows a pass of
/// every kind, not all passes of one kind, so ratios between them hold.
pub fn best_in_turns(
    rounds: usize,
    seconds: u64,
    passes: &mut [&mut dyn FnMut()],
) -> Vec<Duration> {
    for pass in passes.iter_mut() {
        pass();
    }
    let started = Instant::now();
    let mut fastest = vec![Duration::MAX; passes.len()];
    let mut done = 0;
    while done < rounds || started.elapsed() < Duration::from_secs(seconds) {
        for (pass, best) in passes.iter_mut().zip(&mut fastest) {
            let t = Instant::now();
            pass();
            *best = (*best).min(t.elapsed());
        }
        done += 1;
    }
    fastest
}
