//! Paths to inputs: turns the command line's PATHS into the list of scripts to lint.
//!
//! Explicit files are taken whatever their extension; folders are walked for `*.sql` and the
//! shell scripts that create the Azure side (`*.ps1`, `*.psm1`, `*.sh`, `*.bash`, `*.cmd`,
//! `*.bat`; any case) in a stable order; `-` is standard input. Problems become [`DiscoverError`]s, never panics.

use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use ignore::WalkBuilder;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    /// Found by walking but not readable (a subfolder without permission): a finding of
    /// its own (ML004) instead of a stopped run.
    Unreadable {
        display: String,
        cause: String,
    },
    File {
        /// Where to read the file from.
        path: PathBuf,
        /// The path as the user would see it, with `/` separators (see [`discover`]).
        display: String,
    },
}

#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    /// Skip what .gitignore/.ignore files exclude (even outside a git repository) and hidden entries.
    pub respect_gitignore: bool,
    /// `include`/`exclude` of `milink.toml`.
    pub filter: Option<crate::config::FileFilter>,
    /// Apply `exclude` to files named on the command line too (pre-commit passes every
    /// changed file by name).
    pub force_exclude: bool,
    /// Folders not walked, absolute: those of other configurations (each folder with a
    /// `milink.toml` of its own is a set-up of its own, see [`crate::workspace`]).
    pub skip_folders: std::sync::Arc<std::collections::HashSet<PathBuf>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoverError {
    /// The path as the user would see it.
    pub path: String,
    pub message: String,
}

impl fmt::Display for DiscoverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for DiscoverError {}

const STDIN_ARGUMENT: &str = "-";

/// Finds the inputs named by `paths` (the current folder when empty).
///
/// Argument order is kept; files found under one folder are sorted by path, component by
/// component, byte-wise. A file reached twice is listed once, where it was first reached.
/// `display` is a file argument exactly as given, or a folder argument joined with the
/// relative path of the file found under it (`x.sql`, not `./x.sql`, for the folder `.`).
pub fn discover(paths: &[OsString], options: &DiscoverOptions) -> (Vec<Input>, Vec<DiscoverError>) {
    let mut found = Found::default();
    for argument in arguments_or_current_folder(paths) {
        if argument == STDIN_ARGUMENT {
            found.add_stdin();
        } else {
            discover_argument(Path::new(argument), options, &mut found);
        }
    }
    (found.inputs, found.errors)
}

fn arguments_or_current_folder(paths: &[OsString]) -> Vec<&OsStr> {
    if paths.is_empty() {
        vec![OsStr::new(".")]
    } else {
        paths.iter().map(OsString::as_os_str).collect()
    }
}

/// The inputs and errors so far, with what is needed to list each file once.
#[derive(Default)]
struct Found {
    inputs: Vec<Input>,
    errors: Vec<DiscoverError>,
    seen_files: HashSet<PathBuf>,
    seen_stdin: bool,
}

impl Found {
    fn add_stdin(&mut self) {
        // Standard input can only be read once.
        if !std::mem::replace(&mut self.seen_stdin, true) {
            self.inputs.push(Input::Stdin);
        }
    }

    fn add_file(&mut self, path: PathBuf, display: String) {
        // The canonical path identifies `a.sql`, `./a.sql` and a symlink to it as one file.
        let identity = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if self.seen_files.insert(identity) {
            self.inputs.push(Input::File { path, display });
        }
    }

    fn add_unreadable(&mut self, display: String, cause: String) {
        self.inputs.push(Input::Unreadable { display, cause });
    }

    fn add_error(&mut self, path: String, message: String) {
        self.errors.push(DiscoverError { path, message });
    }
}

fn discover_argument(argument: &Path, options: &DiscoverOptions, found: &mut Found) {
    let display = argument.to_string_lossy().into_owned();
    // `metadata` follows symlinks: a symlinked file or folder given explicitly works.
    match fs::metadata(argument) {
        Ok(metadata) if metadata.is_dir() => walk_folder(argument, options, found),
        Ok(_) if options.force_exclude && is_excluded(argument, options) => {}
        // Files, but also FIFOs such as bash's `<(…)`: an explicit argument is always read.
        Ok(_) => found.add_file(argument.to_path_buf(), display),
        Err(err) => found.add_error(display, missing_path_message(argument, &err)),
    }
}

