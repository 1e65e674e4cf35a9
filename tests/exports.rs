//! Exports end to end over real HTTP against a real SQLite file: a commissioner's summary
//! spreadsheet (read back with calamine and checked against the database), an analyst's
//! responses as CSV (parsed back) and in the spreadsheet, JSON and the printable report; small
//! numbers suppressed, primary and secondary, in every one; formula payloads inert; personal
//! data masked; every export audited; each role's access. Row-level data's protection is in
//! `row_level.rs`.
use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use engine::AnswerValue;
use serde_json::Value;
use support::TestServer;
use support::consultation::{PAYLOADS, consultation, export};
use support::workspace::sign_in;

/// How a payload must come out: masked as analysts see it (the link in the first is "[link]"),
/// then with an apostrophe first if it still starts a formula.
fn inert(s: &TestServer, payload: &str) -> String {
    let masked: String = s
        .db()
        .query_row(
            "SELECT masked FROM answers WHERE question_id = 'better' AND text = ?1",
            [payload],
            |r| r.get(0),
        )
        .expect("the payload is stored");
    if masked.starts_with(['=', '+', '-', '@']) {
        format!("'{masked}")
    } else {
        masked
    }
}

/// (choice id, responses that chose it) for a question, from the database.
fn counts(s: &TestServer, question: &str) -> BTreeMap<String, i64> {
    let db = s.db();
    let mut st = db
        .prepare("SELECT value, count(*) FROM answers WHERE question_id = ?1 GROUP BY 1")
        .expect("query");
    st.query_map([question], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })
    .expect("rows")
    .map(|r| {
        let (v, n) = r.expect("row");
        let id = AnswerValue::from_json(&v)
            .and_then(|a| a.chosen().first().map(|s| s.to_string()))
            .unwrap_or(v);
        (id, n)
    })
    .collect()
}

/// A published count in JSON: Some(n), or None for "c".
fn figure(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(c) if c == "c" => None,
        other => panic!("a count is a number or \"c\", not {other}"),
    }
}

