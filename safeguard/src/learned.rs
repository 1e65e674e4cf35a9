//! The learned layer of screening: a logistic regression on sentence vectors and words, trained on
//! labelled disclosures and ordinary answers, that scores each piece of an answer for how much it
//! reads like a disclosure. Pure: the caller encodes the pieces ([`pieces`]) with the bundled
//! sentence encoder and hands the vectors in, so this crate stays free of the model runtime.
use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};

/// The bundled model: weights, thresholds and where its training data came from.
pub const BUILTIN: &str = include_str!("../data/learned/screen-model.json");

/// Words in one piece: short enough that a disclosure in one sentence of a long answer is not
/// averaged away, long enough to keep its context ("he hits me when he drinks").
pub const PIECE_WORDS: usize = 40;

/// How many weights the words of a piece are hashed into. A small sentence encoder places "my
/// foster mum makes pancakes" near "my foster mum hits me" (the subject outweighs what is
/// said); the words part is what tells them apart.
pub const WORD_BUCKETS: usize = 1 << 16;

#[derive(Debug, thiserror::Error)]
pub enum LearnedError {
    #[error("the learned screening model does not read as JSON: {0}")]
    Json(String),
    #[error("the learned screening model has {found} weights, the encoder gives {expected}")]
    Dimensions { expected: usize, found: usize },
    #[error(
        "the learned screening model has {found} word weights, this build hashes words into {expected}"
    )]
    WordBuckets { expected: usize, found: usize },
    #[error(
        "the learned screening model's thresholds are not between 0 and 1 with veto_at <= confirm_at <= flag_at"
    )]
    Thresholds,
}

/// A trained model as stored in `data/learned/screen-model.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnedModel {
    /// The sentence encoder whose vectors it reads (its weights' SHA-256).
    pub encoder_sha256: String,
    pub weights: Vec<f32>,
    /// One weight per bucket of [`word_features`] ([`WORD_BUCKETS`] of them), or none for a
    /// model that reads sentence vectors alone.
    #[serde(default)]
    pub word_weights: Vec<f32>,
    pub bias: f32,
    /// A score at or above this flags an answer on its own.
    pub flag_at: f32,
    /// A firm built-in phrase ("kill me", "for money") is set aside when the score is under
    /// this: the learned layer is all but sure the answer is ordinary ("this homework will kill
    /// me"). 0 sets none aside. The lead's own phrases are never set aside.
    #[serde(default)]
    pub veto_at: f32,
    /// A built-in phrase that is weak evidence on its own (one everyday word, or a word matched
    /// with a letter wrong) flags only when the learned score is at or above this.
    pub confirm_at: f32,
    /// How the thresholds were chosen, in words, for MEASURED.md and the queue.
    pub chosen: String,
    /// What it was trained on: source, rows of each label, file checksum, licence.
    pub training: Vec<TrainingSource>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingSource {
    pub name: String,
    pub disclosures: usize,
    pub ordinary: usize,
    pub sha256: String,
    pub licence: String,
}

impl LearnedModel {
    pub fn builtin() -> Result<LearnedModel, LearnedError> {
        LearnedModel::from_json(BUILTIN)
    }

    pub fn from_json(json: &str) -> Result<LearnedModel, LearnedError> {
        let m: LearnedModel =
            serde_json::from_str(json).map_err(|e| LearnedError::Json(e.to_string()))?;
        if !(0.0..=1.0).contains(&m.flag_at)
            || !(0.0..=1.0).contains(&m.confirm_at)
            || !(0.0..=1.0).contains(&m.veto_at)
            || m.confirm_at > m.flag_at
            || m.veto_at > m.confirm_at
        {
            return Err(LearnedError::Thresholds);
        }
        Ok(m)
    }

    /// Checks the model reads vectors of this many coordinates (and words hashed as
    /// [`word_features`] hashes them, when it reads words).
    pub fn check_dimensions(&self, dimensions: usize) -> Result<(), LearnedError> {
        if !self.word_weights.is_empty() && self.word_weights.len() != WORD_BUCKETS {
            return Err(LearnedError::WordBuckets {
                expected: WORD_BUCKETS,
                found: self.word_weights.len(),
            });
        }
        if self.weights.len() == dimensions {
            Ok(())
        } else {
            Err(LearnedError::Dimensions {
                expected: dimensions,
                found: self.weights.len(),
            })
        }
    }

    /// The probability-like score of one piece, 0 to 1, from its vector and its words. A vector
    /// of the wrong length (or a blank piece's zeros) counts for nothing.
    pub fn score(&self, vector: &[f32], piece: &str) -> f32 {
        let mut z: f32 = self
            .weights
            .iter()
            .zip(vector)
            .map(|(w, x)| w * x)
            .sum::<f32>()
            + self.bias;
        if !self.word_weights.is_empty() {
            z += word_features(piece)
                .iter()
                .map(|&(i, x)| self.word_weights.get(i as usize).copied().unwrap_or(0.0) * x)
                .sum::<f32>();
        }
        1.0 / (1.0 + (-z).exp())
    }

    /// The highest score among an answer's pieces (their vectors laid end to end, in the
    /// order of `pieces`).
    pub fn score_pieces(&self, pieces: &[String], vectors: &[f32]) -> f32 {
        let d = self.weights.len().max(1);
        vectors
            .chunks(d)
            .zip(pieces)
            .map(|(v, p)| self.score(v, p))
            .fold(0.0, f32::max)
    }
}

