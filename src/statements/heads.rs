//! The statement heads of T-SQL, in one table: the keywords that begin a statement.
//!
//! A head is recognized by its words and, for the words that also occur inside other
//! statements, by its neighbours: `UPDATE(col)` in a trigger condition is a function,
//! `ON DELETE SET NULL` is a referential action, `OFFSET … ROWS FETCH NEXT` is part of
//! a query, `ALTER COLUMN` is part of an `ALTER TABLE`. What a statement of each kind
//! may contain (an `INSERT … SELECT`, a `GRANT CREATE ENDPOINT TO …`) is the
//! splitter's business ([`super::split`]); this module only says what a word is.

use crate::lex::{Token, TokenKind};

/// What a CREATE / ALTER / DROP statement is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Object {
    AvailabilityGroup,
    Endpoint,
    Certificate,
    MasterKey,
    Database,
    Procedure,
    Function,
    Trigger,
    View,
    Index,
    Table,
    Schema,
    /// Any other kind, by its words (`LOGIN`, `EVENT SESSION`, `XML SCHEMA COLLECTION`).
    Other(&'static [&'static str]),
}

impl Object {
    /// The body of these runs to the end of the batch (T-SQL requires them to be the only
    /// statement of their batch).
    pub fn is_routine(self) -> bool {
        matches!(
            self,
            Object::Procedure | Object::Function | Object::Trigger | Object::View
        )
    }

    /// Whether a name follows the kind (`ALTER DATABASE [d]`, not `ALTER MASTER KEY`).
    /// A kind the table does not know is taken as named.
    pub fn is_named(self) -> bool {
        OBJECTS
            .iter()
            .find(|(_, kind, _)| *kind == self)
            .is_none_or(|(_, _, named)| *named)
    }

    pub fn words(self) -> &'static [&'static str] {
        match self {
            Object::AvailabilityGroup => &["AVAILABILITY", "GROUP"],
            Object::Endpoint => &["ENDPOINT"],
            Object::Certificate => &["CERTIFICATE"],
            Object::MasterKey => &["MASTER", "KEY"],
            Object::Database => &["DATABASE"],
            Object::Procedure => &["PROCEDURE"],
            Object::Function => &["FUNCTION"],
            Object::Trigger => &["TRIGGER"],
            Object::View => &["VIEW"],
            Object::Index => &["INDEX"],
            Object::Table => &["TABLE"],
            Object::Schema => &["SCHEMA"],
            Object::Other(words) => words,
        }
    }
}

