//! Routing: how a version's questions fall into pages, which questions a respondent sees given
//! their answers so far, where "next" and "back" go, and which answers count at submission.
use std::collections::BTreeMap;

use super::model::{Question, Survey};
use crate::answers::AnswerValue;

/// Answers keyed by question id.
pub type Answers = BTreeMap<String, AnswerValue>;

/// One page of a version: question indices into `Survey::questions`, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub questions: Vec<usize>,
}

/// Where the respondent goes after a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A page number, 1-based.
    Page(usize),
    CheckAnswers,
    /// Before the first page: the "who is filling this in" page.
    Start,
}

impl Survey {
    /// The pages of `version`. Easy-read versions get one question a page; others one section a
    /// page, except that a question whose condition depends on a question of the same page starts
    /// a new page: without JavaScript, a page cannot change what it shows as it is filled in.
    pub fn pages(&self, version: &str) -> Vec<Page> {
        let easy = self.version(version).is_some_and(|v| v.easy_read);
        let mut pages: Vec<Page> = Vec::new();
        let mut current: Vec<usize> = Vec::new();
        let mut current_section = None;
        for (i, q) in self.questions.iter().enumerate() {
            if !q.asked_in(version) {
                continue;
            }
            let depends_on_current = q
                .show_if
                .as_ref()
                .is_some_and(|c| current.iter().any(|&j| self.questions[j].id == c.question));
            let new_page = easy || current_section != Some(q.section) || depends_on_current;
            if new_page && !current.is_empty() {
                pages.push(Page {
                    questions: std::mem::take(&mut current),
                });
            }
            current_section = Some(q.section);
            current.push(i);
        }
        if !current.is_empty() {
            pages.push(Page { questions: current });
        }
        pages
    }

    /// Whether question `index` is shown, given the answers. A question is hidden when its
    /// condition is false, or when the question its condition names is itself hidden.
    pub fn is_visible(&self, version: &str, index: usize, answers: &Answers) -> bool {
        let Some(q) = self.questions.get(index) else {
            return false;
        };
        if !q.asked_in(version) {
            return false;
        }
        let Some(cond) = &q.show_if else {
            return true;
        };
        // Conditions only name earlier questions (the loader checks), so this terminates.
        let Some(t) = self.question_index(&cond.question) else {
            return false;
        };
        if t >= index || !self.is_visible(version, t, answers) {
            return false;
        }
        match answers.get(&cond.question) {
            Some(AnswerValue::Choice(c)) => cond.values.contains(c),
            Some(AnswerValue::Choices(cs)) => cs.iter().any(|c| cond.values.contains(c)),
            _ => false,
        }
    }

    /// The visible questions of page `page` (1-based); empty if it has none or does not exist.
    pub fn visible_on_page(&self, version: &str, page: usize, answers: &Answers) -> Vec<&Question> {
        let pages = self.pages(version);
        let Some(p) = page.checked_sub(1).and_then(|i| pages.get(i)) else {
            return Vec::new();
        };
        p.questions
            .iter()
            .filter(|&&i| self.is_visible(version, i, answers))
            .map(|&i| &self.questions[i])
            .collect()
    }

    /// The first page after `page` with a visible question, or the check-answers page.
    pub fn next_step(&self, version: &str, page: usize, answers: &Answers) -> Step {
        let pages = self.pages(version);
        for (i, p) in pages.iter().enumerate().skip(page) {
            if p.questions
                .iter()
                .any(|&q| self.is_visible(version, q, answers))
            {
                return Step::Page(i + 1);
            }
        }
        Step::CheckAnswers
    }

    /// The last page before `page` with a visible question, or the start.
    pub fn previous_step(&self, version: &str, page: usize, answers: &Answers) -> Step {
        let pages = self.pages(version);
        for i in (0..page.saturating_sub(1).min(pages.len())).rev() {
            if pages[i]
                .questions
                .iter()
                .any(|&q| self.is_visible(version, q, answers))
            {
                return Step::Page(i + 1);
            }
        }
        Step::Start
    }

    /// The page (1-based) that holds question `id` in `version`.
    pub fn page_of(&self, version: &str, id: &str) -> Option<usize> {
        let index = self.question_index(id)?;
        self.pages(version)
            .iter()
            .position(|p| p.questions.contains(&index))
            .map(|i| i + 1)
    }