/// The words of a piece as the learned layer reads them: each word stemmed ("hitting" and
/// "hits" are one) and each pair of neighbouring words ("hits me" is not "me" and "hits"),
/// hashed into [`WORD_BUCKETS`], each present once, scaled so that every piece's features
/// have length 1 whatever its number of words. Sorted by bucket.
pub fn word_features(piece: &str) -> Vec<(u32, f32)> {
    let stemmer = Stemmer::create(Algorithm::English);
    let lower = piece.to_lowercase();
    let words: Vec<String> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
        .map(|w| w.replace(['\'', '\u{2019}'], ""))
        .filter(|w| !w.is_empty())
        .map(|w| stemmer.stem(&w).into_owned())
        .collect();
    let mut buckets: Vec<u32> = words
        .iter()
        .map(|w| bucket(&[w.as_str()]))
        .chain(
            words
                .windows(2)
                .map(|p| bucket(&[p[0].as_str(), p[1].as_str()])),
        )
        .collect();
    buckets.sort_unstable();
    buckets.dedup();
    let x = 1.0 / (buckets.len().max(1) as f32).sqrt();
    buckets.into_iter().map(|b| (b, x)).collect()
}

/// FNV-1a over the words with a separator, so the hashing is the same on every machine and in
/// every version of Rust (the model's weights depend on it).
fn bucket(words: &[&str]) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            h ^= u64::from(b' ');
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        for b in w.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    (h % WORD_BUCKETS as u64) as u32
}

/// An answer cut into the pieces the learned layer scores: sentences joined up to
/// [`PIECE_WORDS`] words, and a sentence longer than that cut into overlapping windows. An
/// answer of [`PIECE_WORDS`] words or fewer is one piece. Blank text has no pieces.
pub fn pieces(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= PIECE_WORDS {
        return if words.is_empty() {
            Vec::new()
        } else {
            vec![words.join(" ")]
        };
    }
    let mut sentences: Vec<Vec<&str>> = vec![Vec::new()];
    for line in text.lines() {
        for w in line.split_whitespace() {
            if let Some(s) = sentences.last_mut() {
                s.push(w);
            }
            if w.ends_with(['.', '!', '?', ';']) {
                sentences.push(Vec::new());
            }
        }
        sentences.push(Vec::new());
    }
    let mut out: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for s in sentences.into_iter().filter(|s| !s.is_empty()) {
        if current.len() + s.len() <= PIECE_WORDS {
            current.extend(s);
            continue;
        }
        if !current.is_empty() {
            out.push(current.join(" "));
            current.clear();
        }
        if s.len() <= PIECE_WORDS {
            current = s;
        } else {
            // Half-overlapping windows, so words at a cut are read with their neighbours.
            let step = PIECE_WORDS / 2;
            let mut at = 0;
            loop {
                let end = (at + PIECE_WORDS).min(s.len());
                out.push(s[at..end].join(" "));
                if end == s.len() {
                    break;
                }
                at += step;
            }
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_model_reads_and_bad_ones_are_refused() {
        let m = LearnedModel::builtin().expect("the bundled model");
        assert!(m.check_dimensions(384).is_ok());
        assert!(m.check_dimensions(10).is_err());
        let three = vec!["a".to_string(), "b".into(), "c".into()];
        assert!((0.0..=1.0).contains(&m.score_pieces(&three, &vec![0.1; 384 * 3])));
        assert!(LearnedModel::from_json("{").is_err());
        let bad = BUILTIN.replacen("\"confirm_at\":", "\"confirm_at\": 2.0, \"x\":", 1);
        assert!(LearnedModel::from_json(&bad).is_err());
    }

    #[test]
    fn words_are_stemmed_paired_and_hashed_the_same_each_time() {
        let a = word_features("He HITS me");
        assert_eq!(a, word_features("he hits me!!"));
        // three words and two pairs, each once
        assert_eq!(a.len(), 5);
        assert!(
            a.iter()
                .all(|&(i, x)| (i as usize) < WORD_BUCKETS && (x - 0.2f32.sqrt()).abs() < 1e-6)
        );
        assert_ne!(word_features("he hits me"), word_features("me hits he"));
        assert_eq!(word_features("hitting"), word_features("hits"));
        assert!(word_features(" \n ").is_empty());
        assert_eq!(word_features("don't"), word_features("don\u{2019}t"));
    }

    #[test]
    fn a_short_answer_is_one_piece_and_blank_is_none() {
        assert_eq!(
            pieces("  he hits me   when he drinks "),
            ["he hits me when he drinks"]
        );
        assert!(pieces(" \n\t ").is_empty());
    }

    #[test]
    fn a_long_answer_is_cut_at_sentences_and_no_word_is_lost() {
        let first = "I like my school and my friends there are kind to me most days. ".repeat(3);
        let text = format!("{first}But at home my step dad hits me and I am scared to go back.");
        let p = pieces(&text);
        assert!(p.len() >= 2);
        assert!(
            p.iter()
                .all(|x| x.split_whitespace().count() <= PIECE_WORDS)
        );
        assert!(p.last().is_some_and(|x| x.contains("hits me")));
        let total: usize = p.iter().map(|x| x.split_whitespace().count()).sum();
        assert_eq!(total, text.split_whitespace().count());
    }

    #[test]
    fn a_long_sentence_is_cut_into_overlapping_windows() {
        let text = (0..100)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let p = pieces(&text);
        assert!(
            p.iter()
                .all(|x| x.split_whitespace().count() <= PIECE_WORDS)
        );
        for i in 0..100 {
            let w = format!("w{i}");
            assert!(p.iter().any(|x| x.split_whitespace().any(|y| y == w)));
        }
    }
}
