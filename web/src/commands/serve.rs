//! `heard serve`: loads the surveys, opens the database and serves the app.
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;
use clap::Args;

use crate::state::{AppState, Clock, Config};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Survey files, or folders of them.
    #[arg(default_value = "surveys")]
    pub surveys: Vec<PathBuf>,
    /// The SQLite database file (created if missing).
    #[arg(long, env = "HEARD_DB", default_value = "heard.db")]
    pub db: PathBuf,
    /// Address and port to listen on.
    #[arg(long, env = "HEARD_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// Mark cookies Secure: use when Heard is reached over HTTPS.
    #[arg(long, env = "HEARD_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// More safeguarding indicator phrases, in the format of the built-in file
    /// (safeguard/indicators.toml), used as well as the built-in ones.
    #[arg(long, env = "HEARD_INDICATORS")]
    pub indicators: Option<PathBuf>,
}

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let surveys = super::check::load_all(&args.surveys)?;
    let store = engine::Store::open(&args.db)
        .with_context(|| format!("opening the database {}", args.db.display()))?;
    let config = Config {
        secure_cookies: args.secure_cookies,
        ..Config::default()
    };
    let protector = super::screen::protector(args.indicators.as_deref())?;
    let users = store
        .users()
        .context("reading the review team's accounts")?;
    if !users
        .iter()
        .any(|u| u.role == engine::accounts::Role::Safeguarding && !u.disabled)
    {
        eprintln!(
            "warning: no one has the safeguarding role, so possible disclosures have no one to \
             read them. Add the safeguarding lead: heard user add NAME --role safeguarding"
        );
    }
    let state = AppState::with_protector(surveys, store.clone(), Clock::System, config, protector);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let state = state;
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| {
                format!(
                    "listening on {} (is another server using it? try --addr 127.0.0.1:3001)",
                    args.addr
                )
            })?;
        let addr = listener.local_addr()?;
        tokio::spawn(purge_stale_drafts(state.clone()));
        for s in state.surveys.values() {
            crate::review::counts::keep_breakdown_counts(&state, s)
                .await
                .with_context(|| format!("counting the breakdowns of {}", s.id))?;
        }
        let interrupted = state.store.fail_interrupted_runs().await?;
        if interrupted > 0 {
            tracing::warn!(
                runs = interrupted,
                "themes runs cut off by the last stop were marked failed"
            );
        }
        let masked = intake::protect::backfill_masks(&state.store, &state.protector).await?;
        if masked > 0 {
            tracing::info!(
                answers = masked,
                "masked answers stored before masking existed"
            );
        }
        // In the background, as the pages are served: at Big Ask size it takes seconds, once
        // per masker version, and the workspace's redactions are safe beside it.
        state.remasking.store(true, Ordering::Release);
        tokio::spawn(remask_stored(state.store.clone(), state.remasking.clone()));
        // Said once the start-up work the pages wait for is done: until then connections wait
        // in the listener's queue.
        eprintln!(
            "Heard is serving {} survey(s) on http://{addr} with the database {}",
            state.surveys.len(),
            args.db.display()
        );
        for s in state.surveys.values() {
            eprintln!("  http://{addr}/s/{}  {}", s.id, s.title);
        }
        crate::serve(listener, state, shutdown_signal())
            .await
            .context("serving")
    })?;
    store.close();
    Ok(())
}

/// Masks stored answers' masked copies again if an earlier masker made them, then lets
/// downloads and the pages that show masked answers go on (`remasking`).
async fn remask_stored(store: engine::Store, remasking: Arc<AtomicBool>) {
    let result = intake::protect::remask_stored(&store).await;
    remasking.store(false, Ordering::Release);
    match result {
        Ok(0) => {}
        Ok(remasked) => tracing::info!(
            answers = remasked,
            version = safeguard::personal::MASKER_VERSION,
            "masked stored answers again: this masker finds more than the one that stored them"
        ),
        Err(e) => tracing::error!(
            error = %e,
            "masking stored answers again failed: it is tried again at the next start"
        ),
    }
}

/// Deletes drafts nobody has touched for `Config::draft_days`, at start and then daily: a draft
/// that will never be sent is personal data with no purpose.
async fn purge_stale_drafts(state: crate::SharedState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(24 * 60 * 60));
    loop {
        tick.tick().await;
        let cutoff = state.today() - chrono::Duration::days(state.config.draft_days);
        match state.store.purge_stale_drafts(cutoff).await {
            Ok(n) if n > 0 => tracing::info!(drafts = n, "deleted stale drafts"),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "could not delete stale drafts"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
