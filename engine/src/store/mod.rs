//! Storage in one SQLite file. Writes go through a single writer thread that drains a queue and
//! commits many jobs in one transaction (group commit), with `synchronous=FULL`: a job's caller is
//! answered only after its transaction is on disk, so nothing acknowledged is lost on power loss,
//! and the cost of the sync is shared by everyone who arrived while the last one ran. Each job
//! runs in a savepoint, so one failing job does not undo its neighbours. Reads use a small pool of
//! connections; WAL lets them run beside the writer.
mod dashboard;
mod explorer;
mod export;
mod import;
mod migrations;
mod remasking;
mod respondent;
pub mod review;
mod safeguarding;
mod tallies;
mod themes;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

pub use dashboard::*;
pub use explorer::*;
pub use export::*;
pub use import::*;
pub use remasking::{Remasked, Remasking};
pub use respondent::*;
pub use review::{AuditEntry, LockPolicy, SignInRecord, User};
pub use safeguarding::*;
pub use tallies::{COUNTED_BREAKDOWN, counted_breakdown_questions};
pub use themes::*;

/// Most jobs committed in one transaction: bounds how long the first of a burst waits.
const MAX_BATCH: usize = 256;
/// Reads running at once through [`Store::read_async`], and read connections kept open between
/// reads. Bounded so that a burst of a thousand requests queues for a warm connection (its
/// statements already prepared) instead of starting a thread and opening a connection each.
const READERS: usize = 8;

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(String),
    #[error("cannot open the database {path}: {message}")]
    Open { path: PathBuf, message: String },
    #[error("the database writer has stopped")]
    Closed,
    #[error("a storage job failed unexpectedly")]
    Panicked,
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Database(e.to_string())
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

type Finisher = Box<dyn FnOnce(Result<()>) + Send>;
/// Runs a job: whether it succeeded, and how to answer its caller once the transaction's fate
/// is known.
type Run = Box<dyn FnOnce(&Connection) -> (bool, Finisher) + Send>;

/// A write for the writer thread.
struct Job {
    run: Run,
    /// Run in a transaction of its own, without a savepoint (see [`Store::write_alone`]).
    alone: bool,
}

/// The database. Cheap to clone; all clones share the writer thread and reader pool.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Option<mpsc::Sender<Job>>>,
    writer_thread: Mutex<Option<thread::JoinHandle<()>>>,
    readers: Mutex<Vec<Connection>>,
    reading: tokio::sync::Semaphore,
    secret: Vec<u8>,
}

/// The writer's page cache, in KiB. An import's rows go into indexes keyed by random bytes
/// (reference hashes, import keys) whose pages outgrow SQLite's 2 MB default many times over at
/// Big Ask size: the writer then spilled pages to the WAL mid-transaction and read them back.
/// Readers keep the default.
const WRITER_CACHE_KIB: i64 = 64 * 1024;

/// Pages in the WAL before a commit checkpoints it into the database (SQLite's default is
/// 1,000, 4 MB): an import commits a part of a thousand rows at a time, each several MB, and
/// checkpointing after every one was a tenth of the writer's time at 557,077 rows. 64 MB of WAL
/// at most between checkpoints.
const CHECKPOINT_PAGES: i64 = 16_384;

