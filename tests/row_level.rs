//! Row-level data end to end over real HTTP against a real SQLite file: a commissioner is neither
//! offered nor given the responses one row each (not on the form; forged posts for each row-level
//! export refused with the reason, nothing exported, nothing recorded); an analyst's and an
//! admin's CSV, spreadsheet Responses sheet (read back with calamine) and JSON records of a
//! consultation with rare mixes of version, care setting, region and channel leave no mix shared
//! by fewer than the threshold, change nothing else, say how many rows and cells they changed,
//! and are recorded in the audit log as row-level.
use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use engine::AnswerValue;
use serde_json::Value;
use support::TestServer;
use support::consultation::{consultation, export};
use support::workspace::sign_in;

const ROW_LEVEL: [&str; 3] = ["csv", "xlsx-rows", "json-rows"];

/// The columns k-anonymity protects in the `voices` survey.
const MIX: [&str; 4] = ["version", "setting", "region", "channel"];

#[test]
fn a_commissioner_is_neither_offered_nor_given_row_level_data() {
    let (s, ana) = consultation();
    let cam = sign_in(&s, "cam");
    let form = cam.get("/admin/surveys/voices/export");
    assert_eq!(form.status, 200);
    for summary in ["xlsx", "json", "html"] {
        assert!(
            form.has(&format!("value=\"{summary}\"")),
            "{summary} offered"
        );
    }
    for rows in ROW_LEVEL {
        assert!(
            !form.has(&format!("value=\"{rows}\"")),
            "{rows} not offered"
        );
    }
    let analysts = ana.get("/admin/surveys/voices/export");
    for rows in ROW_LEVEL {
        assert!(
            analysts.has(&format!("value=\"{rows}\"")),
            "{rows} for analysts"
        );
    }

    let audit = |s: &TestServer| -> String {
        s.db()
            .query_row(
                "SELECT coalesce(group_concat(id || user_name || action || detail, '|'), '') \
                 FROM audit",
                [],
                |r| r.get(0),
            )
            .expect("audit")
    };
    let before = audit(&s);
    for kind in ROW_LEVEL {
        let (status, headers, body) = export(&cam, kind, "5");
        assert_eq!(status, 403, "{kind}");
        assert_eq!(headers["content-type"], "text/html; charset=utf-8");
        assert!(headers.get("content-disposition").is_none(), "no download");
        let page = String::from_utf8(body).expect("utf-8");
        assert!(
            page.contains("for analysts and admins only") && page.contains("Nothing was exported"),
            "{kind}: the reason is given: {page}"
        );
        assert!(!page.contains("submitted_on") && !page.contains("[phone number]"));
    }
    assert_eq!(audit(&s), before, "nothing recorded, nothing changed");
    // The summaries are still theirs.
    let (status, _, bytes) = export(&cam, "json", "5");
    assert_eq!(status, 200);
    let doc: Value = serde_json::from_slice(&bytes).expect("json");
    assert!(doc.get("records").is_none());
}

/// The truth in the database: per response, its version, channel, care setting and region (as
/// the export labels them) and its masked answer.
fn truth(s: &TestServer) -> HashMap<String, BTreeMap<&'static str, String>> {
    let label = |v: Option<String>| -> String {
        let id = v
            .and_then(|v| AnswerValue::from_json(&v))
            .and_then(|a| a.chosen().first().map(|c| c.to_string()))
            .unwrap_or_default();
        match id.as_str() {
            "foster" => "Foster care",
            "residential" => "Children's home",
            "kinship" => "Kinship care",
            "prefer_not_to_say" => "Prefer not to say",
            "north" => "North",
            "south" => "South",
            other => other,
        }
        .to_string()
    };
    let db = s.db();
    let mut st = db
        .prepare(
            "SELECT r.id, r.version_id, r.channel, \
             (SELECT value FROM answers WHERE response_id = r.id AND question_id = 'setting'), \
             (SELECT value FROM answers WHERE response_id = r.id AND question_id = 'region'), \
             (SELECT masked FROM answers WHERE response_id = r.id AND question_id = 'better') \
             FROM responses r",
        )
        .expect("query");
    st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?.to_string(),
            BTreeMap::from([
                ("version", r.get::<_, String>(1)?),
                ("channel", r.get::<_, String>(2)?),
                ("setting", label(r.get(3)?)),
                ("region", label(r.get(4)?)),
                ("better", r.get::<_, Option<String>>(5)?.unwrap_or_default()),
            ]),
        ))
    })
    .expect("rows")
    .map(|r| r.expect("row"))
    .collect()
}

/// A row-level export read back: its rows (column to text, blank for empty) and the rows and
/// cells its method note says were changed, if it has a note.
type Rows = Vec<BTreeMap<String, String>>;

