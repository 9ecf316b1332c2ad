//! `milink.toml`: the repository's settings, found by walking up from the current folder.
//!
//! ```toml
//! extend = "../milink.toml"         # inherit that configuration, override what is set here
//! params = "link/params.toml"        # relative to this file
//! azure = ["exports/link.json"]      # Azure exports checked too (like --azure)
//! paths = ["link"]                   # what to lint when no PATHS are given
//! include = ["*.sql", "*.tsql"]      # which walked files are scripts (default: *.sql and shell scripts)
//! exclude = ["archive/", "tmp_*.sql"]
//! select = ["ALL"]                   # codes, code prefixes (ML1) or rule names
//! ignore = ["ML503"]
//! fixable = ["ALL"]                  # rules whose fixes --fix applies (default: all)
//! unfixable = ["ML105"]              # rules whose findings are never fixed
//! fix = false                        # true: `check` applies the safe fixes (as --fix)
//! fail-on = "warning"                # or "error" (default)
//! format = "human"
//! respect-gitignore = true
//! force-exclude = false              # apply `exclude` to files named on the command line too
//! encoding = "auto"                  # or utf-8, windows-1250 … (encoding_rs labels)
//! [per-file-encoding]                # encodings of some files (gitignore-like globs)
//! "legacy/**" = "windows-1250"
//! [severity]
//! ML501 = "error"
//! [vars]                             # SQLCMD variables, like `sqlcmd -v`
//! Env = "prod"
//! ```
//!
//! Every value is checked when the file is read; a mistake is an error with its location.

use crate::diagnostic::Severity;
use crate::error::RunError;
use crate::params::suggest::closest;
use crate::selection::{parse_severity, RuleSelection};
use crate::source::Charset;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use serde_spanned::Spanned;
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

/// The file names looked for, in each folder from the current one up to the root.
pub const FILE_NAMES: &[&str] = &["milink.toml", ".milink.toml"];

/// The output formats a `format` value may name (the command line's `--format` values).
pub const FORMATS: &[&str] = &["human", "json", "sarif", "github", "gitlab", "junit"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
}

/// A read and checked configuration; paths are already relative to the current folder.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where it was read from, as shown in messages.
    pub path: PathBuf,
    pub params: Option<PathBuf>,
    /// Azure exports (`azure = ["exports/link.json"]`).
    pub azure: Vec<PathBuf>,
    pub paths: Vec<OsString>,
    pub filter: Option<FileFilter>,
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub fixable: Option<Vec<String>>,
    pub unfixable: Option<Vec<String>>,
    pub fix: Option<bool>,
    pub severity: Vec<(String, Severity)>,
    pub fail_on: Option<FailOn>,
    pub format: Option<String>,
    pub respect_gitignore: Option<bool>,
    pub force_exclude: Option<bool>,
    pub vars: Vec<(String, String)>,
    pub max_file_size: Option<u64>,
    /// `encoding` and `[per-file-encoding]`.
    pub encodings: Option<Encodings>,
    /// `extend`: the configuration this one inherits (already merged in by [`load`]).
    pub extend: Option<PathBuf>,
}

impl Config {
    /// `self` over `base`: every value set here wins, `vars` and `severity` add up;
    /// `paths` is not inherited.
    fn over(self, base: Config) -> Config {
        let mut vars = base.vars;
        vars.extend(self.vars);
        let mut severity = base.severity;
        severity.extend(self.severity);
        Config {
            path: self.path,
            params: self.params.or(base.params),
            azure: if self.azure.is_empty() {
                base.azure
            } else {
                self.azure
            },
            // A set-up's paths are its own: inherited, they would pull another set-up's
            // scripts under these parameters.
            paths: self.paths,
            filter: self.filter.or(base.filter),
            select: self.select.or(base.select),
            ignore: self.ignore.or(base.ignore),
            fixable: self.fixable.or(base.fixable),
            unfixable: self.unfixable.or(base.unfixable),
            fix: self.fix.or(base.fix),
            severity,
            fail_on: self.fail_on.or(base.fail_on),
            format: self.format.or(base.format),
            respect_gitignore: self.respect_gitignore.or(base.respect_gitignore),
            force_exclude: self.force_exclude.or(base.force_exclude),
            vars,
            max_file_size: self.max_file_size.or(base.max_file_size),
            encodings: match (self.encodings, base.encodings) {
                (Some(own), Some(inherited)) => Some(own.over(inherited)),
                (own, inherited) => own.or(inherited),
            },
            extend: self.extend,
        }
    }
}

