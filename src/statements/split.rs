//! The splitter: one batch's tokens → a tree of statements and control of flow.
//!
//! A statement ends at `;`, or where the next head begins at nesting depth 0 (outside
//! parentheses and `CASE … END`). Some statements contain head words legally; each
//! kind says which ([`Extent::absorbs`]): a GRANT its permission list up to `TO`, an
//! INSERT its `SELECT` or `EXEC`, an UPDATE its `SET`, an ALTER its action (`ALTER
//! AVAILABILITY GROUP ag GRANT CREATE ANY DATABASE`, `ALTER DATABASE d SET …`), a query
//! the `SELECT` after `UNION`. The body of CREATE PROCEDURE / FUNCTION / TRIGGER / VIEW
//! runs to the end of the batch and is split like any other statements.

use super::heads::{after_group, classify, Head, HeadMatch, Object};
use super::{guard, Block, Else, If, Node, Routine, Statement, Try, While};
use crate::lex::{Token, TokenKind};

/// Deeper nesting than this is read flat (no tree, no recursion): hostile input with
/// 100,000 nested BEGINs must not overflow the stack.
const MAX_NESTING: usize = 128;

/// Split one batch. `next_id` numbers the IF / WHILE / TRY / routine nodes (unique in a
/// file when the caller keeps it across batches).
pub fn split(tokens: &[Token], next_id: &mut u32) -> Vec<Node> {
    split_checked(tokens, next_id).0
}

/// [`split`], and the `(` that are never closed before a link statement (token
/// indices): SQL Server rejects such a batch, link statements and all.
pub fn split_checked(tokens: &[Token], next_id: &mut u32) -> (Vec<Node>, Vec<usize>) {
    let mut splitter = Splitter {
        tokens,
        pos: 0,
        nesting: 0,
        next_id,
        unclosed: Vec::new(),
    };
    let nodes = splitter.sequence(Stop::Input, true);
    (nodes, splitter.unclosed)
}

/// What ends a sequence of statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// The end of the tokens.
    Input,
    /// An `END` (of a `BEGIN` block, or `END TRY` / `END CATCH`), but not `END
    /// CONVERSATION`, which is a statement.
    End,
}

struct Splitter<'t, 'n> {
    tokens: &'t [Token],
    pos: usize,
    nesting: usize,
    next_id: &'n mut u32,
    /// `(` never closed before a link statement.
    unclosed: Vec<usize>,
}

impl Splitter<'_, '_> {
    fn at_end(&self) -> bool {
        self.pos >= self.tokens.len()
    }

    fn kw(&self, at: usize, keyword: &str) -> bool {
        self.tokens.get(at).is_some_and(|t| t.is_kw(keyword))
    }

    fn punct(&self, at: usize, symbol: &str) -> bool {
        self.tokens.get(at).is_some_and(|t| t.is_punct(symbol))
    }

    fn id(&mut self) -> u32 {
        let id = *self.next_id;
        *self.next_id += 1;
        id
    }

    /// `name:` — a GOTO label.
    fn is_label(&self, at: usize) -> bool {
        self.tokens.get(at).is_some_and(|t| {
            t.kind == TokenKind::Word
                && !t.value.starts_with('@')
                && classify_start(self.tokens, at).is_none()
        }) && self.punct(at + 1, ":")
    }

    /// Whether the token at the cursor ends the sequence being read.
    fn at_stop(&self, stop: Stop) -> bool {
        stop == Stop::End && self.kw(self.pos, "END") && !self.kw(self.pos + 1, "CONVERSATION")
    }

    fn skip_semicolons(&mut self) {
        while self.punct(self.pos, ";") {
            self.pos += 1;
        }
    }

    fn sequence(&mut self, stop: Stop, batch_start: bool) -> Vec<Node> {
        let mut nodes = Vec::new();
        let mut first = batch_start;
        loop {
            self.skip_semicolons();
            if self.at_end() || self.at_stop(stop) {
                return nodes;
            }
            let before = self.pos;
            nodes.push(self.node(stop, first));
            first = false;
            if self.pos == before {
                // Never expected; a node always takes a token. Do not loop forever.
                self.pos += 1;
            }
        }
    }

