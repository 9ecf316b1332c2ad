//! The SQLCMD layer: splits a script into `GO` batches, records SQLCMD commands
//! (`:setvar`, `:connect`, `:r`, `:on error`, …) and substitutes `$(NAME)` uses.
//!
//! It runs on lines before any T-SQL lexing, because `GO` and `:setvar` are client
//! commands the T-SQL tokenizer knows nothing about. A small lexical state (block
//! comment depth, open string/bracket) carried from line to line keeps `GO` inside a
//! comment or a string from splitting a batch.
//!
//! Each batch's substituted text comes with a [`SourceMap`] back to the original
//! bytes, so every token keeps a span into the file the user wrote.

use crate::span::{FileId, Span};
use std::borrow::Cow;
use std::ops::Range;

/// `:setvar NAME "value"`. In a script's list, one whose span is in another file was
/// defined by a file it includes (see [`split_with`]).
#[derive(Debug, Clone)]
pub struct SetVar {
    /// As written.
    pub name: String,
    pub value: String,
    /// The whole command line.
    pub span: Span,
    pub name_span: Span,
    /// The value as written (quotes excluded when quoted).
    pub value_span: Span,
}

/// A `$(NAME)` use and what it resolved to.
#[derive(Debug, Clone)]
pub struct VarUse {
    pub name: String,
    pub span: Span,
    /// Index into [`Script::setvars`] of the definition in force, if any.
    pub definition: Option<usize>,
    /// Defined by a `:setvar` or an external variable.
    pub resolved: bool,
    /// Where the use occurs: in T-SQL text or inside a SQLCMD command line.
    pub in_command: bool,
    /// Inside a `--` or `/* */` comment.
    pub in_comment: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandKind {
    SetVar,
    Connect,
    OnError,
    Include,
    Shell,
    Other,
}

/// A SQLCMD command line (`:connect`, `:r`, `!!`, …).
#[derive(Debug, Clone)]
pub struct Command {
    pub kind: CommandKind,
    /// Lower-case command word, e.g. `connect`.
    pub word: String,
    /// First argument after variable substitution (server for `:connect`, path for `:r`).
    pub argument: String,
    pub argument_span: Span,
    pub span: Span,
}

/// One contiguous piece of a batch's expanded text and where it came from.
#[derive(Debug, Clone, Copy)]
struct Segment {
    expanded_start: u32,
    original_start: u32,
    /// Length in the expanded text.
    len: u32,
    /// Some(original length) when the piece is a `$(NAME)` substitution: every offset
    /// inside it maps to the whole use.
    substituted: Option<u32>,
}

/// Maps byte offsets of a batch's expanded text back to the original file.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    file: Option<FileId>,
    segments: Vec<Segment>,
}

impl SourceMap {
    fn push_literal(&mut self, expanded_start: usize, original_start: usize, len: usize) {
        if len == 0 {
            return;
        }
        if let Some(last) = self.segments.last_mut() {
            let contiguous = last.substituted.is_none()
                && last.expanded_start + last.len == expanded_start as u32
                && last.original_start + last.len == original_start as u32;
            if contiguous {
                last.len += len as u32;
                return;
            }
        }
        self.segments.push(Segment {
            expanded_start: expanded_start as u32,
            original_start: original_start as u32,
            len: len as u32,
            substituted: None,
        });
    }

    fn push_substitution(&mut self, expanded_start: usize, len: usize, use_span: Span) {
        self.segments.push(Segment {
            expanded_start: expanded_start as u32,
            original_start: use_span.start,
            len: len as u32,
            substituted: Some(use_span.end - use_span.start),
        });
    }

    fn segment_index(&self, offset: u32) -> Option<usize> {
        if self.segments.is_empty() {
            return None;
        }
        let i = self
            .segments
            .partition_point(|s| s.expanded_start <= offset)
            .saturating_sub(1);
        Some(i)
    }

    /// Original offset of an expanded offset. `is_end` picks the end of a substitution.
    fn map_offset(&self, offset: u32, is_end: bool) -> u32 {
        let Some(i) = self.segment_index(if is_end && offset > 0 {
            offset - 1
        } else {
            offset
        }) else {
            return 0;
        };
        let seg = self.segments[i];
        match seg.substituted {
            Some(original_len) => {
                if is_end {
                    seg.original_start + original_len
                } else {
                    seg.original_start
                }
            }
            None => {
                let delta = offset.saturating_sub(seg.expanded_start).min(seg.len);
                seg.original_start + delta
            }
        }
    }

