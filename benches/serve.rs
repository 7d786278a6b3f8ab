//! `baton serve` under load, as a platform calls it: many keep-alive
//! connections posting real conversations to `/v1/decide`.
//!
//! Three measurements, each printed as a table row for `docs/performance.md`:
//! requests per second with p50/p99 latency at several connection counts;
//! the time from saving a rule file to the first decision by the new
//! ruleset; and the requests that failed while the rules were reloaded 100
//! times under load. The load generator is in this file (plain blocking
//! sockets, one thread per connection), so it shares the machine's cores
//! with the server: the numbers are a floor for a server with its own
//! machine. `scripts/bench-serve` also runs `oha`, an independent load
//! generator, against the same server.
//!
//! `cargo bench --bench serve`; `BATON_BENCH_SECONDS` sets each load
//! phase's length (default 10).

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn main() {
    let seconds = std::env::var("BATON_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let (corpus, text) = common::data("conversations.jsonl", "conversations-slice.jsonl");
    let bodies: Arc<Vec<Vec<u8>>> = Arc::new(
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.as_bytes().to_vec())
            .collect(),
    );
    let mean = bodies.iter().map(Vec::len).sum::<usize>() / bodies.len();
    println!(
        "corpus: {corpus}, {} conversations, {mean} bytes on average",
        bodies.len()
    );

    let rules = copy_rules();
    let server = Server::start(&rules);
    println!(
        "server: {} (rules copied to {})",
        server.address,
        rules.display()
    );

    println!("\n| connections | requests/s | p50 | p99 | p99.9 | failed |");
    println!("|---|---|---|---|---|---|");
    for connections in [1, 4, 16, 64] {
        let run = Load::start(&server.address, "/v1/decide", connections, &bodies);
        std::thread::sleep(Duration::from_secs(seconds));
        let done = run.stop();
        println!(
            "| {connections} | {:.0} | {} | {} | {} | {} |",
            done.per_second(),
            micros(done.quantile(0.50)),
            micros(done.quantile(0.99)),
            micros(done.quantile(0.999)),
            done.failed
        );
    }

    // The same conversations, 100 to a request.
    let batches: Arc<Vec<Vec<u8>>> = Arc::new(
        bodies
            .chunks_exact(100)
            .map(|chunk| {
                let mut batch = b"[".to_vec();
                batch.extend(chunk.join(&b","[..]));
                batch.push(b']');
                batch
            })
            .collect(),
    );
    println!("\n| batches of 100, connections | decisions/s | p50 | p99 | failed |");
    println!("|---|---|---|---|---|");
    for connections in [2, 4] {
        let run = Load::start(&server.address, "/v1/decide/batch", connections, &batches);
        std::thread::sleep(Duration::from_secs(seconds));
        let done = run.stop();
        println!(
            "| {connections} | {:.0} | {} | {} | {} |",
            done.per_second() * 100.0,
            micros(done.quantile(0.50)),
            micros(done.quantile(0.99)),
            done.failed
        );
    }

    reloads_under_load(&server, &rules, &bodies);
}

/// Saves a rule file 100 times, half in place and half by renaming a
/// temporary file over it, while 16 connections keep asking for decisions.
fn reloads_under_load(server: &Server, rules: &Path, bodies: &Arc<Vec<Vec<u8>>>) {
    let file = rules.join("50-routine.baton");
    let original = std::fs::read_to_string(&file).expect("bundled rule file");
    let run = Load::start(&server.address, "/v1/decide", 16, bodies);
    let mut waits = Vec::new();
    let mut hash = server.ruleset_hash();
    for i in 0..100 {
        let text = format!("{original}\n# saved {i}\n");
        let saved = Instant::now();
        if i % 2 == 0 {
            std::fs::write(&file, text).expect("writes in place");
        } else {
            let temporary = rules.join(".50-routine.baton.swp");
            std::fs::write(&temporary, text).expect("writes the temporary file");
            std::fs::rename(&temporary, &file).expect("renames over the rule file");
        }
        let started = Instant::now();
        let new = loop {
            let now = server.ruleset_hash();
            if now != hash {
                break now;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "save {i} was never loaded"
            );
            std::thread::sleep(Duration::from_millis(1));
        };
        // The first decision the load made with the new rules.
        let first = loop {
            if let Some(at) = run.first_seen(&new) {
                break at;
            }
            std::thread::sleep(Duration::from_millis(1));
        };
        waits.push(first.saturating_duration_since(saved));
        hash = new;
        // Let each ruleset serve for a while before the next save.
        std::thread::sleep(Duration::from_millis(50));
    }
    let done = run.stop();
    waits.sort();
    println!("\n| reloads | save to first decision: p50 | p99 | max | requests | failed |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| {} | {} | {} | {} | {} | {} |",
        waits.len(),
        millis(waits[waits.len() / 2]),
        millis(waits[waits.len() * 99 / 100]),
        millis(waits[waits.len() - 1]),
        done.latencies.len() as u64 + done.failed,
        done.failed
    );
}

/// The bundled rules, copied so the benchmark can rewrite them.
fn copy_rules() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("baton-bench-serve-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    for entry in std::fs::read_dir("rules").expect("the bundled rules") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "baton") {
            std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copies");
        }
    }
    dir
}

/// A running `baton serve`, stopped when dropped.
struct Server {
    child: Child,
    address: String,
}

