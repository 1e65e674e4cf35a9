//! Importing answers gathered on other channels from a CSV file: shared by `heard import` and the
//! workspace's upload page. Each row is checked like a web answer, screened and masked like one,
//! and stored with its channel; refused rows are reported with their number and reason and
//! nothing of them is stored; a file imported twice is stored once.
use std::collections::BTreeMap;

use engine::Survey;
use engine::import::{Channel, check_row, map_columns};
use engine::store::{ImportKey, ImportPart, ImportRow, Protection};
use engine::survey::Answers;

use crate::protect::Protector;

/// How to read an import file.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Column name -> question id, for columns not named after their question.
    pub map: BTreeMap<String, String>,
    /// The version every row answers, for files without a `version` column (or where a row's
    /// cell is empty). Not needed when the survey has one version.
    pub version: Option<String>,
    /// A column giving each row an id of its own; rows are then recognised by it on re-import.
    pub id_column: Option<String>,
}

/// Rows read, checked, screened and masked at a time. The store writes one part while the next
/// is prepared, each part in a transaction of its own (answers submitted meanwhile are not held
/// up behind a large file), and memory holds a part's rows, not the file's.
const PART_ROWS: usize = 1_000;

/// The column that names each row's version, when the file has it.
pub const VERSION_COLUMN: &str = "version";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Refusal {
    /// The row's number among the data rows, from 1 (the header is not counted).
    pub row: usize,
    /// The line of the file the row starts on (the header is line 1).
    pub line: u64,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    pub imported: usize,
    /// Rows stored by an earlier import of the same rows.
    pub already: usize,
    pub refused: Vec<Refusal>,
    /// Columns holding no question, not read.
    pub ignored_columns: Vec<String>,
    /// Of the rows imported now, how many had an answer flagged for the safeguarding lead by a
    /// firm phrase as it was stored (the learned layer's reading after may add more, and set
    /// some of these aside).
    pub flagged: usize,
    /// Answers of the rows imported now that the learned layer has yet to read: it reads them
    /// after the import ([`crate::protect::weigh_all`], or the server's background loop) and
    /// any it flags join the queue then.
    pub unweighed: usize,
}

impl Report {
    /// One line for a person: "8 imported, 1 already imported, 2 refused".
    pub fn summary(&self) -> String {
        format!(
            "{} imported, {} already imported before, {} refused",
            self.imported,
            self.already,
            self.refused.len()
        )
    }
}

/// Why a whole file cannot be imported (a row's problem is a [`Refusal`] instead).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    File(String),
    #[error("storing the rows: {0}")]
    Store(#[from] engine::StoreError),
    /// Storing failed after some parts of the file were stored.
    #[error(
        "{stored} row(s) were stored before storing stopped ({why}); importing the same file \
         again stores only the rows not stored yet"
    )]
    Stopped {
        stored: usize,
        why: engine::StoreError,
    },
    #[error("reading the rows stopped unexpectedly: {0}")]
    Interrupted(String),
}