    /// The original span of an expanded byte range. A range touching a substitution
    /// grows to cover the whole `$(NAME)` use.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let file = self.file.unwrap_or(FileId(0));
        let s = self.map_offset(start as u32, false);
        let e = if end > start {
            self.map_offset(end as u32, true)
        } else {
            s
        };
        Span {
            file,
            start: s,
            end: e.max(s),
        }
    }

    /// Whether any byte of the expanded range came from a `$(NAME)` substitution.
    pub fn touches_substitution(&self, start: usize, end: usize) -> bool {
        self.segments.iter().any(|s| {
            s.substituted.is_some()
                && (s.expanded_start as usize) < end
                && (s.expanded_start + s.len) as usize > start
        })
    }
}

/// A T-SQL batch: the text between two `GO` lines, SQLCMD lines removed and
/// variables substituted.
#[derive(Debug, Clone)]
pub struct Batch<'t> {
    /// The batch's text after `$(var)` substitution: borrowed from the file when it is an
    /// unchanged run of it (the usual case), so a big script is not held twice.
    pub text: std::borrow::Cow<'t, str>,
    pub map: SourceMap,
    /// Original span of the batch (first to last line).
    pub span: Span,
    /// Index into [`Script::commands`] of the `:connect` in force, if any.
    pub connect: Option<usize>,
    /// Index of the batch in its script.
    pub index: usize,
}

impl Batch<'_> {
    /// A batch of dynamic SQL text whose every byte maps to `span` (the EXEC argument).
    pub fn synthetic(text: String, span: Span, index: usize) -> Batch<'static> {
        let mut map = SourceMap {
            file: Some(span.file),
            segments: Vec::new(),
        };
        map.push_substitution(0, text.len(), span);
        Batch {
            text: text.into(),
            map,
            span,
            connect: None,
            index,
        }
    }
}

/// The SQLCMD view of one file.
#[derive(Debug, Clone, Default)]
pub struct Script<'t> {
    pub batches: Vec<Batch<'t>>,
    pub setvars: Vec<SetVar>,
    pub commands: Vec<Command>,
    pub var_uses: Vec<VarUse>,
    /// The file contains SQLCMD commands (`:setvar`, `:connect`, …), so it is meant for
    /// sqlcmd or SSMS in SQLCMD mode.
    pub has_sqlcmd_commands: bool,
}

impl Script<'_> {
    /// The script's SQLCMD facts without its batches (which borrow the file's text).
    pub fn without_batches(self) -> Script<'static> {
        Script {
            batches: Vec::new(),
            setvars: self.setvars,
            commands: self.commands,
            var_uses: self.var_uses,
            has_sqlcmd_commands: self.has_sqlcmd_commands,
        }
    }
}

/// Variables defined outside the script (`sqlcmd -v NAME=value`, `--var`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExternalVars {
    pub vars: Vec<(String, String)>,
}

impl ExternalVars {
    /// The value of a variable (names are case-insensitive; the last definition wins).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Lexical state carried across lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum LineState {
    #[default]
    Code,
    /// Inside `/* */`, with nesting depth.
    Comment(u32),
    /// Inside a literal closed by this byte: `'`, `]` or `"`.
    Quoted(u8),
}

/// The lines [`Splitter::run`] looks at one by one.
const SPLITTER_LOOKS_AT: LooksAt = LooksAt {
    first: b":!gG",
    dollar: true,
};

/// A piece of a text for a pass that looks at only some lines: one line to look at, or a
/// run of whole lines (terminators included) that need no look of their own.
enum LinePiece<'t> {
    /// A line to look at: where it starts, its content and its terminator.
    Line(usize, &'t str, &'t str),
    /// A run of plain lines: the pass only carries the lexical state over it (and the
    /// splitter copies it into the batch), so it is taken in one piece, not line by line.
    Run(Range<usize>),
}

/// What makes a line worth a look of its own (anything else joins a [`LinePiece::Run`]).
#[derive(Clone, Copy)]
struct LooksAt {
    /// First non-blank byte of the line (after spaces, tabs, `\v`, `\f`, `\r`) is one of these.
    first: &'static [u8],
    /// A line holding `$` (a variable use) is looked at too.
    dollar: bool,
}

