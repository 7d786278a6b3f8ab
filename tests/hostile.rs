//! Hostile batches: whatever arrives on a line, `baton decide` writes exactly
//! one line for it, in order: a decision, or a JSON error record naming the
//! line. It never crashes, never hangs, never loses the lines after a bad one.

mod common;

use std::path::Path;

/// Runs `baton decide` on `input` with `args`, and returns the exit status
/// and the output lines. The batch is given twice: on standard input (a line
/// at a time) and as a file (blocks of lines decided on every core); both
/// must give the same records in the same order, the file's error records
/// also naming the file.
fn decide(input: &[u8], args: &[&str]) -> (Option<i32>, Vec<String>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |extra: &[&str], input: &[u8]| {
        let args: Vec<&str> = ["decide", "--now", "2026-11-20T10:00:00Z"]
            .into_iter()
            .chain(args.iter().copied())
            .chain(extra.iter().copied())
            .collect();
        let out = common::baton_with_input(dir, &args, input);
        let text = String::from_utf8(out.stdout).expect("output is UTF-8");
        (
            out.status.code(),
            text.lines().map(str::to_string).collect::<Vec<_>>(),
        )
    };
    let (status, lines) = run(&[], input);
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run_number = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let file = std::env::temp_dir().join(format!(
        "baton-hostile-{}-{run_number}.jsonl",
        std::process::id()
    ));
    std::fs::write(&file, input).expect("scratch file");
    let shown = file.to_string_lossy().to_string();
    let (file_status, file_lines) = run(&[&shown], b"");
    let _ = std::fs::remove_file(&file);
    assert_eq!(file_status, status, "same exit status from a file");
    assert_eq!(
        file_lines.len(),
        lines.len(),
        "one line out per line in, from a file"
    );
    for (from_file, from_stdin) in file_lines.iter().zip(&lines) {
        let mut record: serde_json::Value = serde_json::from_str(from_file).expect("JSON");
        if let Some(fields) = record.as_object_mut()
            && fields.contains_key("error")
        {
            assert_eq!(
                fields.remove("file"),
                Some(shown.clone().into()),
                "{from_file}"
            );
        }
        let expected: serde_json::Value = serde_json::from_str(from_stdin).expect("JSON");
        assert_eq!(record, expected, "the same record from a file");
    }
    (status, lines)
}

/// One real conversation from the bundled examples, on one line.
fn good_line() -> String {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/refund_large.json"
    ))
    .expect("example");
    let json: serde_json::Value = serde_json::from_str(&text).expect("example is JSON");
    json.to_string()
}

