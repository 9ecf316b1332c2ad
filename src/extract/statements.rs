//! Master key, certificates, ALTER DATABASE, BACKUP DATABASE, USE and EXEC.

use super::parser::{PResult, Parser};
use crate::lex::TokenKind;
use crate::model::{
    AlterDatabase, AlterDatabaseAction, Backup, Certificate, CertificateSource, Exec, MasterKey,
    Spanned, StatementKind,
};
use crate::prefilter::LINK_PROCEDURES;

/// After `CREATE MASTER KEY`.
pub fn master_key(p: &mut Parser) -> PResult<StatementKind> {
    // `ENCRYPTION BY PASSWORD = '…'`; the password itself is never kept.
    if p.eat_kws(&["ENCRYPTION", "BY", "PASSWORD"]) {
        p.expect_punct("=")?;
        p.bump();
    }
    Ok(StatementKind::MasterKey(MasterKey {}))
}

/// `KEY = 'value'` pairs of a certificate's WITH clause, until something else.
fn certificate_with_items(p: &mut Parser, cert: &mut Certificate) {
    loop {
        let Some(key) = p.peek() else { return };
        let is_item = key.kind == TokenKind::Word && p.peek_at(1).is_some_and(|t| t.is_punct("="));
        if !is_item {
            return;
        }
        p.pos += 2;
        let value = p.bump();
        let spanned = value.map(|v| Spanned {
            value: v.value.to_string(),
            span: v.span,
        });
        if key.is_kw("SUBJECT") {
            cert.subject = spanned;
        } else if key.is_kw("EXPIRY_DATE") {
            cert.expiry_date = spanned;
        }
        if !p.eat_punct(",") {
            return;
        }
    }
}

/// Tokens of the certificate clauses the model does not keep (passwords, files, blobs).
fn is_certificate_clause_token(t: &crate::lex::Token) -> bool {
    t.is_punct("=")
        || t.is_punct(",")
        || t.kind == TokenKind::Hex
        || t.is_string()
        || ["ENCRYPTION", "BY", "PASSWORD", "FILE", "ACTIVE"]
            .iter()
            .any(|k| t.is_kw(k))
}

/// After `CREATE CERTIFICATE`.
pub fn certificate(p: &mut Parser) -> PResult<StatementKind> {
    let name = p.name("the certificate name")?;
    let mut cert = Certificate {
        name,
        source: CertificateSource::Generated,
        subject: None,
        expiry_date: None,
        password_protected: false,
    };
    if p.eat_kw("AUTHORIZATION") {
        p.name("an owner name")?;
    }
    if p.eat_kw("FROM") {
        cert.source = if p.eat_kw("BINARY") {
            CertificateSource::Binary
        } else if p.eat_kw("ASSEMBLY") {
            CertificateSource::Assembly
        } else {
            p.eat_kw("EXECUTABLE");
            CertificateSource::File
        };
    }
    // Walk the rest: `ENCRYPTION BY PASSWORD = …`, `WITH PRIVATE KEY (…)`, `WITH SUBJECT = …`.
    while let Some(t) = p.peek() {
        if t.is_kw("WITH") {
            p.bump();
            if p.peek_kws(&["PRIVATE", "KEY"]) {
                p.pos += 2;
                if p.peek_punct("(") {
                    p.option_list()?;
                }
                continue;
            }
            certificate_with_items(p, &mut cert);
        } else if p.eat_kws(&["ENCRYPTION", "BY", "PASSWORD"]) {
            cert.password_protected = true;
        } else if is_certificate_clause_token(t) {
            p.bump();
        } else {
            break;
        }
    }
    Ok(StatementKind::Certificate(cert))
}

/// After `ALTER DATABASE`: the statements that prepare a database for the link or join
/// it to an availability group (`SET RECOVERY …`, `SET HADR …`, among other options of
/// the same SET). Any other ALTER DATABASE is not read (None), so the prefilter's words
/// `recovery` and `hadr` are always in what is read.
pub fn alter_database(p: &mut Parser) -> Option<PResult<StatementKind>> {
    let rest = &p.tokens[p.pos..];
    let set = rest.iter().position(|t| t.is_kw("SET"))?;
    let options = &rest[set + 1..];
    if !options
        .iter()
        .any(|t| t.is_kw("RECOVERY") || t.is_kw("HADR"))
    {
        return None;
    }
    Some(alter_database_set(p))
}

