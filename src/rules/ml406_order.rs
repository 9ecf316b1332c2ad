//! ML406: in run order (scripts by name, numbers by value, `:r` steps at their `:r` line) the DAG comes before its AG, the endpoint before its certificate, or a certificate before the master key.

use super::{Check, Rule};
use crate::analysis::queries::certificate_matches;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::{AlterDatabaseAction, CertificateSource, StatementKind};
use crate::rules::fixes;
use crate::span::{FileId, Span};
use std::ops::Range;

pub static RULE: Rule = Rule {
    code: Code::ML406,
    severity: Severity::Warning,
    summary: "in run order (scripts by name, numbers by value, `:r` steps at their `:r` line) the DAG comes before its AG, the endpoint before its certificate, or a certificate before the master key",
    catalogue: "D6",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let server = a.server_name();
    // The ranges the fixes offered so far rotate: one statement is moved once a round.
    let mut taken: Vec<(FileId, Range<usize>)> = Vec::new();
    for link in &a.links {
        let Some(ag_index) = link.ag else { continue };
        if ag_index > link.dag {
            let ag = a
                .ag(link)
                .map(|g| g.name.span)
                .unwrap_or(a.statements[ag_index].span);
            out.push(
                Diagnostic::new(RULE.code, RULE.severity, a.dag(link).name.span, format!("distributed availability group '{}' is created before its availability group", a.dag(link).name.value))
                    .with_primary_label("runs first")
                    .with_label(ag, "created later")
                    .with_help("create the AG first: CREATE … WITH (DISTRIBUTED) fails while its SQL Server member does not exist")
                    .with_fix_if(reorder(a, link.dag, ag_index, &mut taken)),
            );
        }
    }
    let certificates: Vec<(usize, &crate::model::Certificate)> = a.certificates().collect();
    for (index, e) in a.endpoints() {
        let Some(cert) = e
            .authentication
            .as_ref()
            .and_then(|x| x.certificate.as_ref())
        else {
            continue;
        };
        let created = certificates.iter().find(|(_, c)| {
            c.source != CertificateSource::Binary
                && certificate_matches(&c.name, &cert.value, server).is_some()
        });
        if let Some((cert_index, c)) = created {
            if *cert_index > index {
                out.push(
                    Diagnostic::new(
                        RULE.code,
                        RULE.severity,
                        cert.span,
                        format!(
                            "endpoint '{}' uses certificate '{}' before it is created",
                            e.name.value, cert.value
                        ),
                    )
                    .with_primary_label("used here")
                    .with_label(c.name.span, "created later")
                    .with_help("create the certificate before the endpoint")
                    .with_fix_if(reorder(a, index, *cert_index, &mut taken)),
                );
            }
        }
    }
    let master_keys: Vec<usize> = (0..a.statements.len())
        .filter(|&i| matches!(a.statements[i].kind, StatementKind::MasterKey(_)))
        .collect();
    // The key a certificate is protected by: the first that runs for its set-up (in its
    // own scripts or in scripts of no set-up, a prerequisite created once for the
    // server), else the first of the run. Another set-up's key, such as an archived copy
    // of the same script that sorts first, does not stand in for the set-up's own.
    let master_key_for = |index: usize| {
        let file = a.statements[index].file;
        let setups: Vec<&crate::analysis::LinkSetup> =
            a.links.iter().filter(|l| l.has_file(file)).collect();
        let speaks_for = |k: usize| {
            let key_file = a.statements[k].file;
            key_file == file
                || setups.is_empty()
                || !a.in_a_setup(key_file)
                || setups.iter().any(|l| l.has_file(key_file))
        };
        master_keys
            .iter()
            .copied()
            .find(|&k| speaks_for(k))
            .or(master_keys.first().copied())
    };
    for (index, c) in &certificates {
        if let Some(key_index) = master_key_for(*index) {
            let needs_master_key =
                c.source == CertificateSource::Generated && !c.password_protected;
            if *index < key_index && needs_master_key {
                out.push(
                    Diagnostic::new(RULE.code, RULE.severity, c.name.span, format!("certificate '{}' is created before the database master key", c.name.display()))
                        .with_primary_label("runs first")
                        .with_label(a.statements[key_index].span, "master key created later")
                        .with_help("create the master key first: a certificate without a password is protected by the master key")
                        .with_fix_if(reorder(a, *index, key_index, &mut taken)),
                );
            }
        }
    }
}

