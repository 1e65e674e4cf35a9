//! Answers gathered outside the web survey (paper forms, events, emails, partners' platforms):
//! turning one row of an import file into the answers a web respondent could have given, or the
//! reason it cannot be. The same checks as a web page's answers, so every channel counts the same.
use std::collections::BTreeMap;

use crate::answers::{Tampered, check_one};
use crate::survey::{Answers, Question, Survey};

/// Where a response came from. `Web` is the survey itself; the others are imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Web,
    Paper,
    Event,
    Email,
    Partner,
    Other,
}

impl Channel {
    pub const IMPORTED: [Channel; 5] = [
        Channel::Paper,
        Channel::Event,
        Channel::Email,
        Channel::Partner,
        Channel::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Paper => "paper",
            Channel::Event => "event",
            Channel::Email => "email",
            Channel::Partner => "partner",
            Channel::Other => "other",
        }
    }

    /// What a summary calls it.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Web => "Online survey",
            Channel::Paper => "Paper form",
            Channel::Event => "Event or focus group",
            Channel::Email => "Email",
            Channel::Partner => "Partner organisation",
            Channel::Other => "Other",
        }
    }

    pub const ALL: [Channel; 6] = [
        Channel::Web,
        Channel::Paper,
        Channel::Event,
        Channel::Email,
        Channel::Partner,
        Channel::Other,
    ];

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The label of a stored channel name; a name this version does not know is shown as stored.
    pub fn label_of(stored: &str) -> String {
        Channel::parse(stored).map_or_else(|| stored.to_string(), |c| c.label().to_string())
    }

    /// (stored name, label) of the channels in `present`, once each: known channels in their
    /// usual order (web first), then any name this version does not know, as stored.
    pub fn present<'a>(present: impl IntoIterator<Item = &'a str>) -> Vec<(String, String)> {
        let present: std::collections::BTreeSet<&str> = present.into_iter().collect();
        let known = Channel::ALL
            .iter()
            .filter(|c| present.contains(c.as_str()))
            .map(|c| (c.as_str().to_string(), c.label().to_string()));
        let unknown = present
            .iter()
            .filter(|p| Channel::parse(p).is_none())
            .map(|p| (p.to_string(), p.to_string()));
        known.chain(unknown).collect()
    }
}

/// Separates the choices of a multiple-choice answer in one cell.
pub const CHOICE_SEPARATOR: char = ';';

/// Checks one row: `version` and the raw cell of each question it has (question id, text as
/// written). Choices may be given by id or by their label in any version, in any case; a
/// multiple-choice cell lists them separated by `;`. Empty cells are unanswered questions.
/// Returns the answers to store, or why the row is refused, in words for the person importing.
pub fn check_row(
    survey: &Survey,
    version: &str,
    cells: &[(&str, &str)],
) -> Result<Answers, String> {
    if survey.version(version).is_none() {
        let known: Vec<&str> = survey.versions.iter().map(|v| v.id.as_str()).collect();
        return Err(if version.trim().is_empty() {
            format!("no version given; use one of: {}", known.join(", "))
        } else {
            format!(
                "`{version}` is not a version of this survey; use one of: {}",
                known.join(", ")
            )
        });
    }
    let mut answers = Answers::new();
    for &(qid, raw) in cells {
        if raw.trim().is_empty() {
            continue;
        }
        let Some(q) = survey.question(qid) else {
            return Err(format!("`{qid}` is not a question of this survey"));
        };
        if !q.asked_in(version) {
            return Err(format!(
                "question `{qid}` is not asked in version `{version}`, but the row answers it"
            ));
        }
        let values = if q.kind.has_choices() {
            raw.split(CHOICE_SEPARATOR)
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| choice_id(q, p))
                .collect::<Result<Vec<_>, _>>()?
        } else {
            vec![raw]
        };
        // The web's own check of one question, as a page of it would run it (nothing required
        // here: a row may skip any question).
        match check_one(q, &values) {
            Ok(Ok(Some(value))) => {
                answers.insert(q.id.clone(), value);
            }
            Ok(Ok(None)) => {}
            Ok(Err(why)) => return Err(format!("question `{qid}`: {why}")),
            Err(Tampered::TooManyValues(_)) => {
                return Err(format!(
                    "question `{qid}` takes one answer, but the cell has several"
                ));
            }
            Err(e) => return Err(format!("question `{qid}`: {e}")),
        }
    }
    for (index, q) in survey.questions.iter().enumerate() {
        let visible = survey.is_visible(version, index, &answers);
        if answers.contains_key(&q.id) && !visible {
            let when = q
                .show_if
                .as_ref()
                .map(|c| {
                    format!(
                        " (it is asked only when `{}` is {})",
                        c.question,
                        c.values.join(" or ")
                    )
                })
                .unwrap_or_default();
            return Err(format!(
                "question `{}` would not have been asked with this row's other answers{when}",
                q.id
            ));
        }
        if visible && q.required && !answers.contains_key(&q.id) {
            return Err(format!("question `{}` must be answered", q.id));
        }
    }
    if answers.is_empty() {
        return Err("the row answers no question".into());
    }
    Ok(answers)
}

