//! Signing in and out, and the workspace's home page. Failed sign-ins are slowed (each wait
//! longer than the last) and then lock the account for a while; an unknown name takes as long to
//! refuse as a wrong password.
use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;

use super::chrome::chrome;
use super::staff::{SESSION_COOKIE, Staff, read_staff_form};
use crate::error::{AppError, AppResult};
use crate::http::{page, read_form, see_other};
use crate::state::{SharedState, client_ip, read};
use crate::templates::render;

#[derive(Deserialize, Default)]
pub struct Next {
    next: Option<String>,
}

/// Only a workspace path may be where sign-in leads: never another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with("/admin")
                && !n.starts_with("/admin/signin")
                && !n.contains("//")
                && !n.contains('\\')
                && n.chars().all(|c| !c.is_control()) =>
        {
            n.to_string()
        }
        _ => "/admin".to_string(),
    }
}

pub async fn signin_form(
    State(state): State<SharedState>,
    Query(q): Query<Next>,
    headers: HeaderMap,
) -> AppResult<Response> {
    render_signin(
        &state,
        &headers,
        q.next.as_deref(),
        "",
        None,
        StatusCode::OK,
    )
}

fn render_signin(
    state: &SharedState,
    headers: &HeaderMap,
    next: Option<&str>,
    name: &str,
    error: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let (csrf, set) = crate::csrf::field_for_headers(state, headers);
    let body = render(
        "review/signin.html",
        context! { csrf => csrf, next => safe_next(next), name => name, error => error },
    )?;
    let mut resp = page(status, body);
    if let Some(c) = set {
        crate::http::append_cookie(&mut resp, &c);
    }
    Ok(resp)
}

pub async fn signin(
    State(state): State<SharedState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    req: Request<Body>,
) -> AppResult<Response> {
    let headers = req.headers().clone();
    let fields = read_form(req).await?;
    if !crate::csrf::matches_headers(&state, &headers, &fields) {
        return Err(AppError::Forbidden(
            "That sign-in form was out of date, so nothing was done. Reload the page and sign in \
             again. If this keeps happening, check that cookies are allowed for this site."
                .into(),
        ));
    }
    let name = crate::form::first(&fields, "name")
        .unwrap_or("")
        .trim()
        .to_string();
    let password = crate::form::first(&fields, "password")
        .unwrap_or("")
        .to_string();
    let next = crate::form::first(&fields, "next").map(str::to_owned);
    if !state.signin_limiter.allow(client_ip(Some(&addr))) {
        return Err(AppError::TooManyRequests);
    }
    let wrong = || {
        render_signin(
            &state,
            &headers,
            next.as_deref(),
            &name,
            Some("The name or password is not right. Check them and try again.".into()),
            StatusCode::UNAUTHORIZED,
        )
    };
    if name.is_empty() || password.is_empty() || name.len() > 64 || password.len() > 1024 {
        return wrong();
    }
    let lookup = name.clone();
    let record = read(&state, move |s| s.signin_record(&lookup)).await?;
    let hash = record
        .as_ref()
        .map(|r| r.password_hash.clone())
        .unwrap_or_else(|| engine::accounts::decoy_hash().to_string());
    let pw = password.clone();
    let matches =
        tokio::task::spawn_blocking(move || engine::accounts::verify_password(&pw, &hash)).await?;
    let Some(record) = record else {
        tokio::time::sleep(Duration::from_millis(250)).await;
        return wrong();
    };
    let now = engine::store::review::now_unix();
    if record.locked_until > now {
        let until = chrono::DateTime::from_timestamp(record.locked_until, 0)
            .map(|t| t.format("%H:%M UTC").to_string())
            .unwrap_or_default();
        return render_signin(
            &state,
            &headers,
            next.as_deref(),
            &name,
            Some(format!(
                "This account is locked after too many failed sign-ins. Try again after {until}, \
                 or ask an administrator."
            )),
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    if !matches || record.user.disabled {
        let failures = state
            .store
            .record_failed_signin(record.user.id, state.config.signin_lock)
            .await?;
        // Each failure waits longer than the last: guessing is slow long before the lock.
        let wait = 250u64 << failures.clamp(0, 4);
        tokio::time::sleep(Duration::from_millis(wait)).await;
        return wrong();
    }
    let token = state.store.start_session(record.user.id).await?;
    let mut resp = see_other(&safe_next(next.as_deref()));
    crate::http::append_cookie(
        &mut resp,
        &format!(
            "{SESSION_COOKIE}={token}; Path=/admin; HttpOnly; SameSite=Strict{}",
            if state.config.secure_cookies {
                "; Secure"
            } else {
                ""
            }
        ),
    );
    Ok(resp)
}

pub async fn signout(State(state): State<SharedState>, req: Request<Body>) -> AppResult<Response> {
    let (staff, _) = read_staff_form(req).await?;
    state
        .store
        .end_session(&staff.token, &staff.user.name)
        .await?;
    let mut resp = see_other("/admin/signin");
    crate::http::append_cookie(
        &mut resp,
        &format!("{SESSION_COOKIE}=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    Ok(resp)
}

pub async fn home(State(state): State<SharedState>, staff: Staff) -> AppResult<Response> {
    let counts = read(&state, |s| s.flag_counts()).await?;
    let waiting = counts
        .iter()
        .find(|(s, _)| s == "new")
        .map_or(0, |(_, n)| *n);
    let surveys: Vec<_> = state
        .surveys
        .values()
        .map(|s| context! { id => s.id, title => s.title, opens => s.opens.to_string(), closes => s.closes.to_string() })
        .collect();
    let body = render(
        "review/home.html",
        context! {
            chrome => chrome(&state, &staff),
            surveys => surveys,
            waiting => waiting,
            role => staff.user.role.as_str(),
        },
    )?;
    Ok(page(StatusCode::OK, body))
}