fn read_back(kind: &str, bytes: Vec<u8>) -> (Rows, Option<(i64, i64)>) {
    match kind {
        "csv" => {
            let mut r = csv::Reader::from_reader(&bytes[3..]);
            let headers: Vec<String> = r
                .headers()
                .expect("header")
                .iter()
                .map(String::from)
                .collect();
            let rows = r
                .records()
                .map(|rec| {
                    headers
                        .iter()
                        .cloned()
                        .zip(rec.expect("row").iter().map(String::from))
                        .collect()
                })
                .collect();
            (rows, None)
        }
        "xlsx-rows" => {
            let mut book: Xlsx<_> =
                calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx");
            let sheet = book.worksheet_range("Responses").expect("responses sheet");
            let text = |c: &Data| match c {
                Data::Empty => String::new(),
                other => other.to_string(),
            };
            let mut lines = sheet.rows();
            let headers: Vec<String> = lines.next().expect("header").iter().map(text).collect();
            let rows = lines
                .map(|r| headers.iter().cloned().zip(r.iter().map(text)).collect())
                .collect();
            let summary = book.worksheet_range("Summary").expect("summary");
            let note = summary
                .rows()
                .flatten()
                .map(text)
                .find(|t| t.contains("rows were changed"))
                .expect("the method note on the summary sheet");
            (rows, Some(counts_in(&note)))
        }
        _ => {
            let doc: Value = serde_json::from_slice(&bytes).expect("json");
            let rows = doc["records"]
                .as_array()
                .expect("records")
                .iter()
                .map(|rec| {
                    rec.as_object()
                        .expect("a record")
                        .iter()
                        .map(|(k, v)| {
                            let v = match v {
                                Value::Null => String::new(),
                                Value::String(s) => s.clone(),
                                other => other.to_string(),
                            };
                            (k.clone(), v)
                        })
                        .collect()
                })
                .collect();
            let note = &doc["row_level"];
            assert_eq!(note["threshold"], doc["threshold"]);
            assert_eq!(
                note["attributes"],
                serde_json::json!(["version", "care_setting", "region", "channel"])
            );
            let counts = (
                note["rows_changed"].as_i64().expect("rows_changed"),
                note["cells_changed"].as_i64().expect("cells_changed"),
            );
            let explanation = note["explanation"].as_str().expect("explanation");
            assert_eq!(counts_in(explanation), counts);
            (rows, Some(counts))
        }
    }
}

/// (rows, cells) from "... 12 rows were changed, 30 cells blanked ...".
fn counts_in(note: &str) -> (i64, i64) {
    let words: Vec<&str> = note.split_whitespace().collect();
    let before = |word: &str| -> i64 {
        let i = words
            .windows(2)
            .position(|w| w[1].trim_end_matches(',') == word && w[0].parse::<i64>().is_ok())
            .unwrap_or_else(|| panic!("a count of {word} in {note}"));
        words[i].parse().expect("a number")
    };
    (before("rows"), before("cells"))
}

#[test]
fn row_level_exports_leave_no_rare_mix_and_say_what_they_changed() {
    let (s, _ana) = consultation();
    let truth = truth(&s);
    let mix_of = |r: &BTreeMap<&str, String>| MIX.map(|c| r[c].clone());
    let mut mixes: HashMap<[String; 4], usize> = HashMap::new();
    for r in truth.values() {
        *mixes.entry(mix_of(r)).or_default() += 1;
    }
    assert!(
        mixes.values().any(|n| *n < 5),
        "the consultation has rare mixes to protect: {mixes:?}"
    );

    let mut exported = 0;
    for (who, kind, threshold) in [
        ("ana", "csv", 5),
        ("ada", "xlsx-rows", 5),
        ("ana", "json-rows", 5),
        ("ada", "json-rows", 10),
    ] {
        let b = sign_in(&s, who);
        let (status, headers, bytes) = export(&b, kind, &threshold.to_string());
        assert_eq!(status, 200, "{kind}");
        assert!(
            headers["content-disposition"]
                .to_str()
                .expect("header")
                .starts_with("attachment")
        );
        exported += 1;
        let (rows, note) = read_back(kind, bytes);
        assert_eq!(rows.len(), truth.len(), "{kind}: every response");

        let mut sizes: HashMap<Vec<&str>, usize> = HashMap::new();
        for r in &rows {
            *sizes
                .entry(MIX.iter().map(|c| r[*c].as_str()).collect())
                .or_default() += 1;
        }
        for (mix, n) in &sizes {
            assert!(
                *n >= threshold,
                "{kind} at {threshold}: {mix:?} shared by {n}"
            );
        }

        // Only those cells changed, only to blank; count them as the note should.
        let (mut rows_changed, mut cells_changed) = (0, 0);
        for r in &rows {
            let t = &truth[&r["response"]];
            let better = &t["better"];
            // A spreadsheet would run a formula; JSON holds the text as it is.
            let safe = if kind != "json-rows" && better.starts_with(['=', '+', '-', '@']) {
                format!("'{better}")
            } else {
                better.clone()
            };
            assert_eq!(r["better"], safe, "{kind}: free text unchanged");
            let mut changed = false;
            for c in MIX {
                if r[c] != t[c] {
                    assert_eq!(r[c], "", "{kind}: {c} changed only to blank");
                    cells_changed += 1;
                    changed = true;
                }
            }
            rows_changed += changed as i64;
        }
        assert!(rows_changed > 0, "{kind}: the rare mixes were coarsened");
        let note = note.unwrap_or_else(|| {
            // The CSV has no room for a note: the audit log holds it.
            let detail: String = s
                .db()
                .query_row(
                    "SELECT detail FROM audit WHERE action = 'exported' ORDER BY id DESC LIMIT 1",
                    [],
                    |r| r.get(0),
                )
                .expect("audit entry");
            counts_in(&detail)
        });
        assert_eq!(
            note,
            (rows_changed, cells_changed),
            "{kind}: the note's counts"
        );

        let entry: (String, String) = s
            .db()
            .query_row(
                "SELECT user_name, detail FROM audit WHERE action = 'exported' ORDER BY id DESC \
                 LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("audit entry");
        assert_eq!(entry.0, who);
        let format = kind.trim_end_matches("-rows");
        assert!(
            entry.1.starts_with(&format!(
                "row-level {format} ({} responses), threshold {threshold}",
                truth.len()
            )),
            "{entry:?}"
        );
    }
    assert_eq!(
        s.count(
            "SELECT count(*) FROM audit WHERE action = 'exported' AND detail LIKE 'row-level%'"
        ),
        exported
    );
}
