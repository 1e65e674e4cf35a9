//! Quick sentence vectors for answers too many to encode: each word piece run through the model once, alone, and a text's vector the weighted mean of its pieces' vectors.
//!
//! Encoding every answer of a very large question would take hours; a word piece's vector costs
//! one tiny run of the model, and a question's answers share a few tens of thousands of pieces.
//! The mean loses word order and context, so these vectors are rougher than the encoder's, but
//! they come from the same model, and a linear map fitted on answers that were encoded both
//! ways (in the `analysis` crate) brings them close to the encoder's own.
use std::collections::HashMap;

use crate::model::{Pieces, Pool};
use crate::{DIMENSIONS, Encoder, EncoderError, normalise};

/// Each text's word pieces and the vectors of every piece they use: a text's quick vector is
/// the unit-length weighted sum of its pieces' rows of `table` (the `analysis` crate sums
/// them, after mapping the table).
#[derive(Debug, Clone)]
pub struct Quick {
    /// One row of `DIMENSIONS` values per word piece used by any text, row-major.
    pub table: Vec<f32>,
    /// For each text, in order, its pieces' rows in `table` and their weights (empty: blank).
    pub texts: Vec<Vec<(u32, f32)>>,
}

impl Encoder {
    /// The word pieces of every text and each piece's vector, the model run once per piece on
    /// the piece alone, on every core. A piece's weight in a text is its count there times its
    /// inverse document frequency among `texts`, so pieces nearly every answer uses ("the",
    /// "i") count for little. Pass distinct texts: copies would count twice in the frequencies.
    /// The result depends only on the texts, not on the number of cores.
    pub fn quick(&self, texts: &[&str]) -> Result<Quick, EncoderError> {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        let folded: Vec<String> = texts.iter().map(|t| normalise(t)).collect();
        let pieces = self.pieces_on_every_core(&folded, cores)?;
        drop(folded);
        let mut frequency: HashMap<u32, u32> = HashMap::new();
        let mut seen: Vec<u32> = Vec::new();
        for p in &pieces {
            seen.clear();
            seen.extend_from_slice(p.words());
            seen.sort_unstable();
            seen.dedup();
            for &id in &seen {
                *frequency.entry(id).or_insert(0) += 1;
            }
        }
        let mut ids: Vec<u32> = frequency.keys().copied().collect();
        ids.sort_unstable();
        let row_of: HashMap<u32, u32> = ids
            .iter()
            .enumerate()
            .map(|(r, &id)| (id, r as u32))
            .collect();
        let n = texts.len() as f32;
        let weighted = pieces
            .iter()
            .map(|p| {
                let mut counts: Vec<(u32, f32)> = Vec::new();
                for id in p.words() {
                    let (Some(&row), Some(&df)) = (row_of.get(id), frequency.get(id)) else {
                        continue;
                    };
                    let weight = (1.0 + n / df as f32).ln();
                    match counts.iter_mut().find(|(r, _)| *r == row) {
                        Some((_, w)) => *w += weight,
                        None => counts.push((row, weight)),
                    }
                }
                counts
            })
            .collect();
        drop(pieces);
        let markers = self.model.markers()?;
        let alone: Vec<Pieces> = ids.iter().map(|&id| Pieces::alone(id, markers)).collect();
        let table = self.run_on_every_core(&alone, cores, Pool::Second, &|_, _| {})?;
        debug_assert_eq!(table.len(), ids.len() * DIMENSIONS);
        Ok(Quick {
            table,
            texts: weighted,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector(q: &Quick, i: usize) -> Vec<f32> {
        let mut out = vec![0.0f32; DIMENSIONS];
        for &(row, weight) in &q.texts[i] {
            let piece = &q.table[row as usize * DIMENSIONS..(row as usize + 1) * DIMENSIONS];
            for (o, v) in out.iter_mut().zip(piece) {
                *o += weight * v;
            }
        }
        let norm = out.iter().map(|v| v * v).sum::<f32>().sqrt();
        out.iter_mut().for_each(|v| *v /= norm);
        out
    }

    fn cosine(a: &[f32], b: &[f32]) -> f32 {
        a.iter().zip(b).map(|(x, y)| x * y).sum()
    }

    #[test]
    fn rare_pieces_weigh_more_and_blanks_have_none() {
        let encoder = Encoder::load().expect("bundled model");
        let q = encoder
            .quick(&["the dog", "the cat", "the bird", "  "])
            .expect("quick");
        assert_eq!(q.texts.len(), 4);
        assert!(q.texts[3].is_empty());
        assert_eq!(q.table.len() % DIMENSIONS, 0);
        // "the" is in three texts of four, "dog" in one.
        let weights: Vec<f32> = q.texts[0].iter().map(|&(_, w)| w).collect();
        assert_eq!(weights.len(), 2);
        assert!(weights[1] > weights[0] * 1.5, "{weights:?}");
    }

    #[test]
    fn pieces_that_mean_alike_have_close_vectors() {
        let encoder = Encoder::load().expect("bundled model");
        let texts = ["dog", "puppy", "tax", "food", "meal", "angry"];
        let q = encoder.quick(&texts).expect("quick");
        let v: Vec<Vec<f32>> = (0..texts.len()).map(|i| vector(&q, i)).collect();
        for (a, b, other) in [(0, 1, 2), (3, 4, 5), (3, 4, 0)] {
            assert!(
                cosine(&v[a], &v[b]) > cosine(&v[a], &v[other]) + 0.05,
                "{} {} {}",
                texts[a],
                texts[b],
                texts[other]
            );
        }
        // The same texts give the same vectors, whatever else is run between.
        let again = encoder.quick(&texts).expect("quick");
        assert_eq!(again.table, q.table);
        assert_eq!(again.texts, q.texts);
    }
}