/// Object kinds: (words, kind, whether a name follows). Longer word sequences first, so
/// `DATABASE SCOPED CREDENTIAL` wins over `DATABASE`.
const OBJECTS: &[(&[&str], Object, bool)] = &[
    (&["AVAILABILITY", "GROUP"], Object::AvailabilityGroup, true),
    (&["ENDPOINT"], Object::Endpoint, true),
    (&["CERTIFICATE"], Object::Certificate, true),
    (&["MASTER", "KEY"], Object::MasterKey, false),
    (
        &["SERVICE", "MASTER", "KEY"],
        Object::Other(&["SERVICE", "MASTER", "KEY"]),
        false,
    ),
    (
        &["COLUMN", "MASTER", "KEY"],
        Object::Other(&["COLUMN", "MASTER", "KEY"]),
        true,
    ),
    (
        &["COLUMN", "ENCRYPTION", "KEY"],
        Object::Other(&["COLUMN", "ENCRYPTION", "KEY"]),
        true,
    ),
    (
        &["DATABASE", "SCOPED", "CREDENTIAL"],
        Object::Other(&["DATABASE", "SCOPED", "CREDENTIAL"]),
        true,
    ),
    (
        &["DATABASE", "SCOPED", "CONFIGURATION"],
        Object::Other(&["DATABASE", "SCOPED", "CONFIGURATION"]),
        false,
    ),
    (
        &["DATABASE", "AUDIT", "SPECIFICATION"],
        Object::Other(&["DATABASE", "AUDIT", "SPECIFICATION"]),
        true,
    ),
    (
        &["DATABASE", "ENCRYPTION", "KEY"],
        Object::Other(&["DATABASE", "ENCRYPTION", "KEY"]),
        false,
    ),
    (&["DATABASE"], Object::Database, true),
    (&["PROCEDURE"], Object::Procedure, true),
    (&["PROC"], Object::Procedure, true),
    (&["FUNCTION"], Object::Function, true),
    (&["TRIGGER"], Object::Trigger, true),
    (&["MATERIALIZED", "VIEW"], Object::View, true),
    (&["VIEW"], Object::View, true),
    (&["INDEX"], Object::Index, true),
    (&["TABLE"], Object::Table, true),
    (&["SCHEMA"], Object::Schema, true),
    (&["AGGREGATE"], Object::Other(&["AGGREGATE"]), true),
    (
        &["APPLICATION", "ROLE"],
        Object::Other(&["APPLICATION", "ROLE"]),
        true,
    ),
    (&["ASSEMBLY"], Object::Other(&["ASSEMBLY"]), true),
    (
        &["ASYMMETRIC", "KEY"],
        Object::Other(&["ASYMMETRIC", "KEY"]),
        true,
    ),
    (&["AUTHORIZATION"], Object::Other(&["AUTHORIZATION"]), false),
    (
        &["BROKER", "PRIORITY"],
        Object::Other(&["BROKER", "PRIORITY"]),
        true,
    ),
    (&["CONTRACT"], Object::Other(&["CONTRACT"]), true),
    (
        &["COUNTER", "SIGNATURE"],
        Object::Other(&["COUNTER", "SIGNATURE"]),
        false,
    ),
    (&["CREDENTIAL"], Object::Other(&["CREDENTIAL"]), true),
    (
        &["CRYPTOGRAPHIC", "PROVIDER"],
        Object::Other(&["CRYPTOGRAPHIC", "PROVIDER"]),
        true,
    ),
    (&["DEFAULT"], Object::Other(&["DEFAULT"]), true),
    (
        &["EVENT", "NOTIFICATION"],
        Object::Other(&["EVENT", "NOTIFICATION"]),
        true,
    ),
    (
        &["EVENT", "SESSION"],
        Object::Other(&["EVENT", "SESSION"]),
        true,
    ),
    (
        &["EXTERNAL", "DATA", "SOURCE"],
        Object::Other(&["EXTERNAL", "DATA", "SOURCE"]),
        true,
    ),
    (
        &["EXTERNAL", "FILE", "FORMAT"],
        Object::Other(&["EXTERNAL", "FILE", "FORMAT"]),
        true,
    ),
    (
        &["EXTERNAL", "LANGUAGE"],
        Object::Other(&["EXTERNAL", "LANGUAGE"]),
        true,
    ),
    (
        &["EXTERNAL", "LIBRARY"],
        Object::Other(&["EXTERNAL", "LIBRARY"]),
        true,
    ),
    (
        &["EXTERNAL", "RESOURCE", "POOL"],
        Object::Other(&["EXTERNAL", "RESOURCE", "POOL"]),
        true,
    ),
    (
        &["EXTERNAL", "TABLE"],
        Object::Other(&["EXTERNAL", "TABLE"]),
        true,
    ),
    (
        &["EXTERNAL", "STREAM"],
        Object::Other(&["EXTERNAL", "STREAM"]),
        true,
    ),
    (
        &["EXTERNAL", "STREAMING", "JOB"],
        Object::Other(&["EXTERNAL", "STREAMING", "JOB"]),
        true,
    ),
    (&["FEDERATION"], Object::Other(&["FEDERATION"]), true),
    (
        &["FULLTEXT", "CATALOG"],
        Object::Other(&["FULLTEXT", "CATALOG"]),
        true,
    ),
    (
        &["FULLTEXT", "INDEX"],
        Object::Other(&["FULLTEXT", "INDEX"]),
        false,
    ),
    (
        &["FULLTEXT", "STOPLIST"],
        Object::Other(&["FULLTEXT", "STOPLIST"]),
        true,
    ),
    (&["LOGIN"], Object::Other(&["LOGIN"]), true),
    (
        &["MESSAGE", "TYPE"],
        Object::Other(&["MESSAGE", "TYPE"]),
        true,
    ),
    (
        &["PARTITION", "FUNCTION"],
        Object::Other(&["PARTITION", "FUNCTION"]),
        true,
    ),
    (
        &["PARTITION", "SCHEME"],
        Object::Other(&["PARTITION", "SCHEME"]),
        true,
    ),
    (&["QUEUE"], Object::Other(&["QUEUE"]), true),
    (
        &["REMOTE", "SERVICE", "BINDING"],
        Object::Other(&["REMOTE", "SERVICE", "BINDING"]),
        true,
    ),
    (
        &["RESOURCE", "GOVERNOR"],
        Object::Other(&["RESOURCE", "GOVERNOR"]),
        false,
    ),
    (
        &["RESOURCE", "POOL"],
        Object::Other(&["RESOURCE", "POOL"]),
        true,
    ),
    (&["ROLE"], Object::Other(&["ROLE"]), true),
    (&["ROUTE"], Object::Other(&["ROUTE"]), true),
    (&["RULE"], Object::Other(&["RULE"]), true),
    (
        &["SEARCH", "PROPERTY", "LIST"],
        Object::Other(&["SEARCH", "PROPERTY", "LIST"]),
        true,
    ),
    (
        &["SECURITY", "POLICY"],
        Object::Other(&["SECURITY", "POLICY"]),
        true,
    ),
    (&["SEQUENCE"], Object::Other(&["SEQUENCE"]), true),
    (
        &["SERVER", "AUDIT", "SPECIFICATION"],
        Object::Other(&["SERVER", "AUDIT", "SPECIFICATION"]),
        true,
    ),
    (
        &["SERVER", "AUDIT"],
        Object::Other(&["SERVER", "AUDIT"]),
        true,
    ),
    (
        &["SERVER", "CONFIGURATION"],
        Object::Other(&["SERVER", "CONFIGURATION"]),
        false,
    ),
    (
        &["SERVER", "ROLE"],
        Object::Other(&["SERVER", "ROLE"]),
        true,
    ),
    (&["SERVICE"], Object::Other(&["SERVICE"]), true),
    (&["SIGNATURE"], Object::Other(&["SIGNATURE"]), false),
    (&["STATISTICS"], Object::Other(&["STATISTICS"]), true),
    (
        &["SYMMETRIC", "KEY"],
        Object::Other(&["SYMMETRIC", "KEY"]),
        true,
    ),
    (&["SYNONYM"], Object::Other(&["SYNONYM"]), true),
    (&["TYPE"], Object::Other(&["TYPE"]), true),
    (&["USER"], Object::Other(&["USER"]), true),
    (
        &["WORKLOAD", "CLASSIFIER"],
        Object::Other(&["WORKLOAD", "CLASSIFIER"]),
        true,
    ),
    (
        &["WORKLOAD", "GROUP"],
        Object::Other(&["WORKLOAD", "GROUP"]),
        true,
    ),
    (
        &["XML", "SCHEMA", "COLLECTION"],
        Object::Other(&["XML", "SCHEMA", "COLLECTION"]),
        true,
    ),
];

