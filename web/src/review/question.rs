//! A free-text question in the themes pages: finding it (404 unless it takes free text), its
//! address and wording, and form posts about it.
use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequestParts, Path, Request};
use engine::Survey;
use engine::survey::Question;

use super::staff::{Staff, read_staff_form};
use crate::error::{AppError, AppResult};
use crate::state::SharedState;

pub fn free_text_question<'a>(survey: &'a Survey, question: &str) -> AppResult<&'a Question> {
    survey
        .question(question)
        .filter(|q| q.kind.is_free_text())
        .ok_or(AppError::NotFound)
}

pub fn question_text(q: &Question) -> String {
    q.versions
        .first()
        .map(|v| q.text.get(v).to_string())
        .unwrap_or_default()
}

pub fn base(survey: &str, question: &str) -> String {
    format!("/admin/surveys/{survey}/themes/{question}")
}

/// A form post about one free-text question (a run, a correction): read whole with its CSRF
/// token checked, then the survey and the question named in the path found (404 if either is
/// not there). Returns the member, the form's fields, the survey and the question.
pub async fn question_form(
    state: &SharedState,
    req: Request<Body>,
) -> AppResult<(Staff, Vec<(String, String)>, Arc<Survey>, Question)> {
    let (mut parts, body) = req.into_parts();
    let Path(params) = Path::<HashMap<String, String>>::from_request_parts(&mut parts, state)
        .await
        .map_err(|r| AppError::rejected(r.status()))?;
    let (staff, fields) = read_staff_form(Request::from_parts(parts, body)).await?;
    let param = |name: &str| params.get(name).map(String::as_str).unwrap_or_default();
    let survey = state.survey(param("survey"))?;
    let question = free_text_question(&survey, param("question"))?.clone();
    Ok((staff, fields, survey, question))
}