/// The encoding each file is read with: `encoding` (default `auto`) and
/// `[per-file-encoding]` of milink.toml, or `--encoding` for every file.
#[derive(Debug, Clone, Default)]
pub struct Encodings {
    pub default: Charset,
    /// `encoding` was written (an extending configuration keeps its base's otherwise).
    default_given: bool,
    /// `[per-file-encoding]` of this configuration and those it extends, base first:
    /// where several match a file, the longest (most specific) pattern wins, and of two
    /// as long, the extending configuration's.
    per_file: Vec<PerFileEncoding>,
}

/// One `[per-file-encoding]` entry: a glob relative to its configuration's folder.
#[derive(Debug, Clone)]
struct PerFileEncoding {
    /// The configuration's folder, absolute.
    root: PathBuf,
    pattern_len: usize,
    glob: globset::GlobMatcher,
    charset: Charset,
}

impl Encodings {
    /// One encoding for every file.
    pub fn all(charset: Charset) -> Encodings {
        Encodings {
            default: charset,
            ..Encodings::default()
        }
    }

    pub fn for_path(&self, path: &Path) -> Charset {
        if self.per_file.is_empty() {
            return self.default;
        }
        let Ok(absolute) = std::path::absolute(path).map(|p| normalize(&p)) else {
            return self.default;
        };
        let mut best: Option<&PerFileEncoding> = None;
        for entry in &self.per_file {
            let matches = absolute
                .strip_prefix(&entry.root)
                .is_ok_and(|relative| entry.glob.is_match(relative));
            if matches && best.is_none_or(|b| entry.pattern_len >= b.pattern_len) {
                best = Some(entry);
            }
        }
        best.map_or(self.default, |entry| entry.charset)
    }