#[test]
fn the_spreadsheet_reads_back_with_the_databases_numbers_suppressed() {
    let (s, ana) = consultation();
    let cam = sign_in(&s, "cam");
    let (status, headers, bytes) = export(&cam, "xlsx", "5");
    assert_eq!(status, 200);
    assert!(
        headers["content-disposition"]
            .to_str()
            .expect("header")
            .starts_with("attachment; filename=\"voices-")
    );
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx");
    let names = book.sheet_names().to_vec();
    for sheet in ["Summary", "setting", "region", "listened", "Themes"] {
        assert!(
            names.contains(&sheet.to_string()),
            "sheet {sheet} in {names:?}"
        );
    }
    assert!(
        !names.contains(&"Responses".to_string()),
        "a commissioner's spreadsheet has no rows: {names:?}"
    );
    let total = s.count("SELECT count(*) FROM responses");
    let summary = book.worksheet_range("Summary").expect("summary");
    let row_of = |range: &calamine::Range<Data>, label: &str| -> Vec<Data> {
        range
            .rows()
            .find(|r| r.first().map(|c| c.to_string()) == Some(label.to_string()))
            .unwrap_or_else(|| panic!("a row {label}"))
            .to_vec()
    };
    assert_eq!(row_of(&summary, "Responses")[1], Data::Float(total as f64));

    // Overall counts per choice, as in the database: published when 5 or more, "c" below, and
    // never exactly one hidden count in the line (3 chose "prefer not to say").
    let labels = [
        ("foster", "Foster care"),
        ("residential", "Children's home"),
        ("kinship", "Kinship care"),
        ("prefer_not_to_say", "Prefer not to say"),
    ];
    let db = counts(&s, "setting");
    assert_eq!(db.get("prefer_not_to_say"), Some(&3));
    let sheet = book.worksheet_range("setting").expect("setting sheet");
    let mut hidden = 0;
    for (id, label) in labels {
        let n = *db.get(id).unwrap_or(&0);
        let row = row_of(&sheet, label);
        match &row[1] {
            Data::Float(f) => {
                assert_eq!(*f as i64, n, "{label}");
                assert!(n >= 5, "{label}: {n} published");
                let pct = match &row[2] {
                    Data::Float(p) => *p,
                    other => panic!("a percentage, not {other:?}"),
                };
                let answered: i64 = db.values().sum();
                assert!((pct - 100.0 * n as f64 / answered as f64).abs() < 0.06);
            }
            Data::String(c) if c == "c" => {
                hidden += 1;
                assert_eq!(
                    row[2],
                    Data::Empty,
                    "{label}: no percentage for a hidden count"
                );
            }
            other => panic!("{label}: {other:?}"),
        }
    }
    assert!(hidden >= 2, "the small count and a second one are hidden");

    // The analyst's spreadsheet has the responses sheet: every response, the payloads as text
    // starting with an apostrophe. At threshold 1 no row is coarsened (`row_level.rs` has the
    // usual threshold), so every paper form keeps its channel.
    let (status, headers, bytes) = export(&ana, "xlsx-rows", "1");
    assert_eq!(status, 200);
    assert!(
        headers["content-disposition"]
            .to_str()
            .expect("header")
            .ends_with("-responses.xlsx\""),
        "{headers:?}"
    );
    let mut rows_book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx");
    let responses = rows_book.worksheet_range("Responses").expect("responses");
    assert_eq!(responses.rows().count() as i64, total + 1);
    let headers: Vec<String> = responses
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    let better = headers
        .iter()
        .position(|h| h == "better")
        .expect("better column");
    let channel = headers
        .iter()
        .position(|h| h == "channel")
        .expect("channel column");
    let texts: Vec<String> = responses
        .rows()
        .skip(1)
        .map(|r| r[better].to_string())
        .collect();
    for p in PAYLOADS {
        assert!(texts.contains(&inert(&s, p)), "{p} made inert");
    }
    assert!(
        !texts.iter().any(|t| t.contains("07700")),
        "phone numbers masked"
    );
    assert!(texts.iter().any(|t| t.contains("[phone number]")));
    let paper = responses
        .rows()
        .skip(1)
        .filter(|r| r[channel] == "paper")
        .count();
    assert_eq!(paper, 6, "imported answers with their channel");

    // Themes: sizes add up with the unthemed to every answer; quotes only from large themes.
    let themes = book.worksheet_range("Themes").expect("themes");
    let mut sizes = 0;
    for r in themes.rows().skip(1) {
        if r.get(1).map(|c| c.to_string()).as_deref() == Some("All answers") {
            assert_eq!(
                r[2],
                Data::Float(
                    s.count("SELECT count(*) FROM answers WHERE question_id = 'better'") as f64
                )
            );
            continue;
        }
        match r.get(2) {
            // An empty "not in any theme" group is no one, so its 0 is shown (by meaning,
            // every answer with a letter in it has a theme).
            Some(Data::Float(n)) if *n == 0.0 => {
                assert_eq!(
                    r.get(1).map(|c| c.to_string()).as_deref(),
                    Some("Not in any theme")
                );
            }
            Some(Data::Float(n)) => {
                assert!(*n >= 5.0);
                sizes += 1;
            }
            Some(Data::String(c)) if c == "c" => {
                assert!(
                    r.get(5).is_none_or(|q| *q == Data::Empty),
                    "no quote from a small theme"
                );
            }
            _ => {}
        }
    }
    assert!(sizes >= 3, "the large themes are published");

    // Exports are audited, row-level ones as such, and refused outside the roles.
    assert_eq!(
        s.count(
            "SELECT count(*) FROM audit WHERE action = 'exported' AND user_name = 'cam' \
             AND detail = 'xlsx, threshold 5'"
        ),
        1
    );
    assert_eq!(
        s.count(
            "SELECT count(*) FROM audit WHERE action = 'exported' AND user_name = 'ana' \
             AND detail LIKE 'row-level xlsx (%), threshold 1; 0 rows changed%'"
        ),
        1
    );
    let sal = sign_in(&s, "sal");
    assert_eq!(export(&sal, "csv", "5").0, 403);
    // A bad threshold or format is a clear answer, and nothing is recorded.
    let (status, _, body) = export(&ana, "xlsx", "0");
    assert_eq!(status, 422);
    assert!(String::from_utf8_lossy(&body).contains("whole number from 1 to 100"));
    let (status, _, body) = export(&ana, "pdf", "5");
    assert_eq!(status, 422);
    assert!(String::from_utf8_lossy(&body).contains("Choose what to export"));
    assert_eq!(
        s.count("SELECT count(*) FROM audit WHERE action = 'exported'"),
        2
    );
}

