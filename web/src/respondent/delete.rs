//! Deleting sent answers with their reference code: the form, the answers found, and the
//! confirmed deletion.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use engine::survey::Survey;
use minijinja::context;

use super::layout::{layout, respondent_page};
use super::resume::CodePost;
use super::start::CodeForm;
use super::view::long_date;
use super::visit::{OpenSurvey, Visit, csrf_for};
use crate::cookies;
use crate::error::AppResult;
use crate::http::{form_status, html};
use crate::state::{SharedState, keyed};
use crate::templates::render;

pub async fn form(
    State(state): State<SharedState>,
    OpenSurvey { survey, visit }: OpenSurvey,
) -> AppResult<Response> {
    render_delete(&state, &visit, &survey, CodeForm::default())
}

fn render_delete(
    state: &SharedState,
    visit: &Visit,
    survey: &Survey,
    form: CodeForm,
) -> AppResult<Response> {
    respondent_page(
        state,
        visit,
        survey,
        "respondent/delete.html",
        form_status(form.error.is_some()),
        context! { form => form, closes => long_date(survey.closes) },
    )
}

pub async fn lookup(
    State(state): State<SharedState>,
    CodePost(survey, visit, code): CodePost,
) -> AppResult<Response> {
    let fail = |msg: &str| CodeForm::refused(&code, msg);
    if engine::codes::normalise_code(&code).is_none() {
        let f = fail(
            "Enter your reference code. It has 16 letters and numbers, like 7K3M-QX9D-RWTH-B2FA",
        );
        return render_delete(&state, &visit, &survey, f);
    }
    let lookup = code.clone();
    let found = keyed(&state, move |s| s.response_for_reference(&lookup))?;
    let Some(found) = found.filter(|r| r.survey_id == survey.id) else {
        let f = fail("We could not find answers with that reference code. Check it and try again");
        return render_delete(&state, &visit, &survey, f);
    };
    respondent_page(
        &state,
        &visit,
        &survey,
        "respondent/delete_confirm.html",
        StatusCode::OK,
        context! { code => engine::codes::normalise_code(&code),
        submitted_on => long_date(found.submitted_on), },
    )
}

pub async fn confirm(
    State(state): State<SharedState>,
    CodePost(survey, visit, code): CodePost,
) -> AppResult<Response> {
    // A disclosure in answers the learned layer has not read yet still reaches the lead: the
    // flag keeps its own copy of the words.
    intake::protect::weigh_before_deleting(&state.store, &state.protector, &survey.id, &code)
        .await?;
    if !state.store.delete_response(&survey.id, &code).await? {
        let f = CodeForm {
            code: String::new(),
            error: Some("We could not find answers with that reference code. They may have been deleted already".into()),
        };
        return render_delete(&state, &visit, &survey, f);
    }
    let (csrf, set) = csrf_for(&state, &visit);
    let mut set: Vec<String> = set.into_iter().collect();
    set.push(cookies::clear(cookies::DRAFT));
    let body = render(
        "respondent/deleted.html",
        context! { layout => layout(&survey, &csrf) },
    )?;
    Ok(html(StatusCode::OK, body, &set))
}