    /// Visible questions of the version in order, for progress and the check-answers page.
    pub fn visible_questions(&self, version: &str, answers: &Answers) -> Vec<&Question> {
        (0..self.questions.len())
            .filter(|&i| self.is_visible(version, i, answers))
            .map(|i| &self.questions[i])
            .collect()
    }

    /// The answers that count: those to questions still visible. An answer given to a question
    /// whose condition later became false is dropped, so nobody's answer is read out of context.
    pub fn final_answers(&self, version: &str, answers: &Answers) -> Answers {
        self.visible_questions(version, answers)
            .into_iter()
            .filter_map(|q| answers.get(&q.id).map(|a| (q.id.clone(), a.clone())))
            .collect()
    }

    /// Required visible questions with no answer, in order.
    pub fn missing_required(&self, version: &str, answers: &Answers) -> Vec<&Question> {
        self.visible_questions(version, answers)
            .into_iter()
            .filter(|q| q.required && !answers.contains_key(&q.id))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::load_str;
    use std::path::Path;

    const SRC: &str = r#"
id = "r"
title = "Routing"
opens = 2026-01-01
closes = 2026-12-31
retention = "A year."
[privacy]
summary = "Test."
[[version]]
id = "easy"
name = "Easy"
reading_age = 8
easy_read = true
[[version]]
id = "std"
name = "Standard"
reading_age = 12
[[section]]
id = "a"
title = "A"
[[section.question]]
id = "moved"
type = "yes_no"
text = "Moved?"
[[section.question]]
id = "why"
type = "text"
text = "Why?"
show_if = { question = "moved", equals = "yes" }
[[section.question]]
id = "why-told"
type = "yes_no"
text = "Told?"
show_if = { question = "moved", equals = "yes" }
[[section.question]]
id = "why-more"
type = "text"
text = "More?"
show_if = { question = "why-told", equals = "yes" }
versions = ["std"]
[[section]]
id = "b"
title = "B"
[[section.question]]
id = "end"
type = "text"
text = "End"
"#;

    fn survey() -> crate::survey::Survey {
        let loaded = load_str(Path::new("r.toml"), SRC);
        assert!(loaded.errors().next().is_none(), "{:?}", loaded.diagnostics);
        loaded.survey.expect("loads")
    }

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        pairs
            .iter()
            .map(|(q, a)| (q.to_string(), AnswerValue::Choice(a.to_string())))
            .collect()
    }

    #[test]
    fn easy_read_has_one_question_a_page() {
        let s = survey();
        assert_eq!(s.pages("easy").len(), 4);
        assert!(s.pages("easy").iter().all(|p| p.questions.len() == 1));
    }

    #[test]
    fn a_condition_on_the_same_page_starts_a_new_page() {
        let s = survey();
        let pages: Vec<Vec<usize>> = s.pages("std").into_iter().map(|p| p.questions).collect();
        // moved | why, why-told | why-more | end: each condition naming a question of the page
        // being built starts a new page; a new section always does.
        assert_eq!(pages, vec![vec![0], vec![1, 2], vec![3], vec![4]]);
    }

    #[test]
    fn hidden_questions_are_skipped_and_their_answers_dropped() {
        let s = survey();
        let none = Answers::new();
        // Easy read asks moved, why, why-told, end (why-more is standard only).
        assert_eq!(
            s.next_step("easy", 1, &none),
            Step::Page(4),
            "why and why-told skipped"
        );
        let yes = answers(&[("moved", "yes")]);
        assert_eq!(s.next_step("easy", 1, &yes), Step::Page(2));
        let mut changed = answers(&[("moved", "no"), ("why-told", "yes")]);
        changed.insert("why".into(), AnswerValue::Text("because".into()));
        let kept = s.final_answers("easy", &changed);
        assert!(kept.contains_key("moved"));
        assert!(!kept.contains_key("why") && !kept.contains_key("why-told"));
        assert_eq!(s.previous_step("easy", 4, &none), Step::Page(1));
        assert_eq!(s.previous_step("easy", 1, &none), Step::Start);
        assert_eq!(s.next_step("easy", 4, &none), Step::CheckAnswers);
    }

    #[test]
    fn progress_counts_only_visible_questions() {
        let s = survey();
        assert_eq!(s.visible_questions("easy", &Answers::new()).len(), 2);
        assert_eq!(
            s.visible_questions("easy", &answers(&[("moved", "yes")]))
                .len(),
            4
        );
    }
}
