//! Statements: statement lists and blocks. Statements are separated by newlines, `;`, `|`
//! (a pipeline is its commands in order) and `&&` / `||`; `{ … }` blocks are read in place,
//! since their commands run (or may run) where they are written. The braces also tell the
//! branches of an `if`/`elseif`/`else`, `switch` or `try`/`catch` apart, so that a variable
//! set differently in two branches is unknown after the statement ([`Env::chain_start`] and
//! the other `chain_*`/`branch_*` calls of [`Env`]).
//!
//! [`Env`]: super::super::Env
//! [`Env::chain_start`]: super::super::Env::chain_start

use super::super::{Cursor, MAX_DEPTH};
use super::Ps;

/// Keywords that continue a conditional statement.
const CONTINUATIONS: &[&str] = &["elseif", "else", "catch", "finally"];

impl<'a> Ps<'a> {
    /// Statements up to `term` (consumed) or the end of the text.
    pub(super) fn statements(&mut self, term: Option<u8>) {
        let saved_nl = self.nl_ok;
        self.nl_ok = false;
        let mut braces = 0u32;
        self.level += 1;
        let level = self.level;
        // Per open brace: whether it is the block of a branch.
        let mut branch_braces: Vec<bool> = Vec::new();
        loop {
            self.skip_ws(true);
            if self.eof() {
                break;
            }
            match self.peek() {
                b'{' => {
                    // A `finally` block always runs: not a branch.
                    let kind = self.pending_branch.take().filter(|k| *k != "finally");
                    if let Some(kind) = kind {
                        if CONTINUATIONS.contains(&kind) && self.env.chain_awaits(level) {
                            self.env
                                .branch_start(level, matches!(kind, "else" | "catch"));
                        } else {
                            let what = match kind {
                                "switch" => "a switch",
                                "try" | "catch" => "a try/catch",
                                _ => "an if",
                            };
                            self.env.chain_start(level, what);
                            self.env.branch_start(level, false);
                        }
                    } else {
                        self.env.chain_finish(level);
                    }
                    branch_braces.push(kind.is_some());
                }
                b'}' => {
                    if braces > 0 && branch_braces.pop() == Some(true) {
                        self.env.branch_end(level);
                    } else {
                        self.env.chain_finish(level);
                    }
                }
                _ => {}
            }
            match self.peek() {
                b';' | b'|' => {
                    self.pos += 1;
                    continue;
                }
                b'&' if self.at(1) == b'&' => {
                    self.pos += 2;
                    continue;
                }
                b'{' => {
                    braces += 1;
                    self.block += 1;
                    self.pos += 1;
                    continue;
                }
                b'}' => {
                    self.pos += 1;
                    if braces > 0 {
                        braces -= 1;
                        self.block = self.block.saturating_sub(1);
                    } else if term == Some(b'}') {
                        break;
                    }
                    continue;
                }
                b')' => {
                    self.pos += 1;
                    if term == Some(b')') {
                        break;
                    }
                    continue;
                }
                _ => {}
            }
            let before = self.pos;
            let end = self.ident_end(self.pos);
            let word = self.slice(self.pos, end).to_ascii_lowercase();
            if !CONTINUATIONS.contains(&word.as_str()) {
                self.env.chain_finish(level);
            }
            self.statement();
            if self.pos == before {
                self.adv_char();
            }
        }
        self.env.chain_finish(level);
        self.level -= 1;
        self.block = self.block.saturating_sub(braces);
        self.nl_ok = saved_nl;
    }

    /// Like [`Ps::statements`] inside an opening bracket at `pos`, or skipped when too deep.
    pub(super) fn nested(&mut self, term: u8) {
        if self.depth >= MAX_DEPTH {
            self.skip_balanced();
            return;
        }
        self.depth += 1;
        self.pos += 1;
        self.statements(Some(term));
        self.depth -= 1;
    }
}
