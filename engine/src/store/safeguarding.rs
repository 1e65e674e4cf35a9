//! The safeguarding queue. A flag is written in the same transaction as the response it comes
//! from, so a disclosure is either in the queue or was never acknowledged to the child. It keeps
//! its own copy of the words, so it outlives the response's deletion. Decisions are appended,
//! never overwritten: new -> reviewed -> escalated or no further action, each with a note and who
//! decided.
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::review::{audit, now_text};
use super::{Cached, Result, Store, StoreError};

/// Where a flag is in its review.
pub const STATUSES: [&str; 4] = ["new", "reviewed", "escalated", "no_further_action"];

/// The statuses a flag may move to from `from` (a final status may take further notes only).
pub fn next_statuses(from: &str) -> &'static [&'static str] {
    match from {
        "new" => &["reviewed", "escalated", "no_further_action"],
        "reviewed" => &["reviewed", "escalated", "no_further_action"],
        "escalated" => &["escalated", "no_further_action"],
        _ => &["no_further_action"],
    }
}

pub fn status_title(s: &str) -> &'static str {
    match s {
        "new" => "New",
        "reviewed" => "Reviewed",
        "escalated" => "Escalated",
        "no_further_action" => "No further action",
        _ => "Unknown",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    pub id: i64,
    pub response_id: Option<i64>,
    pub survey_id: String,
    pub version_id: String,
    pub question_id: String,
    pub channel: String,
    /// The answer as written: for the safeguarding lead only.
    pub text: String,
    /// The screening's indicators, as JSON.
    pub indicators: String,
    pub status: String,
    pub flagged_at: String,
    /// What triggered it (`safeguard::verdict::Trigger`, as text).
    pub trigger: String,
    /// The learned layer's score, when it ran.
    pub score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub at: String,
    pub user_name: String,
    pub status: String,
    pub note: String,
}

/// A possible disclosure found in one answer, to store with its response.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFlag {
    pub question_id: String,
    pub indicators: String,
    pub trigger: String,
    pub score: Option<f64>,
}

const FLAG_COLUMNS: &str = "id, response_id, survey_id, version_id, question_id, channel, text, \
     indicators, status, flagged_at, trigger, score";

fn flag_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Flag> {
    Ok(Flag {
        id: r.get(0)?,
        response_id: r.get(1)?,
        survey_id: r.get(2)?,
        version_id: r.get(3)?,
        question_id: r.get(4)?,
        channel: r.get(5)?,
        text: r.get(6)?,
        indicators: r.get(7)?,
        status: r.get(8)?,
        flagged_at: r.get(9)?,
        trigger: r.get(10)?,
        score: r.get(11)?,
    })
}

/// Stores the flags of response `response_id`, inside the caller's transaction; the words are
/// copied from the stored answer.
pub(crate) fn insert_flags(c: &Connection, response_id: i64, flags: &[NewFlag]) -> Result<()> {
    let mut st = c.prepare_cached(
        "INSERT OR IGNORE INTO flags
            (response_id, survey_id, version_id, question_id, channel, text, indicators, flagged_at,
             trigger, score)
         SELECT r.id, r.survey_id, r.version_id, a.question_id, r.channel, coalesce(a.text, ''), ?3, ?4,
             ?5, ?6
         FROM responses r JOIN answers a ON a.response_id = r.id
         WHERE r.id = ?1 AND a.question_id = ?2",
    )?;
    let at = now_text();
    for f in flags {
        st.execute(params![
            response_id,
            f.question_id,
            f.indicators,
            at,
            f.trigger,
            f.score
        ])?;
    }
    Ok(())
}

/// What the learned screening layer made of one answer it read after the answer was stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Weighed {
    pub response_id: i64,
    pub question_id: String,
    /// The flag to raise, if the answer is a possible disclosure (one already raised by a
    /// phrase stays as it is).
    pub flag: Option<NewFlag>,
    /// The learned layer's score, kept with the answer's flag if it has one.
    pub score: Option<f64>,
}

const UNWEIGHED: &str = "SELECT a.response_id, a.question_id, a.text FROM answers a";

