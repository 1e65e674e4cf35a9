//! The dashboard of a survey: responses and drafts by version, channel and day, where people stop,
//! and how every choice question was answered by version and by each breakdown group. Counts
//! only: no answer's words appear here.
use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use engine::AnswerValue;
use engine::import::Channel;
use engine::store::{AnswerCount, Grouping};
use minijinja::context;
use publish::labels::{Breakdown, breakdowns, choice_label};
use serde::Serialize;

use super::chrome::chrome;
use super::counts::keep_breakdown_counts;
use super::staff::Workspace;
use crate::error::AppResult;
use crate::http::page;
use crate::state::{SharedState, read};
use crate::templates::render;

#[derive(Serialize)]
struct Bar {
    day: String,
    n: i64,
    x: f64,
    y: f64,
    h: f64,
}

/// Bars of responses per day over the last `days` days with any, zero days included.
fn day_bars(by_day: &[(String, i64)], days: i64) -> (Vec<Bar>, i64) {
    let parsed: Vec<(NaiveDate, i64)> = by_day
        .iter()
        .filter_map(|(d, n)| Some((NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?, *n)))
        .collect();
    let Some(last) = parsed.iter().map(|(d, _)| *d).max() else {
        return (Vec::new(), 0);
    };
    let first = parsed
        .iter()
        .map(|(d, _)| *d)
        .min()
        .unwrap_or(last)
        .max(last - chrono::Duration::days(days - 1));
    let map: BTreeMap<NaiveDate, i64> = parsed.into_iter().collect();
    let span = (last - first).num_days() + 1;
    let max = map.values().copied().max().unwrap_or(1).max(1);
    let width = 600.0 / span as f64;
    let bar = bar_width(span as usize);
    let bars = (0..span)
        .map(|i| {
            let day = first + chrono::Duration::days(i);
            let n = map.get(&day).copied().unwrap_or(0);
            let h = 140.0 * n as f64 / max as f64;
            Bar {
                day: day.format("%-d %b %Y").to_string(),
                n,
                x: i as f64 * width + (width - bar) / 2.0,
                y: 150.0 - h,
                h,
            }
        })
        .collect();
    (bars, max)
}

/// Counts by group of each choice of each choice question: question -> choice -> group -> n.
type Table = BTreeMap<String, BTreeMap<String, BTreeMap<String, i64>>>;

pub fn tabulate(counts: &[AnswerCount], group_of: impl Fn(&str) -> Option<String>) -> Table {
    let mut t: Table = BTreeMap::new();
    for c in counts {
        let Some(g) = group_of(&c.group) else {
            continue;
        };
        let Some(v) = AnswerValue::from_json(&c.value) else {
            continue;
        };
        for choice in v.chosen() {
            *t.entry(c.question_id.clone())
                .or_default()
                .entry(choice.to_string())
                .or_default()
                .entry(g.clone())
                .or_default() += c.n;
        }
    }
    t
}

/// The chosen id in a stored breakdown answer (JSON), if any.
pub fn chosen_in(json: &str) -> Option<String> {
    AnswerValue::from_json(json)?
        .chosen()
        .first()
        .map(|s| s.to_string())
}

