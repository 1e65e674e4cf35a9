//! What Heard publishes: summaries for commissioners (a spreadsheet, JSON for other tools and a
//! printable report) and, for analysts, the responses one row each (CSV, or with the spreadsheet
//! and JSON), shared by `heard export` and the workspace's export page, and the labels and
//! breakdowns the dashboard shows too. Everything is built from one read transaction
//! ([`engine::Store::export_read`]) and written as it is read, a response at a time: free text
//! masked, small numbers suppressed ([`suppress`]) in [`summary`] before any writer sees them,
//! rare combinations coarsened ([`k_anonymity`]) in the rows. No HTTP: the web crate serves what
//! this one writes.
mod json;
pub mod k_anonymity;
pub mod labels;
pub mod numbers;
mod report;
mod responses;
mod spreadsheet;
pub mod summary;
pub mod suppress;

use std::io::Write;

use engine::Survey;

use k_anonymity::Anonymiser;
pub use k_anonymity::Coarsening;
pub use responses::{Cell, ResponseTable, make_safe};
pub use summary::Summary;

/// The default of the smallest count published.
pub const DEFAULT_THRESHOLD: i64 = 5;
/// Thresholds an export accepts. One publishes every count but an empty one.
pub const THRESHOLDS: std::ops::RangeInclusive<i64> = 1..=100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Json,
    Html,
}

impl Format {
    /// The file's extension.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Json => "json",
            Format::Html => "html",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Json => "application/json",
            Format::Html => "text/html; charset=utf-8",
        }
    }
}

/// What an export is: a format, and whether it holds the responses one row each (row-level
/// data, for analysts and admins) or only the published summary. The CSV is only ever the
/// responses and the report only ever a summary, so only [`Kind::ALL`] exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    format: Format,
    rows: bool,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::of(Format::Xlsx, false),
        Kind::of(Format::Json, false),
        Kind::of(Format::Html, false),
        Kind::of(Format::Csv, true),
        Kind::of(Format::Xlsx, true),
        Kind::of(Format::Json, true),
    ];

    const fn of(format: Format, rows: bool) -> Kind {
        Kind { format, rows }
    }

    /// The export of `format` with or without the rows, if there is one.
    pub fn new(format: Format, rows: bool) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| *k == Kind::of(format, rows))
    }

    pub fn format(self) -> Format {
        self.format
    }

    /// Whether it holds the responses one row each.
    pub fn rows(self) -> bool {
        self.rows
    }

    /// The export page's name for it: `xlsx`, `json`, `html`, `csv`, `xlsx-rows`, `json-rows`.
    pub fn id(self) -> &'static str {
        match (self.format, self.rows) {
            (Format::Xlsx, false) => "xlsx",
            (Format::Json, false) => "json",
            (Format::Html, _) => "html",
            (Format::Csv, _) => "csv",
            (Format::Xlsx, true) => "xlsx-rows",
            (Format::Json, true) => "json-rows",
        }
    }

    pub fn parse(id: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// What the export page calls it.
    pub fn title(self) -> &'static str {
        match (self.format, self.rows) {
            (Format::Xlsx, false) => "Spreadsheet (.xlsx): summary, a sheet per question, themes",
            (Format::Json, false) => "JSON, for other tools: the summary",
            (Format::Html, _) => "Printable report (HTML; print or save as PDF)",
            (Format::Csv, _) => "Responses (CSV): one row per response",
            (Format::Xlsx, true) => "Spreadsheet (.xlsx) with the responses, one row each",
            (Format::Json, true) => "JSON with the responses as records",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("reading the database: {0}")]
    Store(#[from] engine::StoreError),
    #[error("writing the spreadsheet: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("writing the file: {0}")]
    Write(String),
    #[error(
        "the responses CSV is row-level data: ask for it with --rows (and --as an analyst's or admin's account), or choose the responses one row each on the export page"
    )]
    NoRows,
}

/// What was exported.
pub struct Export {
    pub kind: Kind,
    /// Every response it counts (the summary's total may be suppressed).
    pub responses: usize,
    pub summary: Summary,
    /// What k-anonymity changed, in a row-level export.
    pub coarsening: Option<Coarsening>,
}

