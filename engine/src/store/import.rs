//! Storing answers imported from other channels: each checked row becomes a response with its
//! channel, masked text and flags, exactly as a web submission is stored; a row already imported
//! (same key) is not stored again.
use chrono::NaiveDate;
use rusqlite::{Connection, params};
use sha2::{Digest, Sha256};

use super::respondent::{Protection, insert_answers, stored_value};
use super::{Result, Store, tallies};
use crate::AnswerValue;
use crate::import::Channel;
use crate::survey::Answers;

/// One checked row, ready to store ([`ImportRow::new`]).
pub struct ImportRow {
    pub key: ImportKey,
    pub version: String,
    pub protection: Protection,
    /// Read-only ([`ImportRow::answers`]), so `values` always matches it.
    answers: Answers,
    /// Each answer's stored value, in the answers' order: made with the row, on the thread that
    /// checks it, since the writer (an import's narrowest stage) made each twice, for the row
    /// and for the tallies.
    values: Vec<String>,
}

impl ImportRow {
    pub fn new(
        key: ImportKey,
        version: String,
        answers: Answers,
        protection: Protection,
    ) -> ImportRow {
        let values = answers.values().map(stored_value).collect();
        ImportRow {
            key,
            version,
            answers,
            protection,
            values,
        }
    }

    pub fn answers(&self) -> &Answers {
        &self.answers
    }
}

/// What makes an imported row the same row when a file is imported again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportKey(Vec<u8>);

impl ImportKey {
    /// For a file that gives each row an id of its own (a partner's export): the id, within the
    /// survey and channel.
    pub fn of_source_id(survey: &str, channel: Channel, id: &str) -> ImportKey {
        ImportKey(hash(&["source id", survey, channel.as_str(), id]))
    }

    /// For a file without ids: the row's checked answers and how many identical rows came before
    /// it in the same file, so two children who gave the same answers on paper are two responses,
    /// while importing the file again (or a corrected copy of it) adds nothing.
    pub fn of_content(
        survey: &str,
        version: &str,
        answers: &Answers,
        occurrence: usize,
    ) -> ImportKey {
        // The same bytes as hashing the parts "content", survey, version, the lines
        // "question=json" joined by newlines, and the occurrence (see `hash`), so keys stored by
        // earlier imports still match; fed to the hash piece by piece instead of first built
        // as one string, which was a string made per answer of every imported row.
        let json: Vec<String> = answers.values().map(AnswerValue::to_json).collect();
        let lines = answers
            .keys()
            .zip(&json)
            .map(|(q, j)| q.len() + 1 + j.len())
            .sum::<usize>()
            + json.len().saturating_sub(1);
        let mut h = Sha256::new();
        for p in ["content", survey, version] {
            part(&mut h, p.len(), p.as_bytes());
        }
        h.update((lines as u64).to_be_bytes());
        for (n, (q, j)) in answers.keys().zip(&json).enumerate() {
            if n > 0 {
                h.update(b"\n");
            }
            h.update(q.as_bytes());
            h.update(b"=");
            h.update(j.as_bytes());
        }
        let occurrence = occurrence.to_string();
        part(&mut h, occurrence.len(), occurrence.as_bytes());
        ImportKey(h.finalize().to_vec())
    }
}

impl ImportKey {
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

fn hash(parts: &[&str]) -> Vec<u8> {
    let mut h = Sha256::new();
    for p in parts {
        part(&mut h, p.len(), p.as_bytes());
    }
    h.finalize().to_vec()
}

/// One part of a key: length-prefixed, so no two different lists of parts hash the same bytes.
fn part(h: &mut Sha256, len: usize, bytes: &[u8]) {
    h.update((len as u64).to_be_bytes());
    h.update(bytes);
}

/// What an import stored: for each row given, its new response id, or `None` when it had been
/// imported before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOutcome {
    pub stored: Vec<Option<i64>>,
}

impl ImportOutcome {
    pub fn imported(&self) -> usize {
        self.stored.iter().filter(|s| s.is_some()).count()
    }

    pub fn already(&self) -> usize {
        self.stored.iter().filter(|s| s.is_none()).count()
    }
}

/// A part of a file being imported, stored in a transaction of its own
/// ([`Store::import_part`]).
pub struct ImportPart {
    pub survey_id: String,
    pub channel: Channel,
    pub rows: Vec<ImportRow>,
    pub today: NaiveDate,
    /// Who imports, given with the first part only: the audit log then says the import began in
    /// the same transaction as its first rows, so no row is ever stored without an entry.
    pub begun_by: Option<String>,
}

