//! Commands in PowerShell, POSIX shell and cmd scripts: the command name and its
//! arguments with spans, variables resolved from simple assignments earlier in the
//! same file. What cannot be resolved is reported as such, never guessed.
//!
//! One hand-written scanner per dialect ([`powershell`], [`posix`], [`cmd`]) reads the
//! statements of its language. What the three share is written once: the position
//! primitives ([`Cursor`], in [`cursor`](mod@cursor)); the loop that reads a command's
//! arguments into [`Item`](command_line::Item)s (flags and values, already resolved) and
//! [`build`](command_line::build), which makes the [`Command`] (name words, flag/value
//! pairing), both in [`command_line`]; and, in this file, the variables ([`Env`]) and the
//! building of one word ([`Concat`]).
//!
//! Common rules:
//! * Variables are resolved in textual order (last assignment before the use wins);
//!   loops run once. After a PowerShell `if`/`elseif`/`else`, `switch` or `try`/`catch`, a
//!   variable its branches assign is known only when every way through gives the same value
//!   (otherwise "`$I` is set differently in the branches of an if").
//! * A word that is exactly one variable gets the variable's `defined_at` (chains are
//!   followed: `$b = $a` keeps `$a`'s literal). A word that interpolates variables gets the
//!   first variable's `defined_at`. A variable assigned from anything but a single variable
//!   gets the span of that right-hand side as `defined_at`.
//! * A flag followed by a value takes it; a flag followed by another flag, a command end or
//!   nothing is a switch (`value: None`). `-Flag:value` (PowerShell) and `--flag=value`
//!   are attached values. Single-dash flags never split at `=`.
//! * A splatted PowerShell hashtable (`@p`) gives one flag per entry: the text is `-Key`
//!   (a `-` added to the key), the flag span is the key as written in the hashtable and the
//!   value span the value there.
//! * `name[0]` is the program's file name: directory and `.exe` removed (`az.cmd` → `az`);
//!   when it is not known statically (`& $exe`), it is the word as written.
//! * Values are capped (64 KiB each, and a budget of variable expansions proportional to
//!   the input) so that `$a = "$a$a"` repeated cannot explode; past that, `Unknown`.
//! * Commands are returned ordered by their start; commands nested in `$(…)`, `{ … }` and
//!   `( … )` are returned too.

mod cmd;
mod command_line;
mod cursor;
mod posix;
mod powershell;
#[cfg(test)]
mod tests;

use crate::span::{FileId, Span};
use cursor::{after_bom, cursor, Cursor};
use std::collections::{HashMap, HashSet};

pub use crate::language::Dialect;

/// One word of a command after variable resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Word {
    /// A value known statically. `span` is the word as written (with quotes);
    /// `defined_at` is the literal of the assignment when the word is (or contains) a variable.
    Known {
        value: String,
        span: Span,
        defined_at: Option<Span>,
    },
    /// A value that depends on something not in the file (a parameter without default,
    /// `$(Get-…)`, `Read-Host`, an environment variable never assigned). `why` is a short
    /// phrase for messages: "`$DagName` is never assigned in this file".
    Unknown { span: Span, why: String },
    /// A PowerShell array (`a, b`, `@("a","b")`) or a splatted list.
    List { items: Vec<Word>, span: Span },
}

impl Word {
    pub fn span(&self) -> Span {
        match self {
            Word::Known { span, .. } | Word::Unknown { span, .. } | Word::List { span, .. } => {
                *span
            }
        }
    }
}

/// An argument: `-Name value`, `--name value`, `--name=value`, `-Name:value`, a switch
/// without value, or a positional word (`flag` None).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Argument {
    /// The flag as written, without the value (`-Name`, `--partner-ag-name`, `-S`).
    pub flag: Option<(String, Span)>,
    pub value: Option<Word>,
}

