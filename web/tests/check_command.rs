//! `heard check` on the shipped consultation and on broken files kept as fixtures: every problem
//! reported with file:line:column and a hint, and a non-zero exit on any error.
use std::path::PathBuf;
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn check(args: &[PathBuf]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_heard"))
        .arg("check")
        .args(args)
        .output()
        .expect("heard runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn broken(name: &str) -> PathBuf {
    repo().join("tests/fixtures/broken").join(name)
}

#[test]
fn the_shipped_consultation_passes() {
    let (ok, text) = check(&[repo().join("surveys")]);
    assert!(ok, "{text}");
    assert!(text.contains(": ok: "), "{text}");
    assert!(!text.contains("error:"), "{text}");
}

#[test]
fn the_shipped_easy_read_versions_read_at_eight_or_below() {
    let paths = engine::survey::survey_paths(&[repo().join("surveys")]).expect("surveys");
    let mut easy = 0;
    for p in paths {
        let loaded = engine::survey::load_file(&p);
        let survey = loaded.survey.as_ref().expect("the shipped survey loads");
        for r in &loaded.readability {
            let v = survey.version(&r.version).expect("version");
            assert!(r.passes(), "{}: {r:?}", p.display());
            if v.easy_read {
                easy += 1;
                assert!(v.reading_age <= 8, "{} targets {}", v.id, v.reading_age);
                assert!(r.reading_age <= 8.0, "{}: {r:?}", v.id);
            }
        }
    }
    assert!(easy > 0, "a shipped survey has an easy-read version");
}

#[test]
fn broken_files_are_reported_precisely() {
    let cases: &[(&str, &[&str])] = &[
        (
            "duplicate-ids.toml",
            &[
                "duplicate-ids.toml:15:6: error: duplicate version id `a`",
                "duplicate-ids.toml:27:46: error: duplicate choice id `x`",
                "duplicate-ids.toml:30:6: error: duplicate question id `q` (first used on line 23)",
            ],
        ),
        (
            "bad-condition.toml",
            &[
                "bad-condition.toml:22:24: error: question `first` is shown if `later`, which is not an earlier question",
                "bad-condition.toml:34:24: error: question `unknown` is shown if `nowhere`",
                "bad-condition.toml:40:42: error: `later` has no choice `maybe`",
            ],
        ),
        (
            "empty-choices.toml",
            &[
                "empty-choices.toml:22:11: error: question `nothing` has an empty list of choices",
                "empty-choices.toml:24:1: error: question `missing` has no choices",
            ],
        ),
        (
            "missing-text.toml",
            &[
                "missing-text.toml:26:8: error: the text of question `q` has no wording for version `old`",
                "missing-text.toml:31:8: error: the text of question `r` has wording for `middle`, which is not a version",
            ],
        ),
        (
            "bad-dates.toml",
            &[
                "bad-dates.toml:4:10: error: the survey closes (2026-01-01) before it opens (2026-12-31)",
            ],
        ),
        (
            "not-a-date.toml",
            &["not-a-date.toml:4:10: error: invalid date"],
        ),
        ("syntax.toml", &["syntax.toml:2:18: error:"]),
        (
            "unknown-key.toml",
            &["unknown-key.toml:22:1: error: unknown field `colour`"],
        ),
        (
            "too-hard.toml",
            &[
                "too-hard.toml:15:15: error: version `young` reads at age 12.3, above its target reading age 8",
                "too-hard.toml:30:8: error: the text of question `placement` is too hard for version `young` (target reading age 8): reads at age 18.1; long or rare words: accommodation, appropriate",
                "too-hard.toml:31:8: error: the hint of question `placement` has a sentence of 20 words in easy-read version `young`",
                "too-hard.toml:31:8: error: the hint of question `placement` is too hard for version `young`",
                "too-hard.toml:34:33: error: a choice of question `placement` is too hard for version `young` (target reading age 8): uses hard words; long or rare words: residential, provision",
                "version `adult`: reading age 12.3 (target 25, ok)",
            ],
        ),
    ];
    for (file, expected) in cases {
        let (ok, text) = check(&[broken(file)]);
        assert!(!ok, "{file} fails the check");
        for e in *expected {
            assert!(text.contains(e), "{file}: expected `{e}` in:\n{text}");
        }
        assert!(text.contains("hint: "), "{file} gives a hint");
    }
    // All of them at once: every file's errors, one failing exit.
    let (ok, text) = check(&[repo().join("tests/fixtures/broken")]);
    assert!(!ok);
    assert!(text.matches("error:").count() >= 15, "{text}");
}

#[test]
fn serve_refuses_broken_surveys_and_says_why() {
    let dir = tempfile::tempdir().expect("dir");
    let out = Command::new(env!("CARGO_BIN_EXE_heard"))
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(dir.path().join("x.db"))
        .arg(broken("bad-dates.toml"))
        .output()
        .expect("heard runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("heard check"), "{err}");
    assert!(err.contains("bad-dates.toml:4:10"), "{err}");
}