impl Store {
    /// Stores `rows` as responses to `survey_id` from `channel`, all in one transaction: either
    /// every new row is stored or none is, with an entry in the audit log saying who imported.
    pub async fn import(
        &self,
        who: &str,
        survey_id: &str,
        channel: Channel,
        rows: Vec<ImportRow>,
        today: NaiveDate,
    ) -> Result<ImportOutcome> {
        let survey = survey_id.to_owned();
        let today = today.to_string();
        let who = who.to_owned();
        // Alone: a file of many thousands of rows inside a shared transaction's savepoint would
        // slow as the square of its size.
        self.write_alone(move |c| {
            let outcome = store_counted(c, &survey, channel, &rows, &today)?;
            super::review::audit(
                c,
                &who,
                "answers imported",
                &survey,
                &imported_detail(channel, outcome.imported(), outcome.already()),
            )?;
            Ok(outcome)
        })
        .await
    }

    /// Stores one part of a file in a transaction of its own, so a large file does not hold
    /// up the answers submitted meanwhile, and so the next part can be prepared while this one
    /// is written. A part stored stays stored if a later one fails: importing the file again
    /// stores only the rows not stored yet (their import keys say which).
    pub async fn import_part(&self, part: ImportPart) -> Result<ImportOutcome> {
        let ImportPart {
            survey_id,
            channel,
            rows,
            today,
            begun_by,
        } = part;
        let today = today.to_string();
        let (outcome, rows) = self
            .write_alone(move |c| {
                if let Some(who) = &begun_by {
                    let what = channel.as_str();
                    super::review::audit(c, who, "answers import begun", &survey_id, what)?;
                }
                Ok((store_counted(c, &survey_id, channel, &rows, &today)?, rows))
            })
            .await?;
        // Freed here, not on the writer thread: the writer is an import's narrowest stage,
        // and freeing a part's strings was 4% of its time.
        drop(rows);
        Ok(outcome)
    }

    /// The audit log's entry for the end of an import made of parts: how many rows it stored,
    /// and why it stopped, if it did.
    pub async fn record_import_end(
        &self,
        who: &str,
        survey_id: &str,
        channel: Channel,
        outcome: (usize, usize),
        stopped: Option<String>,
    ) -> Result<()> {
        let (who, survey) = (who.to_owned(), survey_id.to_owned());
        let mut detail = imported_detail(channel, outcome.0, outcome.1);
        if let Some(why) = stopped {
            detail.push_str(&format!("; then stopped: {why}"));
        }
        self.write(move |c| {
            let action = "answers imported";
            super::review::audit(c, &who, action, &survey, &detail)
        })
        .await
    }
}

/// The reference hash of an imported response, which has no reference code (nobody holds
/// one): a marker byte and its id, nine bytes, so it never equals a code's hash (32 bytes) and
/// never another response's. Increasing with the id, each goes at the end of the column's
/// unique index: random bytes went to a random page of it, and at half a million responses the
/// pages an import touched there were a real share of the writer's work.
fn imported_reference(id: i64) -> Vec<u8> {
    let mut r = Vec::with_capacity(9);
    r.push(IMPORTED_MARK);
    r.extend_from_slice(&id.to_be_bytes());
    r
}

/// First byte of an imported response's reference hash.
const IMPORTED_MARK: u8 = 0xFF;

fn imported_detail(channel: Channel, imported: usize, already: usize) -> String {
    format!(
        "{}: {imported} imported, {already} already imported",
        channel.as_str()
    )
}

