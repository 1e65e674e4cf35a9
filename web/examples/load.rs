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
//! temporary folder under the target directory, on the same disk as the build).
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::redirect::Policy;
use tokio::sync::{Barrier, Mutex};

const ANSWERS_PER_RESPONSE: i64 = 6;

struct Opts {
    burst: usize,
    concurrency: usize,
    seconds: u64,
    dir: Option<PathBuf>,
}

fn opts() -> Opts {
    let mut o = Opts {
        burst: 1000,
        concurrency: 200,
        seconds: 20,
        dir: None,
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
            other => panic!("unknown option {other}"),
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

/// One respondent's browser: its own cookies, from its own loopback address.
struct Browser {
    client: reqwest::Client,
    base: String,
    ip: std::net::IpAddr,
    csrf: String,
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
        let ip = address(n);
        Browser {
            client: Browser::client(ip),
            base: base.to_string(),
            ip,
            csrf: String::new(),
        }
    }

    fn client(ip: std::net::IpAddr) -> reqwest::Client {
        reqwest::Client::builder()
            .local_address(ip)
            .cookie_store(true)
            .redirect(Policy::none())
            .timeout(Duration::from_secs(60))
            .pool_idle_timeout(Duration::from_secs(5))
            .build()
            .expect("client")
    }

    async fn get(&self, path: &str, s: &mut Stats) -> Res<String> {
        let t = Instant::now();
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .map_err(|e| format!("GET {path}: {e}"))?;
        let status = r.status().as_u16();
        let body = r.text().await.map_err(|e| format!("GET {path}: {e}"))?;
        s.page_views.push(t.elapsed());
        if status != 200 {
            return Err(format!("GET {path}: {status}"));
        }
        Ok(body)
    }

    /// Posts a form; returns (status, Location, body).
    async fn post(&self, path: &str, fields: &str) -> Res<(u16, String, String)> {
        let body = if fields.is_empty() {
            format!("csrf={}", self.csrf)
        } else {
            format!("csrf={}&{fields}", self.csrf)
        };
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .map_err(|e| format!("POST {path}: {e}"))?;
        let status = r.status().as_u16();
        let loc = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let text = r.text().await.map_err(|e| format!("POST {path}: {e}"))?;
        Ok((status, loc, text))
    }

    async fn page(&self, n: usize, fields: &str, s: &mut Stats) -> Res<String> {
        let path = format!("/s/every-type/p/{n}");
        self.get(&path, s).await?;
        let t = Instant::now();
        let (status, loc, _) = self.post(&path, fields).await?;
        s.posts.push(t.elapsed());
        if status != 303 {
            return Err(format!("POST {path}: {status}"));
        }
        Ok(loc)
    }

    /// Everything up to (not including) the submit. Every `save_every`th respondent saves on page
    /// 3 and carries on in a new browser with the resume code.
    async fn answer(&mut self, marker: &str, save: bool, s: &mut Stats) -> Res<()> {
        let who = self.get("/s/every-type/who", s).await?;
        self.csrf = csrf_in(&who).ok_or("no csrf")?;
        let t = Instant::now();
        let (status, _, _) = self.post("/s/every-type/who", "version=standard").await?;
        s.posts.push(t.elapsed());
        if status != 303 {
            return Err(format!("POST who: {status}"));
        }
        self.page(1, "q-setting=foster&q-moved=no", s).await?;
        if save {
            self.get("/s/every-type/p/3", s).await?;
            let (status, _, body) = self
                .post("/s/every-type/p/3", "q-helpers=carer&action=save")
                .await?;
            if status != 200 {
                return Err(format!("save: {status}"));
            }
            let code = text_of_id(&body, "resume-code").ok_or("no resume code")?;
            // Later, on another device.
            self.client = Browser::client(self.ip);
            let start = self.get("/s/every-type", s).await?;
            self.csrf = csrf_in(&start).ok_or("no csrf")?;
            let (status, _, _) = self
                .post("/s/every-type/resume", &format!("code={code}"))
                .await?;
            if status != 303 {
                return Err(format!("resume: {status}"));
            }
        }
        self.page(3, "q-helpers=carer&q-helpers=teacher", s).await?;
        self.page(4, "q-workers=3", s).await?;
        self.page(
            5,
            &format!("q-one-thing={marker}&q-anything-else=more+from+{marker}"),
            s,
        )
        .await?;
        self.get("/s/every-type/check", s).await?;
        Ok(())
    }

    async fn submit(&self, marker: &str, s: &mut Stats) -> Res<()> {
        let t = Instant::now();
        let (status, loc, _) = self.post("/s/every-type/submit", "").await?;
        s.submits.push(t.elapsed());
        if status != 303 || !loc.ends_with("/done") {
            return Err(format!("submit: {status} {loc}"));
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

struct Server {
    child: std::process::Child,
    base: String,
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

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repo")
        .to_path_buf()
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
    // The release binary, built now so the figures are for this code.
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "-p", "heard-web", "--bin", "heard"])
        .current_dir(repo())
        .status()
        .expect("cargo build");
    assert!(status.success(), "building heard");
    let exe = std::env::current_exe().expect("exe");
    let heard = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/release")
        .join("heard");
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

    // --- Burst: everyone answers, then everyone submits at once.
    let db = dir.path().join("burst.db");
    let server = start_server(&heard, &db);
    let (burst_stats, burst_secs) = rt.block_on(burst(&server.base, o.burst));
    stop_server(server);
    let burst_lost = lost(&db, &burst_stats.confirmed);
    let burst_rate = burst_stats.confirmed.len() as f64 / burst_secs;

    // --- Sustained: `concurrency` respondents, journeys back to back.
    let db = dir.path().join("sustained.db");
    let server = start_server(&heard, &db);
    let (sustained_stats, secs) = rt.block_on(sustained(&server.base, o.concurrency, o.seconds));
    stop_server(server);
    let sustained_lost = lost(&db, &sustained_stats.confirmed);
    let rate = sustained_stats.confirmed.len() as f64 / secs;

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
    for e in b.errors.iter().chain(&s.errors).take(10) {
        println!("  error: {e}");
    }
    let ok = b.errors.is_empty() && s.errors.is_empty() && burst_lost == 0 && sustained_lost == 0;
    println!(
        "\ngoals: zero errors and zero lost: {}; durable submissions/s >= 2x raw: burst {}, \
         sustained {}; p99 submit < 100 ms at {}: {}",
        if ok { "met" } else { "NOT met" },
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

async fn burst(base: &str, n: usize) -> (Stats, f64) {
    let barrier = Arc::new(Barrier::new(n + 1));
    let all = Arc::new(Mutex::new(Stats::default()));
    let mut tasks = Vec::new();
    for i in 0..n {
        let (barrier, all, base) = (barrier.clone(), all.clone(), base.to_string());
        tasks.push(tokio::spawn(async move {
            let mut s = Stats::default();
            let marker = format!("burst-{i}");
            let mut b = Browser::new(&base, i);
            let ready = b.answer(&marker, i % 10 == 0, &mut s).await;
            barrier.wait().await;
            let result = match ready {
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
    barrier.wait().await;
    let go = Instant::now();
    for t in tasks {
        let _ = t.await;
    }
    let secs = go.elapsed().as_secs_f64();
    let s = std::mem::take(&mut *all.lock().await);
    (s, secs)
}

async fn sustained(base: &str, concurrency: usize, seconds: u64) -> (Stats, f64) {
    let started = Instant::now();
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
                let r = match b.answer(&marker, i % 10 == 0, &mut s).await {
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
    let s = std::mem::take(&mut *all.lock().await);
    (s, secs)
}
