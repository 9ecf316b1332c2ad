//! Statements: commands. A command is its name (a word, `& $exe`, `. script`) and arguments
//! in argument mode, where text is a string unless it starts like a value (`$x`, `(…)`,
//! `@(…)`, a quote): `-Flag value`, `-Flag:value`, `--flag=value` (native commands), switches,
//! lists `a, b`, splatting `@p`, `--%` (the rest of the line verbatim) and redirections. The
//! loop over the arguments is the one every dialect shares
//! ([`CommandLine`]); what is PowerShell's is here.

use super::super::command_line::{CommandLine, Item};
use super::super::{Concat, Cursor, Word, MAX_DEPTH};
use super::lex::{is_ident_char, is_name_char};
use super::Ps;

impl<'a> Ps<'a> {
    /// Whether a command starts at the position (a name, `& …`, `. …`) rather than a value.
    pub(super) fn is_command_start(&self) -> bool {
        let c = self.peek();
        c.is_ascii_alphabetic()
            || c == b'_'
            || (c == b'&' && self.at(1) != b'&')
            || (c == b'.' && matches!(self.at(1), b' ' | b'\t'))
    }

    /// A command whose name is at `pos` (`start` includes a leading `&` or `.`); returns the
    /// name. The command is added to the output.
    pub(super) fn command(&mut self, start: usize) -> Option<String> {
        if self.depth >= MAX_DEPTH {
            self.skip_rest();
            return None;
        }
        self.depth += 1;
        let saved_nl = self.nl_ok;
        self.nl_ok = false;
        let name_start = self.pos;
        let (w, bare) = self.arg_value();
        if self.pos == name_start {
            self.nl_ok = saved_nl;
            self.depth -= 1;
            return None;
        }
        let end = self.pos;
        let cmd = self.read_command(start, vec![Item::Value { word: w, bare }], end);
        // `cmd &` runs it in the background: the `&` ends the command and is part of it.
        if self.peek() == b'&' && self.at(1) != b'&' {
            self.pos += 1;
        }
        self.nl_ok = saved_nl;
        self.depth -= 1;
        let cmd = cmd?;
        let name = cmd.name[0].clone();
        if name.eq_ignore_ascii_case("Set-Variable") || name.eq_ignore_ascii_case("New-Variable") {
            self.set_variable(&cmd);
        }
        self.out.push(cmd);
        Some(name)
    }

    /// An en dash / em dash used as a parameter dash (copied from a document).
    fn unicode_dash(&self) -> bool {
        self.peek() == 0xE2 && self.at(1) == 0x80 && matches!(self.at(2), 0x93..=0x95)
    }

    /// A flag starts at `pos` (`-` or a unicode dash, then a letter or `-`).
    fn flag_follows(&self) -> bool {
        let n = if self.peek() == b'-' { 1 } else { 3 };
        let c = self.at(n);
        c.is_ascii_alphabetic()
            || c == b'_'
            || (c == b'-' && n == 1 && self.at(2).is_ascii_alphabetic())
    }

    /// `-Flag`, `-Flag:value`, `--flag=value` at the dash (see [`Ps::flag_follows`]); a
    /// dash word with something glued to its name (`-foo"bar"`, `-Name$x`) is a value.
    fn flag(&mut self, items: &mut Vec<Item>) {
        let fs = self.pos;
        self.pos += if self.peek() == b'-' { 1 } else { 3 };
        while is_ident_char(self.peek()) || self.peek() == b'?' || self.peek() == b'.' {
            self.pos += 1;
        }
        let fe = self.pos;
        let text = self.slice(fs, fe).to_string();
        let span = self.span(fs, fe);
        let c = self.peek();
        if c == b':' {
            self.pos += 1;
            self.skip_ws(false);
            let value = if self.at_end() {
                None
            } else {
                Some(self.arg_list().0)
            };
            items.push(Item::Flag { text, span, value });
        } else if c == b'=' && text.starts_with("--") {
            self.pos += 1;
            let value = if self.at_end() || matches!(self.peek(), b' ' | b'\t' | b'\r') {
                Word::Known {
                    value: String::new(),
                    span: self.span(self.pos, self.pos),
                    defined_at: None,
                }
            } else {
                self.arg_list().0
            };
            items.push(Item::Flag {
                text,
                span,
                value: Some(value),
            });
        } else if self.at_end() || matches!(c, b' ' | b'\t' | b'\r' | b',' | b'`') || c == 0 {
            items.push(Item::Flag {
                text,
                span,
                value: None,
            });
        } else {
            // `-foo"bar"`, `-Name$x`: a plain word after all.
            self.pos = fs;
            let (w, bare) = self.arg_list();
            items.push(Item::Value { word: w, bare });
        }
    }

    /// A value, or a list `a, b, c` of values, in argument mode.
    fn arg_list(&mut self) -> (Word, bool) {
        let start = self.pos;
        let (first, bare) = self.arg_value();
        let save = self.pos;
        self.skip_ws(false);
        if self.peek() != b',' {
            self.pos = save;
            return (first, bare);
        }
        let items = vec![first];
        let list = self.rest_of_list(start, items, save, Self::arg_value, false);
        (list, false)
    }

