//! `heard themes`: themes from the free text of a CSV file.
use clap::Args;

#[derive(Debug, Args)]
pub struct ThemesArgs {
    /// The CSV file to read.
    pub file: std::path::PathBuf,
}

pub fn run(_args: ThemesArgs) -> anyhow::Result<()> {
    anyhow::bail!("heard themes is not built yet")
}
