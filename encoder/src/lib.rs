//! Sentence vectors for free text: the bundled MiniLM encoder, run on every core, each distinct text once.
//!
//! The model is `sentence-transformers/paraphrase-MiniLM-L3-v2` (Apache-2.0) in 4-bit storage,
//! as the registry crate `pocket-encoder` 0.1.2 ships it; its files are in `assets/`, compiled
//! into the binary and checked against a pinned SHA-256 at load. Nothing is downloaded at build
//! or run time. See `encoder/MODEL.md` for their origin, licence and checksums.
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

mod bert;
mod model;
mod quick;

use model::{Model, Pieces, Pool};
pub use quick::Quick;

/// Coordinates per sentence vector.
pub const DIMENSIONS: usize = 384;

/// The SHA-256 of the bundled 4-bit weights (`assets/model.safetensors`, byte for byte as
/// `pocket-encoder` 0.1.2 ships them). [`Encoder::load`] refuses any other weights.
pub const WEIGHTS_SHA256: &str = "dabb40d5d98a22372c8921acf048cb54bb8bf6d781b1233b2a360d5125789c7e";

/// The model's name as recorded with every theme run.
pub const MODEL_NAME: &str = "paraphrase-MiniLM-L3-v2 (4-bit, pocket-encoder 0.1.2)";

/// Texts longer than this many bytes are cut (at a character boundary) before encoding: the
/// model reads at most 128 word pieces, so the rest would be dropped by the tokenizer anyway.
const MAX_BYTES: usize = 2_000;

/// Texts a thread cuts into word pieces at a time.
const CHUNK: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncoderError {
    #[error("the bundled sentence encoder could not be loaded: {0}")]
    Load(String),
    #[error("the sentence encoder failed: {0}")]
    Encode(String),
    #[error(
        "the bundled weights are not the pinned ones (expected sha256:{WEIGHTS_SHA256}, found {0})"
    )]
    WrongWeights(String),
}

/// What a theme run records about the model that made its vectors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelInfo {
    pub name: String,
    /// `sha256:` and the hex digest of the bundled weights.
    pub weights: String,
}

/// The model's identity, without loading it.
pub fn model_info() -> ModelInfo {
    ModelInfo {
        name: MODEL_NAME.to_string(),
        weights: format!("sha256:{WEIGHTS_SHA256}"),
    }
}

/// The loaded model. Cheap to clone; the weights are shared by the whole process.
#[derive(Clone)]
pub struct Encoder {
    model: Arc<Model>,
}

impl Encoder {
    /// Loads the bundled weights (about a second the first time in a process, then free) and
    /// checks they are the pinned ones.
    pub fn load() -> Result<Self, EncoderError> {
        static MODEL: OnceLock<Result<Arc<Model>, EncoderError>> = OnceLock::new();
        MODEL
            .get_or_init(|| Model::load().map(Arc::new))
            .clone()
            .map(|model| Encoder { model })
    }

