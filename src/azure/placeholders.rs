//! Documentation placeholders left in shell scripts: `$DAGName = "<DAGName>"`,
//! `tnc <ManagedInstanceFQDN> -port 5022`, `--instance-name <MI name>`.
//!
//! The same placeholder shapes as in T-SQL ([`crate::placeholder`]: `<Ident>` and free text
//! `<two words>`), found outside the script's comments (`#`, `<# … #>`, `REM`, `::`). A `<`
//! or `>` that is shell syntax is not one: redirections (`2>nul`, `> out.txt`, `<<EOF`),
//! PowerShell's `<#` comments, comparisons (`-lt`, `(( a<b && c>d ))`), generic types
//! (`List<String>`) and regular-expression groups (`(?<Name>…)`): the character before a
//! placeholder's `<` is never a letter, digit, `_` or `?`, and redirection targets hold no
//! upper-case identifier between `<` and `>`.

use super::shell::Dialect;
use crate::placeholder::{find, Kind};
use std::ops::Range;

/// A placeholder of a shell script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellPlaceholder {
    /// Byte range in the script, `<` to `>`.
    pub range: Range<usize>,
    pub kind: Kind,
    /// A placeholder of the link documentation (`<DAGName>`, `<ManagedInstanceFQDN>`).
    pub documented: bool,
}

/// The placeholders of a shell script outside its comments, left to right.
pub fn find_in_shell(text: &str, dialect: Dialect) -> Vec<ShellPlaceholder> {
    // Cheap test first: most scripts have no `<` followed by a letter.
    if !text
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'_'))
    {
        return Vec::new();
    }
    let comments = comments(text, dialect);
    let in_comment = |at: usize| {
        let i = comments.partition_point(|c| c.end <= at);
        comments.get(i).is_some_and(|c| c.start <= at)
    };
    find(text)
        .filter(|p| matches!(p.kind, Kind::Documentation | Kind::FreeText))
        .filter(|p| text.as_bytes().get(p.range.start) == Some(&b'<'))
        .filter(|p| {
            let before = p.range.start.checked_sub(1).map(|i| text.as_bytes()[i]);
            !before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'?')
        })
        .filter(|p| !in_comment(p.range.start))
        .map(|p| ShellPlaceholder {
            documented: crate::placeholder::is_documented(p.name),
            range: p.range,
            kind: p.kind,
        })
        .collect()
}

/// The comment ranges of a script, sorted.
pub fn comments(text: &str, dialect: Dialect) -> Vec<Range<usize>> {
    match dialect {
        Dialect::PowerShell => powershell_comments(text),
        Dialect::Posix => posix_comments(text),
        Dialect::Cmd => cmd_comments(text),
    }
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    memchr::memchr(b'\n', &bytes[from.min(bytes.len())..]).map_or(bytes.len(), |i| from + i)
}

/// Where `#` starts a comment: at the start of a word.
fn word_start(bytes: &[u8], at: usize) -> bool {
    at == 0
        || matches!(
            bytes[at - 1],
            b' ' | b'\t' | b'\n' | b'\r' | b';' | b'(' | b')' | b'{' | b'}' | b'|' | b'&'
        )
}

