//! The audit log page, for administrators: who did what and when, newest first.
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;

use super::chrome::chrome;
use super::staff::Staff;
use crate::error::AppResult;
use crate::http::page;
use crate::state::{SharedState, read};
use crate::templates::render;

const PER_PAGE: i64 = 100;

#[derive(Deserialize)]
pub struct Paging {
    page: Option<String>,
}

pub async fn log(
    State(state): State<SharedState>,
    Query(q): Query<Paging>,
    staff: Staff,
) -> AppResult<Response> {
    let asked = q
        .page
        .and_then(|p| p.parse::<i64>().ok())
        .filter(|p| (1..=1_000_000).contains(p))
        .unwrap_or(1);
    let (mut entries, total) = read(&state, move |s| {
        s.audit_log(PER_PAGE, (asked - 1) * PER_PAGE)
    })
    .await?;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    // Past the last page (an edited address): show the last page, not an empty one.
    let page_no = asked.min(pages);
    if page_no != asked {
        entries = read(&state, move |s| {
            s.audit_log(PER_PAGE, (page_no - 1) * PER_PAGE)
        })
        .await?
        .0;
    }
    let body = render(
        "review/audit.html",
        context! {
            chrome => chrome(&state, &staff),
            entries => entries,
            total => total,
            page => page_no,
            pages => pages,
        },
    )?;
    Ok(page(StatusCode::OK, body))
}
