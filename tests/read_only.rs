//! milink-lint never changes a user's file: linting a folder in every format leaves every
//! file's bytes and modification time as they were, and creates nothing in it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                stack.push(path);
            } else {
                let meta = entry.metadata().unwrap();
                out.insert(
                    path.clone(),
                    (std::fs::read(&path).unwrap(), meta.modified().unwrap()),
                );
            }
        }
    }
    out
}

#[test]
fn linting_changes_no_file() {
    let root = std::env::temp_dir().join(format!("milink-readonly-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let tree = root.join("repo");
    for fixture in [
        "fixtures/config-repo",
        "fixtures/ok/sqlcmd-variables",
        "fixtures/ok/utf16-ssms",
        "fixtures/broken/ML505-hard-coded-secret",
        "fixtures/broken/ML001-unterminated-string",
    ] {
        copy_tree(Path::new(fixture), &tree.join(fixture.replace('/', "_")));
    }
    let before = snapshot(&tree);
    assert!(before.len() >= 8);
    let report = root.join("report.out");
    for format in ["human", "json", "sarif", "github", "gitlab", "junit"] {
        let status = Command::new(env!("CARGO_BIN_EXE_milink-lint"))
            .current_dir(&tree)
            .args(["check", "--format", format, "--no-ignore", "."])
            .output()
            .unwrap()
            .status;
        assert!(matches!(status.code(), Some(0 | 1)), "{format}: {status}");
        let status = Command::new(env!("CARGO_BIN_EXE_milink-lint"))
            .current_dir(tree.join("fixtures_config-repo/link"))
            .args(["check", "--format", format, "--output"])
            .arg(&report)
            .output()
            .unwrap()
            .status;
        assert!(matches!(status.code(), Some(0 | 1)), "{format}: {status}");
    }
    assert_eq!(
        snapshot(&tree),
        before,
        "a file changed, appeared or vanished"
    );
    let _ = std::fs::remove_dir_all(root);
}
