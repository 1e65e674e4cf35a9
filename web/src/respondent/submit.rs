//! Check your answers, send them, and the confirmation with the reference code.
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use engine::store::{Draft, DraftStatus, SubmitOutcome};
use engine::survey::{Answers, Survey};
use minijinja::{Value, context};
use serde::Serialize;

use super::layout::{respondent_page, step_url};
use super::view::{answer_text, long_date};
use super::visit::{OpenSurvey, SurveyPost, Visit, current_draft_with_answers, open_draft};
use crate::cookies;
use crate::error::{AppError, AppResult};
use crate::http::{form_status, see_other, with_cookies};
use crate::state::{SharedState, keyed};

#[derive(Serialize)]
struct CheckRow {
    question: String,
    answer: Option<String>,
    change_url: String,
    id: String,
    missing: bool,
}

pub async fn check_answers(
    State(state): State<SharedState>,
    OpenSurvey { survey, visit }: OpenSurvey,
) -> AppResult<Response> {
    let (draft, answers) = match open_draft(&state, &visit, &survey)? {
        Ok(x) => x,
        Err(redirect) => return Ok(redirect),
    };
    render_check(&state, &survey, &visit, &draft, &answers, false)
}

fn render_check(
    state: &SharedState,
    survey: &Survey,
    visit: &Visit,
    draft: &Draft,
    answers: &Answers,
    show_missing: bool,
) -> AppResult<Response> {
    let status = form_status(show_missing);
    let version = &draft.version_id;
    let missing: Vec<String> = survey
        .missing_required(version, answers)
        .iter()
        .map(|q| q.id.clone())
        .collect();
    let rows: Vec<CheckRow> = survey
        .visible_questions(version, answers)
        .into_iter()
        .map(|q| CheckRow {
            question: q.text.get(version).to_string(),
            answer: answer_text(q, version, answers.get(&q.id)),
            change_url: format!(
                "/s/{}/p/{}?return=check",
                survey.id,
                survey.page_of(version, &q.id).unwrap_or(1)
            ),
            id: q.id.clone(),
            missing: show_missing && missing.contains(&q.id),
        })
        .collect();
    let errors: Vec<Value> = rows
        .iter()
        .filter(|r| r.missing)
        .map(|r| {
            context! {
                anchor => format!("row-{}", r.id),
                message => format!("Answer this question before you send: {}", r.question),
            }
        })
        .collect();
    let last_page = survey.pages(version).len();
    let back = step_url(
        survey,
        survey.previous_step(version, last_page + 1, answers),
    );
    respondent_page(
        state,
        visit,
        survey,
        "respondent/check.html",
        status,
        context! { rows => rows,
        errors => errors,
        back => back, },
    )
}

pub async fn submit(
    State(state): State<SharedState>,
    SurveyPost { survey, visit, .. }: SurveyPost,
) -> AppResult<Response> {
    let done = format!("/s/{}/done", survey.id);
    let Some((draft, answers)) = current_draft_with_answers(&state, &visit, &survey)? else {
        return Ok(see_other(&format!("/s/{}", survey.id)));
    };
    match draft.status {
        // A replay of a submit that already went through: the same confirmation.
        DraftStatus::Submitted => return Ok(see_other(&done)),
        DraftStatus::Deleted => return Err(deleted_gone()),
        DraftStatus::Open => {}
    }
    if !survey
        .missing_required(&draft.version_id, &answers)
        .is_empty()
    {
        return render_check(&state, &survey, &visit, &draft, &answers, true);
    }
    let final_answers = survey.final_answers(&draft.version_id, &answers);
    // Phrases and masking now, before the writer's transaction so group commit is not held up;
    // the learned layer's reading later, in the background (`Protector::protect_now`). Off the
    // async threads: masking a long answer takes a millisecond.
    state.respondents.wrote();
    let (protector, answers) = (state.protector.clone(), final_answers.clone());
    let protection = tokio::task::spawn_blocking(move || protector.protect_now(&answers))
        .await
        .map_err(|e| AppError::Internal(format!("screening the answers: {e}")))?;
    match state
        .store
        .submit(draft.id, final_answers, protection, state.today())
        .await?
    {
        SubmitOutcome::Stored(_) | SubmitOutcome::AlreadySubmitted(_) => Ok(see_other(&done)),
        SubmitOutcome::Deleted => Err(deleted_gone()),
        SubmitOutcome::NoDraft => Ok(see_other(&format!("/s/{}", survey.id))),
    }
}

fn deleted_gone() -> AppError {
    AppError::Gone {
        title: "These answers were deleted".into(),
        message:
            "You deleted these answers with your reference code, so they cannot be sent again."
                .into(),
    }
}

pub async fn done(
    State(state): State<SharedState>,
    Path(survey_id): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let survey = state.survey(&survey_id)?;
    let visit = Visit::from(&headers);
    let Some(token) = visit.draft_token.clone() else {
        return Ok(see_other(&format!("/s/{}", survey.id)));
    };
    // The draft and whether its answers may tell of harm: flagged, or holding a phrase the
    // learned layer has yet to weigh (it reads them in the background, normally within a
    // second). Extra help for that child; never a word that they were flagged.
    let (draft, extra_help) = keyed(&state, move |s| {
        let draft = s.draft_for_token(&token)?;
        let help = match &draft {
            Some(d) if d.status == DraftStatus::Submitted => s.draft_needs_help(d.id)?,
            _ => false,
        };
        Ok((draft, help))
    })?;
    let Some(draft) =
        draft.filter(|d| d.survey_id == survey.id && d.status == DraftStatus::Submitted)
    else {
        return Ok(see_other(&format!("/s/{}", survey.id)));
    };
    respondent_page(
        &state,
        &visit,
        &survey,
        "respondent/done.html",
        StatusCode::OK,
        context! { extra_help => extra_help,
        reference => state.store.reference_code(draft.id),
        closes => long_date(survey.closes), },
    )
}

pub async fn finish(
    State(state): State<SharedState>,
    Path(survey_id): Path<String>,
) -> AppResult<Response> {
    let survey = state.survey(&survey_id)?;
    let resp = see_other(&format!("/s/{}", survey.id));
    Ok(with_cookies(resp, &[cookies::clear(cookies::DRAFT)]))
}
