//! Load benchmark: `cargo run --release -p heard-web --example load [-- OPTIONS]`.
//!
//! Builds the release `heard`, starts `heard serve` on loopback with a fresh database, and drives
//! simulated respondents through a real survey over HTTP (start, answer every page, save and
//! resume some, check, submit, read the confirmation). Measured in the same run and on the same
//! disk: the raw SQLite ceiling (one INSERT per durable transaction, WAL, synchronous=FULL), so
//! submissions per second are given as a ratio to it. Two scenarios:
//!
//! - burst: `--burst` respondents (1,000) fill in their answers, then all submit at once;
//! - sustained: `--concurrency` respondents (200) complete journeys back to back for `--seconds`.
//!
//! Each respondent connects from its own loopback address (127.x.y.z), like separate homes.
//! Afterwards every confirmed submission is looked for in the database with all its answers.
//! Options: --burst N, --concurrency N, --seconds S, --dir PATH (where the databases go; default a
//! temporary folder under the target directory, on the same disk as the build), --perf FILE
//! (records the server's profile during the burst's submits with `perf record`), --heard PATH
//! (a `heard` binary to measure instead of building this checkout's), --with FILE (a database
//! made by `heard backup`, copied in before each server starts, so the submit path is measured
//! against one already holding its responses: the scale example's, say), --phrases PERCENT (that
//! share of respondents add "my stepdad hits me when he has been drinking" to their second
//! free-text answer: a firm phrase, which flags on the submit path unread, the learned layer
//! reading it in the background; default 0), --weak (their phrase is "my step dad hurst me"
//! instead: weak, a letter from "hurts", flagged only when the background reading agrees),
//! --catch-up SECONDS (after the sustained run, waits up to that long for the server's background
//! reading to read every answer left unread, and times it, with the start page's times meanwhile).
#[path = "shared/release_heard.rs"]
mod release_heard;
#[path = "shared/usage.rs"]
mod usage;
use release_heard::{release_heard, repo};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{Barrier, Mutex};

const ANSWERS_PER_RESPONSE: i64 = 6;

/// Added (form-encoded) to the second free-text answer of `--phrases` respondents: a firm
/// built-in phrase, which flags on the submit path without the learned layer.
const PHRASED: &str = ".+my+stepdad+hits+me+when+he+has+been+drinking";

/// As [`PHRASED`] with `--weak`: a weak phrase, which flags only when the learned layer's
/// reading in the background agrees (the build before session 14's last change weighed it on
/// the submit path).
const WEAKLY_PHRASED: &str = ".+my+step+dad+hurst+me";

/// Which respondents add a phrase to their answer, and which.
#[derive(Debug, Clone, Copy)]
struct Phrasing {
    percent: usize,
    text: &'static str,
}

impl Phrasing {
    /// What respondent `i` adds, if anything.
    fn of(self, i: usize) -> &'static str {
        if i % 100 < self.percent {
            self.text
        } else {
            ""
        }
    }
}

struct Opts {
    burst: usize,
    concurrency: usize,
    seconds: u64,
    dir: Option<PathBuf>,
    perf: Option<PathBuf>,
    heard: Option<PathBuf>,
    with: Option<PathBuf>,
    /// Per cent of respondents whose second free-text answer holds a built-in phrase.
    phrases: usize,
    /// Their phrase is weak ([`WEAKLY_PHRASED`]), not firm.
    weak: bool,
    /// Seconds to wait, after the sustained run, for the background reading to catch up (0:
    /// not measured).
    catch_up: u64,
}

const USAGE: &str = "usage: load [--burst N] [--concurrency N] [--seconds S] [--phrases PERCENT] \
[--weak] [--catch-up SECONDS] [--dir DIR] [--perf FILE] [--heard PATH] [--with PATH]";

