//! Themes runs: a run of the analysis on a free-text question started in the background, its
//! progress, and the list of past runs.
use std::sync::{Arc, Mutex};

use analysis::{K, Options, Progress};
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use engine::store::{MachineTheme, RunResult, ThemedAnswer};
use minijinja::context;

use super::chrome::chrome;
use super::question::{base, free_text_question, question_form, question_text};
use super::staff::{Workspace, id};
use crate::error::{AppError, AppResult};
use crate::http::{page, see_other};
use crate::jobs::Job;
use crate::state::{SharedState, read};
use crate::templates::render;

/// Fewest answers worth grouping.
const MIN_ANSWERS: usize = 4;
const MAX_K: usize = 60;

/// What is recorded while the run is under way; [`compute`] replaces it with how the run
/// turned out (a model that cannot load falls back to words).
fn software_at_start(opts: &Options) -> String {
    format!(
        "Heard {}, method \"{}\" asked for (running)",
        env!("CARGO_PKG_VERSION"),
        opts.method.name()
    )
}

/// The options a run stores that this build can name, in the order a run's page lists them.
const KNOWN_OPTIONS: [(&str, &str); 8] = [
    ("k", "Number of themes"),
    ("method", "Answers compared by"),
    ("text", "Text read"),
    ("dims", "Dimensions of the words' space"),
    ("min_df", "A word counts when in at least this many answers"),
    ("max_df", "and in at most this share of them"),
    ("bigrams", "Pairs of words as well"),
    ("runs", "k-means starts"),
];

/// One stored option's value as an analyst reads it.
fn value_read(key: &str, v: &serde_json::Value) -> String {
    match (key, v) {
        ("method", serde_json::Value::String(m)) if m == "meaning" => "meaning and words".into(),
        ("method", serde_json::Value::String(m)) if m == "words" => "words alone".into(),
        (_, serde_json::Value::String(s)) => s.clone(),
        (_, serde_json::Value::Bool(true)) => "yes".into(),
        (_, serde_json::Value::Bool(false)) => "no".into(),
        (_, other) => other.to_string(),
    }
}

/// A run's options as an analyst reads them: (what, value) pairs in a fixed order, from the
/// JSON the run stored; keys this build does not know, and JSON that is not an object, shown as
/// stored, so nothing recorded is hidden.
fn options_read(json: &str) -> Vec<(String, String)> {
    let Ok(serde_json::Value::Object(mut o)) = serde_json::from_str::<serde_json::Value>(json)
    else {
        return vec![("Options".into(), json.to_string())];
    };
    let mut out = Vec::new();
    for (key, what) in KNOWN_OPTIONS {
        if let Some(v) = o.remove(key) {
            out.push((what.to_string(), value_read(key, &v)));
        }
    }
    out.extend(o.iter().map(|(k, v)| (k.clone(), value_read(k, v))));
    out
}

/// What the list of runs shows of a run's options, so runs can be told apart at a glance: the
/// number of themes asked for and how answers were compared (the run's page has the rest).
fn options_brief(json: &str) -> (String, String) {
    let stored = serde_json::from_str::<serde_json::Value>(json).unwrap_or_default();
    let value = |key: &str| {
        stored
            .get(key)
            .map_or(String::new(), |v| value_read(key, v))
    };
    (value("k"), value("method"))
}

fn progress_text(p: Progress) -> String {
    let n = |v: usize| publish::numbers::thousands(v as i64);
    match p {
        Progress::Reading { done, total } => {
            format!("Reading answers: {} of {}", n(done), n(total))
        }
        Progress::Reducing => "Finding the main patterns".into(),
        Progress::Encoding { done, total } => {
            format!(
                "Reading for meaning: {} of {} different answers",
                n(done),
                n(total)
            )
        }
        Progress::Placing { total } => format!(
            "Placing the other {} different answers by their word pieces",
            n(total)
        ),
        Progress::ChoosingK { k } => format!("Trying {k} themes"),
        Progress::Clustering => "Grouping answers into themes".into(),
        Progress::Labelling => "Naming the themes".into(),
    }
}