/// Words that may stand between CREATE and INDEX (`CREATE UNIQUE CLUSTERED INDEX`).
const INDEX_MODIFIERS: &[&str] = &[
    "UNIQUE",
    "CLUSTERED",
    "NONCLUSTERED",
    "COLUMNSTORE",
    "PRIMARY",
    "XML",
    "SPATIAL",
    "SELECTIVE",
    "SECONDARY",
    "JSON",
    "VECTOR",
];

/// The kind of a statement, by its head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Head {
    // Queries and data changes.
    Select,
    /// `WITH cte AS (…)` before a query or data change.
    With,
    Insert,
    Update,
    Delete,
    Merge,
    BulkInsert,
    Truncate,
    UpdateStatistics,
    Readtext,
    Writetext,
    Updatetext,
    // Variables.
    Declare,
    Set,
    // Calls and security context.
    /// `EXEC proc …`, `EXEC (@sql)`, `EXEC sp_executesql …`.
    Exec,
    /// A procedure called without EXEC, allowed as the first statement of a batch.
    ImplicitExec,
    /// `EXECUTE AS USER = …` (a context switch, not a call).
    ExecuteAs,
    Revert,
    Setuser,
    // Control of flow.
    If,
    Else,
    Begin,
    End,
    BeginTry,
    EndTry,
    BeginCatch,
    EndCatch,
    While,
    Break,
    Continue,
    Return,
    Goto,
    /// `name:`, a GOTO target.
    Label,
    Throw,
    Raiserror,
    Print,
    Waitfor,
    // Context and permissions.
    Use,
    Grant,
    Deny,
    Revoke,
    // Definitions.
    Create(Object),
    Alter(Object),
    Drop(Object),
    // Maintenance.
    /// `BACKUP DATABASE` (true) or another BACKUP (`LOG`, `CERTIFICATE`, `MASTER KEY`).
    Backup {
        database: bool,
    },
    Restore,
    Dbcc,
    Checkpoint,
    Kill,
    Shutdown,
    Reconfigure,
    // Transactions.
    BeginTransaction,
    Commit,
    Rollback,
    SaveTransaction,
    // Cursors and keys.
    Open,
    Fetch,
    Close,
    Deallocate,
    // Service Broker.
    BeginDialog,
    BeginConversationTimer,
    EndConversation,
    Send,
    Receive,
    GetConversationGroup,
    MoveConversation,
    // Triggers and signatures.
    EnableTrigger,
    DisableTrigger,
    AddSignature,
    /// Not a known head (broken or unsupported syntax): runs to the next head.
    Unknown,
}

