//! The finding of a name that must equal another and does not: one wording for every
//! mismatch rule (ML101–ML112, ML601–ML607), which each choose the [`NameKind`]s they
//! own from the model's name checks ([`Analysis::name_checks`]).

use crate::analysis::name_checks::{Expectation, NameKind, Source};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::names::{compare, NameMatch};
use crate::span::Span;

/// The diagnostic for an expectation whose names really differ, with its fix when the
/// name can be rewritten in place (see [`fix`]).
pub fn diagnostic_with_fix(a: &Analysis, code: Code, e: &Expectation) -> Diagnostic {
    let d = diagnostic(code, e);
    match fix(a, e) {
        Some(fix) => d.with_fix(fix),
        None => d,
    }
}

/// The diagnostic for an expectation whose names really differ.
pub fn diagnostic(code: Code, e: &Expectation) -> Diagnostic {
    let context = e
        .context
        .as_deref()
        .map(|c| format!(" {c}"))
        .unwrap_or_default();
    let (message, label, help) = match e.source {
        Source::Params | Source::Export => (
            format!(
                "{} '{}'{context} does not match {} ('{}')",
                e.what,
                e.found.value,
                e.source.noun(),
                e.expected.value
            ),
            "expected here",
            format!(
                "rename {} to '{}', or fix {}",
                e.object,
                e.expected.value,
                e.source.noun()
            ),
        ),
        Source::Script => (
            match e.reference {
                Some(reference) => format!(
                    "{} '{}'{context} does not match {reference} ('{}')",
                    e.what, e.found.value, e.expected.value
                ),
                None => format!(
                    "{} '{}'{context} does not match '{}'",
                    e.what, e.found.value, e.expected.value
                ),
            },
            "declared here",
            format!("use the same name in both places ('{}')", e.expected.value),
        ),
    };
    let mut d = Diagnostic::new(code, code.rule().severity, e.found.span, message)
        .with_primary_label(format!("'{}'", e.found.value))
        .with_label(e.expected.span, label)
        .with_help(e.help.clone().unwrap_or(help));
    for (span, text) in &e.labels {
        d = d.with_label(*span, text.clone());
    }
    d
}

/// Report, as `code`, the names of the `kinds` a rule owns that really differ.
pub fn report(a: &Analysis, code: Code, kinds: &[NameKind], out: &mut Vec<Diagnostic>) {
    for e in a.name_checks() {
        if kinds.contains(&e.kind) && e.outcome() == NameMatch::Different {
            out.push(diagnostic_with_fix(a, code, e));
        }
    }
}

/// Write the expected name where the found one is: safe when the parameters file gives
/// the name, unsafe when an Azure export does (the script may be right and Azure wrong);
/// none between two scripts (which one is right is the user's call).
fn fix(a: &Analysis, e: &Expectation) -> Option<Fix> {
    let applicability = match e.source {
        Source::Params => Applicability::Safe,
        Source::Export => Applicability::Unsafe,
        Source::Script => return None,
    };
    let at = e.written_at.unwrap_or(e.found.span);
    if let Some(dialect) = crate::language::Dialect::of(&a.files.get(at.file).name) {
        let text = &a.files.get(at.file).text;
        // A placeholder left in the script (`--name <DAGName>`, which sh reads as a
        // redirection) shifts what the commands' arguments are: ML501 fills it first.
        if !crate::azure::placeholders::find_in_shell(text, dialect).is_empty() {
            return None;
        }
        if e.written_at.is_some() && !variable_is_this_name_only(a, e) {
            return None;
        }
        return shell_rename(
            a,
            at,
            &e.found.value,
            &e.expected.value,
            e.object,
            applicability,
        );
    }
    rename(
        a,
        e.found.span,
        &e.found.value,
        &e.expected.value,
        e.object,
        applicability,
    )
}

