//! The command line: one file per command. This is the only place that
//! prints; every other module returns data.

mod backtest;
mod check;
mod corpus;
mod decide;
mod diff;
mod fmt;
mod graph;
mod limits;
mod logs;
mod output;
mod serve;
mod test;

use std::process::ExitCode;

use clap::Parser as _;

/// baton decides when an AI support agent must hand a conversation to a human.
#[derive(clap::Parser)]
#[command(name = "baton", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Decide a corpus of conversations and report where they would go.
    Backtest(backtest::Args),
    /// Check rule files and explain every problem found in them.
    Check(check::Args),
    /// Decide conversations: one decision per line, in input order.
    Decide(decide::Args),
    /// What changes from one ruleset to another, on a corpus if given.
    Diff(diff::Args),
    /// Rewrite rule files in the canonical layout, keeping their comments.
    Fmt(fmt::Args),
    /// Draw the rule graph: rules in order, shared conditions, outcomes.
    Graph(graph::Args),
    /// Serve decisions over HTTP, reloading the rules as their files change.
    Serve(serve::Args),
    /// Run the rules' tests and compare example decisions with their snapshots.
    Test(test::Args),
}

/// Runs the command line and returns the process's exit status: 0 for
/// success, 1 when the input has errors, 2 for usage or I/O problems.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Backtest(args) => backtest::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Decide(args) => decide::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Test(args) => test::run(&args),
    }
}
