//! Counts for the review team's dashboard and for exports: responses and drafts by version, by
//! channel and by day, how far people got, and how each choice was answered by group. Counting is
//! read from the counts the database keeps (tallies.rs); nothing here returns an answer's words.
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
    /// Responses by version, channel and day, and open drafts by version: from the counts the
    /// database keeps (tallies.rs), never from reading every response.
    pub fn survey_counts(&self, survey: &str) -> Result<SurveyCounts> {
        self.read(|c| {
            Ok(SurveyCounts {
                responses_by_version: pairs(
                    c,
                    "SELECT version_id, sum(n) FROM response_tally WHERE survey_id = ?1
                     GROUP BY 1 HAVING sum(n) > 0 ORDER BY 1",
                    survey,
                )?,
                responses_by_channel: pairs(
                    c,
                    "SELECT channel, sum(n) FROM response_tally WHERE survey_id = ?1
                     GROUP BY 1 HAVING sum(n) > 0 ORDER BY 1",
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
                    "SELECT submitted_on, sum(n) FROM response_tally WHERE survey_id = ?1
                     GROUP BY 1 HAVING sum(n) > 0 ORDER BY 1",
                    survey,
                )?,
            })
        })
    }

    /// (version, furthest page reached, drafts) for drafts still open: where people stop.
    pub fn open_draft_progress(&self, survey: &str) -> Result<Vec<(String, i64, i64)>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
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
            let mut st = c.prepare_cached(
                "SELECT version_id, question_id, sum(n) FROM answer_tally WHERE survey_id = ?1
                 GROUP BY 1, 2 HAVING sum(n) > 0",
            )?;
            let rows = st.query_map([survey], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Counts of every non-text answer of a survey, by `grouping`. From the kept counts; by the
    /// answer to a question not recorded as a breakdown ([`Store::ensure_breakdowns`]), by
    /// reading every answer.
    pub fn answer_counts(&self, survey: &str, grouping: &Grouping) -> Result<Vec<AnswerCount>> {
        let row = |r: &rusqlite::Row<'_>| {
            Ok(AnswerCount {
                group: r.get(0)?,
                question_id: r.get(1)?,
                value: r.get(2)?,
                n: r.get(3)?,
            })
        };
        self.read(|c| {
            let sql = match grouping {
                Grouping::Version => {
                    "SELECT version_id, question_id, value, sum(n) FROM answer_tally
                     WHERE survey_id = ?1 AND value != '' AND ?2 IS NULL
                     GROUP BY 1, 2, 3 HAVING sum(n) > 0"
                }
                Grouping::Channel => {
                    "SELECT channel, question_id, value, sum(n) FROM answer_tally
                     WHERE survey_id = ?1 AND value != '' AND ?2 IS NULL
                     GROUP BY 1, 2, 3 HAVING sum(n) > 0"
                }
                Grouping::Answer(q) => {
                    let kept: bool = c.query_row(
                        "SELECT EXISTS (SELECT 1 FROM breakdown_questions
                         WHERE survey_id = ?1 AND question_id = ?2)",
                        params![survey, q],
                        |r| r.get(0),
                    )?;
                    if kept {
                        // Responses with no answer to `q` are the group "": everyone else.
                        "SELECT group_value, question_id, value, sum(n) FROM breakdown_tally
                         WHERE survey_id = ?1 AND group_question = ?2
                         GROUP BY 1, 2, 3 HAVING sum(n) > 0
                         UNION ALL
                         SELECT '', t.question_id, t.value, t.n - coalesce(g.n, 0)
                         FROM (SELECT question_id, value, sum(n) AS n FROM answer_tally
                               WHERE survey_id = ?1 AND value != '' GROUP BY 1, 2) t
                         LEFT JOIN (SELECT question_id, value, sum(n) AS n FROM breakdown_tally
                               WHERE survey_id = ?1 AND group_question = ?2 GROUP BY 1, 2) g
                           ON g.question_id = t.question_id AND g.value = t.value
                         WHERE t.n - coalesce(g.n, 0) > 0"
                    } else {
                        "SELECT coalesce(b.value, ''), a.question_id, a.value, count(*) FROM answers a
                         JOIN responses r ON r.id = a.response_id
                         LEFT JOIN answers b ON b.response_id = a.response_id AND b.question_id = ?2
                         WHERE r.survey_id = ?1 AND a.text IS NULL GROUP BY 1, 2, 3"
                    }
                }
            };
            let by = match grouping {
                Grouping::Answer(q) => Some(q.as_str()),
                _ => None,
            };
            let mut st = c.prepare_cached(sql)?;
            let rows = st.query_map(params![survey, by], row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }
}
