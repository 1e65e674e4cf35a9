//! The hostile-input catalogue: a table of bad requests against every respondent route, each with
//! the answer it must get and the check that it changed nothing it should not. Every response in
//! the table must also carry the security headers and never echo markup live. Then slow clients
//! (slowloris: headers and bodies trickled, idle connections) and a flood of draft creation.
//!
//! Each case runs in a fresh browser that has a draft on page 1, from its own loopback address
//! (127.0.x.y), so one case's rate limits never touch another's. A snapshot of everything a
//! respondent can change (drafts, their answers and codes, responses and their answers) is taken
//! before the request and compared after it.
//!
//! To cover a new route, add it to [`ROUTES`] and add cases naming it:
//! `every_route_is_in_the_catalogue` fails until it has at least one. Workspace routes have their
//! own catalogue ([`staff_catalogue`]), checked against `web::review::access::ROUTES` itself, so
//! a new workspace page fails `every_workspace_route_is_in_the_catalogue` until it has a case.
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use reqwest::blocking::Client;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::redirect::Policy;
use support::{TestServer, encode, fixture};

/// Every route a request from outside can reach, as `METHOD /path` with `{}` for parameters.
const ROUTES: &[&str] = &[
    "GET /",
    "GET /exit",
    "GET /healthz",
    "GET /static/{file}",
    "GET /s/{survey}",
    "GET /s/{survey}/who",
    "POST /s/{survey}/who",
    "GET /s/{survey}/p/{page}",
    "POST /s/{survey}/p/{page}",
    "GET /s/{survey}/check",
    "POST /s/{survey}/submit",
    "GET /s/{survey}/done",
    "POST /s/{survey}/resume",
    "GET /s/{survey}/delete",
    "POST /s/{survey}/delete",
    "POST /s/{survey}/delete/confirm",
    "GET /s/{survey}/finish",
    // Workspace routes go here when the workspace exists.
];

const PAYLOAD: &str =
    "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>'); DROP TABLE answers;--";
const FORM: &str = "application/x-www-form-urlencoded";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// What one case may change.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Changes {
    /// Nothing at all.
    Nothing,
    /// The draft's answers may be stored (the input was valid text); it must render inert.
    StoresInertText,
}

struct Case {
    name: &'static str,
    route: &'static str,
    status: u16,
    changes: Changes,
    /// Run before the snapshot: puts the browser in the state the case needs.
    prepare: Option<fn(&Ctx)>,
    send: fn(&Ctx) -> Reply,
}

/// A response: status, headers and body (`headers` empty when the server refused to parse the
/// request at all, before the app saw it).
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One case's browser, with a draft on the standard version, and the codes of the fixtures.
struct Ctx {
    base: String,
    ip: IpAddr,
    client: Client,
    jar: Arc<Jar>,
    csrf: String,
    /// The reference code of a response another browser sent.
    reference: String,
    /// A resume code for another browser's open draft.
    resume: String,
    /// A resume code whose draft was sent since.
    spent_resume: String,
}

fn client(ip: IpAddr, jar: Arc<Jar>) -> Client {
    Client::builder()
        .local_address(ip)
        .cookie_provider(jar)
        .redirect(Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client")
}

fn reply(r: reqwest::blocking::Response) -> Reply {
    let status = r.status().as_u16();
    let headers = r
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: r.text().unwrap_or_default(),
    }
}

fn csrf_in(body: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = body.find(marker).map(|i| i + marker.len()).unwrap_or(0);
    let end = body[start..].find('"').map(|i| i + start).unwrap_or(start);
    body[start..end].to_string()
}

impl Ctx {
    fn get(&self, path: &str) -> Reply {
        reply(
            self.client
                .get(format!("{}{path}", self.base))
                .send()
                .expect("GET"),
        )
    }

    fn post_bytes(&self, path: &str, content_type: Option<&str>, body: Vec<u8>) -> Reply {
        let mut req = self.client.post(format!("{}{path}", self.base)).body(body);
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        reply(req.send().expect("POST"))
    }

    /// Posts fields with this browser's CSRF token first.
    fn post(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let mut all = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_bytes(path, Some(FORM), encode(&all).into_bytes())
    }

    /// Posts fields without adding a CSRF token.
    fn post_bare(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        self.post_bytes(path, Some(FORM), encode(fields).into_bytes())
    }

    /// Posts raw body text with this browser's CSRF token first.
    fn post_raw(&self, path: &str, raw: &[u8]) -> Reply {
        let mut body = format!("csrf={}&", self.csrf).into_bytes();
        body.extend_from_slice(raw);
        self.post_bytes(path, Some(FORM), body)
    }

    fn cookie_header(&self) -> String {
        let url = self.base.parse().expect("url");
        self.jar
            .cookies(&url)
            .and_then(|v| v.to_str().ok().map(str::to_string))
            .unwrap_or_default()
    }