/// Statement `later` moved before statement `earlier` (`earlier` needs it), or else
/// `earlier` moved after `later`: unsafe, and only where it is mechanical. Both are
/// written as is in the same file, outside any IF, WHILE or BEGIN … END, in the same
/// `:connect` and `USE` context; each is a whole GO batch (moved with its comments and
/// its `GO`) or whole lines of its own; nothing stands between them but statements of
/// the link the moved one neither needs nor is needed by ([`independent`]): no other
/// statement, no control of flow, no SQLCMD command (`:setvar`, `:r`, `:connect`). The
/// move is a rotation of the text from the first to the last: the piece copied is the
/// one without a masked secret (a master key's password is never copied).
fn reorder(
    a: &Analysis,
    earlier: usize,
    later: usize,
    taken: &mut Vec<(FileId, Range<usize>)>,
) -> Option<Fix> {
    let (first, last) = (&a.statements[earlier], &a.statements[later]);
    if first.file != last.file
        || earlier >= later
        || first.context != last.context
        || !first.flow.branches.is_empty()
        || !last.flow.branches.is_empty()
    {
        return None;
    }
    let file = first.file;
    let text = a.files.get(file).text.as_str();
    let (a_unit, b_unit) = (unit(a, earlier)?, unit(a, later)?);
    let between_indices = between(a, earlier, later)?;
    let between: Vec<&StatementKind> = between_indices
        .iter()
        .map(|&i| &a.statements[i].kind)
        .collect();
    let (kind_a, kind_b) = (&first.kind, &last.kind);
    if !independent(kind_b, kind_a) {
        return None;
    }
    // The later one first (it needs none of what stands between), else the earlier one
    // last (none of what stands between needs it).
    let (x, y, z, message) = if between.iter().all(|x| independent(kind_b, x)) {
        let x = a_unit.front(b_unit.alone())?;
        let piece = b_unit.piece();
        let message = format!("create {} before {}", describe(kind_b), describe(kind_a));
        (x, piece.start, piece.end, message)
    } else if between.iter().all(|x| independent(x, kind_a)) {
        let z = b_unit.back(a_unit.alone())?;
        let piece = a_unit.piece();
        let message = format!("create {} after {}", describe(kind_a), describe(kind_b));
        (piece.start, piece.end, z, message)
    } else {
        return None;
    };
    let line_start = |at: usize| at == 0 || text[..at].ends_with('\n');
    if !(x < y && y < z && line_start(x) && line_start(y) && line_start(z)) {
        return None;
    }
    // No SQLCMD command in what turns around: a `:setvar`, `:connect` or `:r` there
    // would change what the moved text means.
    // Nor a `GO n`: a statement moved into its batch would run n times.
    let sqlcmd = text[x..z].lines().any(|l| {
        let l = l.trim_start();
        let counted_go = crate::sqlcmd::is_go_line(l)
            && l[2..].trim_start().starts_with(|c: char| c.is_ascii_digit());
        l.starts_with(':') || l.starts_with("!!") || counted_go
    });
    let mut statements = between_indices;
    statements.extend([earlier, later]);
    if sqlcmd
        || !only(a, file, x..z, &statements)
        || taken.iter().any(|(f, r)| *f == file && r.start < z && x < r.end)
    {
        return None;
    }
    // [x, y) + [y, z) becomes [y, z) + [x, y): copy the piece that holds no masked secret.
    let edits = if !crate::secrets::is_tainted(&text[y..z]) {
        [(y..z, String::new()), (x..x, text[y..z].to_string())]
    } else if !crate::secrets::is_tainted(&text[x..y]) {
        [(x..y, String::new()), (z..z, text[x..y].to_string())]
    } else {
        return None;
    };
    taken.push((file, x..z));
    Some(Fix {
        applicability: Applicability::Unsafe,
        message,
        edits: edits
            .into_iter()
            .map(|(range, content)| Edit {
                span: Span::new(file, range),
                content,
            })
            .collect(),
    })
}

