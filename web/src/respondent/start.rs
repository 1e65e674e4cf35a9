//! Starting the survey: the list of surveys, "Leave this page", the start page (with its form
//! for a resume code) and choosing who is filling it in, which starts a draft.
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use engine::store::DraftStatus;
use engine::survey::{Answers, Survey};
use minijinja::{Value, context};
use serde::Serialize;

use super::layout::{respondent_page, step_url};
use super::view::long_date;
use super::visit::{OpenSurvey, SurveyPost, Visit, current_draft};
use crate::cookies;
use crate::error::{AppError, AppResult};
use crate::form;
use crate::http::{form_status, html, see_other, with_cookies};
use crate::state::{SharedState, client_ip};
use crate::templates::render;

pub async fn index(State(state): State<SharedState>) -> AppResult<Response> {
    let today = state.today();
    let surveys: Vec<Value> = state
        .surveys
        .values()
        .map(|s| {
            context! {
                id => s.id.clone(),
                title => s.title.clone(),
                open => s.is_open_on(today),
            }
        })
        .collect();
    let body = render("respondent/index.html", context! { surveys => surveys })?;
    Ok(html(StatusCode::OK, body, &[]))
}

pub async fn exit(State(state): State<SharedState>) -> Response {
    let mut resp = see_other(&state.config.exit_url);
    let h = resp.headers_mut();
    for c in [
        cookies::clear(cookies::DRAFT),
        cookies::clear(cookies::CSRF),
    ] {
        if let Ok(v) = HeaderValue::from_str(&c) {
            h.append(header::SET_COOKIE, v);
        }
    }
    h.insert(
        "clear-site-data",
        HeaderValue::from_static("\"cache\", \"cookies\", \"storage\""),
    );
    resp
}

/// A form that asks for a code (resume, delete), as typed, with what was wrong with it.
#[derive(Default, Serialize)]
pub struct CodeForm {
    pub code: String,
    pub error: Option<String>,
}

impl CodeForm {
    /// The form again with `message`, keeping (the start of) what was typed.
    pub fn refused(code: &str, message: &str) -> CodeForm {
        CodeForm {
            code: code.chars().take(64).collect(),
            error: Some(message.to_string()),
        }
    }
}

pub async fn start(
    State(state): State<SharedState>,
    Path(survey_id): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let survey = state.survey(&survey_id)?;
    render_start(&state, &survey, &Visit::from(&headers), CodeForm::default()).await
}

pub async fn render_start(
    state: &SharedState,
    survey: &Survey,
    visit: &Visit,
    form: CodeForm,
) -> AppResult<Response> {
    let draft = current_draft(state, visit, survey)?;
    let status = form_status(form.error.is_some());
    respondent_page(
        state,
        visit,
        survey,
        "respondent/start.html",
        status,
        context! {
            status => survey.status_on(state.today()),
            opens => long_date(survey.opens),
            closes => long_date(survey.closes),
            privacy => &survey.privacy,
            retention => &survey.retention,
            in_progress => draft.as_ref().is_some_and(|d| d.status == DraftStatus::Open),
            form => form,
        },
    )
}

pub async fn who(
    State(state): State<SharedState>,
    OpenSurvey { survey, visit }: OpenSurvey,
) -> AppResult<Response> {
    let draft = current_draft(&state, &visit, &survey)?;
    if draft
        .as_ref()
        .is_some_and(|d| d.status == DraftStatus::Submitted)
    {
        return Ok(see_other(&format!("/s/{}/done", survey.id)));
    }
    let chosen = draft.map(|d| d.version_id);
    render_who(&state, &survey, &visit, chosen, None)
}

fn render_who(
    state: &SharedState,
    survey: &Survey,
    visit: &Visit,
    chosen: Option<String>,
    error: Option<&str>,
) -> AppResult<Response> {
    let versions: Vec<Value> = survey
        .versions
        .iter()
        .map(|v| {
            context! {
                id => v.id.clone(),
                name => v.name.clone(),
                description => v.description.clone(),
                checked => chosen.as_deref() == Some(v.id.as_str()),
            }
        })
        .collect();
    respondent_page(
        state,
        visit,
        survey,
        "respondent/who.html",
        form_status(error.is_some()),
        context! { versions => versions, error => error },
    )
}

pub async fn choose_version(
    State(state): State<SharedState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    SurveyPost {
        survey,
        visit,
        fields,
    }: SurveyPost,
) -> AppResult<Response> {
    let Some(version) = form::first(&fields, "version").filter(|v| !v.is_empty()) else {
        return render_who(
            &state,
            &survey,
            &visit,
            None,
            Some("Choose who is filling this in"),
        );
    };
    if survey.version(version).is_none() {
        return Err(AppError::BadRequest(
            "That is not one of the choices".into(),
        ));
    }
    let today = state.today();
    let mut set = Vec::new();
    match current_draft(&state, &visit, &survey)? {
        Some(d) if d.status == DraftStatus::Open => {
            if d.version_id != version {
                state.store.change_version(d.id, version).await?;
            }
        }
        Some(d) if d.status == DraftStatus::Submitted => {
            return Ok(see_other(&format!("/s/{}/done", survey.id)));
        }
        _ => {
            if !state.draft_limiter.allow(client_ip(Some(&addr))) {
                return Err(AppError::TooManyRequests);
            }
            let token = engine::codes::new_token();
            state
                .store
                .create_draft(&survey.id, version, &token, today)
                .await?;
            set.push(cookies::set(
                cookies::DRAFT,
                &token,
                state.config.secure_cookies,
            ));
        }
    }
    let first = survey.next_step(version, 0, &Answers::new());
    Ok(with_cookies(see_other(&step_url(&survey, first)), &set))
}
