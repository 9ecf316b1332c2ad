//! Bytes to text: how a script file on disk becomes the UTF-8 `String` the linter works on.
//!
//! SSMS saves scripts as UTF-8 (with or without BOM) or as UTF-16 with a BOM; some tools
//! write UTF-16 without one; SSMS and Notepad on Western Windows save "ANSI", the
//! Windows-1252 code page, which is also how sqlcmd reads a file that is not Unicode.
//! With the default [`Charset::Auto`], a BOM decides, else UTF-16 by its NUL pattern, else
//! UTF-8 when the bytes are valid UTF-8, else Windows-1252 (every byte is a character
//! there, and a valid UTF-8 file of non-ASCII text is practically never valid by
//! accident, so the guess is safe in that order). A [`Charset::Named`] encoding is used as
//! named (a BOM still wins) and bytes that are invalid in it are an error with their offset.
//! Line endings are kept as they are; byte offsets in diagnostics refer to the decoded text.

use std::fmt;

use encoding_rs::{DecoderResult, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];
const UTF16_LE_BOM: &[u8] = &[0xFF, 0xFE];
const UTF16_BE_BOM: &[u8] = &[0xFE, 0xFF];

/// How many leading bytes the UTF-16-without-BOM heuristic looks at.
const SNIFF_LEN: usize = 4096;

/// Input bytes handed to the UTF-16 decoder per call, so the output grows with the text
/// instead of being reserved (and touched) for the worst case up front.
const UTF16_CHUNK_LEN: usize = 64 * 1024;

/// Which encoding to read files with: `encoding` in milink.toml, `--encoding`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Charset {
    /// BOM, else UTF-16 by its NUL pattern, else UTF-8 if valid, else Windows-1252.
    #[default]
    Auto,
    /// An encoding by its WHATWG label (`utf-8`, `utf-16le`, `windows-1250`, `latin1`, …).
    Named(&'static encoding_rs::Encoding),
}

impl Charset {
    /// `auto`, or an encoding label as encoding_rs knows it (letter case and blanks
    /// around do not matter). The "replacement" pseudo-encoding is refused.
    pub fn parse(label: &str) -> Option<Charset> {
        let label = label.trim();
        if label.eq_ignore_ascii_case("auto") {
            return Some(Charset::Auto);
        }
        let encoding = encoding_rs::Encoding::for_label_no_replacement(label.as_bytes())?;
        // `x-user-defined` maps bytes to private-use characters: never what a script is.
        (encoding != encoding_rs::X_USER_DEFINED).then_some(Charset::Named(encoding))
    }

