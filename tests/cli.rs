//! `baton check` as a user runs it: what it prints and how it exits.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

fn baton(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .output()
        .expect("baton runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

/// A fresh, empty folder for one test.
fn scratch() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "baton-cli-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn write(dir: &Path, name: &str, text: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path.display().to_string()
}

#[test]
fn the_bundled_rules_check_clean_and_say_what_they_hold() {
    for args in [&["check"][..], &["check", "rules/"][..]] {
        let out = baton(args);
        assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
        assert_eq!(
            stdout(&out),
            "checked 6 files: 11 rules, 7 queues, 13 tests; no problems\n"
        );
    }
}

#[test]
fn plain_output_shows_the_problem_the_place_and_the_fix() {
    let out = baton(&[
        "check",
        "--format",
        "plain",
        "tests/fixtures/check/err/E0201_undeclared_queue.baton",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "error[E0201]: queue `biling` is not declared\n \
         --> tests/fixtures/check/err/E0201_undeclared_queue.baton:3:33\n  \
         |\n\
         3 | when loops >= 2 then handoff to biling\n  \
         |                                 ^^^^^^ not declared\n  \
         = help: did you mean `billing`?\n\
         \n\
         checked 1 file: 1 error\n"
    );
}

#[test]
fn every_problem_in_a_file_is_reported_at_once() {
    let dir = scratch();
    let file = write(
        &dir,
        "many.baton",
        b"queue billing\n\
          when loops = 2 then handoff to biling\n\
          when sentiment < \"high\" then continue\n\
          when intent == refund then handoff to billing priority hgih\n",
    );
    let out = baton(&["check", "--format", "json", &file]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| d["code"].as_str().expect("a code"))
        .collect();
    assert_eq!(codes, ["E0102", "E0201", "E0204", "E0202", "E0213"]);
    assert_eq!(json["errors"], 5);
    assert_eq!(json["warnings"], 0);
}

#[test]
fn json_output_locates_each_problem() {
    let out = baton(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/check/err/E0201_undeclared_queue.baton",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "E0201");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["message"], "queue `biling` is not declared");
    assert_eq!(
        d["file"],
        "tests/fixtures/check/err/E0201_undeclared_queue.baton"
    );
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(33))
    );
    assert_eq!(
        (d["offset"].as_u64(), d["length"].as_u64()),
        (Some(47), Some(6))
    );
    assert_eq!(d["help"], "did you mean `billing`?");
}

#[test]
fn warnings_pass_unless_denied() {
    let file = "tests/fixtures/check/err/W0305_unused_queue.baton";
    let out = baton(&["check", file]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("checked 1 file: 1 warning"));
    let out = baton(&["check", "--deny-warnings", file]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn human_output_has_no_colour_codes_when_piped() {
    let out = baton(&[
        "check",
        "tests/fixtures/check/err/E0201_undeclared_queue.baton",
    ]);
    let text = stdout(&out);
    assert!(
        text.contains("E0201") && text.contains("did you mean `billing`?"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "colour codes in piped output");
}

#[test]
fn unreadable_paths_and_bad_usage_exit_with_two() {
    let out = baton(&["check", "no-such-folder"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "error: `no-such-folder` does not exist\n");

    let empty = scratch();
    let out = baton(&["check", &empty.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("holds no `.baton` rule file"));

    let out = baton(&["check", "--format", "fancy"]);
    assert_eq!(out.status.code(), Some(2));
    let out = baton(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_file_that_is_not_utf8_is_named_and_the_others_are_still_checked() {
    let dir = scratch();
    write(
        &dir,
        "a.baton",
        b"# r\xe9gles\nwhen loops >= 2 then continue\n",
    );
    write(
        &dir,
        "b.baton",
        b"when loops >= 2 then handoff to nowhere\n",
    );
    let out = baton(&["check", "--format", "plain", &dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("error[E0107]: ") && text.contains("a.baton` is not UTF-8 text"),
        "{text}"
    );
    assert!(
        text.contains("error[E0201]: queue `nowhere` is not declared"),
        "{text}"
    );
}

#[test]
fn folders_are_read_recursively_in_path_order_skipping_hidden_files() {
    let dir = scratch();
    std::fs::create_dir_all(dir.join("b/nested")).expect("folders");
    write(&dir, "b/nested/z.baton", b"when turns >= 3 then continue\n");
    write(&dir, "a.baton", b"when loops >= 2 then continue\n");
    write(&dir, ".#a.baton", b"not a rule file\n");
    write(&dir, "notes.txt", b"not a rule file\n");
    let loaded = baton::reload::load_paths(std::slice::from_ref(&dir)).expect("readable");
    let names: Vec<String> = loaded
        .sources
        .iter()
        .map(|(_, f)| {
            Path::new(f.name())
                .strip_prefix(&dir)
                .expect("inside")
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(names, ["a.baton", "b/nested/z.baton"]);
    let out = baton(&["check", &dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).starts_with("checked 2 files: 2 rules"));
}

fn baton_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("baton runs");
    // baton may stop before reading its input (broken rules): a closed pipe
    // is then expected, not a failure.
    let _ = child.stdin.take().expect("stdin").write_all(stdin);
    child.wait_with_output().expect("baton finishes")
}

fn lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect()
}

#[test]
fn decide_answers_one_line_per_example_in_order() {
    let out = baton(&[
        "decide",
        "--now",
        "2026-11-26T00:00:00Z",
        "examples/angry_enterprise.json",
        "examples/order_status.json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let decisions = lines(&out);
    assert_eq!(decisions.len(), 2);
    assert_eq!(decisions[0]["conversation"], "c-1042");
    assert_eq!(decisions[0]["queue"], "billing");
    assert_eq!(decisions[1]["conversation"], "c-2001");
    assert_eq!(decisions[1]["action"], "continue");
    assert!(decisions[0].get("trace").is_none(), "no trace unless asked");
}

#[test]
fn a_bad_line_gets_an_error_record_and_the_batch_goes_on() {
    let good = br#"{"id":"ok","messages":[{"role":"customer","text":"hi"}]}"#;
    let mut input = Vec::new();
    for line in [
        &good[..],
        b"{not json",
        b"",
        br#"{"messages":[{"role":"robot","text":"beep"}]}"#,
        b"\xff\xfe",
        good,
    ] {
        input.extend_from_slice(line);
        input.push(b'\n');
    }
    let out = baton_with_stdin(&["decide"], &input);
    assert_eq!(out.status.code(), Some(1));
    let records = lines(&out);
    assert_eq!(records.len(), 6, "one output line per input line");
    assert_eq!(records[0]["conversation"], "ok");
    let errors: Vec<(u64, &str)> = records[1..5]
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().expect("line"),
                r["error"]["code"].as_str().expect("code"),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [(2, "E0401"), (3, "E0401"), (4, "E0403"), (5, "E0401")]
    );
    assert_eq!(
        records[1]["error"]["message"],
        "this is not valid JSON: key must be a string, at column 2"
    );
    assert_eq!(records[5]["conversation"], "ok");
}

#[test]
fn a_jsonl_file_names_itself_in_error_records() {
    let dir = scratch();
    let file = write(&dir, "batch.jsonl", b"{\"messages\":[]}\n[]\n");
    let out = baton(&["decide", &file]);
    assert_eq!(out.status.code(), Some(1));
    let records = lines(&out);
    assert_eq!(records[0]["action"], "continue");
    assert_eq!(records[1]["line"], 2);
    assert_eq!(records[1]["file"], file.as_str());
    assert_eq!(
        records[1]["error"]["message"],
        "a conversation is a JSON object with a `messages` list, not a list"
    );
}

#[test]
fn explain_adds_the_trace() {
    let out = baton(&[
        "decide",
        "--explain",
        "--now",
        "2026-11-26T00:00:00Z",
        "examples/refund_large.json",
    ]);
    let decision = &lines(&out)[0];
    let trace = decision["trace"].as_array().expect("a trace");
    let decided: Vec<&serde_json::Value> = trace.iter().filter(|r| r["decided"] == true).collect();
    assert_eq!(decided.len(), 1);
    assert_eq!(decided[0]["rule"], "Large refunds need finance approval");
    assert_eq!(
        decided[0]["tests"][1]["why"],
        "refund.amount is 850, needs > 500"
    );
}

#[test]
fn broken_rules_stop_decide_with_the_diagnostics_of_check() {
    let dir = scratch();
    write(
        &dir,
        "r.baton",
        b"when loops >= 2 then handoff to nowhere\n",
    );
    let out = baton_with_stdin(
        &["decide", "--rules", &dir.display().to_string()],
        b"{\"messages\":[]}\n",
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "", "nothing is decided");
    let err = stderr(&out);
    assert!(
        err.contains("E0201") && err.contains("queue `nowhere` is not declared"),
        "{err}"
    );
    assert!(
        err.contains("the rules have 1 error; nothing was decided"),
        "{err}"
    );
}

#[test]
fn a_bad_evaluation_time_is_a_usage_error() {
    let out = baton(&["decide", "--now", "yesterday", "examples/order_status.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not an RFC 3339 time"));
}
