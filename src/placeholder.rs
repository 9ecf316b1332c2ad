//! Placeholders left in scripts: values that somebody or some tool was meant to fill in.
//!
//! - documentation placeholders of the Managed Instance link pages: `<DAGName>`,
//!   `<SQLServerIP>`;
//! - SSMS template parameters `<name, type, default>` (Query ▸ Specify Values for
//!   Template Parameters replaces them);
//! - deployment tools' variables: `${var}` (Flyway, Liquibase), `#{var}` (Octopus),
//!   `{{ var }}` (Jinja, dbt);
//! - a SQLCMD `$(var)` that nothing defines (sqlcmd substitutes the defined ones).
//!
//! The lexer turns each into one token ([`crate::lex::TokenKind::Placeholder`]), so a
//! link statement reads it as a name or value that is not known yet, and rules leave
//! such values alone instead of comparing them.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `<DAGName>`.
    Documentation,
    /// `<name, type, default>`.
    Template,
    /// `<source database name>`: words to be replaced by a value.
    FreeText,
    /// `${var}`, `#{var}`, `{{ var }}`.
    ToolVariable,
    /// `$(var)`.
    SqlcmdVariable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder<'t> {
    /// Byte range in the text searched.
    pub range: Range<usize>,
    pub kind: Kind,
    /// The parameter or variable name.
    pub name: &'t str,
    /// A template's default value (may be empty).
    pub default: Option<&'t str>,
}

/// What dynamic SQL holds where the linter could not evaluate a piece of it (a value
/// read from a table, a function it does not know): a placeholder like the others.
pub const UNKNOWN: &str = "${?}";

/// Placeholders of the Managed Instance link documentation: reported even in files
/// that hold no recognizable link (the placeholder may be why).
pub const DOCUMENTATION: &[&str] = &[
    "DatabaseName",
    "DiskPath",
    "strong_password",
    "SQLServerCertName",
    "SQL_SERVER_CERTIFICATE",
    "SQLServerPublicKey",
    "PublicKey",
    "SubscriptionID",
    "ResourceGroupName",
    "RGName",
    "ManagedInstanceName",
    "ManagedInstanceFQDN",
    "YourExistingEndpointName",
    "SQLServerName",
    "SQLServerIP",
    "AGName",
    "AGNameOnSQLServer",
    "AGNameOnSQLMI",
    "DAGName",
    "DAGname",
    "SQLEndpointIP",
    "EndpointPort",
];

/// Whether an identifier is one of [`DOCUMENTATION`].
pub fn is_documented(ident: &str) -> bool {
    DOCUMENTATION.iter().any(|p| p.eq_ignore_ascii_case(ident))
}

/// The placeholders of [`DOCUMENTATION`] that only the link's pages use. The others
/// (`<DatabaseName>`, `<strong_password>`, `<DiskPath>`, …) appear in many other
/// Microsoft pages (TDE, backups) and mean nothing about a link on their own.
pub fn is_link_specific(ident: &str) -> bool {
    const GENERIC: &[&str] = &[
        "DatabaseName",
        "DiskPath",
        "strong_password",
        "PublicKey",
        "SubscriptionID",
        "ResourceGroupName",
        "RGName",
    ];
    is_documented(ident) && !GENERIC.iter().any(|g| g.eq_ignore_ascii_case(ident))
}

/// Longest placeholder looked for; longer text between the delimiters is something else.
const MAX_LEN: usize = 256;

/// The text up to the first `close` on the same line, within [`MAX_LEN`].
fn until<'t>(text: &'t str, from: usize, close: &str) -> Option<(&'t str, usize)> {
    let rest = text.get(from..)?;
    let mut cut = rest.len().min(MAX_LEN);
    while !rest.is_char_boundary(cut) {
        cut -= 1;
    }
    let window = &rest[..cut];
    let end = window.find(close)?;
    let inner = &window[..end];
    (!inner.contains(['\n', '\r'])).then_some((inner, from + end + close.len()))
}

