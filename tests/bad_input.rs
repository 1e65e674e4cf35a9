//! Bad input gets a clear page and stores nothing wrong: oversized bodies, invalid UTF-8,
//! broken encoding, choices not offered, tampered question ids, text over its limit, unknown and
//! expired codes, missing CSRF tokens, a closed survey.
use chrono::NaiveDate;
use support::{Browser, Page, TestServer, fixture};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// A browser with a draft on the standard version, on page 1.
fn started(server: &TestServer) -> (Browser, String) {
    let b = server.browser();
    let who = b.get("/s/every-type/who");
    let r = b.post(
        "/s/every-type/who",
        &[("csrf", &who.csrf()), ("version", "standard")],
    );
    assert_eq!(r.status, 303);
    let page = b.follow(r);
    assert!(page.url.ends_with("/p/1"));
    (b, page.csrf())
}

fn stored_nothing(server: &TestServer) {
    assert_eq!(
        server.count("SELECT count(*) FROM draft_answers"),
        0,
        "no draft answer stored"
    );
    assert_eq!(
        server.count("SELECT count(*) FROM responses"),
        0,
        "no response stored"
    );
}

fn is_clear_page(p: &Page) {
    assert!(
        p.body.contains("<h1>"),
        "a page with a heading, not a bare error: {}",
        p.body
    );
    assert!(p.body.contains("Leave this page"));
}

#[test]
fn an_oversized_body_is_refused_with_413() {
    let server = TestServer::start(&[fixture("surveys")], day("2026-05-01"));
    let (b, csrf) = started(&server);
    let big = "x".repeat(300 * 1024);
    let r = b.post("/s/every-type/p/1", &[("csrf", &csrf), ("q-moved", &big)]);
    assert_eq!(r.status, 413);
    is_clear_page(&r);
    stored_nothing(&server);
}

#[test]
fn invalid_utf8_and_broken_escapes_are_refused() {
    let server = TestServer::start(&[fixture("surveys")], day("2026-05-01"));
    let (b, csrf) = started(&server);
    let form = "application/x-www-form-urlencoded";
    let r = b.post_raw(
        "/s/every-type/p/3",
        form,
        format!("csrf={csrf}&q-one-thing=%FF%FEhello").into_bytes(),
    );
    assert_eq!(r.status, 400);
    is_clear_page(&r);
    let mut raw = format!("csrf={csrf}&q-one-thing=").into_bytes();
    raw.extend_from_slice(&[0xC3, 0x28]);
    let r = b.post_raw("/s/every-type/p/3", form, raw);
    assert_eq!(r.status, 400);
    let r = b.post_raw(
        "/s/every-type/p/3",
        form,
        format!("csrf={csrf}&q-one-thing=%G1").into_bytes(),
    );
    assert_eq!(r.status, 400);
    let r = b.post_raw("/s/every-type/p/3", "application/json", b"{}".to_vec());
    assert_eq!(r.status, 415);
    stored_nothing(&server);
}

#[test]
fn a_choice_not_offered_or_an_unknown_question_is_refused() {
    let server = TestServer::start(&[fixture("surveys")], day("2026-05-01"));
    let (b, csrf) = started(&server);
    for fields in [
        vec![("q-setting", "palace")],
        vec![("q-setting", "foster"), ("q-setting", "kinship")],
        vec![("q-setting", "foster"), ("q-not-a-question", "x")],
        // A question that exists, but on another page.
        vec![("q-setting", "foster"), ("q-one-thing", "sneaky")],
        vec![("q-setting", "foster"), ("draft_id", "1")],
    ] {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields.iter().copied());
        let r = b.post("/s/every-type/p/1", &all);
        assert_eq!(r.status, 400, "{fields:?}");
        is_clear_page(&r);
        assert!(r.has("Nothing was saved"));
    }
    // A scale point that is not on the scale.
    let r = b.post(
        "/s/every-type/p/1",
        &[("csrf", &csrf), ("q-moved", "maybe")],
    );
    assert_eq!(r.status, 400);
    stored_nothing(&server);
    // Pages that do not exist.
    assert_eq!(b.get("/s/every-type/p/99").status, 404);
    assert_eq!(b.get("/s/every-type/p/0").status, 404);
    assert_eq!(b.get("/s/every-type/p/..%2f..%2fetc").status, 404);
    assert_eq!(b.get("/s/no-such-survey").status, 404);
}

