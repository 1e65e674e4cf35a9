//! The question pages: showing a page of the draft, and saving a page's answers (or showing its
//! mistakes with an error summary), then going on, back, to check, or to the saved code.
use axum::body::Body;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use engine::answers::{PageOutcome, check_page};
use engine::store::Draft;
use engine::survey::{Answers, Step, Survey};
use minijinja::{Value, context};

use super::layout::{respondent_page, step_url};
use super::view::{QuestionView, errors_by_question, long_date, progress, question_view};
use super::visit::{OpenSurvey, Visit, check_csrf, open_draft, require_open};
use crate::error::{AppError, AppResult};
use crate::form;
use crate::http::{form_status, read_form, see_other};
use crate::state::SharedState;

pub async fn show(
    State(state): State<SharedState>,
    OpenSurvey { survey, visit }: OpenSurvey,
    Path((_, page)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let page: usize = page.parse().map_err(|_| AppError::NotFound)?;
    let (draft, answers) = match open_draft(&state, &visit, &survey)? {
        Ok(x) => x,
        Err(redirect) => return Ok(redirect),
    };
    let on_page = survey.visible_on_page(&draft.version_id, page, &answers);
    if on_page.is_empty() {
        // A page with nothing to show (its conditions are false) or that does not exist.
        if page == 0 || page > survey.pages(&draft.version_id).len() {
            return Err(AppError::NotFound);
        }
        let next = survey.next_step(&draft.version_id, page, &answers);
        return Ok(see_other(&step_url(&survey, next)));
    }
    let from_check = query
        .as_deref()
        .is_some_and(|q| q.split('&').any(|kv| kv == "return=check"));
    render_page(
        &state, &survey, &visit, &draft, &answers, page, None, from_check,
    )
}

struct PageErrors {
    errors: Vec<engine::answers::FieldError>,
    kept: std::collections::BTreeMap<String, Vec<String>>,
}

#[allow(clippy::too_many_arguments)]
fn render_page(
    state: &SharedState,
    survey: &Survey,
    visit: &Visit,
    draft: &Draft,
    answers: &Answers,
    page: usize,
    errors: Option<PageErrors>,
    from_check: bool,
) -> AppResult<Response> {
    let status = form_status(errors.is_some());
    let version = &draft.version_id;
    let on_page = survey.visible_on_page(version, page, answers);
    let by_q = errors
        .as_ref()
        .map(|e| errors_by_question(&e.errors))
        .unwrap_or_default();
    let alone = on_page.len() == 1;
    let questions: Vec<QuestionView> = on_page
        .iter()
        .map(|q| {
            question_view(
                survey,
                version,
                q,
                answers.get(&q.id),
                errors.as_ref().and_then(|e| e.kept.get(&q.id)),
                by_q.get(&q.id).map(String::as_str),
                alone,
            )
        })
        .collect();
    let summary: Vec<Value> = errors
        .as_ref()
        .map(|e| {
            e.errors
                .iter()
                .map(|fe| {
                    let q = survey.question(&fe.question);
                    let anchor = match q.map(|q| q.kind) {
                        Some(k) if k.has_choices() => {
                            format!("{}-{}", engine::answers::field_name(&fe.question), 0)
                        }
                        _ => engine::answers::field_name(&fe.question),
                    };
                    context! { anchor => anchor, message => fe.message.clone() }
                })
                .collect()
        })
        .unwrap_or_default();
    let section = on_page
        .first()
        .and_then(|q| survey.sections.get(q.section))
        .map(|s| s.title.get(version).to_string())
        .unwrap_or_default();
    let v = survey.version(version);
    let back = step_url(survey, survey.previous_step(version, page, answers));
    let first_page = survey.previous_step(version, page, answers) == Step::Start;
    respondent_page(
        state,
        visit,
        survey,
        "respondent/page.html",
        status,
        context! { page => page,
        section => section,
        questions => questions,
        alone => alone,
        errors => summary,
        progress => progress(survey, version, answers, &on_page),
        easy_read => v.is_some_and(|v| v.easy_read),
        intro => if first_page { v.and_then(|v| v.intro.clone()) } else { None },
        back => back,
        from_check => from_check, },
    )
}

pub async fn post(
    State(state): State<SharedState>,
    Path((survey_id, page)): Path<(String, String)>,
    req: Request<Body>,
) -> AppResult<Response> {
    let survey = state.survey(&survey_id)?;
    require_open(&state, &survey)?;
    let page: usize = page.parse().map_err(|_| AppError::NotFound)?;
    let visit = Visit::from(req.headers());
    let mut fields = read_form(req).await?;
    check_csrf(&state, &visit, &fields)?;
    let (draft, mut answers) = match open_draft(&state, &visit, &survey)? {
        Ok(x) => x,
        Err(redirect) => return Ok(redirect),
    };
    let version = draft.version_id.clone();
    if page == 0 || page > survey.pages(&version).len() {
        return Err(AppError::NotFound);
    }
    let action = form::first(&fields, "action").unwrap_or("next").to_string();
    let from_check = form::first(&fields, "return") == Some("check");
    fields.retain(|(k, _)| k != "action" && k != "return");
    let on_page = survey.visible_on_page(&version, page, &answers);
    let enforce_required = action == "next";
    let outcome = check_page(&on_page, &fields, enforce_required)
        .map_err(|e| AppError::BadRequest(crate::http::capitalise(&e.to_string())))?;
    let changes = match outcome {
        PageOutcome::Valid(changes) => changes,
        PageOutcome::Invalid { errors, kept } => {
            return render_page(
                &state,
                &survey,
                &visit,
                &draft,
                &answers,
                page,
                Some(PageErrors { errors, kept }),
                from_check,
            );
        }
    };
    state.respondents.wrote();
    let saved = state
        .store
        .save_answers(draft.id, changes.clone(), page as i64, state.today())
        .await?;
    if !saved {
        return Ok(see_other(&format!("/s/{}/done", survey.id)));
    }
    for (q, a) in changes {
        match a {
            Some(a) => answers.insert(q, a),
            None => answers.remove(&q),
        };
    }
    match action.as_str() {
        "save" => render_saved(&state, &survey, &visit, &draft).await,
        "back" => Ok(see_other(&step_url(
            &survey,
            survey.previous_step(&version, page, &answers),
        ))),
        _ if from_check => Ok(see_other(&format!("/s/{}/check", survey.id))),
        _ => Ok(see_other(&step_url(
            &survey,
            survey.next_step(&version, page, &answers),
        ))),
    }
}

async fn render_saved(
    state: &SharedState,
    survey: &Survey,
    visit: &Visit,
    draft: &Draft,
) -> AppResult<Response> {
    let today = state.today();
    let expires = (today + chrono::Duration::days(state.config.resume_days)).min(survey.closes);
    let Some(code) = state.store.resume_code(draft.id, expires).await? else {
        return Ok(see_other(&format!("/s/{}/done", survey.id)));
    };
    respondent_page(
        state,
        visit,
        survey,
        "respondent/saved.html",
        StatusCode::OK,
        context! { code => code,
        expires => long_date(expires), },
    )
}
