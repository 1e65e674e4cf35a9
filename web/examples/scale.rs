//! Scale benchmark: `cargo run --release -p heard-web --example scale -- --responses 10000`.
//!
//! Makes a consultation of N responses across every version of `surveys/care-review.toml`
//! (skewed choices, free text of varied length with names, numbers and some disclosures of
//! harm, five channels), imports it through `intake::import::import`, then times each step and
//! reads its peak memory (the child process's maximum resident set, from `wait4`): the import,
//! the learned screening layer's reading of the imported answers after it (as `heard import`
//! does), `heard serve` start-up, every export and `heard backup`. Then, with `heard serve` running on
//! that database, it signs in to the review workspace (an analyst, an administrator and a
//! safeguarding lead, each through the sign-in form with its CSRF token and session cookie, over
//! plain HTTP/1.1), starts a themes run on every free-text question through the workspace's run
//! form and times each until its run page says it finished, then requests every workspace page
//! of the router `--page-requests` times (20) and prints each page's p50 and p95 latency. Each
//! figure is printed beside its goal. Options: `--dir DIR` (default /work/scale-tmp, or the
//! system's temporary folder), `--phrases-only` (screen with the indicator phrases alone, and
//! skip the learned layer's reading, which encodes every free-text answer), `--heard PATH`
//! (another build), `--keep` (keep the database), `--import-only` (stop after the import,
//! keeping the database and the import files), `--page-requests R`, `--pages-only DB` (only the
//! pages, on a database kept by an earlier run: two builds side by side on the same answers).
// The `heard` binary's allocator, so the import timed here in-process allocates as it does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "shared/release_heard.rs"]
mod release_heard;
#[path = "shared/usage.rs"]
mod usage;
use release_heard::{release_heard, repo};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use engine::AnswerValue;
use engine::import::Channel;
use engine::survey::{Answers, Question, QuestionType, Survey};

/// Rows of each channel, out of 100: paper forms and partners bring most.
const CHANNELS: [(Channel, u64); 5] = [
    (Channel::Paper, 40),
    (Channel::Partner, 25),
    (Channel::Event, 15),
    (Channel::Email, 15),
    (Channel::Other, 5),
];

/// Respondents of each version, out of 100.
const VERSIONS: [(&str, u64); 5] = [
    ("teen", 35),
    ("young", 20),
    ("leaver", 20),
    ("parent", 15),
    ("professional", 10),
];

const ANALYST: &str = "scale-analyst";
/// The audit log is for administrators, the safeguarding queue for the safeguarding lead alone.
const ADMIN: &str = "scale-admin";
const LEAD: &str = "scale-safeguarding";
const PASSWORD: &str = "a long benchmark password";

struct Opts {
    responses: usize,
    dir: PathBuf,
    phrases_only: bool,
    heard: Option<PathBuf>,
    keep: bool,
    import_only: bool,
    page_requests: usize,
    /// A database kept by an earlier run (`--keep`): only its pages are timed.
    pages_only: Option<PathBuf>,
}

fn opts() -> Opts {
    let mut o = Opts {
        responses: 10_000,
        dir: if Path::new("/work/scale-tmp").is_dir() {
            PathBuf::from("/work/scale-tmp")
        } else {
            std::env::temp_dir()
        },
        phrases_only: false,
        heard: None,
        keep: false,
        import_only: false,
        page_requests: 20,
        pages_only: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--responses" => o.responses = args.next().and_then(|n| n.parse().ok()).expect("N"),
            "--dir" => o.dir = args.next().map(PathBuf::from).expect("DIR"),
            "--phrases-only" => o.phrases_only = true,
            "--heard" => o.heard = args.next().map(PathBuf::from),
            "--keep" => o.keep = true,
            "--import-only" => o.import_only = true,
            "--pages-only" => o.pages_only = args.next().map(PathBuf::from),
            "--page-requests" => {
                o.page_requests = args.next().and_then(|n| n.parse().ok()).expect("R")
            }
            other => usage::help_or_unknown(other, USAGE),
        }
    }
    o
}

