//! What every export says, counted in one pass over one consistent read of the database: headline
//! figures, every choice question overall and broken down by version, each breakdown (care
//! setting, region...) and channel, the themes of each free-text question with quotes, and the
//! method. Every count goes through [`crate::suppress`] here, so no writer can publish a hidden one.
use std::collections::{BTreeMap, HashMap, HashSet};

use engine::AnswerValue;
use engine::Survey;
use engine::import::Channel;
use engine::store::{ExportMeta, ExportResponse, ExportThemes};
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
pub const FORMAT: &str = "heard-export/3";

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

/// One way of grouping respondents for a crosstab. The channel's groups are known only once
/// every response has been counted.
struct Grouping {
    by: String,
    title: String,
    groups: Vec<Label>,
    of: GroupOf,
}

const NOT_GIVEN: &str = "not_given";

/// Every grouping a crosstab may use, the channel last (its groups still empty).
fn groupings(survey: &Survey) -> Vec<Grouping> {
    let mut out = vec![Grouping {
        by: "version".into(),
        title: "Version".into(),
        groups: version_labels(survey),
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
    out.push(Grouping {
        by: "channel".into(),
        title: "Channel".into(),
        groups: Vec::new(),
        of: Box::new(|r: &ExportResponse| Some(r.channel.clone())),
    });
    out
}

fn version_labels(survey: &Survey) -> Vec<Label> {
    survey
        .versions
        .iter()
        .map(|v| Label {
            id: v.id.clone(),
            label: v.name.clone(),
        })
        .collect()
}

fn first_version_text(q: &engine::survey::Question) -> String {
    q.versions
        .first()
        .map(|v| q.text.get(v).to_string())
        .unwrap_or_default()
}

/// One group's respondents who answered a choice question, and how many chose each choice.
#[derive(Debug, Clone, Default)]
struct GroupCounts {
    answered: i64,
    chosen: Vec<i64>,
}

/// A choice question's counts so far.
struct ChoiceTally {
    question: usize,
    answered: i64,
    /// Per choice.
    overall: Vec<i64>,
    /// Per grouping (as [`groupings`] lists them): group id -> its counts.
    by: Vec<HashMap<String, GroupCounts>>,
}

/// A free-text question's counts so far.
struct FreeTally {
    question: usize,
    answers: i64,
    /// theme id -> answers in it
    sizes: HashMap<i64, i64>,
    /// Responses whose answer a quote may be taken from (marked quotes and each theme's
    /// representatives): only their texts are kept.
    wanted: HashSet<i64>,
    /// response id -> its answer's theme and text, for the wanted ones.
    texts: HashMap<i64, (Option<i64>, String)>,
}

/// Counts every published figure from the responses, one at a time ([`Summariser::add`]), so a
/// summary of any number of responses takes the same memory; [`Summariser::finish`] suppresses
/// them into a [`Summary`].
pub struct Summariser<'a> {
    survey: &'a Survey,
    meta: &'a ExportMeta,
    groupings: Vec<Grouping>,
    total: i64,
    by_version: HashMap<String, i64>,
    by_channel: BTreeMap<String, i64>,
    first_day: Option<String>,
    last_day: Option<String>,
    choices: Vec<ChoiceTally>,
    free: Vec<FreeTally>,
}

impl<'a> Summariser<'a> {
    pub fn new(survey: &'a Survey, meta: &'a ExportMeta) -> Summariser<'a> {
        let groupings = groupings(survey);
        let choices = survey
            .questions
            .iter()
            .enumerate()
            .filter(|(_, q)| q.kind.has_choices())
            .map(|(question, q)| ChoiceTally {
                question,
                answered: 0,
                overall: vec![0; q.choices.len()],
                by: vec![HashMap::new(); groupings.len()],
            })
            .collect();
        let free = survey
            .questions
            .iter()
            .enumerate()
            .filter(|(_, q)| q.kind.is_free_text())
            .map(|(question, q)| {
                let wanted = meta
                    .themes
                    .get(&q.id)
                    .map(|t| {
                        t.quotes
                            .iter()
                            .chain(t.themes.iter().flat_map(|th| &th.representatives))
                            .copied()
                            .collect()
                    })
                    .unwrap_or_default();
                FreeTally {
                    question,
                    answers: 0,
                    sizes: HashMap::new(),
                    wanted,
                    texts: HashMap::new(),
                }
            })
            .collect();
        Summariser {
            survey,
            meta,
            groupings,
            total: 0,
            by_version: HashMap::new(),
            by_channel: BTreeMap::new(),
            first_day: None,
            last_day: None,
            choices,
            free,
        }
    }

    /// Counts one response.
    pub fn add(&mut self, r: &ExportResponse) {
        self.total += 1;
        *self.by_version.entry(r.version_id.clone()).or_default() += 1;
        *self.by_channel.entry(r.channel.clone()).or_default() += 1;
        let day = r.submitted_on.as_str();
        if self.first_day.as_deref().is_none_or(|d| day < d) {
            self.first_day = Some(day.to_string());
        }
        if self.last_day.as_deref().is_none_or(|d| day > d) {
            self.last_day = Some(day.to_string());
        }
        let groups: Vec<Option<String>> = self.groupings.iter().map(|g| (g.of)(r)).collect();
        for t in &mut self.choices {
            let q = &self.survey.questions[t.question];
            let Some(answer) = r.answers.get(&q.id) else {
                continue;
            };
            let chosen = answer.chosen();
            if chosen.is_empty() {
                continue;
            }
            t.answered += 1;
            let picked: Vec<bool> = q
                .choices
                .iter()
                .map(|c| chosen.contains(&c.id.as_str()))
                .collect();
            for (n, p) in t.overall.iter_mut().zip(&picked) {
                *n += *p as i64;
            }
            for (by, group) in t.by.iter_mut().zip(&groups) {
                let Some(group) = group else { continue };
                let counts = by.entry(group.clone()).or_insert_with(|| GroupCounts {
                    answered: 0,
                    chosen: vec![0; picked.len()],
                });
                counts.answered += 1;
                for (n, p) in counts.chosen.iter_mut().zip(&picked) {
                    *n += *p as i64;
                }
            }
        }
        for t in &mut self.free {
            let q = &self.survey.questions[t.question];
            let Some(AnswerValue::Text(text)) = r.answers.get(&q.id) else {
                continue;
            };
            if text.trim().is_empty() {
                continue;
            }
            t.answers += 1;
            let theme = r.themes.get(&q.id).copied();
            if let Some(theme) = theme {
                *t.sizes.entry(theme).or_default() += 1;
            }
            if t.wanted.contains(&r.id) {
                t.texts.insert(r.id, (theme, text.clone()));
            }
        }
    }

    /// The summary of every response added, with counts below `threshold` suppressed.
    pub fn finish(self, threshold: i64, exported_at: String) -> Summary {
        let mut tally = Tally::default();
        let total = self.total;
        let count = |counts: &dyn Fn(&str) -> i64, labels: &[Label]| -> Vec<(Label, i64)> {
            labels.iter().map(|l| (l.clone(), counts(&l.id))).collect()
        };
        let version_labels = version_labels(self.survey);
        let (by_version, total_fig) = line(
            &count(
                &|id| self.by_version.get(id).copied().unwrap_or(0),
                &version_labels,
            ),
            total,
            None,
            threshold,
            &mut tally,
        );
        let channel_labels: Vec<Label> =
            Channel::present(self.by_channel.keys().map(String::as_str))
                .into_iter()
                .map(|(id, label)| Label { id, label })
                .collect();
        let (by_channel, _) = line(
            &count(
                &|id| self.by_channel.get(id).copied().unwrap_or(0),
                &channel_labels,
            ),
            total,
            Some(total_fig.mark),
            threshold,
            &mut tally,
        );
        // Broken down by channel only once answers came from more than the web.
        let by_channel_too = channel_labels.iter().any(|l| l.id != Channel::Web.as_str());
        let mut groupings = self.groupings;
        if let Some(g) = groupings.last_mut() {
            g.groups = channel_labels;
        }
        let used = groupings.len() - usize::from(!by_channel_too);
        let questions = self
            .choices
            .iter()
            .map(|t| choice_question(self.survey, t, &groupings[..used], threshold, &mut tally))
            .collect();
        let free_text = self
            .free
            .iter()
            .map(|t| free_text(self.survey, self.meta, t, threshold, &mut tally))
            .collect();
        Summary {
            format: FORMAT,
            survey: SurveyInfo {
                id: self.survey.id.clone(),
                title: self.survey.title.clone(),
                opens: self.survey.opens.to_string(),
                closes: self.survey.closes.to_string(),
                versions: version_labels,
            },
            exported_at,
            software: format!("Heard {}", env!("CARGO_PKG_VERSION")),
            threshold,
            responses: Headline {
                total: total_fig,
                first_day: self.first_day,
                last_day: self.last_day,
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
}

fn choice_question(
    survey: &Survey,
    t: &ChoiceTally,
    groupings: &[Grouping],
    threshold: i64,
    tally: &mut Tally,
) -> ChoiceQuestion {
    let q = &survey.questions[t.question];
    let several = q.kind == QuestionType::Multiple;
    let answered = t.answered;
    let labels: Vec<Label> = q
        .choices
        .iter()
        .map(|c| Label {
            id: c.id.clone(),
            label: choice_label(survey, &q.id, &c.id),
        })
        .collect();
    let overall = t.overall.clone();
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
        .zip(&t.by)
        .filter(|(g, _)| {
            // A question is not broken down by its own answers.
            !(g.by != "version"
                && g.by != "channel"
                && q.breakdown.as_deref() == Some(g.by.as_str()))
        })
        .map(|(g, by)| {
            // Groups with no one in them are left out: there is no one to protect, and an empty
            // column would only force its neighbours' totals to be hidden.
            let present: Vec<(&Label, &GroupCounts)> = g
                .groups
                .iter()
                .filter(|l| g.by != "version" || q.asked_in(&l.id))
                .filter_map(|l| Some((l, by.get(&l.id)?)))
                .filter(|(_, c)| c.answered > 0)
                .collect();
            let groups: Vec<Label> = present.iter().map(|(l, _)| (*l).clone()).collect();
            let cells: Vec<Vec<i64>> = (0..labels.len())
                .map(|row| present.iter().map(|(_, c)| c.chosen[row]).collect())
                .collect();
            let col_totals: Vec<i64> = present.iter().map(|(_, c)| c.answered).collect();
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
    survey: &Survey,
    meta: &ExportMeta,
    t: &FreeTally,
    threshold: i64,
    tally: &mut Tally,
) -> FreeText {
    let q = &survey.questions[t.question];
    let empty = ExportThemes {
        themes: Vec::new(),
        quotes: Vec::new(),
        run: None,
    };
    let th_of = meta.themes.get(&q.id).unwrap_or(&empty);
    let mut sizes: Vec<(usize, i64)> = th_of
        .themes
        .iter()
        .enumerate()
        .map(|(i, th)| (i, t.sizes.get(&th.id).copied().unwrap_or(0)))
        .filter(|(_, n)| *n > 0)
        .collect();
    sizes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let answers = t.answers;
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
            let th = &th_of.themes[*i];
            let size = Figure::new(*n, *m);
            let quotes = if *n >= threshold {
                let member = |id: &&i64| {
                    t.texts
                        .get(id)
                        .is_some_and(|(theme, _)| *theme == Some(th.id))
                };
                let chosen = th_of.quotes.iter().filter(member);
                let representative = th.representatives.iter().filter(member);
                let mut out: Vec<String> = Vec::new();
                for id in chosen.chain(representative) {
                    if out.len() >= QUOTES {
                        break;
                    }
                    if let Some((_, text)) = t.texts.get(id)
                        && !out.iter().any(|o| o == text)
                    {
                        out.push(text.clone());
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
        run: th_of.run.as_ref().map(|r| RunNote {
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

/// A large consultation's summary, built by hand (counts from the thousands to the hundreds of
/// thousands, nothing hidden), for the writers' tests of how counts are shown.
#[cfg(test)]
pub(crate) fn large_for_tests() -> Summary {
    let shown = |n| Figure::new(n, Mark::Shown);
    let label = |id: &str, label: &str| Label {
        id: id.into(),
        label: label.into(),
    };
    let group = |id: &str, name: &str, n, percent| Group {
        id: id.into(),
        label: name.into(),
        n: shown(n),
        percent: Some(percent),
    };
    let row = |id: &str, name: &str, cells: [i64; 2], percents: [f64; 2], percent| CrossRow {
        id: id.into(),
        label: name.into(),
        cells: cells.map(shown).to_vec(),
        percents: percents.map(Some).to_vec(),
        total: shown(cells[0] + cells[1]),
        percent: Some(percent),
    };
    Summary {
        format: FORMAT,
        survey: SurveyInfo {
            id: "big".into(),
            title: "A big consultation".into(),
            opens: "2026-01-01".into(),
            closes: "2026-06-30".into(),
            versions: vec![label("standard", "Standard")],
        },
        exported_at: "2026-07-01 09:00:00 UTC".into(),
        software: "Heard (test)".into(),
        threshold: 5,
        responses: Headline {
            total: shown(557_077),
            first_day: Some("2026-01-01".into()),
            last_day: Some("2026-06-30".into()),
            by_version: vec![group("standard", "Standard", 557_077, 100.0)],
            by_channel: vec![
                group("web", "Online", 550_000, 98.7),
                group("paper", "Paper", 7_077, 1.3),
            ],
        },
        questions: vec![ChoiceQuestion {
            id: "setting".into(),
            kind: "single",
            text: "Where do you live?".into(),
            several: false,
            answered: shown(557_077),
            choices: vec![
                ChoiceRow {
                    id: "foster".into(),
                    label: "Foster care".into(),
                    n: shown(345_678),
                    percent: Some(62.1),
                },
                ChoiceRow {
                    id: "residential".into(),
                    label: "Residential care".into(),
                    n: shown(211_399),
                    percent: Some(37.9),
                },
            ],
            breakdowns: vec![Crosstab {
                by: "channel".into(),
                title: "Channel".into(),
                groups: vec![label("web", "Online"), label("paper", "Paper")],
                rows: vec![
                    row(
                        "foster",
                        "Foster care",
                        [340_000, 5_678],
                        [61.8, 80.2],
                        62.1,
                    ),
                    row(
                        "residential",
                        "Residential care",
                        [210_000, 1_399],
                        [38.2, 19.8],
                        37.9,
                    ),
                ],
                totals: vec![shown(550_000), shown(7_077)],
                total: shown(557_077),
            }],
        }],
        free_text: vec![FreeText {
            id: "anything-else".into(),
            text: "Anything else?".into(),
            answers: shown(412_345),
            themes: vec![ThemeOut {
                label: "More time with my social worker".into(),
                size: shown(123_456),
                percent: Some(29.9),
                terms: vec!["time".into()],
                quotes: Vec::new(),
            }],
            unthemed: shown(288_889),
            run: Some(RunNote {
                finished_at: Some("2026-06-30 18:00:00 UTC".into()),
                k: Some(12),
                k_choice: None,
                seed: 4242,
                answers: 412_345,
                software: "Heard (test)".into(),
                options: serde_json::Value::Null,
            }),
        }],
        suppression: SuppressionNote {
            threshold: 5,
            primary: 0,
            secondary: 0,
            explanation: "Nothing was hidden.".into(),
        },
    }
}