/// The id of the choice `written` names, by id or by any version's label, ignoring case.
fn choice_id<'q>(q: &'q Question, written: &str) -> Result<&'q str, String> {
    let found = q.choices.iter().find(|c| {
        same_folded(&c.id, written)
            || match &c.label {
                crate::survey::Text::One(l) => same_folded(l.trim(), written),
                crate::survey::Text::PerVersion(m) => {
                    m.values().any(|l| same_folded(l.trim(), written))
                }
            }
    });
    match found {
        Some(c) => Ok(c.id.as_str()),
        None => {
            let offered: Vec<String> = q.choices.iter().map(|c| c.id.clone()).collect();
            Err(format!(
                "question `{}` does not offer `{written}`; it offers: {}",
                q.id,
                offered.join(", ")
            ))
        }
    }
}

/// Whether `a` and `b` are the same in lower case. Without allocating for ASCII (almost every
/// cell), where lower case is ASCII's: folding every choice of every cell to compare was a
/// fifth of checking an imported row.
fn same_folded(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

/// Which columns of an import file hold which questions: a column named like a question id holds
/// it, unless `map` (column -> question id) says otherwise. Returns, per column, the question it
/// holds, or why the mapping is wrong.
pub fn map_columns(
    survey: &Survey,
    headers: &[String],
    map: &BTreeMap<String, String>,
    version_column: Option<&str>,
    id_column: Option<&str>,
) -> Result<ColumnMap, String> {
    for (column, qid) in map {
        if !headers.iter().any(|h| h == column) {
            return Err(format!(
                "column mapping `{column}={qid}`: the file has no column `{column}`; its columns are: {}",
                headers.join(", ")
            ));
        }
        if survey.question(qid).is_none() {
            return Err(format!(
                "column mapping `{column}={qid}`: `{qid}` is not a question of survey `{}`",
                survey.id
            ));
        }
    }
    let mut questions = Vec::new();
    let mut ignored = Vec::new();
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (i, h) in headers.iter().enumerate() {
        if Some(h.as_str()) == version_column || Some(h.as_str()) == id_column {
            continue;
        }
        let qid = map
            .get(h)
            .map(String::as_str)
            .or_else(|| survey.question(h).map(|q| q.id.as_str()));
        match qid {
            Some(qid) => {
                if let Some(other) = seen.insert(qid, h) {
                    return Err(format!(
                        "columns `{other}` and `{h}` both hold question `{qid}`; map only one"
                    ));
                }
                questions.push((i, qid.to_string()));
            }
            None => ignored.push(h.clone()),
        }
    }
    if questions.is_empty() {
        return Err(format!(
            "no column holds a question of survey `{}`: name columns after question ids ({}) or map columns to questions (COLUMN=QUESTION_ID)",
            survey.id,
            survey
                .questions
                .iter()
                .map(|q| q.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(ColumnMap { questions, ignored })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap {
    /// (column index, question id)
    pub questions: Vec<(usize, String)>,
    /// Columns that hold no question and are not read.
    pub ignored: Vec<String>,
}
