//! Extraction: each batch is split into statements ([`crate::statements`]); the link
//! parsers run on the statements whose head is a link head (CREATE / ALTER ENDPOINT and
//! AVAILABILITY GROUP, CREATE CERTIFICATE and MASTER KEY, ALTER DATABASE … SET RECOVERY
//! / HADR, BACKUP DATABASE, USE, EXEC of the link procedures) and turn them into typed
//! facts of the [`crate::model`], each with the flow it runs in (which arm of which IF).
//! Every other statement is skipped; a link statement the parser cannot read becomes a
//! [`ParseError`] (ML002), and a parser never reads past its statement's end.
//!
//! Dynamic SQL is followed: string variables built with `DECLARE`/`SET` from literals,
//! other variables and `@@SERVERNAME` are evaluated, and the text passed to `EXEC (…)` /
//! `sp_executesql` is split and extracted like a batch (in the EXEC's flow), with every
//! span pointing at the EXEC argument.

mod availability_group;
mod dynamic;
mod endpoint;
pub mod parser;
pub mod run;
mod shell_query;
mod statements;
pub mod url;

use crate::lex::{lex_batch, Comment, LexError, Token};
use crate::model::{Context, Spanned, Statement, StatementKind};
use crate::span::FileId;
use crate::sqlcmd::{Batch, Script};
use crate::statements::{Flow, Head, Object};
use dynamic::DynamicVars;
pub use parser::ParseError;
use parser::{PResult, Parser};

/// Everything extracted from one file.
#[derive(Debug, Clone, Default)]
pub struct FileFacts {
    pub statements: Vec<Statement>,
    /// DROP of the link's objects (a drop-and-create in a guarded arm is no inverted
    /// guard: ML410).
    pub drops: Vec<Drop>,
    pub lex_errors: Vec<LexError>,
    /// A `(` never closed before a link statement (the splitter read on after it).
    pub unclosed: Vec<crate::span::Span>,
    pub parse_errors: Vec<ParseError>,
    pub comments: Vec<Comment>,
    /// String literals printed as messages (`PRINT`, `RAISERROR`): text for people, where
    /// a placeholder such as `<DAGName>` is harmless.
    pub messages: Vec<crate::span::Span>,
    /// Where statements begin and end, for statements the model does not hold too (what
    /// a suppression comment covers).
    pub bounds: StatementBounds,
}

/// `DROP ENDPOINT / AVAILABILITY GROUP / CERTIFICATE / MASTER KEY`.
#[derive(Debug, Clone)]
pub struct Drop {
    pub object: Object,
    /// None for the master key.
    pub name: Option<String>,
    pub span: crate::span::Span,
    pub flow: Flow,
}

/// Byte offsets in the file, in order of appearance, from the statement splitter.
#[derive(Debug, Clone, Default)]
pub struct StatementBounds {
    /// Where each statement begins, and whether it is control of flow (`IF …`, `ELSE`,
    /// `BEGIN`, `END`, `WHILE …`), which only introduces the next statement.
    pub starts: Vec<(usize, bool)>,
    /// Where each statement ends, and where each batch ends.
    pub ends: Vec<usize>,
}

/// How deep dynamic SQL inside dynamic SQL is followed.
const MAX_DYNAMIC_DEPTH: usize = 3;

struct Extractor<'s> {
    server_name: Option<&'s str>,
    file: FileId,
    script: &'s Script<'s>,
    facts: FileFacts,
    /// `USE` context, carried across batches of the same connection.
    database: Option<Spanned<String>>,
    connect: Option<usize>,
    /// Numbers the IF / WHILE / TRY / routine nodes of the file (see [`Flow`]).
    next_id: u32,
}

/// A statement of the tree with its flow, taken out of the walk so the extractor can
/// work on it.
struct Visited {
    head: Head,
    tokens: std::ops::Range<usize>,
    flow: Flow,
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