    pub fn name(self) -> &'static str {
        match self {
            Charset::Auto => "auto",
            Charset::Named(encoding) => encoding.name(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16LeBom,
    Utf16BeBom,
    Utf16LeNoBom,
    Utf16BeNoBom,
    /// Not valid UTF-8 and no encoding named: read as Windows-1252 ("ANSI").
    Windows1252Guess,
    /// An encoding the configuration named (other than UTF-8 and UTF-16).
    Named(&'static encoding_rs::Encoding),
}

impl Encoding {
    /// A short human name, e.g. for a `--verbose` line or a hint.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16LeBom => "UTF-16LE with BOM",
            Encoding::Utf16BeBom => "UTF-16BE with BOM",
            Encoding::Utf16LeNoBom => "UTF-16LE without BOM",
            Encoding::Utf16BeNoBom => "UTF-16BE without BOM",
            Encoding::Windows1252Guess => "Windows-1252",
            Encoding::Named(encoding) => encoding.name(),
        }
    }

    fn bom_len(self) -> usize {
        match self {
            Encoding::Utf8
            | Encoding::Utf16LeNoBom
            | Encoding::Utf16BeNoBom
            | Encoding::Windows1252Guess
            | Encoding::Named(_) => 0,
            Encoding::Utf8Bom => UTF8_BOM.len(),
            Encoding::Utf16LeBom | Encoding::Utf16BeBom => 2,
        }
    }

    fn utf16(self) -> Option<&'static encoding_rs::Encoding> {
        match self {
            Encoding::Utf8
            | Encoding::Utf8Bom
            | Encoding::Windows1252Guess
            | Encoding::Named(_) => None,
            Encoding::Utf16LeBom | Encoding::Utf16LeNoBom => Some(UTF_16LE),
            Encoding::Utf16BeBom | Encoding::Utf16BeNoBom => Some(UTF_16BE),
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
}

/// Why a file's bytes are not a script. Every offset is a byte offset in the file (BOM included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The first byte that is not valid UTF-8, when UTF-8 was named.
    InvalidUtf8 { offset: usize },
    /// The first malformed UTF-16 code unit: an unpaired surrogate, or a lone trailing byte.
    InvalidUtf16 { offset: usize },
    /// The first byte that is not a character of the encoding named.
    Invalid {
        encoding: &'static str,
        offset: usize,
    },
    /// The first NUL byte (or U+0000 in UTF-16): no script contains one, so this is likely a binary file.
    Binary { offset: usize },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::InvalidUtf8 { offset } => {
                write!(f, "invalid UTF-8 at byte {offset}")
            }
            DecodeError::InvalidUtf16 { offset } => write!(
                f,
                "invalid UTF-16 at byte {offset}: unpaired surrogate or odd trailing byte"
            ),
            DecodeError::Invalid { encoding, offset } => {
                write!(f, "byte {offset} is not a character of {encoding}")
            }
            DecodeError::Binary { offset } => write!(
                f,
                "NUL byte at byte {offset}: this looks like a binary file, not a script"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes a script file's bytes with [`Charset::Auto`]; see the module documentation.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_owned(bytes.to_vec())
}

/// Like [`decode`], but reuses the buffer for UTF-8 input instead of copying it (large files).
pub fn decode_owned(bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    decode_as(bytes, Charset::Auto)
}

/// Decodes a script file's bytes as `charset` says; see the module documentation.
pub fn decode_as(mut bytes: Vec<u8>, charset: Charset) -> Result<Decoded, DecodeError> {
    let mut encoding = detect(&bytes, charset)?;
    let bom_len = encoding.bom_len();
    let text = if let Some(utf16) = encoding.utf16() {
        decode_utf16(&bytes[bom_len..], utf16, bom_len)?
    } else if let Encoding::Named(named) = encoding {
        single_byte(&bytes, named)?
    } else {
        match utf8_text(&bytes[bom_len..], bom_len) {
            Ok(_) => {
                bytes.drain(..bom_len);
                // Just validated.
                String::from_utf8(bytes).unwrap_or_default()
            }
            // Not UTF-8, no BOM and nothing named: "ANSI", as sqlcmd reads it. (A UTF-8
            // BOM decides: bytes invalid after it are an error.)
            Err(DecodeError::InvalidUtf8 { .. })
                if charset == Charset::Auto && encoding == Encoding::Utf8 =>
            {
                encoding = Encoding::Windows1252Guess;
                single_byte(&bytes[bom_len..], WINDOWS_1252)?
            }
            Err(e) => return Err(e),
        }
    };
    Ok(Decoded {
        text: classic_mac_line_ends(text),
        encoding,
    })
}

/// A file whose lines end with CR alone (classic Mac OS) reads as one long line to every
/// line-based step. CR becomes LF: the same length, so every offset stays.
fn classic_mac_line_ends(text: String) -> String {
    if !text.contains('\r') || text.contains('\n') {
        return text;
    }
    text.replace('\r', "\n")
}

/// Picks the encoding: a BOM, else the one named, else UTF-16 by the NUL pattern, else
/// UTF-8 (see [`decode_as`] for the Windows-1252 fallback).
fn detect(bytes: &[u8], charset: Charset) -> Result<Encoding, DecodeError> {
    if bytes.starts_with(UTF8_BOM) {
        return Ok(Encoding::Utf8Bom);
    }
    if bytes.starts_with(UTF16_LE_BOM) {
        return Ok(Encoding::Utf16LeBom);
    }
    if bytes.starts_with(UTF16_BE_BOM) {
        return Ok(Encoding::Utf16BeBom);
    }
    match charset {
        Charset::Named(named) if named == UTF_8 => Ok(Encoding::Utf8),
        Charset::Named(named) if named == UTF_16LE => Ok(Encoding::Utf16LeNoBom),
        Charset::Named(named) if named == UTF_16BE => Ok(Encoding::Utf16BeNoBom),
        Charset::Named(named) => Ok(Encoding::Named(named)),
        Charset::Auto => {
            // UTF-8 is checked while decoding (Windows-1252 when it is not).
            Ok(sniff_utf16_without_bom(bytes).unwrap_or(Encoding::Utf8))
        }
    }
}

/// Text in a legacy (non-Unicode) encoding, refusing bytes it does not map and NULs.
fn single_byte(
    bytes: &[u8],
    encoding: &'static encoding_rs::Encoding,
) -> Result<String, DecodeError> {
    if let Some(offset) = first_nul(bytes) {
        return Err(DecodeError::Binary { offset });
    }
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len() * 3),
    );
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        DecoderResult::InputEmpty => Ok(text),
        DecoderResult::Malformed(bad_len, consumed_after) => Err(DecodeError::Invalid {
            encoding: encoding.name(),
            offset: read - usize::from(consumed_after) - usize::from(bad_len),
        }),
        // The buffer was reserved for the worst case.
        DecoderResult::OutputFull => Err(DecodeError::Invalid {
            encoding: encoding.name(),
            offset: read,
        }),
    }
}