/// Each output line is JSON; an error record names its input line and a code.
fn records(lines: &[String]) -> Vec<serde_json::Value> {
    lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn error_code(record: &serde_json::Value) -> Option<&str> {
    record["error"]["code"].as_str()
}

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

#[test]
fn every_hostile_line_gets_its_own_record_and_good_lines_are_still_decided() {
    let good = good_line();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "random bytes",
            vec![0x00, 0xff, 0x13, 0x7b, 0x80, 0x22],
            "E0401",
        ),
        (
            "invalid UTF-8",
            b"{\"messages\": [\"\xc3\x28\"]}".to_vec(),
            "E0401",
        ),
        (
            "truncated JSON",
            good.as_bytes()[..good.len() / 2].to_vec(),
            "E0401",
        ),
        (
            "a huge number",
            br#"{"messages": [], "n": 1e999999}"#.to_vec(),
            "E0401",
        ),
        ("deep nesting", [&b"["[..]; 100_000].concat(), "E0406"),
        (
            "deep objects",
            format!("{}1{}", "{\"a\":".repeat(500), "}".repeat(500)).into_bytes(),
            "E0406",
        ),
        ("an empty line", Vec::new(), "E0401"),
        ("only spaces", b"   \t ".to_vec(), "E0401"),
        ("a JSON string", br#""hello""#.to_vec(), "E0402"),
        ("a JSON number", b"42".to_vec(), "E0402"),
        ("null", b"null".to_vec(), "E0402"),
        ("an array", b"[1, 2, 3]".to_vec(), "E0402"),
        ("no messages", br#"{"id": "x"}"#.to_vec(), "E0402"),
        (
            "messages not a list",
            br#"{"messages": 7}"#.to_vec(),
            "E0402",
        ),
        (
            "a role nobody has",
            br#"{"messages": [{"role": "wizard", "text": "hi"}]}"#.to_vec(),
            "E0403",
        ),
        (
            "text that is a number",
            br#"{"messages": [{"role": "customer", "text": 12}]}"#.to_vec(),
            "E0404",
        ),
        (
            "a lone surrogate",
            br#"{"messages": [{"role": "customer", "text": "\ud800"}]}"#.to_vec(),
            "E0401",
        ),
        (
            "a NUL in the middle",
            b"{\"messages\"\x00: []}".to_vec(),
            "E0401",
        ),
    ];
    let mut input = Vec::new();
    for (_, line, _) in &cases {
        input.extend_from_slice(good.as_bytes());
        input.push(b'\n');
        input.extend_from_slice(line);
        input.push(b'\n');
    }
    input.extend_from_slice(good.as_bytes());
    let (status, lines) = decide(&input, &[]);
    assert_eq!(status, Some(1), "some lines could not be decided");
    assert_eq!(lines.len(), cases.len() * 2 + 1, "one line out per line in");
    let records = records(&lines);
    for (i, (what, _, code)) in cases.iter().enumerate() {
        let good = &records[2 * i];
        assert!(
            good["lane"].is_string(),
            "the line before {what} is decided"
        );
        let bad = &records[2 * i + 1];
        assert_eq!(error_code(bad), Some(*code), "{what}: {bad}");
        assert_eq!(bad["line"], 2 * i + 2, "{what} names its line");
        assert!(
            bad["error"]["message"]
                .as_str()
                .is_some_and(|m| m.len() > 10),
            "{what} says what is wrong"
        );
    }
    assert!(
        records[cases.len() * 2]["lane"].is_string(),
        "the last line is decided"
    );
}

#[test]
fn random_lines_never_crash_the_batch() {
    let mut rng = Lcg(0x5eed);
    let good = good_line();
    let alphabet = b"{}[]\":,0123456789.eE-+ tfnrul\\abc\xff\x00\r";
    let mut input = Vec::new();
    let mut count = 0;
    for _ in 0..400 {
        let len = (rng.next() % 200) as usize;
        // Half the lines are a real conversation with a few bytes changed.
        let mut line: Vec<u8> = if rng.next().is_multiple_of(2) {
            good.as_bytes().to_vec()
        } else {
            (0..len)
                .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
                .collect()
        };
        if !line.is_empty() {
            for _ in 0..rng.next() % 4 {
                let at = (rng.next() % line.len() as u64) as usize;
                line[at] = alphabet[(rng.next() % alphabet.len() as u64) as usize];
            }
        }
        line.retain(|&b| b != b'\n');
        input.extend_from_slice(&line);
        input.push(b'\n');
        count += 1;
    }
    let (status, lines) = decide(&input, &[]);
    assert!(matches!(status, Some(0 | 1)), "exit status {status:?}");
    assert_eq!(lines.len(), count, "one line out per line in");
    for (i, record) in records(&lines).iter().enumerate() {
        if record.get("error").is_some() {
            assert_eq!(record["line"], i + 1, "{record}");
            assert!(
                error_code(record).is_some_and(|c| c.starts_with("E04")),
                "{record}"
            );
        } else {
            assert!(record["lane"].is_string(), "{record}");
        }
    }
}

#[test]
fn a_line_longer_than_the_limit_is_skipped_without_being_held() {
    let good = good_line();
    // 8 MiB without a line break, then a good line: the long one is refused
    // by its size and the next one is still decided.
    let mut input = vec![b'a'; 8 << 20];
    input.push(b'\n');
    input.extend_from_slice(good.as_bytes());
    input.push(b'\n');
    let (status, lines) = decide(&input, &["--max-conversation-size", "64KiB"]);
    assert_eq!(status, Some(1));
    let records = records(&lines);
    assert_eq!(records.len(), 2, "{lines:?}");
    assert_eq!(error_code(&records[0]), Some("E0405"));
    assert_eq!(
        records[0]["error"]["message"],
        "this conversation is 8388608 bytes, more than the 65536 bytes a conversation may have"
    );
    assert!(records[1]["lane"].is_string());
}

#[test]
fn a_last_line_without_a_line_break_is_decided() {
    let good = good_line();
    let input = format!("{good}\r\n{good}");
    let (status, lines) = decide(input.as_bytes(), &[]);
    assert_eq!(status, Some(0));
    assert_eq!(lines.len(), 2);
    assert!(records(&lines).iter().all(|r| r["lane"].is_string()));
}

#[test]
fn every_cut_of_a_conversation_is_refused_cleanly() {
    // A conversation cut off at every byte, as a crashed writer leaves it.
    let good = good_line();
    let cuts: Vec<&str> = (1..good.len())
        .filter(|&n| good.is_char_boundary(n))
        .map(|n| &good[..n])
        .collect();
    let input = cuts.join("\n");
    let (status, lines) = decide(input.as_bytes(), &[]);
    assert_eq!(status, Some(1));
    assert_eq!(lines.len(), cuts.len());
    for record in records(&lines) {
        assert_eq!(error_code(&record), Some("E0401"), "{record}");
    }
}
