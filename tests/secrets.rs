//! The product promise about secrets: no secret ever reaches any output, and nothing but
//! the secret is masked.
//!
//! 1. `every_secret_form_is_masked_in_every_output`: a table of link set-ups, each with
//!    secrets planted in one of the forms that were seen to leak. The real binary runs in
//!    every output format; standard output, the file written by `-o` and standard error
//!    are decoded (JSON escapes, XML entities, percent-encoding, ANSI colours, letter
//!    case) and searched for any 5-character piece of every secret. Each case names text
//!    of the secret's own line that must be rendered, so that it cannot pass by showing
//!    nothing.
//! 2. `masked_text_does_not_depend_on_the_secret`: the same set-ups with other secrets of
//!    the same byte length (other characters, some multi-byte) give byte-identical output
//!    in every format: fingerprints, mask lengths and look-alike hints tell nothing.
//! 3. `nothing_but_the_secret_is_masked`: words that share letters with a password,
//!    parameter names and references stay readable, and references get no ML505.
//! 4. `random_secrets_in_random_positions_never_leak`: proptest through the library API.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use milink_lint::{lint_sources, report, LintOptions, SourceInput};
use proptest::prelude::*;

// =====================================================================================
// Helper layer: scratch folders, running every format, decoding, looking for pieces.
// =====================================================================================

/// Every output format, as the command line asks for it.
const FORMATS: &[(&str, &[&str])] = &[
    ("human", &["--format", "human", "--color", "never"]),
    ("human-color", &["--format", "human", "--color", "always"]),
    ("json", &["--format", "json"]),
    ("sarif", &["--format", "sarif"]),
    ("github", &["--format", "github"]),
    ("gitlab", &["--format", "gitlab"]),
    ("junit", &["--format", "junit"]),
];

/// Pieces of this many characters of a secret must never be in any output.
const PIECE: usize = 5;

/// A set-up written into a fresh folder and linted there (`check … .`).
#[derive(Clone, Debug)]
struct Case {
    /// (path relative to the folder, content)
    files: Vec<(String, String)>,
    /// Extra arguments of `check` (`--params params.toml`, `--var …`).
    args: Vec<String>,
    /// Every secret planted, in every spelling that must not show (the value as the
    /// script writes it, and as it means it).
    secrets: Vec<String>,
    /// Text of each secret's line (not the secret) that a source line of the human
    /// output's snippets must show: proof that the line is rendered. For run errors:
    /// text that standard error must show.
    shown: Vec<String>,
    /// The run itself fails (exit status 2): nothing is rendered.
    run_error: bool,
}

impl Case {
    fn new() -> Case {
        Case {
            files: Vec::new(),
            args: Vec::new(),
            secrets: Vec::new(),
            shown: Vec::new(),
            run_error: false,
        }
    }

    fn file(mut self, path: &str, text: impl Into<String>) -> Case {
        self.files.push((path.to_string(), text.into()));
        self
    }

    fn params(self) -> Case {
        self.file("params.toml", PARAMS)
            .arg("--params")
            .arg("params.toml")
    }

    /// The parameters file, with the master key password supplied at run time.
    fn link_params(self) -> Case {
        self.params().arg("--var").arg("MasterKeyPassword=x")
    }

    fn arg(mut self, arg: impl Into<String>) -> Case {
        self.args.push(arg.into());
        self
    }

    fn secret(mut self, secret: impl Into<String>) -> Case {
        self.secrets.push(secret.into());
        self
    }

    fn shown(mut self, text: &str) -> Case {
        self.shown.push(text.to_string());
        self
    }

    fn run_error(mut self) -> Case {
        self.run_error = true;
        self
    }

    fn has_config(&self) -> bool {
        self.files.iter().any(|(p, _)| p == "milink.toml")
    }

    /// The text of line `line` (1-based) of `file`.
    fn line_of(&self, file: &str, line: usize) -> Option<&str> {
        let (_, text) = self
            .files
            .iter()
            .find(|(p, _)| p == file || format!("./{p}") == file)?;
        text.lines().nth(line.checked_sub(1)?)
    }
}

/// One collected output of a run.
struct Collected {
    label: String,
    text: String,
}

/// Everything the runs of a case printed or wrote.
struct Runs {
    outputs: Vec<Collected>,
    /// Plain human standard output (for `shown`).
    human: String,
    /// Standard error of the plain human run.
    human_stderr: String,
    /// JSON standard output.
    json: String,
    /// Exit status of each run, by label.
    codes: Vec<(String, Option<i32>)>,
    /// Folder the case ran in (replaced by `<ROOT>` when outputs are compared).
    root: PathBuf,
}

/// The scratch folder goes with the runs (`SECRETS_KEEP=1` keeps it for a look).
impl Drop for Runs {
    fn drop(&mut self) {
        if std::env::var_os("SECRETS_KEEP").is_none() {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }
}

impl Runs {
    fn stdout_of(&self, format: &str) -> String {
        self.get(&format!("{format} stdout"))
    }

    fn file_of(&self, format: &str) -> String {
        self.get(&format!("{format} -o file"))
    }

    fn get(&self, label: &str) -> String {
        let root = self.root.display().to_string();
        self.outputs
            .iter()
            .find(|o| o.label == label)
            .map(|o| o.text.replace(&root, "<ROOT>"))
            .unwrap_or_default()
    }
}

fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("milink-secrets-{}", std::process::id()))
        .join(tag);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_milink-lint"));
    c.env_remove("MILINK_LINT_PARAMS")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE");
    c
}

/// Write the case into `<tmp>/<tag>/work` and run every format twice: to standard output
/// and with `-o` (the report file outside the linted folder).
fn run_case(case: &Case, tag: &str) -> Runs {
    let root = scratch(tag);
    let work = root.join("work");
    for (path, text) in &case.files {
        let path = work.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let mut outputs = Vec::new();
    let mut codes = Vec::new();
    let (mut human, mut human_stderr, mut json) = (String::new(), String::new(), String::new());
    for (format, format_args) in FORMATS {
        for to_file in [false, true] {
            let report = root.join(format!("report-{format}.out"));
            let mut command = bin();
            command
                .current_dir(&work)
                .arg("check")
                .args(["--today", "2026-01-01"])
                .args(*format_args)
                .args(&case.args);
            if !case.has_config() {
                command.arg("--no-config");
            }
            if to_file {
                command.arg("-o").arg(&report);
            }
            let o = command.arg(".").output().unwrap();
            let how = if to_file { " -o" } else { "" };
            let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
            let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
            if !to_file && *format == "human" {
                human = stdout.clone();
                human_stderr = stderr.clone();
            }
            if !to_file && *format == "json" {
                json = stdout.clone();
            }
            codes.push((format!("{format}{how}"), o.status.code()));
            outputs.push(Collected {
                label: format!("{format}{how} stdout"),
                text: stdout,
            });
            outputs.push(Collected {
                label: format!("{format}{how} stderr"),
                text: stderr,
            });
            if to_file {
                let text = std::fs::read(&report)
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                outputs.push(Collected {
                    label: format!("{format} -o file"),
                    text,
                });
            }
        }
    }
    Runs {
        outputs,
        human,
        human_stderr,
        json,
        codes,
        root,
    }
}

// ---- Decoding ------------------------------------------------------------------------

/// `text` without ANSI escape sequences (`ESC [ … final`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for d in chars.by_ref() {
                    if ('@'..='~').contains(&d) {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// JSON string escapes decoded wherever they are (`\uXXXX` with surrogate pairs, `\"`,
/// `\\`, `\/`, `\n`, …).
fn json_unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let hex4 = |s: &str| -> Option<u32> {
        let h = s.get(..4)?;
        if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(h, 16).ok()
    };
    while let Some(p) = rest.find('\\') {
        out.push_str(&rest[..p]);
        let after = &rest[p + 1..];
        let simple = match after.as_bytes().first() {
            Some(b'"') => Some('"'),
            Some(b'\\') => Some('\\'),
            Some(b'/') => Some('/'),
            Some(b'b') => Some('\u{8}'),
            Some(b'f') => Some('\u{c}'),
            Some(b'n') => Some('\n'),
            Some(b'r') => Some('\r'),
            Some(b't') => Some('\t'),
            _ => None,
        };
        if let Some(c) = simple {
            out.push(c);
            rest = &after[1..];
            continue;
        }
        if let Some(unit) = after.strip_prefix('u').and_then(hex4) {
            // A surrogate pair: `\uD83D\uDD12`.
            let low = after
                .get(5..)
                .and_then(|s| s.strip_prefix("\\u"))
                .and_then(hex4)
                .filter(|l| (0xD800..0xDC00).contains(&unit) && (0xDC00..0xE000).contains(l));
            match low {
                Some(low) => {
                    let c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                    out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                    rest = &after[11..];
                }
                None => {
                    out.push(char::from_u32(unit).unwrap_or('\u{fffd}'));
                    rest = &after[5..];
                }
            }
            continue;
        }
        out.push('\\');
        rest = after;
    }
    out.push_str(rest);
    out
}

/// XML entities decoded (`&amp; &lt; &gt; &quot; &apos; &#NN; &#xHH;`).
fn xml_unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let end = rest[..rest.len().min(12)].find(';');
        let decoded = end.and_then(|e| {
            let entity = &rest[1..e];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let number = entity.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Percent-encoding decoded (`%0A`, `%25`, `%3A`, `%2C`, and any `%HH`).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every decoded, case-folded variant of an output.
fn decoded_variants(text: &str) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let mut bases = vec![("raw", text.to_string())];
    if text.contains('\u{1b}') {
        bases.push(("ansi-stripped", strip_ansi(text)));
    }
    for (name, base) in bases {
        let mut variants = vec![(name, base.clone())];
        // Each decoding only where it can change something (outputs are large).
        let json = base.contains('\\').then(|| json_unescape(&base));
        if let Some(json) = &json {
            variants.push(("json-unescaped", json.clone()));
            if json.contains('%') {
                variants.push(("json+percent", percent_decode(json)));
            }
        }
        if base.contains('&') {
            variants.push(("xml-unescaped", xml_unescape(&base)));
        }
        if base.contains('%') {
            variants.push(("percent-decoded", percent_decode(&base)));
        }
        for (label, v) in variants {
            let v = v.to_lowercase();
            if !out.iter().any(|(_, o)| *o == v) {
                out.push((label, v));
            }
        }
    }
    out
}

// ---- Pieces of secrets ---------------------------------------------------------------

/// The case-folded 5-character windows of a secret (the whole secret when shorter), also
/// with `_` written `-` (a help text may rewrite a name that way).
fn pieces(secret: &str) -> Vec<String> {
    let mut forms = vec![secret.to_lowercase()];
    if secret.contains('_') {
        forms.push(secret.replace('_', "-").to_lowercase());
    }
    let mut out = BTreeSet::new();
    for form in forms {
        let chars: Vec<char> = form.chars().collect();
        if chars.len() <= PIECE {
            out.insert(form.clone());
            continue;
        }
        for w in chars.windows(PIECE) {
            out.insert(w.iter().collect::<String>());
        }
    }
    out.into_iter().collect()
}

fn short(text: &str, max: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max {
        return text.to_string();
    }
    let head: String = chars[..max / 2].iter().collect();
    let tail: String = chars[chars.len() - max / 2..].iter().collect();
    format!("{head}…{tail}")
}

/// A piece of a secret found in an output.
struct Leak {
    /// Which output (`json -o file`, `human stderr`, …) and which decoding of it.
    output: String,
    variant: &'static str,
    piece: String,
    secret: String,
    /// The decoded text around the piece.
    context: String,
}

impl std::fmt::Display for Leak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): piece {:?} of secret {:?} in …{}…",
            self.output,
            self.variant,
            self.piece,
            short(&self.secret, 40),
            self.context
        )
    }
}

