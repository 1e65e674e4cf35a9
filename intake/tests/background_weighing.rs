//! The learned layer's reading after a submission, against a real SQLite file: what the submit
//! path leaves for it, what it flags, that it reads each answer once, and that a response deleted
//! before it was read still reaches the queue.
use engine::AnswerValue;
use engine::store::{Store, SubmitOutcome};
use engine::survey::Answers;
use intake::protect::{Protector, weigh_before_deleting, weigh_pending};

fn answers(text: &str) -> Answers {
    [("better".to_string(), AnswerValue::Text(text.into()))].into()
}

/// A count read straight from the database file, as a person inspecting it would.
fn count(store: &(Store, std::path::PathBuf), sql: &str) -> i64 {
    rusqlite::Connection::open(&store.1)
        .and_then(|c| c.query_row(sql, [], |r| r.get(0)))
        .expect("the count reads")
}

/// A firm phrase ("killing me") in an answer the bundled learned model is all but sure is
/// ordinary (it scores it far under `veto_at`).
const ORDINARY_FIRM_PHRASE: &str = "maths homework is killing me, too many worksheets";

/// A fresh database file (kept while the returned folder lives) and the builtin protector with
/// its learned layer.
fn open() -> (tempfile::TempDir, (Store, std::path::PathBuf), Protector) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("h.db");
    let store = Store::open(&path).expect("store");
    let p = Protector::new(safeguard::Screener::builtin()).expect("the learned layer");
    (dir, (store, path), p)
}

async fn submit(store: &Store, p: &Protector, token: &str, text: &str) -> i64 {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).expect("a day");
    let draft = store
        .create_draft("voices", "young", token, today)
        .await
        .expect("draft");
    let a = answers(text);
    let protection = p.protect_now(&a);
    match store
        .submit(draft, a, protection, today)
        .await
        .expect("submit")
    {
        SubmitOutcome::Stored(_) => draft,
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_learned_layer_reads_each_answer_once_after_it_is_stored() {
    let (_dir, db, p) = open();
    let store = &db.0;
    // No phrase: nothing flagged on the submit path, the learned layer's to read.
    submit(
        store,
        &p,
        &"a".repeat(64),
        "every night i lie awake wishing i could just stop existing",
    )
    .await;
    // A firm phrase: flagged at once, unread (encoding it would hold up the submit).
    submit(store, &p, &"b".repeat(64), "my step dad hits me").await;
    // Ordinary: read, not flagged.
    submit(store, &p, &"c".repeat(64), "more trips to the seaside").await;
    // A firm phrase in an answer the learned layer is all but sure is ordinary: flagged at
    // once too, then set aside when it is read.
    submit(store, &p, &"e".repeat(64), ORDINARY_FIRM_PHRASE).await;
    assert_eq!(
        count(&db, "SELECT count(*) FROM flags WHERE status = 'new'"),
        2
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM answers WHERE weighed <= 0"),
        4
    );

    assert_eq!(weigh_pending(store, &p).await.expect("weighed"), 4);
    assert_eq!(weigh_pending(store, &p).await.expect("nothing left"), 0);
    assert_eq!(
        count(&db, "SELECT count(*) FROM answers WHERE weighed <= 0"),
        0
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM flags WHERE trigger = 'learned' AND score >= 0.8"
        ),
        1
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM flags WHERE trigger = 'phrase' AND status = 'new' AND score IS NOT NULL"
        ),
        1
    );
    let veto_at = p.model().expect("the learned model").veto_at;
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT count(*) FROM flags WHERE trigger = 'phrase_set_aside'
                 AND status = 'set_aside' AND score < {veto_at}"
            )
        ),
        1
    );
    assert_eq!(count(&db, "SELECT count(*) FROM flags"), 3);
}

/// A person's decision outranks the learned layer: a firm-phrase flag decided on before the
/// learned layer read it stays as the person left it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flag_decided_before_it_was_read_is_never_set_aside() {
    let (_dir, db, p) = open();
    let store = &db.0;
    submit(store, &p, &"f".repeat(64), ORDINARY_FIRM_PHRASE).await;
    let id = count(&db, "SELECT id FROM flags");
    assert!(
        store
            .decide_flag(id, "reviewed", "Read: about homework.", "sal")
            .await
            .expect("decided")
    );
    assert_eq!(weigh_pending(store, &p).await.expect("weighed"), 1);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM flags WHERE status = 'reviewed' AND trigger = 'phrase' AND score IS NOT NULL"
        ),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_response_deleted_before_it_was_read_still_reaches_the_queue() {
    let (_dir, db, p) = open();
    let store = &db.0;
    let draft = submit(
        store,
        &p,
        &"d".repeat(64),
        "my carer grabbed my throat last night",
    )
    .await;
    let code = store.reference_code(draft);
    assert_eq!(count(&db, "SELECT count(*) FROM flags"), 0);
    assert_eq!(
        weigh_before_deleting(store, &p, "voices", &code)
            .await
            .expect("weighed"),
        1
    );
    assert!(
        store
            .delete_response("voices", &code)
            .await
            .expect("deleted")
    );
    assert_eq!(count(&db, "SELECT count(*) FROM responses"), 0);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM flags WHERE response_id IS NULL AND trigger = 'learned' AND text LIKE '%grabbed my throat%'"
        ),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reading_that_finishes_after_its_response_was_deleted_changes_nothing() {
    let (_dir, db, p) = open();
    let store = &db.0;
    let draft = submit(
        store,
        &p,
        &"e".repeat(64),
        "every night i lie awake wishing i could just stop existing",
    )
    .await;
    let code = store.reference_code(draft);
    // The background loop has read the answer; before it records what it found, the child
    // deletes the response (whose own reading raised the flag).
    let read = store.unweighed_answers(32).expect("read");
    assert_eq!(read.len(), 1);
    weigh_before_deleting(store, &p, "voices", &code)
        .await
        .expect("weighed");
    assert!(
        store
            .delete_response("voices", &code)
            .await
            .expect("deleted")
    );
    let (response_id, question_id, _) = read.into_iter().next().expect("one");
    let late = engine::store::Weighed {
        response_id,
        question_id: question_id.clone(),
        flag: Some(engine::store::NewFlag {
            question_id,
            indicators: "[]".into(),
            trigger: "learned".into(),
            score: Some(0.99),
            set_aside: false,
        }),
        score: Some(0.99),
    };
    store
        .record_weighing(vec![late])
        .await
        .expect("a late reading is not an error");
    assert_eq!(count(&db, "SELECT count(*) FROM flags"), 1);
    assert_eq!(count(&db, "SELECT count(*) FROM answers"), 0);
}