impl Head {
    /// Heads that only shape control of flow (their statements are the ones inside).
    pub fn is_control(self) -> bool {
        matches!(
            self,
            Head::If
                | Head::Else
                | Head::Begin
                | Head::End
                | Head::BeginTry
                | Head::EndTry
                | Head::BeginCatch
                | Head::EndCatch
                | Head::While
        )
    }

    /// The statement's kind in words, for the tree's rendering.
    pub fn describe(self) -> String {
        let object = |verb: &str, o: Object| format!("{verb} {}", o.words().join(" "));
        match self {
            Head::Create(o) => object("CREATE", o),
            Head::Alter(o) => object("ALTER", o),
            Head::Drop(o) => object("DROP", o),
            Head::Backup { database: true } => "BACKUP DATABASE".into(),
            Head::Backup { database: false } => "BACKUP".into(),
            other => {
                let name = format!("{other:?}");
                // CamelCase → upper case words: `BeginTry` → `BEGIN TRY`.
                let mut words = String::new();
                for (i, c) in name.chars().enumerate() {
                    if c.is_uppercase() && i > 0 {
                        words.push(' ');
                    }
                    words.push(c.to_ascii_uppercase());
                }
                words
            }
        }
    }
}

/// Multi-word heads, tried before the single words.
const PHRASES: &[(&[&str], Head)] = &[
    (&["BULK", "INSERT"], Head::BulkInsert),
    (&["UPDATE", "STATISTICS"], Head::UpdateStatistics),
    (&["TRUNCATE", "TABLE"], Head::Truncate),
    (&["BEGIN", "TRY"], Head::BeginTry),
    (&["BEGIN", "CATCH"], Head::BeginCatch),
    (&["END", "TRY"], Head::EndTry),
    (&["END", "CATCH"], Head::EndCatch),
    (&["BEGIN", "TRAN"], Head::BeginTransaction),
    (&["BEGIN", "TRANSACTION"], Head::BeginTransaction),
    (&["BEGIN", "DISTRIBUTED"], Head::BeginTransaction),
    (&["BEGIN", "DIALOG"], Head::BeginDialog),
    (&["BEGIN", "CONVERSATION"], Head::BeginConversationTimer),
    (&["END", "CONVERSATION"], Head::EndConversation),
    (&["SAVE", "TRAN"], Head::SaveTransaction),
    (&["SAVE", "TRANSACTION"], Head::SaveTransaction),
    (&["EXECUTE", "AS"], Head::ExecuteAs),
    (&["EXEC", "AS"], Head::ExecuteAs),
    (&["ENABLE", "TRIGGER"], Head::EnableTrigger),
    (&["DISABLE", "TRIGGER"], Head::DisableTrigger),
    (&["ADD", "SIGNATURE"], Head::AddSignature),
    (&["ADD", "COUNTER", "SIGNATURE"], Head::AddSignature),
    (&["GET", "CONVERSATION"], Head::GetConversationGroup),
    (&["MOVE", "CONVERSATION"], Head::MoveConversation),
    (&["SEND", "ON"], Head::Send),
    (&["BACKUP", "DATABASE"], Head::Backup { database: true }),
];

