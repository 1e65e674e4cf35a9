//! Versioned schema migrations. A migration, once released, is never edited: a change is a new
//! entry at the end. `PRAGMA user_version` records how many have run.
use rusqlite::{Connection, OptionalExtension};

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
    // 2: the review team's workspace: accounts, sessions, the audit log, the safeguarding queue,
    // masked text for analysts, and themes with the analysts' corrections.
    "ALTER TABLE answers ADD COLUMN masked TEXT;
    ALTER TABLE answers ADD COLUMN quote INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'safeguarding', 'commissioner')),
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        failed_signins INTEGER NOT NULL DEFAULT 0,
        -- Unix seconds until which sign-in is refused after repeated failures.
        locked_until INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
        -- SHA-256 of the token in the session cookie.
        token_hash BLOB PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        last_seen INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_name TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE flags (
        id INTEGER PRIMARY KEY,
        -- NULL once the respondent deletes the response: the disclosure itself stays with the
        -- safeguarding lead, since a child at risk outweighs the deletion of a survey answer.
        response_id INTEGER REFERENCES responses (id) ON DELETE SET NULL,
        survey_id TEXT NOT NULL,
        version_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        text TEXT NOT NULL,
        indicators TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'new'
            CHECK (status IN ('new', 'reviewed', 'escalated', 'no_further_action')),
        flagged_at TEXT NOT NULL,
        UNIQUE (response_id, question_id)
    );
    CREATE INDEX flags_status ON flags (status, id);
    CREATE TABLE flag_decisions (
        id INTEGER PRIMARY KEY,
        flag_id INTEGER NOT NULL REFERENCES flags (id),
        at TEXT NOT NULL,
        user_name TEXT NOT NULL,
        status TEXT NOT NULL,
        note TEXT NOT NULL
    );
    CREATE TABLE theme_runs (
        id INTEGER PRIMARY KEY,
        survey_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
        options TEXT NOT NULL,
        seed INTEGER NOT NULL,
        k INTEGER,
        k_choice TEXT,
        answers INTEGER NOT NULL DEFAULT 0,
        software TEXT NOT NULL,
        started_by TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        error TEXT
    );
    CREATE INDEX theme_runs_question ON theme_runs (survey_id, question_id, id);
    CREATE TABLE themes (
        id INTEGER PRIMARY KEY,
        survey_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        label TEXT NOT NULL,
        -- 1 when an analyst named it: the name is kept through later runs.
        named_by_analyst INTEGER NOT NULL DEFAULT 0,
        terms TEXT NOT NULL DEFAULT '[]',
        -- Representative answers from the last run, as response ids.
        representatives TEXT NOT NULL DEFAULT '[]',
        origin TEXT NOT NULL DEFAULT 'run' CHECK (origin IN ('run', 'split')),
        run_id INTEGER REFERENCES theme_runs (id),
        active INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX themes_question ON themes (survey_id, question_id, active);
    CREATE TABLE theme_answers (
        response_id INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        theme_id INTEGER NOT NULL REFERENCES themes (id),
        -- 1 when an analyst put it there (moved or split): it stays through later runs.
        placed_by_analyst INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (response_id, question_id)
    ) WITHOUT ROWID;
    CREATE INDEX theme_answers_theme ON theme_answers (theme_id);",
    // 3: answers imported from other channels: a key per imported row, so a file imported twice
    // is stored once.
    "ALTER TABLE responses ADD COLUMN import_key BLOB;
    CREATE UNIQUE INDEX responses_import_key ON responses (import_key) WHERE import_key IS NOT NULL;",
    // 4: what triggered each flag (see `safeguard::verdict::Trigger`) and the learned layer's
    // score. Flags stored before were raised by phrases alone.
    "ALTER TABLE flags ADD COLUMN trigger TEXT NOT NULL DEFAULT 'phrase_unweighed';
    ALTER TABLE flags ADD COLUMN score REAL;",
    // 5: free-text answers the learned screening layer has yet to read (it runs in the
    // background, off the submit path, and again after a restart for any left unread).
    "ALTER TABLE answers ADD COLUMN weighed INTEGER NOT NULL DEFAULT 1;
    CREATE INDEX answers_unweighed ON answers (response_id) WHERE weighed = 0;",
    // 6: counts for the workspace's pages, kept by triggers in the same transaction as every
    // write that changes them, so a page reads a few hundred rows however many answers there are
    // (see tallies.rs). Breakdown counts wait for `Store::ensure_breakdowns` to say which
    // questions are breakdowns.
    TALLIES,
    // 7: answers stored before masking existed, which the start-up backfill looks for: found
    // through an index of just those, not by reading every answer at each start.
    "CREATE INDEX answers_unmasked ON answers (response_id) WHERE text IS NOT NULL AND masked IS NULL;",
    // 8: a flag may be "set aside" (a firm phrase in an answer the learned layer was all but
    // sure is ordinary: in the queue, not among the new). SQLite cannot change a CHECK in
    // place, so the table is made again, as its documentation says (foreign keys off meanwhile,
    // see `migrate`); flag_decisions keeps pointing at the same ids.
    "CREATE TABLE flags_new (
        id INTEGER PRIMARY KEY,
        response_id INTEGER REFERENCES responses (id) ON DELETE SET NULL,
        survey_id TEXT NOT NULL,
        version_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        text TEXT NOT NULL,
        indicators TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'new'
            CHECK (status IN ('new', 'reviewed', 'escalated', 'no_further_action', 'set_aside')),
        flagged_at TEXT NOT NULL,
        trigger TEXT NOT NULL DEFAULT 'phrase_unweighed',
        score REAL,
        UNIQUE (response_id, question_id)
    );
    INSERT INTO flags_new (id, response_id, survey_id, version_id, question_id, channel, text,
        indicators, status, flagged_at, trigger, score)
    SELECT id, response_id, survey_id, version_id, question_id, channel, text,
        indicators, status, flagged_at, trigger, score FROM flags;
    DROP TABLE flags;
    ALTER TABLE flags_new RENAME TO flags;
    CREATE INDEX flags_status ON flags (status, id);",
    // 9: an unread answer that holds an indicator phrase is marked `weighed = -1`, so the
    // learned layer reads it before the plain unread ones (`weighed = 0`): a weak phrase's flag
    // waits for the reading, and should not wait behind a backlog of ordinary answers.
    "CREATE INDEX answers_unweighed_phrased ON answers (response_id) WHERE weighed = -1;",
    // 10: answers are read by question only for free text (a theme's answers); choices are
    // counted in the tallies and read by response. Indexing every answer by its question cost
    // an import a B-tree insert for each of a response's dozen choices; text answers are one
    // or two a response.
    "DROP INDEX answers_question;
    CREATE INDEX answers_text_question ON answers (question_id) WHERE text IS NOT NULL;",
];

