//! Helpers for end-to-end tests: a real Heard server on a loopback port with a real SQLite file
//! in a temporary folder, and a cookie-keeping client that reads forms out of the pages the way a
//! browser would fill them in.
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::thread;

use chrono::NaiveDate;
use reqwest::blocking::{Client, Response};
use reqwest::header::{CONTENT_TYPE, LOCATION};
use reqwest::redirect::Policy;

pub mod consultation;
pub mod workspace;

/// The repository root (the parent of `tests/`).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

pub fn fixture(rel: &str) -> PathBuf {
    repo().join("tests/fixtures").join(rel)
}

pub struct TestServer {
    pub addr: SocketAddr,
    pub db: PathBuf,
    pub clock: web::Clock,
    _dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
    store: engine::Store,
    /// The app's state, as `heard serve` would set it (a re-masking under way, say).
    pub state: web::SharedState,
}

impl TestServer {
    /// Serves the surveys in `inputs` (files or folders) with today's date `today`.
    pub fn start(inputs: &[PathBuf], today: NaiveDate) -> TestServer {
        TestServer::start_with(inputs, today, web::Config::default())
    }

    /// [`TestServer::start`] with a given configuration (short time limits, say).
    pub fn start_with(inputs: &[PathBuf], today: NaiveDate, config: web::Config) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("heard.db");
        let surveys = web::commands::check::load_all(inputs).expect("surveys load");
        let store = engine::Store::open(&db).expect("database opens");
        let clock = web::Clock::manual(today);
        let state = web::AppState::new(surveys, store.clone(), clock.clone(), config);
        let served = state.clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let thread = thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                ready_tx
                    .send(listener.local_addr().expect("addr"))
                    .expect("ready");
                web::serve(listener, served, async {
                    let _ = stopped.await;
                })
                .await
                .expect("serve");
            });
        });
        let addr = ready_rx.recv().expect("server started");
        TestServer {
            addr,
            db,
            clock,
            _dir: dir,
            stop: Some(stop),
            thread: Some(thread),
            store,
            state,
        }
    }

    /// The server's store, for seeding many responses quickly.
    pub fn store(&self) -> engine::Store {
        self.store.clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A new browser: its own cookies, nothing shared with any other.
    pub fn browser(&self) -> Browser {
        Browser {
            base: format!("http://{}", self.addr),
            client: Client::builder()
                .cookie_store(true)
                .redirect(Policy::none())
                .user_agent("HeardTestBrowser/1.0 (secret-device-fingerprint)")
                .build()
                .expect("client"),
        }
    }

    /// A read-only connection to the server's database file, to check what was stored.
    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open_with_flags(&self.db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open db")
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.db()
            .query_row(sql, [], |r| r.get(0))
            .expect("count query")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        self.store.close();
    }
}

/// A page as the client got it.
pub struct Page {
    pub status: u16,
    pub url: String,
    pub location: Option<String>,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Page {
    fn from(url: String, r: Response) -> Page {
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let location = headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        Page {
            status,
            url,
            location,
            body: r.text().unwrap_or_default(),
            headers,
        }
    }

    /// The value of the hidden CSRF field.
    pub fn csrf(&self) -> String {
        attr_after(&self.body, "name=\"csrf\" value=\"").unwrap_or_default()
    }

    pub fn has(&self, text: &str) -> bool {
        self.body.contains(text)
    }

    /// The `Set-Cookie` headers of the response.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect()
    }

    /// The text of the element with this id (for codes shown on the page).
    pub fn text_of_id(&self, id: &str) -> Option<String> {
        let marker = format!("id=\"{id}\">");
        let start = self.body.find(&marker)? + marker.len();
        let end = self.body[start..].find('<')? + start;
        Some(self.body[start..end].trim().to_string())
    }

    /// The question fields of the first form on the page.
    pub fn fields(&self) -> Vec<Field> {
        parse_fields(&self.body)
    }

    /// The action of the form that holds the question fields (or the first form).
    pub fn form_action(&self) -> Option<String> {
        attr_after(&self.body, "<form method=\"post\" action=\"").map(|a| unescape(&a))
    }
}

fn attr_after(body: &str, marker: &str) -> Option<String> {
    let start = body.find(marker)? + marker.len();
    let end = body[start..].find('"')? + start;
    Some(body[start..end].to_string())
}

