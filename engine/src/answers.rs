//! Answers: their stored form, and checking what a form sent for one page against the questions
//! on that page. Anything the page could not have sent (an unknown field, a choice not offered)
//! is tampering and refused whole; anything a person can get wrong (too long, not a number) comes
//! back as a message beside the question, with what they typed kept.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::survey::{PREFER_NOT_TO_SAY, Question, QuestionType};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerValue {
    Choice(String),
    Choices(Vec<String>),
    Text(String),
    Number(i64),
}

impl AnswerValue {
    pub fn to_json(&self) -> String {
        // Serialising this enum cannot fail: it holds only strings, vectors and integers.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(s: &str) -> Option<AnswerValue> {
        serde_json::from_str(s).ok()
    }

    /// The free text, for analysis and screening.
    pub fn text(&self) -> Option<&str> {
        match self {
            AnswerValue::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The chosen ids, for choice answers.
    pub fn chosen(&self) -> Vec<&str> {
        match self {
            AnswerValue::Choice(c) => vec![c.as_str()],
            AnswerValue::Choices(cs) => cs.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    }
}

/// The prefix of a question's form field name: `q-care-setting`.
pub const FIELD_PREFIX: &str = "q-";

pub fn field_name(question_id: &str) -> String {
    format!("{FIELD_PREFIX}{question_id}")
}

/// A form field that is not a question but may be posted with one.
const CONTROL_FIELDS: &[&str] = &["csrf", "action", "return"];

/// Why a page's post cannot be used at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Tampered {
    #[error("the form sent a field this page does not have: {0}")]
    UnknownField(String),
    #[error("the form sent more than one answer to a one-answer question: {0}")]
    TooManyValues(String),
    #[error("the form sent a choice that question {question} does not offer")]
    ChoiceNotOffered { question: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub question: String,
    pub message: String,
}

/// What a page's post gave: the answers to store (`None` clears an answer), or the messages to
/// show with what was typed kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageOutcome {
    Valid(Vec<(String, Option<AnswerValue>)>),
    Invalid {
        errors: Vec<FieldError>,
        /// What was sent for each question, to fill the form again.
        kept: BTreeMap<String, Vec<String>>,
    },
}

/// Cleans free text: line endings made `\n`, control characters other than newline and tab
/// removed (they have no meaning in an answer and can break exports), ends trimmed.
pub fn clean_text(raw: &str) -> String {
    let unified = raw.replace("\r\n", "\n").replace('\r', "\n");
    unified
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect::<String>()
        .trim()
        .to_string()
}

/// Checks the fields posted for one page against its visible `questions`.
/// `enforce_required` is false when the respondent saves to come back later.
pub fn check_page(
    questions: &[&Question],
    fields: &[(String, String)],
    enforce_required: bool,
) -> Result<PageOutcome, Tampered> {
    let mut sent: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, value) in fields {
        if CONTROL_FIELDS.contains(&name.as_str()) {
            continue;
        }
        let Some(qid) = name.strip_prefix(FIELD_PREFIX) else {
            return Err(Tampered::UnknownField(name.clone()));
        };
        if !questions.iter().any(|q| q.id == qid) {
            return Err(Tampered::UnknownField(name.clone()));
        }
        sent.entry(qid).or_default().push(value.as_str());
    }

    let mut answers = Vec::new();
    let mut errors = Vec::new();
    for q in questions {
        let values: Vec<&str> = sent.get(q.id.as_str()).cloned().unwrap_or_default();
        let result = check_one(q, &values)?;
        match result {
            Ok(None) if q.required && enforce_required => errors.push(FieldError {
                question: q.id.clone(),
                message: required_message(q),
            }),
            Ok(a) => answers.push((q.id.clone(), a)),
            Err(message) => errors.push(FieldError {
                question: q.id.clone(),
                message,
            }),
        }
    }
    if errors.is_empty() {
        Ok(PageOutcome::Valid(answers))
    } else {
        let kept = sent
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.into_iter().map(str::to_string).collect()))
            .collect();
        Ok(PageOutcome::Invalid { errors, kept })
    }
}

fn required_message(q: &Question) -> String {
    match q.kind {
        QuestionType::Multiple => "Choose at least one answer".into(),
        QuestionType::Text | QuestionType::LongText => "Write an answer".into(),
        QuestionType::Number => "Enter a number".into(),
        _ => "Choose an answer".into(),
    }
}

