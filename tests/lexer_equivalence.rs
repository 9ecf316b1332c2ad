//! The hand-written scanner (`lex_batch`) must lex every input exactly as the
//! sqlparser-based path it replaced (`lex_batch_reference`): same tokens (kind, value,
//! span, byte range), same comments, same error. Compared over every `.sql` fixture,
//! over random T-SQL-ish text, and over the directories named in `MILINK_LEX_CORPUS`
//! (`dir1:dir2`, for local runs over real corpora).

use milink_lint::lex::{lex_batch, lex_batch_reference};
use milink_lint::source::{decode_as, Charset};
use milink_lint::span::{FileId, Span};
use milink_lint::sqlcmd::{split, Batch, ExternalVars};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// The first difference between the two lexers on `batch`, if any.
fn difference(batch: &Batch) -> Option<String> {
    let new = lex_batch(batch);
    let old = lex_batch_reference(batch);
    let (new, old) = (format!("{new:#?}"), format!("{old:#?}"));
    if new == old {
        return None;
    }
    let at = new
        .lines()
        .zip(old.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(0);
    let window = |s: &str| {
        s.lines()
            .skip(at.saturating_sub(8))
            .take(16)
            .collect::<Vec<_>>()
            .join("\n")
    };
    Some(format!(
        "scanner:\n{}\nreference:\n{}",
        window(&new),
        window(&old)
    ))
}

/// Differences on `text`: each SQLCMD batch, then the whole text as one batch (so `GO`
/// lines and SQLCMD commands are lexed too).
fn differences(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let script = split(FileId(0), text, &ExternalVars::default());
    for batch in &script.batches {
        found.extend(difference(batch));
    }
    let whole = Batch::synthetic(text.to_string(), Span::new(FileId(0), 0..text.len()), 0);
    found.extend(difference(&whole));
    found
}

fn sql_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            sql_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("sql"))
        {
            out.push(path);
        }
    }
}

/// Lex every `.sql` file under `dirs`; panics with the first few differences.
fn check_dirs(dirs: &[PathBuf]) {
    let mut files = Vec::new();
    for dir in dirs {
        sql_files(dir, &mut files);
    }
    files.sort();
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in &files {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let Ok(decoded) = decode_as(bytes, Charset::Auto) else {
            continue;
        };
        checked += 1;
        for d in differences(&decoded.text) {
            failures.push(format!("{}:\n{d}", path.display()));
        }
    }
    assert!(checked > 0, "no .sql file under {dirs:?}");
    assert!(
        failures.is_empty(),
        "{} difference(s) over {checked} files; the first:\n{}",
        failures.len(),
        failures
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n----\n")
    );
    eprintln!("{checked} files lexed identically");
}

#[test]
fn fixtures_lex_identically() {
    check_dirs(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")]);
}

/// `MILINK_LEX_CORPUS=dir1:dir2 cargo test --release --test lexer_equivalence corpus`
#[test]
fn corpus_lexes_identically() {
    let Ok(dirs) = std::env::var("MILINK_LEX_CORPUS") else {
        return;
    };
    let dirs: Vec<PathBuf> = std::env::split_paths(&dirs).collect();
    check_dirs(&dirs);
}

#[test]
fn quirks_lex_identically() {
    // Each line is a case where the two readings could part.
    let cases = [
        "SELECT 1L, 1.e5, 1e, 1e+, 1e+5, 1.2.3, 1..2, .5, 0x, 0xFG, 0X1, 00x1, 1_000",
        "a != b !< c !> d <=> e <=+ f <=- g <+ h <@ i @> j @? k ^@ l ~* m !~* n !~ o !! p",
        "x || y ||/ z |/ w -> v ->> u #> t #>> s #- r :: q := p => o == n && m",
        "@ @@ @@x @@ x @x @'x' @\"x\" @`x` @( @@( @-x #( # x #\nx ## #x @\n",
        "$ $1 $1.5 $1. $x $(v) $$a$$ $$a$b$$ $$$x$$ $t$body$t$ $t$a$ $1$x$1$ $é",
        "N'a''b' n'x' X'a\\'b' x'\\n' Nx N X x 'it''s' 'a\\\nb' 'a\\\r\nb' [a]]b] \"a\"\"b\"",
        "a._b [a]._b /*c*/ a /*c*/ ._b ? ?12 ?١٢ `x` € é_1 ́ \u{a0}x\u{2003}y \u{feff}z",
        "/* a /* b */ c */ d /*/ e */ f */ g -- h\r\ni -- j",
        "SELECT 1 ._x",
        "/* a /* b */",
        "SELECT 'abc",
        "SELECT N'abc",
        "SELECT X'ab\\",
        "SELECT [abc",
        "SELECT \"abc",
        "SELECT $$abc$",
        "SELECT $t$abc$t",
        "SELECT 1 -- end",
        "SELECT 1 /* end",
    ];
    for case in cases {
        let found = differences(case);
        assert!(found.is_empty(), "{case:?}:\n{}", found.join("\n----\n"));
    }
}

/// Pieces of T-SQL-ish text, joined at random: every kind of token, their edges, and
/// the ways they stay unclosed.
fn piece() -> impl Strategy<Value = String> {
    let fixed = prop::sample::select(vec![
        "SELECT",
        "FROM",
        "CREATE",
        "ENDPOINT",
        "N",
        "n",
        "X",
        "x",
        "L",
        "e",
        "E",
        "_",
        "[",
        "]",
        "]]",
        "\"",
        "\"\"",
        "'",
        "''",
        "N'",
        "X'",
        "x'",
        "/*",
        "*/",
        "--",
        "-",
        "/",
        "*",
        "\r\n",
        "\n",
        "\r",
        " ",
        "\t",
        "\\",
        "\\\n",
        "\\\r\n",
        "$",
        "$$",
        "$(",
        "@",
        "@@",
        "#",
        "##",
        "<",
        ">",
        "=",
        "!",
        "|",
        "&",
        "^",
        "~",
        ":",
        "?",
        ".",
        ",",
        ";",
        "(",
        ")",
        "{",
        "}",
        "${",
        "%",
        "+",
        "0",
        "0x",
        "1",
        "1.5",
        ".5",
        "1e10",
        "1e+",
        "1.",
        "é",
        "ß",
        "名",
        "١",
        "\u{a0}",
        "\u{2028}",
        "\u{feff}",
        "€",
        "`",
        "GO",
        "\nGO\n",
        ":setvar v 1\n",
        "$(v)",
        "<a, sysname, b>",
        "\u{0}",
        "\x0b",
    ]);
    prop_oneof![
        4 => fixed.prop_map(str::to_string),
        1 => "[a-zA-Z0-9_@#$]{1,6}",
        1 => any::<char>().prop_map(|c| c.to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn random_text_lexes_identically(pieces in prop::collection::vec(piece(), 0..40)) {
        let text = pieces.concat();
        let found = differences(&text);
        prop_assert!(found.is_empty(), "{text:?}:\n{}", found.join("\n----\n"));
    }
}