    /// `self` (an extending configuration's) over `base`.
    fn over(self, base: Encodings) -> Encodings {
        let mut per_file = base.per_file;
        per_file.extend(self.per_file);
        Encodings {
            default: if self.default_given {
                self.default
            } else {
                base.default
            },
            default_given: self.default_given || base.default_given,
            per_file,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    extend: Option<Spanned<String>>,
    params: Option<Spanned<String>>,
    azure: Option<Vec<Spanned<String>>>,
    paths: Option<Vec<Spanned<String>>>,
    include: Option<Vec<Spanned<String>>>,
    exclude: Option<Vec<Spanned<String>>>,
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    fixable: Option<Vec<Spanned<String>>>,
    unfixable: Option<Vec<Spanned<String>>>,
    fix: Option<bool>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    fail_on: Option<Spanned<String>>,
    format: Option<Spanned<String>>,
    respect_gitignore: Option<bool>,
    force_exclude: Option<bool>,
    vars: Option<BTreeMap<String, String>>,
    max_file_size: Option<Spanned<SizeValue>>,
    encoding: Option<Spanned<String>>,
    per_file_encoding: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
}

/// `max-file-size = 300000000` or `max-file-size = "300MB"`.
#[derive(Deserialize)]
#[serde(untagged)]
enum SizeValue {
    Bytes(u64),
    Text(String),
}

const KEYS: &[&str] = &[
    "extend",
    "params",
    "azure",
    "paths",
    "include",
    "exclude",
    "select",
    "ignore",
    "fixable",
    "unfixable",
    "fix",
    "severity",
    "fail-on",
    "format",
    "respect-gitignore",
    "force-exclude",
    "vars",
    "max-file-size",
    "encoding",
    "per-file-encoding",
];

/// The configuration file that applies in `start`: the first of [`FILE_NAMES`] in it or
/// in one of its parents. The path returned is relative (`../milink.toml`) when `start` is `.`.
pub fn find(start: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(start).ok()?;
    let mut prefix = start.to_path_buf();
    for folder in absolute.ancestors() {
        for name in FILE_NAMES {
            if folder.join(name).is_file() {
                return Some(tidy(&prefix.join(name)));
            }
        }
        prefix.push("..");
    }
    None
}

/// Read and check the configuration at `path`, with the ones it extends.
pub fn load(path: &Path) -> Result<Config, RunError> {
    let mut chain: Vec<PathBuf> = Vec::new();
    load_extending(path, &mut chain)
}

/// `chain`: the configurations that extend this one, to refuse a cycle.
fn load_extending(path: &Path, chain: &mut Vec<PathBuf>) -> Result<Config, RunError> {
    let key = normalize(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()));
    if chain.contains(&key) || chain.len() > 16 {
        return Err(RunError {
            message: format!(
                "{}: `extend` goes round in a circle (or deeper than 16 files)",
                path.display()
            ),
            help: Some("each milink.toml may extend one configuration above it".into()),
        });
    }
    chain.push(key);
    let config = load_one(path)?;
    match config.extend.clone() {
        Some(base) => Ok(config.over(load_extending(&base, chain)?)),
        None => Ok(config),
    }
}

fn load_one(path: &Path) -> Result<Config, RunError> {
    let shown = path.display().to_string();
    let fail = |message: String, help: Option<String>| RunError { message, help };
    if path.is_dir() {
        return Err(fail(
            format!("{shown}: the configuration file is a directory"),
            None,
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        fail(
            format!(
                "{shown}: cannot read the configuration file: {}",
                crate::error::io_cause(&e)
            ),
            None,
        )
    })?;
    let text = crate::source::decode_owned(bytes)
        .map_err(|e| fail(format!("{shown}: {e}"), None))?
        .text;
    parse_text(&text, path)
}

/// Check the configuration `text` read from `path` (which relative paths in it follow).
pub fn parse_text(text: &str, path: &Path) -> Result<Config, RunError> {
    let shown = path.display().to_string();
    let fail = |message: String, help: Option<String>| RunError { message, help };
    let at = |range: Range<usize>, message: String, help: Option<String>| {
        let index = crate::span::LineIndex::new(text);
        let lc = index.line_col(text, range.start.min(text.len()));
        RunError {
            message: format!("{shown}:{}:{}: {message}", lc.line, lc.column),
            help,
        }
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let (message, help) = explain_toml_error(e.message());
        match e.span() {
            // In `[vars]`, the line only: a column after a value tells its length.
            Some(range) if in_vars(text, range.start) => {
                let index = crate::span::LineIndex::new(text);
                let line = index.line_col(text, range.start.min(text.len())).line;
                let help = "[vars] is a table of strings: NAME = \"value\" (values are never shown in messages: they may be passwords)";
                fail(format!("{shown}:{line}: {message}"), Some(help.into()))
            }
            Some(range) => at(range, message, help),
            None => fail(format!("{shown}: {message}"), help),
        }
    })?;
    // `milink.toml` has the parent "", which `std::path::absolute` rejects.
    let base = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let resolve = |p: &str| -> PathBuf { relative_to_current_folder(&base.join(p)) };

    let list = |items: &Option<Vec<Spanned<String>>>| -> Option<Vec<String>> {
        items
            .as_ref()
            .map(|v| v.iter().map(|s| s.get_ref().clone()).collect())
    };
    // Check each selector where it is written.
    for items in [&raw.select, &raw.ignore, &raw.fixable, &raw.unfixable]
        .into_iter()
        .flatten()
    {
        let texts: Vec<&str> = items.iter().map(|s| s.get_ref().as_str()).collect();
        if let Err(e) = RuleSelection::new(&texts, &[], &[]) {
            return Err(at(items[e.index].span(), e.message, e.help));
        }
    }
    let mut severity = Vec::new();
    for (rule, level) in raw.severity.iter().flatten() {
        let Some(parsed) = parse_severity(level.get_ref()) else {
            return Err(at(
                level.span(),
                format!("'{}' is not a severity", level.get_ref()),
                Some("use \"error\", \"warning\" or \"info\"".into()),
            ));
        };
        if let Err(e) = RuleSelection::new(&[rule.get_ref().as_str()], &[], &[]) {
            return Err(at(rule.span(), e.message, e.help));
        }
        severity.push((rule.get_ref().clone(), parsed));
    }
    let fail_on = match &raw.fail_on {
        None => None,
        Some(v) => Some(match v.get_ref().to_ascii_lowercase().as_str() {
            "error" => FailOn::Error,
            "warning" => FailOn::Warning,
            other => {
                return Err(at(
                    v.span(),
                    format!("fail-on must be \"error\" or \"warning\", not '{other}'"),
                    None,
                ))
            }
        }),
    };
    if let Some(f) = &raw.format {
        if !FORMATS.contains(&f.get_ref().as_str()) {
            let near = closest(f.get_ref(), FORMATS);
            return Err(at(
                f.span(),
                format!("unknown format '{}'", f.get_ref()),
                Some(match near {
                    Some(n) => format!("did you mean \"{n}\"? (one of {})", FORMATS.join(", ")),
                    None => format!("one of {}", FORMATS.join(", ")),
                }),
            ));
        }
    }
    let max_file_size = match &raw.max_file_size {
        None => None,
        Some(v) => Some(match v.get_ref() {
            SizeValue::Bytes(n) => *n,
            SizeValue::Text(t) => parse_size(t).ok_or_else(|| {
                at(
                    v.span(),
                    format!("'{t}' is not a size"),
                    Some(
                        "write bytes (300000000) or a size with a unit (\"300MB\", \"1GB\")".into(),
                    ),
                )
            })?,
        }),
    };
    let charset = |v: &Spanned<String>| {
        Charset::parse(v.get_ref()).ok_or_else(|| {
            at(
                v.span(),
                format!("unknown encoding '{}'", v.get_ref()),
                Some(ENCODING_HELP.into()),
            )
        })
    };
    let encodings = if raw.encoding.is_none() && raw.per_file_encoding.is_none() {
        None
    } else {
        let mut per_file = Vec::new();
        for (pattern, value) in raw.per_file_encoding.iter().flatten() {
            let glob = GlobBuilder::new(&gitignore_like(pattern.get_ref()))
                .literal_separator(true)
                .case_insensitive(true)
                .build()
                .map_err(|e| at(pattern.span(), format!("invalid glob: {}", e.kind()), None))?;
            per_file.push((
                pattern.get_ref().len(),
                glob.compile_matcher(),
                charset(value)?,
            ));
        }
        let root = normalize(&std::path::absolute(base).unwrap_or_else(|_| base.to_path_buf()));
        let per_file = per_file
            .into_iter()
            .map(|(pattern_len, glob, charset)| PerFileEncoding {
                root: root.clone(),
                pattern_len,
                glob,
                charset,
            })
            .collect();
        Some(Encodings {
            default: raw
                .encoding
                .as_ref()
                .map(charset)
                .transpose()?
                .unwrap_or_default(),
            default_given: raw.encoding.is_some(),
            per_file,
        })
    };
    let include = raw.include.as_deref().unwrap_or_default();
    let exclude = raw.exclude.as_deref().unwrap_or_default();
    let filter = if include.is_empty() && exclude.is_empty() {
        None
    } else {
        let build = |items: &[Spanned<String>]| -> Result<GlobSet, RunError> {
            let mut set = GlobSetBuilder::new();
            for item in items {
                let glob = GlobBuilder::new(&gitignore_like(item.get_ref()))
                    .literal_separator(true)
                    .case_insensitive(true)
                    .build()
                    .map_err(|e| at(item.span(), format!("invalid glob: {}", e.kind()), None))?;
                set.add(glob);
            }
            set.build()
                .map_err(|e| fail(format!("{shown}: invalid glob: {e}"), None))
        };
        Some(FileFilter {
            root: normalize(&std::path::absolute(base).unwrap_or_else(|_| base.to_path_buf())),
            include: if include.is_empty() {
                None
            } else {
                Some(build(include)?)
            },
            exclude: build(exclude)?,
        })
    };
    Ok(Config {
        path: path.to_path_buf(),
        params: raw.params.as_ref().map(|p| resolve(p.get_ref())),
        azure: raw
            .azure
            .iter()
            .flatten()
            .map(|p| resolve(p.get_ref()))
            .collect(),
        paths: raw
            .paths
            .iter()
            .flatten()
            .map(|p| resolve(p.get_ref()).into_os_string())
            .collect(),
        filter,
        select: list(&raw.select),
        ignore: list(&raw.ignore),
        fixable: list(&raw.fixable),
        unfixable: list(&raw.unfixable),
        fix: raw.fix,
        severity,
        fail_on,
        format: raw.format.map(Spanned::into_inner),
        respect_gitignore: raw.respect_gitignore,
        force_exclude: raw.force_exclude,
        vars: raw.vars.unwrap_or_default().into_iter().collect(),
        max_file_size,
        encodings,
        extend: raw.extend.as_ref().map(|p| resolve(p.get_ref())),
    })
}

/// What an `encoding` value may be.
pub const ENCODING_HELP: &str = "\"auto\" (a BOM, else UTF-8 if valid, else Windows-1252) or an encoding: utf-8, utf-16le, utf-16be, windows-1250 … windows-1258, iso-8859-1 … iso-8859-16, koi8-r, shift_jis, gbk, big5, euc-kr";

/// `300000000`, `300MB`, `300 MiB`, `1G`, `512kb` (units of 1024, case-insensitive).
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let number: u64 = t[..digits].parse().ok()?;
    let unit = t[digits..].trim().to_ascii_lowercase();
    let factor: u64 = match unit.trim_end_matches("ib").trim_end_matches('b') {
        "" => 1,
        "k" => 1 << 10,
        "m" => 1 << 20,
        "g" => 1 << 30,
        _ => return None,
    };
    number.checked_mul(factor)
}