/// UTF-16 text that is mostly ASCII has a NUL in (nearly) every high byte: at odd positions for
/// little-endian, even ones for big-endian. Binary files have NULs on both sides, so they don't match.
fn sniff_utf16_without_bom(bytes: &[u8]) -> Option<Encoding> {
    let sample = &bytes[..bytes.len().min(SNIFF_LEN)];
    let units = sample.len() / 2;
    if units == 0 || !sample.contains(&0) {
        return None;
    }
    let (mut even_nuls, mut odd_nuls) = (0, 0);
    for pair in sample.chunks_exact(2) {
        even_nuls += usize::from(pair[0] == 0);
        odd_nuls += usize::from(pair[1] == 0);
    }
    if is_dominant_nul_side(odd_nuls, even_nuls, units) {
        Some(Encoding::Utf16LeNoBom)
    } else if is_dominant_nul_side(even_nuls, odd_nuls, units) {
        Some(Encoding::Utf16BeNoBom)
    } else {
        None
    }
}

/// At least half the code units have a NUL high byte, and the other side has almost none
/// (a few are fine: U+0100, U+4E00 … have a NUL low byte); or, for text mostly in
/// another script (a Cyrillic header: high byte 04), NULs on one side only, in at least
/// one unit of eight and at least 32 times (binary data has them on both sides).
fn is_dominant_nul_side(side: usize, other_side: usize, units: usize) -> bool {
    (side * 2 >= units && other_side * 16 <= side)
        || (other_side == 0 && side >= 32 && side * 8 >= units)
}

/// Strict UTF-8 without NULs; `base` is the body's offset in the file, for error offsets.
fn utf8_text(body: &[u8], base: usize) -> Result<&str, DecodeError> {
    if let Some(offset) = first_nul(body) {
        return Err(DecodeError::Binary {
            offset: base + offset,
        });
    }
    std::str::from_utf8(body).map_err(|err| DecodeError::InvalidUtf8 {
        offset: base + err.valid_up_to(),
    })
}

fn first_nul(bytes: &[u8]) -> Option<usize> {
    // `contains` on bytes is memchr-fast; the position is only needed on the rare error path.
    if bytes.contains(&0) {
        bytes.iter().position(|&b| b == 0)
    } else {
        None
    }
}

/// Decodes UTF-16 (no BOM in `body`) to UTF-8, refusing malformed sequences and U+0000.
fn decode_utf16(
    body: &[u8],
    utf16: &'static encoding_rs::Encoding,
    base: usize,
) -> Result<String, DecodeError> {
    let mut decoder = utf16.new_decoder_without_bom_handling();
    let mut text = String::new();
    let mut read = 0;
    loop {
        let chunk_end = body.len().min(read + UTF16_CHUNK_LEN);
        let chunk = &body[read..chunk_end];
        let worst_case = decoder
            .max_utf8_buffer_length_without_replacement(chunk.len())
            .unwrap_or(chunk.len() * 2);
        text.reserve(worst_case);
        let is_last = chunk_end == body.len();
        let (result, chunk_read) =
            decoder.decode_to_string_without_replacement(chunk, &mut text, is_last);
        read += chunk_read;
        match result {
            DecoderResult::Malformed(bad_len, consumed_after) => {
                let offset = read - usize::from(consumed_after) - usize::from(bad_len);
                return Err(DecodeError::InvalidUtf16 {
                    offset: base + offset,
                });
            }
            DecoderResult::InputEmpty if is_last => break,
            DecoderResult::InputEmpty | DecoderResult::OutputFull => {}
        }
    }
    if let Some(nul) = first_nul(text.as_bytes()) {
        // Map the char position back to the file: each UTF-16 code unit is 2 bytes.
        let units_before: usize = text[..nul].chars().map(char::len_utf16).sum();
        return Err(DecodeError::Binary {
            offset: base + units_before * 2,
        });
    }
    text.shrink_to_fit();
    Ok(text)
}

