//! T-SQL statements: one splitter for every stage that needs to know where a statement
//! begins and ends (extraction, suppressions), and control of flow as a tree.
//!
//! A batch's tokens become [`Node`]s: statements, `BEGIN … END` blocks, `IF` with its
//! condition and arms, `WHILE`, `BEGIN TRY … END TRY BEGIN CATCH … END CATCH`, and
//! CREATE PROCEDURE / FUNCTION / TRIGGER / VIEW with their bodies. Walking the tree
//! ([`walk`]) gives every statement with its [`Flow`]: which arm of which IF it runs in,
//! so the arms of an IF are read as alternatives, not as a sequence. Existence guards
//! (`IF NOT EXISTS (SELECT … FROM sys.endpoints)`, `IF OBJECT_ID(…) IS NULL`) are
//! recognized on the IF ([`Guard`]).
//!
//! Where statements start is decided by one table of heads ([`heads`]); which heads a
//! statement may contain (a GRANT's permission list, an INSERT's SELECT) by the
//! splitter ([`split`]).

mod guard;
pub mod heads;
mod render;
mod split;
#[cfg(test)]
mod tests;

pub use guard::{Catalog, Guard};
pub use heads::{Head, Object};
pub use render::render;
pub use split::{split, split_checked};

use std::ops::Range;

/// A statement: its head and its tokens (indices into the batch's tokens, the closing `;`
/// included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub head: Head,
    pub tokens: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Statement(Statement),
    Block(Block),
    If(If),
    While(While),
    Try(Try),
    Routine(Routine),
}

/// `BEGIN … END`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub begin: usize,
    pub body: Vec<Node>,
    /// The `END` token; None when the batch ends first.
    pub end: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct If {
    /// Unique in its file: statements in different arms of the same IF are alternatives.
    pub id: u32,
    pub keyword: usize,
    pub condition: Range<usize>,
    pub guard: Option<Guard>,
    pub then: Option<Box<Node>>,
    pub otherwise: Option<Else>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Else {
    pub keyword: usize,
    pub node: Option<Box<Node>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct While {
    pub id: u32,
    pub keyword: usize,
    pub condition: Range<usize>,
    pub body: Option<Box<Node>>,
}

/// `BEGIN TRY … END TRY BEGIN CATCH … END CATCH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Try {
    pub id: u32,
    pub begin: usize,
    pub body: Vec<Node>,
    /// The tokens of `END TRY`, `BEGIN CATCH` and `END CATCH`, where written.
    pub end_try: Option<Range<usize>>,
    pub begin_catch: Option<Range<usize>>,
    pub catch: Vec<Node>,
    pub end_catch: Option<Range<usize>>,
}

/// CREATE / ALTER PROCEDURE, FUNCTION, TRIGGER or VIEW: its header (up to `AS`) and its
/// body, which runs when the object is used, not when the script runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routine {
    pub id: u32,
    pub header: Statement,
    pub body: Vec<Node>,
}

/// How a statement is reached from the start of its batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Arm {
    /// The statement after an IF's condition.
    Then,
    /// After its ELSE.
    Else,
    /// A WHILE's body.
    Loop,
    /// A CATCH block: runs only when the TRY block failed.
    Catch,
    /// The body of a procedure, function, trigger or view.
    Routine,
}

/// One construct a statement is inside of.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Branch {
    /// The construct's id (unique in the file).
    pub id: u32,
    pub arm: Arm,
    /// The IF's existence guard.
    pub guard: Option<Guard>,
}

/// The constructs a statement is inside of, outermost first. Empty: it runs whenever
/// its batch runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Flow {
    pub branches: Vec<Branch>,
}

impl Flow {
    /// Two statements of the same file that never both run: they are in different arms
    /// of one IF.
    pub fn excludes(&self, other: &Flow) -> bool {
        self.branches.iter().any(|a| {
            other.branches.iter().any(|b| {
                a.id == b.id
                    && matches!(
                        (a.arm, b.arm),
                        (Arm::Then, Arm::Else) | (Arm::Else, Arm::Then)
                    )
            })
        })
    }

