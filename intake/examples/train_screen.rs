//! Trains the learned screening layer (`safeguard/data/learned/screen-model.json`) from the
//! sources listed in `safeguard/data/learned/training.toml`, and chooses its thresholds on
//! out-of-fold scores of those sources alone. See `safeguard/data/learned/MODEL.md`.
//!
//! cargo run --release -p heard-intake --example train_screen -- --data DIR [--cache DIR]
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use safeguard::learned::{LearnedModel, TrainingSource, pieces};
use sha2::{Digest, Sha256};

const D: usize = encoder::DIMENSIONS;
const FOLDS: usize = 5;
/// The learned layer alone may flag at most this share of any ordinary source.
const ORDINARY_SHARE: f64 = 0.005;
/// A weak phrase flags when the answer is more likely a disclosure than not.
const CONFIRM_AT: f32 = 0.5;

#[derive(serde::Deserialize)]
struct Manifest {
    source: Vec<SourceEntry>,
}

#[derive(serde::Deserialize)]
struct SourceEntry {
    name: String,
    file: String,
    licence: String,
}

/// One source's answers: each piece's vector, the answer it belongs to, each answer's label.
struct Source {
    name: String,
    licence: String,
    sha256: String,
    vectors: Vec<f32>,
    rows: Vec<usize>,
    labels: Vec<u8>,
}

impl Source {
    fn answers(&self) -> usize {
        self.labels.len()
    }
    fn ordinary(&self) -> bool {
        self.labels.iter().all(|&l| l == 0)
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(PathBuf::from)
    };
    let data = flag("--data").context("give --data DIR, the folder of the public CSV files")?;
    let cache = flag("--cache");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let manifest_path = root.join("safeguard/data/learned/training.toml");
    let manifest: Manifest = toml::from_str(&std::fs::read_to_string(&manifest_path)?)
        .with_context(|| format!("reading {}", manifest_path.display()))?;
    let encoder = encoder::Encoder::load()?;
    let mut sources = Vec::new();
    for entry in manifest.source {
        let path = match entry.file.strip_prefix("repo:") {
            Some(p) => root.join(p),
            None => data.join(&entry.file),
        };
        sources.push(load(&encoder, &entry, &path, cache.as_deref())?);
    }

    // Out-of-fold scores: each answer scored by a model that never saw it.
    let folds: Vec<Vec<usize>> = sources.iter().map(|s| fold_of(s.answers())).collect();
    let mut oof: Vec<Vec<f32>> = sources.iter().map(|s| vec![0.0; s.answers()]).collect();
    for k in 0..FOLDS {
        let keep = |si: usize, row: usize| folds[si][row] != k;
        let (w, b) = train(&sources, &keep);
        for (si, s) in sources.iter().enumerate() {
            for (row, score) in answer_scores(s, &w, b).into_iter().enumerate() {
                if folds[si][row] == k {
                    oof[si][row] = score;
                }
            }
        }
        eprintln!("fold {} of {FOLDS} done", k + 1);
    }
    let mut flag_at = 0.5f32;
    for (s, scores) in sources.iter().zip(&oof) {
        if s.ordinary() {
            let q = quantile(scores, 1.0 - ORDINARY_SHARE);
            eprintln!("{}: 99.5th percentile of out-of-fold scores {q:.4}", s.name);
            flag_at = flag_at.max(next_up(q));
        }
    }
    for (s, scores) in sources.iter().zip(&oof) {
        let (pos, flagged) = s
            .labels
            .iter()
            .zip(scores)
            .fold((0, 0), |(p, f), (&l, &x)| {
                (
                    p + usize::from(l == 1),
                    f + usize::from(l == 1 && x >= flag_at),
                )
            });
        let neg_flagged = s
            .labels
            .iter()
            .zip(scores)
            .filter(|(l, x)| **l == 0 && **x >= flag_at)
            .count();
        eprintln!(
            "out of fold, learned layer alone at {flag_at:.4}: {:<70} disclosures found {}/{}, others flagged {}/{}",
            s.name,
            flagged,
            pos,
            neg_flagged,
            s.answers() - pos
        );
    }

