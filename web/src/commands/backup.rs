//! `heard backup FILE`: a consistent copy of the database, safe while `heard serve` is running.
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy (must not exist yet).
    pub file: PathBuf,
    /// The SQLite database file to copy.
    #[arg(long, env = "HEARD_DB", default_value = "heard.db")]
    pub db: PathBuf,
}

/// Copies the database with SQLite's online backup: one snapshot, checked, then renamed into place.
pub fn run(args: BackupArgs) -> anyhow::Result<()> {
    if !args.db.is_file() {
        anyhow::bail!(
            "there is no database at {} (use --db to say where it is)",
            args.db.display()
        );
    }
    engine::store::backup(&args.db, &args.file).with_context(|| {
        format!(
            "backing up {} to {}",
            args.db.display(),
            args.file.display()
        )
    })?;
    let responses = engine::store::count_responses(&args.file)
        .with_context(|| format!("reading the copy {}", args.file.display()))?;
    println!(
        "{}: ok: a checked copy of {} ({} responses)",
        args.file.display(),
        args.db.display(),
        responses
    );
    Ok(())
}
