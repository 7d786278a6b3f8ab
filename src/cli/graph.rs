//! `baton graph [--format mermaid|dot] [PATH...]`: the compiled rule graph
//! as a picture, on standard output.

use std::path::PathBuf;
use std::process::ExitCode;

use super::output;
use crate::compile::draw::{Format, draw};
use crate::rules::Rules;

/// Arguments of `baton graph`.
#[derive(clap::Args)]
pub struct Args {
    /// Rule files or folders.
    #[arg(default_value = "rules/")]
    paths: Vec<PathBuf>,
    /// `mermaid` (GitHub renders it in Markdown) or `dot` (for Graphviz:
    /// `baton graph --format dot | dot -Tsvg > rules.svg`).
    #[arg(long, value_enum, default_value_t = Picture::Mermaid)]
    format: Picture,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

/// The formats on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Picture {
    /// A Mermaid flowchart.
    Mermaid,
    /// A Graphviz digraph.
    Dot,
}

/// Prints the picture. Exit status: 0, or 1 when the rules have errors
/// (they are printed instead), 2 when they cannot be read.
pub fn run(args: &Args) -> ExitCode {
    let rules = match Rules::load(&args.paths, &args.limits.limits()) {
        Ok(rules) => rules,
        Err(failure) => return output::load_failure(failure, "nothing was drawn", 1),
    };
    let format = match args.format {
        Picture::Mermaid => Format::Mermaid,
        Picture::Dot => Format::Dot,
    };
    print!("{}", draw(rules.graph(), format));
    ExitCode::SUCCESS
}