/// serde's "unknown field `selct`, expected one of …" as a message and a "did you mean".
/// Whether `offset` is on the `vars = …` line or inside the `[vars]` table.
fn in_vars(text: &str, offset: usize) -> bool {
    let before = &text[..offset.min(text.len())];
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    let line = text[line_start..]
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start();
    let key_line = line
        .strip_prefix("vars")
        .is_some_and(|rest| rest.trim_start().starts_with('='));
    let table = before[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .is_some_and(|header| header.trim_matches(['[', ']', ' ']) == "vars");
    key_line || table
}

fn explain_toml_error(message: &str) -> (String, Option<String>) {
    // A value is never quoted back: it may be a password given in `[vars]`.
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.trim().strip_prefix(prefix) {
            let kind = rest.split([' ', ',']).next().unwrap_or_default();
            let expected = rest.rfind(", expected ").map_or("", |i| &rest[i..]);
            return (format!("{prefix}{kind}{expected}"), None);
        }
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or_default();
        let help = match closest(key, KEYS) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("the keys are {}", KEYS.join(", ")),
        };
        return (format!("unknown key '{key}'"), Some(help));
    }
    (message.trim().to_string(), None)
}

/// A gitignore-like pattern as a glob over `/`-separated paths relative to the
/// configuration file's folder: a pattern without a `/` (but a trailing one) matches at
/// any depth; `/x` or `a/b` are anchored at that folder; a trailing `/` is dropped.
fn gitignore_like(pattern: &str) -> String {
    let trimmed = pattern.trim().trim_end_matches('/');
    if let Some(anchored) = trimmed.strip_prefix('/') {
        anchored.to_string()
    } else if trimmed.contains('/') || trimmed.starts_with("**") {
        trimmed.to_string()
    } else {
        format!("**/{trimmed}")
    }
}

