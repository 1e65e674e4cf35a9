//! `heard export` from the command line: each format written to its file (or standard output),
//! readable back; row-level output only with `--rows --as` an analyst's or admin's account,
//! recorded under it; clear refusals, with nothing written, for a commissioner's account, no
//! account, an unknown or disabled one, a bad threshold, a missing database or survey.
use std::io::Write;
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

/// Imports `file` into `db` through `heard import`, as answers from `channel`.
fn import(survey: &str, file: &Path, channel: &str, db: &str) {
    let out = heard(&[
        "import",
        survey,
        file.to_str().expect("path"),
        "--channel",
        channel,
        "--db",
        db,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Adds an account through `heard user add`.
fn add_user(db: &str, name: &str, role: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_heard"))
        .args([
            "user",
            "add",
            name,
            "--role",
            role,
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
    assert!(child.wait().expect("heard ends").success(), "{name} added");
}

fn audit(db: &Path) -> Vec<(String, String)> {
    let c = rusqlite::Connection::open(db).expect("db");
    let mut st = c
        .prepare("SELECT user_name, detail FROM audit WHERE action = 'exported' ORDER BY id")
        .expect("query");
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect()
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
    import(s, &rows, "event", &d);

    add_user(&d, "ana", "analyst");

    for format in ["csv", "xlsx", "json", "html"] {
        let target = dir.path().join(format!("out.{format}"));
        let mut args = vec![
            "export",
            s,
            "--format",
            format,
            "-o",
            target.to_str().expect("path"),
            "--db",
            &d,
        ];
        // The CSV is the responses one row each: an analyst's.
        if format == "csv" {
            args.extend(["--rows", "--as", "ana"]);
        }
        let out = heard(&args);
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
                assert!(v.get("records").is_none(), "a summary holds no rows");
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
    let audited = audit(&db);
    assert_eq!(audited.len(), 5);
    assert_eq!(
        audited[0].0, "ana",
        "the row-level CSV under the analyst's name"
    );
    assert!(
        audited[0]
            .1
            .starts_with("row-level csv (12 responses), threshold 5")
            && audited[0].1.ends_with("from the command line"),
        "{audited:?}"
    );
    assert_eq!(audited[1].0, "heard export (command line)");
    assert_eq!(audited[1].1, "xlsx, threshold 5");
}

#[test]
fn row_level_output_needs_an_analyst_or_admin_account() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("heard.db");
    engine::Store::open(&db).expect("store").close();
    let rows = dir.path().join("rows.csv");
    // Ten in foster care in the north; one in a children's home in the south, by email.
    let mut file = String::from("version,setting,region,better\n");
    for i in 0..10 {
        file.push_str(&format!("young,foster,north,answer number {i}\n"));
    }
    std::fs::write(&rows, file).expect("rows");
    let lone = dir.path().join("lone.csv");
    std::fs::write(
        &lone,
        "version,setting,region,better\nadult,residential,south,a lone answer\n",
    )
    .expect("rows");
    let d = db.to_str().expect("path").to_string();
    let s = voices();
    let s = s.to_str().expect("path");
    import(s, &rows, "paper", &d);
    import(s, &lone, "email", &d);
    for (name, role) in [
        ("ana", "analyst"),
        ("ada", "admin"),
        ("cam", "commissioner"),
    ] {
        add_user(&d, name, role);
    }
    add_user(&d, "old", "analyst");
    let out = heard(&["user", "disable", "old", "--db", &d]);
    assert!(out.status.success());

    let target = dir.path().join("out.csv");
    let t = target.to_str().expect("path");
    let base = ["export", s, "-o", t, "--db", &d];
    for (extra, says) in [
        (
            vec!["--format", "csv", "--rows", "--as", "cam"],
            "cam is a commissioner account",
        ),
        (
            vec!["--format", "xlsx", "--rows", "--as", "cam"],
            "drop --rows for the summary",
        ),
        (vec!["--format", "json", "--rows"], "add --as NAME"),
        (vec!["--format", "csv"], "add --rows --as NAME"),
        (
            vec!["--format", "csv", "--rows", "--as", "nobody"],
            "no account called nobody",
        ),
        (vec!["--format", "csv", "--rows", "--as", "old"], "disabled"),
        (
            vec!["--format", "html", "--rows", "--as", "ana"],
            "drop --rows",
        ),
    ] {
        let mut args = base.to_vec();
        args.extend(extra.iter().copied());
        let out = heard(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{extra:?} refused");
        assert!(err.contains(says), "{extra:?}: {err}");
        assert!(!target.exists(), "{extra:?}: nothing written");
        assert!(
            !dir.path().join("out.csv.partial").exists(),
            "{extra:?}: not even in part"
        );
    }
    assert!(audit(&db).is_empty(), "nothing refused is recorded");

    // A commissioner's account still takes summaries.
    let out = heard(&[
        "export", s, "--format", "json", "--as", "cam", "-o", "-", "--db", &d,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(v.get("records").is_none());

    // The admin's rows: the lone response's rare values blanked, and the note says so.
    let out = heard(&[
        "export", s, "--format", "json", "--rows", "--as", "ada", "-o", "-", "--db", &d,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let records = v["records"].as_array().expect("records");
    assert_eq!(records.len(), 11);
    for r in records {
        let mix = ["version", "setting", "region", "channel"].map(|c| r[c].clone());
        let shared = records
            .iter()
            .filter(|o| ["version", "setting", "region", "channel"].map(|c| o[c].clone()) == mix)
            .count();
        assert!(shared >= 5, "{mix:?} shared by {shared}");
    }
    assert!(
        !records
            .iter()
            .any(|r| r["channel"] == "email" || r["region"] == "South"),
        "the lone row's rare values are gone"
    );
    let changed = v["row_level"]["rows_changed"].as_i64().expect("rows");
    assert!(changed >= 1);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(&format!("{changed} rows were changed")),
        "the note on standard error too"
    );
    let audited = audit(&db);
    assert_eq!(audited.len(), 2);
    assert_eq!(audited[0].0, "cam");
    assert_eq!(audited[0].1, "json, threshold 5, from the command line");
    assert_eq!(audited[1].0, "ada");
    assert!(
        audited[1].1.starts_with("row-level json (11 responses)"),
        "{audited:?}"
    );
}

#[test]
fn answers_an_earlier_masker_stored_are_masked_again_before_an_export() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("heard.db");
    engine::Store::open(&db).expect("store").close();
    let rows = dir.path().join("rows.csv");
    let mut file = String::from("version,setting,better\n");
    for i in 0..6 {
        file.push_str(&format!(
            "young,foster,i came on ۱۵ آبان ۱۳۹۵ and want trip {i}\n"
        ));
    }
    std::fs::write(&rows, file).expect("rows");
    let (s, d) = (voices(), db.to_str().expect("path").to_string());
    let s = s.to_str().expect("path");
    import(s, &rows, "event", &d);
    add_user(&d, "ana", "analyst");
    // As a masker that knew no Persian dates left them, and the database says so.
    let c = rusqlite::Connection::open(&db).expect("db");
    c.execute_batch(
        "UPDATE answers SET masked = text WHERE text IS NOT NULL;
         INSERT INTO meta (key, value) VALUES ('masked_with', '1');",
    )
    .expect("an earlier masker's copies");
    drop(c);

    // A refused export changes nothing, the earlier masker's copies included.
    let out = heard(&[
        "export", s, "--format", "csv", "--rows", "-o", "-", "--db", &d,
    ]);
    assert!(!out.status.success());
    let stale: i64 = rusqlite::Connection::open(&db)
        .and_then(|c| {
            c.query_row(
                "SELECT count(*) FROM answers WHERE masked LIKE '%۱۳۹۵%'",
                [],
                |r| r.get(0),
            )
        })
        .expect("count");
    assert_eq!(stale, 6);

    let out = heard(&[
        "export", s, "--format", "csv", "--rows", "--as", "ana", "-o", "-", "--db", &d,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(!csv.contains("۱۳۹۵"), "{csv}");
    assert_eq!(
        csv.matches("i came on [date] and want trip").count(),
        6,
        "{csv}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("6 stored answer(s) masked again first"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn bad_requests_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().expect("dir");
    let target = dir.path().join("out.xlsx");
    let t = target.to_str().expect("path");
    let s = voices();
    let s = s.to_str().expect("path");
    let missing = dir.path().join("missing.db");
    let out = heard(&[
        "export",
        s,
        "--format",
        "xlsx",
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
        let mut all = vec!["export", s, "--format", "xlsx", "-o", t, "--db", d];
        all.extend(args);
        let out = heard(&all);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains(says));
    }
    let out = heard(&["export", s, "--format", "pdf", "-o", t, "--db", d]);
    assert!(!out.status.success(), "an unknown format");
    assert!(!target.exists(), "nothing written");
}