/// Checks one question: `Err` outside is tampering, `Err` inside a person's mistake. The web's
/// pages reach it through [`check_page`]; an import's cells, one question each, directly.
pub(crate) fn check_one(
    q: &Question,
    values: &[&str],
) -> Result<Result<Option<AnswerValue>, String>, Tampered> {
    let offered = |v: &str| -> Result<(), Tampered> {
        if q.choice(v).is_some() {
            Ok(())
        } else {
            Err(Tampered::ChoiceNotOffered {
                question: q.id.clone(),
            })
        }
    };
    match q.kind {
        QuestionType::Single | QuestionType::Scale | QuestionType::YesNo => {
            let values: Vec<&str> = values.iter().copied().filter(|v| !v.is_empty()).collect();
            match values.as_slice() {
                [] => Ok(Ok(None)),
                [v] => {
                    offered(v)?;
                    Ok(Ok(Some(AnswerValue::Choice(v.to_string()))))
                }
                _ => Err(Tampered::TooManyValues(q.id.clone())),
            }
        }
        QuestionType::Multiple => {
            let mut chosen: Vec<String> = Vec::new();
            for v in values.iter().filter(|v| !v.is_empty()) {
                offered(v)?;
                if !chosen.iter().any(|c| c == v) {
                    chosen.push(v.to_string());
                }
            }
            // Store in the order the question offers them, whatever order the form sent.
            chosen.sort_by_key(|c| q.choices.iter().position(|x| &x.id == c));
            if chosen.is_empty() {
                return Ok(Ok(None));
            }
            if chosen.len() > 1 && chosen.iter().any(|c| c == PREFER_NOT_TO_SAY) {
                return Ok(Err(
                    "Choose 'Prefer not to say' on its own, or untick it".into()
                ));
            }
            if let Some(max) = q.max_choices
                && chosen.len() > max
            {
                return Ok(Err(format!(
                    "Choose up to {max} answers. You chose {}",
                    chosen.len()
                )));
            }
            Ok(Ok(Some(AnswerValue::Choices(chosen))))
        }
        QuestionType::Text | QuestionType::LongText => {
            if values.len() > 1 {
                return Err(Tampered::TooManyValues(q.id.clone()));
            }
            let text = clean_text(values.first().copied().unwrap_or(""));
            if text.is_empty() {
                return Ok(Ok(None));
            }
            let limit = q.max_chars.unwrap_or(usize::MAX);
            let n = text.chars().count();
            if n > limit {
                return Ok(Err(format!(
                    "Your answer is {n} characters long. Make it {limit} characters or fewer"
                )));
            }
            Ok(Ok(Some(AnswerValue::Text(text))))
        }
        QuestionType::Number => {
            if values.len() > 1 {
                return Err(Tampered::TooManyValues(q.id.clone()));
            }
            let raw = values.first().copied().unwrap_or("").trim();
            if raw.is_empty() {
                return Ok(Ok(None));
            }
            let range = match (q.min, q.max) {
                (Some(lo), Some(hi)) => format!(" from {lo} to {hi}"),
                (Some(lo), None) => format!(" of {lo} or more"),
                (None, Some(hi)) => format!(" of {hi} or less"),
                (None, None) => String::new(),
            };
            let Ok(n) = raw.parse::<i64>() else {
                return Ok(Err(format!("Enter a whole number{range}, like 3")));
            };
            if q.min.is_some_and(|lo| n < lo) || q.max.is_some_and(|hi| n > hi) {
                return Ok(Err(format!("Enter a number{range}")));
            }
            Ok(Ok(Some(AnswerValue::Number(n))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::{Choice, Text};

    fn q(kind: QuestionType, choices: &[&str]) -> Question {
        Question {
            id: "q1".into(),
            section: 0,
            kind,
            text: Text::One("Question".into()),
            hint: None,
            required: false,
            versions: vec!["v".into()],
            breakdown: None,
            choices: choices
                .iter()
                .map(|c| Choice {
                    id: c.to_string(),
                    label: Text::One(c.to_string()),
                })
                .collect(),
            max_choices: None,
            max_chars: Some(10),
            min: Some(0),
            max: Some(50),
            show_if: None,
            line: 1,
        }
    }

    fn f(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn single_choice_must_be_offered() {
        let q = q(QuestionType::Single, &["a", "b"]);
        assert_eq!(
            check_page(&[&q], &f(&[("q-q1", "a")]), true),
            Ok(PageOutcome::Valid(vec![(
                "q1".into(),
                Some(AnswerValue::Choice("a".into()))
            )]))
        );
        assert!(matches!(
            check_page(&[&q], &f(&[("q-q1", "zzz")]), true),
            Err(Tampered::ChoiceNotOffered { .. })
        ));
        assert!(matches!(
            check_page(&[&q], &f(&[("q-q1", "a"), ("q-q1", "b")]), true),
            Err(Tampered::TooManyValues(_))
        ));
    }

    #[test]
    fn unknown_field_is_tampering() {
        let q = q(QuestionType::Single, &["a"]);
        assert!(matches!(
            check_page(&[&q], &f(&[("q-other", "a")]), true),
            Err(Tampered::UnknownField(_))
        ));
        assert!(matches!(
            check_page(&[&q], &f(&[("sneaky", "a")]), true),
            Err(Tampered::UnknownField(_))
        ));
    }

    #[test]
    fn skipping_clears_the_answer() {
        let q = q(QuestionType::Single, &["a"]);
        assert_eq!(
            check_page(&[&q], &[], true),
            Ok(PageOutcome::Valid(vec![("q1".into(), None)]))
        );
    }

    #[test]
    fn required_is_enforced_except_when_saving() {
        let mut q = q(QuestionType::Single, &["a"]);
        q.required = true;
        assert!(matches!(
            check_page(&[&q], &[], true),
            Ok(PageOutcome::Invalid { .. })
        ));
        assert!(matches!(
            check_page(&[&q], &[], false),
            Ok(PageOutcome::Valid(_))
        ));
    }

    #[test]
    fn long_text_is_kept_with_an_error() {
        let q = q(QuestionType::Text, &[]);
        let long = "abcdefghijklmnop";
        match check_page(&[&q], &f(&[("q-q1", long)]), true) {
            Ok(PageOutcome::Invalid { errors, kept }) => {
                assert!(errors[0].message.contains("16 characters"));
                assert_eq!(kept["q1"], vec![long.to_string()]);
            }
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn text_limit_counts_characters_not_bytes() {
        let q = q(QuestionType::Text, &[]);
        let ok = "ééééééééé😀"; // 10 characters, more than 10 bytes
        assert!(matches!(
            check_page(&[&q], &f(&[("q-q1", ok)]), true),
            Ok(PageOutcome::Valid(_))
        ));
    }

    #[test]
    fn control_characters_are_removed() {
        assert_eq!(clean_text(" a\u{0}b\r\nc\u{7}  "), "ab\nc");
    }

    #[test]
    fn numbers_are_checked() {
        let q = q(QuestionType::Number, &[]);
        assert!(matches!(
            check_page(&[&q], &f(&[("q-q1", "seven")]), true),
            Ok(PageOutcome::Invalid { .. })
        ));
        assert!(matches!(
            check_page(&[&q], &f(&[("q-q1", "51")]), true),
            Ok(PageOutcome::Invalid { .. })
        ));
        assert_eq!(
            check_page(&[&q], &f(&[("q-q1", " 7 ")]), true),
            Ok(PageOutcome::Valid(vec![(
                "q1".into(),
                Some(AnswerValue::Number(7))
            )]))
        );
    }

    #[test]
    fn multiple_choice_is_ordered_and_checked() {
        let mut q = q(QuestionType::Multiple, &["a", "b", "c", PREFER_NOT_TO_SAY]);
        q.max_choices = Some(2);
        assert_eq!(
            check_page(
                &[&q],
                &f(&[("q-q1", "c"), ("q-q1", "a"), ("q-q1", "a")]),
                true
            ),
            Ok(PageOutcome::Valid(vec![(
                "q1".into(),
                Some(AnswerValue::Choices(vec!["a".into(), "c".into()]))
            )]))
        );
        assert!(matches!(
            check_page(
                &[&q],
                &f(&[("q-q1", "a"), ("q-q1", "b"), ("q-q1", "c")]),
                true
            ),
            Ok(PageOutcome::Invalid { .. })
        ));
        assert!(matches!(
            check_page(
                &[&q],
                &f(&[("q-q1", "a"), ("q-q1", PREFER_NOT_TO_SAY)]),
                true
            ),
            Ok(PageOutcome::Invalid { .. })
        ));
    }

    #[test]
    fn answers_round_trip_through_json() {
        for a in [
            AnswerValue::Choice("x".into()),
            AnswerValue::Choices(vec!["a".into(), "b".into()]),
            AnswerValue::Text("hello \"there\"\n".into()),
            AnswerValue::Number(-3),
        ] {
            assert_eq!(AnswerValue::from_json(&a.to_json()), Some(a));
        }
    }
}