/// `include`/`exclude` of a configuration, matched against paths relative to its folder.
#[derive(Debug, Clone)]
pub struct FileFilter {
    /// The configuration file's folder, absolute.
    root: PathBuf,
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl FileFilter {
    /// `path` relative to the root; `None` outside it (the patterns do not speak of it).
    fn relative(&self, path: &Path) -> Option<PathBuf> {
        let absolute = normalize(&std::path::absolute(path).ok()?);
        absolute
            .strip_prefix(&self.root)
            .ok()
            .map(Path::to_path_buf)
    }

    /// `path` or one of its folders (below the root) is excluded.
    pub fn is_excluded(&self, path: &Path) -> bool {
        self.relative(path).is_some_and(|relative| {
            relative
                .ancestors()
                .filter(|a| !a.as_os_str().is_empty())
                .any(|a| self.exclude.is_match(a))
        })
    }

    /// Whether a file found by walking is a script: it matches `include` (by default, its
    /// extension is `.sql` in any case). `None`: the default applies.
    pub fn is_included(&self, path: &Path) -> Option<bool> {
        let set = self.include.as_ref()?;
        self.relative(path).map(|relative| set.is_match(relative))
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system (no symlink resolution).
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` as shown to the user: relative to the current folder (`params.toml` rather than
/// `../link/params.toml` when run in `link/`), absolute only when it was given so.
fn relative_to_current_folder(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return normalize(path);
    }
    let (Ok(target), Ok(here)) = (std::path::absolute(path), std::path::absolute(".")) else {
        return tidy(path);
    };
    let (target, here) = (normalize(&target), normalize(&here));
    let common = target
        .components()
        .zip(here.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = PathBuf::new();
    for _ in here.components().skip(common) {
        out.push("..");
    }
    for c in target.components().skip(common) {
        out.push(c);
    }
    tidy(&out)
}

/// A relative path without `./` noise: `./milink.toml` → `milink.toml`.
fn tidy(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        if c != Component::CurDir {
            out.push(c);
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        std::fs::create_dir_all(dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("milink-config-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn reads_every_key() {
        let dir = temp("every");
        let path = write(
            &dir,
            "milink.toml",
            r#"params = "link/params.toml"
paths = ["link"]
include = ["*.sql"]
exclude = ["archive/"]
select = ["ML1", "ML2"]
ignore = ["dag-name-mismatch"]
fail-on = "warning"
format = "sarif"
respect-gitignore = false
force-exclude = true
max-file-size = "300MB"
[severity]
ML501 = "error"
[vars]
Env = "prod"
"#,
        );
        let c = load(&path).unwrap();
        assert_eq!(c.params, Some(dir.join("link/params.toml")));
        assert_eq!(c.paths, [dir.join("link").into_os_string()]);
        assert_eq!(c.select, Some(vec!["ML1".to_string(), "ML2".to_string()]));
        assert_eq!(c.ignore, Some(vec!["dag-name-mismatch".to_string()]));
        assert_eq!(c.severity, [("ML501".to_string(), Severity::Error)]);
        assert_eq!(c.fail_on, Some(FailOn::Warning));
        assert_eq!(c.format.as_deref(), Some("sarif"));
        assert_eq!(c.respect_gitignore, Some(false));
        assert_eq!(c.force_exclude, Some(true));
        assert_eq!(c.vars, [("Env".to_string(), "prod".to_string())]);
        assert_eq!(c.max_file_size, Some(300 << 20));
        let f = c.filter.unwrap();
        assert!(f.is_excluded(&dir.join("archive/old.sql")));
        assert!(f.is_excluded(&dir.join("sub/archive/x/old.sql")));
        assert!(!f.is_excluded(&dir.join("link/01.sql")));
        assert_eq!(f.is_included(&dir.join("link/01.SQL")), Some(true));
        assert_eq!(f.is_included(&dir.join("link/notes.md")), Some(false));
        let _ = std::fs::remove_dir_all(dir);
    }

    fn error_of(text: &str) -> RunError {
        let dir = temp(&format!("err{}", text.len()));
        let path = write(&dir, "milink.toml", text);
        let e = load(&path).unwrap_err();
        let _ = std::fs::remove_dir_all(dir);
        e
    }

    #[test]
    fn unknown_key_is_an_error_with_location_and_suggestion() {
        let e = error_of("params = \"p.toml\"\nselct = [\"ML1\"]\n");
        assert!(
            e.message.ends_with("milink.toml:2:1: unknown key 'selct'"),
            "{}",
            e.message
        );
        assert_eq!(e.help.as_deref(), Some("did you mean `select`?"));
    }

    #[test]
    fn bad_values_point_at_the_value() {
        let e = error_of("ignore = [\"ML101\", \"ML9\"]\n");
        assert!(
            e.message
                .ends_with("milink.toml:1:20: 'ML9' is not a rule code, code prefix or rule name"),
            "{}",
            e.message
        );
        let e = error_of("[severity]\nML101 = \"fatal\"\n");
        assert!(
            e.message
                .ends_with("milink.toml:2:9: 'fatal' is not a severity"),
            "{}",
            e.message
        );
        let e = error_of("format = \"sarf\"\n");
        assert!(
            e.message
                .ends_with("milink.toml:1:10: unknown format 'sarf'"),
            "{}",
            e.message
        );
        assert!(e.help.unwrap().starts_with("did you mean \"sarif\"?"));
        let e = error_of("fail-on = \"warnings\"\n");
        assert!(
            e.message.contains("milink.toml:1:11: fail-on must be"),
            "{}",
            e.message
        );
        let e = error_of("exclude = [\"a/[z\"]\n");
        assert!(
            e.message.contains("milink.toml:1:12: invalid glob"),
            "{}",
            e.message
        );
        let e = error_of("select = \"ML1\"\n");
        assert!(e.message.contains("milink.toml:1:10:"), "{}", e.message);
    }

    #[test]
    fn found_in_a_parent_folder() {
        let dir = temp("find");
        write(&dir, "milink.toml", "");
        std::fs::create_dir_all(dir.join("a/b")).unwrap();
        let found = find(&dir.join("a/b")).unwrap();
        assert_eq!(
            normalize(&std::path::absolute(found).unwrap()),
            normalize(&dir.join("milink.toml"))
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("300000000"), Some(300_000_000));
        assert_eq!(parse_size("300MB"), Some(300 << 20));
        assert_eq!(parse_size("1 GiB"), Some(1 << 30));
        assert_eq!(parse_size("512kb"), Some(512 << 10));
        assert_eq!(parse_size("12 parsecs"), None);
        assert_eq!(parse_size("99999999999999999999G"), None);
        let e = error_of("max-file-size = \"big\"\n");
        assert!(
            e.message.ends_with("milink.toml:1:17: 'big' is not a size"),
            "{}",
            e.message
        );
    }

    #[test]
    fn patterns_are_gitignore_like() {
        assert_eq!(gitignore_like("archive/"), "**/archive");
        assert_eq!(gitignore_like("/build"), "build");
        assert_eq!(gitignore_like("link/*.sql"), "link/*.sql");
        assert_eq!(gitignore_like("**/*.tsql"), "**/*.tsql");
    }
}