pub async fn show(
    State(state): State<SharedState>,
    Workspace { staff, survey }: Workspace,
) -> AppResult<Response> {
    keep_breakdown_counts(&state, &survey).await?;
    let sid = survey.id.clone();
    let counts = read(&state, move |s| s.survey_counts(&sid)).await?;
    let sid = survey.id.clone();
    let progress = read(&state, move |s| s.open_draft_progress(&sid)).await?;
    let sid = survey.id.clone();
    let answered = read(&state, move |s| s.answered_counts(&sid)).await?;
    let sid = survey.id.clone();
    let by_version = read(&state, move |s| s.answer_counts(&sid, &Grouping::Version)).await?;
    let all_breakdowns = breakdowns(&survey);
    let mut by_breakdown = Vec::new();
    for b in all_breakdowns
        .iter()
        .filter(|b| b.name == engine::store::COUNTED_BREAKDOWN)
    {
        let mut counts = Vec::new();
        for q in &b.questions {
            let (sid, q) = (survey.id.clone(), q.clone());
            counts
                .extend(read(&state, move |s| s.answer_counts(&sid, &Grouping::Answer(q))).await?);
        }
        by_breakdown.push((b.clone(), tabulate(&counts, chosen_in)));
    }
    // Answers gathered on paper, at events or by partners count the same: once there are any,
    // every choice question is broken down by channel too.
    if counts
        .responses_by_channel
        .iter()
        .any(|(c, _)| c != Channel::Web.as_str())
    {
        let sid = survey.id.clone();
        let by_channel = read(&state, move |s| s.answer_counts(&sid, &Grouping::Channel)).await?;
        let channels = Breakdown {
            name: "channel".into(),
            title: "Channel".into(),
            questions: Vec::new(),
            groups: Channel::present(counts.responses_by_channel.iter().map(|(c, _)| c.as_str())),
        };
        by_breakdown.push((channels, tabulate(&by_channel, |g| Some(g.to_string()))));
    }
    let total: i64 = counts.responses_by_version.iter().map(|(_, n)| n).sum();
    let drafts: i64 = counts.drafts_by_version.iter().map(|(_, n)| n).sum();
    let version_rows: Vec<_> = survey
        .versions
        .iter()
        .map(|v| {
            let n = |list: &[(String, i64)]| {
                list.iter().find(|(id, _)| id == &v.id).map_or(0, |(_, n)| *n)
            };
            context! { name => v.name, responses => n(&counts.responses_by_version), drafts => n(&counts.drafts_by_version) }
        })
        .collect();
    let (bars, max) = day_bars(&counts.responses_by_day, 90);

    // Where people stop: per version, per page, the questions on it, how many responses answered
    // each, and how many open drafts got no further than that page.
    let stops: Vec<_> = survey
        .versions
        .iter()
        .map(|v| {
            let responses = counts
                .responses_by_version
                .iter()
                .find(|(id, _)| id == &v.id)
                .map_or(0, |(_, n)| *n);
            let pages: Vec<_> = survey
                .pages(&v.id)
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let stopped: i64 = progress
                        .iter()
                        .filter(|(ver, page, _)| ver == &v.id && *page == i as i64 + 1)
                        .map(|(_, _, n)| n)
                        .sum();
                    let questions: Vec<_> = p
                        .questions
                        .iter()
                        .filter_map(|&qi| survey.questions.get(qi))
                        .map(|q| {
                            let n = answered
                                .iter()
                                .find(|(ver, qid, _)| ver == &v.id && qid == &q.id)
                                .map_or(0, |(_, _, n)| *n);
                            context! {
                                text => q.text.get(&v.id),
                                answered => n,
                                percent => if responses > 0 { (100 * n + responses / 2) / responses } else { 0 },
                            }
                        })
                        .collect();
                    context! { number => i + 1, stopped => stopped, questions => questions }
                })
                .collect();
            let not_started: i64 = progress
                .iter()
                .filter(|(ver, page, _)| ver == &v.id && *page == 0)
                .map(|(_, _, n)| n)
                .sum();
            context! { name => v.name, id => v.id, responses => responses, pages => pages, not_started => not_started }
        })
        .collect();

    let version_table = tabulate(&by_version, |g| Some(g.to_string()));
    let choice_questions: Vec<_> = survey
        .questions
        .iter()
        .filter(|q| q.kind.has_choices())
        .map(|q| {
            let cols: Vec<_> = survey
                .versions
                .iter()
                .filter(|v| q.asked_in(&v.id))
                .map(|v| (v.id.clone(), v.name.clone()))
                .collect();
            let rows: Vec<_> = q
                .choices
                .iter()
                .map(|c| {
                    let cells = version_table.get(&q.id).and_then(|t| t.get(&c.id));
                    let values: Vec<i64> = cols
                        .iter()
                        .map(|(v, _)| cells.and_then(|m| m.get(v)).copied().unwrap_or(0))
                        .collect();
                    context! { label => choice_label(&survey, &q.id, &c.id), values => values }
                })
                .collect();
            let breakdown_tables: Vec<_> = by_breakdown
                .iter()
                .filter(|(b, _)| !b.questions.contains(&q.id))
                .map(|(b, table)| {
                    let groups: Vec<_> = b.groups.iter().map(|(_, l)| l.clone()).collect();
                    let rows: Vec<_> = q
                        .choices
                        .iter()
                        .map(|c| {
                            let cells = table.get(&q.id).and_then(|t| t.get(&c.id));
                            let values: Vec<i64> = b
                                .groups
                                .iter()
                                .map(|(g, _)| cells.and_then(|m| m.get(g)).copied().unwrap_or(0))
                                .collect();
                            context! { label => choice_label(&survey, &q.id, &c.id), values => values }
                        })
                        .collect();
                    context! { title => b.title, groups => groups, rows => rows }
                })
                .collect();
            let text = q
                .versions
                .first()
                .map(|v| q.text.get(v).to_string())
                .unwrap_or_default();
            context! {
                id => q.id,
                text => text,
                columns => cols.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>(),
                rows => rows,
                breakdowns => breakdown_tables,
            }
        })
        .collect();

    let body = render(
        "review/dashboard.html",
        context! {
            chrome => chrome(&state, &staff),
            survey => context! { id => survey.id, title => survey.title, opens => survey.opens.to_string(), closes => survey.closes.to_string() },
            total => total,
            drafts => drafts,
            versions => version_rows,
            channels => channel_counts(&counts.responses_by_channel),
            bars => bars,
            bar_width => bar_width(bars_len(&counts.responses_by_day)),
            max => max,
            stops => stops,
            choice_questions => choice_questions,
        },
    )?;
    Ok(page(StatusCode::OK, body))
}

