//! Reports as one self-contained web page: the styles and the charts
//! (inline SVG) are in the page, nothing is fetched from anywhere, so it
//! can be mailed or attached to a ticket and opened offline.

use std::fmt::Write as _;

use super::backtest::{Backtest, Count};
use super::table::{short_hash, thousands};

const STYLE: &str = "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d2430}\
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #dde;padding-bottom:.3rem}\
.sub{color:#5a6478;margin-top:0}.cards{display:flex;gap:1rem;flex-wrap:wrap}\
.card{border:1px solid #dde;border-radius:.5rem;padding:.7rem 1rem;min-width:10rem}.card b{display:block;font-size:1.6rem}\
table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eef;vertical-align:top}\
td.n{text-align:right;font-variant-numeric:tabular-nums}svg text{font:12px system-ui,sans-serif;fill:#1d2430}\
.quote{color:#5a6478;font-style:italic}.none{color:#8a93a6}";

/// Colours of the lanes, and of everything else.
fn colour(name: &str) -> &'static str {
    match name {
        "human" => "#d9534f",
        "approval" => "#f0ad4e",
        "ai" => "#5b9bd5",
        _ => "#6c7fd8",
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A horizontal bar chart of counts, as inline SVG.
fn chart(out: &mut String, rows: &[Count], coloured: bool) {
    let height = 22;
    let label = 260;
    let width = 460;
    let max = rows.iter().map(|r| r.count).max().unwrap_or(0).max(1);
    let _ = write!(
        out,
        "<svg role=\"img\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\">",
        label + width + 120,
        rows.len() * height + 4,
        label + width + 120,
        rows.len() * height + 4
    );
    for (i, r) in rows.iter().enumerate() {
        let y = i * height;
        let w = (r.count * width).div_ceil(max);
        let fill = if coloured {
            colour(&r.name)
        } else {
            colour("")
        };
        let mut name = r.name.clone();
        if name.chars().count() > 40 {
            name = format!("{}...", name.chars().take(37).collect::<String>());
        }
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{}\" y=\"{}\" width=\"{w}\" height=\"{}\" rx=\"3\" fill=\"{fill}\"><title>{}: {}</title></rect>\
             <text x=\"{}\" y=\"{}\">{} ({:.1}%)</text>",
            label - 8,
            y + 15,
            escape(&name),
            label,
            y + 3,
            height - 6,
            escape(&r.name),
            r.count,
            label + w + 6,
            y + 15,
            thousands(r.count),
            r.percent
        );
    }
    out.push_str("</svg>\n");
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body>\n{body}</body></html>\n",
        escape(title)
    )
}

/// The backtest as a page.
pub fn backtest(report: &Backtest, rules: &str, corpus: &str) -> String {
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<h1>Where {} would send {}</h1><p class=\"sub\">rules {} ({}), {} conversations</p>",
        escape(rules),
        escape(corpus),
        escape(rules),
        escape(short_hash(&report.ruleset)),
        thousands(report.conversations)
    );
    let _ = writeln!(
        b,
        "<div class=\"cards\"><div class=\"card\"><b>{:.1}%</b>sent to a person ({})</div>\
         <div class=\"card\"><b>{}</b>decided</div><div class=\"card\"><b>{}</b>could not be decided</div>\
         <div class=\"card\"><b>{}</b>rules never decide</div></div>",
        report.escalation_rate,
        thousands(report.escalated),
        thousands(report.decided),
        thousands(report.conversations - report.decided),
        report.never_decide.len()
    );
    b.push_str("<h2>By lane</h2>\n");
    chart(&mut b, &report.lanes, true);
    if !report.queues.is_empty() {
        b.push_str("<h2>By queue</h2>\n");
        chart(&mut b, &report.queues, false);
    }
    b.push_str("<h2>By priority, of those sent to a person</h2>\n");
    chart(&mut b, &report.priorities, false);
    b.push_str("<h2>By rule</h2>\n");
    let mut rows: Vec<Count> = report
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| Count {
            name: format!("{}. {}", i + 1, r.name),
            count: r.decided,
            percent: r.percent,
        })
        .collect();
    rows.push(report.default.clone());
    chart(&mut b, &rows, false);
    b.push_str(
        "<table><tr><th>rule</th><th>sends to</th><th>decided</th><th>also matched</th><th>a few it decided</th></tr>\n",
    );
    for (i, r) in report.rules.iter().enumerate() {
        let examples: Vec<String> = r
            .examples
            .iter()
            .map(|e| {
                let said = e.said.as_deref().map_or(String::new(), |s| {
                    format!(" <span class=\"quote\">“{}”</span>", escape(s))
                });
                format!("{} (line {}){said}", escape(&e.conversation), e.line)
            })
            .collect();
        let examples = if examples.is_empty() {
            "<span class=\"none\">none</span>".to_string()
        } else {
            examples.join("<br>")
        };
        let _ = writeln!(
            b,
            "<tr><td>{}. {}<br><span class=\"none\">{}:{}</span></td><td>{}</td><td class=\"n\">{} ({:.1}%)</td><td class=\"n\">{}</td><td>{examples}</td></tr>",
            i + 1,
            escape(&r.name),
            escape(&r.file),
            r.line,
            escape(&r.sends_to),
            thousands(r.decided),
            r.percent,
            thousands(r.matched_after_another)
        );
    }
    b.push_str("</table>\n");
    if !report.never_decide.is_empty() {
        b.push_str("<h2>Rules that never decide</h2><ul>");
        for name in &report.never_decide {
            let _ = write!(b, "<li>{}</li>", escape(name));
        }
        b.push_str("</ul>\n");
    }
    if !report.mostly_missing.is_empty() {
        b.push_str("<h2>Read by the rules, missing in most conversations</h2><table>");
        for m in &report.mostly_missing {
            let _ = write!(
                b,
                "<tr><td>{}</td><td class=\"n\">{:.1}%</td></tr>",
                escape(&m.name),
                m.percent
            );
        }
        b.push_str("</table>\n");
    }
    page(&format!("baton backtest: {rules} on {corpus}"), &b)
}