/// The lines of `text` as [`LinePiece`]s. A line whose first non-blank character is not
/// ASCII is always looked at, so the pass decides with its own (Unicode) trimming.
fn segments(text: &str, looks_at: LooksAt) -> impl Iterator<Item = LinePiece<'_>> {
    let bytes = text.as_bytes();
    let mut at = 0;
    let mut next_dollar = if looks_at.dollar {
        memchr::memchr(b'$', bytes)
    } else {
        None
    };
    std::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        let run_start = at;
        loop {
            if at >= bytes.len() {
                return Some(LinePiece::Run(run_start..at));
            }
            let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |n| at + n + 1);
            let first = bytes[at..end]
                .iter()
                .copied()
                .find(|b| !matches!(b, b' ' | b'\t' | 0x0b | 0x0c | b'\r'));
            let dollar = next_dollar.is_some_and(|d| d < end);
            let special =
                dollar || first.is_some_and(|b| !b.is_ascii() || looks_at.first.contains(&b));
            if !special {
                at = end;
                continue;
            }
            if at > run_start {
                // The line is looked at on the next call.
                return Some(LinePiece::Run(run_start..at));
            }
            if dollar {
                next_dollar = memchr::memchr(b'$', &bytes[end..]).map(|n| end + n);
            }
            let raw = &text[at..end];
            let content = raw
                .strip_suffix('\n')
                .map(|c| c.strip_suffix('\r').unwrap_or(c))
                .unwrap_or(raw);
            let line = LinePiece::Line(at, content, &raw[content.len()..]);
            at = end;
            return Some(line);
        }
    })
}

/// `GO` or `GO n`, alone on its line, optionally followed by a `--` comment.
pub(crate) fn is_go_line(line: &str) -> bool {
    // Cheap test first: nearly every line does not start with `go`.
    let start = line.trim_start().as_bytes();
    if start.len() < 2 || !start[..2].eq_ignore_ascii_case(b"go") {
        return false;
    }
    let trimmed = line.trim();
    let body = match trimmed.find("--") {
        Some(i) => trimmed[..i].trim_end(),
        None => trimmed,
    };
    let bytes = body.as_bytes();
    if bytes.len() < 2 || !bytes[..2].eq_ignore_ascii_case(b"go") {
        return false;
    }
    let rest = &body[2..];
    rest.is_empty()
        || (rest.starts_with(|c: char| c.is_ascii_whitespace())
            && rest.trim().bytes().all(|b| b.is_ascii_digit()))
}

/// One lexical step at `line[i]`: the state after it and how many bytes it consumed.
fn step(state: LineState, line: &[u8], i: usize) -> (LineState, usize) {
    let b = line[i];
    let next = line.get(i + 1).copied();
    match state {
        LineState::Code => match (b, next) {
            // A `--` comment runs to the end of the line.
            (b'-', Some(b'-')) => (LineState::Code, line.len() - i),
            (b'/', Some(b'*')) => (LineState::Comment(1), 2),
            (b'\'', _) => (LineState::Quoted(b'\''), 1),
            (b'[', _) => (LineState::Quoted(b']'), 1),
            (b'"', _) => (LineState::Quoted(b'"'), 1),
            _ => (LineState::Code, 1),
        },
        LineState::Comment(depth) => match (b, next) {
            (b'/', Some(b'*')) => (LineState::Comment(depth + 1), 2),
            (b'*', Some(b'/')) if depth == 1 => (LineState::Code, 2),
            (b'*', Some(b'/')) => (LineState::Comment(depth - 1), 2),
            _ => (state, 1),
        },
        // A doubled delimiter is an escaped one.
        LineState::Quoted(close) if b == close && next == Some(close) => (state, 2),
        LineState::Quoted(close) if b == close => (LineState::Code, 1),
        LineState::Quoted(_) => (state, 1),
    }
}

/// The bytes that can open a comment or a quoted run in code (a table: this loop runs
/// over every byte of every script).
static OPENS: [bool; 256] = {
    let mut table = [false; 256];
    let mut k = 0;
    let opens = *b"'\"[/-";
    while k < opens.len() {
        table[opens[k] as usize] = true;
        k += 1;
    }
    table
};

/// Advance the lexical state over one line of text, or over several whole lines: a line
/// break ends a `--` comment, and is no part of any two-byte sequence ([`step`]), so taking
/// lines one at a time or together gives the same state.
fn advance_state(mut state: LineState, line: &[u8]) -> LineState {
    let mut i = 0;
    while i < line.len() {
        // Jump to the next byte that can change the state ([`step`] decides what it does).
        let skip = match state {
            LineState::Code => line[i..].iter().position(|&b| OPENS[usize::from(b)]),
            LineState::Comment(_) => memchr::memchr2(b'/', b'*', &line[i..]),
            LineState::Quoted(close) => memchr::memchr(close, &line[i..]),
        };
        match skip {
            Some(offset) => i += offset,
            None => break,
        }
        if state == LineState::Code && line[i] == b'-' && line.get(i + 1) == Some(&b'-') {
            // A `--` comment runs to the end of its line (`line` may hold several).
            match memchr::memchr(b'\n', &line[i..]) {
                Some(n) => i += n + 1,
                None => break,
            }
            continue;
        }
        let (next, width) = step(state, line, i);
        state = next;
        i += width;
    }
    state
}

