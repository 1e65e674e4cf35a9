//! `heard export` of thousands of responses, written as they are read: every response comes out
//! exactly once with its own answers (CSV, JSON records, the spreadsheet's Responses sheet), a
//! response with no answers too, and JSON records carry no keys for questions their version does
//! not ask.
use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, Xlsx};
use engine::AnswerValue;
use engine::import::Channel;
use engine::store::{ImportKey, ImportRow, Protection};

/// Far more responses than any buffer on the way out holds: the file writer's (8 KiB) and the
/// responses one at a time from the database cursor, so the output crosses them thousands of
/// times, and the two readings of a row-level export must line up across all of them.
const RESPONSES: usize = 3_000;

/// Every this many responses, one with no answers at all.
const EMPTY_EVERY: usize = 397;

fn every_type() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/surveys/every-type.toml")
}

fn heard(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_heard"))
        .args(args)
        .output()
        .expect("heard runs")
}

fn add_analyst(db: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_heard"))
        .args([
            "user",
            "add",
            "ana",
            "--role",
            "analyst",
            "--password-stdin",
            "--db",
            db,
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("heard runs");
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(b"a long enough password\n")
            .expect("password");
    }
    assert!(child.wait().expect("heard ends").success(), "ana added");
}

/// What response `i` answered: (version, answers); its free text's masked form is
/// [`masked`] of the original.
fn answers(i: usize) -> (&'static str, BTreeMap<String, AnswerValue>) {
    let version = if i.is_multiple_of(3) {
        "easy"
    } else {
        "standard"
    };
    let mut a = BTreeMap::new();
    if i.is_multiple_of(EMPTY_EVERY) {
        return (version, a);
    }
    let setting = ["foster", "residential", "kinship"][i % 3 / 2 + (i / 7) % 2];
    a.insert("setting".into(), AnswerValue::Choice(setting.into()));
    if version == "standard" {
        a.insert("workers".into(), AnswerValue::Number((i % 9) as i64));
    }
    // Of varied length, so records straddle the buffers at every offset.
    let words = "more time with my social worker ".repeat(i % 11);
    a.insert(
        "anything-else".into(),
        AnswerValue::Text(format!("original {i}: {words}")),
    );
    (version, a)
}

fn masked(original: &str) -> String {
    original.replace("original", "masked")
}

/// Stores the responses through the store's import (no screening: this test is about the way
/// out), in four channels; returns each response id with its index.
fn consultation(db: &Path) -> BTreeMap<i64, usize> {
    let store = engine::Store::open(db).expect("store");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let channels = [
        Channel::Paper,
        Channel::Event,
        Channel::Partner,
        Channel::Email,
    ];
    let mut ids = BTreeMap::new();
    for (c, channel) in channels.into_iter().enumerate() {
        let indices: Vec<usize> = (0..RESPONSES).filter(|i| i % channels.len() == c).collect();
        let rows = indices
            .iter()
            .map(|&i| {
                let (version, answers) = answers(i);
                let masked = answers
                    .iter()
                    .filter_map(|(q, a)| match a {
                        AnswerValue::Text(t) => Some((q.clone(), masked(t))),
                        _ => None,
                    })
                    .collect();
                ImportRow::new(
                    ImportKey::of_source_id("every-type", channel, &i.to_string()),
                    version.into(),
                    answers,
                    Protection {
                        masked,
                        ..Protection::default()
                    },
                )
            })
            .collect();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("day");
        let outcome = rt
            .block_on(store.import("test", "every-type", channel, rows, day))
            .expect("import");
        for (i, id) in indices.into_iter().zip(outcome.stored) {
            ids.insert(id.expect("new"), i);
        }
    }
    store.close();
    ids
}

fn export(db: &str, format: &str, target: &Path) {
    let survey = every_type();
    let out = heard(&[
        "export",
        survey.to_str().expect("path"),
        "--format",
        format,
        "--rows",
        "--as",
        "ana",
        "-o",
        target.to_str().expect("path"),
        "--db",
        db,
    ]);
    assert!(
        out.status.success(),
        "{format}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains(&format!("{RESPONSES} responses")), "{said}");
}

/// Checks that `rows` (response number and free text, in file order) hold every response once,
/// in order, each with its own answer.
fn every_response_once(format: &str, rows: &[(i64, String)], ids: &BTreeMap<i64, usize>) {
    assert_eq!(rows.len(), RESPONSES, "{format}: one row per response");
    let mut seen = BTreeMap::new();
    for (id, text) in rows {
        *seen.entry(*id).or_insert(0) += 1;
        let i = ids[id];
        let expected = match answers(i).1.get("anything-else") {
            Some(AnswerValue::Text(t)) => masked(t),
            _ => String::new(),
        };
        assert_eq!(
            *text, expected,
            "{format}: response {id}'s own answer, masked"
        );
    }
    assert!(
        seen.values().all(|n| *n == 1),
        "{format}: each exactly once"
    );
    assert!(seen.keys().eq(ids.keys()), "{format}: every response");
    assert!(
        rows.windows(2).all(|w| w[0].0 < w[1].0),
        "{format}: in order of response"
    );
}

#[test]
fn thousands_of_responses_come_out_once_each_in_every_row_level_format() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("heard.db");
    let ids = consultation(&db);
    let d = db.to_str().expect("path").to_string();
    add_analyst(&d);

    let csv_file = dir.path().join("rows.csv");
    export(&d, "csv", &csv_file);
    let bytes = std::fs::read(&csv_file).expect("csv");
    assert!(
        bytes.len() > 16 * 8192,
        "larger than the writer's buffer many times over"
    );
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let headers = r.headers().expect("header").clone();
    let at = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (response, text) = (at("response"), at("anything-else"));
    let rows: Vec<(i64, String)> = r
        .records()
        .map(|rec| {
            let rec = rec.expect("row");
            (
                rec[response].parse().expect("number"),
                rec[text].to_string(),
            )
        })
        .collect();
    every_response_once("csv", &rows, &ids);

    let json_file = dir.path().join("rows.json");
    export(&d, "json", &json_file);
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json_file).expect("json")).expect("valid json");
    assert_eq!(doc["format"], "heard-export/3");
    assert_eq!(doc["responses"]["total"], RESPONSES);
    let records = doc["records"].as_array().expect("records");
    let rows: Vec<(i64, String)> = records
        .iter()
        .map(|rec| {
            let text = rec["anything-else"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            (rec["response"].as_i64().expect("number"), text)
        })
        .collect();
    every_response_once("json", &rows, &ids);
    for rec in records {
        let rec = rec.as_object().expect("a record");
        let asks = |q: &str| rec.contains_key(q);
        match rec["version"].as_str() {
            // `happy` is asked in the easy version only, `workers` in the standard one.
            Some("easy") => assert!(asks("happy") && !asks("workers"), "{rec:?}"),
            Some("standard") => assert!(!asks("happy") && asks("workers"), "{rec:?}"),
            // A version blanked for k-anonymity keeps every key: which keys a record had would
            // tell its version.
            _ => assert!(asks("happy") && asks("workers"), "{rec:?}"),
        }
    }

    let xlsx_file = dir.path().join("rows.xlsx");
    export(&d, "xlsx", &xlsx_file);
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(std::fs::read(&xlsx_file).expect("xlsx")))
            .expect("a spreadsheet");
    let sheet = book.worksheet_range("Responses").expect("responses sheet");
    let mut lines = sheet.rows();
    let headers: Vec<String> = lines
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    let at = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (response, text) = (at("response"), at("anything-else"));
    let rows: Vec<(i64, String)> = lines
        .map(|l| {
            let id = match &l[response] {
                Data::Float(f) => *f as i64,
                Data::Int(n) => *n,
                other => panic!("a response number, not {other:?}"),
            };
            let text = match &l[text] {
                Data::Empty => String::new(),
                other => other.to_string(),
            };
            (id, text)
        })
        .collect();
    every_response_once("xlsx", &rows, &ids);
}