fn missing_path_message(path: &Path, err: &io::Error) -> String {
    let is_symlink = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_symlink && err.kind() == io::ErrorKind::NotFound {
        "broken symbolic link".to_owned()
    } else {
        io_error_message(err)
    }
}

/// Lower-case messages without the "(os error N)" suffix, like the rest of the tool's output.
fn io_error_message(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => err.to_string(),
    }
}

fn walk_folder(folder: &Path, options: &DiscoverOptions, found: &mut Found) {
    let mut scripts = Vec::new();
    for entry in walker(folder, options) {
        match entry {
            Ok(entry) => {
                if let Some(script) = script_in_walk(folder, &entry, options) {
                    scripts.push(script);
                }
            }
            Err(err) if is_ignore_file_syntax_error(&err) => {}
            Err(err) => {
                let (path, message) = describe_walk_error(&err);
                match path.filter(|p| *p != folder) {
                    // Something below the folder: the rest of the walk goes on.
                    Some(path) => found.add_unreadable(display_under(folder, path), message),
                    None => found.add_error(display_under(folder, folder), message),
                }
            }
        }
    }
    scripts.sort_by(|a, b| compare_paths_bytewise(&a.0, &b.0));
    for (relative, path) in scripts {
        let display = join_display(folder.as_os_str(), &relative);
        found.add_file(path, display);
    }
}

fn walker(folder: &Path, options: &DiscoverOptions) -> ignore::Walk {
    let mut builder = WalkBuilder::new(folder);
    builder
        .standard_filters(options.respect_gitignore)
        .follow_links(false)
        // Sorted walking makes the order of errors deterministic too.
        .sort_by_file_name(|a, b| a.as_encoded_bytes().cmp(b.as_encoded_bytes()));
    if !options.skip_folders.is_empty() {
        let skip = options.skip_folders.clone();
        builder.filter_entry(move |entry| {
            entry.depth() == 0
                || !entry.file_type().is_some_and(|t| t.is_dir())
                || std::path::absolute(entry.path())
                    .map(|p| !skip.contains(&crate::config::normalize(&p)))
                    .unwrap_or(true)
        });
    }
    if options.respect_gitignore && !inside_git_repository(folder) {
        // By default `ignore` honours .gitignore only inside a git repository; outside
        // one, honour those in the walked folder and below, but not a parent's (a
        // home-folder .gitignore with `*` would hide everything).
        builder.require_git(false).parents(false);
    }
    builder.build()
}

/// `folder` or one of its parents holds `.git` (a folder, or a file in a worktree).
fn inside_git_repository(folder: &Path) -> bool {
    let Ok(absolute) = std::path::absolute(folder) else {
        return false;
    };
    absolute.ancestors().any(|a| a.join(".git").exists())
}

/// A walked entry that is a script: `(path relative to the folder, path to read)`.
///
/// Symlinks are not followed into folders (no loops), but a symlink to a file is a script.
/// A broken `.sql` symlink is reported rather than silently skipped.
fn script_in_walk(
    folder: &Path,
    entry: &ignore::DirEntry,
    options: &DiscoverOptions,
) -> Option<(PathBuf, PathBuf)> {
    let path = entry.path();
    let included = options.filter.as_ref().and_then(|f| f.is_included(path));
    if !included.unwrap_or_else(|| has_script_extension(path)) || is_excluded(path, options) {
        return None;
    }
    let file_type = entry.file_type()?;
    let is_file = if file_type.is_symlink() {
        // A broken link found by walking is a file that cannot be read (ML004 when it is
        // read), not a reason to stop the run; named on the command line, it is an error.
        fs::metadata(path).map_or(true, |metadata| metadata.is_file())
    } else {
        file_type.is_file()
    };
    let relative = path.strip_prefix(folder).ok()?;
    is_file.then(|| (relative.to_path_buf(), path.to_path_buf()))
}

