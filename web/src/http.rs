//! What handlers share to read a request and reply: a form post read whole and strictly, a page
//! with the cookies it sets, a redirect.
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::error::{AppError, AppResult};

/// Largest request body: a page of long answers at the longest limit, percent-encoded, fits.
pub const MAX_BODY: usize = 256 * 1024;

/// Reads a form post's body: refuses what is not a form, is too large, or does not decode.
pub async fn read_form(req: Request<Body>) -> AppResult<Vec<(String, String)>> {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';').next().is_some_and(|t| {
                t.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        });
    if !is_form {
        return Err(AppError::UnsupportedMediaType);
    }
    // A body announced as too large is refused at once, not after waiting for it.
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(AppError::TooLarge);
    }
    let bytes = axum::body::to_bytes(req.into_body(), MAX_BODY)
        .await
        .map_err(|_| AppError::TooLarge)?;
    crate::form::decode(&bytes).map_err(|e| AppError::BadRequest(capitalise(&e.to_string())))
}

pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A page, with the cookies it sets.
pub fn html(status: StatusCode, body: String, set_cookies: &[String]) -> Response {
    with_cookies((status, Html(body)).into_response(), set_cookies)
}

/// The status of a form page: 422 when it is shown again with a mistake, so nothing mistakes it
/// for success; 200 otherwise.
pub fn form_status(has_error: bool) -> StatusCode {
    if has_error {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    }
}

/// A page that sets no cookie.
pub fn page(status: StatusCode, body: String) -> Response {
    (status, Html(body)).into_response()
}

pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

pub fn with_cookies(mut resp: Response, set_cookies: &[String]) -> Response {
    for c in set_cookies {
        append_cookie(&mut resp, c);
    }
    resp
}

pub fn append_cookie(resp: &mut Response, cookie: &str) {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}