/// Settings of every connection. `temp_store = MEMORY` keeps the statement journal of each job's
/// savepoint in memory: in a temporary file it was half the writer's time in a burst (a write
/// call per page touched), and it is never needed after a crash, since the WAL already makes
/// the whole transaction atomic.
fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;",
    )?;
    Ok(())
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        let open_err = |e: rusqlite::Error| StoreError::Open {
            path: path.to_owned(),
            message: e.to_string(),
        };
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(open_err)?;
        configure(&conn).map_err(|e| StoreError::Open {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        conn.execute_batch(&format!(
            "PRAGMA cache_size = -{WRITER_CACHE_KIB}; PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES};"
        ))
        .map_err(open_err)?;
        migrations::migrate(&mut conn)?;
        let secret = ensure_secret(&conn)?;

        let (tx, rx) = mpsc::channel::<Job>();
        let handle = thread::Builder::new()
            .name("heard-db-writer".into())
            .spawn(move || writer_loop(conn, rx))
            .map_err(|e| StoreError::Database(format!("cannot start the writer thread: {e}")))?;
        Ok(Store {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                writer: Mutex::new(Some(tx)),
                writer_thread: Mutex::new(Some(handle)),
                readers: Mutex::new(Vec::new()),
                reading: tokio::sync::Semaphore::new(READERS),
                secret,
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    pub(crate) fn secret(&self) -> &[u8] {
        &self.inner.secret
    }

    /// A key for `purpose` (signing CSRF tokens, say), derived from this database's secret so it
    /// survives restarts and differs between databases.
    pub fn derive_key(&self, purpose: &str) -> [u8; 32] {
        crate::codes::mac(&self.inner.secret, &[b"key", purpose.as_bytes()])
    }

    fn enqueue<T, F>(&self, f: F, alone: bool) -> Result<tokio::sync::oneshot::Receiver<Result<T>>>
    where
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let (reply, rx) = tokio::sync::oneshot::channel();
        let job = Job {
            run: Box::new(move |conn: &Connection| {
                let outcome = if alone {
                    catch_unwind(AssertUnwindSafe(|| f(conn))).unwrap_or(Err(StoreError::Panicked))
                } else {
                    run_in_savepoint(conn, f)
                };
                let ok = outcome.is_ok();
                let finish: Finisher = Box::new(move |commit: Result<()>| {
                    let result = match (outcome, commit) {
                        (Err(e), _) => Err(e),
                        (Ok(_), Err(e)) => Err(e),
                        (Ok(v), Ok(())) => Ok(v),
                    };
                    let _ = reply.send(result);
                });
                (ok, finish)
            }),
            alone,
        };
        let guard = self.inner.writer.lock().map_err(|_| StoreError::Closed)?;
        guard
            .as_ref()
            .ok_or(StoreError::Closed)?
            .send(job)
            .map_err(|_| StoreError::Closed)?;
        Ok(rx)
    }

    /// Runs `f` in the next group commit and returns once it is durably committed.
    pub async fn write<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        self.enqueue(f, false)?
            .await
            .map_err(|_| StoreError::Closed)?
    }

    /// [`Store::write`] in a transaction of its own, between group commits, without the
    /// savepoint that keeps one job's failure from undoing its neighbours. For a job that
    /// changes many thousands of rows (an import): inside a savepoint, SQLite keeps a copy of
    /// every page the job changes and walks it at the end of each statement, so such a job
    /// slows as the square of its size. It either commits whole or not at all.
    pub async fn write_alone<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        self.enqueue(f, true)?
            .await
            .map_err(|_| StoreError::Closed)?
    }

    /// [`Store::write`] for code outside an async runtime (commands, tests).
    pub fn write_blocking<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        self.enqueue(f, false)?
            .blocking_recv()
            .map_err(|_| StoreError::Closed)?
    }

    /// Runs a read on a pooled connection. Blocking: call it off the async runtime.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let pooled = self.inner.readers.lock().ok().and_then(|mut r| r.pop());
        let conn = match pooled {
            Some(c) => c,
            None => {
                let c = Connection::open_with_flags(
                    &self.inner.path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                c.busy_timeout(std::time::Duration::from_secs(10))?;
                c.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
                c
            }
        };
        let result = f(&conn);
        if let Ok(mut r) = self.inner.readers.lock()
            && r.len() < READERS
        {
            r.push(conn);
        }
        result
    }

    /// [`Store::read`] from async code: waits for one of the few read slots, then runs `f` on the
    /// blocking pool.
    pub async fn read_async<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&Store) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let _slot = self
            .inner
            .reading
            .acquire()
            .await
            .map_err(|_| StoreError::Closed)?;
        let store = self.clone();
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(|_| StoreError::Panicked)?
    }

    /// Stops taking writes, finishes those queued and waits for the writer to end.
    pub fn close(&self) {
        if let Ok(mut w) = self.inner.writer.lock() {
            w.take();
        }
        if let Some(h) = self
            .inner
            .writer_thread
            .lock()
            .ok()
            .and_then(|mut h| h.take())
        {
            let _ = h.join();
        }
    }

    /// A consistent copy of the live database at `dest`, by SQLite's online backup.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        backup(&self.inner.path, dest)
    }
}

