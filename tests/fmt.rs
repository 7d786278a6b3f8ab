//! `baton fmt`: every rule file of the repository that parses is laid out
//! once (and then stays as it is), says the same as before, and keeps every
//! comment; the layouts are pinned by reviewed snapshots, one per folder.
//! The command checks, shows and rewrites as it says.

mod common;

use std::path::{Path, PathBuf};

use baton::syntax::format::{Layout, lay_out};

/// The file laid out, or `None` when it has syntax errors.
fn laid_out(name: &str, text: &str) -> Option<String> {
    let limits = baton::Limits::default();
    let once = match lay_out(name, text, &limits) {
        Layout::Laid(once) => once,
        Layout::Broken(_) => return None,
        // It says the same, or it is not laid out at all.
        Layout::Refused => panic!("{name}: laid out, it would say something else"),
    };
    // It stays as it is.
    match lay_out(name, &once, &limits) {
        Layout::Laid(twice) => assert_eq!(twice, once, "{name}: a second pass changes it"),
        other => panic!("{name} laid out does not lay out again: {other:?}\n{once}"),
    }
    // Every comment is kept, in order.
    let comments = |t: &str| -> Vec<String> {
        t.lines()
            .filter_map(|l| l.find('#').map(|i| l[i..].trim_end().to_string()))
            .filter(|c| !c.starts_with("#\"") && !c.contains("\")"))
            .collect()
    };
    assert_eq!(
        comments(&once),
        comments(text),
        "{name}: comments lost or moved out of order"
    );
    Some(once)
}

/// Every `.baton` file in `folder`, laid out, one after the other.
fn folder(folder: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(folder))
        .expect("folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "baton"))
        .collect();
    paths.sort();
    let mut out = String::new();
    for path in paths {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let name = common::relative(&path).display().to_string();
        match laid_out(&name, &text) {
            Some(once) => out.push_str(&format!("=== {name}\n{once}\n")),
            None => out.push_str(&format!("=== {name}: has syntax errors, left as it is\n\n")),
        }
    }
    out
}

#[test]
fn the_bundled_rules_are_in_the_layout() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(root.join("rules")).expect("rules/") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("rule file");
        let once = laid_out(&path.display().to_string(), &text).expect("parses");
        assert_eq!(
            once,
            text,
            "{} is not in the layout: run `baton fmt`",
            path.display()
        );
    }
}

#[test]
fn a_file_with_comments_everywhere_keeps_them_in_place() {
    insta::assert_snapshot!(folder("tests/fixtures/fmt"));
}

#[test]
fn every_fixture_that_parses_is_laid_out() {
    for stage in [
        "syntax/ok",
        "check/ok",
        "syntax/err",
        "check/err",
        "testing",
    ] {
        let name = stage.replace('/', "_");
        insta::assert_snapshot!(name, folder(&format!("tests/fixtures/{stage}")));
    }
}

/// A scratch copy of a file not in the layout.
fn scratch(text: &str) -> (PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("baton-fmt-{}-{}", std::process::id(), text.len()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");
    let file = dir.join("rules.baton");
    std::fs::write(&file, text).expect("write");
    let shown = file.display().to_string();
    (dir, shown)
}

#[test]
fn check_lists_files_out_of_the_layout_and_changes_nothing() {
    let messy = "queue billing\nwhen loops>=2 then handoff to billing   # loops\n";
    let (dir, file) = scratch(messy);
    let (status, out, err) = common::baton_run(&["fmt", "--check", &file]);
    assert_eq!(status, Some(1), "{err}");
    assert_eq!(out, format!("{file}\n"));
    assert!(err.contains("1 file not in the layout"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), messy);

    let (status, out, _) = common::baton_run(&["fmt", "--diff", &file]);
    assert_eq!(status, Some(1));
    assert!(
        out.contains("- when loops>=2 then handoff to billing   # loops"),
        "{out}"
    );
    assert!(
        out.contains("+ when loops >= 2 then handoff to billing  # loops"),
        "{out}"
    );
    assert_eq!(std::fs::read_to_string(&file).expect("read"), messy);

    let (status, _, err) = common::baton_run(&["fmt", &file]);
    assert_eq!(status, Some(0), "{err}");
    assert!(err.contains("formatted 1 file"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "queue billing\n\nwhen loops >= 2 then handoff to billing  # loops\n"
    );
    let (status, _, _) = common::baton_run(&["fmt", "--check", &file]);
    assert_eq!(status, Some(0), "in the layout once rewritten");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_file_with_syntax_errors_is_left_as_it_is() {
    let broken = "when loops >= 2 handoff to billing\n";
    let (dir, file) = scratch(broken);
    let (status, _, err) = common::baton_run(&["fmt", &file]);
    assert_eq!(status, Some(1));
    assert!(err.contains("E0101"), "{err}");
    assert!(err.contains("left as it is"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), broken);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn windows_line_endings_and_a_byte_order_mark_are_kept() {
    let text = "\u{feff}queue billing\r\nwhen loops>=2 then handoff to billing\r\n";
    let (dir, file) = scratch(text);
    let (status, _, err) = common::baton_run(&["fmt", &file]);
    assert_eq!(status, Some(0), "{err}");
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "\u{feff}queue billing\r\n\r\nwhen loops >= 2 then handoff to billing\r\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