fn is_ident(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

/// `<name, type, default>` or `<Ident>` at the start of `text`.
fn angle(text: &str) -> Option<Placeholder<'_>> {
    let (inner, end) = until(text, 1, ">")?;
    if inner.contains('<') {
        return None;
    }
    let mut parts = inner.splitn(3, ',');
    let name = parts.next()?;
    match (parts.next(), parts.next()) {
        (Some(_), Some(default)) => {
            let trimmed = name.trim();
            // SSMS takes any text for the name: `<user-name, sysname, …>` too.
            let name_ok = trimmed.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && trimmed
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' ' | '.'));
            (name_ok && balanced(inner)).then(|| Placeholder {
                range: 0..end,
                kind: Kind::Template,
                name: trimmed,
                default: Some(default.trim()),
            })
        }
        _ => {
            // `<Ident>`: a documented name, or one shaped like a placeholder (an upper-case
            // letter or an underscore, three characters or more), so `a<b>c` is not one.
            let shaped = is_documented(name)
                || (is_ident(name)
                    && name.len() >= 3
                    && name.bytes().any(|b| b.is_ascii_uppercase() || b == b'_'));
            if shaped && !is_markup(text, end, name) {
                return Some(Placeholder {
                    range: 0..end,
                    kind: Kind::Documentation,
                    name,
                    default: None,
                });
            }
            // `<source database name>`: two or more words, none of them a logical
            // operator (`a<b AND c>d` is a comparison). ML501 reports free text only
            // inside link statements, where `<` and `>` never compare.
            let words: Vec<&str> = name.split([' ', '-']).collect();
            let free = words.len() >= 2
                && words.iter().all(|w| is_ident(w))
                && !words.iter().any(|w| {
                    ["AND", "OR", "NOT", "IS", "IN", "LIKE", "BETWEEN"]
                        .iter()
                        .any(|k| w.eq_ignore_ascii_case(k))
                });
            free.then_some(Placeholder {
                range: 0..end,
                kind: Kind::FreeText,
                name,
                default: None,
            })
        }
    }
}

/// `<Name>` opening an XML element (`N'<Link><Database>Sales</Database></Link>'`): its
/// `</Name>` follows on the same line.
fn is_markup(text: &str, after: usize, name: &str) -> bool {
    let rest = &text[after..];
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let mut window = line.len().min(4096);
    while !line.is_char_boundary(window) {
        window -= 1;
    }
    line[..window].contains(&format!("</{name}>"))
}

/// `open … close` holding a variable name: `${var}`, `#{Octopus.Var}`, `{{ var }}`.
fn tool_variable<'t>(text: &'t str, open: &str, close: &str) -> Option<Placeholder<'t>> {
    if !text.starts_with(open) {
        return None;
    }
    let (inner, end) = until(text, open.len(), close)?;
    let name = inner.trim();
    let ok = !name.is_empty() && !name.contains(['{', '}', '\'', '"']);
    ok.then_some(Placeholder {
        range: 0..end,
        kind: Kind::ToolVariable,
        name,
        default: None,
    })
}

/// `$(name)`.
fn sqlcmd_variable(text: &str) -> Option<Placeholder<'_>> {
    let rest = text.strip_prefix("$(")?;
    let len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
        .count();
    (len > 0 && rest.as_bytes().get(len) == Some(&b')')).then(|| Placeholder {
        range: 0..len + 3,
        kind: Kind::SqlcmdVariable,
        name: &rest[..len],
        default: None,
    })
}

/// The placeholder that begins at the start of `text`, if one does.
pub fn at(text: &str) -> Option<Placeholder<'_>> {
    match text.as_bytes().first()? {
        b'<' => angle(text),
        b'$' => tool_variable(text, "${", "}").or_else(|| sqlcmd_variable(text)),
        b'#' => tool_variable(text, "#{", "}"),
        b'{' => tool_variable(text, "{{", "}}"),
        _ => None,
    }
}

/// The placeholders of a text, left to right, found lazily.
pub struct Placeholders<'t> {
    text: &'t str,
    at: usize,
    /// Only those that start with `<` (a faster scan for documentation placeholders).
    angle_only: bool,
}

impl<'t> Iterator for Placeholders<'t> {
    type Item = Placeholder<'t>;

