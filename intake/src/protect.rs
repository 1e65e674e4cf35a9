//! What happens to free text before it is stored: every answer is screened for possible
//! disclosures by the phrase layer and the learned layer together (what is flagged goes to the
//! safeguarding queue with what triggered it) and masked of personal data (what analysts and
//! exports see). Shared by web submissions, imports and the backfill of older answers.
use std::sync::Arc;

use engine::store::{NewFlag, Protection};
use engine::survey::Answers;
use safeguard::learned::{LearnedModel, pieces};
use safeguard::verdict::{Verdict, decide};

/// The screener's two layers and the encoder the learned one reads through. Cheap to clone.
#[derive(Clone)]
pub struct Protector {
    screener: Arc<safeguard::Screener>,
    learned: Option<Learned>,
}

#[derive(Clone)]
struct Learned {
    encoder: encoder::Encoder,
    model: Arc<LearnedModel>,
}

/// Why the learned layer could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum LearnedLayerError {
    #[error(transparent)]
    Encoder(#[from] encoder::EncoderError),
    #[error(transparent)]
    Model(#[from] safeguard::learned::LearnedError),
    #[error(
        "the learned screening model was trained on the encoder with weights {trained}, but the bundled encoder is {bundled}: train it again (see the README)"
    )]
    OtherEncoder { trained: String, bundled: String },
}

impl Protector {
    /// Both layers: the phrases of `screener` and the bundled learned model on the bundled
    /// encoder.
    pub fn new(screener: safeguard::Screener) -> Result<Protector, LearnedLayerError> {
        let model = LearnedModel::builtin()?;
        model.check_dimensions(encoder::DIMENSIONS)?;
        if model.encoder_sha256 != encoder::WEIGHTS_SHA256 {
            return Err(LearnedLayerError::OtherEncoder {
                trained: model.encoder_sha256,
                bundled: encoder::WEIGHTS_SHA256.into(),
            });
        }
        Ok(Protector {
            screener: Arc::new(screener),
            learned: Some(Learned {
                encoder: encoder::Encoder::load()?,
                model: Arc::new(model),
            }),
        })
    }

    /// The phrase layer alone, every phrase flagging: what screening falls back to when the
    /// learned layer cannot run, and the baseline it is measured against.
    pub fn phrases_only(screener: safeguard::Screener) -> Protector {
        Protector {
            screener: Arc::new(screener),
            learned: None,
        }
    }

    /// Whether the learned layer runs.
    pub fn is_learned(&self) -> bool {
        self.learned.is_some()
    }

    /// The learned model, when it runs.
    pub fn model(&self) -> Option<&LearnedModel> {
        self.learned.as_ref().map(|l| l.model.as_ref())
    }

    /// Screens one text, encoding its pieces on the calling thread.
    pub fn screen(&self, text: &str) -> Verdict {
        self.screen_all(&[text], false)
            .pop()
            .unwrap_or_else(|| Verdict {
                flagged: false,
                trigger: None,
                score: None,
                indicators: Vec::new(),
            })
    }

    /// Screens many texts; `parallel` encodes them on every core (imports, backfills, the
    /// command line), otherwise on the calling thread (one person's answers). If the encoder
    /// fails, every text is judged by its phrases alone, so nothing goes unscreened.
    pub fn screen_all(&self, texts: &[&str], parallel: bool) -> Vec<Verdict> {
        let screenings: Vec<_> = texts.iter().map(|t| self.screener.screen(t)).collect();
        let scores = self.scores(texts, parallel);
        screenings
            .into_iter()
            .zip(scores)
            .map(|(s, score)| decide(s, score.zip(self.model())))
            .collect()
    }

    /// The learned layer's score of each text (the highest of its pieces), or `None` for all
    /// when it cannot run.
    fn scores(&self, texts: &[&str], parallel: bool) -> Vec<Option<f32>> {
        let Some(l) = &self.learned else {
            return vec![None; texts.len()];
        };
        let cut: Vec<Vec<String>> = texts.iter().map(|t| pieces(t)).collect();
        let flat: Vec<&str> = cut.iter().flatten().map(String::as_str).collect();
        let vectors = if parallel {
            l.encoder.embed(&flat, &|_, _| {})
        } else {
            l.encoder.embed_here(&flat)
        };
        let Ok(vectors) = vectors else {
            return vec![None; texts.len()];
        };
        let mut at = 0;
        cut.iter()
            .map(|p| {
                let v = &vectors[at * encoder::DIMENSIONS..(at + p.len()) * encoder::DIMENSIONS];
                at += p.len();
                Some(l.model.score_pieces(v))
            })
            .collect()
    }

    /// Screens and masks the free-text answers of one response.
    pub fn protect(&self, answers: &Answers) -> Protection {
        self.protect_all(std::slice::from_ref(answers), false)
            .pop()
            .unwrap_or_default()
    }

    /// Screens and masks the free-text answers of many responses, encoding on every core.
    pub fn protect_many(&self, responses: &[Answers]) -> Vec<Protection> {
        self.protect_all(responses, true)
    }

    fn protect_all(&self, responses: &[Answers], parallel: bool) -> Vec<Protection> {
        let texts: Vec<(usize, &String, &str)> = responses
            .iter()
            .enumerate()
            .flat_map(|(r, answers)| {
                answers
                    .iter()
                    .filter_map(move |(q, v)| v.text().map(|t| (r, q, t)))
            })
            .collect();
        let plain: Vec<&str> = texts.iter().map(|(_, _, t)| *t).collect();
        let verdicts = self.screen_all(&plain, parallel);
        let mut out = vec![Protection::default(); responses.len()];
        for ((r, question, text), verdict) in texts.into_iter().zip(verdicts) {
            let p = &mut out[r];
            if let Some(trigger) = verdict.trigger {
                p.flags.push(NewFlag {
                    question_id: question.clone(),
                    indicators: serde_json::to_string(&verdict.indicators)
                        .unwrap_or_else(|_| "[]".into()),
                    trigger: trigger.as_str().into(),
                    score: verdict.score.map(f64::from),
                });
            }
            p.masked
                .push((question.clone(), safeguard::personal::mask(text).masked));
        }
        out
    }
}

/// Screens and masks answers stored before screening and masking existed, in batches, so every
/// disclosure reaches the queue and analysts never see unmasked text.
pub async fn backfill_masks(
    store: &engine::Store,
    protector: &Protector,
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
        let (ids, answers): (Vec<i64>, Vec<Answers>) = by_response.into_iter().unzip();
        let p = protector.clone();
        let protections = tokio::task::spawn_blocking(move || p.protect_many(&answers))
            .await
            .map_err(|e| engine::StoreError::Database(e.to_string()))?;
        store
            .protect_stored(ids.into_iter().zip(protections).collect())
            .await?;
    }
}
