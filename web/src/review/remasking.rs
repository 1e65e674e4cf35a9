//! While `heard serve` masks stored answers again after an upgrade, what shows answers' masked
//! words waits: [`wait`] answers those pages with a short page, 503 and `Retry-After`.
use std::sync::atomic::Ordering;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use minijinja::context;

use super::chrome::chrome;
use super::staff::Staff;
use crate::error::AppResult;
use crate::http::page;
use crate::state::{AppState, SharedState};
use crate::templates::render;

/// Seconds to wait before asking again: masking every stored answer again took about six at
/// the largest scale measured.
const RETRY_AFTER_SECONDS: &str = "10";

/// True until every stored masked copy has been made again with this build's masker: until
/// then, some may still hold what it hides.
pub fn under_way(state: &AppState) -> bool {
    state.remasking.load(Ordering::Acquire)
}

/// Waits until stored answers are masked again, for work that reads masked copies to build
/// something lasting (a themes run, a split): its theme names and terms would otherwise be made
/// from copies the older masker left.
pub async fn finished(state: &AppState) {
    while under_way(state) {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// `page` as a reply to ask for again shortly: 503, with `Retry-After`.
pub fn ask_again_soon(mut page: Response) -> Response {
    *page.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    page.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from_static(RETRY_AFTER_SECONDS),
    );
    page
}

/// Middleware for the routes that show stored answers' masked words, layered inside the access
/// guard (so only someone who may open the page learns that it waits). Privacy rule: nobody
/// reads a copy the older masker made once a newer one has started.
pub async fn wait(
    State(state): State<SharedState>,
    staff: Staff,
    req: Request,
    next: Next,
) -> Response {
    if !under_way(&state) {
        return next.run(req).await;
    }
    let here = req
        .uri()
        .path_and_query()
        .map_or(req.uri().path(), |p| p.as_str());
    match waiting_page(&state, &staff, here) {
        Ok(page) => ask_again_soon(page),
        Err(e) => e.into_response(),
    }
}

/// The page said instead, with a link to `here`, the page asked for (its filters kept).
fn waiting_page(state: &SharedState, staff: &Staff, here: &str) -> AppResult<Response> {
    let body = render(
        "review/remasking.html",
        context! { chrome => chrome(state, staff), here => here },
    )?;
    Ok(page(StatusCode::OK, body))
}
