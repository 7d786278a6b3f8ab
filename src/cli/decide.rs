//! `baton decide [--rules PATH] [--explain] [--now TIME] [INPUT...]`: one
//! decision per conversation, one line each, in input order. A line that
//! cannot be decided gets an error record and the batch goes on.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::output;
use std::sync::Arc;

use crate::reload::{Live, watch};
use crate::rules::{Rules, clock_now};
use crate::runtime::time::parse_rfc3339;
use crate::runtime::{InputError, Options};

/// Arguments of `baton decide`.
#[derive(clap::Args)]
pub struct Args {
    /// Rule files or folders.
    #[arg(long = "rules", default_value = "rules/")]
    rules: Vec<PathBuf>,
    /// Add `trace`: every rule tried, with the values it saw.
    #[arg(long)]
    explain: bool,
    /// Decide as if it were this time (RFC 3339), for reproducible `waiting`.
    #[arg(long, value_parser = parse_now)]
    now: Option<i64>,
    /// Keep deciding with the rules as their files change: each line is
    /// decided by the rules in force when it is read (a change that brings
    /// errors leaves the last good rules in force).
    #[arg(long)]
    watch: bool,
    /// Conversations: `.json` files (one conversation each), JSON Lines
    /// files, or `-` for JSON Lines on standard input (the default).
    inputs: Vec<String>,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

/// The rules that decide: loaded once, or kept current as files change.
enum Deciding {
    Once(Box<Rules>),
    Live(Arc<Live>),
}

impl Deciding {
    fn limits(&self) -> crate::limits::Limits {
        match self {
            Deciding::Once(rules) => rules.limits().clone(),
            Deciding::Live(live) => live.current().rules.limits().clone(),
        }
    }

