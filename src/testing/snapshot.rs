//! Decision snapshots: the decision for an example conversation written as
//! a short text a reviewer reads (`lane: human`, `queue: billing`, ...),
//! stored beside the conversation, and compared line by line with the
//! decision the rules make now.

use crate::runtime::Decision;

/// The snapshot file of a conversation file: `looping.json` is kept in
/// `looping.decision.txt`.
pub const EXTENSION: &str = "decision.txt";

/// The lines a snapshot starts with, for whoever opens the file.
const HEADER: &str = "\
# What baton decides for this conversation. `baton test` compares it with
# what the rules decide now; `baton test --review` shows any change and asks
# whether to keep it.
";

/// The snapshot of `decision`.
pub fn render(decision: &Decision) -> String {
    let or_none = |text: Option<&str>| text.map_or("-".to_string(), one_line);
    let list = |items: &[String]| {
        if items.is_empty() {
            "-".to_string()
        } else {
            one_line(&items.join(", "))
        }
    };
    let mut lines = vec![
        ("lane", decision.lane.as_str().to_string()),
        ("action", decision.action.as_str().to_string()),
        ("queue", or_none(decision.queue.as_deref())),
        ("priority", decision.priority.as_str().to_string()),
        ("sla", or_none(decision.sla.as_deref())),
        (
            "rule",
            decision
                .rule
                .as_ref()
                .map_or("- (no rule matched: the default)".to_string(), |r| {
                    one_line(&r.name)
                }),
        ),
        ("reason", or_none(decision.reason.as_deref())),
        ("next", or_none(decision.next.as_deref())),
        ("tags", list(&decision.tags)),
        ("collect", list(&decision.collect)),
    ];
    if let Some(assignee) = &decision.assignee {
        lines.push(("assignee", one_line(assignee)));
    }
    lines.push(("summary", one_line(&decision.brief.summary)));
    let mut out = HEADER.to_string();
    out.push('\n');
    for (key, value) in lines {
        out.push_str(&format!("{:<9} {value}\n", format!("{key}:")));
    }
    out
}

/// Text on one line: a line break is shown as `\n`, other control
/// characters (which could move a terminal's cursor) by their code.
fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' => {}
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => out.push_str(&format!("\\u{{{:04x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The snapshot to keep when `fresh` is accepted over `stored`: the notes
/// at the top of the stored file (its first lines starting with `#`, and
/// blank ones), then the new decision.
pub fn keep_notes(stored: Option<&str>, fresh: &str) -> String {
    let notes: Vec<&str> = stored
        .unwrap_or_default()
        .trim_start_matches('\u{feff}')
        .lines()
        .take_while(|l| l.trim().is_empty() || l.starts_with('#'))
        .collect();
    if notes.iter().all(|l| l.trim().is_empty()) {
        return fresh.to_string();
    }
    let mut out = notes.join("\n");
    out.push('\n');
    for line in fresh
        .lines()
        .skip_while(|l| l.trim().is_empty() || l.starts_with('#'))
    {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The lines of a snapshot that say something: comments, blank lines and
/// trailing spaces do not count.
fn content(snapshot: &str) -> Vec<&str> {
    snapshot
        .trim_start_matches('\u{feff}')
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// One line of a difference between two snapshots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffLine {
    /// In both.
    Same(String),
    /// Only in the stored snapshot.
    Removed(String),
    /// Only in the new decision.
    Added(String),
}

/// `None` when `stored` and `fresh` say the same, else their difference,
/// line by line.
pub fn compare(stored: &str, fresh: &str) -> Option<Vec<DiffLine>> {
    let (old, new) = (content(stored), content(fresh));
    (old != new).then(|| diff(&old, &new))
}

/// The longest common subsequence diff of two lists of lines.
pub fn diff(old: &[&str], new: &[&str]) -> Vec<DiffLine> {
    let (n, m) = (old.len(), new.len());
    if n.saturating_mul(m) > 1_000_000 {
        // Not a snapshot baton wrote: show it all as replaced.
        let removed = old.iter().map(|l| DiffLine::Removed(l.to_string()));
        return removed
            .chain(new.iter().map(|l| DiffLine::Added(l.to_string())))
            .collect();
    }
    // common[i][j]: length of the longest common subsequence of old[i..], new[j..].
    let mut common = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            common[i][j] = if old[i] == new[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n || j < m {
        if i < n && j < m && old[i] == new[j] {
            out.push(DiffLine::Same(old[i].to_string()));
            (i, j) = (i + 1, j + 1);
        } else if i < n && (j == m || common[i + 1][j] >= common[i][j + 1]) {
            // Removed lines come before the lines that replace them.
            out.push(DiffLine::Removed(old[i].to_string()));
            i += 1;
        } else {
            out.push(DiffLine::Added(new[j].to_string()));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_shows_as_removed_then_added() {
        let stored = "# comment\nlane:     ai\nqueue:    -\ntags:     -\n";
        let fresh = "# another comment\n\nlane:     human\nqueue:    -\ntags:     -\n";
        assert_eq!(
            compare(stored, fresh),
            Some(vec![
                DiffLine::Removed("lane:     ai".into()),
                DiffLine::Added("lane:     human".into()),
                DiffLine::Same("queue:    -".into()),
                DiffLine::Same("tags:     -".into()),
            ])
        );
    }

    #[test]
    fn comments_blank_lines_trailing_spaces_and_a_byte_order_mark_do_not_count() {
        assert_eq!(compare("# a\nlane: ai  \n\n", "lane: ai\n# b\n"), None);
        assert_eq!(compare("\u{feff}lane: ai\r\n", "lane: ai\n"), None);
    }

    #[test]
    fn accepting_a_change_keeps_the_notes_at_the_top() {
        let stored = "# What baton decides\n# NOTE: agreed with Priya\n\nlane:     ai\n";
        let fresh = "# What baton decides\n\nlane:     human\n";
        assert_eq!(
            keep_notes(Some(stored), fresh),
            "# What baton decides\n# NOTE: agreed with Priya\n\nlane:     human\n"
        );
        assert_eq!(keep_notes(None, fresh), fresh);
    }

    #[test]
    fn control_characters_cannot_reach_the_terminal() {
        assert_eq!(one_line("a\u{1b}[2Jb\nc"), "a\\u{001b}[2Jb\\nc");
    }

    #[test]
    fn added_and_removed_lines_keep_their_places() {
        let diff = compare("a\nb\nc\n", "a\nc\nd\n").expect("differs");
        assert_eq!(
            diff,
            vec![
                DiffLine::Same("a".into()),
                DiffLine::Removed("b".into()),
                DiffLine::Same("c".into()),
                DiffLine::Added("d".into()),
            ]
        );
    }
}
