//! What happens to free text before it is stored: every answer is screened for possible
//! disclosures by the phrase layer and the learned layer together (what is flagged goes to the
//! safeguarding queue with what triggered it) and masked of personal data (what analysts and
//! exports see). Shared by web submissions, imports and the backfill of older answers.
use std::borrow::Borrow;
use std::sync::Arc;

use engine::store::{NewFlag, Protection, Weighed};
use engine::survey::Answers;
use safeguard::learned::{LearnedModel, pieces};
use safeguard::verdict::{Trigger, Verdict, decide, firm_trigger};

/// Answers the learned layer reads in the background at a time: small, so a submission waiting
/// behind a batch is not held long.
const WEIGH_BATCH: i64 = 32;

/// Answers read at a time when everything left is read at once ([`weigh_all`]): enough to keep
/// every core busy between the writes that record them.
const WEIGH_ALL_BATCH: i64 = 4096;

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
        "the learned screening model was trained on the encoder with weights {trained}, but the bundled encoder is {bundled}: train it again (see safeguard/data/learned/MODEL.md)"
    )]
    OtherEncoder { trained: String, bundled: String },
}

impl Protector {
    /// Both layers: the phrases of `screener` and the bundled learned model on the bundled
    /// encoder.
    pub fn new(screener: safeguard::Screener) -> Result<Protector, LearnedLayerError> {
        Protector::with_model(screener, LearnedModel::builtin()?)
    }

    /// Both layers, with a learned model other than the bundled one (a candidate being
    /// measured against it).
    pub fn with_model(
        screener: safeguard::Screener,
        model: LearnedModel,
    ) -> Result<Protector, LearnedLayerError> {
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
                set_aside: false,
            })
    }

    /// Screens many texts; `parallel` encodes them on every core (imports, backfills, the
    /// command line), otherwise on the calling thread (one person's answers). If the encoder
    /// fails, every text is judged by its phrases alone, so nothing goes unscreened.
    pub fn screen_all(&self, texts: &[&str], parallel: bool) -> Vec<Verdict> {
        let screenings = map_texts(texts, parallel, |t| self.screener.screen(t));
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
                Some(l.model.score_pieces(p, v))
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

    /// Screens and masks one response's free text as it is submitted, keeping the learned
    /// layer's encoding off the submit path: a phrase of the lead's own file or a firm built-in
    /// phrase flags now, unread (the learned layer reads it in the background and moves a firm
    /// phrase it is all but sure is ordinary to "Set aside", unless a person has decided on it
    /// already: see `Store::record_weighing`); every other answer, including one whose only
    /// phrases are weak, is left for the learned layer to read in the background
    /// ([`weigh_pending`], normally within a second), which raises a flag where it agrees with
    /// a weak phrase and gives the unread flags their scores. The child whose answer holds a
    /// weak phrase still sees the extra help at once: the confirmation page shows it for any
    /// phrase in an answer not yet read (`Store::draft_needs_help`). Encoding a phrased
    /// answer on the submit path cost 5 to 6 ms of CPU (load example, `--phrases 20`, and
    /// `--weak` for weak phrases: p99 submit 152-158 ms against 44 ms). With no learned layer,
    /// as [`Protector::protect`].
    pub fn protect_now(&self, answers: &Answers) -> Protection {
        self.protect_deferring(std::slice::from_ref(answers), false)
            .pop()
            .unwrap_or_default()
    }

    /// As [`Protector::protect_now`] for the responses of an import, on every core: the rows
    /// go in at the speed of the phrases and masking, and the learned layer reads the rest
    /// after ([`weigh_all`] for the command line, the server's background loop otherwise).
    pub fn protect_many_now<A: Borrow<Answers>>(&self, responses: &[A]) -> Vec<Protection> {
        self.protect_deferring(responses, true)
    }

    /// `parallel`: on every core (an import), or on the calling thread (a request's own).
    fn protect_deferring<A: Borrow<Answers>>(
        &self,
        responses: &[A],
        parallel: bool,
    ) -> Vec<Protection> {
        if self.learned.is_none() {
            return self.protect_all(responses, parallel);
        }
        let texts = free_texts(responses);
        let plain: Vec<&str> = texts.iter().map(|(_, _, t)| *t).collect();
        let screenings = map_texts(&plain, parallel, |t| self.screener.screen(t));
        let masks = map_texts(&plain, parallel, |t| safeguard::personal::mask(t).masked);
        let mut out = vec![Protection::default(); responses.len()];
        for (((r, q, _), screening), masked) in texts.into_iter().zip(screenings).zip(masks) {
            let p = &mut out[r];
            p.masked.push((q.clone(), masked));
            if let Some(trigger) = firm_trigger(&screening) {
                p.flags
                    .push(flag(q, &screening.indicators, trigger.as_str(), None));
            }
            if !screening.indicators.is_empty() {
                p.phrased.push(q.clone());
            }
            p.unweighed.push(q.clone());
        }
        out
    }

    fn protect_all<A: Borrow<Answers>>(&self, responses: &[A], parallel: bool) -> Vec<Protection> {
        let texts = free_texts(responses);
        let plain: Vec<&str> = texts.iter().map(|(_, _, t)| *t).collect();
        let verdicts = self.screen_all(&plain, parallel);
        let masks = map_texts(&plain, parallel, |t| safeguard::personal::mask(t).masked);
        let mut out = vec![Protection::default(); responses.len()];
        for (((r, question, _), verdict), masked) in texts.into_iter().zip(verdicts).zip(masks) {
            let p = &mut out[r];
            p.flags.extend(flag_of(question, &verdict));
            p.masked.push((question.clone(), masked));
        }
        out
    }
}

