//! The JSON export: the summary (see `EXPORTS.md` for every field) and, in a row-level export,
//! the responses as `records`, one object per response keyed by the CSV's column names, with
//! `row_level`, the note on what k-anonymity changed in them.
use serde::Serialize;
use serde_json::{Map, Value};

use crate::{Cell, Coarsening, ExportError, Rows, Summary};

#[derive(Serialize)]
struct Document<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    row_level: Option<RowNote<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    records: Option<Vec<Map<String, Value>>>,
}

#[derive(Serialize)]
struct RowNote<'a> {
    #[serde(flatten)]
    coarsening: &'a Coarsening,
    explanation: String,
}

pub fn json(summary: &Summary, rows: Option<&Rows>) -> Result<Vec<u8>, ExportError> {
    let records = rows.map(|r| {
        let t = &r.table;
        t.rows
            .iter()
            .map(|row| {
                t.headers
                    .iter()
                    .zip(row)
                    .map(|(h, c)| {
                        let v = match c {
                            Cell::Empty => Value::Null,
                            Cell::Number(n) => Value::from(*n),
                            Cell::Text(s) => Value::from(s.as_str()),
                        };
                        (h.clone(), v)
                    })
                    .collect()
            })
            .collect()
    });
    let mut out = serde_json::to_vec_pretty(&Document {
        summary,
        row_level: rows.map(|r| RowNote {
            coarsening: &r.coarsening,
            explanation: r.coarsening.explanation(),
        }),
        records,
    })
    .map_err(|e| ExportError::Write(e.to_string()))?;
    out.push(b'\n');
    Ok(out)
}
