//! What an export reads: every submitted response of a survey with its answers (free text as
//! analysts see it, masked), and each free-text question's themes, memberships and latest
//! finished run, all read in one transaction so the files agree with one another.
use std::collections::{BTreeMap, HashMap};

use rusqlite::params;

use super::themes::{RUN_COLUMNS, THEME_COLUMNS, ThemeRow, ThemeRun, run_row, theme_row};
use super::{Result, Store};
use crate::answers::AnswerValue;

/// One submitted response.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportResponse {
    pub id: i64,
    pub version_id: String,
    pub channel: String,
    pub submitted_on: String,
    /// question id -> answer; free text holds the masked words, never the original.
    pub answers: BTreeMap<String, AnswerValue>,
}

/// The themes of one free-text question.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportThemes {
    pub themes: Vec<ThemeRow>,
    /// response id -> theme id
    pub theme_of: HashMap<i64, i64>,
    /// Responses whose answer an analyst marked as a quote for reports.
    pub quotes: Vec<i64>,
    /// The latest run that finished, which made the themes as they now stand (with the
    /// analysts' corrections on top).
    pub run: Option<ThemeRun>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExportData {
    pub responses: Vec<ExportResponse>,
    /// free-text question id -> its themes
    pub themes: BTreeMap<String, ExportThemes>,
    /// When the data was read (UTC).
    pub read_at: String,
}

impl Store {
    /// Reads what an export of `survey` needs; `free_text` names its free-text questions.
    pub fn export_data(&self, survey: &str, free_text: &[String]) -> Result<ExportData> {
        self.read(|c| {
            // One read transaction: a response submitted meanwhile is in every part or none.
            let tx = c.unchecked_transaction()?;
            let mut responses: Vec<ExportResponse> = Vec::new();
            let mut index: HashMap<i64, usize> = HashMap::new();
            {
                let mut st = tx.prepare(
                    "SELECT id, version_id, channel, submitted_on FROM responses
                     WHERE survey_id = ?1 ORDER BY id",
                )?;
                let rows = st.query_map([survey], |r| {
                    Ok(ExportResponse {
                        id: r.get(0)?,
                        version_id: r.get(1)?,
                        channel: r.get(2)?,
                        submitted_on: r.get(3)?,
                        answers: BTreeMap::new(),
                    })
                })?;
                for r in rows {
                    let r = r?;
                    index.insert(r.id, responses.len());
                    responses.push(r);
                }
                let mut st = tx.prepare(
                    "SELECT a.response_id, a.question_id, a.value, a.text IS NOT NULL,
                            coalesce(a.masked, '')
                     FROM answers a JOIN responses r ON r.id = a.response_id
                     WHERE r.survey_id = ?1",
                )?;
                let rows = st.query_map([survey], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, bool>(3)?,
                        r.get::<_, String>(4)?,
                    ))
                })?;
                for row in rows {
                    let (id, q, value, is_text, masked) = row?;
                    let Some(&i) = index.get(&id) else { continue };
                    let value = if is_text {
                        Some(AnswerValue::Text(masked))
                    } else {
                        AnswerValue::from_json(&value)
                    };
                    if let Some(v) = value {
                        responses[i].answers.insert(q, v);
                    }
                }
            }
            let mut themes = BTreeMap::new();
            for q in free_text {
                let list = {
                    let mut st = tx.prepare(&format!(
                        "SELECT {THEME_COLUMNS} FROM themes
                         WHERE survey_id = ?1 AND question_id = ?2 AND active = 1 ORDER BY id"
                    ))?;
                    st.query_map(params![survey, q], theme_row)?
                        .collect::<rusqlite::Result<Vec<_>>>()?
                };
                let theme_of = {
                    let mut st = tx.prepare(
                        "SELECT ta.response_id, ta.theme_id FROM theme_answers ta
                         JOIN themes t ON t.id = ta.theme_id AND t.active = 1
                         WHERE t.survey_id = ?1 AND ta.question_id = ?2",
                    )?;
                    st.query_map(params![survey, q], |r| Ok((r.get(0)?, r.get(1)?)))?
                        .collect::<rusqlite::Result<HashMap<i64, i64>>>()?
                };
                let quotes = {
                    let mut st = tx.prepare(
                        "SELECT a.response_id FROM answers a JOIN responses r ON r.id = a.response_id
                         WHERE r.survey_id = ?1 AND a.question_id = ?2 AND a.quote = 1 ORDER BY 1",
                    )?;
                    st.query_map(params![survey, q], |r| r.get(0))?
                        .collect::<rusqlite::Result<Vec<i64>>>()?
                };
                let run = {
                    let mut st = tx.prepare(&format!(
                        "SELECT {RUN_COLUMNS} FROM theme_runs
                         WHERE survey_id = ?1 AND question_id = ?2 AND status = 'done'
                         ORDER BY id DESC LIMIT 1"
                    ))?;
                    st.query_map(params![survey, q], run_row)?
                        .next()
                        .transpose()?
                };
                themes.insert(
                    q.clone(),
                    ExportThemes {
                        themes: list,
                        theme_of,
                        quotes,
                        run,
                    },
                );
            }
            let read_at = super::review::now_text();
            tx.finish()?;
            Ok(ExportData {
                responses,
                themes,
                read_at,
            })
        })
    }
}