/// Single-word heads. CREATE / ALTER / DROP / WITH / THROW / RECEIVE are decided in
/// [`classify`] from what follows them.
const WORDS: &[(&str, Head)] = &[
    ("SELECT", Head::Select),
    ("INSERT", Head::Insert),
    ("UPDATE", Head::Update),
    ("DELETE", Head::Delete),
    ("MERGE", Head::Merge),
    ("READTEXT", Head::Readtext),
    ("WRITETEXT", Head::Writetext),
    ("UPDATETEXT", Head::Updatetext),
    ("DECLARE", Head::Declare),
    ("SET", Head::Set),
    ("EXEC", Head::Exec),
    ("EXECUTE", Head::Exec),
    ("REVERT", Head::Revert),
    ("SETUSER", Head::Setuser),
    ("IF", Head::If),
    ("ELSE", Head::Else),
    ("BEGIN", Head::Begin),
    ("END", Head::End),
    ("WHILE", Head::While),
    ("BREAK", Head::Break),
    ("CONTINUE", Head::Continue),
    ("RETURN", Head::Return),
    ("GOTO", Head::Goto),
    ("RAISERROR", Head::Raiserror),
    ("PRINT", Head::Print),
    ("WAITFOR", Head::Waitfor),
    ("USE", Head::Use),
    ("GRANT", Head::Grant),
    ("DENY", Head::Deny),
    ("REVOKE", Head::Revoke),
    ("BACKUP", Head::Backup { database: false }),
    ("RESTORE", Head::Restore),
    ("DBCC", Head::Dbcc),
    ("CHECKPOINT", Head::Checkpoint),
    ("KILL", Head::Kill),
    ("SHUTDOWN", Head::Shutdown),
    ("RECONFIGURE", Head::Reconfigure),
    ("COMMIT", Head::Commit),
    ("ROLLBACK", Head::Rollback),
    ("OPEN", Head::Open),
    ("FETCH", Head::Fetch),
    ("CLOSE", Head::Close),
    ("DEALLOCATE", Head::Deallocate),
];

/// Every head of the tables with its words, phrases first (for tests that generate
/// statements from the table). CREATE / ALTER / DROP come with [`object_kinds`]; WITH,
/// THROW and RECEIVE are recognized from what follows them.
pub fn table() -> impl Iterator<Item = (&'static [&'static str], Head)> {
    PHRASES.iter().copied().chain(
        WORDS
            .iter()
            .map(|entry| (std::slice::from_ref(&entry.0), entry.1)),
    )
}

/// Every object kind of CREATE / ALTER / DROP with its words and whether a name follows.
pub fn object_kinds() -> impl Iterator<Item = (&'static [&'static str], Object, bool)> {
    OBJECTS.iter().copied()
}

/// A recognized head: what it is and how many tokens its words take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeadMatch {
    pub head: Head,
    pub len: usize,
}

fn word_at(tokens: &[Token], i: usize) -> Option<&Token> {
    tokens.get(i).filter(|t| t.kind == TokenKind::Word)
}