    fn next(&mut self) -> Option<Placeholder<'t>> {
        let bytes = self.text.as_bytes();
        while self.at < bytes.len() {
            let rest = &bytes[self.at..];
            let offset = if self.angle_only {
                memchr::memchr(b'<', rest)
            } else {
                rest.iter()
                    .position(|b| matches!(b, b'<' | b'$' | b'#' | b'{'))
            }?;
            let i = self.at + offset;
            match at(&self.text[i..]) {
                Some(mut p) => {
                    p.range = i + p.range.start..i + p.range.end;
                    self.at = p.range.end;
                    return Some(p);
                }
                None => self.at = i + 1,
            }
        }
        None
    }
}

/// Every placeholder in `text`, left to right.
pub fn find(text: &str) -> Placeholders<'_> {
    Placeholders {
        text,
        at: 0,
        angle_only: false,
    }
}

/// Whether `text` holds any placeholder: a value that is not known yet.
pub fn contains(text: &str) -> bool {
    find(text).next().is_some()
}

/// The documentation placeholders (`<DAGName>`) of `text`.
pub fn documentation(text: &str) -> impl Iterator<Item = Placeholder<'_>> {
    Placeholders {
        text,
        at: 0,
        angle_only: true,
    }
    .filter(|p| p.kind == Kind::Documentation)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str, Option<&str>)> {
        find(text).map(|p| (p.kind, p.name, p.default)).collect()
    }

    #[test]
    fn ssms_templates() {
        assert_eq!(
            kinds("USE <Database_Name, sysname, Sales>"),
            vec![(Kind::Template, "Database_Name", Some("Sales"))]
        );
        assert_eq!(
            kinds("WITH SUBJECT = '<subject, nvarchar(128), Cert for link>'"),
            vec![(Kind::Template, "subject", Some("Cert for link"))]
        );
        assert_eq!(
            kinds("<expiry, , >"),
            vec![(Kind::Template, "expiry", Some(""))]
        );
    }

    #[test]
    fn a_long_line_of_box_drawing_characters_after_a_comparison() {
        // The search window ends inside a multi-byte character.
        for k in 240..270 {
            let text = format!("WHERE a <{}{}", "x".repeat(k), "─".repeat(10));
            assert!(find(&text).next().is_none());
        }
    }

    #[test]
    fn comparisons_are_not_templates() {
        assert!(find("IF @a < 5 AND @b > 3").next().is_none());
        assert!(find("SELECT IIF(a < 1, 2, 3) > 0").next().is_none());
        assert!(find("WHERE a<b AND c>d").next().is_none());
        assert!(find("<br>").next().is_none());
    }

    #[test]
    fn xml_elements_are_not_placeholders() {
        assert!(find("N'<Link><Database>Sales</Database></Link>'")
            .next()
            .is_none());
        assert_eq!(
            kinds("N'<DAGName>'"),
            vec![(Kind::Documentation, "DAGName", None)]
        );
    }

    #[test]
    fn template_names_and_free_text() {
        assert_eq!(
            kinds("AUTHORIZATION <user-name, sysname, test_user>"),
            vec![(Kind::Template, "user-name", Some("test_user"))]
        );
        assert_eq!(
            kinds("USE <source database to be cloned>"),
            vec![(Kind::FreeText, "source database to be cloned", None)]
        );
        assert!(find("WHERE a<b AND c>d").next().is_none());
    }

    #[test]
    fn documentation_and_tool_variables() {
        assert_eq!(
            kinds("[<DAGName>] ${flyway:database} #{Octopus.Db} {{ db }} $(Db)"),
            vec![
                (Kind::Documentation, "DAGName", None),
                (Kind::ToolVariable, "flyway:database", None),
                (Kind::ToolVariable, "Octopus.Db", None),
                (Kind::ToolVariable, "db", None),
                (Kind::SqlcmdVariable, "Db", None),
            ]
        );
        assert!(find("SELECT $1.50, '{' + x + '}'").next().is_none());
        // A template never spans lines.
        assert!(find("<a,\nb, c>").next().is_none());
    }
}