fn is_excluded(path: &Path, options: &DiscoverOptions) -> bool {
    options.filter.as_ref().is_some_and(|f| f.is_excluded(path))
}

/// T-SQL scripts and the shell scripts that call the Azure side.
pub fn has_script_extension(path: &Path) -> bool {
    let is_sql = path
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("sql"));
    is_sql || crate::language::Dialect::of(&path.to_string_lossy()).is_some()
}

fn compare_paths_bytewise(a: &Path, b: &Path) -> std::cmp::Ordering {
    let bytes = |component: Component<'_>| component.as_os_str().as_encoded_bytes().to_vec();
    a.components().map(bytes).cmp(b.components().map(bytes))
}

/// `folder` (as given) joined with `relative`, with `/` separators; `.` adds no prefix.
fn join_display(folder: &OsStr, relative: &Path) -> String {
    let folder = with_slashes(&folder.to_string_lossy());
    let relative = relative_with_slashes(relative);
    if folder == "." || folder == "./" {
        relative
    } else if folder.ends_with('/') {
        format!("{folder}{relative}")
    } else {
        format!("{folder}/{relative}")
    }
}

/// How a path found while walking `folder` is shown: relative to `folder` when it is under it.
fn display_under(folder: &Path, path: &Path) -> String {
    match path.strip_prefix(folder) {
        Ok(relative) if relative.as_os_str().is_empty() => path.to_string_lossy().into_owned(),
        Ok(relative) => join_display(folder.as_os_str(), relative),
        Err(_) => with_slashes(&path.to_string_lossy()),
    }
}

