//! The tree as an indented outline, for tests and for people reading them.

use super::{Guard, Node, Statement};
use crate::lex::{Token, TokenKind};
use std::fmt::Write;

/// One line per statement or construct, two spaces of indent per level:
///
/// ```text
/// IF NOT EXISTS ( SELECT 1 FROM sys.endpoints ) [guard: Endpoints absent]
///   THEN
///     CREATE ENDPOINT: CREATE ENDPOINT [e] STATE = STARTED …
/// ```
pub fn render(tokens: &[Token], nodes: &[Node]) -> String {
    let mut out = String::new();
    for node in nodes {
        node_lines(tokens, node, 0, &mut out);
    }
    out
}

/// The tokens as written, one space apart, cut at 60 characters.
fn text(tokens: &[Token], range: std::ops::Range<usize>) -> String {
    let mut s = String::new();
    for t in &tokens[range] {
        if !s.is_empty() {
            s.push(' ');
        }
        match t.kind {
            TokenKind::String => write!(s, "'{}'", t.value),
            TokenKind::NationalString => write!(s, "N'{}'", t.value),
            TokenKind::QuotedIdent => write!(s, "[{}]", t.value),
            _ => write!(s, "{}", t.value),
        }
        .ok();
    }
    let s = s.replace('\r', "").replace('\n', "⏎");
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(60).collect();
        return format!("{cut} …");
    }
    s
}

fn line(out: &mut String, depth: usize, content: &str) {
    out.push_str(&"  ".repeat(depth));
    out.push_str(content);
    out.push('\n');
}

fn statement(tokens: &[Token], s: &Statement, depth: usize, out: &mut String) {
    let content = format!("{}: {}", s.head.describe(), text(tokens, s.tokens.clone()));
    line(out, depth, &content);
}

fn guard_note(guard: Option<&Guard>) -> String {
    match guard {
        Some(g) => format!(
            " [guard: {:?} {}]",
            g.catalog,
            if g.exists { "present" } else { "absent" }
        ),
        None => String::new(),
    }
}

fn node_lines(tokens: &[Token], node: &Node, depth: usize, out: &mut String) {
    match node {
        Node::Statement(s) => statement(tokens, s, depth, out),
        Node::Block(b) => {
            line(out, depth, "BEGIN");
            b.body
                .iter()
                .for_each(|n| node_lines(tokens, n, depth + 1, out));
            line(
                out,
                depth,
                if b.end.is_some() {
                    "END"
                } else {
                    "END (missing)"
                },
            );
        }
        Node::If(i) => {
            let head = format!(
                "IF {}{}",
                text(tokens, i.condition.clone()),
                guard_note(i.guard.as_ref())
            );
            line(out, depth, &head);
            line(out, depth + 1, "THEN");
            i.then
                .iter()
                .for_each(|n| node_lines(tokens, n, depth + 2, out));
            if let Some(e) = &i.otherwise {
                line(out, depth + 1, "ELSE");
                e.node
                    .iter()
                    .for_each(|n| node_lines(tokens, n, depth + 2, out));
            }
        }
        Node::While(w) => {
            line(
                out,
                depth,
                &format!("WHILE {}", text(tokens, w.condition.clone())),
            );
            w.body
                .iter()
                .for_each(|n| node_lines(tokens, n, depth + 1, out));
        }
        Node::Try(t) => {
            line(out, depth, "TRY");
            t.body
                .iter()
                .for_each(|n| node_lines(tokens, n, depth + 1, out));
            line(out, depth, "CATCH");
            t.catch
                .iter()
                .for_each(|n| node_lines(tokens, n, depth + 1, out));
        }
        Node::Routine(r) => {
            statement(tokens, &r.header, depth, out);
            line(out, depth + 1, "BODY");
            r.body
                .iter()
                .for_each(|n| node_lines(tokens, n, depth + 2, out));
        }
    }
}