/// Every free-text answer of the responses: (response's index, question, text).
fn free_texts<A: Borrow<Answers>>(responses: &[A]) -> Vec<(usize, &String, &str)> {
    responses
        .iter()
        .enumerate()
        .flat_map(|(r, answers)| {
            answers
                .borrow()
                .iter()
                .filter_map(move |(q, v)| v.text().map(|t| (r, q, t)))
        })
        .collect()
}

/// `f` of each text, in order: on every core when `parallel` (a file being imported), here
/// otherwise (one response being submitted, whose request already has a thread of its own).
fn map_texts<T: Send>(texts: &[&str], parallel: bool, f: impl Fn(&str) -> T + Sync) -> Vec<T> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if !parallel || cores < 2 || texts.len() < 64 {
        return texts.iter().map(|t| f(t)).collect();
    }
    let chunk = texts.len().div_ceil(cores);
    std::thread::scope(|s| {
        let f = &f;
        let parts: Vec<_> = texts
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(|t| f(t)).collect::<Vec<T>>()))
            .collect();
        parts
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// The flag to store for an answer's verdict: a new one when it is flagged, one set aside when
/// the learned layer set its firm phrase aside (so a person can still read it), else none.
fn flag_of(question: &str, verdict: &Verdict) -> Option<NewFlag> {
    let (trigger, set_aside) = match verdict.trigger {
        Some(t) => (t, false),
        None if verdict.set_aside => (Trigger::PhraseSetAside, true),
        None => return None,
    };
    Some(NewFlag {
        set_aside,
        ..flag(
            question,
            &verdict.indicators,
            trigger.as_str(),
            verdict.score.map(f64::from),
        )
    })
}

fn flag(
    question: &str,
    indicators: &[safeguard::Indicator],
    trigger: &str,
    score: Option<f64>,
) -> NewFlag {
    NewFlag {
        question_id: question.to_string(),
        indicators: serde_json::to_string(indicators).unwrap_or_else(|_| "[]".into()),
        trigger: trigger.into(),
        score,
        set_aside: false,
    }
}

/// The learned layer reads stored answers it has yet to read ([`Protector::protect_now`] left
/// them), a small batch at a time on one blocking thread, raising the flags it finds; returns
/// how many it read. The server runs it in a loop; a restart picks up where it stopped.
pub async fn weigh_pending(
    store: &engine::Store,
    protector: &Protector,
) -> engine::store::Result<usize> {
    let s = store.clone();
    let rows = blocking(move || s.unweighed_answers(WEIGH_BATCH)).await??;
    Ok(weigh(store, protector, rows, false).await?.read)
}

/// What a reading by the learned layer did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Weighing {
    /// Answers read.
    pub read: usize,
    /// Flags raised (answers its phrases had not flagged already).
    pub raised: usize,
    /// Firm-phrase flags it set aside (all but sure the answer is ordinary): in the queue's
    /// Set aside tab.
    pub set_aside: usize,
}

/// Reads every answer the learned layer has yet to read, on every core, a large batch at a
/// time, calling `progress` with how many it has read: `heard import` runs it once the rows are
/// stored, so the flags of the learned layer are in the queue when the command ends. Stopping
/// part way loses nothing: the server reads what is left.
pub async fn weigh_all(
    store: &engine::Store,
    protector: &Protector,
    progress: impl Fn(usize),
) -> engine::store::Result<Weighing> {
    let mut done = Weighing::default();
    loop {
        let s = store.clone();
        let rows = blocking(move || s.unweighed_answers(WEIGH_ALL_BATCH)).await??;
        if rows.is_empty() {
            return Ok(done);
        }
        let w = weigh(store, protector, rows, true).await?;
        done.read += w.read;
        done.raised += w.raised;
        done.set_aside += w.set_aside;
        progress(done.read);
    }
}

