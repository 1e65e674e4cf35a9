//! The review team's workspace under `/admin`: sign-in, the dashboard, the themes explorer with
//! the analysts' corrections, the safeguarding queue and the audit log. Every route is listed in
//! [`access::ROUTES`] with the roles that may use it; [`access::guard`] enforces it before any
//! handler runs, and a route missing from the list is refused to everyone.
pub mod access;
mod account;
mod audit;
pub(crate) mod dashboard;
mod export;
mod import;
mod safeguarding;
pub mod themes;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use engine::accounts::Role;
use engine::store::User;
use serde::Serialize;

use crate::app::{SharedState, read_form};
use crate::error::{AppError, AppResult};

/// The workspace's session cookie: only sent to `/admin`.
pub const SESSION_COOKIE: &str = "heard_admin";

pub fn routes(state: SharedState) -> Router<SharedState> {
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
            get(themes::question),
        )
        .route(
            "/admin/surveys/{survey}/themes/{question}/run",
            post(themes::run),
        )
        .route(
            "/admin/surveys/{survey}/themes/{question}/runs",
            get(themes::runs),
        )
        .route(
            "/admin/surveys/{survey}/themes/{question}/runs/{run}",
            get(themes::run_status),
        )
        .route(
            "/admin/surveys/{survey}/themes/{question}/merge",
            post(themes::merge),
        )
        .route(
            "/admin/surveys/{survey}/themes/{question}/t/{theme}",
            get(themes::theme),
        )
        .route(
            "/admin/surveys/{survey}/themes/{question}/t/{theme}/rename",
            post(themes::rename),
        )
        .route(
            "/admin/surveys/{survey}/themes/{question}/t/{theme}/split",
            post(themes::split),
        )
        .route(
            "/admin/surveys/{survey}/themes/{question}/answers/{response}",
            post(themes::answer_action),
        )
        .route(
            "/admin/surveys/{survey}/import",
            get(import::form)
                .post(import::upload)
                .layer(axum::extract::DefaultBodyLimit::max(import::MAX_UPLOAD)),
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

/// The signed-in user of a request, put there by [`access::guard`].
#[derive(Clone, Debug)]
pub struct Staff {
    pub user: User,
    pub token: String,
    pub csrf: String,
}

impl Staff {
    pub fn from_request(req: &Request<Body>) -> AppResult<Staff> {
        req.extensions()
            .get::<Staff>()
            .cloned()
            .ok_or_else(|| AppError::Internal("a workspace route ran without its guard".into()))
    }

    pub fn from_parts(ext: &axum::http::Extensions) -> AppResult<Staff> {
        ext.get::<Staff>()
            .cloned()
            .ok_or_else(|| AppError::Internal("a workspace route ran without its guard".into()))
    }

    pub fn is(&self, roles: &[Role]) -> bool {
        roles.contains(&self.user.role)
    }
}

/// What every workspace page needs for its header: who is signed in, what they may open, and the
/// CSRF token for the sign-out form.
#[derive(Serialize)]
pub struct Chrome {
    pub user: String,
    pub role: &'static str,
    pub csrf: String,
    pub surveys: Vec<(String, String)>,
    pub can_themes: bool,
    pub can_import: bool,
    pub can_export: bool,
    pub can_safeguarding: bool,
    pub can_audit: bool,
}

pub fn chrome(state: &SharedState, staff: &Staff) -> Chrome {
    Chrome {
        user: staff.user.name.clone(),
        role: staff.user.role.title(),
        csrf: staff.csrf.clone(),
        surveys: state
            .surveys
            .values()
            .map(|s| (s.id.clone(), s.title.clone()))
            .collect(),
        can_themes: staff.is(access::THEMES),
        can_import: staff.is(access::IMPORT),
        can_export: staff.is(access::EXPORT),
        can_safeguarding: staff.is(access::SAFEGUARDING),
        can_audit: staff.is(access::AUDIT),
    }
}

/// A workspace form post: read whole, its CSRF token checked against the session's.
pub async fn read_staff_form(req: Request<Body>) -> AppResult<(Staff, Vec<(String, String)>)> {
    let staff = Staff::from_request(&req)?;
    let fields = read_form(req).await?;
    let sent = crate::form::first(&fields, "csrf").unwrap_or("");
    if !crate::respondent::constant_eq(sent.as_bytes(), staff.csrf.as_bytes()) {
        return Err(AppError::Forbidden(
            "That form was out of date or came from another site, so nothing was changed. Go \
             back, reload the page and try again."
                .into(),
        ));
    }
    Ok((staff, fields))
}

pub fn page(status: StatusCode, body: String) -> Response {
    (status, Html(body)).into_response()
}

pub fn see_other(to: &str) -> Response {
    crate::respondent::see_other(to)
}

pub(crate) use crate::respondent::read;

/// A store error caused by what the user asked (a theme that is not there, a move the flow does
/// not allow) is shown to them; anything else is an internal error.
pub fn user_error(e: engine::StoreError) -> AppError {
    match e {
        engine::StoreError::Database(m)
            if !m.contains("SQL") && !m.starts_with("database") && m.len() < 200 =>
        {
            AppError::BadRequest(m)
        }
        other => other.into(),
    }
}

/// Cookies of a request, for the sign-in page's CSRF token.
pub fn headers_of(req: &Request<Body>) -> HeaderMap {
    req.headers().clone()
}

/// A number from a path or form, or a clear 404.
pub fn id(s: &str) -> AppResult<i64> {
    s.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or(AppError::NotFound)
}
