//! What the respondent's templates are given: questions, choices and answers already put in the
//! words of the respondent's version, so templates only lay them out.
use std::collections::BTreeMap;

use engine::AnswerValue;
use engine::survey::{Answers, PREFER_NOT_TO_SAY, Question, QuestionType, Survey};
use serde::Serialize;

#[derive(Serialize)]
pub struct ChoiceView {
    pub id: String,
    pub label: String,
    pub checked: bool,
    /// A face shown beside scale points on easy-read pages, as decoration: from -2 (sad) to 2.
    pub face: Option<i32>,
    pub divider: bool,
}

#[derive(Serialize)]
pub struct QuestionView {
    pub id: String,
    pub field: String,
    pub kind: &'static str,
    pub text: String,
    pub hint: Option<String>,
    pub required: bool,
    pub choices: Vec<ChoiceView>,
    pub value: String,
    pub error: Option<String>,
    pub max_chars: Option<usize>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// The only question on its page: its text becomes the page heading.
    pub alone: bool,
}

/// The mood of point `i` of a scale: sad to happy, centred on 0.
fn faces(points: usize, i: usize) -> Option<i32> {
    match points {
        3 if i < 3 => Some(2 * i as i32 - 2),
        5 if i < 5 => Some(i as i32 - 2),
        _ => None,
    }
}

pub fn question_view(
    survey: &Survey,
    version: &str,
    q: &Question,
    answer: Option<&AnswerValue>,
    kept: Option<&Vec<String>>,
    error: Option<&str>,
    alone: bool,
) -> QuestionView {
    let easy = survey.version(version).is_some_and(|v| v.easy_read);
    let chosen: Vec<String> = match kept {
        Some(k) => k.clone(),
        None => answer
            .map(|a| a.chosen().into_iter().map(String::from).collect())
            .unwrap_or_default(),
    };
    let scale_points = q
        .choices
        .iter()
        .filter(|c| c.id != PREFER_NOT_TO_SAY)
        .count();
    let choices = q
        .choices
        .iter()
        .enumerate()
        .map(|(i, c)| ChoiceView {
            id: c.id.clone(),
            label: c.label.get(version).to_string(),
            checked: chosen.contains(&c.id),
            face: (easy && q.kind == QuestionType::Scale && c.id != PREFER_NOT_TO_SAY)
                .then(|| faces(scale_points, i))
                .flatten(),
            divider: c.id == PREFER_NOT_TO_SAY && q.choices.len() > 1,
        })
        .collect();
    let value = match (kept, answer) {
        (Some(k), _) => k.first().cloned().unwrap_or_default(),
        (None, Some(AnswerValue::Text(t))) => t.clone(),
        (None, Some(AnswerValue::Number(n))) => n.to_string(),
        _ => String::new(),
    };
    QuestionView {
        id: q.id.clone(),
        field: engine::answers::field_name(&q.id),
        kind: q.kind.as_str(),
        text: q.text.get(version).to_string(),
        hint: q.hint.as_ref().map(|h| h.get(version).to_string()),
        required: q.required,
        choices,
        value,
        error: error.map(str::to_string),
        max_chars: q.max_chars,
        min: q.min,
        max: q.max,
        alone,
    }
}

/// An answer as the check-your-answers page shows it.
pub fn answer_text(q: &Question, version: &str, answer: Option<&AnswerValue>) -> Option<String> {
    let label = |id: &str| {
        q.choice(id)
            .map(|c| c.label.get(version).to_string())
            .unwrap_or_else(|| id.to_string())
    };
    match answer? {
        AnswerValue::Choice(c) => Some(label(c)),
        AnswerValue::Choices(cs) => {
            Some(cs.iter().map(|c| label(c)).collect::<Vec<_>>().join(", "))
        }
        AnswerValue::Text(t) => Some(t.clone()),
        AnswerValue::Number(n) => Some(n.to_string()),
    }
}

/// "Question 3 of 12" or "Questions 3 to 5 of 12", counting only questions this respondent sees.
pub fn progress(
    survey: &Survey,
    version: &str,
    answers: &Answers,
    on_page: &[&Question],
) -> Option<String> {
    let visible = survey.visible_questions(version, answers);
    let total = visible.len();
    let positions: Vec<usize> = on_page
        .iter()
        .filter_map(|q| visible.iter().position(|v| v.id == q.id))
        .collect();
    let (first, last) = (positions.iter().min()? + 1, positions.iter().max()? + 1);
    Some(if first == last {
        format!("Question {first} of {total}")
    } else {
        format!("Questions {first} to {last} of {total}")
    })
}

/// Errors keyed by question id.
pub fn errors_by_question(errors: &[engine::answers::FieldError]) -> BTreeMap<String, String> {
    errors
        .iter()
        .map(|e| (e.question.clone(), e.message.clone()))
        .collect()
}

/// A date as the respondent reads it: "3 March 2026".
pub fn long_date(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}
