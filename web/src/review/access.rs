//! Who may open what in the workspace. [`ROUTES`] lists every workspace route with the roles it
//! allows; [`guard`] runs before every handler, finds the signed-in user and refuses anyone whose
//! role is not listed. A route that is not in the list is refused to everyone, so a new page is
//! closed until someone decides who may see it.
use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use engine::accounts::Role;

use super::staff::{SESSION_COOKIE, Staff};
use crate::error::AppError;
use crate::state::SharedState;

pub const EVERYONE: &[Role] = &[
    Role::Admin,
    Role::Analyst,
    Role::Safeguarding,
    Role::Commissioner,
];
/// The dashboard's counts: no answer's words.
pub const DASHBOARD: &[Role] = EVERYONE;
/// Masked answers and the corrections to themes.
pub const THEMES: &[Role] = &[Role::Admin, Role::Analyst];
/// Bringing in answers gathered on other channels.
pub const IMPORT: &[Role] = &[Role::Admin, Role::Analyst];
/// Summaries and masked responses, for publishing.
pub const EXPORT: &[Role] = &[Role::Admin, Role::Analyst, Role::Commissioner];
/// The original words of possible disclosures: the safeguarding lead only.
pub const SAFEGUARDING: &[Role] = &[Role::Safeguarding];
pub const AUDIT: &[Role] = &[Role::Admin];

pub struct Access {
    pub method: &'static str,
    pub path: &'static str,
    /// `None`: open without signing in (the sign-in page itself).
    pub roles: Option<&'static [Role]>,
}

const fn r(method: &'static str, path: &'static str, roles: &'static [Role]) -> Access {
    Access {
        method,
        path,
        roles: Some(roles),
    }
}

pub const ROUTES: &[Access] = &[
    r("GET", "/admin", EVERYONE),
    Access {
        method: "GET",
        path: "/admin/signin",
        roles: None,
    },
    Access {
        method: "POST",
        path: "/admin/signin",
        roles: None,
    },
    r("POST", "/admin/signout", EVERYONE),
    r("GET", "/admin/audit", AUDIT),
    r("GET", "/admin/surveys/{survey}", DASHBOARD),
    r("GET", "/admin/surveys/{survey}/themes", THEMES),
    r("GET", "/admin/surveys/{survey}/themes/{question}", THEMES),
    r(
        "POST",
        "/admin/surveys/{survey}/themes/{question}/run",
        THEMES,
    ),
    r(
        "GET",
        "/admin/surveys/{survey}/themes/{question}/runs",
        THEMES,
    ),
    r(
        "GET",
        "/admin/surveys/{survey}/themes/{question}/runs/{run}",
        THEMES,
    ),
    r(
        "POST",
        "/admin/surveys/{survey}/themes/{question}/merge",
        THEMES,
    ),
    r(
        "GET",
        "/admin/surveys/{survey}/themes/{question}/t/{theme}",
        THEMES,
    ),
    r(
        "POST",
        "/admin/surveys/{survey}/themes/{question}/t/{theme}/rename",
        THEMES,
    ),
    r(
        "POST",
        "/admin/surveys/{survey}/themes/{question}/t/{theme}/split",
        THEMES,
    ),
    r(
        "POST",
        "/admin/surveys/{survey}/themes/{question}/answers/{response}",
        THEMES,
    ),
    r("GET", "/admin/surveys/{survey}/import", IMPORT),
    r("POST", "/admin/surveys/{survey}/import", IMPORT),
    r("GET", "/admin/surveys/{survey}/export", EXPORT),
    r("POST", "/admin/surveys/{survey}/export", EXPORT),
    r("GET", "/admin/safeguarding", SAFEGUARDING),
    r("GET", "/admin/safeguarding/{flag}", SAFEGUARDING),
    r("POST", "/admin/safeguarding/{flag}", SAFEGUARDING),
];

/// The access rule for a matched route, if it has one. HEAD is answered like GET.
pub fn rule(method: &Method, path: &str) -> Option<&'static Access> {
    let m = if method == Method::HEAD {
        "GET"
    } else {
        method.as_str()
    };
    ROUTES.iter().find(|a| a.method == m && a.path == path)
}

/// Seconds a session lasts without use, and at most.
pub const SESSION_IDLE: i64 = 2 * 60 * 60;
pub const SESSION_MAX: i64 = 12 * 60 * 60;

pub async fn guard(
    State(state): State<SharedState>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let Some(access) = rule(req.method(), &path) else {
        tracing::error!(route = %path, "a workspace route has no access rule; refused");
        return AppError::Forbidden("This page is not open to anyone yet.".into()).into_response();
    };
    let Some(roles) = access.roles else {
        return next.run(req).await;
    };
    let token = crate::cookies::get(req.headers(), SESSION_COOKIE);
    let found = match token.clone() {
        Some(t) => {
            let store = state.store.clone();
            tokio::task::spawn_blocking(move || store.session_user(&t, SESSION_IDLE, SESSION_MAX))
                .await
                .map_err(AppError::from)
                .and_then(|r| r.map_err(AppError::from))
        }
        None => Ok(None),
    };
    let (user, last_seen) = match found {
        Ok(Some(found)) => found,
        Ok(None) => return to_signin(&req),
        Err(e) => return e.into_response(),
    };
    if !roles.contains(&user.role) {
        return AppError::NotYourRole(user.role.title().to_string()).into_response();
    }
    let token = token.unwrap_or_default();
    if engine::store::review::now_unix() - last_seen > 60
        && let Err(e) = state.store.touch_session(&token).await
    {
        return AppError::from(e).into_response();
    }
    let csrf = csrf_for_session(&state, &token);
    req.extensions_mut().insert(Staff { user, token, csrf });
    next.run(req).await
}

/// Signed out (or never signed in): to the sign-in page, which brings them back here after.
fn to_signin(req: &Request<Body>) -> Response {
    let back = if req.method() == Method::GET {
        req.uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default()
    } else {
        String::new()
    };
    let to = if back.is_empty() {
        "/admin/signin".to_string()
    } else {
        format!(
            "/admin/signin?next={}",
            percent_encoding::utf8_percent_encode(&back, percent_encoding::NON_ALPHANUMERIC)
        )
    };
    let mut resp = crate::http::see_other(&to);
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

pub fn csrf_for_session(state: &SharedState, token: &str) -> String {
    let key = state.store.derive_key("admin-csrf");
    engine::codes::hex(&engine::codes::mac(&key, &[token.as_bytes()]))[..32].to_string()
}