const USAGE: &str = "usage: scale [--responses N] [--dir DIR] [--phrases-only] [--heard PATH] \
[--keep] [--import-only] [--page-requests R]
       scale --pages-only DB [--heard PATH] [--page-requests R]   (the pages alone, on a kept database)
       scale --import-child DB CHANNEL=FILE... [--phrases-only]   (the import alone, timed)";

fn care_review() -> Survey {
    engine::survey::load_file(&repo().join("surveys/care-review.toml"))
        .survey
        .expect("surveys/care-review.toml loads")
}

/// A small deterministic generator (xorshift64*), so every run makes the same consultation.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// Index `i` of `n` with weight 1/(i+1): the first choices are the common ones.
    fn skewed(&mut self, n: usize) -> usize {
        let weights: Vec<f64> = (0..n).map(|i| 1.0 / (i as f64 + 1.0)).collect();
        let total: f64 = weights.iter().sum();
        let mut x = (self.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        n - 1
    }

    fn weighted<T: Copy>(&mut self, items: &[(T, u64)]) -> T {
        let mut x = self.below(items.iter().map(|(_, w)| w).sum());
        for (item, w) in items {
            if x < *w {
                return *item;
            }
            x -= w;
        }
        items[0].0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const OPENINGS: &[&str] = &[
    "I think",
    "Honestly",
    "For me",
    "The main thing is",
    "What would help is if",
    "It would be better if",
    "My foster carer says",
    "In my experience",
    "Nobody asks but",
    "When I moved",
];
const CLAIMS: &[&str] = &[
    "my social worker kept changing and I had to tell my story again every time",
    "I never knew when I was moving until the day before",
    "the meetings are about me but I don't get a say in them",
    "I want to see my brother and sister more often",
    "school was good because my teacher listened",
    "there should be more money for care leavers when they get their first flat",
    "the review meetings are boring and too long",
    "staff in the home were kind but they kept leaving",
    "I liked my independent visitor, she took me to football",
    "I didn't understand the letters they sent me",
    "nobody explained why I couldn't go home",
    "my carer helps me with homework every night",
    "it took months to get my bank account and passport sorted",
    "having the same worker for two years made a big difference",
    "I felt lonely in the semi-independent place",
    "we need more help with mental health and not a six month waiting list",
    "the pathway plan was just copied from last year",
    "I wish I could stay with my foster family after eighteen",
];
const DETAILS: &[&str] = &[
    "It happened in three different placements.",
    "Call me on 07700 900123 if you want to know more.",
    "My worker Sarah Thompson was the only one who rang back.",
    "I'm at Riverside Academy now.",
    "Email me at jay.lee@example.org.",
    "That was back in March 2024.",
    "",
    "",
    "",
    "Thanks for asking.",
];
/// Answers that disclose harm, some plain and some oblique, for the safeguarding queue.
const HARM: &[&str] = &[
    "He hits me when nobody is around and I'm scared to go back.",
    "I don't feel safe at home at night.",
    "Sometimes I think about killing myself.",
    "An older boy makes me do things I don't want to do.",
    "I have been cutting myself again.",
];

fn free_text(rng: &mut Rng, q: &Question) -> String {
    let mut text = String::new();
    let sentences = 1 + rng.skewed(4);
    for _ in 0..sentences {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&format!("{} {}.", rng.pick(OPENINGS), rng.pick(CLAIMS)));
        let detail = rng.pick(DETAILS);
        if !detail.is_empty() {
            text.push(' ');
            text.push_str(detail);
        }
    }
    if rng.chance(3) {
        text.push(' ');
        text.push_str(rng.pick(HARM));
    }
    let max = q.max_chars.unwrap_or(2000);
    if text.chars().count() > max {
        text = text.chars().take(max).collect();
    }
    text
}

/// One respondent's answers to the questions `version` shows them, in file order (each answered
/// question can show later ones).
fn respondent(rng: &mut Rng, survey: &Survey, version: &str) -> Answers {
    let mut answers = Answers::new();
    for (i, q) in survey.questions.iter().enumerate() {
        if !survey.is_visible(version, i, &answers) || (!q.required && rng.chance(12)) {
            continue;
        }
        let value = match q.kind {
            QuestionType::Multiple => {
                let plain: Vec<&str> = q
                    .choices
                    .iter()
                    .map(|c| c.id.as_str())
                    .filter(|c| *c != "prefer_not_to_say")
                    .collect();
                let n = 1 + rng.skewed(q.max_choices.unwrap_or(3).min(plain.len()));
                let mut chosen: Vec<String> = Vec::new();
                while chosen.len() < n {
                    let c = plain[rng.skewed(plain.len())].to_string();
                    if !chosen.contains(&c) {
                        chosen.push(c);
                    }
                }
                AnswerValue::Choices(chosen)
            }
            k if k.has_choices() => {
                AnswerValue::Choice(q.choices[rng.skewed(q.choices.len())].id.clone())
            }
            QuestionType::Number => {
                let (min, max) = (q.min.unwrap_or(0), q.max.unwrap_or(20).min(20));
                AnswerValue::Number(min + rng.skewed((max - min + 1) as usize) as i64)
            }
            _ if rng.chance(30) && !q.required => continue,
            _ => AnswerValue::Text(free_text(rng, q)),
        };
        answers.insert(q.id.clone(), value);
    }
    answers
}

/// The import files, one per channel: a `version` column and one per question.
fn write_files(survey: &Survey, n: usize, dir: &Path) -> Vec<(Channel, PathBuf)> {
    let mut rng = Rng(0x5eed_cafe_f00d_1234);
    let mut writers: BTreeMap<&str, (Channel, PathBuf, csv::Writer<std::fs::File>)> =
        BTreeMap::new();
    let mut header = vec!["version".to_string()];
    header.extend(survey.questions.iter().map(|q| q.id.clone()));
    for (channel, _) in CHANNELS {
        let path = dir.join(format!("import-{}.csv", channel.as_str()));
        let mut w = csv::Writer::from_path(&path).expect("import file");
        w.write_record(&header).expect("header");
        writers.insert(channel.as_str(), (channel, path, w));
    }
    for _ in 0..n {
        let version = rng.weighted(&VERSIONS);
        let answers = respondent(&mut rng, survey, version);
        let channel = rng.weighted(&CHANNELS);
        let mut record = vec![version.to_string()];
        record.extend(survey.questions.iter().map(|q| match answers.get(&q.id) {
            None => String::new(),
            Some(AnswerValue::Choice(c)) => c.clone(),
            Some(AnswerValue::Choices(cs)) => cs.join(";"),
            Some(AnswerValue::Text(t)) => t.clone(),
            Some(AnswerValue::Number(n)) => n.to_string(),
        }));
        if let Some((_, _, w)) = writers.get_mut(channel.as_str()) {
            w.write_record(&record).expect("row");
        }
    }
    writers
        .into_values()
        .map(|(c, p, mut w)| {
            w.flush().expect("flush");
            (c, p)
        })
        .collect()
}

/// The child process that imports: `scale --import-child DB [--phrases-only] CHANNEL=FILE...`,
/// so its peak memory is the import's alone.
fn import_child(args: &[String]) {
    let db = PathBuf::from(&args[0]);
    let phrases_only = args.iter().any(|a| a == "--phrases-only");
    let survey = care_review();
    let screener = safeguard::Screener::builtin();
    let protector = if phrases_only {
        intake::protect::Protector::phrases_only(screener)
    } else {
        intake::protect::Protector::new(screener).expect("the learned layer")
    };
    let store = engine::Store::open(&db).expect("database");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (mut imported, mut refused, mut flagged, mut already) = (0, 0, 0, 0);
    for a in args[1..].iter().filter(|a| a.contains('=')) {
        let (channel, file) = a.split_once('=').expect("CHANNEL=FILE");
        let bytes = std::fs::read(file).expect("import file");
        let report = rt
            .block_on(intake::import::import(
                &store,
                "scale benchmark",
                &protector,
                &survey,
                Channel::parse(channel).expect("channel"),
                bytes,
                &intake::import::Options::default(),
                chrono::Local::now().date_naive(),
            ))
            .expect("import");
        for r in report.refused.iter().take(3) {
            eprintln!("refused row {} of {file}: {}", r.row, r.reason);
        }
        imported += report.imported;
        refused += report.refused.len();
        flagged += report.flagged;
        already += report.already;
    }
    store.close();
    println!("{imported} {refused} {flagged} {already}");
}

/// The child process that reads the imported answers with the learned layer, as `heard import`
/// does after storing its rows: `scale --weigh-child DB`.
fn weigh_child(args: &[String]) {
    let store = engine::Store::open(&PathBuf::from(&args[0])).expect("database");
    let protector =
        intake::protect::Protector::new(safeguard::Screener::builtin()).expect("the learned layer");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let w = rt
        .block_on(intake::protect::weigh_all(&store, &protector, |_| {}))
        .expect("weighing");
    store.close();
    println!("{} {}", w.read, w.raised);
}

fn print_steps(lines: &[Line]) {
    println!("\n| step | seconds | peak memory (MB) | | goal |");
    println!("| --- | --- | --- | --- | --- |");
    for l in lines {
        let peak = l.peak_mb.map(|m| format!("{m:.0}")).unwrap_or_default();
        println!(
            "| {} | {:.2} | {peak} | {} | {} |",
            l.step, l.seconds, l.note, l.goal
        );
    }
}

struct Measured {
    seconds: f64,
    peak_mb: f64,
    stdout: String,
}

/// Runs `cmd` to its end and reads its peak resident memory with `wait4`.
// The child is reaped by `reap`'s `wait4` (which `Child::wait` cannot do: it drops the rusage).
#[allow(clippy::zombie_processes)]
fn measure(cmd: &mut Command, stdin: Option<&str>) -> Measured {
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("command starts");
    if let (Some(text), Some(mut input)) = (stdin, child.stdin.take()) {
        input.write_all(text.as_bytes()).expect("stdin");
    }
    drop(child.stdin.take());
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        stdout.read_to_string(&mut s).ok();
        s
    });
    let (seconds, peak_mb, ok) = reap(child.id(), start);
    let stdout = reader.join().unwrap_or_default();
    assert!(ok, "command failed: {cmd:?}");
    Measured {
        seconds,
        peak_mb,
        stdout,
    }
}