/// The statements strictly between `earlier` and `later` in run order, when each is a
/// link statement of the same file written as is outside any control of flow, and the
/// splitter finds no other statement (or IF, BEGIN, …) among them.
fn between(a: &Analysis, earlier: usize, later: usize) -> Option<Vec<usize>> {
    let (first, last) = (&a.statements[earlier], &a.statements[later]);
    let mut found = Vec::new();
    let mut starts = Vec::new();
    for (i, s) in a.statements.iter().enumerate().take(later).skip(earlier + 1) {
        if s.file != first.file
            || s.dynamic
            || !s.flow.branches.is_empty()
            || s.context != first.context
        {
            return None;
        }
        found.push(i);
        starts.push(s.span.start as usize);
    }
    let (from, to) = (first.span.start as usize, last.span.start as usize);
    let all_known = fixes::bounds(a, first.file)?
        .starts
        .iter()
        .filter(|(at, _)| from < *at && *at < to)
        .all(|(at, control)| !control && starts.contains(at));
    all_known.then_some(found)
}

/// Every line of `range` is a line of one of `statements` (from the line of its start to
/// the line of its end), blank, a `--` comment or a `GO`: nothing else runs there, not
/// even in a batch the prefilter did not read (it holds no link word) or behind a
/// block comment.
fn only(a: &Analysis, file: FileId, range: Range<usize>, statements: &[usize]) -> bool {
    let text = a.files.get(file).text.as_str();
    let mut covered = Vec::new();
    for &i in statements {
        let Some(end) = fixes::statement_end(a, i) else {
            return false;
        };
        let start = a.statements[i].span.start as usize;
        let first = text[..start].rfind('\n').map_or(0, |n| n + 1);
        let last = text[end..].find('\n').map_or(text.len(), |n| end + n);
        covered.push(first..last);
    }
    let mut at = range.start;
    while at < range.end {
        let end = text[at..range.end].find('\n').map_or(range.end, |n| at + n);
        let line = text[at..end].trim();
        let known = covered.iter().any(|r| r.start <= at && end <= r.end);
        if !known && !line.is_empty() && !line.starts_with("--") && !crate::sqlcmd::is_go_line(line) {
            return false;
        }
        at = end + 1;
    }
    true
}

/// `s` does not need `x` to have run before it, among the statements this rule moves
/// and those it lets a move pass; anything else (USE, ALTER AVAILABILITY GROUP, EXEC,
/// a statement the model does not read) is a barrier.
fn independent(s: &StatementKind, x: &StatementKind) -> bool {
    use StatementKind as K;
    let known = |k: &StatementKind| {
        matches!(
            k,
            K::MasterKey(_)
                | K::Certificate(_)
                | K::Endpoint(_)
                | K::AvailabilityGroup(_)
                | K::DistributedAg(_)
                | K::AlterDatabase(_)
                | K::Backup(_)
        )
    };
    if !known(s) || !known(x) {
        return false;
    }
    match s {
        // Needs nothing of the link (two master keys: the second fails anyway).
        K::MasterKey(_) => !matches!(x, K::MasterKey(_)),
        // A generated certificate needs the master key.
        K::Certificate(_) => !matches!(x, K::MasterKey(_)),
        // Needs the certificate it authenticates with.
        K::Endpoint(_) => !matches!(x, K::Certificate(_)),
        // Needs the endpoint and the database prepared (recovery, backup).
        K::AvailabilityGroup(_) => matches!(
            x,
            K::MasterKey(_) | K::Certificate(_) | K::AvailabilityGroup(_) | K::DistributedAg(_)
        ),
        // Needs its AG and the endpoint.
        K::DistributedAg(_) => matches!(
            x,
            K::MasterKey(_)
                | K::Certificate(_)
                | K::DistributedAg(_)
                | K::AlterDatabase(_)
                | K::Backup(_)
        ),
        // SET HADR AVAILABILITY GROUP needs the AG; the backup needs SET RECOVERY FULL.
        K::AlterDatabase(d) => {
            matches!(
                x,
                K::MasterKey(_) | K::Certificate(_) | K::Endpoint(_) | K::DistributedAg(_)
                    | K::Backup(_)
            ) || (matches!(x, K::AvailabilityGroup(_))
                && !matches!(d.action, AlterDatabaseAction::SetHadr { .. }))
        }
        // A backup may be encrypted with a certificate (and so the master key).
        K::Backup(_) => matches!(
            x,
            K::Endpoint(_) | K::AvailabilityGroup(_) | K::DistributedAg(_)
        ),
        _ => false,
    }
}