/// Checks every row of `csv` and stores the good ones as responses to `survey` from `channel`.
#[allow(clippy::too_many_arguments)]
pub async fn import(
    store: &engine::Store,
    who: &str,
    protector: &Protector,
    survey: &Survey,
    channel: Channel,
    csv: Vec<u8>,
    options: &Options,
    today: chrono::NaiveDate,
) -> Result<Report, ImportError> {
    // Counted by the workspace's breakdown as they go in, not all over again at the next start.
    store.ensure_counted_breakdowns(survey).await?;
    // Checking, screening and masking a file is seconds of CPU for a large one: off the async
    // threads, so the survey keeps answering while a file goes in, a part at a time, the next
    // part prepared while the store writes this one.
    // The file is moved, not copied: a partner's file can be hundreds of megabytes.
    let (p, s, c, o) = (protector.clone(), survey.clone(), csv, options.clone());
    let (parts, mut prepared) = tokio::sync::mpsc::channel::<Vec<ImportRow>>(1);
    let reading = tokio::task::spawn_blocking(move || {
        // A closed channel means storing stopped: nothing more to prepare.
        prepare(&p, &s, channel, &c, &o, |rows| {
            parts.blocking_send(rows).is_ok()
        })
    });
    let mut stored = Report::default();
    let mut stopped = None;
    while let Some(rows) = prepared.recv().await {
        let counts: Vec<(bool, usize)> = rows
            .iter()
            .map(|r| {
                let flagged = r.protection.flags.iter().any(|f| !f.set_aside);
                (flagged, r.protection.unweighed.len())
            })
            .collect();
        let part = ImportPart {
            survey_id: survey.id.clone(),
            channel,
            rows,
            today,
            begun_by: (stored.imported + stored.already == 0).then(|| who.to_owned()),
        };
        let outcome = match store.import_part(part).await {
            Ok(o) => o,
            Err(e) => {
                stopped = Some(e);
                break;
            }
        };
        stored.imported += outcome.imported();
        stored.already += outcome.already();
        for (id, (f, unweighed)) in outcome.stored.iter().zip(counts) {
            if id.is_some() {
                stored.flagged += usize::from(f);
                stored.unweighed += unweighed;
            }
        }
    }
    drop(prepared);
    let read = reading
        .await
        .map_err(|e| ImportError::Interrupted(e.to_string()));
    if stored.imported + stored.already > 0 || stopped.is_some() {
        let why = stopped.as_ref().map(ToString::to_string);
        let counts = (stored.imported, stored.already);
        store
            .record_import_end(who, &survey.id, channel, counts, why)
            .await?;
    }
    if let Some(why) = stopped {
        return Err(match stored.imported {
            0 => ImportError::Store(why),
            n => ImportError::Stopped { stored: n, why },
        });
    }
    let mut report = read??;
    report.imported = stored.imported;
    report.already = stored.already;
    report.flagged = stored.flagged;
    report.unweighed = stored.unweighed;
    Ok(report)
}

