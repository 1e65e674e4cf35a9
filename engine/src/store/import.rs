//! Storing answers imported from other channels: each checked row becomes a response with its
//! channel, masked text and flags, exactly as a web submission is stored; a row already imported
//! (same key) is not stored again.
use chrono::NaiveDate;
use rusqlite::{Connection, params};
use sha2::{Digest, Sha256};

use super::respondent::{Protection, insert_answers};
use super::{Result, Store, tallies};
use crate::import::Channel;
use crate::survey::Answers;

/// One checked row, ready to store.
pub struct ImportRow {
    pub key: ImportKey,
    pub version: String,
    pub answers: Answers,
    pub protection: Protection,
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
        let content: Vec<String> = answers
            .iter()
            .map(|(q, a)| format!("{q}={}", a.to_json()))
            .collect();
        ImportKey(hash(&[
            "content",
            survey,
            version,
            &content.join("\n"),
            &occurrence.to_string(),
        ]))
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
        // Length-prefixed, so no two different lists of parts hash the same bytes.
        h.update((p.len() as u64).to_be_bytes());
        h.update(p.as_bytes());
    }
    h.finalize().to_vec()
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
               (survey_id, version_id, draft_id, reference_hash, channel, submitted_on, import_key)
             VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6)
             ON CONFLICT (import_key) WHERE import_key IS NOT NULL DO NOTHING",
        )?;
        for row in rows {
            // An imported response has no reference code: nobody holds one, so its reference hash
            // is random bytes that no code hashes to.
            let added = add.execute(params![
                survey,
                row.version,
                crate::codes::random_bytes().to_vec(),
                channel.as_str(),
                today,
                row.key.0
            ])?;
            if added == 0 {
                stored.push(None);
                continue;
            }
            let id = c.last_insert_rowid();
            insert_answers(c, id, &row.answers, &row.protection)?;
            stored.push(Some(id));
        }
        Ok(ImportOutcome { stored })
    })?;
    let stored = rows
        .iter()
        .zip(&outcome.stored)
        .filter(|(_, id)| id.is_some())
        .map(|(r, _)| (r.version.as_str(), &r.answers));
    tallies::count_stored(c, survey, channel.as_str(), today, stored)?;
    Ok(outcome)
}
