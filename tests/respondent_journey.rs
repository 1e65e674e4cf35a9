//! Whole journeys of a respondent through real HTTP against a real SQLite file: every shipped
//! version completed, every condition path, save and resume on another device, double submit,
//! and deletion with the reference code.
use std::collections::BTreeMap;

use chrono::NaiveDate;
use support::{Browser, FieldKind, Page, TestServer, fixture, path_of, repo};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// Answers chosen for a page: an override where given, else a valid answer for every field.
fn answers_for(page: &Page, overrides: &BTreeMap<&str, Vec<&str>>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in page.fields() {
        let qid = f.name.trim_start_matches("q-");
        if let Some(vals) = overrides.get(qid) {
            for v in vals {
                out.push((f.name.clone(), v.to_string()));
            }
            continue;
        }
        match f.kind {
            FieldKind::Radio | FieldKind::Checkbox => {
                let v = f
                    .values
                    .iter()
                    .find(|v| v.as_str() != "prefer_not_to_say")
                    .or(f.values.first())
                    .cloned()
                    .unwrap_or_default();
                out.push((f.name.clone(), v));
            }
            FieldKind::Text if f.numeric => out.push((f.name.clone(), "3".into())),
            FieldKind::Text => out.push((f.name.clone(), format!("Short answer to {qid} <b>&'\""))),
            FieldKind::TextArea => out.push((
                f.name.clone(),
                format!("A longer answer to {qid}.\nIt has two lines, and émojis 😀."),
            )),
        }
    }
    out
}

struct Completed {
    reference: String,
    posted: BTreeMap<String, Vec<String>>,
    pages: usize,
}

fn choose_version(b: &Browser, survey: &str, version: &str) -> Page {
    let start = b.get(&format!("/s/{survey}"));
    assert_eq!(start.status, 200, "start page");
    let who = b.get(&format!("/s/{survey}/who"));
    assert_eq!(who.status, 200);
    let r = b.post(
        &format!("/s/{survey}/who"),
        &[("csrf", &who.csrf()), ("version", version)],
    );
    assert_eq!(r.status, 303, "choosing a version redirects: {}", r.body);
    b.follow(r)
}

/// Answers every page of `version` and sends the answers, returning what was posted.
fn complete(
    b: &Browser,
    survey: &str,
    version: &str,
    overrides: &BTreeMap<&str, Vec<&str>>,
) -> Completed {
    let mut page = choose_version(b, survey, version);
    let mut posted: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut pages = 0;
    while !page.url.ends_with("/check") {
        assert_eq!(page.status, 200, "page {} shows: {}", page.url, page.body);
        assert!(page.has("Leave this page"), "quick exit on {}", page.url);
        assert!(page.has("0800 1111"), "help on {}", page.url);
        assert_eq!(
            page.body.matches("<h1").count(),
            1,
            "one h1 on {}",
            page.url
        );
        assert!(page.has("Question"), "progress on {}", page.url);
        let answers = answers_for(&page, overrides);
        for (k, v) in &answers {
            posted
                .entry(k.trim_start_matches("q-").to_string())
                .or_default()
                .push(v.clone());
        }
        let mut fields: Vec<(&str, &str)> = vec![("csrf", ""), ("action", "next")];
        let csrf = page.csrf();
        fields[0].1 = &csrf;
        for (k, v) in &answers {
            fields.push((k, v));
        }
        let action = page.form_action().expect("form");
        let r = b.post(&action, &fields);
        assert_eq!(r.status, 303, "posting {} redirects: {}", page.url, r.body);
        page = b.follow(r);
        pages += 1;
        assert!(pages < 100, "the journey ends");
    }
    assert_eq!(page.status, 200);
    assert!(page.has("Check your answers"));
    let r = b.post(&format!("/s/{survey}/submit"), &[("csrf", &page.csrf())]);
    assert_eq!(r.status, 303, "submit redirects: {}", r.body);
    let done = b.follow(r);
    assert_eq!(done.status, 200);
    assert!(done.has("Your answers have been sent"));
    let reference = done
        .text_of_id("reference-code")
        .expect("reference code shown");
    Completed {
        reference,
        posted,
        pages,
    }
}