    /// Extract one batch. `links` says whether its text holds a word of a link statement
    /// (the prefilter's test): a batch without one can have no link statement, so its
    /// syntax errors (ML001) are not the link's, and its dynamic SQL is not followed.
    /// Both hold with and without the prefilter, so the results are the same.
    fn batch(&mut self, batch: &Batch, links: bool) {
        self.switch_connection(batch);
        let lexed = lex_batch(batch);
        self.facts.comments.extend(lexed.comments);
        let truncated = lexed.error.is_some();
        if let Some(e) = lexed.error.filter(|_| links) {
            self.facts.lex_errors.push(e);
        }
        let (tree, unclosed) = crate::statements::split_checked(&lexed.tokens, &mut self.next_id);
        self.facts
            .unclosed
            .extend(unclosed.into_iter().map(|at| lexed.tokens[at].span));
        self.bounds(&lexed.tokens, &tree, batch);
        let errors_before = self.facts.parse_errors.len();
        self.statements(&lexed.tokens, &tree, batch, &Flow::default(), 0, links);
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

    /// Where every statement of the batch begins and ends, for suppressions.
    fn bounds(&mut self, tokens: &[Token], tree: &[crate::statements::Node], batch: &Batch) {
        let bounds = &mut self.facts.bounds;
        for (range, control) in crate::statements::extents(tree) {
            let (Some(first), Some(last)) = (
                tokens.get(range.start),
                range.end.checked_sub(1).and_then(|i| tokens.get(i)),
            ) else {
                continue;
            };
            if first.span.file != self.file {
                continue;
            }
            bounds.starts.push((first.span.range().start, control));
            if !control {
                bounds.ends.push(last.span.range().end);
            }
        }
        bounds.ends.push(batch.span.range().end);
    }

    /// Extract the statements of a tree, in order. `base` is the flow of the EXEC whose
    /// dynamic SQL this is (empty for a batch of the file).
    fn statements(
        &mut self,
        tokens: &[Token],
        tree: &[crate::statements::Node],
        batch: &Batch,
        base: &Flow,
        depth: usize,
        follow_dynamic: bool,
    ) {
        let mut visited = Vec::new();
        crate::statements::walk(tree, base, &mut |s, flow| {
            visited.push(Visited {
                head: s.head,
                tokens: s.tokens.clone(),
                flow: flow.clone(),
            })
        });
        // String variables are batch-scoped in T-SQL; dynamic SQL has its own.
        let mut vars = DynamicVars::new(self.server_name);
        for s in visited {
            self.statement(tokens, &s, batch, &mut vars, depth, follow_dynamic);
        }
    }

    fn statement(
        &mut self,
        tokens: &[Token],
        s: &Visited,
        batch: &Batch,
        vars: &mut DynamicVars,
        depth: usize,
        follow_dynamic: bool,
    ) {
        let mut head = s.head;
        let mut slice = &tokens[s.tokens.clone()];
        // `INSERT … EXEC proc` runs the procedure: read the EXEC.
        if head == Head::Insert {
            match insert_exec(slice) {
                Some(at) => {
                    head = Head::Exec;
                    slice = &slice[at..];
                }
                None => return,
            }
        }
        let Some(first) = slice.first() else { return };
        let mut p = Parser::new(slice, batch, depth > 0);
        match head {
            Head::Declare | Head::Set => {
                vars.track(&mut p);
                vars.note_literals(slice);
                return;
            }
            Head::Exec => {
                if let Some(sql) = dynamic::exec_text(&mut p, vars) {
                    // Dynamic SQL is followed where its batch names a link object in its
                    // text (the prefilter's words): SQL assembled from fragments of
                    // keywords is not read, with or without the prefilter.
                    if follow_dynamic && depth < MAX_DYNAMIC_DEPTH && !sql.text.is_empty() {
                        let synthetic = Batch::synthetic(sql.text, sql.span, batch.index);
                        let lexed = lex_batch(&synthetic);
                        let tree = crate::statements::split(&lexed.tokens, &mut self.next_id);
                        // A `USE` inside EXEC lasts until the end of the EXEC.
                        let database = self.database.clone();
                        self.statements(
                            &lexed.tokens,
                            &tree,
                            &synthetic,
                            &s.flow,
                            depth + 1,
                            follow_dynamic,
                        );
                        self.database = database;
                    }
                    return;
                }
                p.pos = 0;
            }
            // Text for people: the literals of the message, also those assigned to a
            // variable the message is (`SET @msg = N'…'; RAISERROR(@msg, 16, 1)`).
            Head::Print | Head::Raiserror | Head::Throw if depth == 0 => {
                self.facts
                    .messages
                    .extend(slice.iter().filter(|t| t.is_string()).map(|t| t.span));
                for t in slice.iter().filter(|t| t.value.starts_with('@')) {
                    self.facts.messages.extend(vars.literals_of(&t.value));
                }
                return;
            }
            _ => {}
        }
        if let Head::Drop(
            object @ (Object::Endpoint
            | Object::AvailabilityGroup
            | Object::Certificate
            | Object::MasterKey),
        ) = head
        {
            p.pos = 1 + object.words().len();
            p.eat_kws(&["IF", "EXISTS"]);
            let name = (object != Object::MasterKey)
                .then(|| p.name("a name").ok().map(|n| n.value))
                .flatten();
            self.facts.drops.push(Drop {
                object,
                name,
                span: first.span.to(p.prev_span()),
                flow: s.flow.clone(),
            });
            return;
        }
        match recognize(&mut p, head) {
            Some(Ok(mut kind)) => {
                // `ALTER DATABASE CURRENT`: the database of the last USE, when known.
                if let StatementKind::AlterDatabase(d) = &mut kind {
                    if d.name.value.eq_ignore_ascii_case("CURRENT") {
                        d.name.value = match &self.database {
                            Some(db) => db.value.clone(),
                            None => crate::placeholder::UNKNOWN.to_string(),
                        };
                    }
                }
                if let StatementKind::Use(db) = &kind {
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
                    flow: s.flow.clone(),
                });
            }
            // Dynamic SQL we evaluated ourselves may be partial: stay quiet there.
            Some(Err(e)) if depth == 0 => self.facts.parse_errors.push(e),
            // `USE <source database>`: the database later statements run in is not known.
            None if head == Head::Use => self.database = None,
            _ => {}
        }
    }
}