    /// One unit-length vector per text, in order, as one flat row-major buffer of
    /// `texts.len() * DIMENSIONS` values. A text with nothing but white space gets a row of
    /// zeros (it has no meaning to compare). Texts that are the same once white space is
    /// folded and case is ignored are encoded once. `progress` is called with the number of
    /// distinct texts encoded so far and their total.
    pub fn embed(
        &self,
        texts: &[&str],
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Vec<f32>, EncoderError> {
        let (distinct, slot) = distinct_texts(texts);
        let vectors = self.embed_distinct(&distinct, progress)?;
        Ok(spread(&vectors, &slot))
    }

    /// As [`Encoder::embed`], on the calling thread alone: for a few texts at a time (one
    /// person's answers as they are sent), where starting threads would cost more than it saves
    /// and the server's other requests need the other cores.
    pub fn embed_here(&self, texts: &[&str]) -> Result<Vec<f32>, EncoderError> {
        thread_local! {
            static POOL: Option<rayon::ThreadPool> =
                rayon::ThreadPoolBuilder::new().num_threads(1).build().ok();
        }
        let (distinct, slot) = distinct_texts(texts);
        let pieces = distinct
            .iter()
            .map(|t| self.model.pieces(t))
            .collect::<Result<Vec<_>, _>>()?;
        let mut vectors = vec![0.0f32; distinct.len() * DIMENSIONS];
        for batch in model::batches(&pieces) {
            let rows: Vec<&Pieces> = batch.iter().map(|&i| &pieces[i]).collect();
            let encoded = POOL.with(|threads| match threads {
                Some(threads) => threads.install(|| self.model.vectors(&rows, Pool::Mean)),
                None => self.model.vectors(&rows, Pool::Mean),
            })?;
            place(&mut vectors, &batch, &encoded);
        }
        Ok(spread(&vectors, &slot))
    }

    /// Encodes every text (all non-blank) on every core: first each thread cuts a share of the
    /// texts into word pieces, then the batches (fixed by the texts alone, so the result does
    /// not depend on how many threads ran) are handed out in order.
    fn embed_distinct(
        &self,
        texts: &[String],
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Vec<f32>, EncoderError> {
        let total = texts.len();
        if total == 0 {
            return Ok(Vec::new());
        }
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        let pieces = self.pieces_on_every_core(texts, cores)?;
        self.run_on_every_core(&pieces, cores, Pool::Mean, progress)
    }

    /// Runs texts already cut into pieces through the model on every core, in batches fixed by
    /// the pieces alone (so the result does not depend on how many threads ran).
    fn run_on_every_core(
        &self,
        pieces: &[Pieces],
        cores: usize,
        pool: Pool,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Vec<f32>, EncoderError> {
        let total = pieces.len();
        if total == 0 {
            return Ok(Vec::new());
        }
        let batches = model::batches(pieces);
        let threads = cores.min(batches.len());
        let next = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        let failure: Mutex<Option<EncoderError>> = Mutex::new(None);
        let results: Vec<Mutex<Vec<f32>>> =
            (0..batches.len()).map(|_| Mutex::new(Vec::new())).collect();
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| {
                    // Each thread runs Candle in a one-thread pool of its own: letting Candle
                    // split products over the cores as well made the threads fight.
                    let threads = rayon::ThreadPoolBuilder::new().num_threads(1).build().ok();
                    loop {
                        let b = next.fetch_add(1, Ordering::Relaxed);
                        if b >= batches.len() || failure.lock().map(|f| f.is_some()).unwrap_or(true)
                        {
                            break;
                        }
                        let rows: Vec<&Pieces> = batches[b].iter().map(|&i| &pieces[i]).collect();
                        let encoded = match &threads {
                            Some(threads) => threads.install(|| self.model.vectors(&rows, pool)),
                            None => self.model.vectors(&rows, pool),
                        };
                        match encoded {
                            Ok(vectors) => {
                                if let Ok(mut slot) = results[b].lock() {
                                    *slot = vectors;
                                }
                                let d = done.fetch_add(rows.len(), Ordering::Relaxed) + rows.len();
                                progress(d, total);
                            }
                            Err(e) => {
                                if let Ok(mut f) = failure.lock() {
                                    f.get_or_insert(e);
                                }
                                break;
                            }
                        }
                    }
                });
            }
        });
        match failure.into_inner() {
            Ok(Some(e)) => return Err(e),
            Ok(None) => {}
            Err(_) => return Err(EncoderError::Encode("an encoding thread failed".into())),
        }
        let mut out = vec![0.0f32; total * DIMENSIONS];
        for (batch, result) in batches.iter().zip(results) {
            let encoded = result
                .into_inner()
                .map_err(|_| EncoderError::Encode("an encoding thread failed".into()))?;
            place(&mut out, batch, &encoded);
        }
        Ok(out)
    }

    fn pieces_on_every_core(
        &self,
        texts: &[String],
        cores: usize,
    ) -> Result<Vec<Pieces>, EncoderError> {
        let chunks: Vec<&[String]> = texts.chunks(CHUNK).collect();
        let next = AtomicUsize::new(0);
        type Cut = Mutex<Option<Result<Vec<Pieces>, EncoderError>>>;
        let cut: Vec<Cut> = (0..chunks.len()).map(|_| Mutex::new(None)).collect();
        std::thread::scope(|scope| {
            for _ in 0..cores.min(chunks.len()) {
                scope.spawn(|| {
                    loop {
                        let c = next.fetch_add(1, Ordering::Relaxed);
                        let Some(chunk) = chunks.get(c) else { break };
                        let result = chunk.iter().map(|t| self.model.pieces(t)).collect();
                        if let Ok(mut slot) = cut[c].lock() {
                            *slot = Some(result);
                        }
                    }
                });
            }
        });
        let mut out = Vec::with_capacity(texts.len());
        for slot in cut {
            match slot.into_inner() {
                Ok(Some(result)) => out.extend(result?),
                _ => return Err(EncoderError::Encode("a thread cutting words failed".into())),
            }
        }
        Ok(out)
    }
}

