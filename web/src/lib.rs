//! The Heard web app and the commands of the `heard` binary: modules, and [`serve`], HTTP/1.1
//! over hyper with the time limits a public server needs.
pub mod assets;
pub mod busy;
pub mod commands;
pub mod cookies;
pub mod csrf;
pub mod error;
pub mod form;
pub mod http;
pub mod jobs;
pub mod respondent;
pub mod review;
pub mod router;
pub mod state;
pub mod templates;

use std::future::Future;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request};
use tower::ServiceExt;

pub use router::router;
pub use state::{AppState, Clock, Config, SharedState};

/// Serves the app on `listener` until `shutdown` completes, then lets requests in flight finish
/// (for at most [`SHUTDOWN_GRACE`]).
///
/// HTTP/1.1 over hyper directly rather than `axum::serve`, for the time limits a public server
/// needs against slow clients (slowloris): a request's headers must arrive within
/// `Config::header_read_timeout` of the connection opening, or of the last response on a kept-alive
/// connection, so an idle or trickling connection is closed; a request's body and handling are
/// bounded by the router's 30-second `TimeoutLayer`. Handlers get the client's address as
/// `ConnectInfo<std::net::SocketAddr>`, as with `into_make_service_with_connect_info`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: SharedState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};

    let header_read_timeout = state.config.header_read_timeout;
    let weighing = tokio::spawn(weigh_in_background(state.clone()));
    let app = router(state);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout)
        // Request line and headers together: far above any browser's, refused (431) past it.
        .max_header_size(MAX_HEADER_BYTES)
        .keep_alive(true);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(x) => x,
                Err(e) => {
                    // Out of file descriptors, say: wait rather than spin, and go on.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut req: Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(ConnectInfo(remote));
            app.clone().oneshot(req)
        });
        let conn = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A client that hangs up or times out is not an error of ours.
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection ended");
            }
        });
    }
    drop(listener);
    weighing.abort();
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still running after the shutdown grace period were cut off");
    }
    Ok(())
}

/// The learned screening layer reads the answers submitted without it, for as long as the server
/// runs, on one thread. While respondents are writing it rests three times as long as each batch
/// took (a quarter of a core: reading a large import beside a busy survey doubled its slowest
/// submissions). When they are not, it catches up: with two cores or more it reads without
/// resting, one core's worth, the other left for the pages people open (resting as long as
/// each batch took, half a core, left a backlog waiting twice as long for a person); with one
/// core it rests as long as each batch took. When there is nothing to read, it looks every half
/// second. An answer it has not read is marked so in the database, so a restart picks up where
/// it stopped.
async fn weigh_in_background(state: SharedState) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    loop {
        let started = tokio::time::Instant::now();
        match intake::protect::weigh_pending(&state.store, &state.protector).await {
            Ok(0) => tokio::time::sleep(Duration::from_millis(500)).await,
            Ok(_) => {
                let took = started.elapsed();
                let busy = state.respondents.active_within(Duration::from_secs(2));
                let rest = match (busy, cores) {
                    (true, _) => took * 3,
                    (false, 1) => took,
                    (false, _) => Duration::ZERO,
                };
                tokio::time::sleep(rest).await
            }
            Err(e) => {
                tracing::warn!(error = %e, "the learned screening layer could not read answers; trying again");
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
        }
    }
}

/// The most a request's line and headers may take, in bytes.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;

/// How long a shutdown waits for requests in flight.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
