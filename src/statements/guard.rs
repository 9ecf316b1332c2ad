//! Existence guards: the IF conditions that make a statement "create when absent".
//!
//! `IF NOT EXISTS (SELECT 1 FROM sys.database_mirroring_endpoints) CREATE ENDPOINT …
//! ELSE ALTER ENDPOINT …` runs the CREATE when there is no endpoint yet and the ALTER
//! when there is one. Recognized forms: `[NOT] EXISTS (SELECT … FROM <catalog view> …)`,
//! `(SELECT COUNT(*) FROM <view> …) = 0` (or `> 0`), and `OBJECT_ID(…)`, `DB_ID(…)`,
//! `CERT_ID(…)`, `SUSER_ID(…)` … `IS [NOT] NULL`.

use crate::lex::{Token, TokenKind};
use crate::span::Span;

/// What a guard looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Catalog {
    Endpoints,
    AvailabilityGroups,
    Certificates,
    /// Symmetric and asymmetric keys (the database master key is symmetric key 101).
    Keys,
    Databases,
    Logins,
    Users,
    Objects,
    Schemas,
    Credentials,
}

/// An existence test on an IF.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Guard {
    pub catalog: Catalog,
    /// `IF EXISTS` (true) or `IF NOT EXISTS` (false): the THEN arm runs when the object
    /// is there (true) or absent (false).
    pub exists: bool,
    /// The object's name when the test names one (`WHERE name = N'x'`, `CERT_ID(N'x')`).
    pub name: Option<String>,
    /// The condition.
    pub span: Span,
}

fn catalog_of_view(name: &str) -> Option<Catalog> {
    Some(match name.to_ascii_lowercase().as_str() {
        "endpoints" | "database_mirroring_endpoints" | "tcp_endpoints" => Catalog::Endpoints,
        "availability_groups"
        | "availability_groups_cluster"
        | "availability_replicas"
        | "availability_databases_cluster"
        | "dm_hadr_availability_group_states" => Catalog::AvailabilityGroups,
        "certificates" => Catalog::Certificates,
        "symmetric_keys" | "asymmetric_keys" => Catalog::Keys,
        "databases" | "sysdatabases" => Catalog::Databases,
        "server_principals" | "sql_logins" | "syslogins" => Catalog::Logins,
        "database_principals" | "sysusers" => Catalog::Users,
        "objects" | "tables" | "views" | "procedures" | "sysobjects" | "all_objects" => {
            Catalog::Objects
        }
        "schemas" => Catalog::Schemas,
        "credentials" | "database_scoped_credentials" => Catalog::Credentials,
        _ => return None,
    })
}

fn catalog_of_function(name: &str) -> Option<Catalog> {
    Some(match name.to_ascii_uppercase().as_str() {
        "OBJECT_ID" => Catalog::Objects,
        "DB_ID" => Catalog::Databases,
        "CERT_ID" => Catalog::Certificates,
        "KEY_ID" | "ASYMKEY_ID" => Catalog::Keys,
        "SUSER_ID" | "SUSER_SID" => Catalog::Logins,
        "USER_ID" | "DATABASE_PRINCIPAL_ID" => Catalog::Users,
        "SCHEMA_ID" => Catalog::Schemas,
        _ => return None,
    })
}

/// The guard an IF condition is, if it is one and nothing else.
pub fn recognize(condition: &[Token]) -> Option<Guard> {
    let span = condition.first()?.span.to(condition.last()?.span);
    test(condition, span)
}

fn test(condition: &[Token], span: Span) -> Option<Guard> {
    let mut tokens = condition;
    // Outer parentheses around the whole condition.
    while tokens.len() >= 2
        && tokens[0].is_punct("(")
        && super::heads::after_group(tokens, 0) == Some(tokens.len())
    {
        tokens = &tokens[1..tokens.len() - 1];
    }
    let (negated, rest) = match tokens.first() {
        Some(t) if t.is_kw("NOT") => (true, &tokens[1..]),
        _ => (false, tokens),
    };
    if let Some(catalog) = exists_test(rest) {
        return Some(Guard {
            catalog,
            exists: !negated,
            name: named(rest),
            span,
        });
    }
    if negated {
        return None;
    }
    id_function_test(tokens, span).or_else(|| count_test(tokens, span))
}

/// `EXISTS ( SELECT … FROM view … )` covering all of `tokens`.
fn exists_test(tokens: &[Token]) -> Option<Catalog> {
    let first = tokens.first()?;
    if !first.is_kw("EXISTS") || super::heads::after_group(tokens, 1) != Some(tokens.len()) {
        return None;
    }
    from_view(&tokens[2..tokens.len() - 1])
}

/// The catalog view after the first `FROM` of a query (`sys.endpoints`, `master.sys.x`).
fn from_view(query: &[Token]) -> Option<Catalog> {
    if !query.first()?.is_kw("SELECT") {
        return None;
    }
    let from = query.iter().position(|t| t.is_kw("FROM"))?;
    let mut last = None;
    let mut at = from + 1;
    while let Some(t) = query.get(at) {
        if !matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdent) {
            break;
        }
        last = Some(t.value.as_str());
        if !query.get(at + 1).is_some_and(|d| d.is_punct(".")) {
            break;
        }
        at += 2;
    }
    last.and_then(catalog_of_view)
}

/// `OBJECT_ID(…) IS [NOT] NULL`.
fn id_function_test(tokens: &[Token], span: Span) -> Option<Guard> {
    let catalog = catalog_of_function(&tokens.first()?.value)?;
    let close = super::heads::after_group(tokens, 1)?;
    if !tokens.get(1)?.is_punct("(") || !tokens.get(close)?.is_kw("IS") {
        return None;
    }
    let exists = match &tokens[close + 1..] {
        [null] if null.is_kw("NULL") => false,
        [not, null] if not.is_kw("NOT") && null.is_kw("NULL") => true,
        _ => return None,
    };
    let name = tokens
        .get(2)
        .filter(|t| {
            t.is_string()
                && tokens
                    .get(3)
                    .is_some_and(|c| c.is_punct(")") || c.is_punct(","))
        })
        .map(|t| t.value.to_string());
    Some(Guard {
        catalog,
        exists,
        name,
        span,
    })
}

/// `name = N'x'` in a query: the object it looks for.
fn named(query: &[Token]) -> Option<String> {
    query.windows(3).find_map(|w| {
        (w[0].is_kw("name") && w[1].is_punct("=") && w[2].is_string())
            .then(|| w[2].value.to_string())
    })
}

/// `(SELECT COUNT(*) FROM view …) = 0` (absent) or `> 0` (present).
fn count_test(tokens: &[Token], span: Span) -> Option<Guard> {
    if !tokens.first()?.is_punct("(") {
        return None;
    }
    let close = super::heads::after_group(tokens, 0)?;
    let catalog = from_view(&tokens[1..close - 1])?;
    let exists = match &tokens[close..] {
        [op, zero] if zero.value == "0" && op.is_punct("=") => false,
        [op, zero]
            if zero.value == "0"
                && (op.is_punct(">") || op.is_punct("<>") || op.is_punct("!=")) =>
        {
            true
        }
        _ => return None,
    };
    Some(Guard {
        catalog,
        exists,
        name: named(&tokens[1..close - 1]),
        span,
    })
}
