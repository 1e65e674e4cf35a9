//! The real `heard` binary as a child process on a loopback port, and a respondent driven over
//! HTTP with a blocking client: for tests that kill the server or copy its database while it runs.
#![allow(dead_code)]
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::blocking::Client;
use reqwest::redirect::Policy;

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// `heard serve` on the test fixtures, on a free loopback port, with the database `db`.
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Server {
    pub fn start(db: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_heard"))
            .arg("serve")
            .arg(repo().join("tests/fixtures/surveys"))
            .args(["--addr", "127.0.0.1:0", "--db"])
            .arg(db)
            .env("HEARD_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("heard serve starts");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("heard serve said where it listens")
                .expect("read stderr");
            if let Some(i) = line.find(" on http://") {
                let rest = &line[i + 4..];
                let end = rest.find(' ').unwrap_or(rest.len());
                break rest[..end].to_string();
            }
        };
        // Keep draining stderr so the child never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, base }
    }

    /// SIGKILL: no shutdown, no flush, no chance to finish anything.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM and wait: a graceful stop.
    pub fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// One respondent's browser.
pub struct Respondent {
    client: Client,
    base: String,
    csrf: String,
}

/// What went wrong, if anything: the server being killed shows up as `Err`.
pub type Step<T> = Result<T, String>;

fn csrf_in(body: &str) -> Option<String> {
    let marker = "name=\"csrf\" value=\"";
    let start = body.find(marker)? + marker.len();
    let end = body[start..].find('"')? + start;
    Some(body[start..end].to_string())
}

impl Respondent {
    pub fn new(base: &str) -> Respondent {
        Respondent::from_address(base, None)
    }

    /// A respondent whose connections come from `n`'s own loopback address (127.0.x.y), as if
    /// from a different home: per-address rate limits apply to each separately.
    pub fn numbered(base: &str, n: usize) -> Respondent {
        let ip = std::net::Ipv4Addr::new(127, 0, (n / 250) as u8 + 1, (n % 250) as u8 + 1);
        Respondent::from_address(base, Some(ip.into()))
    }

    fn from_address(base: &str, local: Option<std::net::IpAddr>) -> Respondent {
        Respondent {
            client: Client::builder()
                .local_address(local)
                .cookie_store(true)
                .redirect(Policy::none())
                .timeout(Duration::from_secs(60))
                // Under the server's 10 s idle limit, so a kept-alive connection is never reused
                // just as the server closes it (browsers retry that case; this client does not).
                .pool_idle_timeout(Duration::from_secs(5))
                .build()
                .expect("client"),
            base: base.to_string(),
            csrf: String::new(),
        }
    }

    fn post(&self, path: &str, body: String) -> Step<(u16, String)> {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .map_err(|e| e.to_string())?;
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        Ok((status, location))
    }

    fn get(&self, path: &str) -> Step<(u16, String)> {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .map_err(|e| e.to_string())?;
        let status = r.status().as_u16();
        Ok((status, r.text().map_err(|e| e.to_string())?))
    }

    fn expect_303(&self, path: &str, fields: &str) -> Step<String> {
        let body = if fields.is_empty() {
            format!("csrf={}", self.csrf)
        } else {
            format!("csrf={}&{fields}", self.csrf)
        };
        match self.post(path, body)? {
            (303, loc) => Ok(loc),
            (s, _) => Err(format!("POST {path}: {s}")),
        }
    }

    /// Starts the standard version and answers every page, with `marker` as the free text.
    pub fn answer_all(&mut self, marker: &str) -> Step<()> {
        let (status, body) = self.get("/s/every-type/who")?;
        if status != 200 {
            return Err(format!("GET who: {status}"));
        }
        self.csrf = csrf_in(&body).ok_or("no csrf field")?;
        self.expect_303("/s/every-type/who", "version=standard")?;
        self.expect_303("/s/every-type/p/1", "q-setting=foster&q-moved=no")?;
        self.expect_303("/s/every-type/p/3", "q-helpers=carer&q-helpers=teacher")?;
        self.expect_303("/s/every-type/p/4", "q-workers=3")?;
        self.expect_303(
            "/s/every-type/p/5",
            &format!("q-one-thing={marker}&q-anything-else=more+from+{marker}"),
        )?;
        Ok(())
    }

    /// Sends the answers. `Ok(())` is the confirmation: the server answered "sent" (303 to the
    /// done page).
    pub fn submit(&self) -> Step<()> {
        let loc = self.expect_303("/s/every-type/submit", "")?;
        if loc.ends_with("/done") {
            Ok(())
        } else {
            Err(format!("submit went to {loc}"))
        }
    }

    /// The reference code on the confirmation page.
    pub fn reference(&self) -> Step<String> {
        let (status, body) = self.get("/s/every-type/done")?;
        if status != 200 {
            return Err(format!("GET done: {status}"));
        }
        let marker = "id=\"reference-code\">";
        let start = body.find(marker).ok_or("no reference code")? + marker.len();
        let end = body[start..].find('<').ok_or("no reference code end")? + start;
        Ok(body[start..end].trim().to_string())
    }
}

/// Submissions confirmed so far, shared between respondent threads: (marker, reference code).
pub type Confirmed = std::sync::Arc<std::sync::Mutex<Vec<(String, Option<String>)>>>;

/// The answers a response made by [`Respondent::answer_all`] with `marker` must have.
pub const ANSWERS_PER_RESPONSE: i64 = 6;

/// Checks the database file: `PRAGMA integrity_check` is ok, and for each marker exactly one
/// response holds it, with all its answers. Returns the problems found.
pub fn verify(db: &Path, confirmed: &[(String, Option<String>)]) -> Vec<String> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open db");
    let mut problems = Vec::new();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    if ok != "ok" {
        problems.push(format!("integrity_check: {ok}"));
    }
    let mut find = conn
        .prepare(
            "SELECT a.response_id, (SELECT count(*) FROM answers b WHERE b.response_id = a.response_id)
             FROM answers a WHERE a.question_id = 'one-thing' AND a.text = ?1",
        )
        .expect("prepare");
    for (marker, _) in confirmed {
        let rows: Vec<(i64, i64)> = find
            .query_map([marker], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        match rows.as_slice() {
            [(_, n)] if *n == ANSWERS_PER_RESPONSE => {}
            [(_, n)] => problems.push(format!("{marker}: {n} answers, not {ANSWERS_PER_RESPONSE}")),
            [] => problems.push(format!("{marker}: confirmed but not stored")),
            _ => problems.push(format!("{marker}: stored {} times", rows.len())),
        }
    }
    problems
}
