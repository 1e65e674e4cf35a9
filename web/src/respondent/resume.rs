//! Resuming a draft with the code it was saved under, and the common start of every post that
//! tries a code (open survey, CSRF, a limit on tries).
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequest, Request, State};
use axum::response::Response;
use engine::store::ResumeOutcome;
use engine::survey::Survey;

use super::layout::step_url;
use super::start::{CodeForm, render_start};
use super::visit::{SurveyPost, Visit};
use crate::cookies;
use crate::error::{AppError, AppResult};
use crate::form;
use crate::http::{see_other, with_cookies};
use crate::state::{SharedState, client_ip, keyed};

/// A post that tries a resume or reference code: the survey must be open, the CSRF token right
/// and the client within its allowance of tries (codes cannot be guessed by brute force). Holds
/// the survey, the browser's visit and the code as typed.
pub struct CodePost(pub Arc<Survey>, pub Visit, pub String);

impl FromRequest<SharedState> for CodePost {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &SharedState) -> AppResult<Self> {
        let addr = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        let SurveyPost {
            survey,
            visit,
            fields,
        } = SurveyPost::from_request(req, state).await?;
        if !state.code_limiter.allow(client_ip(addr.as_ref())) {
            return Err(AppError::TooManyRequests);
        }
        let code = form::first(&fields, "code")
            .unwrap_or("")
            .trim()
            .to_string();
        Ok(CodePost(survey, visit, code))
    }
}

pub async fn resume(
    State(state): State<SharedState>,
    CodePost(survey, visit, code): CodePost,
) -> AppResult<Response> {
    let fail = |msg: &str| CodeForm::refused(&code, msg);
    if code.is_empty() {
        let f = fail("Enter your code");
        return render_start(&state, &survey, &visit, f).await;
    }
    if engine::codes::normalise_code(&code).is_none() {
        let f = fail(
            "Your code has 16 letters and numbers, like 7K3M-QX9D-RWTH-B2FA. Check it and try again",
        );
        return render_start(&state, &survey, &visit, f).await;
    }
    let token = engine::codes::new_token();
    let outcome = state
        .store
        .resume(&survey.id, &code, &token, state.today())
        .await?;
    let message = match outcome {
        ResumeOutcome::Resumed(draft) => {
            let id = draft.id;
            let answers = keyed(&state, move |s| s.draft_answers(id))?;
            let step = survey.next_step(
                &draft.version_id,
                draft.furthest_page.max(0) as usize,
                &answers,
            );
            let to = if draft.furthest_page == 0 {
                step_url(&survey, survey.next_step(&draft.version_id, 0, &answers))
            } else {
                step_url(&survey, step)
            };
            let set = [cookies::set(
                cookies::DRAFT,
                &token,
                state.config.secure_cookies,
            )];
            return Ok(with_cookies(see_other(&to), &set));
        }
        ResumeOutcome::Unknown => "We could not find that code. Check it and try again",
        ResumeOutcome::Expired => {
            "That code has run out. Codes last 30 days. You can start the survey again"
        }
        ResumeOutcome::AlreadySubmitted => {
            "The answers saved with that code have already been sent"
        }
    };
    let f = fail(message);
    render_start(&state, &survey, &visit, f).await
}
