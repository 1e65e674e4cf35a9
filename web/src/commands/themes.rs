//! `heard themes`: themes from the free text of a CSV file, as JSON or a table.
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use analysis::{K, Method, Options, Progress};
use clap::{Args, ValueEnum};
use serde::Serialize;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MethodArg {
    /// Sentence vectors from the bundled encoder beside the words (the default).
    Meaning,
    /// Words alone: stems, TF-IDF, LSA.
    Words,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    Table,
}

#[derive(Debug, Args)]
pub struct ThemesArgs {
    /// The CSV file to read (the first row names the columns).
    pub file: PathBuf,
    /// The column holding the answers.
    #[arg(long, default_value = "text")]
    pub text_column: String,
    /// The column holding each answer's id (default: the row number, from 1).
    #[arg(long)]
    pub id_column: Option<String>,
    /// How many themes; without it, k is chosen between --k-min and --k-max.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub k: Option<u32>,
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub k_min: u32,
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub k_max: u32,
    /// Seed for the random starts: the same seed gives the same themes.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Dimensions of the reduced (LSA) space.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub dims: u32,
    /// What answers are compared by.
    #[arg(long, value_enum, default_value = "meaning")]
    pub method: MethodArg,
    /// With --method meaning, the most different answers encoded; past it a seeded sample is
    /// encoded, the themes fitted on it, and the rest placed by quick vectors (their word
    /// pieces' vectors mapped onto the encoder's) beside their words.
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u32).range(1..))]
    pub encode_limit: u32,
    /// With --method meaning, the share of each answer's vector given to meaning (0 to 1; the
    /// rest goes to words).
    #[arg(long, default_value_t = Options::default().meaning_weight)]
    pub meaning_weight: f32,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Serialize)]
struct JsonTheme<'a> {
    id: usize,
    label: &'a str,
    terms: &'a [String],
    size: usize,
    quotes: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonAssignment<'a> {
    id: &'a str,
    theme: Option<usize>,
    distance: Option<f64>,
}

#[derive(Serialize)]
struct JsonOut<'a> {
    k: usize,
    /// "meaning" or "words": the method used (a model that cannot load falls back to words).
    method: Method,
    /// The sentence encoder and the SHA-256 of its weights, with "meaning".
    model: Option<&'a str>,
    model_sha256: Option<&'a str>,
    themes: Vec<JsonTheme<'a>>,
    assignments: Vec<JsonAssignment<'a>>,
}

pub fn run(args: ThemesArgs) -> anyhow::Result<()> {
    let answers = super::csv_input::read(&args.file, &args.text_column, args.id_column.as_deref())?;
    let texts: Vec<&str> = answers.texts.iter().map(String::as_str).collect();
    let opts = Options {
        k: match args.k {
            Some(k) => K::Fixed(k as usize),
            None => K::Auto {
                min: args.k_min as usize,
                max: args.k_max as usize,
            },
        },
        seed: args.seed,
        dims: args.dims as usize,
        method: match args.method {
            MethodArg::Meaning => Method::Meaning,
            MethodArg::Words => Method::Words,
        },
        encode_limit: args.encode_limit as usize,
        meaning_weight: args.meaning_weight,
        ..Options::default()
    };
    let bar = progress_bar(texts.len());
    let set = analysis::themes(&texts, &opts, &mut |p| {
        if let Some(bar) = &bar {
            match p {
                Progress::Reading { done, .. } => bar.set_position(done as u64),
                Progress::Reducing => bar.set_message("reducing"),
                Progress::Encoding { done, total } => {
                    bar.set_message(format!("encoding {done} of {total} different answers"))
                }
                Progress::Placing { total } => {
                    bar.set_message(format!("placing {total} more by quick vectors"))
                }
                Progress::ChoosingK { k } => bar.set_message(format!("trying k = {k}")),
                Progress::Clustering => bar.set_message("clustering"),
                Progress::Labelling => bar.set_message("labelling"),
            }
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    eprintln!("{}", set.provenance.note);
    eprintln!("{}", set.k_choice);
    if set.unthemed > 0 {
        eprintln!(
            "{} answer(s) had no words to theme and are in no theme",
            set.unthemed
        );
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        Format::Json => {
            let json = JsonOut {
                k: set.k,
                method: set.provenance.method,
                model: set.provenance.model.as_deref(),
                model_sha256: set
                    .provenance
                    .weights
                    .as_deref()
                    .map(|w| w.trim_start_matches("sha256:")),
                themes: set
                    .themes
                    .iter()
                    .map(|t| JsonTheme {
                        id: t.id,
                        label: &t.label,
                        terms: &t.terms,
                        size: t.size,
                        quotes: t.quotes.iter().map(|&i| answers.ids[i].as_str()).collect(),
                    })
                    .collect(),
                assignments: set
                    .assignments
                    .iter()
                    .zip(&answers.ids)
                    .map(|(a, id)| JsonAssignment {
                        id,
                        theme: a.theme,
                        // Rounded so the output is short and stable across platforms' last bits.
                        distance: a
                            .distance
                            .map(|d| (f64::from(d) * 10_000.0).round() / 10_000.0),
                    })
                    .collect(),
            };
            serde_json::to_writer(&mut out, &json)?;
            writeln!(out)?;
        }
        Format::Table => {
            writeln!(out, "{:>4}  {:>7}  theme", "id", "answers")?;
            for t in &set.themes {
                writeln!(out, "{:>4}  {:>7}  {}", t.id, t.size, t.label)?;
                writeln!(out, "{:>15}terms: {}", "", t.terms.join(", "))?;
                for &q in &t.quotes {
                    let text: String = answers.texts[q]
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                    let short: String = text.chars().take(100).collect();
                    writeln!(
                        out,
                        "{:>15}“{}{}”",
                        "",
                        short,
                        if text.chars().count() > 100 {
                            "…"
                        } else {
                            ""
                        }
                    )?;
                }
            }
            writeln!(
                out,
                "{:>4}  {:>7}  (no theme: nothing to compare)",
                "-", set.unthemed
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

fn progress_bar(total: usize) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() || total < 10_000 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} answers read {msg}")
    {
        bar.set_style(style);
    }
    Some(bar)
}