/// Where any piece of any secret occurs in any decoded variant of any output: the first
/// hit per (output, secret).
fn find_leaks<'a>(
    outputs: impl IntoIterator<Item = (&'a str, &'a str)>,
    secrets: &[String],
) -> Vec<Leak> {
    let mut patterns: Vec<String> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (i, s) in secrets.iter().enumerate() {
        for p in pieces(s) {
            patterns.push(p);
            owner.push(i);
        }
    }
    let automaton = aho_corasick::AhoCorasick::new(&patterns).unwrap();
    // Identical outputs (standard output and the `-o` file) are decoded once.
    let mut distinct: Vec<(&str, Vec<&str>)> = Vec::new();
    for (label, text) in outputs {
        match distinct.iter_mut().find(|(t, _)| *t == text) {
            Some((_, labels)) => labels.push(label),
            None => distinct.push((text, vec![label])),
        }
    }
    let mut leaks = Vec::new();
    for (text, labels) in distinct {
        let mut seen = BTreeSet::new();
        for (variant, decoded) in decoded_variants(text) {
            for m in automaton.find_overlapping_iter(&decoded) {
                let secret = owner[m.pattern().as_usize()];
                if !seen.insert(secret) {
                    continue;
                }
                let start = decoded[..m.start()]
                    .char_indices()
                    .rev()
                    .nth(30)
                    .map_or(0, |(i, _)| i);
                let end = decoded[m.end()..]
                    .char_indices()
                    .nth(30)
                    .map_or(decoded.len(), |(i, _)| m.end() + i);
                for label in &labels {
                    leaks.push(Leak {
                        output: label.to_string(),
                        variant,
                        piece: patterns[m.pattern().as_usize()].clone(),
                        secret: secrets[secret].clone(),
                        context: decoded[start..end].replace('\n', "\u{23ce}"),
                    });
                }
            }
        }
    }
    leaks
}

/// Leaks grouped by secret: the outputs each leaks into, and one example.
fn summarise(leaks: &[Leak]) -> Vec<String> {
    let mut secrets: Vec<&str> = leaks.iter().map(|l| l.secret.as_str()).collect();
    secrets.dedup();
    let mut seen = BTreeSet::new();
    secrets.retain(|s| seen.insert(*s));
    secrets
        .into_iter()
        .map(|secret| {
            let of: Vec<&Leak> = leaks.iter().filter(|l| l.secret == secret).collect();
            let mut outputs: Vec<&str> = of.iter().map(|l| l.output.as_str()).collect();
            outputs.dedup();
            format!(
                "secret {:?} leaks into {} output(s): {}\n      e.g. {}",
                short(secret, 40),
                outputs.len(),
                outputs.join(", "),
                of[0]
            )
        })
        .collect()
}

/// Case design: a secret whose pieces occur in the rule documentation (printed in full
/// by SARIF) would make a leak test fail for nothing.
fn assert_distinctive(secrets: &[String]) {
    static DOCS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let docs = DOCS.get_or_init(|| {
        let mut all = String::new();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        for e in std::fs::read_dir(dir).unwrap() {
            all.push_str(&std::fs::read_to_string(e.unwrap().path()).unwrap());
        }
        all
    });
    let found = find_leaks([("rules/*.md", docs.as_str())], secrets);
    assert!(
        found.is_empty(),
        "case design: secret pieces occur in the rule documentation:\n{}",
        found
            .iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The leak check of §1: every output of every format, decoded; the `shown` texts are
/// rendered; the run status is what the case expects.
fn check_no_leak(name: &str, case: &Case) {
    assert_distinctive(&case.secrets);
    let runs = run_case(case, &format!("leak-{name}"));
    let mut problems = Vec::new();
    for (label, code) in &runs.codes {
        let ok = if case.run_error {
            *code == Some(2)
        } else {
            matches!(code, Some(0 | 1))
        };
        if !ok {
            problems.push(format!("{label}: exit status {code:?}"));
        }
    }
    // Run errors: the message on standard error; otherwise a source line of a snippet.
    let shown_in = if case.run_error {
        runs.human_stderr.clone()
    } else {
        snippet_lines(&runs.human).join("\n")
    };
    for text in &case.shown {
        if !shown_in.contains(text.as_str()) {
            problems.push(format!(
                "the line holding a secret is not rendered: {text:?} missing from the {}",
                if case.run_error {
                    "stderr"
                } else {
                    "snippets of the human output"
                }
            ));
        }
    }
    let leaks = find_leaks(
        runs.outputs
            .iter()
            .map(|o| (o.label.as_str(), o.text.as_str())),
        &case.secrets,
    );
    problems.extend(summarise(&leaks));
    if std::env::var_os("SECRETS_DUMP").is_some() {
        eprintln!(
            "===== {name} human:\n{}\n----- stderr:\n{}",
            runs.human, runs.human_stderr
        );
    }
    assert!(
        problems.is_empty(),
        "{name}: {} problem(s):\n  {}\n----- human output:\n{}",
        problems.len(),
        problems.join("\n  "),
        short(&runs.human, 6000)
    );
}

/// The source lines of the human output's snippets (`12 │ …`), not messages or help.
fn snippet_lines(human: &str) -> Vec<&str> {
    human
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            digits > 0 && t[digits..].starts_with(" \u{2502}")
        })
        .collect()
}

// ---- Secrets of the same byte length --------------------------------------------------

/// Which of two secrets of the same byte length a case plants.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Variant {
    /// The secrets as written in the case.
    A,
    /// Other characters, same byte length: letters rotated, digits shifted, and two
    /// pairs of ASCII characters replaced by one 2-byte character each (`é`, and a
    /// Cyrillic `а` that looks like a Latin one). Punctuation is kept (it is syntax).
    B,
}

impl Variant {
    fn s(self, secret: &str) -> String {
        match self {
            Variant::A => secret.to_string(),
            Variant::B => other_same_length(secret),
        }
    }

