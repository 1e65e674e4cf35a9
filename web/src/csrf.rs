//! CSRF tokens for forms outside a workspace session (the survey's pages, the sign-in page):
//! derived from the browser's `heard_csrf` cookie and compared in constant time.
use axum::http::HeaderMap;

use crate::cookies;
use crate::state::SharedState;

/// Whether two byte strings are equal, in time that does not depend on where they differ.
pub fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn token(state: &SharedState, cookie: &str) -> String {
    let key = state.store.derive_key("csrf");
    engine::codes::hex(&engine::codes::mac(&key, &[cookie.as_bytes()]))[..32].to_string()
}

/// The hidden CSRF field for a page, from the browser's cookie, and a cookie to set if the
/// browser has none yet.
pub fn field_for(state: &SharedState, cookie: Option<&str>) -> (String, Option<String>) {
    match cookie {
        Some(c) => (token(state, c), None),
        None => {
            let c = engine::codes::new_token();
            (
                token(state, &c),
                Some(cookies::set(cookies::CSRF, &c, state.config.secure_cookies)),
            )
        }
    }
}

/// As [`field_for`], with the cookie read from the request's headers.
pub fn field_for_headers(state: &SharedState, headers: &HeaderMap) -> (String, Option<String>) {
    field_for(state, cookies::get(headers, cookies::CSRF).as_deref())
}

/// Whether a form's CSRF field matches the browser's cookie.
pub fn matches(state: &SharedState, cookie: Option<&str>, fields: &[(String, String)]) -> bool {
    let sent = crate::form::first(fields, "csrf").unwrap_or("");
    cookie.is_some_and(|c| constant_eq(sent.as_bytes(), token(state, c).as_bytes()))
}

/// As [`matches`], with the cookie read from the request's headers.
pub fn matches_headers(
    state: &SharedState,
    headers: &HeaderMap,
    fields: &[(String, String)],
) -> bool {
    matches(
        state,
        cookies::get(headers, cookies::CSRF).as_deref(),
        fields,
    )
}