/// The stored answers of the only response of `version`, as posted form values.
fn stored(server: &TestServer, response_id: i64) -> BTreeMap<String, Vec<String>> {
    let db = server.db();
    let mut st = db
        // A text answer's words are in `text` alone (`value` is '' for it).
        .prepare(
            "SELECT question_id, CASE WHEN text IS NULL THEN value ELSE json_object('text', text) END
             FROM answers WHERE response_id = ?1",
        )
        .expect("query");
    let rows = st
        .query_map([response_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })
        .expect("rows");
    let mut out = BTreeMap::new();
    for row in rows {
        let (q, v) = row.expect("row");
        let values = match engine::AnswerValue::from_json(&v).expect("stored answer parses") {
            engine::AnswerValue::Choice(c) => vec![c],
            engine::AnswerValue::Choices(cs) => cs,
            engine::AnswerValue::Text(t) => vec![t],
            engine::AnswerValue::Number(n) => vec![n.to_string()],
        };
        out.insert(q, values);
    }
    out
}

fn versions_of(b: &Browser, survey: &str) -> Vec<String> {
    let who = b.get(&format!("/s/{survey}/who"));
    who.body
        .split("name=\"version\" value=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_shipped_version_can_be_completed_and_is_stored_as_sent() {
    let surveys = engine::survey::survey_paths(&[repo().join("surveys")]).expect("surveys folder");
    assert!(!surveys.is_empty(), "surveys/ has a consultation");
    for path in surveys {
        let loaded = engine::survey::load_file(&path);
        let survey = loaded.survey.expect("shipped survey loads");
        let server = TestServer::start(std::slice::from_ref(&path), survey.opens);
        let versions = versions_of(&server.browser(), &survey.id);
        assert_eq!(versions.len(), survey.versions.len());
        for version in &versions {
            let b = server.browser();
            let done = complete(&b, &survey.id, version, &BTreeMap::new());
            assert!(done.pages > 0);
            let id: i64 = server
                .db()
                .query_row(
                    "SELECT id FROM responses WHERE version_id = ?1",
                    [version],
                    |r| r.get(0),
                )
                .expect("one response for the version");
            let stored = stored(&server, id);
            // Text is stored as typed (trimmed); everything posted is there, nothing else.
            let expected: BTreeMap<String, Vec<String>> = done
                .posted
                .iter()
                .map(|(k, v)| (k.clone(), v.iter().map(|s| s.trim().to_string()).collect()))
                .collect();
            assert_eq!(
                stored, expected,
                "version {version}: stored answers match what was sent"
            );
            assert_eq!(done.reference.len(), 19, "reference code shown");
        }
        assert_eq!(
            server.count("SELECT count(*) FROM responses"),
            versions.len() as i64
        );
    }
}

#[test]
fn conditional_questions_follow_every_path() {
    let server = TestServer::start(&[fixture("surveys")], day("2026-05-01"));
    for version in ["easy", "standard"] {
        // moved = yes shows the follow-up; advocate ticked shows the advocate scale.
        let b = server.browser();
        let mut o = BTreeMap::new();
        o.insert("moved", vec!["yes"]);
        o.insert("helpers", vec!["carer", "advocate"]);
        let done = complete(&b, "every-type", version, &o);
        assert!(
            done.posted.contains_key("moved-told"),
            "{version}: follow-up shown when moved"
        );
        assert!(
            done.posted.contains_key("advocate-good"),
            "{version}: advocate scale shown"
        );

        // moved = no and no advocate: neither follow-up is asked.
        let b = server.browser();
        let mut o = BTreeMap::new();
        o.insert("moved", vec!["no"]);
        o.insert("helpers", vec!["teacher"]);
        let done = complete(&b, "every-type", version, &o);
        assert!(
            !done.posted.contains_key("moved-told"),
            "{version}: no follow-up"
        );
        assert!(
            !done.posted.contains_key("advocate-good"),
            "{version}: no advocate scale"
        );
    }
    // Every response stored exactly what was asked of it.
    assert_eq!(server.count("SELECT count(*) FROM responses"), 4);
    assert_eq!(
        server.count("SELECT count(*) FROM answers WHERE question_id = 'moved-told'"),
        2
    );
}

#[test]
fn an_answer_to_a_question_later_hidden_is_not_stored() {
    let server = TestServer::start(&[fixture("surveys")], day("2026-05-01"));
    let b = server.browser();
    let first = choose_version(&b, "every-type", "easy");
    // Easy read: one question a page. Page 1 is setting, 2 is moved, 3 is moved-told.
    assert!(first.url.ends_with("/p/1"));
    let csrf = first.csrf();
    let r = b.post("/s/every-type/p/2", &[("csrf", &csrf), ("q-moved", "yes")]);
    assert_eq!(b.follow(r).url, server.url("/s/every-type/p/3"));
    let r = b.post(
        "/s/every-type/p/3",
        &[("csrf", &csrf), ("q-moved-told", "no")],
    );
    assert_eq!(r.status, 303);
    // Change of mind: not moved after all.
    let r = b.post(
        "/s/every-type/p/2",
        &[("csrf", &csrf), ("q-moved", "no"), ("return", "check")],
    );
    let check = b.follow(r);
    assert!(check.url.ends_with("/check"));
    assert!(!check.has("Did someone tell you why you moved?"));
    // The hidden page cannot be reached directly either: it sends the respondent on.
    let hidden = b.get("/s/every-type/p/3");
    assert_eq!(hidden.status, 303);
    let r = b.post("/s/every-type/submit", &[("csrf", &csrf)]);
    assert_eq!(r.status, 303);
    assert_eq!(
        server.count("SELECT count(*) FROM answers WHERE question_id = 'moved-told'"),
        0
    );
    assert_eq!(
        server.count("SELECT count(*) FROM answers WHERE question_id = 'moved'"),
        1
    );
}

#[test]
fn save_and_resume_on_a_fresh_client() {
    let server = TestServer::start(&[fixture("surveys")], day("2026-05-01"));
    let phone = server.browser();
    let page = choose_version(&phone, "every-type", "standard");
    let csrf = page.csrf();
    let r = phone.post(
        "/s/every-type/p/1",
        &[
            ("csrf", &csrf),
            ("q-setting", "kinship"),
            ("q-moved", "yes"),
            ("action", "next"),
        ],
    );
    let next = phone.follow(r);
    // The follow-up is on its own page, since it depends on a question of the same section.
    assert!(next.has("Did someone tell you why you moved?"));
    let saved = phone.post(
        "/s/every-type/p/2",
        &[
            ("csrf", &csrf),
            ("q-moved-told", "not-sure"),
            ("action", "save"),
        ],
    );
    assert_eq!(saved.status, 200);
    assert!(saved.has("Your answers are saved"));
    let code = saved.text_of_id("resume-code").expect("resume code shown");
    assert_eq!(code.len(), 19);
    // Saving again shows the same code: a child who wrote it down once is not caught out.
    let again = phone.post(
        "/s/every-type/p/2",
        &[
            ("csrf", &csrf),
            ("q-moved-told", "not-sure"),
            ("action", "save"),
        ],
    );
    assert_eq!(again.text_of_id("resume-code"), Some(code.clone()));

    // Another device, typing the code in lower case with spaces.
    let laptop = server.browser();
    let start = laptop.get("/s/every-type");
    let typed = code.to_lowercase().replace('-', " ");
    let r = laptop.post(
        "/s/every-type/resume",
        &[("csrf", &start.csrf()), ("code", &typed)],
    );
    assert_eq!(r.status, 303, "resume redirects: {}", r.body);
    let resumed = laptop.follow(r);
    assert_eq!(resumed.status, 200);
    assert!(
        resumed.url.contains("/p/"),
        "lands on a question page: {}",
        resumed.url
    );
    let check = laptop.get("/s/every-type/check");
    assert!(check.has("Kinship care"));
    assert!(check.has("Not sure"));

    // The first phone no longer holds the draft.
    let old = phone.get("/s/every-type/check");
    assert_eq!(old.status, 303);

    let done = laptop.post("/s/every-type/submit", &[("csrf", &check.csrf())]);
    assert_eq!(done.status, 303);
    assert_eq!(server.count("SELECT count(*) FROM responses"), 1);
    // A sent draft cannot be resumed.
    let other = server.browser();
    let start = other.get("/s/every-type");
    let r = other.post(
        "/s/every-type/resume",
        &[("csrf", &start.csrf()), ("code", &code)],
    );
    assert_eq!(r.status, 422);
    assert!(r.has("could not find") || r.has("already been sent"));
}

#[test]
fn a_resume_code_expires() {
    let server = TestServer::start(&[fixture("surveys")], day("2026-05-01"));
    let b = server.browser();
    let page = choose_version(&b, "every-type", "standard");
    let saved = b.post(
        "/s/every-type/p/1",
        &[
            ("csrf", &page.csrf()),
            ("q-moved", "no"),
            ("action", "save"),
        ],
    );
    let code = saved.text_of_id("resume-code").expect("code");
    server.clock.set(day("2026-07-01"));
    let other = server.browser();
    let start = other.get("/s/every-type");
    let r = other.post(
        "/s/every-type/resume",
        &[("csrf", &start.csrf()), ("code", &code)],
    );
    assert_eq!(r.status, 422);
    assert!(r.has("run out"), "{}", r.body);
    // The draft's answers are untouched.
    assert_eq!(server.count("SELECT count(*) FROM draft_answers"), 1);
}

#[test]
fn submitting_twice_stores_once_and_shows_the_same_confirmation() {
    let server = TestServer::start(&[fixture("surveys")], day("2026-05-01"));
    let b = server.browser();
    let done = complete(&b, "every-type", "standard", &BTreeMap::new());
    let check_csrf = b.get("/s/every-type").csrf();
    for _ in 0..3 {
        let r = b.post("/s/every-type/submit", &[("csrf", &check_csrf)]);
        assert_eq!(r.status, 303);
        let again = b.follow(r);
        assert_eq!(
            again.text_of_id("reference-code"),
            Some(done.reference.clone())
        );
    }
    assert_eq!(server.count("SELECT count(*) FROM responses"), 1);
    // Going back to a question page after sending changes nothing.
    let r = b.post(
        "/s/every-type/p/1",
        &[("csrf", &check_csrf), ("q-moved", "yes")],
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        path_of(r.location.as_deref().unwrap_or("")),
        "/s/every-type/done"
    );
    assert_eq!(server.count("SELECT count(*) FROM draft_answers"), 0);
}

#[test]
fn many_concurrent_submits_of_one_draft_store_it_once() {
    let server = TestServer::start(&[fixture("surveys")], day("2026-05-01"));
    let b = server.browser();
    let page = choose_version(&b, "every-type", "standard");
    let csrf = page.csrf();
    let r = b.post("/s/every-type/p/1", &[("csrf", &csrf), ("q-moved", "no")]);
    assert_eq!(r.status, 303);
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                let r = b.post("/s/every-type/submit", &[("csrf", &csrf)]);
                assert_eq!(r.status, 303);
            });
        }
    });
    assert_eq!(server.count("SELECT count(*) FROM responses"), 1);
    assert_eq!(server.count("SELECT count(*) FROM answers"), 1);
}

