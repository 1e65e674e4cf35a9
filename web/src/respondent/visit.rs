//! What a browser brings to the survey: its cookies ([`Visit`]), the CSRF field checked against
//! them, and its draft (found, open, or where to send it instead).
use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::Response;
use engine::store::{Draft, DraftStatus};
use engine::survey::{Answers, Survey, SurveyStatus};

use super::view::long_date;
use crate::cookies;
use crate::error::{AppError, AppResult};
use crate::http::{read_form, see_other};
use crate::state::{SharedState, keyed};

/// What the browser's cookies say: its CSRF token and draft token, if it has them.
pub struct Visit {
    pub csrf_cookie: Option<String>,
    pub draft_token: Option<String>,
}

impl Visit {
    pub fn from(headers: &HeaderMap) -> Visit {
        Visit {
            csrf_cookie: cookies::get(headers, cookies::CSRF),
            draft_token: cookies::get(headers, cookies::DRAFT),
        }
    }
}

/// The hidden CSRF field for a page, and a cookie to set if the browser has none yet.
pub fn csrf_for(state: &SharedState, visit: &Visit) -> (String, Option<String>) {
    crate::csrf::field_for(state, visit.csrf_cookie.as_deref())
}

/// Refuses a post whose CSRF field does not match the browser's cookie.
pub fn check_csrf(
    state: &SharedState,
    visit: &Visit,
    fields: &[(String, String)],
) -> AppResult<()> {
    if crate::csrf::matches(state, visit.csrf_cookie.as_deref(), fields) {
        return Ok(());
    }
    Err(AppError::Forbidden(
        "We could not match that form to this browser, so nothing was saved. This happens if \
         cookies are blocked or were cleared. Go back to the start and try again. If you \
         saved your answers, use your code to carry on."
            .into(),
    ))
}

/// The browser's draft for this survey, if it has one.
pub fn current_draft(
    state: &SharedState,
    visit: &Visit,
    survey: &Survey,
) -> AppResult<Option<Draft>> {
    let Some(token) = visit.draft_token.clone() else {
        return Ok(None);
    };
    let draft = keyed(state, move |s| s.draft_for_token(&token))?;
    Ok(draft.filter(|d| d.survey_id == survey.id))
}

/// The browser's draft for this survey with its answers (none unless it is open), in one read.
pub fn current_draft_with_answers(
    state: &SharedState,
    visit: &Visit,
    survey: &Survey,
) -> AppResult<Option<(Draft, Answers)>> {
    let Some(token) = visit.draft_token.clone() else {
        return Ok(None);
    };
    let found = keyed(state, move |s| s.draft_with_answers(&token))?;
    Ok(found.filter(|(d, _)| d.survey_id == survey.id))
}

/// The open draft, or where to send a browser that has none.
pub fn open_draft(
    state: &SharedState,
    visit: &Visit,
    survey: &Survey,
) -> AppResult<Result<(Draft, Answers), Response>> {
    match current_draft_with_answers(state, visit, survey)? {
        None => Ok(Err(see_other(&format!("/s/{}", survey.id)))),
        Some((d, _)) if d.status == DraftStatus::Submitted => {
            Ok(Err(see_other(&format!("/s/{}/done", survey.id))))
        }
        Some((d, _)) if d.status == DraftStatus::Deleted => {
            Ok(Err(see_other(&format!("/s/{}", survey.id))))
        }
        Some((d, _)) if survey.version(&d.version_id).is_none() => {
            Ok(Err(see_other(&format!("/s/{}/who", survey.id))))
        }
        Some(found) => Ok(Ok(found)),
    }
}

/// Refuses anything but reading the start page when the survey is not open.
pub fn require_open(state: &SharedState, survey: &Survey) -> AppResult<()> {
    match survey.status_on(state.today()) {
        SurveyStatus::Open => Ok(()),
        SurveyStatus::Closed => Err(AppError::Gone {
            title: "This survey has closed".into(),
            message: format!(
                "It closed on {}. Thank you for wanting to take part.",
                long_date(survey.closes)
            ),
        }),
        SurveyStatus::NotYetOpen => Err(AppError::Gone {
            title: "This survey is not open yet".into(),
            message: format!("It opens on {}.", long_date(survey.opens)),
        }),
    }
}

/// A request about a survey that is open: the survey named in the path (404 if there is none,
/// 410 when it is closed or not yet open) and what the browser brings.
pub struct OpenSurvey {
    pub survey: Arc<Survey>,
    pub visit: Visit,
}

impl FromRequestParts<SharedState> for OpenSurvey {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &SharedState) -> AppResult<Self> {
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|r| AppError::rejected(r.status()))?;
        let survey = state.survey(params.get("survey").ok_or(AppError::NotFound)?)?;
        require_open(state, &survey)?;
        Ok(OpenSurvey {
            survey,
            visit: Visit::from(&parts.headers),
        })
    }
}

/// A form post to an open survey: read whole, and refused unless its CSRF field matches the
/// browser's cookie.
pub struct SurveyPost {
    pub survey: Arc<Survey>,
    pub visit: Visit,
    pub fields: Vec<(String, String)>,
}

impl FromRequest<SharedState> for SurveyPost {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &SharedState) -> AppResult<Self> {
        let (mut parts, body) = req.into_parts();
        let OpenSurvey { survey, visit } =
            OpenSurvey::from_request_parts(&mut parts, state).await?;
        let fields = read_form(Request::from_parts(parts, body)).await?;
        check_csrf(state, &visit, &fields)?;
        Ok(SurveyPost {
            survey,
            visit,
            fields,
        })
    }
}
