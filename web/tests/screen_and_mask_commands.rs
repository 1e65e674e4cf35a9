//! `heard screen` and `heard mask` on CSV files: the documented JSON, one object per row in input
//! order, character offsets that index the original text, and no panic on any bytes.
use std::path::Path;
use std::process::Command;

fn heard(args: &[&str], file: &Path) -> (bool, Vec<u8>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_heard"))
        .args(args)
        .arg(file)
        .output()
        .expect("heard runs");
    (
        out.status.success(),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A few thousand rows: everyday answers, disclosures, personal data, and non-ASCII text, some
/// with commas, quotes and newlines inside the field.
fn many_rows(dir: &Path) -> (std::path::PathBuf, Vec<(String, String)>) {
    let texts = [
        "more contact with my brother please",
        "my mums boyfriend hits me when shes out",
        "ring me on 07700 900123 or email sam.jones@example.org",
        "i dont feel unsafe at my foster home",
        "Zoë said \"call me\", on 020 7946 0000\nthanks",
        "i want to kill myself",
        "we live at 14 Elm Road, Leeds LS6 2AB",
        "école, café and 😀 emoji before a name: my carer is called Sarah",
    ];
    let mut rows = Vec::new();
    let mut w = csv::Writer::from_path(dir.join("rows.csv")).expect("csv");
    w.write_record(["ref", "answer"]).expect("header");
    for i in 0..3000 {
        let id = format!("row-{i}");
        let text = texts[i % texts.len()].to_string();
        w.write_record([&id, &text]).expect("row");
        rows.push((id, text));
    }
    w.flush().expect("flush");
    (dir.join("rows.csv"), rows)
}

/// `heard screen` of the rows as JSON, with `extra` arguments; its standard error too.
fn screen_json(file: &Path, extra: &[&str]) -> (Vec<serde_json::Value>, String) {
    let mut args = vec![
        "screen",
        "--text-column",
        "answer",
        "--id-column",
        "ref",
        "--format",
        "json",
    ];
    args.extend(extra);
    let (ok, out, err) = heard(&args, file);
    assert!(ok, "{err}");
    (serde_json::from_slice(&out).expect("a JSON array"), err)
}

#[test]
fn screen_gives_one_object_per_row_in_order() {
    let dir = tempfile::tempdir().expect("dir");
    let (file, rows) = many_rows(dir.path());
    let (v, err) = screen_json(&file, &["--phrases-only"]);
    assert_eq!(v.len(), rows.len());
    for (got, (id, text)) in v.iter().zip(&rows) {
        assert_eq!(got["id"], id.as_str());
        assert!(
            got["score"].is_null(),
            "no learned layer with --phrases-only"
        );
        let flagged = got["flagged"].as_bool().expect("flagged is a boolean");
        let indicators = got["indicators"].as_array().expect("indicators");
        assert_eq!(flagged, !indicators.is_empty(), "{text}");
        let want = text.contains("hits me") || text.contains("kill myself");
        assert_eq!(flagged, want, "{text}");
        for i in indicators {
            assert!(
                text.contains(i.as_str().expect("a string")),
                "{i} in {text}"
            );
        }
    }
    assert!(err.contains("750 of 3000"), "{err}");

    // Both layers (the default): every row has the learned layer's score, a flag always says
    // what triggered it, and the disclosures are still found.
    let (v, _) = screen_json(&file, &[]);
    assert_eq!(v.len(), rows.len());
    for (got, (id, text)) in v.iter().zip(&rows) {
        assert_eq!(got["id"], id.as_str());
        let score = got["score"].as_f64().expect("a score");
        assert!((0.0..=1.0).contains(&score));
        let flagged = got["flagged"].as_bool().expect("flagged is a boolean");
        assert_eq!(flagged, got["trigger"].is_string(), "{text}");
        if text.contains("hits me") || text.contains("kill myself") {
            assert!(flagged, "{text}");
        }
        let set_aside = got["set_aside"].as_bool().expect("set_aside is a boolean");
        assert!(!(set_aside && flagged), "{text}");
    }
}

#[test]
fn mask_gives_spans_in_characters_of_the_original() {
    let dir = tempfile::tempdir().expect("dir");
    let (file, rows) = many_rows(dir.path());
    let (ok, out, err) = heard(
        &[
            "mask",
            "--text-column",
            "answer",
            "--id-column",
            "ref",
            "--format",
            "json",
        ],
        &file,
    );
    assert!(ok, "{err}");
    let v: Vec<serde_json::Value> = serde_json::from_slice(&out).expect("a JSON array");
    assert_eq!(v.len(), rows.len());
    let kinds = [
        "NAME", "PHONE", "EMAIL", "ADDRESS", "POSTCODE", "DATE", "URL", "HANDLE", "SCHOOL",
    ];
    let mut seen = std::collections::BTreeSet::new();
    for (got, (id, text)) in v.iter().zip(&rows) {
        assert_eq!(got["id"], id.as_str());
        let chars: Vec<char> = text.chars().collect();
        let masked = got["masked"].as_str().expect("masked");
        let mut last_end = 0;
        for span in got["spans"].as_array().expect("spans") {
            let (s, e) = (
                span["start"].as_u64().expect("start") as usize,
                span["end"].as_u64().expect("end") as usize,
            );
            let kind = span["type"].as_str().expect("type");
            assert!(kinds.contains(&kind), "{kind}");
            assert!(
                last_end <= s && s < e && e <= chars.len(),
                "{s}..{e} in {text}"
            );
            last_end = e;
            let original: String = chars[s..e].iter().collect();
            assert!(!masked.contains(&original), "{original} left in {masked}");
            seen.insert((kind.to_string(), original));
        }
    }
    for (kind, text) in [
        ("PHONE", "07700 900123"),
        ("EMAIL", "sam.jones@example.org"),
        ("PHONE", "020 7946 0000"),
        ("POSTCODE", "LS6 2AB"),
    ] {
        assert!(
            seen.contains(&(kind.to_string(), text.to_string())),
            "{kind} {text} found: {seen:?}"
        );
    }
    // The CSV format round-trips through a CSV parser with the same rows.
    let (ok, out, err) = heard(
        &["mask", "--text-column", "answer", "--id-column", "ref"],
        &file,
    );
    assert!(ok, "{err}");
    let mut r = csv::Reader::from_reader(out.as_slice());
    let back: Vec<csv::StringRecord> = r.records().map(|r| r.expect("row")).collect();
    assert_eq!(back.len(), rows.len());
    assert_eq!(&back[4][0], "row-4");
    assert!(back[4][1].contains("[phone number]") && back[4][1].contains('\n'));
}

#[test]
fn any_bytes_are_read_without_panic_and_a_wrong_column_is_explained() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("junk.csv");
    let mut bytes = b"\xEF\xBB\xBFtext,id\n".to_vec();
    bytes.extend_from_slice(b"\xff\xfe broken utf8 07700 900123,1\n");
    bytes.extend_from_slice(b"\"unterminated, quote\n");
    bytes.extend_from_slice(b",\n\n\"\"\"\",3\n");
    bytes.extend_from_slice("\u{202e}rtl \u{0000} nul @handle\u{fe0f},4\n".as_bytes());
    std::fs::write(&file, &bytes).expect("write");
    for cmd in [
        ["screen", "json"],
        ["mask", "json"],
        ["mask", "csv"],
        ["screen", "table"],
    ] {
        let (ok, out, err) = heard(&[cmd[0], "--format", cmd[1]], &file);
        assert!(!err.contains("panicked"), "{cmd:?}: {err}");
        assert!(ok, "{cmd:?}: {err}");
        if cmd[1] == "json" {
            let _: Vec<serde_json::Value> = serde_json::from_slice(&out).expect("JSON");
        }
    }
    let (ok, _, err) = heard(&["screen", "--text-column", "body"], &file);
    assert!(!ok);
    assert!(
        err.contains("no column named `body`") && err.contains("--text-column"),
        "{err}"
    );
}