    /// Hexadecimal: other hex digits, same length.
    fn hex(self, secret: &str) -> String {
        match self {
            Variant::A => secret.to_string(),
            Variant::B => secret
                .chars()
                .map(|c| match c.to_digit(16) {
                    Some(d) => char::from_digit((d + 7) % 16, 16)
                        .unwrap()
                        .to_ascii_uppercase(),
                    None => c,
                })
                .collect(),
        }
    }
}

fn other_same_length(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let mut out = String::new();
    let mut swapped = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if swapped < 2
            && i + 1 < chars.len()
            && c.is_ascii_alphanumeric()
            && chars[i + 1].is_ascii_alphanumeric()
        {
            out.push(if swapped == 0 { 'é' } else { '\u{430}' });
            swapped += 1;
            i += 2;
            continue;
        }
        out.push(match c {
            'a'..='z' => (b'a' + (c as u8 - b'a' + 13) % 26) as char,
            'A'..='Z' => (b'A' + (c as u8 - b'A' + 13) % 26) as char,
            '0'..='9' => (b'0' + (c as u8 - b'0' + 5) % 10) as char,
            'é' => 'ü',
            other => other,
        });
        i += 1;
    }
    assert_eq!(out.len(), secret.len());
    out
}

/// A deterministic random-looking text: every window of 5 characters holds a digit and a
/// symbol, so no piece of it is a word of the rule documentation.
fn noise(seed: u64, len: usize) -> String {
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
    const DIGIT: &[u8] = b"23456789";
    const SYMBOL: &[u8] = b"#!@^~+";
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..len)
        .map(|i| {
            let set = [UPPER, DIGIT, LOWER, SYMBOL][i % 4];
            set[(next() % set.len() as u64) as usize] as char
        })
        .collect()
}

/// Random-looking upper-case hexadecimal.
fn hex_noise(seed: u64, len: usize) -> String {
    let mut state = seed.wrapping_mul(0x2545_F491_4F6C_DD1D) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            char::from_digit((state % 16) as u32, 16)
                .unwrap()
                .to_ascii_uppercase()
        })
        .collect()
}

/// Pieces of a long secret to look for: its start, middle, tail and the text around
/// `around` (a character index), 40 characters each.
fn long_pieces(secret: &str, around: Option<usize>) -> Vec<String> {
    let chars: Vec<char> = secret.chars().collect();
    let take = |from: usize| -> String {
        let from = from.min(chars.len().saturating_sub(40));
        chars[from..(from + 40).min(chars.len())].iter().collect()
    };
    let mut out = vec![
        take(0),
        take(chars.len() / 3),
        take(chars.len() / 2),
        take(chars.len() - 40),
    ];
    if let Some(at) = around {
        out.push(take(at.saturating_sub(20)));
    }
    out
}

// =====================================================================================
// The link set-up the cases are built on.
// =====================================================================================

/// The parameters of the base set-up.
const PARAMS: &str = r#"# Resolved values of the Orders link
[sql_server]
name = "SQLORD02"
fqdn = "sqlord02.prod.quayside-retail.net"
endpoint_port = 5022
version = 2022

[managed_instance]
name = "mi-quayside-orders-frc"
fqdn = "mi-quayside-orders-frc.0a4f6c2e8b13.database.windows.net"

[link]
availability_group = "AG_Orders"
distributed_availability_group = "dag-orders"
instance_availability_group = "AG_Orders_MI"
databases = ["Orders"]
initial_primary = "sql_server"
"#;

/// A correct SQL-Server-first link set-up for the Orders database, with `master_key` as
/// its master-key step, `before_dag` just before the DAG, and `dag` as the DAG's name.
fn link_sql_with(master_key: &str, before_dag: &str, dag: &str) -> String {
    format!(
        r#"-- Managed Instance link for [Orders], run on SQLORD02
USE master;
GO
{master_key}
GO
CREATE CERTIFICATE [Cert_SQLORD02_endpoint]
    WITH SUBJECT = N'Certificate for the link endpoint', EXPIRY_DATE = '20311130';
GO
CREATE ENDPOINT [Hadr_endpoint] STATE = STARTED
    AS TCP (LISTENER_PORT = 5022, LISTENER_IP = ALL)
    FOR DATABASE_MIRRORING (ROLE = ALL, AUTHENTICATION = CERTIFICATE [Cert_SQLORD02_endpoint],
        ENCRYPTION = REQUIRED ALGORITHM AES);
GO
ALTER DATABASE [Orders] SET RECOVERY FULL;
GO
BACKUP DATABASE [Orders] TO DISK = N'G:\Backup\Orders_full.bak' WITH INIT, COMPRESSION;
GO
CREATE AVAILABILITY GROUP [AG_Orders] WITH (CLUSTER_TYPE = NONE) FOR DATABASE [Orders]
    REPLICA ON N'SQLORD02' WITH (ENDPOINT_URL = 'TCP://sqlord02.prod.quayside-retail.net:5022',
        AVAILABILITY_MODE = SYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);
GO
{before_dag}
CREATE AVAILABILITY GROUP [{dag}] WITH (DISTRIBUTED) AVAILABILITY GROUP ON
    N'AG_Orders' WITH (LISTENER_URL = 'TCP://sqlord02.prod.quayside-retail.net:5022',
        AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC,
        SESSION_TIMEOUT = 20),
    N'AG_Orders_MI' WITH (LISTENER_URL = 'tcp://mi-quayside-orders-frc.0a4f6c2e8b13.database.windows.net:5022;Server=[mi-quayside-orders-frc]',
        AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);
GO
"#
    )
}

fn link_sql(master_key: &str) -> String {
    link_sql_with(master_key, "", "dag-orders")
}

/// The master-key step with a password variable (no secret in the script).
const MK_VARIABLE: &str = "CREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(MasterKeyPassword)';";

// =====================================================================================
// §1 The leak cases: one function per form, parameterised by the secret variant.
// =====================================================================================

/// `CREATE MASTER KEY ENCRYPTION BY PASSWORD Zq…;`: no `=`, no quotes; the parse error
/// quotes the token.
fn bare_password_token(v: Variant) -> Case {
    let pw = v.s("Zq7wordBare42");
    Case::new()
        .file(
            "link.sql",
            link_sql(&format!(
                "CREATE MASTER KEY ENCRYPTION BY PASSWORD {pw}; -- step-01-bare"
            )),
        )
        .params()
        .secret(pw)
        .shown("step-01-bare")
}

/// A `:setvar` with a secret-looking name used as the DAG name: ML101 quotes the name,
/// ML116 suggests its lower-cased, dashed form.
fn setvar_secret_used_as_dag_name(v: Variant) -> Case {
    let pw = v.s("Kv3_DagPass_Word9");
    // A name made from a secret is a value the tool does not know: no name rule reads
    // it. The `:connect` to another server (ML405) renders the statement's first line.
    let script = format!(
        ":setvar MasterKeyPassword \"{pw}\"\n{}",
        link_sql_with(MK_VARIABLE, ":connect sqlold95", "$(MasterKeyPassword)")
    );
    Case::new()
        .file("link.sql", script)
        .params()
        .secret(pw)
        .shown(":setvar MasterKeyPassword")
        .shown("CREATE AVAILABILITY GROUP [$(MasterKeyPassword)]")
}

/// `--var 'MasterKeyPassword:…'` (a colon instead of `=`): a run error.
fn malformed_var_argument(v: Variant) -> Case {
    let pw = v.s("Zq7ColonVar55");
    Case::new()
        .file("link.sql", link_sql(MK_VARIABLE))
        .arg("--var")
        .arg(format!("MasterKeyPassword:{pw}"))
        .secret(pw)
        .shown("--var")
        .run_error()
}

/// milink.toml `vars = "MasterKeyPassword=…"`: a string instead of a table.
fn config_vars_as_string(v: Variant) -> Case {
    let pw = v.s("Zq8StrVar66x");
    Case::new()
        .file("link.sql", link_sql(MK_VARIABLE))
        .file(
            "milink.toml",
            format!("# run-time values\nvars = \"MasterKeyPassword={pw}\"\n"),
        )
        .secret(pw)
        .shown("milink.toml")
        .run_error()
}

/// milink.toml `[vars]` with an integer password.
fn config_var_as_integer(v: Variant) -> Case {
    let pw = match v {
        Variant::A => "918273645501".to_string(),
        Variant::B => "364519287730".to_string(),
    };
    Case::new()
        .file("link.sql", link_sql(MK_VARIABLE))
        .file("milink.toml", format!("[vars]\nMasterKeyPassword = {pw}\n"))
        .secret(pw)
        .shown("milink.toml")
        .run_error()
}

/// milink.toml `[vars]` whose password line is a TOML syntax error (unterminated string).
fn config_var_unterminated_string(v: Variant) -> Case {
    let pw = v.s("Zq9Uxtrm77!Rx");
    Case::new()
        .file("link.sql", link_sql(MK_VARIABLE))
        .file(
            "milink.toml",
            format!("[vars]\nMasterKeyPassword = \"{pw}\nDagSuffix = \"orders\"\n"),
        )
        .secret(pw)
        .shown("milink.toml")
        .run_error()
}

