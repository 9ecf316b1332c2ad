//! Expressions: method calls and properties after a value. String methods whose result is
//! certain (`.ToLower()`, `.ToUpper()`, `.Trim*()`, `.Replace('a', 'b')` with literal
//! arguments) are evaluated, because scripts normalise names with them; any other method or
//! property makes the value unknown, never the value before the call.

use super::super::{Cursor, Word, MAX_VALUE};
use super::expressions::respan;
use super::Ps;

impl<'a> Ps<'a> {
    /// Method calls and properties after a value that starts at `start`: `.ToLower()`,
    /// `.ToUpper()`, `.Trim()`, `.TrimStart()`, `.TrimEnd()` and `.Replace('a', 'b')` with
    /// literal arguments are evaluated; anything else makes the value unknown.
    pub(super) fn methods(
        &mut self,
        start: usize,
        (mut w, mut pure): (Word, bool),
    ) -> (Word, bool) {
        while self.peek() == b'.' && (self.at(1).is_ascii_alphabetic() || self.at(1) == b'_') {
            let ms = self.pos + 1;
            let me = self.ident_end(ms);
            let name = self.slice(ms, me).to_string();
            self.pos = me;
            pure = false;
            let args = if self.peek() == b'(' {
                Some(self.literal_args())
            } else {
                None
            };
            let span = self.span(start, self.pos);
            w = match (w, args) {
                (w @ Word::Unknown { .. }, _) => respan(w, span),
                (_, None) => Word::Unknown {
                    span,
                    why: format!("the property `.{name}`"),
                },
                (
                    Word::Known {
                        value, defined_at, ..
                    },
                    Some(Some(args)),
                ) => match string_method(&value, &name, &args) {
                    Some(value) => Word::Known {
                        value,
                        span,
                        defined_at,
                    },
                    None => Word::Unknown {
                        span,
                        why: format!("the result of `.{name}(…)`"),
                    },
                },
                (_, Some(_)) => Word::Unknown {
                    span,
                    why: format!("the result of `.{name}(…)`"),
                },
            };
        }
        (w, pure)
    }

    /// The arguments of a method call at `(`, when all are string literals; consumed.
    fn literal_args(&mut self) -> Option<Vec<String>> {
        let open = self.pos;
        let saved_nl = self.nl_ok;
        self.nl_ok = true;
        self.pos += 1;
        let mut args = Vec::new();
        let mut ok = true;
        loop {
            self.skip_ws(true);
            match self.peek() {
                b')' if args.is_empty() => break,
                b'\'' | b'"' => match self.string_word().0 {
                    Word::Known { value, .. } => args.push(value),
                    _ => ok = false,
                },
                _ => ok = false,
            }
            self.skip_ws(true);
            match self.peek() {
                b',' if ok => self.pos += 1,
                b')' if ok => break,
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        self.nl_ok = saved_nl;
        if ok {
            self.pos += 1;
            Some(args)
        } else {
            self.pos = open;
            self.skip_balanced();
            None
        }
    }
}

/// A string method with literal arguments, when cheap and exact.
fn string_method(value: &str, name: &str, args: &[String]) -> Option<String> {
    let chars = |a: &[String]| -> Vec<char> { a.iter().flat_map(|s| s.chars()).collect() };
    let r = match (name.to_ascii_lowercase().as_str(), args) {
        ("tolower" | "tolowerinvariant", []) => value.to_lowercase(),
        ("toupper" | "toupperinvariant", []) => value.to_uppercase(),
        ("trim", []) => value.trim().to_string(),
        ("trimstart", []) => value.trim_start().to_string(),
        ("trimend", []) => value.trim_end().to_string(),
        ("trim", a) => value.trim_matches(chars(a).as_slice()).to_string(),
        ("trimstart", a) => value.trim_start_matches(chars(a).as_slice()).to_string(),
        ("trimend", a) => value.trim_end_matches(chars(a).as_slice()).to_string(),
        ("replace", [from, to]) if !from.is_empty() => {
            let n = value.matches(from.as_str()).count();
            if value.len() + n.saturating_mul(to.len()) > MAX_VALUE {
                return None;
            }
            value.replace(from.as_str(), to)
        }
        _ => return None,
    };
    (r.len() <= MAX_VALUE).then_some(r)
}