/// Reads the unread answers of the response with this reference code, before it is deleted, so
/// a disclosure in it still reaches the safeguarding lead.
pub async fn weigh_before_deleting(
    store: &engine::Store,
    protector: &Protector,
    survey_id: &str,
    code: &str,
) -> engine::store::Result<usize> {
    let (s, survey, code) = (store.clone(), survey_id.to_string(), code.to_string());
    let rows = blocking(move || s.unweighed_answers_of_code(&survey, &code)).await??;
    Ok(weigh(store, protector, rows, false).await?.read)
}

async fn weigh(
    store: &engine::Store,
    protector: &Protector,
    rows: Vec<(i64, String, String)>,
    parallel: bool,
) -> engine::store::Result<Weighing> {
    let read = rows.len();
    if read == 0 {
        return Ok(Weighing::default());
    }
    let p = protector.clone();
    let weighed = blocking(move || {
        let texts: Vec<&str> = rows.iter().map(|(_, _, t)| t.as_str()).collect();
        let verdicts = p.screen_all(&texts, parallel);
        rows.iter()
            .zip(verdicts)
            .map(|((response_id, question, _), v)| Weighed {
                response_id: *response_id,
                question_id: question.clone(),
                flag: flag_of(question, &v),
                score: v.score.map(f64::from),
            })
            .collect::<Vec<_>>()
    })
    .await?;
    let recorded = store.record_weighing(weighed).await?;
    Ok(Weighing {
        read,
        raised: recorded.raised,
        set_aside: recorded.set_aside,
    })
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> engine::store::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| engine::StoreError::Database(e.to_string()))
}

/// Masks the masked copies of stored answers again when they were made by an earlier masker
/// than this one ([`safeguard::personal::MASKER_VERSION`]), so what a newer masker finds (a
/// date in another calendar, a phone number in another script's digits) leaves analysts' view
/// in answers stored before it too. Each copy is masked as it stands: placeholders and an
/// analyst's redactions stay, and only more is hidden, never less; a copy redacted while it was
/// being masked is masked again from the redacted one. In batches of responses, so a stop
/// part-way goes on where it was, and safe beside a serving workspace; returns how many copies
/// changed.
pub async fn remask_stored(store: &engine::Store) -> engine::store::Result<usize> {
    let version = safeguard::personal::MASKER_VERSION;
    let s = store.clone();
    let mut after = match blocking(move || s.remasking(version)).await?? {
        engine::store::Remasking::Done => return Ok(0),
        engine::store::Remasking::From(after) => after,
    };
    let (mut changed, mut themes) = (0, 0);
    loop {
        let s = store.clone();
        let rows = blocking(move || s.masked_answers_after(after, 2000)).await??;
        let Some(&(last, _, _)) = rows.last() else {
            store.finish_remasking(version, changed, themes).await?;
            return Ok(changed);
        };
        let mut rows = rows;
        loop {
            let remasked = blocking(move || mask_again(rows)).await?;
            let (stored, renamed, moved) = store.store_remasked(version, remasked, last).await?;
            changed += stored;
            themes += renamed;
            if moved.is_empty() {
                break;
            }
            let s = store.clone();
            rows = blocking(move || s.masked_copies(moved)).await??;
        }
        after = last;
    }
}

/// Each copy with what the masker makes of it now, where that differs, and the words it now
/// hides.
fn mask_again(rows: Vec<(i64, String, String)>) -> Vec<engine::store::Remasked> {
    let texts: Vec<&str> = rows.iter().map(|(_, _, m)| m.as_str()).collect();
    let again = map_texts(&texts, true, safeguard::personal::mask);
    rows.into_iter()
        .zip(again)
        .filter(|((_, _, before), now)| *before != now.masked)
        .map(
            |((response, question, before), now)| engine::store::Remasked {
                hidden: hidden_words(&before, &now),
                response,
                question,
                before,
                after: now.masked,
            },
        )
        .collect()
}

/// The words `now` hides in `text`, in lower case, each with its placeholder; not the words of
/// the placeholders already there ("[name]").
fn hidden_words(text: &str, now: &safeguard::Masked) -> Vec<(String, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mut hidden: Vec<(String, String)> = Vec::new();
    for span in &now.spans {
        let found: String = chars
            .get(span.start..span.end)
            .unwrap_or_default()
            .iter()
            .collect();
        let placeholder = span.kind.placeholder();
        for word in found.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')) {
            let word = word.to_lowercase();
            let is_placeholder = safeguard::Kind::ALL.iter().any(|k| {
                k.placeholder()
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| w.eq_ignore_ascii_case(&word))
            });
            if word.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !is_placeholder
                && !hidden.iter().any(|(w, _)| *w == word)
            {
                hidden.push((word, placeholder.to_string()));
            }
        }
    }
    hidden
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
        let rows = blocking(move || s.answers_without_mask(1000)).await??;
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
        let protections = blocking(move || p.protect_many(&answers)).await?;
        store
            .protect_stored(ids.into_iter().zip(protections).collect())
            .await?;
    }
}