fn is_kw_at(tokens: &[Token], i: usize, keyword: &str) -> bool {
    tokens.get(i).is_some_and(|t| t.is_kw(keyword))
}

fn punct_at(tokens: &[Token], i: usize, symbol: &str) -> bool {
    tokens.get(i).is_some_and(|t| t.is_punct(symbol))
}

fn words_at(tokens: &[Token], i: usize, words: &[&str]) -> bool {
    words
        .iter()
        .enumerate()
        .all(|(k, w)| is_kw_at(tokens, i + k, w))
}

/// The object kind at `i` (after CREATE / ALTER / DROP): kind, whether it is named, and
/// how many tokens it takes (modifiers of an index and `OR ALTER` included).
pub fn object_at(tokens: &[Token], i: usize) -> Option<(Object, bool, usize)> {
    let mut at = i;
    if words_at(tokens, at, &["OR", "ALTER"]) {
        at += 2;
    }
    let modifiers = tokens[at.min(tokens.len())..]
        .iter()
        .take_while(|t| INDEX_MODIFIERS.iter().any(|m| t.is_kw(m)))
        .count();
    if modifiers > 0 && is_kw_at(tokens, at + modifiers, "INDEX") {
        return Some((Object::Index, true, at + modifiers + 1 - i));
    }
    OBJECTS
        .iter()
        .find(|(words, ..)| words_at(tokens, at, words))
        .map(|(words, kind, named)| (*kind, *named, at + words.len() - i))
}

/// The words a head can start with, upper-case: most words of a script are not one,
/// and [`classify`] turns those down without allocating or walking its tables.
fn first_words() -> &'static FirstWords {
    static FIRST: std::sync::OnceLock<FirstWords> = std::sync::OnceLock::new();
    FIRST.get_or_init(|| {
        let decided = ["CREATE", "ALTER", "DROP", "WITH", "THROW", "RECEIVE"];
        let phrases = PHRASES.iter().map(|(words, _)| words[0]);
        let words = WORDS.iter().map(|(word, _)| *word);
        decided
            .into_iter()
            .chain(phrases)
            .chain(words)
            .map(|w| (w.as_bytes(), w))
            .collect()
    })
}

type FirstWords = std::collections::HashMap<
    &'static [u8],
    &'static str,
    std::hash::BuildHasherDefault<ShortWordHasher>,
>;

/// FNV-1a: keys are a few ASCII letters, looked up once per word of every script read;
/// the default SipHash costs more than the rest of [`classify`].
#[derive(Default)]
struct ShortWordHasher(u64);

impl std::hash::Hasher for ShortWordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The longest word of [`first_words`] fits in this many bytes.
const FIRST_WORD_MAX: usize = 24;

/// The word upper-cased when it can start a head (see [`first_words`]).
fn as_first_word(word: &str) -> Option<&'static str> {
    let mut buffer = [0u8; FIRST_WORD_MAX];
    let upper = buffer.get_mut(..word.len())?;
    upper.copy_from_slice(word.as_bytes());
    upper.make_ascii_uppercase();
    first_words().get(&*upper).copied()
}