pub async fn run(State(state): State<SharedState>, req: Request<Body>) -> AppResult<Response> {
    let (staff, fields, survey, question) = question_form(&state, req).await?;
    let k_field = crate::form::first(&fields, "k").unwrap_or("auto").trim();
    let k = match k_field {
        "" | "auto" => None,
        n => match n.parse::<usize>() {
            Ok(k) if (2..=MAX_K).contains(&k) => Some(k),
            _ => {
                return Err(AppError::BadRequest(format!(
                    "The number of themes must be \"auto\" or a whole number from 2 to {MAX_K}"
                )));
            }
        },
    };
    let seed = match crate::form::first(&fields, "seed").unwrap_or("").trim() {
        "" => 42,
        s => s.parse::<u32>().map_err(|_| {
            AppError::BadRequest("The seed must be a whole number from 0 to 4294967295".into())
        })? as u64,
    };
    if let Some(run) = state.theme_jobs.running_for(&survey.id, &question.id) {
        return Ok(see_other(&format!(
            "{}/runs/{run}",
            base(&survey.id, &question.id)
        )));
    }
    let mut opts = Options {
        seed,
        ..Options::default()
    };
    let k_desc = match k {
        Some(k) => {
            opts.k = K::Fixed(k);
            k.to_string()
        }
        None => "auto (2 to 30, by silhouette)".to_string(),
    };
    let options = serde_json::json!({
        "k": k_desc, "dims": opts.dims, "min_df": opts.min_df, "max_df": opts.max_df,
        "bigrams": opts.bigrams, "runs": opts.runs, "text": "masked",
        "method": opts.method.name(),
    })
    .to_string();
    let run_id = state
        .store
        .start_theme_run(
            &survey.id,
            &question.id,
            options,
            seed,
            &software_at_start(&opts),
            &staff.user.name,
        )
        .await?;
    let progress = Arc::new(Mutex::new("Starting".to_string()));
    if let Ok(mut m) = state.theme_jobs.running.lock() {
        m.insert(
            run_id,
            Job {
                survey: survey.id.clone(),
                question: question.id.clone(),
                progress: progress.clone(),
            },
        );
    }
    let st = state.clone();
    let (sid, qid) = (survey.id.clone(), question.id.clone());
    tokio::spawn(async move {
        if super::remasking::under_way(&st) {
            if let Ok(mut p) = progress.lock() {
                *p = "Waiting while stored answers are masked again".into();
            }
            super::remasking::finished(&st).await;
        }
        let store = st.store.clone();
        let outcome =
            tokio::task::spawn_blocking(move || compute(&store, &sid, &qid, opts, &progress)).await;
        let result = match outcome {
            Ok(Ok(r)) => st
                .store
                .finish_theme_run(run_id, r)
                .await
                .map_err(|e| e.to_string()),
            Ok(Err(e)) => Err(e),
            Err(e) => Err(format!("the analysis stopped: {e}")),
        };
        if let Err(e) = result {
            tracing::warn!(run = run_id, error = %e, "themes run failed");
            let _ = st.store.fail_theme_run(run_id, &e).await;
        }
        if let Ok(mut m) = st.theme_jobs.running.lock() {
            m.remove(&run_id);
        }
    });
    Ok(see_other(&format!(
        "{}/runs/{run_id}",
        base(&survey.id, &question.id)
    )))
}

/// The analysis itself, off the async runtime: masked answers in, a run's result out.
fn compute(
    store: &engine::Store,
    survey: &str,
    question: &str,
    mut opts: Options,
    progress: &Mutex<String>,
) -> Result<RunResult, String> {
    let answers = store
        .themed_answers(survey, question)
        .map_err(|e| e.to_string())?;
    let answers: Vec<ThemedAnswer> = answers
        .into_iter()
        .filter(|a| !a.text.trim().is_empty())
        .collect();
    if answers.len() < MIN_ANSWERS {
        return Err(format!(
            "there are {} answers; themes need at least {MIN_ANSWERS}",
            answers.len()
        ));
    }
    let n = answers.len();
    opts.k = match opts.k {
        K::Fixed(k) => K::Fixed(k.min(n / 2).max(1)),
        K::Auto { min, max } => K::Auto {
            min,
            max: max.min(n / 2).max(min),
        },
    };
    let texts: Vec<&str> = answers.iter().map(|a| a.text.as_str()).collect();
    let set = analysis::themes(&texts, &opts, &mut |p| {
        if let Ok(mut g) = progress.lock() {
            *g = progress_text(p);
        }
    })
    .map_err(|e| e.to_string())?;
    Ok(RunResult {
        k: set.k,
        k_choice: set.k_choice.clone(),
        software: set.provenance.describe(&opts),
        answers: n,
        themes: machine_themes(&set, &answers),
    })
}

