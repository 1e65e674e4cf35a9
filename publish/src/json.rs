//! The JSON export: the summary (see `EXPORTS.md` for every field) and, in a row-level export,
//! `row_level`, the note on what k-anonymity changed, and the responses as `records`, written one
//! at a time: a compact object per line keyed by the CSV's column names, without the columns of
//! questions the record's version does not ask.
use std::io::Write;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::responses::{Columns, VERSION_COLUMN, write_error};
use crate::{Cell, Coarsening, ExportError, Summary};

#[derive(Serialize)]
struct Head<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    row_level: Option<RowNote<'a>>,
}

#[derive(Serialize)]
struct RowNote<'a> {
    #[serde(flatten)]
    coarsening: &'a Coarsening,
    explanation: String,
}

/// Writes the JSON export: [`JsonWriter::new`] the summary, [`JsonWriter::record`] each row
/// of a row-level export, [`JsonWriter::finish`] the end.
pub struct JsonWriter<W: Write> {
    out: W,
    rows: bool,
    records: usize,
}

impl<W: Write> JsonWriter<W> {
    /// Writes the summary, and the row-level note when `coarsening` is given (a row-level export).
    pub fn new(
        mut out: W,
        summary: &Summary,
        coarsening: Option<&Coarsening>,
    ) -> Result<JsonWriter<W>, ExportError> {
        let head = serde_json::to_vec_pretty(&Head {
            summary,
            row_level: coarsening.map(|c| RowNote {
                coarsening: c,
                explanation: c.explanation(),
            }),
        })
        .map_err(write_error)?;
        let rows = coarsening.is_some();
        if rows {
            // The object stays open for the records.
            let open = head.strip_suffix(b"\n}").unwrap_or(&head);
            out.write_all(open).map_err(write_error)?;
            out.write_all(b",\n  \"records\": [").map_err(write_error)?;
        } else {
            out.write_all(&head).map_err(write_error)?;
        }
        Ok(JsonWriter {
            out,
            rows,
            records: 0,
        })
    }

    /// One response, already coarsened.
    pub fn record(&mut self, columns: &Columns, row: &[Cell]) -> Result<(), ExportError> {
        let version = row.get(VERSION_COLUMN).unwrap_or(&Cell::Empty);
        let record: Map<String, Value> = columns
            .headers
            .iter()
            .zip(row)
            .enumerate()
            .filter(|(c, _)| columns.asked(*c, version))
            .map(|(_, (h, c))| {
                let v = match c {
                    Cell::Empty => Value::Null,
                    Cell::Number(n) => Value::from(*n),
                    Cell::Text(s) => Value::from(s.as_str()),
                };
                (h.clone(), v)
            })
            .collect();
        let sep: &[u8] = if self.records == 0 { b"\n" } else { b",\n" };
        self.out.write_all(sep).map_err(write_error)?;
        serde_json::to_writer(&mut self.out, &record).map_err(write_error)?;
        self.records += 1;
        Ok(())
    }

    pub fn finish(mut self) -> Result<(), ExportError> {
        if self.rows {
            self.out.write_all(b"\n  ]\n}").map_err(write_error)?;
        }
        self.out.write_all(b"\n").map_err(write_error)?;
        self.out.flush().map_err(write_error)
    }
}
