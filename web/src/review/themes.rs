//! The themes explorer: the free-text questions, and a question's themes with their share of
//! each version, channel and care setting, from kept counts. A theme's answers are in
//! `theme_answers`, runs are started in `themes_runs`, corrections made in `corrections`.
use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use engine::Survey;
use engine::import::Channel;
use engine::store::ThemeCounts;
use minijinja::context;

use super::chrome::chrome;
use super::counts::keep_breakdown_counts;
use super::dashboard::chosen_in;
use super::question::{base, free_text_question, question_text};
use super::staff::{Staff, Workspace};
use crate::error::AppResult;
use crate::http::page;
use crate::state::{SharedState, read};
use crate::templates::render;
use publish::labels::{Breakdown, breakdowns};

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

/// Share of a theme's `size` answers in each group of `counts` (group id, answers), as (group
/// label, percent), largest first.
fn shares(
    counts: impl IntoIterator<Item = (String, i64)>,
    size: i64,
    labels: &[(String, String)],
) -> Vec<(String, i64)> {
    if size <= 0 {
        return Vec::new();
    }
    let mut by_group: BTreeMap<String, i64> = BTreeMap::new();
    for (k, n) in counts {
        *by_group.entry(k).or_default() += n;
    }
    let mut out: Vec<(String, i64)> = by_group
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| {
            let label = labels
                .iter()
                .find(|(id, _)| id == &k)
                .map_or(k.clone(), |(_, l)| l.clone());
            (label, (100 * n + size / 2) / size)
        })
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// A free-text question's themes and their counts (never its answers: a page of those is read
/// where it is shown).
pub(super) struct Loaded {
    pub(super) survey: Arc<Survey>,
    pub(super) question: engine::survey::Question,
    pub(super) themes: Vec<engine::store::ThemeRow>,
    pub(super) counts: ThemeCounts,
    pub(super) breakdowns: Vec<Breakdown>,
}

pub(super) async fn load(
    state: &SharedState,
    survey_id: &str,
    question_id: &str,
) -> AppResult<Loaded> {
    let survey = state.survey(survey_id)?;
    let question = free_text_question(&survey, question_id)?.clone();
    keep_breakdown_counts(state, &survey).await?;
    let (sid, qid) = (survey.id.clone(), question.id.clone());
    let themes = read(state, move |s| s.themes(&sid, &qid)).await?;
    let (sid, qid) = (survey.id.clone(), question.id.clone());
    let counts = read(state, move |s| s.theme_counts(&sid, &qid)).await?;
    let breakdowns = breakdowns(&survey);
    Ok(Loaded {
        survey,
        question,
        themes,
        counts,
        breakdowns,
    })
}

impl Loaded {
    pub(super) fn version_labels(&self) -> Vec<(String, String)> {
        self.survey
            .versions
            .iter()
            .map(|v| (v.id.clone(), v.name.clone()))
            .collect()
    }

    /// (channel, label) of the channels these answers came from, web first.
    pub(super) fn channel_labels(&self) -> Vec<(String, String)> {
        Channel::present(
            self.counts
                .answers_by_channel
                .iter()
                .map(|(c, _)| c.as_str()),
        )
    }

    fn care(&self) -> Option<&Breakdown> {
        self.breakdowns
            .iter()
            .find(|b| b.name == engine::store::COUNTED_BREAKDOWN)
    }

    /// (group id, answers) of `theme` in breakdown `b`.
    fn groups_of(&self, theme: i64, b: &Breakdown) -> Vec<(String, i64)> {
        self.counts
            .by_theme_group
            .get(&theme)
            .into_iter()
            .flatten()
            .filter(|(q, _, _)| b.questions.contains(q))
            .filter_map(|(_, v, n)| Some((chosen_in(v)?, *n)))
            .collect()
    }

    pub(super) fn size(&self, theme: i64) -> i64 {
        self.counts.size(theme)
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
    let mut themes = Vec::with_capacity(l.themes.len());
    for t in &l.themes {
        let size = l.size(t.id);
        let tallies = l.counts.by_theme.get(&t.id).cloned().unwrap_or_default();
        let by_version = shares(
            tallies.iter().map(|(v, _, n)| (v.clone(), *n)),
            size,
            &version_labels,
        );
        let by_channel = shares(
            tallies.iter().map(|(_, c, n)| (c.clone(), *n)),
            size,
            &channel_labels,
        );
        let by_care = l
            .care()
            .map(|b| shares(l.groups_of(t.id, b), size, &b.groups))
            .unwrap_or_default();
        let (qid, row) = (l.question.id.clone(), t.clone());
        let quotes = read(&state, move |s| s.theme_quotes(&qid, &row, 3)).await?;
        themes.push((
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
                quotes => quotes,
            },
        ));
    }
    themes.sort_by_key(|t| std::cmp::Reverse(t.0));
    let answers = l.counts.answers();
    let unthemed = (answers - l.counts.themed).max(0);
    let (sid, qid) = (l.survey.id.clone(), l.question.id.clone());
    let runs = read(&state, move |s| s.theme_runs(&sid, &qid)).await?;
    let body = render(
        "review/themes.html",
        context! {
            chrome => chrome(&state, &staff),
            survey => context! { id => l.survey.id, title => l.survey.title },
            question => context! { id => l.question.id, text => question_text(&l.question) },
            base => base(&l.survey.id, &l.question.id),
            answers => answers,
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
