//! The files of a ruleset: a path is a rule file or a folder read
//! recursively; files come in byte order of their paths, so rule order is
//! the same on every machine.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::limits::Limits;
use crate::source::{SourceFile, Sources};

/// Rule files read from disk.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The files that could be read as text, in rule order.
    pub sources: Sources,
    /// Files that are not UTF-8 text, each reported.
    pub diagnostics: Diagnostics,
}

/// A path that could not be read at all.
#[derive(Debug)]
pub enum LoadError {
    /// Nothing exists at the path.
    NotFound(PathBuf),
    /// A folder holds no `.baton` file.
    NoRuleFiles(PathBuf),
    /// The operating system refused to read it.
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::NotFound(p) => write!(f, "`{}` does not exist", p.display()),
            LoadError::NoRuleFiles(p) => write!(f, "`{}` holds no `.baton` rule file", p.display()),
            LoadError::Io(p, e) => write!(f, "`{}` cannot be read: {e}", p.display()),
        }
    }
}

impl std::error::Error for LoadError {}

/// Reads the rule files at `paths`: each a file, or a folder searched
/// recursively for `*.baton` (hidden files and folders are skipped).
pub fn load_paths(paths: &[PathBuf]) -> Result<Loaded, LoadError> {
    load_paths_within(paths, &Limits::default())
}

/// [`load_paths`], leaving unread (with error E0106) a file over
/// `limits.max_file_bytes`.
pub fn load_paths_within(paths: &[PathBuf], limits: &Limits) -> Result<Loaded, LoadError> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => LoadError::NotFound(path.clone()),
            _ => LoadError::Io(path.clone(), e),
        })?;
        if meta.is_dir() {
            let before = files.len();
            let mut found = Vec::new();
            walk(path, &mut found, &mut HashSet::new())?;
            found.sort_by(|a, b| {
                a.as_os_str()
                    .as_encoded_bytes()
                    .cmp(b.as_os_str().as_encoded_bytes())
            });
            files.extend(found);
            if files.len() == before {
                return Err(LoadError::NoRuleFiles(path.clone()));
            }
        } else {
            files.push(path.clone());
        }
    }
    let mut seen = HashSet::new();
    let mut loaded = Loaded::default();
    for file in files {
        let identity = std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
        if !seen.insert(identity) {
            continue;
        }
        // `./rules/a.baton` and `rules/a.baton` are one file, with one name.
        let name: PathBuf = file
            .components()
            .filter(|c| *c != std::path::Component::CurDir)
            .collect();
        let name = name.display().to_string();
        let length = std::fs::metadata(&file).map_or(0, |m| m.len());
        if length > limits.max_file_bytes as u64 {
            let source = Arc::new(SourceFile::new(name, String::new()));
            let bytes = usize::try_from(length).unwrap_or(usize::MAX);
            loaded
                .diagnostics
                .push(crate::syntax::file_too_large(&source, bytes, limits));
            continue;
        }
        let bytes = std::fs::read(&file).map_err(|e| LoadError::Io(file.clone(), e))?;
        match String::from_utf8(bytes) {
            Ok(text) => {
                loaded.sources.add(SourceFile::new(name, text));
            }
            Err(e) => loaded.diagnostics.push(not_utf8(name, e)),
        }
    }
    Ok(loaded)
}

fn walk(
    dir: &Path,
    found: &mut Vec<PathBuf>,
    visited: &mut HashSet<PathBuf>,
) -> Result<(), LoadError> {
    let identity = std::fs::canonicalize(dir).map_err(|e| LoadError::Io(dir.to_path_buf(), e))?;
    if !visited.insert(identity) {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| LoadError::Io(dir.to_path_buf(), e))?;
    for entry in entries {
        let entry = entry.map_err(|e| LoadError::Io(dir.to_path_buf(), e))?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(&path, found, visited)?;
        } else if path.extension().is_some_and(|e| e == "baton") {
            found.push(path);
        }
    }
    Ok(())
}

fn not_utf8(name: String, error: std::string::FromUtf8Error) -> Diagnostic {
    let at = error.utf8_error().valid_up_to();
    let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
    let source = Arc::new(SourceFile::new(name.clone(), text));
    Diagnostic::new(Code::E0107, format!("`{name}` is not UTF-8 text"))
        .label_in(&source, at, '\u{FFFD}'.len_utf8(), "this byte is not UTF-8")
        .help("save the file as UTF-8 (most editors offer this under Save As or Encoding)")
}
