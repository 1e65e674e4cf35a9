//! The Heard web app and the commands of the `heard` binary.
pub mod app;
pub mod assets;
pub mod commands;
pub mod cookies;
pub mod error;
pub mod form;
pub mod respondent;
pub mod templates;

use std::future::Future;
use std::net::SocketAddr;

pub use app::{AppState, Clock, Config, SharedState, router};

/// Serves the app on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: SharedState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
