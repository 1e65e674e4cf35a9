//! The consultation the export tests share: 60 seeded answers in four themes, small groups and
//! rare mixes of version, care setting, region and channel, formula payloads, phone numbers and
//! paper forms imported; themes made by an analyst.
use std::collections::BTreeMap;

use engine::AnswerValue;

use crate::Browser;
use crate::TestServer;
use crate::workspace::{day, runtime, seed, server, sign_in, staff_csrf, wait_for_run};

pub const PAYLOADS: [&str; 4] = [
    "=HYPERLINK(\"http://evil.example\",\"see more\")",
    "+1+1 cells",
    "@SUM(A1:A9) please",
    "-2+3 more help",
];

/// One response through the same screening and masking as the web.
pub fn submit(s: &TestServer, token: usize, version: &str, answers: &[(&str, AnswerValue)]) {
    let rt = runtime();
    let store = s.store();
    let draft = rt
        .block_on(store.create_draft(
            "voices",
            version,
            &format!("x{token:063}"),
            day("2026-05-02"),
        ))
        .expect("draft");
    let answers: BTreeMap<String, AnswerValue> = answers
        .iter()
        .map(|(q, v)| (q.to_string(), v.clone()))
        .collect();
    let protection =
        intake::protect::Protector::phrases_only(safeguard::Screener::builtin()).protect(&answers);
    rt.block_on(store.submit(draft, answers, protection, day("2026-05-02")))
        .expect("submit");
}

pub fn choice(c: &str) -> AnswerValue {
    AnswerValue::Choice(c.into())
}

/// 60 answers in four themes, a few small groups (prefer not to say: 3; "listened" 1: 3), the
/// formula payloads, a phone number, and paper forms imported.
pub fn consultation() -> (TestServer, Browser) {
    let s = server();
    seed(&s, 0, 60);
    for (i, p) in PAYLOADS.iter().enumerate() {
        let setting = if i < 3 { "prefer_not_to_say" } else { "foster" };
        submit(
            &s,
            i,
            "young",
            &[
                ("setting", choice(setting)),
                ("listened", choice("1")),
                ("better", AnswerValue::Text(p.to_string())),
            ],
        );
    }
    for i in 0..19 {
        let (version, listened) = if i < 12 {
            ("young", "5")
        } else {
            ("adult", "4")
        };
        submit(
            &s,
            100 + i,
            version,
            &[
                (
                    "setting",
                    choice(if i % 2 == 0 { "foster" } else { "kinship" }),
                ),
                ("listened", choice(listened)),
                (
                    "better",
                    AnswerValue::Text(format!("ring me on 07700 900{i:03} about my social worker")),
                ),
            ],
        );
    }
    let ana = sign_in(&s, "ana");
    let file = "version,setting,listened,better\n\
                young,foster,5,more contact with my siblings\n\
                young,foster,5,more say in my plans\n\
                adult,kinship,4,help with rent when i leave care\n\
                young,residential,3,a tutor for maths at school\n\
                young,foster,2,the same social worker please\n\
                adult,foster,5,more money for food\n";
    let r = ana.post_multipart(
        "/admin/surveys/voices/import",
        &[("csrf", &staff_csrf(&ana)), ("channel", "paper")],
        &[("file", "paper.csv", file.as_bytes())],
    );
    assert!(r.has("6 imported"), "{}", r.body);
    let run = ana.post(
        "/admin/surveys/voices/themes/better/run",
        &[("csrf", &staff_csrf(&ana)), ("k", "4"), ("seed", "7")],
    );
    assert_eq!(run.status, 303);
    let done = wait_for_run(&ana, run.location.as_deref().expect("run page"));
    assert!(done.has("Finished"), "{}", done.body);
    (s, ana)
}

/// Posts the export form of `voices`: (status, headers, body).
pub fn export(
    b: &Browser,
    format: &str,
    threshold: &str,
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    b.post_for_bytes(
        "/admin/surveys/voices/export",
        &[
            ("csrf", &staff_csrf(b)),
            ("format", format),
            ("threshold", threshold),
        ],
    )
}