fn opts() -> Opts {
    let mut o = Opts {
        burst: 1000,
        concurrency: 200,
        seconds: 20,
        dir: None,
        perf: None,
        heard: None,
        with: None,
        phrases: 0,
        weak: false,
        catch_up: 0,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let v = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--burst" => o.burst = v.parse().expect("--burst N"),
            "--concurrency" => o.concurrency = v.parse().expect("--concurrency N"),
            "--seconds" => o.seconds = v.parse().expect("--seconds S"),
            "--dir" => o.dir = Some(PathBuf::from(v)),
            "--perf" => o.perf = Some(PathBuf::from(v)),
            "--heard" => o.heard = Some(PathBuf::from(v)),
            "--with" => o.with = Some(PathBuf::from(v)),
            "--phrases" => o.phrases = v.parse().expect("--phrases PERCENT"),
            "--catch-up" => o.catch_up = v.parse().expect("--catch-up SECONDS"),
            "--weak" => {
                o.weak = true;
                i += 1;
                continue;
            }
            other => usage::help_or_unknown(other, USAGE),
        }
        i += 2;
    }
    o
}

/// Latencies of one kind of request.
#[derive(Default)]
struct Stats {
    page_views: Vec<Duration>,
    posts: Vec<Duration>,
    submits: Vec<Duration>,
    errors: Vec<String>,
    confirmed: Vec<String>,
}

fn pct(v: &mut [Duration], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i].as_secs_f64() * 1000.0
}

fn line(name: &str, v: &mut [Duration]) -> String {
    format!(
        "{name:<11} n={:<6} p50 {:>7.1} ms  p95 {:>7.1} ms  p99 {:>7.1} ms",
        v.len(),
        pct(v, 0.50),
        pct(v, 0.95),
        pct(v, 0.99)
    )
}

/// One respondent's browser: its own cookies and kept-alive connection, from its own loopback
/// address. A small HTTP/1.1 client written for the benchmark (like wrk's), so that the simulated
/// browsers take as little as possible of the CPU the server shares with them.
struct Browser {
    server: std::net::SocketAddr,
    host: String,
    ip: std::net::IpAddr,
    conn: Option<tokio::io::BufReader<tokio::net::TcpStream>>,
    cookies: Vec<(String, String)>,
    csrf: String,
}

/// What came back: status, Location and body.
struct Reply {
    status: u16,
    location: String,
    body: String,
}

fn address(n: usize) -> std::net::IpAddr {
    std::net::Ipv4Addr::new(
        127,
        1 + (n / 62500) as u8,
        ((n / 250) % 250) as u8,
        (n % 250) as u8 + 1,
    )
    .into()
}

fn csrf_in(body: &str) -> Option<String> {
    let m = "name=\"csrf\" value=\"";
    let s = body.find(m)? + m.len();
    Some(body[s..s + body[s..].find('"')?].to_string())
}

fn text_of_id(body: &str, id: &str) -> Option<String> {
    let m = format!("id=\"{id}\">");
    let s = body.find(&m)? + m.len();
    Some(body[s..s + body[s..].find('<')?].trim().to_string())
}

type Res<T> = Result<T, String>;

impl Browser {
    fn new(base: &str, n: usize) -> Browser {
        let host = base.trim_start_matches("http://").to_string();
        Browser {
            server: host.parse().expect("server address"),
            host,
            ip: address(n),
            conn: None,
            cookies: Vec::new(),
            csrf: String::new(),
        }
    }

    /// The same person later on another device: no cookies, no connection.
    fn new_device(&mut self) {
        self.conn = None;
        self.cookies.clear();
    }

    async fn connect(&self) -> Res<tokio::io::BufReader<tokio::net::TcpStream>> {
        let socket = tokio::net::TcpSocket::new_v4().map_err(|e| e.to_string())?;
        socket
            .bind(std::net::SocketAddr::new(self.ip, 0))
            .map_err(|e| format!("bind {}: {e}", self.ip))?;
        let stream = socket
            .connect(self.server)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        Ok(tokio::io::BufReader::with_capacity(16 * 1024, stream))
    }