    /// The innermost branch under an existence guard.
    pub fn guarded_by(&self) -> Option<&Branch> {
        self.branches.iter().rev().find(|b| b.guard.is_some())
    }

    /// Inside this branch (the same arm of the same construct).
    pub fn within(&self, branch: &Branch) -> bool {
        self.branches
            .iter()
            .any(|b| b.id == branch.id && b.arm == branch.arm)
    }

    fn with(&self, branch: Branch) -> Flow {
        let mut branches = self.branches.clone();
        branches.push(branch);
        Flow { branches }
    }
}

/// Every statement of the tree in order, with its flow. A routine's header comes before
/// its body; IF arms in written order.
pub fn walk<'a>(nodes: &'a [Node], flow: &Flow, visit: &mut dyn FnMut(&'a Statement, &Flow)) {
    for node in nodes {
        walk_node(node, flow, visit);
    }
}

fn walk_node<'a>(node: &'a Node, flow: &Flow, visit: &mut dyn FnMut(&'a Statement, &Flow)) {
    let branch = |id, arm, guard| Branch { id, arm, guard };
    match node {
        Node::Statement(s) => visit(s, flow),
        Node::Block(b) => walk(&b.body, flow, visit),
        Node::If(i) => {
            if let Some(then) = &i.then {
                walk_node(
                    then,
                    &flow.with(branch(i.id, Arm::Then, i.guard.clone())),
                    visit,
                );
            }
            if let Some(node) = i.otherwise.as_ref().and_then(|e| e.node.as_ref()) {
                walk_node(
                    node,
                    &flow.with(branch(i.id, Arm::Else, i.guard.clone())),
                    visit,
                );
            }
        }
        Node::While(w) => {
            if let Some(body) = &w.body {
                walk_node(body, &flow.with(branch(w.id, Arm::Loop, None)), visit);
            }
        }
        Node::Try(t) => {
            walk(&t.body, flow, visit);
            walk(&t.catch, &flow.with(branch(t.id, Arm::Catch, None)), visit);
        }
        Node::Routine(r) => {
            visit(&r.header, flow);
            walk(&r.body, &flow.with(branch(r.id, Arm::Routine, None)), visit);
        }
    }
}

/// Where each statement is, as token ranges, and whether it is control of flow (`IF …`
/// with its condition, `ELSE`, `BEGIN`, `END`, …), which only introduces what follows.
pub fn extents(nodes: &[Node]) -> Vec<(Range<usize>, bool)> {
    let mut out = Vec::new();
    for node in nodes {
        node_extents(node, &mut out);
    }
    out
}

fn node_extents(node: &Node, out: &mut Vec<(Range<usize>, bool)>) {
    let one = |at: usize| at..at + 1;
    match node {
        Node::Statement(s) => out.push((s.tokens.clone(), s.head.is_control())),
        Node::Block(b) => {
            out.push((one(b.begin), true));
            b.body.iter().for_each(|n| node_extents(n, out));
            out.extend(b.end.map(|e| (one(e), true)));
        }
        Node::If(i) => {
            out.push((i.keyword..i.condition.end, true));
            i.then.iter().for_each(|n| node_extents(n, out));
            if let Some(e) = &i.otherwise {
                out.push((one(e.keyword), true));
                e.node.iter().for_each(|n| node_extents(n, out));
            }
        }
        Node::While(w) => {
            out.push((w.keyword..w.condition.end, true));
            w.body.iter().for_each(|n| node_extents(n, out));
        }
        Node::Try(t) => {
            out.push((t.begin..t.begin + 2, true));
            t.body.iter().for_each(|n| node_extents(n, out));
            out.extend(t.end_try.clone().map(|e| (e, true)));
            out.extend(t.begin_catch.clone().map(|e| (e, true)));
            t.catch.iter().for_each(|n| node_extents(n, out));
            out.extend(t.end_catch.clone().map(|e| (e, true)));
        }
        Node::Routine(r) => {
            out.push((r.header.tokens.clone(), false));
            r.body.iter().for_each(|n| node_extents(n, out));
        }
    }
}
