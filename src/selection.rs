//! Which rules run and at what severity: `select`/`ignore` selectors and per-rule
//! severity overrides, from `milink.toml` or the command line.
//!
//! A selector is `ALL`, a rule code (`ML101`), a code prefix (`ML1`, `ML10`) or a rule
//! name (`dag-name-mismatch`), case-insensitive.

use crate::codes::Code;
use crate::diagnostic::Severity;
use crate::params::suggest::closest;

/// The resolved choice: one entry per rule, in [`Code::ALL`] order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSelection {
    enabled: Vec<bool>,
    /// Overrides only: a rule may report findings of different severities by default.
    severity: Vec<Option<Severity>>,
}

impl Default for RuleSelection {
    fn default() -> Self {
        RuleSelection {
            enabled: vec![true; Code::ALL.len()],
            severity: vec![None; Code::ALL.len()],
        }
    }
}

/// A selector or severity that names nothing; `index` is its position in the input list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorError {
    pub index: usize,
    pub message: String,
    pub help: Option<String>,
}

impl RuleSelection {
    /// `select` (empty: every rule) minus `ignore`, then the severity overrides.
    pub fn new<S: AsRef<str>>(
        select: &[S],
        ignore: &[S],
        overrides: &[(S, Severity)],
    ) -> Result<RuleSelection, SelectorError> {
        let mut selection = RuleSelection::default();
        if !select.is_empty() {
            let chosen = matching_rules(select)?;
            for (i, on) in selection.enabled.iter_mut().enumerate() {
                *on = chosen[i];
            }
        }
        let ignored = matching_rules(ignore)?;
        for (on, off) in selection.enabled.iter_mut().zip(ignored) {
            *on &= !off;
        }
        for (index, (selector, severity)) in overrides.iter().enumerate() {
            let matched = matches(selector.as_ref()).map_err(|e| SelectorError { index, ..e })?;
            for (i, hit) in matched.into_iter().enumerate() {
                if hit {
                    selection.severity[i] = Some(*severity);
                }
            }
        }
        Ok(selection)
    }

    pub fn is_enabled(&self, code: Code) -> bool {
        self.enabled[code.index()]
    }

    /// The severity every finding of `code` is reported with, when overridden.
    pub fn severity_override(&self, code: Code) -> Option<Severity> {
        self.severity[code.index()]
    }

    /// The enabled rules' codes, in order.
    pub fn enabled(&self) -> impl Iterator<Item = Code> + '_ {
        Code::ALL
            .iter()
            .zip(&self.enabled)
            .filter(|(_, on)| **on)
            .map(|(code, _)| *code)
    }
}

/// For each rule, whether any of `selectors` matches it.
fn matching_rules<S: AsRef<str>>(selectors: &[S]) -> Result<Vec<bool>, SelectorError> {
    let mut any = vec![false; Code::ALL.len()];
    for (index, selector) in selectors.iter().enumerate() {
        let matched = matches(selector.as_ref()).map_err(|e| SelectorError { index, ..e })?;
        for (hit, m) in any.iter_mut().zip(matched) {
            *hit |= m;
        }
    }
    Ok(any)
}

/// The rules one selector matches; a selector matching nothing is an error, since a typo
/// there would silently switch checks on or off.
fn matches(selector: &str) -> Result<Vec<bool>, SelectorError> {
    let s = selector.trim();
    let hits: Vec<bool> = Code::ALL
        .iter()
        .map(|c| {
            let code = c.as_str();
            s.eq_ignore_ascii_case("ALL")
                || c.name().eq_ignore_ascii_case(s)
                || (s.len() >= 3
                    && code.len() >= s.len()
                    && code[..s.len()].eq_ignore_ascii_case(s))
        })
        .collect();
    if hits.iter().any(|h| *h) {
        return Ok(hits);
    }
    let candidates: Vec<&str> = Code::ALL
        .iter()
        .flat_map(|c| [c.as_str(), c.name()])
        .collect();
    Err(SelectorError {
        index: 0,
        message: format!("'{selector}' is not a rule code, code prefix or rule name"),
        help: Some(match closest(s, &candidates) {
            Some(near) => format!("did you mean `{near}`? (`milink-lint rules` lists them)"),
            None => "`milink-lint rules` lists the codes and names".to_string(),
        }),
    })
}

/// `error`, `warning` or `info` (also `note`, as SARIF calls it).
pub fn parse_severity(text: &str) -> Option<Severity> {
    match text.trim().to_ascii_lowercase().as_str() {
        "error" => Some(Severity::Error),
        "warning" | "warn" => Some(Severity::Warning),
        "info" | "note" => Some(Severity::Info),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: &[&str] = &[];

    #[test]
    fn default_enables_every_rule_without_overrides() {
        let s = RuleSelection::default();
        assert!(Code::ALL.iter().all(|c| s.is_enabled(*c)));
        assert!(Code::ALL.iter().all(|c| s.severity_override(*c).is_none()));
    }

    #[test]
    fn select_by_prefix_and_ignore_by_name() {
        let s = RuleSelection::new(&["ml1"], &["dag-name-mismatch"], &[]).unwrap();
        assert!(!s.is_enabled(Code::ML101));
        assert!(s.is_enabled(Code::ML102));
        assert!(!s.is_enabled(Code::ML201));
        assert!(!s.is_enabled(Code::ML001));
    }

    #[test]
    fn all_and_ignore() {
        let s = RuleSelection::new(&["ALL"], &["ML5"], &[]).unwrap();
        assert!(s.is_enabled(Code::ML101));
        assert!(!s.is_enabled(Code::ML501));
    }

    #[test]
    fn severity_override_by_code() {
        let s = RuleSelection::new(NONE, NONE, &[("ML501", Severity::Error)]).unwrap();
        assert_eq!(s.severity_override(Code::ML501), Some(Severity::Error));
        assert_eq!(s.severity_override(Code::ML502), None);
    }

    #[test]
    fn unknown_selector_is_an_error_with_a_suggestion() {
        let e = RuleSelection::new(NONE, &["ML101", "dag-name-mismach"], &[]).unwrap_err();
        assert_eq!(e.index, 1);
        assert!(e.message.contains("'dag-name-mismach'"), "{}", e.message);
        assert_eq!(
            e.help.as_deref(),
            Some("did you mean `dag-name-mismatch`? (`milink-lint rules` lists them)")
        );
        // Two characters would match whole families by accident.
        assert!(RuleSelection::new(&["ML"], NONE, &[]).is_err());
    }

    #[test]
    fn severities_parse() {
        assert_eq!(parse_severity("Warning"), Some(Severity::Warning));
        assert_eq!(parse_severity("note"), Some(Severity::Info));
        assert_eq!(parse_severity("fatal"), None);
    }
}
