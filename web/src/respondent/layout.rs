//! What every respondent page shares: its layout (the survey, the CSRF field and its cookie) and
//! the address of each step.
use axum::http::StatusCode;
use axum::response::Response;
use engine::survey::{Step, Survey};
use minijinja::{Value, context};
use serde::Serialize;

use super::visit::{Visit, csrf_for};
use crate::error::AppResult;
use crate::http::html;
use crate::state::SharedState;
use crate::templates::render;

/// What every respondent page's layout needs.
#[derive(Serialize)]
pub struct Layout {
    survey_id: String,
    survey_title: String,
    csrf: String,
}

pub fn layout(survey: &Survey, csrf: &str) -> Layout {
    Layout {
        survey_id: survey.id.clone(),
        survey_title: survey.title.clone(),
        csrf: csrf.to_string(),
    }
}

pub fn step_url(survey: &Survey, step: Step) -> String {
    match step {
        Step::Page(n) => format!("/s/{}/p/{n}", survey.id),
        Step::CheckAnswers => format!("/s/{}/check", survey.id),
        Step::Start => format!("/s/{}/who", survey.id),
    }
}

/// Renders a respondent page: `template` with the layout (and the CSRF cookie, if the browser
/// has none yet) and the page's own values in `ctx`.
pub fn respondent_page(
    state: &SharedState,
    visit: &Visit,
    survey: &Survey,
    template: &str,
    status: StatusCode,
    ctx: Value,
) -> AppResult<Response> {
    let (csrf, set) = csrf_for(state, visit);
    let body = render(
        template,
        context! { layout => layout(survey, &csrf), ..ctx },
    )?;
    Ok(html(status, body, set.as_slice()))
}
