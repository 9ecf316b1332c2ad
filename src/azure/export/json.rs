//! A small spanned JSON tree.
//!
//! It is only ever run on text that `serde_json` has already accepted as strict
//! JSON, so it does not diagnose anything: on input it does not understand it
//! returns `None` (the caller reports an internal error; it never panics). Its
//! recursion is bounded by `serde_json`'s recursion limit (128), which the text
//! passed. Ranges are byte ranges into the whole text; a string's range
//! includes its quotes.

use std::ops::Range;

#[derive(Debug)]
pub(super) struct Node {
    pub kind: Kind,
    pub range: Range<usize>,
}

#[derive(Debug)]
pub(super) enum Kind {
    Null,
    Bool,
    Number,
    /// The decoded string.
    Str(String),
    Array(Vec<Node>),
    /// Members in text order (duplicates kept).
    Object(Vec<Member>),
}

#[derive(Debug)]
pub(super) struct Member {
    /// The decoded key.
    pub key: String,
    /// The key literal, quotes included.
    pub key_range: Range<usize>,
    pub value: Node,
}

impl Kind {
    /// "a string", "an object", … for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Number => "a number",
            Kind::Str(_) => "a string",
            Kind::Array(_) => "an array",
            Kind::Object(_) => "an object",
        }
    }
}

/// Reads the one JSON value that starts at or after byte `start` of `text`.
pub(super) fn parse(text: &str, start: usize) -> Option<Node> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: start,
    };
    reader.value()
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn skip_ws(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_ws();
        let found = self.bytes.get(self.pos) == Some(&byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn value(&mut self) -> Option<Node> {
        self.skip_ws();
        let start = self.pos;
        let kind = match *self.bytes.get(self.pos)? {
            b'{' => {
                self.pos += 1;
                let mut members = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        self.skip_ws();
                        let key_start = self.pos;
                        let key = self.string()?;
                        let key_range = key_start..self.pos;
                        if !self.eat(b':') {
                            return None;
                        }
                        let value = self.value()?;
                        members.push(Member {
                            key,
                            key_range,
                            value,
                        });
                        if self.eat(b',') {
                            continue;
                        }
                        if self.eat(b'}') {
                            break;
                        }
                        return None;
                    }
                }
                Kind::Object(members)
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value()?);
                        if self.eat(b',') {
                            continue;
                        }
                        if self.eat(b']') {
                            break;
                        }
                        return None;
                    }
                }
                Kind::Array(items)
            }
            b'"' => Kind::Str(self.string()?),
            b't' => self.literal("true", Kind::Bool)?,
            b'f' => self.literal("false", Kind::Bool)?,
            b'n' => self.literal("null", Kind::Null)?,
            b'-' | b'0'..=b'9' => {
                while matches!(
                    self.bytes.get(self.pos),
                    Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                ) {
                    self.pos += 1;
                }
                Kind::Number
            }
            _ => return None,
        };
        Some(Node {
            kind,
            range: start..self.pos,
        })
    }

    fn literal(&mut self, word: &str, kind: Kind) -> Option<Kind> {
        let end = self.pos + word.len();
        (self.text.get(self.pos..end)? == word).then(|| {
            self.pos = end;
            kind
        })
    }

    /// A string literal at `pos` (which must be its opening quote), decoded.
    fn string(&mut self) -> Option<String> {
        if self.bytes.get(self.pos) != Some(&b'"') {
            return None;
        }
        let inner_start = self.pos + 1;
        let mut i = inner_start;
        loop {
            i += memchr::memchr2(b'"', b'\\', self.bytes.get(i..)?)?;
            if self.bytes[i] == b'"' {
                break;
            }
            i += 2; // the backslash and the (ASCII) char it escapes
        }
        self.pos = i + 1;
        decode(self.text.get(inner_start..i)?, None)
    }
}

/// Decodes the inside of a JSON string literal (without its quotes). With `map`,
/// also records, for every byte of the decoded string, the byte offset in `inner`
/// of the char or escape it comes from, plus `inner.len()` at the end, so that a
/// range of the decoded string maps back to the text as written.
pub(super) fn decode(inner: &str, mut map: Option<&mut Vec<usize>>) -> Option<String> {
    let bytes = inner.as_bytes();
    let mut out = String::with_capacity(inner.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            let next = memchr::memchr(b'\\', &bytes[i..]).map_or(bytes.len(), |k| i + k);
            if let Some(map) = map.as_deref_mut() {
                map.extend(i..next);
            }
            out.push_str(&inner[i..next]);
            i = next;
            continue;
        }
        let (ch, len) = match *bytes.get(i + 1)? {
            b'"' => ('"', 2),
            b'\\' => ('\\', 2),
            b'/' => ('/', 2),
            b'b' => ('\u{8}', 2),
            b'f' => ('\u{c}', 2),
            b'n' => ('\n', 2),
            b'r' => ('\r', 2),
            b't' => ('\t', 2),
            b'u' => unicode_escape(inner, i)?,
            _ => return None,
        };
        if let Some(map) = map.as_deref_mut() {
            map.extend(std::iter::repeat_n(i, ch.len_utf8()));
        }
        out.push(ch);
        i += len;
    }
    if let Some(map) = map {
        map.push(inner.len());
    }
    Some(out)
}

/// `\uXXXX` (or a surrogate pair `\uD83D\uDE00`) at byte `i`: the char and the
/// escape's length. A lone surrogate (which serde_json rejects anyway) is U+FFFD.
fn unicode_escape(inner: &str, i: usize) -> Option<(char, usize)> {
    let hex = |at: usize| u32::from_str_radix(inner.get(at..at + 4)?, 16).ok();
    let high = hex(i + 2)?;
    if !(0xD800..0xDC00).contains(&high) {
        return Some((char::from_u32(high).unwrap_or('\u{FFFD}'), 6));
    }
    if inner.get(i + 6..i + 8) == Some("\\u") {
        if let Some(low @ 0xDC00..0xE000) = hex(i + 8) {
            let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
            return Some((char::from_u32(code).unwrap_or('\u{FFFD}'), 12));
        }
    }
    Some(('\u{FFFD}', 6))
}
