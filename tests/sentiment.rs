//! baton's sentiment scorer gives the reference VADER compound score
//! (vaderSentiment 3.3.2) on real customer messages and on cases written to
//! exercise each of its rules. The reference scores are in
//! `tests/data/vader_reference.jsonl`, made by `tests/data/vader_reference.py`.

use baton::runtime::text::sentiment::compound;

#[test]
fn every_reference_score_is_matched_exactly() {
    let text =
        std::fs::read_to_string("tests/data/vader_reference.jsonl").expect("reference scores");
    let mut differ = Vec::new();
    let mut total = 0;
    for line in text.lines() {
        let case: serde_json::Value = serde_json::from_str(line).expect("JSON");
        let text = case["text"].as_str().expect("text");
        let expected = case["compound"].as_f64().expect("score");
        total += 1;
        let actual = compound(text);
        if actual != expected {
            differ.push(format!("{expected} vs {actual}: {text}"));
        }
    }
    assert!(total > 3_000, "{total} reference texts");
    assert!(
        differ.is_empty(),
        "{} of {total} differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
}
