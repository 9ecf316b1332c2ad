//! Several set-ups in one repository: which configuration each path belongs to, and what
//! to lint so that every set-up touched is seen whole.
//!
//! As with ruff, every script uses the nearest `milink.toml` above it, and the files
//! under one configuration form one set-up, checked against that configuration's
//! parameters only. A folder that holds a configuration of its own is left out of the
//! walk of the configurations above it. Naming a file (as pre-commit and editors do)
//! lints its whole set-up, since a change in one file breaks another; naming a
//! configuration, or a parameters file or Azure export that one uses, selects that
//! set-up. A script under no configuration is linted as named.

use crate::config::{self, Config, FILE_NAMES};
use crate::error::RunError;
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// One set-up to lint: its configuration as read (none: the command line's options
/// alone), the paths to lint with it, and the folders of other configurations its walks
/// skip.
#[derive(Debug, Clone)]
pub struct SetUp {
    pub loaded: Option<Config>,
    pub paths: Vec<OsString>,
    pub skip_folders: std::sync::Arc<std::collections::HashSet<PathBuf>>,
}

/// Extensions of the files a configuration may name as data (parameters, exports).
const DATA_EXTENSIONS: &[&str] = &["toml", "yaml", "yml", "json"];

/// The set-ups to lint for `paths` (as given; empty: `default_paths`).
/// `respect_gitignore` applies to the search for configurations below walked folders;
/// with `force_exclude` (or `force-exclude` of its configuration), a named file that its
/// configuration excludes selects nothing.
pub fn plan(
    paths: &[OsString],
    default_paths: &[OsString],
    respect_gitignore: bool,
    force_exclude: bool,
) -> Result<Vec<SetUp>, RunError> {
    let mut planner = Planner::new(respect_gitignore);
    planner.force_exclude = force_exclude;
    let arguments: Vec<OsString> = if paths.is_empty() {
        if default_paths.is_empty() {
            vec![OsString::from(".")]
        } else {
            default_paths.to_vec()
        }
    } else {
        paths.to_vec()
    };
    for argument in &arguments {
        planner.add(argument)?;
    }
    Ok(planner.finish())
}

struct Planner {
    respect_gitignore: bool,
    force_exclude: bool,
    /// Paths to lint, by configuration (absolute, normalized key; `None`: no configuration).
    groups: BTreeMap<Option<PathBuf>, Group>,
    /// Every configuration seen, by absolute path: its loaded content.
    configs: BTreeMap<PathBuf, Config>,
    /// Whether the repository's configurations were all looked for (for a named data file).
    searched_repository: bool,
    /// The configurations whose whole set-up is already planned.
    whole: std::collections::HashSet<PathBuf>,
}

#[derive(Default)]
struct Group {
    paths: Vec<OsString>,
}

impl Planner {
    fn new(respect_gitignore: bool) -> Planner {
        Planner {
            respect_gitignore,
            force_exclude: false,
            groups: BTreeMap::new(),
            configs: BTreeMap::new(),
            searched_repository: false,
            whole: Default::default(),
        }
    }

    fn add(&mut self, argument: &OsString) -> Result<(), RunError> {
        let path = Path::new(argument);
        if argument == "-" {
            let nearest = config::find(Path::new(".")).map(|p| tidy(&p));
            self.push(nearest, argument.clone())?;
            return Ok(());
        }
        if path.is_dir() {
            // The folder's own configuration lints it; those below lint their folders.
            let nearest = config::find(path).map(|p| tidy(&p));
            self.push(nearest.clone(), argument.clone())?;
            // A folder that the enclosing configuration excludes is not linted, even when
            // it holds a configuration of its own (an archive of old set-ups).
            let excluded = |planner: &mut Planner, folder: &Path| -> Result<bool, RunError> {
                Ok(match &nearest {
                    Some(c) => planner
                        .load(c)?
                        .filter
                        .as_ref()
                        .is_some_and(|f| f.is_excluded(folder)),
                    None => false,
                })
            };
            for below in self.configs_below(path) {
                if Some(key(&below)) == nearest.as_deref().map(key) {
                    continue;
                }
                if excluded(self, &folder_of(&below))? {
                    let _ = self.load(&below);
                    continue;
                }
                self.push_whole(below)?;
            }
            return Ok(());
        }
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if FILE_NAMES.contains(&file_name) {
            return self.push_whole(path.to_path_buf());
        }
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        if DATA_EXTENSIONS.contains(&extension.as_str()) {
            // A parameters file or an export: the set-ups that use it; else not a script.
            for config in self.users_of(path)? {
                self.push_whole(config)?;
            }
            return Ok(());
        }
        let folder = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let Some(nearest) = config::find(folder).map(|p| tidy(&p)) else {
            return self.push(None, argument.clone());
        };
        let force = self.force_exclude;
        let loaded = self.load(&nearest)?;
        let excluded = loaded.filter.as_ref().is_some_and(|f| f.is_excluded(path));
        if excluded && (force || loaded.force_exclude.unwrap_or(false)) {
            return Ok(());
        }
        self.push_whole(nearest.clone())?;
        // The named file itself, also when the set-up's walk leaves it out (excluded,
        // .gitignored): named files are always linted.
        self.push(Some(nearest), argument.clone())
    }