fn powershell_comments(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => i += 2,
            b'<' if bytes.get(i + 1) == Some(&b'#') => {
                let end = text[i + 2..]
                    .find("#>")
                    .map_or(bytes.len(), |e| i + 2 + e + 2);
                out.push(i..end);
                i = end;
            }
            b'#' if word_start(bytes, i) => {
                let end = line_end(bytes, i);
                out.push(i..end);
                i = end;
            }
            b'@' if matches!(bytes.get(i + 1), Some(b'"' | b'\'')) && {
                let rest = &text[i + 2..line_end(bytes, i)];
                rest.trim().is_empty()
            } =>
            {
                // A here-string: to the line that starts with `"@` / `'@`.
                let close = [bytes[i + 1], b'@'];
                let mut pos = line_end(bytes, i) + 1;
                while pos < bytes.len() && !bytes[pos..].starts_with(&close) {
                    pos = line_end(bytes, pos) + 1;
                }
                i = pos + 2;
            }
            b'\'' => {
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == b'\'' {
                        if bytes.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'`' { 2 } else { 1 };
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

fn posix_comments(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut heredocs: Vec<(String, bool)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => {
                i += 1;
                // The bodies of the here-documents opened on the line just ended.
                for (delimiter, tabs) in std::mem::take(&mut heredocs) {
                    while i < bytes.len() {
                        let end = line_end(bytes, i);
                        let mut line = text[i..end].trim_end_matches('\r');
                        if tabs {
                            line = line.trim_start_matches('\t');
                        }
                        i = end + 1;
                        if line == delimiter {
                            break;
                        }
                    }
                }
            }
            b'<' if bytes.get(i + 1) == Some(&b'<') && bytes.get(i + 2) != Some(&b'<') => {
                i += 2;
                let tabs = bytes.get(i) == Some(&b'-');
                if tabs {
                    i += 1;
                }
                while matches!(bytes.get(i), Some(b' ' | b'\t')) {
                    i += 1;
                }
                let start = i;
                while i < bytes.len()
                    && !matches!(
                        bytes[i],
                        b' ' | b'\t' | b'\n' | b';' | b'|' | b'&' | b'>' | b'<' | b')'
                    )
                {
                    i += 1;
                }
                let word: String = text[start..i]
                    .chars()
                    .filter(|c| !matches!(c, '\'' | '"' | '\\'))
                    .collect();
                if !word.is_empty() {
                    heredocs.push((word, tabs));
                }
            }
            b'#' if word_start(bytes, i) => {
                let end = line_end(bytes, i);
                out.push(i..end);
                i = end;
            }
            b'\'' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'\'' {
                    i += 1;
                }
                i += 1;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

fn cmd_comments(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let lead = content.len() - content.trim_start_matches([' ', '\t', '@']).len();
        let rest = &content[lead..];
        let lower = rest.get(..4).unwrap_or(rest).to_ascii_lowercase();
        let rem = lower.starts_with("rem")
            && rest
                .as_bytes()
                .get(3)
                .is_none_or(|b| matches!(b, b' ' | b'\t' | b'.' | b':' | b'/'));
        if rem || rest.starts_with("::") {
            out.push(start + lead..start + content.len());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, dialect: Dialect) -> Vec<&str> {
        find_in_shell(text, dialect)
            .into_iter()
            .map(|p| &text[p.range])
            .collect()
    }

    #[test]
    fn values_are_read_comments_are_not() {
        let ps = "# Replace <DAGName> first\n$DAGName = \"<DAGName>\"\n<# <AGName> #>\ntnc <ManagedInstanceFQDN> -port 5022 # <SQLServerIP>\n";
        assert_eq!(
            found(ps, Dialect::PowerShell),
            ["<DAGName>", "<ManagedInstanceFQDN>"]
        );
        let sh = "# <DAGName>\naz sql mi link show --instance-name <MI name> -n \"<DAGName>\"\n";
        assert_eq!(found(sh, Dialect::Posix), ["<MI name>", "<DAGName>"]);
        let cmd = "REM set <DAGName>\n:: <AGName>\nset DAG=<DAGName>\n";
        assert_eq!(found(cmd, Dialect::Cmd), ["<DAGName>"]);
    }

    #[test]
    fn shell_syntax_is_not_a_placeholder() {
        let ps = "if ($a -lt 5) { dir 2>nul > out.txt }\n$m = [regex]::Match($s, '(?<Name>\\w+)')\n$l = New-Object 'System.Collections.Generic.List<String>'\n$x = '<Link><Database>Sales</Database></Link>'\n";
        assert!(found(ps, Dialect::PowerShell).is_empty());
        let sh = "sort <in.txt >out.txt\ncat <<EOF > file\n<DAGName> in a here-document\nEOF\n(( a<b && c>d ))\n";
        // A here-document is data (a value), not a comment.
        assert_eq!(found(sh, Dialect::Posix), ["<DAGName>"]);
        let cmd = "type input.txt 2>nul >out.txt\nif %A% LSS 5 echo <b>\n";
        assert!(found(cmd, Dialect::Cmd).is_empty());
    }

    #[test]
    fn hash_inside_strings_and_here_strings_is_not_a_comment() {
        let ps = "$q = @\"\n# not a comment <AGName>\n\"@\n$u = \"a#b <DAGName>\"\n";
        assert_eq!(found(ps, Dialect::PowerShell), ["<AGName>", "<DAGName>"]);
        let sh = "URL=\"a # <DAGName>\"\necho x#<AGName>\n";
        // `x#<AGName>`: `#` inside a word starts no comment; `#` before `<` is not a letter.
        assert_eq!(found(sh, Dialect::Posix), ["<DAGName>", "<AGName>"]);
    }
}
