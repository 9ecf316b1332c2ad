//! Statements: assignments. `$x = <expr>`, `[type]$x = …`, `$x += …`, `$p.Key = …`,
//! `$x = Command …` (unknown: the command's output; the command is still returned) and
//! `Set-Variable`/`New-Variable -Name x -Value …`. The value is recorded in the
//! [`Env`](super::super::Env) in textual order, which is how later uses are resolved.

use super::super::{Command, Cursor, Entry, Var, Word};
use super::expressions::is_number;
use super::Ps;

/// Keywords a right-hand side can start with.
const VALUE_KEYWORDS: &[&str] = &["if", "switch", "foreach", "for", "while", "do", "try"];

impl<'a> Ps<'a> {
    /// A statement starting with `$`: an assignment or an expression.
    pub(super) fn dollar_statement(&mut self) {
        let start = self.pos;
        let Some(v) = self.var_name() else {
            self.expr();
            return;
        };
        self.pos = v.end;
        // `$p.Key = …` / `$p["Key"] = …`
        let member = if self.peek() == b'.' && self.at(1).is_ascii_alphabetic() {
            let ks = self.pos + 1;
            let ke = self.ident_end(ks);
            self.pos = ke;
            Some((self.slice(ks, ke).to_string(), self.span(ks, ke)))
        } else if self.peek() == b'[' && matches!(self.at(1), b'\'' | b'"') {
            let ks = self.pos + 1;
            self.pos = ks;
            let (w, _) = self.string_word();
            if self.peek() == b']' {
                self.pos += 1;
                match w {
                    Word::Known { value, .. } => Some((value, self.span(ks, self.pos - 1))),
                    _ => None,
                }
            } else {
                None
            }
        } else {
            None
        };
        let after_name = self.pos;
        self.skip_ws(false);
        let c = self.peek();
        if c == b'=' && self.at(1) != b'=' {
            self.pos += 1;
            if let Some((key, key_span)) = member {
                let value = self.rhs_word(&format!("{}.{key}", v.display));
                if let Some(Var::Table(entries)) = self.env.vars.get_mut(&v.key) {
                    entries.retain(|e| !e.key.eq_ignore_ascii_case(&key));
                    entries.push(Entry {
                        key,
                        key_span,
                        value,
                    });
                }
                return;
            }
            self.assign(v.key, &v.display);
            return;
        }
        // `$p.Add('Key', value)` on a hashtable
        if let Some((method, _)) = &member {
            if method.eq_ignore_ascii_case("add")
                && self.b.get(after_name) == Some(&b'(')
                && matches!(self.env.vars.get(&v.key), Some(Var::Table(_)))
            {
                self.pos = after_name;
                if let Some(entry) = self.add_call() {
                    self.merge_table(&v.key, vec![entry]);
                    self.skip_rest();
                    return;
                }
                self.pos = start;
                self.expr();
                return;
            }
        }
        if member.is_none() && matches!(c, b'+' | b'-' | b'*' | b'/' | b'%') && self.at(1) == b'=' {
            self.pos += 2;
            self.skip_ws(true);
            if c == b'+' && matches!(self.env.vars.get(&v.key), Some(Var::Table(_))) {
                if self.table_follows() {
                    let more = self.hashtable();
                    self.merge_table(&v.key, more);
                } else {
                    self.expr();
                    let why = format!("`{}` is changed with `+=`", v.display);
                    self.env.set(v.key, Var::Unknown(why));
                }
                return;
            }
            let (w, _) = self.expr();
            let new = match (self.env.vars.get(&v.key), c, w) {
                (Some(Var::Known { value, defined_at }), b'+', Word::Known { value: add, .. })
                    if !is_number(value) =>
                {
                    Var::Known {
                        value: format!("{value}{add}"),
                        defined_at: *defined_at,
                    }
                }
                (Some(Var::List(items)), b'+', w) => {
                    let mut items = items.clone();
                    match w {
                        Word::List { items: more, .. } => items.extend(more),
                        w => items.push(w),
                    }
                    Var::List(items)
                }
                _ => Var::Unknown(format!("`{}` is changed with `{}=`", v.display, c as char)),
            };
            self.env.set(v.key, new);
            return;
        }
        let _ = after_name;
        self.pos = start;
        self.expr();
    }

