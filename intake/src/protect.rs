//! What happens to free text before it is stored: every answer is screened for possible
//! disclosures (which go to the safeguarding queue) and masked of personal data (what analysts and
//! exports see). Shared by web submissions, imports and the backfill of older answers.
use engine::store::{NewFlag, Protection};
use engine::survey::Answers;

/// Screens and masks the free-text answers of one response.
pub fn protect(screener: &safeguard::Screener, answers: &Answers) -> Protection {
    let mut p = Protection::default();
    for (question, value) in answers {
        let Some(text) = value.text() else { continue };
        let screening = screener.screen(text);
        if screening.flagged {
            p.flags.push(NewFlag {
                question_id: question.clone(),
                indicators: serde_json::to_string(&screening.indicators)
                    .unwrap_or_else(|_| "[]".into()),
            });
        }
        p.masked
            .push((question.clone(), safeguard::personal::mask(text).masked));
    }
    p
}

/// Screens and masks answers stored before screening and masking existed, in batches, so every
/// disclosure reaches the queue and analysts never see unmasked text.
pub async fn backfill_masks(
    store: &engine::Store,
    screener: &safeguard::Screener,
) -> engine::store::Result<usize> {
    let mut done = 0;
    loop {
        let s = store.clone();
        let rows = tokio::task::spawn_blocking(move || s.answers_without_mask(1000))
            .await
            .map_err(|e| engine::StoreError::Database(e.to_string()))??;
        if rows.is_empty() {
            return Ok(done);
        }
        done += rows.len();
        let mut by_response: std::collections::BTreeMap<i64, Answers> = Default::default();
        for (r, q, t) in rows {
            by_response
                .entry(r)
                .or_default()
                .insert(q, engine::AnswerValue::Text(t));
        }
        let batch = by_response
            .into_iter()
            .map(|(r, answers)| (r, protect(screener, &answers)))
            .collect();
        store.protect_stored(batch).await?;
    }
}