/// Byte ranges of a line that lie inside comments, given the state at its start.
fn comment_ranges(mut state: LineState, line: &[u8]) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut open = matches!(state, LineState::Comment(_)).then_some(0);
    let mut i = 0;
    while i < line.len() {
        if state == LineState::Code && line[i] == b'-' && line.get(i + 1) == Some(&b'-') {
            ranges.push((i, line.len()));
            return ranges;
        }
        let (next, width) = step(state, line, i);
        let was_comment = matches!(state, LineState::Comment(_));
        let is_comment = matches!(next, LineState::Comment(_));
        if !was_comment && is_comment {
            open = Some(i);
        }
        if was_comment && !is_comment {
            if let Some(s) = open.take() {
                ranges.push((s, i + width));
            }
        }
        state = next;
        i += width;
    }
    if let Some(s) = open {
        ranges.push((s, line.len()));
    }
    ranges
}

/// A `$(NAME)` occurrence in a line: byte range and name.
/// Expanded text, the `$(var)` use it came from (if substituted), and where it starts in
/// the original file.
type Piece<'l> = (Cow<'l, str>, Option<Span>, usize);

fn find_var_uses(line: &str) -> Vec<(usize, usize, &str)> {
    let bytes = line.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i + 2 < bytes.len() {
        if bytes[i] == b'$' && bytes[i + 1] == b'(' {
            let name_start = i + 2;
            let mut j = name_start;
            while j < bytes.len() && is_var_name_byte(bytes[j]) {
                j += 1;
            }
            if j > name_start && j < bytes.len() && bytes[j] == b')' {
                found.push((i, j + 1, &line[name_start..j]));
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    found
}

fn is_var_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

struct Splitter<'a, 'v> {
    file: FileId,
    text: &'a str,
    external: &'v ExternalVars,
    imports: &'v Imports,
    script: Script<'a>,
    current: Option<BatchBuilder>,
    connect: Option<usize>,
    /// Treat `GO` lines inside a string or bracket as separators (second pass, when a
    /// literal is never closed: better one broken batch than a broken rest of file).
    go_ends_literals: bool,
}

struct BatchBuilder {
    /// The text so far, after `pending`.
    text: String,
    /// While the text is one unchanged run of the file (the usual case), only its range
    /// is kept: the text is copied once, at its final size, when the batch ends.
    pending: Option<std::ops::Range<usize>>,
    map: SourceMap,
    start: usize,
    end: usize,
}

impl<'a, 'v> Splitter<'a, 'v> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start..end)
    }

    fn lookup(&self, name: &str) -> Option<Result<usize, &'v str>> {
        if let Some(i) = self
            .script
            .setvars
            .iter()
            .rposition(|v| v.name.eq_ignore_ascii_case(name))
        {
            return Some(Ok(i));
        }
        self.external.get(name).map(Err)
    }

    /// Substitute variables in `line` (at `line_start`), recording uses. Returns the
    /// expanded pieces: (expanded text, Some(use span) for substitutions / None literal, original start).
    fn expand<'l>(
        &mut self,
        line: &'l str,
        line_start: usize,
        in_command: bool,
        comments: &[(usize, usize)],
    ) -> Vec<Piece<'l>> {
        let mut pieces = Vec::new();
        let mut last = 0;
        // Most lines have no variable: no search result, one borrowed piece.
        let uses = if memchr::memchr(b'$', line.as_bytes()).is_some() {
            find_var_uses(line)
        } else {
            Vec::new()
        };
        for (s, e, name) in uses {
            if s > last {
                pieces.push((Cow::Borrowed(&line[last..s]), None, line_start + last));
            }
            let use_span = self.span(line_start + s, line_start + e);
            let resolved = self.lookup(name);
            let (definition, value) = match resolved {
                Some(Ok(i)) => (Some(i), Some(self.script.setvars[i].value.clone())),
                Some(Err(v)) => (None, Some(v.to_string())),
                None => (None, None),
            };
            let in_comment = comments.iter().any(|&(cs, ce)| s >= cs && s < ce);
            self.script.var_uses.push(VarUse {
                name: name.to_string(),
                span: use_span,
                definition,
                resolved: value.is_some(),
                in_command,
                in_comment,
            });
            match value {
                Some(v) => pieces.push((Cow::Owned(v), Some(use_span), line_start + s)),
                // Undefined: keep the text as written (a rule reports it).
                None => pieces.push((Cow::Borrowed(&line[s..e]), None, line_start + s)),
            }
            last = e;
        }
        if last < line.len() {
            pieces.push((Cow::Borrowed(&line[last..]), None, line_start + last));
        }
        pieces
    }

    fn push_to_batch(&mut self, pieces: Vec<Piece<'_>>, line_end: usize) {
        let start = pieces.first().map(|p| p.2).unwrap_or(line_end);
        for (text, substituted, original_start) in &pieces {
            self.push_piece(text, *substituted, *original_start, start);
        }
        self.current_batch(start).end = line_end;
    }

    fn current_batch(&mut self, start: usize) -> &mut BatchBuilder {
        self.current.get_or_insert_with(|| BatchBuilder {
            text: String::new(),
            pending: Some(start..start),
            map: SourceMap::default(),
            start,
            end: start,
        })
    }

    /// Append one piece of expanded text to the batch being built (which starts at
    /// `batch_start` if this is its first piece).
    fn push_piece(
        &mut self,
        text: &str,
        substituted: Option<Span>,
        original_start: usize,
        batch_start: usize,
    ) {
        let original = self.text;
        let batch = self.current_batch(batch_start);
        let pending_len = batch.pending.as_ref().map_or(0, |r| r.len());
        let at = pending_len + batch.text.len();
        match substituted {
            Some(use_span) => batch.map.push_substitution(at, text.len(), use_span),
            None => batch.map.push_literal(at, original_start, text.len()),
        }
        // Still one unchanged run of the file: just extend it.
        if let Some(run) = &mut batch.pending {
            let continues = substituted.is_none()
                && run.end == original_start
                && original.get(original_start..original_start + text.len()) == Some(text);
            if continues {
                run.end += text.len();
                return;
            }
            let run = batch.pending.take().unwrap_or_default();
            batch.text.insert_str(0, &original[run]);
        }
        batch.text.push_str(text);
    }

    fn finish_batch(&mut self) {
        if let Some(b) = self.current.take() {
            let index = self.script.batches.len();
            let mut map = b.map;
            map.file = Some(self.file);
            let text = match b.pending {
                Some(run) => Cow::Borrowed(&self.text[run]),
                None => Cow::Owned(b.text),
            };
            self.script.batches.push(Batch {
                text,
                map,
                span: self.span(b.start, b.end),
                connect: self.connect,
                index,
            });
        }
    }

    fn command(&mut self, line: &str, line_start: usize) {
        self.script.has_sqlcmd_commands = true;
        let (word, rest_at) = command_word(line);
        let line_span = self.span(line_start, line_start + line.len());
        let rest = &line[rest_at.min(line.len())..];
        if word == "setvar" {
            self.setvar(rest, line_start + rest_at, line_span);
            return;
        }
        let kind = command_kind(&word);
        // The first argument, with variables substituted (sqlcmd expands them in commands).
        let arg_len = first_argument_len(rest);
        let arg_text = &rest[..arg_len];
        let pieces = self.expand(arg_text, line_start + rest_at, true, &[]);
        let argument: String = pieces.iter().map(|p| p.0.as_ref()).collect();
        let argument = unquote_argument(&argument);
        let argument_span = self.span(line_start + rest_at, line_start + rest_at + arg_len);
        if kind == CommandKind::Connect {
            self.finish_batch();
            self.connect = Some(self.script.commands.len());
        }
        // What sqlcmd leaves defined after reading the included file, in force from here.
        if kind == CommandKind::Include {
            if let Some(imported) = self.imports.get(&line_start) {
                self.script.setvars.extend(imported.iter().cloned());
            }
        }
        self.script.commands.push(Command {
            kind,
            word,
            argument,
            argument_span,
            span: line_span,
        });
    }

    fn setvar(&mut self, rest: &str, rest_start: usize, line_span: Span) {
        if let Some(v) = parse_setvar(self.file, rest, rest_start, line_span) {
            self.script.setvars.push(v);
        }
    }

    /// Split the text; also returns whether it ended inside an unclosed string or bracket.
    /// Only GO lines (`g`), SQLCMD commands (`:`, `!!`) and lines with a `$(var)` need a
    /// look of their own: the lines between them are taken as runs.
    fn run(mut self) -> (Script<'a>, bool) {
        let mut state = LineState::Code;
        for segment in segments(self.text, SPLITTER_LOOKS_AT) {
            let (line_start, line, terminator) = match segment {
                LinePiece::Line(start, line, terminator) => (start, line, terminator),
                LinePiece::Run(run) => {
                    // Plain lines: one unchanged run of the file, as line by line below.
                    self.push_piece(&self.text[run.clone()], None, run.start, run.start);
                    self.current_batch(run.start).end = run.end;
                    state = advance_state(state, &self.text.as_bytes()[run]);
                    continue;
                }
            };
            let line_end = line_start + line.len() + terminator.len();
            if self.go_ends_literals && matches!(state, LineState::Quoted(_)) && is_go_line(line) {
                state = LineState::Code;
            }
            if state == LineState::Code {
                let trimmed = line.trim_start();
                if is_go_line(line) {
                    self.finish_batch();
                    continue;
                }
                if trimmed.starts_with(':') && trimmed.len() > 1 || trimmed.starts_with("!!") {
                    self.command(line, line_start);
                    continue;
                }
            }
            // The line break as written (`\r\n` too): the batch stays one unchanged run of
            // the file, borrowed rather than copied (see [`Batch::text`]).
            let newline = (!terminator.is_empty())
                .then(|| (Cow::Borrowed(terminator), None, line_start + line.len()));
            if memchr::memchr(b'$', line.as_bytes()).is_none() {
                // Most lines: no variable, nothing to substitute or look up, no allocation.
                let start = if line.is_empty() {
                    newline.as_ref().map_or(line_end, |n| n.2)
                } else {
                    line_start
                };
                if !line.is_empty() {
                    self.push_piece(line, None, line_start, start);
                }
                if let Some((text, _, at)) = &newline {
                    self.push_piece(text, None, *at, start);
                }
                self.current_batch(start).end = line_end;
            } else {
                // Only `$(var)` uses need to know whether they sit in a comment.
                let comments = comment_ranges(state, line.as_bytes());
                let mut pieces = self.expand(line, line_start, false, &comments);
                pieces.extend(newline);
                self.push_to_batch(pieces, line_end);
            }
            state = advance_state(state, line.as_bytes());
        }
        self.finish_batch();
        (self.script, matches!(state, LineState::Quoted(_)))
    }
}

