//! ML612: a link command is cut short: the create call leaves out a mandatory parameter,
//! or a line continuation of a link command (or of a runner of the link scripts) does
//! not continue.

use super::{Check, Rule};
use crate::analysis::azure_links::{is_create, origin_name};
use crate::analysis::Analysis;
use crate::azure::{BrokenContinuation, ContinuationOf};
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::span::FileId;

pub static RULE: Rule = Rule {
    code: Code::ML612,
    severity: Severity::Error,
    summary: "a link command is cut short: the create call leaves out a mandatory parameter, or a line continuation is followed by a space",
    catalogue: "-",
    needs_params: false,
    check: Check::Model(check),
};

const CONTINUATION_HELP: &str = "give every mandatory parameter; if they are on the next lines, check that each line ends with its continuation character (` in PowerShell, \\ in sh, ^ in cmd) and nothing after it, not even a space";

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let mut reported = Vec::new();
    for link in a
        .azure
        .links
        .iter()
        .filter(|l| is_create(l) && !l.missing.is_empty())
    {
        let missing = link.missing.join(", ");
        let mut d = Diagnostic::new(
            RULE.code,
            RULE.severity,
            link.head,
            format!("{} is called without {missing}", origin_name(link)),
        )
        .with_primary_label("the call stops here with an error")
        .with_help(CONTINUATION_HELP);
        if let Some(at) = link.broken_continuation {
            d = d
                .with_label(at, "the command ends here: the continuation is followed by a space")
                .with_note("the lines after it run as separate commands, so the parameters on them are never passed");
            reported.push(link.span);
        }
        out.push(d);
    }
    for broken in &a.azure.continuations {
        if reported.contains(&broken.command_span) || !is_link_command(a, broken) {
            continue;
        }
        let character = match a.files.slice(broken.at).chars().next() {
            Some('`') => "the backtick",
            Some('\\') => "the backslash",
            Some('^') => "the caret",
            _ => "the continuation character",
        };
        out.push(
            Diagnostic::new(
                RULE.code,
                RULE.severity,
                broken.at,
                format!(
                    "the line continuation of {} is followed by a space: the command ends on this line",
                    broken.command
                ),
            )
            .with_primary_label(format!("{character} and blanks after it: no continuation"))
            .with_label(broken.cut_off, "never passed: these lines run as a command of their own")
            .with_help(format!(
                "delete the blanks after {character}, so that it is the last character of the line"
            ))
            .with_note(format!(
                "{} runs without the parameters on the next lines, then the shell fails on a line that starts with a parameter",
                broken.command
            )),
        );
    }
}

/// Whether a command with a broken continuation is part of the link: the Azure link
/// commands always; a script runner when it runs a link script (as far as the shell read
/// it), when the lines it cuts off name one, or when its script does other link work.
fn is_link_command(a: &Analysis, broken: &BrokenContinuation) -> bool {
    if broken.kind != ContinuationOf::Runner {
        return true;
    }
    let runs_link_script = a.azure.runs.iter().enumerate().any(|(index, run)| {
        run.span == broken.command_span
            && a.script_runs
                .iter()
                .any(|(file, r)| *r == index && a.in_a_setup(*file))
    });
    runs_link_script
        || names_link_script(a, a.files.slice(broken.cut_off))
        || shell_does_link_work(a, broken.command_span.file)
}

/// Whether `text` (the lines cut off) names a script of a link set-up by its file name.
fn names_link_script(a: &Analysis, text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    a.file_links.keys().any(|file| {
        let name = &a.files.get(*file).name;
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        !base.is_empty() && text.contains(&base.to_ascii_lowercase())
    })
}

/// Whether a shell script holds an Azure link command or trust certificate upload.
pub(super) fn shell_does_link_work(a: &Analysis, file: FileId) -> bool {
    a.azure
        .links
        .iter()
        .any(|l| l.span.file == file && matches!(l.origin, crate::azure::Origin::Command { .. }))
        || a.azure
            .trust_certificates
            .iter()
            .any(|c| c.span.file == file)
        || a.azure
            .continuations
            .iter()
            .any(|c| c.command_span.file == file && c.kind != ContinuationOf::Runner)
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, Finding, LINK, LINK_PS};

    fn azure(shell: (&str, &str)) -> Vec<Finding> {
        findings(RULE.code, &[("01.sql", LINK), shell], None)
    }

    #[test]
    fn a_space_after_the_first_backtick() {
        let ps1 = LINK_PS.replacen("-Name dag-treasury `\n", "-Name dag-treasury ` \n", 1);
        let found = azure(("link.ps1", &ps1));
        assert_eq!(lines(&found), [1]);
        assert_eq!(found[0].message, "New-AzSqlInstanceLink is called without -PartnerAvailabilityGroupName, -InstanceAvailabilityGroupName, -Database, -PartnerEndpoint");
    }

    #[test]
    fn a_mandatory_parameter_left_out() {
        let ps1 = LINK_PS.replace(" -PartnerEndpoint \"TCP://sqlfin01.corp.example.net:5022\"", "");
        let found = azure(("link.ps1", &ps1));
        assert_eq!(lines(&found), [1]);
        assert_eq!(found[0].message, "New-AzSqlInstanceLink is called without -PartnerEndpoint");
    }

    #[test]
    fn every_mandatory_parameter_given() {
        assert_eq!(azure(("link.ps1", LINK_PS)), []);
        let splatted = "$link = @{\n    ResourceGroupName = 'rg-treasury'\n    InstanceName = 'mi-treasury'\n    Name = 'dag-treasury'\n    PartnerAvailabilityGroupName = 'AG_Treasury'\n    InstanceAvailabilityGroupName = 'AG_Treasury_MI'\n    Database = 'Treasury'\n    PartnerEndpoint = 'TCP://sqlfin01.corp.example.net:5022'\n}\nNew-AzSqlInstanceLink @link\n";
        assert_eq!(azure(("link.ps1", splatted)), []);
    }

    #[test]
    fn a_space_after_the_backslash_of_an_update() {
        let sh = "az sql mi link update -g rg-treasury --mi mi-treasury -n dag-treasury \\ \n  --replication-mode Sync\n";
        let found = azure(("update.sh", sh));
        assert_eq!(lines(&found), [1]);
        assert_eq!(found[0].message, "the line continuation of az sql mi link update is followed by a space: the command ends on this line");
        let good = sh.replace("\\ \n", "\\\n");
        assert_eq!(azure(("update.sh", &good)), []);
    }

    #[test]
    fn a_pipeline_continues_on_the_next_line() {
        let ps1 = "Get-AzSqlInstanceLink -ResourceGroupName rg-treasury -InstanceName mi-treasury -Name dag-treasury | \n    Format-List Name, Databases\n";
        assert_eq!(azure(("show.ps1", ps1)), []);
    }

    #[test]
    fn a_space_after_the_caret_in_cmd() {
        let cmd = "az sql mi link create -g rg-treasury --mi mi-treasury --name dag-treasury ^ \n  --partner-ag-name AG_Treasury --instance-ag-name AG_Treasury_MI --databases \"['Treasury']\" ^\n  --partner-endpoint tcp://sqlfin01.corp.example.net:5022\n";
        let found = azure(("link.cmd", cmd));
        assert_eq!(lines(&found), [1]);
        assert_eq!(
            found[0].message,
            "the line continuation of az sql mi link create is followed by a space: the command ends on this line"
        );
        let good = cmd.replace("^ \n", "^\n");
        assert_eq!(azure(("link.cmd", &good)), []);
    }
}