    let (weights, bias) = train(&sources, &|_, _| true);
    let model = LearnedModel {
        encoder_sha256: encoder::WEIGHTS_SHA256.into(),
        weights,
        bias,
        flag_at,
        confirm_at: CONFIRM_AT,
        chosen: format!(
            "A logistic regression on the sentence vectors of answers' pieces (class-balanced, \
             two passes: a disclosure's best-scoring piece is its example in the second). The \
             learned layer alone flags at {flag_at:.4}, the lowest score at which it flags at \
             most {}% of each ordinary source's answers, scored out of fold ({FOLDS} folds); a \
             single everyday word or a word one letter from a phrase flags only at {CONFIRM_AT} \
             or more (more likely a disclosure than not).",
            ORDINARY_SHARE * 100.0
        ),
        training: sources
            .iter()
            .map(|s| TrainingSource {
                name: s.name.clone(),
                disclosures: s.labels.iter().filter(|&&l| l == 1).count(),
                ordinary: s.labels.iter().filter(|&&l| l == 0).count(),
                sha256: s.sha256.clone(),
                licence: s.licence.clone(),
            })
            .collect(),
    };
    let out = root.join("safeguard/data/learned/screen-model.json");
    let mut f = std::fs::File::create(&out)?;
    serde_json::to_writer_pretty(&mut f, &model)?;
    writeln!(f)?;
    eprintln!("wrote {}", out.display());
    Ok(())
}

/// Reads a source and encodes its pieces (or takes them from the cache, by the file's SHA-256).
fn load(
    encoder: &encoder::Encoder,
    entry: &SourceEntry,
    path: &Path,
    cache: Option<&Path>,
) -> anyhow::Result<Source> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let sha256 = format!("{:x}", Sha256::digest(&bytes));
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let headers = reader.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{} has no {name} column", path.display()))
    };
    let (text_col, label_col) = (col("text")?, col("label")?);
    let mut texts = Vec::new();
    let mut labels = Vec::new();
    for record in reader.records() {
        let record = record?;
        texts.push(record.get(text_col).unwrap_or("").to_string());
        labels.push(match record.get(label_col).map(str::trim) {
            Some("1") => 1,
            Some("0") => 0,
            other => bail!("{}: a label is {other:?}, not 0 or 1", path.display()),
        });
    }
    let mut cut: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        for p in pieces(t) {
            cut.push(p);
            rows.push(i);
        }
    }
    let cached = cache.map(|c| c.join(format!("{sha256}.f32")));
    let vectors = match cached.as_ref().and_then(|p| std::fs::read(p).ok()) {
        Some(raw) if raw.len() == cut.len() * D * 4 => raw
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect(),
        _ => {
            let refs: Vec<&str> = cut.iter().map(String::as_str).collect();
            let started = std::time::Instant::now();
            let v = encoder.embed(&refs, &|_, _| {})?;
            eprintln!(
                "{}: {} pieces encoded in {:.0} s",
                entry.name,
                cut.len(),
                started.elapsed().as_secs_f64()
            );
            if let Some(p) = &cached {
                let raw: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
                std::fs::write(p, raw)?;
            }
            v
        }
    };
    Ok(Source {
        name: entry.name.clone(),
        licence: entry.licence.clone(),
        sha256,
        vectors,
        rows,
        labels,
    })
}

/// Each answer's fold, spread evenly and fixed by a seeded shuffle.
fn fold_of(n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for i in (1..n).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        order.swap(i, (state % (i as u64 + 1)) as usize);
    }
    let mut fold = vec![0; n];
    for (rank, &i) in order.iter().enumerate() {
        fold[i] = rank % FOLDS;
    }
    fold
}

/// Trains on the answers `keep` allows: two passes, as the model's note says.
fn train(sources: &[Source], keep: &dyn Fn(usize, usize) -> bool) -> (Vec<f32>, f32) {
    let first = examples(sources, keep, None);
    let (w, b) = fit(&first);
    let second = examples(sources, keep, Some((&w, b)));
    fit(&second)
}