    fn node(&mut self, stop: Stop, first: bool) -> Node {
        if self.is_label(self.pos) {
            let start = self.pos;
            self.pos += 2;
            return Node::Statement(Statement {
                head: Head::Label,
                tokens: start..self.pos,
            });
        }
        let found = classify_start(self.tokens, self.pos);
        let flat = self.nesting >= MAX_NESTING;
        match found {
            Some(HeadMatch { head: Head::If, .. }) if !flat => self.if_node(stop),
            Some(HeadMatch {
                head: Head::While, ..
            }) if !flat => self.while_node(stop),
            Some(HeadMatch {
                head: Head::BeginTry,
                ..
            }) if !flat => self.try_node(),
            Some(HeadMatch {
                head: Head::Begin, ..
            }) if !flat => self.block(),
            Some(HeadMatch {
                head: Head::Create(o) | Head::Alter(o),
                len,
            }) if o.is_routine() && !flat => {
                self.routine(found.map(|m| m.head).unwrap_or(Head::Unknown), len, stop)
            }
            // A keyword of a construct out of place (`ELSE` without IF, a second `END`):
            // a statement of its own, so the rest is read normally.
            Some(HeadMatch {
                head:
                    head @ (Head::Else
                    | Head::End
                    | Head::EndTry
                    | Head::EndCatch
                    | Head::BeginCatch
                    | Head::Begin
                    | Head::BeginTry),
                len,
            }) => {
                let start = self.pos;
                self.pos += len;
                Node::Statement(Statement {
                    head,
                    tokens: start..self.pos,
                })
            }
            Some(m) => Node::Statement(self.simple(m)),
            None => {
                let t = &self.tokens[self.pos];
                let call = first && matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdent);
                let head = if call {
                    Head::ImplicitExec
                } else {
                    Head::Unknown
                };
                Node::Statement(self.simple(HeadMatch { head, len: 1 }))
            }
        }
    }

    /// The condition of IF / WHILE: up to the first head (or `BEGIN`) at depth 0.
    fn condition(&mut self) -> std::ops::Range<usize> {
        let start = self.pos;
        let mut nesting = Nesting::default();
        while let Some(t) = self.tokens.get(self.pos) {
            match self.at_top(&mut nesting) {
                None => break,
                Some(true)
                    if t.is_punct(";")
                        || t.is_kw("ELSE")
                        || classify(self.tokens, self.pos).is_some() =>
                {
                    break
                }
                _ => {}
            }
            self.pos += 1;
        }
        start..self.pos
    }

    /// Where the token at the cursor stands: at the top of the statement (true), nested
    /// (false), or where the statement must end (None: the END of the enclosing block,
    /// or a link statement inside a parenthesis never closed, which is recorded).
    fn at_top(&mut self, nesting: &mut Nesting) -> Option<bool> {
        match nesting.step(self.tokens, self.pos) {
            Step::Top => Some(true),
            Step::Nested => Some(false),
            Step::BlockEnd => None,
            Step::Unclosed(at) => {
                self.unclosed.push(at);
                None
            }
        }
    }

    /// The statement an IF / WHILE / ELSE controls, if there is one before the stop.
    fn controlled(&mut self, stop: Stop) -> Option<Box<Node>> {
        self.skip_semicolons();
        if self.at_end() || self.at_stop(stop) || self.kw(self.pos, "ELSE") {
            return None;
        }
        Some(Box::new(self.node(stop, false)))
    }

    fn if_node(&mut self, stop: Stop) -> Node {
        let keyword = self.pos;
        let id = self.id();
        self.pos += 1;
        let condition = self.condition();
        let guard = guard::recognize(&self.tokens[condition.clone()]);
        self.nesting += 1;
        let then = self.controlled(stop);
        let mut look = self.pos;
        while self.punct(look, ";") {
            look += 1;
        }
        let otherwise = if self.kw(look, "ELSE") {
            self.pos = look + 1;
            Some(Else {
                keyword: look,
                node: self.controlled(stop),
            })
        } else {
            None
        };
        self.nesting -= 1;
        Node::If(If {
            id,
            keyword,
            condition,
            guard,
            then,
            otherwise,
        })
    }

    fn while_node(&mut self, stop: Stop) -> Node {
        let keyword = self.pos;
        let id = self.id();
        self.pos += 1;
        let condition = self.condition();
        self.nesting += 1;
        let body = self.controlled(stop);
        self.nesting -= 1;
        Node::While(While {
            id,
            keyword,
            condition,
            body,
        })
    }

    fn block(&mut self) -> Node {
        let begin = self.pos;
        self.pos += 1;
        // `BEGIN ATOMIC WITH (…)` of a natively compiled procedure.
        if self.kw(self.pos, "ATOMIC") {
            self.pos += 1;
            if self.kw(self.pos, "WITH") && self.punct(self.pos + 1, "(") {
                self.pos = after_group(self.tokens, self.pos + 1).unwrap_or(self.tokens.len());
            }
        }
        self.nesting += 1;
        let body = self.sequence(Stop::End, false);
        self.nesting -= 1;
        let end = self.kw(self.pos, "END").then(|| {
            self.pos += 1;
            self.pos - 1
        });
        Node::Block(Block { begin, body, end })
    }

    /// `END TRY` / `END CATCH` (or a lone `END` where one was expected): its tokens.
    fn close(&mut self, word: &str) -> Option<std::ops::Range<usize>> {
        if !self.kw(self.pos, "END") {
            return None;
        }
        let at = self.pos;
        self.pos += if self.kw(self.pos + 1, word) { 2 } else { 1 };
        Some(at..self.pos)
    }

    fn try_node(&mut self) -> Node {
        let begin = self.pos;
        let id = self.id();
        self.pos += 2;
        self.nesting += 1;
        let body = self.sequence(Stop::End, false);
        let end_try = self.close("TRY");
        let mut look = self.pos;
        while self.punct(look, ";") {
            look += 1;
        }
        let mut begin_catch = None;
        let mut end_catch = None;
        let catch = if self.kw(look, "BEGIN") && self.kw(look + 1, "CATCH") {
            self.pos = look + 2;
            begin_catch = Some(look..look + 2);
            let catch = self.sequence(Stop::End, false);
            end_catch = self.close("CATCH");
            catch
        } else {
            Vec::new()
        };
        self.nesting -= 1;
        Node::Try(Try {
            id,
            begin,
            body,
            end_try,
            begin_catch,
            catch,
            end_catch,
        })
    }

    /// CREATE / ALTER PROCEDURE, FUNCTION, TRIGGER, VIEW: the header up to `AS`, then
    /// the body to the end of the batch.
    fn routine(&mut self, head: Head, len: usize, stop: Stop) -> Node {
        let start = self.pos;
        let id = self.id();
        self.pos += len;
        let mut nesting = Nesting::default();
        while let Some(t) = self.tokens.get(self.pos) {
            let top = matches!(nesting.step(self.tokens, self.pos), Step::Top);
            if top && t.is_kw("AS") {
                let prev = &self.tokens[self.pos - 1];
                // `WITH EXECUTE AS OWNER`, a parameter `@p AS int`.
                let clause =
                    prev.is_kw("EXECUTE") || prev.is_kw("EXEC") || prev.value.starts_with('@');
                if !clause {
                    self.pos += 1;
                    break;
                }
            }
            self.pos += 1;
        }
        let header = Statement {
            head,
            tokens: start..self.pos,
        };
        self.nesting += 1;
        // The body is everything up to the end of the batch (or of the block a misplaced
        // CREATE PROCEDURE sits in).
        let body = self.sequence(stop, false);
        self.nesting -= 1;
        Node::Routine(Routine { id, header, body })
    }

    /// A statement that is not control of flow: from its head to its end.
    fn simple(&mut self, found: HeadMatch) -> Statement {
        let start = self.pos;
        self.pos += found.len;
        let mut extent = Extent::new(found.head, self.tokens, start, found.len);
        let mut nesting = Nesting::default();
        while let Some(t) = self.tokens.get(self.pos) {
            match self.at_top(&mut nesting) {
                None => break,
                Some(false) => {}
                Some(true) => {
                    if t.is_punct(";") {
                        self.pos += 1;
                        break;
                    }
                    if t.is_kw("ELSE") || self.is_label(self.pos) {
                        break;
                    }
                    if let Some(m) = classify(self.tokens, self.pos) {
                        if !extent.absorbs(self.tokens, self.pos, m) {
                            break;
                        }
                        self.pos += m.len;
                        continue;
                    }
                    extent.observe(self.tokens, self.pos);
                }
            }
            self.pos += 1;
        }
        Statement {
            head: found.head,
            tokens: start..self.pos,
        }
    }
}