    /// Lint `path` with `config`.
    fn push(&mut self, config: Option<PathBuf>, path: OsString) -> Result<(), RunError> {
        if let Some(c) = &config {
            self.load(c)?;
        }
        let group = self.groups.entry(config.as_deref().map(key)).or_default();
        if !group.paths.contains(&path) {
            group.paths.push(path);
        }
        Ok(())
    }

    /// Lint the whole set-up of `config`: its `paths`, else its folder.
    fn push_whole(&mut self, config: PathBuf) -> Result<(), RunError> {
        // Many changed files of one set-up (pre-commit) walk it once.
        if !self.whole.insert(key(&config)) {
            return Ok(());
        }
        let loaded = self.load(&config)?;
        let paths = if loaded.paths.is_empty() {
            vec![folder_of(&config).into_os_string()]
        } else {
            loaded.paths.clone()
        };
        for path in paths {
            // Configurations below are set-ups of their own: known, so that this walk skips them.
            if Path::new(&path).is_dir() {
                for below in self.configs_below(Path::new(&path)) {
                    self.load(&below)?;
                }
            }
            self.push(Some(config.clone()), path)?;
        }
        Ok(())
    }

    fn load(&mut self, path: &Path) -> Result<&Config, RunError> {
        let k = key(path);
        if !self.configs.contains_key(&k) {
            let loaded = config::load(path)?;
            self.configs.insert(k.clone(), loaded);
        }
        Ok(&self.configs[&k])
    }

    /// The configurations in `folder` and below (not hidden folders; .gitignore honoured).
    fn configs_below(&self, folder: &Path) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let walk = ignore::WalkBuilder::new(folder)
            // The same filters as the walk of the scripts: a hidden or ignored folder that
            // the scripts' walk enters (--no-ignore) is searched for configurations too.
            .standard_filters(self.respect_gitignore)
            .follow_links(false)
            .sort_by_file_name(|a, b| a.as_encoded_bytes().cmp(b.as_encoded_bytes()))
            .filter_entry(|e| e.file_type().is_some_and(|t| t.is_dir()) && e.file_name() != ".git")
            .build();
        for entry in walk.flatten() {
            for name in FILE_NAMES {
                let candidate = entry.path().join(name);
                if candidate.is_file() {
                    found.push(tidy(&candidate));
                    break;
                }
            }
        }
        found
    }

    /// The configurations of the repository whose `params` or `azure` is `data`.
    fn users_of(&mut self, data: &Path) -> Result<Vec<PathBuf>, RunError> {
        if !self.searched_repository {
            self.searched_repository = true;
            // A broken configuration elsewhere in the repository is not this run's
            // business: it is reported when its own set-up is linted.
            for found in self.configs_below(&repository_root()) {
                let _ = self.load(&found);
            }
        }
        let wanted = key(data);
        Ok(self
            .configs
            .iter()
            .filter(|(_, c)| {
                c.params.as_deref().map(key).as_ref() == Some(&wanted)
                    || c.azure.iter().any(|a| key(a) == wanted)
            })
            .map(|(_, c)| c.path.clone())
            .collect())
    }

    fn finish(self) -> Vec<SetUp> {
        // One set shared by every set-up: a set-up's own folder is never below the
        // folders it walks, so it needs no exception (linear in the number of set-ups).
        let folders: std::sync::Arc<std::collections::HashSet<PathBuf>> =
            std::sync::Arc::new(self.configs.keys().map(|k| folder_of(k)).collect());
        let configs = self.configs;
        self.groups
            .into_iter()
            .map(|(k, group)| SetUp {
                loaded: k.and_then(|k| configs.get(&k).cloned()),
                paths: group.paths,
                skip_folders: folders.clone(),
            })
            .collect()
    }
}

/// Absolute and normalized, to compare paths written differently.
fn key(path: &Path) -> PathBuf {
    config::normalize(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

fn folder_of(config: &Path) -> PathBuf {
    match tidy(config).parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `./a/milink.toml` → `a/milink.toml`, `a/b/../milink.toml` → `a/milink.toml`: paths
/// are shown as written, without detours.
fn tidy(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir
                if matches!(
                    out.components().next_back(),
                    Some(std::path::Component::Normal(_))
                ) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The git work tree around the current folder, else the current folder.
fn repository_root() -> PathBuf {
    let here = std::path::absolute(".").unwrap_or_else(|_| PathBuf::from("."));
    let mut relative = PathBuf::from(".");
    for folder in here.ancestors() {
        if folder.join(".git").exists() {
            return relative;
        }
        relative.push("..");
    }
    PathBuf::from(".")
}