/// A consistent copy of the database at `src` (live or not, in this process or another) written
/// to `dest`, by SQLite's online backup API. Opens `src` read-only and starts no writer, so it is
/// safe beside a running server: the copy is one snapshot (a single read transaction in WAL mode,
/// which does not hold up the server's writes). The copy is written beside `dest`, checked with
/// `PRAGMA integrity_check`, and only then renamed to `dest`, so `dest` is never half written.
/// Refuses to overwrite an existing `dest`.
pub fn backup(src: &Path, dest: &Path) -> Result<()> {
    if dest.exists() {
        return Err(StoreError::Database(format!(
            "{} already exists; choose a new file name",
            dest.display()
        )));
    }
    let source = Connection::open_with_flags(
        src,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| StoreError::Open {
        path: src.to_owned(),
        message: e.to_string(),
    })?;
    source.busy_timeout(std::time::Duration::from_secs(10))?;
    let mut partial = dest.as_os_str().to_owned();
    partial.push(format!(".partial-{}", std::process::id()));
    let partial = PathBuf::from(partial);
    let _ = std::fs::remove_file(&partial);
    let copied = (|| -> Result<()> {
        let mut copy = Connection::open(&partial)?;
        {
            let backup = rusqlite::backup::Backup::new(&source, &mut copy)?;
            // Every page in one step: one read transaction, so one consistent snapshot, however
            // busy the server is (a step at a time would restart whenever it writes).
            loop {
                match backup.step(-1)? {
                    rusqlite::backup::StepResult::Done => break,
                    rusqlite::backup::StepResult::More => {}
                    _ => std::thread::sleep(std::time::Duration::from_millis(10)),
                }
            }
        }
        let ok: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if ok != "ok" {
            return Err(StoreError::Database(format!(
                "the copy failed its check: {ok}"
            )));
        }
        // Fold the copy's own journal into the file, so the backup is this one file.
        copy.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        copy.close().map_err(|(_, e)| StoreError::from(e))?;
        Ok(())
    })();
    let renamed = copied.and_then(|()| {
        std::fs::rename(&partial, dest)
            .map_err(|e| StoreError::Database(format!("cannot write {}: {e}", dest.display())))
    });
    if renamed.is_err() {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut p = partial.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
    renamed
}

/// How many responses the database file at `path` holds (read-only; for `heard backup`).
pub fn count_responses(path: &Path) -> Result<i64> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    Ok(conn.query_row("SELECT count(*) FROM responses", [], |r| r.get(0))?)
}

fn run_in_savepoint<T>(conn: &Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    conn.exec("SAVEPOINT job", [])?;
    let outcome = match catch_unwind(AssertUnwindSafe(|| f(conn))) {
        Ok(r) => r,
        Err(_) => Err(StoreError::Panicked),
    };
    match &outcome {
        Ok(_) => {
            conn.exec("RELEASE job", [])?;
        }
        Err(_) => {
            conn.exec("ROLLBACK TO job", [])?;
            conn.exec("RELEASE job", [])?;
        }
    }
    outcome
}