    /// Writes `request` as it is onto a new connection (the path and headers are not checked or
    /// normalised by any client) and reads the answer.
    fn raw(&self, request: &[u8]) -> Reply {
        let addr = self.base.trim_start_matches("http://");
        let mut s = TcpStream::connect(addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        s.write_all(request).expect("write");
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        let text = String::from_utf8_lossy(&out).to_string();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        Reply {
            status,
            headers,
            body: body.to_string(),
        }
    }

    /// A raw GET of `path` with this browser's cookies.
    fn raw_get(&self, path: &str) -> Reply {
        let req = format!(
            "GET {path} HTTP/1.1\r\nHost: heard\r\nCookie: {}\r\nConnection: close\r\n\r\n",
            self.cookie_header()
        );
        self.raw(req.as_bytes())
    }

    /// A browser with no cookies at all, from the same address.
    fn stranger(&self) -> Client {
        client(self.ip, Arc::new(Jar::default()))
    }
}

/// Everything a respondent's request can change, as one comparable value.
fn snapshot(server: &TestServer) -> String {
    let db = server.db();
    let q = |sql: &str| -> String {
        db.query_row(sql, [], |r| r.get::<_, Option<String>>(0))
            .expect("snapshot query")
            .unwrap_or_default()
    };
    [
        q("SELECT group_concat(id || ':' || survey_id || ':' || version_id || ':' || status || ':' \
           || furthest_page || ':' || hex(token_hash) || ':' || coalesce(hex(resume_hash), '') \
           || ':' || coalesce(resume_expires_on, ''), '|') FROM (SELECT * FROM drafts ORDER BY id)"),
        q("SELECT group_concat(draft_id || ':' || question_id || '=' || value, '|') FROM \
           (SELECT * FROM draft_answers ORDER BY draft_id, question_id)"),
        q("SELECT group_concat(id || ':' || survey_id || ':' || version_id || ':' || \
           coalesce(draft_id, '') || ':' || hex(reference_hash), '|') FROM \
           (SELECT * FROM responses ORDER BY id)"),
        q("SELECT group_concat(response_id || ':' || question_id || '=' || value, '|') FROM \
           (SELECT * FROM answers ORDER BY response_id, question_id)"),
    ]
    .join("\n")
}

fn big(n: usize) -> String {
    "x".repeat(n)
}

/// The catalogue. Statuses: 400 broken or tampered input, 403 no matching CSRF token, 404 no
/// such thing, 410 gone (deleted), 413 too large, 415 not a form, 422 a person's mistake shown
/// with a message.
fn catalogue() -> Vec<Case> {
    use Changes::*;
    let c = |name, route, status, send| Case {
        name,
        route,
        status,
        changes: Nothing,
        prepare: None,
        send,
    };
    vec![
        // --- Oversized bodies and fields.
        c(
            "oversized body on a page",
            "POST /s/{survey}/p/{page}",
            413,
            |x| {
                x.post(
                    "/s/every-type/p/5",
                    &[("q-anything-else", &big(300 * 1024))],
                )
            },
        ),
        c("oversized body on who", "POST /s/{survey}/who", 413, |x| {
            x.post("/s/every-type/who", &[("version", &big(300 * 1024))])
        }),
        c(
            "oversized body on submit",
            "POST /s/{survey}/submit",
            413,
            |x| x.post("/s/every-type/submit", &[("pad", &big(300 * 1024))]),
        ),
        c(
            "oversized body on resume",
            "POST /s/{survey}/resume",
            413,
            |x| x.post("/s/every-type/resume", &[("code", &big(300 * 1024))]),
        ),
        c(
            "oversized body on delete",
            "POST /s/{survey}/delete",
            413,
            |x| x.post("/s/every-type/delete", &[("code", &big(300 * 1024))]),
        ),
        c(
            "oversized body on delete confirm",
            "POST /s/{survey}/delete/confirm",
            413,
            |x| {
                x.post(
                    "/s/every-type/delete/confirm",
                    &[("code", &big(300 * 1024))],
                )
            },
        ),
        c(
            "a Content-Length of 1 GB with a short body",
            "POST /s/{survey}/p/{page}",
            413,
            |x| {
                x.raw(
                    format!(
                        "POST /s/every-type/p/5 HTTP/1.1\r\nHost: heard\r\nCookie: {}\r\n\
                 Content-Type: {FORM}\r\nContent-Length: 1000000000\r\nConnection: close\r\n\r\n\
                 csrf={}",
                        x.cookie_header(),
                        x.csrf
                    )
                    .as_bytes(),
                )
            },
        ),
        c(
            "a field far over its limit, under the body limit",
            "POST /s/{survey}/p/{page}",
            422,
            |x| x.post("/s/every-type/p/5", &[("q-one-thing", &big(200 * 1024))]),
        ),
        c("headers over 64 KiB", "GET /s/{survey}", 431, |x| {
            x.raw(format!(
                "GET /s/every-type HTTP/1.1\r\nHost: heard\r\nX-Pad: {}\r\nConnection: close\r\n\r\n",
                big(100 * 1024)
            ).as_bytes())
        }),
        c(
            "too many form fields",
            "POST /s/{survey}/p/{page}",
            400,
            |x| x.post_raw("/s/every-type/p/5", "a=1&".repeat(1200).as_bytes()),
        ),
        // --- Invalid UTF-8 and percent-encoding, in bodies and paths.
        c(
            "invalid UTF-8, escaped, in a value",
            "POST /s/{survey}/p/{page}",
            400,
            |x| x.post_raw("/s/every-type/p/5", b"q-one-thing=%FF%FEhi"),
        ),
        c(
            "invalid UTF-8, raw bytes, in a value",
            "POST /s/{survey}/p/{page}",
            400,
            |x| x.post_raw("/s/every-type/p/5", b"q-one-thing=\xC3\x28"),
        ),
        c(
            "invalid UTF-8 in a field name",
            "POST /s/{survey}/p/{page}",
            400,
            |x| x.post_raw("/s/every-type/p/5", b"q-%C0%AF=1"),
        ),
        c("a broken %-escape", "POST /s/{survey}/p/{page}", 400, |x| {
            x.post_raw("/s/every-type/p/5", b"q-one-thing=%G1")
        }),
        c(
            "a %-escape cut off at the end",
            "POST /s/{survey}/who",
            400,
            |x| x.post_raw("/s/every-type/who", b"version=standard%2"),
        ),
        c(
            "an overlong UTF-8 encoding of '/'",
            "POST /s/{survey}/resume",
            400,
            |x| x.post_raw("/s/every-type/resume", b"code=%C0%AF"),
        ),
        c("a JSON body", "POST /s/{survey}/p/{page}", 415, |x| {
            x.post_bytes(
                "/s/every-type/p/5",
                Some("application/json"),
                b"{\"q-one-thing\":1}".to_vec(),
            )
        }),
        c("a multipart body", "POST /s/{survey}/submit", 415, |x| {
            x.post_bytes(
                "/s/every-type/submit",
                Some("multipart/form-data; boundary=x"),
                b"--x--".to_vec(),
            )
        }),
        c("no content type", "POST /s/{survey}/resume", 415, |x| {
            x.post_bytes("/s/every-type/resume", None, b"code=ABCD".to_vec())
        }),
        c(
            "a broken %-escape in the survey id",
            "GET /s/{survey}",
            404,
            |x| x.raw_get("/s/%ZZ"),
        ),
        c(
            "invalid UTF-8 in the survey id",
            "GET /s/{survey}/who",
            400,
            |x| x.raw_get("/s/%FF%FE/who"),
        ),
        c(
            "invalid UTF-8 in the page number",
            "GET /s/{survey}/p/{page}",
            400,
            |x| x.raw_get("/s/every-type/p/%FF"),
        ),
        // --- Path traversal and odd paths.
        c(
            "traversal in a static file name",
            "GET /static/{file}",
            404,
            |x| x.raw_get("/static/..%2f..%2fCargo.toml"),
        ),
        c("raw ../ in the path", "GET /static/{file}", 404, |x| {
            x.raw_get("/static/../../../etc/passwd")
        }),
        c("traversal in the survey id", "GET /s/{survey}", 404, |x| {
            x.raw_get("/s/..%2f..%2fsurveys%2fcare-review.toml")
        }),
        c(
            "traversal in the page number",
            "GET /s/{survey}/p/{page}",
            404,
            |x| x.raw_get("/s/every-type/p/..%2f..%2fetc%2fpasswd"),
        ),
        c(
            "a NUL byte in the survey id",
            "GET /s/{survey}/delete",
            404,
            |x| x.raw_get("/s/every-type%00/delete"),
        ),
        c(
            "a page number past u64",
            "GET /s/{survey}/p/{page}",
            404,
            |x| x.get("/s/every-type/p/99999999999999999999999"),
        ),
        c(
            "a negative page number",
            "POST /s/{survey}/p/{page}",
            404,
            |x| x.post("/s/every-type/p/-1", &[("q-moved", "yes")]),
        ),
        c("page zero", "POST /s/{survey}/p/{page}", 404, |x| {
            x.post("/s/every-type/p/0", &[("q-moved", "yes")])
        }),
        c("an unknown survey", "POST /s/{survey}/submit", 404, |x| {
            x.post("/s/no-such-survey/submit", &[])
        }),
        // --- Missing, wrong and replayed CSRF tokens.
        c(
            "a page post without a CSRF token",
            "POST /s/{survey}/p/{page}",
            403,
            |x| x.post_bare("/s/every-type/p/1", &[("q-moved", "yes")]),
        ),
        c(
            "a made-up CSRF token",
            "POST /s/{survey}/p/{page}",
            403,
            |x| {
                x.post_bare(
                    "/s/every-type/p/1",
                    &[
                        ("csrf", "0123456789abcdef0123456789abcdef"),
                        ("q-moved", "yes"),
                    ],
                )
            },
        ),
        c(
            "this browser's token sent twice, one wrong",
            "POST /s/{survey}/p/{page}",
            403,
            |x| {
                x.post_bare(
                    "/s/every-type/p/1",
                    &[("csrf", "nope"), ("csrf", &x.csrf), ("q-moved", "yes")],
                )
            },
        ),
        c(
            "a token replayed from a browser with no cookies",
            "POST /s/{survey}/who",
            403,
            |x| {
                let body = encode(&[("csrf", &x.csrf), ("version", "easy")]);
                reply(
                    x.stranger()
                        .post(format!("{}/s/every-type/who", x.base))
                        .header("content-type", FORM)
                        .body(body)
                        .send()
                        .expect("POST"),
                )
            },
        ),
        c(
            "choosing a version without a token",
            "POST /s/{survey}/who",
            403,
            |x| x.post_bare("/s/every-type/who", &[("version", "easy")]),
        ),
        c(
            "submit without a token",
            "POST /s/{survey}/submit",
            403,
            |x| x.post_bare("/s/every-type/submit", &[]),
        ),
        c(
            "resume without a token",
            "POST /s/{survey}/resume",
            403,
            |x| x.post_bare("/s/every-type/resume", &[("code", &x.resume)]),
        ),
        c(
            "delete lookup without a token",
            "POST /s/{survey}/delete",
            403,
            |x| x.post_bare("/s/every-type/delete", &[("code", &x.reference)]),
        ),
        c(
            "delete confirm with a real reference but no token",
            "POST /s/{survey}/delete/confirm",
            403,
            |x| x.post_bare("/s/every-type/delete/confirm", &[("code", &x.reference)]),
        ),
        c(
            "a forged CSRF cookie with its own guess",
            "POST /s/{survey}/p/{page}",
            403,
            |x| {
                let body = "csrf=00000000000000000000000000000000&q-moved=yes";
                x.raw(format!(
                "POST /s/every-type/p/1 HTTP/1.1\r\nHost: heard\r\nCookie: heard_csrf={}\r\n\
                 Content-Type: {FORM}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                "a".repeat(64),
                body.len()
            ).as_bytes())
            },
        ),
        // --- Replayed or guessed resume and reference codes.
        c(
            "a guessed resume code",
            "POST /s/{survey}/resume",
            422,
            |x| x.post("/s/every-type/resume", &[("code", "7K3M-QX9D-RWTH-B2FA")]),
        ),
        c(
            "a resume code whose answers were sent",
            "POST /s/{survey}/resume",
            422,
            |x| x.post("/s/every-type/resume", &[("code", &x.spent_resume)]),
        ),
        c(
            "a reference code used as a resume code",
            "POST /s/{survey}/resume",
            422,
            |x| x.post("/s/every-type/resume", &[("code", &x.reference)]),
        ),
        c(
            "a resume code used as a reference code",
            "POST /s/{survey}/delete",
            422,
            |x| x.post("/s/every-type/delete", &[("code", &x.resume)]),
        ),
        c(
            "a guessed reference code",
            "POST /s/{survey}/delete",
            422,
            |x| x.post("/s/every-type/delete", &[("code", "ZZZZ-ZZZZ-ZZZZ-ZZZZ")]),
        ),
        c(
            "a guessed reference code straight to confirm",
            "POST /s/{survey}/delete/confirm",
            422,
            |x| {
                x.post(
                    "/s/every-type/delete/confirm",
                    &[("code", "ZZZZ-ZZZZ-ZZZZ-ZZZZ")],
                )
            },
        ),
        Case {
            prepare: Some(|x| {
                // This browser sends its answers, then deletes them with its reference code.
                assert_eq!(x.post("/s/every-type/submit", &[]).status, 303);
                let done = x.get("/s/every-type/done");
                let code = text_of_id(&done.body, "reference-code");
                let r = x.post("/s/every-type/delete/confirm", &[("code", &code)]);
                assert_eq!(r.status, 200, "first delete");
                // Kept for the replay below.
                *SPENT.lock().expect("lock") = code;
            }),
            ..c(
                "a delete replayed",
                "POST /s/{survey}/delete/confirm",
                422,
                |x| {
                    let code = SPENT.lock().expect("lock").clone();
                    x.post("/s/every-type/delete/confirm", &[("code", &code)])
                },
            )
        },
        Case {
            prepare: Some(|x| assert_eq!(x.post("/s/every-type/submit", &[]).status, 303)),
            ..c(
                "a submit replayed (double tap)",
                "POST /s/{survey}/submit",
                303,
                |x| x.post("/s/every-type/submit", &[]),
            )
        },
        c("a forged draft cookie", "GET /s/{survey}/check", 303, |x| {
            x.raw(format!(
                "GET /s/every-type/check HTTP/1.1\r\nHost: heard\r\nCookie: heard_draft={}\r\nConnection: close\r\n\r\n",
                "f".repeat(64)
            ).as_bytes())
        }),
        // --- Tampered hidden fields, unknown question ids and choices.
        c("a version not offered", "POST /s/{survey}/who", 400, |x| {
            x.post("/s/every-type/who", &[("version", "admin")])
        }),
        c(
            "an unknown question id",
            "POST /s/{survey}/p/{page}",
            400,
            |x| {
                x.post(
                    "/s/every-type/p/1",
                    &[("q-setting", "foster"), ("q-is-admin", "yes")],
                )
            },
        ),
        c(
            "a question from another page",
            "POST /s/{survey}/p/{page}",
            400,
            |x| x.post("/s/every-type/p/1", &[("q-one-thing", "sneaky")]),
        ),
        c(
            "a question from another version",
            "POST /s/{survey}/p/{page}",
            400,
            |x| x.post("/s/every-type/p/4", &[("q-happy", "3")]),
        ),
        c(
            "a hidden question (condition false)",
            "POST /s/{survey}/p/{page}",
            400,
            |x| x.post("/s/every-type/p/4", &[("q-advocate-good", "5")]),
        ),
        c(
            "a choice not offered",
            "POST /s/{survey}/p/{page}",
            400,
            |x| x.post("/s/every-type/p/1", &[("q-setting", "palace")]),
        ),
        c(
            "two answers to a single choice",
            "POST /s/{survey}/p/{page}",
            400,
            |x| {
                x.post(
                    "/s/every-type/p/1",
                    &[("q-setting", "foster"), ("q-setting", "kinship")],
                )
            },
        ),
        c(
            "a scale point off the scale",
            "POST /s/{survey}/p/{page}",
            400,
            |x| x.post("/s/every-type/p/1", &[("q-moved", "maybe")]),
        ),
        c(
            "a draft id smuggled in",
            "POST /s/{survey}/p/{page}",
            400,
            |x| {
                x.post(
                    "/s/every-type/p/1",
                    &[("q-moved", "yes"), ("draft_id", "1")],
                )
            },
        ),
        c(
            "more choices than allowed",
            "POST /s/{survey}/p/{page}",
            422,
            |x| {
                x.post(
                    "/s/every-type/p/3",
                    &[
                        ("q-helpers", "carer"),
                        ("q-helpers", "teacher"),
                        ("q-helpers", "advocate"),
                        ("q-helpers", "social-worker"),
                    ],
                )
            },
        ),
        c(
            "SQL in a number field",
            "POST /s/{survey}/p/{page}",
            422,
            |x| {
                x.post(
                    "/s/every-type/p/4",
                    &[("q-workers", "1; DROP TABLE drafts")],
                )
            },
        ),
        // --- SQL and HTML/JS in every text field: stored as text, shown inert.
        Case {
            changes: StoresInertText,
            ..c(
                "markup and SQL in the short text",
                "POST /s/{survey}/p/{page}",
                303,
                |x| x.post("/s/every-type/p/5", &[("q-one-thing", PAYLOAD)]),
            )
        },
        Case {
            changes: StoresInertText,
            ..c(
                "markup and SQL in the long text",
                "POST /s/{survey}/p/{page}",
                303,
                |x| x.post("/s/every-type/p/5", &[("q-anything-else", PAYLOAD)]),
            )
        },
        c(
            "markup over the limit, shown back in the error page",
            "POST /s/{survey}/p/{page}",
            422,
            |x| x.post("/s/every-type/p/5", &[("q-one-thing", &PAYLOAD.repeat(3))]),
        ),
        c(
            "markup as a resume code",
            "POST /s/{survey}/resume",
            422,
            |x| x.post("/s/every-type/resume", &[("code", PAYLOAD)]),
        ),
        c(
            "markup as a reference code",
            "POST /s/{survey}/delete",
            422,
            |x| x.post("/s/every-type/delete", &[("code", PAYLOAD)]),
        ),
        c("markup as a version", "POST /s/{survey}/who", 400, |x| {
            x.post("/s/every-type/who", &[("version", PAYLOAD)])
        }),
        c(
            "markup as a choice",
            "POST /s/{survey}/p/{page}",
            400,
            |x| x.post("/s/every-type/p/1", &[("q-setting", PAYLOAD)]),
        ),
        c(
            "markup as a field name",
            "POST /s/{survey}/p/{page}",
            400,
            |x| x.post("/s/every-type/p/1", &[(PAYLOAD, "1")]),
        ),
        c(
            "markup in the query string",
            "GET /s/{survey}/p/{page}",
            200,
            |x| x.get("/s/every-type/p/1?return=%3Cscript%3Ealert(1)%3C/script%3E"),
        ),
        c("markup in the survey id", "GET /s/{survey}", 404, |x| {
            x.get("/s/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        }),
        // --- Routes that take no input still answer plainly to odd requests.
        c("the index with a body", "GET /", 200, |x| {
            reply(
                x.client
                    .get(format!("{}/", x.base))
                    .body(big(1000))
                    .send()
                    .expect("GET"),
            )
        }),
        c(
            "exit with an open redirect attempt",
            "GET /exit",
            303,
            |x| x.get("/exit?to=https://evil.example"),
        ),
        c("health with a query", "GET /healthz", 200, |x| {
            x.get("/healthz?<script>")
        }),
        c(
            "the who page for a survey that does not exist",
            "GET /s/{survey}/who",
            404,
            |x| x.get("/s/nope/who"),
        ),
        c(
            "done with no submission",
            "GET /s/{survey}/done",
            303,
            |x| x.get("/s/every-type/done"),
        ),
        c(
            "finish for an unknown survey",
            "GET /s/{survey}/finish",
            404,
            |x| x.get("/s/nope/finish"),
        ),
        c(
            "the delete page with markup in the query",
            "GET /s/{survey}/delete",
            200,
            |x| x.get("/s/every-type/delete?code=%3Cscript%3E"),
        ),
        c(
            "a method the route does not take",
            "GET /s/{survey}",
            405,
            |x| x.post("/s/every-type", &[]),
        ),
        c(
            "a static file that does not exist",
            "GET /static/{file}",
            404,
            |x| x.get("/static/heard.0000000000.css"),
        ),
    ]
}

static SPENT: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

fn text_of_id(body: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\">");
    let start = body.find(&marker).map(|i| i + marker.len()).unwrap_or(0);
    let end = body[start..].find('<').map(|i| i + start).unwrap_or(start);
    body[start..end].trim().to_string()
}

/// The headers every response from the app carries.
fn check_headers(what: &str, r: &Reply) {
    let csp = r.header("content-security-policy").unwrap_or("");
    assert!(csp.contains("script-src 'self'"), "{what}: CSP {csp:?}");
    assert!(
        csp.contains("frame-ancestors 'none'"),
        "{what}: CSP {csp:?}"
    );
    assert!(csp.contains("object-src 'none'"), "{what}: CSP {csp:?}");
    assert!(!csp.contains("unsafe-inline"), "{what}: CSP {csp:?}");
    assert_eq!(
        r.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "{what}");
    for (k, v) in &r.headers {
        if k.eq_ignore_ascii_case("set-cookie") {
            assert!(
                v.contains("HttpOnly") && v.contains("SameSite=Strict"),
                "{what}: {v}"
            );
        }
    }
}

/// No page shows markup it was sent as markup, and no page runs inline script.
fn check_inert(what: &str, body: &str) {
    for live in ["<script>alert", "<img src=x", "\"'><img"] {
        assert!(!body.contains(live), "{what}: {live} came back live");
    }
    let mut rest = body;
    while let Some(i) = rest.find("<script") {
        let tag_end = rest[i..].find('>').map(|j| i + j).unwrap_or(rest.len());
        assert!(
            rest[i..tag_end].contains(" src="),
            "{what}: inline script {}",
            &rest[i..tag_end]
        );
        rest = &rest[tag_end..];
    }
}

struct Fixtures {
    reference: String,
    resume: String,
    spent_resume: String,
}

/// A browser on its own loopback address with a draft on page 1 of the standard version.
fn new_ctx(server: &TestServer, n: usize, f: &Fixtures) -> Ctx {
    let ip = IpAddr::V4(Ipv4Addr::new(
        127,
        0,
        (n / 250) as u8 + 2,
        (n % 250) as u8 + 1,
    ));
    let jar = Arc::new(Jar::default());
    let client = client(ip, jar.clone());
    let base = format!("http://{}", server.addr);
    let who = reply(
        client
            .get(format!("{base}/s/every-type/who"))
            .send()
            .expect("who"),
    );
    let csrf = csrf_in(&who.body);
    let mut ctx = Ctx {
        base,
        ip,
        client,
        jar,
        csrf,
        reference: f.reference.clone(),
        resume: f.resume.clone(),
        spent_resume: f.spent_resume.clone(),
    };
    let r = ctx.post("/s/every-type/who", &[("version", "standard")]);
    assert_eq!(r.status, 303, "draft started");
    ctx.csrf = csrf_in(&ctx.get("/s/every-type/p/1").body);
    ctx
}

fn fixtures(server: &TestServer) -> Fixtures {
    let empty = Fixtures {
        reference: String::new(),
        resume: String::new(),
        spent_resume: String::new(),
    };
    // A browser that saves (getting a resume code), then sends: its code is spent.
    let sent = new_ctx(server, 1000, &empty);
    assert_eq!(
        sent.post("/s/every-type/p/1", &[("q-moved", "no")]).status,
        303
    );
    let saved = sent.post(
        "/s/every-type/p/3",
        &[("q-helpers", "carer"), ("action", "save")],
    );
    let spent_resume = text_of_id(&saved.body, "resume-code");
    assert_eq!(sent.post("/s/every-type/submit", &[]).status, 303);
    let reference = text_of_id(&sent.get("/s/every-type/done").body, "reference-code");
    // A browser that saves and goes away: its code is live.
    let away = new_ctx(server, 1001, &empty);
    let saved = away.post(
        "/s/every-type/p/1",
        &[("q-moved", "yes"), ("action", "save")],
    );
    let resume = text_of_id(&saved.body, "resume-code");
    assert_eq!(resume.len(), 19, "resume code {resume:?}");
    assert_eq!(reference.len(), 19, "reference code {reference:?}");
    Fixtures {
        reference,
        resume,
        spent_resume,
    }
}

#[test]
fn every_route_is_in_the_catalogue() {
    let cases = catalogue();
    for route in ROUTES {
        assert!(
            cases.iter().any(|c| c.route == *route),
            "no hostile case for {route}"
        );
    }
    for c in &cases {
        assert!(
            ROUTES.contains(&c.route),
            "{}: unknown route {}",
            c.name,
            c.route
        );
    }
    assert!(cases.len() >= 40, "{} cases", cases.len());
}

#[test]
fn the_catalogue_of_bad_requests_gets_clear_answers_and_changes_nothing() {
    let server = TestServer::start(&[fixture("surveys")], day("2026-05-01"));
    let f = fixtures(&server);
    let cases = catalogue();
    let mut failures = Vec::new();
    for (n, case) in cases.iter().enumerate() {
        let x = new_ctx(&server, n, &f);
        if let Some(prepare) = case.prepare {
            prepare(&x);
        }
        let before = snapshot(&server);
        let started = Instant::now();
        let r = (case.send)(&x);
        if started.elapsed() > Duration::from_secs(1) {
            eprintln!("slow case: {} took {:?}", case.name, started.elapsed());
        }
        let after = snapshot(&server);
        let what = format!("{} ({})", case.name, case.route);
        if r.status != case.status {
            failures.push(format!("{what}: status {} not {}", r.status, case.status));
            continue;
        }
        match case.changes {
            Changes::Nothing if before != after => {
                failures.push(format!("{what}: changed the database"));
            }
            _ => {}
        }
        // The server refused before parsing (431) without reaching the app: no headers to check.
        let reached_app = r.status != 431;
        let checked = std::panic::catch_unwind(|| {
            if reached_app {
                check_headers(&what, &r);
            }
            check_inert(&what, &r.body);
            if r.status >= 400 && reached_app {
                assert!(
                    r.body.contains("<h1"),
                    "{what}: a page with a heading: {}",
                    r.body
                );
            }
        });
        if checked.is_err() {
            failures.push(format!("{what}: see the panic above"));
            continue;
        }
        if case.changes == Changes::StoresInertText {
            // Every page that shows the text shows it as text.
            for page in ["/s/every-type/check", "/s/every-type/p/5"] {
                let shown = x.get(page);
                assert_eq!(shown.status, 200, "{what}: {page}");
                check_inert(&format!("{what}: {page}"), &shown.body);
                assert!(
                    shown.body.contains("&lt;script&gt;"),
                    "{what}: {page} shows the text"
                );
            }
            assert!(
                server.count(
                    "SELECT count(*) FROM sqlite_master WHERE name IN ('answers', 'drafts')"
                ) == 2
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "hostile-input catalogue: {} cases over {} routes",
        cases.len(),
        ROUTES.len()
    );
}

#[test]
fn every_route_carries_the_security_headers_including_static_errors_and_redirects() {
    let server = TestServer::start(&[fixture("surveys")], day("2026-05-01"));
    let f = fixtures(&server);
    let x = new_ctx(&server, 0, &f);
    let css = web::assets::CSS.url.clone();
    let js = web::assets::JS.url.clone();
    for path in [
        "/",
        "/exit",
        "/healthz",
        &css,
        &js,
        "/s/every-type",
        "/s/every-type/who",
        "/s/every-type/p/1",
        "/s/every-type/check",
        "/s/every-type/done",
        "/s/every-type/delete",
        "/s/every-type/finish",
        "/nowhere",
        "/s/nope",
    ] {
        let r = x.get(path);
        assert!(r.status < 500, "{path}: {}", r.status);
        check_headers(path, &r);
        check_inert(path, &r.body);
    }
    for path in [
        "/s/every-type/p/1",
        "/s/every-type/submit",
        "/s/every-type/resume",
        "/s/every-type/delete",
        "/s/every-type/delete/confirm",
        "/s/every-type/who",
    ] {
        let r = x.post(path, &[]);
        check_headers(&format!("POST {path}"), &r);
    }
}

#[test]
fn a_slow_client_is_cut_off_and_the_server_still_answers_others() {
    let config = web::Config {
        header_read_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(2),
        ..web::Config::default()
    };
    let server = TestServer::start_with(&[fixture("surveys")], day("2026-05-01"), config);
    let addr = server.addr;
    // Slowloris: headers a byte at a time, never finished within the limit.
    let trickle = std::thread::spawn(move || {
        let mut s = TcpStream::connect(addr).expect("connect");
        let started = Instant::now();
        let header = format!(
            "GET / HTTP/1.1\r\nHost: heard\r\nX-Slow: {}\r\n",
            "a".repeat(200)
        );
        for b in header.bytes() {
            if s.write_all(&[b]).is_err() {
                return started.elapsed();
            }
            std::thread::sleep(Duration::from_millis(50));
            if started.elapsed() > Duration::from_secs(8) {
                break;
            }
        }
        // Writes may be accepted into the buffer after the close: reading shows the end.
        let mut buf = [0u8; 256];
        let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
        let _ = s.read(&mut buf);
        started.elapsed()
    });
    // An idle connection that never sends a byte.
    let idle = std::thread::spawn(move || {
        let mut s = TcpStream::connect(addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(8)))
            .expect("timeout");
        let started = Instant::now();
        let mut buf = [0u8; 64];
        let n = s.read(&mut buf).unwrap_or(0);
        (n, started.elapsed())
    });
    // A slow body: the headers are quick, the body never finishes.
    let slow_body = std::thread::spawn(move || {
        let mut s = TcpStream::connect(addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(8)))
            .expect("timeout");
        s.write_all(
            format!("POST /s/every-type/resume HTTP/1.1\r\nHost: heard\r\nContent-Type: {FORM}\r\nContent-Length: 100\r\n\r\ncode=").as_bytes(),
        )
        .expect("write");
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).to_string()
    });
    // Meanwhile everyone else is served at once.
    std::thread::sleep(Duration::from_millis(300));
    let b = server.browser();
    for _ in 0..5 {
        let t = Instant::now();
        assert_eq!(b.get("/s/every-type").status, 200);
        assert!(t.elapsed() < Duration::from_secs(1));
    }
    let cut = trickle.join().expect("trickle");
    assert!(
        cut < Duration::from_secs(4),
        "the trickling client was cut off after {cut:?}"
    );
    let (n, after) = idle.join().expect("idle");
    assert_eq!(n, 0, "an idle connection is closed without a response");
    assert!(after < Duration::from_secs(4), "closed after {after:?}");
    let body = slow_body.join().expect("slow body");
    assert!(body.starts_with("HTTP/1.1 408"), "{body}");
    assert!(body.contains("That took too long"));
    assert!(b.get("/s/every-type").status == 200, "still serving");
}

#[test]
fn a_flood_of_new_drafts_from_one_address_is_limited() {
    // A small limit, so the flood is quick; the default is tested below to allow a school hall.
    let config = web::Config {
        drafts_per_minute: 120,
        ..web::Config::default()
    };
    assert!(web::Config::default().drafts_per_minute >= 1000);
    let server = TestServer::start_with(&[fixture("surveys")], day("2026-05-01"), config);
    let mut created = 0;
    let mut limited = 0;
    for _ in 0..150 {
        let b = server.browser();
        let csrf = b.get("/s/every-type/who").csrf();
        let r = b.post("/s/every-type/who", &[("csrf", &csrf), ("version", "easy")]);
        match r.status {
            303 => created += 1,
            429 => {
                limited += 1;
                assert!(r.has("Too many tries"));
            }
            s => panic!("unexpected {s}"),
        }
    }
    assert_eq!(created, 120, "the limit per minute");
    assert_eq!(limited, 30);
    assert_eq!(server.count("SELECT count(*) FROM drafts"), 120);
    // Someone else, elsewhere, is not held up by the flood.
    let other = client(
        IpAddr::V4(Ipv4Addr::new(127, 0, 9, 9)),
        Arc::new(Jar::default()),
    );
    let base = server.url("");
    let who = reply(
        other
            .get(format!("{base}/s/every-type/who"))
            .send()
            .expect("who"),
    );
    let body = encode(&[("csrf", &csrf_in(&who.body)), ("version", "easy")]);
    let r = other
        .post(format!("{base}/s/every-type/who"))
        .header("content-type", FORM)
        .body(body)
        .send()
        .expect("post");
    assert_eq!(r.status().as_u16(), 303);
}

// --- The workspace: the same catalogue idea for every route under /admin. Each case runs with a
// fresh session of the role it names on the `voices` fixture (answers seeded, themes run, one
// flag), and a snapshot of everything a workspace request can change is compared around it.

/// A signed-in (or not) browser in the workspace.
struct Staff {
    b: support::Browser,
    csrf: String,
    /// A theme, a response in it, a run and a flag of the fixture.
    theme: i64,
    response: i64,
    run: i64,
    flag: i64,
}

fn page_reply(p: support::Page) -> Reply {
    Reply {
        status: p.status,
        headers: p
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect(),
        body: p.body,
    }
}

impl Staff {
    fn get(&self, path: &str) -> Reply {
        page_reply(self.b.get(path))
    }
    fn post(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let mut all = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        page_reply(self.b.post(path, &all))
    }
    fn post_bare(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        page_reply(self.b.post(path, fields))
    }
    fn upload(&self, fields: &[(&str, &str)], file: &[u8]) -> Reply {
        let mut all = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        page_reply(self.b.post_multipart(
            "/admin/surveys/voices/import",
            &all,
            &[("file", "../../etc/passwd", file)],
        ))
    }
    fn t(&self, rest: &str) -> String {
        format!("/admin/surveys/voices/themes/better{rest}")
    }
}

struct StaffCase {
    name: &'static str,
    route: &'static str,
    /// Who sends it: a role's user name, or "" for no session.
    who: &'static str,
    status: u16,
    send: fn(&Staff) -> Reply,
}

/// Everything a workspace request can change. Sessions and the audit log are left out: signing
/// in for each case adds to both, and the audit log only ever grows.
fn staff_snapshot(server: &TestServer) -> String {
    let db = server.db();
    let q = |sql: &str| -> String {
        db.query_row(sql, [], |r| r.get::<_, Option<String>>(0))
            .expect("snapshot query")
            .unwrap_or_default()
    };
    [
        q("SELECT group_concat(id || ':' || name || ':' || role || ':' || disabled || ':' || password_hash, '|') FROM users"),
        q("SELECT group_concat(id || ':' || label || ':' || active || ':' || named_by_analyst, '|') FROM (SELECT * FROM themes ORDER BY id)"),
        q("SELECT group_concat(response_id || ':' || theme_id || ':' || placed_by_analyst, '|') FROM (SELECT * FROM theme_answers ORDER BY response_id)"),
        q("SELECT group_concat(id || ':' || status, '|') FROM (SELECT * FROM theme_runs ORDER BY id)"),
        q("SELECT group_concat(id || ':' || status, '|') FROM (SELECT * FROM flags ORDER BY id)"),
        q("SELECT count(*) || '' FROM flag_decisions"),
        q("SELECT group_concat(response_id || ':' || question_id || ':' || coalesce(masked, '') || ':' || quote, '|') FROM (SELECT * FROM answers ORDER BY response_id, question_id)"),
        q("SELECT group_concat(id || ':' || channel, '|') FROM (SELECT * FROM responses ORDER BY id)"),
    ]
    .join("\n")
}

fn staff_catalogue() -> Vec<StaffCase> {
    let c = |name, route, who, status, send| StaffCase {
        name,
        route,
        who,
        status,
        send,
    };
    vec![
        c(
            "the home page without a session",
            "GET /admin",
            "",
            303,
            |x| x.get("/admin"),
        ),
        c(
            "sign-in sent elsewhere after",
            "GET /admin/signin",
            "",
            200,
            |x| {
                x.get("/admin/signin?next=https%3A%2F%2Fevil.example%2F%3Cscript%3Ealert(1)%3C%2Fscript%3E")
            },
        ),
        c(
            "sign-in without a CSRF token",
            "POST /admin/signin",
            "",
            403,
            |x| {
                x.post_bare(
                    "/admin/signin",
                    &[("name", "ada"), ("password", "a long enough password")],
                )
            },
        ),
        c(
            "sign-in with markup and SQL as the name",
            "POST /admin/signin",
            "",
            401,
            |x| {
                let form = x.b.get("/admin/signin");
                page_reply(x.b.post(
                    "/admin/signin",
                    &[
                        ("csrf", &form.csrf()),
                        ("name", PAYLOAD),
                        ("password", PAYLOAD),
                    ],
                ))
            },
        ),
        c(
            "sign-in far over the body limit",
            "POST /admin/signin",
            "",
            413,
            |x| x.post_bare("/admin/signin", &[("name", &big(300 * 1024))]),
        ),
        c(
            "sign-out without a CSRF token",
            "POST /admin/signout",
            "ana",
            403,
            |x| x.post_bare("/admin/signout", &[]),
        ),
        c(
            "the audit log as an analyst",
            "GET /admin/audit",
            "ana",
            403,
            |x| x.get("/admin/audit"),
        ),
        c(
            "the audit log with a page past the end",
            "GET /admin/audit",
            "ada",
            200,
            |x| x.get("/admin/audit?page=99999999999999999999"),
        ),
        c(
            "a dashboard by path traversal",
            "GET /admin/surveys/{survey}",
            "cam",
            404,
            |x| x.get("/admin/surveys/..%2F..%2Fetc%2Fpasswd"),
        ),
        c(
            "themes of a survey that is not there",
            "GET /admin/surveys/{survey}/themes",
            "ana",
            404,
            |x| x.get("/admin/surveys/%3Cscript%3Ealert(1)%3C%2Fscript%3E/themes"),
        ),
        c(
            "themes of a choice question",
            "GET /admin/surveys/{survey}/themes/{question}",
            "ana",
            404,
            |x| x.get("/admin/surveys/voices/themes/setting"),
        ),
        c(
            "a run with markup as k",
            "POST /admin/surveys/{survey}/themes/{question}/run",
            "ana",
            400,
            |x| x.post(&x.t("/run"), &[("k", PAYLOAD), ("seed", "1")]),
        ),
        c(
            "a run with a CSRF token from another session",
            "POST /admin/surveys/{survey}/themes/{question}/run",
            "ana",
            403,
            |x| {
                x.post_bare(
                    &x.t("/run"),
                    &[
                        ("csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
                        ("k", "3"),
                    ],
                )
            },
        ),
        c(
            "the runs as a commissioner",
            "GET /admin/surveys/{survey}/themes/{question}/runs",
            "cam",
            403,
            |x| x.get(&x.t("/runs")),
        ),
        c(
            "a run that is not there",
            "GET /admin/surveys/{survey}/themes/{question}/runs/{run}",
            "ana",
            404,
            |x| x.get(&x.t("/runs/99999999999999999999999")),
        ),
        c(
            "a run of another question",
            "GET /admin/surveys/{survey}/themes/{question}/runs/{run}",
            "ana",
            404,
            |x| {
                x.get(&format!(
                    "/admin/surveys/voices/themes/nothing/runs/{}",
                    x.run
                ))
            },
        ),
        c(
            "merging one theme",
            "POST /admin/surveys/{survey}/themes/{question}/merge",
            "ana",
            400,
            |x| x.post(&x.t("/merge"), &[("theme", &x.theme.to_string())]),
        ),
        c(
            "merging themes that are not there",
            "POST /admin/surveys/{survey}/themes/{question}/merge",
            "ana",
            400,
            |x| {
                x.post(
                    &x.t("/merge"),
                    &[("theme", "999999"), ("theme", "1 OR 1=1")],
                )
            },
        ),
        c(
            "a theme by a negative id",
            "GET /admin/surveys/{survey}/themes/{question}/t/{theme}",
            "ana",
            404,
            |x| x.get(&x.t("/t/-1")),
        ),
        c(
            "a theme searched for markup",
            "GET /admin/surveys/{survey}/themes/{question}/t/{theme}",
            "ana",
            200,
            |x| {
                x.get(&format!(
                    "{}?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&version=%22%3E%3Cimg&channel=x",
                    x.t(&format!("/t/{}", x.theme))
                ))
            },
        ),
        c(
            "renaming to an empty name",
            "POST /admin/surveys/{survey}/themes/{question}/t/{theme}/rename",
            "ana",
            400,
            |x| x.post(&x.t(&format!("/t/{}/rename", x.theme)), &[("label", "   ")]),
        ),
        c(
            "renaming far over the limit",
            "POST /admin/surveys/{survey}/themes/{question}/t/{theme}/rename",
            "ana",
            400,
            |x| {
                x.post(
                    &x.t(&format!("/t/{}/rename", x.theme)),
                    &[("label", &big(5000))],
                )
            },
        ),
        c(
            "splitting into a thousand",
            "POST /admin/surveys/{survey}/themes/{question}/t/{theme}/split",
            "ana",
            400,
            |x| x.post(&x.t(&format!("/t/{}/split", x.theme)), &[("parts", "1000")]),
        ),
        c(
            "moving an answer to a theme that is not there",
            "POST /admin/surveys/{survey}/themes/{question}/answers/{response}",
            "ana",
            400,
            |x| {
                x.post(
                    &x.t(&format!("/answers/{}", x.response)),
                    &[("action", "move"), ("theme", "999999")],
                )
            },
        ),
        c(
            "an unknown action on an answer",
            "POST /admin/surveys/{survey}/themes/{question}/answers/{response}",
            "ana",
            400,
            |x| {
                x.post(
                    &x.t(&format!("/answers/{}", x.response)),
                    &[("action", "DROP TABLE answers")],
                )
            },
        ),
        c(
            "exporting with a path as the format",
            "POST /admin/surveys/{survey}/export",
            "cam",
            422,
            |x| {
                x.post(
                    "/admin/surveys/voices/export",
                    &[("format", "../../etc/passwd"), ("threshold", "5")],
                )
            },
        ),
        c(
            "a commissioner asking for the responses one row each",
            "POST /admin/surveys/{survey}/export",
            "cam",
            403,
            |x| {
                x.post(
                    "/admin/surveys/voices/export",
                    &[("format", "xlsx-rows"), ("threshold", "5")],
                )
            },
        ),
        c(
            "exporting without a CSRF token",
            "POST /admin/surveys/{survey}/export",
            "cam",
            403,
            |x| {
                x.post_bare(
                    "/admin/surveys/voices/export",
                    &[("format", "csv"), ("threshold", "5")],
                )
            },
        ),
        c(
            "the export page of a survey that is not there",
            "GET /admin/surveys/{survey}/export",
            "cam",
            404,
            |x| x.get("/admin/surveys/nope/export"),
        ),
        c(
            "the import page as a safeguarding lead",
            "GET /admin/surveys/{survey}/import",
            "sal",
            403,
            |x| x.get("/admin/surveys/voices/import"),
        ),
        c(
            "an import with every row refused",
            "POST /admin/surveys/{survey}/import",
            "ana",
            200,
            |x| {
                let mut file = format!("version,setting,better\nnope,foster,{PAYLOAD}\nyoung,'; DROP TABLE responses;--,x\n").into_bytes();
                file.extend_from_slice(b"young,foster,\xff\xfe not utf-8\n");
                x.upload(&[("channel", "paper")], &file)
            },
        ),
        c(
            "an import that is not multipart",
            "POST /admin/surveys/{survey}/import",
            "ana",
            415,
            |x| x.post("/admin/surveys/voices/import", &[("channel", "paper")]),
        ),
        c(
            "an import far over the upload limit",
            "POST /admin/surveys/{survey}/import",
            "ana",
            413,
            |x| x.upload(&[("channel", "paper")], big(9 * 1024 * 1024).as_bytes()),
        ),
        c(
            "an import without a CSRF token",
            "POST /admin/surveys/{survey}/import",
            "ana",
            403,
            |x| {
                page_reply(x.b.post_multipart(
                    "/admin/surveys/voices/import",
                    &[("channel", "paper")],
                    &[("file", "a.csv", b"setting\nfoster\n")],
                ))
            },
        ),
        c(
            "the queue as an analyst",
            "GET /admin/safeguarding",
            "ana",
            403,
            |x| x.get("/admin/safeguarding"),
        ),
        c(
            "a flag by SQL",
            "GET /admin/safeguarding/{flag}",
            "sal",
            404,
            |x| x.get("/admin/safeguarding/1%20OR%201=1"),
        ),
        c(
            "a decision with a status the flow does not have",
            "POST /admin/safeguarding/{flag}",
            "sal",
            422,
            |x| {
                x.post(
                    &format!("/admin/safeguarding/{}", x.flag),
                    &[("status", "deleted"), ("note", PAYLOAD)],
                )
            },
        ),
        c(
            "a decision on a flag that is not there",
            "POST /admin/safeguarding/{flag}",
            "sal",
            404,
            |x| {
                x.post(
                    "/admin/safeguarding/999999",
                    &[("status", "reviewed"), ("note", "x")],
                )
            },
        ),
    ]
}

#[test]
fn every_workspace_route_is_in_the_catalogue() {
    let cases = staff_catalogue();
    for a in web::review::access::ROUTES {
        let route = format!("{} {}", a.method, a.path);
        assert!(
            cases.iter().any(|c| c.route == route),
            "no hostile case for {route}"
        );
    }
    for c in &cases {
        assert!(
            web::review::access::ROUTES
                .iter()
                .any(|a| format!("{} {}", a.method, a.path) == c.route),
            "{}: unknown route {}",
            c.name,
            c.route
        );
    }
}

#[test]
fn the_workspace_catalogue_gets_clear_answers_and_changes_nothing() {
    use support::workspace::{seed, server, sign_in, staff_csrf, wait_for_run};
    let server = server();
    seed(&server, 0, 40);
    let ana = sign_in(&server, "ana");
    let r = ana.post(
        "/admin/surveys/voices/themes/better/run",
        &[("csrf", &staff_csrf(&ana)), ("k", "3"), ("seed", "1")],
    );
    assert_eq!(r.status, 303);
    wait_for_run(&ana, r.location.as_deref().expect("run page"));
    let db = server.db();
    let one = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).expect(sql) };
    let theme = one("SELECT id FROM themes WHERE active = 1 ORDER BY id LIMIT 1");
    let response = one(&format!(
        "SELECT response_id FROM theme_answers WHERE theme_id = {theme} LIMIT 1"
    ));
    let run = one("SELECT id FROM theme_runs LIMIT 1");
    // A disclosure, for the safeguarding cases, through the same screening as the web.
    let rt = support::workspace::runtime();
    let store = server.store();
    let draft = rt
        .block_on(store.create_draft("voices", "adult", &"d".repeat(64), day("2026-05-01")))
        .expect("draft");
    let answers: std::collections::BTreeMap<String, engine::AnswerValue> = [(
        "better".to_string(),
        engine::AnswerValue::Text("he hits me every night".into()),
    )]
    .into();
    let protection =
        intake::protect::Protector::phrases_only(safeguard::Screener::builtin()).protect(&answers);
    rt.block_on(store.submit(draft, answers, protection, day("2026-05-01")))
        .expect("submit");
    let flag = one("SELECT id FROM flags ORDER BY id LIMIT 1");

    let cases = staff_catalogue();
    let mut failures = Vec::new();
    // One session per role, kept across cases: sign-ins from one address are rate limited.
    let mut sessions: std::collections::HashMap<&str, support::Browser> = Default::default();
    for case in &cases {
        let b = if case.who.is_empty() {
            server.browser()
        } else {
            sessions
                .remove(case.who)
                .unwrap_or_else(|| sign_in(&server, case.who))
        };
        let csrf = if case.who.is_empty() {
            String::new()
        } else {
            staff_csrf(&b)
        };
        let x = Staff {
            b,
            csrf,
            theme,
            response,
            run,
            flag,
        };
        let before = staff_snapshot(&server);
        let r = (case.send)(&x);
        let after = staff_snapshot(&server);
        let what = format!(
            "{} ({}, as {})",
            case.name,
            case.route,
            if case.who.is_empty() {
                "no one"
            } else {
                case.who
            }
        );
        if r.status != case.status {
            failures.push(format!(
                "{what}: status {} not {}: {}",
                r.status,
                case.status,
                &r.body[..r.body.len().min(300)]
            ));
            continue;
        }
        if before != after {
            failures.push(format!("{what}: changed the database"));
            continue;
        }
        let checked = std::panic::catch_unwind(|| {
            check_headers(&what, &r);
            check_inert(&what, &r.body);
            if r.status >= 400 {
                assert!(r.body.contains("<h1"), "{what}: a page with a heading");
            }
        });
        if checked.is_err() {
            failures.push(format!("{what}: see the panic above"));
        }
        // After a refused oversized body the server closes the connection mid-upload; a pooled
        // connection may be left broken, so that browser is not used again.
        if !case.who.is_empty() && case.status != 413 {
            sessions.insert(case.who, x.b);
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "workspace hostile-input catalogue: {} cases over {} routes",
        cases.len(),
        web::review::access::ROUTES.len()
    );
}
