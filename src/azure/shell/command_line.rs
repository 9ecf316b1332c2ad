//! One command line, read the same way in every dialect: after the command name, the
//! arguments are read in one loop ([`CommandLine::read_command`]) into [`Item`]s, which
//! [`build`] turns into a [`Command`] (name words, flag/value pairing).
//!
//! The three scanners used to carry three copies of that loop. What differed between the
//! copies is what each dialect now supplies through [`CommandLine`]: what separates two
//! arguments (PowerShell allows comments there), where a command ends, what a redirection
//! looks like, how one argument is read, and where the command's span stops. cmd and sh also
//! had the same flag reader twice (a dash and a name, `--name=value`): it is
//! [`CommandLine::dash_flag_or_word`] now, with the bytes that end a word as its parameter.
//!
//! What truly differs in grammar stays with each dialect: the statements around commands
//! (keywords, blocks, `set`, assignments, `param`), quoting and expansion inside a word,
//! the forms of a redirection (here-documents in sh, `2>&1` / `*>` in PowerShell), and
//! PowerShell's own arguments (`-Name:value`, en dashes, `@splat`, `--%`, `a, b` lists).

use super::{Argument, Command, Concat, Cursor, Word};
use crate::span::Span;

/// A flag or a value of a command, resolved.
#[derive(Debug)]
pub(super) enum Item {
    /// `value` is set when attached (`-Name:x`, `--name=x`, a splatted entry).
    Flag {
        text: String,
        span: Span,
        value: Option<Word>,
    },
    /// `bare`: written as plain characters (a possible subcommand word).
    Value { word: Word, bare: bool },
}

/// The program name of a word's value: directory and `.exe` removed, `az.cmd` → `az`.
fn program_name(value: &str) -> String {
    let base = value.rsplit(['/', '\\']).next().unwrap_or(value);
    let base = if base.is_empty() { value } else { base };
    let lower = base.to_ascii_lowercase();
    if lower.len() > 4 && lower.ends_with(".exe") {
        return base[..base.len() - 4].to_string();
    }
    if lower == "az.cmd" {
        return base[..2].to_string();
    }
    base.to_string()
}

