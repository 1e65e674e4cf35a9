//! The responses, one row each: a column per question (a column per option for multiple
//! choice), the version and channel, each free-text answer masked with its theme, made one
//! response at a time. Written as CSV (UTF-8 with a byte-order mark, so Excel reads it as UTF-8),
//! as the spreadsheet's last sheet and as JSON records.
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use engine::AnswerValue;
use engine::Survey;
use engine::store::{ExportMeta, ExportResponse};
use engine::survey::QuestionType;
use serde::Serialize;

use crate::ExportError;
use crate::labels::choice_label;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum Cell {
    Empty,
    Number(i64),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseTable {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// The columns of each question, by its id (a free-text question's theme column is not
    /// among them). The version and channel are [`VERSION_COLUMN`] and [`CHANNEL_COLUMN`].
    #[serde(skip)]
    pub columns: BTreeMap<String, Vec<usize>>,
}

/// Where every response table has its version and channel.
pub const VERSION_COLUMN: usize = 2;
pub const CHANNEL_COLUMN: usize = 3;

/// Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return
/// first) gets a leading apostrophe, so it is shown as written and never run.
pub fn make_safe(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// The columns of the responses and how one response fills them: headers `response`,
/// `submitted_on`, `version`, `channel`, then `setting`, `topics: School` (one per option),
/// `better`, `better theme`.
pub struct Columns<'a> {
    survey: &'a Survey,
    pub headers: Vec<String>,
    /// The columns of each question, by its id, as in [`ResponseTable::columns`].
    pub columns: BTreeMap<String, Vec<usize>>,
    /// Each column's question (its index in the survey); none for the first four.
    question_of: Vec<Option<usize>>,
    /// theme id -> its label
    labels: HashMap<i64, String>,
}

impl<'a> Columns<'a> {
    pub fn new(survey: &'a Survey, meta: &ExportMeta) -> Columns<'a> {
        let mut headers: Vec<String> = ["response", "submitted_on", "version", "channel"]
            .map(String::from)
            .to_vec();
        let mut question_of = vec![None; headers.len()];
        let mut columns = BTreeMap::new();
        for (i, q) in survey.questions.iter().enumerate() {
            let first = headers.len();
            match q.kind {
                QuestionType::Multiple => {
                    for c in &q.choices {
                        headers.push(format!("{}: {}", q.id, choice_label(survey, &q.id, &c.id)));
                    }
                }
                k if k.is_free_text() => {
                    headers.push(q.id.clone());
                    headers.push(format!("{} theme", q.id));
                }
                _ => headers.push(q.id.clone()),
            }
            question_of.resize(headers.len(), Some(i));
            let last = if q.kind.is_free_text() {
                first + 1
            } else {
                headers.len()
            };
            columns.insert(q.id.clone(), (first..last).collect());
        }
        let labels = meta
            .themes
            .values()
            .flat_map(|t| t.themes.iter().map(|th| (th.id, th.label.clone())))
            .collect();
        Columns {
            survey,
            headers,
            columns,
            question_of,
            labels,
        }
    }

    /// The row of one response.
    pub fn row(&self, r: &ExportResponse) -> Vec<Cell> {
        let survey = self.survey;
        let mut row = vec![
            Cell::Number(r.id),
            Cell::Text(r.submitted_on.clone()),
            Cell::Text(r.version_id.clone()),
            Cell::Text(r.channel.clone()),
        ];
        for q in &survey.questions {
            let answer = r.answers.get(&q.id);
            match q.kind {
                QuestionType::Multiple => {
                    let chosen = answer.map(AnswerValue::chosen);
                    for c in &q.choices {
                        row.push(match &chosen {
                            Some(ch) => Cell::Number(ch.contains(&c.id.as_str()) as i64),
                            None => Cell::Empty,
                        });
                    }
                }
                k if k.is_free_text() => {
                    row.push(match answer {
                        Some(AnswerValue::Text(t)) => Cell::Text(t.clone()),
                        _ => Cell::Empty,
                    });
                    let theme = r.themes.get(&q.id).and_then(|id| self.labels.get(id));
                    row.push(match (answer, theme) {
                        (Some(_), Some(l)) => Cell::Text(l.clone()),
                        _ => Cell::Empty,
                    });
                }
                _ => row.push(match answer {
                    Some(AnswerValue::Number(n)) => Cell::Number(*n),
                    Some(AnswerValue::Choice(c)) => Cell::Text(choice_label(survey, &q.id, c)),
                    Some(AnswerValue::Text(t)) => Cell::Text(t.clone()),
                    Some(AnswerValue::Choices(cs)) => Cell::Text(cs.join("; ")),
                    None => Cell::Empty,
                }),
            }
        }
        row
    }

    /// Whether column `c` of a row whose version cell is `version` belongs to a question that
    /// version asks. A blanked version (k-anonymity) asks everything: leaving out the columns
    /// of the questions it does not ask would tell which version it was.
    pub fn asked(&self, c: usize, version: &Cell) -> bool {
        match (self.question_of.get(c).copied().flatten(), version) {
            (Some(q), Cell::Text(v)) => self.survey.questions[q].asked_in(v),
            _ => true,
        }
    }
}

/// Writes the responses CSV (UTF-8 with a byte-order mark, CRLF) a row at a time.
pub struct CsvWriter<W: Write> {
    w: csv::Writer<W>,
}

impl<W: Write> CsvWriter<W> {
    /// Starts the file with the byte-order mark and the header row.
    pub fn new(mut out: W, headers: &[String]) -> Result<CsvWriter<W>, ExportError> {
        out.write_all(b"\xEF\xBB\xBF").map_err(write_error)?;
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        w.write_record(headers.iter().map(|h| make_safe(h).into_owned()))
            .map_err(write_error)?;
        Ok(CsvWriter { w })
    }

    pub fn row(&mut self, row: &[Cell]) -> Result<(), ExportError> {
        self.w
            .write_record(row.iter().map(|c| match c {
                Cell::Empty => String::new(),
                Cell::Number(n) => n.to_string(),
                Cell::Text(t) => make_safe(t).into_owned(),
            }))
            .map_err(write_error)
    }

    pub fn finish(mut self) -> Result<(), ExportError> {
        self.w.flush().map_err(write_error)
    }
}

pub(crate) fn write_error(e: impl std::fmt::Display) -> ExportError {
    ExportError::Write(e.to_string())
}

/// The CSV of a whole table.
#[cfg(test)]
fn csv(table: &ResponseTable) -> Result<Vec<u8>, ExportError> {
    let mut out = Vec::new();
    let mut w = CsvWriter::new(&mut out, &table.headers)?;
    for row in &table.rows {
        w.row(row)?;
    }
    w.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_payloads_are_made_inert_and_other_text_is_untouched() {
        for payload in [
            "=HYPERLINK(\"http://x.example\",\"click\")",
            "+1+1",
            "-2+3",
            "@SUM(A1:A2)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(make_safe(payload), format!("'{payload}"));
        }
        for plain in [
            "",
            "more time with my social worker",
            " =not first",
            "'quoted",
            "5",
        ] {
            assert_eq!(make_safe(plain), plain);
        }
    }

    #[test]
    fn csv_starts_with_a_byte_order_mark_and_round_trips() {
        let t = ResponseTable {
            headers: vec!["response".into(), "better".into()],
            rows: vec![
                vec![
                    Cell::Number(1),
                    Cell::Text("line one\nline \"two\", Zoë".into()),
                ],
                vec![Cell::Number(2), Cell::Empty],
                vec![Cell::Number(3), Cell::Text("=1+1".into())],
            ],
            columns: BTreeMap::new(),
        };
        let bytes = csv(&t).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let mut r = csv::Reader::from_reader(&bytes[3..]);
        let rows: Vec<Vec<String>> = r
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(rows[0], vec!["1", "line one\nline \"two\", Zoë"]);
        assert_eq!(rows[1], vec!["2", ""]);
        assert_eq!(rows[2], vec!["3", "'=1+1"]);
    }
}