/// What a fix message calls a statement.
fn describe(kind: &StatementKind) -> String {
    match kind {
        StatementKind::MasterKey(_) => "the master key".to_string(),
        StatementKind::Certificate(c) => format!("certificate '{}'", c.name.display()),
        StatementKind::Endpoint(e) => format!("endpoint '{}'", e.name.value),
        StatementKind::AvailabilityGroup(g) => format!("availability group '{}'", g.name.value),
        StatementKind::DistributedAg(d) => format!("distributed availability group '{}'", d.name.value),
        _ => "the statement".to_string(),
    }
}

/// A statement as a piece of text to move: its own lines, and its GO batch when it is
/// alone in one (only blank lines and `--` comments around it).
struct Unit {
    /// The start of its first line and the end of its last (after the line break).
    lines: Range<usize>,
    /// Where its batch starts, when only blank lines and comments come before it there.
    batch_start: Option<usize>,
    /// The `GO` line that ends its batch, when only blank lines and comments follow it.
    go: Option<Range<usize>>,
}

impl Unit {
    fn alone(&self) -> bool {
        self.batch_start.is_some() && self.go.is_some()
    }

    /// What moves: the whole batch with its `GO`, or the statement's lines.
    fn piece(&self) -> Range<usize> {
        match (self.batch_start, &self.go) {
            (Some(start), Some(go)) => start..go.end,
            _ => self.lines.clone(),
        }
    }

    /// Where a piece goes to run before this statement: a whole batch only where a batch
    /// starts; lines at the start of its batch, or of its own lines.
    fn front(&self, batch: bool) -> Option<usize> {
        match self.batch_start {
            Some(start) => Some(start),
            None if batch => None,
            None => Some(self.lines.start),
        }
    }

    /// Where a piece goes to run after this statement: a whole batch after its `GO`;
    /// lines before its `GO`, or after its own lines.
    fn back(&self, batch: bool) -> Option<usize> {
        match &self.go {
            Some(go) if batch => Some(go.end),
            Some(go) => Some(go.start),
            None if batch => None,
            None => Some(self.lines.end),
        }
    }
}