    /// One value in argument mode; `bare` when written as plain characters.
    fn arg_value(&mut self) -> (Word, bool) {
        match self.peek() {
            b'(' | b'{' => return (self.unary().0, false),
            b'@' if matches!(self.at(1), b'(' | b'{' | b'\'' | b'"') => {
                return (self.unary().0, false)
            }
            b'$' if self.at(1) != b'(' => {
                if let Some(v) = self.var_name() {
                    let after = self.b.get(v.end).copied().unwrap_or(0);
                    let next = self.b.get(v.end + 1).copied().unwrap_or(0);
                    if (after == b'.' && (next.is_ascii_alphabetic() || next == b'_'))
                        || after == b'['
                    {
                        return (self.unary().0, false);
                    }
                }
            }
            _ => {}
        }
        self.word()
    }
}

/// Argument mode: between arguments, blanks and comments; a command ends at a newline, `;`,
/// a pipe, a closing bracket or `&`.
impl<'a> CommandLine<'a> for Ps<'a> {
    fn skip_gap(&mut self) {
        self.skip_ws(false);
    }

    fn at_command_end(&self) -> bool {
        self.at_end()
    }

    /// Skips a redirection (`> f`, `2>&1`, `*>$null`) at `pos`.
    fn redirection(&mut self) -> bool {
        let c = self.peek();
        let mut p = self.pos;
        if (c.is_ascii_digit() || c == b'*') && self.at(1) == b'>' {
            p += 1;
        } else if c != b'>' && c != b'<' {
            return false;
        }
        p += 1;
        if self.b.get(p) == Some(&b'>') {
            p += 1;
        }
        if self.b.get(p) == Some(&b'&') && self.b.get(p + 1).is_some_and(u8::is_ascii_digit) {
            self.pos = p + 2;
            return true;
        }
        self.pos = p;
        self.skip_ws(false);
        if !self.at_end() {
            self.arg_value();
        }
        true
    }

    /// `--%` (the rest of the line, passed verbatim), a flag, a splat `@p`, or a value or
    /// list of values.
    fn argument(&mut self, items: &mut Vec<Item>) {
        let c = self.peek();
        if c == b'-' && self.at(1) == b'-' && self.at(2) == b'%' {
            let s = self.pos;
            self.skip_line();
            let e = self.trim_end(s, self.pos);
            items.push(Item::Value {
                word: Word::Unknown {
                    span: self.span(s, e),
                    why: "arguments after `--%` are passed verbatim".to_string(),
                },
                bare: false,
            });
        } else if (c == b'-' || self.unicode_dash()) && self.flag_follows() {
            self.flag(items);
        } else if c == b'@' && is_name_char(self.at(1)) {
            self.splat(items);
        } else {
            let (w, bare) = self.arg_list();
            items.push(Item::Value { word: w, bare });
        }
    }

    /// A word in argument mode: plain characters, quotes and variables run together.
    fn word_chars(&mut self, c: &mut Concat) {
        loop {
            if self.eof() {
                return;
            }
            match self.peek() {
                b' ' | b'\t' | b'\r' | b'\n' | 0x0c | b';' | b'|' | b')' | b'}' | b'(' | b'{'
                | b',' | b'&' | b'<' | b'>' => return,
                0xC2 if self.at(1) == 0xA0 => return,
                b'\'' => self.sq_into(c),
                b'"' => self.dq_into(c),
                b'`' => {
                    if self.at(1) == b'\n' || (self.at(1) == b'\r' && self.at(2) == b'\n') {
                        return;
                    }
                    c.not_bare = true;
                    self.pos += 1;
                    self.escape_into(c);
                }
                b'$' => self.dollar_into(c),
                _ => {
                    let s = self.pos;
                    while !self.eof()
                        && !matches!(
                            self.peek(),
                            b' ' | b'\t'
                                | b'\r'
                                | b'\n'
                                | 0x0c
                                | b';'
                                | b'|'
                                | b')'
                                | b'}'
                                | b'('
                                | b'{'
                                | b','
                                | b'&'
                                | b'<'
                                | b'>'
                                | b'\''
                                | b'"'
                                | b'`'
                                | b'$'
                                | 0xC2
                        )
                    {
                        self.pos += 1;
                    }
                    if self.pos == s {
                        // a 0xC2 that is not a no-break space
                        self.adv_char();
                    }
                    c.lit(self.slice(s, self.pos));
                }
            }
        }
    }

    /// A PowerShell argument may look past blanks, comments and line breaks before it knows
    /// it has ended (a list `a,` goes on on the next line), so the command's span stops at
    /// the argument's last non-blank byte; a skipped byte counts like any other.
    fn argument_end(&self, before: usize, _skipped: bool) -> Option<usize> {
        Some(self.trim_end(before, self.pos))
    }
}
