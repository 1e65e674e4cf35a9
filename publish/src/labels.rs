//! The words published figures are labelled with, shared by the exports and the dashboard: a
//! choice's label, and the survey's breakdowns (the groups responses are counted in).
use std::collections::BTreeMap;

use engine::AnswerValue;
use engine::Survey;
use serde::Serialize;

/// A breakdown of the survey: the questions that carry it (say, the care setting question).
#[derive(Debug, Clone, Serialize)]
pub struct Breakdown {
    pub name: String,
    pub title: String,
    pub questions: Vec<String>,
    /// (choice id, label), in the order asked, across its questions.
    pub groups: Vec<(String, String)>,
}

/// A breakdown's title for people: `care_setting` reads "Care setting".
pub fn breakdown_title(name: &str) -> String {
    match name {
        "age_band" => "Age".into(),
        "care_setting" => "Care setting".into(),
        "region" => "Region".into(),
        "role" => "Role".into(),
        other => {
            let t = other.replace('_', " ");
            let mut c = t.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }
    }
}

/// The label of a choice, in the words of the first version that asks it.
pub fn choice_label(survey: &Survey, question: &str, choice: &str) -> String {
    survey
        .question(question)
        .and_then(|q| {
            let v = q.versions.first()?;
            Some(q.choice(choice)?.label.get(v).to_string())
        })
        .unwrap_or_else(|| choice.to_string())
}

/// The survey's breakdowns, in the order their questions are asked.
pub fn breakdowns(survey: &Survey) -> Vec<Breakdown> {
    let mut out: Vec<Breakdown> = Vec::new();
    for q in &survey.questions {
        let Some(name) = &q.breakdown else { continue };
        let i = match out.iter().position(|b| &b.name == name) {
            Some(i) => i,
            None => {
                out.push(Breakdown {
                    name: name.clone(),
                    title: breakdown_title(name),
                    questions: Vec::new(),
                    groups: Vec::new(),
                });
                out.len() - 1
            }
        };
        out[i].questions.push(q.id.clone());
        for c in &q.choices {
            if !out[i].groups.iter().any(|(id, _)| id == &c.id) {
                let label = choice_label(survey, &q.id, &c.id);
                out[i].groups.push((c.id.clone(), label));
            }
        }
    }
    out
}

/// The group of a response in a breakdown, from its answers to the breakdown's questions.
pub fn group_of(b: &Breakdown, answers: Option<&BTreeMap<String, AnswerValue>>) -> Option<String> {
    let answers = answers?;
    b.questions
        .iter()
        .find_map(|q| answers.get(q)?.chosen().first().map(|s| s.to_string()))
}
