//! The review team's workspace in tests: a server with one account per role on the `voices`
//! fixture, answers seeded through the same screening and masking as the web, signing in, and
//! waiting for a themes run.
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use engine::accounts::{Role, hash_password};

use crate::{Browser, Page, TestServer, fixture};

pub const PASSWORD: &str = "a long enough password";

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

pub fn server() -> TestServer {
    let s = TestServer::start(&[fixture("workspace")], day("2026-05-01"));
    let rt = runtime();
    for (name, role) in [
        ("ada", Role::Admin),
        ("ana", Role::Analyst),
        ("sal", Role::Safeguarding),
        ("cam", Role::Commissioner),
    ] {
        rt.block_on(
            s.store()
                .add_user(name, role, hash_password(PASSWORD).expect("hash"), "test"),
        )
        .expect("user");
    }
    s
}

/// What young people say, in four themes, worded many ways.
pub fn answer(i: usize) -> String {
    let topics: [&[&str]; 4] = [
        &[
            "my social worker keeps changing",
            "i have had too many social workers",
            "social workers leave all the time and i have to tell my story again",
            "the same social worker for longer please",
            "my social worker changed again this year",
        ],
        &[
            "i want to see my brother and sister more",
            "more contact with my siblings",
            "let me see my brothers and sisters every week",
            "i miss my sister and want to visit her more",
            "contact with my brother is not enough",
        ],
        &[
            "help with school and homework",
            "a tutor for maths at school",
            "moving school made me fall behind with my school work",
            "school should understand care more and help with exams",
            "extra help at school with reading",
        ],
        &[
            "more money when you leave care",
            "help paying rent and bills when i turn 18",
            "money for a deposit on a flat when leaving care",
            "care leavers need more money for food and bills",
            "support with rent and money after care",
        ],
    ];
    let t = topics[i % 4];
    let extra = [
        "",
        " honestly",
        " thats all",
        " it would help a lot",
        " please",
    ];
    format!("{}{}", t[(i / 4) % t.len()], extra[(i / 20) % extra.len()])
}

/// Stores `n` responses, the i-th with `answer(offset + i)`, through the same screening and
/// masking as the web (quicker than driving hundreds of journeys over HTTP).
pub fn seed(s: &TestServer, offset: usize, n: usize) {
    let rt = runtime();
    let store = s.store();
    let protector = intake::protect::Protector::new(safeguard::Screener::builtin())
        .expect("the learned screening layer loads");
    let settings = ["foster", "residential", "kinship"];
    for i in offset..offset + n {
        let version = if i % 3 == 0 { "adult" } else { "young" };
        let draft = rt
            .block_on(store.create_draft("voices", version, &format!("{i:064}"), day("2026-05-01")))
            .expect("draft");
        let mut answers = BTreeMap::new();
        answers.insert(
            "setting".to_string(),
            engine::AnswerValue::Choice(settings[i % 3].into()),
        );
        answers.insert(
            "region".to_string(),
            engine::AnswerValue::Choice(if i % 2 == 0 { "north" } else { "south" }.into()),
        );
        answers.insert("better".to_string(), engine::AnswerValue::Text(answer(i)));
        let protection = protector.protect(&answers);
        rt.block_on(store.submit(draft, answers, protection, day("2026-05-01")))
            .expect("submit");
    }
}

pub fn sign_in(s: &TestServer, name: &str) -> Browser {
    let b = s.browser();
    let form = b.get("/admin/signin");
    assert_eq!(form.status, 200);
    let r = b.post(
        "/admin/signin",
        &[
            ("csrf", &form.csrf()),
            ("name", name),
            ("password", PASSWORD),
            ("next", "/admin"),
        ],
    );
    assert_eq!(r.status, 303, "{name} signs in: {}", r.body);
    assert_eq!(r.location.as_deref(), Some("/admin"));
    b
}

/// The CSRF token of a signed-in page (any workspace form carries it).
pub fn staff_csrf(b: &Browser) -> String {
    b.get("/admin").csrf()
}

pub fn wait_for_run(b: &Browser, path: &str) -> Page {
    let started = Instant::now();
    loop {
        let p = b.get(path);
        assert_eq!(p.status, 200);
        if !p.has("Running.") {
            return p;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the run finished"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}
