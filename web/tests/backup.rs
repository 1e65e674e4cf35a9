//! `heard backup FILE` copies a live database while respondents are sending answers, and the
//! documented restore (stop, copy the backup over the database, remove `-wal` and `-shm`, start)
//! brings back everything confirmed before the backup began.
mod common;

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::{Confirmed, Respondent, Server, verify};

fn heard(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_heard"))
        .args(args)
        .output()
        .expect("heard runs")
}

#[test]
fn a_backup_of_a_busy_server_restores_everything_confirmed_before_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("heard.db");
    let copy = dir.path().join("backup.db");
    let server = Server::start(&db);
    let confirmed: Confirmed = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..8)
        .map(|t| {
            let (base, confirmed, stop) = (server.base.clone(), confirmed.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    let marker = format!("backup-t{t}-n{n}");
                    let mut r = Respondent::new(&base);
                    r.answer_all(&marker).expect("answers");
                    r.submit().expect("sent");
                    confirmed.lock().expect("lock").push((marker, None));
                    n += 1;
                }
            })
        })
        .collect();
    while confirmed.lock().expect("lock").len() < 40 {
        std::thread::sleep(Duration::from_millis(20));
    }
    // Everything confirmed before the backup starts must be in it.
    let before: Vec<_> = confirmed.lock().expect("lock").clone();
    let out = heard(&[
        "backup".as_ref(),
        copy.as_os_str(),
        "--db".as_ref(),
        db.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "backup failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("ok"));
    // Writes go on during and after the backup.
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().expect("writer");
    }
    let all: Vec<_> = confirmed.lock().expect("lock").clone();
    assert!(all.len() > before.len(), "the server kept taking answers");
    assert_eq!(verify(&copy, &before), Vec::<String>::new());
    assert_eq!(verify(&db, &all), Vec::<String>::new());

    // A backup never overwrites a file.
    let again = heard(&[
        "backup".as_ref(),
        copy.as_os_str(),
        "--db".as_ref(),
        db.as_os_str(),
    ]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    // Nor copies a database that is not there.
    let missing = dir.path().join("nothing.db");
    let none = heard(&[
        "backup".as_ref(),
        dir.path().join("x.db").as_os_str(),
        "--db".as_ref(),
        missing.as_os_str(),
    ]);
    assert!(!none.status.success());
    assert!(!missing.exists(), "no empty database is created");

    // Restore, as the README says: stop, copy over, remove -wal and -shm, start.
    server.stop();
    std::fs::copy(&copy, &db).expect("copy back");
    for suffix in ["-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
    let restored = Server::start(&db);
    let mut r = Respondent::new(&restored.base);
    r.answer_all("after-restore").expect("answers");
    r.submit().expect("sent");
    let code = r.reference().expect("reference");
    restored.stop();
    let mut expect = before.clone();
    expect.push(("after-restore".into(), Some(code)));
    assert_eq!(verify(&db, &expect), Vec::<String>::new());
    let stored: i64 = rusqlite::Connection::open(&db)
        .expect("open")
        .query_row("SELECT count(*) FROM responses", [], |r| r.get(0))
        .expect("count");
    let in_copy: i64 = rusqlite::Connection::open(&copy)
        .expect("open")
        .query_row("SELECT count(*) FROM responses", [], |r| r.get(0))
        .expect("count");
    assert_eq!(
        stored,
        in_copy + 1,
        "the restored database is the copy, plus one"
    );
}
