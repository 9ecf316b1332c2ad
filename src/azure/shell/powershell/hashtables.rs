//! Expressions: hashtables and splatting. `@{ Key = value; … }` (optionally cast to
//! `[ordered]` or `[hashtable]`) assigned to a variable is kept entry by entry, and updated by
//! `$p.Key = …`, `$p["Key"] = …`, `$p += @{…}`, `$p = $p + @{…}` and `$p.Add('Key', v)`,
//! because `Cmdlet @p` passes those entries as flags: each becomes a `-Key value` argument
//! whose spans point into the hashtable, where the value is written.

use super::super::command_line::Item;
use super::super::{relocate, Cursor, Entry, Var, Word, MAX_DEPTH, TOO_MANY};
use super::lex::{is_ident_char, is_name_char};
use super::Ps;

impl<'a> Ps<'a> {
    /// At a hashtable literal, optionally cast (`@{`, `[ordered]@{`, `[hashtable] @{`): moves
    /// to its `@` and returns true; otherwise does not move.
    pub(super) fn table_follows(&mut self) -> bool {
        let save = self.pos;
        while self.peek() == b'[' {
            let s = self.pos;
            self.skip_balanced();
            let ty = self
                .slice(s + 1, self.pos.saturating_sub(1))
                .trim()
                .to_ascii_lowercase();
            let ty = ty.strip_prefix("system.collections.").unwrap_or(&ty);
            let table = matches!(
                ty,
                "ordered" | "hashtable" | "specialized.ordereddictionary"
            );
            if !table || self.pos - s > 64 {
                self.pos = save;
                return false;
            }
            self.skip_ws(false);
        }
        if self.peek() == b'@' && self.at(1) == b'{' {
            return true;
        }
        self.pos = save;
        false
    }

    /// `@{ … }` at `@`.
    pub(super) fn hashtable(&mut self) -> Vec<Entry> {
        let mut entries = Vec::new();
        if self.depth >= MAX_DEPTH {
            self.pos += 1;
            self.skip_balanced();
            return entries;
        }
        self.depth += 1;
        let saved_nl = self.nl_ok;
        self.nl_ok = false;
        self.pos += 2;
        loop {
            self.skip_ws(true);
            if self.eof() {
                break;
            }
            match self.peek() {
                b';' => {
                    self.pos += 1;
                    continue;
                }
                b'}' => {
                    self.pos += 1;
                    break;
                }
                _ => {}
            }
            let before = self.pos;
            let ks = self.pos;
            let key = match self.peek() {
                b'\'' | b'"' => match self.string_word().0 {
                    Word::Known { value, .. } => Some(value),
                    _ => None,
                },
                c if is_ident_char(c) => {
                    self.pos = self.ident_end(self.pos);
                    Some(self.slice(ks, self.pos).to_string())
                }
                _ => None,
            };
            let ke = self.pos;
            self.skip_ws(false);
            match key {
                Some(key) if self.peek() == b'=' && self.at(1) != b'=' => {
                    self.pos += 1;
                    self.skip_ws(true);
                    let value = if self.peek() == b'@' && self.at(1) == b'{' {
                        let s = self.pos;
                        self.pos += 1;
                        self.skip_balanced();
                        Word::Unknown {
                            span: self.span(s, self.pos),
                            why: "a nested hashtable".to_string(),
                        }
                    } else {
                        self.rhs_word(&key)
                    };
                    entries.retain(|e: &Entry| !e.key.eq_ignore_ascii_case(&key));
                    entries.push(Entry {
                        key,
                        key_span: self.span(ks, ke),
                        value,
                    });
                }
                _ => self.skip_rest(),
            }
            if self.pos == before {
                self.adv_char();
            }
        }
        self.nl_ok = saved_nl;
        self.depth -= 1;
        entries
    }

    /// Adds entries to the hashtable in `key` (a later entry replaces one of the same key).
    pub(super) fn merge_table(&mut self, key: &str, more: Vec<Entry>) {
        if let Some(Var::Table(entries)) = self.env.vars.get_mut(key) {
            for e in more {
                entries.retain(|x| !x.key.eq_ignore_ascii_case(&e.key));
                entries.push(e);
            }
        }
    }

    /// `('Key', value)` of `$p.Add(…)` at `(`: the entry, or None (position undefined).
    pub(super) fn add_call(&mut self) -> Option<Entry> {
        let saved_nl = self.nl_ok;
        self.nl_ok = true;
        self.pos += 1;
        self.skip_ws(true);
        let ks = self.pos;
        let key = match self.peek() {
            b'\'' | b'"' => match self.string_word().0 {
                Word::Known { value, .. } => Some(value),
                _ => None,
            },
            _ => None,
        };
        let key_span = self.span(ks, self.pos);
        self.skip_ws(true);
        let r = match key {
            Some(key) if self.peek() == b',' => {
                self.pos += 1;
                self.skip_ws(true);
                let (value, _) = self.concat_expr();
                self.skip_ws(true);
                if self.peek() == b')' {
                    self.pos += 1;
                    Some(Entry {
                        key,
                        key_span,
                        value,
                    })
                } else {
                    None
                }
            }
            _ => None,
        };
        self.nl_ok = saved_nl;
        r
    }

    /// `@name` in a command.
    pub(super) fn splat(&mut self, items: &mut Vec<Item>) {
        let s = self.pos;
        self.pos += 1;
        while is_name_char(self.peek()) {
            self.pos += 1;
        }
        let name = self.slice(s + 1, self.pos);
        let at = self.span(s, self.pos);
        let key = name.to_ascii_lowercase();
        match self.env.vars.get(&key) {
            Some(Var::Table(entries)) => {
                let cost: usize = entries.iter().map(|e| e.key.len() + 16).sum();
                if self.env.charge(cost) {
                    if let Some(Var::Table(entries)) = self.env.vars.get(&key) {
                        for e in entries {
                            items.push(Item::Flag {
                                text: format!("-{}", e.key),
                                span: e.key_span,
                                value: Some(e.value.clone()),
                            });
                        }
                    }
                } else {
                    items.push(Item::Value {
                        word: Word::Unknown {
                            span: at,
                            why: TOO_MANY.to_string(),
                        },
                        bare: false,
                    });
                }
            }
            Some(Var::List(list)) => {
                for w in list.clone() {
                    items.push(Item::Value {
                        word: relocate(&w, at),
                        bare: false,
                    });
                }
            }
            Some(Var::Unknown(_) | Var::Known { .. }) => items.push(Item::Value {
                word: Word::Unknown {
                    span: at,
                    why: format!("the arguments splatted from `${name}` are not known"),
                },
                bare: false,
            }),
            _ => items.push(Item::Value {
                word: Word::Unknown {
                    span: at,
                    why: format!("`@{name}` is not a hashtable assigned in this file"),
                },
                bare: false,
            }),
        }
    }
}