/// Why edits cannot be written back into a file's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpliceError {
    /// The bytes on disk no longer decode to the text that was linted.
    Changed,
    /// The new text has a character the file's encoding cannot hold.
    Unencodable { encoding: &'static str },
}

impl fmt::Display for SpliceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpliceError::Changed => f.write_str("the file changed on disk since it was read"),
            SpliceError::Unencodable { encoding } => {
                write!(f, "the new text has a character {encoding} cannot hold")
            }
        }
    }
}

/// The file's bytes with `edits` (ranges of its decoded text, sorted, not overlapping, and
/// their new text) written in, in the file's own encoding: the BOM, the line ends and every
/// byte outside the edited ranges stay as they are. `linted` is the text the edits were
/// made against, as linted (`*` where a secret was masked: those bytes are not compared);
/// `raw` must still decode to it, or the file changed on disk since.
pub fn splice(
    raw: &[u8],
    encoding: Encoding,
    linted: &str,
    edits: &[(std::ops::Range<usize>, &str)],
) -> Result<Vec<u8>, SpliceError> {
    let charset = match encoding {
        Encoding::Utf8 | Encoding::Utf8Bom => Charset::Named(UTF_8),
        Encoding::Utf16LeBom | Encoding::Utf16LeNoBom => Charset::Named(UTF_16LE),
        Encoding::Utf16BeBom | Encoding::Utf16BeNoBom => Charset::Named(UTF_16BE),
        Encoding::Windows1252Guess => Charset::Named(WINDOWS_1252),
        Encoding::Named(named) => Charset::Named(named),
    };
    let decoded = decode_as(raw.to_vec(), charset).map_err(|_| SpliceError::Changed)?;
    // Windows-1252 read by guess comes back as Windows-1252 named.
    let same_encoding = decoded.encoding == encoding
        || (encoding == Encoding::Windows1252Guess
            && decoded.encoding == Encoding::Named(WINDOWS_1252));
    let same = same_encoding
        && decoded.text.len() == linted.len()
        && decoded
            .text
            .bytes()
            .zip(linted.bytes())
            .all(|(disk, seen)| disk == seen || seen == b'*');
    if !same {
        return Err(SpliceError::Changed);
    }
    let text = decoded.text;
    let mut out = Vec::with_capacity(raw.len());
    let mut raw_at = 0;
    let mut text_at = 0;
    let mut raw_offset = encoding.bom_len();
    for (range, content) in edits {
        // Walk the text to the edit, counting the bytes each piece takes in the file.
        raw_offset += encoded_len(&text[text_at..range.start], encoding);
        let raw_end = raw_offset + encoded_len(&text[range.clone()], encoding);
        out.extend_from_slice(&raw[raw_at..raw_offset]);
        out.extend(encode(content, encoding)?);
        raw_at = raw_end;
        raw_offset = raw_end;
        text_at = range.end;
    }
    out.extend_from_slice(&raw[raw_at..]);
    Ok(out)
}

/// How many bytes `text` takes in the file's encoding.
fn encoded_len(text: &str, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Utf8 | Encoding::Utf8Bom => text.len(),
        Encoding::Utf16LeBom
        | Encoding::Utf16LeNoBom
        | Encoding::Utf16BeBom
        | Encoding::Utf16BeNoBom => 2 * text.encode_utf16().count(),
        Encoding::Windows1252Guess => text.chars().count(),
        Encoding::Named(named) => named.encode(text).0.len(),
    }
}