impl Store {
    /// Free-text answers the learned layer has yet to read, oldest first: (response, question,
    /// text).
    pub fn unweighed_answers(&self, limit: i64) -> Result<Vec<(i64, String, String)>> {
        self.read(|c| {
            let mut st = c.prepare_cached(&format!(
                "{UNWEIGHED} WHERE a.weighed = 0 AND a.text IS NOT NULL
                 ORDER BY a.response_id LIMIT ?1"
            ))?;
            let rows = st.query_map([limit], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// The unread answers of the response with this reference code: read before the response
    /// is deleted, so a disclosure in it still reaches the queue.
    pub fn unweighed_answers_of_code(
        &self,
        survey_id: &str,
        code: &str,
    ) -> Result<Vec<(i64, String, String)>> {
        let Some(h) = crate::codes::code_hash(code) else {
            return Ok(Vec::new());
        };
        self.read(|c| {
            let mut st = c.prepare_cached(&format!(
                "{UNWEIGHED} JOIN responses r ON r.id = a.response_id
                 WHERE r.reference_hash = ?1 AND r.survey_id = ?2
                   AND a.weighed = 0 AND a.text IS NOT NULL"
            ))?;
            let rows = st.query_map(params![h, survey_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Records what the learned layer made of answers already stored: flags raised, scores
    /// kept, and each answer marked read, in one transaction.
    pub async fn record_weighing(&self, rows: Vec<Weighed>) -> Result<()> {
        self.write(move |c| {
            for w in &rows {
                // An answer read twice (the loop and a deletion at once) or deleted since it
                // was read is recorded once, or not at all: its response may be gone.
                let unread = c
                    .prepare_cached(
                        "UPDATE answers SET weighed = 1
                         WHERE response_id = ?1 AND question_id = ?2 AND weighed = 0",
                    )?
                    .execute(params![w.response_id, w.question_id])?;
                if unread == 0 {
                    continue;
                }
                if let Some(flag) = &w.flag {
                    insert_flags(c, w.response_id, std::slice::from_ref(flag))?;
                }
                c.prepare_cached(
                    "UPDATE flags SET score = ?3
                     WHERE response_id = ?1 AND question_id = ?2 AND score IS NULL",
                )?
                .execute(params![w.response_id, w.question_id, w.score])?;
            }
            Ok(())
        })
        .await
    }

    /// The queue: new flags first (oldest first, so none waits longest), then the rest, newest
    /// first. `status` narrows it to one status.
    pub fn flags(&self, status: Option<&str>) -> Result<Vec<Flag>> {
        self.read(|c| {
            let mut st = c.prepare(&format!(
                "SELECT {FLAG_COLUMNS} FROM flags WHERE ?1 IS NULL OR status = ?1
                 ORDER BY status != 'new', CASE WHEN status = 'new' THEN id ELSE -id END"
            ))?;
            let rows = st.query_map([status], flag_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// How many flags have each status.
    pub fn flag_counts(&self) -> Result<Vec<(String, i64)>> {
        self.read(|c| {
            let mut st = c.prepare("SELECT status, count(*) FROM flags GROUP BY status")?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let found: Vec<(String, i64)> = rows.collect::<rusqlite::Result<_>>()?;
            Ok(STATUSES
                .iter()
                .map(|s| {
                    let n = found.iter().find(|(f, _)| f == s).map_or(0, |(_, n)| *n);
                    (s.to_string(), n)
                })
                .collect())
        })
    }

    pub fn flag(&self, id: i64) -> Result<Option<(Flag, Vec<Decision>)>> {
        self.read(|c| {
            let flag = c
                .query_row(
                    &format!("SELECT {FLAG_COLUMNS} FROM flags WHERE id = ?1"),
                    [id],
                    flag_row,
                )
                .optional()?;
            let Some(flag) = flag else { return Ok(None) };
            let mut st = c.prepare(
                "SELECT at, user_name, status, note FROM flag_decisions WHERE flag_id = ?1 ORDER BY id",
            )?;
            let rows = st.query_map([id], |r| {
                Ok(Decision {
                    at: r.get(0)?,
                    user_name: r.get(1)?,
                    status: r.get(2)?,
                    note: r.get(3)?,
                })
            })?;
            Ok(Some((flag, rows.collect::<rusqlite::Result<Vec<_>>>()?)))
        })
    }

    /// Records a decision on flag `id`. Refuses a move the flow does not allow (say, back to
    /// new); returns false if there is no such flag.
    pub async fn decide_flag(&self, id: i64, status: &str, note: &str, user: &str) -> Result<bool> {
        let (status, note, user) = (status.to_owned(), note.to_owned(), user.to_owned());
        self.write(move |c| {
            let from: Option<String> = c
                .query_row("SELECT status FROM flags WHERE id = ?1", [id], |r| r.get(0))
                .optional()?;
            let Some(from) = from else { return Ok(false) };
            if !next_statuses(&from).contains(&status.as_str()) {
                return Err(StoreError::Database(format!(
                    "a flag that is {} cannot become {}",
                    status_title(&from),
                    status_title(&status)
                )));
            }
            c.execute("UPDATE flags SET status = ?2 WHERE id = ?1", params![id, status])?;
            c.execute(
                "INSERT INTO flag_decisions (flag_id, at, user_name, status, note) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, now_text(), user, status, note],
            )?;
            // The note may hold a child's details: the audit log says what was decided, not why.
            audit(c, &user, "safeguarding decision", &format!("flag {id}"), &format!("{from} -> {status}"))?;
            Ok(true)
        })
        .await
    }

    /// Whether the response sent from draft `draft_id` has a possible disclosure (for the extra
    /// help on the confirmation page).
    pub fn draft_was_flagged(&self, draft_id: i64) -> Result<bool> {
        self.read(|c| {
            Ok(c.one(
                "SELECT EXISTS (SELECT 1 FROM flags f JOIN responses r ON r.id = f.response_id
                 WHERE r.draft_id = ?1)",
                [draft_id],
                |r| r.get(0),
            )?)
        })
    }
}
