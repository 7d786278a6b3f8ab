//! baton decides when an AI support agent must hand a conversation to a human.
//!
//! The pipeline, one stage per module:
//!
//! ```
//! use baton::source::{SourceFile, Sources};
//!
//! let mut sources = Sources::new();
//! sources.add(SourceFile::new(
//!     "rules/escalation.baton",
//!     "queue billing \"Billing specialists\" sla 4h\n\
//!      when sentiment < -0.6 or loops >= 2 then handoff to billing priority high\n",
//! ));
//! let checked = baton::check_sources(&sources, &baton::Limits::default());
//! assert_eq!(checked.diagnostics.errors(), 0);
//! assert_eq!(checked.ruleset.rules.len(), 1);
//! ```

pub mod check;
pub mod cli;
pub mod diagnostic;
mod limits;
pub mod reload;
pub mod source;
pub mod syntax;

pub use check::{Checked, check_sources};
pub use limits::Limits;