/// The command word of a SQLCMD line (lower case, `!!` for a shell command) and where
/// its arguments start.
fn command_word(line: &str) -> (String, usize) {
    let indent = line.len() - line.trim_start().len();
    let body = line.trim_start();
    if let Some(stripped) = body.strip_prefix("!!") {
        return (
            "!!".to_string(),
            indent + 2 + (stripped.len() - stripped.trim_start().len()),
        );
    }
    let after_colon = &body[1..];
    let word_len = after_colon
        .find(|c: char| c.is_whitespace())
        .unwrap_or(after_colon.len());
    let word = after_colon[..word_len].to_ascii_lowercase();
    let rest = &after_colon[word_len..];
    (
        word,
        indent + 1 + word_len + (rest.len() - rest.trim_start().len()),
    )
}

fn command_kind(word: &str) -> CommandKind {
    match word {
        "setvar" => CommandKind::SetVar,
        "connect" => CommandKind::Connect,
        "on" => CommandKind::OnError,
        "r" => CommandKind::Include,
        "!!" => CommandKind::Shell,
        _ => CommandKind::Other,
    }
}

/// `NAME "value"` (or `NAME value`) after `:setvar`, at `rest_start` of the file.
fn parse_setvar(file: FileId, rest: &str, rest_start: usize, line_span: Span) -> Option<SetVar> {
    let name_len = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    if name_len == 0 {
        return None;
    }
    let name = rest[..name_len].to_string();
    let after = &rest[name_len..];
    let value_at = name_len + (after.len() - after.trim_start().len());
    let raw = rest[value_at..].trim_end();
    let (value, value_start, value_len) =
        if raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"') {
            (
                raw[1..raw.len() - 1].replace("\"\"", "\""),
                value_at + 1,
                raw.len() - 2,
            )
        } else {
            (raw.to_string(), value_at, raw.len())
        };
    let span = |a: usize, b: usize| Span::new(file, a..b);
    Some(SetVar {
        name,
        value,
        span: line_span,
        name_span: span(rest_start, rest_start + name_len),
        value_span: span(
            rest_start + value_start,
            rest_start + value_start + value_len,
        ),
    })
}