/// Where a token of a statement or condition stands.
enum Step {
    /// Inside parentheses or `CASE … END` (or one of those delimiters itself).
    Nested,
    /// At the top of the statement: where it can end or absorb a head.
    Top,
    /// An `END` that closes no CASE: the end of the enclosing block.
    BlockEnd,
    /// A link statement inside parentheses: the `(` at this index is never closed.
    /// Better to read on from the link statement than to lose the rest of the batch.
    Unclosed(usize),
}

/// The parentheses and `CASE … END` open at a point of a statement.
#[derive(Default)]
struct Nesting {
    /// Token indices of the open `(`, outermost first.
    open: Vec<usize>,
    /// `CASE` open outside parentheses.
    case: usize,
}

impl Nesting {
    fn step(&mut self, tokens: &[Token], at: usize) -> Step {
        let t = &tokens[at];
        if t.is_punct("(") {
            self.open.push(at);
            return Step::Nested;
        }
        if t.is_punct(")") {
            // A stray `)` is ignored.
            self.open.pop();
            return Step::Nested;
        }
        if let Some(&outermost) = self.open.first() {
            return if is_link_head(tokens, at) {
                Step::Unclosed(outermost)
            } else {
                Step::Nested
            };
        }
        if t.is_kw("CASE") {
            self.case += 1;
            return Step::Nested;
        }
        if t.is_kw("END") {
            if self.case == 0 {
                return Step::BlockEnd;
            }
            self.case -= 1;
            return Step::Nested;
        }
        if self.case > 0 {
            Step::Nested
        } else {
            Step::Top
        }
    }
}

