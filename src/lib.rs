//! baton decides when an AI support agent must hand a conversation to a human.
//!
//! Support teams write rules in plain text; baton checks them, compiles them
//! into a rule graph and applies it to conversations:
//!
//! ```
//! use baton::runtime::{Act, Lane, Options};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let rules = baton::Rules::from_text("rules/escalation.baton", r#"
//!     queue billing "Billing specialists" sla 4h
//!
//!     when sentiment < -0.6 or loops >= 2 then handoff to billing priority high
//!       reason "Sentiment {sentiment} after {customer_turns} customer messages"
//! "#)?;
//!
//! let conversation = serde_json::json!({
//!     "id": "c-1042",
//!     "messages": [
//!         { "role": "customer", "text": "I was charged twice this month", "sentiment": -0.3 },
//!         { "role": "ai", "text": "I can see two invoices. Let me check why." },
//!         { "role": "customer", "text": "This is ridiculous", "sentiment": -0.8 }
//!     ]
//! });
//! let decision = rules.decide(&conversation, &Options::default())?;
//!
//! assert_eq!(decision.lane, Lane::Human);
//! assert_eq!(decision.action, Act::Handoff);
//! assert_eq!(decision.queue.as_deref(), Some("billing"));
//! assert_eq!(decision.sla.as_deref(), Some("4h"));
//! assert_eq!(decision.reason.as_deref(), Some("Sentiment -0.8 after 2 customer messages"));
//! assert_eq!(decision.brief.summary, "Conversation, 3 turns; sentiment fell from -0.3 to -0.8.");
//! # Ok(())
//! # }
//! ```
//!
//! The same pipeline, one stage at a time: text to syntax tree to checked
//! ruleset (with every problem found, as diagnostics) to rule graph to
//! decision.
//!
//! ```
//! use baton::source::{SourceFile, Sources};
//! use baton::runtime::{decide, Options};
//!
//! let mut sources = Sources::new();
//! sources.add(SourceFile::new("rules/a.baton", "when customer_turns >= 3 then continue\n"));
//! let checked = baton::check_sources(&sources, &baton::Limits::default());
//! assert_eq!(checked.diagnostics.errors(), 0);
//! let graph = baton::compile::compile(checked.ruleset);
//! let json = serde_json::json!({ "messages": [{ "role": "customer", "text": "hi" }] });
//! let decision = decide(&graph, &json, &Options { now: None, explain: true }).unwrap();
//! let trace = decision.trace.unwrap();
//! assert_eq!(trace[0].tests[0].why, "customer_turns is 1, needs >= 3");
//! ```

// The parser pest generates names `alloc` (pest is built without its stack
// probe, which cost a third of parsing; nesting is bounded before pest runs).
extern crate alloc;

pub mod analysis;
pub mod check;
pub mod cli;
pub mod compile;
pub mod diagnostic;
mod hash;
pub mod impact;
mod limits;
pub mod reload;
mod rules;
pub mod runtime;
pub mod serve;
pub mod source;
pub mod syntax;
pub mod testing;

pub use check::{Checked, check_sources};
pub use limits::Limits;
pub use rules::{LoadFailure, Rules, clock_now, too_large};