/// A SQLCMD command line as written, before any variable is substituted.
#[derive(Debug, Clone)]
pub enum RawCommand {
    SetVar(SetVar),
    /// `:r FILE`: the argument as written (quotes removed) and the command line.
    Include {
        argument: String,
        span: Span,
    },
}

/// The `:setvar` and `:r` lines of a file, in order, found as [`split`] finds them (not
/// inside comments or strings), without building its batches: what the include
/// closure needs before any script is split.
pub fn session_commands(file: FileId, text: &str) -> Vec<RawCommand> {
    let mut found = Vec::new();
    if !has_command_line(text) {
        // No line starts with `:`: nothing to find, and no need to follow comments and
        // strings through the whole file (a 100 MB deployment script has none).
        return found;
    }
    let mut state = LineState::Code;
    let looks_at = LooksAt {
        first: b":",
        dollar: false,
    };
    for segment in segments(text, looks_at) {
        let (line_start, line) = match segment {
            LinePiece::Line(start, line, _) => (start, line),
            LinePiece::Run(run) => {
                state = advance_state(state, &text.as_bytes()[run]);
                continue;
            }
        };
        if state == LineState::Code {
            let trimmed = line.trim_start();
            if trimmed.starts_with(':') && trimmed.len() > 1 {
                let (word, rest_at) = command_word(line);
                let rest = &line[rest_at.min(line.len())..];
                let span = Span::new(file, line_start..line_start + line.len());
                match command_kind(&word) {
                    CommandKind::SetVar => {
                        found.extend(
                            parse_setvar(file, rest, line_start + rest_at, span)
                                .map(RawCommand::SetVar),
                        );
                    }
                    CommandKind::Include => {
                        let argument = unquote_argument(&rest[..first_argument_len(rest)]);
                        found.push(RawCommand::Include { argument, span });
                    }
                    _ => {}
                }
                continue;
            }
            if is_go_line(line) {
                continue;
            }
        }
        state = advance_state(state, line.as_bytes());
    }
    found
}