#[test]
fn the_reference_code_deletes_the_answers() {
    let server = TestServer::start(&[fixture("surveys")], day("2026-05-01"));
    let b = server.browser();
    let done = complete(&b, "every-type", "easy", &BTreeMap::new());
    assert_eq!(server.count("SELECT count(*) FROM responses"), 1);
    assert!(server.count("SELECT count(*) FROM answers") > 0);

    // From another device, with the code typed loosely.
    let other = server.browser();
    let form = other.get("/s/every-type/delete");
    assert_eq!(form.status, 200);
    let wrong = other.post(
        "/s/every-type/delete",
        &[("csrf", &form.csrf()), ("code", "AAAA-BBBB-CCCC-DDDD")],
    );
    assert_eq!(wrong.status, 422);
    assert!(wrong.has("could not find"));
    let typed = done.reference.replace('-', " ").to_lowercase();
    let confirm = other.post(
        "/s/every-type/delete",
        &[("csrf", &form.csrf()), ("code", &typed)],
    );
    assert_eq!(confirm.status, 200);
    assert!(confirm.has("Yes, delete my answers"));
    // Looking the code up deletes nothing.
    assert_eq!(server.count("SELECT count(*) FROM responses"), 1);
    let code = done.reference.replace('-', "");
    let gone = other.post(
        "/s/every-type/delete/confirm",
        &[("csrf", &form.csrf()), ("code", &code)],
    );
    assert_eq!(gone.status, 200);
    assert!(gone.has("Your answers have been deleted"));
    assert_eq!(server.count("SELECT count(*) FROM responses"), 0);
    assert_eq!(server.count("SELECT count(*) FROM answers"), 0);
    // Deleted answers cannot be sent again by replaying the submit.
    let replay = b.post(
        "/s/every-type/submit",
        &[("csrf", &b.get("/s/every-type").csrf())],
    );
    assert_eq!(replay.status, 410);
    assert_eq!(server.count("SELECT count(*) FROM responses"), 0);
}

