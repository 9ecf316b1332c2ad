//! Extraction: recognizes the statements of a link set-up in each batch's tokens
//! and turns them into typed facts of the [`crate::model`]. Statements the tool
//! does not model are skipped; a link statement it cannot understand becomes a
//! [`ParseError`].
//!
//! Dynamic SQL is followed one step: string variables built with `DECLARE`/`SET`
//! from literals, other variables and `@@SERVERNAME` are evaluated, and the text
//! passed to `EXEC (…)` / `sp_executesql` is extracted like any batch, with every
//! span pointing at the EXEC argument.

mod availability_group;
mod dynamic;
mod endpoint;
pub mod parser;
mod statements;
pub mod url;

use crate::lex::{lex_batch, Comment, LexError, Token};
use crate::model::{Context, Spanned, Statement, StatementKind};
use crate::span::FileId;
use crate::sqlcmd::{Batch, Script};
use dynamic::DynamicVars;
pub use parser::ParseError;
use parser::{PResult, Parser};

/// Everything extracted from one file.
#[derive(Debug, Clone, Default)]
pub struct FileFacts {
    pub statements: Vec<Statement>,
    pub lex_errors: Vec<LexError>,
    pub parse_errors: Vec<ParseError>,
    pub comments: Vec<Comment>,
    /// String literals printed as messages (`PRINT`, `RAISERROR`): text for people, where
    /// a placeholder such as `<DAGName>` is harmless.
    pub messages: Vec<crate::span::Span>,
    /// Where statements begin and end, for statements the model does not hold too (what
    /// a suppression comment covers).
    pub bounds: StatementBounds,
}

/// Byte offsets in the file, in order of appearance.
#[derive(Debug, Clone, Default)]
pub struct StatementBounds {
    /// A statement keyword outside parentheses, and whether it is control of flow
    /// (`IF`, `ELSE`, `BEGIN`, `END`, `WHILE`), which only introduces the next statement.
    pub starts: Vec<(usize, bool)>,
    /// A `;` outside parentheses, or the end of a batch.
    pub ends: Vec<usize>,
}

/// Keywords that only introduce the statement after them.
const CONTROL_OF_FLOW: &[&str] = &["IF", "ELSE", "BEGIN", "END", "WHILE", "TRY", "CATCH"];

/// Statement keywords beyond those the extractor recognizes statements by.
const STATEMENT_KEYWORDS: &[&str] = &[
    "RAISERROR",
    "THROW",
    "INSERT",
    "UPDATE",
    "DELETE",
    "MERGE",
    "TRUNCATE",
    "RETURN",
    "COMMIT",
    "ROLLBACK",
    "DBCC",
    "REVOKE",
    "DENY",
    "CHECKPOINT",
    "BREAK",
    "CONTINUE",
];

/// How deep dynamic SQL inside dynamic SQL is followed.
const MAX_DYNAMIC_DEPTH: usize = 3;

struct Extractor<'s> {
    server_name: Option<&'s str>,
    file: FileId,
    script: &'s Script,
    facts: FileFacts,
    /// `USE` context, carried across batches of the same connection.
    database: Option<Spanned<String>>,
    connect: Option<usize>,
}

impl Extractor<'_> {
    fn context(&self) -> Context {
        Context {
            connect: self.connect.map(|i| {
                let c = &self.script.commands[i];
                Spanned {
                    value: c.argument.clone(),
                    span: c.argument_span,
                }
            }),
            database: self.database.clone(),
        }
    }

    /// A batch with nothing to extract: only its place is kept.
    fn skip(&mut self, batch: &Batch) {
        self.switch_connection(batch);
        self.facts.bounds.ends.push(batch.span.range().end);
    }

    fn switch_connection(&mut self, batch: &Batch) {
        if batch.connect != self.connect {
            self.connect = batch.connect;
            self.database = None;
        }
    }

    fn batch(&mut self, batch: &Batch) {
        self.switch_connection(batch);
        let lexed = lex_batch(batch);
        self.facts.comments.extend(lexed.comments);
        let truncated = lexed.error.is_some();
        if let Some(e) = lexed.error {
            self.facts.lex_errors.push(e);
        }
        self.bounds(&lexed.tokens, batch);
        let errors_before = self.facts.parse_errors.len();
        self.tokens(&lexed.tokens, batch, 0);
        // A statement cut off by the lexer error (ML001) is not malformed on top of it.
        if let Some(last) = lexed.tokens.last().filter(|_| truncated) {
            let cut = last.span.range().end;
            let mut index = 0;
            self.facts.parse_errors.retain(|e| {
                index += 1;
                index <= errors_before || e.span.range().end < cut
            });
        }
    }

    fn bounds(&mut self, tokens: &[Token], batch: &Batch) {
        let bounds = &mut self.facts.bounds;
        let mut depth = 0usize;
        for t in tokens.iter().filter(|t| t.span.file == self.file) {
            if t.is_punct("(") {
                depth += 1;
            } else if t.is_punct(")") {
                depth = depth.saturating_sub(1);
            } else if depth == 0 && t.is_punct(";") {
                bounds.ends.push(t.span.range().end);
            } else if depth == 0 && t.kind == crate::lex::TokenKind::Word {
                let is = |words: &[&str]| words.iter().any(|k| t.value.eq_ignore_ascii_case(k));
                let control = is(CONTROL_OF_FLOW);
                if control || is(STATEMENT_KEYWORDS) || statements::is_statement_start(t) {
                    bounds.starts.push((t.span.range().start, control));
                }
            }
        }
        bounds.ends.push(batch.span.range().end);
    }

    fn tokens(&mut self, tokens: &[Token], batch: &Batch, depth: usize) {
        let mut p = Parser::new(tokens, batch, depth > 0);
        let mut vars = DynamicVars::new(self.server_name);
        while !p.at_end() {
            let start = p.pos;
            let first = &tokens[start];
            if vars.track(&mut p) {
                continue;
            }
            if let Some(sql) = dynamic::exec_text(&mut p, &vars) {
                if depth < MAX_DYNAMIC_DEPTH {
                    let synthetic = Batch::synthetic(sql.text, sql.span, batch.index);
                    let lexed = lex_batch(&synthetic);
                    self.tokens(&lexed.tokens, &synthetic, depth + 1);
                }
                continue;
            }
            p.pos = start;
            if depth == 0 && (first.is_kw("PRINT") || first.is_kw("RAISERROR")) {
                self.facts
                    .messages
                    .extend(message_strings(&tokens[start + 1..]));
            }
            match recognize(&mut p) {
                Some(Ok(kind)) => {
                    if let crate::model::StatementKind::Use(db) = &kind {
                        self.database = Some(Spanned {
                            value: db.value.clone(),
                            span: db.span,
                        });
                    }
                    self.facts.statements.push(Statement {
                        kind,
                        span: first.span.to(p.prev_span()),
                        file: self.file,
                        batch: batch.index,
                        context: self.context(),
                        dynamic: depth > 0,
                    });
                }
                Some(Err(e)) => {
                    // Dynamic SQL we evaluated ourselves may be partial: stay quiet there.
                    if depth == 0 {
                        self.facts.parse_errors.push(e);
                    }
                    p.pos = start + 1;
                }
                None => p.pos = start + 1,
            }
            if p.pos <= start {
                p.pos = start + 1;
            }
        }
    }
}