/// Whether some line starts with `:` after blanks (a SQLCMD command, if outside
/// comments and strings).
fn has_command_line(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Each byte is looked at a bounded number of times: the search back for the line's
    // start stops at the previous `:` (which is not a blank either).
    let mut previous: Option<usize> = None;
    memchr::memchr_iter(b':', bytes).any(|at| {
        let from = previous.map_or(0, |p| p + 1);
        previous = Some(at);
        let line_start = match memchr::memrchr(b'\n', &bytes[from..at]) {
            Some(n) => from + n + 1,
            None if from > 0 => return false,
            None => 0,
        };
        bytes[line_start..at].iter().all(u8::is_ascii_whitespace)
    })
}

/// Variables an included file leaves defined, by the byte offset of the `:r` line that
/// includes it (see [`crate::include`]).
pub type Imports = std::collections::HashMap<usize, Vec<SetVar>>;

fn first_argument_len(rest: &str) -> usize {
    if let Some(stripped) = rest.strip_prefix('"') {
        return stripped.find('"').map(|i| i + 2).unwrap_or(rest.len());
    }
    rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len())
}

fn unquote_argument(arg: &str) -> String {
    arg.strip_prefix('"')
        .and_then(|a| a.strip_suffix('"'))
        .unwrap_or(arg)
        .to_string()
}

/// Run the SQLCMD pass over one file's text.
pub fn split<'t>(file: FileId, text: &'t str, external: &ExternalVars) -> Script<'t> {
    split_with(file, text, external, &Imports::new())
}

