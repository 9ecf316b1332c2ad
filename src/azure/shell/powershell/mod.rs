//! PowerShell (`.ps1`, `.psm1`).
//!
//! Supported: `#` and `<# … #>` comments; statements separated by newlines, `;`, `|`,
//! `&&`, `||`; backtick line continuation (a backtick followed by a space is *not* one, as in
//! PowerShell); '…', "…", here-strings `@'…'@` / `@"…"@` with backtick escapes and `$var`,
//! `${var}`, `$scope:var`, `$env:VAR`, `$($var)` expansion; arguments `-Flag value`,
//! `-Flag:value`, `--flag=value` (native commands), switches, arrays (`a, b` and `@(…)`),
//! parenthesised `+` concatenation, casts; splatting `@p` of a hashtable assigned earlier
//! (`$p.Key = …` and `$p["Key"] = …` update it); `param(…)` blocks; `$x = <expr>`,
//! `[type]$x = <expr>`, `$x += …`, `Set-Variable -Name x -Value …`; `$x = Command …` makes
//! `$x` unknown and the command is returned; `& cmd`, `. script`; commands inside `{ … }`,
//! `( … )` and `$( … )` are returned too; redirections are skipped.
//!
//! String methods `.ToLower()`, `.ToUpper()`, `.Trim()`, `.TrimStart()`, `.TrimEnd()` and
//! `.Replace('a', 'b')` with literal arguments are evaluated on strings and parenthesised
//! values; `[ordered]@{…}` is a hashtable, extended by `+= @{…}`, `$p = $p + @{…}` and
//! `$p.Add('Key', value)`.
//!
//! Not evaluated (become `Unknown` with a why): property and index access, other method calls,
//! `-f`/`-replace`/`-join` and other operators, `$(…)` other than `$($var)`, loop
//! variables, automatic variables (`$PSScriptRoot`), `$ip:5022` (a drive-qualified
//! variable in PowerShell, a classic mistake for `${ip}:5022`).
//!
//! The scanner is one [`Ps`] whose methods are spread over files by concern:
//! * lexing — [`lex`] (characters, blanks, comments, skipping unevaluated text), [`strings`]
//!   (quoted strings and here-strings), [`variables`] (`$name` references and expansion);
//! * expressions — [`expressions`] (lists, `+`, operators, operands), [`values`] (`$x`,
//!   `$( … )`, `( … )`, `@( … )`, casts), [`methods`] (`.ToLower()` …), [`hashtables`]
//!   (`@{ … }` and `@splat`);
//! * statements — [`blocks`] (statement lists, `{ … }`, branches), [`keywords`] (one
//!   statement: `if`, `foreach`, `param`, `function` …), [`assignments`], [`commands`](mod@commands).

mod assignments;
mod blocks;
mod commands;
mod expressions;
mod hashtables;
mod keywords;
mod lex;
mod methods;
mod strings;
mod values;
mod variables;

use super::{after_bom, fix_later, Command, Env};
use crate::span::FileId;
use variables::key_of_display;

pub(super) fn commands(file: FileId, text: &str) -> Vec<Command> {
    let mut p = Ps {
        text,
        b: text.as_bytes(),
        pos: after_bom(text),
        file,
        env: Env::new(text),
        out: Vec::new(),
        depth: 0,
        nl_ok: false,
        block: 0,
        last_pure: false,
        level: 0,
        pending_branch: None,
    };
    p.statements(None);
    let mut out = p.out;
    fix_later(&mut out, &p.env, key_of_display);
    out
}

/// The PowerShell scanner: a cursor over the text, the variables assigned so far and the
/// commands found so far, and the state that tells how the text at the position is read.
struct Ps<'a> {
    text: &'a str,
    /// `text` as bytes.
    b: &'a [u8],
    pos: usize,
    file: FileId,
    /// The variables assigned so far.
    env: Env,
    /// The commands found so far, in the order they end.
    out: Vec<Command>,
    /// Nesting of brackets followed recursively (at most [`MAX_DEPTH`]).
    ///
    /// [`MAX_DEPTH`]: super::MAX_DEPTH
    depth: u32,
    /// Newlines are whitespace (inside parentheses).
    nl_ok: bool,
    /// `{` blocks open at statement level (to tell script from function parameters).
    block: u32,
    /// Whether the last [`Ps::rhs_word`] was exactly one variable.
    last_pure: bool,
    /// Nesting of [`Ps::statements`] calls.
    level: u32,
    /// The keyword whose block comes next (`if`, `else`, `switch`, `try`, `catch`…).
    pending_branch: Option<&'static str>,
}

super::cursor!(Ps, b'`');