/// `text` in the file's encoding; an error for a character the encoding has not.
fn encode(text: &str, encoding: Encoding) -> Result<Vec<u8>, SpliceError> {
    let unit = |u: u16| match encoding {
        Encoding::Utf16BeBom | Encoding::Utf16BeNoBom => u.to_be_bytes(),
        _ => u.to_le_bytes(),
    };
    match encoding {
        Encoding::Utf8 | Encoding::Utf8Bom => Ok(text.as_bytes().to_vec()),
        Encoding::Utf16LeBom
        | Encoding::Utf16LeNoBom
        | Encoding::Utf16BeBom
        | Encoding::Utf16BeNoBom => Ok(text.encode_utf16().flat_map(unit).collect()),
        Encoding::Windows1252Guess | Encoding::Named(_) => {
            let named = match encoding {
                Encoding::Named(named) => named,
                _ => WINDOWS_1252,
            };
            let (bytes, _, unmappable) = named.encode(text);
            if unmappable {
                return Err(SpliceError::Unencodable {
                    encoding: named.name(),
                });
            }
            Ok(bytes.into_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn utf16be(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_be_bytes).collect()
    }

    fn with_prefix(prefix: &[u8], body: &[u8]) -> Vec<u8> {
        [prefix, body].concat()
    }

    /// A script with CRLF and non-ASCII text, as SSMS would save it.
    const SCRIPT: &str = "-- réplica €\r\nCREATE AVAILABILITY GROUP [AG_Ledger]\r\nGO\r\n";

    fn assert_decodes(bytes: &[u8], text: &str, encoding: Encoding) {
        let decoded = decode(bytes).expect("decodes");
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.encoding, encoding);
        let owned = decode_owned(bytes.to_vec()).expect("decodes owned");
        assert_eq!(owned.text, text);
        assert_eq!(owned.encoding, encoding);
    }

    fn assert_fails(bytes: &[u8], error: DecodeError) {
        assert_eq!(decode(bytes).unwrap_err(), error);
        assert_eq!(decode_owned(bytes.to_vec()).unwrap_err(), error);
    }

    #[test]
    fn empty_file_is_empty_utf8_text() {
        assert_decodes(b"", "", Encoding::Utf8);
    }

    #[test]
    fn plain_utf8_keeps_crlf() {
        assert_decodes(SCRIPT.as_bytes(), SCRIPT, Encoding::Utf8);
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let bytes = with_prefix(UTF8_BOM, SCRIPT.as_bytes());
        assert_decodes(&bytes, SCRIPT, Encoding::Utf8Bom);
    }

    #[test]
    fn bom_only_files_are_empty() {
        assert_decodes(UTF8_BOM, "", Encoding::Utf8Bom);
        assert_decodes(UTF16_LE_BOM, "", Encoding::Utf16LeBom);
        assert_decodes(UTF16_BE_BOM, "", Encoding::Utf16BeBom);
    }

    #[test]
    fn later_bom_is_kept_in_the_text() {
        let text = "SELECT 1;\r\n\u{FEFF}SELECT 2;";
        assert_decodes(text.as_bytes(), text, Encoding::Utf8);
        let bytes = with_prefix(UTF8_BOM, text.as_bytes());
        assert_decodes(&bytes, text, Encoding::Utf8Bom);
        let bytes = with_prefix(UTF16_LE_BOM, &utf16le(text));
        assert_decodes(&bytes, text, Encoding::Utf16LeBom);
    }

    #[test]
    fn utf16le_with_bom() {
        let bytes = with_prefix(UTF16_LE_BOM, &utf16le(SCRIPT));
        assert_decodes(&bytes, SCRIPT, Encoding::Utf16LeBom);
    }

    #[test]
    fn utf16be_with_bom() {
        let bytes = with_prefix(UTF16_BE_BOM, &utf16be(SCRIPT));
        assert_decodes(&bytes, SCRIPT, Encoding::Utf16BeBom);
    }

    #[test]
    fn utf16le_without_bom() {
        assert_decodes(&utf16le(SCRIPT), SCRIPT, Encoding::Utf16LeNoBom);
    }

    #[test]
    fn utf16be_without_bom() {
        assert_decodes(&utf16be(SCRIPT), SCRIPT, Encoding::Utf16BeNoBom);
    }

    #[test]
    fn single_utf16_char_without_bom() {
        assert_decodes(b"S\0", "S", Encoding::Utf16LeNoBom);
        assert_decodes(b"\0S", "S", Encoding::Utf16BeNoBom);
    }

    #[test]
    fn utf16_supplementary_char_round_trips() {
        let text = "-- 𝄞 clef\r\n";
        let bytes = with_prefix(UTF16_LE_BOM, &utf16le(text));
        assert_decodes(&bytes, text, Encoding::Utf16LeBom);
    }

    fn utf8_only(bytes: &[u8]) -> Result<Decoded, DecodeError> {
        decode_as(bytes.to_vec(), Charset::parse("utf-8").unwrap())
    }

    #[test]
    fn text_that_is_not_utf8_is_read_as_windows_1252() {
        // "é" and "€" in Windows-1252: E9 and 80; CRLF kept.
        assert_decodes(
            b"SELECT 'caf\xE9 \x80';\r\n",
            "SELECT 'café €';\r\n",
            Encoding::Windows1252Guess,
        );
        // A UTF-8 BOM decides: invalid bytes after it are an error.
        let bytes = with_prefix(UTF8_BOM, b"ab\xFF");
        assert_fails(&bytes, DecodeError::InvalidUtf8 { offset: 5 });
        // Still no NUL in a text file.
        assert_fails(b"caf\xE9\0", DecodeError::Binary { offset: 4 });
    }

    #[test]
    fn invalid_utf8_reports_the_offset_of_the_bad_byte_when_utf8_is_named() {
        assert_eq!(
            utf8_only(b"SELECT 'caf\xE9';").unwrap_err(),
            DecodeError::InvalidUtf8 { offset: 11 }
        );
        let bytes = with_prefix(UTF8_BOM, b"ab\xFF");
        assert_eq!(
            utf8_only(&bytes).unwrap_err(),
            DecodeError::InvalidUtf8 { offset: 5 }
        );
        // First two bytes of "€" (E2 82 AC).
        assert_eq!(
            utf8_only(b"x\xE2\x82").unwrap_err(),
            DecodeError::InvalidUtf8 { offset: 1 }
        );
        assert_eq!(utf8_only("ok é".as_bytes()).unwrap().text, "ok é");
    }

    #[test]
    fn named_code_pages() {
        let central = Charset::parse("windows-1250").unwrap();
        // Š and ł in Windows-1250: 8A and B3.
        let decoded = decode_as(b"N'\x8A\xB3'".to_vec(), central).unwrap();
        assert_eq!(decoded.text, "N'Šł'");
        assert_eq!(decoded.encoding.name(), "windows-1250");
        // 0xAA is not a character of Windows-1253.
        let greek = Charset::parse("windows-1253").unwrap();
        assert_eq!(
            decode_as(b"ab\xAA".to_vec(), greek).unwrap_err(),
            DecodeError::Invalid {
                encoding: "windows-1253",
                offset: 2
            }
        );
        // A BOM still wins over the name.
        let bytes = with_prefix(UTF16_LE_BOM, &utf16le("é"));
        assert_eq!(decode_as(bytes, central).unwrap().text, "é");
        // UTF-16 named without a BOM.
        let le = Charset::parse("UTF-16LE").unwrap();
        assert_eq!(decode_as(utf16le("x é"), le).unwrap().text, "x é");
    }

    #[test]
    fn charset_labels() {
        assert_eq!(Charset::parse(" AUTO "), Some(Charset::Auto));
        assert_eq!(Charset::parse("latin1").unwrap().name(), "windows-1252");
        assert_eq!(Charset::parse("cp1252").unwrap().name(), "windows-1252");
        assert_eq!(Charset::parse("iso-8859-2").unwrap().name(), "ISO-8859-2");
        assert_eq!(Charset::parse("utf8").unwrap().name(), "UTF-8");
        assert_eq!(Charset::parse("ebcdic"), None);
        assert_eq!(Charset::parse("replacement"), None);
        assert_eq!(Charset::parse("x-user-defined"), None);
    }

    #[test]
    fn unpaired_high_surrogate_in_utf16le() {
        let mut bytes = with_prefix(UTF16_LE_BOM, &utf16le("AB"));
        bytes.extend_from_slice(&0xD800u16.to_le_bytes());
        bytes.extend_from_slice(&utf16le("C"));
        assert_fails(&bytes, DecodeError::InvalidUtf16 { offset: 6 });
    }

    #[test]
    fn unpaired_low_surrogate_in_utf16be() {
        let mut bytes = with_prefix(UTF16_BE_BOM, &utf16be("A"));
        bytes.extend_from_slice(&0xDC00u16.to_be_bytes());
        assert_fails(&bytes, DecodeError::InvalidUtf16 { offset: 4 });
    }

    #[test]
    fn high_surrogate_at_end_of_utf16() {
        let mut bytes = with_prefix(UTF16_LE_BOM, &utf16le("A"));
        bytes.extend_from_slice(&0xD83Du16.to_le_bytes());
        assert_fails(&bytes, DecodeError::InvalidUtf16 { offset: 4 });
    }

    #[test]
    fn odd_trailing_byte_in_utf16() {
        let mut bytes = with_prefix(UTF16_LE_BOM, &utf16le("AB"));
        bytes.push(b'C');
        assert_fails(&bytes, DecodeError::InvalidUtf16 { offset: 6 });
    }

    #[test]
    fn odd_trailing_byte_in_utf16_without_bom() {
        let mut bytes = utf16le("SELECT 1");
        bytes.push(b'x');
        assert_fails(&bytes, DecodeError::InvalidUtf16 { offset: 16 });
    }

    #[test]
    fn nul_in_utf8_text_is_binary() {
        assert_fails(b"SELECT 1;\0\0garbage", DecodeError::Binary { offset: 9 });
        let bytes = with_prefix(UTF8_BOM, b"ab\0");
        assert_fails(&bytes, DecodeError::Binary { offset: 5 });
        assert_fails(b"\0", DecodeError::Binary { offset: 0 });
    }

    #[test]
    fn nul_after_the_sniffed_prefix_is_binary() {
        let mut bytes = vec![b'-'; SNIFF_LEN + 10];
        bytes[SNIFF_LEN + 3] = 0;
        assert_fails(
            &bytes,
            DecodeError::Binary {
                offset: SNIFF_LEN + 3,
            },
        );
    }

    #[test]
    fn nuls_on_both_sides_are_binary_not_utf16() {
        // Typical executable/image content: zeros everywhere plus some other bytes.
        let bytes: Vec<u8> = (0..2000u32)
            .map(|i| if i % 3 == 0 { 0x7F } else { 0 })
            .collect();
        assert_fails(&bytes, DecodeError::Binary { offset: 1 });
    }

    #[test]
    fn u0000_in_utf16_is_binary() {
        let bytes = with_prefix(UTF16_LE_BOM, &utf16le("é€\0x"));
        // BOM (2) + two code units (4).
        assert_fails(&bytes, DecodeError::Binary { offset: 6 });
        // Offsets count surrogate pairs as two units.
        let text = "𝄞 abcdefghijklmnopqrstuvwxyz\0";
        assert_fails(&utf16be(text), DecodeError::Binary { offset: 58 });
    }

    #[test]
    fn utf32_is_refused_as_binary() {
        // UTF-32LE BOM starts with the UTF-16LE one; its padding decodes to U+0000.
        let bytes = [0xFF, 0xFE, 0, 0, b'S', 0, 0, 0];
        assert_fails(&bytes, DecodeError::Binary { offset: 2 });
    }

    #[test]
    fn utf16_without_bom_with_a_long_cyrillic_header_is_detected() {
        let header = "-- Изменения: перенос базы данных на управляемый экземпляр\r\n".repeat(30);
        let text =
            format!("{header}CREATE AVAILABILITY GROUP [AG1] WITH (CLUSTER_TYPE = NONE);\r\n");
        assert_decodes(&utf16le(&text), &text, Encoding::Utf16LeNoBom);
    }

    #[test]
    fn utf16_without_bom_with_non_latin_text_still_detected() {
        // Mostly ASCII keywords with a few CJK/Cyrillic characters in comments.
        let text = "-- 一 код\r\nALTER AVAILABILITY GROUP [AG] SET (ROLE = SECONDARY);\r\n";
        assert_decodes(&utf16le(text), text, Encoding::Utf16LeNoBom);
        assert_decodes(&utf16be(text), text, Encoding::Utf16BeNoBom);
    }

    #[test]
    fn error_messages_are_one_line_and_name_the_offset() {
        let errors = [
            DecodeError::InvalidUtf8 { offset: 1234 },
            DecodeError::InvalidUtf16 { offset: 1234 },
            DecodeError::Invalid {
                encoding: "windows-1253",
                offset: 1234,
            },
            DecodeError::Binary { offset: 1234 },
        ];
        for error in errors {
            let message = error.to_string();
            assert!(message.contains("byte 1234"), "{message}");
            assert!(!message.contains('\n'), "{message}");
        }
        assert_eq!(
            DecodeError::InvalidUtf8 { offset: 1234 }.to_string(),
            "invalid UTF-8 at byte 1234"
        );
    }

    /// 5 MB of each kind must decode quickly: a quadratic step would take minutes here.
    #[test]
    fn large_inputs_decode_in_linear_time() {
        let line = "INSERT INTO t VALUES (N'réplica €', 1);\r\n";
        let text = line.repeat(5 * 1024 * 1024 / line.len());
        let started = std::time::Instant::now();
        assert_decodes(text.as_bytes(), &text, Encoding::Utf8);
        let utf16 = with_prefix(UTF16_LE_BOM, &utf16le(&text));
        assert_decodes(&utf16, &text, Encoding::Utf16LeBom);
        assert_decodes(&utf16be(&text), &text, Encoding::Utf16BeNoBom);
        let elapsed = started.elapsed();
        assert!(elapsed.as_secs() < 20, "took {elapsed:?}");
    }

    #[test]
    fn utf16_surrogate_pair_split_across_chunks() {
        let text = format!("{}𝄞 é", "x".repeat(UTF16_CHUNK_LEN / 2 - 1));
        let bytes = with_prefix(UTF16_LE_BOM, &utf16le(&text));
        assert_decodes(&bytes, &text, Encoding::Utf16LeBom);
        // The same high surrogate followed by a non-surrogate: the offset is in the first chunk.
        let mut body = utf16le(&"x".repeat(UTF16_CHUNK_LEN / 2 - 1));
        body.extend_from_slice(&0xD834u16.to_le_bytes());
        body.extend_from_slice(&utf16le("x"));
        let bytes = with_prefix(UTF16_LE_BOM, &body);
        assert_fails(
            &bytes,
            DecodeError::InvalidUtf16 {
                offset: UTF16_CHUNK_LEN,
            },
        );
    }

    #[test]
    fn utf16_error_offset_beyond_the_first_chunk() {
        let mut body = utf16le(&"x".repeat(UTF16_CHUNK_LEN));
        body.extend_from_slice(&0xDC00u16.to_le_bytes());
        let bytes = with_prefix(UTF16_LE_BOM, &body);
        assert_fails(
            &bytes,
            DecodeError::InvalidUtf16 {
                offset: 2 + UTF16_CHUNK_LEN * 2,
            },
        );
    }

    #[test]
    fn edits_are_written_in_the_files_own_encoding() {
        // UTF-16LE with a BOM and CRLF: only the edited bytes change.
        let text = "USE [Ledgr];\r\nGO\r\n";
        let mut raw = vec![0xFF, 0xFE];
        raw.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let at = text.find("Ledgr").unwrap();
        let out = splice(&raw, Encoding::Utf16LeBom, text, &[(at..at + 5, "Lédger")]).unwrap();
        let mut expected = vec![0xFF, 0xFE];
        expected.extend(
            "USE [Lédger];\r\nGO\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        assert_eq!(out, expected);
        // Windows-1252: é is one byte; a character it has not is refused.
        let raw = b"-- caf\xe9\nUSE [Ledgr];\n".to_vec();
        let text = decode(&raw).unwrap().text;
        let at = text.find("Ledgr").unwrap();
        let out = splice(
            &raw,
            Encoding::Windows1252Guess,
            &text,
            &[(at..at + 5, "Ledger")],
        )
        .unwrap();
        assert_eq!(out, b"-- caf\xe9\nUSE [Ledger];\n");
        assert_eq!(
            splice(
                &raw,
                Encoding::Windows1252Guess,
                &text,
                &[(at..at + 5, "日本")]
            ),
            Err(SpliceError::Unencodable {
                encoding: "windows-1252"
            })
        );
    }

    #[test]
    fn a_file_changed_since_it_was_linted_is_not_spliced() {
        let raw = b"USE [Ledgr];\n";
        assert_eq!(
            splice(raw, Encoding::Utf8, "USE [Other];\n", &[(5..10, "Ledger")]),
            Err(SpliceError::Changed)
        );
        // A masked secret is not compared.
        let raw = b"PASSWORD = 'pw', USE [Ledgr]";
        let linted = "PASSWORD = '**', USE [Ledgr]";
        let out = splice(raw, Encoding::Utf8, linted, &[(22..27, "Ledger")]).unwrap();
        assert_eq!(out, b"PASSWORD = 'pw', USE [Ledger]");
    }
}