/// The training examples: every piece of an ordinary answer, and one piece of each disclosure
/// (its first, or its best-scoring under `model`).
fn examples<'a>(
    sources: &'a [Source],
    keep: &dyn Fn(usize, usize) -> bool,
    model: Option<(&[f32], f32)>,
) -> Vec<(&'a [f32], bool)> {
    let mut out = Vec::new();
    for (si, s) in sources.iter().enumerate() {
        let mut best: HashMap<usize, (usize, f32)> = HashMap::new();
        for (p, &row) in s.rows.iter().enumerate() {
            if !keep(si, row) {
                continue;
            }
            let v = &s.vectors[p * D..(p + 1) * D];
            if s.labels[row] == 0 {
                out.push((v, false));
                continue;
            }
            let score = model.map_or(0.0, |(w, b)| logit(w, b, v));
            let e = best.entry(row).or_insert((p, score));
            if score > e.1 {
                *e = (p, score);
            }
        }
        let mut chosen: Vec<usize> = best.values().map(|(p, _)| *p).collect();
        chosen.sort_unstable();
        out.extend(
            chosen
                .into_iter()
                .map(|p| (&s.vectors[p * D..(p + 1) * D], true)),
        );
    }
    out
}

fn logit(w: &[f32], b: f32, v: &[f32]) -> f32 {
    w.iter().zip(v).map(|(a, x)| a * x).sum::<f32>() + b
}

/// Class-balanced logistic regression with a light L2 penalty, by full-batch Adam.
fn fit(examples: &[(&[f32], bool)]) -> (Vec<f32>, f32) {
    let n = examples.len() as f64;
    let pos = examples.iter().filter(|e| e.1).count().max(1) as f64;
    let (wp, wn) = (
        (n / (2.0 * pos)) as f32,
        (n / (2.0 * (n - pos).max(1.0))) as f32,
    );
    let lambda = (1.0 / n) as f32;
    let mut w = vec![0.0f32; D + 1];
    let (mut m, mut v) = (vec![0.0f32; D + 1], vec![0.0f32; D + 1]);
    let (lr, b1, b2, eps) = (0.02f32, 0.9f32, 0.999f32, 1e-8f32);
    for t in 1..=400 {
        let mut g = vec![0.0f64; D + 1];
        for (x, y) in examples {
            let z = logit(&w[..D], w[D], x);
            let p = 1.0 / (1.0 + (-z).exp());
            let r = f64::from((p - f32::from(u8::from(*y))) * if *y { wp } else { wn });
            for (gi, xi) in g.iter_mut().zip(x.iter()) {
                *gi += r * f64::from(*xi);
            }
            g[D] += r;
        }
        for i in 0..=D {
            let gi = (g[i] / n) as f32 + if i < D { lambda * w[i] } else { 0.0 };
            m[i] = b1 * m[i] + (1.0 - b1) * gi;
            v[i] = b2 * v[i] + (1.0 - b2) * gi * gi;
            let mh = m[i] / (1.0 - b1.powi(t));
            let vh = v[i] / (1.0 - b2.powi(t));
            w[i] -= lr * mh / (vh.sqrt() + eps);
        }
    }
    let b = w[D];
    w.truncate(D);
    (w, b)
}

/// Each answer's score: the highest of its pieces.
fn answer_scores(s: &Source, w: &[f32], b: f32) -> Vec<f32> {
    let mut out = vec![0.0f32; s.answers()];
    for (p, &row) in s.rows.iter().enumerate() {
        let z = logit(w, b, &s.vectors[p * D..(p + 1) * D]);
        out[row] = out[row].max(1.0 / (1.0 + (-z).exp()));
    }
    out
}

fn quantile(scores: &[f32], q: f64) -> f32 {
    let mut sorted = scores.to_vec();
    sorted.sort_by(f32::total_cmp);
    let i = ((sorted.len() as f64 * q).ceil() as usize).saturating_sub(1);
    sorted.get(i).copied().unwrap_or(0.5)
}

/// The smallest threshold above `x` (scores at the quantile itself must not flag).
fn next_up(x: f32) -> f32 {
    (x + 1e-4).min(0.9999)
}
