//! A cheap byte-level test that skips what cannot hold a finding, before any tokenizing.
//!
//! Most `.sql` files of a repository (tables, procedures, migrations) have nothing to do
//! with the link. A file is linted only if it holds a word some rule looks for; a batch of
//! a linted file is tokenized only if it holds a word of a link statement. The words are
//! single words, so a keyword pair split by a comment (`AVAILABILITY /* … */ GROUP`) is
//! still found, and batches are tested after `$(var)` substitution, so a keyword that
//! comes from a variable is found too. `tests/prefilter.rs` checks that linting with and
//! without it gives the same output on every fixture.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::sync::OnceLock;

/// Words of the statements the extractor models, and of the procedures rules look at.
const STATEMENT_WORDS: &[&str] = &[
    "availability",
    "endpoint",
    "certificate",
    "master",
    "mirroring",
    "hadr",
    "backup",
    "recovery",
    "sp_get_endpoint_certificate",
    "sp_multidb_milink",
    "milink-lint",
    // `USE db` sets the database later statements run in (checked at a word boundary).
    "use",
];

/// Words that make a whole file worth reading even without a link statement: SQLCMD,
/// secrets (ML505), stray byte-order marks (ML504).
const FILE_WORDS: &[&str] = &[
    "$(",
    ":setvar",
    ":connect",
    ":r",
    ":on",
    "!!",
    "\u{feff}",
    "password",
    "passwd",
    "pwd",
    "pw",
    "secret",
    "key_source",
    "passphrase",
    "private",
    "sqlcmd",
    "osql",
    "bcp",
    "convertto-securestring",
    "sp_addlogin",
    "sp_password",
    "sp_addlinkedsrvlogin",
    "sp_addapprole",
    "sp_setapprole",
];

fn automaton(words: &[&[&str]]) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        // Leftmost-first enables the SIMD prefilter; words never overlap in a way that
        // matters (only `use` can be refused, and no word starts inside it).
        .match_kind(MatchKind::LeftmostFirst)
        .build(words.iter().flat_map(|w| w.iter()))
        .expect("the prefilter words form a valid automaton")
}

fn statements() -> &'static AhoCorasick {
    static A: OnceLock<AhoCorasick> = OnceLock::new();
    A.get_or_init(|| automaton(&[STATEMENT_WORDS]))
}

fn files() -> &'static AhoCorasick {
    static A: OnceLock<AhoCorasick> = OnceLock::new();
    A.get_or_init(|| automaton(&[STATEMENT_WORDS, FILE_WORDS]))
}

/// Any match, where a short word like `use` must stand alone (`user` does not count).
fn any_word(automaton: &AhoCorasick, words: &[&str], text: &str) -> bool {
    let bytes = text.as_bytes();
    let boundary = |b: Option<&u8>| b.is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
    automaton.find_iter(bytes).any(|m| {
        words.get(m.pattern().as_usize()) != Some(&"use")
            || (boundary(m.start().checked_sub(1).and_then(|i| bytes.get(i)))
                && boundary(bytes.get(m.end())))
    }) || !crate::rules::placeholders(text).is_empty()
}

/// Whether a file can hold a finding: it has a word some rule looks for.
pub fn file_is_relevant(text: &str) -> bool {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    let words = WORDS.get_or_init(|| STATEMENT_WORDS.iter().chain(FILE_WORDS).copied().collect());
    any_word(files(), words, text)
}

/// Whether a batch (after `$(var)` substitution) can hold a modeled statement.
pub fn batch_is_relevant(text: &str) -> bool {
    any_word(statements(), STATEMENT_WORDS, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_statements_are_relevant() {
        assert!(batch_is_relevant("CREATE AVAILABILITY GROUP [x]"));
        assert!(batch_is_relevant(
            "create availability /* the link */ group [x]"
        ));
        assert!(batch_is_relevant("USE [master]"));
        assert!(batch_is_relevant("use Orders;"));
        assert!(batch_is_relevant("SELECT '<DAGName>'"));
    }

    #[test]
    fn ordinary_code_is_not() {
        assert!(!batch_is_relevant(
            "CREATE TABLE dbo.Users (Id int); SELECT user_name(), causes FROM t WHERE a < b"
        ));
        assert!(!file_is_relevant(
            "CREATE PROCEDURE dbo.p AS SELECT 1;\nGO\n"
        ));
    }

    #[test]
    fn files_with_secrets_or_sqlcmd_are_relevant() {
        assert!(file_is_relevant("CREATE LOGIN x WITH PASSWORD = 'p';"));
        assert!(file_is_relevant("SELECT '$(Db)';"));
        assert!(file_is_relevant("SELECT 1;\u{feff}"));
    }
}
