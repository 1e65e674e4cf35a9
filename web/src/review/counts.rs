//! Keeping the database's breakdown counts in step with the survey files, before a page reads
//! them: a cheap read when they already are, a one-off rebuild when a survey's counted
//! breakdown questions changed.
use engine::Survey;

use crate::error::AppResult;
use crate::state::SharedState;

pub async fn keep_breakdown_counts(state: &SharedState, survey: &Survey) -> AppResult<()> {
    Ok(state.store.ensure_counted_breakdowns(survey).await?)
}
