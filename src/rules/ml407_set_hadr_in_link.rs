//! ML407: ALTER DATABASE … SET HADR AVAILABILITY GROUP joins a database to the link's AG by hand (a manual-seeding step).

use super::{Check, Rule};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{AlterDatabaseAction, StatementKind};
use crate::names::{compare, NameMatch};

pub static RULE: Rule = Rule {
    code: Code::ML407,
    severity: Severity::Warning,
    summary: "ALTER DATABASE … SET HADR AVAILABILITY GROUP joins a database to the link's AG by hand (a manual-seeding step)",
    catalogue: "D7",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for s in &a.statements {
        let StatementKind::AlterDatabase(d) = &s.kind else {
            continue;
        };
        let AlterDatabaseAction::SetHadr {
            availability_group: Some(ag),
        } = &d.action
        else {
            continue;
        };
        let link_ag = a
            .links
            .iter()
            .filter_map(|l| a.ag(l))
            .find(|g| compare(&g.name.value, &ag.value) != NameMatch::Different);
        let Some(link_ag) = link_ag else { continue };
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, s.span, format!("database '{}' is joined to '{}' by hand", d.name.value, ag.value))
                .with_primary_label("manual-seeding step")
                .with_label(link_ag.name.span, "the link's availability group")
                .with_help("remove it: the link seeds automatically; SET HADR belongs to secondaries of an ordinary AG with manual seeding"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, LINK};

    #[test]
    fn the_database_joined_to_the_link_ag_by_hand() {
        let bad = format!("{LINK}ALTER DATABASE [Treasury] SET HADR AVAILABILITY GROUP = [AG_Treasury];\n");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [33]);
        assert_eq!(
            found[0].message,
            "database 'Treasury' is joined to 'AG_Treasury' by hand"
        );
    }

    #[test]
    fn the_ag_name_in_another_letter_case() {
        let bad = format!("{LINK}ALTER DATABASE [Treasury] SET HADR AVAILABILITY GROUP = [ag_treasury];\n");
        assert_eq!(lines(&script(RULE.code, &bad)), [33]);
    }

    #[test]
    fn the_link_without_set_hadr() {
        assert_eq!(script(RULE.code, LINK), []);
    }

    #[test]
    fn set_hadr_off_or_for_an_ag_the_scripts_do_not_create() {
        let off = format!("{LINK}ALTER DATABASE [Treasury] SET HADR OFF;\n");
        assert_eq!(script(RULE.code, &off), []);
        let other = format!("{LINK}ALTER DATABASE [Reporting] SET HADR AVAILABILITY GROUP = [AG_Reporting];\n");
        assert_eq!(script(RULE.code, &other), []);
    }
}
