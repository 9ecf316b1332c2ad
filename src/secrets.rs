//! Secrets in scripts: found once, masked once before anything is printed, and reported
//! by ML505 when written into the script.
//!
//! Found: values assigned to anything named like a password or secret (`PASSWORD = '…'`,
//! `OLD_PASSWORD`, `@passwd = …`, `DECLARE @pwd nvarchar(128) = N'…'`, `SECRET = '…'`,
//! `KEY_SOURCE = '…'`, `Password=…;` in connection strings, also in comments), private-key
//! blobs (`PRIVATE KEY (BINARY = 0x…)`), `:setvar …Password "…"`, the password argument
//! of command lines (`sqlcmd … -P pw`, `:connect srv -U sa -P pw`, `-Password pw`) and
//! the positional password arguments of `sp_addlogin`, `sp_password`,
//! `sp_addlinkedsrvlogin`, `sp_addapprole`, `sp_setapprole` and `CERTPRIVATEKEY`.
//!
//! Masking replaces each secret byte by `*`, so every byte offset, and with it every span,
//! stays valid. References (`$(Var)`, `@var`) are not secrets and stay readable.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    Password,
    PrivateKey,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    /// Byte range of the value (without its quotes).
    pub range: Range<usize>,
    pub kind: SecretKind,
    /// A value written into the script, not a reference or placeholder.
    pub literal: bool,
    /// `:setvar` definition rather than a T-SQL or command-line value.
    pub setvar: bool,
}

/// Find `needle` case-insensitively (ASCII) from `from`.
fn find_ci(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    let first = needle[0].to_ascii_lowercase();
    (from..=haystack.len() - needle.len()).find(|&i| {
        haystack[i].to_ascii_lowercase() == first
            && haystack[i..i + needle.len()].eq_ignore_ascii_case(needle)
    })
}

fn skip_blanks(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    i
}

/// Blanks and comments (`/* … */`, `-- …`), as T-SQL allows between a name and its `=`.
fn skip_blanks_and_comments(bytes: &[u8], mut i: usize) -> usize {
    loop {
        i = skip_blanks(bytes, i);
        if bytes[i..].starts_with(b"/*") {
            i = find_ci(bytes, b"*/", i + 2).map_or(bytes.len(), |e| e + 2);
        } else if bytes[i..].starts_with(b"--") {
            i = bytes[i..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |p| i + p);
        } else {
            return i;
        }
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'@' | b'#' | b'$')
}

/// The value starting at `i`: a quoted string's content (`'…'`, `N'…'`, `"…"`), or a bare
/// token up to a delimiter.
fn value_at(bytes: &[u8], mut i: usize) -> Option<Range<usize>> {
    if matches!(bytes.get(i), Some(b'N' | b'n')) && bytes.get(i + 1) == Some(&b'\'') {
        i += 1;
    }
    match bytes.get(i) {
        Some(&q @ (b'\'' | b'"')) => {
            let start = i + 1;
            let mut j = start;
            while j < bytes.len() {
                if bytes[j] == q {
                    if bytes.get(j + 1) == Some(&q) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                j += 1;
            }
            if j >= bytes.len() {
                // Never closed: the value is the rest of its line, not the rest of the file.
                j = bytes[start..]
                    .iter()
                    .position(|&b| b == b'\n' || b == b'\r')
                    .map_or(bytes.len(), |p| start + p);
            }
            Some(start..j.min(bytes.len()))
        }
        Some(_) => {
            let mut j = i;
            while j < bytes.len()
                && !matches!(
                    bytes[j],
                    b';' | b'\'' | b'"' | b' ' | b'\t' | b'\r' | b'\n' | b')' | b','
                )
            {
                j += 1;
            }
            (j > i).then_some(i..j)
        }
        None => None,
    }
}

/// Names whose value is a secret.
fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "password",
        "passwd",
        "pwd",
        "secret",
        "key_source",
        "passphrase",
    ]
    .iter()
    .any(|k| lower.contains(k))
}