    /// Sends one request and reads its reply, on the kept-alive connection if there is one. A
    /// connection the server closed while idle is opened again and the request sent once more,
    /// as browsers do; a failure on a new connection is an error.
    async fn request(&mut self, method: &str, path: &str, form: Option<&str>) -> Res<Reply> {
        use std::fmt::Write as _;
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.host);
        if !self.cookies.is_empty() {
            head.push_str("Cookie: ");
            for (i, (k, v)) in self.cookies.iter().enumerate() {
                let sep = if i == 0 { "" } else { "; " };
                let _ = write!(head, "{sep}{k}={v}");
            }
            head.push_str("\r\n");
        }
        if let Some(body) = form {
            let _ = write!(
                head,
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
        } else {
            head.push_str("\r\n");
        }
        let reused = self.conn.is_some();
        match self.exchange(head.as_bytes()).await {
            Ok(r) => Ok(r),
            Err(_) if reused => {
                self.conn = None;
                self.exchange(head.as_bytes()).await
            }
            Err(e) => Err(e),
        }
        .map_err(|e| format!("{method} {path}: {e}"))
    }

    async fn exchange(&mut self, request: &[u8]) -> Res<Reply> {
        use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
        let mut conn = match self.conn.take() {
            Some(c) => c,
            None => self.connect().await?,
        };
        let reply = async {
            conn.get_mut()
                .write_all(request)
                .await
                .map_err(|e| e.to_string())?;
            let mut line = String::new();
            let (mut status, mut location, mut length) = (0u16, String::new(), None);
            let (mut chunked, mut close) = (false, false);
            loop {
                line.clear();
                if conn.read_line(&mut line).await.map_err(|e| e.to_string())? == 0 {
                    return Err("connection closed".to_string());
                }
                let l = line.trim_end();
                if l.is_empty() {
                    if status == 0 {
                        continue;
                    }
                    break;
                }
                if status == 0 {
                    status = l
                        .split(' ')
                        .nth(1)
                        .and_then(|c| c.parse().ok())
                        .ok_or(format!("bad status line {l:?}"))?;
                    continue;
                }
                let Some((name, value)) = l.split_once(':') else {
                    continue;
                };
                let value = value.trim();
                match name.to_ascii_lowercase().as_str() {
                    "content-length" => length = value.parse::<usize>().ok(),
                    "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
                    "connection" => close = value.eq_ignore_ascii_case("close"),
                    "location" => location = value.to_string(),
                    "set-cookie" => self.set_cookie(value),
                    _ => {}
                }
            }
            let mut body = Vec::new();
            if chunked {
                loop {
                    line.clear();
                    conn.read_line(&mut line).await.map_err(|e| e.to_string())?;
                    let size =
                        usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                            .map_err(|_| format!("bad chunk size {line:?}"))?;
                    let at = body.len();
                    body.resize(at + size + 2, 0);
                    conn.read_exact(&mut body[at..])
                        .await
                        .map_err(|e| e.to_string())?;
                    body.truncate(at + size);
                    if size == 0 {
                        break;
                    }
                }
            } else if let Some(n) = length {
                body.resize(n, 0);
                conn.read_exact(&mut body)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            let body = String::from_utf8(body).map_err(|_| "body is not UTF-8".to_string())?;
            Ok((
                Reply {
                    status,
                    location,
                    body,
                },
                close,
            ))
        };
        let (reply, close) = tokio::time::timeout(Duration::from_secs(60), reply)
            .await
            .map_err(|_| "no reply within 60 s".to_string())??;
        if !close {
            self.conn = Some(conn);
        }
        Ok(reply)
    }

    fn set_cookie(&mut self, header: &str) {
        let pair = header.split(';').next().unwrap_or("");
        let Some((name, value)) = pair.split_once('=') else {
            return;
        };
        let gone = value.is_empty() || header.to_ascii_lowercase().contains("max-age=0");
        self.cookies.retain(|(k, _)| k != name);
        if !gone {
            self.cookies.push((name.to_string(), value.to_string()));
        }
    }

    async fn get(&mut self, path: &str, s: &mut Stats) -> Res<String> {
        let t = Instant::now();
        let r = self.request("GET", path, None).await?;
        s.page_views.push(t.elapsed());
        if r.status != 200 {
            return Err(format!("GET {path}: {}", r.status));
        }
        Ok(r.body)
    }

    /// Posts a form with the page's CSRF token.
    async fn post(&mut self, path: &str, fields: &str) -> Res<Reply> {
        let body = if fields.is_empty() {
            format!("csrf={}", self.csrf)
        } else {
            format!("csrf={}&{fields}", self.csrf)
        };
        self.request("POST", path, Some(&body)).await
    }

    async fn page(&mut self, n: usize, fields: &str, s: &mut Stats) -> Res<String> {
        let path = format!("/s/every-type/p/{n}");
        self.get(&path, s).await?;
        let t = Instant::now();
        let r = self.post(&path, fields).await?;
        s.posts.push(t.elapsed());
        if r.status != 303 {
            return Err(format!("POST {path}: {}", r.status));
        }
        Ok(r.location)
    }

    /// Everything up to (not including) the submit. Every `save_every`th respondent saves on page
    /// 3 and carries on in a new browser with the resume code.
    async fn answer(&mut self, marker: &str, phrase: &str, save: bool, s: &mut Stats) -> Res<()> {
        let who = self.get("/s/every-type/who", s).await?;
        self.csrf = csrf_in(&who).ok_or("no csrf")?;
        let t = Instant::now();
        let r = self.post("/s/every-type/who", "version=standard").await?;
        s.posts.push(t.elapsed());
        if r.status != 303 {
            return Err(format!("POST who: {}", r.status));
        }
        self.page(1, "q-setting=foster&q-moved=no", s).await?;
        if save {
            self.get("/s/every-type/p/3", s).await?;
            let r = self
                .post("/s/every-type/p/3", "q-helpers=carer&action=save")
                .await?;
            if r.status != 200 {
                return Err(format!("save: {}", r.status));
            }
            let code = text_of_id(&r.body, "resume-code").ok_or("no resume code")?;
            // Later, on another device.
            self.new_device();
            let start = self.get("/s/every-type", s).await?;
            self.csrf = csrf_in(&start).ok_or("no csrf")?;
            let r = self
                .post("/s/every-type/resume", &format!("code={code}"))
                .await?;
            if r.status != 303 {
                return Err(format!("resume: {}", r.status));
            }
        }
        self.page(3, "q-helpers=carer&q-helpers=teacher", s).await?;
        self.page(4, "q-workers=3", s).await?;
        self.page(
            5,
            &format!("q-one-thing={marker}&q-anything-else=more+from+{marker}{phrase}"),
            s,
        )
        .await?;
        self.get("/s/every-type/check", s).await?;
        Ok(())
    }

    async fn submit(&mut self, marker: &str, s: &mut Stats) -> Res<()> {
        let t = Instant::now();
        let r = self.post("/s/every-type/submit", "").await?;
        s.submits.push(t.elapsed());
        if r.status != 303 || !r.location.ends_with("/done") {
            return Err(format!("submit: {} {}", r.status, r.location));
        }
        s.confirmed.push(marker.to_string());
        let done = self.get("/s/every-type/done", s).await?;
        text_of_id(&done, "reference-code").ok_or("no reference code")?;
        Ok(())
    }
}

/// Inserts per second with one durable transaction per insert, on `dir`'s disk.
fn raw_ceiling(dir: &Path) -> f64 {
    let path = dir.join("raw.db");
    let conn = rusqlite::Connection::open(&path).expect("raw db");
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE answers (response_id INTEGER, question_id TEXT, value TEXT, text TEXT);",
    )
    .expect("raw schema");
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < Duration::from_secs(3) {
        conn.execute(
            "INSERT INTO answers VALUES (?1, 'one-thing', '\"x\"', 'some words of an answer')",
            [n as i64],
        )
        .expect("insert");
        n += 1;
    }
    n as f64 / started.elapsed().as_secs_f64()
}

