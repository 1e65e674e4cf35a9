//! The respondent's journey: start page with the privacy notice, "who is filling this in",
//! the question pages, check your answers, submit and confirmation; save and come back later;
//! delete with the reference code; leave this page quickly. Server-rendered: it all works with
//! no JavaScript.
mod view;

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use engine::answers::{PageOutcome, check_page};
use engine::store::{Draft, DraftStatus, ResumeOutcome, SubmitOutcome};
use engine::survey::{Answers, Step, Survey, SurveyStatus};
use minijinja::{Value, context};
use serde::Serialize;

use crate::app::{SharedState, client_ip, read_form};
use crate::cookies;
use crate::error::{AppError, AppResult};
use crate::form;
use crate::templates::render;
use view::{QuestionView, answer_text, errors_by_question, progress, question_view};

pub fn routes() -> Router<SharedState> {
    Router::new()
        .route("/", get(index))
        .route("/exit", get(exit))
        .route("/s/{survey}", get(start))
        .route("/s/{survey}/who", get(who).post(choose_version))
        .route("/s/{survey}/p/{page}", get(show_page).post(post_page))
        .route("/s/{survey}/check", get(check_answers))
        .route("/s/{survey}/submit", post(submit))
        .route("/s/{survey}/done", get(done))
        .route("/s/{survey}/resume", post(resume))
        .route("/s/{survey}/delete", get(delete_form).post(delete_lookup))
        .route("/s/{survey}/delete/confirm", post(delete_confirm))
        .route("/s/{survey}/finish", get(finish))
}

// ---------------------------------------------------------------------------------------------
// Sessions, CSRF and responses.

/// What the browser's cookies say: its CSRF token and draft token, if it has them.
struct Visit {
    csrf_cookie: Option<String>,
    draft_token: Option<String>,
}

impl Visit {
    fn from(headers: &HeaderMap) -> Visit {
        Visit {
            csrf_cookie: cookies::get(headers, cookies::CSRF),
            draft_token: cookies::get(headers, cookies::DRAFT),
        }
    }
}

fn csrf_value(state: &SharedState, cookie: &str) -> String {
    let key = state.store.derive_key("csrf");
    engine::codes::hex(&engine::codes::mac(&key, &[cookie.as_bytes()]))[..32].to_string()
}

/// The hidden CSRF field for a page, and a cookie to set if the browser has none yet.
fn csrf_for(state: &SharedState, visit: &Visit) -> (String, Option<String>) {
    match &visit.csrf_cookie {
        Some(c) => (csrf_value(state, c), None),
        None => {
            let c = engine::codes::new_token();
            (
                csrf_value(state, &c),
                Some(cookies::set(cookies::CSRF, &c, state.config.secure_cookies)),
            )
        }
    }
}

/// Refuses a post whose CSRF field does not match the browser's cookie.
fn check_csrf(state: &SharedState, visit: &Visit, fields: &[(String, String)]) -> AppResult<()> {
    let sent = form::first(fields, "csrf").unwrap_or("");
    match &visit.csrf_cookie {
        Some(c) if constant_eq(sent.as_bytes(), csrf_value(state, c).as_bytes()) => Ok(()),
        _ => Err(AppError::Forbidden(
            "We could not match that form to this browser, so nothing was saved. This happens if \
             cookies are blocked or were cleared. Go back to the start and try again. If you \
             saved your answers, use your code to carry on."
                .into(),
        )),
    }
}

pub(crate) fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The CSRF token for a page outside a survey (the workspace's sign-in), from the browser's
/// cookie, and the cookie to set if it has none.
pub(crate) fn csrf_for_headers(
    state: &SharedState,
    headers: &HeaderMap,
) -> (String, Option<String>) {
    csrf_for(state, &Visit::from(headers))
}

/// Whether a form's CSRF field matches the browser's cookie.
pub(crate) fn csrf_ok(
    state: &SharedState,
    headers: &HeaderMap,
    fields: &[(String, String)],
) -> bool {
    check_csrf(state, &Visit::from(headers), fields).is_ok()
}

pub(crate) fn append_cookie(resp: &mut Response, cookie: &str) {
    if let Ok(v) = axum::http::HeaderValue::from_str(cookie) {
        resp.headers_mut().append(axum::http::header::SET_COOKIE, v);
    }
}

fn html(status: StatusCode, body: String, set_cookies: &[String]) -> Response {
    let mut resp = (status, Html(body)).into_response();
    for c in set_cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}

pub(crate) fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

fn with_cookies(mut resp: Response, set_cookies: &[String]) -> Response {
    for c in set_cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}

/// A read of a few rows by key (a draft by its token, a response by its reference code), run on
/// the calling thread. It takes microseconds, less than handing it to a blocking thread and
/// back: measured under a burst of a thousand submits, the hand-over cost more than the reads.
/// Reads that scan or aggregate go through [`read`].
fn keyed<T>(
    state: &SharedState,
    f: impl FnOnce(&engine::Store) -> engine::store::Result<T>,
) -> AppResult<T> {
    Ok(f(&state.store)?)
}

/// Runs a blocking store read off the async runtime.
pub(crate) async fn read<T: Send + 'static>(
    state: &SharedState,
    f: impl FnOnce(&engine::Store) -> engine::store::Result<T> + Send + 'static,
) -> AppResult<T> {
    Ok(state.store.read_async(f).await?)
}