/// Statement `index` as a [`Unit`]: None unless it is written as is on lines of its own
/// (nothing but blanks before it on its first line, nothing but blanks or a `--`
/// comment after its end on its last, and a line break there).
fn unit(a: &Analysis, index: usize) -> Option<Unit> {
    let s = &a.statements[index];
    let end = fixes::statement_end(a, index)?;
    let text = a.files.get(s.file).text.as_str();
    let start = s.span.start as usize;
    let first = text[..start].rfind('\n').map_or(0, |n| n + 1);
    if !text[first..start].chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let rest = text[end..].find('\n').map(|n| end + n)?;
    let after = text[end..rest].trim();
    if !after.is_empty() && !after.starts_with("--") {
        return None;
    }
    let lines = first..rest + 1;
    let others = |range: Range<usize>| {
        fixes::bounds(a, s.file).is_none_or(|b| {
            b.starts
                .iter()
                .any(|(at, _)| range.contains(at) && *at != start)
        })
    };
    let quiet = |line: &str| {
        let line = line.trim();
        line.is_empty() || line.starts_with("--")
    };
    // Back to the `GO` before it (or the file's start) over blank and comment lines.
    let mut batch_start = None;
    let mut at = first;
    loop {
        if at == 0 {
            batch_start = Some(0);
            break;
        }
        let previous = text[..at - 1].rfind('\n').map_or(0, |n| n + 1);
        let line = &text[previous..at - 1];
        if crate::sqlcmd::is_go_line(line) {
            batch_start = Some(at);
            break;
        }
        if !quiet(line) {
            break;
        }
        at = previous;
    }
    let batch_start = batch_start.filter(|&b| !others(b..start));
    // On to the `GO` after it.
    let mut go = None;
    let mut at = lines.end;
    while let Some(n) = text[at..].find('\n') {
        let line = &text[at..at + n];
        if crate::sqlcmd::is_go_line(line) {
            go = Some(at..at + n + 1);
            break;
        }
        if !quiet(line) {
            break;
        }
        at += n + 1;
    }
    let go = go.filter(|g| !others(lines.end..g.start));
    Some(Unit {
        lines,
        batch_start,
        go,
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{
        findings, fixed, fixed_unsafe, lines, offered, script, with_params, LINK, PARAMS,
    };

    const DAG: &str = "CREATE AVAILABILITY GROUP [dag-treasury]";
    const ENDPOINT_CERTIFICATE: &str = "CREATE CERTIFICATE [Cert_SQLFIN01_endpoint]\n    WITH SUBJECT = N'SQLFIN01 link endpoint', EXPIRY_DATE = '2030-01-01';\n";
    const MASTER_KEY: &str = "CREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(MasterKeyPassword)';\n";

    /// LINK split before its DAG: (everything up to the AG, the DAG).
    fn split() -> (String, String) {
        let at = LINK.find(DAG).unwrap();
        (LINK[..at].to_string(), LINK[at..].to_string())
    }

    #[test]
    fn the_dag_script_runs_before_the_ag_script() {
        let (ag, dag) = split();
        let found = findings(RULE.code, &[("01_dag.sql", &dag), ("02_ag.sql", &ag)], None);
        assert_eq!(lines(&found), [1]);
        assert_eq!(found[0].file, "01_dag.sql");
        assert_eq!(
            found[0].message,
            "distributed availability group 'dag-treasury' is created before its availability group"
        );
    }

    #[test]
    fn scripts_run_in_the_order_of_their_numbers() {
        let (ag, dag) = split();
        // 2 before 10, although "10" sorts before "2" as text.
        let found = findings(RULE.code, &[("10_dag.sql", &dag), ("2_ag.sql", &ag)], None);
        assert_eq!(found, []);
    }

    #[test]
    fn the_endpoint_before_its_certificate() {
        let bad = LINK.replacen(ENDPOINT_CERTIFICATE, "", 1).replacen(
            "CREATE CERTIFICATE [mi-treasury",
            &format!("{ENDPOINT_CERTIFICATE}CREATE CERTIFICATE [mi-treasury"),
            1,
        );
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [5]);
        assert_eq!(
            found[0].message,
            "endpoint 'Hadr_endpoint' uses certificate 'Cert_SQLFIN01_endpoint' before it is created"
        );
    }

    #[test]
    fn the_certificate_before_the_master_key() {
        let bad = LINK.replacen(
            "CREATE ENDPOINT",
            &format!("{MASTER_KEY}CREATE ENDPOINT"),
            1,
        );
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [2]);
        assert_eq!(
            found[0].message,
            "certificate 'Cert_SQLFIN01_endpoint' is created before the database master key"
        );
    }

    #[test]
    fn master_key_certificate_endpoint_ag_dag() {
        assert_eq!(script(RULE.code, LINK), []);
        let with_key = LINK.replacen("USE master;\n", &format!("USE master;\n{MASTER_KEY}"), 1);
        assert_eq!(script(RULE.code, &with_key), []);
    }

    #[test]
    fn a_certificate_with_its_own_password_needs_no_master_key() {
        let good = LINK
            .replacen(
                "EXPIRY_DATE = '2030-01-01';",
                "EXPIRY_DATE = '2030-01-01'\n    ENCRYPTION BY PASSWORD = '$(CertPassword)';",
                1,
            )
            .replacen("CREATE ENDPOINT", &format!("{MASTER_KEY}CREATE ENDPOINT"), 1);
        assert_eq!(script(RULE.code, &good), []);
    }

    /// LINK's statements from `from` up to `to` (or the end).
    fn part(from: &str, to: Option<&str>) -> String {
        let start = LINK.find(from).unwrap();
        let end = to.map_or(LINK.len(), |t| LINK.find(t).unwrap());
        LINK[start..end].to_string()
    }

    #[test]
    fn the_unsafe_fix_moves_the_certificate_before_the_endpoint() {
        let bad = LINK.replacen(ENDPOINT_CERTIFICATE, "", 1).replacen(
            "CREATE CERTIFICATE [mi-treasury",
            &format!("{ENDPOINT_CERTIFICATE}CREATE CERTIFICATE [mi-treasury"),
            1,
        );
        assert_eq!(fixed_unsafe(RULE.code, &bad, None), LINK);
        // Unsafe: --fix alone leaves it.
        assert_eq!(fixed(RULE.code, &bad, None), bad);
    }

    #[test]
    fn the_unsafe_fix_moves_the_master_key_first() {
        let bad = LINK.replacen("CREATE ENDPOINT", &format!("{MASTER_KEY}CREATE ENDPOINT"), 1);
        let good = LINK.replacen("USE master;\n", &format!("USE master;\n{MASTER_KEY}"), 1);
        assert_eq!(fixed_unsafe(RULE.code, &bad, None), good);
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn a_master_key_password_is_never_copied() {
        // The password is masked in the linted text: the certificate moves after the
        // key instead, which gives the same order.
        let key = "CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'Tr3asury#Key!2026';\n";
        let bad = LINK.replacen("CREATE ENDPOINT", &format!("{key}CREATE ENDPOINT"), 1);
        let good = LINK.replacen("USE master;\n", &format!("USE master;\n{key}"), 1);
        let fix = offered(RULE.code, &[("01.sql", &bad)], None)[0].clone().unwrap();
        assert!(fix.edits.iter().all(|e| !e.content.contains("MASTER KEY")));
        assert_eq!(fixed_unsafe(RULE.code, &bad, None), good);
    }

    /// The rule page's example: endpoint, certificate, master key, each a GO batch.
    #[test]
    fn whole_batches_move_with_their_go_over_two_rounds() {
        let batch = |s: &str| format!("{}GO\n", s);
        let endpoint = part("CREATE ENDPOINT", Some("CREATE CERTIFICATE [mi-treasury"));
        let key = "-- the key protects the endpoint certificate\nCREATE MASTER KEY ENCRYPTION BY PASSWORD = 'Tr3asury#Key!2026';\n";
        let bad = format!(
            "USE master;\nGO\n{}{}{}",
            batch(&endpoint),
            batch(ENDPOINT_CERTIFICATE),
            batch(key)
        );
        let once = fixed_unsafe(RULE.code, &bad, None);
        assert_eq!(
            once,
            format!(
                "USE master;\nGO\n{}{}{}",
                batch(ENDPOINT_CERTIFICATE),
                batch(&endpoint),
                batch(key)
            )
        );
        let twice = fixed_unsafe(RULE.code, &once, None);
        let good = format!(
            "USE master;\nGO\n{}{}{}",
            batch(key),
            batch(ENDPOINT_CERTIFICATE),
            batch(&endpoint)
        );
        assert_eq!(twice, good);
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn the_ag_batch_moves_before_the_dag_batch() {
        let prepare = part("USE master;", Some("CREATE AVAILABILITY GROUP [AG_Treasury]"));
        let ag = part("CREATE AVAILABILITY GROUP [AG_Treasury]", Some(DAG));
        let dag = part(DAG, None);
        let bad = format!("{prepare}GO\n-- the link\n{dag}GO\n-- the AG\n{ag}GO\n");
        let good = format!("{prepare}GO\n-- the AG\n{ag}GO\n-- the link\n{dag}GO\n");
        assert_eq!(lines(&script(RULE.code, &bad)), [14]);
        assert_eq!(fixed_unsafe(RULE.code, &bad, None), good);
        assert_eq!(script(RULE.code, &good), []);
        let crlf = |s: &str| s.replace('\n', "\r\n");
        assert_eq!(fixed_unsafe(RULE.code, &crlf(&bad), None), crlf(&good));
    }

    #[test]
    fn the_dag_moves_after_the_ag_when_the_ag_needs_what_stands_between() {
        // The AG needs the database prepared (ALTER DATABASE, BACKUP) between the two:
        // the DAG goes after the AG instead.
        let dag = part(DAG, None);
        let bad = LINK
            .replacen(&dag, "", 1)
            .replacen("ALTER DATABASE", &format!("{dag}ALTER DATABASE"), 1);
        assert_eq!(lines(&script(RULE.code, &bad)), [10]);
        assert_eq!(fixed_unsafe(RULE.code, &bad, None), LINK);
        assert_eq!(with_params(RULE.code, &fixed_unsafe(RULE.code, &bad, None), PARAMS), []);
    }

    #[test]
    fn no_fix_across_a_statement_it_does_not_know_control_of_flow_or_a_sqlcmd_command() {
        for between in [
            "PRINT 'next: the certificate';\n",
            "GO\nEXEC sp_configure 'show advanced options', 1;\nGO\n",
            "/* later:\nCREATE LOGIN x */\n",
            "IF 1 = 1\n    PRINT 'x';\n",
            ":setvar CertName Cert_SQLFIN01_endpoint\n",
            "USE master;\n",
        ] {
            let bad = LINK.replacen(ENDPOINT_CERTIFICATE, "", 1).replacen(
                "CREATE CERTIFICATE [mi-treasury",
                &format!("{between}{ENDPOINT_CERTIFICATE}CREATE CERTIFICATE [mi-treasury"),
                1,
            );
            assert_eq!(lines(&script(RULE.code, &bad)), [5], "{between}");
            assert_eq!(fixed_unsafe(RULE.code, &bad, None), bad, "{between}");
        }
    }

    #[test]
    fn no_fix_for_a_statement_in_an_if_or_sharing_a_line() {
        let guarded = LINK.replacen(ENDPOINT_CERTIFICATE, "", 1).replacen(
            "CREATE CERTIFICATE [mi-treasury",
            &format!("IF CERT_ID('Cert_SQLFIN01_endpoint') IS NULL\n{ENDPOINT_CERTIFICATE}CREATE CERTIFICATE [mi-treasury"),
            1,
        );
        assert_eq!(lines(&script(RULE.code, &guarded)), [5]);
        assert_eq!(fixed_unsafe(RULE.code, &guarded, None), guarded);
        let one_line = LINK.replacen(ENDPOINT_CERTIFICATE, "", 1).replacen(
            "AES);\nCREATE CERTIFICATE [mi-treasury",
            &format!("AES); {ENDPOINT_CERTIFICATE}CREATE CERTIFICATE [mi-treasury"),
            1,
        );
        assert_eq!(lines(&script(RULE.code, &one_line)), [5]);
        assert_eq!(fixed_unsafe(RULE.code, &one_line, None), one_line);
    }

    #[test]
    fn no_fix_into_a_batch_that_runs_several_times() {
        let prepare = part("USE master;", Some("CREATE AVAILABILITY GROUP [AG_Treasury]"));
        let ag = part("CREATE AVAILABILITY GROUP [AG_Treasury]", Some(DAG));
        let dag = part(DAG, None);
        let bad = format!("{prepare}GO\n{dag}GO 2\n{ag}PRINT 'done';\nGO\n");
        assert_eq!(offered(RULE.code, &[("01.sql", &bad)], None), [None]);
    }

    #[test]
    fn an_archived_copy_does_not_stand_in_for_a_scripts_own_master_key() {
        // Both copies create the certificate before their master key: both are reported
        // (once, as copies) and fixed together.
        let key = "CREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(MasterKeyPassword)';\n";
        let bad = format!("{LINK}{key}");
        let files = [("archive/01.sql", bad.as_str()), ("live/01.sql", bad.as_str())];
        let fixes = offered(RULE.code, &files, None);
        assert_eq!(fixes.len(), 1);
        let edited: std::collections::BTreeSet<_> = fixes[0]
            .as_ref()
            .expect("a fix")
            .edits
            .iter()
            .map(|e| e.span.file)
            .collect();
        assert_eq!(edited.len(), 2);
    }

    #[test]
    fn no_fix_across_scripts() {
        let (ag, dag) = split();
        let files = [("01_dag.sql", dag.as_str()), ("02_ag.sql", ag.as_str())];
        assert_eq!(offered(RULE.code, &files, None), [None]);
    }
}
