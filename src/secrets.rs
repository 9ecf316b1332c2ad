//! Masking of secrets before anything is printed: passwords (`PASSWORD = '…'`,
//! credential secrets (`SECRET = '…'`, e.g. a SAS token),
//! `Password=…;` in connection strings, `:setvar …Password "…"`) and private-key
//! blobs (`PRIVATE KEY (BINARY = 0x…)`). Each secret byte becomes `*`, so every
//! byte offset, and with it every span, stays valid.

/// Find `needle` case-insensitively (ASCII) from `from`.
fn find_ci(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    (from..=haystack.len() - needle.len())
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

fn skip_blanks(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Range of the value after `KEYWORD =`: a quoted string's content, or a bare token up
/// to `;`, quote or whitespace.
fn value_after_equals(bytes: &[u8], after_keyword: usize) -> Option<(usize, usize)> {
    let mut i = skip_blanks(bytes, after_keyword);
    if bytes.get(i) != Some(&b'=') {
        return None;
    }
    i = skip_blanks(bytes, i + 1);
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
            Some((start, j))
        }
        Some(_) => {
            let start = i;
            let mut j = i;
            while j < bytes.len()
                && !matches!(
                    bytes[j],
                    b';' | b'\'' | b'"' | b' ' | b'\t' | b'\r' | b'\n' | b')' | b','
                )
            {
                j += 1;
            }
            (j > start).then_some((start, j))
        }
        None => None,
    }
}

/// Byte ranges of every secret in a script text.
pub fn secret_ranges(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut ranges = Vec::new();
    for keyword in [&b"PASSWORD"[..], b"PWD", b"SECRET"] {
        let mut from = 0;
        while let Some(at) = find_ci(bytes, keyword, from) {
            let word_start =
                at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
            if word_start {
                if let Some(r) = value_after_equals(bytes, at + keyword.len()) {
                    ranges.push(r);
                }
            }
            from = at + keyword.len();
        }
    }
    // Private key blobs: every 0x… inside `PRIVATE KEY ( … )`.
    let mut from = 0;
    while let Some(at) = find_ci(bytes, b"PRIVATE KEY", from) {
        let end = bytes[at..]
            .iter()
            .position(|&b| b == b')')
            .map(|p| at + p)
            .unwrap_or(bytes.len());
        let mut i = at;
        while let Some(hex) = find_ci(&bytes[..end], b"0x", i) {
            let mut j = hex + 2;
            while j < end && bytes[j].is_ascii_hexdigit() {
                j += 1;
            }
            ranges.push((hex + 2, j));
            i = j;
        }
        from = at + 11;
    }
    // `:setvar MasterKeyPassword "…"` and similar secret-looking variables.
    for line_start in std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)) {
        let line = &text[line_start
            ..text[line_start..]
                .find('\n')
                .map(|e| line_start + e)
                .unwrap_or(text.len())];
        let trimmed = line.trim_start();
        if !trimmed.to_ascii_lowercase().starts_with(":setvar") {
            continue;
        }
        let mut parts = trimmed.splitn(3, char::is_whitespace);
        let (_, Some(name), Some(value)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let lower = name.to_ascii_lowercase();
        if ["pass", "pwd", "secret", "key"]
            .iter()
            .any(|k| lower.contains(k))
            && !lower.contains("keyname")
        {
            let value_start = line_start + (line.len() - value.len());
            let v = value.trim_end();
            let (s, e) = if v.starts_with('"') && v.ends_with('"') && v.len() >= 2 {
                (1, v.len() - 1)
            } else {
                (0, v.len())
            };
            ranges.push((value_start + s, value_start + e));
        }
    }
    ranges
}

/// The text with every secret byte replaced by `*` (same length, same offsets).
pub fn mask(text: &str) -> String {
    let ranges = secret_ranges(text);
    if ranges.is_empty() {
        return text.to_string();
    }
    let mut bytes = text.as_bytes().to_vec();
    for (s, e) in ranges {
        for b in &mut bytes[s..e.min(text.len())] {
            *b = b'*';
        }
    }
    // Masking whole bytes of multi-byte chars can only produce ASCII `*`; any partial
    // char at a range edge is replaced too, so the result is valid UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_passwords_and_keys_keeping_length() {
        let text = "CREATE MASTER KEY ENCRYPTION BY PASSWORD = N'S3cr''et!';\n-- Server=x;Password=hunter2;\n:setvar MasterKeyPassword \"Zz9\"\nCREATE CERTIFICATE c FROM BINARY = 0xAB WITH PRIVATE KEY (BINARY = 0xDEADBEEF, DECRYPTION BY PASSWORD = 'k');\nCREATE CREDENTIAL [https://x.blob.core.windows.net/b] WITH IDENTITY = 'SHARED ACCESS SIGNATURE', SECRET = 'sv=2022&sig=Abc123';";
        let masked = mask(text);
        assert_eq!(masked.len(), text.len());
        for secret in ["S3cr", "hunter2", "Zz9", "DEADBEEF", "= 'k'", "sig=Abc123"] {
            assert!(!masked.contains(secret), "{secret} leaked: {masked}");
        }
        assert!(
            masked.contains("0xAB"),
            "the public certificate blob is not a secret"
        );
    }
}