/// What may begin a statement: a head, or CREATE of a kind this table does not know.
fn classify_start(tokens: &[Token], at: usize) -> Option<HeadMatch> {
    classify(tokens, at).or_else(|| {
        tokens
            .get(at)
            .filter(|t| t.is_kw("CREATE"))
            .map(|_| HeadMatch {
                head: Head::Create(Object::Other(&[])),
                len: 1,
            })
    })
}

/// CREATE / ALTER of the link objects, which never stand inside parentheses.
fn is_link_head(tokens: &[Token], at: usize) -> bool {
    matches!(
        classify(tokens, at).map(|m| m.head),
        Some(
            Head::Create(
                Object::AvailabilityGroup
                    | Object::Endpoint
                    | Object::Certificate
                    | Object::MasterKey
            ) | Head::Alter(Object::AvailabilityGroup | Object::Endpoint)
        )
    )
}

/// Which head words a statement of one kind contains (see the module docs).
struct Extent {
    head: Head,
    /// INSERT: its rows (VALUES, SELECT, EXEC) were seen. WITH: its query was seen.
    body: bool,
    /// UPDATE: its SET was seen.
    set: bool,
    /// GRANT / DENY / REVOKE: `TO` (or REVOKE's `FROM`) was seen.
    grantee: bool,
    /// ALTER: the token index of the action after the object's name.
    action: Option<usize>,
}

impl Extent {
    fn new(head: Head, tokens: &[Token], start: usize, len: usize) -> Extent {
        let action = match head {
            Head::Alter(object) => Some(action_slot(tokens, start + len, object)),
            _ => None,
        };
        Extent {
            head,
            body: false,
            set: false,
            grantee: false,
            action,
        }
    }

