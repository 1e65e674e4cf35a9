//! While `heard serve` masks stored answers again, the workspace pages that show answers' masked
//! words wait (503, `Retry-After`, a page saying why) and the others do not: the router called
//! with `oneshot` over a real SQLite file.
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::Ordering;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use chrono::NaiveDate;
use engine::accounts::{Role, hash_password};
use engine::store::{MachineTheme, RunResult, SubmitOutcome};
use tower::ServiceExt;

/// What the theme's answers say, in their masked copies (no personal data in it to mask).
const SAID: &str = "the bus to school is always late";
/// An answer the safeguarding queue shows as written.
const DISCLOSED: &str = "my dad hits me when he drinks";

struct Workspace {
    state: web::SharedState,
    analyst: String,
    lead: String,
    /// The one theme's page.
    theme: String,
    _dir: tempfile::TempDir,
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, 1).expect("date")
}

/// The `voices` fixture with an analyst, the safeguarding lead, answers (one of them flagged)
/// and a theme, as a finished run leaves it.
async fn workspace() -> Workspace {
    let dir = tempfile::tempdir().expect("temp dir");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/workspace");
    let surveys = web::commands::check::load_all(&[fixture]).expect("survey loads");
    let store = engine::Store::open(&dir.path().join("heard.db")).expect("database opens");
    // Phrases and masking alone: the learned layer is not what this test is about.
    let protector = intake::protect::Protector::phrases_only(safeguard::Screener::builtin());
    let state = web::AppState::with_protector(
        surveys,
        store.clone(),
        web::Clock::manual(day()),
        web::Config::default(),
        protector,
    );
    let mut sessions = Vec::new();
    for (name, role) in [("ana", Role::Analyst), ("sal", Role::Safeguarding)] {
        let hash = hash_password("a long enough password").expect("hash");
        let user = store
            .add_user(name, role, hash, "test")
            .await
            .expect("user");
        sessions.push(store.start_session(user.id).await.expect("session"));
    }
    let mut members = Vec::new();
    for (i, text) in [SAID, SAID, SAID, DISCLOSED].into_iter().enumerate() {
        let draft = store
            .create_draft("voices", "adult", &format!("{i:064}"), day())
            .await
            .expect("draft");
        let answers = BTreeMap::from([(
            "better".to_string(),
            engine::AnswerValue::Text(text.to_string()),
        )]);
        let protection = state.protector.protect(&answers);
        match store
            .submit(draft, answers, protection, day())
            .await
            .expect("submit")
        {
            SubmitOutcome::Stored(id) if text == SAID => members.push(id),
            SubmitOutcome::Stored(_) => {}
            other => panic!("not stored: {other:?}"),
        }
    }
    let run = store
        .start_theme_run("voices", "better", "{}".into(), 1, "test", "ana")
        .await
        .expect("run starts");
    let result = RunResult {
        k: 1,
        k_choice: String::new(),
        software: "test".into(),
        answers: members.len(),
        themes: vec![MachineTheme {
            label: "Buses".into(),
            terms: vec!["bus".into()],
            representatives: members.clone(),
            members,
        }],
    };
    store
        .finish_theme_run(run, result)
        .await
        .expect("run finishes");
    let themes = store.themes("voices", "better").expect("themes");
    let theme = format!("/admin/surveys/voices/themes/better/t/{}", themes[0].id);
    let lead = sessions.pop().expect("lead");
    let analyst = sessions.pop().expect("analyst");
    Workspace {
        state,
        analyst,
        lead,
        theme,
        _dir: dir,
    }
}

