//! The JSON export: the summary (see `EXPORTS.md` for every field) and the responses as
//! `records`, one object per response keyed by the CSV's column names.
use serde::Serialize;
use serde_json::{Map, Value};

use crate::{Cell, Export, ExportError, Summary};

#[derive(Serialize)]
struct Document<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    records: Vec<Map<String, Value>>,
}

pub fn json(export: &Export) -> Result<Vec<u8>, ExportError> {
    let t = &export.responses;
    let records = t
        .rows
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
        .collect();
    let mut out = serde_json::to_vec_pretty(&Document {
        summary: &export.summary,
        records,
    })
    .map_err(|e| ExportError::Write(e.to_string()))?;
    out.push(b'\n');
    Ok(out)
}
