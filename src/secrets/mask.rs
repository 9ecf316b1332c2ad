//! Masking by span, before anything reads the text.
//!
//! Every byte of a secret becomes [`SENTINEL`], a control character that no script
//! holds (one already in a file is neutralised when it is read). Offsets, lengths and
//! line numbers stay valid, and a value built from a secret anywhere downstream (a
//! `$(var)` substituted into a name, a token quoted in a parse error, a name
//! lower-cased for a help text) still carries the sentinel: that is its taint. Before
//! output, [`reveal`] turns the sentinel into [`MASK`] in the source texts and
//! [`redact`] replaces tainted text in messages by [`SECRET_VALUE`].

use std::ops::Range;

/// What a secret byte becomes while the tool works on the text.
pub const SENTINEL: char = '\u{1f}';
const SENTINEL_BYTE: u8 = 0x1f;
/// What a secret byte is shown as: one fixed character per byte, whatever the width of
/// the character it replaced.
pub const MASK: char = '*';
/// What a message says instead of quoting text derived from a secret.
pub const SECRET_VALUE: &str = "(a secret value)";

/// Whether `text` holds anything derived from a secret.
pub fn is_tainted(text: &str) -> bool {
    memchr::memchr(SENTINEL_BYTE, text.as_bytes()).is_some()
}

/// Replace a sentinel the file itself holds (a stray unit-separator control character)
/// by another invisible one, so that only masked bytes carry the sentinel.
pub fn neutralise(text: &mut String) {
    if is_tainted(text) {
        *text = text.replace(SENTINEL, "\u{1e}");
    }
}

/// Mask `ranges` of `text` (any order, overlaps allowed), widened to whole characters.
/// Line breaks inside a range stay, so that a secret continued on the next line is
/// masked on both lines and the line numbers do not move.
pub fn mask(text: &mut String, ranges: impl IntoIterator<Item = Range<usize>>) {
    let mut bytes = std::mem::take(text).into_bytes();
    let mut any = false;
    for range in ranges {
        let mut start = range.start.min(bytes.len());
        let mut end = range.end.min(bytes.len());
        // Continuation bytes (10xxxxxx) belong to the character before them.
        while start > 0 && start < bytes.len() && bytes[start] & 0xC0 == 0x80 {
            start -= 1;
        }
        while end < bytes.len() && bytes[end] & 0xC0 == 0x80 {
            end += 1;
        }
        for b in &mut bytes[start..end] {
            if *b != b'\n' && *b != b'\r' {
                *b = SENTINEL_BYTE;
                any = true;
            }
        }
    }
    // Whole characters were replaced by ASCII: still UTF-8.
    *text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    let _ = any;
}

/// The text as shown: each masked byte is one [`MASK`].
pub fn reveal(text: &mut String) {
    if is_tainted(text) {
        *text = text.replace(SENTINEL, "*");
    }
}

/// A message without secret-derived text: a quoted piece (`` `…` ``, `'…'`, `"…"`)
/// that holds a masked byte is replaced whole by [`SECRET_VALUE`], and so is an unquoted
/// word that holds one. Nothing else in the message changes.
pub fn redact(message: &str) -> String {
    if !is_tainted(message) {
        return message.to_string();
    }
    let chars: Vec<(usize, char)> = message.char_indices().collect();
    let mut cut: Vec<Range<usize>> = Vec::new();
    for (k, &(at, c)) in chars.iter().enumerate() {
        if c != SENTINEL || cut.last().is_some_and(|r| at < r.end) {
            continue;
        }
        cut.push(quoted_around(message, &chars, k).unwrap_or_else(|| word_around(&chars, k)));
    }
    let mut out = String::with_capacity(message.len());
    let mut at = 0;
    for range in cut {
        if range.start < at {
            continue;
        }
        out.push_str(&message[at..range.start]);
        out.push_str(SECRET_VALUE);
        at = range.end;
    }
    out.push_str(&message[at..]);
    out
}

