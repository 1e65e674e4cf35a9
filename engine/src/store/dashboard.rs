//! Counts for the review team's dashboard and for exports: responses and drafts by version, by
//! channel and by day, how far people got, and how each choice was answered by group. Counting is
//! done in SQL; nothing here returns an answer's words.
use rusqlite::params;
use serde::Serialize;

use super::{Result, Store};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SurveyCounts {
    /// (version, responses)
    pub responses_by_version: Vec<(String, i64)>,
    /// (channel, responses)
    pub responses_by_channel: Vec<(String, i64)>,
    /// (version, drafts still open)
    pub drafts_by_version: Vec<(String, i64)>,
    /// (day, responses submitted that day), oldest first.
    pub responses_by_day: Vec<(String, i64)>,
}

/// How to group a count of answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grouping {
    Version,
    Channel,
    /// By the answer to this (single-choice) question; no answer is the group "".
    Answer(String),
}

/// How many responses gave `value` (a stored answer, as JSON) to `question`, in `group`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerCount {
    pub group: String,
    pub question_id: String,
    pub value: String,
    pub n: i64,
}

fn pairs(c: &rusqlite::Connection, sql: &str, survey: &str) -> Result<Vec<(String, i64)>> {
    let mut st = c.prepare_cached(sql)?;
    let rows = st.query_map([survey], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

impl Store {
    pub fn survey_counts(&self, survey: &str) -> Result<SurveyCounts> {
        self.read(|c| {
            Ok(SurveyCounts {
                responses_by_version: pairs(
                    c,
                    "SELECT version_id, count(*) FROM responses WHERE survey_id = ?1 GROUP BY 1 ORDER BY 1",
                    survey,
                )?,
                responses_by_channel: pairs(
                    c,
                    "SELECT channel, count(*) FROM responses WHERE survey_id = ?1 GROUP BY 1 ORDER BY 1",
                    survey,
                )?,
                drafts_by_version: pairs(
                    c,
                    "SELECT version_id, count(*) FROM drafts WHERE survey_id = ?1 AND status = 'open'
                     GROUP BY 1 ORDER BY 1",
                    survey,
                )?,
                responses_by_day: pairs(
                    c,
                    "SELECT submitted_on, count(*) FROM responses WHERE survey_id = ?1 GROUP BY 1 ORDER BY 1",
                    survey,
                )?,
            })
        })
    }

    /// (version, furthest page reached, drafts) for drafts still open: where people stop.
    pub fn open_draft_progress(&self, survey: &str) -> Result<Vec<(String, i64, i64)>> {
        self.read(|c| {
            let mut st = c.prepare(
                "SELECT version_id, furthest_page, count(*) FROM drafts
                 WHERE survey_id = ?1 AND status = 'open' GROUP BY 1, 2",
            )?;
            let rows = st.query_map([survey], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// (version, question, responses that answered it).
    pub fn answered_counts(&self, survey: &str) -> Result<Vec<(String, String, i64)>> {
        self.read(|c| {
            let mut st = c.prepare(
                "SELECT r.version_id, a.question_id, count(*) FROM answers a
                 JOIN responses r ON r.id = a.response_id WHERE r.survey_id = ?1 GROUP BY 1, 2",
            )?;
            let rows = st.query_map([survey], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Counts of every non-text answer of a survey, by `grouping`.
    pub fn answer_counts(&self, survey: &str, grouping: &Grouping) -> Result<Vec<AnswerCount>> {
        self.read(|c| {
            let (sql, by) = match grouping {
                Grouping::Version => (
                    "SELECT r.version_id, a.question_id, a.value, count(*) FROM answers a
                     JOIN responses r ON r.id = a.response_id
                     WHERE r.survey_id = ?1 AND a.text IS NULL AND ?2 IS NULL GROUP BY 1, 2, 3",
                    None,
                ),
                Grouping::Channel => (
                    "SELECT r.channel, a.question_id, a.value, count(*) FROM answers a
                     JOIN responses r ON r.id = a.response_id
                     WHERE r.survey_id = ?1 AND a.text IS NULL AND ?2 IS NULL GROUP BY 1, 2, 3",
                    None,
                ),
                Grouping::Answer(q) => (
                    "SELECT coalesce(b.value, ''), a.question_id, a.value, count(*) FROM answers a
                     JOIN responses r ON r.id = a.response_id
                     LEFT JOIN answers b ON b.response_id = a.response_id AND b.question_id = ?2
                     WHERE r.survey_id = ?1 AND a.text IS NULL GROUP BY 1, 2, 3",
                    Some(q.clone()),
                ),
            };
            let mut st = c.prepare_cached(sql)?;
            let rows = st.query_map(params![survey, by], |r| {
                Ok(AnswerCount {
                    group: r.get(0)?,
                    question_id: r.get(1)?,
                    value: r.get(2)?,
                    n: r.get(3)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }
}
