//! Answers stored by an earlier masker are masked again by a newer one when it starts, against a
//! real SQLite file: only more is hidden, an analyst's redactions stay, nothing else changes, and
//! it happens once.
use engine::AnswerValue;
use engine::store::{REDACTED, Remasked, Remasking, Store, SubmitOutcome};
use engine::survey::Answers;
use intake::protect::{Protector, remask_stored};
use safeguard::personal::MASKER_VERSION;

fn sql<T: rusqlite::types::FromSql>(path: &std::path::Path, query: &str) -> T {
    rusqlite::Connection::open(path)
        .and_then(|c| c.query_row(query, [], |r| r.get(0)))
        .expect("the query reads")
}

fn execute(path: &std::path::Path, statement: &str) {
    rusqlite::Connection::open(path)
        .and_then(|c| c.execute_batch(statement))
        .expect("the statement runs");
}

/// A fresh database file (kept while the returned folder lives) and the builtin protector.
fn open() -> (tempfile::TempDir, std::path::PathBuf, Store, Protector) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("h.db");
    let store = Store::open(&path).expect("store");
    let p = Protector::new(safeguard::Screener::builtin()).expect("protector");
    (dir, path, store, p)
}

async fn submit(store: &Store, p: &Protector, token: &str, text: &str) {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).expect("a day");
    let draft = store
        .create_draft("voices", "young", token, today)
        .await
        .expect("draft");
    let a: Answers = [("better".to_string(), AnswerValue::Text(text.into()))].into();
    let protection = p.protect_now(&a);
    match store
        .submit(draft, a, protection, today)
        .await
        .expect("submit")
    {
        SubmitOutcome::Stored(_) => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_an_earlier_masker_stored_are_masked_again_once() {
    let (_dir, path, store, p) = open();
    submit(
        &store,
        &p,
        &"a".repeat(64),
        "born ۱۵ آبان ۱۳۹۵ in kabul, my mum hits me",
    )
    .await;
    submit(
        &store,
        &p,
        &"b".repeat(64),
        "i like my school and my carer Dawn Smith",
    )
    .await;
    submit(&store, &p, &"c".repeat(64), "more trips please").await;
    submit(
        &store,
        &p,
        &"d".repeat(64),
        "hangwani helps me with my homework",
    )
    .await;
    // As an earlier masker left them: the date in another calendar and a name no list knows in
    // view, and an analyst's redaction in the second; a theme run named a theme after the name;
    // the store says so.
    execute(
        &path,
        &format!(
            "UPDATE answers SET masked = 'born ۱۵ آبان ۱۳۹۵ in kabul, my mum hits me' WHERE response_id = 1;
             UPDATE answers SET masked = 'i like my {REDACTED} and my carer [name]' WHERE response_id = 2;
             UPDATE answers SET masked = text WHERE response_id = 4;
             INSERT INTO themes (survey_id, question_id, label, terms)
                 VALUES ('voices', 'better', 'Hangwani, homework', '[\"hangwani\",\"homework\"]'),
                        ('voices', 'better', 'More trips', '[\"trips\"]');
             INSERT INTO meta (key, value) VALUES ('masked_with', '1');"
        ),
    );
    let flags: i64 = sql(&path, "SELECT COUNT(*) FROM flags");
    let third: String = sql(&path, "SELECT masked FROM answers WHERE response_id = 3");

    assert_eq!(remask_stored(&store).await.expect("remask"), 2);
    let first: String = sql(&path, "SELECT masked FROM answers WHERE response_id = 1");
    assert_eq!(first, "born [date] in kabul, my mum hits me");
    let fourth: String = sql(&path, "SELECT masked FROM answers WHERE response_id = 4");
    assert_eq!(fourth, "[name] helps me with my homework");
    // The theme named after the name no longer shows it; the other theme is as it was.
    assert_eq!(
        sql::<String>(
            &path,
            "SELECT label || ' ' || terms FROM themes WHERE id = 1"
        ),
        r#"[name], homework ["[name]","homework"]"#
    );
    assert_eq!(
        sql::<String>(
            &path,
            "SELECT label || ' ' || terms FROM themes WHERE id = 2"
        ),
        r#"More trips ["trips"]"#
    );
    let second: String = sql(&path, "SELECT masked FROM answers WHERE response_id = 2");
    assert_eq!(second, format!("i like my {REDACTED} and my carer [name]"));
    assert_eq!(
        sql::<String>(&path, "SELECT masked FROM answers WHERE response_id = 3"),
        third
    );
    // The originals, for the safeguarding lead, and the queue are as they were.
    let original: String = sql(&path, "SELECT text FROM answers WHERE response_id = 1");
    assert!(original.contains("۱۵ آبان ۱۳۹۵"));
    assert_eq!(sql::<i64>(&path, "SELECT COUNT(*) FROM flags"), flags);
    let audited: String = sql(
        &path,
        "SELECT detail FROM audit WHERE action = 'answers masked again'",
    );
    assert!(audited.contains(&format!(
        "2 masked answer(s) and 1 theme name(s) or term list(s) changed by masker version {MASKER_VERSION}"
    )));

    // Once: the store now says this masker made its copies.
    assert_eq!(
        store.remasking(MASKER_VERSION).expect("read"),
        Remasking::Done
    );
    execute(
        &path,
        "UPDATE answers SET masked = 'born ۱۵ آبان ۱۳۹۵' WHERE response_id = 1;",
    );
    assert_eq!(remask_stored(&store).await.expect("remask"), 0);
    store.close();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_re_masking_cut_off_goes_on_from_where_it_was() {
    let (_dir, path, store, p) = open();
    for token in ["d", "e"] {
        submit(&store, &p, &token.repeat(64), "born ۱۵ آبان ۱۳۹۵ in kabul").await;
    }
    // Stopped after the first response: the second is still as the earlier masker left it.
    execute(
        &path,
        &format!(
            "UPDATE answers SET masked = 'born ۱۵ آبان ۱۳۹۵ in kabul';
             INSERT INTO meta (key, value) VALUES ('remasking', '{MASKER_VERSION}:1');"
        ),
    );
    assert_eq!(
        store.remasking(MASKER_VERSION).expect("read"),
        Remasking::From(1)
    );
    assert_eq!(remask_stored(&store).await.expect("remask"), 1);
    let second: String = sql(&path, "SELECT masked FROM answers WHERE response_id = 2");
    assert_eq!(second, "born [date] in kabul");
    store.close();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_redacted_meanwhile_is_not_overwritten() {
    let (_dir, path, store, p) = open();
    submit(
        &store,
        &p,
        &"g".repeat(64),
        "born ۱۵ آبان ۱۳۹۵ in kabul near the mosque",
    )
    .await;
    // Masked from the copy as it was read; an analyst redacted it before the write.
    execute(
        &path,
        &format!("UPDATE answers SET masked = 'born ۱۵ آبان ۱۳۹۵ in kabul near the {REDACTED}';"),
    );
    let (stored, themes, moved) = store
        .store_remasked(
            MASKER_VERSION,
            vec![Remasked {
                response: 1,
                question: "better".into(),
                before: "born ۱۵ آبان ۱۳۹۵ in kabul near the mosque".into(),
                after: "born [date] in kabul near the mosque".into(),
                hidden: vec![("آبان".into(), "[date]".into())],
            }],
            1,
        )
        .await
        .expect("store");
    assert_eq!(
        (stored, themes, moved.clone()),
        (0, 0, vec![(1, "better".to_string())])
    );
    let now = store.masked_copies(moved).expect("read");
    assert_eq!(
        now,
        vec![(
            1,
            "better".to_string(),
            format!("born ۱۵ آبان ۱۳۹۵ in kabul near the {REDACTED}")
        )]
    );
    store.close();
}