/// Durable submissions through the store alone, without HTTP: `n` drafts are made, then all are
/// submitted at once through `Store::submit`, the call the submit page makes, with the same
/// answers screened and masked first. What group commit makes of the disk, apart from the CPU
/// that HTTP and pages take on the same cores. Returns submissions per second and how many of
/// the confirmed were not found whole afterwards.
async fn store_only(dir: &Path, n: usize) -> (f64, usize) {
    use engine::AnswerValue;
    let db = dir.join("store.db");
    let store = engine::Store::open(&db).expect("store");
    let protector = intake::protect::Protector::new(safeguard::Screener::builtin())
        .expect("the learned screening layer loads");
    let today = chrono::Local::now().date_naive();
    let mut drafts = Vec::new();
    for i in 0..n {
        let token = format!("load-token-{i}");
        drafts.push(
            store
                .create_draft("every-type", "standard", &token, today)
                .await
                .expect("draft"),
        );
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, draft) in drafts.into_iter().enumerate() {
        let (store, protector) = (store.clone(), protector.clone());
        tasks.push(tokio::spawn(async move {
            let marker = format!("store-{i}");
            let answers: engine::survey::Answers = [
                ("setting", AnswerValue::Choice("foster".into())),
                ("moved", AnswerValue::Choice("no".into())),
                (
                    "helpers",
                    AnswerValue::Choices(vec!["carer".into(), "teacher".into()]),
                ),
                ("workers", AnswerValue::Number(3)),
                ("one-thing", AnswerValue::Text(marker.clone())),
                (
                    "anything-else",
                    AnswerValue::Text(format!("more from {marker}")),
                ),
            ]
            .into_iter()
            .map(|(q, a)| (q.to_string(), a))
            .collect();
            let p = protector.clone();
            let a = answers.clone();
            let protection = tokio::task::spawn_blocking(move || p.protect_now(&a))
                .await
                .expect("screening");
            match store.submit(draft, answers, protection, today).await {
                Ok(engine::store::SubmitOutcome::Stored(_)) => Some(marker),
                _ => None,
            }
        }));
    }
    let mut confirmed = Vec::new();
    for t in tasks {
        if let Ok(Some(m)) = t.await {
            confirmed.push(m);
        }
    }
    let secs = started.elapsed().as_secs_f64();
    store.close();
    let missing = n - confirmed.len() + lost(&db, &confirmed);
    (confirmed.len() as f64 / secs, missing)
}