/// A password continued on the next line with a backslash inside the string: both
/// halves are the password (and so is the joined value).
fn password_with_line_continuation(v: Variant) -> Case {
    let first = v.s("Mq4#Rv8!Lp2");
    let second = v.s("Q7#Wn5!Ty");
    // The `:connect` to another server (ML405) labels the whole statement: both lines.
    let step = format!(
        ":connect sqlold95\nCREATE MASTER KEY /* mk-first-line */ ENCRYPTION BY PASSWORD = '{first}\\\n{second}'; -- mk-second-line\nGO\n:connect sqlord02"
    );
    Case::new()
        .file("link.sql", link_sql(&step))
        .params()
        .secret(format!("{first}{second}"))
        .secret(first)
        .secret(second)
        .shown("mk-first-line")
        .shown("mk-second-line")
}

/// Dynamic SQL whose inner password holds an apostrophe, written as four quotes.
fn dynamic_sql_escaped_apostrophe(v: Variant) -> Case {
    let (head, tail) = (v.s("Ap0s"), v.s("tr0phe!Zq9"));
    let step = format!(
        "EXEC('CREATE MASTER KEY ENCRYPTION BY PASSWORD = ''{head}''''{tail}'';'); -- mk-dynamic-apostrophe"
    );
    Case::new()
        .file("link.sql", link_sql(&step))
        .params()
        .secret(format!("{head}'{tail}"))
        .secret(format!("{head}''''{tail}"))
        .secret(format!("{head}''{tail}"))
        .shown("mk-dynamic-apostrophe")
}

/// Dynamic SQL whose password is built from literals joined with `+`.
fn dynamic_sql_concatenated_literals(v: Variant) -> Case {
    let (a, b) = (v.s("Pc1!Xy"), v.s("Wv8#Tail"));
    let step = format!(
        "EXEC('CREATE MASTER KEY ENCRYPTION BY PASSWORD = ''' + '{a}' + '{b}' + ''';'); -- mk-dynamic-concat"
    );
    Case::new()
        .file("link.sql", link_sql(&step))
        .params()
        .secret(format!("{a}{b}"))
        .secret(a)
        .secret(b)
        .shown("mk-dynamic-concat")
}

/// The password kept in a variable whose name does not look like one, then used in
/// dynamic SQL: the DECLARE's literal is the secret.
fn password_in_a_variable(v: Variant) -> Case {
    let pw = v.s("Dk5!VarPass#8q");
    // One line: the finding on the dynamic SQL (or, once fixed, on the literal) renders it.
    let step = format!(
        "DECLARE @key nvarchar(128) = N'{pw}'; EXEC('CREATE MASTER KEY ENCRYPTION BY PASSWORD = ''' + @key + ''';'); -- mk-declare"
    );
    Case::new()
        .file("link.sql", link_sql(&step))
        .params()
        .secret(pw)
        .shown("mk-declare")
}

/// `-P` values with a comma: in a commented sqlcmd command line and on `:connect`.
fn sqlcmd_password_with_comma(v: Variant) -> Case {
    let (p1, p2) = (v.s("Tq1!Ab,Cd9#x"), v.s("Tq2!Ef,Gh8#y"));
    let script = format!(
        "-- run with: sqlcmd -S sqlord02 -U sa -P {p1} -i step.sql\n\
         :connect sqlord02 -U sa -P {p2}\n{}",
        link_sql(MK_VARIABLE)
    );
    Case::new()
        .file("link.sql", script)
        .link_params()
        .secret(p1)
        .secret(p2)
        .shown("-i step.sql")
        .shown(":connect sqlord02")
}

/// A T-SQL connection string whose password holds a doubled quote.
fn connection_string_quote_tsql(v: Variant) -> Case {
    let (a, b) = (v.s("Tq3!Ij"), v.s("Kl7#zR"));
    let step = format!(
        "{MK_VARIABLE}\nGO\nEXEC sp_addlinkedserver @server = N'LNK_ORD', @srvproduct = N'', @provider = N'MSOLEDBSQL', @provstr = N'Server=sqlord02;User ID=sa;Password={a}''{b};Encrypt=yes'; -- conn-tsql"
    );
    Case::new()
        .file("link.sql", link_sql(&step))
        .link_params()
        .secret(format!("{a}'{b}"))
        .secret(format!("{a}''{b}"))
        .shown("conn-tsql")
}

/// A PowerShell connection string whose password holds a double quote; the same line
/// runs the link script on the wrong server (ML405).
fn connection_string_quote_powershell(v: Variant) -> Case {
    let (a, b) = (v.s("Ab"), v.s("cD9#xQw2"));
    let ps1 = format!(
        "$cs = 'Server=sqlold97;User Id=sa;Pwd={a}\"{b};Encrypt=True'; Invoke-Sqlcmd -ServerInstance sqlold97 -InputFile link.sql # conn-ps1\n"
    );
    Case::new()
        .file("link.sql", link_sql(MK_VARIABLE))
        .file("deploy.ps1", ps1)
        .link_params()
        .secret(format!("{a}\"{b}"))
        .shown("conn-ps1")
}

/// A JSON `"password"` with an escaped quote, in a comment on a rendered line.
fn json_password_with_escaped_quote(v: Variant) -> Case {
    let (a, b) = (v.s("Js1"), v.s("Tail#Zz9"));
    let script = format!(
        "-- deployment settings\n:connect sqlold95\nCREATE CERTIFICATE [Cert_Extra] -- settings: {{\"login\":\"sa\",\"password\":\"{a}\\\"{b}\"}} json-cmt\n    WITH SUBJECT = N'extra', EXPIRY_DATE = '20311130';\nGO\n:connect sqlord02\n{}",
        link_sql(MK_VARIABLE)
    );
    Case::new()
        .file("link.sql", script)
        .link_params()
        .secret(format!("{a}\"{b}"))
        .secret(format!("{a}\\\"{b}"))
        .shown("json-cmt")
}

/// A `:setvar` password defined in the master script, used as a password in a file it
/// includes with `:r`; its name does not look like a password. A look-alike character
/// in the value (ML115) makes the `:setvar` line render.
fn setvar_password_used_in_included_file(v: Variant) -> Case {
    let (a, b) = (v.s("Rv6!Incl"), v.s("Ded#3Zp"));
    // U+2010 (a Unicode hyphen) between the halves: ML115 points at it.
    let master = format!(
        ":setvar StepValue \"{a}\u{2010}{b}\"\n:setvar Unused \"x\"\n:r 01_master_key.sql\n:r 02_link.sql\n"
    );
    Case::new()
        .file("master.sql", master)
        .file(
            "01_master_key.sql",
            "CREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(StepValue)';\nGO\n",
        )
        .file("02_link.sql", link_sql("PRINT 'master key done';"))
        .params()
        .secret(a)
        .secret(b)
        .shown(":setvar StepValue")
}

/// The same, with the `:setvar` after the `:r` that uses it.
fn setvar_password_defined_after_include(v: Variant) -> Case {
    let pw = v.s("Rw7!Lxtdf#4Q");
    // Used once more in the master script before its `:setvar`: ML502 labels the
    // `:setvar` line ("defined only later, here").
    let master = format!(
        ":on error exit\n:r 01_master_key.sql\nPRINT 'master key step done: $(StepValue)'\nGO\n:setvar StepValue \"{pw}\"\n:r 02_link.sql\n"
    );
    Case::new()
        .file("master.sql", master)
        .file(
            "01_master_key.sql",
            ":on error exit\nCREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(StepValue)';\nGO\n",
        )
        .file("02_link.sql", link_sql("PRINT 'master key done';"))
        .params()
        .secret(pw)
        .shown(":setvar StepValue")
}

/// `sqlcmd -v MK="…"` in a .sh script that runs the link script on the wrong server.
fn sqlcmd_v_in_shell_script(v: Variant) -> Case {
    let pw = v.s("Vq2!ShVar#77");
    Case::new()
        .file(
            "link.sql",
            link_sql("CREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(MK)';"),
        )
        .file(
            "deploy.sh",
            format!("#!/bin/sh\nset -e\nsqlcmd -S sqlold99 -U sa -v MK=\"{pw}\" -i link.sql\n"),
        )
        .params()
        .secret(pw)
        .shown("sqlcmd -S sqlold99")
}

/// The same in a .cmd script.
fn sqlcmd_v_in_cmd_script(v: Variant) -> Case {
    let pw = v.s("Vq3!CmdVar#66");
    Case::new()
        .file(
            "link.sql",
            link_sql("CREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(MK)';"),
        )
        .file(
            "deploy.cmd",
            format!("@echo off\r\nsqlcmd -S sqlold96 -U sa -v MK=\"{pw}\" -i link.sql\r\n"),
        )
        .params()
        .secret(pw)
        .shown("sqlcmd -S sqlold96")
}

