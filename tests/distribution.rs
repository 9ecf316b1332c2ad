//! The ways milink-lint is installed agree with each other: the version, the license, the
//! hooks and the release archive names are written in several files (Cargo.toml,
//! pyproject.toml, the pre-commit hooks of this repository and of its mirror, the release
//! workflow, the action), and a release with one of them stale installs the wrong thing.

use std::path::Path;

fn read(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn toml_file(path: &str) -> toml::Table {
    read(path).parse().unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn str_at<'t>(table: &'t toml::Table, keys: &[&str]) -> &'t str {
    let mut value = table.get(keys[0]);
    for key in &keys[1..] {
        value = value.and_then(|v| v.get(key));
    }
    value
        .and_then(toml::Value::as_str)
        .unwrap_or_else(|| panic!("no string at {}", keys.join(".")))
}

#[derive(serde::Deserialize, Debug, PartialEq)]
struct Hook {
    id: String,
    entry: String,
    language: String,
    types_or: Vec<String>,
    pass_filenames: bool,
    require_serial: bool,
}

fn hooks(path: &str) -> Vec<Hook> {
    serde_saphyr::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_wheel_is_the_cargo_package() {
    let cargo = toml_file("Cargo.toml");
    let py = toml_file("pyproject.toml");
    assert_eq!(
        str_at(&py, &["project", "name"]),
        str_at(&cargo, &["package", "name"])
    );
    assert_eq!(str_at(&py, &["tool", "maturin", "bindings"]), "bin");
    // The wheel's version is Cargo.toml's, not a second copy.
    let dynamic = py["project"]["dynamic"].as_array().expect("dynamic");
    assert!(dynamic.iter().any(|v| v.as_str() == Some("version")));
    assert!(py["project"].get("version").is_none());
    assert_eq!(
        str_at(&py, &["project", "license"]),
        str_at(&cargo, &["package", "license"])
    );
}

#[test]
fn the_licenses_the_package_names_are_there() {
    let cargo = toml_file("Cargo.toml");
    assert_eq!(str_at(&cargo, &["package", "license"]), "MIT OR Apache-2.0");
    assert!(read("LICENSE-MIT").starts_with("MIT License"));
    assert!(read("LICENSE-APACHE").contains("Version 2.0, January 2004"));
}

#[test]
fn the_mirror_installs_this_version() {
    let version = str_at(&toml_file("Cargo.toml"), &["package", "version"]).to_string();
    let mirror = toml_file("pre-commit-mirror/pyproject.toml");
    assert_eq!(str_at(&mirror, &["project", "version"]), version);
    let dependencies: Vec<&str> = mirror["project"]["dependencies"]
        .as_array()
        .expect("dependencies")
        .iter()
        .filter_map(toml::Value::as_str)
        .collect();
    assert_eq!(dependencies, [format!("milink-lint=={version}")]);
}

#[test]
fn every_hook_checks_the_same_files_the_same_way() {
    let here = hooks(".pre-commit-hooks.yaml");
    let mirror = hooks("pre-commit-mirror/.pre-commit-hooks.yaml");
    assert_eq!(mirror.len(), 1);
    assert_eq!(mirror[0].language, "python");
    // The wheel-based hook and the default hook of this repository share the id, so a
    // configuration switches between them by changing `repo:` only.
    assert_eq!(here[0].id, mirror[0].id);
    assert_eq!(here[0].language, "script");
    assert!(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(here[0].entry.split(' ').next().unwrap())
            .is_file(),
        "{}",
        here[0].entry
    );
    for hook in here.iter().chain(&mirror) {
        assert!(hook.entry.ends_with("check --force-exclude"), "{hook:?}");
        assert_eq!(hook.types_or, mirror[0].types_or, "{}", hook.id);
        assert!(hook.pass_filenames && hook.require_serial, "{}", hook.id);
    }
}

#[test]
fn binstall_fetches_the_archives_the_release_builds() {
    let cargo = toml_file("Cargo.toml");
    let binstall = &cargo["package"]["metadata"]["binstall"];
    assert_eq!(
        binstall["pkg-url"].as_str(),
        Some("{ repo }/releases/download/v{ version }/{ name }-{ target }{ archive-suffix }")
    );
    assert_eq!(
        binstall["bin-dir"].as_str(),
        Some("{ name }-{ target }/{ bin }{ binary-ext }")
    );
    // The same archive and folder names in the release workflow and the action.
    let release = read(".github/workflows/release.yml");
    let action = read("action.yml");
    for text in [&release, &action] {
        assert!(text.contains("milink-lint-${"), "archive name");
        assert!(text.contains(".sha256"), "checksum file");
    }
    for target in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(release.contains(target), "release.yml builds {target}");
        assert!(action.contains(target), "action.yml downloads {target}");
    }
}

#[cfg(unix)]
#[test]
fn the_scripts_are_executable() {
    use std::os::unix::fs::PermissionsExt;
    for script in [
        "scripts/check-wheel.sh",
        "scripts/pre-commit-from-source.sh",
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(script);
        let mode = std::fs::metadata(&path).expect(script).permissions().mode();
        assert!(mode & 0o111 != 0, "{script} is not executable");
    }
}