/// The browser's draft for this survey, if it has one.
fn current_draft(state: &SharedState, visit: &Visit, survey: &Survey) -> AppResult<Option<Draft>> {
    let Some(token) = visit.draft_token.clone() else {
        return Ok(None);
    };
    let draft = keyed(state, move |s| s.draft_for_token(&token))?;
    Ok(draft.filter(|d| d.survey_id == survey.id))
}

/// The browser's draft for this survey with its answers (none unless it is open), in one read.
fn current_draft_with_answers(
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
fn open_draft(
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
fn require_open(state: &SharedState, survey: &Survey) -> AppResult<()> {
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

fn long_date(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// What every respondent page's layout needs.
#[derive(Serialize)]
struct Layout {
    survey_id: String,
    survey_title: String,
    csrf: String,
}

fn layout(survey: &Survey, csrf: &str) -> Layout {
    Layout {
        survey_id: survey.id.clone(),
        survey_title: survey.title.clone(),
        csrf: csrf.to_string(),
    }
}

fn step_url(survey: &Survey, step: Step) -> String {
    match step {
        Step::Page(n) => format!("/s/{}/p/{n}", survey.id),
        Step::CheckAnswers => format!("/s/{}/check", survey.id),
        Step::Start => format!("/s/{}/who", survey.id),
    }
}

// ---------------------------------------------------------------------------------------------
// Pages.

async fn index(State(state): State<SharedState>) -> AppResult<Response> {
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

async fn exit(State(state): State<SharedState>) -> Response {
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

#[derive(Default, Serialize)]
struct StartForm {
    code: String,
    error: Option<String>,
}

async fn start(
    State(state): State<SharedState>,
    Path(survey_id): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let survey = state.survey(&survey_id)?;
    render_start(
        &state,
        &survey,
        &Visit::from(&headers),
        StartForm::default(),
        StatusCode::OK,
    )
    .await
}

async fn render_start(
    state: &SharedState,
    survey: &Survey,
    visit: &Visit,
    form: StartForm,
    status: StatusCode,
) -> AppResult<Response> {
    let (csrf, set) = csrf_for(state, visit);
    let draft = current_draft(state, visit, survey)?;
    let body = render(
        "respondent/start.html",
        context! {
            layout => layout(survey, &csrf),
            status => survey.status_on(state.today()),
            opens => long_date(survey.opens),
            closes => long_date(survey.closes),
            privacy => &survey.privacy,
            retention => &survey.retention,
            in_progress => draft.as_ref().is_some_and(|d| d.status == DraftStatus::Open),
            form => form,
        },
    )?;
    Ok(html(status, body, set.as_slice()))
}

async fn who(
    State(state): State<SharedState>,
    Path(survey_id): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let survey = state.survey(&survey_id)?;
    require_open(&state, &survey)?;
    let visit = Visit::from(&headers);
    let draft = current_draft(&state, &visit, &survey)?;
    if draft
        .as_ref()
        .is_some_and(|d| d.status == DraftStatus::Submitted)
    {
        return Ok(see_other(&format!("/s/{}/done", survey.id)));
    }
    let chosen = draft.map(|d| d.version_id);
    render_who(&state, &survey, &visit, chosen, None, StatusCode::OK)
}

fn render_who(
    state: &SharedState,
    survey: &Survey,
    visit: &Visit,
    chosen: Option<String>,
    error: Option<&str>,
    status: StatusCode,
) -> AppResult<Response> {
    let (csrf, set) = csrf_for(state, visit);
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
    let body = render(
        "respondent/who.html",
        context! { layout => layout(survey, &csrf), versions => versions, error => error },
    )?;
    Ok(html(status, body, set.as_slice()))
}

async fn choose_version(
    State(state): State<SharedState>,
    Path(survey_id): Path<String>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    req: Request<Body>,
) -> AppResult<Response> {
    let survey = state.survey(&survey_id)?;
    require_open(&state, &survey)?;
    let visit = Visit::from(req.headers());
    let fields = read_form(req).await?;
    check_csrf(&state, &visit, &fields)?;
    let Some(version) = form::first(&fields, "version").filter(|v| !v.is_empty()) else {
        return render_who(
            &state,
            &survey,
            &visit,
            None,
            Some("Choose who is filling this in"),
            StatusCode::UNPROCESSABLE_ENTITY,
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

async fn show_page(
    State(state): State<SharedState>,
    Path((survey_id, page)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> AppResult<Response> {
    let survey = state.survey(&survey_id)?;
    require_open(&state, &survey)?;
    let page: usize = page.parse().map_err(|_| AppError::NotFound)?;
    let visit = Visit::from(&headers);
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
        &state,
        &survey,
        &visit,
        &draft,
        &answers,
        page,
        None,
        from_check,
        StatusCode::OK,
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
    status: StatusCode,
) -> AppResult<Response> {
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
    let (csrf, set) = csrf_for(state, visit);
    let body = render(
        "respondent/page.html",
        context! {
            layout => layout(survey, &csrf),
            page => page,
            section => section,
            questions => questions,
            alone => alone,
            errors => summary,
            progress => progress(survey, version, answers, &on_page),
            easy_read => v.is_some_and(|v| v.easy_read),
            intro => if first_page { v.and_then(|v| v.intro.clone()) } else { None },
            back => back,
            from_check => from_check,
        },
    )?;
    Ok(html(status, body, set.as_slice()))
}

async fn post_page(
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
        .map_err(|e| AppError::BadRequest(capitalise_first(&e.to_string())))?;
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
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
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

fn capitalise_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
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
    let (csrf, set) = csrf_for(state, visit);
    let body = render(
        "respondent/saved.html",
        context! {
            layout => layout(survey, &csrf),
            code => code,
            expires => long_date(expires),
        },
    )?;
    Ok(html(StatusCode::OK, body, set.as_slice()))
}

#[derive(Serialize)]
struct CheckRow {
    question: String,
    answer: Option<String>,
    change_url: String,
    id: String,
    missing: bool,
}

async fn check_answers(
    State(state): State<SharedState>,
    Path(survey_id): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let survey = state.survey(&survey_id)?;
    require_open(&state, &survey)?;
    let visit = Visit::from(&headers);
    let (draft, answers) = match open_draft(&state, &visit, &survey)? {
        Ok(x) => x,
        Err(redirect) => return Ok(redirect),
    };
    render_check(
        &state,
        &survey,
        &visit,
        &draft,
        &answers,
        false,
        StatusCode::OK,
    )
}

fn render_check(
    state: &SharedState,
    survey: &Survey,
    visit: &Visit,
    draft: &Draft,
    answers: &Answers,
    show_missing: bool,
    status: StatusCode,
) -> AppResult<Response> {
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
    let (csrf, set) = csrf_for(state, visit);
    let body = render(
        "respondent/check.html",
        context! {
            layout => layout(survey, &csrf),
            rows => rows,
            errors => errors,
            back => back,
        },
    )?;
    Ok(html(status, body, set.as_slice()))
}

async fn submit(
    State(state): State<SharedState>,
    Path(survey_id): Path<String>,
    req: Request<Body>,
) -> AppResult<Response> {
    let survey = state.survey(&survey_id)?;
    require_open(&state, &survey)?;
    let visit = Visit::from(req.headers());
    let fields = read_form(req).await?;
    check_csrf(&state, &visit, &fields)?;
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
        return render_check(
            &state,
            &survey,
            &visit,
            &draft,
            &answers,
            true,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let final_answers = survey.final_answers(&draft.version_id, &answers);
    let protection = crate::protect::protect(&state.screener, &final_answers);
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

async fn done(
    State(state): State<SharedState>,
    Path(survey_id): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let survey = state.survey(&survey_id)?;
    let visit = Visit::from(&headers);
    let Some(token) = visit.draft_token.clone() else {
        return Ok(see_other(&format!("/s/{}", survey.id)));
    };
    // The draft and whether its answers were flagged, in one read. Extra help for a child whose
    // words may tell of harm; never a word that they were flagged.
    let (draft, extra_help) = keyed(&state, move |s| {
        let draft = s.draft_for_token(&token)?;
        let flagged = match &draft {
            Some(d) if d.status == DraftStatus::Submitted => s.draft_was_flagged(d.id)?,
            _ => false,
        };
        Ok((draft, flagged))
    })?;
    let Some(draft) =
        draft.filter(|d| d.survey_id == survey.id && d.status == DraftStatus::Submitted)
    else {
        return Ok(see_other(&format!("/s/{}", survey.id)));
    };
    let (csrf, set) = csrf_for(&state, &visit);
    let body = render(
        "respondent/done.html",
        context! {
            layout => layout(&survey, &csrf),
            extra_help => extra_help,
            reference => state.store.reference_code(draft.id),
            closes => long_date(survey.closes),
        },
    )?;
    Ok(html(StatusCode::OK, body, set.as_slice()))
}

async fn finish(
    State(state): State<SharedState>,
    Path(survey_id): Path<String>,
) -> AppResult<Response> {
    let survey = state.survey(&survey_id)?;
    let resp = see_other(&format!("/s/{}", survey.id));
    Ok(with_cookies(resp, &[cookies::clear(cookies::DRAFT)]))
}

/// The common start of a post that tries a resume or reference code: the survey must be open,
/// the CSRF token right and the client within its allowance of tries (codes cannot be guessed
/// by brute force). Returns the survey, the browser's visit and the code as typed.
async fn code_post(
    state: &SharedState,
    survey_id: &str,
    addr: SocketAddr,
    req: Request<Body>,
) -> AppResult<(std::sync::Arc<Survey>, Visit, String)> {
    let survey = state.survey(survey_id)?;
    require_open(state, &survey)?;
    let visit = Visit::from(req.headers());
    let fields = read_form(req).await?;
    check_csrf(state, &visit, &fields)?;
    if !state.code_limiter.allow(client_ip(Some(&addr))) {
        return Err(AppError::TooManyRequests);
    }
    let code = form::first(&fields, "code")
        .unwrap_or("")
        .trim()
        .to_string();
    Ok((survey, visit, code))
}

async fn resume(
    State(state): State<SharedState>,
    Path(survey_id): Path<String>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    req: Request<Body>,
) -> AppResult<Response> {
    let (survey, visit, code) = code_post(&state, &survey_id, addr, req).await?;
    let fail = |msg: &str| StartForm {
        code: code.chars().take(64).collect(),
        error: Some(msg.to_string()),
    };
    if code.is_empty() {
        let f = fail("Enter your code");
        return render_start(&state, &survey, &visit, f, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    if engine::codes::normalise_code(&code).is_none() {
        let f = fail(
            "Your code has 16 letters and numbers, like 7K3M-QX9D-RWTH-B2FA. Check it and try again",
        );
        return render_start(&state, &survey, &visit, f, StatusCode::UNPROCESSABLE_ENTITY).await;
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
    render_start(&state, &survey, &visit, f, StatusCode::UNPROCESSABLE_ENTITY).await
}

#[derive(Default, Serialize)]
struct DeleteForm {
    code: String,
    error: Option<String>,
}

async fn delete_form(
    State(state): State<SharedState>,
    Path(survey_id): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let survey = state.survey(&survey_id)?;
    require_open(&state, &survey)?;
    render_delete(
        &state,
        &survey,
        &Visit::from(&headers),
        DeleteForm::default(),
        StatusCode::OK,
    )
}

fn render_delete(
    state: &SharedState,
    survey: &Survey,
    visit: &Visit,
    form: DeleteForm,
    status: StatusCode,
) -> AppResult<Response> {
    let (csrf, set) = csrf_for(state, visit);
    let body = render(
        "respondent/delete.html",
        context! { layout => layout(survey, &csrf), form => form, closes => long_date(survey.closes) },
    )?;
    Ok(html(status, body, set.as_slice()))
}

async fn delete_lookup(
    State(state): State<SharedState>,
    Path(survey_id): Path<String>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    req: Request<Body>,
) -> AppResult<Response> {
    let (survey, visit, code) = code_post(&state, &survey_id, addr, req).await?;
    let fail = |msg: &str| DeleteForm {
        code: code.chars().take(64).collect(),
        error: Some(msg.to_string()),
    };
    if engine::codes::normalise_code(&code).is_none() {
        let f = fail(
            "Enter your reference code. It has 16 letters and numbers, like 7K3M-QX9D-RWTH-B2FA",
        );
        return render_delete(&state, &survey, &visit, f, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let lookup = code.clone();
    let found = keyed(&state, move |s| s.response_for_reference(&lookup))?;
    let Some(found) = found.filter(|r| r.survey_id == survey.id) else {
        let f = fail("We could not find answers with that reference code. Check it and try again");
        return render_delete(&state, &survey, &visit, f, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let (csrf, set) = csrf_for(&state, &visit);
    let body = render(
        "respondent/delete_confirm.html",
        context! {
            layout => layout(&survey, &csrf),
            code => engine::codes::normalise_code(&code),
            submitted_on => long_date(found.submitted_on),
        },
    )?;
    Ok(html(StatusCode::OK, body, set.as_slice()))
}

async fn delete_confirm(
    State(state): State<SharedState>,
    Path(survey_id): Path<String>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    req: Request<Body>,
) -> AppResult<Response> {
    let (survey, visit, code) = code_post(&state, &survey_id, addr, req).await?;
    if !state.store.delete_response(&survey.id, &code).await? {
        let f = DeleteForm {
            code: String::new(),
            error: Some("We could not find answers with that reference code. They may have been deleted already".into()),
        };
        return render_delete(&state, &survey, &visit, f, StatusCode::UNPROCESSABLE_ENTITY);
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