fn writer_loop(conn: Connection, rx: mpsc::Receiver<Job>) {
    // A job that must run alone, taken from the queue while filling the batch before it.
    let mut next: Option<Job> = None;
    loop {
        let first = match next.take() {
            Some(j) => j,
            None => match rx.recv() {
                Ok(j) => j,
                Err(_) => break,
            },
        };
        let alone = first.alone;
        let mut batch = vec![first];
        while !alone && batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) if j.alone => {
                    next = Some(j);
                    break;
                }
                Ok(j) => batch.push(j),
                Err(_) => break,
            }
        }
        let begun = conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(StoreError::from);
        if let Err(e) = begun {
            for job in batch {
                // A job that cannot begin is told so without running.
                let finish = job_failed(job, &e);
                finish();
            }
            continue;
        }
        let ran: Vec<(bool, Finisher)> = batch.into_iter().map(|job| (job.run)(&conn)).collect();
        // A job alone that failed takes its whole transaction back; its caller hears its error.
        let commit = if alone && ran.iter().any(|(ok, _)| !ok) {
            conn.execute_batch("ROLLBACK").map_err(StoreError::from)
        } else {
            let commit = conn.execute_batch("COMMIT").map_err(StoreError::from);
            if commit.is_err() {
                let _ = conn.execute_batch("ROLLBACK");
            }
            commit
        };
        for (_, f) in ran {
            f(commit.clone());
        }
    }
}

/// Answers a job that could not run with `e`, by running it on a connection in an aborted
/// state would be wrong; instead it is dropped, which closes its reply channel.
fn job_failed(job: Job, e: &StoreError) -> impl FnOnce() {
    tracing::error!(error = %e, "could not begin a write transaction");
    move || drop(job)
}

fn ensure_secret(conn: &Connection) -> Result<Vec<u8>> {
    let existing: Option<Vec<u8>> = conn
        .query_row("SELECT value FROM meta WHERE key = 'secret'", [], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(s) = existing {
        return Ok(s);
    }
    let s = crate::codes::random_bytes().to_vec();
    conn.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('secret', ?1)",
        [&s],
    )?;
    Ok(
        conn.query_row("SELECT value FROM meta WHERE key = 'secret'", [], |r| {
            r.get(0)
        })?,
    )
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Ok(mut w) = self.writer.lock() {
            w.take();
        }
        if let Some(h) = self.writer_thread.lock().ok().and_then(|mut h| h.take()) {
            let _ = h.join();
        }
    }
}

/// Statements kept prepared per connection: every statement of a respondent's journey fits.
const STATEMENT_CACHE: usize = 64;

/// Statements run through SQLite's statement cache: the respondent's requests run the same few
/// statements thousands of times a minute, and parsing each again costs more than running it.
pub(crate) trait Cached {
    fn exec<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
    fn one<T, P: rusqlite::Params, F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>>(
        &self,
        sql: &str,
        params: P,
        f: F,
    ) -> rusqlite::Result<T>;
}

impl Cached for Connection {
    fn exec<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    fn one<T, P: rusqlite::Params, F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>>(
        &self,
        sql: &str,
        params: P,
        f: F,
    ) -> rusqlite::Result<T> {
        self.prepare_cached(sql)?.query_row(params, f)
    }
}