/// Copies a batch's vectors (in the batch's order) to their texts' rows.
fn place(out: &mut [f32], batch: &[usize], encoded: &[f32]) {
    for (row, &i) in batch.iter().enumerate() {
        out[i * DIMENSIONS..(i + 1) * DIMENSIONS]
            .copy_from_slice(&encoded[row * DIMENSIONS..(row + 1) * DIMENSIONS]);
    }
}

/// One row per input text: its distinct text's vector, or zeros for a blank.
fn spread(vectors: &[f32], slot: &[Option<usize>]) -> Vec<f32> {
    let mut out = vec![0.0f32; slot.len() * DIMENSIONS];
    for (i, s) in slot.iter().enumerate() {
        if let Some(s) = *s {
            out[i * DIMENSIONS..(i + 1) * DIMENSIONS]
                .copy_from_slice(&vectors[s * DIMENSIONS..(s + 1) * DIMENSIONS]);
        }
    }
    out
}

/// The distinct non-blank texts (white space folded, lower case, cut to `MAX_BYTES`), and for
/// each input the index of its distinct text (`None` when blank).
fn distinct_texts(texts: &[&str]) -> (Vec<String>, Vec<Option<usize>>) {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut distinct = Vec::new();
    let slot = texts
        .iter()
        .map(|t| {
            let key = normalise(t);
            if key.is_empty() {
                return None;
            }
            let n = index.len();
            let i = *index.entry(key).or_insert_with_key(|k| {
                distinct.push(k.clone());
                n
            });
            Some(i)
        })
        .collect();
    (distinct, slot)
}