    fn decide_str(
        &self,
        text: &str,
        options: &Options,
    ) -> Result<crate::runtime::Decision, InputError> {
        match self {
            Deciding::Once(rules) => rules.decide_str(text, options),
            Deciding::Live(live) => live.current().rules.decide_str(text, options),
        }
    }
}

pub(super) fn parse_now(text: &str) -> Result<i64, String> {
    parse_rfc3339(text)
        .ok_or_else(|| format!("`{text}` is not an RFC 3339 time such as 2026-11-20T10:00:00Z"))
}

/// Decides every conversation. Exit status: 0 when every one was decided,
/// 1 when some input could not be, 2 when nothing could start (unreadable or
/// broken rules) or an input file could not be read.
pub fn run(args: &Args) -> ExitCode {
    let limits = args.limits.limits();
    let loaded = if args.watch {
        super::logs::init(super::logs::LogFormat::Text);
        Live::start(args.rules.clone(), limits).map(|live| Deciding::Live(Arc::new(live)))
    } else {
        Rules::load(&args.rules, &limits).map(|rules| Deciding::Once(Box::new(rules)))
    };
    let rules = match loaded {
        Ok(rules) => rules,
        Err(failure) => return output::load_failure(failure, "nothing was decided", 2),
    };
    let _watching = match &rules {
        Deciding::Live(live) => match watch(live.clone()) {
            Ok(w) => Some(w),
            Err(e) => {
                output::fail(&format!("cannot watch the rule files: {e}"));
                return ExitCode::from(2);
            }
        },
        Deciding::Once(_) => None,
    };
    let options = Options {
        now: Some(args.now.unwrap_or_else(clock_now)),
        explain: args.explain,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = false;
    let mut unreadable = false;
    let inputs = if args.inputs.is_empty() {
        vec!["-".to_string()]
    } else {
        args.inputs.clone()
    };
    for input in &inputs {
        let result = if input == "-" {
            batch(
                &rules,
                &options,
                std::io::stdin().lock(),
                None,
                true,
                &mut out,
            )
        } else if Path::new(input).extension().is_some_and(|e| e == "json") {
            single(&rules, &options, input, &mut out)
        } else {
            std::fs::File::open(input).and_then(|f| {
                batch(
                    &rules,
                    &options,
                    BufReader::new(f),
                    Some(input),
                    false,
                    &mut out,
                )
            })
        };
        match result {
            Ok(ok) => failed |= !ok,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
            Err(e) => {
                let _ = out.flush();
                output::fail(&format!("`{input}` cannot be read: {e}"));
                unreadable = true;
            }
        }
    }
    if out.flush().is_err() {
        return ExitCode::from(2);
    }
    match (unreadable, failed) {
        (true, _) => ExitCode::from(2),
        (false, true) => ExitCode::from(1),
        (false, false) => ExitCode::SUCCESS,
    }
}

/// One conversation in a `.json` file. Returns whether it was decided.
fn single(
    rules: &Deciding,
    options: &Options,
    path: &str,
    out: &mut impl Write,
) -> std::io::Result<bool> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.read_to_end(&mut bytes)?;
    line(rules, options, &bytes, 1, Some(path), out)
}

/// JSON Lines: one conversation a line. Returns whether every line was
/// decided. A file read with rules loaded once is decided a block of lines
/// at a time on every core, each block written in order before the next is
/// read; standard input, and rules that follow their files, go a line at a
/// time, so that each line is answered as soon as it arrives.
fn batch(
    rules: &Deciding,
    options: &Options,
    mut reader: impl BufRead,
    file: Option<&str>,
    flush_each: bool,
    out: &mut impl Write,
) -> std::io::Result<bool> {
    let limits = rules.limits();
    let max = limits.max_conversation_bytes;
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let (block_lines, block_bytes) = match rules {
        Deciding::Once(_) if !flush_each && cores > 1 => (BLOCK_LINES, BLOCK_BYTES),
        _ => (1, 0),
    };
    let mut all = true;
    let mut block: Vec<Line> = Vec::new();
    let mut number = 0;
    loop {
        let mut bytes = 0;
        while block.len() < block_lines && (block.is_empty() || bytes < block_bytes) {
            let mut buffer = Vec::new();
            let Some(length) = read_line(&mut reader, &mut buffer, max)? else {
                break;
            };
            number += 1;
            bytes += buffer.len();
            block.push(if length > max {
                Line::TooLong(number, length)
            } else {
                Line::Text(number, buffer)
            });
        }
        if block.is_empty() {
            return Ok(all);
        }
        for (record, ok) in records(rules, options, &block, file, &limits, cores)? {
            out.write_all(&record)?;
            out.write_all(b"\n")?;
            all &= ok;
        }
        if flush_each {
            out.flush()?;
        }
        block.clear();
    }
}

/// Lines decided together on every core, at most: enough to keep the cores
/// busy, few enough that the first decisions are written soon.
const BLOCK_LINES: usize = 256;
/// Bytes of lines read before a block is decided, whatever its length.
const BLOCK_BYTES: usize = 8 << 20;

/// A line of a batch, with its number.
enum Line {
    /// Over the size limit: its length, the text not kept.
    TooLong(usize, usize),
    /// The line as read, with its line break.
    Text(usize, Vec<u8>),
}

/// The record of each line of `block`, in order, and whether it was
/// decided; worked out on up to `cores` threads.
fn records(
    rules: &Deciding,
    options: &Options,
    block: &[Line],
    file: Option<&str>,
    limits: &crate::limits::Limits,
    cores: usize,
) -> std::io::Result<Vec<(Vec<u8>, bool)>> {
    let one = |l: &Line| match l {
        Line::TooLong(number, length) => {
            let error = crate::rules::too_large(*length, limits)
                .err()
                .unwrap_or_else(|| input_error("this line is too long"));
            Ok((error.record(*number, file).to_string().into_bytes(), false))
        }
        Line::Text(number, buffer) => {
            let text = buffer.strip_suffix(b"\n").unwrap_or(buffer);
            let text = text.strip_suffix(b"\r").unwrap_or(text);
            record(rules, options, text, *number, file)
        }
    };
    if block.len() < 2 || cores < 2 {
        return block.iter().map(one).collect();
    }
    let chunk = block.len().div_ceil(cores);
    std::thread::scope(|scope| {
        let jobs: Vec<_> = block
            .chunks(chunk)
            .map(|lines| scope.spawn(move || lines.iter().map(one).collect::<Vec<_>>()))
            .collect();
        let mut all = Vec::with_capacity(block.len());
        for job in jobs {
            match job.join() {
                Ok(records) => {
                    for r in records {
                        all.push(r?);
                    }
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        Ok(all)
    })
}

/// Reads one line into `buffer`, holding at most `max` bytes of it (and its
/// line break): a longer line is read to its end but not kept. Returns the
/// line's length without its line break, or `None` at the end of input.
fn read_line(
    reader: &mut impl BufRead,
    buffer: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<Option<usize>> {
    buffer.clear();
    // At most the line's `max` bytes, a `\r` and the line break are kept.
    let keep = max.saturating_add(2);
    let mut read = reader
        .by_ref()
        .take(keep as u64)
        .read_until(b'\n', buffer)?;
    if read == 0 {
        return Ok(None);
    }
    let mut ends = buffer.ends_with(b"\n");
    if !ends && read == keep {
        // A longer line: read to its end a piece at a time, not kept.
        buffer.clear();
        while !ends {
            let piece = reader.by_ref().take(1 << 16).read_until(b'\n', buffer)?;
            if piece == 0 {
                break;
            }
            read += piece;
            ends = buffer.ends_with(b"\n");
            buffer.clear();
        }
    }
    let mut length = read - usize::from(ends);
    if buffer.ends_with(b"\r\n") && length > 0 {
        length -= 1;
    }
    Ok(Some(length))
}

/// Decides one line and writes its decision or error record.
fn line(
    rules: &Deciding,
    options: &Options,
    bytes: &[u8],
    number: usize,
    file: Option<&str>,
    out: &mut impl Write,
) -> std::io::Result<bool> {
    let (record, ok) = record(rules, options, bytes, number, file)?;
    out.write_all(&record)?;
    out.write_all(b"\n")?;
    Ok(ok)
}

/// The decision or error record of one line, and whether it was decided.
fn record(
    rules: &Deciding,
    options: &Options,
    bytes: &[u8],
    number: usize,
    file: Option<&str>,
) -> std::io::Result<(Vec<u8>, bool)> {
    let result = match std::str::from_utf8(bytes) {
        Err(_) => Err(input_error("this line is not UTF-8 text")),
        Ok(text) if text.trim().is_empty() => Err(input_error(
            "this line is empty; each line must hold one conversation",
        )),
        Ok(text) => rules.decide_str(text, options),
    };
    let (record, ok) = match result {
        Ok(decision) => (decision.to_json().map_err(std::io::Error::other)?, true),
        Err(error) => (error.record(number, file).to_string().into_bytes(), false),
    };
    Ok((record, ok))
}

fn input_error(message: &str) -> InputError {
    InputError {
        code: crate::diagnostic::Code::E0401,
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::read_line;

    /// Each line's length without its line break, and what was kept of it,
    /// reading `input` with lines of at most 4 bytes kept.
    fn lines(input: &str) -> Vec<(usize, String)> {
        let mut reader = std::io::BufReader::with_capacity(3, input.as_bytes());
        let mut buffer = Vec::new();
        let mut out = Vec::new();
        while let Some(length) = read_line(&mut reader, &mut buffer, 4).expect("in memory") {
            out.push((length, String::from_utf8_lossy(&buffer).into_owned()));
        }
        out
    }

    #[test]
    fn a_line_is_kept_up_to_the_limit_and_measured_to_its_end() {
        let kept = |length: usize, text: &str| (length, text.to_string());
        assert_eq!(lines(""), vec![]);
        assert_eq!(
            lines("abcd\nabcd\r\n\n\r\nab"),
            vec![
                kept(4, "abcd\n"),
                kept(4, "abcd\r\n"),
                kept(0, "\n"),
                kept(0, "\r\n"),
                kept(2, "ab")
            ]
        );
        // Over the limit: its whole length (a `\r` counted), nothing kept
        // once it is two bytes over.
        assert_eq!(
            lines("abcde\nabcdef\nabcdefg\r\nabcdefgh"),
            vec![kept(5, "abcde\n"), kept(6, ""), kept(8, ""), kept(8, "")]
        );
    }
}