/// A command invocation with its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The command words as written, e.g. `["New-AzSqlInstanceLink"]`, or for the Azure CLI
    /// the leading subcommand words `["az", "sql", "mi", "link", "create"]`,
    /// `["sqlcmd"]`, `["Invoke-Sqlcmd"]`.
    pub name: Vec<String>,
    /// The command name (all its words).
    pub name_span: Span,
    /// The whole command, continuation lines included.
    pub span: Span,
    pub arguments: Vec<Argument>,
}

/// Every command of a script (in order). Never panics, whatever the text.
pub fn commands(file: FileId, text: &str, dialect: Dialect) -> Vec<Command> {
    let mut out = match dialect {
        Dialect::PowerShell => powershell::commands(file, text),
        Dialect::Posix => posix::commands(file, text),
        Dialect::Cmd => cmd::commands(file, text),
    };
    out.sort_by_key(|c| c.span.start);
    out
}

/// Longest value followed; longer ones become `Unknown`.
const MAX_VALUE: usize = 64 * 1024;
/// Deepest nesting of `( { $(` followed recursively; deeper text is skipped.
const MAX_DEPTH: u32 = 48;

/// The why of a command substitution (`$(…)`, `` `…` ``, `( … )`) whose commands were added
/// to `out` from `first` on: the output of the first one, else `otherwise`.
fn output_why(out: &[Command], first: usize, otherwise: &str) -> String {
    match out.get(first) {
        Some(c) => format!("the output of `{}`", c.name.join(" ")),
        None => otherwise.to_string(),
    }
}

/// What a variable holds.
#[derive(Debug, Clone)]
enum Var {
    Known {
        value: String,
        defined_at: Span,
    },
    Unknown(String),
    /// Items as written in the assignment.
    List(Vec<Word>),
    /// A PowerShell hashtable (for splatting).
    Table(Vec<Entry>),
}

/// A hashtable entry: `Key = value`.
#[derive(Debug, Clone)]
struct Entry {
    key: String,
    key_span: Span,
    value: Word,
}

/// The variables of one file.
struct Env {
    vars: HashMap<String, Var>,
    /// Every key assigned anywhere so far (to tell "never" from "only later").
    assigned: HashSet<String>,
    /// Bytes that variable expansions may still copy.
    budget: usize,
    /// Open conditional statements (innermost last).
    chains: Vec<Chain>,
    /// How a variable key is written in messages (`$I`, `%I%`).
    display: fn(&str) -> String,
    /// Keys as last written in an assignment (for messages).
    names: HashMap<String, String>,
}

/// An `if`/`elseif`/`else` (`switch`, `try`/`catch`, `case`) statement being scanned: the
/// variables its branches assign, to tell after it whether they are certain.
struct Chain {
    /// Nesting level of the statement list it is in.
    level: u32,
    /// "an if", "a switch", …
    kind: &'static str,
    /// One branch always runs (an `else`, a `*)` pattern, a `catch`).
    complete: bool,
    /// Between branches (or before the first).
    awaiting: bool,
    /// Branches ended so far.
    branches: u32,
    /// Keys assigned in any branch, in order, with their value before the statement.
    pre: Vec<(String, Option<Var>)>,
    /// Per key: the values at the end of each branch that assigned it.
    values: HashMap<String, Vec<Option<Var>>>,
    /// Keys assigned in the current branch.
    current: HashSet<String>,
}

const NEVER: &str = " is never assigned in this file";
const TOO_LONG: &str = "the value is longer than 64 KiB";
const TOO_MANY: &str = "too many variable expansions in this file to follow";

impl Env {
    fn new(text: &str) -> Env {
        Env {
            vars: HashMap::new(),
            assigned: HashSet::new(),
            budget: text.len().saturating_mul(16).saturating_add(1 << 20),
            chains: Vec::new(),
            display: |k| format!("${k}"),
            names: HashMap::new(),
        }
    }