/// Whether the word at `i` is a head here, in the middle of other tokens: words that
/// also occur inside statements are heads only where their neighbours allow it.
pub fn classify(tokens: &[Token], i: usize) -> Option<HeadMatch> {
    let t = word_at(tokens, i)?;
    let upper = as_first_word(&t.value)?;
    let prev = i.checked_sub(1).and_then(|p| tokens.get(p));
    // `x.UPDATE`, `SCHEMA::x`, `STATE = START`, `backup.dbo.t`: names and values.
    if prev.is_some_and(|p| p.is_punct(".") || p.is_punct("::") || p.is_punct("="))
        || punct_at(tokens, i + 1, ".")
    {
        return None;
    }
    let prev_is = |words: &[&str]| prev.is_some_and(|p| words.iter().any(|w| p.is_kw(w)));
    let next_is = |words: &[&str]| {
        tokens
            .get(i + 1)
            .is_some_and(|n| words.iter().any(|w| n.is_kw(w)))
    };
    let head = |head, len| Some(HeadMatch { head, len });
    match upper {
        "CREATE" | "ALTER" | "DROP" => {
            let (object, _, len) = object_at(tokens, i + 1)?;
            let head_kind = match upper {
                "CREATE" => Head::Create(object),
                "ALTER" => Head::Alter(object),
                _ => Head::Drop(object),
            };
            return head(head_kind, 1 + len);
        }
        "WITH" => {
            // A common table expression: `WITH name [(cols)] AS (` or `WITH XMLNAMESPACES`.
            if next_is(&["XMLNAMESPACES"]) {
                return head(Head::With, 1);
            }
            let name = tokens.get(i + 1).filter(|n| {
                matches!(
                    n.kind,
                    TokenKind::Word | TokenKind::QuotedIdent | TokenKind::Placeholder
                )
            })?;
            if name.kind == TokenKind::Word && name.value.starts_with('@') {
                return None;
            }
            let mut at = i + 2;
            if punct_at(tokens, at, "(") {
                at = after_group(tokens, at)?;
            }
            return (is_kw_at(tokens, at, "AS") && punct_at(tokens, at + 1, "(")).then_some(
                HeadMatch {
                    head: Head::With,
                    len: 1,
                },
            );
        }
        "THROW" => {
            // Not a reserved word: a head only when followed by what THROW takes.
            let fits = match tokens.get(i + 1) {
                None => true,
                Some(n) => {
                    n.kind == TokenKind::Number
                        || n.value.starts_with('@')
                        || n.is_punct(";")
                        || classify(tokens, i + 1).is_some()
                }
            };
            return fits.then_some(HeadMatch {
                head: Head::Throw,
                len: 1,
            });
        }
        "RECEIVE" => {
            return (next_is(&["TOP"]) || punct_at(tokens, i + 1, "*")).then_some(HeadMatch {
                head: Head::Receive,
                len: 1,
            });
        }
        // `INNER MERGE JOIN`, `MERGE RANGE` of a partition function.
        "MERGE" if next_is(&["JOIN", "RANGE"]) => return None,
        // `UPDATE(col)` tests a column in a trigger.
        "UPDATE" if punct_at(tokens, i + 1, "(") => return None,
        // Referential actions, trigger events, `FOR UPDATE` of a cursor, MERGE's actions.
        "UPDATE" | "DELETE" | "INSERT" if prev_is(&["ON", "FOR", "AFTER", "OF", "THEN"]) => {
            return None
        }
        "SELECT" if prev_is(&["FOR"]) => return None,
        // `ON DELETE SET NULL`, `SET DEFAULT`; MERGE's `THEN UPDATE SET`.
        "SET" if next_is(&["NULL", "DEFAULT"]) || prev_is(&["UPDATE"]) => return None,
        // `OFFSET 10 ROWS FETCH NEXT 5 ROWS ONLY`.
        "FETCH" if prev_is(&["ROW", "ROWS"]) => return None,
        // `DROP TABLE IF EXISTS t`, `DROP COLUMN IF EXISTS c` (a guard has `EXISTS (`).
        "IF" if next_is(&["EXISTS"]) && !punct_at(tokens, i + 2, "(") => return None,
        // `WITH GRANT OPTION`, `REVOKE GRANT OPTION FOR`.
        "GRANT" if prev_is(&["WITH"]) || next_is(&["OPTION"]) => return None,
        // `WITH ROLLBACK IMMEDIATE` of ALTER DATABASE.
        "ROLLBACK" if prev_is(&["WITH"]) || next_is(&["IMMEDIATE", "AFTER"]) => return None,
        _ => {}
    }
    if let Some((words, found)) = PHRASES.iter().find(|(words, _)| words_at(tokens, i, words)) {
        return head(*found, words.len());
    }
    WORDS
        .iter()
        .find(|(w, _)| upper == *w)
        .map(|(_, found)| HeadMatch {
            head: *found,
            len: 1,
        })
}