fn relative_with_slashes(relative: &Path) -> String {
    let parts: Vec<_> = relative
        .components()
        .map(|component| component.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

/// On Windows, `\` is a separator to show as `/`; elsewhere it is an ordinary file-name character.
fn with_slashes(path: &str) -> String {
    if cfg!(windows) {
        path.replace('\\', "/")
    } else {
        path.to_owned()
    }
}

/// The innermost path and a message without that path (the path is reported separately).
fn describe_walk_error(err: &ignore::Error) -> (Option<&Path>, String) {
    match err {
        ignore::Error::WithPath { path, err } => {
            let (inner_path, message) = describe_walk_error(err);
            (inner_path.or(Some(path.as_path())), message)
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            describe_walk_error(err)
        }
        ignore::Error::Loop { child, .. } => {
            (Some(child.as_path()), "symbolic link loop".to_owned())
        }
        ignore::Error::Io(io_err) => (None, io_error_message(io_err)),
        ignore::Error::Partial(errs) => match errs.first() {
            Some(first) => describe_walk_error(first),
            None => (None, err.to_string()),
        },
        other => (None, other.to_string()),
    }
}

/// A bad pattern in a .gitignore/.ignore file: git itself skips such lines, so must we,
/// rather than failing the run over a file that is not ours.
fn is_ignore_file_syntax_error(err: &ignore::Error) -> bool {
    match err {
        ignore::Error::Glob { .. } => true,
        ignore::Error::Partial(errs) => errs.iter().all(is_ignore_file_syntax_error),
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => is_ignore_file_syntax_error(err),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A fresh folder under the system temp folder, removed on drop.
    struct TempFolder(PathBuf);

    impl TempFolder {
        fn new() -> TempFolder {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let unique = format!(
                "milink-lint-discover-{}-{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            );
            let path = std::env::temp_dir().join(unique);
            let _ = fs::remove_dir_all(&path);
            fs::create_dir_all(&path).expect("create temp folder");
            TempFolder(path)
        }

        fn file(&self, relative: &str) -> PathBuf {
            let path = self.0.join(relative);
            fs::create_dir_all(path.parent().expect("has parent")).expect("create parents");
            fs::write(&path, "SELECT 1;\n").expect("write file");
            path
        }

        fn folder(&self, relative: &str) -> PathBuf {
            let path = self.0.join(relative);
            fs::create_dir_all(&path).expect("create folder");
            path
        }

        fn argument(&self) -> OsString {
            self.0.clone().into_os_string()
        }

        fn display(&self, relative: &str) -> String {
            format!("{}/{relative}", self.0.to_string_lossy())
        }
    }

    impl Drop for TempFolder {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn all_files() -> DiscoverOptions {
        DiscoverOptions::default()
    }

    fn displays(inputs: &[Input]) -> Vec<String> {
        inputs
            .iter()
            .map(|input| match input {
                Input::Stdin => "-".to_owned(),
                Input::File { display, .. } | Input::Unreadable { display, .. } => display.clone(),
            })
            .collect()
    }

    fn discover_displays(arguments: &[OsString], options: &DiscoverOptions) -> Vec<String> {
        let (inputs, errors) = discover(arguments, options);
        assert_eq!(errors, vec![]);
        displays(&inputs)
    }

    #[test]
    fn no_argument_means_the_current_folder() {
        assert_eq!(arguments_or_current_folder(&[]), vec![OsStr::new(".")]);
        let given = [OsString::from("a.sql")];
        assert_eq!(
            arguments_or_current_folder(&given),
            vec![OsStr::new("a.sql")]
        );
    }

    #[test]
    fn dash_is_stdin_once() {
        let arguments = [OsString::from("-"), OsString::from("-")];
        let (inputs, errors) = discover(&arguments, &all_files());
        assert_eq!(inputs, vec![Input::Stdin]);
        assert_eq!(errors, vec![]);
    }

    #[test]
    fn walked_files_are_sorted_bytewise_by_component() {
        let temp = TempFolder::new();
        for name in [
            "b.sql",
            "a.sql",
            "a/02.sql",
            "a/01.sql",
            "a-b/x.sql",
            "B.sql",
            "a/sub/00.sql",
        ] {
            temp.file(name);
        }
        assert_eq!(
            discover_displays(&[temp.argument()], &all_files()),
            [
                "B.sql",
                "a/01.sql",
                "a/02.sql",
                "a/sub/00.sql",
                "a-b/x.sql",
                "a.sql",
                "b.sql"
            ]
            .map(|name| temp.display(name))
        );
    }

    #[test]
    fn only_sql_files_any_case_are_walked() {
        let temp = TempFolder::new();
        temp.file("upper.SQL");
        temp.file("mixed.Sql");
        temp.file("notes.txt");
        temp.file("script.sql.bak");
        temp.file("sql");
        temp.folder("folder.sql");
        temp.file("deep/er/x.sql");
        assert_eq!(
            discover_displays(&[temp.argument()], &all_files()),
            ["deep/er/x.sql", "mixed.Sql", "upper.SQL"].map(|name| temp.display(name))
        );
    }

    #[test]
    fn explicit_file_is_taken_whatever_its_extension() {
        let temp = TempFolder::new();
        let path = temp.file("setup.txt");
        let argument = path.clone().into_os_string();
        let (inputs, errors) = discover(std::slice::from_ref(&argument), &all_files());
        assert_eq!(errors, vec![]);
        let display = argument.to_string_lossy().into_owned();
        assert_eq!(inputs, vec![Input::File { path, display }]);
    }

    #[test]
    fn argument_order_is_kept_and_duplicates_listed_once() {
        let temp = TempFolder::new();
        temp.file("a.sql");
        temp.file("z.sql");
        let z = temp.0.join("z.sql").into_os_string();
        let z_again = temp.0.join(".").join("z.sql").into_os_string();
        let arguments = [z.clone(), OsString::from("-"), temp.argument(), z_again];
        assert_eq!(
            discover_displays(&arguments, &all_files()),
            [
                z.to_string_lossy().into_owned(),
                "-".to_owned(),
                temp.display("a.sql")
            ]
        );
    }

    #[test]
    fn nested_folder_argument_after_its_parent_adds_nothing() {
        let temp = TempFolder::new();
        temp.file("sub/x.sql");
        let sub = temp.0.join("sub").into_os_string();
        assert_eq!(
            discover_displays(&[temp.argument(), sub], &all_files()),
            [temp.display("sub/x.sql")]
        );
    }

    #[test]
    fn missing_path_is_an_error_and_the_rest_still_found() {
        let temp = TempFolder::new();
        temp.file("a.sql");
        let missing = temp.0.join("missing.sql").into_os_string();
        let (inputs, errors) = discover(&[missing.clone(), temp.argument()], &all_files());
        assert_eq!(displays(&inputs), [temp.display("a.sql")]);
        assert_eq!(
            errors,
            [DiscoverError {
                path: missing.to_string_lossy().into_owned(),
                message: "no such file or directory".to_owned(),
            }]
        );
        assert!(errors[0]
            .to_string()
            .ends_with("missing.sql: no such file or directory"));
    }

    #[test]
    fn hidden_and_gitignored_files_are_walked_without_the_option() {
        let temp = gitignore_tree();
        assert_eq!(
            discover_displays(&[temp.argument()], &all_files()),
            [".hidden/h.sql", "build/b.sql", "keep.sql", "old.tmp.sql"]
                .map(|name| temp.display(name))
        );
    }

    #[test]
    fn gitignore_is_honoured_outside_a_git_repository_with_the_option() {
        let temp = gitignore_tree();
        let options = DiscoverOptions {
            respect_gitignore: true,
            ..DiscoverOptions::default()
        };
        assert_eq!(
            discover_displays(&[temp.argument()], &options),
            [temp.display("keep.sql")]
        );
    }

    #[test]
    fn explicit_file_is_taken_even_if_gitignored() {
        let temp = gitignore_tree();
        let ignored = temp.0.join("build/b.sql").into_os_string();
        let options = DiscoverOptions {
            respect_gitignore: true,
            ..DiscoverOptions::default()
        };
        assert_eq!(
            discover_displays(std::slice::from_ref(&ignored), &options),
            [ignored.to_string_lossy().into_owned()]
        );
    }

    #[test]
    fn bad_gitignore_patterns_are_skipped_like_git_does() {
        let temp = TempFolder::new();
        temp.file("sub/a.sql");
        temp.file("sub/ignored.sql");
        // In the parent of the folder argument, `ignore` reports it as a walk error…
        fs::write(temp.0.join(".gitignore"), "[z-a]\n").expect("write .gitignore");
        // …and in the walked folder, it is attached to the folder's entry.
        let sub_gitignore = temp.0.join("sub/.gitignore");
        fs::write(sub_gitignore, "[z-a]\nignored.sql\n").expect("write .gitignore");
        let options = DiscoverOptions {
            respect_gitignore: true,
            ..DiscoverOptions::default()
        };
        let sub = temp.0.join("sub").into_os_string();
        assert_eq!(
            discover_displays(std::slice::from_ref(&sub), &options),
            [format!("{}/a.sql", sub.to_string_lossy())]
        );
    }

    /// No `.git` folder: the .gitignore must still apply when asked to.
    fn gitignore_tree() -> TempFolder {
        let temp = TempFolder::new();
        fs::write(temp.0.join(".gitignore"), "build/\n*.tmp.sql\n").expect("write .gitignore");
        temp.file("keep.sql");
        temp.file("old.tmp.sql");
        temp.file("build/b.sql");
        temp.file(".hidden/h.sql");
        temp
    }

    #[test]
    fn display_joins_the_folder_as_given() {
        let relative = Path::new("a").join("01.sql");
        assert_eq!(
            join_display(OsStr::new("fixtures/ok"), &relative),
            "fixtures/ok/a/01.sql"
        );
        assert_eq!(
            join_display(OsStr::new("fixtures/ok/"), &relative),
            "fixtures/ok/a/01.sql"
        );
        assert_eq!(join_display(OsStr::new("."), Path::new("x.sql")), "x.sql");
        assert_eq!(join_display(OsStr::new("./"), Path::new("x.sql")), "x.sql");
        assert_eq!(
            join_display(OsStr::new("./sub"), Path::new("x.sql")),
            "./sub/x.sql"
        );
        assert_eq!(
            join_display(OsStr::new(".."), Path::new("x.sql")),
            "../x.sql"
        );
        assert_eq!(join_display(OsStr::new("/"), Path::new("x.sql")), "/x.sql");
    }

    #[cfg(unix)]
    mod unix {
        use super::*;
        use std::os::unix::fs::{symlink, PermissionsExt};

        #[test]
        fn symlink_loop_is_not_followed() {
            let temp = TempFolder::new();
            temp.file("a/x.sql");
            symlink(temp.0.join("a"), temp.0.join("a/loop")).expect("symlink");
            assert_eq!(
                discover_displays(&[temp.argument()], &all_files()),
                [temp.display("a/x.sql")]
            );
        }

        #[test]
        fn symlinked_file_works_explicitly_and_is_walked_once() {
            let temp = TempFolder::new();
            temp.file("real.sql");
            symlink(temp.0.join("real.sql"), temp.0.join("link.sql")).expect("symlink");
            let link = temp.0.join("link.sql").into_os_string();
            assert_eq!(
                discover_displays(std::slice::from_ref(&link), &all_files()),
                [link.to_string_lossy().into_owned()]
            );
            // Walking finds `link.sql` first (sorted) and then `real.sql`, the same file.
            assert_eq!(
                discover_displays(&[temp.argument()], &all_files()),
                [temp.display("link.sql")]
            );
        }

        #[test]
        fn symlinked_folder_given_explicitly_is_walked() {
            let temp = TempFolder::new();
            temp.file("real/x.sql");
            symlink(temp.0.join("real"), temp.0.join("alias")).expect("symlink");
            let alias = temp.0.join("alias").into_os_string();
            assert_eq!(
                discover_displays(std::slice::from_ref(&alias), &all_files()),
                [temp.display("alias/x.sql")]
            );
        }

        #[test]
        fn broken_symlink_named_is_an_error_and_walked_is_an_input() {
            let temp = TempFolder::new();
            symlink(temp.0.join("gone.sql"), temp.0.join("dangling.sql")).expect("symlink");
            let dangling = temp.0.join("dangling.sql").into_os_string();
            let (inputs, errors) = discover(std::slice::from_ref(&dangling), &all_files());
            assert_eq!(inputs, vec![]);
            assert_eq!(
                errors,
                [DiscoverError {
                    path: temp.display("dangling.sql"),
                    message: "broken symbolic link".to_owned(),
                }]
            );
            // Walked: an input that reading turns into an ML004 finding.
            let (inputs, errors) = discover(&[temp.argument()], &all_files());
            assert_eq!(errors, vec![]);
            assert_eq!(displays(&inputs), [temp.display("dangling.sql")]);
        }

        #[test]
        fn unreadable_folder_is_an_error_not_a_panic() {
            let temp = TempFolder::new();
            temp.file("a.sql");
            let locked = temp.folder("locked");
            temp.file("locked/secret.sql");
            fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
            let can_still_read = fs::read_dir(&locked).is_ok(); // root ignores permissions
            let (inputs, errors) = discover(&[temp.argument()], &all_files());
            fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).expect("chmod back");
            if can_still_read {
                return;
            }
            assert_eq!(errors, vec![]);
            assert_eq!(
                inputs,
                [
                    Input::File {
                        path: temp.0.join("a.sql"),
                        display: temp.display("a.sql")
                    },
                    Input::Unreadable {
                        display: temp.display("locked"),
                        cause: "permission denied".to_owned()
                    }
                ]
            );
        }

        #[test]
        fn non_utf8_file_name_is_found_and_shown_lossily() {
            use std::os::unix::ffi::OsStrExt;
            let temp = TempFolder::new();
            let name = OsStr::from_bytes(b"caf\xE9.sql");
            fs::write(temp.0.join(name), "SELECT 1;").expect("write");
            let (inputs, errors) = discover(&[temp.argument()], &all_files());
            assert_eq!(errors, vec![]);
            assert_eq!(
                inputs,
                [Input::File {
                    path: temp.0.join(name),
                    display: temp.display("caf\u{FFFD}.sql"),
                }]
            );
        }
    }
}