/// GET `path` through the whole router, signed in with `session` if given.
async fn get(w: &Workspace, path: &str, session: Option<&str>) -> (StatusCode, HeaderMap, String) {
    let mut req = Request::get(path);
    if let Some(token) = session {
        req = req.header(header::COOKIE, format!("heard_admin={token}"));
    }
    let resp = web::router(w.state.clone())
        .oneshot(req.body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let (parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.expect("body");
    (
        parts.status,
        parts.headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

fn remasking(w: &Workspace, on: bool) {
    // As `heard serve` sets it while it masks stored answers again with a newer masker.
    w.state.remasking.store(on, Ordering::Release);
}

#[tokio::test]
async fn pages_showing_masked_answers_wait_while_they_are_masked_again() {
    let w = workspace().await;
    let ana = Some(w.analyst.as_str());
    let searched = format!("{}?q=bus&version=adult", w.theme);
    let waiting = [
        "/admin/surveys/voices/themes/better",
        w.theme.as_str(),
        searched.as_str(),
    ];
    for path in waiting {
        let (status, _, page) = get(&w, path, ana).await;
        assert_eq!(status, StatusCode::OK, "{path}: {page}");
        assert!(page.contains(SAID), "{path} shows the answers: {page}");
    }

    remasking(&w, true);
    for path in waiting {
        let (status, headers, page) = get(&w, path, ana).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{path}: {page}");
        assert_eq!(headers[header::RETRY_AFTER], "10", "{path}");
        assert_eq!(headers[header::CACHE_CONTROL], "no-store", "{path}");
        assert!(!page.contains(SAID), "{path} shows no answer: {page}");
        assert!(!page.contains("Buses"), "{path} shows no theme: {page}");
        assert!(
            page.contains("<h1>Answers are being masked again</h1>"),
            "{page}"
        );
        assert!(
            page.contains("<p class=\"notice\" role=\"status\"")
                && page.contains("Heard has just been updated and is masking stored answers again with its newer masker")
                && page.contains("a few seconds"),
            "{page}"
        );
        // A link to the same page, its filters kept (escaped, as every value is).
        let reload = path.replace('&', "&amp;").replace('/', "&#x2f;");
        assert!(
            page.contains(&format!("href=\"{reload}\">Reload this page</a>")),
            "{path}: {page}"
        );
        // The workspace's own header, for the member signed in.
        assert!(page.contains("ana (Analyst)"), "{page}");
        // For a person to look at in a browser: HEARD_PAGE_SAMPLES=folder.
        if let Ok(dir) = std::env::var("HEARD_PAGE_SAMPLES") {
            std::fs::write(Path::new(&dir).join("remasking.html"), &page).expect("sample");
        }
    }

    // Pages without answers' words go on.
    for path in [
        "/admin",
        "/admin/surveys/voices",
        "/admin/surveys/voices/themes",
        "/admin/surveys/voices/themes/better/runs",
        "/admin/surveys/voices/export",
    ] {
        let (status, _, page) = get(&w, path, ana).await;
        assert_eq!(status, StatusCode::OK, "{path}: {page}");
        assert!(!page.contains(SAID), "{path}: {page}");
    }
    let (status, _, _) = get(&w, "/s/voices", None).await;
    assert_eq!(status, StatusCode::OK, "respondents' pages go on");
    // The safeguarding lead reads the original words, never a masked copy: never kept waiting.
    let sal = Some(w.lead.as_str());
    let (status, _, queue) = get(&w, "/admin/safeguarding", sal).await;
    assert_eq!(status, StatusCode::OK, "{queue}");
    assert!(queue.contains("hits me"), "{queue}");
    let (status, _, flag) = get(&w, "/admin/safeguarding/1", sal).await;
    assert_eq!(status, StatusCode::OK, "{flag}");
    // Who may not open a page still learns nothing about it: signed out, to the sign-in page;
    // the wrong role, refused.
    let (status, headers, _) = get(&w, &w.theme, None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        headers[header::LOCATION]
            .to_str()
            .is_ok_and(|l| l.starts_with("/admin/signin"))
    );
    let (status, _, page) = get(&w, &w.theme, sal).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{page}");

    remasking(&w, false);
    for path in waiting {
        let (status, headers, page) = get(&w, path, ana).await;
        assert_eq!(status, StatusCode::OK, "{path}: {page}");
        assert!(headers.get(header::RETRY_AFTER).is_none());
        assert!(page.contains(SAID), "{path}: {page}");
    }
}