    fn set(&mut self, key: String, mut var: Var) {
        // `$c = $c + $c` with `$c` never assigned before: not "assigned only later".
        if let Var::Unknown(why) = &var {
            if let Some(display) = why.strip_suffix(NEVER) {
                let name = display.trim_matches('`').trim_matches(['$', '%', '!']);
                if name.eq_ignore_ascii_case(&key) {
                    var = Var::Unknown(format!(
                        "{display} is used in its own assignment before it has a value"
                    ));
                }
            }
        }
        self.assigned.insert(key.clone());
        if let Some(chain) = self.chains.last_mut() {
            if !chain.awaiting {
                if !chain.current.contains(&key) && !chain.pre.iter().any(|(k, _)| *k == key) {
                    chain.pre.push((key.clone(), self.vars.get(&key).cloned()));
                }
                chain.current.insert(key.clone());
            }
        }
        self.vars.insert(key, var);
    }

    /// Starts a conditional statement at `level`, before its first branch.
    fn chain_start(&mut self, level: u32, kind: &'static str) {
        self.chain_finish(level);
        self.chains.push(Chain {
            level,
            kind,
            complete: false,
            awaiting: true,
            branches: 0,
            pre: Vec::new(),
            values: HashMap::new(),
            current: HashSet::new(),
        });
    }

    /// Whether a conditional statement at `level` waits for its next branch.
    fn chain_awaits(&self, level: u32) -> bool {
        self.chains
            .last()
            .is_some_and(|c| c.awaiting && c.level == level)
    }

    /// Starts a branch of the awaiting statement at `level` (`last`: an `else`); the
    /// variables its earlier branches assigned get back their values from before it.
    fn branch_start(&mut self, level: u32, last: bool) {
        if !self.chain_awaits(level) {
            return;
        }
        let Some(chain) = self.chains.last_mut() else {
            return;
        };
        chain.awaiting = false;
        chain.complete |= last;
        for (key, var) in &chain.pre {
            match var {
                Some(v) => self.vars.insert(key.clone(), v.clone()),
                None => self.vars.remove(key),
            };
        }
    }

    /// Ends the current branch of the innermost statement.
    fn branch_end(&mut self, level: u32) {
        self.chain_finish(level);
        let Some(chain) = self.chains.last_mut() else {
            return;
        };
        if chain.awaiting || chain.level != level {
            return;
        }
        chain.awaiting = true;
        chain.branches += 1;
        for key in std::mem::take(&mut chain.current) {
            let var = self.vars.get(&key).cloned();
            chain.values.entry(key).or_default().push(var);
        }
    }

    /// Ends the statements at `level` and deeper that wait for a branch: a variable their
    /// branches assign stays known only when every way through gives it the same value.
    fn chain_finish(&mut self, level: u32) {
        while self
            .chains
            .last()
            .is_some_and(|c| c.level >= level && (c.awaiting || c.level > level))
        {
            let Some(mut chain) = self.chains.pop() else {
                return;
            };
            for key in std::mem::take(&mut chain.current) {
                let var = self.vars.get(&key).cloned();
                chain.values.entry(key).or_default().push(var);
                chain.branches += 1;
            }
            for (key, pre) in chain.pre {
                let values = chain.values.remove(&key).unwrap_or_default();
                let mut all: Vec<&Option<Var>> = values.iter().collect();
                if !chain.complete || (values.len() as u32) < chain.branches {
                    all.push(&pre);
                }
                let same = match all.first() {
                    Some(Some(Var::Known { value, .. })) => all
                        .iter()
                        .all(|v| matches!(v, Some(Var::Known { value: w, .. }) if w == value)),
                    _ => false,
                };
                let var = if same { all[0].clone() } else { None };
                let var = var.unwrap_or_else(|| {
                    Var::Unknown(format!(
                        "`{}` is set differently in the branches of {}",
                        self.names
                            .get(&key)
                            .cloned()
                            .unwrap_or_else(|| (self.display)(&key)),
                        chain.kind
                    ))
                });
                self.set(key, var);
            }
        }
    }