/// `name = value` and `DECLARE @name type[(n)] = value` for secret-looking names.
fn assignments(bytes: &[u8], out: &mut Vec<Secret>) {
    let mut i = 0;
    while i < bytes.len() {
        if !is_word(bytes[i]) || (i > 0 && is_word(bytes[i - 1])) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_word(bytes[i]) {
            i += 1;
        }
        let name = String::from_utf8_lossy(&bytes[start..i]);
        if !is_secret_name(&name) {
            continue;
        }
        let mut j = skip_blanks_and_comments(bytes, i);
        // `DECLARE @pwd nvarchar(128) = …`: skip the type.
        if name.starts_with('@') && bytes.get(j).is_some_and(|b| b.is_ascii_alphabetic()) {
            while j < bytes.len() && is_word(bytes[j]) {
                j += 1;
            }
            j = skip_blanks(bytes, j);
            if bytes.get(j) == Some(&b'(') {
                while j < bytes.len() && bytes[j] != b')' {
                    j += 1;
                }
                j = skip_blanks(bytes, j + 1);
            }
        }
        if bytes.get(j) != Some(&b'=') {
            continue;
        }
        if let Some(range) = value_at(bytes, skip_blanks_and_comments(bytes, j + 1)) {
            out.push(secret(bytes, range, SecretKind::Password, false));
        }
    }
}

/// Every `0x…` inside `PRIVATE KEY ( … )` (not in prose that mentions a private key).
fn private_keys(bytes: &[u8], out: &mut Vec<Secret>) {
    let mut from = 0;
    while let Some(at) = find_ci(bytes, b"PRIVATE KEY", from) {
        from = at + 11;
        let open = skip_blanks(bytes, from);
        if bytes.get(open) != Some(&b'(') {
            continue;
        }
        let end = bytes[open..]
            .iter()
            .position(|&b| b == b')')
            .map_or(bytes.len(), |p| open + p);
        let mut i = open;
        while let Some(hex) = find_ci(&bytes[..end], b"0x", i) {
            let mut j = hex + 2;
            while j < end && bytes[j].is_ascii_hexdigit() {
                j += 1;
            }
            if j > hex + 2 {
                out.push(secret(bytes, hex + 2..j, SecretKind::PrivateKey, false));
            }
            i = j;
        }
    }
}

/// Line by line: `:setvar …Password "…"`, and `-P pw` / `-Password pw` of command lines.
fn lines(text: &str, out: &mut Vec<Secret>) {
    let bytes = text.as_bytes();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let lead = line.len() - trimmed.len();
        let lower = trimmed.to_ascii_lowercase();
        if lower.starts_with(":setvar") {
            let mut parts = trimmed.splitn(3, char::is_whitespace);
            if let (_, Some(name), Some(value)) = (parts.next(), parts.next(), parts.next()) {
                let secretish = is_secret_name(name)
                    || (name.to_ascii_lowercase().contains("key")
                        && !name.to_ascii_lowercase().contains("keyname"));
                if secretish {
                    let value_start = line_start + lead + (trimmed.len() - value.len());
                    let v = value.trim_end();
                    let range = if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
                        value_start + 1..value_start + v.len() - 1
                    } else {
                        value_start..value_start + v.len()
                    };
                    let mut s = secret(bytes, range, SecretKind::Password, true);
                    s.setvar = true;
                    out.push(s);
                }
            }
        }
        let command_line = ["sqlcmd", "osql", "bcp", ":connect", "invoke-sqlcmd"]
            .iter()
            .any(|c| lower.contains(c));
        for flag in [" -P", " -Password", " --password", " /P"] {
            let case_sensitive = flag == " -P" || flag == " /P";
            if case_sensitive && !command_line {
                continue;
            }
            let mut from = 0;
            while let Some(at) = if case_sensitive {
                line[from..].find(flag).map(|p| p + from)
            } else {
                find_ci(line.as_bytes(), flag.as_bytes(), from)
            } {
                let after = at + flag.len();
                from = after;
                let next = line.as_bytes().get(after);
                let value_start = match next {
                    Some(b' ' | b'\t' | b'=' | b':') => skip_blanks(line.as_bytes(), after + 1),
                    Some(b'\'' | b'"') if !case_sensitive => after,
                    _ => continue,
                };
                if let Some(range) = value_at(line.as_bytes(), value_start) {
                    let range = line_start + range.start..line_start + range.end;
                    out.push(secret(bytes, range, SecretKind::Password, false));
                }
            }
        }
        line_start += line.len();
    }
}