/// Where the EXEC of `INSERT … EXEC proc` is (outside parentheses).
fn insert_exec(statement: &[Token]) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in statement.iter().enumerate() {
        if t.is_punct("(") {
            depth += 1;
        } else if t.is_punct(")") {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && (t.is_kw("EXEC") || t.is_kw("EXECUTE")) {
            return Some(i);
        }
    }
    None
}

/// Read a link statement by its head (the parser is at its first token). None: not a
/// statement the model holds (`ALTER DATABASE … SET COMPATIBILITY_LEVEL`, a call of a
/// procedure that is not one of the link's).
fn recognize(p: &mut Parser, head: Head) -> Option<PResult<StatementKind>> {
    match head {
        Head::Create(Object::MasterKey) => {
            p.eat_kws(&["CREATE", "MASTER", "KEY"]);
            Some(statements::master_key(p))
        }
        Head::Create(Object::Certificate) => {
            p.eat_kws(&["CREATE", "CERTIFICATE"]);
            Some(statements::certificate(p))
        }
        Head::Create(Object::Endpoint) | Head::Alter(Object::Endpoint) => {
            let is_alter = p.eat_kw("ALTER");
            p.eat_kw("CREATE");
            p.eat_kw("ENDPOINT");
            Some(endpoint::endpoint(p, is_alter))
        }
        Head::Create(Object::AvailabilityGroup) => {
            p.eat_kws(&["CREATE", "AVAILABILITY", "GROUP"]);
            Some(availability_group::create(p))
        }
        Head::Alter(Object::AvailabilityGroup) => {
            p.eat_kws(&["ALTER", "AVAILABILITY", "GROUP"]);
            Some(availability_group::alter(p))
        }
        Head::Alter(Object::Database) => {
            p.eat_kws(&["ALTER", "DATABASE"]);
            statements::alter_database(p)
        }
        Head::Backup { database: true } => {
            p.eat_kws(&["BACKUP", "DATABASE"]);
            Some(statements::backup_database(p))
        }
        Head::Use => {
            p.eat_kw("USE");
            statements::use_database(p).map(Ok)
        }
        Head::Exec | Head::ImplicitExec => {
            if !p.eat_kw("EXEC") {
                p.eat_kw("EXECUTE");
            }
            statements::exec(p).transpose()
        }
        _ => None,
    }
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
        next_id: 0,
    };
    let mut after_suppression = false;
    // Which batches hold link words: a pure test of each text, done in parallel.
    let relevant: Vec<bool> = {
        use rayon::prelude::*;
        script
            .batches
            .par_iter()
            .map(|b| crate::prefilter::batch_is_relevant(&b.text))
            .collect()
    };
    for (batch, relevant) in script.batches.iter().zip(relevant) {
        if prefilter && !after_suppression && !relevant {
            extractor.skip(batch);
            continue;
        }
        after_suppression = batch.text.to_ascii_lowercase().contains("milink-lint:");
        extractor.batch(batch, relevant);
    }
    extractor.facts
}

#[cfg(test)]
mod line_break_tests {
    use super::*;
    use crate::sqlcmd::{split, ExternalVars};

    /// The facts of a script, without where they are (offsets differ by the `\r`s).
    fn facts(text: &str) -> (Vec<String>, Vec<String>) {
        let without_offsets = |debug: String| debug.replace(|c: char| c.is_ascii_digit(), "");
        let script = split(FileId(0), text, &ExternalVars::default());
        let facts = extract_file(FileId(0), &script, None, true);
        let comments = facts.comments.iter().map(|c| c.text.clone()).collect();
        let kinds = facts
            .statements
            .iter()
            .map(|s| without_offsets(format!("{:?}", s.kind)))
            .collect();
        (comments, kinds)
    }

    #[test]
    fn windows_line_breaks_give_the_same_values() {
        let lf = "/* the certificate\n   of the link */\nUSE master;\nGO\nCREATE CERTIFICATE [Cert_X]\n  WITH SUBJECT = N'two\nlines';\nGO\n";
        let crlf = lf.replace('\n', "\r\n");
        let (comments, kinds) = facts(lf);
        assert_eq!(facts(&crlf), (comments.clone(), kinds.clone()));
        assert!(comments[0].contains("certificate\n"));
        assert!(kinds.iter().any(|k| k.contains("two\\nlines")));
    }
}
