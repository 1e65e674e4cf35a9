//! The store's import alone, without checking, screening or masking:
//! `cargo run --release -p heard-engine --example import_store -- [N] [--no-triggers]`.
//! Imports N made-up rows of 20 answers (one a care setting, one free text) into a fresh
//! database, then N more, and prints the second import's rows per second: the speed of storing
//! and counting rows into a database that already holds some. `--no-triggers` drops the count
//! triggers first, to see what counting costs.
use std::time::Instant;

use engine::AnswerValue;
use engine::import::Channel;
use engine::store::{ImportKey, ImportRow, Protection};
use engine::survey::Answers;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(20000);
    let drop_triggers = args.iter().any(|a| a == "--no-triggers");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    let store = engine::Store::open(&path).unwrap();
    if drop_triggers {
        let c = rusqlite::Connection::open(&path).unwrap();
        let names: Vec<String> = c
            .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for t in names {
            c.execute(&format!("DROP TRIGGER {t}"), []).unwrap();
        }
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(store.ensure_breakdowns("s", &["care".into()]))
        .unwrap();
    let make = |from: u64| -> Vec<ImportRow> {
        (from..from + n)
            .map(|i| {
                let mut a = Answers::new();
                a.insert(
                    "care".into(),
                    AnswerValue::Choice(["f", "r", "k"][(i % 3) as usize].into()),
                );
                for q in 0..18 {
                    a.insert(
                        format!("q{q}"),
                        AnswerValue::Choice(format!("c{}", (i + q) % 4)),
                    );
                }
                a.insert(
                    "say".into(),
                    AnswerValue::Text(format!("some words of answer {i}")),
                );
                ImportRow::new(
                    ImportKey::of_content("s", "v", &a, i as usize),
                    "v".into(),
                    a,
                    Protection::default(),
                )
            })
            .collect()
    };
    rt.block_on(store.import(
        "x",
        "s",
        Channel::Paper,
        make(0),
        chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
    ))
    .unwrap();
    let rows = make(n);
    let t = Instant::now();
    let out = rt
        .block_on(store.import(
            "x",
            "s",
            Channel::Paper,
            rows,
            chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        ))
        .unwrap();
    let s = t.elapsed().as_secs_f64();
    println!(
        "{} rows in {s:.2} s: {:.0} rows/s",
        out.imported(),
        out.imported() as f64 / s
    );
}