    fn absorbs(&mut self, tokens: &[Token], at: usize, found: HeadMatch) -> bool {
        let prev_is = |words: &[&str]| {
            at.checked_sub(1)
                .and_then(|p| tokens.get(p))
                .is_some_and(|p| words.iter().any(|w| p.is_kw(w)))
        };
        let query = matches!(
            found.head,
            Head::Select | Head::Insert | Head::Update | Head::Delete | Head::Merge
        );
        match self.head {
            Head::Select => {
                found.head == Head::Select && prev_is(&["UNION", "ALL", "EXCEPT", "INTERSECT"])
            }
            Head::With if !self.body && query => {
                self.body = true;
                self.head = found.head;
                true
            }
            Head::Insert
                if !self.body && matches!(found.head, Head::Select | Head::With | Head::Exec) =>
            {
                self.body = true;
                self.head = found.head;
                true
            }
            Head::Update if !self.set && found.head == Head::Set => {
                self.set = true;
                true
            }
            // A cursor over a CTE: `DECLARE c CURSOR FOR WITH …` (SELECT after FOR is no head).
            Head::Declare | Head::Set if found.head == Head::With && prev_is(&["FOR"]) => {
                self.head = Head::With;
                true
            }
            // A permission list ends at TO; a link statement there (`CREATE ENDPOINT
            // [e] …` after a GRANT whose TO was commented out) is one of its own: in a
            // permission, `CREATE ENDPOINT` is followed by TO, ON or a comma.
            Head::Grant | Head::Deny | Head::Revoke => {
                let statement = is_link_head(tokens, at)
                    && tokens.get(at + found.len).is_some_and(|t| {
                        t.is_name() && !["TO", "ON", "FROM"].iter().any(|k| t.is_kw(k))
                    });
                !self.grantee && !statement
            }
            // `CREATE TABLE … AS SELECT` (Synapse), `CREATE EXTERNAL TABLE … AS SELECT`.
            Head::Create(_)
                if matches!(found.head, Head::Select | Head::With) && prev_is(&["AS"]) =>
            {
                self.head = found.head;
                true
            }
            Head::Alter(_) => self.action == Some(at),
            _ => false,
        }
    }

    /// A token at depth 0 that is not a head.
    fn observe(&mut self, tokens: &[Token], at: usize) {
        let t = &tokens[at];
        // The query of a cursor: `DECLARE c CURSOR FOR SELECT … UNION SELECT …`.
        let cursor_query =
            t.is_kw("SELECT") && at.checked_sub(1).is_some_and(|p| tokens[p].is_kw("FOR"));
        if cursor_query && matches!(self.head, Head::Declare | Head::Set) {
            self.head = Head::Select;
        }
        match self.head {
            Head::Grant | Head::Deny => self.grantee |= t.is_kw("TO"),
            Head::Revoke => self.grantee |= t.is_kw("TO") || t.is_kw("FROM"),
            Head::Insert => self.body |= t.is_kw("VALUES") || t.is_kw("DEFAULT"),
            _ => {}
        }
    }
}

/// Where the action of `ALTER <object>` is: after the name (`[db]`, `dbo.t`, `CURRENT`),
/// an `ON target` (`ALTER INDEX ix ON t`, `ALTER EVENT SESSION s ON SERVER`) and a
/// parameter group (`ALTER PARTITION FUNCTION pf()`).
fn action_slot(tokens: &[Token], mut at: usize, object: Object) -> usize {
    let is_name = |t: &Token| t.is_name() || t.kind == TokenKind::Placeholder;
    let name = |at: &mut usize| {
        if tokens.get(*at).is_some_and(is_name) {
            *at += 1;
            while tokens.get(*at).is_some_and(|t| t.is_punct("."))
                && tokens.get(*at + 1).is_some_and(is_name)
            {
                *at += 2;
            }
        }
    };
    if object.is_named() {
        name(&mut at);
    } else if tokens.get(at).is_some_and(|t| t.is_kw("FOR"))
        && tokens.get(at + 1).is_some_and(|t| t.is_kw("SECONDARY"))
    {
        // `ALTER DATABASE SCOPED CONFIGURATION FOR SECONDARY SET …`
        at += 2;
    }
    if tokens.get(at).is_some_and(|t| t.is_kw("ON")) {
        at += 1;
        name(&mut at);
    }
    if tokens.get(at).is_some_and(|t| t.is_punct("(")) {
        at = after_group(tokens, at).unwrap_or(at);
    }
    at
}