/// The model is uncased (it lower-cases as it reads), so case and spacing never change a vector.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_BYTES));
    for word in text.split_whitespace() {
        if out.len() + word.len() + 1 > MAX_BYTES {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cosine(a: &[f32], b: &[f32]) -> f32 {
        a.iter().zip(b).map(|(x, y)| x * y).sum()
    }

    #[test]
    fn the_bundled_weights_are_the_pinned_ones() {
        assert_eq!(model_info().weights, format!("sha256:{WEIGHTS_SHA256}"));
        assert!(Encoder::load().is_ok());
    }

    #[test]
    fn answers_that_mean_the_same_are_closer_than_answers_that_do_not() {
        let e = Encoder::load().expect("encoder");
        let v = e
            .embed(
                &[
                    "nobody listens to me",
                    "they never ask what I think",
                    "I want more pocket money",
                ],
                &|_, _| {},
            )
            .expect("vectors");
        let row = |i: usize| &v[i * DIMENSIONS..(i + 1) * DIMENSIONS];
        assert!(cosine(row(0), row(1)) > cosine(row(0), row(2)) + 0.1);
    }

    #[test]
    fn copies_are_encoded_once_and_blanks_are_zero() {
        let e = Encoder::load().expect("encoder");
        let calls = AtomicUsize::new(0);
        let v = e
            .embed(&["idk", "  IDK ", "", "   ", "nothing"], &|done, total| {
                calls.fetch_add(1, Ordering::Relaxed);
                assert!(done <= total && total == 2);
            })
            .expect("vectors");
        assert_eq!(v.len(), 5 * DIMENSIONS);
        assert_eq!(v[..DIMENSIONS], v[DIMENSIONS..2 * DIMENSIONS]);
        assert!(v[2 * DIMENSIONS..4 * DIMENSIONS].iter().all(|&x| x == 0.0));
        let norm: f32 = cosine(&v[4 * DIMENSIONS..], &v[4 * DIMENSIONS..]);
        assert!((norm - 1.0).abs() < 1e-4);
        assert!(calls.load(Ordering::Relaxed) >= 1);
    }

    fn furthest(a: &[f32], b: &[f32]) -> f32 {
        assert_eq!(a.len(), b.len());
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f32::max)
    }

    #[test]
    fn on_this_thread_gives_the_same_vectors() {
        let e = Encoder::load().expect("encoder");
        let texts = ["he hits me", "", "HE  hits me", "school is fine"];
        let here = e.embed_here(&texts).expect("vectors");
        let pooled = e.embed(&texts, &|_, _| {}).expect("vectors");
        assert_eq!(here, pooled);
    }

    /// Padding a short text to share a batch with longer ones must not move it: the padded
    /// pieces are masked out of attention and of the mean. What remains is rounding.
    #[test]
    fn batched_vectors_equal_the_source_crates_one_at_a_time() {
        let e = Encoder::load().expect("encoder");
        let reference = pocket_encoder::Encoder::new().expect("pocket-encoder");
        let mut texts: Vec<String> = [
            "nobody listens to me",
            "they never ask what I think",
            "I want to see my brother more often and my social worker keeps changing",
            "ok",
            "日本語 中文 مرحبا café 🦀",
            "\u{200b}",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        texts.push("word ".repeat(300).trim().to_string());
        texts.extend(
            (0..90).map(|i| format!("answer {i} about school and {}", "friends ".repeat(i % 9))),
        );
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let ours = e.embed(&refs, &|_, _| {}).expect("vectors");
        let theirs: Vec<f32> = reference
            .embed(&refs.iter().map(|t| normalise(t)).collect::<Vec<_>>())
            .expect("reference vectors")
            .concat();
        assert!(
            furthest(&ours, &theirs) < 2e-5,
            "{}",
            furthest(&ours, &theirs)
        );
    }

    #[test]
    fn long_and_odd_texts_are_encoded() {
        let e = Encoder::load().expect("encoder");
        let long = "word ".repeat(50_000);
        let odd = "\u{0}\u{200b}😀 \u{fffd}";
        let v = e.embed(&[&long, odd, "ok"], &|_, _| {}).expect("vectors");
        assert!(v.iter().all(|x| x.is_finite()));
    }

    #[test]
    fn the_result_does_not_depend_on_batching() {
        let e = Encoder::load().expect("encoder");
        let texts: Vec<String> = (0..150).map(|i| format!("answer number {i}")).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let all = e.embed(&refs, &|_, _| {}).expect("vectors");
        let one = e.embed(&refs[100..101], &|_, _| {}).expect("vector");
        assert!(furthest(&all[100 * DIMENSIONS..101 * DIMENSIONS], &one) < 2e-5);
        // The same texts give the same vectors, bit for bit, however the run is scheduled.
        assert_eq!(all, e.embed(&refs, &|_, _| {}).expect("vectors"));
    }
}
