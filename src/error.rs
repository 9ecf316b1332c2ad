//! How a run fails: [`RunError`] (exit status 2: the run cannot start, e.g. a broken
//! parameters file or configuration), and I/O errors worded for people. At the bottom
//! of the crate: every stage that reads from disk uses it.

/// The run itself failed (exit status 2): bad input or parameters file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunError {
    /// One line: `path[:line:col]: cause`.
    pub message: String,
    pub help: Option<String>,
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The cause of an I/O error in the words people know.
pub fn io_cause(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "is a directory".into(),
        _ => e.to_string(),
    }
}