struct Server {
    child: std::process::Child,
    base: String,
}

/// CPU time (user + system) a process has used so far, from `/proc/PID/stat`; zero where there is
/// no `/proc`. Lets the report say where the two cores went: server or simulated browsers.
fn cpu_time(pid: &str) -> Duration {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return Duration::ZERO;
    };
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    // utime and stime are fields 14 and 15 of the stat line, 12 and 13 after the name.
    let hz = 100; // USER_HZ on Linux
    Duration::from_millis((ticks(11) + ticks(12)) * 1000 / hz)
}

/// Copies the database `with` (if given) to `db`, for a server to start on.
fn seed(with: Option<&Path>, db: &Path) {
    if let Some(from) = with {
        std::fs::copy(from, db).expect("--with: a database file made by `heard backup`");
        // On disk before the server starts: otherwise its first checkpoint's sync writes the
        // whole copy out, a stall of the benchmark's making.
        std::fs::File::open(db)
            .and_then(|f| f.sync_all())
            .expect("the copy synced");
    }
}

fn start_server(heard: &Path, db: &Path) -> Server {
    use std::io::BufRead;
    let mut child = Command::new(heard)
        .arg("serve")
        .arg(repo().join("tests/fixtures/surveys"))
        .args(["--addr", "127.0.0.1:0", "--db"])
        .arg(db)
        .env("HEARD_LOG", "warn")
        .stderr(Stdio::piped())
        .spawn()
        .expect("heard serve");
    let mut lines = std::io::BufReader::new(child.stderr.take().expect("stderr")).lines();
    let base = loop {
        let l = lines.next().expect("serve output").expect("line");
        if let Some(i) = l.find(" on http://") {
            let rest = &l[i + 4..];
            break rest[..rest.find(' ').unwrap_or(rest.len())].to_string();
        }
    };
    std::thread::spawn(move || {
        for l in lines.map_while(Result::ok) {
            eprintln!("  server: {l}");
        }
    });
    Server { child, base }
}