/// The index just past the group opened at `open`, if it closes.
pub fn after_group(tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, t) in tokens.iter().enumerate().skip(open) {
        if t.is_punct("(") {
            depth += 1;
        } else if t.is_punct(")") {
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                return Some(k + 1);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::lex_batch;
    use crate::span::FileId;
    use crate::sqlcmd::{split, ExternalVars};

    fn tokens(text: &str) -> Vec<Token> {
        let script = split(FileId(0), text, &ExternalVars::default());
        lex_batch(&script.batches[0]).tokens
    }

    fn head_at(text: &str, word_index: usize) -> Option<Head> {
        classify(&tokens(text), word_index).map(|m| m.head)
    }

    #[test]
    fn every_first_word_fits_the_buffer() {
        assert!(first_words().keys().all(|w| w.len() <= FIRST_WORD_MAX));
        assert_eq!(as_first_word("select"), Some("SELECT"));
        assert_eq!(as_first_word("type_desc"), None);
    }

    #[test]
    fn object_kinds_with_modifiers() {
        let t = tokens("CREATE UNIQUE NONCLUSTERED INDEX ix ON t (a)");
        assert_eq!(
            classify(&t, 0),
            Some(HeadMatch {
                head: Head::Create(Object::Index),
                len: 4
            })
        );
        let t = tokens("CREATE OR ALTER PROCEDURE p AS SELECT 1");
        assert_eq!(classify(&t, 0).map(|m| m.len), Some(4));
        assert_eq!(
            head_at("ALTER DATABASE SCOPED CONFIGURATION SET MAXDOP = 1", 0),
            Some(Head::Alter(Object::Other(&[
                "DATABASE",
                "SCOPED",
                "CONFIGURATION"
            ])))
        );
    }

    #[test]
    fn words_inside_other_statements_are_not_heads() {
        // ALTER COLUMN, DROP CONSTRAINT: not object kinds.
        assert_eq!(head_at("ALTER TABLE t ALTER COLUMN a int", 3), None);
        assert_eq!(head_at("ALTER TABLE t DROP CONSTRAINT c", 3), None);
        assert_eq!(head_at("IF UPDATE(a) SELECT 1", 1), None);
        assert_eq!(head_at("x ON DELETE SET NULL", 2), None);
        assert_eq!(head_at("x ON DELETE SET NULL", 3), None);
        assert_eq!(
            head_at(
                "SELECT a FROM t ORDER BY a OFFSET 1 ROWS FETCH NEXT 1 ROWS ONLY",
                10
            ),
            None
        );
        assert_eq!(head_at("FROM a INNER MERGE JOIN b", 3), None);
        assert_eq!(head_at("SET SINGLE_USER WITH ROLLBACK IMMEDIATE", 3), None);
        assert_eq!(head_at("FROM t WITH (NOLOCK)", 2), None);
        assert_eq!(head_at("CREATE PROC p WITH EXECUTE AS OWNER AS", 3), None);
        assert_eq!(head_at("SELECT x FROM backup.dbo.t", 3), None);
    }

    #[test]
    fn context_heads() {
        assert_eq!(
            head_at("WITH c AS (SELECT 1) SELECT * FROM c", 0),
            Some(Head::With)
        );
        assert_eq!(
            head_at("WITH c (a) AS (SELECT 1) SELECT a FROM c", 0),
            Some(Head::With)
        );
        assert_eq!(
            head_at("EXECUTE AS USER = N'app'", 0),
            Some(Head::ExecuteAs)
        );
        assert_eq!(head_at("THROW 50000, N'x', 1", 0), Some(Head::Throw));
        assert_eq!(head_at("THROW", 0), Some(Head::Throw));
        assert_eq!(
            head_at("BACKUP DATABASE d TO DISK = 'x'", 0),
            Some(Head::Backup { database: true })
        );
        assert_eq!(
            head_at("BACKUP LOG d TO DISK = 'x'", 0),
            Some(Head::Backup { database: false })
        );
        assert_eq!(
            head_at("END CONVERSATION @h", 0),
            Some(Head::EndConversation)
        );
    }
}