    /// `$name = …` after the `=`.
    fn assign(&mut self, key: String, display: &str) {
        self.env.names.insert(key.clone(), display.to_string());
        self.skip_ws(true);
        if self.table_follows() {
            let entries = self.hashtable();
            self.env.set(key, Var::Table(entries));
            return;
        }
        // `$p = $p + @{ … }`
        if let Some(v) = self.var_name() {
            let save = self.pos;
            self.pos = v.end;
            self.skip_ws(false);
            if v.key == key && self.peek() == b'+' && self.at(1) != b'=' {
                self.pos += 1;
                self.skip_ws(true);
                if self.table_follows() {
                    if let Some(Var::Table(_)) = self.env.vars.get(&key) {
                        let more = self.hashtable();
                        self.merge_table(&key, more);
                        return;
                    }
                }
            }
            self.pos = save;
        }
        if let Some(kw) = self.value_keyword() {
            let why = format!("`{display}` is set by a `{kw}` statement");
            self.env.set(key, Var::Unknown(why));
            return;
        }
        let word = self.rhs_word(display);
        let pure = self.last_pure;
        self.assign_word(key, display, word, pure);
    }

    /// Assigns a parsed word (`pure`: exactly one variable) and remembers how the variable
    /// is written, for messages.
    pub(super) fn assign_word(&mut self, key: String, display: &str, word: Word, pure: bool) {
        self.env.names.insert(key.clone(), display.to_string());
        self.env.assign(key, display, word, pure);
    }

    /// The value of a right-hand side (expression or command); sets `last_pure`.
    pub(super) fn rhs_word(&mut self, display: &str) -> Word {
        self.skip_ws(true);
        let start = self.pos;
        self.last_pure = false;
        if self.is_command_start() {
            if matches!(self.peek(), b'&' | b'.') {
                self.pos += 1;
                self.skip_ws(false);
            }
            let name = self.command(start);
            let why = match name {
                Some(n) if n.eq_ignore_ascii_case("Read-Host") => {
                    "input read by `Read-Host`".to_string()
                }
                Some(n) => format!("the output of `{n}`"),
                None => "the output of a command".to_string(),
            };
            let _ = display;
            return Word::Unknown {
                span: self.span(start, self.trim_end(start, self.pos)),
                why,
            };
        }
        let (w, pure) = self.expr();
        self.skip_ws(false);
        if self.peek() == b'|' && self.at(1) != b'|' {
            return Word::Unknown {
                span: w.span(),
                why: "the output of a pipeline".to_string(),
            };
        }
        self.last_pure = pure;
        w
    }

    /// A keyword that starts a value statement (`$x = if (…) {…}`), not consumed.
    pub(super) fn value_keyword(&self) -> Option<String> {
        if !self.peek().is_ascii_alphabetic() {
            return None;
        }
        let end = self.ident_end(self.pos);
        let word = self.slice(self.pos, end).to_ascii_lowercase();
        VALUE_KEYWORDS.contains(&word.as_str()).then_some(word)
    }

    /// `Set-Variable -Name x -Value …`.
    pub(super) fn set_variable(&mut self, cmd: &Command) {
        let mut name = None;
        let mut value = None;
        let mut positional = Vec::new();
        for a in &cmd.arguments {
            let Some((flag, _)) = &a.flag else {
                positional.extend(a.value.clone());
                continue;
            };
            let flag = flag.to_ascii_lowercase();
            if "-name".starts_with(&flag) && flag.len() > 1 {
                if let Some(Word::Known { value, .. }) = &a.value {
                    name = Some(value.clone());
                }
            } else if "-value".starts_with(&flag) && flag.len() > 1 {
                value = a.value.clone();
            }
        }
        // `Set-Variable [-Name] x [-Value] v`: positional words fill what is missing.
        let mut positional = positional.into_iter();
        if name.is_none() {
            if let Some(Word::Known { value, .. }) = positional.next() {
                name = Some(value);
            }
        }
        if value.is_none() {
            value = positional.next();
        }
        if let (Some(name), Some(value)) = (name, value) {
            let pure = matches!(
                value,
                Word::Known {
                    defined_at: Some(_),
                    ..
                }
            );
            let display = format!("${name}");
            let key = name.to_ascii_lowercase();
            self.assign_word(key, &display, value, pure);
        }
    }
}