#[test]
fn nothing_about_the_device_is_stored() {
    let server = TestServer::start(&[fixture("surveys")], day("2026-05-01"));
    let b = server.browser();
    complete(&b, "every-type", "standard", &BTreeMap::new());
    let db = server.db();
    let mut st = db
        .prepare("SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'")
        .expect("schema");
    let columns: Vec<String> = st
        .query_map([], |r| {
            Ok(format!(
                "{}.{}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?
            ))
        })
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect();
    for c in &columns {
        let lc = c.to_lowercase();
        assert!(
            !["ip", "addr", "agent", "device", "browser", "fingerprint"]
                .iter()
                .any(|w| lc.split(['.', '_']).any(|part| part == *w)),
            "column {c} looks like device data"
        );
    }
    // Nor anywhere in the file: the test browser's user agent is nowhere to be found.
    drop(st);
    drop(db);
    let bytes = std::fs::read(&server.db).expect("db file");
    let wal = std::fs::read(server.db.with_extension("db-wal")).unwrap_or_default();
    for hay in [bytes, wal] {
        assert!(!hay.windows(9).any(|w| w == b"127.0.0.1"));
        assert!(!hay.windows(18).any(|w| w == b"secret-device-fing"));
    }
}

#[test]
fn quick_exit_clears_the_session_and_leaves() {
    let server = TestServer::start(&[fixture("surveys")], day("2026-05-01"));
    let b = server.browser();
    choose_version(&b, "every-type", "standard");
    let r = b.get("/exit");
    assert_eq!(r.status, 303);
    assert_eq!(r.location.as_deref(), Some(web::state::DEFAULT_EXIT_URL));
    let cookies: Vec<&str> = r
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("heard_draft=;") && c.contains("Max-Age=0"))
    );
    assert!(r.headers.get("clear-site-data").is_some());
    // The browser no longer holds the draft.
    assert_eq!(b.get("/s/every-type/check").status, 303);
}
