//! When respondents last wrote (a page's answers saved, a response sent), so background work can
//! give way to them.
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub struct Respondents {
    since: Instant,
    /// Milliseconds from `since` to the last write, plus one (0: none yet).
    last: AtomicU64,
}

impl Default for Respondents {
    fn default() -> Self {
        Respondents {
            since: Instant::now(),
            last: AtomicU64::new(0),
        }
    }
}

impl Respondents {
    /// A respondent's answers are being written now.
    pub fn wrote(&self) {
        let at = self.since.elapsed().as_millis() as u64 + 1;
        self.last.store(at, Ordering::Relaxed);
    }

    /// Whether a respondent wrote within `window`.
    pub fn active_within(&self, window: Duration) -> bool {
        let last = self.last.load(Ordering::Relaxed);
        let now = self.since.elapsed().as_millis() as u64 + 1;
        last != 0 && now.saturating_sub(last) < window.as_millis() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_only_after_a_write_and_within_the_window() {
        let r = Respondents::default();
        assert!(!r.active_within(Duration::from_secs(60)));
        r.wrote();
        assert!(r.active_within(Duration::from_secs(60)));
        std::thread::sleep(Duration::from_millis(20));
        assert!(!r.active_within(Duration::from_millis(5)));
    }
}
