//! `--fix` and `--diff`: the fixes of a report chosen, applied to the texts, written back
//! into the files in their own encoding, or shown as a unified diff.
//!
//! A fix is applied whole or not at all. Fixes are taken in report order; one whose
//! edits overlap an edit already taken waits for the next round (the caller lints again
//! and asks for the fixes that remain), and an edit identical to one taken is the same
//! change, made once. Only the files' own bytes under the edits change: the file is read
//! again, checked to be the text that was linted, spliced in its encoding
//! ([`crate::source::splice`]) and replaced atomically (a temporary file in the same
//! folder, renamed over it), keeping its permissions. A symbolic link is written through
//! to its target; a file with several hard links is rewritten in place, so that every
//! name sees the fix.

use crate::diagnostic::{Applicability, Edit};
use crate::files::Files;
use crate::report::Report;
use crate::span::FileId;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

/// Which fixes to apply: safe ones, or unsafe ones too (`--unsafe-fixes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    pub unsafe_fixes: bool,
}

impl Selection {
    fn takes(self, applicability: Applicability) -> bool {
        applicability == Applicability::Safe || self.unsafe_fixes
    }
}

/// Which texts a round of fixes changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The files on disk: standard input, read once, has nowhere to be written back.
    Files,
    /// Standard input only (`--fix -` prints its fixed text, as ruff does): a fix that
    /// would also change a file on disk (one that `:r` includes) is not applied.
    Stdin,
}

/// The edits chosen for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdits {
    pub file: FileId,
    /// Sorted, not overlapping, each once.
    pub edits: Vec<(Range<usize>, String)>,
}

/// The fixes of one round.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub files: Vec<FileEdits>,
    /// The fixes in the plan (one per finding), by the files each edits.
    pub accepted: Vec<Vec<FileId>>,
    /// Findings with a fix of the selection that waits for a later round (it overlaps
    /// another).
    pub deferred: usize,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Counts of the fixes a report offers, for its summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Offered {
    pub safe: usize,
    pub unsafe_only: usize,
}

pub fn offered(report: &Report) -> Offered {
    let mut counts = Offered::default();
    for fix in report.diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
        match fix.applicability {
            Applicability::Safe => counts.safe += 1,
            Applicability::Unsafe => counts.unsafe_only += 1,
        }
    }
    counts
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    // Two insertions at one place, or an insertion inside a replaced range, conflict too.
    a.start < b.end && b.start < a.end || (a.start == b.start && (a.is_empty() || b.is_empty()))
}

/// The fixes of `report` that `selection` takes and that can be applied together to the
/// files on disk.
pub fn plan(report: &Report, selection: Selection) -> Plan {
    plan_for(report, selection, Target::Files)
}

/// The fixes of `report` that `selection` takes and that can be applied together to the
/// texts of `target`.
pub fn plan_for(report: &Report, selection: Selection, target: Target) -> Plan {
    let mut taken: BTreeMap<FileId, Vec<(Range<usize>, String)>> = BTreeMap::new();
    let mut plan = Plan::default();
    for fix in report.diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
        let in_target = |e: &Edit| report.files.get(e.span.file).stdin == (target == Target::Stdin);
        if !selection.takes(fix.applicability)
            || fix.edits.is_empty()
            || !fix.edits.iter().all(in_target)
        {
            continue;
        }
        let mut new = Vec::new();
        let mut conflict = false;
        for Edit { span, content } in &fix.edits {
            let range = span.range();
            let here = taken.get(&span.file).map(Vec::as_slice).unwrap_or_default();
            if here.iter().any(|(r, c)| *r == range && c == content) {
                continue;
            }
            let clashes = |(r, _): &(Range<usize>, String)| overlaps(r, &range);
            if here.iter().any(clashes)
                || new
                    .iter()
                    .any(|(f, r, _): &(FileId, Range<usize>, &String)| {
                        *f == span.file && overlaps(r, &range)
                    })
            {
                conflict = true;
                break;
            }
            new.push((span.file, range, content));
        }
        if conflict {
            plan.deferred += 1;
            continue;
        }
        let mut files: Vec<FileId> = fix.edits.iter().map(|e| e.span.file).collect();
        files.sort();
        files.dedup();
        plan.accepted.push(files);
        for (file, range, content) in new {
            taken
                .entry(file)
                .or_default()
                .push((range, content.clone()));
        }
    }
    for (file, mut edits) in taken {
        edits.sort_by_key(|(r, _)| (r.start, r.end));
        plan.files.push(FileEdits { file, edits });
    }
    plan
}

