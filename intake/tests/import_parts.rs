//! Importing a file larger than the part an import prepares and stores at a time, against a real
//! SQLite file: every row is stored once, the audit log says who began it and what it stored,
//! and a store that fails part way keeps what it stored, says so, and the same file imported
//! again stores only the rest.
use engine::import::Channel;
use engine::store::Store;
use intake::import::{ImportError, Options, import};
use intake::protect::Protector;

const ROWS: usize = 2_500;

fn survey() -> engine::Survey {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../surveys/care-review.toml");
    engine::survey::load_file(&path)
        .survey
        .expect("the care review survey loads")
}

/// Distinct rows, a few of them twice (two children who wrote the same are two responses).
fn file() -> String {
    let mut csv = String::from("version,one-change\n");
    for i in 0..ROWS {
        csv.push_str(&format!(
            "young,more trips out with my carers number {}\n",
            i % 2_400
        ));
    }
    csv
}

fn count(path: &std::path::Path, sql: &str) -> i64 {
    rusqlite::Connection::open(path)
        .and_then(|c| c.query_row(sql, [], |r| r.get(0)))
        .expect("the count reads")
}

async fn import_file(store: &Store) -> Result<intake::import::Report, ImportError> {
    let p = Protector::phrases_only(safeguard::Screener::builtin());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).expect("a day");
    let csv = file();
    import(
        store,
        "lead",
        &p,
        &survey(),
        Channel::Paper,
        csv.into_bytes(),
        &Options::default(),
        today,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_of_many_parts_is_stored_once_whole() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("h.db");
    let store = Store::open(&path).expect("store");
    let report = import_file(&store).await.expect("imported");
    assert_eq!((report.imported, report.already), (ROWS, 0));
    assert_eq!(count(&path, "SELECT count(*) FROM responses"), ROWS as i64);
    assert_eq!(
        count(&path, "SELECT count(DISTINCT text) FROM answers"),
        2_400
    );
    assert_eq!(
        count(&path, "SELECT sum(n) FROM response_tally"),
        ROWS as i64,
        "the dashboard's count has every row once"
    );
    let again = import_file(&store).await.expect("imported again");
    assert_eq!((again.imported, again.already), (0, ROWS));
    assert_eq!(count(&path, "SELECT count(*) FROM responses"), ROWS as i64);
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM audit WHERE action = 'answers import begun'"
        ),
        2
    );
    for detail in [
        "paper: 2500 imported, 0 already imported",
        "paper: 0 imported, 2500 already imported",
    ] {
        let sql = format!(
            "SELECT count(*) FROM audit WHERE action = 'answers imported' AND detail = '{detail}'"
        );
        assert_eq!(count(&path, &sql), 1, "{detail}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_that_fails_part_way_keeps_its_parts_and_the_file_again_adds_the_rest() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("h.db");
    let store = Store::open(&path).expect("store");
    // The disk "fills" at the 1,500th response: in the second part.
    rusqlite::Connection::open(&path)
        .and_then(|c| {
            c.execute_batch(
                "CREATE TRIGGER disk_full BEFORE INSERT ON responses
                 WHEN (SELECT count(*) FROM responses) >= 1500
                 BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
            )
        })
        .expect("the failing trigger");
    let stored = count(&path, "SELECT count(*) FROM responses");
    assert_eq!(stored, 0);
    let e = import_file(&store).await.expect_err("storing fails");
    let ImportError::Stopped { stored, .. } = &e else {
        panic!("{e:?}");
    };
    let kept = count(&path, "SELECT count(*) FROM responses");
    assert!(
        *stored > 0 && *stored < ROWS && kept == *stored as i64,
        "{stored} said stored, {kept} in the database"
    );
    assert_eq!(count(&path, "SELECT sum(n) FROM response_tally"), kept);
    let message = e.to_string();
    assert!(
        message.contains("importing the same file again stores only the rows not stored yet"),
        "{message}"
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM audit WHERE action = 'answers imported'
             AND detail LIKE '%then stopped: %disk is full%'"
        ),
        1
    );

    rusqlite::Connection::open(&path)
        .and_then(|c| c.execute_batch("DROP TRIGGER disk_full"))
        .expect("the disk has room again");
    let report = import_file(&store).await.expect("imported again");
    assert_eq!((report.imported, report.already), (ROWS - *stored, *stored));
    assert_eq!(count(&path, "SELECT count(*) FROM responses"), ROWS as i64);
    assert_eq!(
        count(&path, "SELECT sum(n) FROM response_tally"),
        ROWS as i64
    );
}