/// The width of one day's bar: most of its slot, but never a slab when there are few days.
fn bar_width(days: usize) -> f64 {
    if days == 0 {
        return 0.0;
    }
    (600.0 / days as f64 * 0.8).min(40.0)
}

fn bars_len(by_day: &[(String, i64)]) -> usize {
    day_bars(by_day, 90).0.len()
}

/// (label, responses) of each channel, in the usual order of channels (web first), as the themes
/// explorer and the exports list them.
fn channel_counts(by_channel: &[(String, i64)]) -> Vec<(String, i64)> {
    Channel::present(by_channel.iter().map(|(c, _)| c.as_str()))
        .into_iter()
        .map(|(stored, label)| {
            let n = by_channel
                .iter()
                .filter(|(c, _)| *c == stored)
                .map(|(_, n)| n)
                .sum();
            (label, n)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_bars_fill_empty_days_and_scale_to_the_busiest() {
        let (bars, max) = day_bars(&[("2026-03-01".into(), 2), ("2026-03-04".into(), 4)], 90);
        assert_eq!(max, 4);
        assert_eq!(bars.len(), 4);
        assert_eq!(
            bars.iter().map(|b| b.n).collect::<Vec<_>>(),
            vec![2, 0, 0, 4]
        );
        assert!((bars[3].h - 140.0).abs() < 1e-9);
        assert_eq!(day_bars(&[], 90).0.len(), 0);
    }

    #[test]
    fn channels_are_counted_in_their_usual_order_with_web_first() {
        let stored = vec![
            ("event".to_string(), 2),
            ("paper".to_string(), 5),
            ("web".to_string(), 40),
        ];
        let shown = super::channel_counts(&stored);
        assert_eq!(shown.first().map(|(_, n)| *n), Some(40), "{shown:?}");
        assert_eq!(shown.len(), 3);
        assert_eq!(shown.iter().map(|(_, n)| n).sum::<i64>(), 47);
    }
}
