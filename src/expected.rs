//! The values the scripts are checked against: the parameters file (`--params`, or an
//! Azure export given as one) and the Azure exports (`--azure`), read into the run's
//! files so that findings can point into them.

use crate::azure;
use crate::error::{io_cause, RunError};
use crate::files::Files;
use crate::params;
use crate::read::SourceInput;
use crate::source;
use crate::span::FileId;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What the scripts are compared with.
pub struct Expected {
    pub params: Option<params::Params>,
    /// The exports: `--azure`, and `--params` when it is one.
    pub exports: Vec<azure::export::Export>,
    /// The expected values are an export's: no parameters file of the user's.
    pub from_export: bool,
    /// Run-level remarks (a parameters file that sets nothing).
    pub notes: Vec<String>,
}

/// Read the parameters file and the `--azure` exports. An export fills what the
/// parameters file leaves open; where both give a value and they differ, the Azure rules
/// say so.
pub fn load(
    params: Option<SourceInput>,
    azure: &[PathBuf],
    files: &mut Files,
) -> Result<Expected, RunError> {
    let mut exports = Vec::new();
    let mut notes = Vec::new();
    let mut params = match params {
        Some(input) => {
            let name = input.name.clone();
            let loaded = load_params(input, files, &mut exports)?;
            if loaded.is_empty() {
                notes.push(format!(
                    "{name}: the parameters file sets no value: there is nothing to check the scripts against"
                ));
            }
            Some(loaded)
        }
        None => None,
    };
    // Without a parameters file of the user's, the expectations are an export's.
    let from_export = match &params {
        Some(_) => !exports.is_empty(),
        None => !azure.is_empty(),
    };
    for path in azure {
        let input = read_params(path)?;
        let (export, file) = load_export(input, files)?;
        let derived = azure::as_params::params_of(&export, file, &files.get(file).text);
        params = Some(match params {
            Some(mut p) => {
                p.fill_from(derived);
                p
            }
            None => derived,
        });
        exports.push(export);
    }
    Ok(Expected {
        params,
        exports,
        from_export,
        notes,
    })
}

/// `path:line:col` of a parameters or export file error.
fn params_error(files: &Files, display: &str, what: &str, e: params::ParamsError) -> RunError {
    let location = match e.span {
        Some(span) => {
            let at = files.start(span);
            format!("{display}:{}:{}", at.line, at.column)
        }
        None => display.to_string(),
    };
    RunError {
        message: format!("{location}: invalid {what}: {}", e.message),
        help: e.help,
    }
}

/// Decode a parameters file or export and add it to the run's files.
fn add_text_file(input: SourceInput, files: &mut Files) -> Result<(FileId, String), RunError> {
    let text = source::decode_owned(input.bytes)
        .map_err(|e| RunError {
            message: format!("{}: {e}", input.name),
            help: None,
        })?
        .text;
    Ok((files.add(input.name.clone(), text), input.name))
}

/// Read `--params`: a parameters file, or an Azure export used as one (its links are
/// then also checked as Azure sees them).
fn load_params(
    input: SourceInput,
    files: &mut Files,
    exports: &mut Vec<azure::export::Export>,
) -> Result<params::Params, RunError> {
    let (file, display) = add_text_file(input, files)?;
    let format = params::ParamsFormat::from_path(Path::new(&display));
    let text = &files.get(file).text;
    if azure::export::looks_like_export(text) {
        let export = azure::export::parse(text, file)
            .map_err(|e| params_error(files, &display, "Azure export", e))?;
        let params = azure::as_params::params_of(&export, file, text);
        exports.push(export);
        return Ok(params);
    }
    params::parse_params(text, file, format)
        .map_err(|e| params_error(files, &display, "parameters file", e))
}

/// Read an `--azure` export.
fn load_export(
    input: SourceInput,
    files: &mut Files,
) -> Result<(azure::export::Export, FileId), RunError> {
    let (file, display) = add_text_file(input, files)?;
    let text = &files.get(file).text;
    let json_like = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with(['{', '[']);
    azure::export::parse(text, file)
        .map(|export| (export, file))
        .map_err(|e| {
            let mut error = params_error(files, &display, "Azure export", e);
            if !json_like {
                error.help = Some("--azure reads the JSON that Azure returns (az sql mi link show -o json, Get-AzSqlInstanceLink | ConvertTo-Json -Depth 5); a parameters file goes to --params".into());
            }
            error
        })
}

/// Read a parameters file or export from disk (at most 16 MB).
pub fn read_params(path: &Path) -> Result<SourceInput, RunError> {
    let name = path.display().to_string();
    if path.is_dir() {
        return Err(RunError {
            message: format!("{name}: the parameters file is a directory"),
            help: None,
        });
    }
    // A parameters file is a few hundred bytes; a device (`/dev/zero`) must not fill memory.
    const LIMIT: u64 = 16 * 1024 * 1024;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(LIMIT + 1).read_to_end(&mut bytes))
        .map_err(|e| RunError {
            message: format!("{name}: cannot read the parameters file: {}", io_cause(&e)),
            help: None,
        })?;
    if bytes.len() as u64 > LIMIT {
        return Err(RunError {
            message: format!(
                "{name}: the parameters file is over 16 MB: this is not a parameters file"
            ),
            help: None,
        });
    }
    Ok(SourceInput { name, bytes })
}
