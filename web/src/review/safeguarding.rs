//! The safeguarding queue, for the safeguarding lead: every possible disclosure with the words
//! that triggered it, the original answer, and the decisions taken on it.
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use engine::store::{next_statuses, status_title};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::chrome::chrome;
use super::queue_pages::{PER_PAGE, asked_page, page_count, paging, queue_query};
use super::staff::{Staff, id, read_staff_form, user_error};
use crate::error::{AppError, AppResult};
use crate::http::{page, see_other};
use crate::state::{SharedState, read};
use crate::templates::render;

/// Longest note on a decision.
const MAX_NOTE: usize = 4000;

#[derive(Deserialize)]
pub struct Filter {
    status: Option<String>,
    page: Option<String>,
}

/// A run of an answer's text, marked if an indicator covers it.
#[derive(Serialize)]
struct Piece {
    text: String,
    marked: bool,
}

#[derive(Deserialize)]
struct StoredIndicator {
    category: String,
    phrase: String,
    words: String,
    start: usize,
    end: usize,
}

fn indicators(json: &str) -> Vec<StoredIndicator> {
    serde_json::from_str(json).unwrap_or_default()
}

/// What triggered a flag, in the lead's words: the phrase layer, the learned layer (with its
/// score beside the threshold it passed), or both.
fn trigger_text(state: &SharedState, f: &engine::store::Flag) -> String {
    use safeguard::verdict::Trigger;
    let model = state.protector.model();
    let score = |at: Option<f32>| match (f.score, at) {
        (Some(s), Some(at)) => format!(" (score {s:.2}; it flags at {at:.2})"),
        (Some(s), None) => format!(" (score {s:.2})"),
        _ => String::new(),
    };
    match Trigger::parse(&f.trigger) {
        Some(Trigger::OwnPhrase) => "A phrase from your own indicator file.".into(),
        Some(Trigger::Phrase) => format!("An indicator phrase{}.", score(None)),
        Some(Trigger::PhraseConfirmed) => format!(
            "A one-word or misspelt indicator, or a phrase ordinary answers use too, confirmed \
             by the learned layer{}.",
            score(model.map(|m| m.confirm_at))
        ),
        Some(Trigger::Learned) => format!(
            "The learned layer alone: the answer reads like a disclosure though no indicator \
             phrase matched{}.",
            score(model.map(|m| m.flag_at))
        ),
        Some(Trigger::PhraseSetAside) => {
            set_aside_text(f.score, model.map(|m| (m.veto_at, m.confirm_at)))
        }
        Some(Trigger::PhraseUnweighed) | None => {
            "An indicator phrase (screened by phrases alone).".into()
        }
    }
}

/// The categories of the indicators found, or what the learned layer saw when none were.
/// Why a flag was set aside, from its score and the model's `veto_at` and `confirm_at`: a
/// phrase that ordinary answers use too is set aside under `confirm_at`, any other only under
/// `veto_at`, so the score says which it was.
fn set_aside_text(score: Option<f64>, thresholds: Option<(f32, f32)>) -> String {
    let why = match (score, thresholds) {
        (Some(s), Some((veto_at, confirm_at))) if s >= f64::from(veto_at) => format!(
            "An indicator phrase that ordinary answers use too, set aside: the learned layer did \
             not confirm it (score {s:.3}, under {confirm_at:.3})"
        ),
        (Some(s), Some((veto_at, _))) => format!(
            "An indicator phrase, set aside: the learned layer was all but sure the answer is \
             ordinary (score {s:.3}, under {veto_at:.3})"
        ),
        _ => "An indicator phrase, set aside by the learned layer".into(),
    };
    format!("{why}. It is here so a person reads it; it was not counted as new.")
}

fn categories(found: &[StoredIndicator]) -> String {
    let mut categories: Vec<&str> = found.iter().map(|i| i.category.as_str()).collect();
    categories.dedup();
    if categories.is_empty() {
        "reads like a disclosure".into()
    } else {
        categories.join(", ")
    }
}

/// The text cut into pieces, with the indicators' spans (character offsets) marked.
fn pieces(text: &str, found: &[StoredIndicator]) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let mut marked = vec![false; chars.len()];
    for i in found {
        for m in marked.iter_mut().take(i.end.min(chars.len())).skip(i.start) {
            *m = true;
        }
    }
    let mut out: Vec<Piece> = Vec::new();
    for (c, m) in chars.into_iter().zip(marked) {
        match out.last_mut() {
            Some(p) if p.marked == m => p.text.push(c),
            _ => out.push(Piece {
                text: c.to_string(),
                marked: m,
            }),
        }
    }
    out
}

fn question_text(state: &SharedState, survey: &str, version: &str, question: &str) -> String {
    state
        .surveys
        .get(survey)
        .and_then(|s| s.question(question))
        .map(|q| q.text.get(version).to_string())
        .unwrap_or_else(|| question.to_string())
}

