//! Reading and setting the two cookies a respondent's browser holds: the draft token and the
//! CSRF token. Both HttpOnly and SameSite=Strict; `Secure` when Heard is told it is behind TLS.
use axum::http::HeaderMap;

pub const DRAFT: &str = "heard_draft";
pub const CSRF: &str = "heard_csrf";

/// The value of cookie `name`, if the request has it and it looks like one of ours.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A `Set-Cookie` value for a session cookie (gone when the browser closes).
pub fn set(name: &str, value: &str, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear(name: &str) -> String {
    format!("{name}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
}
