//! `baton fmt [PATH...] [--check] [--diff]`: rewrites rule files in the
//! canonical layout, keeping their comments. A file with syntax errors is
//! left as it is and its errors are shown.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::output;
use crate::diagnostic::Diagnostics;
use crate::source::SourceFile;
use crate::syntax::format::{Layout, lay_out};
use crate::testing::report::diff_text;
use crate::testing::snapshot::diff;

/// Arguments of `baton fmt`.
#[derive(clap::Args)]
pub struct Args {
    /// Rule files or folders (read recursively for `*.baton`).
    #[arg(default_value = "rules/")]
    paths: Vec<PathBuf>,
    /// Change nothing; list the files that are not in the layout and exit 1
    /// if there are any (for CI).
    #[arg(long)]
    check: bool,
    /// Change nothing; show what would change in each file.
    #[arg(long)]
    diff: bool,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

/// What became of one file.
enum Outcome {
    Same,
    Changed(String),
    Broken(Diagnostics),
    /// The layout would change what the file says: a fault of baton's.
    Refused,
}

/// Formats the files. Exit status: 0 when every file is (now) in the
/// layout, 1 when `--check` or `--diff` found a file that is not, or a file
/// has syntax errors, 2 when the files cannot be read or written.
pub fn run(args: &Args) -> ExitCode {
    let limits = args.limits.limits();
    let loaded = match output::load(&args.paths, &limits) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let mut broken = !loaded.diagnostics.is_empty();
    if broken {
        output::eprint(&output::render(
            &loaded.diagnostics,
            output::Format::Human,
            "these files were left as they are",
        ));
    }
    let (mut changed, mut same) = (Vec::new(), 0);
    for (_, file) in loaded.sources.iter() {
        match formatted(file, &limits) {
            Outcome::Same => same += 1,
            Outcome::Changed(text) => {
                let name = file.name().to_string();
                if args.diff {
                    let old: Vec<&str> = file.text().lines().collect();
                    let new: Vec<&str> = text.lines().collect();
                    let shown = diff_text(&diff(&old, &new), output::colour(), "  ");
                    output::print(&format!("{name}\n{shown}"));
                } else if args.check {
                    output::print(&format!("{name}\n"));
                } else if let Err(e) = write(Path::new(&name), &text) {
                    output::fail(&format!("`{name}` cannot be written: {e}"));
                    return ExitCode::from(2);
                }
                changed.push(name);
            }
            Outcome::Refused => {
                broken = true;
                output::fail(&format!(
                    "`{}` was left as it is: laid out, it would not say the same (a fault in baton; please report it with the file)",
                    file.name()
                ));
            }
            Outcome::Broken(diagnostics) => {
                broken = true;
                output::eprint(&output::render(
                    &diagnostics,
                    output::Format::Human,
                    &format!("`{}` has syntax errors and was left as it is", file.name()),
                ));
            }
        }
    }
    let files = |n: usize| output::count(n, "file");
    let summary = if args.check || args.diff {
        match changed.len() {
            0 => format!("{} in the layout", files(same)),
            n => format!("{} not in the layout; `baton fmt` rewrites them", files(n)),
        }
    } else {
        format!(
            "formatted {}; {} already in the layout",
            files(changed.len()),
            same
        )
    };
    output::eprint(&format!("{summary}\n"));
    let unformatted = (args.check || args.diff) && !changed.is_empty();
    if broken || unformatted {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// One file in the layout, keeping its line breaks and byte-order mark,
/// unless it has syntax errors or could not be laid out safely.
fn formatted(file: &SourceFile, limits: &crate::Limits) -> Outcome {
    let text = file.text();
    let mut out = match lay_out(file.name(), text, limits) {
        Layout::Laid(out) => out,
        Layout::Broken(errors) => {
            let mut diagnostics = Diagnostics::new();
            diagnostics.extend(errors);
            return Outcome::Broken(diagnostics);
        }
        Layout::Refused => return Outcome::Refused,
    };
    if text.contains("\r\n") {
        out = out.replace('\n', "\r\n");
    }
    if text.starts_with('\u{FEFF}') {
        out.insert(0, '\u{FEFF}');
    }
    if out == text {
        Outcome::Same
    } else {
        Outcome::Changed(out)
    }
}

/// Replaces a file's text by writing beside it and renaming, so a reader
/// (`baton serve` watching the folder) never sees half a file.
fn write(path: &Path, text: &str) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.fmt"));
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, path)
}
