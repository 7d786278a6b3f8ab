//! The pest parser generated from `grammar/baton.pest`. Its types stay inside
//! `syntax/`: the rest of baton sees only the AST.

/// The parser for the baton rule language.
#[derive(pest_derive::Parser)]
#[grammar = "grammar/baton.pest"]
pub struct BatonParser;
