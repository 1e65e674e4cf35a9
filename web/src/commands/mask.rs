//! `heard mask`: the personal-data masking of the workspace, run on every row of a CSV file.
use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde::Serialize;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct MaskArgs {
    /// The CSV file to read (the first row names the columns).
    pub file: PathBuf,
    /// The column holding the texts.
    #[arg(long, default_value = "text")]
    pub text_column: String,
    /// The column holding each row's id (default: the row number, from 1).
    #[arg(long)]
    pub id_column: Option<String>,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
}

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    masked: String,
    spans: Vec<safeguard::personal::Span>,
}

pub fn run(args: MaskArgs) -> anyhow::Result<()> {
    let rows = super::csv_input::read(&args.file, &args.text_column, args.id_column.as_deref())?;
    let masked = rows.each(safeguard::personal::mask);
    let spans: usize = masked.iter().map(|(_, m)| m.spans.len()).sum();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        Format::Json => {
            let all: Vec<Row> = masked
                .into_iter()
                .map(|(id, m)| Row {
                    id,
                    masked: m.masked,
                    spans: m.spans,
                })
                .collect();
            serde_json::to_writer(&mut out, &all)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(["id", "masked"])?;
            for (id, m) in &masked {
                w.write_record([*id, m.masked.as_str()])?;
            }
            w.flush()?;
        }
    }
    out.flush()?;
    eprintln!(
        "{spans} piece(s) of personal data masked in {} row(s)",
        rows.ids.len()
    );
    Ok(())
}
