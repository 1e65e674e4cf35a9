//! The space answers are clustered in: their words (LSA) alone, or their meaning (sentence
//! vectors) beside their words, each part weighted and every row scaled to unit length.
use std::collections::HashMap;

use ndarray::{Array2, Axis, s};

use crate::lsa::normalise_rows;

/// Sentence vectors of the answers that were encoded, and where each answer's vector is.
#[derive(Debug, Clone)]
pub struct MeaningPart {
    /// One unit-length row per distinct encoded text.
    pub vectors: Array2<f32>,
    /// Quick vectors of the distinct texts past the encode limit, if any were left out.
    pub quick: Option<QuickPart>,
    /// For each answer, its row in `vectors`, or, from `vectors.nrows()` on, its text in
    /// `quick` (`None`: nothing to encode).
    pub of_answer: Vec<Option<u32>>,
    /// Share of the squared length given to meaning; words get the rest.
    pub weight: f32,
}

/// Answers not encoded, each as weighted word pieces whose vectors were mapped onto the
/// encoder's space: rougher than encoded answers, so they are placed among themes, never used to
/// fit them, and built a row at a time so a very large question never holds them all.
#[derive(Debug, Clone)]
pub struct QuickPart {
    /// One row per word piece.
    pub table: Array2<f32>,
    /// For each text, its pieces' rows in `table` and their weights.
    pub texts: Vec<Vec<(u32, f32)>>,
}

impl QuickPart {
    /// Text `i`'s vector, unit length (zeros when it has no pieces), written into `out`.
    pub fn vector_into(&self, i: usize, out: &mut [f32]) {
        out.fill(0.0);
        for &(row, weight) in &self.texts[i] {
            for (o, v) in out.iter_mut().zip(self.table.row(row as usize)) {
                *o += weight * v;
            }
        }
        let norm = out.iter().map(|v| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            out.iter_mut().for_each(|v| *v /= norm);
        }
    }
}

/// Every answer's place, built a block of rows at a time so the combined matrix of a very large
/// question never has to exist whole.
#[derive(Debug, Clone)]
pub struct Space {
    /// LSA rows (unit length, or zero for answers with no known words).
    pub words: Array2<f32>,
    pub meaning: Option<MeaningPart>,
}

impl Space {
    pub fn dims(&self) -> usize {
        self.words.ncols() + self.meaning.as_ref().map_or(0, |m| m.vectors.ncols())
    }

    /// Whether answer `i`'s sentence vector came from the encoder itself (not a quick one).
    pub fn encoded(&self, i: usize) -> bool {
        self.meaning
            .as_ref()
            .is_some_and(|m| m.of_answer[i].is_some_and(|v| (v as usize) < m.vectors.nrows()))
    }

    /// Whether answer `i` has anything to compare: known words, or a sentence vector.
    pub fn has_content(&self, i: usize) -> bool {
        let words = self.words.row(i).iter().any(|&v| v != 0.0);
        words
            || self
                .meaning
                .as_ref()
                .is_some_and(|m| m.of_answer[i].is_some())
    }

    /// The rows `rows` in the combined space, unit length: `[√w · meaning, √(1-w) · words]`.
    pub fn block(&self, rows: &[usize]) -> Array2<f32> {
        let words = self.words.select(Axis(0), rows);
        let Some(m) = &self.meaning else {
            return words;
        };
        let dm = m.vectors.ncols();
        let mut out = Array2::<f32>::zeros((rows.len(), dm + words.ncols()));
        let (a, b) = (m.weight.sqrt(), (1.0 - m.weight).sqrt());
        let encoded = m.vectors.nrows();
        let mut quick = vec![0.0f32; dm];
        for (o, &r) in rows.iter().enumerate() {
            match (m.of_answer[r].map(|v| v as usize), &m.quick) {
                (Some(v), _) if v < encoded => {
                    out.slice_mut(s![o, ..dm])
                        .assign(&m.vectors.row(v).mapv(|x| x * a));
                }
                (Some(v), Some(q)) => {
                    q.vector_into(v - encoded, &mut quick);
                    for (to, x) in out.slice_mut(s![o, ..dm]).iter_mut().zip(&quick) {
                        *to = x * a;
                    }
                }
                _ => {}
            }
            out.slice_mut(s![o, dm..])
                .assign(&words.row(o).mapv(|x| x * b));
        }
        normalise_rows(&mut out);
        out
    }
}

/// Distinct texts (by the key the encoder itself uses: folded case and spacing) and, for each
/// text, its distinct index; `None` for texts with no letter or digit, which carry no meaning
/// worth comparing ("", "...", "😀").
pub fn distinct_meaningful(texts: &[&str]) -> (Vec<usize>, Vec<Option<u32>>) {
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut first = Vec::new();
    let slot = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if !t.chars().any(char::is_alphanumeric) {
                return None;
            }
            let key = t
                .split_whitespace()
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
                .join(" ");
            let next = index.len() as u32;
            Some(*index.entry(key).or_insert_with(|| {
                first.push(i);
                next
            }))
        })
        .collect();
    (first, slot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_unit_length_and_weighted() {
        let words = ndarray::arr2(&[[1.0f32, 0.0], [0.0, 0.0], [0.0, 1.0]]);
        let space = Space {
            words,
            meaning: Some(MeaningPart {
                vectors: ndarray::arr2(&[[1.0f32, 0.0, 0.0]]),
                quick: None,
                of_answer: vec![Some(0), Some(0), None],
                weight: 0.75,
            }),
        };
        let b = space.block(&[0, 1, 2]);
        assert_eq!(b.dim(), (3, 5));
        for row in b.rows() {
            assert!((row.dot(&row) - 1.0).abs() < 1e-5);
        }
        assert!((b[[0, 0]] - 0.75f32.sqrt()).abs() < 1e-5);
        assert!((b[[1, 0]] - 1.0).abs() < 1e-5);
        assert!((b[[2, 4]] - 1.0).abs() < 1e-5);
        assert!(space.has_content(1) && space.has_content(2));
    }

    #[test]
    fn copies_share_one_slot_and_symbols_have_none() {
        let (first, slot) = distinct_meaningful(&["idk", " IDK", "😀", "", "nothing"]);
        assert_eq!(first, vec![0, 4]);
        assert_eq!(slot, vec![Some(0), Some(0), None, None, Some(1)]);
    }
}
