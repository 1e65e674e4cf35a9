//! The survey model: a consultation, its versions for each audience, and its questions, as
//! checked and resolved from a survey file. Everything here is valid by construction: the file
//! loader refuses anything that would break these invariants.
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

/// The choice id generated for "Prefer not to say".
pub const PREFER_NOT_TO_SAY: &str = "prefer_not_to_say";

#[derive(Debug, Clone, Serialize)]
pub struct Survey {
    pub id: String,
    pub title: String,
    pub opens: NaiveDate,
    /// The last day answers are taken (inclusive).
    pub closes: NaiveDate,
    pub retention: String,
    pub privacy: Privacy,
    pub versions: Vec<Version>,
    pub sections: Vec<Section>,
    /// Every question of the file, in the order asked.
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Privacy {
    pub summary: String,
    pub points: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Version {
    pub id: String,
    pub name: String,
    pub description: String,
    pub reading_age: u8,
    pub easy_read: bool,
    pub intro: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub id: String,
    pub title: Text,
    /// The versions that see this section.
    pub versions: Vec<String>,
}

/// Wording that is the same for every version, or differs by version.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Text {
    One(String),
    PerVersion(BTreeMap<String, String>),
}

impl Text {
    /// The wording for `version`; empty only if the loader's checks were bypassed.
    pub fn get(&self, version: &str) -> &str {
        match self {
            Text::One(s) => s,
            Text::PerVersion(m) => m.get(version).map(String::as_str).unwrap_or(""),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    Single,
    Multiple,
    Scale,
    YesNo,
    Text,
    LongText,
    Number,
}

impl QuestionType {
    /// Answered by picking from `choices` (scale and yes/no have generated choices).
    pub fn has_choices(self) -> bool {
        matches!(
            self,
            QuestionType::Single
                | QuestionType::Multiple
                | QuestionType::Scale
                | QuestionType::YesNo
        )
    }

    pub fn is_free_text(self) -> bool {
        matches!(self, QuestionType::Text | QuestionType::LongText)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionType::Single => "single",
            QuestionType::Multiple => "multiple",
            QuestionType::Scale => "scale",
            QuestionType::YesNo => "yes_no",
            QuestionType::Text => "text",
            QuestionType::LongText => "long_text",
            QuestionType::Number => "number",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub id: String,
    /// Index into `Survey::sections`.
    pub section: usize,
    pub kind: QuestionType,
    pub text: Text,
    pub hint: Option<Text>,
    pub required: bool,
    /// The versions that ask this question.
    pub versions: Vec<String>,
    pub breakdown: Option<String>,
    /// For choice-like types: the choices in order, "Prefer not to say" last when offered.
    pub choices: Vec<Choice>,
    pub max_choices: Option<usize>,
    pub max_chars: Option<usize>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub show_if: Option<Condition>,
    /// Line in the survey file, for messages.
    pub line: usize,
}

impl Question {
    pub fn asked_in(&self, version: &str) -> bool {
        self.versions.iter().any(|v| v == version)
    }

    pub fn choice(&self, id: &str) -> Option<&Choice> {
        self.choices.iter().find(|c| c.id == id)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub id: String,
    pub label: Text,
}

/// Show a question only when an earlier question's answer is one of `values`.
#[derive(Debug, Clone, Serialize)]
pub struct Condition {
    pub question: String,
    pub values: Vec<String>,
}

impl Survey {
    pub fn version(&self, id: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.id == id)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    pub fn question_index(&self, id: &str) -> Option<usize> {
        self.questions.iter().position(|q| q.id == id)
    }

    /// Whether answers are taken on `today` (opening and closing days included).
    pub fn is_open_on(&self, today: NaiveDate) -> bool {
        self.opens <= today && today <= self.closes
    }

    pub fn status_on(&self, today: NaiveDate) -> SurveyStatus {
        if today < self.opens {
            SurveyStatus::NotYetOpen
        } else if today > self.closes {
            SurveyStatus::Closed
        } else {
            SurveyStatus::Open
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyStatus {
    NotYetOpen,
    Open,
    Closed,
}
