//! One theme's answers (masked), a page at a time, with keyword search and filters by version,
//! channel and any breakdown; each with its groups and the corrections an analyst can make.
use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use engine::AnswerValue;
use engine::import::Channel;
use engine::store::MemberFilter;
use minijinja::context;
use publish::labels::{Breakdown, group_of};

use super::chrome::chrome;
use super::question::{base, question_text};
use super::staff::{Staff, id};
use super::themes::load;
use crate::error::{AppError, AppResult};
use crate::http::page;
use crate::state::{SharedState, read};
use crate::templates::render;

/// Answers shown on one page of a theme's answers.
const PER_PAGE: usize = 100;

/// The page number asked for in `?page=`, from 1; anything else is page 1.
fn page_number(filters: &HashMap<String, String>) -> usize {
    filters
        .get("page")
        .and_then(|p| p.trim().parse::<usize>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
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
    let chosen = |name: &str| filters.get(name).filter(|v| !v.is_empty()).cloned();
    let wanted: Vec<(&Breakdown, String)> = l
        .breakdowns
        .iter()
        .filter_map(|b| chosen(&b.name).map(|v| (b, v)))
        .collect();
    let filter = MemberFilter {
        version: chosen("version"),
        channel: chosen("channel"),
        groups: wanted
            .iter()
            .map(|(b, g)| {
                (
                    b.questions.clone(),
                    AnswerValue::Choice(g.clone()).to_json(),
                )
            })
            .collect(),
        keyword: filters
            .get("q")
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty()),
    };
    let asked = page_number(&filters);
    let (fq, qid) = (filter.clone(), l.question.id.clone());
    let offset = (asked - 1).saturating_mul(PER_PAGE);
    let (mut rows, matching) = read(&state, move |s| {
        s.theme_members(theme_id, &qid, &fq, offset, PER_PAGE)
    })
    .await?;
    let pages = matching.div_ceil(PER_PAGE).max(1);
    // Past the last page: show the last page, not an empty one.
    let page_no = asked.min(pages);
    if page_no != asked {
        let (fq, qid) = (filter.clone(), l.question.id.clone());
        let offset = (page_no - 1) * PER_PAGE;
        rows = read(&state, move |s| {
            s.theme_members(theme_id, &qid, &fq, offset, PER_PAGE)
        })
        .await?
        .0;
    }
    let ids: Vec<i64> = rows.iter().map(|a| a.response_id).collect();
    let qs: Vec<String> = l
        .breakdowns
        .iter()
        .flat_map(|b| b.questions.clone())
        .collect();
    let groups = read(&state, move |s| s.answers_of(&ids, &qs)).await?;
    let version_name = |id: &str| {
        l.survey
            .version(id)
            .map_or(id.to_string(), |v| v.name.clone())
    };
    let shown: Vec<_> = rows
        .iter()
        .map(|a| {
            let groups: Vec<String> = l
                .breakdowns
                .iter()
                .filter_map(|b| {
                    let g = group_of(b, groups.get(&a.response_id))?;
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
    // The filters as a query string, for the links to other pages.
    let enc = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let mut kept: Vec<(&String, &String)> = filters
        .iter()
        .filter(|(k, v)| *k != "page" && !v.is_empty())
        .collect();
    kept.sort();
    let query: String = kept
        .iter()
        .map(|(k, v)| format!("{}={}&", enc(k), enc(v)))
        .collect();
    let first = if matching == 0 {
        0
    } else {
        (page_no - 1) * PER_PAGE + 1
    };
    let body = render(
        "review/theme.html",
        context! {
            chrome => chrome(&state, &staff),
            survey => context! { id => l.survey.id, title => l.survey.title },
            question => context! { id => l.question.id, text => question_text(&l.question) },
            base => base(&l.survey.id, &l.question.id),
            theme => context! { id => t.id, label => t.label, terms => t.terms.join(", "), size => l.size(t.id), origin => t.origin, named => t.named_by_analyst },
            answers => shown,
            matching => matching,
            first => first,
            last => first + rows.len().saturating_sub(1),
            page => page_no,
            pages => pages,
            query => query,
            others => others,
            keyword => filters.get("q").cloned().unwrap_or_default(),
            versions => l.version_labels(),
            version => filter.version.clone().unwrap_or_default(),
            channels => l.channel_labels(),
            channel => filter.channel.clone().unwrap_or_default(),
            filters => filter_fields,
        },
    )?;
    Ok(page(StatusCode::OK, body))
}