/// Reads and checks the file, handing its rows to `deliver` a part at a time, screened and
/// masked, until it returns false; returns the report of the refused rows.
fn prepare(
    protector: &Protector,
    survey: &Survey,
    channel: Channel,
    csv_bytes: &[u8],
    options: &Options,
    mut deliver: impl FnMut(Vec<ImportRow>) -> bool,
) -> Result<Report, ImportError> {
    if channel == Channel::Web {
        return Err(ImportError::File(
            "web answers come from the survey itself; choose paper, event, email, partner or other"
                .into(),
        ));
    }
    if let Some(v) = &options.version
        && survey.version(v).is_none()
    {
        return Err(ImportError::File(format!(
            "`{v}` is not a version of survey `{}`; its versions are: {}",
            survey.id,
            versions(survey)
        )));
    }
    let body = csv_bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(csv_bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(body);
    let headers: Vec<String> = reader
        .byte_headers()
        .map_err(|e| ImportError::File(format!("the first row should name the columns: {e}")))?
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    let version_at = headers.iter().position(|h| h == VERSION_COLUMN);
    if version_at.is_none() && options.version.is_none() && survey.versions.len() > 1 {
        return Err(ImportError::File(format!(
            "the file has no `{VERSION_COLUMN}` column and no version was chosen; survey `{}` has versions {}",
            survey.id,
            versions(survey)
        )));
    }
    let id_at = match &options.id_column {
        Some(name) => Some(headers.iter().position(|h| h == name).ok_or_else(|| {
            ImportError::File(format!(
                "the file has no column `{name}` for ids; its columns are: {}",
                headers.join(", ")
            ))
        })?),
        None => None,
    };
    let columns = map_columns(
        survey,
        &headers,
        &options.map,
        version_at.map(|_| VERSION_COLUMN),
        options.id_column.as_deref(),
    )
    .map_err(ImportError::File)?;
    let mut report = Report {
        ignored_columns: columns.ignored.clone(),
        ..Report::default()
    };
    let mut rows = Vec::with_capacity(PART_ROWS);
    let mut seen_content: BTreeMap<Vec<u8>, usize> = BTreeMap::new();
    let mut seen_ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut record = csv::ByteRecord::new();
    let mut row = 0;
    loop {
        let line = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // A broken record (bad quoting) ends what can be read reliably.
                row += 1;
                report.refused.push(Refusal {
                    row,
                    line,
                    reason: format!("cannot be read as CSV ({e}); nothing after it was read"),
                });
                break;
            }
        }
        row += 1;
        let line = record.position().map_or(line, |p| p.line());
        let refuse = |reason: String| Refusal { row, line, reason };
        // Borrowed from the record: most of a row's cells are empty, and copying each (with its
        // column's question id) was a string made per column per row.
        let cell = |i: usize| -> Result<&str, Refusal> {
            std::str::from_utf8(record.get(i).unwrap_or_default()).map_err(|_| {
                refuse(format!(
                    "column `{}` is not UTF-8 text; save the file as CSV UTF-8",
                    headers.get(i).map_or("?", String::as_str)
                ))
            })
        };
        let checked = (|| -> Result<ImportRow, Refusal> {
            let version = match version_at.map(cell).transpose()? {
                Some(v) if !v.trim().is_empty() => v.trim().to_string(),
                _ => options
                    .version
                    .clone()
                    .or_else(|| (survey.versions.len() == 1).then(|| survey.versions[0].id.clone()))
                    .unwrap_or_default(),
            };
            let mut cells = Vec::with_capacity(columns.questions.len());
            for (i, qid) in &columns.questions {
                cells.push((qid.as_str(), cell(*i)?));
            }
            let source_id = id_at.map(cell).transpose()?;
            let answers = check_row(survey, &version, &cells).map_err(&refuse)?;
            let key = match &source_id {
                Some(id) if id.trim().is_empty() => {
                    return Err(refuse(format!(
                        "no id in column `{}`",
                        options.id_column.as_deref().unwrap_or_default()
                    )));
                }
                Some(id) => {
                    if let Some(first) = seen_ids.insert(id.trim().to_string(), row) {
                        return Err(refuse(format!(
                            "id `{}` is also the id of row {first}",
                            id.trim()
                        )));
                    }
                    ImportKey::of_source_id(&survey.id, channel, id.trim())
                }
                None => {
                    let probe = ImportKey::of_content(&survey.id, &version, &answers, 0);
                    let n = seen_content.entry(probe.as_bytes().to_vec()).or_default();
                    // The first copy's key is the probe: hashed once, not twice.
                    let key = match *n {
                        0 => probe,
                        copy => ImportKey::of_content(&survey.id, &version, &answers, copy),
                    };
                    *n += 1;
                    key
                }
            };
            // Screened and masked below, all rows at once, on every core; the learned layer
            // reads most answers after the rows are stored.
            Ok(ImportRow::new(key, version, answers, Protection::default()))
        })();
        match checked {
            Ok(r) => rows.push(r),
            Err(refusal) => report.refused.push(refusal),
        }
        if rows.len() == PART_ROWS && !deliver(protected(protector, std::mem::take(&mut rows))) {
            return Ok(report);
        }
    }
    if !rows.is_empty() {
        deliver(protected(protector, rows));
    }
    Ok(report)
}

/// The rows, screened and masked on every core.
fn protected(protector: &Protector, mut rows: Vec<ImportRow>) -> Vec<ImportRow> {
    let answers: Vec<&Answers> = rows.iter().map(ImportRow::answers).collect();
    let protections = protector.protect_many_now(&answers);
    for (row, protection) in rows.iter_mut().zip(protections) {
        row.protection = protection;
    }
    rows
}

fn versions(survey: &Survey) -> String {
    survey
        .versions
        .iter()
        .map(|v| v.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
