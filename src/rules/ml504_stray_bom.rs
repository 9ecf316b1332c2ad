//! ML504: a byte-order mark (U+FEFF) in the middle of a file, or a UTF-16 file without BOM.

use super::{Check, Rule};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::source::Encoding;
use crate::span::Span;

pub static RULE: Rule = Rule {
    code: Code::ML504,
    severity: Severity::Warning,
    summary: "a byte-order mark (U+FEFF) in the middle of a file, or a UTF-16 file without BOM",
    catalogue: "H4",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for s in &a.scripts {
        let file = a.files.get(s.file);
        if matches!(
            file.encoding,
            Some(Encoding::Utf16LeNoBom | Encoding::Utf16BeNoBom)
        ) {
            let end = file.text.chars().next().map(char::len_utf8).unwrap_or(0);
            out.push(
                Diagnostic::new(RULE.code, RULE.severity, Span::new(s.file, 0..end), "UTF-16 file without a byte-order mark")
                    .with_primary_label("no BOM")
                    .with_help("save it as UTF-8 or as UTF-16 with BOM: sqlcmd and other tools read a BOM-less UTF-16 file as garbage"),
            );
        }
        // The decoder strips a leading BOM, so any U+FEFF left in the text is stray.
        // memmem's vectorized search: this rule reads every byte of every script.
        for i in memchr::memmem::find_iter(file.text.as_bytes(), "\u{FEFF}".as_bytes()) {
            out.push(
                Diagnostic::new(RULE.code, RULE.severity, Span::new(s.file, i..i + 3), "stray byte-order mark (U+FEFF) inside the file")
                    .with_primary_label("invisible U+FEFF")
                    .with_help("delete it: usually a pasted file's BOM; inside a name it makes a different name, before GO or a :command it hides the command")
                    .with_fix(Fix {
                        applicability: Applicability::Safe,
                        message: "delete the stray byte-order mark".to_string(),
                        edits: vec![Edit { span: Span::new(s.file, i..i + 3), content: String::new() }],
                    }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, LINK};

    #[test]
    fn a_bom_pasted_into_the_middle_of_the_file() {
        let bad = LINK.replace("CREATE AVAILABILITY GROUP [dag-treasury]", "\u{FEFF}CREATE AVAILABILITY GROUP [dag-treasury]");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [20]);
        assert_eq!(found[0].message, "stray byte-order mark (U+FEFF) inside the file");
    }

    #[test]
    fn a_single_bom_at_the_start_is_the_encoding() {
        assert_eq!(script(RULE.code, LINK), []);
        assert_eq!(script(RULE.code, &format!("\u{FEFF}{LINK}")), []);
    }

    #[test]
    fn a_second_bom_at_the_start_is_stray() {
        let found = script(RULE.code, &format!("\u{FEFF}\u{FEFF}{LINK}"));
        assert_eq!(lines(&found), [1]);
    }

    #[test]
    fn utf16_without_a_bom() {
        // ASCII text as UTF-16LE: a NUL after every character (still valid UTF-8).
        let utf16: String = LINK.chars().flat_map(|c| [c, '\0']).collect();
        let found = script(RULE.code, &utf16);
        assert_eq!(lines(&found), [1]);
        assert_eq!(found[0].message, "UTF-16 file without a byte-order mark");
    }
}