impl Server {
    fn start(rules: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_baton"))
            .args(["serve", "--rules"])
            .arg(rules)
            .args(["--listen", "127.0.0.1:0", "--log-format", "json"])
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("baton serve starts");
        let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let address = loop {
            let line = lines
                .next()
                .expect("the server says where it listens")
                .expect("readable log");
            let event: serde_json::Value = serde_json::from_str(&line).expect("a JSON log line");
            if event["fields"]["message"] == "listening" {
                break event["fields"]["address"]
                    .as_str()
                    .expect("an address")
                    .to_string();
            }
        };
        // Keep draining the log so the server never blocks writing it.
        std::thread::spawn(move || lines.for_each(drop));
        Server { child, address }
    }

    fn ruleset_hash(&self) -> String {
        let mut connection = Connection::open(&self.address).expect("connects");
        let (status, body) = connection.send("GET", "/v1/ruleset", b"").expect("answers");
        assert_eq!(status, 200);
        hash_in(&body).expect("a ruleset hash")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One keep-alive HTTP/1.1 connection.
struct Connection {
    reader: BufReader<TcpStream>,
    head: String,
}

impl Connection {
    fn open(address: &str) -> std::io::Result<Connection> {
        let stream = TcpStream::connect(address)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        Ok(Connection {
            reader: BufReader::new(stream),
            head: format!("Host: {address}\r\nContent-Type: application/json\r\n"),
        })
    }

    /// Sends one request and reads its whole answer: the status and body.
    fn send(&mut self, method: &str, path: &str, body: &[u8]) -> std::io::Result<(u16, Vec<u8>)> {
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\n{}Content-Length: {}\r\n\r\n",
            self.head,
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(body);
        self.reader.get_mut().write_all(&request)?;

        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("not a status line: {line:?}")))?;
        let mut length = 0;
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().map_err(std::io::Error::other)?;
            }
        }
        let mut answer = vec![0; length];
        self.reader.read_exact(&mut answer)?;
        Ok((status, answer))
    }
}

/// The `"ruleset":"sha256:..."` value in an answer.
fn hash_in(body: &[u8]) -> Option<String> {
    const KEY: &[u8] = b"\"ruleset\":\"";
    let start = body.windows(KEY.len()).position(|w| w == KEY)? + KEY.len();
    let end = start + body[start..].iter().position(|&b| b == b'"')?;
    Some(String::from_utf8_lossy(&body[start..end]).into_owned())
}

/// Connections posting conversations until stopped.
struct Load {
    stop: Arc<AtomicBool>,
    started: Instant,
    threads: Vec<std::thread::JoinHandle<(Vec<Duration>, u64)>>,
    first_seen: Arc<Mutex<HashMap<String, Instant>>>,
}

/// What a load run measured.
struct Done {
    latencies: Vec<Duration>,
    failed: u64,
    elapsed: Duration,
}

impl Load {
    fn start(address: &str, path: &str, connections: usize, bodies: &Arc<Vec<Vec<u8>>>) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let first_seen = Arc::new(Mutex::new(HashMap::new()));
        let next = Arc::new(AtomicU64::new(0));
        let threads = (0..connections)
            .map(|_| {
                let (stop, first_seen, next, bodies) = (
                    stop.clone(),
                    first_seen.clone(),
                    next.clone(),
                    bodies.clone(),
                );
                let (address, path) = (address.to_string(), path.to_string());
                std::thread::spawn(move || {
                    let mut latencies = Vec::with_capacity(1 << 16);
                    let mut failed = 0;
                    let mut connection = None;
                    let mut last_hash = String::new();
                    while !stop.load(Ordering::Relaxed) {
                        if connection.is_none() {
                            match Connection::open(&address) {
                                Ok(c) => connection = Some(c),
                                Err(_) => {
                                    failed += 1;
                                    continue;
                                }
                            }
                        }
                        let Some(open) = connection.as_mut() else {
                            continue;
                        };
                        let i = next.fetch_add(1, Ordering::Relaxed) as usize % bodies.len();
                        let sent = Instant::now();
                        match open.send("POST", &path, &bodies[i]) {
                            Ok((200, body)) => {
                                let at = Instant::now();
                                latencies.push(at - sent);
                                if let Some(hash) = hash_in(&body)
                                    && hash != last_hash
                                {
                                    first_seen
                                        .lock()
                                        .expect("lock")
                                        .entry(hash.clone())
                                        .or_insert(at);
                                    last_hash = hash;
                                }
                            }
                            Ok(_) => failed += 1,
                            Err(_) => {
                                failed += 1;
                                connection = None;
                            }
                        }
                    }
                    (latencies, failed)
                })
            })
            .collect();
        Load {
            stop,
            started: Instant::now(),
            threads,
            first_seen,
        }
    }

    fn first_seen(&self, hash: &str) -> Option<Instant> {
        self.first_seen.lock().expect("lock").get(hash).copied()
    }

    fn stop(self) -> Done {
        self.stop.store(true, Ordering::Relaxed);
        let elapsed = self.started.elapsed();
        let mut latencies = Vec::new();
        let mut failed = 0;
        for thread in self.threads {
            let (l, f) = thread.join().expect("load thread");
            latencies.extend(l);
            failed += f;
        }
        latencies.sort();
        Done {
            latencies,
            failed,
            elapsed,
        }
    }
}

impl Done {
    fn per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    fn quantile(&self, q: f64) -> Duration {
        let i = ((self.latencies.len() as f64 * q) as usize).min(self.latencies.len() - 1);
        self.latencies[i]
    }
}

fn micros(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn millis(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
}
