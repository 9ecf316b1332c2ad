//! ML606: the managed instance's role on the Azure side contradicts the direction the scripts set up.

use super::{Check, Rule};
use crate::analysis::azure_links::{
    is_create, names_only, origin_name, setup_of, with_value_origin,
};
use crate::analysis::queries::{declared_direction, direction};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::params::InitialPrimary;

pub static RULE: Rule = Rule {
    code: Code::ML606,
    severity: Severity::Error,
    summary: "the managed instance's link role on the Azure side contradicts the direction the scripts set up",
    catalogue: "D2, D3",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for link in crate::analysis::azure_links::relevant_links(a).filter(|l| !names_only(l)) {
        let Some(setup) = setup_of(a, link) else {
            continue;
        };
        let Some(intended) = direction(a, setup) else {
            continue;
        };
        let create = is_create(link);
        // `New-AzSqlInstanceLink` and `az sql mi link create` default to Secondary.
        let (role, span) = match &link.instance_link_role {
            Some(v) => (v.value.as_str().to_ascii_lowercase(), v.span),
            None if create && !link.role_written => ("secondary".to_string(), link.head),
            None => continue,
        };
        let mi_primary = match role.as_str() {
            "primary" => true,
            "secondary" => false,
            _ => continue,
        };
        if mi_primary == (intended == InitialPrimary::ManagedInstance) {
            continue;
        }
        let origin = origin_name(link);
        let (role_text, scripts_text) = if mi_primary {
            ("Primary", "SQL Server as the initial primary")
        } else {
            ("Secondary", "the managed instance as the initial primary")
        };
        let defaulted = link.instance_link_role.is_none();
        let message = if defaulted {
            format!("{origin} creates the managed instance as Secondary (the default), but the scripts set up {scripts_text}")
        } else {
            format!("{origin} gives the managed instance the role {role_text}, but the scripts set up {scripts_text}")
        };
        let mut d = Diagnostic::new(RULE.code, RULE.severity, span, message).with_primary_label(
            if defaulted {
                "no -InstanceLinkRole / --instance-link-role here".to_string()
            } else {
                format!("'{role_text}'")
            },
        );
        d = match declared_direction(a, setup) {
            Some(v) => d.with_label(v.span, "direction declared here"),
            None => d.with_label(a.dag(setup).name.span, "the scripts' link set-up"),
        };
        if let Some(role) = &link.instance_link_role {
            d = with_value_origin(d, role);
        }
        d = d.with_help(if intended == InitialPrimary::ManagedInstance {
            "create the link with -InstanceLinkRole Primary / --instance-link-role Primary for the managed-instance-first set-up"
        } else {
            "create the link with -InstanceLinkRole Secondary / --instance-link-role Secondary (the default) for the SQL-Server-first set-up"
        });
        if !create {
            // An export shows the roles of now, which flip with every failover.
            d.severity = Severity::Warning;
            d = d.with_note(
                "an export shows the current roles: right after a failover this is expected",
            );
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, Finding, LINK, PARAMS, LINK_PS};

    /// LINK as the managed-instance-first template: an empty AG with the grant, and
    /// `;Database=[…]` in the managed instance's URL.
    fn mi_first() -> String {
        LINK.replace("ALTER DATABASE [Treasury] SET RECOVERY FULL;\n", "")
            .replace(
                "BACKUP DATABASE [Treasury] TO DISK = N'D:\\Backup\\Treasury.bak';\n",
                "",
            )
            .replace("    FOR DATABASE [Treasury]\n    REPLICA ON", "    FOR\n    REPLICA ON")
            .replace(
                "CREATE AVAILABILITY GROUP [dag-treasury]",
                "ALTER AVAILABILITY GROUP [AG_Treasury] GRANT CREATE ANY DATABASE;\nCREATE AVAILABILITY GROUP [dag-treasury]",
            )
            .replace(";Server=[mi-treasury]'", ";Server=[mi-treasury];Database=[Treasury]'")
    }

    fn azure(sql: &str, ps1: &str, params: Option<&str>) -> Vec<Finding> {
        findings(RULE.code, &[("01.sql", sql), ("link.ps1", ps1)], params)
    }

    fn with_role(role: &str) -> String {
        LINK_PS.replace(
            "-PartnerEndpoint \"TCP://sqlfin01.corp.example.net:5022\"",
            &format!("-PartnerEndpoint \"TCP://sqlfin01.corp.example.net:5022\" -InstanceLinkRole {role}"),
        )
    }

    #[test]
    fn the_managed_instance_first_template_created_as_secondary_by_default() {
        let found = azure(&mi_first(), LINK_PS, None);
        assert_eq!(lines(&found), [1]);
        assert_eq!(found[0].message, "New-AzSqlInstanceLink creates the managed instance as Secondary (the default), but the scripts set up the managed instance as the initial primary");
    }

    #[test]
    fn primary_for_a_sql_server_first_set_up() {
        let found = azure(LINK, &with_role("Primary"), Some(PARAMS));
        assert_eq!(lines(&found), [3]);
        assert_eq!(found[0].message, "New-AzSqlInstanceLink gives the managed instance the role Primary, but the scripts set up SQL Server as the initial primary");
    }

    #[test]
    fn the_role_fits_the_direction() {
        assert_eq!(azure(LINK, LINK_PS, None), []);
        assert_eq!(azure(LINK, &with_role("Secondary"), Some(PARAMS)), []);
        assert_eq!(azure(&mi_first(), &with_role("Primary"), None), []);
        let params = PARAMS.replace("\"sql_server\"", "\"managed_instance\"");
        assert_eq!(azure(&mi_first(), &with_role("Primary"), Some(&params)), []);
    }

    #[test]
    fn the_cli_role() {
        let sh = "az sql mi link create -g rg-treasury --mi mi-treasury --name dag-treasury \\\n  --partner-ag-name AG_Treasury --instance-ag-name AG_Treasury_MI --databases \"['Treasury']\" \\\n  --partner-endpoint tcp://sqlfin01.corp.example.net:5022 --instance-link-role Primary\n";
        let found = findings(RULE.code, &[("01.sql", LINK), ("link.sh", sh)], None);
        assert_eq!(lines(&found), [3]);
        let found = findings(RULE.code, &[("01.sql", &mi_first()), ("link.sh", sh)], None);
        assert_eq!(found, []);
    }
}