/// Whether the shell variable `e`'s name comes from holds this name and nothing else:
/// every use of it in the script (`$Dag`, `${Dag}`, `%Dag%`, `!Dag!`, in a `-Query`
/// string too) is one the name checks know, and they all expect the same name.
fn variable_is_this_name_only(a: &Analysis, e: &Expectation) -> bool {
    let known: Vec<&Expectation> = a
        .name_checks()
        .iter()
        .filter(|o| o.written_at == e.written_at)
        .collect();
    if known
        .iter()
        .any(|o| compare(&o.expected.value, &e.expected.value) == NameMatch::Different)
    {
        return false;
    }
    let written = a.files.slice(e.found.span).trim_matches(['"', '\'']);
    let name = written.trim_matches(['$', '{', '}', '%', '!']);
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return false;
    }
    // Letter case aside (PowerShell and cmd ignore it): counting more uses only means
    // fewer fixes.
    let text = a.files.get(e.found.span.file).text.to_ascii_lowercase();
    let name = name.to_ascii_lowercase();
    let uses: usize = [
        format!("${name}"),
        format!("${{{name}}}"),
        format!("%{name}%"),
        format!("!{name}!"),
    ]
    .iter()
    .map(|form| {
        memchr::memmem::find_iter(text.as_bytes(), form.as_bytes())
            .filter(|&at| {
                let after = &text[at + form.len()..];
                let next = after.bytes().next();
                // `$Dag = …` and `$Dag += …` assign it: no use.
                let rest = after.trim_start_matches([' ', '\t']);
                let assigned =
                    (rest.starts_with('=') && !rest.starts_with("==")) || rest.starts_with("+=");
                !next.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') && !assigned
            })
            .count()
    })
    .sum();
    uses <= known.len()
}

/// The fix that writes `expected` over a word of a shell script at `span` (`dag_x`,
/// `"dag_x"`, `'dag_x'`: an argument, or the literal a variable was assigned) that holds
/// exactly `found` (not a piece that `+=` adds to), in the quotes it had. Only a name
/// that needs no quoting in PowerShell, sh or cmd replaces a word that expands nothing
/// (no `$`, `` ` ``, `%`, `\`); a variable's use has none.
pub fn shell_rename(
    a: &Analysis,
    span: Span,
    found: &str,
    expected: &str,
    object: &str,
    applicability: Applicability,
) -> Option<Fix> {
    let written = a.files.slice(span);
    // `"…"` or `'…'`: the name inside changes, the quotes stay.
    let (offset, inner) = ['"', '\'']
        .iter()
        .find_map(|q| written.strip_prefix(*q)?.strip_suffix(*q))
        .map_or((0, written), |inner| (1, inner));
    let word = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    };
    let expands = inner.contains(['$', '`', '%', '\\', '"', '\'']);
    if !word(expected) || expands || inner != found {
        return None;
    }
    let start = span.start as usize + offset;
    Some(Fix {
        applicability,
        message: format!("rename {object} to '{expected}'"),
        edits: vec![Edit {
            span: Span::new(span.file, start..start + inner.len()),
            content: expected.to_string(),
        }],
    })
}

/// The fix that writes `expected` where `found` is written at `span`. A name that comes
/// whole from a `:setvar` is fixed at the `:setvar`, not at its uses; a name built from
/// pieces, from an external variable or a placeholder has no fix.
pub fn rename(
    a: &Analysis,
    span: Span,
    found: &str,
    expected: &str,
    object: &str,
    applicability: Applicability,
) -> Option<Fix> {
    let text = &a.files.get(span.file).text;
    let written = &text[span.range()];
    let edit = if written.contains("$(") {
        setvar_edit(a, span, found, expected)?
    } else {
        let before = text[..span.start as usize].chars().next_back();
        let after = text[span.end as usize..].chars().next();
        let content = match requote(written, expected) {
            Some(content) => content,
            // Inside brackets or a string (`Server=[mi]`, a host in a URL): the name as is.
            None if (before == Some('[') && after == Some(']'))
                || super::fixes::context(text, span.start as usize)
                    == Some(super::fixes::Context::Literal) =>
            {
                (!expected.contains([']', '\'', '\n', '\r'])).then(|| expected.to_string())?
            }
            None => return None,
        };
        Edit { span, content }
    };
    Some(Fix {
        applicability,
        message: format!("rename {object} to '{expected}'"),
        edits: vec![edit],
    })
}

