//! Human output, rustc-style, with codespan-reporting.

use super::summary;
use super::Report;
use crate::diagnostic::{Diagnostic, Severity};
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::termcolor::{ColorSpec, WriteColor};
use codespan_reporting::term::{self, Config};

/// codespan has no "info" level: an info is rendered as a note (its colour) and its
/// header word rewritten by [`InfoHeader`], so the human output says `info[ML609]` as
/// JSON, the summary and `--severity` do.
fn severity(s: Severity) -> CsSeverity {
    match s {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    }
}

/// A writer that turns the first text of a diagnostic, its header word `note`, into
/// `info`. Colours pass through unchanged; everything after the header word too.
struct InfoHeader<'a> {
    inner: &'a mut dyn WriteColor,
    pending: bool,
}

impl std::io::Write for InfoHeader<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.pending && !buf.is_empty() {
            self.pending = false;
            if let Some(rest) = buf.strip_prefix(b"note") {
                self.inner.write_all(b"info")?;
                self.inner.write_all(rest)?;
                return Ok(buf.len());
            }
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl WriteColor for InfoHeader<'_> {
    fn supports_color(&self) -> bool {
        self.inner.supports_color()
    }

    fn set_color(&mut self, spec: &ColorSpec) -> std::io::Result<()> {
        self.inner.set_color(spec)
    }

    fn reset(&mut self) -> std::io::Result<()> {
        self.inner.reset()
    }
}

fn convert(d: &Diagnostic) -> CsDiagnostic<usize> {
    let mut labels =
        vec![Label::primary(d.span.file.0 as usize, d.span.range()).with_message(&d.primary_label)];
    labels.extend(d.labels.iter().map(|l| {
        Label::secondary(l.span.file.0 as usize, l.span.range()).with_message(&l.message)
    }));
    let mut notes: Vec<String> = d.help.iter().map(|h| format!("help: {h}")).collect();
    notes.extend(d.notes.iter().map(|n| format!("note: {n}")));
    if let Some(fix) = &d.fix {
        let flag = match fix.applicability {
            crate::diagnostic::Applicability::Safe => "--fix",
            crate::diagnostic::Applicability::Unsafe => "--fix --unsafe-fixes",
        };
        notes.push(format!("fix ({flag}): {}", fix.message));
    }
    CsDiagnostic::new(severity(d.severity))
        .with_code(d.code)
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes)
}

/// The run's remarks, said once (machine formats print them on standard error).
pub fn notes(report: &Report) -> Vec<String> {
    let mut notes = report.notes.clone();
    // Only worth saying when there is a link to check against parameters.
    if !report.params_given && report.links > 0 {
        notes.push(
            "no --params file given: the checks against the parameters file were skipped".into(),
        );
    }
    notes
}

/// Render all diagnostics, the run notes and the summary line into `out`.
pub fn render(report: &Report, out: &mut dyn WriteColor, quiet: bool) -> std::io::Result<()> {
    if !quiet {
        // codespan needs its own copy of the texts: only when there is something to show.
        let mut files = SimpleFiles::new();
        if !report.diagnostics.is_empty() {
            for (_, f) in report.files.iter() {
                files.add(f.name.clone(), f.text.clone());
            }
        }
        let config = Config::default();
        for d in &report.diagnostics {
            let emitted = if d.severity == Severity::Info {
                let mut out = InfoHeader {
                    inner: &mut *out,
                    pending: true,
                };
                term::emit_to_write_style(&mut out, &config, &files, &convert(d))
            } else {
                term::emit_to_write_style(out, &config, &files, &convert(d))
            };
            emitted.map_err(|e| std::io::Error::other(e.to_string()))?;
        }
        for note in notes(report) {
            writeln!(out, "note: {note}")?;
        }
    }
    writeln!(out, "{}", summary(report))
}

/// The human output without colour, as a string (tests, fuzzing, `--output`).
pub fn render_plain(report: &Report, quiet: bool) -> String {
    let mut out = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
    // Writing into a Vec cannot fail.
    let _ = render(report, &mut out, quiet);
    String::from_utf8_lossy(&out.into_inner()).into_owned()
}