    /// Assigns the value of a parsed word to the variable written `display`; `pure` when
    /// the word is exactly one variable (its origin and its why carry over unchanged).
    fn assign(&mut self, key: String, display: &str, word: Word, pure: bool) {
        let var = match word {
            Word::Known {
                value,
                span,
                defined_at,
            } => Var::Known {
                value,
                defined_at: if pure {
                    defined_at.unwrap_or(span)
                } else {
                    span
                },
            },
            Word::Unknown { why, .. } if pure => Var::Unknown(why),
            Word::Unknown { why, .. } => Var::Unknown(unknown_var_why(display, &why)),
            Word::List { items, .. } => Var::List(items),
        };
        self.set(key, var);
    }

    /// Charges `n` bytes of copying; false once the budget is spent.
    fn charge(&mut self, n: usize) -> bool {
        if self.budget < n {
            self.budget = 0;
            false
        } else {
            self.budget -= n;
            true
        }
    }

    /// Appends variable `key` (written `display` at `at`) to `c`; `missing` is the why when
    /// the variable is not assigned (before this point).
    fn expand(
        &mut self,
        key: &str,
        display: &str,
        at: Span,
        c: &mut Concat,
        missing: Option<String>,
    ) {
        match self.vars.get(key) {
            None => c.unknown(missing.unwrap_or_else(|| format!("`{display}`{NEVER}"))),
            Some(Var::Unknown(why)) => c.unknown(why.clone()),
            Some(Var::Known { value, defined_at }) => {
                if self.budget < value.len() {
                    self.budget = 0;
                    c.unknown(TOO_MANY.to_string());
                } else {
                    self.budget -= value.len();
                    c.known_var(value, *defined_at);
                }
            }
            Some(Var::List(items)) => {
                let cost: usize = items.len() * 16 + items.iter().map(word_len).sum::<usize>();
                if self.budget < cost {
                    self.budget = 0;
                    c.unknown(TOO_MANY.to_string());
                } else {
                    self.budget -= cost;
                    let items: Vec<Word> = items.iter().map(|w| relocate(w, at)).collect();
                    c.list(items);
                }
            }
            Some(Var::Table(_)) => c.unknown(format!("`{display}` is a hashtable")),
        }
    }
}

fn word_len(w: &Word) -> usize {
    match w {
        Word::Known { value, .. } => value.len(),
        Word::Unknown { why, .. } => why.len(),
        Word::List { items, .. } => items.iter().map(word_len).sum(),
    }
}

/// A word of an assignment, used at `at`: the span becomes the use, `defined_at` the literal.
fn relocate(w: &Word, at: Span) -> Word {
    match w {
        Word::Known {
            value,
            span,
            defined_at,
        } => Word::Known {
            value: value.clone(),
            span: at,
            defined_at: Some(defined_at.unwrap_or(*span)),
        },
        Word::Unknown { why, .. } => Word::Unknown {
            span: at,
            why: why.clone(),
        },
        Word::List { items, .. } => Word::List {
            items: items.iter().map(|i| relocate(i, at)).collect(),
            span: at,
        },
    }
}

/// Builds one word from literal pieces and variables.
#[derive(Default)]
struct Concat {
    value: String,
    defined_at: Option<Span>,
    unknown: Option<String>,
    pieces: u32,
    vars: u32,
    list: Option<Vec<Word>>,
    /// An unknown item of a list (only matters when the list is joined into a string).
    list_unknown: Option<String>,
    /// Anything but plain unquoted characters (quotes, escapes, variables).
    not_bare: bool,
}

impl Concat {
    fn lit(&mut self, s: &str) {
        if !s.is_empty() {
            self.pieces += 1;
            if self.value.len() + s.len() > MAX_VALUE {
                self.too_long();
            } else {
                self.value.push_str(s);
            }
        }
    }

    fn ch(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.lit(c.encode_utf8(&mut buf));
    }

    fn too_long(&mut self) {
        if self.unknown.is_none() {
            self.unknown = Some(TOO_LONG.to_string());
        }
    }

