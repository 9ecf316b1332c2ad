//! ML410: a link object is created only when it already exists, or altered only when it does not (an existence guard the wrong way round).

use super::{Check, Rule};
use crate::analysis::queries::in_scope;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Name, StatementKind};
use crate::names::{compare, NameMatch};
use crate::statements::{Arm, Catalog};

pub static RULE: Rule = Rule {
    code: Code::ML410,
    severity: Severity::Error,
    summary: "a link object is created only when it already exists, or altered only when it does not: its IF [NOT] EXISTS guard is the wrong way round",
    catalogue: "-",
    needs_params: false,
    check: Check::Model(check),
};

/// What a link statement does to which kind of object: (catalog, name, creates it).
fn object(kind: &StatementKind) -> Option<(Catalog, Option<&Name>, bool)> {
    Some(match kind {
        StatementKind::Endpoint(e) => (Catalog::Endpoints, Some(&e.name), !e.is_alter),
        StatementKind::AvailabilityGroup(ag) => (Catalog::AvailabilityGroups, Some(&ag.name), true),
        StatementKind::DistributedAg(d) => (Catalog::AvailabilityGroups, Some(&d.name), true),
        StatementKind::AlterAg(alter) => (Catalog::AvailabilityGroups, Some(&alter.name), false),
        StatementKind::Certificate(c) => (Catalog::Certificates, Some(&c.name), true),
        StatementKind::MasterKey(_) => (Catalog::Keys, None, true),
        _ => return None,
    })
}

/// Whether the guard tests this very object: by name, or (without a name) the kinds a
/// server has one of that the link uses (the mirroring endpoint, the master key).
fn tests_this(catalog: Catalog, guard_name: Option<&str>, name: Option<&Name>) -> bool {
    match (guard_name, name) {
        (Some(g), Some(n)) => compare(g, &n.value) != NameMatch::Different,
        (Some(g), None) => g.to_ascii_lowercase().contains("databasemasterkey"),
        (None, _) => matches!(catalog, Catalog::Endpoints | Catalog::Keys),
    }
}

/// A CREATE of the same object earlier in the same guarded arm (`IF NOT EXISTS … BEGIN
/// CREATE ENDPOINT …; ALTER ENDPOINT … END`): the ALTER then finds it.
fn created_before(
    a: &Analysis,
    index: usize,
    branch: &crate::statements::Branch,
    catalog: Catalog,
    name: Option<&Name>,
) -> bool {
    let file = a.statements[index].file;
    a.statements[..index].iter().any(|s| {
        s.file == file
            && s.flow.within(branch)
            && object(&s.kind).is_some_and(|(c, n, creates)| {
                creates
                    && c == catalog
                    && match (n, name) {
                        (Some(x), Some(y)) => compare(&x.value, &y.value) != NameMatch::Different,
                        _ => true,
                    }
            })
    })
}

