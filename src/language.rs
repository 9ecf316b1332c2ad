//! Which language a file is written in, from its name: the shell dialects milink-lint
//! reads (every other file is read as T-SQL). At the bottom of the crate: discovery
//! picks files by it, and the shell reader parses by it.

/// The language of a shell script, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `.ps1`, `.psm1`
    PowerShell,
    /// `.sh`, `.bash`
    Posix,
    /// `.cmd`, `.bat`
    Cmd,
}

impl Dialect {
    /// The dialect of a file name, `None` for anything else.
    pub fn of(path: &str) -> Option<Dialect> {
        let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "ps1" | "psm1" => Some(Dialect::PowerShell),
            "sh" | "bash" => Some(Dialect::Posix),
            "cmd" | "bat" => Some(Dialect::Cmd),
            _ => None,
        }
    }
}