/// Stores each row not imported before, with its answers, masks and flags, and counts them in
/// the dashboard's tallies.
fn store_counted(
    c: &Connection,
    survey: &str,
    channel: Channel,
    rows: &[ImportRow],
    today: &str,
) -> Result<ImportOutcome> {
    // Counted at the end, all at once: the count triggers, one row at a time, took two thirds
    // of an import's time.
    let outcome = tallies::triggers_aside(c, || {
        let mut stored = Vec::with_capacity(rows.len());
        // A row imported before is known by its key's index as it is inserted, without a
        // lookup of its own first (one seek of a random key saved per row).
        let mut add = c.prepare_cached(
            "INSERT INTO responses
               (id, survey_id, version_id, draft_id, reference_hash, channel, submitted_on, import_key)
             VALUES (?1, ?2, ?3, NULL, ?4, ?5, ?6, ?7)
             ON CONFLICT (import_key) WHERE import_key IS NOT NULL DO NOTHING",
        )?;
        // The writer is the only one inserting, inside this transaction, so ids from here on
        // are free.
        let mut next: i64 =
            c.query_row("SELECT IFNULL(MAX(id), 0) + 1 FROM responses", [], |r| {
                r.get(0)
            })?;
        for row in rows {
            let added = add.execute(params![
                next,
                survey,
                row.version,
                imported_reference(next),
                channel.as_str(),
                today,
                row.key.0
            ])?;
            if added == 0 {
                stored.push(None);
                continue;
            }
            insert_answers(c, next, &row.answers, Some(&row.values), &row.protection)?;
            stored.push(Some(next));
            next += 1;
        }
        Ok(ImportOutcome { stored })
    })?;
    let stored = rows
        .iter()
        .zip(&outcome.stored)
        .filter(|(_, id)| id.is_some())
        .map(|(r, _)| (r.version.as_str(), &r.answers, r.values.as_slice()));
    tallies::count_stored(c, survey, channel.as_str(), today, stored)?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::super::{ImportKey, block};
    use super::*;

    fn rows(from: usize, to: usize) -> Vec<ImportRow> {
        (from..to)
            .map(|i| {
                let mut answers = Answers::new();
                answers.insert("say".into(), AnswerValue::Text(format!("answer {i}")));
                ImportRow::new(
                    ImportKey::of_content("s", "v1", &answers, i),
                    "v1".into(),
                    answers,
                    Protection::default(),
                )
            })
            .collect()
    }

    #[test]
    fn a_rows_content_key_is_the_hash_of_its_parts_as_ever() {
        // The key as it was first defined: files imported before must still be recognised.
        let first_defined = |version: &str, answers: &Answers, occurrence: usize| {
            let content: Vec<String> = answers
                .iter()
                .map(|(q, a)| format!("{q}={}", a.to_json()))
                .collect();
            ImportKey(hash(&[
                "content",
                "s",
                version,
                &content.join("\n"),
                &occurrence.to_string(),
            ]))
        };
        let mut answers = Answers::new();
        assert_eq!(
            ImportKey::of_content("s", "v1", &answers, 0),
            first_defined("v1", &answers, 0)
        );
        answers.insert("say".into(), AnswerValue::Text("é \"quoted\"\nline".into()));
        answers.insert("age".into(), AnswerValue::Choice("teen".into()));
        answers.insert(
            "helps".into(),
            AnswerValue::Choices(vec!["carer".into(), "school".into()]),
        );
        for occurrence in [0, 1, 12] {
            assert_eq!(
                ImportKey::of_content("s", "v2", &answers, occurrence),
                first_defined("v2", &answers, occurrence)
            );
        }
    }

    #[test]
    fn imported_responses_have_ordered_references_no_code_can_match() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("t.db")).expect("open");
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
        let import = |from, to| {
            block(store.import("lead", "s", Channel::Paper, rows(from, to), day)).expect("import")
        };
        import(0, 3);
        let draft = block(store.create_draft("s", "v1", "t", day)).expect("draft");
        block(store.submit(draft, Answers::new(), Protection::default(), day)).expect("submit");
        // Two rows seen before, two new.
        let again = import(1, 5);
        assert_eq!(again.stored.iter().filter(|s| s.is_some()).count(), 2);
        // The newest response deleted, its id is free again for the next import.
        store
            .write_blocking(|c| {
                c.execute(
                    "DELETE FROM answers WHERE response_id = (SELECT MAX(id) FROM responses)",
                    [],
                )?;
                c.execute(
                    "DELETE FROM responses WHERE id = (SELECT MAX(id) FROM responses)",
                    [],
                )?;
                Ok(())
            })
            .expect("delete");
        import(4, 6);
        let refs: Vec<(i64, Vec<u8>, String)> = store
            .read(|c| {
                let mut st =
                    c.prepare("SELECT id, reference_hash, channel FROM responses ORDER BY id")?;
                let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            })
            .expect("read");
        assert_eq!(refs.len(), 7);
        for (id, reference, channel) in &refs {
            if channel == "web" {
                assert_eq!(reference.len(), 32);
            } else {
                assert_eq!(reference, &imported_reference(*id));
                assert_eq!(reference.len(), 9);
            }
        }
    }
}