/// Positional password arguments of procedures and functions, by position (1-based).
const POSITIONAL: &[(&str, &[usize])] = &[
    ("sp_addlogin", &[2]),
    ("sp_password", &[1, 2]),
    ("sp_addlinkedsrvlogin", &[5]),
    ("sp_addapprole", &[2]),
    ("sp_setapprole", &[2]),
    ("certprivatekey", &[2, 3]),
];

fn positional(bytes: &[u8], out: &mut Vec<Secret>) {
    for (name, positions) in POSITIONAL {
        let mut from = 0;
        while let Some(at) = find_ci(bytes, name.as_bytes(), from) {
            from = at + name.len();
            let bounded = (at == 0 || !is_word(bytes[at - 1]))
                && bytes.get(from).is_none_or(|b| !is_word(*b));
            if !bounded {
                continue;
            }
            for (index, arg) in arguments(bytes, from).into_iter().enumerate() {
                if positions.contains(&(index + 1)) {
                    let start = skip_blanks(bytes, arg.start);
                    // A named argument (`@passwd = …`) is found by `assignments`.
                    if bytes.get(start) == Some(&b'@') {
                        continue;
                    }
                    if let Some(range) = value_at(bytes, start).filter(|r| r.end <= arg.end + 1) {
                        out.push(secret(bytes, range, SecretKind::Password, false));
                    }
                }
            }
        }
    }
}

/// The comma-separated arguments after a procedure name (or inside a function's
/// parentheses), up to `;`, the end of the line (unless it ends with a comma) or `)`.
fn arguments(bytes: &[u8], mut i: usize) -> Vec<Range<usize>> {
    i = skip_blanks(bytes, i);
    let parenthesized = bytes.get(i) == Some(&b'(');
    if parenthesized {
        i += 1;
    }
    let mut args = Vec::new();
    let mut start = i;
    let mut depth = 0usize;
    let mut last_significant = b',';
    while i < bytes.len() && args.len() < 8 {
        match bytes[i] {
            q @ (b'\'' | b'"') => {
                let mut j = i + 1;
                while j < bytes.len() && !(bytes[j] == q && bytes.get(j + 1) != Some(&q)) {
                    j += if bytes[j] == q { 2 } else { 1 };
                }
                i = j;
                last_significant = q;
            }
            b'(' => depth += 1,
            b')' if depth > 0 => depth -= 1,
            b')' => break,
            b',' if depth == 0 => {
                args.push(start..i);
                start = i + 1;
                last_significant = b',';
            }
            b';' if depth == 0 => break,
            b'\n' if depth == 0 && !parenthesized && last_significant != b',' => break,
            b' ' | b'\t' | b'\r' | b'\n' => {}
            other => last_significant = other,
        }
        i += 1;
    }
    if i > start {
        args.push(start..i.min(bytes.len()));
    }
    args
}

fn secret(bytes: &[u8], range: Range<usize>, kind: SecretKind, setvar: bool) -> Secret {
    let value = String::from_utf8_lossy(&bytes[range.clone()]);
    let v = value.trim();
    let reference = v.starts_with("$(") && v.ends_with(')') && !v[2..].contains("$(")
        || (v.starts_with('@') && v[1..].bytes().all(is_word));
    let placeholder = v.is_empty()
        || (v.starts_with('<') && v.ends_with('>'))
        || v.bytes().all(|b| b == b'*' || b == b'x' || b == b'X')
        || v.chars().all(|c| c == '…' || c == '.')
        || v.eq_ignore_ascii_case("null");
    Secret {
        range,
        kind,
        literal: !reference && !placeholder,
        setvar,
    }
}

/// Every secret in a script text, sorted by position, without duplicates.
pub fn find(text: &str) -> Vec<Secret> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    assignments(bytes, &mut out);
    private_keys(bytes, &mut out);
    lines(text, &mut out);
    positional(bytes, &mut out);
    out.retain(|s| s.range.start < s.range.end && s.range.end <= text.len());
    out.sort_by_key(|s| (s.range.start, s.range.end));
    out.dedup_by(|b, a| b.range.start < a.range.end);
    out
}

