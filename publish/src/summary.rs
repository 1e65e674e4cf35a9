//! What every export says, computed once from one consistent read of the database: headline
//! figures, every choice question overall and broken down by version, each breakdown (care
//! setting, region...) and channel, the themes of each free-text question with quotes, and the
//! method. Every count goes through [`crate::suppress`] here, so no writer can publish a hidden one.
use std::collections::{BTreeMap, BTreeSet};

use engine::AnswerValue;
use engine::Survey;
use engine::import::Channel;
use engine::store::{ExportData, ExportResponse, ExportThemes};
use engine::survey::QuestionType;
use serde::{Serialize, Serializer};

use crate::labels::{breakdowns, choice_label};
use crate::suppress::{Mark, Sum, Table, suppress};

/// A published count: the number, or `c` when it is suppressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figure {
    n: i64,
    pub mark: Mark,
}

impl Figure {
    fn new(n: i64, mark: Mark) -> Figure {
        Figure { n, mark }
    }

    /// The count, if it may be published.
    pub fn shown(self) -> Option<i64> {
        (!self.mark.hidden()).then_some(self.n)
    }
}

impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.shown() {
            Some(n) => s.serialize_i64(n),
            None => s.serialize_str(SUPPRESSED),
        }
    }
}

/// How a suppressed count is written in machine-readable files.
pub const SUPPRESSED: &str = "c";