/// Waits for a store future in a test: they only wait on a channel, so a trivial executor is
/// enough.
#[cfg(test)]
pub(crate) fn block<T>(f: impl std::future::Future<Output = T>) -> T {
    let waker = std::task::Waker::noop();
    let mut cx = std::task::Context::from_waker(waker);
    let mut f = std::pin::pin!(f);
    loop {
        if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrent_writes_are_all_committed_and_a_failing_job_spoils_no_other() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("t.db")).expect("open");
        store
            .write_blocking(|c| Ok(c.execute_batch("CREATE TABLE t (n INTEGER UNIQUE)")?))
            .expect("create");
        let results: Vec<Result<()>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..200)
                .map(|i| {
                    let store = store.clone();
                    s.spawn(move || {
                        // Every tenth job inserts a duplicate and fails.
                        let n = if i % 10 == 9 { i - 1 } else { i };
                        store.write_blocking(move |c| {
                            c.execute("INSERT INTO t (n) VALUES (?1)", [n])?;
                            Ok(())
                        })
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect()
        });
        let failed = results.iter().filter(|r| r.is_err()).count();
        assert!(failed <= 20, "only duplicates fail");
        let count: i64 = store
            .read(|c| Ok(c.query_row("SELECT count(*) FROM t", [], |r| r.get(0))?))
            .expect("count");
        assert_eq!(count as usize, 200 - failed);
        assert_eq!(count, 180, "each duplicate pair stores exactly one");
    }

    #[test]
    fn a_job_alone_commits_whole_or_not_at_all_between_shared_ones() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("t.db")).expect("open");
        store
            .write_blocking(|c| Ok(c.execute_batch("CREATE TABLE t (n INTEGER UNIQUE)")?))
            .expect("create");
        let results: Vec<Result<usize>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..60i64)
                .map(|i| {
                    let store = store.clone();
                    s.spawn(move || {
                        let insert = move |c: &Connection, from: i64, to: i64| -> Result<usize> {
                            for n in from..to {
                                c.execute("INSERT INTO t (n) VALUES (?1)", [n])?;
                            }
                            Ok((to - from) as usize)
                        };
                        if i % 20 == 0 {
                            // A big job alone; the one at 40 ends with a duplicate and fails.
                            let (from, to) = (1000 + i * 100, 1000 + i * 100 + 100);
                            crate::store::block(store.write_alone(move |c| {
                                let n = insert(c, from, to)?;
                                if i == 40 {
                                    c.execute("INSERT INTO t (n) VALUES (?1)", [from])?;
                                }
                                Ok(n)
                            }))
                        } else {
                            store.write_blocking(move |c| insert(c, i, i + 1))
                        }
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect()
        });
        assert!(results[40].is_err(), "{:?}", results[40]);
        assert_eq!(results.iter().filter(|r| r.is_err()).count(), 1);
        let count = |sql: &str| -> i64 {
            store
                .read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?))
                .expect("count")
        };
        assert_eq!(count("SELECT count(*) FROM t WHERE n < 1000"), 57);
        assert_eq!(
            count("SELECT count(*) FROM t WHERE n >= 1000"),
            200,
            "two jobs alone, whole"
        );
        assert_eq!(
            count("SELECT count(*) FROM t WHERE n BETWEEN 5000 AND 5099"),
            0,
            "none of the failed one"
        );
    }

    #[test]
    fn a_panicking_job_is_rolled_back_and_the_writer_goes_on() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("t.db")).expect("open");
        let r: Result<()> = store.write_blocking(|c| {
            c.execute_batch("CREATE TABLE gone (x)")?;
            panic!("a bug in a job");
        });
        assert_eq!(r, Err(StoreError::Panicked));
        let exists: i64 = store
            .write_blocking(|c| {
                Ok(c.query_row(
                    "SELECT count(*) FROM sqlite_master WHERE name = 'gone'",
                    [],
                    |r| r.get(0),
                )?)
            })
            .expect("writer still works");
        assert_eq!(exists, 0);
    }

    #[test]
    fn the_database_is_durable_and_reopens_with_its_secret() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("t.db");
        let store = Store::open(&path).expect("open");
        let sync: i64 = store
            .write_blocking(|c| Ok(c.query_row("PRAGMA synchronous", [], |r| r.get(0))?))
            .expect("pragma");
        assert_eq!(sync, 2, "synchronous=FULL");
        let mode: String = store
            .read(|c| Ok(c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?))
            .expect("pragma");
        assert_eq!(mode, "wal");
        let key = store.derive_key("x");
        store.close();
        let again = Store::open(&path).expect("reopen");
        assert_eq!(again.derive_key("x"), key);
        let copy = dir.path().join("copy.db");
        again.backup_to(&copy).expect("backup");
        assert_eq!(Store::open(&copy).expect("copy opens").derive_key("x"), key);
    }
}