/// [`split`], with the variables that the files included by `:r` lines define
/// (sqlcmd keeps a `:setvar` of an included file for the rest of the session).
pub fn split_with<'t>(
    file: FileId,
    text: &'t str,
    external: &ExternalVars,
    imports: &Imports,
) -> Script<'t> {
    let splitter = |go_ends_literals| Splitter {
        file,
        text,
        external,
        imports,
        script: Script::default(),
        current: None,
        connect: None,
        go_ends_literals,
    };
    match splitter(false).run() {
        (script, false) => script,
        (_, true) => splitter(true).run().0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Script<'_> {
        split(FileId(0), text, &ExternalVars::default())
    }

    #[test]
    fn splits_on_go_lines_only() {
        let s = run("select 1\nGO\nselect 2\n  go 3  \nselect 'x\nGO\n'\n/* a\nGO\n*/\nselect 4\n");
        let texts: Vec<&str> = s.batches.iter().map(|b| &*b.text).collect();
        assert_eq!(
            texts,
            vec![
                "select 1\n",
                "select 2\n",
                "select 'x\nGO\n'\n/* a\nGO\n*/\nselect 4\n"
            ]
        );
    }

    #[test]
    fn go_prefix_words_are_not_separators() {
        let s = run("goto x\nGOx\nGO -- done\nselect 1");
        assert_eq!(s.batches.len(), 2);
        assert_eq!(s.batches[0].text, "goto x\nGOx\n");
    }

    #[test]
    fn setvar_is_case_insensitive_and_maps_back() {
        let text = ":setvar AgName \"AG_Sales\"\nCREATE AVAILABILITY GROUP [$(agname)]\n";
        let s = run(text);
        assert_eq!(s.setvars[0].value, "AG_Sales");
        let b = &s.batches[0];
        assert_eq!(b.text, "CREATE AVAILABILITY GROUP [AG_Sales]\n");
        let open = b.text.find('[').unwrap();
        let span = b.map.span(open + 1, open + 9);
        assert_eq!(&text[span.range()], "$(agname)");
        let close = b.text.find(']').unwrap();
        let after = b.map.span(close, close + 1);
        assert_eq!(&text[after.range()], "]");
        assert_eq!(s.var_uses[0].definition, Some(0));
        assert_eq!(&text[s.setvars[0].value_span.range()], "AG_Sales");
    }

    #[test]
    fn undefined_variable_is_recorded_and_kept() {
        let s = run("SELECT N'$(Nope)'\n");
        assert_eq!(s.batches[0].text, "SELECT N'$(Nope)'\n");
        assert_eq!(s.var_uses[0].definition, None);
    }

    #[test]
    fn connect_starts_a_batch_and_expands_variables() {
        let s = run(":setvar Srv \"SQL01\"\n:connect $(Srv)\nselect 1\n:r .\\x.sql\n");
        assert_eq!(s.commands[0].kind, CommandKind::Connect);
        assert_eq!(s.commands[0].argument, "SQL01");
        assert_eq!(s.batches[0].connect, Some(0));
        assert_eq!(s.commands[1].kind, CommandKind::Include);
        assert!(s.has_sqlcmd_commands);
    }

    #[test]
    fn crlf_lines() {
        let s = run("select 1\r\nGO\r\nselect 2\r\n");
        assert_eq!(s.batches.len(), 2);
        // Line breaks as written: the batch is borrowed from the file, not copied.
        assert_eq!(s.batches[1].text, "select 2\r\n");
        assert!(matches!(s.batches[1].text, Cow::Borrowed(_)));
        let span = s.batches[1].map.span(0, 8);
        assert_eq!(span.range(), 14..22);
    }

    #[test]
    fn comment_ranges_track_nesting() {
        let r = comment_ranges(LineState::Code, b"a /* b /* c */ d */ e -- f");
        assert_eq!(r, vec![(2, 19), (22, 26)]);
    }

    /// Texts made of the pieces that change the lexical state or make a line special,
    /// including across line breaks (`\r\n` too).
    fn tricky_text() -> impl proptest::strategy::Strategy<Value = String> {
        let pieces = proptest::sample::select(vec![
            "'",
            "''",
            "[",
            "]",
            "]]",
            "\"",
            "/*",
            "*/",
            "--",
            "-",
            "/",
            "*",
            "\n",
            "\r\n",
            "\r",
            " ",
            "\t",
            "x",
            "GO",
            "go 2",
            ":setvar A 1",
            ":r a.sql",
            "!!dir",
            "$(A)",
            "$",
            "é",
            "\u{a0}",
            "\u{3000}:on error exit",
        ]);
        proptest::collection::vec(pieces, 0..40).prop_map(|p| p.concat())
    }

    /// The lines of a text as the passes saw them before runs: content and terminator.
    fn lines(text: &str) -> Vec<(usize, &str)> {
        let mut offset = 0;
        text.split_inclusive('\n')
            .map(|raw| {
                let start = offset;
                offset += raw.len();
                let content = raw
                    .strip_suffix('\n')
                    .map(|c| c.strip_suffix('\r').unwrap_or(c))
                    .unwrap_or(raw);
                (start, content)
            })
            .collect()
    }

    use proptest::prelude::*;

    proptest! {
        #[test]
        fn state_over_a_run_is_the_state_line_by_line(text in tricky_text()) {
            let by_line = lines(&text)
                .into_iter()
                .fold(LineState::Code, |state, (_, line)| advance_state(state, line.as_bytes()));
            prop_assert_eq!(advance_state(LineState::Code, text.as_bytes()), by_line);
        }

        #[test]
        fn segments_cover_the_text_and_show_every_special_line(text in tricky_text()) {
            let mut rebuilt = String::new();
            let mut shown = Vec::new();
            for piece in segments(&text, SPLITTER_LOOKS_AT) {
                match piece {
                    LinePiece::Line(start, line, terminator) => {
                        prop_assert_eq!(start, rebuilt.len());
                        shown.push(start);
                        rebuilt.push_str(line);
                        rebuilt.push_str(terminator);
                    }
                    LinePiece::Run(run) => {
                        prop_assert!(!run.is_empty());
                        prop_assert_eq!(run.start, rebuilt.len());
                        rebuilt.push_str(&text[run]);
                    }
                }
            }
            prop_assert_eq!(&rebuilt, &text);
            for (start, line) in lines(&text) {
                let trimmed = line.trim_start();
                let special = trimmed.starts_with([':', '!', 'g', 'G']) || line.contains('$');
                prop_assert!(!special || shown.contains(&start), "line at {} not shown", start);
            }
        }
    }

    #[test]
    fn runs_split_like_lines() {
        let text =
            "select 'a\r\nGO\r\n' -- x\r\n/* :r no.sql\n*/\n  go\nselect [$(A)]\n\u{a0}GO\nend";
        let s = run(text);
        let texts: Vec<&str> = s.batches.iter().map(|b| &*b.text).collect();
        assert_eq!(
            texts,
            vec![
                "select 'a\r\nGO\r\n' -- x\r\n/* :r no.sql\n*/\n",
                "select [$(A)]\n",
                "end"
            ]
        );
    }
}
