//! `heard export`: a survey's responses and summary as CSV, a spreadsheet, JSON or a printable
//! report, masked and with small numbers suppressed (see the `publish` crate), written to a file.
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};

use publish::{DEFAULT_THRESHOLD, Format, THRESHOLDS};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Csv,
    Xlsx,
    Json,
    Html,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Csv => Format::Csv,
            FormatArg::Xlsx => Format::Xlsx,
            FormatArg::Json => Format::Json,
            FormatArg::Html => Format::Html,
        }
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The survey: its id (looked up in --surveys) or its file.
    pub survey: String,
    /// csv: the responses; xlsx: summary, a sheet per question, themes and responses; json:
    /// everything, for other tools; html: the printable report.
    #[arg(long, value_enum)]
    pub format: FormatArg,
    /// The file to write (`-` for standard output).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Counts below this are not published.
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    pub threshold: i64,
    /// Survey files, or folders of them.
    #[arg(long, default_value = "surveys")]
    pub surveys: Vec<PathBuf>,
    /// The SQLite database file.
    #[arg(long, env = "HEARD_DB", default_value = "heard.db")]
    pub db: PathBuf,
}

pub fn run(args: ExportArgs) -> anyhow::Result<()> {
    if !THRESHOLDS.contains(&args.threshold) {
        bail!(
            "--threshold {} is out of range: use {} to {} (the default, {DEFAULT_THRESHOLD}, is the usual rule)",
            args.threshold,
            THRESHOLDS.start(),
            THRESHOLDS.end()
        );
    }
    let survey = super::check::find_survey(&args.survey, &args.surveys)?;
    if !args.db.exists() {
        bail!(
            "no database at {}: export from the database `heard serve` uses (--db FILE)",
            args.db.display()
        );
    }
    let store = engine::Store::open(&args.db)
        .with_context(|| format!("opening the database {}", args.db.display()))?;
    let format: Format = args.format.into();
    let export = publish::gather(&store, &survey, args.threshold)?;
    let bytes = export.write(format)?;
    // The export is read-only, but is recorded like one made in the workspace.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(store.log(
        "heard export (command line)",
        "exported",
        &survey.id,
        &format!("{}, threshold {}", format.as_str(), args.threshold),
    ))?;
    store.close();
    if args.output.as_os_str() == "-" {
        std::io::stdout().write_all(&bytes)?;
    } else {
        // Written beside the target and renamed, so a reader never sees half a file.
        let tmp = args
            .output
            .with_extension(format!("{}.partial", format.as_str()));
        std::fs::write(&tmp, &bytes).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &args.output)
            .with_context(|| format!("writing {}", args.output.display()))?;
        eprintln!(
            "wrote {} ({} responses, {} bytes)",
            args.output.display(),
            export.responses.rows.len(),
            bytes.len()
        );
    }
    Ok(())
}
