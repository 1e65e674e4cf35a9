//! `heard themes` reads a CSV with a BOM and quoted newlines, prints the documented JSON with every
//! row once and in order, and prints the same bytes every time for the same input and seed.
use std::path::PathBuf;
use std::process::Command;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/csv/answers-with-bom-and-newlines.csv")
}

fn themes(args: &[&str]) -> (bool, Vec<u8>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_heard"))
        .arg("themes")
        .arg(fixture())
        .args(args)
        .output()
        .expect("heard runs");
    (
        out.status.success(),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn json_has_every_row_once_in_order_and_is_byte_identical_across_runs() {
    let args = [
        "--id-column",
        "id",
        "--k",
        "3",
        "--seed",
        "7",
        "--format",
        "json",
    ];
    let (ok, first, err) = themes(&args);
    assert!(ok, "{err}");
    let (_, second, _) = themes(&args);
    assert_eq!(first, second, "same input, options and seed: same bytes");
    let v: serde_json::Value = serde_json::from_slice(&first).expect("valid JSON");
    assert_eq!(v["k"], 3);
    let ids: Vec<&str> = v["assignments"]
        .as_array()
        .expect("assignments")
        .iter()
        .map(|a| a["id"].as_str().expect("id"))
        .collect();
    let want: Vec<String> = (1..=10).map(|i| format!("r{i}")).collect();
    assert_eq!(ids, want);
    // By meaning (the default), "idk" says something ("I don't know") and has a theme.
    assert!(
        v["assignments"][4]["theme"].is_u64(),
        "{}",
        v["assignments"][4]
    );
    assert_eq!(v["method"], "meaning");
    assert!(v["model"].as_str().is_some_and(|m| m.contains("MiniLM")));
    assert_eq!(
        v["model_sha256"],
        "dabb40d5d98a22372c8921acf048cb54bb8bf6d781b1233b2a360d5125789c7e"
    );
    for t in v["themes"].as_array().expect("themes") {
        assert!(t["label"].as_str().is_some_and(|l| !l.is_empty()));
        assert!(t["size"].as_u64().is_some_and(|s| s > 0));
        for q in t["quotes"].as_array().expect("quotes") {
            assert!(want.iter().any(|w| q.as_str() == Some(w.as_str())));
        }
    }
    assert!(err.contains("k = 3"), "the choice of k is printed: {err}");
}

#[test]
fn by_words_alone_an_answer_with_no_known_word_is_in_no_theme() {
    let (ok, out, err) = themes(&[
        "--id-column",
        "id",
        "--k",
        "3",
        "--method",
        "words",
        "--format",
        "json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
    assert_eq!(v["method"], "words");
    assert_eq!(v["model"], serde_json::Value::Null);
    assert_eq!(
        v["assignments"][4]["theme"],
        serde_json::Value::Null,
        "idk is in no theme"
    );
}

#[test]
fn k_is_chosen_and_said_when_not_given() {
    let (ok, out, err) = themes(&["--id-column", "id", "--format", "table"]);
    assert!(ok, "{err}");
    assert!(err.contains("chosen automatically"), "{err}");
    assert!(String::from_utf8_lossy(&out).contains("no theme"));
}

#[test]
fn a_missing_column_is_explained() {
    let (ok, _, err) = themes(&["--text-column", "answer"]);
    assert!(!ok);
    assert!(
        err.contains("no column named `answer`") && err.contains("--text-column"),
        "{err}"
    );
    let (ok, _, _) = themes(&["--k", "0"]);
    assert!(!ok);
}
