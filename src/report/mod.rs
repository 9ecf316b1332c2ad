//! Output: every format renders the same sorted [`Diagnostic`]s from a [`Report`]
//! whose texts are already masked (see [`crate::secrets`]).

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::files::Files;
use crate::secrets;
use crate::span::FileId;
use crate::span::Span;

/// The result of a run: the files (for rendering) and the sorted diagnostics.
#[derive(Debug)]
pub struct Report {
    pub files: Files,
    pub diagnostics: Vec<Diagnostic>,
    /// Number of scripts linted.
    pub scripts: usize,
    pub params_given: bool,
    /// Link set-ups found in the scripts.
    pub links: usize,
    /// Run-level remarks (skipped binary files, …), printed once.
    pub notes: Vec<String>,
    /// Findings silenced by `milink-lint: ignore` comments.
    pub suppressed: usize,
    /// The secret values of the run (never shown), to mask their repetitions in the
    /// texts of the other set-ups a report is merged with.
    pub secret_values: secrets::Values,
    /// Findings fixed by `--fix` before this report was made (its findings are those left).
    pub fixed: usize,
}

impl Report {
    /// One report for several set-ups: `other`'s files and findings after these, in the
    /// order every report has (file name, line, column, code).
    pub fn merge(&mut self, other: Report) {
        let offset = self.files.append(other.files);
        let shift = |span: &mut Span| span.file = FileId(span.file.0 + offset);
        for mut d in other.diagnostics {
            shift(&mut d.span);
            for label in &mut d.labels {
                shift(&mut label.span);
            }
            for edit in d.fix.iter_mut().flat_map(|f| f.edits.iter_mut()) {
                shift(&mut edit.span);
            }
            self.diagnostics.push(d);
        }
        self.scripts += other.scripts;
        self.params_given |= other.params_given;
        self.links += other.links;
        for note in other.notes {
            if !self.notes.contains(&note) {
                self.notes.push(note);
            }
        }
        self.suppressed += other.suppressed;
        self.fixed += other.fixed;
        self.secret_values.0.extend(other.secret_values.0);
        sort(&self.files, &mut self.diagnostics);
    }

