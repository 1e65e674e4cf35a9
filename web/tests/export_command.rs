//! `heard export` from the command line: each format written to its file (or standard output),
//! readable back, and clear refusals for a bad threshold, a missing database or survey.
use std::path::{Path, PathBuf};
use std::process::Command;

fn voices() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/workspace/voices.toml")
}

fn heard(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_heard"))
        .args(args)
        .output()
        .expect("heard runs")
}

#[test]
fn every_format_is_written_and_reads_back() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("heard.db");
    engine::Store::open(&db).expect("store").close();
    let rows = dir.path().join("rows.csv");
    let mut file = String::from("version,setting,better\n");
    for i in 0..12 {
        let setting = if i < 9 { "foster" } else { "kinship" };
        file.push_str(&format!("young,{setting},answer number {i} about school\n"));
    }
    std::fs::write(&rows, file).expect("rows");
    let (s, d) = (voices(), db.to_str().expect("path").to_string());
    let s = s.to_str().expect("path");
    let out = heard(&[
        "import",
        s,
        rows.to_str().expect("path"),
        "--channel",
        "event",
        "--db",
        &d,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    for format in ["csv", "xlsx", "json", "html"] {
        let target = dir.path().join(format!("out.{format}"));
        let out = heard(&[
            "export",
            s,
            "--format",
            format,
            "-o",
            target.to_str().expect("path"),
            "--db",
            &d,
        ]);
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("12 responses"));
        let bytes = std::fs::read(&target).expect("written");
        match format {
            "csv" => {
                let mut r = csv::Reader::from_reader(&bytes[3..]);
                assert_eq!(r.records().count(), 12);
            }
            "xlsx" => assert!(bytes.starts_with(b"PK"), "a zip container"),
            "json" => {
                let v: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
                assert_eq!(v["responses"]["total"], 12);
                let setting = &v["questions"][0];
                assert_eq!(setting["id"], "setting");
                // 9 foster, 3 kinship, none in the other two: the 3 and the zeros are hidden;
                // the 9 is safe to show, since 12 - 9 only says the hidden three add up to 3.
                assert_eq!(setting["choices"][0]["n"], 9);
                assert_eq!(setting["choices"][1]["n"], "c");
                assert_eq!(setting["choices"][2]["n"], "c");
                assert_eq!(setting["answered"], 12);
            }
            _ => assert!(String::from_utf8_lossy(&bytes).contains("fewer than 5")),
        }
    }
    // Standard output, and a higher threshold hiding the 9 too.
    let out = heard(&[
        "export",
        s,
        "--format",
        "json",
        "-o",
        "-",
        "--threshold",
        "10",
        "--db",
        &d,
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["questions"][0]["choices"][0]["n"], "c");
    assert_eq!(v["threshold"], 10);
    let audited: i64 = rusqlite::Connection::open(&db)
        .expect("db")
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'exported'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(audited, 5);
}

#[test]
fn bad_requests_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().expect("dir");
    let target = dir.path().join("out.csv");
    let t = target.to_str().expect("path");
    let s = voices();
    let s = s.to_str().expect("path");
    let missing = dir.path().join("missing.db");
    let out = heard(&[
        "export",
        s,
        "--format",
        "csv",
        "-o",
        t,
        "--db",
        missing.to_str().expect("path"),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no database at"));
    let db = dir.path().join("heard.db");
    engine::Store::open(&db).expect("store").close();
    let d = db.to_str().expect("path");
    for (args, says) in [
        (vec!["--threshold", "0"], "out of range"),
        (vec!["--threshold", "500"], "out of range"),
    ] {
        let mut all = vec!["export", s, "--format", "csv", "-o", t, "--db", d];
        all.extend(args);
        let out = heard(&all);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains(says));
    }
    let out = heard(&["export", s, "--format", "pdf", "-o", t, "--db", d]);
    assert!(!out.status.success(), "an unknown format");
    assert!(!target.exists(), "nothing written");
}
