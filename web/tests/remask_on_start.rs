//! `heard serve` on a database whose masked copies an earlier masker made: it masks them again
//! when it starts, in the background, and records the version, against a real SQLite file.
mod common;

use std::time::{Duration, Instant};

use common::Server;
use engine::AnswerValue;
use engine::store::{Protection, Store, SubmitOutcome};

#[test]
fn the_server_masks_an_earlier_maskers_copies_again_when_it_starts() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("heard.db");
    let store = Store::open(&db).expect("store");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).expect("a day");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let text = "my number is ۰۷۹۱۲ ۳۴۵۶۷۸ and i was born ۱۵ آبان ۱۳۹۵";
    rt.block_on(async {
        let draft = store
            .create_draft("voices", "young", &"f".repeat(64), today)
            .await
            .expect("draft");
        let answers = [("better".to_string(), AnswerValue::Text(text.into()))].into();
        // As an earlier masker left it: nothing found.
        let protection = Protection {
            masked: vec![("better".into(), text.into())],
            ..Protection::default()
        };
        match store
            .submit(draft, answers, protection, today)
            .await
            .expect("submit")
        {
            SubmitOutcome::Stored(_) => {}
            other => panic!("{other:?}"),
        }
    });
    store.close();
    rusqlite::Connection::open(&db)
        .and_then(|c| {
            c.execute(
                "INSERT INTO meta (key, value) VALUES ('masked_with', '1')",
                [],
            )
        })
        .expect("the earlier version recorded");

    let server = Server::start(&db);
    let read = |sql: &str| -> Option<String> {
        rusqlite::Connection::open(&db)
            .and_then(|c| c.query_row(sql, [], |r| r.get(0)))
            .ok()
    };
    // In the background, once the server serves.
    let started = Instant::now();
    let version = loop {
        match read("SELECT CAST(value AS TEXT) FROM meta WHERE key = 'masked_with'") {
            Some(v) if v != "1" => break v,
            _ if started.elapsed() > Duration::from_secs(60) => panic!("never masked again"),
            _ => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    assert_eq!(version, safeguard::personal::MASKER_VERSION.to_string());
    assert_eq!(
        read("SELECT masked FROM answers").as_deref(),
        Some("my number is [phone number] and i was born [date]")
    );
    assert_eq!(read("SELECT text FROM answers").as_deref(), Some(text));
    server.stop();
}
