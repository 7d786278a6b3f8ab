//! `baton graph`: the picture of the bundled rules that the README shows is
//! what the command draws today, and the Graphviz form is pinned by a
//! reviewed snapshot.

mod common;

fn graph(args: &[&str]) -> (Option<i32>, String, String) {
    let args: Vec<&str> = std::iter::once("graph")
        .chain(args.iter().copied())
        .collect();
    common::baton_run(&args)
}

#[test]
fn the_readme_shows_the_bundled_rules_as_drawn() {
    let (status, drawn, _) = graph(&["rules/"]);
    assert_eq!(status, Some(0));
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let shown = readme
        .split("```mermaid\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README has a Mermaid block");
    assert_eq!(
        shown, drawn,
        "the README's graph is out of date: paste `baton graph rules/` into it"
    );
}

#[test]
fn every_rule_and_outcome_of_the_bundled_rules_is_in_the_picture() {
    let (_, drawn, _) = graph(&["rules/", "--format", "dot"]);
    for rule in [
        "1. Account takeover and fraud go to trust and safety",
        "5. Explicit requests for a person",
        "11. An unsure AI offers a person",
    ] {
        assert!(drawn.contains(rule), "{rule} is missing");
    }
    // Two rules hand off to tier1 at high priority: one leaf, two arrows.
    let leaf = drawn
        .lines()
        .find(|l| l.contains("label=\"human now · tier1 · high\""))
        .and_then(|l| l.split_whitespace().next())
        .expect("the tier1 leaf");
    let arrows = drawn
        .lines()
        .filter(|l| l.contains(&format!("-> {leaf} [label=\"match\"]")))
        .count();
    assert_eq!(arrows, 2, "{drawn}");
    insta::assert_snapshot!(drawn);
}

#[test]
fn rules_with_errors_are_reported_not_drawn() {
    let dir = std::env::temp_dir().join(format!("baton-graph-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch");
    let file = dir.join("broken.baton");
    std::fs::write(&file, "when loops >= 2 then handoff to nowhere\n").expect("write");
    let (status, drawn, errors) = graph(&[file.to_str().expect("path")]);
    assert_eq!(status, Some(1));
    assert!(drawn.is_empty(), "{drawn}");
    assert!(errors.contains("E0201"), "{errors}");
    let _ = std::fs::remove_dir_all(&dir);
}
