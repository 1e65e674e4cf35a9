//! The bundled MiniLM: its 4-bit weights unpacked into tensors, and sentences run through it in padded batches.
//!
//! One sentence at a time, most of the model's time went on matrix products too thin to use the
//! processor well (a dozen rows of word pieces against 384 or 1,536 columns). Sentences of
//! similar length are stacked into one batch instead, the shorter ones padded and masked out, so
//! each product has hundreds of rows.
use candle_core::{DType, Device, Tensor};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use tokenizers::{Tokenizer, TruncationParams};

use crate::bert::{Bert, Config};
use crate::{DIMENSIONS, EncoderError, WEIGHTS_SHA256};

static WEIGHTS: &[u8] = include_bytes!("../assets/model.safetensors");
static SHAPES: &str = include_str!("../assets/shapes.json");
static CONFIG: &str = include_str!("../assets/config.json");
static TOKENIZER: &[u8] = include_bytes!("../assets/tokenizer.json");

/// The model reads at most this many word pieces of a text, its markers included.
pub(crate) const MAX_PIECES: usize = 128;

/// A batch holds at most this many word pieces, padding included. The products take a batch's
/// pieces as one matrix, so a few hundred rows already fill the processor; bigger batches only
/// made bigger tensors, which the allocator handed back to the system and took again for every
/// batch (on airline tweets, 2,048 took about a fifth more time than 512, with a fifth of its
/// CPU in the kernel, and nearly twice the memory).
const BATCH_PIECES: usize = 512;

/// A batch holds at most this many texts.
const BATCH_TEXTS: usize = 64;

/// Weights stored as 4-bit integers in groups of 32, one float16 scale per group (the format of
/// `pocket-encoder` 0.1.2, recorded in `assets/provenance.json`): a value is `(nibble - 8) *
/// scale`, the low nibble first.
const GROUP: usize = 32;

/// What becomes a text's vector: the mean of every piece's output (a sentence), or the second
/// piece's alone (a word piece between its markers, whose outputs every piece shares).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pool {
    Mean,
    Second,
}

pub(crate) struct Model {
    bert: Bert,
    tokenizer: Tokenizer,
}

/// A text cut into word pieces, ready to batch.
pub(crate) struct Pieces {
    ids: Vec<u32>,
}

impl Pieces {
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    /// The word pieces between the markers the model reads around every text.
    pub(crate) fn words(&self) -> &[u32] {
        let n = self.ids.len();
        if n < 2 { &[] } else { &self.ids[1..n - 1] }
    }

    /// One word piece alone between the markers.
    pub(crate) fn alone(piece: u32, (start, end): (u32, u32)) -> Self {
        Pieces {
            ids: vec![start, piece, end],
        }
    }
}

