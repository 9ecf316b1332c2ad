//! The texts of a run: every linted script and the parameters file, addressed by [`FileId`].

use crate::span::{FileId, LineCol, LineIndex, Span};

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given on the command line or found under a given folder; `-` for stdin.
    pub name: String,
    pub text: String,
    pub lines: LineIndex,
    /// How the bytes were decoded (scripts only).
    pub encoding: Option<crate::source::Encoding>,
    /// Why the file could not be read; its text is then empty (ML004 reports it).
    pub unreadable: Option<Unreadable>,
    /// Read from standard input (whatever `--stdin-filename` calls it): its fixes are
    /// printed with `--fix -`, never written to a file of that name.
    pub stdin: bool,
    /// The shell script whose `-Query` this script is, laid out over its text (same
    /// offsets for the query's own bytes).
    pub laid_over: Option<FileId>,
}

/// Why a file of the run could not be read as a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// One line, without the file name: "permission denied", "byte 7 is not …".
    pub cause: String,
    /// What to do about it.
    pub help: String,
}

#[derive(Debug, Default, Clone)]
pub struct Files {
    files: Vec<SourceFile>,
}

impl Files {
    pub fn new() -> Files {
        Files::default()
    }

    pub fn add(&mut self, name: impl Into<String>, text: String) -> FileId {
        let lines = LineIndex::new(&text);
        self.files.push(SourceFile {
            name: name.into(),
            text,
            lines,
            encoding: None,
            unreadable: None,
            stdin: false,
            laid_over: None,
        });
        FileId(self.files.len() as u32 - 1)
    }

    /// Add a file that could not be read: an empty text that findings can point at.
    pub fn add_unreadable(&mut self, name: impl Into<String>, why: Unreadable) -> FileId {
        let id = self.add(name, String::new());
        self.files[id.0 as usize].unreadable = Some(why);
        id
    }

    /// Add a decoded script, remembering its encoding.
    pub fn add_decoded(
        &mut self,
        name: impl Into<String>,
        decoded: crate::source::Decoded,
    ) -> FileId {
        let id = self.add(name, decoded.text);
        self.files[id.0 as usize].encoding = Some(decoded.encoding);
        id
    }

    /// Mark a file as the query of the shell script `shell`, laid out over its text.
    pub fn mark_laid_over(&mut self, id: FileId, shell: FileId) {
        self.files[id.0 as usize].laid_over = Some(shell);
    }

    /// Mark a file as the text of standard input.
    pub fn mark_stdin(&mut self, id: FileId) {
        self.files[id.0 as usize].stdin = true;
    }

    /// Move `other`'s files after these; returns what to add to their ids.
    pub fn append(&mut self, other: Files) -> u32 {
        let offset = self.files.len() as u32;
        self.files.extend(other.files);
        offset
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// The source text a span covers.
    pub fn slice(&self, span: Span) -> &str {
        let file = self.get(span.file);
        file.text.get(span.range()).unwrap_or("")
    }

    pub fn start(&self, span: Span) -> LineCol {
        let file = self.get(span.file);
        file.lines.line_col(&file.text, span.start as usize)
    }

    pub fn end(&self, span: Span) -> LineCol {
        let file = self.get(span.file);
        file.lines.line_col(&file.text, span.end as usize)
    }
}

impl Files {
    /// A text to mask in place ([`crate::masking`]): its length and line breaks must not
    /// change, so that every offset and the line index stay valid.
    pub fn text_mut(&mut self, id: FileId) -> &mut String {
        &mut self.files[id.0 as usize].text
    }

    /// Change every text in place, keeping its length and line breaks (see
    /// [`Files::text_mut`]).
    pub fn each_text_mut(&mut self, mut change: impl FnMut(&mut String)) {
        for f in &mut self.files {
            change(&mut f.text);
        }
    }
}
