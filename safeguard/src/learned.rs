//! The learned layer of screening: a logistic regression on sentence vectors, trained on labelled
//! disclosures and ordinary answers, that scores each piece of an answer for how much it reads
//! like a disclosure. Pure: the caller encodes the pieces ([`pieces`]) with the bundled sentence
//! encoder and hands the vectors in, so this crate stays free of the model runtime.
use serde::{Deserialize, Serialize};

/// The bundled model: weights, thresholds and where its training data came from.
pub const BUILTIN: &str = include_str!("../data/learned/screen-model.json");

/// Words in one piece: short enough that a disclosure in one sentence of a long answer is not
/// averaged away, long enough to keep its context ("he hits me when he drinks").
pub const PIECE_WORDS: usize = 40;

#[derive(Debug, thiserror::Error)]
pub enum LearnedError {
    #[error("the learned screening model does not read as JSON: {0}")]
    Json(String),
    #[error("the learned screening model has {found} weights, the encoder gives {expected}")]
    Dimensions { expected: usize, found: usize },
    #[error("the learned screening model's thresholds are not between 0 and 1 with low <= high")]
    Thresholds,
}

/// A trained model as stored in `data/learned/screen-model.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnedModel {
    /// The sentence encoder whose vectors it reads (its weights' SHA-256).
    pub encoder_sha256: String,
    pub weights: Vec<f32>,
    pub bias: f32,
    /// A score at or above this flags an answer on its own.
    pub flag_at: f32,
    /// A built-in phrase that is weak evidence on its own (one everyday word, or a word matched
    /// with a letter wrong) flags only when the learned score is at or above this.
    pub confirm_at: f32,
    /// How the thresholds were chosen, in words, for the README and the queue.
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
            || m.confirm_at > m.flag_at
        {
            return Err(LearnedError::Thresholds);
        }
        Ok(m)
    }

    /// Checks the model reads vectors of this many coordinates.
    pub fn check_dimensions(&self, dimensions: usize) -> Result<(), LearnedError> {
        if self.weights.len() == dimensions {
            Ok(())
        } else {
            Err(LearnedError::Dimensions {
                expected: dimensions,
                found: self.weights.len(),
            })
        }
    }

    /// The probability-like score of one piece's vector, 0 to 1. A vector of the wrong length
    /// (or a blank piece's zeros) scores as the bias alone says.
    pub fn score(&self, vector: &[f32]) -> f32 {
        let z: f32 = self
            .weights
            .iter()
            .zip(vector)
            .map(|(w, x)| w * x)
            .sum::<f32>()
            + self.bias;
        1.0 / (1.0 + (-z).exp())
    }

    /// The highest score among an answer's pieces (their vectors laid end to end).
    pub fn score_pieces(&self, vectors: &[f32]) -> f32 {
        let d = self.weights.len().max(1);
        vectors.chunks(d).map(|v| self.score(v)).fold(0.0, f32::max)
    }
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
        assert!((0.0..=1.0).contains(&m.score_pieces(&vec![0.1; 384 * 3])));
        assert!(LearnedModel::from_json("{").is_err());
        let bad = BUILTIN.replacen("\"confirm_at\":", "\"confirm_at\": 2.0, \"x\":", 1);
        assert!(LearnedModel::from_json(&bad).is_err());
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
