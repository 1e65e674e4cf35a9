//! `heard export`: a survey's summary as a spreadsheet, JSON or a printable report, or with
//! `--rows --as NAME` (an analyst's or admin's account) the responses one row each as CSV, or
//! in the spreadsheet or JSON; masked, small numbers suppressed and rare combinations coarsened
//! (see the `publish` crate), written to a file.
use std::io::{Seek, Write};
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};

use publish::{DEFAULT_THRESHOLD, Format, Kind, THRESHOLDS};

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
    /// xlsx: summary, a sheet per question, themes; json: the summary, for other tools; html:
    /// the printable report; csv: the responses (needs --rows).
    #[arg(long, value_enum)]
    pub format: FormatArg,
    /// Include the responses one row each (row-level data: the CSV, the spreadsheet's Responses
    /// sheet, the JSON's records). Needs --as naming an analyst's or admin's account.
    #[arg(long)]
    pub rows: bool,
    /// The review team account taking the export (see `heard user list`); it is recorded in the
    /// audit log under that name. Row-level data needs an analyst or admin.
    #[arg(long = "as", value_name = "NAME")]
    pub as_user: Option<String>,
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
    let format: Format = args.format.into();
    let kind = kind(format, args.rows)?;
    let survey = super::check::find_survey(&args.survey, &args.surveys)?;
    if !args.db.exists() {
        bail!(
            "no database at {}: export from the database `heard serve` uses (--db FILE)",
            args.db.display()
        );
    }
    let store = engine::Store::open(&args.db)
        .with_context(|| format!("opening the database {}", args.db.display()))?;
    let result = export(&store, &survey, &args, kind);
    store.close();
    let export = result?;
    if let Some(note) = export.note {
        eprintln!("{note}");
    }
    Ok(())
}

/// Masks the stored answers' masked copies again if an earlier masker made them, as `heard
/// serve` does when it starts, so an export taken before the server has run this version holds
/// no more than the workspace would show.
fn remask_first(store: &engine::Store) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let remasked = rt
        .block_on(intake::protect::remask_stored(store))
        .context("masking stored answers again with this version's masker")?;
    if remasked > 0 {
        eprintln!(
            "{remasked} stored answer(s) masked again first: this version's masker finds more \
             than the one that stored them"
        );
    }
    Ok(())
}

/// The export `--format` and `--rows` ask for, or what to ask instead.
fn kind(format: Format, rows: bool) -> anyhow::Result<Kind> {
    match (Kind::new(format, rows), format) {
        (Some(kind), _) => Ok(kind),
        (None, Format::Csv) => bail!(
            "the CSV holds the responses one row each, which is row-level data: add --rows --as \
             NAME with an analyst's or admin's account (see `heard user list`), or choose \
             --format xlsx, json or html for the summary"
        ),
        (None, _) => bail!(
            "the printable report is a summary and holds no rows: drop --rows, or use --format \
             csv, xlsx or json with --rows for the responses one row each"
        ),
    }
}

/// What was exported, for the message after writing it.
struct Written {
    /// What k-anonymity changed, in a row-level export.
    note: Option<String>,
}

/// Checks the account the export is taken as, writes the export as it reads it, and records it
/// in the audit log under that account before the file takes its name (so no export goes
/// unrecorded, and a reader never sees half a file).
fn export(
    store: &engine::Store,
    survey: &engine::Survey,
    args: &ExportArgs,
    kind: Kind,
) -> anyhow::Result<Written> {
    let who = match &args.as_user {
        Some(name) => Some(account(store, name, kind)?),
        None if kind.rows() => bail!(
            "row-level data (--rows) is for analysts and admins: add --as NAME with your analyst \
             or admin account (see `heard user list`; an admin adds one with `heard user add NAME \
             --role analyst`)"
        ),
        None => None,
    };
    // Only for an export that goes ahead: a refused one changes nothing.
    remask_first(store)?;
    let record = |export: &publish::Export| -> anyhow::Result<()> {
        // The export is read-only, but is recorded like one made in the workspace.
        let (user, detail) = match &who {
            Some(name) => (
                name.clone(),
                format!("{}, from the command line", export.audit_detail()),
            ),
            None => (
                "heard export (command line)".to_string(),
                export.audit_detail(),
            ),
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(store.log(&user, "exported", &survey.id, &detail))?;
        Ok(())
    };
    let export = if args.output.as_os_str() == "-" {
        // Standard output cannot be taken back, so the export waits in an unnamed temporary
        // file (not memory: it may be gigabytes) until it is recorded.
        let mut file = tempfile::tempfile()
            .context("making a temporary file for the export (check TMPDIR has space)")?;
        let export = {
            let mut out = std::io::BufWriter::new(&mut file);
            let export = publish::export(store, survey, args.threshold, kind, &mut out)?;
            out.flush()
                .context("writing the export to a temporary file")?;
            export
        };
        record(&export)?;
        file.rewind()?;
        let mut stdout = std::io::stdout().lock();
        std::io::copy(&mut file, &mut stdout).context("writing the export to standard output")?;
        stdout.flush()?;
        export
    } else {
        let tmp = args
            .output
            .with_extension(format!("{}.partial", kind.format().as_str()));
        let written = write_file(store, survey, args, kind, &tmp).and_then(|export| {
            record(&export)?;
            std::fs::rename(&tmp, &args.output)
                .with_context(|| format!("writing {}", args.output.display()))?;
            Ok(export)
        });
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        let export = written?;
        let bytes = std::fs::metadata(&args.output).map_or(0, |m| m.len());
        eprintln!(
            "wrote {} ({} responses, {bytes} bytes)",
            args.output.display(),
            export.responses,
        );
        export
    };
    Ok(Written {
        note: export.coarsening.map(|c| c.explanation()),
    })
}

/// Writes the export to `path` as it is read.
fn write_file(
    store: &engine::Store,
    survey: &engine::Survey,
    args: &ExportArgs,
    kind: Kind,
    path: &std::path::Path,
) -> anyhow::Result<publish::Export> {
    let file =
        std::fs::File::create(path).with_context(|| format!("writing {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let export = publish::export(store, survey, args.threshold, kind, &mut out)
        .with_context(|| format!("writing {}", path.display()))?;
    out.into_inner()
        .map_err(|e| e.into_error())
        .and_then(|f| f.sync_all())
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(export)
}

/// The account named by `--as`: it must exist and be enabled, and for row-level data be an
/// analyst's or admin's.
fn account(store: &engine::Store, name: &str, kind: Kind) -> anyhow::Result<String> {
    let users = store
        .users()
        .context("reading the review team's accounts")?;
    let Some(user) = users.into_iter().find(|u| u.name == name) else {
        bail!("there is no account called {name} (--as): see `heard user list`");
    };
    if user.disabled {
        bail!("the account {name} (--as) is disabled: use an account that is not");
    }
    if kind.rows() && !user.role.takes_row_level_data() {
        bail!(
            "{name} is a {} account, and row-level data (--rows) is for analysts and admins: \
             drop --rows for the summary (--format xlsx, json or html), or export --as an \
             analyst or admin",
            user.role.as_str()
        );
    }
    Ok(user.name)
}
