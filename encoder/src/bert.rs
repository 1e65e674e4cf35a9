//! The MiniLM's layers written out over Candle's tensors: embeddings, self-attention, feed-forward.
//!
//! Written here rather than taken from `candle-transformers` for speed, with the same arithmetic:
//! - query, key and value are one product instead of three;
//! - the exact GELU went through `erf` one value at a time, over a fifth of the model's time
//!   once the products used AVX-512; [`gelu`] computes the same function in a form the compiler
//!   vectorises;
//! - softmax is Candle's fused last-dimension kernel instead of five passes.
use candle_core::{CpuStorage, CustomOp1, DType, Layout, Module, Result, Shape, Tensor};
use candle_nn::{LayerNorm, Linear};
use std::collections::HashMap;

/// What the encoder reads of the model's `config.json`.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct Config {
    hidden_size: usize,
    num_attention_heads: usize,
    num_hidden_layers: usize,
    layer_norm_eps: f64,
    hidden_act: String,
}

pub(crate) struct Bert {
    words: Tensor,
    positions: Tensor,
    /// Every piece is of token type 0: the texts are single sentences.
    first_type: Tensor,
    norm: LayerNorm,
    layers: Vec<Layer>,
    hidden: usize,
    heads: usize,
}

struct Layer {
    /// Query, key and value weights stacked: one product instead of three.
    qkv: Linear,
    attended: Linear,
    attended_norm: LayerNorm,
    widen: Linear,
    narrow: Linear,
    output_norm: LayerNorm,
}