/// A share in percent to one decimal, published only when both counts are.
fn percent(part: Figure, whole: Figure) -> Option<f64> {
    match (part.shown(), whole.shown()) {
        (Some(p), Some(w)) if w > 0 => Some((1000.0 * p as f64 / w as f64).round() / 10.0),
        _ => None,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Label {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub id: String,
    pub label: String,
    pub n: Figure,
    pub percent: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    pub total: Figure,
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    pub by_version: Vec<Group>,
    pub by_channel: Vec<Group>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CrossRow {
    pub id: String,
    pub label: String,
    pub cells: Vec<Figure>,
    /// Of the column's total.
    pub percents: Vec<Option<f64>>,
    pub total: Figure,
    pub percent: Option<f64>,
}

/// A choice question's answers by the groups of one breakdown.
#[derive(Debug, Clone, Serialize)]
pub struct Crosstab {
    /// `version`, `channel`, or a breakdown's name (`care_setting`, `region`...).
    pub by: String,
    pub title: String,
    pub groups: Vec<Label>,
    pub rows: Vec<CrossRow>,
    /// Respondents who answered the question, per group.
    pub totals: Vec<Figure>,
    pub total: Figure,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChoiceRow {
    pub id: String,
    pub label: String,
    pub n: Figure,
    pub percent: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChoiceQuestion {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub text: String,
    /// Respondents could pick several choices, so the percentages add up to more than 100.
    pub several: bool,
    pub answered: Figure,
    pub choices: Vec<ChoiceRow>,
    pub breakdowns: Vec<Crosstab>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThemeOut {
    pub label: String,
    pub size: Figure,
    pub percent: Option<f64>,
    pub terms: Vec<String>,
    /// Masked; only from themes of at least the threshold's size.
    pub quotes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunNote {
    pub finished_at: Option<String>,
    pub k: Option<i64>,
    pub k_choice: Option<String>,
    pub seed: i64,
    pub answers: i64,
    pub software: String,
    pub options: serde_json::Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct FreeText {
    pub id: String,
    pub text: String,
    pub answers: Figure,
    pub themes: Vec<ThemeOut>,
    pub unthemed: Figure,
    pub run: Option<RunNote>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SuppressionNote {
    pub threshold: i64,
    /// Counts hidden for being below the threshold.
    pub primary: usize,
    /// Counts hidden so that a hidden one cannot be worked out from a total.
    pub secondary: usize,
    pub explanation: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SurveyInfo {
    pub id: String,
    pub title: String,
    pub opens: String,
    pub closes: String,
    pub versions: Vec<Label>,
}

/// Everything a summary export publishes.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub format: &'static str,
    pub survey: SurveyInfo,
    pub exported_at: String,
    pub software: String,
    pub threshold: i64,
    pub responses: Headline,
    pub questions: Vec<ChoiceQuestion>,
    pub free_text: Vec<FreeText>,
    pub suppression: SuppressionNote,
}

/// The version of the JSON layout (see `EXPORTS.md`).
pub const FORMAT: &str = "heard-export/2";

/// Tallies of hidden figures, for the method note.
#[derive(Default)]
struct Tally {
    primary: usize,
    secondary: usize,
}

impl Tally {
    fn count(&mut self, marks: impl IntoIterator<Item = Mark>) {
        for m in marks {
            match m {
                Mark::Primary => self.primary += 1,
                Mark::Secondary => self.secondary += 1,
                Mark::Shown => {}
            }
        }
    }
}

/// Suppresses a line of groups that add up to `total` (whose mark may already be fixed by an
/// earlier table), returning the groups' figures and the total's.
fn line(
    counts: &[(Label, i64)],
    total: i64,
    fixed_total: Option<Mark>,
    threshold: i64,
    tally: &mut Tally,
) -> (Vec<Group>, Figure) {
    let mut values: Vec<i64> = counts.iter().map(|(_, n)| *n).collect();
    values.push(total);
    let sums = [Sum {
        parts: (0..counts.len()).collect(),
        total: counts.len(),
    }];
    let fixed: Vec<Option<Mark>> = (0..counts.len())
        .map(|_| None)
        .chain(std::iter::once(fixed_total))
        .collect();
    let marks = crate::suppress::suppress_fixed(&values, &sums, threshold, &fixed);
    tally.count(
        marks
            .iter()
            .zip(&fixed)
            .filter(|(_, f)| f.is_none())
            .map(|(m, _)| *m),
    );
    let total_fig = Figure::new(total, marks[counts.len()]);
    let groups = counts
        .iter()
        .zip(&marks)
        .map(|((l, n), m)| {
            let f = Figure::new(*n, *m);
            Group {
                id: l.id.clone(),
                label: l.label.clone(),
                n: f,
                percent: percent(f, total_fig),
            }
        })
        .collect();
    (groups, total_fig)
}

/// The group of a response in a grouping, if it has one.
type GroupOf = Box<dyn Fn(&ExportResponse) -> Option<String>>;

/// One way of grouping respondents for a crosstab.
struct Grouping {
    by: String,
    title: String,
    groups: Vec<Label>,
    of: GroupOf,
}

const NOT_GIVEN: &str = "not_given";

fn groupings(survey: &Survey, data: &ExportData) -> Vec<Grouping> {
    let mut out = vec![Grouping {
        by: "version".into(),
        title: "Version".into(),
        groups: survey
            .versions
            .iter()
            .map(|v| Label {
                id: v.id.clone(),
                label: v.name.clone(),
            })
            .collect(),
        of: Box::new(|r: &ExportResponse| Some(r.version_id.clone())),
    }];
    for b in breakdowns(survey) {
        let questions = b.questions.clone();
        let mut groups: Vec<Label> = b
            .groups
            .iter()
            .map(|(id, label)| Label {
                id: id.clone(),
                label: label.clone(),
            })
            .collect();
        groups.push(Label {
            id: NOT_GIVEN.into(),
            label: "Not given".into(),
        });
        out.push(Grouping {
            by: b.name.clone(),
            title: b.title.clone(),
            groups,
            of: Box::new(move |r: &ExportResponse| {
                Some(
                    questions
                        .iter()
                        .find_map(|q| r.answers.get(q)?.chosen().first().map(|s| s.to_string()))
                        .unwrap_or_else(|| NOT_GIVEN.to_string()),
                )
            }),
        });
    }
    let channels = channel_labels(data);
    if channels.iter().any(|l| l.id != Channel::Web.as_str()) {
        let groups = channels;
        out.push(Grouping {
            by: "channel".into(),
            title: "Channel".into(),
            groups,
            of: Box::new(|r: &ExportResponse| Some(r.channel.clone())),
        });
    }
    out
}

/// The channels responses came from, in their usual order.
fn channel_labels(data: &ExportData) -> Vec<Label> {
    Channel::present(data.responses.iter().map(|r| r.channel.as_str()))
        .into_iter()
        .map(|(id, label)| Label { id, label })
        .collect()
}

fn first_version_text(q: &engine::survey::Question) -> String {
    q.versions
        .first()
        .map(|v| q.text.get(v).to_string())
        .unwrap_or_default()
}

pub fn summarise(
    survey: &Survey,
    data: &ExportData,
    threshold: i64,
    exported_at: String,
) -> Summary {
    let mut tally = Tally::default();
    let total = data.responses.len() as i64;
    let count_by =
        |key: &dyn Fn(&ExportResponse) -> String, labels: &[Label]| -> Vec<(Label, i64)> {
            labels
                .iter()
                .map(|l| {
                    let n = data.responses.iter().filter(|r| key(r) == l.id).count() as i64;
                    (l.clone(), n)
                })
                .collect()
        };
    let version_labels: Vec<Label> = survey
        .versions
        .iter()
        .map(|v| Label {
            id: v.id.clone(),
            label: v.name.clone(),
        })
        .collect();
    let (by_version, total_fig) = line(
        &count_by(&|r| r.version_id.clone(), &version_labels),
        total,
        None,
        threshold,
        &mut tally,
    );
    let channel_labels = channel_labels(data);
    let (by_channel, _) = line(
        &count_by(&|r| r.channel.clone(), &channel_labels),
        total,
        Some(total_fig.mark),
        threshold,
        &mut tally,
    );
    let days: BTreeSet<&str> = data
        .responses
        .iter()
        .map(|r| r.submitted_on.as_str())
        .collect();

    let groupings = groupings(survey, data);
    let questions = survey
        .questions
        .iter()
        .filter(|q| q.kind.has_choices())
        .map(|q| choice_question(survey, q, data, &groupings, threshold, &mut tally))
        .collect();
    let free_text = survey
        .questions
        .iter()
        .filter(|q| q.kind.is_free_text())
        .map(|q| free_text(q, data, threshold, &mut tally))
        .collect();
    Summary {
        format: FORMAT,
        survey: SurveyInfo {
            id: survey.id.clone(),
            title: survey.title.clone(),
            opens: survey.opens.to_string(),
            closes: survey.closes.to_string(),
            versions: version_labels,
        },
        exported_at,
        software: format!("Heard {}", env!("CARGO_PKG_VERSION")),
        threshold,
        responses: Headline {
            total: total_fig,
            first_day: days.first().map(|d| d.to_string()),
            last_day: days.last().map(|d| d.to_string()),
            by_version,
            by_channel,
        },
        questions,
        free_text,
        suppression: SuppressionNote {
            threshold,
            primary: tally.primary,
            secondary: tally.secondary,
            explanation: format!(
                "Any count below {threshold} is not published (\"fewer than {threshold}\") and its percentage is hidden. Where a hidden count could be worked out from a published total and the other counts in its row or column, another count there is hidden too (\"hidden\": secondary suppression). In the spreadsheet and JSON both are written `{SUPPRESSED}`. Quotes are taken only from themes of at least {threshold} answers. {} counts were hidden for being small and {} more to protect them.",
                tally.primary, tally.secondary
            ),
        },
    }
}

fn choice_question(
    survey: &Survey,
    q: &engine::survey::Question,
    data: &ExportData,
    groupings: &[Grouping],
    threshold: i64,
    tally: &mut Tally,
) -> ChoiceQuestion {
    let several = q.kind == QuestionType::Multiple;
    let answering: Vec<(&ExportResponse, Vec<&str>)> = data
        .responses
        .iter()
        .filter_map(|r| {
            let chosen = r.answers.get(&q.id)?.chosen();
            (!chosen.is_empty()).then_some((r, chosen))
        })
        .collect();
    let answered = answering.len() as i64;
    let labels: Vec<Label> = q
        .choices
        .iter()
        .map(|c| Label {
            id: c.id.clone(),
            label: choice_label(survey, &q.id, &c.id),
        })
        .collect();
    let overall: Vec<i64> = labels
        .iter()
        .map(|l| {
            answering
                .iter()
                .filter(|(_, chosen)| chosen.contains(&l.id.as_str()))
                .count() as i64
        })
        .collect();
    // The overall line: choices and the number answering. With one choice each they add up;
    // with several they do not, and only the small counts themselves are hidden.
    let mut values = overall.clone();
    values.push(answered);
    let sums: Vec<Sum> = if several {
        Vec::new()
    } else {
        vec![Sum {
            parts: (0..overall.len()).collect(),
            total: overall.len(),
        }]
    };
    let marks = suppress(&values, &sums, threshold);
    tally.count(marks.iter().copied());
    let answered_fig = Figure::new(answered, marks[overall.len()]);
    let choices = labels
        .iter()
        .zip(&overall)
        .zip(&marks)
        .map(|((l, n), m)| {
            let f = Figure::new(*n, *m);
            ChoiceRow {
                id: l.id.clone(),
                label: l.label.clone(),
                n: f,
                percent: percent(f, answered_fig),
            }
        })
        .collect::<Vec<_>>();

    let crosstabs = groupings
        .iter()
        .filter(|g| {
            // A question is not broken down by its own answers.
            !(g.by != "version"
                && g.by != "channel"
                && q.breakdown.as_deref() == Some(g.by.as_str()))
        })
        .map(|g| {
            let groups: Vec<Label> = g
                .groups
                .iter()
                .filter(|l| g.by != "version" || q.asked_in(&l.id))
                .cloned()
                .collect();
            let mut cells = vec![vec![0i64; groups.len()]; labels.len()];
            let mut col_totals = vec![0i64; groups.len()];
            for (r, chosen) in &answering {
                let Some(group) = (g.of)(r) else { continue };
                let Some(c) = groups.iter().position(|l| l.id == group) else {
                    continue;
                };
                col_totals[c] += 1;
                for (row, l) in labels.iter().enumerate() {
                    if chosen.contains(&l.id.as_str()) {
                        cells[row][c] += 1;
                    }
                }
            }
            // Groups with no one in them are left out: there is no one to protect, and an empty
            // column would only force its neighbours' totals to be hidden.
            let keep: Vec<usize> = (0..groups.len()).filter(|&c| col_totals[c] > 0).collect();
            let groups: Vec<Label> = keep.iter().map(|&c| groups[c].clone()).collect();
            let cells: Vec<Vec<i64>> = cells
                .iter()
                .map(|row| keep.iter().map(|&c| row[c]).collect())
                .collect();
            let col_totals: Vec<i64> = keep.iter().map(|&c| col_totals[c]).collect();
            let table = Table {
                row_totals: overall.clone(),
                col_totals: col_totals.clone(),
                total: answered,
                cells: cells.clone(),
                columns_add_up: !several,
            };
            // The totals are the overall figures, already published or hidden above: fixed.
            let m = table.suppress_fixed(threshold, &marks[..overall.len()], answered_fig.mark);
            tally.count(m.cells.iter().flatten().copied());
            tally.count(m.col_totals.iter().copied());
            let totals: Vec<Figure> = col_totals
                .iter()
                .zip(&m.col_totals)
                .map(|(n, m)| Figure::new(*n, *m))
                .collect();
            let rows = labels
                .iter()
                .enumerate()
                .map(|(r, l)| {
                    let figs: Vec<Figure> = cells[r]
                        .iter()
                        .zip(&m.cells[r])
                        .map(|(n, m)| Figure::new(*n, *m))
                        .collect();
                    let percents = figs
                        .iter()
                        .zip(&totals)
                        .map(|(f, t)| percent(*f, *t))
                        .collect();
                    let total = Figure::new(overall[r], marks[r]);
                    CrossRow {
                        id: l.id.clone(),
                        label: l.label.clone(),
                        cells: figs,
                        percents,
                        total,
                        percent: percent(total, answered_fig),
                    }
                })
                .collect();
            Crosstab {
                by: g.by.clone(),
                title: g.title.clone(),
                groups,
                rows,
                totals,
                total: answered_fig,
            }
        })
        .collect();
    ChoiceQuestion {
        id: q.id.clone(),
        kind: q.kind.as_str(),
        text: first_version_text(q),
        several,
        answered: answered_fig,
        choices,
        breakdowns: crosstabs,
    }
}

/// How many quotes a theme gives a report.
const QUOTES: usize = 3;

fn free_text(
    q: &engine::survey::Question,
    data: &ExportData,
    threshold: i64,
    tally: &mut Tally,
) -> FreeText {
    let texts: BTreeMap<i64, &str> = data
        .responses
        .iter()
        .filter_map(|r| match r.answers.get(&q.id) {
            Some(AnswerValue::Text(t)) if !t.trim().is_empty() => Some((r.id, t.as_str())),
            _ => None,
        })
        .collect();
    let empty = ExportThemes {
        themes: Vec::new(),
        theme_of: Default::default(),
        quotes: Vec::new(),
        run: None,
    };
    let t = data.themes.get(&q.id).unwrap_or(&empty);
    let mut sizes: Vec<(usize, i64)> = t
        .themes
        .iter()
        .enumerate()
        .map(|(i, th)| {
            let n = texts
                .keys()
                .filter(|id| t.theme_of.get(id) == Some(&th.id))
                .count() as i64;
            (i, n)
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    sizes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let answers = texts.len() as i64;
    let themed: i64 = sizes.iter().map(|(_, n)| n).sum();
    let unthemed = answers - themed;
    // Theme sizes and the unthemed answers add up to all answers.
    let mut values: Vec<i64> = sizes.iter().map(|(_, n)| *n).collect();
    values.push(unthemed);
    values.push(answers);
    let parts: Vec<usize> = (0..=sizes.len()).collect();
    let sums = [Sum {
        parts,
        total: sizes.len() + 1,
    }];
    // An empty "unthemed" group is no one: it is not a count that could point to a child.
    let mut marks = suppress(&values, &sums, threshold);
    if unthemed == 0 && marks[sizes.len()] == Mark::Primary {
        let fixed: Vec<Option<Mark>> = (0..values.len())
            .map(|i| (i == sizes.len()).then_some(Mark::Shown))
            .collect();
        marks = crate::suppress::suppress_fixed(&values, &sums, threshold, &fixed);
    }
    tally.count(marks.iter().copied());
    let answers_fig = Figure::new(answers, marks[sizes.len() + 1]);
    let themes = sizes
        .iter()
        .zip(&marks)
        .map(|((i, n), m)| {
            let th = &t.themes[*i];
            let size = Figure::new(*n, *m);
            let quotes = if *n >= threshold {
                let members: BTreeSet<i64> = texts
                    .keys()
                    .copied()
                    .filter(|id| t.theme_of.get(id) == Some(&th.id))
                    .collect();
                let chosen = t.quotes.iter().filter(|id| members.contains(id));
                let representative = th.representatives.iter().filter(|id| members.contains(id));
                let mut out: Vec<String> = Vec::new();
                for id in chosen.chain(representative) {
                    if out.len() >= QUOTES {
                        break;
                    }
                    if let Some(text) = texts.get(id)
                        && !out.iter().any(|o| o == text)
                    {
                        out.push(text.to_string());
                    }
                }
                out
            } else {
                Vec::new()
            };
            ThemeOut {
                label: th.label.clone(),
                size,
                percent: percent(size, answers_fig),
                terms: th.terms.iter().take(6).cloned().collect(),
                quotes,
            }
        })
        .collect();
    FreeText {
        id: q.id.clone(),
        text: first_version_text(q),
        answers: answers_fig,
        themes,
        unthemed: Figure::new(unthemed, marks[sizes.len()]),
        run: t.run.as_ref().map(|r| RunNote {
            finished_at: r.finished_at.clone(),
            k: r.k,
            k_choice: r.k_choice.clone(),
            seed: r.seed,
            answers: r.answers,
            software: r.software.clone(),
            options: serde_json::from_str(&r.options).unwrap_or(serde_json::Value::Null),
        }),
    }
}
