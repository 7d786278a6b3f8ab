//! `baton serve` as a platform runs it: started on an ephemeral loopback
//! port, asked for decisions while its rule file is rewritten in every way an
//! editor saves (in place; broken; by rename; deleted and created again),
//! and never failing a request: each answer names the ruleset that decided
//! it. Also `baton decide --watch`, which follows the same files on a stream.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A fresh folder for one test.
fn scratch(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "baton-serve-{name}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// Rules whose decisions show which version decided: the tag.
fn version(v: &str) -> String {
    format!("queue tier1\nrule \"r\" when turns >= 1 then handoff to tier1 tag \"{v}\"\n")
}

/// A running `baton serve`, stopped when dropped.
struct Server {
    child: Child,
    address: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(rules: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_baton"))
            .args([
                "serve",
                "--rules",
                &rules.display().to_string(),
                "--listen",
                "127.0.0.1:0",
                "--log-format",
                "json",
            ])
            .args(extra)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("baton serve starts");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (found, address) = (Arc::new(Mutex::new(None)), log.clone());
        let stderr = child.stderr.take().expect("stderr");
        let found_writer = found.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Ok(event) = serde_json::from_str::<Value>(&line)
                    && event["fields"]["message"] == "listening"
                {
                    *found_writer.lock().expect("lock") =
                        event["fields"]["address"].as_str().map(String::from);
                }
                address.lock().expect("lock").push(line);
            }
        });
        let address = wait_for("the server to listen", || {
            found.lock().expect("lock").clone()
        });
        Server {
            child,
            address,
            log,
        }
    }

    fn request(&self, method: &str, path: &str, body: &[u8]) -> (u16, String) {
        request(&self.address, method, path, body)
    }

    fn json(&self, method: &str, path: &str, body: &[u8]) -> (u16, Value) {
        let (status, text) = self.request(method, path, body);
        (
            status,
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}")),
        )
    }

    fn ruleset(&self) -> Value {
        self.json("GET", "/v1/ruleset", b"").1
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request on a fresh connection; the status and the body.
fn request(address: &str, method: &str, path: &str, body: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).expect("sends");
    let _ = stream.write_all(body);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = if head.to_lowercase().contains("transfer-encoding: chunked") {
        dechunk(body)
    } else {
        body.to_string()
    };
    (status, body)
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// Polls `ready` until it gives a value; a generous bound, not a timing test.
fn wait_for<T>(what: &str, mut ready: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(value) = ready() {
            return value;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "gave up waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn conversation() -> Vec<u8> {
    br#"{"id":"c-1","messages":[{"role":"customer","text":"where is my order"}]}"#.to_vec()
}

#[test]
fn rules_are_reloaded_as_files_change_and_no_request_fails() {
    let dir = scratch("reload");
    let file = dir.join("rules.baton");
    std::fs::write(&file, version("v1")).expect("write");
    let server = Server::start(&dir, &[]);

    let first = server.ruleset();
    let h1 = first["ruleset"].as_str().expect("hash").to_string();
    assert_eq!(first["files"], json!([file.display().to_string()]));
    assert_eq!(
        (first["rules"].as_u64(), first["queues"].as_u64()),
        (Some(1), Some(1))
    );

    // Ask for decisions all along; each must succeed and name a good ruleset.
    let stop = Arc::new(AtomicBool::new(false));
    let answers = Arc::new(Mutex::new(Vec::new()));
    let asker = {
        let (stop, answers, address) = (stop.clone(), answers.clone(), server.address.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let (status, body) = request(&address, "POST", "/v1/decide", &conversation());
                let decision: Value = serde_json::from_str(&body).unwrap_or(json!({ "raw": body }));
                answers.lock().expect("lock").push((
                    status,
                    decision["ruleset"].clone(),
                    decision["tags"].clone(),
                ));
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };
    let decide = || server.json("POST", "/v1/decide", &conversation()).1;
    let changed = |from: &str| {
        wait_for("a reload", || {
            let r = server.ruleset();
            (r["ruleset"] != from && r["last_reload"]["outcome"] == "ok")
                .then(|| r["ruleset"].as_str().map(String::from))
                .flatten()
        })
    };

    // Written in place.
    std::fs::write(&file, version("v2")).expect("write");
    let h2 = changed(&h1);
    let d = decide();
    assert_eq!(
        (d["ruleset"].as_str(), d["tags"][0].as_str()),
        (Some(h2.as_str()), Some("v2"))
    );

    // Broken: the last good rules stay in force, and say why.
    std::fs::write(&file, "queue tier1\nwhen turns >= then handoff to tier1\n").expect("write");
    let failed = wait_for("a failed reload", || {
        let r = server.ruleset();
        (r["last_reload"]["outcome"] == "failed").then_some(r)
    });
    assert_eq!(failed["ruleset"], h2.as_str());
    assert_eq!(
        failed["last_reload"]["diagnostics"]["diagnostics"][0]["code"],
        "E0101"
    );
    assert_eq!(
        server.request("GET", "/healthz", b""),
        (200, "degraded\n".to_string())
    );
    assert_eq!(decide()["ruleset"], h2.as_str());

    // Saved to a temporary file and renamed over the old one.
    let temporary = dir.join("rules.baton.tmp");
    std::fs::write(&temporary, version("v3")).expect("write");
    std::fs::rename(&temporary, &file).expect("rename");
    let h3 = changed(&h2);
    assert_eq!(
        server.request("GET", "/healthz", b""),
        (200, "ok\n".to_string())
    );
    assert_eq!(decide()["tags"][0], "v3");

    // Deleted and created again.
    std::fs::remove_file(&file).expect("remove");
    std::fs::write(&file, version("v4")).expect("write");
    let h4 = changed(&h3);
    assert_eq!(decide()["tags"][0], "v4");

    // A burst of saves ends with the last one in force.
    for v in ["v5", "v6", "v7", "v8", "v9"] {
        std::fs::write(&file, version(v)).expect("write");
    }
    wait_for("the last save of a burst", || {
        (decide()["tags"][0] == "v9").then_some(())
    });
    let h9 = server.ruleset()["ruleset"]
        .as_str()
        .expect("hash")
        .to_string();

    // SIGHUP reloads too.
    server.signal("HUP");
    wait_for("a reload on SIGHUP", || {
        (server.ruleset()["last_reload"]["trigger"] == "SIGHUP").then_some(())
    });

    stop.store(true, Ordering::SeqCst);
    asker.join().expect("the asker finishes");
    let answers = answers.lock().expect("lock");
    assert!(
        answers.len() > 10,
        "only {} requests were made",
        answers.len()
    );
    let good = [&h1, &h2, &h3, &h4];
    for (status, ruleset, tags) in answers.iter() {
        assert_eq!(*status, 200, "a request failed");
        let tag = tags[0].as_str().unwrap_or("");
        match ["v1", "v2", "v3", "v4"].iter().position(|v| *v == tag) {
            // A ruleset seen in full: its decisions carry its own version.
            Some(i) => assert_eq!(
                ruleset,
                good[i].as_str(),
                "one ruleset decides a request entirely"
            ),
            // Rulesets of the burst may each be in force for a moment.
            None => assert!(
                ["v5", "v6", "v7", "v8", "v9"].contains(&tag),
                "decided by {ruleset} ({tag})"
            ),
        }
    }

    let metrics = server.request("GET", "/metrics", b"").1;
    for expected in [
        "baton_decisions_total{lane=\"human\",queue=\"tier1\",rule=\"r\"}",
        "baton_reloads_total{outcome=\"failed\"} 1",
        "baton_last_reload_successful 1",
        &format!("baton_ruleset_info{{ruleset=\"{h9}\",rules=\"1\"}} 1"),
        "baton_decision_duration_seconds_count",
    ] {
        assert!(metrics.contains(expected), "no `{expected}` in:\n{metrics}");
    }
    let logged = server.log.lock().expect("lock").join("\n");
    assert!(
        logged.contains("rules not reloaded; the last good rules stay in force"),
        "{logged}"
    );
}

#[test]
fn bad_requests_get_clear_json_errors_and_the_server_shuts_down_cleanly() {
    let dir = scratch("errors");
    std::fs::write(dir.join("rules.baton"), version("v1")).expect("write");
    let mut server = Server::start(&dir, &["--max-body", "2000", "--timeout", "2"]);

    let (status, body) = server.json("POST", "/v1/decide", b"{not json");
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("E0401"))
    );
    let (status, body) = server.json("POST", "/v1/decide", br#"{"text": "hi"}"#);
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("E0402"))
    );
    assert_eq!(
        body["error"]["message"],
        "this conversation has no `messages` list"
    );
    let (status, body) = server.json("POST", "/v1/decide", &vec![b' '; 5000]);
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (413, Some("E0405"))
    );
    let (status, body) = server.json("POST", "/v1/decide?now=yesterday", &conversation());
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("bad_request"))
    );
    let (status, body) = server.json("GET", "/v2/nothing", b"");
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("not_found"))
    );

    let (status, d) = server.json(
        "POST",
        "/v1/decide?explain=true&now=2026-11-20T10:00:00Z",
        &conversation(),
    );
    assert_eq!(status, 200);
    assert!(d["trace"].is_array(), "explained");

    let batch = format!(
        "[{}, {{\"messages\": 3}}, {}]",
        String::from_utf8_lossy(&conversation()),
        String::from_utf8_lossy(&conversation())
    );
    let (status, answers) = server.json("POST", "/v1/decide/batch", batch.as_bytes());
    assert_eq!(status, 200);
    let answers = answers.as_array().expect("an array");
    assert_eq!(answers.len(), 3, "one answer per conversation, in order");
    assert_eq!(answers[0]["conversation"], "c-1");
    assert_eq!(
        (
            answers[1]["index"].as_u64(),
            answers[1]["error"]["code"].as_str()
        ),
        (Some(1), Some("E0402"))
    );
    assert_eq!(answers[2]["conversation"], "c-1");
    let (status, body) = server.json("POST", "/v1/decide/batch", br#"{"messages": []}"#);
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("E0402"))
    );

    // A client that never finishes its headers is cut off, and the server
    // goes on answering others.
    let mut slow = TcpStream::connect(&server.address).expect("connects");
    slow.write_all(b"POST /v1/decide HTTP/1.1\r\nHost: x\r\n")
        .expect("sends");
    assert_eq!(server.request("GET", "/healthz", b"").0, 200);
    slow.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let mut answer = Vec::new();
    let _ = slow.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "the slow client got: {answer}"
    );

    server.signal("TERM");
    let exit = wait_for("the server to stop", || {
        server.child.try_wait().expect("waits")
    });
    assert!(exit.success(), "{exit:?}");
}

