//! `az … --databases @dbs.json`: an argument whose value is in a file. The file is read
//! offline, relative to the folder of the shell script that names it (that is where the
//! script's author keeps it), once, when a rule first asks. A file that is missing or
//! unreadable makes the value unknown: ML609 says so once; nothing is compared.

use super::cli_value;
use crate::span::Span;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Largest value file read (a list of database names is a few hundred bytes).
const MAX_BYTES: u64 = 1 << 20;

/// An argument value kept in a file.
#[derive(Debug)]
pub struct ValueFile {
    /// The path as written (after `@`).
    pub path: String,
    /// The argument as written (`@dbs.json`, `"@$DbFile"`).
    pub span: Span,
    /// Where a variable got the path (`DB_FILE=dbs.json`).
    pub defined_at: Option<Span>,
    names: OnceLock<Result<Vec<String>, String>>,
}

impl PartialEq for ValueFile {
    fn eq(&self, other: &ValueFile) -> bool {
        self.path == other.path && self.span == other.span && self.defined_at == other.defined_at
    }
}

impl Eq for ValueFile {}

impl ValueFile {
    pub fn new(path: String, span: Span, defined_at: Option<Span>) -> ValueFile {
        ValueFile {
            path,
            span,
            defined_at,
            names: OnceLock::new(),
        }
    }

    /// The database names the file lists, or why it cannot be read (a phrase for
    /// messages). `script` is the path of the shell script, as given to the tool.
    pub fn database_names(&self, script: &str) -> &Result<Vec<String>, String> {
        self.names.get_or_init(|| {
            let text = read(&self.resolve(script)?, &self.path)?;
            let lower = self.path.to_ascii_lowercase();
            let value = if lower.ends_with(".yaml") || lower.ends_with(".yml") {
                cli_value::parse_yaml(&text)?
            } else {
                cli_value::parse(&text)
                    .map_err(|why| format!("`{}` is not read: {why}", self.path))?
            };
            cli_value::database_names(&value).map_err(|why| format!("in `{}`, {why}", self.path))
        })
    }

    fn resolve(&self, script: &str) -> Result<PathBuf, String> {
        let written = self.path.trim();
        if written.is_empty() || written == "-" {
            return Err("the value is read from standard input".into());
        }
        if written.starts_with('~') {
            return Err(format!("`{written}` is in a home folder"));
        }
        if script == "-" {
            return Err(format!(
                "`{written}` is relative to a script read from standard input"
            ));
        }
        let folder = Path::new(script).parent().unwrap_or(Path::new(""));
        // Windows scripts write `.\dbs.json` and `sub\dbs.json`.
        let written = if std::path::MAIN_SEPARATOR == '/' {
            written.replace('\\', "/")
        } else {
            written.to_string()
        };
        Ok(folder.join(written))
    }
}

fn read(path: &Path, written: &str) -> Result<String, String> {
    let meta = std::fs::metadata(path)
        .map_err(|_| format!("`{written}` is not found next to the script"))?;
    if !meta.is_file() {
        return Err(format!("`{written}` is not a file"));
    }
    if meta.len() > MAX_BYTES {
        return Err(format!("`{written}` is larger than 1 MB"));
    }
    let bytes = std::fs::read(path).map_err(|_| format!("`{written}` cannot be read"))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("`{written}` is not UTF-8 text"))?;
    Ok(text.trim_start_matches('\u{feff}').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::FileId;

    fn file(path: &str) -> ValueFile {
        ValueFile::new(path.to_string(), Span::new(FileId(0), 0..1), None)
    }

    #[test]
    fn read_next_to_the_script() {
        let dir = std::env::temp_dir().join(format!("milink-value-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("dbs.json"), "[{\"database-name\": \"Ledger\"}]").unwrap();
        std::fs::write(dir.join("dbs.yaml"), "- database-name: Payroll\n").unwrap();
        let script = dir.join("link.sh");
        let script = script.to_str().unwrap();
        assert_eq!(
            file("dbs.json").database_names(script),
            &Ok(vec!["Ledger".to_string()])
        );
        assert_eq!(
            file("dbs.yaml").database_names(script),
            &Ok(vec!["Payroll".to_string()])
        );
        let missing = file("absent.json");
        assert!(missing
            .database_names(script)
            .as_ref()
            .unwrap_err()
            .contains("not found"));
        assert!(file("-").database_names(script).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