fn stop_server(mut s: Server) {
    let _ = Command::new("kill")
        .args(["-TERM", &s.child.id().to_string()])
        .status();
    let _ = s.child.wait();
}

/// Markers confirmed but not stored whole.
fn lost(db: &Path, confirmed: &[String]) -> usize {
    let conn = rusqlite::Connection::open(db).expect("open");
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check");
    assert_eq!(ok, "ok", "integrity_check");
    let mut q = conn
        .prepare(
            "SELECT count(*) FROM answers WHERE response_id = \
             (SELECT response_id FROM answers WHERE question_id = 'one-thing' AND text = ?1)",
        )
        .expect("prepare");
    confirmed
        .iter()
        .filter(|m| q.query_row([m], |r| r.get::<_, i64>(0)).unwrap_or(0) != ANSWERS_PER_RESPONSE)
        .count()
}

fn main() {
    let o = opts();
    let exe = std::env::current_exe().expect("exe");
    let heard = release_heard(o.heard.as_ref());
    let base_dir = o.dir.clone().unwrap_or_else(|| {
        exe.parent()
            .and_then(Path::parent)
            .expect("target dir")
            .to_path_buf()
    });
    let dir = tempfile::tempdir_in(&base_dir).expect("temp dir");

    let raw = raw_ceiling(dir.path());
    println!(
        "raw SQLite ceiling on this disk: {raw:.0} durable single-insert transactions/s \
         (WAL, synchronous=FULL)"
    );

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");

    // --- The store alone: group commit without HTTP.
    let (store_rate, store_lost) = rt.block_on(store_only(dir.path(), o.burst));
    println!(
        "store alone: {} submissions at once through Store::submit: {store_rate:.0}/s \
         ({:.1}x raw), {store_lost} lost",
        o.burst,
        store_rate / raw
    );

    // --- Burst: everyone answers, then everyone submits at once.
    let phrasing = Phrasing {
        percent: o.phrases,
        text: if o.weak { WEAKLY_PHRASED } else { PHRASED },
    };
    let db = dir.path().join("burst.db");
    seed(o.with.as_deref(), &db);
    let server = start_server(&heard, &db);
    let pid = server.child.id().to_string();
    let (burst_stats, burst_secs, burst_cpu) = rt.block_on(burst(
        &server.base,
        o.burst,
        phrasing,
        &pid,
        o.perf.as_deref(),
    ));
    stop_server(server);
    let burst_lost = lost(&db, &burst_stats.confirmed);
    let burst_rate = burst_stats.confirmed.len() as f64 / burst_secs;

    // --- Sustained: `concurrency` respondents, journeys back to back.
    let db = dir.path().join("sustained.db");
    seed(o.with.as_deref(), &db);
    let server = start_server(&heard, &db);
    let pid = server.child.id().to_string();
    let (sustained_stats, secs, sustained_cpu) = rt.block_on(sustained(
        &server.base,
        o.concurrency,
        phrasing,
        o.seconds,
        &pid,
    ));
    let caught_up = (o.catch_up > 0)
        .then(|| rt.block_on(catch_up(&server.base, &db, Duration::from_secs(o.catch_up))));
    stop_server(server);
    let sustained_lost = lost(&db, &sustained_stats.confirmed);
    let rate = sustained_stats.confirmed.len() as f64 / secs;
    // The phrased answers' flags: a firm phrase's stored at submission, unread; a weak one's
    // when the background reading has agreed (counted here however far it got).
    let flagged: i64 = rusqlite::Connection::open(&db)
        .and_then(|c| {
            c.query_row(
                "SELECT count(*) FROM flags WHERE trigger != 'learned'",
                [],
                |r| r.get(0),
            )
        })
        .expect("count flags");
    println!(
        "\nrespondents with a {} phrase: {}% (--phrases{}); sustained run's phrase flags: {flagged}",
        if o.weak { "weak" } else { "firm" },
        o.phrases,
        if o.weak { " --weak" } else { "" }
    );

    if let Some((unread, took, mut pages)) = caught_up {
        println!(
            "\ncatch-up (--catch-up {}): {unread} answers unread when respondents stopped; {}",
            o.catch_up,
            match took {
                Some(t) => format!("the background reading had read them all {t:.1} s later"),
                None => format!("some still unread after {} s", o.catch_up),
            }
        );
        println!(
            "  {} (one person, 5 a second)",
            line("start page", &mut pages)
        );
    }

    let mut b = burst_stats;
    println!(
        "\nburst: {} respondents submitting at once: {} confirmed in {:.2} s ({:.0}/s, {:.1}x raw), \
         {} errors, {} lost",
        o.burst,
        b.confirmed.len(),
        burst_secs,
        burst_rate,
        burst_rate / raw,
        b.errors.len(),
        burst_lost
    );
    println!("  {}", line("submits", &mut b.submits));
    println!("  {}", burst_cpu.per(b.confirmed.len()));
    let mut s = sustained_stats;
    println!(
        "\nsustained: {} concurrent respondents for {:.0} s: {} submissions ({:.0}/s, {:.1}x raw), \
         {} errors, {} lost",
        o.concurrency,
        secs,
        s.confirmed.len(),
        rate,
        rate / raw,
        s.errors.len(),
        sustained_lost
    );
    println!("  {}", line("page views", &mut s.page_views));
    println!("  {}", line("page posts", &mut s.posts));
    println!("  {}", line("submits", &mut s.submits));
    println!(
        "  {} (each a whole journey)",
        sustained_cpu.per(s.confirmed.len())
    );
    for e in b.errors.iter().chain(&s.errors).take(10) {
        println!("  error: {e}");
    }
    let ok = b.errors.is_empty() && s.errors.is_empty() && burst_lost == 0 && sustained_lost == 0;
    println!(
        "\ngoals: zero errors and zero lost: {}; durable submissions/s >= 2x raw: store alone {}, \
         burst over HTTP {}, sustained {}; p99 submit < 100 ms at {}: {}",
        if ok && store_lost == 0 {
            "met"
        } else {
            "NOT met"
        },
        if store_rate >= 2.0 * raw {
            "met"
        } else {
            "NOT met"
        },
        if burst_rate >= 2.0 * raw {
            "met"
        } else {
            "NOT met"
        },
        if rate >= 2.0 * raw { "met" } else { "NOT met" },
        o.concurrency,
        if pct(&mut s.submits, 0.99) < 100.0 {
            "met"
        } else {
            "NOT met"
        },
    );
}

