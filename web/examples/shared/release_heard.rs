//! The release `heard` a benchmark measures: another build named on the command line, or this
//! code's, built now. Shared by the load and scale examples through `#[path]`.
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository's root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repo")
        .to_path_buf()
}

/// `other` if given (to compare two versions on the same machine in turn), else the release
/// binary beside this example, built now so the figures are for this code.
pub fn release_heard(other: Option<&PathBuf>) -> PathBuf {
    if let Some(h) = other {
        return h.clone();
    }
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "-p", "heard-web", "--bin", "heard"])
        .current_dir(repo())
        .status()
        .expect("cargo build");
    assert!(status.success(), "building heard");
    std::env::current_exe()
        .expect("exe")
        .parent()
        .and_then(Path::parent)
        .expect("target/release")
        .join("heard")
}