/// The `:setvar` value to change when the found name is exactly one variable's value.
fn setvar_edit(a: &Analysis, span: Span, found: &str, expected: &str) -> Option<Edit> {
    let inside = |u: &crate::sqlcmd::VarUse| {
        u.span.file == span.file && u.span.start >= span.start && u.span.end <= span.end
    };
    let script = a
        .scripts
        .iter()
        .find(|s| s.script.var_uses.iter().any(inside))?;
    let mut uses = script.script.var_uses.iter().filter(|u| inside(u));
    let only = uses.next()?;
    if uses.next().is_some() {
        return None;
    }
    let index = only.definition?;
    let definition = &script.script.setvars[index];
    // The whole name is the variable's value, the new one can stand wherever the
    // variable is used, and no other use names something that must be another name.
    let quoted = a.files.slice(definition.span).contains('"');
    let fits = definition.value == found
        && setvar_value_fits(expected, quoted)
        && other_uses_agree(a, span, script, index, expected);
    fits.then(|| Edit {
        span: definition.value_span,
        content: expected.to_string(),
    })
}

/// Whether `value` can be a `:setvar` value (in `"…"` when `quoted`) that sqlcmd writes
/// as is wherever `$(name)` stands: inside `'…'`, `[…]` or `"…"` alike, so none of
/// their quotes or brackets.
pub fn setvar_value_fits(value: &str, quoted: bool) -> bool {
    !value.contains(['\'', '"', '[', ']']) && (quoted || !value.contains(char::is_whitespace))
}

/// Whether the other uses of the `:setvar` at `index` of `script` (and uses of its name
/// that other scripts take from the session) can all take `expected`: none of them is a
/// name the checks expect to be something else, nor a database of a link when the fixed
/// name is not one (`:setvar N Orders` used as the AG's name and as its database).
fn other_uses_agree(
    a: &Analysis,
    span: Span,
    script: &crate::extract::run::ScriptFacts,
    index: usize,
    expected: &str,
) -> bool {
    let name = &script.script.setvars[index].name;
    let within = |outer: Span, inner: Span| {
        outer.file == inner.file && outer.start <= inner.start && inner.end <= outer.end
    };
    let databases: Vec<Span> = a
        .links
        .iter()
        .flat_map(|l| l.databases.iter().map(|d| d.name.span))
        .collect();
    let is_database = |at: Span| databases.iter().any(|d| within(*d, at));
    let fixing_database = is_database(span);
    let others = a.scripts.iter().flat_map(|s| {
        let own = s.file == script.file;
        s.script.var_uses.iter().filter(move |u| {
            u.name.eq_ignore_ascii_case(name)
                && !within(span, u.span)
                && if own {
                    u.definition == Some(index)
                } else {
                    u.definition.is_none()
                }
        })
    });
    for u in others {
        if u.in_comment {
            continue;
        }
        if is_database(u.span) && !fixing_database {
            return false;
        }
        let elsewhere = a
            .name_checks()
            .iter()
            .find(|e| within(e.found.span, u.span));
        if elsewhere.is_some_and(|e| compare(&e.expected.value, expected) == NameMatch::Different) {
            return false;
        }
    }
    true
}