/// An import stores its rows at the speed of the phrases and masking, and the learned layer
/// reads them after: a firm phrase is in the queue as the import ends, a disclosure no phrase
/// names and one whose only phrase is weak join it once `weigh_all` has read the rows, a firm
/// phrase in an ordinary answer is set aside then, and nothing is read twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_leaves_the_learned_layer_its_answers_and_weigh_all_reads_them() {
    let (_dir, db, p) = open();
    let store = &db.0;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../surveys/care-review.toml");
    let survey = engine::survey::load_file(&path)
        .survey
        .expect("the care review survey loads");
    let csv = "version,one-change\n\
               young,every night i lie awake wishing i could just stop existing\n\
               young,my step dad hits me\n\
               young,more trips to the seaside\n\
               young,\"maths homework is killing me, too many worksheets\"\n\
               young,my step dad hurst me\n";
    let today = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).expect("a day");
    let report = intake::import::import(
        store,
        "test",
        &p,
        &survey,
        engine::import::Channel::Paper,
        csv.as_bytes().to_vec(),
        &intake::import::Options::default(),
        today,
    )
    .await
    .expect("imported");
    // "hurst" is one letter from "hurts": a weak phrase, left for the reading like the rest.
    assert_eq!(
        (report.imported, report.flagged, report.unweighed),
        (5, 2, 5)
    );
    assert_eq!(count(&db, "SELECT count(*) FROM flags"), 2);
    assert_eq!(
        count(&db, "SELECT count(*) FROM answers WHERE weighed <= 0"),
        5
    );

    let read = std::sync::Mutex::new(Vec::new());
    let w = intake::protect::weigh_all(store, &p, |n| read.lock().expect("progress").push(n))
        .await
        .expect("weighed");
    assert_eq!((w.read, w.raised, w.set_aside), (5, 2, 1));
    assert_eq!(read.into_inner().expect("progress"), vec![5]);
    assert_eq!(count(&db, "SELECT count(*) FROM flags"), 4);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM flags f JOIN answers a USING (response_id, question_id)
             WHERE f.trigger = 'phrase_confirmed' AND a.text LIKE '%hurst%'"
        ),
        1,
        "the weak phrase, confirmed by the reading"
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM flags WHERE status = 'set_aside'"),
        1
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM flags f JOIN answers a USING (response_id, question_id)
             WHERE f.trigger = 'learned' AND a.text LIKE '%stop existing%'"
        ),
        1
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM flags WHERE score IS NULL"),
        0,
        "the firm phrase's flag has its score"
    );
    let again = intake::protect::weigh_all(store, &p, |_| {})
        .await
        .expect("nothing left");
    assert_eq!((again.read, again.raised, again.set_aside), (0, 0, 0));
}

/// Under a backlog the reading takes an answer holding a phrase before older plain ones: a weak
/// phrase's flag waits for the reading, and should not wait behind every ordinary answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_with_a_phrase_are_read_first() {
    let (_dir, db, p) = open();
    let store = &db.0;
    let mut plain = Vec::new();
    for (i, text) in ["more trips out", "better food", "a bigger room"]
        .iter()
        .enumerate()
    {
        plain.push(submit(store, &p, &format!("{i}").repeat(64), text).await);
    }
    let phrased = submit(store, &p, &"w".repeat(64), "my step dad hurst me").await;
    // The child with the weak phrase sees the extra help before anything is read; the others
    // do not.
    assert!(store.draft_needs_help(phrased).expect("read"));
    for d in &plain {
        assert!(!store.draft_needs_help(*d).expect("read"));
    }
    assert_eq!(
        count(&db, "SELECT count(*) FROM answers WHERE weighed = -1"),
        1
    );
    let first = store.unweighed_answers(1).expect("read");
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].2, "my step dad hurst me");
    let all = store.unweighed_answers(10).expect("read");
    assert_eq!(all.len(), 4, "the phrased one, then the rest oldest first");
    assert_eq!(all[1].2, "more trips out");
    let read = weigh_pending(store, &p).await.expect("weighed");
    assert_eq!(read, 4);
    assert_eq!(
        count(&db, "SELECT count(*) FROM answers WHERE weighed != 1"),
        0
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM flags WHERE trigger = 'phrase_confirmed'"
        ),
        1
    );
    assert!(
        store.draft_needs_help(phrased).expect("read"),
        "read and flagged"
    );
}
