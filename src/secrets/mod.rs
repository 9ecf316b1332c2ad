//! Secrets: found once in every text the tool reads, and masked before anything else
//! reads it.
//!
//! [`find`] reads one text ([`scan`]); the masking stage ([`crate::masking`]) runs it
//! on every source, adds what only all sources together tell (variables used as a
//! password in another file, a value repeated elsewhere: [`Known`]) and masks by span
//! ([`mask`]). Downstream, a masked byte is a taint that [`redact`] and [`reveal`] turn
//! into `(a secret value)` in messages and `*` in snippets.

mod known;
mod mask;
mod read;
mod scan;

pub use known::{Known, Values};
pub use mask::{is_tainted, mask, neutralise, redact, reveal, MASK, SECRET_VALUE, SENTINEL};
pub use scan::{find, Assignment, Found};

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    Password,
    PrivateKey,
    /// An access key, a SAS signature, a bearer token, a client secret.
    Token,
}

/// How a secret was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A value where a secret goes (ML505 reports it).
    Value,
    /// The value of a `:setvar` (ML505 reports it, with advice for variables).
    Setvar,
    /// A further piece of a value already reported (`''' + 'a' + 'b' + '''`).
    Piece,
    /// A known secret repeated somewhere else (masked, not reported again).
    Repeat,
}

/// A secret written into a text: the bytes that are masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    /// Byte range of the value (without its quotes).
    pub range: Range<usize>,
    pub kind: SecretKind,
    pub origin: Origin,
}

/// Names whose value is a secret (`-`, `_` and letter case do not matter).
pub fn is_secret_name(name: &str) -> bool {
    let lower: String = name
        .trim_start_matches(['@', '-', '$', '"'])
        .chars()
        .filter(|c| !matches!(c, '-' | '_'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    const PARTS: &[&str] = &[
        "password",
        "passwd",
        "pwd",
        "secret",
        "keysource",
        "passphrase",
        "privatekey",
        "accountkey",
        "accesskey",
        "sharedkey",
        "storagekey",
        "apikey",
        "sastoken",
        "accesstoken",
        "authtoken",
        "refreshtoken",
        "bearertoken",
    ];
    PARTS.iter().any(|k| lower.contains(k))
        || lower.ends_with("pw")
        || matches!(lower.as_str(), "token" | "sas")
}

#[cfg(test)]
mod tests;