#[test]
fn text_over_its_limit_comes_back_with_the_error_summary_and_the_text_kept() {
    let server = TestServer::start(&[fixture("surveys")], day("2026-05-01"));
    let (b, csrf) = started(&server);
    let long = "I want to say a lot about this. ".repeat(5); // 160 characters; the limit is 100
    let r = b.post(
        "/s/every-type/p/5",
        &[
            ("csrf", &csrf),
            ("q-one-thing", &long),
            ("q-anything-else", "kept too"),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(r.has("There is a problem"));
    assert!(
        r.has("href=\"#q-one-thing\""),
        "the summary links to the field"
    );
    assert!(r.has("Make it 100 characters or fewer"));
    assert!(r.has(long.trim_end()), "the text is kept");
    assert!(r.has("kept too"), "other answers on the page are kept");
    assert!(r.body.starts_with("<!doctype html>"));
    assert!(r.body.contains("<title>Error: "));
    stored_nothing(&server);
}

#[test]
fn html_and_sql_in_answers_are_stored_as_text_and_shown_inert() {
    let server = TestServer::start(&[fixture("surveys")], day("2026-05-01"));
    let (b, csrf) = started(&server);
    let nasty = "<script>alert(1)</script>'); DROP TABLE answers;--";
    let r = b.post(
        "/s/every-type/p/5",
        &[("csrf", &csrf), ("q-one-thing", nasty)],
    );
    assert_eq!(r.status, 303);
    let check = b.get("/s/every-type/check");
    assert!(!check.has("<script>alert(1)"));
    assert!(check.has("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    let kept: String = server
        .db()
        .query_row(
            "SELECT value FROM draft_answers WHERE question_id = 'one-thing'",
            [],
            |r| r.get(0),
        )
        .expect("stored");
    assert!(kept.contains("DROP TABLE answers"));
    assert!(server.count("SELECT count(*) FROM sqlite_master WHERE name = 'answers'") == 1);
}

#[test]
fn a_number_that_is_not_a_number_is_explained() {
    let server = TestServer::start(&[fixture("surveys")], day("2026-05-01"));
    let (b, csrf) = started(&server);
    // Standard version pages: 1 setting and moved; 2 moved-told; 3 helpers; 4 advocate-good
    // (hidden) and workers; 5 the free text.
    for bad in ["lots", "-1", "51", "1e3", "99999999999999999999999"] {
        let r = b.post("/s/every-type/p/4", &[("csrf", &csrf), ("q-workers", bad)]);
        assert_eq!(r.status, 422, "{bad}");
        assert!(r.has("from 0 to 50"));
    }
    assert_eq!(
        server.count("SELECT count(*) FROM draft_answers WHERE question_id = 'workers'"),
        0
    );
}

#[test]
fn posts_without_the_csrf_token_change_nothing() {
    let server = TestServer::start(&[fixture("surveys")], day("2026-05-01"));
    let (b, csrf) = started(&server);
    let r = b.post("/s/every-type/p/1", &[("q-moved", "yes")]);
    assert_eq!(r.status, 403);
    is_clear_page(&r);
    let r = b.post(
        "/s/every-type/p/1",
        &[
            ("csrf", "0123456789abcdef0123456789abcdef"),
            ("q-moved", "yes"),
        ],
    );
    assert_eq!(r.status, 403);
    // Another browser's valid token is not this browser's.
    let other = server.browser();
    let theirs = other.get("/s/every-type").csrf();
    assert_ne!(theirs, csrf);
    let r = b.post(
        "/s/every-type/p/1",
        &[("csrf", &theirs), ("q-moved", "yes")],
    );
    assert_eq!(r.status, 403);
    let r = b.post("/s/every-type/submit", &[]);
    assert_eq!(r.status, 403);
    stored_nothing(&server);
    // A browser with no cookies at all cannot start a draft.
    let r = server
        .browser()
        .post("/s/every-type/who", &[("csrf", &csrf), ("version", "easy")]);
    assert_eq!(r.status, 403);
    assert_eq!(server.count("SELECT count(*) FROM drafts"), 1);
}

#[test]
fn unknown_and_malformed_codes_are_explained() {
    let server = TestServer::start(&[fixture("surveys")], day("2026-05-01"));
    let b = server.browser();
    let start = b.get("/s/every-type");
    for (code, says) in [
        ("", "Enter your code"),
        ("hello", "16 letters and numbers"),
        ("ZZZZ-ZZZZ-ZZZZ-ZZZZ", "could not find that code"),
        ("<script>", "16 letters and numbers"),
    ] {
        let r = b.post(
            "/s/every-type/resume",
            &[("csrf", &start.csrf()), ("code", code)],
        );
        assert_eq!(r.status, 422, "{code}");
        assert!(r.has(says), "{code}: {}", r.body);
        assert!(r.has("There is a problem"));
    }
    assert_eq!(server.count("SELECT count(*) FROM drafts"), 0);
}

#[test]
fn guessing_codes_is_rate_limited() {
    let server = TestServer::start(&[fixture("surveys")], day("2026-05-01"));
    let b = server.browser();
    let csrf = b.get("/s/every-type").csrf();
    let mut limited = false;
    for i in 0..40 {
        let code = format!("ZZZZ-ZZZZ-ZZZZ-{:04}", i);
        let r = b.post("/s/every-type/resume", &[("csrf", &csrf), ("code", &code)]);
        if r.status == 429 {
            limited = true;
            break;
        }
        assert_eq!(r.status, 422);
    }
    assert!(limited, "guessing is slowed down");
}

#[test]
fn a_closed_survey_takes_no_answers() {
    let server = TestServer::start(&[fixture("surveys"), fixture("closed")], day("2026-05-01"));
    let b = server.browser();
    let start = b.get("/s/closed-survey");
    assert_eq!(start.status, 200);
    assert!(start.has("This survey closed on 30 June 2021"));
    assert!(!start.has("Start now"));
    let csrf = start.csrf();
    let r = b.post(
        "/s/closed-survey/who",
        &[("csrf", &csrf), ("version", "easy")],
    );
    assert_eq!(r.status, 410);
    is_clear_page(&r);
    assert_eq!(b.get("/s/closed-survey/p/1").status, 410);
    assert_eq!(
        b.post("/s/closed-survey/submit", &[("csrf", &csrf)]).status,
        410
    );
    assert_eq!(
        b.post(
            "/s/closed-survey/resume",
            &[("csrf", &csrf), ("code", "ZZZZ-ZZZZ-ZZZZ-ZZZZ")]
        )
        .status,
        410
    );
    assert_eq!(server.count("SELECT count(*) FROM drafts"), 0);
}

#[test]
fn a_draft_in_progress_when_the_survey_closes_cannot_be_sent() {
    let server = TestServer::start(&[fixture("surveys")], day("2099-12-31"));
    let (b, csrf) = started(&server);
    let r = b.post("/s/every-type/p/1", &[("csrf", &csrf), ("q-moved", "no")]);
    assert_eq!(r.status, 303);
    server.clock.set(day("2100-01-01"));
    let r = b.post("/s/every-type/submit", &[("csrf", &csrf)]);
    assert_eq!(r.status, 410);
    assert!(r.has("This survey has closed"));
    assert_eq!(server.count("SELECT count(*) FROM responses"), 0);
}

#[test]
fn every_response_carries_the_security_headers() {
    let server = TestServer::start(&[fixture("surveys")], day("2026-05-01"));
    let b = server.browser();
    for path in [
        "/",
        "/s/every-type",
        "/s/every-type/who",
        "/nowhere",
        "/s/every-type/p/1",
    ] {
        let r = b.get(path);
        let h = |n: &str| {
            r.headers
                .get(n)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        assert!(
            h("content-security-policy").contains("object-src 'none'"),
            "{path}"
        );
        assert!(
            h("content-security-policy").contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(
            !h("content-security-policy").contains("unsafe-inline"),
            "{path}"
        );
        assert_eq!(h("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(h("referrer-policy"), "no-referrer", "{path}");
        assert_eq!(h("cache-control"), "no-store", "{path}");
    }
    let page = b.get("/s/every-type");
    for c in page.headers.get_all("set-cookie") {
        let c = c.to_str().unwrap_or("");
        assert!(
            c.contains("HttpOnly") && c.contains("SameSite=Strict"),
            "{c}"
        );
    }
}