/// `Invoke-Sqlcmd -Pass '…'` and `-Passwo '…'`: PowerShell accepts unambiguous prefixes
/// of `-Password`.
fn powershell_password_prefixes(v: Variant) -> Case {
    let (p1, p2) = (v.s("Pp1!Prqfx#A9"), v.s("Pp2!Prwfx#B8"));
    let ps1 = format!(
        "Invoke-Sqlcmd -ServerInstance sqlold98 -Username sa -Pass '{p1}' -InputFile link.sql # prefix-one\n\
         Invoke-Sqlcmd -ServerInstance sqlold94 -Username sa -Passwo '{p2}' -InputFile link.sql # prefix-two\n"
    );
    Case::new()
        .file("link.sql", link_sql(MK_VARIABLE))
        .file("deploy.ps1", ps1)
        .link_params()
        .secret(p1)
        .secret(p2)
        .shown("prefix-one")
        .shown("prefix-two")
}

/// The master key password repeated in a comment of the same file and in another file.
fn known_secret_repeated(v: Variant) -> Case {
    let pw = v.s("Rk8!Kxwn#Pw5q");
    let before_dag = format!(
        ":connect sqlold95\nCREATE CERTIFICATE [Cert_Spare] -- protected by the master key {pw}\n    WITH SUBJECT = N'spare', EXPIRY_DATE = '20311130';\nGO\n:connect sqlord02"
    );
    let script = link_sql_with(
        &format!("CREATE MASTER KEY ENCRYPTION BY PASSWORD = '{pw}';"),
        &before_dag,
        "dag-orders",
    );
    Case::new()
        .file("link.sql", script)
        .file(
            "deploy.sh",
            format!("#!/bin/sh\nsqlcmd -S sqlold99 -i link.sql   # master key: {pw}\n"),
        )
        .params()
        .secret(pw)
        .shown("protected by the master key")
        .shown("# master key:")
}

/// A password of 5,000 bytes.
fn very_long_password(v: Variant) -> Case {
    let pw = v.s(&noise(1, 5000));
    let mut case = Case::new()
        .file(
            "link.sql",
            link_sql(&format!(
                "CREATE MASTER KEY ENCRYPTION BY PASSWORD = '{pw}'; -- mk-long"
            )),
        )
        .params()
        .shown("mk-long");
    for p in long_pieces(&pw, Some(4096)) {
        case = case.secret(p);
    }
    case
}

/// A password whose byte 4,096 is in the middle of a 2-byte character.
fn long_password_multibyte_at_4096(v: Variant) -> Case {
    let pw = v.s(&format!("{}é{}", noise(2, 4095), noise(3, 300)));
    let mut case = Case::new()
        .file(
            "link.sql",
            link_sql(&format!(
                "CREATE MASTER KEY ENCRYPTION BY PASSWORD = '{pw}'; -- mk-4096"
            )),
        )
        .params()
        .shown("mk-4096");
    for p in long_pieces(&pw, Some(4094)) {
        case = case.secret(p);
    }
    case
}

/// A private key blob of more than 16 KB of hex, with its decryption password.
fn private_key_blob(v: Variant) -> Case {
    let public = hex_noise(4, 900);
    let private = v.hex(&hex_noise(5, 17_000));
    let pw = v.s("Pk7!Dkcrpt#Blb2");
    let step = format!(
        "CREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(MasterKeyPassword)';\nGO\n\
         CREATE CERTIFICATE [Cert_Imported] FROM BINARY = 0x{public} WITH PRIVATE KEY (BINARY = 0x{private}, DECRYPTION BY PASSWORD = '{pw}'); -- key-blob"
    );
    let mut case = Case::new()
        .file("link.sql", link_sql(&step))
        .link_params()
        .secret(pw)
        .shown("key-blob");
    for p in long_pieces(&private, None) {
        case = case.secret(p);
    }
    case
}

/// The parameters file: a commented-out password on a line that a finding labels.
fn params_file_comment(v: Variant) -> Case {
    let pw = v.s("Pf4!Pqrmc#9Zw");
    let params = PARAMS.replace(
        "distributed_availability_group = \"dag-orders\"",
        &format!("distributed_availability_group = \"dag-orders-old\" # password = \"{pw}\""),
    );
    Case::new()
        .file("link.sql", link_sql(MK_VARIABLE))
        .file("params.toml", params)
        .arg("--params")
        .arg("params.toml")
        .arg("--var")
        .arg("MasterKeyPassword=x")
        .secret(pw)
        .shown("dag-orders-old")
}

/// An Azure export with a `"password"` on a line that a finding labels.
fn azure_export_password(v: Variant) -> Case {
    let pw = v.s("Ex5!Xqvrt#Pw1");
    let export = format!(
        r#"{{
  "distributedAvailabilityGroupName": "dag-orders",
  "id": "/subscriptions/5f3c1a7e-2b9d-4e61-8c0f-a1d2e3f4b5c6/resourceGroups/rg-orders/providers/Microsoft.Sql/managedInstances/mi-quayside-orders-frc/distributedAvailabilityGroups/dag-orders",
  "instanceAvailabilityGroupName": "AG_Orders_MI",
  "instanceLinkRole": "Secondary",
  "name": "dag-orders",
  "partnerAvailabilityGroupName": "AG_Orders_Old", "password": "{pw}",
  "partnerEndpoint": "TCP://sqlord02.prod.quayside-retail.net:5022",
  "databases": [{{"databaseName": "Orders"}}],
  "type": "Microsoft.Sql/managedInstances/distributedAvailabilityGroups"
}}
"#
    );
    Case::new()
        .file("link.sql", link_sql(MK_VARIABLE))
        .file("export.json", export)
        .params()
        .arg("--azure")
        .arg("export.json")
        .arg("--var")
        .arg("MasterKeyPassword=x")
        .secret(pw)
        .shown("AG_Orders_Old")
}

/// `--password=…`: a flag and its value, where two patterns match at one place.
fn password_flag_with_equals(v: Variant) -> Case {
    let (p1, p2) = (v.s("Ab,Cd#Tail9"), v.s("Xc,Vb#Kqzl7"));
    Case::new()
        .file("link.sql", link_sql(MK_VARIABLE))
        .file(
            "deploy.sh",
            format!(
                "#!/bin/sh\nsqlcmd -S sqlold99 -U sa --password={p1} -i link.sql\n\
                 az sql mi update -g rg-orders -n mi-quayside-orders-frc --admin-password={p2} && sqlcmd -S sqlold98 -i link.sql\n"
            ),
        )
        .link_params()
        .secret(p1)
        .secret(p2)
        .shown("sqlcmd -S sqlold99")
        .shown("az sql mi update")
}

/// `AccountKey=…` of a storage connection string, in a comment inside a rendered
/// statement.
fn storage_account_key(v: Variant) -> Case {
    let key = v.s("Sk3x9QvLw2Tb7Zr4Yp8Nc1Md6Hf5Jg0Ka2Wq9Er7Ty3Ui");
    let before_dag = format!(
        ":connect sqlold95\nCREATE CERTIFICATE [Cert_Spare] -- backups: DefaultEndpointsProtocol=https;AccountName=stlinkorders;AccountKey={key}==;EndpointSuffix=core.windows.net\n    WITH SUBJECT = N'spare', EXPIRY_DATE = '20311130';\nGO\n:connect sqlord02"
    );
    Case::new()
        .file(
            "link.sql",
            link_sql_with(MK_VARIABLE, &before_dag, "dag-orders"),
        )
        .link_params()
        .secret(key)
        .shown("AccountName=stlinkorders")
}

/// A SAS token (`…&sig=…`) in a backup URL (ML408 renders the line).
fn sas_token_in_url(v: Variant) -> Case {
    let sig = v.s("Sg7Qw2Er4Ty6Ui8Op0As1Df3Gh5Jk7Lz9Xc");
    let script = link_sql(MK_VARIABLE).replace(
        "BACKUP DATABASE [Orders] TO DISK = N'G:\\Backup\\Orders_full.bak' WITH INIT, COMPRESSION;",
        &format!("BACKUP DATABASE [Orders] TO URL = N'https://stlinkorders.blob.core.windows.net/backup/Orders.bak?sv=2022-11-02&ss=b&srt=o&sp=rwl&se=2030-01-01T00:00:00Z&sig={sig}%3D' WITH COPY_ONLY;"),
    );
    Case::new()
        .file("link.sql", script)
        .link_params()
        .secret(sig)
        .shown("stlinkorders.blob.core.windows.net")
}

/// A SAS token kept in a PowerShell variable, on a line that runs the link script on the
/// wrong server.
fn sas_token_in_powershell_variable(v: Variant) -> Case {
    let sig = v.s("Sv2Kd8Lp4Mx6Nz1Bq3Wr5Ty7Uh9Gf0Jc");
    let ps1 = format!(
        "$sas = '?sv=2022-11-02&ss=b&srt=o&sp=rwl&se=2030-01-01T00:00:00Z&sig={sig}%3D'; Invoke-Sqlcmd -ServerInstance sqlold97 -InputFile link.sql # sas-var\n"
    );
    Case::new()
        .file("link.sql", link_sql(MK_VARIABLE))
        .file("deploy.ps1", ps1)
        .link_params()
        .secret(sig)
        .shown("sas-var")
}

