//! Versioned schema migrations. A migration, once released, is never edited: a change is a new
//! entry at the end. `PRAGMA user_version` records how many have run.
use rusqlite::Connection;

use super::{Result, StoreError};

const MIGRATIONS: &[&str] = &[
    // 1: respondents' drafts and submitted responses.
    "CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value BLOB NOT NULL
    );
    CREATE TABLE drafts (
        id INTEGER PRIMARY KEY,
        survey_id TEXT NOT NULL,
        version_id TEXT NOT NULL,
        -- SHA-256 of the browser token in the respondent's cookie.
        token_hash BLOB NOT NULL UNIQUE,
        -- SHA-256 of the resume code, once the respondent asks for one.
        resume_hash BLOB UNIQUE,
        resume_nonce BLOB,
        resume_expires_on TEXT,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'submitted', 'deleted')),
        -- The furthest page reached: shows the review team where people stop.
        furthest_page INTEGER NOT NULL DEFAULT 0,
        created_on TEXT NOT NULL,
        updated_on TEXT NOT NULL
    );
    CREATE INDEX drafts_survey ON drafts (survey_id, status);
    CREATE TABLE draft_answers (
        draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (draft_id, question_id)
    ) WITHOUT ROWID;
    CREATE TABLE responses (
        id INTEGER PRIMARY KEY,
        survey_id TEXT NOT NULL,
        version_id TEXT NOT NULL,
        -- The draft it came from: unique, so one draft is stored once however often it is sent.
        draft_id INTEGER UNIQUE REFERENCES drafts (id),
        reference_hash BLOB NOT NULL UNIQUE,
        channel TEXT NOT NULL DEFAULT 'web',
        submitted_on TEXT NOT NULL
    );
    CREATE INDEX responses_survey ON responses (survey_id, version_id);
    CREATE TABLE answers (
        response_id INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        value TEXT NOT NULL,
        -- The free text of text answers, for analysis and screening.
        text TEXT,
        PRIMARY KEY (response_id, question_id)
    ) WITHOUT ROWID;
    CREATE INDEX answers_question ON answers (question_id);",
];

pub(super) fn migrate(conn: &mut Connection) -> Result<()> {
    let done: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let done = usize::try_from(done).unwrap_or(0);
    if done > MIGRATIONS.len() {
        return Err(StoreError::Database(format!(
            "the database is from a newer Heard (schema {done}, this one knows {}): upgrade Heard",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
