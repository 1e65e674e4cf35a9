//! What a respondent's journey stores: a draft saved page by page, a resume code to carry it to
//! another device, the submission (stored once however often it is sent), and its deletion with
//! the reference code. Nothing about the device is stored: no address, no user agent, and dates
//! without times.
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::safeguarding::{NewFlag, insert_flags};
use super::{Cached, Result, Store};
use crate::answers::AnswerValue;
use crate::codes;
use crate::survey::Answers;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftStatus {
    Open,
    Submitted,
    Deleted,
}

impl DraftStatus {
    fn parse(s: &str) -> DraftStatus {
        match s {
            "submitted" => DraftStatus::Submitted,
            "deleted" => DraftStatus::Deleted,
            _ => DraftStatus::Open,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub id: i64,
    pub survey_id: String,
    pub version_id: String,
    pub status: DraftStatus,
    pub furthest_page: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResumeOutcome {
    Resumed(Draft),
    /// No draft has that code (or it was never asked for).
    Unknown,
    Expired,
    /// The draft was sent already: there is nothing left to resume.
    AlreadySubmitted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitOutcome {
    Stored(i64),
    /// Sent before (a double tap, the back button, a retry): the first response stands.
    AlreadySubmitted(i64),
    /// The respondent deleted this response with its reference code.
    Deleted,
    /// The draft is gone (expired and purged).
    NoDraft,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseSummary {
    pub id: i64,
    pub survey_id: String,
    pub version_id: String,
    pub submitted_on: NaiveDate,
}

fn date(s: String) -> NaiveDate {
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").unwrap_or_default()
}

fn draft_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Draft> {
    Ok(Draft {
        id: r.get(0)?,
        survey_id: r.get(1)?,
        version_id: r.get(2)?,
        status: DraftStatus::parse(&r.get::<_, String>(3)?),
        furthest_page: r.get(4)?,
    })
}

const DRAFT_COLUMNS: &str = "id, survey_id, version_id, status, furthest_page";

impl Store {
    /// Starts a draft for the browser holding `token`.
    pub async fn create_draft(
        &self,
        survey_id: &str,
        version_id: &str,
        token: &str,
        today: NaiveDate,
    ) -> Result<i64> {
        let (s, v, t) = (
            survey_id.to_owned(),
            version_id.to_owned(),
            codes::hash(token),
        );
        let today = today.to_string();
        self.write(move |c| {
            c.exec(
                "INSERT INTO drafts (survey_id, version_id, token_hash, created_on, updated_on)
                 VALUES (?1, ?2, ?3, ?4, ?4)",
                params![s, v, t, today],
            )?;
            Ok(c.last_insert_rowid())
        })
        .await
    }

    /// The draft of the browser holding `token`, if any.
    pub fn draft_for_token(&self, token: &str) -> Result<Option<Draft>> {
        self.read(|c| draft_by_token(c, token))
    }

    /// The draft of the browser holding `token` with its answers (none unless it is still open),
    /// read together: one trip to the database for every page a respondent views or posts.
    pub fn draft_with_answers(&self, token: &str) -> Result<Option<(Draft, Answers)>> {
        self.read(|c| {
            let Some(draft) = draft_by_token(c, token)? else {
                return Ok(None);
            };
            let answers = if draft.status == DraftStatus::Open {
                load_draft_answers(c, draft.id)?
            } else {
                Answers::new()
            };
            Ok(Some((draft, answers)))
        })
    }

    pub fn draft_answers(&self, draft_id: i64) -> Result<Answers> {
        self.read(|c| load_draft_answers(c, draft_id))
    }

    /// Saves a page's answers (`None` clears one) and the furthest page reached.
    /// Returns false, changing nothing, if the draft is no longer open.
    pub async fn save_answers(
        &self,
        draft_id: i64,
        changes: Vec<(String, Option<AnswerValue>)>,
        page: i64,
        today: NaiveDate,
    ) -> Result<bool> {
        let today = today.to_string();
        self.write(move |c| {
            let status: Option<String> = c
                .one("SELECT status FROM drafts WHERE id = ?1", [draft_id], |r| {
                    r.get(0)
                })
                .optional()?;
            if status.as_deref() != Some("open") {
                return Ok(false);
            }
            let mut upsert = c.prepare_cached(
                "INSERT INTO draft_answers (draft_id, question_id, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT (draft_id, question_id) DO UPDATE SET value = excluded.value",
            )?;
            let mut delete = c.prepare_cached(
                "DELETE FROM draft_answers WHERE draft_id = ?1 AND question_id = ?2",
            )?;
            for (q, a) in &changes {
                match a {
                    Some(a) => upsert.execute(params![draft_id, q, a.to_json()])?,
                    None => delete.execute(params![draft_id, q])?,
                };
            }
            c.exec(
                "UPDATE drafts SET furthest_page = max(furthest_page, ?2), updated_on = ?3
                 WHERE id = ?1",
                params![draft_id, page, today],
            )?;
            Ok(true)
        })
        .await
    }

    /// Moves an open draft to another version (the respondent went back and chose again).
    pub async fn change_version(&self, draft_id: i64, version_id: &str) -> Result<()> {
        let v = version_id.to_owned();
        self.write(move |c| {
            c.exec(
                "UPDATE drafts SET version_id = ?2 WHERE id = ?1 AND status = 'open'",
                params![draft_id, v],
            )?;
            Ok(())
        })
        .await
    }

    /// The resume code of a draft, made on first asking and the same on every later asking, valid
    /// until `expires_on`. `None` if the draft is not open.
    pub async fn resume_code(
        &self,
        draft_id: i64,
        expires_on: NaiveDate,
    ) -> Result<Option<String>> {
        let secret = self.secret().to_vec();
        let expires = expires_on.to_string();
        self.write(move |c| {
            let row: Option<(String, Option<Vec<u8>>)> = c
                .one(
                    "SELECT status, resume_nonce FROM drafts WHERE id = ?1",
                    [draft_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((status, nonce)) = row else {
                return Ok(None);
            };
            if status != "open" {
                return Ok(None);
            }
            let nonce = nonce.unwrap_or_else(|| codes::random_bytes().to_vec());
            let code = codes::code_from(&codes::mac(&secret, &[b"resume", &nonce]));
            let hash = codes::code_hash(&code);
            c.exec(
                "UPDATE drafts SET resume_nonce = ?2, resume_hash = ?3, resume_expires_on = ?4
                 WHERE id = ?1",
                params![draft_id, nonce, hash, expires],
            )?;
            Ok(Some(code))
        })
        .await
    }

    /// Moves the draft whose resume code is `code` to the browser holding `new_token`. The old
    /// browser loses it: on a shared phone, the draft goes with the person, not the phone.
    pub async fn resume(
        &self,
        survey_id: &str,
        code: &str,
        new_token: &str,
        today: NaiveDate,
    ) -> Result<ResumeOutcome> {
        let survey = survey_id.to_owned();
        let Some(h) = codes::code_hash(code) else {
            return Ok(ResumeOutcome::Unknown);
        };
        let t = codes::hash(new_token);
        let today_s = today.to_string();
        self.write(move |c| {
            let row: Option<(Draft, Option<String>)> = c
                .one(
                    &format!(
                        "SELECT {DRAFT_COLUMNS}, resume_expires_on FROM drafts WHERE resume_hash = ?1"
                    ),
                    [&h],
                    |r| Ok((draft_row(r)?, r.get(5)?)),
                )
                .optional()?;
            let Some((draft, expires)) = row.filter(|(d, _)| d.survey_id == survey) else {
                return Ok(ResumeOutcome::Unknown);
            };
            if draft.status != DraftStatus::Open {
                return Ok(ResumeOutcome::AlreadySubmitted);
            }
            if expires.is_none_or(|e| e < today_s) {
                return Ok(ResumeOutcome::Expired);
            }
            c.exec(
                "UPDATE drafts SET token_hash = ?2, updated_on = ?3 WHERE id = ?1",
                params![draft.id, t, today_s],
            )?;
            Ok(ResumeOutcome::Resumed(draft))
        })
        .await
    }

    /// The reference code of the response made from `draft_id`.
    pub fn reference_code(&self, draft_id: i64) -> String {
        codes::code_from(&codes::mac(
            self.secret(),
            &[b"reference", &draft_id.to_be_bytes()],
        ))
    }

    /// Stores the draft as a response with `answers` (already reduced to what counts), their
    /// masked text and any possible disclosures, in one transaction, once: a second call for the
    /// same draft changes nothing.
    pub async fn submit(
        &self,
        draft_id: i64,
        answers: Answers,
        protection: Protection,
        today: NaiveDate,
    ) -> Result<SubmitOutcome> {
        let reference = codes::code_hash(&self.reference_code(draft_id));
        let today = today.to_string();
        self.write(move |c| {
            let row: Option<(String, String, String)> = c
                .one(
                    "SELECT status, survey_id, version_id FROM drafts WHERE id = ?1",
                    [draft_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((status, survey, version)) = row else {
                return Ok(SubmitOutcome::NoDraft);
            };
            match status.as_str() {
                "deleted" => return Ok(SubmitOutcome::Deleted),
                "submitted" => {
                    let id: Option<i64> = c
                        .one("SELECT id FROM responses WHERE draft_id = ?1", [draft_id], |r| {
                            r.get(0)
                        })
                        .optional()?;
                    return Ok(id.map_or(SubmitOutcome::Deleted, SubmitOutcome::AlreadySubmitted));
                }
                _ => {}
            }
            c.exec(
                "INSERT INTO responses (survey_id, version_id, draft_id, reference_hash, channel, submitted_on)
                 VALUES (?1, ?2, ?3, ?4, 'web', ?5)",
                params![survey, version, draft_id, reference, today],
            )?;
            let response_id = c.last_insert_rowid();
            insert_answers(c, response_id, &answers, None, &protection)?;
            // The draft's answers now live in the response; the draft row stays, without them,
            // so a replay finds the response instead of storing a second one.
            c.exec("DELETE FROM draft_answers WHERE draft_id = ?1", [draft_id])?;
            c.exec(
                "UPDATE drafts SET status = 'submitted', resume_hash = NULL, resume_nonce = NULL,
                 updated_on = ?2 WHERE id = ?1",
                params![draft_id, today],
            )?;
            Ok(SubmitOutcome::Stored(response_id))
        })
        .await
    }

    /// The response whose reference code is `code`.
    pub fn response_for_reference(&self, code: &str) -> Result<Option<ResponseSummary>> {
        let Some(h) = codes::code_hash(code) else {
            return Ok(None);
        };
        self.read(|c| {
            Ok(c.one(
                "SELECT id, survey_id, version_id, submitted_on FROM responses WHERE reference_hash = ?1",
                [h],
                |r| {
                    Ok(ResponseSummary {
                        id: r.get(0)?,
                        survey_id: r.get(1)?,
                        version_id: r.get(2)?,
                        submitted_on: date(r.get(3)?),
                    })
                },
            )
            .optional()?)
        })
    }

    /// Deletes the response whose reference code is `code`, and all its answers, for good.
    /// Returns whether there was one to delete in `survey_id`.
    pub async fn delete_response(&self, survey_id: &str, code: &str) -> Result<bool> {
        let Some(h) = codes::code_hash(code) else {
            return Ok(false);
        };
        let survey = survey_id.to_owned();
        self.write(move |c| {
            let row: Option<(i64, Option<i64>)> = c
                .one(
                    "SELECT id, draft_id FROM responses WHERE reference_hash = ?1 AND survey_id = ?2",
                    params![h, survey],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((id, draft)) = row else {
                return Ok(false);
            };
            c.exec("DELETE FROM answers WHERE response_id = ?1", [id])?;
            c.exec("DELETE FROM responses WHERE id = ?1", [id])?;
            if let Some(d) = draft {
                c.exec("UPDATE drafts SET status = 'deleted' WHERE id = ?1", [d])?;
            }
            Ok(true)
        })
        .await
    }

    /// Answers of a submitted response, keyed by question.
    pub fn response_answers(&self, response_id: i64) -> Result<Answers> {
        self.read(|c| {
            load_answers(
                c,
                &format!("SELECT question_id, {VALUE} FROM answers WHERE response_id = ?1"),
                response_id,
            )
        })
    }

    /// Submitted responses of a survey: (id, version).
    pub fn responses(&self, survey_id: &str) -> Result<Vec<(i64, String)>> {
        self.read(|c| {
            let mut st =
                c.prepare("SELECT id, version_id FROM responses WHERE survey_id = ?1 ORDER BY id")?;
            let rows = st.query_map([survey_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Deletes drafts never sent and untouched since before `cutoff`, with their answers.
    pub async fn purge_stale_drafts(&self, cutoff: NaiveDate) -> Result<usize> {
        let cutoff = cutoff.to_string();
        self.write(move |c| {
            Ok(c.exec(
                "DELETE FROM drafts WHERE status = 'open' AND updated_on < ?1",
                [cutoff],
            )?)
        })
        .await
    }
}

fn draft_by_token(c: &Connection, token: &str) -> Result<Option<Draft>> {
    Ok(c.one(
        &format!("SELECT {DRAFT_COLUMNS} FROM drafts WHERE token_hash = ?1"),
        [codes::hash(token)],
        draft_row,
    )
    .optional()?)
}

fn load_draft_answers(c: &Connection, draft_id: i64) -> Result<Answers> {
    load_answers(
        c,
        "SELECT question_id, value FROM draft_answers WHERE draft_id = ?1",
        draft_id,
    )
}

/// Answers keyed by question from a query of (question_id, value) for one id.
fn load_answers(c: &Connection, sql: &str, id: i64) -> Result<Answers> {
    let mut st = c.prepare_cached(sql)?;
    let rows = st.query_map([id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Answers::new();
    for row in rows {
        let (q, v) = row?;
        if let Some(a) = AnswerValue::from_json(&v) {
            out.insert(q, a);
        }
    }
    Ok(out)
}

/// What the safeguarding screening and masking made of a response's free text, stored with it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Protection {
    /// Masked text per free-text question: what analysts and exports see.
    pub masked: Vec<(String, String)>,
    pub flags: Vec<NewFlag>,
    /// Free-text questions the learned screening layer has yet to read: it reads them in the
    /// background ([`Store::unweighed_answers`], [`Store::record_weighing`]).
    pub unweighed: Vec<String>,
    /// Of those, the ones whose answer holds an indicator phrase: read first.
    pub phrased: Vec<String>,
}

pub(crate) fn protect(c: &Connection, response_id: i64, p: &Protection) -> Result<()> {
    let mut st = c.prepare_cached(
        "UPDATE answers SET masked = ?3 WHERE response_id = ?1 AND question_id = ?2",
    )?;
    for (q, m) in &p.masked {
        st.execute(params![response_id, q, m])?;
    }
    insert_flags(c, response_id, &p.flags)?;
    Ok(())
}

/// What goes in an answer's `value` column: the JSON of a choice or number, and nothing for a
/// free-text answer, whose words are in `text` (and masked in `masked`). Stored a second time
/// in `value`, they made the database two thirds larger (113 MB against 68 MB at 50,000
/// responses). Readers take a text answer from `text` ([`VALUE`]): rows stored before this
/// hold a JSON copy there, which no one reads.
pub(super) fn stored_value(a: &AnswerValue) -> String {
    match a {
        AnswerValue::Text(_) => String::new(),
        other => other.to_json(),
    }
}

/// An answer's JSON as a column of a query on `answers`, for either kind of answer.
pub(crate) const VALUE: &str =
    "CASE WHEN text IS NULL THEN value ELSE json_object('text', text) END";

/// How many answers one statement inserts, largest first: a response's answers go in by as
/// many statements of 16 as fit, then one of each smaller size its remainder needs (12 answers:
/// 8 then 4). A statement per answer opened and closed a cursor on the table and each of its
/// indexes for every row, most of the writer's work per row in an import; five statements
/// cover every count, so the statement cache holds them all. `OR FAIL`: a statement of several
/// rows that may stop halfway (SQLite's default, `ABORT`) first copies every page it touches to
/// a statement journal to undo itself alone, a fifteenth of the writer's time; nothing needs that,
/// since an error here fails the whole job, whose savepoint or transaction is rolled back.
const INSERT_SIZES: [usize; 5] = [16, 8, 4, 2, 1];

/// The columns an answer's insert binds, in order.
const ANSWER_COLUMNS: usize = 6;

/// One answer as its insert binds it.
struct AnswerRow<'a> {
    question: &'a str,
    value: std::borrow::Cow<'a, str>,
    text: Option<&'a str>,
    masked: Option<&'a str>,
    weighed: i64,
}

/// The insert of `INSERT_SIZES[at]` answers at once.
fn insert_sql(at: usize) -> &'static str {
    static SQL: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        INSERT_SIZES
            .iter()
            .map(|&n| {
                let row = |i: usize| {
                    let b = i * ANSWER_COLUMNS;
                    format!(
                        "(?{}, ?{}, ?{}, ?{}, ?{}, ?{})",
                        b + 1,
                        b + 2,
                        b + 3,
                        b + 4,
                        b + 5,
                        b + 6
                    )
                };
                let values: Vec<String> = (0..n).map(row).collect();
                format!(
                    "INSERT OR FAIL INTO answers (response_id, question_id, value, text, masked, weighed)
                     VALUES {}",
                    values.join(", ")
                )
            })
            .collect()
    });
    &SQL[at]
}

/// Stores a response's answers with their masked text and its flags, inside the caller's
/// transaction, the mask written with each answer. `values`: each answer's stored value, in
/// the answers' order, if made already ([`stored_value`]).
pub(crate) fn insert_answers(
    c: &Connection,
    response_id: i64,
    answers: &Answers,
    values: Option<&[String]>,
    protection: &Protection,
) -> Result<()> {
    let rows: Vec<AnswerRow> = answers
        .iter()
        .enumerate()
        .map(|(n, (q, a))| {
            let masked = protection
                .masked
                .iter()
                .find(|(mq, _)| mq == q)
                .map(|(_, m)| m.as_str());
            // 1 read, 0 unread, -1 unread and holding a phrase (read first).
            let weighed = match (
                protection.unweighed.contains(q),
                protection.phrased.contains(q),
            ) {
                (false, _) => 1,
                (true, false) => 0,
                (true, true) => -1,
            };
            AnswerRow {
                question: q,
                value: match values.and_then(|v| v.get(n)) {
                    Some(v) => v.as_str().into(),
                    None => stored_value(a).into(),
                },
                text: a.text(),
                masked,
                weighed,
            }
        })
        .collect();
    let mut rest = rows.as_slice();
    for (at, size) in INSERT_SIZES.into_iter().enumerate() {
        while rest.len() >= size {
            let (now, later) = rest.split_at(size);
            let mut st = c.prepare_cached(insert_sql(at))?;
            for (i, row) in now.iter().enumerate() {
                let b = i * ANSWER_COLUMNS;
                st.raw_bind_parameter(b + 1, response_id)?;
                st.raw_bind_parameter(b + 2, row.question)?;
                st.raw_bind_parameter(b + 3, row.value.as_ref())?;
                st.raw_bind_parameter(b + 4, row.text)?;
                st.raw_bind_parameter(b + 5, row.masked)?;
                st.raw_bind_parameter(b + 6, row.weighed)?;
            }
            st.raw_execute()?;
            rest = later;
        }
    }
    insert_flags(c, response_id, &protection.flags)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::block;
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn every_answer_is_stored_whatever_their_number() {
        // Answers go in by statements of several rows: every count must come out whole, the
        // remainders of each size too.
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("t.db")).expect("open");
        for count in [0, 1, 2, 3, 7, 15, 16, 17, 31, 32, 45] {
            let token = format!("t{count}");
            let d = block(store.create_draft("s", "v", &token, day("2026-01-01"))).expect("draft");
            let mut answers = Answers::new();
            for i in 0..count {
                let value = if i % 3 == 0 {
                    AnswerValue::Text(format!("text {i}"))
                } else {
                    AnswerValue::Choice(format!("choice-{i}"))
                };
                answers.insert(format!("q{i:02}"), value);
            }
            let masked: Vec<(String, String)> = answers
                .iter()
                .filter(|(_, a)| a.text().is_some())
                .map(|(q, _)| (q.clone(), format!("masked {q}")))
                .collect();
            let protection = Protection {
                masked: masked.clone(),
                ..Protection::default()
            };
            let outcome = block(store.submit(d, answers.clone(), protection, day("2026-01-01")))
                .expect("submit");
            let SubmitOutcome::Stored(id) = outcome else {
                panic!("not stored: {outcome:?}");
            };
            assert_eq!(
                store.response_answers(id).expect("read"),
                answers,
                "{count}"
            );
            let stored_masks: Vec<(String, String)> = store
                .read(move |c| {
                    let mut st = c.prepare(
                        "SELECT question_id, masked FROM answers
                         WHERE response_id = ?1 AND masked IS NOT NULL ORDER BY 1",
                    )?;
                    let rows = st.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                    Ok(rows.collect::<rusqlite::Result<_>>()?)
                })
                .expect("read");
            assert_eq!(stored_masks, masked, "{count}");
        }
    }

    #[test]
    fn a_text_answer_is_stored_once_and_read_whole_old_rows_too() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("t.db")).expect("open");
        let d = block(store.create_draft("s", "v", "a", day("2026-01-01"))).expect("draft");
        let mut answers = Answers::new();
        answers.insert(
            "say".into(),
            AnswerValue::Text("more say \"in\" my plans".into()),
        );
        answers.insert("age".into(), AnswerValue::Choice("teen".into()));
        let outcome =
            block(store.submit(d, answers.clone(), Protection::default(), day("2026-01-01")))
                .expect("submit");
        let SubmitOutcome::Stored(id) = outcome else {
            panic!("not stored: {outcome:?}");
        };
        let stored: Vec<(String, String)> = store
            .read(|c| {
                let mut st = c.prepare(
                    "SELECT question_id, value FROM answers WHERE response_id = ?1 ORDER BY 1",
                )?;
                let rows = st.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            })
            .expect("read");
        assert_eq!(
            stored,
            [
                ("age".to_string(), "{\"choice\":\"teen\"}".to_string()),
                ("say".to_string(), String::new())
            ]
        );
        assert_eq!(store.response_answers(id).expect("read"), answers);
        // A row stored before, with its words in `value` as well, reads the same.
        store
            .write_blocking(move |c| {
                c.execute(
                    "INSERT INTO answers (response_id, question_id, value, text)
                     VALUES (?1, 'old', '{\"text\":\"x\"}', 'x')",
                    [id],
                )?;
                Ok(())
            })
            .expect("old row");
        let read = store.response_answers(id).expect("read");
        assert_eq!(read.get("old"), Some(&AnswerValue::Text("x".into())));
    }

    #[test]
    fn stale_open_drafts_are_purged_and_sent_ones_kept() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("t.db")).expect("open");
        let old = block(store.create_draft("s", "v", "a", day("2026-01-01"))).expect("draft");
        block(store.save_answers(
            old,
            vec![("q".into(), Some(AnswerValue::Number(1)))],
            1,
            day("2026-01-01"),
        ))
        .expect("save");
        let sent = block(store.create_draft("s", "v", "b", day("2026-01-01"))).expect("draft");
        block(store.submit(
            sent,
            Answers::new(),
            Protection::default(),
            day("2026-01-01"),
        ))
        .expect("submit");
        let fresh = block(store.create_draft("s", "v", "c", day("2026-03-01"))).expect("draft");
        let purged = block(store.purge_stale_drafts(day("2026-02-01"))).expect("purge");
        assert_eq!(purged, 1);
        assert!(store.draft_for_token("a").expect("read").is_none());
        assert_eq!(store.draft_answers(old).expect("read").len(), 0);
        assert!(store.draft_for_token("b").expect("read").is_some());
        assert_eq!(
            store.draft_for_token("c").expect("read").map(|d| d.id),
            Some(fresh)
        );
        assert_eq!(store.responses("s").expect("read").len(), 1);
    }
}