/// Undoes the HTML escaping minijinja applies to attribute values.
pub fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    Radio,
    Checkbox,
    Text,
    TextArea,
}

/// One question field and the values it offers (for radios and checkboxes).
#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub kind: FieldKind,
    pub values: Vec<String>,
    /// For text inputs: the `inputmode`, "numeric" for numbers.
    pub numeric: bool,
    /// The value the page shows (kept text or a checked choice).
    pub current: Vec<String>,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let marker = format!(" {name}=\"");
    let start = tag.find(&marker)? + marker.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

fn parse_fields(body: &str) -> Vec<Field> {
    let mut out: Vec<Field> = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        let is_input = tag.starts_with("<input");
        let is_area = tag.starts_with("<textarea");
        if (is_input || is_area)
            && let Some(name) = attr(tag, "name").filter(|n| n.starts_with("q-"))
        {
            let kind = if is_area {
                FieldKind::TextArea
            } else {
                match attr(tag, "type").as_deref() {
                    Some("radio") => FieldKind::Radio,
                    Some("checkbox") => FieldKind::Checkbox,
                    _ => FieldKind::Text,
                }
            };
            let value = if is_area {
                let after = &rest[end + 1..];
                unescape(&after[..after.find("</textarea>").unwrap_or(0)])
            } else {
                attr(tag, "value").unwrap_or_default()
            };
            let checked = tag.contains(" checked");
            let numeric = attr(tag, "inputmode").as_deref() == Some("numeric");
            match out.iter_mut().find(|f| f.name == name) {
                Some(f) => {
                    f.values.push(value.clone());
                    if checked {
                        f.current.push(value);
                    }
                }
                None => out.push(Field {
                    name,
                    values: vec![value.clone()],
                    current: if checked || matches!(kind, FieldKind::Text | FieldKind::TextArea) {
                        vec![value]
                    } else {
                        vec![]
                    },
                    kind,
                    numeric,
                }),
            }
        }
        rest = &rest[end.min(rest.len())..];
        if rest.len() <= 1 {
            break;
        }
        rest = &rest[1..];
    }
    out
}

pub struct Browser {
    base: String,
    pub client: Client,
}

impl Browser {
    pub fn get(&self, path: &str) -> Page {
        let url = format!("{}{}", self.base, path);
        let r = self.client.get(&url).send().expect("GET");
        Page::from(url, r)
    }

    /// Posts form fields (already decoded; they are encoded here).
    pub fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = encode(fields);
        self.post_raw(path, "application/x-www-form-urlencoded", body.into_bytes())
    }

    pub fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> Page {
        let url = format!("{}{}", self.base, path);
        let r = self
            .client
            .post(&url)
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .expect("POST");
        Page::from(url, r)
    }

    /// Posts a form and returns the raw answer: status, headers and body bytes (for downloads).
    pub fn post_for_bytes(
        &self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
        let url = format!("{}{}", self.base, path);
        let r = self
            .client
            .post(&url)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(encode(fields))
            .send()
            .expect("POST");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let body = r.bytes().expect("body").to_vec();
        (status, headers, body)
    }

    /// Posts a `multipart/form-data` form, as a browser sends a form with a file field: text
    /// fields, then each file as (field name, file name, bytes).
    pub fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Page {
        let boundary = "----heard-test-boundary-7d1f0c";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        for (name, file_name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.post_raw(
            path,
            &format!("multipart/form-data; boundary={boundary}"),
            body,
        )
    }

    /// Follows a redirect, if the page is one.
    pub fn follow(&self, page: Page) -> Page {
        let mut page = page;
        for _ in 0..5 {
            match (&page.location, page.status) {
                (Some(loc), 301..=308) => {
                    let loc = loc.clone();
                    page = self.get(&loc);
                }
                _ => break,
            }
        }
        page
    }
}

/// Text as the templates escape it, to look for it in a page.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#x27;")
}

pub fn encode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", pct(k), pct(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn pct(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The path part of a URL or path.
pub fn path_of(url: &str) -> String {
    match url.find("://") {
        Some(i) => {
            let rest = &url[i + 3..];
            rest.find('/')
                .map(|j| rest[j..].to_string())
                .unwrap_or_else(|| "/".into())
        }
        None => url.to_string(),
    }
}
