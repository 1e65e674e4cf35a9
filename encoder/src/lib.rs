//! Sentence vectors for free text: the bundled MiniLM encoder, run on every core, each distinct text once.
//!
//! The model is `sentence-transformers/paraphrase-MiniLM-L3-v2` (Apache-2.0) in 4-bit storage,
//! shipped inside the registry crate `pocket-encoder` (pinned to one version, so Cargo.lock's
//! checksum pins the weights' bytes as well). Nothing is downloaded at build or run time. See
//! `encoder/MODEL.md` for its origin, licence and checksums.
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Coordinates per sentence vector.
pub const DIMENSIONS: usize = 384;

/// The SHA-256 of the bundled 4-bit weights, as `pocket-encoder` 0.1.2 ships them. A test
/// checks that the crate reports this, so a different model cannot slip in unnoticed.
pub const WEIGHTS_SHA256: &str = "dabb40d5d98a22372c8921acf048cb54bb8bf6d781b1233b2a360d5125789c7e";

/// The model's name as recorded with every theme run.
pub const MODEL_NAME: &str = "paraphrase-MiniLM-L3-v2 (4-bit, pocket-encoder 0.1.2)";

/// Texts longer than this many bytes are cut (at a character boundary) before encoding: the
/// model reads at most 128 word pieces, so the rest would be dropped by the tokenizer anyway.
const MAX_BYTES: usize = 2_000;

/// Texts sent to the model in one call (it refuses more than 4096).
const CHUNK: usize = 64;

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
        weights: pocket_encoder::model_info().revision,
    }
}

/// The loaded model. Cheap to clone; the weights are shared by the whole process.
#[derive(Clone)]
pub struct Encoder {
    inner: pocket_encoder::Encoder,
}

impl Encoder {
    /// Loads the bundled weights (about a second the first time in a process, then free) and
    /// checks they are the pinned ones.
    pub fn load() -> Result<Self, EncoderError> {
        let found = pocket_encoder::model_info().revision;
        if found != format!("sha256:{WEIGHTS_SHA256}") {
            return Err(EncoderError::WrongWeights(found));
        }
        let inner =
            pocket_encoder::Encoder::new().map_err(|e| EncoderError::Load(e.to_string()))?;
        Ok(Encoder { inner })
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
        let mut out = vec![0.0f32; texts.len() * DIMENSIONS];
        for (i, s) in slot.iter().enumerate() {
            if let Some(s) = *s {
                out[i * DIMENSIONS..(i + 1) * DIMENSIONS]
                    .copy_from_slice(&vectors[s * DIMENSIONS..(s + 1) * DIMENSIONS]);
            }
        }
        Ok(out)
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
        let mut out = vec![0.0f32; texts.len() * DIMENSIONS];
        if distinct.is_empty() {
            return Ok(out);
        }
        let mut vectors = Vec::with_capacity(distinct.len());
        for chunk in distinct.chunks(CHUNK) {
            let encoded = POOL
                .with(|pool| match pool {
                    Some(pool) => pool.install(|| self.inner.embed(chunk)),
                    None => self.inner.embed(chunk),
                })
                .map_err(|e| EncoderError::Encode(e.to_string()))?;
            vectors.extend(encoded);
        }
        for (i, s) in slot.iter().enumerate() {
            if let Some(v) = s.and_then(|s| vectors.get(s)) {
                out[i * DIMENSIONS..(i + 1) * DIMENSIONS].copy_from_slice(&v[..DIMENSIONS]);
            }
        }
        Ok(out)
    }

    /// Encodes every text (all non-blank) on every core, in chunks handed out in order; the
    /// result does not depend on how many threads ran, since each text is encoded alone.
    fn embed_distinct(
        &self,
        texts: &[String],
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Vec<f32>, EncoderError> {
        let total = texts.len();
        let mut out = vec![0.0f32; total * DIMENSIONS];
        if total == 0 {
            return Ok(out);
        }
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(total.div_ceil(CHUNK));
        let next = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        let failure: Mutex<Option<EncoderError>> = Mutex::new(None);
        let chunks: Vec<&mut [f32]> = out.chunks_mut(CHUNK * DIMENSIONS).collect();
        let chunks: Vec<Mutex<&mut [f32]>> = chunks.into_iter().map(Mutex::new).collect();
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| {
                    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().ok();
                    loop {
                        let c = next.fetch_add(1, Ordering::Relaxed);
                        if c >= chunks.len() || failure.lock().map(|f| f.is_some()).unwrap_or(true)
                        {
                            break;
                        }
                        let batch = &texts[c * CHUNK..((c + 1) * CHUNK).min(total)];
                        let encoded = match &pool {
                            Some(pool) => pool.install(|| self.inner.embed(batch)),
                            None => self.inner.embed(batch),
                        };
                        match encoded {
                            Ok(vectors) => {
                                if let Ok(mut dest) = chunks[c].lock() {
                                    for (row, v) in vectors.iter().enumerate() {
                                        dest[row * DIMENSIONS..(row + 1) * DIMENSIONS]
                                            .copy_from_slice(&v[..DIMENSIONS]);
                                    }
                                }
                                let d =
                                    done.fetch_add(batch.len(), Ordering::Relaxed) + batch.len();
                                progress(d, total);
                            }
                            Err(e) => {
                                if let Ok(mut f) = failure.lock() {
                                    f.get_or_insert(EncoderError::Encode(e.to_string()));
                                }
                                break;
                            }
                        }
                    }
                });
            }
        });
        drop(chunks);
        match failure.into_inner() {
            Ok(Some(e)) => Err(e),
            Ok(None) => Ok(out),
            Err(_) => Err(EncoderError::Encode("an encoding thread failed".into())),
        }
    }
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

    #[test]
    fn on_this_thread_gives_the_same_vectors() {
        let e = Encoder::load().expect("encoder");
        let texts = ["he hits me", "", "HE  hits me", "school is fine"];
        let here = e.embed_here(&texts).expect("vectors");
        let pooled = e.embed(&texts, &|_, _| {}).expect("vectors");
        assert_eq!(here, pooled);
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
        assert_eq!(&all[100 * DIMENSIONS..101 * DIMENSIONS], &one[..]);
    }
}