/// The text with every secret byte replaced by `*` (same length, same offsets).
/// References (`$(Var)`, `@var`) are kept: they reveal nothing.
pub fn mask(text: &str) -> String {
    let mut masked = text.to_string();
    mask_in_place(&mut masked);
    masked
}

/// [`mask`] without a copy of the text.
pub fn mask_in_place(text: &mut String) {
    let secrets = find(text);
    if !secrets.iter().any(|s| s.literal) {
        return;
    }
    let mut bytes = std::mem::take(text).into_bytes();
    for s in secrets.iter().filter(|s| s.literal) {
        // Line breaks stay, so line numbers in snippets stay right.
        for b in bytes[s.range.clone()]
            .iter_mut()
            .filter(|b| !matches!(b, b'\n' | b'\r'))
        {
            *b = b'*';
        }
    }
    // Masking whole bytes of multi-byte chars can only produce ASCII `*`; any partial
    // char at a range edge is replaced too, so the result is valid UTF-8.
    *text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
}

/// The literal secret values of `text` (4 characters or more), to scrub from messages.
pub fn values(text: &str) -> Vec<String> {
    find(text)
        .into_iter()
        .filter(|s| s.literal)
        .map(|s| text[s.range].to_string())
        .filter(|v| v.chars().count() >= 4)
        .collect()
}

