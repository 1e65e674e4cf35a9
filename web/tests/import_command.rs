//! `heard import` on CSV files: rows checked like web answers, refused rows reported by number,
//! line and reason with nothing of them stored, columns mapped, and a file imported twice (or a
//! partner's export with its own row ids, re-sent with more rows) stored once.
use std::path::{Path, PathBuf};
use std::process::Command;

fn voices() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/workspace/voices.toml")
}

fn heard(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_heard"))
        .args(args)
        .output()
        .expect("heard runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db)
        .expect("db")
        .query_row(sql, [], |r| r.get(0))
        .expect("count")
}

/// A database as `heard serve` leaves it: created and migrated.
fn database(dir: &Path) -> PathBuf {
    let db = dir.join("heard.db");
    engine::Store::open(&db).expect("store").close();
    db
}

#[test]
fn a_file_is_checked_row_by_row_and_stored_once() {
    let dir = tempfile::tempdir().expect("dir");
    let db = database(dir.path());
    let file = dir.path().join("event.csv");
    std::fs::write(
        &file,
        "Where do you live?,region,better,version\n\
         foster,north,more say in my plans,young\n\
         a castle,north,ok,young\n\
         kinship,south,\"line one\nline two\",adult\n\
         residential,west,hi,adult\n\
         foster,north,more say in my plans,young\n",
    )
    .expect("file");
    let survey = voices();
    let args = [
        "import",
        survey.to_str().expect("path"),
        file.to_str().expect("path"),
        "--channel",
        "event",
        "--map",
        "Where do you live?=setting",
        "--db",
        db.to_str().expect("path"),
    ];
    let (ok, out, err) = heard(&args);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains(
            "refused row 2 (line 3 of the file): question `setting` does not offer `a castle`"
        ),
        "{out}"
    );
    // The quoted newline makes row 4 start on line 6.
    assert!(
        out.contains("refused row 4 (line 6 of the file): question `region` does not offer `west`"),
        "{out}"
    );
    assert!(
        out.contains("3 imported, 0 already imported before, 2 refused"),
        "{out}"
    );
    // The learned layer has read every imported answer before the command ends.
    assert!(
        out.contains("the learned screening layer read 3 answer(s) and raised 0 more flag(s)"),
        "{out}"
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM answers WHERE weighed <= 0"),
        0
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM responses WHERE channel = 'event'"
        ),
        3
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM answers WHERE question_id = 'better' AND text = 'line one' || char(10) || 'line two'"
        ),
        1
    );
    // Two children who wrote the same thing are two responses; the same file again adds nothing.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM answers WHERE text LIKE '%more say in my plans%'"
        ),
        2
    );
    let (ok, out, _) = heard(&args);
    assert!(ok);
    assert!(
        out.contains("0 imported, 3 already imported before, 2 refused"),
        "{out}"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM responses"), 3);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM audit WHERE action = 'answers imported'"
        ),
        2
    );
}

#[test]
fn a_partners_rows_are_known_by_their_ids() {
    let dir = tempfile::tempdir().expect("dir");
    let db = database(dir.path());
    let survey = voices();
    let first = dir.path().join("partner-1.csv");
    std::fs::write(
        &first,
        "ref,setting,better\nP-1,foster,a\nP-2,foster,b\nP-2,foster,c\n",
    )
    .expect("file");
    let run = |file: &Path| {
        heard(&[
            "import",
            survey.to_str().expect("path"),
            file.to_str().expect("path"),
            "--channel",
            "partner",
            "--version",
            "adult",
            "--id-column",
            "ref",
            "--db",
            db.to_str().expect("path"),
        ])
    };
    let (ok, out, err) = run(&first);
    assert!(ok, "{err}");
    assert!(out.contains("id `P-2` is also the id of row 2"), "{out}");
    assert!(
        out.contains("2 imported, 0 already imported before, 1 refused"),
        "{out}"
    );
    // The partner sends its export again, with one answer corrected and one new row: rows are
    // known by id, so the corrected one is not stored twice.
    let second = dir.path().join("partner-2.csv");
    std::fs::write(
        &second,
        "ref,setting,better\nP-1,foster,a corrected\nP-3,kinship,d\n",
    )
    .expect("file");
    let (ok, out, _) = run(&second);
    assert!(ok);
    assert!(
        out.contains("1 imported, 1 already imported before, 0 refused"),
        "{out}"
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM responses WHERE channel = 'partner' AND version_id = 'adult'"
        ),
        3
    );
}

#[test]
fn whole_file_problems_are_explained_and_store_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let survey = voices();
    let file = dir.path().join("rows.csv");
    std::fs::write(&file, "setting,better\nfoster,hello\n").expect("file");
    let db = dir.path().join("missing.db");
    let s = survey.to_str().expect("path");
    let f = file.to_str().expect("path");
    let d = db.to_str().expect("path");
    // A file that cannot be used stores nothing, not even a new database's rows; the database
    // is made (answers may come on paper before the survey opens) and the command says so.
    let (ok, _, err) = heard(&["import", s, f, "--channel", "paper", "--db", d]);
    assert!(!ok);
    assert!(
        err.contains("no database at") && err.contains("creating it"),
        "{err}"
    );
    let db = database(dir.path());
    let d = db.to_str().expect("path");
    for (extra, says) in [
        (vec![], "no `version` column and no version was chosen"),
        (vec!["--version", "elders"], "`elders` is not a version"),
        (
            vec!["--version", "young", "--map", "nope=better"],
            "the file has no column `nope`",
        ),
        (
            vec!["--version", "young", "--map", "setting=nope"],
            "`nope` is not a question",
        ),
        (
            vec!["--version", "young", "--id-column", "ref"],
            "no column `ref` for ids",
        ),
    ] {
        let mut args = vec!["import", s, f, "--channel", "paper", "--db", d];
        args.extend(extra);
        let (ok, _, err) = heard(&args);
        assert!(!ok, "{args:?}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let (ok, _, err) = heard(&[
        "import",
        "no-such-survey",
        f,
        "--channel",
        "paper",
        "--db",
        d,
        "--surveys",
        s,
    ]);
    assert!(!ok);
    assert!(err.contains("no survey `no-such-survey`"), "{err}");
    assert_eq!(count(&db, "SELECT count(*) FROM responses"), 0);
}
