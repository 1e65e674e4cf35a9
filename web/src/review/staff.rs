//! Who is asking in the workspace: the signed-in member ([`Staff`], put on the request by
//! [`super::access::guard`]), the [`Workspace`] extractor that gives a handler its member and
//! survey, and workspace form posts read with their CSRF token checked.
use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequestParts, Path, Request};
use axum::http::request::Parts;
use engine::Survey;
use engine::accounts::Role;
use engine::store::User;

use crate::error::{AppError, AppResult};
use crate::http::read_form;
use crate::state::SharedState;

/// The workspace's session cookie: only sent to `/admin`.
pub const SESSION_COOKIE: &str = "heard_admin";

/// The signed-in user of a request, put there by [`super::access::guard`].
#[derive(Clone, Debug)]
pub struct Staff {
    pub user: User,
    pub token: String,
    pub csrf: String,
}

impl Staff {
    pub fn from_request(req: &Request<Body>) -> AppResult<Staff> {
        Staff::from_parts(req.extensions())
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

impl FromRequestParts<SharedState> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &SharedState) -> AppResult<Self> {
        Staff::from_parts(&parts.extensions)
    }
}

/// What a workspace page about one survey starts from: the signed-in member (the guard has
/// already refused anyone [`super::access::ROUTES`] does not allow) and the survey named in the
/// path, or a 404.
pub struct Workspace {
    pub staff: Staff,
    pub survey: Arc<Survey>,
}

impl FromRequestParts<SharedState> for Workspace {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &SharedState) -> AppResult<Self> {
        let staff = Staff::from_parts(&parts.extensions)?;
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|r| AppError::rejected(r.status()))?;
        let survey = state.survey(params.get("survey").ok_or(AppError::NotFound)?)?;
        Ok(Workspace { staff, survey })
    }
}

/// A workspace form post: read whole, its CSRF token checked against the session's.
pub async fn read_staff_form(req: Request<Body>) -> AppResult<(Staff, Vec<(String, String)>)> {
    let staff = Staff::from_request(&req)?;
    let fields = read_form(req).await?;
    let sent = crate::form::first(&fields, "csrf").unwrap_or("");
    if !crate::csrf::constant_eq(sent.as_bytes(), staff.csrf.as_bytes()) {
        return Err(AppError::Forbidden(
            "That form was out of date or came from another site, so nothing was changed. Go \
             back, reload the page and try again."
                .into(),
        ));
    }
    Ok((staff, fields))
}

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

/// A number from a path or form, or a clear 404.
pub fn id(s: &str) -> AppResult<i64> {
    s.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or(AppError::NotFound)
}
