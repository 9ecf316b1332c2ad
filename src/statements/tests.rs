//! Splitter tests: the tree of ordinary and link T-SQL, as outlines (insta snapshots).

use super::*;
use crate::lex::lex_batch;
use crate::span::FileId;
use crate::sqlcmd::{split as split_batches, ExternalVars};

/// The outline of every batch of `text`.
fn outline(text: &str) -> String {
    let script = split_batches(FileId(0), text, &ExternalVars::default());
    let mut next_id = 0;
    script
        .batches
        .iter()
        .map(|b| {
            let tokens = lex_batch(b).tokens;
            render(&tokens, &split(&tokens, &mut next_id))
        })
        .collect::<Vec<_>>()
        .join("GO\n")
}

#[test]
fn smoke() {
    println!("{}", outline("IF NOT EXISTS (SELECT 1 FROM sys.endpoints) BEGIN CREATE ENDPOINT e STATE = STARTED AS TCP (LISTENER_PORT = 5022) END ELSE ALTER ENDPOINT e STATE = STARTED"));
}