/// CPU time used by the server and by the simulated browsers in one phase.
struct Cpu {
    server: Duration,
    client: Duration,
}

impl Cpu {
    fn per(&self, n: usize) -> String {
        let us = |d: Duration| d.as_secs_f64() * 1e6 / n.max(1) as f64;
        format!(
            "CPU per submission: server {:.0} us, simulated browsers {:.0} us",
            us(self.server),
            us(self.client)
        )
    }
}

async fn burst(
    base: &str,
    n: usize,
    phrasing: Phrasing,
    pid: &str,
    perf: Option<&Path>,
) -> (Stats, f64, Cpu) {
    // Everyone answers, then waits at `ready`; the submits start together at `go`.
    let ready = Arc::new(Barrier::new(n + 1));
    let barrier = Arc::new(Barrier::new(n + 1));
    let all = Arc::new(Mutex::new(Stats::default()));
    let mut tasks = Vec::new();
    for i in 0..n {
        let (ready, barrier, all, base) = (
            ready.clone(),
            barrier.clone(),
            all.clone(),
            base.to_string(),
        );
        tasks.push(tokio::spawn(async move {
            let mut s = Stats::default();
            let marker = format!("burst-{i}");
            let mut b = Browser::new(&base, i);
            let answered = b.answer(&marker, phrasing.of(i), i % 10 == 0, &mut s).await;
            ready.wait().await;
            barrier.wait().await;
            let result = match answered {
                Ok(()) => b.submit(&marker, &mut s).await,
                Err(e) => Err(e),
            };
            if let Err(e) = result {
                s.errors.push(e);
            }
            let mut a = all.lock().await;
            a.submits.append(&mut s.submits);
            a.errors.append(&mut s.errors);
            a.confirmed.append(&mut s.confirmed);
        }));
    }
    ready.wait().await;
    let mut recorder = perf.map(|file| {
        let child = Command::new("perf")
            .args([
                "record",
                "--call-graph",
                "dwarf",
                "-F",
                "999",
                "-p",
                pid,
                "-o",
            ])
            .arg(file)
            .stderr(Stdio::null())
            .spawn()
            .expect("perf record");
        // perf needs a moment to attach before the burst starts.
        std::thread::sleep(Duration::from_millis(500));
        child
    });
    barrier.wait().await;
    let go = Instant::now();
    let (s0, c0) = (cpu_time(pid), cpu_time("self"));
    for t in tasks {
        let _ = t.await;
    }
    if let Some(r) = recorder.as_mut() {
        let _ = Command::new("kill")
            .args(["-INT", &r.id().to_string()])
            .status();
        let _ = r.wait();
    }
    let secs = go.elapsed().as_secs_f64();
    let cpu = Cpu {
        server: cpu_time(pid).saturating_sub(s0),
        client: cpu_time("self").saturating_sub(c0),
    };
    let s = std::mem::take(&mut *all.lock().await);
    (s, secs, cpu)
}