/// Waits for child `pid`: seconds since `start`, its peak resident memory in MB, whether it
/// exited with success.
fn reap(pid: u32, start: Instant) -> (f64, f64, bool) {
    let mut status = 0;
    // SAFETY: wait4 on our own child's pid, with valid pointers to locals.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    assert!(r == pid as libc::pid_t, "wait4 failed");
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    (
        start.elapsed().as_secs_f64(),
        usage.ru_maxrss as f64 / 1024.0,
        ok,
    )
}

/// `heard serve` on a free port: the process, its port, when it was started and the seconds until
/// `/healthz` answered.
fn serve(heard: &Path, db: &Path) -> (Child, u16, Instant, f64) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let start = Instant::now();
    let child = Command::new(heard)
        .args(["serve", "--db"])
        .arg(db)
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .arg(repo().join("surveys"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("heard serve");
    let seconds = loop {
        let healthy = TcpStream::connect(("127.0.0.1", port)).is_ok_and(|mut s| {
            let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            let mut reply = String::new();
            let _ = s.read_to_string(&mut reply);
            reply.starts_with("HTTP/1.1 200")
        });
        if healthy {
            break start.elapsed().as_secs_f64();
        }
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "heard serve did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    (child, port, start, seconds)
}

/// Stops `heard serve`: its peak memory since `start`, in MB.
fn stop(mut child: Child, start: Instant) -> f64 {
    // SAFETY: a signal to our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    let (_, peak_mb, _) = reap(child.id(), start);
    let _ = child.try_wait();
    peak_mb
}

/// `heard serve` start-up: seconds until `/healthz` answers, and its peak memory by then.
fn start_up(heard: &Path, db: &Path) -> (f64, f64) {
    let (child, _, start, seconds) = serve(heard, db);
    (seconds, stop(child, start))
}

/// A reply: its status, `Location` and body.
struct Reply {
    status: u16,
    location: String,
    body: String,
}

/// A member of the review team signed in to `heard serve`, as a browser without JavaScript: plain
/// HTTP/1.1 on a new connection for each request, cookies kept by hand, redirects not followed.
struct Member {
    port: u16,
    cookies: BTreeMap<String, String>,
    /// The session's CSRF token, which every workspace form carries.
    csrf: String,
}

impl Member {
    /// Signs `name` in as a person does: the sign-in form (which sets the `heard_csrf` cookie
    /// its token is made from), the post (which sets the session cookie and redirects to the
    /// workspace's home), then home (whose sign-out form holds the session's CSRF token).
    fn sign_in(port: u16, name: &str) -> Member {
        let mut m = Member {
            port,
            cookies: BTreeMap::new(),
            csrf: String::new(),
        };
        let form = m.get("/admin/signin");
        let csrf = csrf_of(&form.body);
        let r = m.post(
            "/admin/signin",
            &[
                ("csrf", &csrf),
                ("name", name),
                ("password", PASSWORD),
                ("next", "/admin"),
            ],
        );
        assert_eq!(r.status, 303, "{name} signs in: {}", r.body);
        let home = m.get(&r.location);
        assert_eq!(home.status, 200, "{name}'s home page");
        m.csrf = csrf_of(&home.body);
        m
    }

    fn get(&mut self, path: &str) -> Reply {
        self.send("GET", path, "")
    }

    fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let form: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", form_encode(v)))
            .collect();
        self.send("POST", path, &form.join("&"))
    }

    fn send(&mut self, method: &str, path: &str, body: &str) -> Reply {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("heard serve answers");
        let mut head =
            format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        if !self.cookies.is_empty() {
            let pairs: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            head.push_str(&format!("Cookie: {}\r\n", pairs.join("; ")));
        }
        if method == "POST" {
            head.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        s.write_all(format!("{head}{body}").as_bytes())
            .expect("request");
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("reply");
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a reply's head");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut body = raw[split + 4..].to_vec();
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .expect("a status");
        let mut location = String::new();
        for (name, value) in lines.filter_map(|l| l.split_once(':')) {
            let value = value.trim();
            match name.to_ascii_lowercase().as_str() {
                "location" => location = value.to_string(),
                "transfer-encoding" if value.contains("chunked") => body = unchunk(&body),
                "set-cookie" => {
                    let (k, v) = value
                        .split(';')
                        .next()
                        .and_then(|kv| kv.split_once('='))
                        .expect("a cookie");
                    if v.is_empty() {
                        self.cookies.remove(k);
                    } else {
                        self.cookies.insert(k.to_string(), v.to_string());
                    }
                }
                _ => {}
            }
        }
        Reply {
            status,
            location,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }
}

/// A chunked body (`Transfer-Encoding: chunked`) put back together.
fn unchunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&rest[..eol]);
        let n = usize::from_str_radix(size.split(';').next().unwrap_or("").trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < eol + 2 + n {
            break;
        }
        out.extend_from_slice(&rest[eol + 2..eol + 2 + n]);
        rest = &rest[(eol + 4 + n).min(rest.len())..];
    }
    out
}

/// A form value, `application/x-www-form-urlencoded`.
fn form_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The text after the first `marker` in `body`, up to the first character that is not in `keep`.
fn after(body: &str, marker: &str, keep: impl Fn(char) -> bool) -> Option<String> {
    let rest = &body[body.find(marker)? + marker.len()..];
    let end = rest.find(|c: char| !keep(c)).unwrap_or(rest.len());
    Some(rest[..end].to_string()).filter(|s| !s.is_empty())
}

/// A form's hidden CSRF token.
fn csrf_of(body: &str) -> String {
    after(body, "name=\"csrf\" value=\"", |c| c.is_ascii_hexdigit()).expect("a CSRF field")
}

/// A themes run on one free-text question, started through the workspace's run form as an
/// analyst starts it (k "auto", seed 42), then its run page read every 100 ms until the run is
/// no longer running: seconds from the post until then, the run page's address, and what it
/// says (how many themes from how many answers, or why the run did not finish).
fn theme_run(analyst: &mut Member, base: &str) -> (f64, String, String) {
    let start = Instant::now();
    let csrf = analyst.csrf.clone();
    let r = analyst.post(
        &format!("{base}/run"),
        &[("csrf", &csrf), ("k", "auto"), ("seed", "42")],
    );
    assert_eq!(r.status, 303, "the run starts: {}", r.body);
    loop {
        let page = analyst.get(&r.location);
        assert_eq!(page.status, 200, "{}", r.location);
        if !page.body.contains("<strong>Running.</strong>") {
            let outcome = after(&page.body, "<strong>Finished</strong>", |c| c != '<')
                .and_then(|s| {
                    let (_, what) = s.split_once(": ")?;
                    Some(what.trim().trim_end_matches('.').to_string())
                })
                .or_else(|| {
                    after(&page.body, "did not finish</h2><p>", |c| c != '<')
                        .map(|e| format!("did not finish: {e}"))
                })
                .unwrap_or_default();
            return (start.elapsed().as_secs_f64(), r.location, outcome);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn print_pages(pages: &[(String, f64, f64)], requests: usize) {
    println!("\n| page ({requests} requests each, signed in) | p50 ms | p95 ms | goal |");
    println!("| --- | --- | --- | --- |");
    for (page, p50, p95) in pages {
        println!("| {page} | {p50:.1} | {p95:.1} | p95 300 ms at 557,077 |");
    }
}

/// The `p`th percentile of `ms`, in milliseconds (nearest rank).
fn percentile(ms: &mut [f64], p: f64) -> f64 {
    ms.sort_by(f64::total_cmp);
    ms[((ms.len() as f64 - 1.0) * p).round() as usize]
}

struct Line {
    step: String,
    seconds: f64,
    /// `None` where the step is not a process of its own (a themes run is `heard serve`'s).
    peak_mb: Option<f64>,
    note: String,
    goal: String,
}

/// The review workspace on `heard serve`: a themes run on every free-text question (a line each
/// in `lines`, then one for the server's peak memory), then every page of the workspace's router
/// (web/src/router.rs) requested `r` times by a member whose role may open it: (page, p50 ms,
/// p95 ms) for each.
fn workspace(
    heard: &Path,
    db: &Path,
    survey: &Survey,
    r: usize,
    run_themes: bool,
    lines: &mut Vec<Line>,
) -> Vec<(String, f64, f64)> {
    let (server, port, start, _) = serve(heard, db);
    let mut analyst = Member::sign_in(port, ANALYST);
    let admin = Member::sign_in(port, ADMIN);
    let mut lead = Member::sign_in(port, LEAD);
    let themes = format!("/admin/surveys/{}/themes", survey.id);
    let free_text: Vec<&Question> = survey
        .questions
        .iter()
        .filter(|q| q.kind.is_free_text())
        .collect();
    // The pages of one question are timed: the first every version is asked (the most answers).
    let question = free_text
        .iter()
        .find(|q| q.versions.len() == survey.versions.len())
        .expect("a free-text question for every version");
    let base = format!("{themes}/{}", question.id);
    let mut run_page = String::new();
    for q in free_text.iter().filter(|_| run_themes) {
        let (seconds, page, outcome) = theme_run(&mut analyst, &format!("{themes}/{}", q.id));
        lines.push(Line {
            step: format!("themes run: {}", q.id),
            seconds,
            peak_mb: None,
            note: format!("{outcome} (k auto; until its run page says it finished)"),
            goal: "-".into(),
        });
        if q.id == question.id {
            run_page = page;
        }
    }
    if !run_themes {
        let runs = analyst.get(&format!("{base}/runs")).body;
        // The link's slashes may be written as `&#x2f;` (the templates escape them).
        let id = after(&runs, "/runs/", |c| c.is_ascii_digit())
            .or_else(|| after(&runs, "runs&#x2f;", |c| c.is_ascii_digit()))
            .expect("a kept database with a themes run (made with --keep)");
        run_page = format!("{base}/runs/{id}");
    }
    // Its largest theme (the themes page lists them largest first) and the first flag.
    let theme_page = analyst.get(&base).body;
    let theme = after(&theme_page, "/t/", |c| c.is_ascii_digit()).expect("a theme");
    let queue = lead.get("/admin/safeguarding").body;
    let flag = after(&queue, "href=\"/admin/safeguarding/", |c| {
        c.is_ascii_digit()
    })
    .expect("a flagged answer");
    let mut members = BTreeMap::from([(ANALYST, analyst), (ADMIN, admin), (LEAD, lead)]);
    let dashboard = format!("/admin/surveys/{}", survey.id);
    let timed = [
        ("sign-in form", ANALYST, "/admin/signin".to_string()),
        ("home", ANALYST, "/admin".into()),
        ("survey dashboard", ANALYST, dashboard.clone()),
        ("free-text questions", ANALYST, themes.clone()),
        ("a question's themes", ANALYST, base.clone()),
        ("one theme's answers", ANALYST, format!("{base}/t/{theme}")),
        (
            "one theme's answers, searched",
            ANALYST,
            format!("{base}/t/{theme}?q=social"),
        ),
        ("a question's runs", ANALYST, format!("{base}/runs")),
        ("one run", ANALYST, run_page),
        ("import form", ANALYST, format!("{dashboard}/import")),
        ("export form", ANALYST, format!("{dashboard}/export")),
        ("safeguarding queue", LEAD, "/admin/safeguarding".into()),
        ("one flag", LEAD, format!("/admin/safeguarding/{flag}")),
        ("audit log", ADMIN, "/admin/audit".into()),
    ];
    let mut pages = Vec::new();
    for (page, who, path) in timed {
        let member = members.get_mut(who).expect("signed in");
        let mut ms = Vec::new();
        for _ in 0..r.max(1) {
            let t = Instant::now();
            let reply = member.get(&path);
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(reply.status, 200, "{page} ({path}): {}", reply.body);
        }
        let p50 = percentile(&mut ms, 0.5);
        pages.push((format!("{page} ({path})"), p50, percentile(&mut ms, 0.95)));
    }
    let peak_mb = stop(server, start);
    lines.push(Line {
        step: "heard serve, themes runs and pages".into(),
        seconds: start.elapsed().as_secs_f64(),
        peak_mb: Some(peak_mb),
        note: format!(
            "{} themes runs, then {} pages {r} times each",
            free_text.len(),
            pages.len()
        ),
        goal: "-".into(),
    });
    pages
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--import-child") {
        return import_child(&args[2..]);
    }
    if args.get(1).map(String::as_str) == Some("--weigh-child") {
        return weigh_child(&args[2..]);
    }
    let o = opts();
    // `heard serve` would make a new, empty database there and the sign-in would fail.
    if let Some(db) = o.pages_only.as_ref().filter(|db| !db.is_file()) {
        eprintln!(
            "scale: no database at {}: make one with `scale --responses N --keep`",
            db.display()
        );
        std::process::exit(2);
    }
    let exe = std::env::current_exe().expect("exe");
    let heard = release_heard(o.heard.as_ref());
    let survey = care_review();
    if let Some(db) = &o.pages_only {
        let mut lines = Vec::new();
        let pages = workspace(&heard, db, &survey, o.page_requests, false, &mut lines);
        print_pages(&pages, o.page_requests);
        return;
    }
    let dir = o.dir.join(format!("scale-{}", o.responses));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("work folder");
    let db = dir.join("heard.db");
    let files = write_files(&survey, o.responses, &dir);
    let file_bytes: u64 = files
        .iter()
        .filter_map(|(_, p)| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "{} responses across {} versions and {} channels: {:.1} MB of import files in {}",
        o.responses,
        survey.versions.len(),
        files.len(),
        file_bytes as f64 / 1e6,
        dir.display()
    );
    let mut lines = Vec::new();

    let mut import = Command::new(&exe);
    import.arg("--import-child").arg(&db);
    if o.phrases_only {
        import.arg("--phrases-only");
    }
    for (channel, path) in &files {
        import.arg(format!("{}={}", channel.as_str(), path.display()));
    }
    let m = measure(&mut import, None);
    let counts: Vec<usize> = m
        .stdout
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let (imported, refused, flagged, already) = (counts[0], counts[1], counts[2], counts[3]);
    assert_eq!(refused, 0, "every generated row should be accepted");
    lines.push(Line {
        step: format!(
            "import ({})",
            if o.phrases_only {
                "phrases only"
            } else {
                "phrases now, the learned layer after"
            }
        ),
        seconds: m.seconds,
        peak_mb: Some(m.peak_mb),
        note: format!(
            "{imported} rows ({already} the same as a row of another channel's file, so stored \
             once), {:.0} rows/s, {flagged} flagged",
            (imported + already) as f64 / m.seconds
        ),
        goal: "20,000 rows/s".into(),
    });
    if o.import_only {
        print_steps(&lines);
        println!("kept: {} and the import files beside it", db.display());
        return;
    }
    if !o.phrases_only {
        let m = measure(Command::new(&exe).arg("--weigh-child").arg(&db), None);
        let counts: Vec<usize> = m
            .stdout
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        lines.push(Line {
            step: "learned layer reads the imported answers".into(),
            seconds: m.seconds,
            peak_mb: Some(m.peak_mb),
            note: format!(
                "{} answers read, {} more flagged; after the import, as `heard import` does",
                counts[0], counts[1]
            ),
            goal: "none set".into(),
        });
    }

    for (name, role) in [
        (ANALYST, "analyst"),
        (ADMIN, "admin"),
        (LEAD, "safeguarding"),
    ] {
        measure(
            Command::new(&heard)
                .args([
                    "user",
                    "add",
                    name,
                    "--role",
                    role,
                    "--password-stdin",
                    "--db",
                ])
                .arg(&db),
            Some(&format!("{PASSWORD}\n")),
        );
    }
    let (seconds, peak_mb) = start_up(&heard, &db);
    lines.push(Line {
        step: "heard serve start-up".into(),
        seconds,
        peak_mb: Some(peak_mb),
        note: "until /healthz answers".into(),
        goal: "5 s".into(),
    });

    for (format, rows) in [
        ("csv", true),
        ("xlsx", false),
        ("xlsx", true),
        ("json", false),
        ("json", true),
        ("html", false),
    ] {
        let out = dir.join(format!(
            "export{}.{format}",
            if rows { "-rows" } else { "" }
        ));
        let mut cmd = Command::new(&heard);
        cmd.args(["export", "care-review", "--format", format, "--db"])
            .arg(&db)
            .arg("--surveys")
            .arg(repo().join("surveys"))
            .arg("-o")
            .arg(&out);
        if rows {
            cmd.args(["--rows", "--as", ANALYST]);
        }
        let m = measure(&mut cmd, None);
        let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        let _ = std::fs::remove_file(&out);
        lines.push(Line {
            step: format!("export {format}{}", if rows { " --rows" } else { "" }),
            seconds: m.seconds,
            peak_mb: Some(m.peak_mb),
            note: format!("{:.1} MB file", size as f64 / 1e6),
            goal: "60 s, 300 MB".into(),
        });
    }

    let copy = dir.join("backup.db");
    let m = measure(
        Command::new(&heard)
            .arg("backup")
            .arg(&copy)
            .arg("--db")
            .arg(&db),
        None,
    );
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    let _ = std::fs::remove_file(&copy);
    lines.push(Line {
        step: "heard backup".into(),
        seconds: m.seconds,
        peak_mb: Some(m.peak_mb),
        note: format!("{:.1} MB database", size as f64 / 1e6),
        goal: "30 s".into(),
    });

    let pages = workspace(&heard, &db, &survey, o.page_requests, true, &mut lines);

    print_steps(&lines);
    print_pages(&pages, o.page_requests);
    for (_, p) in &files {
        let _ = std::fs::remove_file(p);
    }
    if !o.keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