const TALLIES: &str = "
    CREATE INDEX drafts_open ON drafts (survey_id, status, version_id, furthest_page);
    CREATE INDEX answers_quoted ON answers (question_id, response_id) WHERE quote = 1;
    CREATE TABLE response_tally (
        survey_id TEXT NOT NULL,
        version_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        submitted_on TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (survey_id, version_id, channel, submitted_on)
    ) WITHOUT ROWID;
    -- value: the stored answer (JSON), or '' for a free-text answer.
    CREATE TABLE answer_tally (
        survey_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        version_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        value TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (survey_id, question_id, version_id, channel, value)
    ) WITHOUT ROWID;
    CREATE TABLE breakdown_questions (
        survey_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        PRIMARY KEY (survey_id, question_id)
    ) WITHOUT ROWID;
    -- Responses whose answer to breakdown question `group_question` was `group_value` and whose
    -- answer to `question_id` (not free text) was `value`.
    CREATE TABLE breakdown_tally (
        survey_id TEXT NOT NULL,
        group_question TEXT NOT NULL,
        group_value TEXT NOT NULL,
        question_id TEXT NOT NULL,
        value TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (survey_id, group_question, group_value, question_id, value)
    ) WITHOUT ROWID;
    CREATE TABLE theme_tally (
        theme_id INTEGER NOT NULL,
        version_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (theme_id, version_id, channel)
    ) WITHOUT ROWID;
    CREATE TABLE theme_breakdown_tally (
        theme_id INTEGER NOT NULL,
        group_question TEXT NOT NULL,
        group_value TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (theme_id, group_question, group_value)
    ) WITHOUT ROWID;

    INSERT INTO response_tally
        SELECT survey_id, version_id, channel, submitted_on, count(*) FROM responses GROUP BY 1, 2, 3, 4;
    INSERT INTO answer_tally
        SELECT r.survey_id, a.question_id, r.version_id, r.channel,
               CASE WHEN a.text IS NULL THEN a.value ELSE '' END, count(*)
        FROM answers a JOIN responses r ON r.id = a.response_id GROUP BY 1, 2, 3, 4, 5;
    INSERT INTO theme_tally
        SELECT ta.theme_id, r.version_id, r.channel, count(*)
        FROM theme_answers ta JOIN responses r ON r.id = ta.response_id GROUP BY 1, 2, 3;

    -- A response's survey, version, channel and day, and an answer's question and value, are
    -- never rewritten: the counts above rely on it.
    CREATE TRIGGER responses_fixed BEFORE UPDATE OF id, survey_id, version_id, channel, submitted_on
    ON responses BEGIN
        SELECT RAISE(ABORT, 'a stored response''s survey, version, channel and day never change');
    END;
    CREATE TRIGGER answers_fixed BEFORE UPDATE OF response_id, question_id, value, text
    ON answers BEGIN
        SELECT RAISE(ABORT, 'a stored answer never changes: delete the response instead');
    END;

    CREATE TRIGGER response_counted AFTER INSERT ON responses BEGIN
        INSERT INTO response_tally VALUES (NEW.survey_id, NEW.version_id, NEW.channel, NEW.submitted_on, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
    END;
    -- Its answers (and with them its places in themes) go first, while the response is there
    -- for their triggers to read.
    CREATE TRIGGER response_leaving BEFORE DELETE ON responses BEGIN
        DELETE FROM answers WHERE response_id = OLD.id;
    END;
    CREATE TRIGGER response_uncounted AFTER DELETE ON responses BEGIN
        UPDATE response_tally SET n = n - 1
        WHERE (survey_id, version_id, channel, submitted_on)
            = (OLD.survey_id, OLD.version_id, OLD.channel, OLD.submitted_on);
    END;

    CREATE TRIGGER answer_counted AFTER INSERT ON answers BEGIN
        INSERT INTO answer_tally
            SELECT r.survey_id, NEW.question_id, r.version_id, r.channel,
                   CASE WHEN NEW.text IS NULL THEN NEW.value ELSE '' END, 1
            FROM responses r WHERE r.id = NEW.response_id
        ON CONFLICT DO UPDATE SET n = n + 1;
        -- In the group of every breakdown this response has answered so far (itself included).
        INSERT INTO breakdown_tally
            SELECT r.survey_id, b.question_id, b.value, NEW.question_id, NEW.value, 1
            FROM responses r
            JOIN answers b ON b.response_id = r.id
            JOIN breakdown_questions bq ON bq.survey_id = r.survey_id AND bq.question_id = b.question_id
            WHERE r.id = NEW.response_id AND NEW.text IS NULL
        ON CONFLICT DO UPDATE SET n = n + 1;
        -- A breakdown answer: every answer stored before it, in its group.
        INSERT INTO breakdown_tally
            SELECT r.survey_id, NEW.question_id, NEW.value, x.question_id, x.value, 1
            FROM responses r
            JOIN breakdown_questions bq ON bq.survey_id = r.survey_id AND bq.question_id = NEW.question_id
            JOIN answers x ON x.response_id = r.id AND x.question_id != NEW.question_id AND x.text IS NULL
            WHERE r.id = NEW.response_id
        ON CONFLICT DO UPDATE SET n = n + 1;
    END;
    -- Its response's places in themes go first, while every answer is there to be read.
    CREATE TRIGGER answer_leaving BEFORE DELETE ON answers BEGIN
        DELETE FROM theme_answers WHERE response_id = OLD.response_id;
    END;
    CREATE TRIGGER answer_uncounted AFTER DELETE ON answers BEGIN
        UPDATE answer_tally SET n = n - 1
        WHERE (survey_id, question_id, version_id, channel, value) = (
            SELECT r.survey_id, OLD.question_id, r.version_id, r.channel,
                   CASE WHEN OLD.text IS NULL THEN OLD.value ELSE '' END
            FROM responses r WHERE r.id = OLD.response_id);
        UPDATE breakdown_tally SET n = n - 1
        WHERE OLD.text IS NULL AND (survey_id, group_question, group_value, question_id, value) IN (
            SELECT r.survey_id, b.question_id, b.value, OLD.question_id, OLD.value
            FROM responses r
            JOIN answers b ON b.response_id = r.id
            JOIN breakdown_questions bq ON bq.survey_id = r.survey_id AND bq.question_id = b.question_id
            WHERE r.id = OLD.response_id
            UNION ALL
            SELECT r.survey_id, OLD.question_id, OLD.value, x.question_id, x.value
            FROM responses r
            JOIN breakdown_questions bq ON bq.survey_id = r.survey_id AND bq.question_id = OLD.question_id
            JOIN answers x ON x.response_id = r.id AND x.text IS NULL
            WHERE r.id = OLD.response_id
            UNION ALL
            SELECT r.survey_id, OLD.question_id, OLD.value, OLD.question_id, OLD.value
            FROM responses r
            JOIN breakdown_questions bq ON bq.survey_id = r.survey_id AND bq.question_id = OLD.question_id
            WHERE r.id = OLD.response_id);
    END;

    CREATE TRIGGER theme_answer_counted AFTER INSERT ON theme_answers BEGIN
        INSERT INTO theme_tally
            SELECT NEW.theme_id, r.version_id, r.channel, 1 FROM responses r WHERE r.id = NEW.response_id
        ON CONFLICT DO UPDATE SET n = n + 1;
        INSERT INTO theme_breakdown_tally
            SELECT NEW.theme_id, b.question_id, b.value, 1
            FROM responses r
            JOIN answers b ON b.response_id = r.id
            JOIN breakdown_questions bq ON bq.survey_id = r.survey_id AND bq.question_id = b.question_id
            WHERE r.id = NEW.response_id
        ON CONFLICT DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER theme_answer_uncounted AFTER DELETE ON theme_answers BEGIN
        UPDATE theme_tally SET n = n - 1
        WHERE (theme_id, version_id, channel) =
            (SELECT OLD.theme_id, r.version_id, r.channel FROM responses r WHERE r.id = OLD.response_id);
        UPDATE theme_breakdown_tally SET n = n - 1
        WHERE (theme_id, group_question, group_value) IN (
            SELECT OLD.theme_id, b.question_id, b.value
            FROM responses r
            JOIN answers b ON b.response_id = r.id
            JOIN breakdown_questions bq ON bq.survey_id = r.survey_id AND bq.question_id = b.question_id
            WHERE r.id = OLD.response_id);
    END;
    CREATE TRIGGER theme_answer_moved AFTER UPDATE OF theme_id ON theme_answers
    WHEN OLD.theme_id != NEW.theme_id BEGIN
        UPDATE theme_tally SET n = n - 1
        WHERE (theme_id, version_id, channel) =
            (SELECT OLD.theme_id, r.version_id, r.channel FROM responses r WHERE r.id = OLD.response_id);
        INSERT INTO theme_tally
            SELECT NEW.theme_id, r.version_id, r.channel, 1 FROM responses r WHERE r.id = NEW.response_id
        ON CONFLICT DO UPDATE SET n = n + 1;
        UPDATE theme_breakdown_tally SET n = n - 1
        WHERE (theme_id, group_question, group_value) IN (
            SELECT OLD.theme_id, b.question_id, b.value
            FROM responses r
            JOIN answers b ON b.response_id = r.id
            JOIN breakdown_questions bq ON bq.survey_id = r.survey_id AND bq.question_id = b.question_id
            WHERE r.id = OLD.response_id);
        INSERT INTO theme_breakdown_tally
            SELECT NEW.theme_id, b.question_id, b.value, 1
            FROM responses r
            JOIN answers b ON b.response_id = r.id
            JOIN breakdown_questions bq ON bq.survey_id = r.survey_id AND bq.question_id = b.question_id
            WHERE r.id = NEW.response_id
        ON CONFLICT DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER theme_answer_fixed BEFORE UPDATE OF response_id, question_id ON theme_answers BEGIN
        SELECT RAISE(ABORT, 'a place in a theme is moved by its theme, not its answer');
    END;
";

pub(super) fn migrate(conn: &mut Connection) -> Result<()> {
    let done: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let done = usize::try_from(done).unwrap_or(0);
    if done > MIGRATIONS.len() {
        return Err(StoreError::Database(format!(
            "the database is from a newer Heard (schema {done}, this one knows {}): upgrade Heard",
            MIGRATIONS.len()
        )));
    }
    if done == MIGRATIONS.len() {
        return Ok(());
    }
    // A migration that makes a table again would break the references to it midway: foreign
    // keys are off while they run (the pragma has no effect inside a transaction), and each
    // one's references are checked before it commits.
    conn.pragma_update(None, "foreign_keys", false)?;
    let ran = run_migrations(conn, done);
    conn.pragma_update(None, "foreign_keys", true)?;
    ran
}

fn run_migrations(conn: &mut Connection, done: usize) -> Result<()> {
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        let broken: Option<String> = tx
            .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
            .optional()?;
        if let Some(table) = broken {
            return Err(StoreError::Database(format!(
                "migration {} would leave rows of {table} pointing at nothing: nothing was changed",
                i + 1
            )));
        }
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database as Heard left it before flags could be set aside, with a flag and a decision
    /// on it: the table is made again and both come through, still joined.
    #[test]
    fn flags_made_again_keep_their_rows_and_decisions() {
        let mut c = Connection::open_in_memory().expect("a database");
        c.execute_batch("PRAGMA foreign_keys = ON;")
            .expect("keys on");
        run_migrations(&mut c, 0).expect("migrations");
        // Back to schema 7, as an older Heard made it.
        let mut old = Connection::open_in_memory().expect("a database");
        for sql in &MIGRATIONS[..7] {
            old.execute_batch(sql).expect("an old migration");
        }
        old.pragma_update(None, "user_version", 7).expect("version");
        old.execute_batch(
            "PRAGMA foreign_keys = ON;
             INSERT INTO flags (id, response_id, survey_id, version_id, question_id, channel, text,
                 indicators, status, flagged_at, trigger, score)
             VALUES (41, NULL, 'voices', 'young', 'better', 'web', 'he hits me', '[]', 'reviewed',
                 '2026-05-01', 'phrase', 0.9);
             INSERT INTO flag_decisions (flag_id, at, user_name, status, note)
             VALUES (41, '2026-05-02', 'sal', 'reviewed', 'Called the duty desk.');",
        )
        .expect("old rows");
        assert!(
            old.execute(
                "INSERT INTO flags (survey_id, version_id, question_id, channel, text, indicators,
                     status, flagged_at) VALUES ('v', 'y', 'q', 'web', 't', '[]', 'set_aside', 'x')",
                [],
            )
            .is_err(),
            "schema 7 knows no set-aside flags"
        );
        migrate(&mut old).expect("migrated");
        let keys: i64 = old
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .expect("pragma");
        assert_eq!(keys, 1, "foreign keys are on again");
        let (text, status, trigger, note): (String, String, String, String) = old
            .query_row(
                "SELECT f.text, f.status, f.trigger, d.note
                 FROM flags f JOIN flag_decisions d ON d.flag_id = f.id WHERE f.id = 41",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .expect("the flag and its decision");
        assert_eq!(
            (
                text.as_str(),
                status.as_str(),
                trigger.as_str(),
                note.as_str()
            ),
            ("he hits me", "reviewed", "phrase", "Called the duty desk.")
        );
        let insert = |status: &str| {
            old.execute(
                "INSERT INTO flags (survey_id, version_id, question_id, channel, text, indicators,
                     status, flagged_at) VALUES ('v', 'y', ?1, 'web', 't', '[]', ?1, 'x')",
                [status],
            )
        };
        assert!(insert("set_aside").is_ok());
        assert!(insert("maybe").is_err(), "the CHECK is still there");
        let plan: String = old
            .query_row(
                "EXPLAIN QUERY PLAN SELECT id FROM flags WHERE status = 'set_aside' ORDER BY id",
                [],
                |r| r.get(3),
            )
            .expect("a plan");
        assert!(plan.contains("flags_status"), "{plan}");
        assert!(
            old.execute("INSERT INTO flag_decisions (flag_id, at, user_name, status, note) VALUES (999, 'x', 'y', 'z', 'n')", [])
                .is_err(),
            "a decision still needs its flag"
        );
        // A fresh database comes out the same.
        let fresh: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        assert_eq!(fresh as usize, MIGRATIONS.len());
    }
}