fn alter_database_set(p: &mut Parser) -> PResult<StatementKind> {
    let name = p.name("the database name")?;
    let mut action = AlterDatabaseAction::Other;
    if !p.eat_kw("SET") {
        return Ok(StatementKind::AlterDatabase(AlterDatabase { name, action }));
    }
    // `SET option [, option]… [WITH …]`: the first RECOVERY or HADR option decides.
    while !p.at_end() {
        if p.eat_kw("RECOVERY") {
            if let Some(t) = p.bump().filter(|t| t.kind != TokenKind::Placeholder) {
                action = AlterDatabaseAction::SetRecovery(Spanned {
                    value: t.value.as_str().to_ascii_uppercase(),
                    span: t.span,
                });
            }
            break;
        }
        if p.eat_kw("HADR") {
            let availability_group = if p.eat_kws(&["AVAILABILITY", "GROUP"]) {
                p.expect_punct("=")?;
                Some(p.name("an availability group name")?)
            } else {
                None
            };
            action = AlterDatabaseAction::SetHadr { availability_group };
            break;
        }
        // Another option: up to the next comma outside parentheses.
        let mut depth = 0usize;
        while let Some(t) = p.peek() {
            if t.is_punct("(") {
                depth += 1;
            } else if t.is_punct(")") {
                depth = depth.saturating_sub(1);
            } else if depth == 0 && (t.is_punct(",") || t.is_kw("WITH")) {
                break;
            }
            p.bump();
        }
        if !p.eat_punct(",") {
            break;
        }
    }
    Ok(StatementKind::AlterDatabase(AlterDatabase { name, action }))
}

/// After `BACKUP DATABASE`.
pub fn backup_database(p: &mut Parser) -> PResult<StatementKind> {
    let database = p.name("the database name")?;
    let mut backup = Backup {
        database,
        copy_only: false,
        differential: false,
    };
    // Options follow `WITH`, in any order, until the statement ends.
    let mut depth = 0usize;
    let mut in_with = false;
    while let Some(t) = p.peek() {
        if t.is_punct("(") {
            depth += 1;
        } else if t.is_punct(")") {
            if depth == 0 {
                break;
            }
            depth -= 1;
        } else if depth == 0 && t.is_punct(";") {
            break;
        } else if t.is_kw("WITH") {
            in_with = true;
        } else if in_with && t.is_kw("COPY_ONLY") {
            backup.copy_only = true;
        } else if in_with && t.is_kw("DIFFERENTIAL") {
            backup.differential = true;
        }
        p.bump();
    }
    Ok(StatementKind::Backup(backup))
}

/// After `USE`: the database later statements run in. A `USE` whose database cannot be
/// read (`USE <source database>`, a typo) only leaves the context unknown: it is not a
/// link statement of its own.
pub fn use_database(p: &mut Parser) -> Option<StatementKind> {
    p.name("a database name").ok().map(StatementKind::Use)
}

/// After `EXEC`/`EXECUTE` (or at a procedure called without it): a call of one of the
/// link's system procedures ([`LINK_PROCEDURES`]); None for any other call.
pub fn exec(p: &mut Parser) -> PResult<Option<StatementKind>> {
    // `EXEC @rc = proc …`
    if p.peek().is_some_and(|t| t.value.starts_with('@'))
        && p.peek_at(1).is_some_and(|t| t.is_punct("="))
    {
        p.pos += 2;
    }
    // Not a call of a procedure this tool reads (a variable, a statement it does not
    // know at the start of a batch): nothing to say about it.
    let Ok(mut procedure) = p.name("a procedure name") else {
        return Ok(None);
    };
    if procedure.value.starts_with('@') {
        return Ok(None);
    }
    // Multi-part names: master.sys.sp_x → keep the last part.
    while p.peek_punct(".") && p.peek_at(1).is_some_and(|t| t.is_name()) {
        p.bump();
        let Ok(part) = p.name("a procedure name") else {
            return Ok(None);
        };
        procedure = part;
    }
    if !LINK_PROCEDURES
        .iter()
        .any(|l| procedure.value.eq_ignore_ascii_case(l))
    {
        return Ok(None);
    }
    // Arguments: `value [OUTPUT]` or `@param = value`, separated by commas.
    let mut arguments = Vec::new();
    loop {
        if p.peek().is_some_and(|t| t.value.starts_with('@'))
            && p.peek_at(1).is_some_and(|t| t.is_punct("="))
        {
            p.pos += 2;
        }
        let Some(t) = p.peek() else { break };
        if t.is_punct(";") {
            break;
        }
        arguments.push(Spanned {
            value: t.value.to_string(),
            span: t.span,
        });
        p.bump();
        p.eat_kw("OUTPUT");
        if !p.eat_punct(",") {
            break;
        }
    }
    Ok(Some(StatementKind::Exec(Exec {
        procedure,
        arguments,
    })))
}
