//! What Heard publishes for commissioners: the responses as CSV, a spreadsheet, JSON for other
//! tools and a printable report, shared by `heard export` and the workspace's export page, and
//! the labels and breakdowns the dashboard shows too. Everything is built from one read of the
//! database ([`engine::Store::export_data`]): free text masked, small numbers suppressed
//! ([`suppress`]) in [`summary`] before any writer sees them. No HTTP: the web crate serves
//! what this one writes.
mod json;
pub mod labels;
mod report;
mod responses;
mod spreadsheet;
pub mod summary;
pub mod suppress;

use engine::Survey;

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
    pub const ALL: [Format; 4] = [Format::Csv, Format::Xlsx, Format::Json, Format::Html];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Json => "json",
            Format::Html => "html",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Json => "application/json",
            Format::Html => "text/html; charset=utf-8",
        }
    }

    /// What the export page calls it.
    pub fn title(self) -> &'static str {
        match self {
            Format::Csv => "Responses (CSV)",
            Format::Xlsx => "Spreadsheet (.xlsx): summary, a sheet per question, themes, responses",
            Format::Json => "JSON, for other tools",
            Format::Html => "Printable report (HTML; print or save as PDF)",
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
}

/// An export, ready to write in any format.
pub struct Export {
    pub summary: Summary,
    pub responses: ResponseTable,
}

/// Reads `survey` from the store and prepares its export with `threshold`.
pub fn gather(
    store: &engine::Store,
    survey: &Survey,
    threshold: i64,
) -> Result<Export, ExportError> {
    let free_text: Vec<String> = survey
        .questions
        .iter()
        .filter(|q| q.kind.is_free_text())
        .map(|q| q.id.clone())
        .collect();
    let data = store.export_data(&survey.id, &free_text)?;
    let summary = summary::summarise(survey, &data, threshold, data.read_at.clone());
    let responses = responses::table(survey, &data);
    Ok(Export { summary, responses })
}

impl Export {
    pub fn write(&self, format: Format) -> Result<Vec<u8>, ExportError> {
        match format {
            Format::Csv => responses::csv(&self.responses),
            Format::Xlsx => spreadsheet::xlsx(self),
            Format::Json => json::json(self),
            Format::Html => report::html(&self.summary),
        }
    }

    /// A file name for a download: `care-review-2026-11-23.xlsx`.
    pub fn file_name(&self, format: Format) -> String {
        format!(
            "{}-{}.{}",
            self.summary.survey.id,
            self.summary.exported_at.get(..10).unwrap_or("export"),
            format.as_str()
        )
    }
}

/// The report's stylesheet, for a Content-Security-Policy that allows it and nothing else.
pub use report::style_hash;
