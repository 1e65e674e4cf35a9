//! The workspace's figures against the database itself. The dashboard and the themes pages read
//! counts the database keeps by trigger (never every answer): after submissions, a themes run,
//! corrections, an import and deletions, every figure checked here must equal a recount of the
//! stored answers.
use support::TestServer;
use support::workspace::{runtime, seed, server, sign_in, staff_csrf, wait_for_run};

fn n(s: &TestServer, sql: &str) -> i64 {
    s.count(sql)
}

/// Every page figure checked against a count of the rows it describes.
fn figures_match(s: &TestServer, b: &support::Browser, when: &str) {
    let differences = s.store().tally_differences("voices").expect("recount");
    assert!(differences.is_empty(), "{when}: {differences:#?}");

    let dash = b.get("/admin/surveys/voices");
    assert_eq!(dash.status, 200, "{when}");
    let total = n(
        s,
        "SELECT count(*) FROM responses WHERE survey_id = 'voices'",
    );
    assert!(
        dash.has(&format!(
            "<span class=\"figure\">{total}</span> responses sent"
        )),
        "{when}: {total} responses on the dashboard"
    );
    for (id, name) in [("young", "Young people"), ("adult", "Care leavers")] {
        let v = n(
            s,
            &format!(
                "SELECT count(*) FROM responses WHERE survey_id = 'voices' AND version_id = '{id}'"
            ),
        );
        assert!(
            dash.has(&format!(
                "<th scope=\"row\">{name}</th><td class=\"num\">{v}</td>"
            )),
            "{when}: {v} responses to {name}"
        );
    }
    let paper = n(s, "SELECT count(*) FROM responses WHERE channel = 'paper'");
    if paper > 0 {
        assert!(
            dash.has(&format!("Paper form: {paper}")),
            "{when}: {paper} on paper"
        );
    }

    let themes = b.get("/admin/surveys/voices/themes/better");
    assert_eq!(themes.status, 200, "{when}");
    let answers = n(
        s,
        "SELECT count(*) FROM answers a JOIN responses r ON r.id = a.response_id
         WHERE r.survey_id = 'voices' AND a.question_id = 'better' AND a.text IS NOT NULL",
    );
    assert!(
        themes.has(&format!("{answers} answers")),
        "{when}: {answers} answers"
    );
    let unthemed = n(
        s,
        "SELECT count(*) FROM answers a WHERE a.question_id = 'better' AND a.text IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM theme_answers ta WHERE ta.response_id = a.response_id
                         AND ta.question_id = 'better')",
    );
    let active = s
        .db()
        .prepare("SELECT id FROM themes WHERE active = 1 AND question_id = 'better'")
        .expect("query")
        .query_map([], |r| r.get::<_, i64>(0))
        .expect("rows")
        .collect::<Result<Vec<_>, _>>()
        .expect("themes");
    if !active.is_empty() && unthemed > 0 {
        assert!(
            themes.has(&format!("{unthemed} not in any theme yet")),
            "{when}: {unthemed} unthemed"
        );
    }
    for t in active {
        let size = n(
            s,
            &format!("SELECT count(*) FROM theme_answers WHERE theme_id = {t}"),
        );
        let page = b.get(&format!("/admin/surveys/voices/themes/better/t/{t}"));
        assert_eq!(page.status, 200, "{when}");
        let plural = if size == 1 { "" } else { "s" };
        assert!(
            page.has(&format!("<p>{size} answer{plural}.")),
            "{when}: theme {t} of {size}"
        );
        for setting in ["foster", "residential", "kinship"] {
            let want = n(
                s,
                &format!(
                    "SELECT count(*) FROM theme_answers ta JOIN answers b ON b.response_id = ta.response_id
                     AND b.question_id = 'setting' AND b.value = '{{\"choice\":\"{setting}\"}}'
                     WHERE ta.theme_id = {t}"
                ),
            );
            let page = b.get(&format!(
                "/admin/surveys/voices/themes/better/t/{t}?care_setting={setting}"
            ));
            let plural = if want == 1 { "" } else { "s" };
            let verb = if want == 1 { "matches" } else { "match" };
            assert!(
                page.has(&format!("{want} answer{plural} {verb}")),
                "{when}: theme {t}, {setting}: {want}"
            );
        }
    }
}

#[test]
fn page_figures_match_the_database_after_submissions_runs_corrections_imports_and_deletions() {
    let s = server();
    seed(&s, 0, 150);
    let b = sign_in(&s, "ana");
    figures_match(&s, &b, "after submissions");

    let r = b.post(
        "/admin/surveys/voices/themes/better/run",
        &[("csrf", &staff_csrf(&b)), ("k", "3"), ("seed", "3")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let done = wait_for_run(&b, r.location.as_deref().expect("run page"));
    assert!(done.has("Finished"), "{}", done.body);
    figures_match(&s, &b, "after a themes run");

    // An analyst moves an answer, and merges two themes.
    let themes: Vec<i64> = s
        .db()
        .prepare("SELECT id FROM themes WHERE active = 1 ORDER BY id")
        .expect("query")
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("ids");
    let moved: i64 = s
        .db()
        .query_row(
            "SELECT response_id FROM theme_answers WHERE theme_id = ?1 LIMIT 1",
            [themes[0]],
            |r| r.get(0),
        )
        .expect("a member");
    let csrf = staff_csrf(&b);
    let r = b.post(
        &format!("/admin/surveys/voices/themes/better/answers/{moved}"),
        &[
            ("csrf", &csrf),
            ("action", "move"),
            ("theme", &themes[2].to_string()),
            ("back", &themes[0].to_string()),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = b.post(
        "/admin/surveys/voices/themes/better/merge",
        &[
            ("csrf", &csrf),
            ("theme", &themes[0].to_string()),
            ("theme", &themes[1].to_string()),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    figures_match(&s, &b, "after corrections");

    // Answers from paper, and more from the web that no run has themed yet.
    let form = b.get("/admin/surveys/voices/import");
    let file = "version,setting,region,listened,better\n\
                young,foster,north,4,more contact with my siblings on paper\n\
                adult,kinship,south,2,help with rent and bills when i leave care\n\
                young,,north,,the same social worker for longer please\n";
    let r = b.post_multipart(
        "/admin/surveys/voices/import",
        &[("csrf", &form.csrf()), ("channel", "paper")],
        &[("file", "paper.csv", file.as_bytes())],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.has("3 imported"), "{}", r.body);
    seed(&s, 150, 20);
    figures_match(&s, &b, "after an import and more submissions");

    // Respondents delete their responses, themed ones among them.
    let drafts: Vec<i64> = s
        .db()
        .prepare(
            "SELECT r.draft_id FROM responses r JOIN theme_answers ta ON ta.response_id = r.id
             WHERE r.draft_id IS NOT NULL ORDER BY r.id LIMIT 12",
        )
        .expect("query")
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("drafts");
    let store = s.store();
    let rt = runtime();
    for d in drafts.iter().step_by(2) {
        let code = store.reference_code(*d);
        assert!(
            rt.block_on(store.delete_response("voices", &code))
                .expect("delete")
        );
    }
    figures_match(&s, &b, "after deletions");
}
