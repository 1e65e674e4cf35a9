//! What an export reads: every submitted response of a survey with its answers (free text as
//! analysts see it, masked) and the theme of each free-text answer, streamed one response at a
//! time, and each free-text question's themes, quotes and latest finished run, all in one read
//! transaction so the files agree with one another however many times the responses are read.
use std::collections::BTreeMap;

use rusqlite::{Transaction, params};

use super::themes::{RUN_COLUMNS, THEME_COLUMNS, ThemeRow, ThemeRun, run_row, theme_row};
use super::{Result, Store, StoreError};
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
    /// free-text question id -> the id of the active theme its answer is in.
    pub themes: BTreeMap<String, i64>,
}

/// The themes of one free-text question.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportThemes {
    pub themes: Vec<ThemeRow>,
    /// Responses whose answer an analyst marked as a quote for reports.
    pub quotes: Vec<i64>,
    /// The latest run that finished, which made the themes as they now stand (with the
    /// analysts' corrections on top).
    pub run: Option<ThemeRun>,
}

/// What an export knows before it reads the responses.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportMeta {
    /// free-text question id -> its themes
    pub themes: BTreeMap<String, ExportThemes>,
    /// When the data was read (UTC).
    pub read_at: String,
}

/// An open export read: [`ExportMeta`] and the responses, readable as often as a writer needs
/// (a row-level export counts combinations before it writes a row), always the same rows.
pub struct ExportReader<'a> {
    tx: Transaction<'a>,
    survey: String,
    pub meta: ExportMeta,
}

impl ExportReader<'_> {
    /// Calls `each` with every submitted response in order of id, holding one at a time.
    pub fn responses<E: From<StoreError>>(
        &self,
        mut each: impl FnMut(ExportResponse) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        // Answers come joined to their response in one pass over the primary keys, each
        // free-text answer with its active theme (at most one: the key is response and question).
        // `+r.survey_id` keeps SQLite off the (survey, version) index: through it the rows would
        // come out of id order and be sorted first, every answer held in a temporary b-tree (in
        // memory: `temp_store = MEMORY`), which is the whole export held at once.
        let mut st = self
            .tx
            .prepare_cached(
                "SELECT r.id, r.version_id, r.channel, r.submitted_on, a.question_id, a.value,
                        a.text IS NOT NULL, coalesce(a.masked, ''),
                        CASE WHEN a.text IS NOT NULL THEN
                            (SELECT ta.theme_id FROM theme_answers ta
                             JOIN themes t ON t.id = ta.theme_id AND t.active = 1
                             WHERE ta.response_id = r.id AND ta.question_id = a.question_id)
                        END
                 FROM responses r LEFT JOIN answers a ON a.response_id = r.id
                 WHERE +r.survey_id = ?1 ORDER BY r.id",
            )
            .map_err(StoreError::from)?;
        let mut rows = st.query([&self.survey]).map_err(StoreError::from)?;
        let mut current: Option<ExportResponse> = None;
        while let Some(row) = rows.next().map_err(StoreError::from)? {
            let id: i64 = row.get(0).map_err(StoreError::from)?;
            if current.as_ref().is_some_and(|c| c.id != id)
                && let Some(done) = current.take()
            {
                each(done)?;
            }
            let r = match &mut current {
                Some(r) => r,
                None => current.insert(ExportResponse {
                    id,
                    version_id: row.get(1).map_err(StoreError::from)?,
                    channel: row.get(2).map_err(StoreError::from)?,
                    submitted_on: row.get(3).map_err(StoreError::from)?,
                    answers: BTreeMap::new(),
                    themes: BTreeMap::new(),
                }),
            };
            let Some(question) = row.get::<_, Option<String>>(4).map_err(StoreError::from)? else {
                continue;
            };
            let value = if row.get::<_, bool>(6).map_err(StoreError::from)? {
                Some(AnswerValue::Text(row.get(7).map_err(StoreError::from)?))
            } else {
                AnswerValue::from_json(&row.get::<_, String>(5).map_err(StoreError::from)?)
            };
            if let Some(theme) = row.get::<_, Option<i64>>(8).map_err(StoreError::from)? {
                r.themes.insert(question.clone(), theme);
            }
            if let Some(v) = value {
                r.answers.insert(question, v);
            }
        }
        if let Some(done) = current {
            each(done)?;
        }
        Ok(())
    }
}

impl Store {
    /// Opens one read transaction for an export of `survey` (`free_text` names its free-text
    /// questions) and hands `f` the reader; nothing submitted meanwhile is seen by any part.
    pub fn export_read<T, E: From<StoreError>>(
        &self,
        survey: &str,
        free_text: &[String],
        f: impl FnOnce(&ExportReader) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.read(|c| {
            let tx = c.unchecked_transaction()?;
            let meta = ExportMeta {
                themes: themes(&tx, survey, free_text)?,
                read_at: super::review::now_text(),
            };
            let reader = ExportReader {
                tx,
                survey: survey.to_owned(),
                meta,
            };
            let outcome = f(&reader);
            reader.tx.finish()?;
            Ok(outcome)
        })?
    }
}

fn themes(
    tx: &Transaction,
    survey: &str,
    free_text: &[String],
) -> Result<BTreeMap<String, ExportThemes>> {
    let mut out = BTreeMap::new();
    for q in free_text {
        let themes = {
            let mut st = tx.prepare(&format!(
                "SELECT {THEME_COLUMNS} FROM themes
                 WHERE survey_id = ?1 AND question_id = ?2 AND active = 1 ORDER BY id"
            ))?;
            st.query_map(params![survey, q], theme_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?
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
        out.insert(
            q.clone(),
            ExportThemes {
                themes,
                quotes,
                run,
            },
        );
    }
    Ok(out)
}