/// `text` with the edits applied.
pub fn apply(text: &str, edits: &[(Range<usize>, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, content) in edits {
        out.push_str(&text[at..range.start]);
        out.push_str(content);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The plan as a unified diff of the linted texts (secrets stay masked), one section per
/// file, `a/` and `b/` before the names as `git diff` writes them.
pub fn diff(files: &Files, plan: &Plan) -> String {
    let mut out = String::new();
    for f in &plan.files {
        let source = files.get(f.file);
        let after = apply(&source.text, &f.edits);
        let diff = similar::TextDiff::from_lines(source.text.as_str(), after.as_str());
        let text = diff
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{}", source.name), &format!("b/{}", source.name))
            .to_string();
        out.push_str(&text);
        if !text.ends_with('\n') {
            out.push_str("\n\\ No newline at end of file\n");
        }
    }
    out
}

/// Why a file was not written.
#[derive(Debug)]
pub struct NotWritten {
    pub name: String,
    pub why: String,
}

/// Write the plan's edits into the files. Returns the files that could not be written
/// (read-only, changed on disk since, a character the encoding has not, standard input);
/// the others are written.
pub fn write(files: &Files, plan: &Plan) -> Vec<NotWritten> {
    let mut failed = Vec::new();
    for f in &plan.files {
        let source = files.get(f.file);
        if let Err(why) = write_one(source, &f.edits) {
            failed.push(NotWritten {
                name: source.name.clone(),
                why,
            });
        }
    }
    failed
}

/// `raw`, the bytes `source` was read from, with `edits` written in its encoding (see
/// [`crate::source::splice`]).
pub fn splice(
    raw: &[u8],
    source: &crate::files::SourceFile,
    edits: &[(Range<usize>, String)],
) -> Result<Vec<u8>, String> {
    let encoding = source
        .encoding
        .ok_or_else(|| "its encoding is unknown".to_string())?;
    let pieces: Vec<(Range<usize>, &str)> =
        edits.iter().map(|(r, c)| (r.clone(), c.as_str())).collect();
    crate::source::splice(raw, encoding, &source.text, &pieces).map_err(|e| e.to_string())
}

/// Apply the plan to standard input's text, `bytes` (`--fix -`): the fixed bytes replace
/// them. Returns what could not be applied, as [`write`] does.
pub fn apply_to_stdin(files: &Files, plan: &Plan, bytes: &mut Vec<u8>) -> Vec<NotWritten> {
    let mut failed = Vec::new();
    for f in &plan.files {
        let source = files.get(f.file);
        let fixed = if source.stdin {
            splice(bytes, source, &f.edits)
        } else {
            Err("only standard input is fixed with `-`".to_string())
        };
        match fixed {
            Ok(new) => *bytes = new,
            Err(why) => failed.push(NotWritten {
                name: source.name.clone(),
                why,
            }),
        }
    }
    failed
}

fn write_one(
    source: &crate::files::SourceFile,
    edits: &[(Range<usize>, String)],
) -> Result<(), String> {
    if source.stdin {
        return Err("standard input is not written back".to_string());
    }
    // A symbolic link is written through: its target is the script.
    let path = &std::fs::canonicalize(&source.name).map_err(|e| e.to_string())?;
    let metadata = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if metadata.permissions().readonly() {
        return Err("the file is read-only".to_string());
    }
    let raw = std::fs::read(path).map_err(|e| e.to_string())?;
    let bytes = splice(&raw, source, edits)?;
    if hard_linked(&metadata) {
        // Renaming over it would part its names: the other names keep the old text.
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(path)
            .map_err(|e| e.to_string())?;
        return file
            .write_all(&bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| e.to_string());
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".milink-lint-fix")
        .tempfile_in(folder)
        .map_err(|e| format!("cannot create a temporary file next to it: {e}"))?;
    use std::io::Write;
    temporary
        .write_all(&bytes)
        .and_then(|()| temporary.as_file().sync_all())
        .map_err(|e| e.to_string())?;
    std::fs::set_permissions(temporary.path(), metadata.permissions())
        .map_err(|e| e.to_string())?;
    temporary.persist(path).map_err(|e| e.error.to_string())?;
    Ok(())
}

/// Whether the file has other names (hard links), which an atomic rename would leave
/// with the old text.
#[cfg(unix)]
fn hard_linked(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    metadata.nlink() > 1
}

#[cfg(not(unix))]
fn hard_linked(_: &std::fs::Metadata) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edits(list: &[(Range<usize>, &str)]) -> Vec<(Range<usize>, String)> {
        list.iter()
            .map(|(r, c)| (r.clone(), c.to_string()))
            .collect()
    }

    #[test]
    fn edits_apply_in_order() {
        let text = "CREATE AVAILABILITY GROUP [dag_a] WITH (DISTRIBUTED)";
        let out = apply(text, &edits(&[(26..33, "[dag-a]"), (52..52, ";")]));
        assert_eq!(out, "CREATE AVAILABILITY GROUP [dag-a] WITH (DISTRIBUTED);");
    }

    #[test]
    fn overlapping_ranges_conflict() {
        assert!(overlaps(&(1..4), &(3..6)));
        assert!(!overlaps(&(1..3), &(3..6)));
        assert!(overlaps(&(3..3), &(3..3)));
        assert!(overlaps(&(3..3), &(3..5)));
        assert!(!overlaps(&(5..5), &(3..5)));
    }
}