/// Reads `survey` from the store in one transaction and writes its export of `kind` with
/// `threshold` to `out` as it reads, one response at a time, so memory does not grow with the
/// number of responses (the row-level exports keep a few numbers per response for k-anonymity).
pub fn export<W: Write + Send>(
    store: &engine::Store,
    survey: &Survey,
    threshold: i64,
    kind: Kind,
    out: W,
) -> Result<Export, ExportError> {
    let free_text: Vec<String> = survey
        .questions
        .iter()
        .filter(|q| q.kind.is_free_text())
        .map(|q| q.id.clone())
        .collect();
    store.export_read(&survey.id, &free_text, |reader| {
        let columns = responses::Columns::new(survey, &reader.meta);
        let mut summariser = summary::Summariser::new(survey, &reader.meta);
        let mut counter = kind
            .rows()
            .then(|| Anonymiser::new(k_anonymity::attributes(survey, &columns.columns), threshold));
        let mut responses = 0;
        reader.responses(|r| {
            summariser.add(&r);
            if let Some(c) = &mut counter {
                c.count(&columns.row(&r));
            }
            responses += 1;
            Ok::<_, ExportError>(())
        })?;
        let summary = summariser.finish(threshold, reader.meta.read_at.clone());
        let plan = counter.map(Anonymiser::finish);
        let coarsening = plan.as_ref().map(|p| p.coarsening.clone());
        // The second reading: each row coarsened and written as it comes.
        let each_row = |write: &mut dyn FnMut(&[Cell]) -> Result<(), ExportError>| {
            let Some(plan) = &plan else {
                return Ok(());
            };
            let mut index = 0;
            reader.responses(|r| {
                let mut row = columns.row(&r);
                plan.apply(index, &mut row);
                index += 1;
                write(&row)
            })
        };
        match kind.format() {
            Format::Csv => {
                if plan.is_none() {
                    return Err(ExportError::NoRows);
                }
                let mut w = responses::CsvWriter::new(out, &columns.headers)?;
                each_row(&mut |row| w.row(row))?;
                w.finish()?;
            }
            Format::Json => {
                let mut w = json::JsonWriter::new(out, &summary, coarsening.as_ref())?;
                each_row(&mut |row| w.record(&columns, row))?;
                w.finish()?;
            }
            Format::Xlsx => {
                let rows = coarsening.as_ref().map(|c| (c, columns.headers.as_slice()));
                let mut w = spreadsheet::XlsxWriter::new(&summary, rows)?;
                each_row(&mut |row| w.row(row))?;
                w.finish(out)?;
            }
            Format::Html => {
                let mut out = out;
                out.write_all(&report::html(&summary)?)
                    .map_err(responses::write_error)?;
                out.flush().map_err(responses::write_error)?;
            }
        }
        Ok(Export {
            kind,
            responses,
            summary,
            coarsening,
        })
    })
}

/// The name of a download of `kind` of `survey` exported at `exported_at`:
/// `care-review-2026-11-23.xlsx`, and for row-level data `care-review-2026-11-23-responses.xlsx`.
pub fn file_name(survey: &str, exported_at: &str, kind: Kind) -> String {
    format!(
        "{}-{}{}.{}",
        survey,
        exported_at.get(..10).unwrap_or("export"),
        if kind.rows() { "-responses" } else { "" },
        kind.format().as_str()
    )
}

impl Export {
    /// A file name for a download (see [`file_name`]).
    pub fn file_name(&self) -> String {
        file_name(
            &self.summary.survey.id,
            &self.summary.exported_at,
            self.kind,
        )
    }

    /// What the audit log records of it: `xlsx, threshold 5`, or for row-level data what was
    /// coarsened too.
    pub fn audit_detail(&self) -> String {
        let format = self.kind.format().as_str();
        let threshold = self.summary.threshold;
        match &self.coarsening {
            None => format!("{format}, threshold {threshold}"),
            Some(c) => format!(
                "row-level {format} ({} responses), threshold {threshold}; {} rows changed, {} cells blanked for k-anonymity",
                self.responses, c.rows_changed, c.cells_changed
            ),
        }
    }
}

/// The report's stylesheet, for a Content-Security-Policy that allows it and nothing else.
pub use report::style_hash;
