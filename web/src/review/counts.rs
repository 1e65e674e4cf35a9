//! Keeping the database's breakdown counts in step with the survey files, before a page reads
//! them: a cheap read when they already are, a one-off rebuild when a survey's breakdown
//! questions changed.
use engine::Survey;

use crate::error::AppResult;
use crate::state::{SharedState, read};

pub async fn keep_breakdown_counts(state: &SharedState, survey: &Survey) -> AppResult<()> {
    let questions: Vec<String> = publish::labels::breakdowns(survey)
        .into_iter()
        .flat_map(|b| b.questions)
        .collect();
    let (sid, qs) = (survey.id.clone(), questions.clone());
    if !read(state, move |s| s.breakdowns_recorded(&sid, &qs)).await? {
        state
            .store
            .ensure_breakdowns(&survey.id, &questions)
            .await?;
    }
    Ok(())
}