impl Bert {
    pub(crate) fn load(tensors: &HashMap<String, Tensor>, config: &Config) -> Result<Self> {
        if config.hidden_act != "gelu" {
            candle_core::bail!("the model's activation {} is not gelu", config.hidden_act);
        }
        if config.num_attention_heads == 0
            || !config
                .hidden_size
                .is_multiple_of(config.num_attention_heads)
        {
            candle_core::bail!("the model's heads do not divide its width");
        }
        let get = |name: &str| {
            tensors
                .get(name)
                .cloned()
                .ok_or_else(|| candle_core::Error::Msg(format!("the weights have no {name}")))
        };
        let linear = |prefix: &str| -> Result<Linear> {
            Ok(Linear::new(
                get(&format!("{prefix}.weight"))?,
                Some(get(&format!("{prefix}.bias"))?),
            ))
        };
        let norm = |prefix: &str| -> Result<LayerNorm> {
            Ok(LayerNorm::new(
                get(&format!("{prefix}.weight"))?,
                get(&format!("{prefix}.bias"))?,
                config.layer_norm_eps,
            ))
        };
        let layers = (0..config.num_hidden_layers)
            .map(|l| {
                let at = format!("encoder.layer.{l}");
                let part = |p: &str, what: &str| get(&format!("{at}.attention.self.{p}.{what}"));
                let qkv = Linear::new(
                    Tensor::cat(
                        &[
                            part("query", "weight")?,
                            part("key", "weight")?,
                            part("value", "weight")?,
                        ],
                        0,
                    )?,
                    Some(Tensor::cat(
                        &[
                            part("query", "bias")?,
                            part("key", "bias")?,
                            part("value", "bias")?,
                        ],
                        0,
                    )?),
                );
                Ok(Layer {
                    qkv,
                    attended: linear(&format!("{at}.attention.output.dense"))?,
                    attended_norm: norm(&format!("{at}.attention.output.LayerNorm"))?,
                    widen: linear(&format!("{at}.intermediate.dense"))?,
                    narrow: linear(&format!("{at}.output.dense"))?,
                    output_norm: norm(&format!("{at}.output.LayerNorm"))?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Bert {
            words: get("embeddings.word_embeddings.weight")?,
            positions: get("embeddings.position_embeddings.weight")?,
            first_type: get("embeddings.token_type_embeddings.weight")?.get(0)?,
            norm: norm("embeddings.LayerNorm")?,
            layers,
            hidden: config.hidden_size,
            heads: config.num_attention_heads,
        })
    }

    /// The last layer's output for every piece, `(texts, pieces, hidden)`, from the pieces' ids
    /// `(texts, pieces)` and a mask of the same shape (1 for a real piece, 0 for padding).
    pub(crate) fn forward(&self, ids: &Tensor, mask: &Tensor) -> Result<Tensor> {
        let (texts, width) = ids.dims2()?;
        if width > self.positions.dim(0)? {
            candle_core::bail!("a batch is wider than the model's positions");
        }
        let (hidden, heads) = (self.hidden, self.heads);
        let size = hidden / heads;
        // Every row of every product is one piece: (texts * width, hidden) throughout.
        let x = self.words.index_select(&ids.flatten_all()?, 0)?;
        let x = x
            .reshape((texts, width, hidden))?
            .broadcast_add(&self.positions.narrow(0, 0, width)?)?
            .broadcast_add(&self.first_type)?
            .reshape((texts * width, hidden))?;
        let mut x = self.norm.forward(&x)?;
        // Added to the attention scores: padded pieces get the lowest float, so softmax gives them
        // no weight.
        let padding = ((mask.to_dtype(DType::F32)? - 1.0)?.abs()? * f32::MIN as f64)?
            .reshape((texts, 1, 1, width))?;
        let scale = 1.0 / (size as f64).sqrt();
        for layer in &self.layers {
            let qkv = layer.qkv.forward(&x)?;
            let head = |i: usize| -> Result<Tensor> {
                qkv.narrow(1, i * hidden, hidden)?
                    .reshape((texts, width, heads, size))?
                    .transpose(1, 2)?
                    .contiguous()
            };
            let (q, k, v) = (head(0)?, head(1)?, head(2)?);
            let scores = (q.matmul(&k.t()?)? * scale)?.broadcast_add(&padding)?;
            let weights = candle_nn::ops::softmax_last_dim(&scores)?;
            let context = weights
                .matmul(&v)?
                .transpose(1, 2)?
                .contiguous()?
                .reshape((texts * width, hidden))?;
            x = layer
                .attended_norm
                .forward(&(layer.attended.forward(&context)? + &x)?)?;
            let wide = layer.widen.forward(&x)?.apply_op1_no_bwd(&Gelu)?;
            x = layer
                .output_norm
                .forward(&(layer.narrow.forward(&wide)? + &x)?)?;
        }
        x.reshape((texts, width, hidden))
    }
}

/// `x * Φ(x)`, the exact (erf) GELU as BERT defines it, applied to a whole tensor.
struct Gelu;

impl CustomOp1 for Gelu {
    fn name(&self) -> &'static str {
        "gelu-erf"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
        let CpuStorage::F32(all) = storage else {
            candle_core::bail!("gelu expects f32 values");
        };
        let Some((start, end)) = layout.contiguous_offsets() else {
            candle_core::bail!("gelu expects contiguous values");
        };
        Ok((
            CpuStorage::F32(gelu_all(&all[start..end])),
            layout.shape().clone(),
        ))
    }
}

/// [`gelu`] over a slice, in the widest vectors the processor has: the build targets every
/// x86-64, whose vectors hold two doubles; AVX-512, where the processor has it, holds eight.
fn gelu_all(values: &[f32]) -> Vec<f32> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512f") {
        // SAFETY: the processor was just seen to have AVX-512F, the one feature the function
        // is compiled for.
        return unsafe { gelu_all_avx512(values) };
    }
    values.iter().map(|&x| gelu(x)).collect()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn gelu_all_avx512(values: &[f32]) -> Vec<f32> {
    values.iter().map(|&x| gelu(x)).collect()
}

/// `x/2 (1 + erf(x/√2))`, with erf as a rational function fitted here (a weighted least-squares
/// fit in x², refined towards the smallest largest error on [0, 4]): within 4e-8 of erf in
/// double precision, evaluated in double so that the f32 result is within a unit or two in the
/// last place of libm's `erff`. Past |z| = 4, erf(z) is ±1 to within 2e-8, below f32's resolution
/// there. No calls, and the tails are selects, so the loop over a tensor vectorises.
#[inline]
pub(crate) fn gelu(x: f32) -> f32 {
    const P: [f64; 6] = [
        1.128379061544033,
        0.19317993950665993,
        0.05307098265376545,
        0.0038748381793845656,
        0.0002856010698896907,
        2.0040638091800884e-06,
    ];
    const Q: [f64; 6] = [
        1.0,
        0.5045332427900743,
        0.1152160587116759,
        0.015185983629064082,
        0.0011859951070490374,
        3.7657085276164726e-05,
    ];
    let x = x as f64;
    let z = x * std::f64::consts::FRAC_1_SQRT_2;
    let near = z.clamp(-4.0, 4.0);
    let t = near * near;
    let p = P.iter().rev().fold(0.0, |acc, c| acc * t + c);
    let q = Q.iter().rev().fold(0.0, |acc, c| acc * t + c);
    // Φ(x) outright in the tails, where 1 + erf(z) would be the difference of two numbers that
    // agree to eight places.
    let phi = if z <= -4.0 {
        0.0
    } else if z >= 4.0 {
        1.0
    } else {
        0.5 * (1.0 + near * p / q)
    };
    (x * phi) as f32
}

#[cfg(test)]
mod tests {
    use super::gelu;

    /// Against libm's erf, the function BERT's GELU is defined by, over the range an activation
    /// takes and past the point where erf rounds to one.
    #[test]
    fn gelu_matches_the_exact_definition() {
        let mut furthest = 0.0f64;
        for i in -200_000..=200_000 {
            let x = i as f64 / 10_000.0;
            let exact = 0.5 * x * (1.0 + libm::erf(x / std::f64::consts::SQRT_2));
            let ours = gelu(x as f32) as f64;
            furthest = furthest.max((ours - exact).abs() / exact.abs().max(1.0));
        }
        assert!(furthest < 5e-7, "{furthest:e}");
        assert_eq!(gelu(0.0), 0.0);
        assert!(gelu(f32::NAN).is_nan());
        assert_eq!(gelu(1e30), 1e30);
        assert_eq!(gelu(-1e30), 0.0);
    }
}