    fn known_var(&mut self, value: &str, defined_at: Span) {
        self.not_bare = true;
        self.lit(value);
        if value.is_empty() {
            self.pieces += 1;
        }
        self.vars += 1;
        self.defined_at.get_or_insert(defined_at);
    }

    fn unknown(&mut self, why: String) {
        self.not_bare = true;
        self.pieces += 1;
        if self.unknown.is_none() {
            self.unknown = Some(why);
        }
    }

    fn list(&mut self, items: Vec<Word>) {
        self.not_bare = true;
        // In a string a list is joined with spaces (PowerShell's `$OFS`).
        let mut joined = String::new();
        let mut unknown = None;
        for (i, item) in items.iter().enumerate() {
            match item {
                Word::Known { value, .. } => {
                    if i > 0 {
                        joined.push(' ');
                    }
                    joined.push_str(value);
                }
                Word::Unknown { why, .. } => {
                    unknown.get_or_insert_with(|| why.clone());
                }
                Word::List { .. } => {
                    unknown.get_or_insert_with(|| "a nested list".to_string());
                }
            }
        }
        let defined_at = items.iter().find_map(|i| match i {
            Word::Known { defined_at, .. } => *defined_at,
            _ => None,
        });
        self.lit(&joined);
        if joined.is_empty() {
            self.pieces += 1;
        }
        self.vars += 1;
        if let Some(d) = defined_at {
            self.defined_at.get_or_insert(d);
        }
        if let Some(why) = unknown {
            self.list_unknown = Some(why);
        }
        self.list = Some(items);
    }

    fn pure(&self) -> bool {
        self.pieces == 1 && self.vars == 1
    }

    fn bare(&self) -> bool {
        !self.not_bare && self.unknown.is_none()
    }

    /// The word, and whether it is exactly one variable.
    fn finish(self, span: Span) -> (Word, bool) {
        let pure = self.pure();
        if pure {
            if let Some(items) = self.list {
                return (Word::List { items, span }, true);
            }
        }
        if let Some(why) = self.unknown.or(self.list_unknown) {
            return (Word::Unknown { span, why }, pure);
        }
        (
            Word::Known {
                value: self.value,
                span,
                defined_at: self.defined_at,
            },
            pure,
        )
    }
}

/// Appends a parsed word to a concatenation.
fn push_word(c: &mut Concat, w: Word) {
    match w {
        Word::Known {
            value, defined_at, ..
        } => match defined_at {
            Some(d) => c.known_var(&value, d),
            None => {
                c.not_bare = true;
                c.lit(&value);
            }
        },
        Word::Unknown { why, .. } => c.unknown(why),
        Word::List { items, .. } => c.list(items),
    }
}

/// The why of a variable assigned from `w` (already `Unknown`): a sentence about another
/// variable is kept, a noun phrase ("the output of `Get-Date`") is attached to `display`.
fn unknown_var_why(display: &str, why: &str) -> String {
    if why.starts_with('`') {
        why.to_string()
    } else if why == TOO_LONG {
        format!("`{display}` is longer than 64 KiB")
    } else {
        format!("`{display}` is set from {why}")
    }
}

/// Rewrites "never assigned" whys of variables that are assigned later in the file.
fn fix_later(out: &mut [Command], env: &Env, key_of: impl Fn(&str) -> String) {
    fn fix(w: &mut Word, env: &Env, key_of: &dyn Fn(&str) -> String) {
        match w {
            Word::Unknown { why, .. } => {
                if let Some(display) = why.strip_suffix(NEVER) {
                    let name = display.trim_matches('`');
                    if env.assigned.contains(&key_of(name)) {
                        *why = format!("{display} is assigned only later in this file");
                    }
                }
            }
            Word::List { items, .. } => {
                for i in items {
                    fix(i, env, key_of);
                }
            }
            Word::Known { .. } => {}
        }
    }
    for c in out {
        for a in &mut c.arguments {
            if let Some(v) = &mut a.value {
                fix(v, env, &key_of);
            }
        }
    }
}
