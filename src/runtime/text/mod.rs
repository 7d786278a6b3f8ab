//! What is read from the words of messages: sentiment (a port of VADER),
//! repeated messages, requests for a person, and AI turns that did not help.
//! Pure functions of text, each measured on real conversations in
//! `docs/signals.md`.

pub mod failures;
pub mod repeats;
pub mod requests;
pub mod sentiment;
mod words;
