//! What every handler shares: the surveys, the store, the clock, the configuration and the rate
//! limits ([`AppState`]). Imports no handler, so any handler may import it.
use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use engine::{Store, Survey};

use crate::error::{AppError, AppResult};

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
    /// Screens free text for possible disclosures and masks personal data.
    pub protector: intake::protect::Protector,
    /// Themes runs in progress.
    pub theme_jobs: crate::jobs::Jobs,
    /// When respondents last wrote: the learned layer's background reading gives way to them.
    pub respondents: crate::busy::Respondents,
    /// True while `heard serve` masks stored answers again after an upgrade (seconds, once per
    /// masker version): downloads and the pages that show masked answers wait for it
    /// (`review::remasking`), so none holds what the newer masker hides.
    pub remasking: Arc<AtomicBool>,
}

pub type SharedState = Arc<AppState>;

impl AppState {
    /// With the built-in screening: the indicator phrases and the learned layer (or the phrases
    /// alone, every one flagging, if the learned layer cannot run).
    pub fn new(surveys: Vec<Survey>, store: Store, clock: Clock, config: Config) -> SharedState {
        let screener = safeguard::Screener::builtin();
        let protector = intake::protect::Protector::new(screener.clone()).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "screening by indicator phrases alone");
            intake::protect::Protector::phrases_only(screener)
        });
        Self::with_protector(surveys, store, clock, config, protector)
    }

    /// As [`AppState::new`], with screening of the caller's choice (the safeguarding lead's own
    /// indicators added, say).
    pub fn with_protector(
        surveys: Vec<Survey>,
        store: Store,
        clock: Clock,
        config: Config,
        protector: intake::protect::Protector,
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
            protector,
            theme_jobs: Default::default(),
            respondents: Default::default(),
            remasking: Default::default(),
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

/// A read of a few rows by key (a draft by its token, a response by its reference code), run on
/// the calling thread. It takes microseconds, less than handing it to a blocking thread and
/// back: measured under a burst of a thousand submits, the hand-over cost more than the reads.
/// Reads that scan or aggregate go through [`read`].
pub fn keyed<T>(
    state: &SharedState,
    f: impl FnOnce(&engine::Store) -> engine::store::Result<T>,
) -> AppResult<T> {
    Ok(f(&state.store)?)
}

/// Runs a blocking store read off the async runtime.
pub async fn read<T: Send + 'static>(
    state: &SharedState,
    f: impl FnOnce(&engine::Store) -> engine::store::Result<T> + Send + 'static,
) -> AppResult<T> {
    Ok(state.store.read_async(f).await?)
}