#[test]
fn csv_json_and_the_report_suppress_and_protect_the_same_way() {
    let (s, ana) = consultation();
    let total = s.count("SELECT count(*) FROM responses");

    // CSV: a byte-order mark, then rows a CSV parser reads back whole.
    let (status, headers, bytes) = export(&ana, "csv", "5");
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(
        &header[..4],
        ["response", "submitted_on", "version", "channel"]
    );
    assert!(header.contains(&"better theme".to_string()));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len() as i64, total);
    let better = header.iter().position(|h| h == "better").expect("better");
    for p in PAYLOADS {
        assert!(rows.iter().any(|r| r[better] == inert(&s, p)), "{p}");
    }
    for r in &rows {
        for cell in r.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "no cell starts a formula: {cell}"
            );
        }
    }

    // JSON: the documented layout; every published count at or above the threshold; no line
    // of a breakdown with exactly one hidden figure.
    for threshold in [5, 10] {
        let (status, _, bytes) = export(&ana, "json", &threshold.to_string());
        assert_eq!(status, 200);
        let doc: Value = serde_json::from_slice(&bytes).expect("json");
        assert_eq!(doc["format"], "heard-export/3");
        assert_eq!(doc["threshold"], threshold);
        assert_eq!(doc["responses"]["total"], total);
        assert!(
            doc.get("records").is_none() && doc.get("row_level").is_none(),
            "the summary JSON holds no rows"
        );
        let mut hidden_seen = 0;
        for q in doc["questions"].as_array().expect("questions") {
            for c in q["choices"].as_array().expect("choices") {
                if let Some(n) = figure(&c["n"]) {
                    assert!(n >= threshold, "{q}");
                } else {
                    assert!(c["percent"].is_null());
                    hidden_seen += 1;
                }
            }
            for b in q["breakdowns"].as_array().expect("breakdowns") {
                let totals: Vec<Option<i64>> = b["totals"]
                    .as_array()
                    .expect("totals")
                    .iter()
                    .map(figure)
                    .collect();
                let rows = b["rows"].as_array().expect("rows");
                for r in rows {
                    let cells: Vec<Option<i64>> = r["cells"]
                        .as_array()
                        .expect("cells")
                        .iter()
                        .map(figure)
                        .collect();
                    for n in cells.iter().flatten() {
                        assert!(*n >= threshold);
                    }
                    let hidden = cells.iter().filter(|c| c.is_none()).count()
                        + figure(&r["total"]).is_none() as usize;
                    assert_ne!(hidden, 1, "a row gives a hidden count away: {r}");
                }
                if q["type"] != "multiple" {
                    for (col, t) in totals.iter().enumerate() {
                        let hidden = rows
                            .iter()
                            .filter(|r| figure(&r["cells"][col]).is_none())
                            .count()
                            + t.is_none() as usize;
                        assert_ne!(hidden, 1, "a column gives a hidden count away: {b}");
                    }
                }
            }
        }
        assert!(hidden_seen > 0);
        assert!(doc["suppression"]["primary"].as_i64().expect("primary") > 0);
        assert!(doc["suppression"]["secondary"].as_i64().expect("secondary") > 0);
        let run = &doc["free_text"][0]["run"];
        assert_eq!(run["seed"], 7);
        assert_eq!(run["k"], 4);
        for t in doc["free_text"][0]["themes"].as_array().expect("themes") {
            if figure(&t["size"]).is_none() {
                assert!(t["quotes"].as_array().expect("quotes").is_empty());
            }
        }
        assert!(!String::from_utf8_lossy(&bytes).contains("07700"));
    }

    // The printable report: served inline, its own stylesheet allowed by hash, no script.
    let (status, headers, bytes) = export(&ana, "html", "5");
    assert_eq!(status, 200);
    assert!(
        headers["content-disposition"]
            .to_str()
            .expect("header")
            .starts_with("inline")
    );
    let csp = headers["content-security-policy"].to_str().expect("csp");
    assert!(
        csp.contains("style-src 'sha256-") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe"));
    let html = String::from_utf8(bytes).expect("utf-8");
    // For a person to look at (print it to PDF): HEARD_EXPORT_SAMPLES=folder.
    if let Ok(dir) = std::env::var("HEARD_EXPORT_SAMPLES") {
        std::fs::write(std::path::Path::new(&dir).join("report.html"), &html).expect("sample");
    }
    assert!(!html.contains("<script"));
    assert!(html.contains("fewer than 5"));
    assert!(html.contains("<svg") && html.contains("<desc"));
    assert!(
        html.contains("seed 7"),
        "the method note says how themes were made"
    );
    assert!(html.contains("Paper form"), "responses by channel");
    assert!(!html.contains("07700"));
    assert!(
        !html.contains("=HYPERLINK(\"http"),
        "markup and payloads escaped"
    );
    assert_eq!(
        s.count("SELECT count(*) FROM audit WHERE action = 'exported'"),
        4
    );
}

#[test]
fn a_download_waits_while_stored_answers_are_masked_again_after_an_upgrade() {
    let (s, ana) = consultation();
    // As `heard serve` sets it while it masks stored answers again with a newer masker.
    s.state
        .remasking
        .store(true, std::sync::atomic::Ordering::Release);
    let (status, headers, body) = export(&ana, "csv", "5");
    assert_eq!(status, 503);
    assert_eq!(headers["retry-after"], "10");
    let page = String::from_utf8_lossy(&body);
    assert!(page.contains("masking stored answers again"), "{page}");
    assert!(page.contains("Nothing was exported"));
    // A notice about the page, not an error on the format field: nothing chosen was wrong.
    assert!(
        page.contains("<p class=\"notice\" role=\"status\""),
        "{page}"
    );
    assert!(
        !page.contains("error-summary") && !page.contains("field-error"),
        "{page}"
    );
    assert_eq!(
        s.count("SELECT count(*) FROM audit WHERE action = 'exported'"),
        0
    );
    // Once it is done, the same request is served and recorded.
    s.state
        .remasking
        .store(false, std::sync::atomic::Ordering::Release);
    assert_eq!(export(&ana, "csv", "5").0, 200);
    assert_eq!(
        s.count("SELECT count(*) FROM audit WHERE action = 'exported'"),
        1
    );
}