/// `message` with every occurrence of a secret value replaced by asterisks.
pub fn scrub(message: &str, secrets: &[String]) -> String {
    let mut out = message.to_string();
    for s in secrets {
        if out.contains(s.as_str()) {
            out = out.replace(s.as_str(), &"*".repeat(s.chars().count()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked_away(text: &str, secrets: &[&str]) -> String {
        let masked = mask(text);
        assert_eq!(masked.len(), text.len());
        for secret in secrets {
            assert!(!masked.contains(secret), "{secret} leaked: {masked}");
        }
        masked
    }

    #[test]
    fn masks_passwords_and_keys_keeping_length() {
        let text = "CREATE MASTER KEY ENCRYPTION BY PASSWORD = N'S3cr''et!';\n-- Server=x;Password=hunter2;\n:setvar MasterKeyPassword \"Zz9\"\nCREATE CERTIFICATE c FROM BINARY = 0xAB WITH PRIVATE KEY (BINARY = 0xDEADBEEF, DECRYPTION BY PASSWORD = 'k');\nCREATE CREDENTIAL [https://x.blob.core.windows.net/b] WITH IDENTITY = 'SHARED ACCESS SIGNATURE', SECRET = 'sv=2022&sig=Abc123';";
        let masked = masked_away(
            text,
            &["S3cr", "hunter2", "Zz9", "DEADBEEF", "= 'k'", "sig=Abc123"],
        );
        assert!(
            masked.contains("0xAB"),
            "the public certificate blob is not a secret"
        );
        let prose = "-- moved with its private key.\nCREATE CERTIFICATE c FROM BINARY = 0xABCD\nWITH PRIVATE KEY (BINARY = 0xEF01);";
        let masked = masked_away(prose, &["EF01"]);
        assert!(masked.contains("0xABCD"), "{masked}");
    }

    #[test]
    fn masks_every_way_of_writing_a_password() {
        let text = "\
ALTER LOGIN sa WITH PASSWORD = 'NewPw#1' OLD_PASSWORD = 'OldPw#1';
CREATE LOGIN l WITH PASSWORD = 0x0200AABBCCDD HASHED;
DECLARE @MasterKeyPassword nvarchar(128) = N'DeclPw#1';
SET @pwd = 'SetPw#1';
EXEC sp_addlinkedsrvlogin @rmtsrvname = 'x', @useself = 'false', @rmtuser = 'u', @rmtpassword = 'RmtPw#1';
EXEC sp_addlogin 'bob', 'PosPw#1', 'master';
EXEC sp_password 'OldPos#1', 'NewPos#1', 'bob';
EXEC sp_addlinkedsrvlogin 'srv', 'false', NULL, 'u',
     'LinkPw#1';
SELECT CERTPRIVATEKEY(CERT_ID(N'c'), N'EncPw#1', N'DecPw#1');
CREATE SYMMETRIC KEY k WITH KEY_SOURCE = 'Phrase#1', ALGORITHM = AES_256 ENCRYPTION BY CERTIFICATE c;
-- run: sqlcmd -S sql01 -U sa -P CliPw#1 -i link.sql
:connect sql01 -U sa -P ConnPw#1
-- Invoke-Sqlcmd -ServerInstance x -Username sa -Password 'PsPw#1'
";
        masked_away(
            text,
            &[
                "NewPw#1", "OldPw#1", "AABBCCDD", "DeclPw#1", "SetPw#1", "RmtPw#1", "PosPw#1",
                "OldPos#1", "NewPos#1", "LinkPw#1", "EncPw#1", "DecPw#1", "Phrase#1", "CliPw#1",
                "ConnPw#1", "PsPw#1",
            ],
        );
    }

    #[test]
    fn references_and_ordinary_code_stay_readable() {
        let text = "CREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(MasterKeyPwd)';\nEXEC sp_addlogin @loginame = 'bob', @passwd = @pw;\nSELECT name FROM t WHERE id = 1; -- sqlcmd -p prints statistics\nEXEC sp_addlogin 'bob', 'q', 'master';";
        let masked = mask(text);
        assert!(masked.contains("'$(MasterKeyPwd)'"), "{masked}");
        assert!(masked.contains("@passwd = @pw"), "{masked}");
        assert!(masked.contains("@loginame = 'bob'"), "{masked}");
        assert!(masked.contains("sqlcmd -p prints"), "{masked}");
        assert!(
            masked.contains("sp_addlogin 'bob', '*', 'master'"),
            "{masked}"
        );
    }

    #[test]
    fn literal_flag_tells_written_secrets_from_references_and_placeholders() {
        let literal = |t: &str| find(t).iter().map(|s| s.literal).collect::<Vec<_>>();
        assert_eq!(literal("PASSWORD = 'Real#Pw1'"), [true]);
        assert_eq!(literal("PASSWORD = '$(Pw)'"), [false]);
        assert_eq!(literal("PASSWORD = '<strong_password>'"), [false]);
        assert_eq!(literal("PASSWORD = @pw"), [false]);
        assert_eq!(literal(":setvar MasterKeyPwd \"Real#Pw1\""), [true]);
        assert_eq!(literal("-- sqlcmd -v MasterKeyPassword=\"…\""), [false]);
    }

    #[test]
    fn messages_are_scrubbed() {
        let secrets = values("PASSWORD = 'Real#Pw1'");
        assert_eq!(
            scrub("name 'Real#Pw1' is odd", &secrets),
            "name '********' is odd"
        );
    }

    #[test]
    fn comments_before_the_equals_sign_do_not_hide_a_password() {
        masked_away(
            "CREATE MASTER KEY ENCRYPTION BY PASSWORD /* x */ = 'Sup3rSecret!Pw16';\nALTER LOGIN a WITH PASSWORD -- new\n = 'Other#Pw2';",
            &["Sup3rSecret", "Other#Pw2"],
        );
    }

    #[test]
    fn an_unclosed_password_masks_its_line_only() {
        // The string runs to the next quote, as in T-SQL; line breaks survive masking.
        let text = "CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'Sup3rSecret!Pw3\nGO\nSELECT '<DAGName>';\n";
        let masked = masked_away(text, &["Sup3rSecret"]);
        assert_eq!(masked.lines().count(), text.lines().count());
        // Never closed at all: only the rest of its line is the value.
        let masked = masked_away(
            "PASSWORD = 'Sup3rSecret!Pw3\nGO\nSELECT 1;\n",
            &["Sup3rSecret"],
        );
        assert!(masked.ends_with("\nGO\nSELECT 1;\n"), "{masked}");
    }

    #[test]
    fn unterminated_values_do_not_panic() {
        for text in [
            "PASSWORD = N'abc",
            "PASSWORD =",
            "sp_addlogin 'a', '",
            "PRIVATE KEY (BINARY = 0x",
            "-- sqlcmd -P",
            "DECLARE @pwd nvarchar(",
            "CERTPRIVATEKEY(",
        ] {
            let _ = mask(text);
        }
    }
}