impl Model {
    pub(crate) fn load() -> Result<Self, EncoderError> {
        let found = format!("{:x}", Sha256::digest(WEIGHTS));
        if found != WEIGHTS_SHA256 {
            return Err(EncoderError::WrongWeights(format!("sha256:{found}")));
        }
        let load = |e: &dyn std::fmt::Display| EncoderError::Load(e.to_string());
        let tensors = unpack(WEIGHTS, SHAPES).map_err(|e| load(&e))?;
        let config: Config = serde_json::from_str(CONFIG).map_err(|e| load(&e))?;
        let bert = Bert::load(&tensors, &config).map_err(|e| load(&e))?;
        let mut tokenizer = Tokenizer::from_bytes(TOKENIZER).map_err(|e| load(&e))?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_PIECES,
                ..Default::default()
            }))
            .map_err(|e| load(&e))?;
        Ok(Model { bert, tokenizer })
    }

    pub(crate) fn pieces(&self, text: &str) -> Result<Pieces, EncoderError> {
        let encoded = self
            .tokenizer
            .encode(text, true)
            .map_err(|e| EncoderError::Encode(e.to_string()))?;
        Ok(Pieces {
            ids: encoded.get_ids().to_vec(),
        })
    }

    /// The ids of the markers put before and after every text (`[CLS]`, `[SEP]`).
    pub(crate) fn markers(&self) -> Result<(u32, u32), EncoderError> {
        let id = |t: &str| {
            self.tokenizer
                .token_to_id(t)
                .ok_or_else(|| EncoderError::Load(format!("the tokenizer has no {t}")))
        };
        Ok((id("[CLS]")?, id("[SEP]")?))
    }

    /// Unit-length vectors for a batch of texts, in order, as one flat buffer.
    pub(crate) fn vectors(&self, batch: &[&Pieces], pool: Pool) -> Result<Vec<f32>, EncoderError> {
        self.forward(batch, pool)
            .map_err(|e| EncoderError::Encode(e.to_string()))
    }

    fn forward(&self, batch: &[&Pieces], pool: Pool) -> candle_core::Result<Vec<f32>> {
        let rows = batch.len();
        let width = batch.iter().map(|p| p.len()).max().unwrap_or(0).max(1);
        let mut ids = vec![0u32; rows * width];
        let mut mask = vec![0u32; rows * width];
        for (r, p) in batch.iter().enumerate() {
            ids[r * width..r * width + p.len()].copy_from_slice(&p.ids);
            mask[r * width..r * width + p.len()].fill(1);
        }
        let ids = Tensor::from_vec(ids, (rows, width), &Device::Cpu)?;
        let mask = Tensor::from_vec(mask, (rows, width), &Device::Cpu)?;
        let hidden = self.bert.forward(&ids, &mask)?;
        let summed = match pool {
            // Mean of the real pieces only; the mean's divisor vanishes in the unit scaling below.
            Pool::Mean => hidden
                .broadcast_mul(&mask.to_dtype(DType::F32)?.unsqueeze(2)?)?
                .sum(1)?,
            Pool::Second => hidden.narrow(1, 1.min(width - 1), 1)?.squeeze(1)?,
        };
        let mut out = summed.flatten_all()?.to_vec1::<f32>()?;
        for row in out.chunks_exact_mut(DIMENSIONS) {
            let norm = row.iter().map(|v| (*v as f64).powi(2)).sum::<f64>().sqrt();
            if norm.is_finite() && norm > 0.0 {
                for v in row.iter_mut() {
                    *v = (*v as f64 / norm) as f32;
                }
            }
        }
        Ok(out)
    }
}

/// Splits texts (already cut into pieces) into batches of similar length: the indices of each
/// batch, in an order that depends only on the texts, never on how many threads will run them.
pub(crate) fn batches(pieces: &[Pieces]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..pieces.len()).collect();
    order.sort_by_key(|&i| (pieces[i].len(), i));
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    for i in order {
        // Sorted by length, so this text is the longest so far and sets the padded width.
        let width = pieces[i].len();
        if !current.is_empty()
            && (current.len() == BATCH_TEXTS || (current.len() + 1) * width > BATCH_PIECES)
        {
            out.push(std::mem::take(&mut current));
        }
        current.push(i);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[derive(Debug, thiserror::Error)]
enum UnpackError {
    #[error("{0}")]
    File(#[from] safetensors::SafeTensorError),
    #[error("{0}")]
    Shapes(#[from] serde_json::Error),
    #[error("{0}")]
    Tensor(#[from] candle_core::Error),
    #[error("the weight {0} is not the size its shape says")]
    Size(String),
}

/// The weights as F32 tensors: 1-D tensors are stored as F32, the rest packed (see [`GROUP`]).
fn unpack(bytes: &[u8], shapes: &str) -> Result<HashMap<String, Tensor>, UnpackError> {
    let file = safetensors::SafeTensors::deserialize(bytes)?;
    let shapes: HashMap<String, Vec<usize>> = serde_json::from_str(shapes)?;
    let mut out = HashMap::with_capacity(shapes.len());
    for (name, shape) in shapes {
        let count: usize = shape.iter().product();
        let values: Vec<f32> = if shape.len() < 2 {
            let raw = file.tensor(&name)?;
            raw.data()
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect()
        } else {
            let packed = file.tensor(&format!("{name}.q4"))?;
            let scales = file.tensor(&format!("{name}.scales"))?;
            let (packed, scales) = (packed.data(), scales.data());
            if packed.len() * 2 < count || scales.len() / 2 * GROUP < count {
                return Err(UnpackError::Size(name));
            }
            (0..count)
                .map(|i| {
                    let nibble = (packed[i / 2] >> ((i % 2) * 4)) & 0x0f;
                    let g = i / GROUP;
                    let scale = half::f16::from_bits(u16::from_le_bytes([
                        scales[2 * g],
                        scales[2 * g + 1],
                    ]));
                    (nibble as i16 - 8) as f32 * scale.to_f32()
                })
                .collect()
        };
        if values.len() != count {
            return Err(UnpackError::Size(name));
        }
        let tensor = Tensor::from_vec(values, shape, &Device::Cpu)?;
        out.insert(name, tensor);
    }
    Ok(out)
}