pub async fn queue(
    State(state): State<SharedState>,
    Query(f): Query<Filter>,
    staff: Staff,
) -> AppResult<Response> {
    let status = f
        .status
        .filter(|s| engine::store::STATUSES.contains(&s.as_str()));
    let asked = asked_page(f.page.as_deref());
    let want = status.clone();
    let (page_no, flags, total) = read(&state, move |s| {
        let (flags, total) = s.flags(want.as_deref(), PER_PAGE, (asked - 1) * PER_PAGE)?;
        let last = page_count(total);
        if asked <= last {
            return Ok((asked, flags, total));
        }
        // Past the end: the last page.
        let (flags, total) = s.flags(want.as_deref(), PER_PAGE, (last - 1) * PER_PAGE)?;
        Ok((last, flags, total))
    })
    .await?;
    let counts = read(&state, |s| s.flag_counts()).await?;
    let rows: Vec<_> = flags
        .iter()
        .map(|f| {
            let found = indicators(&f.indicators);
            context! {
                id => f.id,
                flagged_at => f.flagged_at,
                status => f.status,
                status_title => status_title(&f.status),
                survey => f.survey_id,
                channel => engine::import::Channel::label_of(&f.channel),
                question => question_text(&state, &f.survey_id, &f.version_id, &f.question_id),
                categories => categories(&found),
                trigger => trigger_text(&state, f),
                pieces => pieces(&f.text, &found),
            }
        })
        .collect();
    let counts: Vec<_> = counts
        .iter()
        .map(|(s, n)| {
            context! { status => s, title => status_title(s), n => n, query => queue_query(Some(s), 1) }
        })
        .collect();
    let body = render(
        "review/queue.html",
        context! {
            chrome => chrome(&state, &staff),
            flags => rows,
            counts => counts,
            ..paging(status.as_deref(), page_no, total, flags.len())
        },
    )?;
    Ok(page(StatusCode::OK, body))
}

pub async fn show(
    State(state): State<SharedState>,
    Path(flag): Path<String>,
    staff: Staff,
) -> AppResult<Response> {
    render_flag(&state, &staff, id(&flag)?, None, "", StatusCode::OK).await
}

async fn render_flag(
    state: &SharedState,
    staff: &Staff,
    flag_id: i64,
    error: Option<String>,
    note: &str,
    status: StatusCode,
) -> AppResult<Response> {
    let Some((f, decisions)) = read(state, move |s| s.flag(flag_id)).await? else {
        return Err(AppError::NotFound);
    };
    let found = indicators(&f.indicators);
    let found_rows: Vec<_> = found
        .iter()
        .map(|i| context! { category => i.category, phrase => i.phrase, words => i.words })
        .collect();
    let choices: Vec<_> = next_statuses(&f.status)
        .iter()
        .map(|s| context! { value => s, title => status_title(s) })
        .collect();
    let decisions: Vec<_> = decisions
        .iter()
        .map(|d| context! { at => d.at, user => d.user_name, status => status_title(&d.status), note => d.note })
        .collect();
    let body = render(
        "review/flag.html",
        context! {
            chrome => chrome(state, staff),
            id => f.id,
            flagged_at => f.flagged_at,
            status_title => status_title(&f.status),
            survey => f.survey_id,
            version => f.version_id,
            channel => engine::import::Channel::label_of(&f.channel),
            deleted => f.response_id.is_none(),
            question => question_text(state, &f.survey_id, &f.version_id, &f.question_id),
            pieces => pieces(&f.text, &found),
            indicators => found_rows,
            trigger => trigger_text(state, &f),
            decisions => decisions,
            choices => choices,
            error => error,
            note => note,
        },
    )?;
    Ok(page(status, body))
}

pub async fn decide(
    State(state): State<SharedState>,
    Path(flag): Path<String>,
    req: Request<Body>,
) -> AppResult<Response> {
    let flag_id = id(&flag)?;
    let (staff, fields) = read_staff_form(req).await?;
    let status = crate::form::first(&fields, "status")
        .unwrap_or("")
        .to_string();
    let note = crate::form::first(&fields, "note")
        .unwrap_or("")
        .trim()
        .to_string();
    let error = if !engine::store::STATUSES.contains(&status.as_str()) {
        Some("Choose what happens next.".to_string())
    } else if note.is_empty() {
        Some("Write a note saying what you decided and why.".to_string())
    } else if note.chars().count() > MAX_NOTE {
        Some(format!(
            "The note is too long: keep it under {MAX_NOTE} characters."
        ))
    } else {
        None
    };
    if let Some(e) = error {
        return render_flag(
            &state,
            &staff,
            flag_id,
            Some(e),
            &note,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match state
        .store
        .decide_flag(flag_id, &status, &note, &staff.user.name)
        .await
    {
        Ok(true) => Ok(see_other(&format!("/admin/safeguarding/{flag_id}"))),
        Ok(false) => Err(AppError::NotFound),
        Err(e) => {
            let e = user_error(e);
            match e {
                AppError::BadRequest(m) => {
                    render_flag(
                        &state,
                        &staff,
                        flag_id,
                        Some(m),
                        &note,
                        StatusCode::CONFLICT,
                    )
                    .await
                }
                other => Err(other),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::set_aside_text;

    #[test]
    fn a_set_aside_flag_says_which_threshold_it_fell_under() {
        let t = Some((0.02, 0.2));
        assert!(
            set_aside_text(Some(0.01), t)
                .contains("all but sure the answer is ordinary (score 0.010, under 0.020)")
        );
        assert!(set_aside_text(Some(0.1), t).contains("ordinary answers use too, set aside: the learned layer did not confirm it (score 0.100, under 0.200)"));
        assert!(set_aside_text(None, None).starts_with("An indicator phrase, set aside"));
    }
}
