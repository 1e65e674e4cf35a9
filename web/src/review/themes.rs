//! The themes explorer: run the analysis on a free-text question in the background, see its
//! themes with their share of each version and care setting, open a theme to read its answers
//! (masked) with search and filters, and correct the machine: rename, merge, split, move an
//! answer, mark quotes, redact. Corrections are stored by `engine::store::themes`, which keeps
//! them through later runs.
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use analysis::{K, Options, Progress};
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use engine::Survey;
use engine::import::Channel;
use engine::store::{MachineTheme, RunResult, ThemedAnswer};
use minijinja::context;

use super::dashboard::{Breakdown, breakdowns, group_of};
use super::{Staff, chrome, id, page, read, read_staff_form, see_other, user_error};
use crate::app::SharedState;
use crate::error::{AppError, AppResult};
use crate::templates::render;

/// Answers shown on a theme's page at once.
const SHOWN: usize = 300;
/// Fewest answers worth grouping.
const MIN_ANSWERS: usize = 4;
const MAX_LABEL: usize = 120;
const MAX_K: usize = 60;

/// Runs in progress, in memory: where each has got to, for the progress page.
#[derive(Default)]
pub struct Jobs {
    running: Mutex<HashMap<i64, Job>>,
}

#[derive(Clone)]
struct Job {
    survey: String,
    question: String,
    progress: Arc<Mutex<String>>,
}

impl Jobs {
    fn running_for(&self, survey: &str, question: &str) -> Option<i64> {
        self.running.lock().ok().and_then(|m| {
            m.iter()
                .find(|(_, j)| j.survey == survey && j.question == question)
                .map(|(id, _)| *id)
        })
    }

    fn progress(&self, run: i64) -> Option<String> {
        let m = self.running.lock().ok()?;
        let j = m.get(&run)?;
        j.progress.lock().ok().map(|p| p.clone())
    }
}

fn free_text_question<'a>(
    survey: &'a Survey,
    question: &str,
) -> AppResult<&'a engine::survey::Question> {
    survey
        .question(question)
        .filter(|q| q.kind.is_free_text())
        .ok_or(AppError::NotFound)
}

fn question_text(q: &engine::survey::Question) -> String {
    q.versions
        .first()
        .map(|v| q.text.get(v).to_string())
        .unwrap_or_default()
}

fn base(survey: &str, question: &str) -> String {
    format!("/admin/surveys/{survey}/themes/{question}")
}

pub async fn questions(
    State(state): State<SharedState>,
    Path(survey_id): Path<String>,
    req: Request<Body>,
) -> AppResult<Response> {
    let staff = Staff::from_request(&req)?;
    let survey = state.survey(&survey_id)?;
    let sid = survey.id.clone();
    let answered = read(&state, move |s| s.answered_counts(&sid)).await?;
    let mut rows = Vec::new();
    for q in survey.questions.iter().filter(|q| q.kind.is_free_text()) {
        let (sid, qid) = (survey.id.clone(), q.id.clone());
        let themes = read(&state, move |s| s.themes(&sid, &qid)).await?;
        let (sid, qid) = (survey.id.clone(), q.id.clone());
        let last = read(&state, move |s| s.theme_runs(&sid, &qid)).await?;
        let n: i64 = answered
            .iter()
            .filter(|(_, qid, _)| qid == &q.id)
            .map(|(_, _, n)| n)
            .sum();
        rows.push(context! {
            id => q.id,
            text => question_text(q),
            answers => n,
            themes => themes.len(),
            last_run => last.first().map(|r| context! { status => r.status, at => r.started_at }),
        });
    }
    let body = render(
        "review/questions.html",
        context! {
            chrome => chrome(&state, &staff),
            survey => context! { id => survey.id, title => survey.title },
            questions => rows,
        },
    )?;
    Ok(page(StatusCode::OK, body))
}

