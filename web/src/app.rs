//! The application: shared state, the router, and what every response carries (security headers,
//! compression, time limits).
use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use engine::{Store, Survey};
use tower_http::compression::CompressionLayer;

use crate::error::{AppError, AppResult};

/// Largest request body: a page of long answers at the longest limit, percent-encoded, fits.
pub const MAX_BODY: usize = 256 * 1024;

/// Where "Leave this page" goes: a neutral, busy site that looks like everyday browsing.
pub const DEFAULT_EXIT_URL: &str = "https://www.bbc.co.uk/weather";

#[derive(Clone, Debug)]
pub struct Config {
    /// Mark cookies `Secure`: set when Heard is served over TLS (directly or behind a proxy).
    pub secure_cookies: bool,
    pub exit_url: String,
    /// Days a resume code works (never past the survey's closing day).
    pub resume_days: i64,
    /// Days an untouched, unsent draft is kept.
    pub draft_days: i64,
    /// How long a client has to send a request's headers (from connecting, or from the last
    /// response on a kept-alive connection) before the connection is closed: slow clients
    /// (slowloris) and idle connections cannot hold the server's sockets.
    pub header_read_timeout: Duration,
    /// Longest a request may take once its headers are in (reading a slow body included): past
    /// it, the client gets 408.
    pub request_timeout: Duration,
    /// New drafts a minute from one client address. High enough for a school hall of children
    /// behind one shared address starting at once; low enough that a flood cannot fill the disk.
    pub drafts_per_minute: u32,
    /// Failed sign-ins in a row that lock a workspace account, and for how long.
    pub signin_lock: engine::store::LockPolicy,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: false,
            exit_url: DEFAULT_EXIT_URL.into(),
            resume_days: 30,
            draft_days: 60,
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            drafts_per_minute: 1000,
            signin_lock: engine::store::LockPolicy {
                failures: 5,
                seconds: 15 * 60,
            },
        }
    }
}

/// Today's date; set by hand in tests so opening, closing and expiry days can be tried.
#[derive(Clone, Debug)]
pub enum Clock {
    System,
    Manual(Arc<Mutex<NaiveDate>>),
}

impl Clock {
    pub fn manual(d: NaiveDate) -> Clock {
        Clock::Manual(Arc::new(Mutex::new(d)))
    }

    pub fn today(&self) -> NaiveDate {
        match self {
            Clock::System => chrono::Local::now().date_naive(),
            Clock::Manual(d) => d.lock().map(|d| *d).unwrap_or_default(),
        }
    }

    /// Moves a manual clock to `d`; a system clock cannot be moved.
    pub fn set(&self, d: NaiveDate) {
        if let Clock::Manual(m) = self
            && let Ok(mut g) = m.lock()
        {
            *g = d;
        }
    }
}

pub struct AppState {
    pub surveys: BTreeMap<String, Arc<Survey>>,
    pub store: Store,
    pub clock: Clock,
    pub config: Config,
    /// Drafts started, per client address per window.
    pub draft_limiter: RateLimiter,
    /// Resume and reference codes tried, per client address per window.
    pub code_limiter: RateLimiter,
    /// Workspace sign-in tries, per client address per window (on top of each account's lock).
    pub signin_limiter: RateLimiter,
    /// Screens free text for possible disclosures.
    pub screener: safeguard::Screener,
    /// Themes runs in progress.
    pub theme_jobs: crate::review::themes::Jobs,
}

pub type SharedState = Arc<AppState>;

impl AppState {
    pub fn new(surveys: Vec<Survey>, store: Store, clock: Clock, config: Config) -> SharedState {
        Self::with_screener(
            surveys,
            store,
            clock,
            config,
            safeguard::Screener::builtin(),
        )
    }

    /// As [`AppState::new`], with the safeguarding lead's own indicators added to the screener.
    pub fn with_screener(
        surveys: Vec<Survey>,
        store: Store,
        clock: Clock,
        config: Config,
        screener: safeguard::Screener,
    ) -> SharedState {
        // A school hall of children on one shared address, all starting at once, must get through.
        let draft_limiter = RateLimiter::new(config.drafts_per_minute, Duration::from_secs(60));
        Arc::new(AppState {
            surveys: surveys
                .into_iter()
                .map(|s| (s.id.clone(), Arc::new(s)))
                .collect(),
            store,
            clock,
            config,
            draft_limiter,
            code_limiter: RateLimiter::new(20, Duration::from_secs(300)),
            signin_limiter: RateLimiter::new(30, Duration::from_secs(300)),
            screener,
            theme_jobs: Default::default(),
        })
    }

    pub fn survey(&self, id: &str) -> AppResult<Arc<Survey>> {
        self.surveys.get(id).cloned().ok_or(AppError::NotFound)
    }

    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }
}

/// A fixed-window counter per client address, kept in memory only: addresses are never stored.
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    counts: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(limit: u32, window: Duration) -> Self {
        RateLimiter {
            limit,
            window,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one try from `ip`; false if it is over the limit.
    pub fn allow(&self, ip: IpAddr) -> bool {
        let Ok(mut counts) = self.counts.lock() else {
            return true;
        };
        let now = Instant::now();
        if counts.len() > 100_000 {
            counts.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = counts.entry(ip).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.limit
    }
}

/// The client's address, for rate limits only.
pub fn client_ip(req_addr: Option<&SocketAddr>) -> IpAddr {
    req_addr
        .map(|a| a.ip())
        .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    // Rejections made by the framework before a handler ran (a path that is not valid UTF-8, a
    // method the route does not take) come as bare text: give them the same page as ours.
    let is_html = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if resp.status().is_client_error()
        && !is_html
        && let Some(e) = AppError::for_status(resp.status())
    {
        let allow = resp.headers().get(header::ALLOW).cloned();
        resp = e.into_response();
        if let Some(allow) = allow {
            resp.headers_mut().insert(header::ALLOW, allow);
        }
    }
    let h = resp.headers_mut();
    // A handler may set a stricter policy of its own (the printable report does).
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    // Pages may hold a child's answers: never cached, so a shared phone's back button and
    // cache show nothing. Static assets set their own long-lived header.
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

pub fn router(state: SharedState) -> Router {
    let request_timeout = state.config.request_timeout;
    Router::new()
        .merge(crate::respondent::routes())
        .merge(crate::review::routes(state.clone()))
        .route("/static/{file}", get(crate::assets::serve))
        .route("/healthz", get(|| async { "ok" }))
        .fallback(|| async { AppError::NotFound })
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn(move |req: Request, next: Next| {
            time_limit(request_timeout, req, next)
        }))
        // Outermost, so that every response carries the headers: errors, time-outs and redirects.
        .layer(middleware::from_fn(security_headers))
}

/// Bounds a request, body reading included, once its headers are in: a client that trickles its
/// body gets a clear 408 page (and nothing it sent is saved, since forms are read whole first).
async fn time_limit(limit: Duration, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => AppError::Timeout.into_response(),
    }
}

/// Reads a form post's body: refuses what is not a form, is too large, or does not decode.
pub async fn read_form(req: Request<Body>) -> AppResult<Vec<(String, String)>> {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';').next().is_some_and(|t| {
                t.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        });
    if !is_form {
        return Err(AppError::UnsupportedMediaType);
    }
    // A body announced as too large is refused at once, not after waiting for it.
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(AppError::TooLarge);
    }
    let bytes = axum::body::to_bytes(req.into_body(), MAX_BODY)
        .await
        .map_err(|_| AppError::TooLarge)?;
    crate::form::decode(&bytes).map_err(|e| AppError::BadRequest(capitalise(&e.to_string())))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
