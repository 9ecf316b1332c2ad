//! Statements: one statement, by its first word. Keyword statements are read here —
//! `function` headers, the conditions of `if`/`while`/`switch`/`foreach` (commands in them are
//! returned), `else`/`try`/`catch`/`finally` (which mark the block that follows as a branch),
//! `param( … )` blocks (parameters without a default are unknown), `class`/`enum` bodies
//! (skipped); anything else is an assignment, a command or an expression.

use super::super::{Cursor, Var, MAX_DEPTH};
use super::Ps;

/// Keywords that start a statement taking a condition in parentheses.
const CONDITION_KEYWORDS: &[&str] = &["if", "elseif", "while", "switch", "foreach", "for", "until"];

impl<'a> Ps<'a> {
    /// One statement at the position, by its first word or character.
    pub(super) fn statement(&mut self) {
        let start = self.pos;
        let c = self.peek();
        self.pending_branch = None;
        if c.is_ascii_alphabetic() {
            let end = self.ident_end(start);
            let word = self.slice(start, end).to_ascii_lowercase();
            match word.as_str() {
                "function" | "filter" | "workflow" | "configuration" => {
                    self.pos = end;
                    self.skip_ws(false);
                    while !self.eof()
                        && !matches!(self.peek(), b' ' | b'\t' | b'\r' | b'\n' | b'(' | b'{')
                    {
                        self.pos += 1;
                    }
                    self.skip_ws(false);
                    if self.peek() == b'(' {
                        self.param_list(false);
                    }
                    return;
                }
                w if CONDITION_KEYWORDS.contains(&w) => {
                    self.pos = end;
                    self.skip_ws(false);
                    while self.peek() == b'-' {
                        self.pos = self.ident_end(self.pos + 1);
                        self.skip_ws(false);
                    }
                    if self.peek() == b'(' {
                        if w == "foreach" {
                            self.foreach_header();
                        } else {
                            self.nested(b')');
                        }
                    }
                    self.pending_branch = match w {
                        "if" => Some("if"),
                        "elseif" => Some("elseif"),
                        "switch" => Some("switch"),
                        _ => None,
                    };
                    return;
                }
                "else" | "try" | "finally" | "do" => {
                    self.pos = end;
                    self.pending_branch = match word.as_str() {
                        "else" => Some("else"),
                        "try" => Some("try"),
                        "finally" => Some("finally"),
                        _ => None,
                    };
                    return;
                }
                "begin" | "process" | "end" | "clean" | "dynamicparam"
                    if self.next_after(end, true) == b'{' =>
                {
                    self.pos = end;
                    return;
                }
                "catch" | "trap" => {
                    self.pos = end;
                    loop {
                        self.skip_ws(false);
                        match self.peek() {
                            b'[' => self.skip_balanced(),
                            b',' => self.pos += 1,
                            _ => break,
                        }
                    }
                    if word == "catch" {
                        self.pending_branch = Some("catch");
                    }
                    return;
                }
                "param" if self.next_after(end, true) == b'(' => {
                    self.pos = end;
                    self.skip_ws(true);
                    self.param_list(self.block == 0 && self.depth == 0);
                    return;
                }
                "return" | "throw" | "exit" | "break" | "continue" => {
                    self.pos = end;
                    return;
                }
                "using" => {
                    self.skip_line();
                    return;
                }
                "class" | "enum" => {
                    self.pos = end;
                    while !self.eof() && self.peek() != b'{' {
                        self.pos += 1;
                    }
                    self.skip_balanced();
                    return;
                }
                _ => {}
            }
        }
        match c {
            b'$' => self.dollar_statement(),
            b'[' => self.bracket_statement(),
            b'&' => {
                self.pos += 1;
                self.skip_ws(false);
                self.command(start);
            }
            b'.' if matches!(self.at(1), b' ' | b'\t') => {
                self.pos += 1;
                self.skip_ws(false);
                self.command(start);
            }
            b'\'' | b'"' | b'(' | b'@' | b'0'..=b'9' | b'-' | b'!' | b'+' | b',' | b'.' => {
                self.expr();
            }
            _ => {
                self.command(start);
            }
        }
    }

    /// `foreach ($x in …)`: `$x` becomes unknown.
    fn foreach_header(&mut self) {
        let open = self.pos;
        self.pos += 1;
        self.skip_ws(true);
        if let Some(v) = self.var_name() {
            self.pos = v.end;
            let why = format!("`{}` is a loop variable", v.display);
            self.env.set(v.key, Var::Unknown(why));
            self.skip_ws(true);
            let end = self.ident_end(self.pos);
            if self.slice(self.pos, end).eq_ignore_ascii_case("in") && self.depth < MAX_DEPTH {
                // The collection: commands in it are returned.
                self.pos = end;
                self.depth += 1;
                self.statements(Some(b')'));
                self.depth -= 1;
                return;
            }
        }
        self.pos = open;
        self.skip_balanced();
    }

    /// `param(…)` / `function F(…)` at `(`.
    fn param_list(&mut self, script: bool) {
        let saved_nl = self.nl_ok;
        self.nl_ok = true;
        self.pos += 1;
        loop {
            self.skip_ws(true);
            if self.eof() {
                break;
            }
            match self.peek() {
                b')' => {
                    self.pos += 1;
                    break;
                }
                b',' => self.pos += 1,
                b'[' => self.skip_balanced(),
                b'$' => {
                    let Some(v) = self.var_name() else {
                        self.pos += 1;
                        continue;
                    };
                    self.pos = v.end;
                    self.skip_ws(true);
                    if self.peek() == b'=' && self.at(1) != b'=' {
                        self.pos += 1;
                        self.skip_ws(true);
                        let (w, pure) = self.concat_expr();
                        self.assign_word(v.key, &v.display, w, pure);
                    } else {
                        let kind = if script { "script" } else { "function" };
                        let why =
                            format!("`{}` is a {kind} parameter without a default", v.display);
                        self.env.set(v.key, Var::Unknown(why));
                    }
                }
                _ => {
                    let before = self.pos;
                    self.skip_rest();
                    if self.pos == before {
                        self.adv_char();
                    }
                }
            }
        }
        self.nl_ok = saved_nl;
    }

    /// A statement starting with `[`: attributes / a type before `$x = …`, `param`, or an
    /// expression.
    fn bracket_statement(&mut self) {
        let start = self.pos;
        while self.peek() == b'[' {
            self.skip_balanced();
            if self.peek() == b':' && self.at(1) == b':' {
                self.pos = start;
                self.expr();
                return;
            }
            self.skip_ws(true);
        }
        if self.peek() == b'$' {
            let before = self.pos;
            self.dollar_statement();
            if self.pos != before {
                return;
            }
        }
        let end = self.ident_end(self.pos);
        if self.slice(self.pos, end).eq_ignore_ascii_case("param")
            && self.next_after(end, true) == b'('
        {
            return; // the statement loop handles `param`
        }
        self.pos = start;
        self.expr();
    }
}