/// After the sustained run nobody writes, and the server's background reading catches up on the
/// answers it has not read: the count of them when respondents stopped, the seconds until the
/// database holds none (polled every 100 ms, `None` past `limit`), and the survey's start page's
/// times for one person opening it five times a second meanwhile.
async fn catch_up(base: &str, db: &Path, limit: Duration) -> (i64, Option<f64>, Vec<Duration>) {
    let unread = || -> i64 {
        rusqlite::Connection::open(db)
            .and_then(|c| {
                c.query_row("SELECT count(*) FROM answers WHERE weighed <= 0", [], |r| {
                    r.get(0)
                })
            })
            .expect("count unread answers")
    };
    let started = Instant::now();
    let at_start = unread();
    let mut person = Browser::new(base, 250_000);
    let mut s = Stats::default();
    let mut took = None;
    let mut polled = Instant::now();
    while started.elapsed() < limit {
        if polled.elapsed() >= Duration::from_millis(100) {
            polled = Instant::now();
            if unread() == 0 {
                took = Some(started.elapsed().as_secs_f64());
                break;
            }
        }
        if let Err(e) = person.get("/s/every-type", &mut s).await {
            s.errors.push(e);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for e in s.errors.iter().take(3) {
        println!("  catch-up error: {e}");
    }
    (at_start, took, s.page_views)
}

async fn sustained(
    base: &str,
    concurrency: usize,
    phrasing: Phrasing,
    seconds: u64,
    pid: &str,
) -> (Stats, f64, Cpu) {
    let started = Instant::now();
    let (s0, c0) = (cpu_time(pid), cpu_time("self"));
    let deadline = started + Duration::from_secs(seconds);
    let all = Arc::new(Mutex::new(Stats::default()));
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (all, base, next) = (all.clone(), base.to_string(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut s = Stats::default();
            while Instant::now() < deadline {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let marker = format!("sustained-{i}");
                let mut b = Browser::new(&base, i);
                let r = match b.answer(&marker, phrasing.of(i), i % 10 == 0, &mut s).await {
                    Ok(()) => b.submit(&marker, &mut s).await,
                    Err(e) => Err(e),
                };
                if let Err(e) = r {
                    s.errors.push(e);
                }
            }
            let mut a = all.lock().await;
            a.page_views.append(&mut s.page_views);
            a.posts.append(&mut s.posts);
            a.submits.append(&mut s.submits);
            a.errors.append(&mut s.errors);
            a.confirmed.append(&mut s.confirmed);
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let secs = started.elapsed().as_secs_f64();
    let cpu = Cpu {
        server: cpu_time(pid).saturating_sub(s0),
        client: cpu_time("self").saturating_sub(c0),
    };
    let s = std::mem::take(&mut *all.lock().await);
    (s, secs, cpu)
}