    /// After merging set-ups: a secret of one set-up repeated in another's text (a
    /// comment quoting the other set-up's master key password) is masked there too.
    pub(crate) fn mask_secrets_across_setups(&mut self) {
        let known = secrets::Known::new(self.secret_values.0.iter().cloned());
        let ids: Vec<FileId> = self.files.iter().map(|(id, _)| id).collect();
        for id in ids {
            let found = known.occurrences(&self.files.get(id).text);
            if !found.is_empty() {
                let text = self.files.text_mut(id);
                secrets::mask(text, found);
                secrets::reveal(text);
            }
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// The last stage before rendering. The texts were masked before the analysis read
/// them: what is left to do is to show masked bytes as `*`, to say "(a secret value)"
/// where a message would quote text derived from a secret, to cut overlong texts, and
/// to sort and fold the findings repeated in copies of a file.
pub fn finish(mut files: Files, mut diagnostics: Vec<Diagnostic>) -> (Files, Vec<Diagnostic>) {
    files.each_text_mut(secrets::reveal);
    diagnostics.iter_mut().for_each(redact);
    diagnostics.iter_mut().for_each(|d| shorten(d, SHOWN));
    sort(&files, &mut diagnostics);
    let mut diagnostics = collapse_duplicates(&files, diagnostics);
    // The kept copy of a repeated finding may be a later file: sort again.
    sort(&files, &mut diagnostics);
    (files, diagnostics)
}

/// The longest message, label or help shown, in characters.
const SHOWN: usize = 600;

/// Messages quote names and values; a megabyte-long one (a generated script, a
/// corrupted export) is cut so that a report stays readable.
fn shorten(d: &mut Diagnostic, limit: usize) {
    let cut = |text: &mut String| {
        if let Some((at, _)) = text.char_indices().nth(limit) {
            text.truncate(at);
            text.push('…');
        }
    };
    cut(&mut d.message);
    cut(&mut d.primary_label);
    if let Some(help) = &mut d.help {
        cut(help);
    }
    for label in &mut d.labels {
        cut(&mut label.message);
    }
}

/// A diagnostic's texts without any text derived from a secret.
fn redact(d: &mut Diagnostic) {
    d.message = secrets::redact(&d.message);
    d.primary_label = secrets::redact(&d.primary_label);
    for label in &mut d.labels {
        label.message = secrets::redact(&label.message);
    }
    d.help = d.help.as_deref().map(secrets::redact);
    for note in &mut d.notes {
        *note = secrets::redact(note);
    }
}

/// File name, then line, then column, then code: the same input gives the same output.
pub(crate) fn sort(files: &Files, diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_cached_key(|d| {
        let at = files.start(d.span);
        (
            files.get(d.span.file).name.clone(),
            at.line,
            at.column,
            d.code,
            d.message.clone(),
        )
    });
}

/// The project's home page: SARIF `informationUri` and the base of rule `helpUri`s.
pub const REPOSITORY_URL: &str = "https://github.com/milink-lint/milink-lint";

/// The web page of a rule's documentation (`rules/CODE.md`, as `explain` prints it):
/// SARIF `helpUri` and `doc_url` of `rules --format json`.
pub fn rule_doc_url(code: Code) -> String {
    format!("{REPOSITORY_URL}/blob/main/rules/{code}.md")
}

/// "3 errors, 1 warning in 4 files".
pub fn summary(report: &Report) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = vec![
        plural(report.count(Severity::Error), "error"),
        plural(report.count(Severity::Warning), "warning"),
    ];
    let infos = report.count(Severity::Info);
    if infos > 0 {
        parts.push(plural(infos, "info"));
    }
    let mut line = format!("{} in {}", parts.join(", "), plural(report.scripts, "file"));
    let mut extra = Vec::new();
    if report.fixed > 0 {
        extra.push(format!("{} fixed", report.fixed));
    }
    if report.suppressed > 0 {
        extra.push(format!("{} suppressed", report.suppressed));
    }
    let (safe, unsafe_only) = report
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .fold((0, 0), |(safe, unsafe_only), fix| match fix.applicability {
            crate::diagnostic::Applicability::Safe => (safe + 1, unsafe_only),
            crate::diagnostic::Applicability::Unsafe => (safe, unsafe_only + 1),
        });
    if safe > 0 {
        extra.push(format!("{safe} fixable with --fix"));
    }
    if unsafe_only > 0 {
        extra.push(format!("{unsafe_only} more with --unsafe-fixes"));
    }
    if !extra.is_empty() {
        line.push_str(&format!(" ({})", extra.join("; ")));
    }
    line
}

/// A fingerprint of a text with letter case and runs of whitespace ignored: two copies
/// of a script (an archive folder) have the same one. Streamed, so that a file of
/// hundreds of megabytes is not copied to compare it; 128 bits (two differently salted
/// hashes), so that two different files never pass for copies.
fn normalized(text: &str) -> (u64, u64) {
    use std::hash::{Hash, Hasher};
    let mut first = std::collections::hash_map::DefaultHasher::new();
    let mut second = std::collections::hash_map::DefaultHasher::new();
    "milink-lint copies".hash(&mut second);
    // The normalized words are gathered in a buffer and hashed a block at a time: a hasher
    // call per (short) word cost more than the hashing. SipHash streams, so the
    // fingerprint is the same as hashing word by word.
    const BLOCK: usize = 1 << 13;
    let mut block: Vec<u8> = Vec::with_capacity(BLOCK + 64);
    let mut flush = |block: &mut Vec<u8>| {
        first.write(block);
        second.write(block);
        block.clear();
    };
    for word in text.split_whitespace() {
        if word.is_ascii() {
            block.extend(word.bytes().map(|b| b.to_ascii_lowercase()));
        } else {
            let lower: String = word.chars().flat_map(char::to_lowercase).collect();
            block.extend_from_slice(lower.as_bytes());
        }
        block.push(0xff);
        if block.len() >= BLOCK {
            flush(&mut block);
        }
    }
    flush(&mut block);
    (first.finish(), second.finish())
}

/// A path that looks like an old copy (`archive/`, `old/`, `backup/`, …).
fn looks_archived(name: &str) -> bool {
    name.split(['/', '\\']).any(|part| {
        let p = part.to_ascii_lowercase();
        [
            "archive",
            "archived",
            "old",
            "backup",
            "backups",
            "bak",
            "deprecated",
            "obsolete",
        ]
        .iter()
        .any(|a| p == *a || p.starts_with(&format!("{a}_")) || p.starts_with(&format!("{a}-")))
    })
}

/// Old copies of a set-up (archive folders) repeat the same findings. Files with the same
/// text (ignoring case and whitespace) are copies: a finding repeated in copies is
/// reported once, at the live file (not an archive-looking path), with each copy's
/// place as a label.
/// Two different scripts with the same mistake keep both findings.
pub fn collapse_duplicates(files: &Files, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    // Only a file with a finding that another file has too (same rule, message and text)
    // can be a copy: only those are fingerprinted (a pass over the whole file).
    let mut files_of: std::collections::HashMap<(Code, String, String), Vec<FileId>> =
        Default::default();
    for d in &diagnostics {
        let key = (
            d.code,
            d.message.to_lowercase(),
            files.slice(d.span).to_lowercase(),
        );
        files_of.entry(key).or_default().push(d.span.file);
    }
    // Sorted and deduplicated once: a finding shared by thousands of archived copies
    // must not be compared with every file seen before it.
    let maybe_copies: std::collections::HashSet<FileId> = files_of
        .into_values()
        .filter_map(|mut list| {
            list.sort_unstable();
            list.dedup();
            (list.len() > 1).then_some(list)
        })
        .flatten()
        .collect();
    // Files with the same normalized text share a copy id, computed once per file.
    let mut copy_ids: std::collections::HashMap<(u64, u64), usize> = Default::default();
    let mut copy_of: std::collections::HashMap<crate::span::FileId, usize> = Default::default();
    let mut copy_key = |d: &Diagnostic| -> usize {
        *copy_of.entry(d.span.file).or_insert_with(|| {
            let next = copy_ids.len();
            let file = files.get(d.span.file);
            // A file that shares no finding is a copy of nothing: an id of its own (counted
            // down from the top, far from the copy ids).
            if !maybe_copies.contains(&d.span.file) {
                return usize::MAX / 2 - d.span.file.0 as usize;
            }
            // Unreadable files all have an empty text: never copies of each other (an id
            // of their own, counted down from the top, far from the copy ids). Standard
            // input is no copy either: its fixes are printed, a file's are written.
            if file.unreadable.is_some() || file.stdin {
                return usize::MAX - d.span.file.0 as usize;
            }
            *copy_ids.entry(normalized(&file.text)).or_insert(next)
        })
    };
    let mut groups: Vec<Vec<Diagnostic>> = Vec::new();
    let mut index: std::collections::HashMap<(Code, String, String, usize), usize> =
        Default::default();
    for d in diagnostics {
        let key = (
            d.code,
            d.message.to_lowercase(),
            files.slice(d.span).to_lowercase(),
            copy_key(&d),
        );
        match index.get(&key) {
            // A group has one finding per copy: few entries to look through.
            Some(&i) if groups[i].iter().all(|g| g.span.file != d.span.file) => groups[i].push(d),
            _ => {
                index.insert(key, groups.len());
                groups.push(vec![d]);
            }
        }
    }
    groups
        .into_iter()
        .map(|mut group| {
            let primary = group
                .iter()
                .position(|d| !looks_archived(&files.get(d.span.file).name))
                .unwrap_or(0);
            let mut kept = group.remove(primary);
            // Each copy stays a location of the finding (a label: JSON `labels`, SARIF
            // related locations), so every place is reported, once; its fix is part of
            // the finding's, so that `--diff` shows and `--fix` makes every copy's in one
            // round (copies may differ in case and blanks: each keeps its own edits).
            // Every copy is fixed or none: a copy without the same fix drops it.
            for copy in group {
                kept.labels.push(crate::diagnostic::Label {
                    span: copy.span,
                    message: "the same finding in a copy of this script".into(),
                });
                kept.fix = match (kept.fix.take(), copy.fix) {
                    (Some(mut fix), Some(copied)) if fix.applicability == copied.applicability => {
                        fix.edits.extend(copied.edits);
                        Some(fix)
                    }
                    _ => None,
                };
            }
            kept
        })
        .collect()
}

/// `file:line:col` of a span's start, for the one-line formats.
fn position(files: &Files, span: Span) -> String {
    let at = files.start(span);
    format!("{}:{}:{}", files.get(span.file).name, at.line, at.column)
}

/// The lines that follow a diagnostic's message in the one-line formats (GitHub, JUnit):
/// `help: …`, then `  note: <label> at file:line:col` per label, then `  note: …` per note.
fn detail_lines(files: &Files, d: &Diagnostic) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(help) = &d.help {
        lines.push(format!("help: {help}"));
    }
    for label in &d.labels {
        lines.push(format!(
            "  note: {} at {}",
            label.message,
            position(files, label.span)
        ));
    }
    for note in &d.notes {
        lines.push(format!("  note: {note}"));
    }
    lines
}

/// A display path as CI tools want it: relative to the root of the git repository it is
/// in (GitHub code scanning, annotations and GitLab place findings by repository path,
/// whatever folder the tool ran in), forward slashes, no leading `./`.
fn portable_path(name: &str) -> String {
    let path = repository_relative(name).unwrap_or_else(|| name.to_string());
    let mut path = path.replace('\\', "/");
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.trim_start_matches('/').to_string();
    }
    path
}

