//! The review team's workspace, end to end over real HTTP against a real SQLite file: signing in
//! (and being slowed and locked out), each role's access to every workspace route, themes run
//! on a few hundred answers and corrected (rename, merge, move), corrections kept when the
//! analysis runs again after more answers arrive, and a disclosure from submission to decision.
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use support::workspace::{PASSWORD, day, runtime, seed, server, sign_in, staff_csrf, wait_for_run};
use support::{Browser, TestServer};

fn active_themes(s: &TestServer) -> Vec<(i64, String)> {
    let db = s.db();
    let mut st = db
        .prepare(
            "SELECT id, label FROM themes WHERE active = 1 AND question_id = 'better' ORDER BY id",
        )
        .expect("query");
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("themes")
}

fn theme_of(s: &TestServer, response: i64) -> (i64, i64) {
    s.db()
        .query_row(
            "SELECT theme_id, placed_by_analyst FROM theme_answers WHERE response_id = ?1 AND question_id = 'better'",
            [response],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("themed")
}

#[test]
fn sign_in_is_slowed_then_locked_and_sessions_end_on_sign_out() {
    let s = server();
    let b = s.browser();
    let form = b.get("/admin/signin");
    // No CSRF token: refused before the password is even looked at.
    let r = b.post("/admin/signin", &[("name", "ana"), ("password", PASSWORD)]);
    assert_eq!(r.status, 403);
    let started = Instant::now();
    for _ in 0..4 {
        let r = b.post(
            "/admin/signin",
            &[
                ("csrf", &form.csrf()),
                ("name", "ana"),
                ("password", "wrong password!"),
            ],
        );
        assert_eq!(r.status, 401);
        assert!(r.has("name or password is not right"));
    }
    assert!(
        started.elapsed() >= Duration::from_millis(250 + 500 + 1000),
        "each failure waits longer"
    );
    let r = b.post(
        "/admin/signin",
        &[
            ("csrf", &form.csrf()),
            ("name", "ana"),
            ("password", "wrong again!!"),
        ],
    );
    assert_eq!(r.status, 401);
    // Locked now: even the right password is refused.
    let r = b.post(
        "/admin/signin",
        &[
            ("csrf", &form.csrf()),
            ("name", "ana"),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(r.status, 429);
    assert!(r.has("locked"));
    assert_eq!(s.count("SELECT count(*) FROM sessions"), 0);
    assert_eq!(
        s.count("SELECT count(*) FROM audit WHERE action = 'account locked'"),
        1
    );
    // An unknown name gets the same answer as a wrong password.
    let r = b.post(
        "/admin/signin",
        &[
            ("csrf", &form.csrf()),
            ("name", "nobody"),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(r.status, 401);
    assert!(r.has("name or password is not right"));

    // Another account signs in; the cookie is HttpOnly, SameSite=Strict and only for /admin.
    let b = s.browser();
    let form = b.get("/admin/signin?next=/admin/audit");
    let r = b.post(
        "/admin/signin",
        &[
            ("csrf", &form.csrf()),
            ("name", "ada"),
            ("password", PASSWORD),
            ("next", "https://evil.example/"),
        ],
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        r.location.as_deref(),
        Some("/admin"),
        "never sent to another site"
    );
    let cookie = r
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("heard_admin="))
        .expect("session cookie");
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/admin")
    );
    let log = b.get("/admin/audit");
    assert_eq!(log.status, 200);
    assert!(log.has("signed in"), "{}", log.body);
    // Past the last page: the last page, with its entries, not an empty one.
    let past = b.get("/admin/audit?page=40");
    assert_eq!(past.status, 200);
    assert!(past.has("signed in"), "{}", past.body);
    let r = b.post("/admin/signout", &[("csrf", &staff_csrf(&b))]);
    assert_eq!(r.status, 303);
    let r = b.get("/admin/audit");
    assert_eq!(r.status, 303, "signed out");
    assert!(
        r.location
            .as_deref()
            .unwrap_or("")
            .starts_with("/admin/signin")
    );
}

#[test]
fn every_workspace_route_answers_each_role_as_it_should() {
    let s = server();
    seed(&s, 0, 12);
    // A disclosure, so there is a flag to open.
    let rt = runtime();
    let store = s.store();
    let draft = rt
        .block_on(store.create_draft("voices", "young", &"f".repeat(64), day("2026-05-01")))
        .expect("draft");
    let mut answers = BTreeMap::new();
    answers.insert(
        "better".to_string(),
        engine::AnswerValue::Text("he hits me".into()),
    );
    let p =
        intake::protect::Protector::phrases_only(safeguard::Screener::builtin()).protect(&answers);
    rt.block_on(store.submit(draft, answers, p, day("2026-05-01")))
        .expect("submit");
    let flag = s.count("SELECT max(id) FROM flags");
    assert!(flag > 0);
    let analyst = sign_in(&s, "ana");
    let r = analyst.post(
        "/admin/surveys/voices/themes/better/run",
        &[("csrf", &staff_csrf(&analyst)), ("k", "3")],
    );
    assert_eq!(r.status, 303);
    wait_for_run(&analyst, r.location.as_deref().expect("to the run"));
    let theme = active_themes(&s)[0].0;
    let run = s.count("SELECT max(id) FROM theme_runs");
    let response = s.count("SELECT min(id) FROM responses");

    // Who may use what: written out here, apart from the table the server enforces.
    let all = ["ada", "ana", "sal", "cam"];
    let themes = ["ada", "ana"];
    let exporters = ["ada", "ana", "cam"];
    let expected: Vec<(&str, String, &[&str])> = vec![
        ("GET", "/admin".into(), &all),
        ("GET", "/admin/audit".into(), &["ada"]),
        ("GET", "/admin/surveys/voices".into(), &all),
        ("GET", "/admin/surveys/voices/themes".into(), &themes),
        ("GET", "/admin/surveys/voices/themes/better".into(), &themes),
        (
            "POST",
            "/admin/surveys/voices/themes/better/run".into(),
            &themes,
        ),
        (
            "GET",
            "/admin/surveys/voices/themes/better/runs".into(),
            &themes,
        ),
        (
            "GET",
            format!("/admin/surveys/voices/themes/better/runs/{run}"),
            &themes,
        ),
        (
            "POST",
            "/admin/surveys/voices/themes/better/merge".into(),
            &themes,
        ),
        (
            "GET",
            format!("/admin/surveys/voices/themes/better/t/{theme}"),
            &themes,
        ),
        (
            "POST",
            format!("/admin/surveys/voices/themes/better/t/{theme}/rename"),
            &themes,
        ),
        (
            "POST",
            format!("/admin/surveys/voices/themes/better/t/{theme}/split"),
            &themes,
        ),
        (
            "POST",
            format!("/admin/surveys/voices/themes/better/answers/{response}"),
            &themes,
        ),
        ("GET", "/admin/surveys/voices/export".into(), &exporters),
        ("POST", "/admin/surveys/voices/export".into(), &exporters),
        ("GET", "/admin/surveys/voices/import".into(), &themes),
        ("POST", "/admin/surveys/voices/import".into(), &themes),
        ("GET", "/admin/safeguarding".into(), &["sal"]),
        ("GET", format!("/admin/safeguarding/{flag}"), &["sal"]),
        ("POST", format!("/admin/safeguarding/{flag}"), &["sal"]),
        ("POST", "/admin/signout".into(), &all),
    ];
    // Every route the server knows is covered here.
    assert_eq!(
        expected.len() + 2,
        web::review::access::ROUTES.len(),
        "a new route needs a line here"
    );
    let sessions: Vec<(&str, Browser)> = all.iter().map(|n| (*n, sign_in(&s, n))).collect();
    for (method, path, allowed) in &expected {
        let anon = s.browser();
        let r = if *method == "GET" {
            anon.get(path)
        } else {
            anon.post(path, &[("csrf", "x")])
        };
        assert_eq!(r.status, 303, "{method} {path} without a session");
        assert!(
            r.location
                .as_deref()
                .unwrap_or("")
                .starts_with("/admin/signin"),
            "{method} {path}"
        );
        for (name, b) in &sessions {
            let r = if *method == "GET" {
                b.get(path)
            } else {
                // Allowed posts get a valid token but fields that change nothing (or no token for
                // sign-out, which would end the session), so the walk has no side effects.
                let csrf = if path.ends_with("signout") {
                    String::new()
                } else {
                    staff_csrf(b)
                };
                b.post(
                    path,
                    &[
                        ("csrf", &csrf),
                        ("k", "x"),
                        ("label", ""),
                        ("parts", "99"),
                        ("action", "none"),
                        ("status", ""),
                    ],
                )
            };
            let refused = r.status == 403 && r.has("not part of your role");
            if allowed.contains(name) {
                assert_ne!(
                    r.status, 303,
                    "{name} {method} {path} is not sent to sign in"
                );
                assert!(!refused, "{name} may {method} {path}: got {}", r.status);
                if *method == "GET" {
                    assert_eq!(r.status, 200, "{name} GET {path}");
                }
            } else {
                assert!(
                    refused,
                    "{name} may not {method} {path}: got {} {}",
                    r.status,
                    &r.body[..r.body.len().min(200)]
                );
            }
        }
    }
    // Nothing the walk did changed a theme or a flag.
    assert_eq!(s.count("SELECT count(*) FROM flag_decisions"), 0);
    assert_eq!(
        s.count("SELECT count(*) FROM themes WHERE named_by_analyst = 1"),
        0
    );
    assert_eq!(s.count("SELECT count(*) FROM theme_runs"), 1);
    assert_eq!(
        s.count("SELECT count(*) FROM responses WHERE channel != 'web'"),
        0
    );
}

#[test]
fn a_themes_run_started_while_answers_are_masked_again_waits_until_they_are() {
    let s = server();
    seed(&s, 0, 60);
    let b = sign_in(&s, "ana");
    // As `heard serve` sets it while it masks stored answers again with a newer masker: a run
    // read now would name themes from copies the older masker made.
    s.state
        .remasking
        .store(true, std::sync::atomic::Ordering::Release);
    let r = b.post(
        "/admin/surveys/voices/themes/better/run",
        &[("csrf", &staff_csrf(&b)), ("k", "3")],
    );
    assert_eq!(r.status, 303);
    let run = r.location.clone().expect("run page");
    std::thread::sleep(std::time::Duration::from_millis(500));
    let waiting = b.get(&run);
    assert!(
        waiting.has("Running.") && waiting.has("Waiting while stored answers are masked again"),
        "{}",
        waiting.body
    );
    assert_eq!(s.count("SELECT count(*) FROM themes"), 0);
    s.state
        .remasking
        .store(false, std::sync::atomic::Ordering::Release);
    let done = wait_for_run(&b, &run);
    assert!(done.has("Finished"), "{}", done.body);
    assert_eq!(s.count("SELECT count(*) FROM themes WHERE active = 1"), 3);
}

#[test]
fn themes_are_run_corrected_and_the_corrections_survive_a_new_run() {
    let s = server();
    seed(&s, 0, 240);
    let b = sign_in(&s, "ana");
    let page = b.get("/admin/surveys/voices/themes/better");
    assert_eq!(page.status, 200);
    assert!(page.has("240 answers"));
    let r = b.post(
        "/admin/surveys/voices/themes/better/run",
        &[("csrf", &staff_csrf(&b)), ("k", "4"), ("seed", "7")],
    );
    assert_eq!(r.status, 303);
    let done = wait_for_run(&b, r.location.as_deref().expect("run page"));
    assert!(done.has("Finished"), "{}", done.body);
    assert!(done.has("Number of themes: 4"), "{}", done.body);
    // The list of runs says in words what each run asked for, never the stored JSON.
    let runs = b.get("/admin/surveys/voices/themes/better/runs");
    assert_eq!(runs.status, 200);
    assert!(
        runs.has("<td>4</td>") && runs.has("<td>meaning and words</td>"),
        "{}",
        runs.body
    );
    assert!(
        !runs.has("&quot;k&quot;") && !runs.has("{\""),
        "{}",
        runs.body
    );
    let themes = active_themes(&s);
    assert_eq!(themes.len(), 4);
    let page = b.get("/admin/surveys/voices/themes/better");
    for (_, label) in &themes {
        assert!(page.has(&support::escape(label)), "theme {label} listed");
    }
    assert!(page.has("Care setting:"), "shares by care setting");

    // Rename the first, merge the next two, move one answer of the first into the last.
    let (renamed, _) = themes[0].clone();
    let csrf = staff_csrf(&b);
    let r = b.post(
        &format!("/admin/surveys/voices/themes/better/t/{renamed}/rename"),
        &[("csrf", &csrf), ("label", "Keeping the same social worker")],
    );
    assert_eq!(r.status, 303);
    let (a, c) = (themes[1].0, themes[2].0);
    let r = b.post(
        "/admin/surveys/voices/themes/better/merge",
        &[
            ("csrf", &csrf),
            ("theme", &a.to_string()),
            ("theme", &c.to_string()),
        ],
    );
    assert_eq!(r.status, 303);
    let merged_into = if active_themes(&s).iter().any(|t| t.0 == a) {
        a
    } else {
        c
    };
    let merged_away = if merged_into == a { c } else { a };
    let target = themes[3].0;
    let moved: i64 = s.db().query_row(
        "SELECT response_id FROM theme_answers WHERE theme_id = ?1 ORDER BY response_id LIMIT 1", [renamed], |r| r.get(0)).expect("an answer");
    let r = b.post(
        &format!("/admin/surveys/voices/themes/better/answers/{moved}"),
        &[
            ("csrf", &csrf),
            ("action", "move"),
            ("theme", &target.to_string()),
            ("back", &renamed.to_string()),
        ],
    );
    assert_eq!(r.status, 303);
    assert_eq!(theme_of(&s, moved), (target, 1));
    let r = b.post(
        &format!("/admin/surveys/voices/themes/better/answers/{moved}"),
        &[("csrf", &csrf), ("action", "quote")],
    );
    assert_eq!(r.status, 303);
    // Keyword search and filters on a theme's page.
    let p = b.get(&format!(
        "/admin/surveys/voices/themes/better/t/{target}?q=social&care_setting=&version="
    ));
    assert!(p.has("quote for reports"));
    let merged_size_before = s.count(&format!(
        "SELECT count(*) FROM theme_answers WHERE theme_id = {merged_into}"
    ));

    // More answers arrive; the analysis runs again with the same options.
    seed(&s, 240, 80);
    let r = b.post(
        "/admin/surveys/voices/themes/better/run",
        &[("csrf", &staff_csrf(&b)), ("k", "4"), ("seed", "7")],
    );
    let done = wait_for_run(&b, r.location.as_deref().expect("run page"));
    assert!(done.has("Finished"), "{}", done.body);
    let after = active_themes(&s);
    assert!(
        after.contains(&(renamed, "Keeping the same social worker".into())),
        "the name is kept: {after:?}"
    );
    assert_eq!(
        theme_of(&s, moved),
        (target, 1),
        "the moved answer stays placed"
    );
    assert!(
        !after.iter().any(|t| t.0 == merged_away),
        "a merged theme does not come back"
    );
    let merged_size_after = s.count(&format!(
        "SELECT count(*) FROM theme_answers WHERE theme_id = {merged_into}"
    ));
    assert!(
        merged_size_after >= merged_size_before,
        "the merged theme keeps its answers and gains new ones: {merged_size_before} -> {merged_size_after}"
    );
    assert_eq!(
        s.count("SELECT count(*) FROM theme_answers WHERE question_id = 'better'"),
        320,
        "every answer has a theme"
    );
    // Each run is kept with its options and seed.
    assert_eq!(s.count("SELECT count(*) FROM theme_runs WHERE status = 'done' AND seed = 7 AND options LIKE '%\"k\":\"4\"%'"), 2);
    let runs = b.get("/admin/surveys/voices/themes/better/runs");
    let latest = s.count("SELECT max(id) FROM theme_runs");
    assert!(runs.has(&format!("/runs/{latest}\"")) && runs.has(&format!("/runs/{}\"", latest - 1)));
    // How a run was made is on its own page, not in the list.
    let run = b.get(&format!(
        "/admin/surveys/voices/themes/better/runs/{latest}"
    ));
    assert!(run.has("k-means") && !runs.has("k-means"), "{}", run.body);
    // Every correction is in the audit log.
    for action in [
        "theme renamed",
        "themes merged",
        "answer moved",
        "marked as a quote",
        "themes run started",
    ] {
        assert!(
            s.count(&format!(
                "SELECT count(*) FROM audit WHERE action = '{action}' AND user_name = 'ana'"
            )) >= 1,
            "{action} audited"
        );
    }
    // Split the merged theme in two: its answers are placed and stay placed.
    let r = b.post(
        &format!("/admin/surveys/voices/themes/better/t/{merged_into}/split"),
        &[("csrf", &staff_csrf(&b)), ("parts", "2")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        s.count("SELECT count(*) FROM themes WHERE origin = 'split' AND active = 1"),
        2
    );
}

/// A young person's way through the survey over HTTP to "Check your answers", writing `text`
/// as their answer to what would make things better.
fn answer_better(s: &TestServer, text: &str) -> (support::Browser, support::Page) {
    let child = s.browser();
    child.get("/s/voices");
    let who = child.get("/s/voices/who");
    let r = child.post(
        "/s/voices/who",
        &[("csrf", &who.csrf()), ("version", "young")],
    );
    let mut page = child.follow(r);
    for _ in 0..10 {
        if page.has("Check your answers") {
            break;
        }
        let mut fields: Vec<(String, String)> = vec![("csrf".into(), page.csrf())];
        for f in page.fields() {
            if f.name == "q-better" {
                fields.push((f.name.clone(), text.into()));
            }
        }
        let action = page.form_action().expect("form");
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        page = child.follow(child.post(&support::path_of(&action), &refs));
    }
    (child, page)
}

#[test]
fn a_disclosure_goes_from_submission_to_a_decision_and_analysts_see_no_personal_data() {
    let s = server();
    seed(&s, 0, 20);
    // A young person answers over HTTP with words that disclose harm, and a phone number.
    let disclosure = "my mums boyfriend hurst me when shes out. ring me on 07700 900123";
    let (child, page) = answer_better(&s, disclosure);
    assert!(page.has("Check your answers"));
    let done = child.follow(child.post("/s/voices/submit", &[("csrf", &page.csrf())]));
    assert_eq!(done.status, 200);
    assert!(done.has("If something is worrying you") && done.has("0800 1111") && done.has("999"));
    assert!(
        !done.body.to_lowercase().contains("flag"),
        "never told they were flagged"
    );
    // "hurst" is a weak phrase: the help above showed at once, and the learned layer's reading
    // in the background (normally within a second) puts it in the queue, with the words that
    // triggered it.
    let started = std::time::Instant::now();
    while s.count("SELECT count(*) FROM flags WHERE status = 'new'") == 0
        && started.elapsed() < std::time::Duration::from_secs(60)
    {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(
        s.count("SELECT count(*) FROM flags WHERE status = 'new'"),
        1
    );
    let flag = s.count("SELECT id FROM flags");

    let analyst = sign_in(&s, "ana");
    let themes_page = analyst.get("/admin/surveys/voices/themes/better");
    assert_eq!(themes_page.status, 200);
    let r = analyst.post(
        "/admin/surveys/voices/themes/better/run",
        &[("csrf", &staff_csrf(&analyst)), ("k", "2")],
    );
    wait_for_run(&analyst, r.location.as_deref().expect("run"));
    for (t, _) in active_themes(&s) {
        let p = analyst.get(&format!("/admin/surveys/voices/themes/better/t/{t}"));
        assert!(!p.has("07700"), "analysts never see the phone number");
        if p.has("hurst me") {
            assert!(p.has("[phone number]"));
        }
    }
    assert_eq!(analyst.get("/admin/safeguarding").status, 403);

    let lead = sign_in(&s, "sal");
    let home = lead.get("/admin");
    assert!(home.has("1 possible disclosure waiting"));
    let q = lead.get("/admin/safeguarding");
    assert!(q.has("<mark>hurst me</mark>"), "{}", q.body);
    // "hurst" is one letter from "hurt": weak alone, so the learned layer confirmed it, and the
    // queue says so with its score.
    assert_eq!(
        s.count("SELECT count(*) FROM flags WHERE trigger = 'phrase_confirmed' AND score >= 0.5"),
        1
    );
    assert!(
        q.has("Triggered by: A one-word or misspelt indicator, or a phrase ordinary answers use too, confirmed by the learned layer (score 0."),
        "{}",
        q.body
    );
    assert!(q.has("07700 900123"), "the lead sees the original words");
    let csrf = staff_csrf(&lead);
    let path = format!("/admin/safeguarding/{flag}");
    let r = lead.post(
        &path,
        &[("csrf", &csrf), ("status", "reviewed"), ("note", "")],
    );
    assert_eq!(r.status, 422, "a decision needs a note");
    let r = lead.post(
        &path,
        &[
            ("csrf", &csrf),
            ("status", "reviewed"),
            ("note", "Read; calling the local authority duty desk."),
        ],
    );
    assert_eq!(r.status, 303);
    let r = lead.post(
        &path,
        &[
            ("csrf", &csrf),
            ("status", "escalated"),
            ("note", "Referred to the LADO."),
        ],
    );
    assert_eq!(r.status, 303);
    let r = lead.post(
        &path,
        &[("csrf", &csrf), ("status", "new"), ("note", "undo")],
    );
    assert_eq!(r.status, 409, "a flag never goes back to new");
    assert_eq!(
        s.count("SELECT count(*) FROM flags WHERE status = 'escalated'"),
        1
    );
    let p = lead.get(&path);
    assert!(p.has("Referred to the LADO.") && p.has("by sal"));
    let confirm_at = safeguard::learned::LearnedModel::builtin()
        .expect("the bundled model")
        .confirm_at;
    assert!(
        p.has("confirmed by the learned layer (score 0.")
            && p.has(&format!("it flags at {confirm_at:.2})"))
    );
    // The respondent deletes their response: the disclosure stays with the lead.
    assert_eq!(
        s.count("SELECT count(*) FROM flag_decisions WHERE user_name = 'sal'"),
        2
    );

    let admin = sign_in(&s, "ada");
    let log = admin.get("/admin/audit");
    for what in ["safeguarding decision", "signed in", "themes run started"] {
        assert!(log.has(what), "{what} in the audit log");
    }
    assert!(!log.has("LADO"), "the audit log holds no notes");

    // Words no indicator phrase lists: the learned layer alone sends them to the queue, and the
    // queue says so, with the score beside the threshold it passed.
    let (child, page) = answer_better(
        &s,
        "every night i lie awake wishing i could just stop existing",
    );
    let done = child.follow(child.post("/s/voices/submit", &[("csrf", &page.csrf())]));
    assert_eq!(done.status, 200);
    // The learned layer reads it in the background, within a second or so.
    let learned = "SELECT count(*) FROM flags WHERE trigger = 'learned' AND score IS NOT NULL";
    for _ in 0..300 {
        if s.count(learned) == 1 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(s.count(learned), 1);
    assert_eq!(
        s.count("SELECT count(*) FROM answers WHERE weighed <= 0"),
        0
    );
    let q = lead.get("/admin/safeguarding");
    assert!(q.has("reads like a disclosure"), "{}", q.body);
    assert!(
        q.has("Triggered by: The learned layer alone: the answer reads like a disclosure though no indicator phrase matched (score 0.9"),
        "{}",
        q.body
    );

    // A firm phrase in words the learned layer is all but sure are ordinary: flagged at once,
    // then set aside when the learned layer reads it in the background: not among the new
    // flags, but in the queue under a tab of its own, for a person to read.
    let new_before = s.count("SELECT count(*) FROM flags WHERE status = 'new'");
    let (child, page) = answer_better(&s, "maths homework is killing me, too many worksheets");
    let done = child.follow(child.post("/s/voices/submit", &[("csrf", &page.csrf())]));
    assert_eq!(done.status, 200);
    let veto_at = safeguard::learned::LearnedModel::builtin()
        .expect("the bundled model")
        .veto_at;
    let aside = format!(
        "SELECT count(*) FROM flags WHERE status = 'set_aside'
         AND trigger = 'phrase_set_aside' AND score < {veto_at}"
    );
    for _ in 0..300 {
        if s.count(&aside) == 1 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(s.count(&aside), 1);
    assert_eq!(
        s.count("SELECT count(*) FROM flags WHERE status = 'new'"),
        new_before
    );
    let aside = s.count("SELECT id FROM flags WHERE status = 'set_aside'");
    let q = lead.get("/admin/safeguarding");
    assert!(q.has("Set aside (1)"), "{}", q.body);
    let tab = lead.get("/admin/safeguarding?status=set_aside");
    assert!(tab.has("<mark>killing me</mark>"), "{}", tab.body);
    assert!(
        tab.has("set aside: the learned layer was all but sure the answer is ordinary (score 0.0"),
        "{}",
        tab.body
    );
    let path = format!("/admin/safeguarding/{aside}");
    let r = lead.post(
        &path,
        &[("csrf", &csrf), ("status", "set_aside"), ("note", "again")],
    );
    assert_eq!(r.status, 409, "only the screening sets a flag aside");
    let r = lead.post(
        &path,
        &[
            ("csrf", &csrf),
            ("status", "no_further_action"),
            ("note", "About a slow app."),
        ],
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        s.count("SELECT count(*) FROM flags WHERE status = 'set_aside'"),
        0
    );
}

/// A paper-forms file: good rows (choices by id and by label, in any case), a disclosure with a
/// phone number, and rows that must be refused whole.
fn paper_file() -> Vec<u8> {
    let mut f = String::from("\u{feff}version,setting,region,listened,better,Notes\n");
    let good = [
        "young,foster,North,4,more contact with my siblings on paper,typed by AB",
        "adult,Children's home,south,2,\"help with rent, bills and food when i leave care\",",
        "young,KINSHIP,north,,the same social worker for longer please,",
        "young,foster,north,3,\"my mums boyfriend hits me when she is out, ring me on 07700 900123\",",
        "adult,,,5,a tutor for maths at school,",
    ];
    let bad = [
        // A choice the survey does not offer.
        "young,castle,north,3,something,",
        // A scale point out of range.
        "young,foster,north,9,ok,",
        // No version.
        ",foster,north,3,hello,",
        // Text over the question's limit.
        &format!("young,foster,north,3,{},", "a".repeat(2001)),
        // Nothing answered.
        "young,,,,,just a note",
    ];
    for (i, row) in good.iter().enumerate() {
        f.push_str(row);
        f.push('\n');
        f.push_str(bad[i]);
        f.push('\n');
    }
    f.into_bytes()
}

#[test]
fn answers_from_paper_are_imported_once_screened_masked_and_counted_by_channel() {
    let s = server();
    seed(&s, 0, 60);
    let ana = sign_in(&s, "ana");
    let form = ana.get("/admin/surveys/voices/import");
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(
        form.has("version,setting,region,listened,better"),
        "the first line to use"
    );
    let csrf = form.csrf();
    let file = paper_file();
    let upload = |b: &Browser, fields: &[(&str, &str)]| {
        b.post_multipart(
            "/admin/surveys/voices/import",
            fields,
            &[("file", "paper forms.csv", &file)],
        )
    };
    let web_responses = s.count("SELECT count(*) FROM responses");

    // Refused whole: no CSRF token, not multipart, no channel, a commissioner.
    assert_eq!(upload(&ana, &[("channel", "paper")]).status, 403);
    let r = ana.post(
        "/admin/surveys/voices/import",
        &[("csrf", &csrf), ("channel", "paper")],
    );
    assert_eq!(r.status, 415);
    let r = upload(&ana, &[("csrf", &csrf)]);
    assert_eq!(r.status, 422);
    assert!(r.has("Choose how these answers were gathered"));
    let r = upload(&ana, &[("csrf", &csrf), ("channel", "web")]);
    assert_eq!(r.status, 422, "web answers are not imported");
    let cam = sign_in(&s, "cam");
    let r = upload(&cam, &[("csrf", &staff_csrf(&cam)), ("channel", "paper")]);
    assert_eq!(r.status, 403);
    assert_eq!(s.count("SELECT count(*) FROM responses"), web_responses);

    // The file: five rows stored, five refused with their row, line and reason.
    let r = upload(&ana, &[("csrf", &csrf), ("channel", "paper")]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.has("5 imported, 0 already imported before, 5 refused"),
        "{}",
        r.body
    );
    for (row, line, why) in [
        (2, 3, "does not offer `castle`"),
        (4, 5, "does not offer `9`"),
        (6, 7, "no version given"),
        (8, 9, "2000"),
        (10, 11, "answers no question"),
    ] {
        assert!(
            r.body.contains(&format!(
                "<td class=\"num\">{row}</td><td class=\"num\">{line}</td>"
            )),
            "row {row} on line {line} refused: {}",
            r.body
        );
        assert!(r.has(why), "row {row}: {why}");
    }
    assert!(r.has("Notes"), "the unread column is named");
    assert!(r.has("in the safeguarding queue"));
    assert!(
        r.has("in the background; any it flags join the safeguarding queue"),
        "the page says the learned layer is still reading"
    );
    assert_eq!(
        s.count("SELECT count(*) FROM responses WHERE channel = 'paper'"),
        5
    );
    assert_eq!(
        s.count("SELECT count(*) FROM answers WHERE value LIKE '%something%' OR value LIKE '%hello%' OR value LIKE '%aaaa%' OR value LIKE '%just a note%'"),
        0,
        "nothing of a refused row is stored"
    );
    assert_eq!(
        s.count("SELECT count(*) FROM answers WHERE question_id = 'setting' AND value = '{\"choice\":\"residential\"}' AND response_id IN (SELECT id FROM responses WHERE channel = 'paper')"),
        1,
        "a choice given by its label is stored by its id"
    );
    assert_eq!(
        s.count("SELECT count(*) FROM answers WHERE masked LIKE '%[phone number]%' AND text LIKE '%07700 900123%'"),
        1,
        "masked like a web answer, the original kept"
    );
    assert_eq!(
        s.count("SELECT count(*) FROM flags WHERE channel = 'paper' AND status = 'new'"),
        1
    );
    assert_eq!(
        s.count(
            "SELECT count(*) FROM audit WHERE action = 'answers imported' AND user_name = 'ana'"
        ),
        1
    );

    // The same file again: nothing new.
    let r = upload(&ana, &[("csrf", &csrf), ("channel", "paper")]);
    assert!(
        r.has("0 imported, 5 already imported before, 5 refused"),
        "{}",
        r.body
    );
    assert_eq!(s.count("SELECT count(*) FROM responses"), web_responses + 5);
    assert_eq!(
        s.count("SELECT count(*) FROM flags"),
        s.count("SELECT count(*) FROM flags WHERE channel = 'paper'")
            + s.count("SELECT count(*) FROM flags WHERE channel = 'web'")
    );
    assert_eq!(
        s.count("SELECT count(*) FROM flags WHERE channel = 'paper'"),
        1
    );

    // The safeguarding lead sees the disclosure, from paper.
    let sal = sign_in(&s, "sal");
    let queue = sal.get("/admin/safeguarding");
    assert!(queue.has("Paper form"), "{}", queue.body);
    assert!(queue.has("hits me"));

    // The dashboard counts paper answers, and breaks choices down by channel.
    let dash = ana.get("/admin/surveys/voices");
    assert!(dash.has("Paper form: 5"), "{}", dash.body);
    assert!(dash.has(&format!("Online survey: {web_responses}")));
    assert!(dash.has("By channel</caption>"));

    // Themes: paper answers are themed with the rest, and a theme's answers filter by channel.
    let r = ana.post(
        "/admin/surveys/voices/themes/better/run",
        &[("csrf", &csrf), ("k", "4"), ("seed", "3")],
    );
    assert_eq!(r.status, 303);
    let done = wait_for_run(&ana, r.location.as_deref().expect("run page"));
    assert!(done.has("Finished"), "{}", done.body);
    let themes_page = ana.get("/admin/surveys/voices/themes/better");
    assert!(themes_page.has("Channels:"));
    assert!(!themes_page.has("07700"), "analysts see no phone number");
    let (theme, paper_in_theme): (i64, i64) = s
        .db()
        .query_row(
            "SELECT ta.theme_id, count(*) FROM theme_answers ta JOIN responses r ON r.id = ta.response_id
             WHERE r.channel = 'paper' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("paper answers are in themes");
    let p = ana.get(&format!(
        "/admin/surveys/voices/themes/better/t/{theme}?channel=paper"
    ));
    assert_eq!(p.status, 200);
    let shown = p.body.matches("<li class=\"answer-item\"").count() as i64;
    assert_eq!(shown, paper_in_theme, "only paper answers shown");
    assert_eq!(p.body.matches(" · Online survey").count(), 0);
}

/// The flag ids a queue page lists, in order.
fn queue_ids(page: &support::Page) -> Vec<i64> {
    page.body
        .split("<a href=\"/admin/safeguarding/")
        .skip(1)
        .map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().expect("a flag id")
        })
        .collect()
}

#[test]
fn the_safeguarding_queue_comes_fifty_to_a_page_with_every_flag_once() {
    let s = server();
    // 123 disclosures, stored through the same screening as the web.
    let rt = runtime();
    let store = s.store();
    let screen = intake::protect::Protector::phrases_only(safeguard::Screener::builtin());
    for i in 0..123 {
        let draft = rt
            .block_on(store.create_draft(
                "voices",
                "young",
                &format!("q{i:063}"),
                day("2026-05-01"),
            ))
            .expect("draft");
        let mut answers = BTreeMap::new();
        answers.insert(
            "better".to_string(),
            engine::AnswerValue::Text(format!("he hits me, answer {i}")),
        );
        let p = screen.protect(&answers);
        rt.block_on(store.submit(draft, answers, p, day("2026-05-01")))
            .expect("submit");
    }
    assert_eq!(s.count("SELECT count(*) FROM flags"), 123);
    // Every seventh reviewed: the queue is the new ones oldest first, then those newest first.
    let ids = |sql: &str| -> Vec<i64> {
        let db = s.db();
        let mut st = db.prepare(sql).expect("query");
        st.query_map([], |r| r.get(0))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("ids")
    };
    for id in ids("SELECT id FROM flags WHERE id % 7 = 3") {
        rt.block_on(store.decide_flag(id, "reviewed", "Read.", "sal"))
            .expect("decided");
    }
    let new = ids("SELECT id FROM flags WHERE status = 'new' ORDER BY id");
    let mut queue = new.clone();
    queue.extend(ids(
        "SELECT id FROM flags WHERE status != 'new' ORDER BY id DESC",
    ));
    assert_eq!((new.len(), queue.len()), (105, 123));

    let lead = sign_in(&s, "sal");
    let one = lead.get("/admin/safeguarding");
    assert_eq!(one.status, 200);
    assert_eq!(
        queue_ids(&one),
        queue[..50],
        "page 1: the first 50, in order"
    );
    assert!(
        one.has("Showing 1–50 of 123 (page 1 of 3)."),
        "{}",
        one.body
    );
    assert!(one.has("<nav aria-label=\"Pages of the safeguarding queue\""));
    assert!(one.has(
        "<a href=\"/admin/safeguarding\" aria-current=\"page\"><span class=\"visually-hidden\">Page </span>1</a>"
    ));
    assert!(one.has("<a href=\"/admin/safeguarding?page=2\" rel=\"next\">"));
    assert!(!one.has("rel=\"prev\""));

    let two = lead.get("/admin/safeguarding?page=2");
    assert_eq!(queue_ids(&two), queue[50..100]);
    assert!(two.has("Showing 51–100 of 123 (page 2 of 3)."));
    assert!(two.has("<a href=\"/admin/safeguarding\" rel=\"prev\">"));
    assert!(two.has("<a href=\"/admin/safeguarding?page=3\" rel=\"next\">"));
    let three = lead.get("/admin/safeguarding?page=3");
    assert_eq!(queue_ids(&three), queue[100..], "the last page: the rest");
    assert!(three.has("Showing 101–123 of 123 (page 3 of 3)."));
    assert!(three.has("aria-current=\"page\"><span class=\"visually-hidden\">Page </span>3</a>"));
    assert!(!three.has("rel=\"next\""));

    // Every flag exactly once across the pages.
    let mut seen: Vec<i64> = [&one, &two, &three]
        .iter()
        .flat_map(|p| queue_ids(p))
        .collect();
    seen.sort_unstable();
    let mut all = queue.clone();
    all.sort_unstable();
    assert_eq!(seen, all);

    // A page that is not a number, or out of range, is a page, never an error.
    for (asked, shows) in [
        ("abc", &one),
        ("-3", &one),
        ("0", &one),
        ("", &one),
        ("%FF", &one),
        ("4", &three),
        ("99999999999999999999", &three),
    ] {
        let p = lead.get(&format!("/admin/safeguarding?page={asked}"));
        assert_eq!(p.status, 200, "?page={asked}: {}", p.body);
        assert_eq!(queue_ids(&p), queue_ids(shows), "?page={asked}");
    }

    // The filter and the pages together: the links keep the filter.
    let new_two = lead.get("/admin/safeguarding?status=new&page=2");
    assert_eq!(queue_ids(&new_two), new[50..100]);
    assert!(new_two.has("Showing 51–100 of 105 (page 2 of 3)."));
    assert!(new_two.has("<a href=\"/admin/safeguarding?status=new\" rel=\"prev\">"));
    assert!(new_two.has("<a href=\"/admin/safeguarding?status=new&amp;page=3\" rel=\"next\">"));
    let new_last = lead.get("/admin/safeguarding?status=new&page=99999999999999999999");
    assert_eq!(queue_ids(&new_last), new[100..]);
    let reviewed = lead.get("/admin/safeguarding?status=reviewed&page=2");
    assert_eq!(reviewed.status, 200);
    assert_eq!(queue_ids(&reviewed), queue[105..], "18 reviewed: one page");
    assert!(
        !reviewed.has("Pages of the safeguarding queue"),
        "no pager for one page"
    );
    // A status the queue does not have is no filter.
    let unknown = lead.get("/admin/safeguarding?status=%3Cscript%3E&page=2");
    assert_eq!(queue_ids(&unknown), queue[50..100]);
    assert!(!unknown.has("<script>") && !unknown.has("%3Cscript"));
}
