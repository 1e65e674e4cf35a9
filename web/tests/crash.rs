//! Kills `heard serve` with SIGKILL while hundreds of submissions are in flight, restarts it on
//! the same file, and checks that every submission whose confirmation came back is stored, whole,
//! once, and that the file passes `PRAGMA integrity_check`. Repeated at many kill points.
mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{Confirmed, Respondent, Server, verify};

/// Respondents per round: each answers every page, then all send at the same moment.
const RESPONDENTS: usize = 150;
/// When each round's SIGKILL lands.
#[derive(Debug, Clone, Copy)]
enum KillAt {
    /// Milliseconds after the burst of submits is released.
    Released(u64),
    /// As soon as this many of the round's submissions have been confirmed: the rest are in
    /// flight. Counting rather than timing keeps the test meaningful on a slow or busy machine.
    Confirmed(usize),
    /// While half the respondents are still answering pages (no submit yet).
    MidAnswers,
}

const KILL_POINTS: [KillAt; 10] = [
    KillAt::Released(0),
    KillAt::Released(10),
    KillAt::Confirmed(1),
    KillAt::MidAnswers,
    KillAt::Confirmed(10),
    KillAt::Released(50),
    KillAt::Confirmed(40),
    KillAt::MidAnswers,
    KillAt::Confirmed(80),
    KillAt::Released(200),
];

#[test]
fn every_confirmed_submission_survives_sigkill() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("heard.db");
    let started = Instant::now();
    // (marker, reference code if the confirmation page was read before the kill)
    let confirmed: Confirmed = Arc::default();
    let mut report = Vec::new();
    for (round, kill_at) in KILL_POINTS.iter().enumerate() {
        let server = Server::start(&db);
        // The restart recovered what the last kill left: check it before adding more.
        let problems = verify(&db, &confirmed.lock().expect("lock"));
        assert!(problems.is_empty(), "round {round}: {problems:#?}");

        let ready = Arc::new(AtomicUsize::new(0));
        let failed = Arc::new(AtomicUsize::new(0));
        let go = Arc::new(AtomicBool::new(false));
        let killed = Arc::new(AtomicBool::new(false));
        let before = confirmed.lock().expect("lock").len();
        let threads: Vec<_> = (0..RESPONDENTS)
            .map(|t| {
                let base = server.base.clone();
                let (confirmed, ready, failed, go, killed) = (
                    confirmed.clone(),
                    ready.clone(),
                    failed.clone(),
                    go.clone(),
                    killed.clone(),
                );
                std::thread::spawn(move || {
                    let marker = format!("crash-r{round}-t{t}");
                    let mut r = Respondent::numbered(&base, t);
                    if let Err(e) = r.answer_all(&marker) {
                        failed.fetch_add(1, Ordering::SeqCst);
                        // Only a kill may stop a respondent before the burst.
                        assert!(
                            killed.load(Ordering::SeqCst),
                            "{marker} failed before the kill: {e}"
                        );
                        return;
                    }
                    ready.fetch_add(1, Ordering::SeqCst);
                    while !go.load(Ordering::SeqCst) {
                        std::thread::sleep(Duration::from_micros(200));
                    }
                    if r.submit().is_err() {
                        return;
                    }
                    // Confirmed: from here on it must survive anything.
                    let index = {
                        let mut c = confirmed.lock().expect("lock");
                        c.push((marker, None));
                        c.len() - 1
                    };
                    if let Ok(code) = r.reference() {
                        confirmed.lock().expect("lock")[index].1 = Some(code);
                    }
                })
            })
            .collect();
        let settled = |need: usize| {
            while ready.load(Ordering::SeqCst) + failed.load(Ordering::SeqCst) < need {
                std::thread::sleep(Duration::from_millis(1));
            }
        };
        match kill_at {
            KillAt::Released(ms) => {
                settled(RESPONDENTS);
                go.store(true, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(*ms));
                killed.store(true, Ordering::SeqCst);
                server.kill();
            }
            KillAt::Confirmed(n) => {
                settled(RESPONDENTS);
                go.store(true, Ordering::SeqCst);
                let waiting = Instant::now();
                while confirmed.lock().expect("lock").len() - before < *n
                    && waiting.elapsed() < Duration::from_secs(60)
                {
                    std::thread::sleep(Duration::from_millis(1));
                }
                killed.store(true, Ordering::SeqCst);
                server.kill();
            }
            KillAt::MidAnswers => {
                settled(RESPONDENTS / 2);
                killed.store(true, Ordering::SeqCst);
                server.kill();
                go.store(true, Ordering::SeqCst);
            }
        }
        for t in threads {
            t.join().expect("respondent thread");
        }
        let now = confirmed.lock().expect("lock").len();
        report.push(format!(
            "kill at {}: {} of {} sent and confirmed",
            match kill_at {
                KillAt::Released(ms) => format!("+{ms} ms"),
                KillAt::Confirmed(n) => format!("after {n} confirmed"),
                KillAt::MidAnswers => "mid-answers".to_string(),
            },
            now - before,
            ready.load(Ordering::SeqCst)
        ));
    }
    // The last kill's survivors, then the reference codes through the engine.
    Server::start(&db).stop();
    let confirmed = confirmed.lock().expect("lock").clone();
    let problems = verify(&db, &confirmed);
    assert!(problems.is_empty(), "after the last restart: {problems:#?}");
    let store = engine::Store::open(&db).expect("store opens");
    let mut codes = 0;
    for (marker, code) in &confirmed {
        if let Some(code) = code {
            let found = store
                .response_for_reference(code)
                .expect("lookup")
                .unwrap_or_else(|| panic!("{marker}: reference {code} not found"));
            assert_eq!(found.survey_id, "every-type");
            codes += 1;
        }
    }
    store.close();
    let stored: i64 = rusqlite::Connection::open(&db)
        .expect("open")
        .query_row("SELECT count(*) FROM responses", [], |r| r.get(0))
        .expect("count");
    eprintln!(
        "crash test: {} SIGKILLs, {} confirmed submissions all present and whole ({codes} also \
         found by reference code); {stored} responses stored (a submit cut off before its \
         confirmation may or may not land); {:.1} s\n  {}",
        KILL_POINTS.len(),
        confirmed.len(),
        started.elapsed().as_secs_f64(),
        report.join("\n  ")
    );
    assert!(
        confirmed.len() >= 100,
        "the test drove enough submissions to mean something"
    );
    assert!(stored as usize >= confirmed.len());
}
