//! The analysts' corrections to the machine's themes: rename, merge, split, move an answer, mark
//! a quote, redact. Stored by `engine::store::themes`, which keeps them through later runs.
use analysis::{K, Options};
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::response::Response;
use engine::store::ThemedAnswer;

use super::question::{base, question_form};
use super::staff::{id, read_staff_form, user_error};
use super::themes::load;
use super::themes_runs::machine_themes;
use crate::error::{AppError, AppResult};
use crate::http::see_other;
use crate::state::{SharedState, read};

const MAX_LABEL: usize = 120;

pub async fn merge(
    State(state): State<SharedState>,
    Path((survey_id, question_id)): Path<(String, String)>,
    req: Request<Body>,
) -> AppResult<Response> {
    let (staff, fields) = read_staff_form(req).await?;
    let l = load(&state, &survey_id, &question_id).await?;
    let mut chosen: Vec<i64> = fields
        .iter()
        .filter(|(k, _)| k == "theme")
        .map(|(_, v)| {
            v.parse::<i64>().map_err(|_| {
                AppError::BadRequest(
                    "A theme to merge was not one of this question's themes".into(),
                )
            })
        })
        .collect::<AppResult<_>>()?;
    chosen.sort_unstable();
    chosen.dedup();
    if chosen.len() < 2 {
        return Err(AppError::BadRequest(
            "Choose two or more themes to merge".into(),
        ));
    }
    // The largest chosen theme takes the others in, keeping its name.
    let size = |t: i64| l.size(t);
    let into = chosen
        .iter()
        .copied()
        .max_by(|a, b| size(*a).cmp(&size(*b)).then(b.cmp(a)))
        .unwrap_or(chosen[0]);
    state
        .store
        .merge_themes(&l.survey.id, &l.question.id, into, chosen, &staff.user.name)
        .await
        .map_err(user_error)?;
    Ok(see_other(&format!(
        "{}/t/{into}",
        base(&l.survey.id, &l.question.id)
    )))
}

pub async fn rename(
    State(state): State<SharedState>,
    Path((_, _, theme)): Path<(String, String, String)>,
    req: Request<Body>,
) -> AppResult<Response> {
    let theme_id = id(&theme)?;
    let (staff, fields, survey, question) = question_form(&state, req).await?;
    let label = crate::form::first(&fields, "label")
        .unwrap_or("")
        .trim()
        .to_string();
    if label.is_empty() || label.chars().count() > MAX_LABEL || label.chars().any(char::is_control)
    {
        return Err(AppError::BadRequest(format!(
            "A theme's name must be 1 to {MAX_LABEL} characters on one line"
        )));
    }
    state
        .store
        .rename_theme(&survey.id, &question.id, theme_id, &label, &staff.user.name)
        .await
        .map_err(user_error)?;
    Ok(see_other(&format!(
        "{}/t/{theme_id}",
        base(&survey.id, &question.id)
    )))
}

pub async fn split(
    State(state): State<SharedState>,
    Path((survey_id, question_id, theme)): Path<(String, String, String)>,
    req: Request<Body>,
) -> AppResult<Response> {
    let theme_id = id(&theme)?;
    let (staff, fields) = read_staff_form(req).await?;
    let l = load(&state, &survey_id, &question_id).await?;
    if !l.themes.iter().any(|t| t.id == theme_id) {
        return Err(AppError::NotFound);
    }
    let parts = match crate::form::first(&fields, "parts")
        .unwrap_or("2")
        .trim()
        .parse::<usize>()
    {
        Ok(p) if (2..=6).contains(&p) => p,
        _ => return Err(AppError::BadRequest("Split into 2 to 6 themes".into())),
    };
    // Split from copies the newest masker made, or the new themes' words could hold a name.
    super::remasking::finished(&state).await;
    let qid = l.question.id.clone();
    let members: Vec<ThemedAnswer> = read(&state, move |s| s.theme_answers(theme_id, &qid))
        .await?
        .into_iter()
        .filter(|a| !a.text.trim().is_empty())
        .collect();
    if members.len() < parts * 2 {
        return Err(AppError::BadRequest(format!(
            "This theme has {} answers: too few to split into {parts}",
            members.len()
        )));
    }
    let set = tokio::task::spawn_blocking(move || {
        let texts: Vec<&str> = members.iter().map(|a| a.text.as_str()).collect();
        let opts = Options {
            k: K::Fixed(parts),
            min_df: 1,
            max_df: 0.9,
            ..Options::default()
        };
        analysis::themes(&texts, &opts, &mut |_| {}).map(|set| machine_themes(&set, &members))
    })
    .await?
    .map_err(|e| AppError::BadRequest(format!("This theme could not be split: {e}")))?;
    let ids = state
        .store
        .split_theme(
            &l.survey.id,
            &l.question.id,
            theme_id,
            set,
            &staff.user.name,
        )
        .await
        .map_err(user_error)?;
    let to = ids.first().map_or(String::new(), |i| format!("/t/{i}"));
    Ok(see_other(&format!(
        "{}{to}",
        base(&l.survey.id, &l.question.id)
    )))
}

pub async fn answer_action(
    State(state): State<SharedState>,
    Path((_, _, response)): Path<(String, String, String)>,
    req: Request<Body>,
) -> AppResult<Response> {
    let response_id = id(&response)?;
    let (staff, fields, survey, question) = question_form(&state, req).await?;
    let (s, q, u) = (
        survey.id.as_str(),
        question.id.as_str(),
        staff.user.name.as_str(),
    );
    let field = |name: &str| {
        crate::form::first(&fields, name)
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let back_theme = field("back").parse::<i64>().ok();
    let mut to = back_theme.map_or(base(s, q), |t| format!("{}/t/{t}", base(s, q)));
    match field("action").as_str() {
        "move" => {
            let theme = field("theme").parse::<i64>().map_err(|_| {
                AppError::BadRequest("Choose the theme to move the answer to".into())
            })?;
            state
                .store
                .move_answer(s, q, response_id, theme, u)
                .await
                .map_err(user_error)?;
        }
        "quote" | "unquote" => {
            let on = field("action") == "quote";
            if !state.store.mark_quote(s, q, response_id, on, u).await? {
                return Err(AppError::NotFound);
            }
        }
        "redact" => {
            let phrase = crate::form::first(&fields, "phrase")
                .unwrap_or("")
                .to_string();
            if phrase.trim().is_empty() || phrase.chars().count() > 500 {
                return Err(AppError::BadRequest(
                    "Type the words to redact, exactly as they appear (up to 500 characters)"
                        .into(),
                ));
            }
            let n = state
                .store
                .redact(s, q, response_id, &phrase, u)
                .await
                .map_err(user_error)?;
            if n == 0 {
                return Err(AppError::BadRequest(
                    "Those words are not in the answer as shown; copy them exactly".into(),
                ));
            }
        }
        _ => {
            return Err(AppError::BadRequest(
                "That action is not one this page offers".into(),
            ));
        }
    }
    to.push_str(&format!("#answer-{response_id}"));
    Ok(see_other(&to))
}