fn is_quote(c: char) -> bool {
    matches!(c, '`' | '\'' | '"')
}

/// The byte range of the quoted piece holding char `k`, quotes included: the nearest
/// quote before it that opens a piece (at the start, or after a blank or an opening
/// bracket) and the first same quote after it that closes one (at the end, or before a
/// blank or punctuation).
fn quoted_around(message: &str, chars: &[(usize, char)], k: usize) -> Option<Range<usize>> {
    let opens = |i: usize| {
        i == 0
            || matches!(
                chars[i - 1].1,
                ' ' | '\t' | '\n' | '(' | '[' | '=' | ':' | ','
            )
    };
    let closes = |i: usize| {
        chars
            .get(i + 1)
            .is_none_or(|&(_, c)| c.is_whitespace() || ",.;:)]!?…".contains(c))
    };
    let open = (0..k)
        .rev()
        .take_while(|&i| chars[i].1 != '\n')
        .find(|&i| is_quote(chars[i].1) && opens(i))?;
    let quote = chars[open].1;
    let close = (k + 1..chars.len())
        .take_while(|&i| chars[i].1 != '\n')
        .find(|&i| chars[i].1 == quote && closes(i))?;
    let end = chars[close].0 + quote.len_utf8();
    Some(chars[open].0..end.min(message.len()))
}

/// The byte range of the blank-delimited word holding char `k`, without punctuation
/// that ends a sentence.
fn word_around(chars: &[(usize, char)], k: usize) -> Range<usize> {
    let mut first = k;
    while first > 0 && !chars[first - 1].1.is_whitespace() {
        first -= 1;
    }
    let mut last = k;
    while last + 1 < chars.len() && !chars[last + 1].1.is_whitespace() {
        last += 1;
    }
    while last > k && ",.;:)!?".contains(chars[last].1) {
        last -= 1;
    }
    let end = chars[last].0 + chars[last].1.len_utf8();
    chars[first].0..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str, ranges: &[Range<usize>]) -> String {
        let mut text = text.to_string();
        mask(&mut text, ranges.iter().cloned());
        text
    }

    #[test]
    fn every_byte_becomes_one_mask_character() {
        let mut text = masked("pw = 'Pä€' ;", std::slice::from_ref(&(6..12)));
        assert_eq!(text.len(), "pw = 'Pä€' ;".len());
        assert!(is_tainted(&text));
        reveal(&mut text);
        assert_eq!(text, "pw = '******' ;");
    }

    #[test]
    fn ranges_are_widened_to_whole_characters_and_keep_line_breaks() {
        // 7 falls inside `ä`; the line break inside the range stays.
        let mut text = masked("x = 'aä\\\nb';", std::slice::from_ref(&(5..11)));
        reveal(&mut text);
        assert_eq!(text, "x = '****\n*';");
    }

    #[test]
    fn a_stray_sentinel_in_the_file_is_not_a_secret() {
        let mut text = "a\u{1f}b".to_string();
        neutralise(&mut text);
        assert!(!is_tainted(&text));
    }

    #[test]
    fn tainted_pieces_of_messages_are_replaced_whole() {
        let s = SENTINEL;
        assert_eq!(
            redact(&format!("expected `=`, found `Zq{s}{s}`")),
            "expected `=`, found (a secret value)"
        );
        assert_eq!(
            redact(&format!("rename the DAG to 'dag-{s}{s}{s}' (lower case)")),
            "rename the DAG to (a secret value) (lower case)"
        );
        assert_eq!(
            redact(&format!("the name dag_{s}{s}, is too long.")),
            "the name (a secret value), is too long."
        );
        assert_eq!(
            redact(&format!("value 'Server=x; Password={s}{s}' is odd")),
            "value (a secret value) is odd"
        );
        assert_eq!(
            redact("the DAG 'Ledger' isn't renamed"),
            "the DAG 'Ledger' isn't renamed"
        );
    }
}