/// `name` written the way `written` is: `[x]`, `"x"`, `'x'`, `N'x'` with their escapes, or
/// a bare word when the new name is a regular identifier too (a bare word may be part of
/// a string, where brackets would change the text). None for a placeholder.
pub fn requote(written: &str, name: &str) -> Option<String> {
    let regular = name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    let upper = written.get(..2).map(str::to_ascii_uppercase);
    if written.starts_with('[') && written.ends_with(']') {
        Some(format!("[{}]", name.replace(']', "]]")))
    } else if written.starts_with('"') && written.ends_with('"') && written.len() > 1 {
        Some(format!("\"{}\"", name.replace('"', "\"\"")))
    } else if upper.as_deref() == Some("N'") && written.ends_with('\'') && written.len() > 2 {
        Some(format!("{}'{}'", &written[..1], name.replace('\'', "''")))
    } else if written.starts_with('\'') && written.ends_with('\'') && written.len() > 1 {
        Some(format!("'{}'", name.replace('\'', "''")))
    } else if regular && !written.contains(['<', '>', '$', '{', '\'', '"', '[', ']']) {
        Some(name.to_string())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::requote;

    #[test]
    fn a_name_keeps_its_quoting() {
        assert_eq!(requote("[dag_a]", "dag-a]").as_deref(), Some("[dag-a]]]"));
        assert_eq!(
            requote("\"dag_a\"", "dag\"a").as_deref(),
            Some("\"dag\"\"a\"")
        );
        assert_eq!(requote("n'dag_a'", "o'x").as_deref(), Some("n'o''x'"));
        assert_eq!(requote("'dag_a'", "dag-a").as_deref(), Some("'dag-a'"));
        assert_eq!(requote("dag_a", "DagA").as_deref(), Some("DagA"));
    }

    #[test]
    fn no_fix_where_quoting_would_change_the_text() {
        // A bare word may stand inside a string (a URL): brackets are not safe there.
        assert_eq!(requote("dag_a", "dag-a"), None);
        assert_eq!(requote("<dag, sysname, x>", "dag"), None);
        assert_eq!(requote("1dag", "dag 2"), None);
    }

    mod setvar {
        use crate::codes::Code;
        use crate::rules::testing::{fixed, LINK, PARAMS};

        /// [`LINK`] with the AG's name from `:setvar AG`, also used as `others`.
        fn with_variable(value: &str, others: &[(&str, &str)]) -> String {
            let mut sql = format!(
                ":setvar AG {value}\n{}",
                LINK.replace("[AG_Treasury]", "[$(AG)]")
            );
            for (from, to) in others {
                sql = sql.replace(from, to);
            }
            sql
        }

        #[test]
        fn the_definition_is_fixed_when_every_use_takes_the_name() {
            // Its uses as the AG's name, the DAG's member and in a message all take it.
            let bad = with_variable(
                "AG_Treasury_Old",
                &[("N'AG_Treasury' WITH", "N'$(AG)' WITH")],
            ) + "PRINT N'created $(AG)';\n";
            let out = fixed(Code::ML102, &bad, Some(PARAMS));
            assert_eq!(out, bad.replacen("AG_Treasury_Old", "AG_Treasury", 1));
        }

        #[test]
        fn no_fix_when_another_use_must_be_another_name() {
            // `:setvar AG Treasury` names the AG and its database: renaming it for the AG
            // would rename the database too.
            let bad = with_variable(
                "Treasury",
                &[("FOR DATABASE [Treasury]", "FOR DATABASE [$(AG)]")],
            );
            assert_eq!(fixed(Code::ML102, &bad, Some(PARAMS)), bad);
            assert_eq!(
                crate::rules::testing::fixed_unsafe(Code::ML105, &bad, Some(PARAMS)),
                bad
            );
        }

        #[test]
        fn no_fix_when_the_name_cannot_stand_in_every_use() {
            // sqlcmd writes the value inside '…' and […] alike.
            // (The DAG's member, written as a literal, takes the quote doubled.)
            let bad = with_variable("AG_Treasury", &[]);
            for name in ["AG_O'Brien", "AG]x"] {
                let params = PARAMS.replace("\"AG_Treasury\"", &format!("\"{name}\""));
                let out = fixed(Code::ML102, &bad, Some(&params));
                assert!(out.starts_with(":setvar AG AG_Treasury\n"), "{out}");
            }
        }
    }
}
