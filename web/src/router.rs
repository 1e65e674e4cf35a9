//! The router: every route of the site in one place, and what every response carries (security
//! headers, compression, body and time limits).
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::compression::CompressionLayer;

use crate::assets;
use crate::error::AppError;
use crate::http::MAX_BODY;
use crate::respondent::{delete, pages, resume, start, submit};
use crate::review::{
    access, account, audit, corrections, dashboard, export, import, remasking, safeguarding,
    theme_answers, themes, themes_runs,
};
use crate::state::SharedState;

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
        .merge(respondent())
        .merge(workspace(state.clone()))
        .route("/static/{file}", get(static_asset))
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

/// The respondent's journey: start, pages, check and send, resume with a code, delete.
fn respondent() -> Router<SharedState> {
    Router::new()
        .route("/", get(start::index))
        .route("/exit", get(start::exit))
        .route("/s/{survey}", get(start::start))
        .route(
            "/s/{survey}/who",
            get(start::who).post(start::choose_version),
        )
        .route("/s/{survey}/p/{page}", get(pages::show).post(pages::post))
        .route("/s/{survey}/check", get(submit::check_answers))
        .route("/s/{survey}/submit", post(submit::submit))
        .route("/s/{survey}/done", get(submit::done))
        .route("/s/{survey}/resume", post(resume::resume))
        .route("/s/{survey}/delete", get(delete::form).post(delete::lookup))
        .route("/s/{survey}/delete/confirm", post(delete::confirm))
        .route("/s/{survey}/finish", get(submit::finish))
}

/// The review team's workspace under `/admin`, every route behind [`access::guard`]. The pages
/// that show stored answers' masked words wait while they are masked again after an upgrade
/// ([`remasking::wait`]); the safeguarding queue shows the original words, so never waits.
fn workspace(state: SharedState) -> Router<SharedState> {
    let shows_answers = middleware::from_fn_with_state(state.clone(), remasking::wait);
    Router::new()
        .route("/admin", get(account::home))
        .route(
            "/admin/signin",
            get(account::signin_form).post(account::signin),
        )
        .route("/admin/signout", post(account::signout))
        .route("/admin/audit", get(audit::log))
        .route("/admin/surveys/{survey}", get(dashboard::show))
        .route("/admin/surveys/{survey}/themes", get(themes::questions))
        .route(
            "/admin/surveys/{survey}/themes/{question}",
            get(themes::question).route_layer(shows_answers.clone()),
        )
        .route(
            "/admin/surveys/{survey}/themes/{question}/run",
            post(themes_runs::run),
        )
        .route(
            "/admin/surveys/{survey}/themes/{question}/runs",
            get(themes_runs::runs),
        )
        .route(
            "/admin/surveys/{survey}/themes/{question}/runs/{run}",
            get(themes_runs::run_status),
        )
        .route(
            "/admin/surveys/{survey}/themes/{question}/merge",
            post(corrections::merge),
        )
        .route(
            "/admin/surveys/{survey}/themes/{question}/t/{theme}",
            get(theme_answers::theme).route_layer(shows_answers),
        )
        .route(
            "/admin/surveys/{survey}/themes/{question}/t/{theme}/rename",
            post(corrections::rename),
        )
        .route(
            "/admin/surveys/{survey}/themes/{question}/t/{theme}/split",
            post(corrections::split),
        )
        .route(
            "/admin/surveys/{survey}/themes/{question}/answers/{response}",
            post(corrections::answer_action),
        )
        .route(
            "/admin/surveys/{survey}/import",
            get(import::form)
                .post(import::upload)
                .layer(DefaultBodyLimit::max(import::MAX_UPLOAD)),
        )
        .route(
            "/admin/surveys/{survey}/export",
            get(export::form).post(export::download),
        )
        .route("/admin/safeguarding", get(safeguarding::queue))
        .route(
            "/admin/safeguarding/{flag}",
            get(safeguarding::show).post(safeguarding::decide),
        )
        .route_layer(middleware::from_fn_with_state(state, access::guard))
}

/// A stylesheet or script by its content-hashed name, cached for a year.
async fn static_asset(Path(file): Path<String>) -> Response {
    for a in [&*assets::CSS, &*assets::JS] {
        if a.url.strip_prefix("/static/") == Some(file.as_str()) {
            return (
                [
                    (header::CONTENT_TYPE, a.content_type),
                    (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
                ],
                a.body,
            )
                .into_response();
        }
    }
    // The same page as any other address that is not there (and never a file read from disk).
    AppError::NotFound.into_response()
}