#[test]
fn broken_rules_stop_the_server_at_start_with_their_diagnostics() {
    let dir = scratch("broken");
    std::fs::write(
        dir.join("rules.baton"),
        "when turns >= 1 then handoff to nowhere\n",
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args([
            "serve",
            "--rules",
            &dir.display().to_string(),
            "--listen",
            "127.0.0.1:0",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("E0201") && err.contains("the rules have 1 error; not serving"),
        "{err}"
    );
}

#[test]
fn decide_watch_decides_each_line_with_the_rules_in_force() {
    let dir = scratch("watch");
    let file = dir.join("rules.baton");
    std::fs::write(&file, version("v1")).expect("write");
    let mut child = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["decide", "--watch", "--rules", &dir.display().to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut input = child.stdin.take().expect("stdin");
    let mut output = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let reloads = Arc::new(AtomicUsize::new(0));
    let counter = reloads.clone();
    let stderr = child.stderr.take().expect("stderr");
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("rules reloaded") {
                counter.fetch_add(1, Ordering::SeqCst);
            }
        }
    });
    let mut decide = || {
        input.write_all(&conversation()).expect("writes");
        input.write_all(b"\n").expect("writes");
        input.flush().expect("flushes");
        let line = output.next().expect("a line").expect("text");
        serde_json::from_str::<Value>(&line).expect("JSON")["tags"][0]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(decide(), "v1");
    std::fs::write(&file, version("v2")).expect("write");
    wait_for("a reload", || {
        (reloads.load(Ordering::SeqCst) >= 1).then_some(())
    });
    assert_eq!(decide(), "v2");
    std::fs::write(&file, "broken\n").expect("write");
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(decide(), "v2", "broken rules never decide");
    let _ = child.kill();
    let _ = child.wait();
}
