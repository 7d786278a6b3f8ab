//! Counters for `GET /metrics`, in the Prometheus text format: decisions by
//! lane, queue and rule; input errors by code; reloads by outcome; whether
//! the last reload succeeded; the ruleset in force; decision latency.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::reload::Live;
use crate::runtime::Decision;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5,
];

/// What the service has done since it started.
#[derive(Default)]
pub struct Metrics {
    decisions: Mutex<BTreeMap<(String, String, String), u64>>,
    errors: Mutex<BTreeMap<String, u64>>,
    buckets: [AtomicU64; BUCKETS.len()],
    latency_count: AtomicU64,
    latency_micros: AtomicU64,
}

impl Metrics {
    /// Counts one decision and how long it took.
    pub fn decided(&self, decision: &Decision, took: Duration) {
        let lane = serde_json::to_value(decision.lane)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let queue = decision.queue.clone().unwrap_or_default();
        let rule = decision
            .rule
            .as_ref()
            .map_or_else(|| "default".to_string(), |r| r.name.clone());
        *lock(&self.decisions)
            .entry((lane, queue, rule))
            .or_insert(0) += 1;
        self.observe(took);
    }

    /// Counts one conversation that could not be decided.
    pub fn failed(&self, code: &str, took: Duration) {
        *lock(&self.errors).entry(code.to_string()).or_insert(0) += 1;
        self.observe(took);
    }

    fn observe(&self, took: Duration) {
        let seconds = took.as_secs_f64();
        for (bucket, bound) in self.buckets.iter().zip(BUCKETS) {
            if seconds <= bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_micros
            .fetch_add(took.as_micros() as u64, Ordering::Relaxed);
    }

    /// Everything, in the Prometheus text exposition format.
    pub fn render(&self, live: &Live) -> String {
        let mut out = String::new();
        out.push_str("# HELP baton_decisions_total Conversations decided, by lane, queue and deciding rule.\n");
        out.push_str("# TYPE baton_decisions_total counter\n");
        for ((lane, queue, rule), n) in lock(&self.decisions).iter() {
            let _ = writeln!(
                out,
                "baton_decisions_total{{lane=\"{}\",queue=\"{}\",rule=\"{}\"}} {n}",
                escape(lane),
                escape(queue),
                escape(rule)
            );
        }
        out.push_str("# HELP baton_input_errors_total Conversations that could not be decided, by error code.\n");
        out.push_str("# TYPE baton_input_errors_total counter\n");
        for (code, n) in lock(&self.errors).iter() {
            let _ = writeln!(
                out,
                "baton_input_errors_total{{code=\"{}\"}} {n}",
                escape(code)
            );
        }
        let (ok, failed) = live.counts();
        out.push_str("# HELP baton_reloads_total Loads of the rules, by outcome.\n");
        out.push_str("# TYPE baton_reloads_total counter\n");
        let _ = writeln!(out, "baton_reloads_total{{outcome=\"ok\"}} {ok}");
        let _ = writeln!(out, "baton_reloads_total{{outcome=\"failed\"}} {failed}");
        out.push_str(
            "# HELP baton_last_reload_successful Whether the last load of the rules succeeded.\n",
        );
        out.push_str("# TYPE baton_last_reload_successful gauge\n");
        let _ = writeln!(
            out,
            "baton_last_reload_successful {}",
            u8::from(live.last().ok)
        );
        out.push_str("# HELP baton_ruleset_info The rules in force.\n");
        out.push_str("# TYPE baton_ruleset_info gauge\n");
        let current = live.current();
        let _ = writeln!(
            out,
            "baton_ruleset_info{{ruleset=\"{}\",rules=\"{}\"}} 1",
            escape(current.rules.hash()),
            current.rules.graph().rules.len()
        );
        out.push_str("# HELP baton_decision_duration_seconds Time to decide one conversation, parsing included.\n");
        out.push_str("# TYPE baton_decision_duration_seconds histogram\n");
        for (bucket, bound) in self.buckets.iter().zip(BUCKETS) {
            let _ = writeln!(
                out,
                "baton_decision_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                bucket.load(Ordering::Relaxed)
            );
        }
        let count = self.latency_count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "baton_decision_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            out,
            "baton_decision_duration_seconds_sum {}",
            self.latency_micros.load(Ordering::Relaxed) as f64 / 1e6
        );
        let _ = writeln!(out, "baton_decision_duration_seconds_count {count}");
        out
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A label value as the exposition format wants it.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("say \"hi\"\\\n"), "say \\\"hi\\\"\\\\\\n");
    }
}
