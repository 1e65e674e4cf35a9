//! `heard import`: answers gathered on paper, at events, by email or by partners, from a CSV file
//! into the database, checked, screened and masked like web answers (see `intake::import`).
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};
use engine::import::Channel;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ChannelArg {
    Paper,
    Event,
    Email,
    Partner,
    Other,
}

impl From<ChannelArg> for Channel {
    fn from(c: ChannelArg) -> Channel {
        match c {
            ChannelArg::Paper => Channel::Paper,
            ChannelArg::Event => Channel::Event,
            ChannelArg::Email => Channel::Email,
            ChannelArg::Partner => Channel::Partner,
            ChannelArg::Other => Channel::Other,
        }
    }
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The survey: its id (looked up in --surveys) or its file.
    pub survey: String,
    /// The CSV file: a column per question, named by question id (or mapped with --map); a
    /// `version` column, or --version; choices by id or label, several separated by `;`.
    pub file: PathBuf,
    /// How the answers were gathered.
    #[arg(long, value_enum)]
    pub channel: ChannelArg,
    /// Read column COLUMN as question QUESTION_ID (repeatable).
    #[arg(long, value_name = "COLUMN=QUESTION_ID", value_parser = parse_map)]
    pub map: Vec<(String, String)>,
    /// The version the rows answer, when the file has no `version` column.
    #[arg(long)]
    pub version: Option<String>,
    /// A column with each row's own id: rows are recognised by it if the file is imported again.
    #[arg(long)]
    pub id_column: Option<String>,
    /// Survey files, or folders of them.
    #[arg(long, default_value = "surveys")]
    pub surveys: Vec<PathBuf>,
    /// The SQLite database file.
    #[arg(long, env = "HEARD_DB", default_value = "heard.db")]
    pub db: PathBuf,
    /// More safeguarding indicator phrases, as for `heard serve`.
    #[arg(long, env = "HEARD_INDICATORS")]
    pub indicators: Option<PathBuf>,
}

fn parse_map(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((c, q)) if !c.trim().is_empty() && !q.trim().is_empty() => {
            Ok((c.trim().to_string(), q.trim().to_string()))
        }
        _ => Err(format!("`{s}` should be COLUMN=QUESTION_ID")),
    }
}

pub fn run(args: ImportArgs) -> anyhow::Result<()> {
    let survey = super::check::find_survey(&args.survey, &args.surveys)?;
    let protector = super::screen::protector(args.indicators.as_deref())?;
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    if !args.db.exists() {
        // Answers may arrive on paper before the web survey opens: start the database, and say
        // so, in case --db was mistyped.
        eprintln!(
            "no database at {}: creating it (use --db FILE for the one `heard serve` uses)",
            args.db.display()
        );
    }
    let store = engine::Store::open(&args.db)
        .with_context(|| format!("opening the database {}", args.db.display()))?;
    let options = intake::import::Options {
        map: args.map.into_iter().collect(),
        version: args.version,
        id_column: args.id_column,
    };
    let today = chrono::Local::now().date_naive();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let report = rt
        .block_on(intake::import::import(
            &store,
            "heard import (command line)",
            &protector,
            &survey,
            args.channel.into(),
            bytes,
            &options,
            today,
        ))
        .with_context(|| format!("{}", args.file.display()))?;
    // The rows are stored; the learned layer now reads the answers the phrases left to it, so
    // its flags are in the queue before the command ends. Stopped part way, the server reads
    // the rest.
    let weighed = if report.unweighed > 0 {
        eprintln!(
            "{} row(s) stored; the learned screening layer is now reading {} answer(s) (safe to stop: `heard serve` reads the rest)",
            report.imported, report.unweighed
        );
        let started = std::time::Instant::now();
        let read = rt
            .block_on(intake::protect::weigh_all(&store, &protector, |done| {
                if started.elapsed().as_secs() >= 2 {
                    eprint!("\r  {done} read");
                }
            }))
            .context("the learned screening layer reading the imported answers")?;
        if started.elapsed().as_secs() >= 2 {
            eprintln!();
        }
        Some(read)
    } else {
        None
    };
    store.close();
    if !report.ignored_columns.is_empty() {
        eprintln!(
            "not read (no question of that name; use --map COLUMN=QUESTION_ID): {}",
            report.ignored_columns.join(", ")
        );
    }
    for r in &report.refused {
        println!(
            "refused row {} (line {} of the file): {}",
            r.row, r.line, r.reason
        );
    }
    println!("{}", report.summary());
    if report.flagged > 0 {
        // Counted as the rows were stored: the reading below may set some of them aside.
        println!(
            "{} imported row(s) had answers flagged by indicator phrases for the safeguarding lead as they were stored",
            report.flagged
        );
    }
    if let Some(w) = weighed {
        println!(
            "the learned screening layer read {} answer(s) and raised {} more flag(s) for the safeguarding lead",
            w.read, w.raised
        );
        if w.set_aside > 0 {
            println!(
                "it set aside {} flag(s) of indicator phrases in answers it read as ordinary: \
                 they are in the queue's Set aside tab",
                w.set_aside
            );
        }
    }
    Ok(())
}