/// A DROP of the same object earlier in the same guarded arm: `IF EXISTS (…) BEGIN DROP
/// ENDPOINT e; CREATE ENDPOINT e … END` re-creates it.
fn dropped_before(
    a: &Analysis,
    s: &crate::model::Statement,
    branch: &crate::statements::Branch,
    catalog: Catalog,
    name: Option<&Name>,
) -> bool {
    use crate::statements::Object;
    a.drops.iter().any(|(file, d)| {
        let kind = match d.object {
            Object::Endpoint => Catalog::Endpoints,
            Object::AvailabilityGroup => Catalog::AvailabilityGroups,
            Object::Certificate => Catalog::Certificates,
            _ => Catalog::Keys,
        };
        *file == s.file
            && d.span.start < s.span.start
            && d.flow.within(branch)
            && kind == catalog
            && match (&d.name, name) {
                (Some(x), Some(y)) => compare(x, &y.value) != NameMatch::Different,
                _ => true,
            }
    })
}

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if !in_scope(a) {
        return;
    }
    // One finding per guard: a CREATE and the ALTER in its other arm are one mistake.
    let mut by_guard: Vec<(crate::span::Span, Diagnostic)> = Vec::new();
    for (index, s) in a.statements.iter().enumerate() {
        let Some(branch) = s.flow.guarded_by() else {
            continue;
        };
        let (Some(guard), arm) = (branch.guard.as_ref(), branch.arm) else {
            continue;
        };
        let Some((catalog, name, creates)) = object(&s.kind) else {
            continue;
        };
        if guard.catalog != catalog || !tests_this(catalog, guard.name.as_deref(), name) {
            continue;
        }
        let when_present = match arm {
            Arm::Then => guard.exists,
            Arm::Else => !guard.exists,
            _ => continue,
        };
        let at = name.map_or(s.span, |n| n.span);
        let what = match name {
            Some(n) => format!("'{}'", n.display()),
            None => "the master key".into(),
        };
        let d = if creates && when_present && !dropped_before(a, s, branch, catalog, name) {
            Diagnostic::new(RULE.code, RULE.severity, at, format!("{what} is created only when it already exists"))
                .with_primary_label("runs only when the object is there")
                .with_label(guard.span, "the existence test")
                .with_help("the test is the wrong way round: write IF NOT EXISTS (…) before the CREATE (and ALTER in the ELSE arm); as written, a new server never gets the object and the CREATE fails on one that has it")
        } else if !creates && !when_present && !created_before(a, index, branch, catalog, name) {
            Diagnostic::new(RULE.code, RULE.severity, at, format!("{what} is altered only when it does not exist"))
                .with_primary_label("runs only when the object is missing")
                .with_label(guard.span, "the existence test")
                .with_help("the test is the wrong way round: the ALTER belongs where the object exists (the ELSE arm of IF NOT EXISTS, or IF EXISTS)")
        } else {
            continue;
        };
        match by_guard.iter_mut().find(|(span, _)| *span == guard.span) {
            Some((_, first)) => first.labels.push(crate::diagnostic::Label {
                span: at,
                message: if creates {
                    "and this CREATE runs only when it is there".into()
                } else {
                    "and this ALTER runs only when it is missing".into()
                },
            }),
            None => by_guard.push((guard.span, d)),
        }
    }
    out.extend(by_guard.into_iter().map(|(_, d)| d));
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, LINK};

    const ENDPOINT: &str = "CREATE ENDPOINT [Hadr_endpoint]";
    const ENDPOINT_END: &str = "ENCRYPTION = REQUIRED ALGORITHM AES);";

    /// LINK with `guard` (and `before`) on the line before its CREATE ENDPOINT, and
    /// `after` after it.
    fn guarded(guard: &str, after: &str) -> String {
        LINK.replace(ENDPOINT, &format!("{guard}\n{ENDPOINT}"))
            .replace(ENDPOINT_END, &format!("{ENDPOINT_END}{after}"))
    }

    #[test]
    fn the_endpoint_created_only_when_it_exists() {
        let bad = guarded("IF EXISTS (SELECT 1 FROM sys.database_mirroring_endpoints)", "");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [5]);
        assert_eq!(
            found[0].message,
            "'Hadr_endpoint' is created only when it already exists"
        );
    }

    #[test]
    fn the_endpoint_created_when_missing_and_altered_otherwise() {
        let good = guarded(
            "IF NOT EXISTS (SELECT 1 FROM sys.database_mirroring_endpoints)",
            "\nELSE\n    ALTER ENDPOINT [Hadr_endpoint] STATE = STARTED;",
        );
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn the_endpoint_altered_only_when_it_is_missing() {
        let bad = LINK.replace(
            "CREATE CERTIFICATE [mi-treasury",
            "IF NOT EXISTS (SELECT 1 FROM sys.endpoints WHERE name = N'Hadr_endpoint')\n    ALTER ENDPOINT [Hadr_endpoint] STATE = STARTED;\nCREATE CERTIFICATE [mi-treasury",
        );
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [10]);
        assert_eq!(
            found[0].message,
            "'Hadr_endpoint' is altered only when it does not exist"
        );
    }

    #[test]
    fn an_arm_that_drops_the_endpoint_before_creating_it() {
        let arm = |drop: &str| {
            LINK.replace(
                ENDPOINT,
                &format!("IF EXISTS (SELECT 1 FROM sys.endpoints WHERE name = N'Hadr_endpoint')\nBEGIN\n{drop}{ENDPOINT}"),
            )
            .replace(ENDPOINT_END, &format!("{ENDPOINT_END}\nEND"))
        };
        // DROP and CREATE in one arm re-create the endpoint.
        let good = arm("    DROP ENDPOINT [Hadr_endpoint];\n");
        assert_eq!(script(RULE.code, &good), []);
        let bad = arm("");
        assert_eq!(lines(&script(RULE.code, &bad)), [6]);
    }

    #[test]
    fn the_certificate_created_only_when_it_exists() {
        let bad = LINK.replacen(
            "CREATE CERTIFICATE [Cert_SQLFIN01_endpoint]",
            "IF CERT_ID(N'Cert_SQLFIN01_endpoint') IS NOT NULL\nCREATE CERTIFICATE [Cert_SQLFIN01_endpoint]",
            1,
        );
        assert_eq!(lines(&script(RULE.code, &bad)), [3]);
    }

    #[test]
    fn a_guard_on_another_object_says_nothing() {
        let good = LINK.replacen(
            "CREATE CERTIFICATE [Cert_SQLFIN01_endpoint]",
            "IF EXISTS (SELECT 1 FROM sys.certificates WHERE name = N'Cert_SQLFIN01_old')\nCREATE CERTIFICATE [Cert_SQLFIN01_endpoint]",
            1,
        );
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn a_mixed_condition_is_not_an_existence_guard() {
        let good = LINK
            .replacen("USE master;\n", "USE master;\nDECLARE @force bit = 0;\n", 1)
            .replace(
                ENDPOINT,
                &format!("IF EXISTS (SELECT 1 FROM sys.database_mirroring_endpoints) AND @force = 1\n{ENDPOINT}"),
            );
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn a_count_guard() {
        let count = |test: &str| {
            guarded(
                &format!("IF (SELECT COUNT(*) FROM sys.endpoints WHERE name = N'Hadr_endpoint') {test}"),
                "",
            )
        };
        assert_eq!(script(RULE.code, &count("= 0")), []);
        assert_eq!(lines(&script(RULE.code, &count("> 0"))), [5]);
    }
}