/// Share of `members` in each group of `key`, as (group label, percent), largest first.
fn shares<'a>(
    members: impl Iterator<Item = &'a ThemedAnswer> + Clone,
    key: impl Fn(&ThemedAnswer) -> Option<String>,
    labels: &[(String, String)],
) -> Vec<(String, i64)> {
    let total = members.clone().count() as i64;
    if total == 0 {
        return Vec::new();
    }
    let mut counts: BTreeMap<String, i64> = BTreeMap::new();
    for a in members {
        if let Some(k) = key(a) {
            *counts.entry(k).or_default() += 1;
        }
    }
    let mut out: Vec<(String, i64)> = counts
        .into_iter()
        .map(|(k, n)| {
            let label = labels
                .iter()
                .find(|(id, _)| id == &k)
                .map_or(k.clone(), |(_, l)| l.clone());
            (label, (100 * n + total / 2) / total)
        })
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

struct Loaded {
    survey: Arc<Survey>,
    question: engine::survey::Question,
    answers: Vec<ThemedAnswer>,
    themes: Vec<engine::store::ThemeRow>,
    groups: HashMap<i64, BTreeMap<String, AnswerValueMap>>,
    breakdowns: Vec<Breakdown>,
}

type AnswerValueMap = engine::AnswerValue;

async fn load(state: &SharedState, survey_id: &str, question_id: &str) -> AppResult<Loaded> {
    let survey = state.survey(survey_id)?;
    let question = free_text_question(&survey, question_id)?.clone();
    let (sid, qid) = (survey.id.clone(), question.id.clone());
    let answers = read(state, move |s| s.themed_answers(&sid, &qid)).await?;
    let (sid, qid) = (survey.id.clone(), question.id.clone());
    let themes = read(state, move |s| s.themes(&sid, &qid)).await?;
    let breakdowns = breakdowns(&survey);
    let qs: Vec<String> = breakdowns
        .iter()
        .flat_map(|b| b.questions.clone())
        .collect();
    let sid = survey.id.clone();
    let groups = read(state, move |s| s.answers_to(&sid, &qs)).await?;
    Ok(Loaded {
        survey,
        question,
        answers,
        themes,
        groups,
        breakdowns,
    })
}

impl Loaded {
    fn version_labels(&self) -> Vec<(String, String)> {
        self.survey
            .versions
            .iter()
            .map(|v| (v.id.clone(), v.name.clone()))
            .collect()
    }

    /// (channel, label) of the channels these answers came from, web first.
    fn channel_labels(&self) -> Vec<(String, String)> {
        Channel::present(self.answers.iter().map(|a| a.channel.as_str()))
    }

    fn care(&self) -> Option<&Breakdown> {
        self.breakdowns.iter().find(|b| b.name == "care_setting")
    }

    fn quotes(&self, theme: &engine::store::ThemeRow, n: usize) -> Vec<String> {
        let members: Vec<&ThemedAnswer> = self
            .answers
            .iter()
            .filter(|a| a.theme_id == Some(theme.id))
            .collect();
        let mut out: Vec<String> = members
            .iter()
            .filter(|a| a.quote)
            .map(|a| a.text.clone())
            .collect();
        for r in &theme.representatives {
            if out.len() >= n {
                break;
            }
            if let Some(a) = members.iter().find(|a| a.response_id == *r && !a.quote) {
                out.push(a.text.clone());
            }
        }
        out.truncate(n);
        out
    }
}

pub async fn question(
    State(state): State<SharedState>,
    Path((survey_id, question_id)): Path<(String, String)>,
    req: Request<Body>,
) -> AppResult<Response> {
    let staff = Staff::from_request(&req)?;
    let l = load(&state, &survey_id, &question_id).await?;
    let running = state.theme_jobs.running_for(&l.survey.id, &l.question.id);
    let version_labels = l.version_labels();
    let channel_labels = l.channel_labels();
    let mut themes: Vec<_> = l
        .themes
        .iter()
        .map(|t| {
            let members = l.answers.iter().filter(|a| a.theme_id == Some(t.id));
            let size = members.clone().count();
            let by_version = shares(
                members.clone(),
                |a| Some(a.version_id.clone()),
                &version_labels,
            );
            let by_care = l
                .care()
                .map(|b| {
                    shares(
                        members.clone(),
                        |a| group_of(b, l.groups.get(&a.response_id)),
                        &b.groups,
                    )
                })
                .unwrap_or_default();
            let by_channel = shares(
                members.clone(),
                |a| Some(a.channel.clone()),
                &channel_labels,
            );
            (
                size,
                context! {
                    id => t.id,
                    label => t.label,
                    named => t.named_by_analyst,
                    origin => t.origin,
                    size => size,
                    terms => t.terms.iter().take(6).cloned().collect::<Vec<_>>().join(", "),
                    by_version => by_version,
                    by_care => by_care,
                    by_channel => by_channel,
                    quotes => l.quotes(t, 3),
                },
            )
        })
        .collect();
    themes.sort_by_key(|t| std::cmp::Reverse(t.0));
    let unthemed = l.answers.iter().filter(|a| a.theme_id.is_none()).count();
    let (sid, qid) = (l.survey.id.clone(), l.question.id.clone());
    let runs = read(&state, move |s| s.theme_runs(&sid, &qid)).await?;
    let body = render(
        "review/themes.html",
        context! {
            chrome => chrome(&state, &staff),
            survey => context! { id => l.survey.id, title => l.survey.title },
            question => context! { id => l.question.id, text => question_text(&l.question) },
            base => base(&l.survey.id, &l.question.id),
            answers => l.answers.len(),
            unthemed => unthemed,
            themes => themes.into_iter().map(|(_, t)| t).collect::<Vec<_>>(),
            running => running,
            last_run => runs.first(),
            has_care => l.care().is_some(),
            has_channels => channel_labels.len() > 1,
        },
    )?;
    Ok(page(StatusCode::OK, body))
}

pub async fn theme(
    State(state): State<SharedState>,
    Path((survey_id, question_id, theme)): Path<(String, String, String)>,
    Query(filters): Query<HashMap<String, String>>,
    req: Request<Body>,
) -> AppResult<Response> {
    let staff = Staff::from_request(&req)?;
    let theme_id = id(&theme)?;
    let l = load(&state, &survey_id, &question_id).await?;
    let t = l
        .themes
        .iter()
        .find(|t| t.id == theme_id)
        .ok_or(AppError::NotFound)?;
    let keyword = filters
        .get("q")
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    let version = filters.get("version").filter(|v| !v.is_empty()).cloned();
    let channel = filters.get("channel").filter(|v| !v.is_empty()).cloned();
    let wanted: Vec<(&Breakdown, String)> = l
        .breakdowns
        .iter()
        .filter_map(|b| {
            filters
                .get(&b.name)
                .filter(|v| !v.is_empty())
                .map(|v| (b, v.clone()))
        })
        .collect();
    let members: Vec<&ThemedAnswer> = l
        .answers
        .iter()
        .filter(|a| a.theme_id == Some(t.id))
        .collect();
    let matching: Vec<&ThemedAnswer> = members
        .iter()
        .copied()
        .filter(|a| {
            keyword
                .as_ref()
                .is_none_or(|k| a.text.to_lowercase().contains(k.as_str()))
        })
        .filter(|a| version.as_ref().is_none_or(|v| &a.version_id == v))
        .filter(|a| channel.as_ref().is_none_or(|c| &a.channel == c))
        .filter(|a| {
            wanted.iter().all(|(b, g)| {
                group_of(b, l.groups.get(&a.response_id)).as_deref() == Some(g.as_str())
            })
        })
        .collect();
    let version_name = |id: &str| {
        l.survey
            .version(id)
            .map_or(id.to_string(), |v| v.name.clone())
    };
    let rows: Vec<_> = matching
        .iter()
        .take(SHOWN)
        .map(|a| {
            let groups: Vec<String> = l
                .breakdowns
                .iter()
                .filter_map(|b| {
                    let g = group_of(b, l.groups.get(&a.response_id))?;
                    let label = b
                        .groups
                        .iter()
                        .find(|(id, _)| id == &g)
                        .map_or(g.clone(), |(_, l)| l.clone());
                    Some(format!("{}: {label}", b.title))
                })
                .collect();
            context! {
                id => a.response_id,
                text => a.text,
                version => version_name(&a.version_id),
                channel => Channel::label_of(&a.channel),
                quote => a.quote,
                placed => a.placed_by_analyst,
                groups => groups,
            }
        })
        .collect();
    let others: Vec<_> = l
        .themes
        .iter()
        .filter(|o| o.id != t.id)
        .map(|o| context! { id => o.id, label => o.label })
        .collect();
    let filter_fields: Vec<_> = l
        .breakdowns
        .iter()
        .map(|b| {
            context! {
                name => b.name,
                title => b.title,
                groups => b.groups,
                chosen => filters.get(&b.name).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let body = render(
        "review/theme.html",
        context! {
            chrome => chrome(&state, &staff),
            survey => context! { id => l.survey.id, title => l.survey.title },
            question => context! { id => l.question.id, text => question_text(&l.question) },
            base => base(&l.survey.id, &l.question.id),
            theme => context! { id => t.id, label => t.label, terms => t.terms.join(", "), size => members.len(), origin => t.origin, named => t.named_by_analyst },
            answers => rows,
            matching => matching.len(),
            shown => matching.len().min(SHOWN),
            others => others,
            keyword => filters.get("q").cloned().unwrap_or_default(),
            versions => l.version_labels(),
            version => version.unwrap_or_default(),
            channels => l.channel_labels(),
            channel => channel.unwrap_or_default(),
            filters => filter_fields,
        },
    )?;
    Ok(page(StatusCode::OK, body))
}

fn software(opts: &Options) -> String {
    format!(
        "Heard {}: words and stems (Snowball English), TF-IDF{}, LSA to {} dimensions, k-means \
         (k-means++ starts, best of {} runs)",
        env!("CARGO_PKG_VERSION"),
        if opts.bigrams { " with bigrams" } else { "" },
        opts.dims,
        opts.runs
    )
}

fn progress_text(p: Progress) -> String {
    match p {
        Progress::Reading { done, total } => format!("Reading answers: {done} of {total}"),
        Progress::Reducing => "Finding the main patterns".into(),
        Progress::ChoosingK { k } => format!("Trying {k} themes"),
        Progress::Clustering => "Grouping answers into themes".into(),
        Progress::Labelling => "Naming the themes".into(),
    }
}

pub async fn run(
    State(state): State<SharedState>,
    Path((survey_id, question_id)): Path<(String, String)>,
    req: Request<Body>,
) -> AppResult<Response> {
    let (staff, fields) = read_staff_form(req).await?;
    let survey = state.survey(&survey_id)?;
    let question = free_text_question(&survey, &question_id)?.clone();
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
    })
    .to_string();
    let run_id = state
        .store
        .start_theme_run(
            &survey.id,
            &question.id,
            options,
            seed,
            &software(&opts),
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
        answers: n,
        themes: machine_themes(&set, &answers),
    })
}

fn machine_themes(set: &analysis::ThemeSet, answers: &[ThemedAnswer]) -> Vec<MachineTheme> {
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
    Path((survey_id, question_id, run)): Path<(String, String, String)>,
    req: Request<Body>,
) -> AppResult<Response> {
    let staff = Staff::from_request(&req)?;
    let survey = state.survey(&survey_id)?;
    let question = free_text_question(&survey, &question_id)?;
    let run_id = id(&run)?;
    let Some(info) = read(&state, move |s| s.theme_run(run_id)).await? else {
        return Err(AppError::NotFound);
    };
    let progress = state.theme_jobs.progress(run_id);
    let body = render(
        "review/run.html",
        context! {
            chrome => chrome(&state, &staff),
            survey => context! { id => survey.id, title => survey.title },
            question => context! { id => question.id, text => question_text(question) },
            base => base(&survey.id, &question.id),
            run => info,
            progress => progress,
        },
    )?;
    Ok(page(StatusCode::OK, body))
}

pub async fn runs(
    State(state): State<SharedState>,
    Path((survey_id, question_id)): Path<(String, String)>,
    req: Request<Body>,
) -> AppResult<Response> {
    let staff = Staff::from_request(&req)?;
    let survey = state.survey(&survey_id)?;
    let question = free_text_question(&survey, &question_id)?;
    let (sid, qid) = (survey.id.clone(), question.id.clone());
    let runs = read(&state, move |s| s.theme_runs(&sid, &qid)).await?;
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
    let size = |t: i64| l.answers.iter().filter(|a| a.theme_id == Some(t)).count();
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
    Path((survey_id, question_id, theme)): Path<(String, String, String)>,
    req: Request<Body>,
) -> AppResult<Response> {
    let theme_id = id(&theme)?;
    let (staff, fields) = read_staff_form(req).await?;
    let survey = state.survey(&survey_id)?;
    let question = free_text_question(&survey, &question_id)?;
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
    let members: Vec<ThemedAnswer> = l
        .answers
        .iter()
        .filter(|a| a.theme_id == Some(theme_id) && !a.text.trim().is_empty())
        .cloned()
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
    Path((survey_id, question_id, response)): Path<(String, String, String)>,
    req: Request<Body>,
) -> AppResult<Response> {
    let response_id = id(&response)?;
    let (staff, fields) = read_staff_form(req).await?;
    let survey = state.survey(&survey_id)?;
    let question = free_text_question(&survey, &question_id)?;
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