pub(super) fn machine_themes(
    set: &analysis::ThemeSet,
    answers: &[ThemedAnswer],
) -> Vec<MachineTheme> {
    set.themes
        .iter()
        .map(|t| MachineTheme {
            label: t.label.clone(),
            terms: t.terms.clone(),
            representatives: t
                .quotes
                .iter()
                .filter_map(|&i| answers.get(i).map(|a| a.response_id))
                .collect(),
            members: set
                .assignments
                .iter()
                .enumerate()
                .filter(|(_, a)| a.theme == Some(t.id))
                .filter_map(|(i, _)| answers.get(i).map(|a| a.response_id))
                .collect(),
        })
        .collect()
}

pub async fn run_status(
    State(state): State<SharedState>,
    Workspace { staff, survey }: Workspace,
    Path((_, question_id, run)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let question = free_text_question(&survey, &question_id)?;
    let run_id = id(&run)?;
    let Some(info) = read(&state, move |s| s.theme_run(run_id)).await? else {
        return Err(AppError::NotFound);
    };
    let progress = state.theme_jobs.progress(run_id);
    let options = options_read(&info.options);
    let body = render(
        "review/run.html",
        context! {
            chrome => chrome(&state, &staff),
            survey => context! { id => survey.id, title => survey.title },
            question => context! { id => question.id, text => question_text(question) },
            base => base(&survey.id, &question.id),
            options => options,
            run => info,
            progress => progress,
        },
    )?;
    Ok(page(StatusCode::OK, body))
}

pub async fn runs(
    State(state): State<SharedState>,
    Workspace { staff, survey }: Workspace,
    Path((_, question_id)): Path<(String, String)>,
) -> AppResult<Response> {
    let question = free_text_question(&survey, &question_id)?;
    let (sid, qid) = (survey.id.clone(), question.id.clone());
    let runs: Vec<_> = read(&state, move |s| s.theme_runs(&sid, &qid))
        .await?
        .into_iter()
        .map(|run| {
            let (asked, method) = options_brief(&run.options);
            (run, asked, method)
        })
        .collect();
    let body = render(
        "review/runs.html",
        context! {
            chrome => chrome(&state, &staff),
            survey => context! { id => survey.id, title => survey.title },
            question => context! { id => question.id, text => question_text(question) },
            base => base(&survey.id, &question.id),
            runs => runs,
        },
    )?;
    Ok(page(StatusCode::OK, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_read_in_words_and_keep_what_they_do_not_know() {
        let read = options_read(
            r#"{"k":"3","method":"meaning","bigrams":true,"runs":5,"text":"masked","later":1}"#,
        );
        assert_eq!(
            read,
            [
                ("Number of themes", "3"),
                ("Answers compared by", "meaning and words"),
                ("Text read", "masked"),
                ("Pairs of words as well", "yes"),
                ("k-means starts", "5"),
                ("later", "1"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        assert_eq!(
            options_read("not json"),
            [("Options".to_string(), "not json".to_string())]
        );
    }

    #[test]
    fn the_list_of_runs_shows_themes_asked_for_and_how_answers_were_compared() {
        let brief =
            options_brief(r#"{"k":"auto (2 to 30, by silhouette)","method":"words","dims":100}"#);
        assert_eq!(
            brief,
            (
                "auto (2 to 30, by silhouette)".to_string(),
                "words alone".to_string()
            )
        );
        assert_eq!(options_brief("not json"), (String::new(), String::new()));
    }

    #[test]
    fn progress_reads_with_thousands_separators() {
        assert_eq!(
            progress_text(Progress::Reading {
                done: 12_345,
                total: 557_077
            }),
            "Reading answers: 12,345 of 557,077"
        );
        assert_eq!(
            progress_text(Progress::Placing { total: 457_077 }),
            "Placing the other 457,077 different answers by their word pieces"
        );
    }
}