/// The string literals of a PRINT / RAISERROR argument, up to the next statement.
fn message_strings(tokens: &[Token]) -> impl Iterator<Item = crate::span::Span> + '_ {
    tokens
        .iter()
        .take_while(|t| !t.is_punct(";") && !statements::is_statement_start(t))
        .filter(|t| t.is_string())
        .map(|t| t.span)
}

/// Try to recognize a modeled statement at the cursor. None: not one of ours.
fn recognize(p: &mut Parser) -> Option<PResult<StatementKind>> {
    if p.eat_kw("CREATE") {
        if p.eat_kws(&["MASTER", "KEY"]) {
            return Some(statements::master_key(p));
        }
        if p.eat_kw("CERTIFICATE") {
            return Some(statements::certificate(p));
        }
        if p.eat_kw("ENDPOINT") {
            return Some(endpoint::endpoint(p, false));
        }
        if p.eat_kws(&["AVAILABILITY", "GROUP"]) {
            return Some(availability_group::create(p));
        }
        return None;
    }
    if p.eat_kw("ALTER") {
        if p.eat_kw("ENDPOINT") {
            return Some(endpoint::endpoint(p, true));
        }
        if p.eat_kws(&["AVAILABILITY", "GROUP"]) {
            return Some(availability_group::alter(p));
        }
        if p.eat_kw("DATABASE") {
            // `ALTER DATABASE SCOPED CONFIGURATION` / `ALTER DATABASE CURRENT` are not ours.
            if p.peek_kw("SCOPED") {
                return None;
            }
            return Some(statements::alter_database(p));
        }
        return None;
    }
    if p.eat_kws(&["BACKUP", "DATABASE"]) {
        return Some(statements::backup_database(p));
    }
    if p.eat_kw("USE") {
        return Some(statements::use_database(p));
    }
    if p.eat_kw("EXEC") || p.eat_kw("EXECUTE") {
        return statements::exec(p).transpose();
    }
    None
}

/// Extract the facts of one file from its SQLCMD script.
///
/// `server_name` (the parameters' `sql_server.name`) is what `@@SERVERNAME` evaluates to
/// in dynamic SQL; without it the name stays symbolic.
/// Extract the statements of `script`. With `prefilter`, batches without a word of a link
/// statement are not tokenized (see [`crate::prefilter`]); the batch after one holding a
/// suppression comment always is, since the comment may speak of its first statement.
pub fn extract_file(
    file: FileId,
    script: &Script,
    server_name: Option<&str>,
    prefilter: bool,
) -> FileFacts {
    let mut extractor = Extractor {
        file,
        script,
        facts: FileFacts::default(),
        database: None,
        connect: None,
        server_name,
    };
    let mut after_suppression = false;
    // Which batches hold link words: a pure test of each text, done in parallel.
    let relevant: Vec<bool> = if prefilter {
        use rayon::prelude::*;
        script
            .batches
            .par_iter()
            .map(|b| crate::prefilter::batch_is_relevant(&b.text))
            .collect()
    } else {
        vec![true; script.batches.len()]
    };
    for (batch, relevant) in script.batches.iter().zip(relevant) {
        if !after_suppression && !relevant {
            extractor.skip(batch);
            continue;
        }
        after_suppression = batch.text.to_ascii_lowercase().contains("milink-lint:");
        extractor.batch(batch);
    }
    extractor.facts
}
