//! Reading the inputs: bytes from disk or standard input, decoded into text with the
//! encoding configured for each file. A file that cannot be read is not an error of the
//! run: it becomes [`Read::Unreadable`], a finding at that file (ML004), and every other
//! file is still linted.

use crate::discover::Input;
use crate::files::Unreadable;
use crate::source::{self, Charset, DecodeError, Decoded};
use std::io::Read as _;
use std::path::Path;

/// What reading one input gave.
#[derive(Debug)]
pub enum Read {
    Text { name: String, decoded: Decoded },
    Unreadable { name: String, why: Unreadable },
}

/// Where standard input's text comes from.
#[derive(Debug, Clone, Copy)]
pub struct Stdin<'a> {
    /// The name it is shown under (`--stdin-filename`, `-` by default).
    pub name: &'a str,
    /// Its bytes when the caller read them already (`--fix -` lints the fixed text
    /// again); None reads the process's standard input.
    pub bytes: Option<&'a [u8]>,
}

impl Stdin<'static> {
    /// The process's standard input, shown as `-`.
    pub const PROCESS: Stdin<'static> = Stdin {
        name: "-",
        bytes: None,
    };
}

/// Read and decode one input. `limit` is `--max-file-size`; `charset` the encoding
/// configured for it.
pub fn read(input: &Input, stdin: Stdin, limit: u64, charset: Charset) -> Read {
    let (name, bytes) = match input {
        Input::Stdin => (
            stdin.name.to_string(),
            match stdin.bytes {
                Some(bytes) if bytes.len() as u64 > limit => Err(past_limit(limit)),
                Some(bytes) => Ok(bytes.to_vec()),
                None => read_stdin(limit),
            },
        ),
        Input::File { path, display } => (display.clone(), read_file(path, limit)),
        Input::Unreadable { display, cause } => (
            display.clone(),
            Err(Unreadable {
                cause: cause.clone(),
                help: "make it readable by the user that runs milink-lint, or exclude it (`exclude` in milink.toml)".into(),
            }),
        ),
    };
    match bytes {
        Ok(bytes) => decode(name, bytes, charset),
        Err(why) => Read::Unreadable { name, why },
    }
}

/// Decode bytes already in memory.
pub fn decode(name: String, bytes: Vec<u8>, charset: Charset) -> Read {
    match source::decode_as(bytes, charset) {
        Ok(decoded) => Read::Text { name, decoded },
        Err(e) => Read::Unreadable {
            why: Unreadable {
                cause: e.to_string(),
                help: decode_help(&e, charset),
            },
            name,
        },
    }
}

fn decode_help(e: &DecodeError, charset: Charset) -> String {
    match e {
        DecodeError::Binary { .. } => "a binary file named like a script: exclude it (`exclude` in milink.toml)".into(),
        // The usual cause: a tool that took UTF-16 for 8-bit text rewrote its line ends
        // (git's text conversion turns the LF byte of `0A 00` into `0D 0A`).
        DecodeError::InvalidUtf16 { .. } => "the UTF-16 text is damaged, often by line-end conversion that took it for 8-bit text (git: mark such files `binary` or `working-tree-encoding=UTF-16LE-BOM` in .gitattributes); save it again as UTF-8 or UTF-16".into(),
        _ => format!(
            "the file is not {}: name its encoding (`encoding` or `[per-file-encoding]` in milink.toml, --encoding), or save it as UTF-8",
            charset.name()
        ),
    }
}

fn read_stdin(limit: u64) -> Result<Vec<u8>, Unreadable> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Unreadable {
            cause: format!("cannot read standard input: {}", crate::error::io_cause(&e)),
            help: "check the command that pipes the script in".into(),
        })?;
    if bytes.len() as u64 > limit {
        return Err(past_limit(limit));
    }
    Ok(bytes)
}

fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, Unreadable> {
    let failed = |e: &std::io::Error| {
        Unreadable {
        cause: crate::error::io_cause(e),
        help: match e.kind() {
            std::io::ErrorKind::NotFound => {
                "the file was deleted or moved while the run was going on".into()
            }
            _ => "make it readable by the user that runs milink-lint, or exclude it (`exclude` in milink.toml)".into(),
        },
    }
    };
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let size = match std::fs::metadata(path) {
        Ok(metadata) => metadata.len(),
        Err(e) if is_link && e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Unreadable {
                cause: "broken symbolic link".into(),
                help: "the link points to a file that does not exist: fix or remove it".into(),
            })
        }
        Err(e) => return Err(failed(&e)),
    };
    if size > limit {
        return Err(Unreadable {
            cause: format!(
                "it is {}, over the limit of {}",
                size_text(size),
                size_text(limit)
            ),
            help: limit_help(),
        });
    }
    // Read through the limit: a device or FIFO reports size 0 (`/dev/zero`).
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limit.saturating_add(1)).read_to_end(&mut bytes))
        .map_err(|e| failed(&e))?;
    if bytes.len() as u64 > limit {
        return Err(past_limit(limit));
    }
    Ok(bytes)
}

/// Input whose size shows only while reading (standard input, a device, a FIFO).
fn past_limit(limit: u64) -> Unreadable {
    Unreadable {
        cause: format!("the input goes on past the limit of {}", size_text(limit)),
        help: limit_help(),
    }
}

fn limit_help() -> String {
    "raise the limit with --max-file-size (or max-file-size in milink.toml) if this really is a link script".into()
}

/// A size as people read it: bytes below 1 KB, else KB, MB or GB with one decimal.
pub fn size_text(bytes: u64) -> String {
    const UNITS: [&str; 3] = ["KB", "MB", "GB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// A script or parameters file already read into memory.
#[derive(Debug, Clone)]
pub struct SourceInput {
    /// The name shown in output (the path as given, `-` for stdin).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The run's note for a file read as Windows-1252.
pub fn windows_1252_note(name: &str) -> String {
    format!("{name}: not UTF-8: read as Windows-1252 (\"ANSI\"); if it uses another code page, name it with `encoding` or `[per-file-encoding]` in milink.toml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size_text(0), "0 bytes");
        assert_eq!(size_text(1000), "1000 bytes");
        assert_eq!(size_text(1536), "1.5 KB");
        assert_eq!(size_text(300 << 20), "300.0 MB");
        assert_eq!(size_text(3 << 30), "3.0 GB");
    }

    #[test]
    fn a_file_over_the_limit_is_unreadable_with_both_sizes() {
        let dir = std::env::temp_dir().join(format!("milink-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("big.sql");
        std::fs::write(&path, vec![b'-'; 2000]).unwrap();
        let input = Input::File {
            path: path.clone(),
            display: "big.sql".into(),
        };
        match read(&input, Stdin::PROCESS, 1000, Charset::Auto) {
            Read::Unreadable { name, why } => {
                assert_eq!(name, "big.sql");
                assert_eq!(why.cause, "it is 2.0 KB, over the limit of 1000 bytes");
            }
            other => panic!("{other:?}"),
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_file_is_unreadable() {
        let input = Input::File {
            path: "/nonexistent/milink/x.sql".into(),
            display: "x.sql".into(),
        };
        match read(&input, Stdin::PROCESS, u64::MAX, Charset::Auto) {
            Read::Unreadable { why, .. } => assert_eq!(why.cause, "no such file or directory"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn standard_input_read_by_the_caller_keeps_its_name_and_limit() {
        let stdin = Stdin {
            name: "link.sql",
            bytes: Some(b"USE master;\n"),
        };
        match read(&Input::Stdin, stdin, 100, Charset::Auto) {
            Read::Text { name, decoded } => {
                assert_eq!(name, "link.sql");
                assert_eq!(decoded.text, "USE master;\n");
            }
            other => panic!("{other:?}"),
        }
        match read(&Input::Stdin, stdin, 4, Charset::Auto) {
            Read::Unreadable { why, .. } => {
                assert_eq!(why.cause, "the input goes on past the limit of 4 bytes")
            }
            other => panic!("{other:?}"),
        }
    }
}