/// Is `s` a word an `az` subcommand can be (`sql`, `mi`, `partner-cert`)?
fn is_subcommand(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

/// Makes a command from its items; `span` covers the whole command.
pub(super) fn build(text: &str, items: Vec<Item>, span: Span) -> Option<Command> {
    let mut items = items.into_iter().peekable();
    let first = items.next()?;
    let (mut name, mut name_span) = match first {
        Item::Flag { text, span, .. } => (vec![text], span),
        Item::Value { word, .. } => {
            let span = word.span();
            match word {
                Word::Known { value, .. } => (vec![program_name(&value)], span),
                _ => (
                    vec![text.get(span.range()).unwrap_or_default().to_string()],
                    span,
                ),
            }
        }
    };
    if name[0].eq_ignore_ascii_case("az") {
        while let Some(Item::Value {
            word: Word::Known { value, span, .. },
            bare: true,
        }) = items.peek()
        {
            if !is_subcommand(value) {
                break;
            }
            name.push(value.clone());
            name_span = name_span.to(*span);
            items.next();
        }
    }
    let mut arguments = Vec::new();
    while let Some(item) = items.next() {
        match item {
            Item::Flag {
                text,
                span,
                value: Some(value),
            } => arguments.push(Argument {
                flag: Some((text, span)),
                value: Some(value),
            }),
            Item::Flag {
                text,
                span,
                value: None,
            } => {
                let value = match items.peek() {
                    Some(Item::Value { .. }) => match items.next() {
                        Some(Item::Value { word, .. }) => Some(word),
                        _ => None,
                    },
                    _ => None,
                };
                arguments.push(Argument {
                    flag: Some((text, span)),
                    value,
                });
            }
            Item::Value { word, .. } => arguments.push(Argument {
                flag: None,
                value: Some(word),
            }),
        }
    }
    Some(Command {
        name,
        name_span,
        span,
        arguments,
    })
}

/// How one dialect reads the arguments of a command; the loop itself is
/// [`CommandLine::read_command`].
pub(super) trait CommandLine<'a>: Cursor<'a> {
    /// Skips what separates two arguments: blanks and line continuations. PowerShell skips
    /// comments too (`# …` ends the command's line, `<# … #>` may sit between arguments).
    fn skip_gap(&mut self) {
        self.skip_blanks();
    }

    /// Whether the command ends at the position (after [`CommandLine::skip_gap`]).
    fn at_command_end(&self) -> bool;

    /// Skips a redirection at the position (`> file`, `2>&1`); false when there is none.
    fn redirection(&mut self) -> bool;

    /// Reads one argument (a flag, a value, or several of them) into `items`.
    fn argument(&mut self, items: &mut Vec<Item>);

    /// The characters of one word, from the position to the end of the word, into `c`.
    fn word_chars(&mut self, c: &mut Concat);

    /// Where the command ends after the argument that started at `before` (`skipped`: no
    /// reader took the byte there and one character was skipped), None to leave the end as
    /// it is. In cmd and sh a word stops at the first blank, so the end is the position, and
    /// a skipped byte is not part of the command. PowerShell trims (see its implementation).
    fn argument_end(&self, _before: usize, skipped: bool) -> Option<usize> {
        (!skipped).then(|| self.pos())
    }

    /// One word at the position, and whether it is written as plain characters (a possible
    /// subcommand word).
    fn word(&mut self) -> (Word, bool) {
        let start = self.pos();
        let mut c = Concat::default();
        self.word_chars(&mut c);
        let bare = c.bare();
        (c.finish(self.span(start, self.pos())).0, bare)
    }

    /// The arguments up to the end of the command, after `items` (what was read of the
    /// command so far, which ends at `end`), and the command they make (`start`: where it
    /// starts); None without any item.
    fn read_command(
        &mut self,
        start: usize,
        mut items: Vec<Item>,
        mut end: usize,
    ) -> Option<Command> {
        loop {
            self.skip_gap();
            if self.at_command_end() {
                break;
            }
            let before = self.pos();
            if !self.redirection() {
                self.argument(&mut items);
            }
            // A byte that no reader takes is skipped: the loop always moves on.
            let skipped = self.pos() == before;
            if skipped {
                self.adv_char();
            }
            if let Some(e) = self.argument_end(before, skipped) {
                end = end.max(e);
            }
        }
        build(self.text(), items, self.span(start, end))
    }

    /// A flag (`-f`, `--flag`, `--flag=value`) or a word, in the dialects whose flags are
    /// plain words: a dash, then letters, digits, `_`, `-` and `.`; `ends_word` tells the bytes
    /// that end a word there. A flag is one only when a word end follows its name
    /// (`-foo"bar"` is a word); the value of `--flag=` may be empty.
    fn dash_flag_or_word(&mut self, items: &mut Vec<Item>, ends_word: impl Fn(&Self, u8) -> bool) {
        let fs = self.pos();
        if self.peek() == b'-'
            && (self.at(1).is_ascii_alphabetic()
                || (self.at(1) == b'-' && self.at(2).is_ascii_alphabetic()))
        {
            let b = self.text().as_bytes();
            let mut e = fs + 1;
            while e < self.limit()
                && (b[e].is_ascii_alphanumeric() || matches!(b[e], b'_' | b'-' | b'.'))
            {
                e += 1;
            }
            let text = self.slice(fs, e).to_string();
            let next = if e < self.limit() { b[e] } else { 0 };
            if next == b'=' && text.starts_with("--") {
                self.set_pos(e + 1);
                let (value, _) = self.word();
                items.push(Item::Flag {
                    text,
                    span: self.span(fs, e),
                    value: Some(value),
                });
                return;
            }
            if ends_word(self, next) {
                self.set_pos(e);
                items.push(Item::Flag {
                    text,
                    span: self.span(fs, e),
                    value: None,
                });
                return;
            }
        }
        let (word, bare) = self.word();
        items.push(Item::Value { word, bare });
    }
}
