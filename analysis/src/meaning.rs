//! Sentence vectors for a run's answers from the bundled encoder (with the `meaning` feature),
//! each distinct answer once, a seeded sample past the limit.
#[cfg(feature = "meaning")]
use ndarray::Array2;

use crate::space::MeaningPart;
use crate::{AnalysisError, Progress};
#[cfg(feature = "meaning")]
use crate::{cluster, space};

/// Sentence vectors for the distinct meaningful texts (at most `limit` of them, a seeded
/// sample past it), and a sentence for people saying what was encoded.
#[cfg(feature = "meaning")]
pub(crate) fn encode(
    texts: &[&str],
    weight: f32,
    limit: usize,
    seed: u64,
    progress: &mut dyn FnMut(Progress),
) -> Result<(MeaningPart, String), AnalysisError> {
    let encoder = encoder::Encoder::load().map_err(|e| AnalysisError::Encoder(e.to_string()))?;
    let (first, slot) = space::distinct_meaningful(texts);
    let distinct = first.len();
    // Which distinct texts to encode: all of them, or a seeded sample.
    let chosen: Vec<usize> = if distinct <= limit {
        (0..distinct).collect()
    } else {
        let all: Vec<usize> = (0..distinct).collect();
        cluster::sample_rows(&all, limit, seed ^ 0xe4c0de)
    };
    let mut new_index = vec![u32::MAX; distinct];
    for (n, &d) in chosen.iter().enumerate() {
        new_index[d] = n as u32;
    }
    let to_encode: Vec<&str> = chosen.iter().map(|&d| texts[first[d]]).collect();
    let total = to_encode.len();
    let mut flat = Vec::with_capacity(total * encoder::DIMENSIONS);
    // In slices, so progress can be told between them (the encoder uses every core inside one).
    for (n, slice) in to_encode.chunks(2_048).enumerate() {
        progress(Progress::Encoding {
            done: n * 2_048,
            total,
        });
        flat.extend(
            encoder
                .embed(slice, &|_, _| {})
                .map_err(|e| AnalysisError::Encoder(e.to_string()))?,
        );
    }
    progress(Progress::Encoding { done: total, total });
    let vectors = Array2::from_shape_vec((total, encoder::DIMENSIONS), flat)
        .map_err(|e| AnalysisError::Encoder(e.to_string()))?;
    let of_answer: Vec<Option<u32>> = slot
        .iter()
        .map(|s| s.map(|d| new_index[d as usize]).filter(|&n| n != u32::MAX))
        .collect();
    let note = if distinct <= limit {
        format!(
            "compared by meaning ({} of each answer's vector, from the sentence encoder) and by words; {distinct} different answers encoded",
            share(weight)
        )
    } else {
        format!(
            "compared by meaning ({} of each answer's vector, from the sentence encoder) and by words; {total} of {distinct} different answers encoded (a seeded sample), the themes fitted on them, and the rest placed by their words",
            share(weight)
        )
    };
    Ok((
        MeaningPart {
            vectors,
            of_answer,
            weight,
        },
        note,
    ))
}

#[cfg(not(feature = "meaning"))]
pub(crate) fn encode(
    _texts: &[&str],
    _weight: f32,
    _limit: usize,
    _seed: u64,
    _progress: &mut dyn FnMut(Progress),
) -> Result<(MeaningPart, String), AnalysisError> {
    Err(AnalysisError::Encoder(
        "this build of Heard has no sentence encoder".into(),
    ))
}

#[cfg(feature = "meaning")]
pub(crate) fn model_name() -> String {
    encoder::model_info().name
}

#[cfg(feature = "meaning")]
pub(crate) fn model_weights() -> String {
    encoder::model_info().weights
}

#[cfg(not(feature = "meaning"))]
pub(crate) fn model_name() -> String {
    String::new()
}

#[cfg(not(feature = "meaning"))]
pub(crate) fn model_weights() -> String {
    String::new()
}

#[cfg(feature = "meaning")]
fn share(weight: f32) -> String {
    format!("{:.0}%", weight * 100.0)
}
