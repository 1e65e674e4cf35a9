//! `heard screen`: the safeguarding screening of the workspace, run on every row of a CSV file.
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, ValueEnum};
use serde::Serialize;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    Table,
}

#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// The CSV file to read (the first row names the columns).
    pub file: PathBuf,
    /// The column holding the texts.
    #[arg(long, default_value = "text")]
    pub text_column: String,
    /// The column holding each row's id (default: the row number, from 1).
    #[arg(long)]
    pub id_column: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// More indicator phrases, in the format of safeguard/indicators.toml, used as well as the
    /// built-in ones.
    #[arg(long, env = "HEARD_INDICATORS")]
    pub indicators: Option<PathBuf>,
    /// Screen by the indicator phrases alone, every phrase flagging (what Heard did before the
    /// learned layer, and what it falls back to if the encoder cannot run).
    #[arg(long)]
    pub phrases_only: bool,
}

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    flagged: bool,
    /// Why it was flagged: own_phrase, phrase_confirmed, learned or phrase_unweighed.
    trigger: Option<&'static str>,
    /// The learned layer's score, 0 to 1 (null when it did not run).
    score: Option<f32>,
    /// The words of the text that matched, in text order.
    indicators: Vec<String>,
    /// A phrase of two words or more matched, but the learned layer was all but sure the
    /// answer is ordinary (or, for a phrase ordinary answers use too, did not confirm it), so
    /// it was not flagged: a lead reads it in the queue's Set aside tab.
    set_aside: bool,
}

/// The built-in screener, extended by the safeguarding lead's file when one is given.
pub fn screener(extra: Option<&Path>) -> anyhow::Result<safeguard::Screener> {
    Ok(match extra {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading the indicator file {}", path.display()))?;
            safeguard::Screener::with_extra(&text)
                .with_context(|| format!("in the indicator file {}", path.display()))?
        }
        None => safeguard::Screener::builtin(),
    })
}

/// Both layers of screening (the phrases, with the lead's file when one is given, and the
/// learned layer), or the phrases alone if the learned layer cannot run, which is said.
pub fn protector(extra: Option<&Path>) -> anyhow::Result<intake::protect::Protector> {
    let screener = screener(extra)?;
    Ok(match intake::protect::Protector::new(screener.clone()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("warning: {e}; screening by indicator phrases alone, every phrase flagging");
            intake::protect::Protector::phrases_only(screener)
        }
    })
}

pub fn run(args: ScreenArgs) -> anyhow::Result<()> {
    let protector = if args.phrases_only {
        intake::protect::Protector::phrases_only(screener(args.indicators.as_deref())?)
    } else {
        protector(args.indicators.as_deref())?
    };
    let rows = super::csv_input::read(&args.file, &args.text_column, args.id_column.as_deref())?;
    let texts: Vec<&str> = rows.texts.iter().map(String::as_str).collect();
    let screened: Vec<(&str, safeguard::verdict::Verdict)> = rows
        .ids
        .iter()
        .map(String::as_str)
        .zip(protector.screen_all(&texts, true))
        .collect();
    let flagged = screened.iter().filter(|(_, s)| s.flagged).count();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        Format::Json => {
            let all: Vec<Row> = screened
                .into_iter()
                .map(|(id, s)| Row {
                    id,
                    flagged: s.flagged,
                    trigger: s.trigger.map(|t| t.as_str()),
                    score: s.score,
                    indicators: s.indicators.into_iter().map(|i| i.words).collect(),
                    set_aside: s.set_aside,
                })
                .collect();
            serde_json::to_writer(&mut out, &all)?;
            writeln!(out)?;
        }
        Format::Table => {
            writeln!(
                out,
                "{:<12}  {:<7}  {:<16}  {:<5}  indicators",
                "id", "flagged", "trigger", "score"
            )?;
            for (id, s) in &screened {
                let words: Vec<String> = s
                    .indicators
                    .iter()
                    .map(|i| format!("{} ({})", one_line(&i.words), i.category))
                    .collect();
                writeln!(
                    out,
                    "{:<12}  {:<7}  {:<16}  {:<5}  {}",
                    one_line(id),
                    if s.flagged { "yes" } else { "no" },
                    match s.trigger {
                        Some(t) => t.as_str(),
                        None if s.set_aside => "set aside",
                        None => "-",
                    },
                    s.score.map(|x| format!("{x:.2}")).unwrap_or("-".into()),
                    words.join("; ")
                )?;
            }
        }
    }
    out.flush()?;
    eprintln!(
        "{flagged} of {} row(s) flagged for a safeguarding lead to read",
        rows.ids.len()
    );
    Ok(())
}

/// Keeps a table row on one line whatever the text holds.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
