//! POSIX sh / bash (`.sh`, `.bash`).

use super::Command;
use crate::span::FileId;

pub(super) fn commands(_file: FileId, _text: &str) -> Vec<Command> {
    Vec::new()
}