/// `Authorization: Bearer eyJ…` in a curl call on the line that runs the link script.
fn bearer_token(v: Variant) -> Case {
    let token = v.s("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJsaW5rLWRlcGxveSJ9.Tk9QmZr4Lw8Xv2Ns6Yb1");
    Case::new()
        .file("link.sql", link_sql(MK_VARIABLE))
        .file(
            "deploy.sh",
            format!("#!/bin/sh\ncurl -fsS -H \"Authorization: Bearer {token}\" -o link.sql https://artifacts.quayside-retail.net/link.sql && sqlcmd -S sqlold99 -i link.sql\n"),
        )
        .link_params()
        .secret(token)
        .shown("Authorization: Bearer")
}

/// `https://user:password@host/…` on the line that runs the link script.
fn credentials_in_url(v: Variant) -> Case {
    let pw = v.s("Uw5!UrlCred#2");
    Case::new()
        .file("link.sql", link_sql(MK_VARIABLE))
        .file(
            "deploy.sh",
            format!("#!/bin/sh\ncurl -fsS -o link.sql 'https://deploy:{pw}@artifacts.quayside-retail.net/link.sql' && sqlcmd -S sqlold99 -i link.sql\n"),
        )
        .link_params()
        .secret(pw)
        .shown("artifacts.quayside-retail.net")
}

/// `az keyvault secret set … --value …` on the line that runs the link script.
fn az_keyvault_secret_value(v: Variant) -> Case {
    let pw = v.s("Kz4!VqltVal#6");
    Case::new()
        .file(
            "link.sql",
            link_sql("CREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(MK)';"),
        )
        .file(
            "deploy.sh",
            format!("#!/bin/sh\naz keyvault secret set --vault-name kv-orders-link --name link-mk --value '{pw}' >/dev/null && sqlcmd -S sqlold99 -v MK=\"$MK\" -i link.sql\n"),
        )
        .params()
        .secret(pw)
        .shown("kv-orders-link")
}

/// One test per case, in a module named after the property.
macro_rules! per_case {
    ($module:ident, $check:ident: $($name:ident),* $(,)?) => {
        mod $module {
            $(
                #[test]
                fn $name() {
                    super::$check(stringify!($name), super::$name);
                }
            )*
        }
    };
}

fn leak_test(name: &str, case: fn(Variant) -> Case) {
    check_no_leak(name, &case(Variant::A));
}

per_case!(every_secret_form_is_masked_in_every_output, leak_test:
    bare_password_token,
    setvar_secret_used_as_dag_name,
    malformed_var_argument,
    config_vars_as_string,
    config_var_as_integer,
    config_var_unterminated_string,
    password_with_line_continuation,
    dynamic_sql_escaped_apostrophe,
    dynamic_sql_concatenated_literals,
    password_in_a_variable,
    sqlcmd_password_with_comma,
    connection_string_quote_tsql,
    connection_string_quote_powershell,
    json_password_with_escaped_quote,
    setvar_password_used_in_included_file,
    setvar_password_defined_after_include,
    sqlcmd_v_in_shell_script,
    sqlcmd_v_in_cmd_script,
    powershell_password_prefixes,
    known_secret_repeated,
    very_long_password,
    long_password_multibyte_at_4096,
    private_key_blob,
    params_file_comment,
    azure_export_password,
    password_flag_with_equals,
    storage_account_key,
    sas_token_in_url,
    sas_token_in_powershell_variable,
    bearer_token,
    credentials_in_url,
    az_keyvault_secret_value,
);

// =====================================================================================
// §2 Side channels: the output does not depend on the secret.
// =====================================================================================

