//! The themes explorer: a question's themes with their share of each version, channel and care
//! setting, and a theme's answers (masked) with search and filters. Runs are started in
//! `themes_runs`, corrections made in `corrections`.
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use engine::Survey;
use engine::import::Channel;
use engine::store::ThemedAnswer;
use minijinja::context;

use super::chrome::chrome;
use super::question::{base, free_text_question, question_text};
use super::staff::{Staff, Workspace, id};
use crate::error::{AppError, AppResult};
use crate::http::page;
use crate::state::{SharedState, read};
use crate::templates::render;
use publish::labels::{Breakdown, breakdowns, group_of};

/// Answers shown on a theme's page at once.
const SHOWN: usize = 300;

pub async fn questions(
    State(state): State<SharedState>,
    Workspace { staff, survey }: Workspace,
) -> AppResult<Response> {
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

pub(super) struct Loaded {
    pub(super) survey: Arc<Survey>,
    pub(super) question: engine::survey::Question,
    pub(super) answers: Vec<ThemedAnswer>,
    pub(super) themes: Vec<engine::store::ThemeRow>,
    pub(super) groups: HashMap<i64, BTreeMap<String, AnswerValueMap>>,
    pub(super) breakdowns: Vec<Breakdown>,
}

type AnswerValueMap = engine::AnswerValue;

pub(super) async fn load(
    state: &SharedState,
    survey_id: &str,
    question_id: &str,
) -> AppResult<Loaded> {
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
    staff: Staff,
) -> AppResult<Response> {
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
    staff: Staff,
) -> AppResult<Response> {
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
