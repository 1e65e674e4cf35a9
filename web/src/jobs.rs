//! Themes runs in progress, held in memory: which run is working on which question, and where
//! each has got to, for the progress page.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Runs in progress, in memory: where each has got to, for the progress page.
#[derive(Default)]
pub struct Jobs {
    pub running: Mutex<HashMap<i64, Job>>,
}

#[derive(Clone)]
pub struct Job {
    pub survey: String,
    pub question: String,
    pub progress: Arc<Mutex<String>>,
}

impl Jobs {
    pub fn running_for(&self, survey: &str, question: &str) -> Option<i64> {
        self.running.lock().ok().and_then(|m| {
            m.iter()
                .find(|(_, j)| j.survey == survey && j.question == question)
                .map(|(id, _)| *id)
        })
    }

    pub fn progress(&self, run: i64) -> Option<String> {
        let m = self.running.lock().ok()?;
        let j = m.get(&run)?;
        j.progress.lock().ok().map(|p| p.clone())
    }
}