/// Run variant A and variant B of a case: every format's standard output (and `-o` file
/// and standard error) must be byte-identical, and masks in the human output are runs of
/// `*` only.
fn side_channel_test(name: &str, case: fn(Variant) -> Case) {
    let (a, b) = (case(Variant::A), case(Variant::B));
    for ((path, x), (_, y)) in a.files.iter().zip(&b.files) {
        assert_eq!(
            x.len(),
            y.len(),
            "case design: {path} differs in byte length"
        );
    }
    let runs_a = run_case(&a, &format!("side-a-{name}"));
    let runs_b = run_case(&b, &format!("side-b-{name}"));
    let mut problems = Vec::new();
    for (format, _) in FORMATS {
        for (what, x, y) in [
            ("stdout", runs_a.stdout_of(format), runs_b.stdout_of(format)),
            ("-o file", runs_a.file_of(format), runs_b.file_of(format)),
            (
                "stderr",
                runs_a.get(&format!("{format} stderr")),
                runs_b.get(&format!("{format} stderr")),
            ),
        ] {
            if x != y {
                problems.push(format!(
                    "{format} {what} differs: {}",
                    first_difference(&x, &y)
                ));
            }
        }
    }
    // Masks are `*` only: none of the per-width fillers.
    for filler in ['\u{a4}', '\u{2217}', '\u{1f512}'] {
        for (v, runs) in [("A", &runs_a), ("B", &runs_b)] {
            if runs.human.contains(filler) {
                problems.push(format!(
                    "variant {v}: the human output masks with {filler:?}, not only '*'"
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{name}: the output depends on the secret:\n  {}",
        problems.join("\n  ")
    );
}

/// The first differing line of two texts, shortened.
fn first_difference(x: &str, y: &str) -> String {
    for (n, (lx, ly)) in x.lines().zip(y.lines()).enumerate() {
        if lx != ly {
            return format!(
                "line {}:\n      A: {}\n      B: {}",
                n + 1,
                short(lx, 160),
                short(ly, 160)
            );
        }
    }
    format!("{} lines vs {} lines", x.lines().count(), y.lines().count())
}

per_case!(masked_text_does_not_depend_on_the_secret, side_channel_test:
    bare_password_token,
    setvar_secret_used_as_dag_name,
    malformed_var_argument,
    config_var_unterminated_string,
    password_with_line_continuation,
    dynamic_sql_escaped_apostrophe,
    sqlcmd_password_with_comma,
    connection_string_quote_tsql,
    setvar_password_used_in_included_file,
    very_long_password,
    long_password_multibyte_at_4096,
    private_key_blob,
    params_file_comment,
    storage_account_key,
    password_flag_with_equals,
);

/// A plain quoted password (the form every link set-up has): the baseline of §2.
fn plain_quoted_password(v: Variant) -> Case {
    let pw = v.s("Hb6!Plqnqtd#3");
    Case::new()
        .file(
            "link.sql",
            link_sql(&format!(
                "CREATE MASTER KEY ENCRYPTION BY PASSWORD = '{pw}'; -- mk-plain"
            )),
        )
        .params()
        .secret(pw)
        .shown("mk-plain")
}

#[test]
fn plain_quoted_password_is_masked_with_a_fixed_character() {
    check_no_leak("plain_quoted_password", &plain_quoted_password(Variant::A));
    // The mask is a run of `*` after the quote, of the same length whatever the
    // characters were (A is all ASCII, B has 2-byte characters; same byte length).
    let mut masks = Vec::new();
    for v in [Variant::A, Variant::B] {
        let runs = run_case(&plain_quoted_password(v), &format!("mask-{v:?}"));
        let line = snippet_lines(&runs.human)
            .into_iter()
            .find(|l| l.contains("mk-plain"))
            .expect("the master key line is rendered")
            .to_string();
        let after = line.split("PASSWORD = '").nth(1).expect("the password");
        let mask: String = after.chars().take_while(|c| *c != '\'').collect();
        assert!(
            !mask.is_empty() && mask.chars().all(|c| c == '*'),
            "variant {v:?}: the mask is {mask:?}, not a run of '*'"
        );
        masks.push(mask);
    }
    assert_eq!(
        masks[0].len(),
        masks[1].len(),
        "the mask's length depends on the characters' widths"
    );
    side_channel_test("plain_quoted_password", plain_quoted_password);
}

/// Fingerprints (gitlab `fingerprint`, sarif `partialFingerprints`) of a password split
/// by a line continuation do not change with the secret.
#[test]
fn fingerprints_do_not_depend_on_the_secret() {
    let fingerprints = |v: Variant| {
        let runs = run_case(
            &password_with_line_continuation(v),
            &format!("fingerprints-{v:?}"),
        );
        let gitlab: serde_json::Value =
            serde_json::from_str(&runs.stdout_of("gitlab")).expect("gitlab JSON");
        let sarif: serde_json::Value =
            serde_json::from_str(&runs.stdout_of("sarif")).expect("sarif JSON");
        let mut out: Vec<String> = gitlab
            .as_array()
            .unwrap()
            .iter()
            .map(|d| format!("gitlab {} {}", d["check_name"], d["fingerprint"]))
            .collect();
        for r in sarif["runs"][0]["results"].as_array().unwrap() {
            out.push(format!(
                "sarif {} {}",
                r["ruleId"], r["partialFingerprints"]
            ));
        }
        out
    };
    let (a, b) = (fingerprints(Variant::A), fingerprints(Variant::B));
    assert!(!a.is_empty(), "no finding at all");
    assert_eq!(a, b, "fingerprints depend on the secret");
}

// =====================================================================================
// §3 Over-masking: nothing but the secret is masked.
// =====================================================================================

/// A set-up with texts that must stay visible in the human and JSON outputs, and lines
/// (by a marker on them) that must get no ML505.
struct Visible {
    case: Case,
    /// Texts the human output must show (snippets, messages, help).
    human: Vec<&'static str>,
    /// Texts the JSON output must show (messages, help; JSON has no snippets).
    json: Vec<&'static str>,
    /// Markers of lines that hold a reference, not a secret: no ML505 there.
    no_ml505: Vec<&'static str>,
}

fn check_visible(name: &str, v: Visible) {
    let runs = run_case(&v.case, &format!("visible-{name}"));
    let json: serde_json::Value = serde_json::from_str(&runs.json).unwrap_or_else(|e| {
        panic!(
            "{name}: JSON output unreadable ({e}): {}",
            short(&runs.json, 400)
        )
    });
    // JSON: every string of the document, decoded by serde.
    let mut json_text = String::new();
    collect_strings(&json, &mut json_text);
    let mut problems = Vec::new();
    for text in &v.human {
        if !runs.human.contains(text) {
            problems.push(format!("human output lacks {text:?}"));
        }
    }
    for text in &v.json {
        if !json_text.contains(text) {
            problems.push(format!("JSON output lacks {text:?}"));
        }
    }
    for d in json["diagnostics"].as_array().into_iter().flatten() {
        if d["code"] != "ML505" {
            continue;
        }
        let file = d["file"].as_str().unwrap_or_default();
        let line = d["line"].as_u64().unwrap_or(0) as usize;
        let text = v.case.line_of(file, line).unwrap_or_default();
        for marker in &v.no_ml505 {
            if text.contains(marker) {
                problems.push(format!(
                    "ML505 on a reference, {file}:{line}: {}",
                    text.trim()
                ));
            }
        }
    }
    if std::env::var_os("SECRETS_DUMP").is_some() {
        eprintln!("===== {name} human:\n{}", runs.human);
    }
    assert!(
        problems.is_empty(),
        "{name}:\n  {}\n----- human output:\n{}",
        problems.join("\n  "),
        short(&runs.human, 6000)
    );
}

fn collect_strings(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}

/// The password `name`: the word "rename" of ML101's and ML116's help stays whole.
fn short_password_inside_words() -> Visible {
    let script = link_sql_with(
        "CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'name';",
        "",
        "DAG_Orders",
    );
    Visible {
        case: Case::new().file("link.sql", script).params(),
        human: vec!["rename", "group name"],
        json: vec!["rename", "group name"],
        no_ml505: vec![],
    }
}

/// The password `Ledger2024!` and a database `Ledger` that ML105 reports.
fn password_sharing_a_database_name() -> Visible {
    let script = link_sql("CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'Ledger2024!';")
        .replace("[Orders]", "[Ledger]");
    Visible {
        case: Case::new().file("link.sql", script).params(),
        human: vec!["'Ledger'", "[Ledger]"],
        json: vec!["'Ledger'"],
        no_ml505: vec![],
    }
}

/// PowerShell parameters that start like `-Password` (`-PassThru`, `-Path`,
/// `-Parameter`) on lines that ML405 renders.
fn powershell_parameters_like_password() -> Visible {
    let ps1 = "Invoke-Sqlcmd -ServerInstance sqlold98 -InputFile link.sql -PassThru | Out-Null\n\
               $log = Join-Path -Path $PSScriptRoot -ChildPath 'link.log'; Invoke-Sqlcmd -ServerInstance sqlold97 -InputFile link.sql -Parameter Orders\n";
    Visible {
        case: Case::new()
            .file("link.sql", link_sql(MK_VARIABLE))
            .file("deploy.ps1", ps1)
            .params()
            .arg("--var")
            .arg("MasterKeyPassword=x"),
        human: vec![
            "-PassThru",
            "Join-Path -Path $PSScriptRoot",
            "-Parameter Orders",
            // ML405's message: a masked parameter value must not reach it.
            "not the SQL Server of the parameters file",
        ],
        json: vec!["not the SQL Server of the parameters file"],
        no_ml505: vec![],
    }
}

/// References in PowerShell are not secrets: `-Password $SqlAdminPassword` and
/// `-P $env:SQL_PWD`, on lines that run the link script on the wrong server (ML405).
fn powershell_references_are_not_secrets() -> Visible {
    let ps1 = "Invoke-Sqlcmd -ServerInstance sqlold98 -Username sa -Password $SqlAdminPassword -InputFile link.sql\n\
               sqlcmd -S sqlold97 -U sa -P $env:SQL_PWD -i link.sql\n";
    Visible {
        case: Case::new()
            .file("link.sql", link_sql(MK_VARIABLE))
            .file("deploy.ps1", ps1)
            .params()
            .arg("--var")
            .arg("MasterKeyPassword=x"),
        human: vec!["-Password $SqlAdminPassword", "-P $env:SQL_PWD"],
        json: vec![],
        no_ml505: vec!["$SqlAdminPassword", "$env:SQL_PWD"],
    }
}

/// References in T-SQL are not secrets: `PASSWORD = '$(LoginPart1)$(LoginPart2)'` (two
/// variables), and `N''' + @mk + N'''` around a variable in dynamic SQL (the DECLARE's
/// literal is the secret). A `:connect` to another server (ML405) renders each line.
fn tsql_references_are_not_secrets() -> Visible {
    let step = ":setvar LoginPart1 \"Lp1!HalfA#x\"\n:setvar LoginPart2 \"Lp2!HalfB#y\"\n\
                :connect sqlold95\n\
                CREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(LoginPart1)$(LoginPart2)'; -- ref-setvar\n\
                GO\n\
                :connect sqlold93\n\
                DECLARE @mk nvarchar(128) = N'Dm3!Declared#7';\n\
                EXEC(N'CREATE MASTER KEY ENCRYPTION BY PASSWORD = N''' + @mk + N''';'); -- ref-dynamic\n\
                GO\n\
                :connect sqlord02";
    Visible {
        case: Case::new().file("link.sql", link_sql(step)).params(),
        human: vec![
            "PASSWORD = '$(LoginPart1)$(LoginPart2)'",
            "'' + @mk + N''';'",
        ],
        json: vec![],
        no_ml505: vec!["ref-setvar", "ref-dynamic"],
    }
}

macro_rules! visible_tests {
    ($($name:ident),* $(,)?) => {
        mod nothing_but_the_secret_is_masked {
            $(
                #[test]
                fn $name() {
                    super::check_visible(stringify!($name), super::$name());
                }
            )*
        }
    };
}

visible_tests!(
    short_password_inside_words,
    password_sharing_a_database_name,
    powershell_parameters_like_password,
    powershell_references_are_not_secrets,
    tsql_references_are_not_secrets,
);

// =====================================================================================
// §4 Property test: random secrets in random positions, through the library API.
// =====================================================================================

/// Where a secret is planted, and how it must be written there.
#[derive(Clone, Copy, Debug)]
enum Position {
    /// `CREATE MASTER KEY ENCRYPTION BY PASSWORD = '…'` (quotes doubled)
    Quoted,
    /// `… PASSWORD = N'…'`
    Unicode,
    /// `… BY PASSWORD …` with no `=` and no quotes (a bare token: no blanks, quotes, `;`, `,`)
    Bare,
    /// `:setvar MasterKeyPassword "…"` (no `"` in the value)
    Setvar,
    /// `-- sqlcmd -S … -P … -i step.sql` (a bare token)
    SqlcmdComment,
    /// `Password=…;` in a connection string (no `;`; quotes doubled)
    ConnectionString,
    /// `CREATE CREDENTIAL … SECRET = '…'`
    CredentialSecret,
    /// Dynamic SQL: `EXEC('… PASSWORD = ''…'';')` (quotes written four times)
    Dynamic,
}

const POSITIONS: [Position; 8] = [
    Position::Quoted,
    Position::Unicode,
    Position::Bare,
    Position::Setvar,
    Position::SqlcmdComment,
    Position::ConnectionString,
    Position::CredentialSecret,
    Position::Dynamic,
];

impl Position {
    /// Whether the secret can be written in this position at all.
    fn accepts(self, secret: &str) -> bool {
        let no_blank = !secret.chars().any(char::is_whitespace);
        let first = secret.chars().next().unwrap_or(' ');
        match self {
            Position::Quoted
            | Position::Unicode
            | Position::CredentialSecret
            | Position::Dynamic => true,
            // A T-SQL token: letters (any script), digits, `_ @ # $`, not starting with a
            // digit or `@` (that would be a variable, a reference).
            Position::Bare => {
                first.is_alphabetic()
                    && secret
                        .chars()
                        .all(|c| c.is_alphanumeric() || "_@#$".contains(c))
            }
            // Inside double quotes.
            Position::Setvar => !secret.contains('"'),
            // A command-line word: no blanks or quotes, not looking like a flag or a
            // variable.
            Position::SqlcmdComment => {
                no_blank && !secret.contains(['\'', '"']) && !"-@$".contains(first)
            }
            // Up to `;`, inside a T-SQL string (quotes doubled), not `{…}` or `"…"`
            // quoted, not `@…`.
            Position::ConnectionString => {
                !secret.contains([';', '"', '{'])
                    && !secret.trim_start().starts_with(['@', '\''])
                    && !secret.trim().is_empty()
            }
        }
    }

    /// The statement with the secret written for its position.
    fn write(self, secret: &str) -> String {
        let sql = secret.replace('\'', "''");
        match self {
            Position::Quoted => {
                format!("CREATE MASTER KEY ENCRYPTION BY PASSWORD = '{sql}';\nGO\n")
            }
            Position::Unicode => {
                format!("CREATE MASTER KEY ENCRYPTION BY PASSWORD = N'{sql}';\nGO\n")
            }
            Position::Bare => format!("CREATE MASTER KEY ENCRYPTION BY PASSWORD {secret};\nGO\n"),
            Position::Setvar => format!(
                ":setvar MasterKeyPassword \"{secret}\"\nCREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(MasterKeyPassword)';\nGO\n"
            ),
            Position::SqlcmdComment => {
                format!("-- sqlcmd -S sqlord02 -U sa -P {secret} -i step.sql\n")
            }
            Position::ConnectionString => format!(
                "EXEC sp_addlinkedserver @server = N'LNK', @srvproduct = N'', @provider = N'MSOLEDBSQL', @provstr = N'Server=sqlord02;User ID=sa;Password={sql};Encrypt=yes';\nGO\n"
            ),
            Position::CredentialSecret => format!(
                "CREATE CREDENTIAL [https://stlinkorders.blob.core.windows.net/backup] WITH IDENTITY = 'SHARED ACCESS SIGNATURE', SECRET = '{sql}';\nGO\n"
            ),
            Position::Dynamic => {
                let inner = sql.replace('\'', "''");
                format!(
                    "EXEC('CREATE MASTER KEY ENCRYPTION BY PASSWORD = ''{inner}'';');\nGO\n"
                )
            }
        }
    }
}

/// Characters of random secrets: letters, digits, quotes, `;`, `,`, `#`, `!`, spaces and
/// multi-byte characters.
fn secret_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::char::range('a', 'z'),
            4 => proptest::char::range('A', 'Z'),
            3 => proptest::char::range('0', '9'),
            3 => proptest::sample::select(vec!['\'', '"', ';', ',', '#', '!', ' ', '@', '-', '=']),
            2 => proptest::sample::select(vec!['é', 'ß', 'ø', 'Ж', '€', '中', '😀']),
        ],
        5..=40,
    )
    .prop_map(|c| c.into_iter().collect())
}

/// Filler statements between the planted ones.
const FILLER: &[&str] = &[
    "PRINT 'step done';\nGO\n",
    "-- the next step creates the certificate\n",
    "SELECT name FROM sys.certificates;\nGO\n",
    "IF NOT EXISTS (SELECT 1 FROM sys.symmetric_keys WHERE symmetric_key_id = 101) PRINT 'no key';\nGO\n",
];

fn render_all(report: &milink_lint::Report) -> Vec<(&'static str, String)> {
    vec![
        ("human", report::human::render_plain(report, false)),
        ("json", report::json::render(report)),
        ("sarif", report::sarif::render(report)),
        ("github", report::github::render(report)),
        ("gitlab", report::gitlab::render(report)),
        ("junit", report::junit::render(report)),
    ]
}

fn lint_rendered(script: &str) -> Vec<(&'static str, String)> {
    let inputs = vec![SourceInput {
        name: "link.sql".into(),
        bytes: script.as_bytes().to_vec(),
    }];
    let params = SourceInput {
        name: "params.toml".into(),
        bytes: PARAMS.as_bytes().to_vec(),
    };
    let options = LintOptions {
        today: milink_lint::date::Date::new(2026, 1, 1),
        ..LintOptions::default()
    };
    match lint_sources(inputs, Some(params), &options) {
        Ok(report) => render_all(&report),
        Err(e) => vec![("run error", format!("{e:?}"))],
    }
}

/// The pieces of the planted secret that occur in the outputs but in no output of the
/// same script with the secret replaced by a neutral text of the same shape: text that
/// every output holds (the rule catalogue of SARIF, the statements around) is no leak.
fn random_leaks(
    outputs: &[(&'static str, String)],
    baseline: impl FnOnce() -> Vec<(&'static str, String)>,
    secret: &str,
) -> Vec<Leak> {
    let all = |pieces: &[String]| find_leaks(outputs.iter().map(|(l, t)| (*l, t.as_str())), pieces);
    if all(&[secret.to_string()]).is_empty() {
        return Vec::new();
    }
    let ambient: Vec<String> = baseline()
        .iter()
        .flat_map(|(_, text)| decoded_variants(text))
        .map(|(_, v)| v)
        .collect();
    let live: Vec<String> = pieces(secret)
        .into_iter()
        .filter(|p| !ambient.iter().any(|a| a.contains(p.as_str())))
        .collect();
    if live.is_empty() {
        return Vec::new();
    }
    all(&live)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, max_shrink_iters: 256, .. ProptestConfig::default() })]

    #[test]
    fn random_secrets_in_random_positions_never_leak(
        secret in secret_text(),
        plan in proptest::collection::vec((0..POSITIONS.len(), 0..FILLER.len()), 1..4),
    ) {
        let mut parts = String::from("USE master;\nGO\n");
        let mut planted = Vec::new();
        for (position, filler) in &plan {
            let position = POSITIONS[*position];
            if !position.accepts(&secret) {
                continue;
            }
            planted.push(position);
            parts.push_str(FILLER[*filler]);
            parts.push_str(&position.write(&secret));
        }
        prop_assume!(!planted.is_empty());
        let script = link_sql(&parts);
        // The same script with every secret character replaced by `Q`/`q` of the same
        // width: what the output holds anyway.
        let neutral: String = secret
            .chars()
            .map(|c| if c.is_alphanumeric() || !c.is_ascii() { 'Q' } else { c })
            .collect();
        let mut baseline_script = String::from("USE master;\nGO\n");
        for (position, filler) in &plan {
            let position = POSITIONS[*position];
            if position.accepts(&secret) {
                baseline_script.push_str(FILLER[*filler]);
                baseline_script.push_str(&position.write(&neutral));
            }
        }
        let outputs = lint_rendered(&script);
        let leaks = random_leaks(&outputs, || lint_rendered(&link_sql(&baseline_script)), &secret);
        prop_assert!(
            leaks.is_empty(),
            "secret {:?} planted as {:?} leaks:\n  {}",
            secret,
            planted,
            leaks.iter().take(6).map(|l| l.to_string()).collect::<Vec<_>>().join("\n  ")
        );
    }
}

// =====================================================================================
// Self-checks of the helper layer.
// =====================================================================================

#[test]
fn the_decoders_find_encoded_secrets() {
    let secret = vec!["Zq7w\"ord,Bx:é".to_string()];
    for encoded in [
        "x Zq7w\"ord,Bx:é x",
        r#"{"m":"Zq7w\"ord,Bx:\u00e9"}"#,
        r#"{"m":"\u005Aq7w\u0022ord"}"#,
        "<a m=\"Zq7w&quot;ord,Bx&#x3A;&#233;\"/>",
        "::error ::Zq7w\"ord%2CBx%3A%C3%A9",
        "\u{1b}[1mZq7\u{1b}[0mw\"ord",
        "ZQ7W\"ORD",
    ] {
        assert!(
            !find_leaks([("test", encoded)], &secret).is_empty(),
            "not found in {encoded:?}"
        );
    }
    assert!(find_leaks([("test", "Zq7w* o*d,B")], &secret).is_empty());
    assert_eq!(
        pieces("Ab_cd")[..],
        ["ab-cd".to_string(), "ab_cd".to_string()]
    );
}

#[test]
fn variant_b_has_the_same_byte_length_and_other_characters() {
    for s in ["Zq7wordBare42", "Kv3_DagPass_Word9", "Ap0s", "Mq4#Rv8!Lp2"] {
        let b = other_same_length(s);
        assert_eq!(b.len(), s.len());
        assert!(b
            .chars()
            .zip(s.chars())
            .all(|(x, y)| x != y || !y.is_alphanumeric()));
        assert!(!b.is_ascii(), "{b}");
    }
    let long = format!("{}é{}", noise(2, 4095), noise(3, 300));
    assert_eq!(long.len(), 4095 + 2 + 300);
    assert!(!long.is_char_boundary(4096));
}