/// `name` relative to the git repository around the current folder, if it is inside it.
fn repository_relative(name: &str) -> Option<String> {
    static ROOT: std::sync::OnceLock<Option<std::path::PathBuf>> = std::sync::OnceLock::new();
    let root = ROOT.get_or_init(|| {
        let here = crate::config::normalize(&std::path::absolute(".").ok()?);
        here.ancestors()
            .find(|a| a.join(".git").exists())
            .map(std::path::Path::to_path_buf)
    });
    let root = root.as_ref()?;
    if name == "-" {
        return None;
    }
    let absolute = crate::config::normalize(&std::path::absolute(name).ok()?);
    let relative = absolute.strip_prefix(root).ok()?;
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// FNV-1a, 128 bits: tiny, and its output is fixed by its definition (std's
/// `DefaultHasher` may change between Rust releases, which would change every fingerprint).
struct Fnv128(u128);

impl Fnv128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

    fn new() -> Fnv128 {
        Fnv128(Self::OFFSET)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u128::from(byte);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    /// Hash one field; the 0xFF byte after it never occurs in UTF-8, so fields cannot run together.
    fn field(&mut self, text: &str) {
        self.write(text.as_bytes());
        self.write(&[0xff]);
    }
}

/// The identity of a finding without its position: rule, file, message and the flagged
/// text (whitespace runs collapsed). Line numbers are left out on purpose, so inserting
/// lines above a finding keeps its fingerprint.
fn identity(files: &Files, d: &Diagnostic) -> [String; 4] {
    [
        d.code.to_string(),
        portable_path(&files.get(d.span.file).name),
        d.message.clone(),
        files
            .slice(d.span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    ]
}

/// A stable fingerprint (32 hex digits) of a finding for CI tools that track findings
/// across runs (GitLab Code Quality `fingerprint`, SARIF `partialFingerprints`).
/// `occurrence` is the index of this finding among the earlier ones with the same
/// identity (see [`fingerprints`]), so two identical findings in one file differ.
pub fn fingerprint(files: &Files, diagnostic: &Diagnostic, occurrence: usize) -> String {
    let mut hash = Fnv128::new();
    for field in identity(files, diagnostic) {
        hash.field(&field);
    }
    hash.field(&occurrence.to_string());
    format!("{:032x}", hash.0)
}

/// The fingerprint of every diagnostic, in order; occurrences are counted in that order.
pub fn fingerprints(files: &Files, diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut seen: std::collections::HashMap<[String; 4], usize> = Default::default();
    diagnostics
        .iter()
        .map(|d| {
            let count = seen.entry(identity(files, d)).or_insert(0);
            let print = fingerprint(files, d, *count);
            *count += 1;
            print
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_1a_128_reference_values() {
        let hash = |text: &str| {
            let mut h = Fnv128::new();
            h.write(text.as_bytes());
            format!("{:032x}", h.0)
        };
        assert_eq!(hash(""), "6c62272e07bb014262b821756295c58d");
        assert_eq!(hash("a"), "d228cb696f1a8caf78912b704e4a8964");
        assert_eq!(hash("foobar"), "343e1662793c64bf6f0d3597ba446f18");
    }

    #[test]
    fn portable_paths() {
        assert_eq!(portable_path("./sql/a.sql"), "sql/a.sql");
        assert_eq!(portable_path(".\\sql\\a.sql"), "sql/a.sql");
        assert_eq!(portable_path("../sql/a.sql"), "../sql/a.sql");
    }
}
