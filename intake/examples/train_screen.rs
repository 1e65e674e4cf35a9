//! Trains the learned screening layer (`safeguard/data/learned/screen-model.json`) from the
//! sources listed in `safeguard/data/learned/training.toml`, and chooses its thresholds on
//! out-of-fold scores of those sources alone. See `safeguard/data/learned/MODEL.md`.
//!
//! cargo run --release -p heard-intake --example train_screen -- --data DIR [--cache DIR]
//!     [--out FILE] [--oof SCORES.csv] [--word-l2 X] [--no-words]
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use safeguard::learned::{LearnedModel, TrainingSource, WORD_BUCKETS, pieces, word_features};
use sha2::{Digest, Sha256};

const D: usize = encoder::DIMENSIONS;
/// Every weight: the sentence vector's, the words', and the bias last.
const ALL: usize = D + WORD_BUCKETS + 1;
const FOLDS: usize = 5;
/// The learned layer alone may flag at most this share of any ordinary source.
const ORDINARY_SHARE: f64 = 0.005;
/// The L2 penalty on the word weights (the vector's is 1/n), chosen among 1e-4 to 1e-7 as the
/// one with the highest out-of-fold recall at its own `flag_at` (MODEL.md).
const WORD_L2: f32 = 3e-7;
/// The lowest `confirm_at` may be: a weak phrase in an answer the learned layer is all but
/// sure is ordinary does not flag.
const CONFIRM_FLOOR: f32 = 0.05;

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

/// One source's answers: each piece's vector and words, the answer it belongs to, each answer's
/// label.
struct Source {
    name: String,
    licence: String,
    sha256: String,
    vectors: Vec<f32>,
    words: Vec<Vec<(u32, f32)>>,
    /// What the built-in phrases make of each answer: 2 a firm phrase, 1 only weak ones, 0 none.
    phrases: Vec<u8>,
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
    // The words' penalty is their own (see WORD_L2): chosen on out-of-fold recall, it came out
    // far lighter than the vector's.
    let word_l2: f32 = match flag("--word-l2") {
        Some(v) => v
            .to_string_lossy()
            .parse()
            .context("--word-l2 takes a number")?,
        None => WORD_L2,
    };
    let no_words = args.iter().any(|a| a == "--no-words");
    let fitting = Fitting {
        word_l2,
        words: !no_words,
    };
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
        let w = train(&sources, &keep, &fitting);
        for (si, s) in sources.iter().enumerate() {
            for (row, score) in answer_scores(s, &w).into_iter().enumerate() {
                if folds[si][row] == k {
                    oof[si][row] = score;
                }
            }
        }
        eprintln!("fold {} of {FOLDS} done", k + 1);
    }
    if let Some(path) = flag("--oof") {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path)?);
        writeln!(f, "source,row,label,score")?;
        for (s, scores) in sources.iter().zip(&oof) {
            for (row, (l, x)) in s.labels.iter().zip(scores).enumerate() {
                writeln!(f, "\"{}\",{row},{l},{x}", s.name.replace('"', "'"))?;
            }
        }
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

    // A weak phrase is confirmed at the lowest score at which confirmations (of answers the
    // score alone does not flag) add at most the same share of each ordinary source.
    let mut confirm_at = CONFIRM_FLOOR;
    for (s, scores) in sources.iter().zip(&oof) {
        if s.ordinary() {
            let mut weak: Vec<f32> = scores
                .iter()
                .zip(&s.phrases)
                .filter(|&(&x, &ph)| ph == 1 && x < flag_at)
                .map(|(&x, _)| x)
                .collect();
            weak.sort_by(|a, b| b.total_cmp(a));
            let allowed = (s.answers() as f64 * ORDINARY_SHARE).floor() as usize;
            if let Some(&x) = weak.get(allowed) {
                confirm_at = confirm_at.max(next_up(x));
            }
        }
    }
    let confirm_at = confirm_at.min(flag_at);
    // A firm phrase is set aside under the highest score under which at most the same share of
    // each source's disclosures found by a firm phrase would be.
    let mut veto_at = confirm_at;
    for (s, scores) in sources.iter().zip(&oof) {
        let mut firm: Vec<f32> = scores
            .iter()
            .zip(&s.phrases)
            .zip(&s.labels)
            .filter(|((_, ph), l)| **ph == 2 && **l == 1)
            .map(|((x, _), _)| *x)
            .collect();
        if firm.is_empty() {
            continue;
        }
        firm.sort_by(f32::total_cmp);
        let allowed =
            (s.labels.iter().filter(|&&l| l == 1).count() as f64 * ORDINARY_SHARE).floor() as usize;
        veto_at = veto_at.min(firm.get(allowed).copied().unwrap_or(1.0));
    }
    for (s, scores) in sources.iter().zip(&oof) {
        let (mut found, mut lost, mut neg, mut spared) = (0, 0, 0, 0);
        for ((&l, &x), &ph) in s.labels.iter().zip(scores).zip(&s.phrases) {
            if ph == 2 {
                if l == 1 {
                    found += 1;
                    lost += usize::from(x < veto_at);
                } else {
                    neg += 1;
                    spared += usize::from(x < veto_at);
                }
            }
        }
        eprintln!(
            "veto under {veto_at:.4}: {:<70} firm disclosures lost {lost}/{found}, firm false alarms spared {spared}/{neg}",
            s.name
        );
    }
    // Both layers together, out of fold, as `verdict::decide` flags: a firm phrase not set
    // aside; a weak phrase the score confirms; the score alone.
    for (s, scores) in sources.iter().zip(&oof) {
        let (mut pos, mut found, mut neg, mut flagged) = (0, 0, 0, 0);
        for ((&l, &x), &ph) in s.labels.iter().zip(scores).zip(&s.phrases) {
            let f = (ph == 2 && x >= veto_at) || (ph == 1 && x >= confirm_at) || x >= flag_at;
            if l == 1 {
                pos += 1;
                found += usize::from(f);
            } else {
                neg += 1;
                flagged += usize::from(f);
            }
        }
        eprintln!(
            "out of fold, both layers (veto {veto_at:.4}, confirm {confirm_at:.4}, flag {flag_at:.4}): {:<70} disclosures found {found}/{pos}, others flagged {flagged}/{neg}",
            s.name
        );
    }
    let w = train(&sources, &|_, _| true, &fitting);
    let model = LearnedModel {
        encoder_sha256: encoder::WEIGHTS_SHA256.into(),
        weights: w[..D].to_vec(),
        // Four decimals are plenty for a weight of one word among a piece's dozens (the
        // score moves by less than 0.003 at most) and keep the bundled file small.
        word_weights: if fitting.words {
            w[D..D + WORD_BUCKETS]
                .iter()
                .map(|x| (x * 1e4).round() / 1e4)
                .collect()
        } else {
            Vec::new()
        },
        bias: w[ALL - 1],
        flag_at,
        confirm_at,
        veto_at,
        chosen: format!(
            "A logistic regression on the sentence vectors of answers' pieces{}; class-balanced, \
             two passes: a disclosure's best-scoring piece is its example in the second. The \
             learned layer alone flags at {flag_at:.4}, the lowest score at which it flags at \
             most {share}% of each ordinary source's answers, scored out of fold ({FOLDS} folds); \
             a single everyday word or a word one letter from a phrase flags only at \
             {confirm_at:.4} or more, the lowest score (not under {CONFIRM_FLOOR}) at which such \
             confirmations add at most {share}% of each ordinary source's answers; a firm \
             built-in phrase is set aside under {veto_at:.4}, the highest score under which at \
             most {share}% of each source's disclosures found by firm phrases are set aside.",
            if fitting.words {
                format!(
                    " and their words (stems and pairs of stems hashed into {WORD_BUCKETS} \
                     weights, L2 penalty {word_l2:e})"
                )
            } else {
                String::new()
            },
            share = ORDINARY_SHARE * 100.0
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
    let out =
        flag("--out").unwrap_or_else(|| root.join("safeguard/data/learned/screen-model.json"));
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
    let words = cut.iter().map(|p| word_features(p)).collect();
    let screener = safeguard::Screener::builtin();
    let phrases = texts
        .iter()
        .map(|t| {
            let s = screener.screen(t);
            if safeguard::verdict::firm_trigger(&s).is_some() {
                2
            } else {
                u8::from(!s.indicators.is_empty())
            }
        })
        .collect();
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
                if let Some(dir) = p.parent() {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("making the cache folder {}", dir.display()))?;
                }
                std::fs::write(p, raw)
                    .with_context(|| format!("writing the cached vectors {}", p.display()))?;
            }
            v
        }
    };
    Ok(Source {
        name: entry.name.clone(),
        licence: entry.licence.clone(),
        sha256,
        vectors,
        words,
        phrases,
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

struct Fitting {
    word_l2: f32,
    words: bool,
}

/// One example: a piece's vector and words, and whether it is a disclosure.
type Example<'a> = (&'a [f32], &'a [(u32, f32)], bool);

/// Trains on the answers `keep` allows: two passes, as the model's note says. Returns every
/// weight ([`ALL`]: the vector's, the words', the bias).
fn train(sources: &[Source], keep: &dyn Fn(usize, usize) -> bool, fitting: &Fitting) -> Vec<f32> {
    let first = examples(sources, keep, None, fitting);
    let w = fit(&first, fitting);
    let second = examples(sources, keep, Some(&w), fitting);
    fit(&second, fitting)
}

/// The training examples: every piece of an ordinary answer, and one piece of each disclosure
/// (its first, or its best-scoring under `model`).
fn examples<'a>(
    sources: &'a [Source],
    keep: &dyn Fn(usize, usize) -> bool,
    model: Option<&[f32]>,
    fitting: &Fitting,
) -> Vec<Example<'a>> {
    let none: &[(u32, f32)] = &[];
    let words = |s: &'a Source, p: usize| -> &'a [(u32, f32)] {
        if fitting.words { &s.words[p] } else { none }
    };
    let mut out = Vec::new();
    for (si, s) in sources.iter().enumerate() {
        let mut best: HashMap<usize, (usize, f32)> = HashMap::new();
        for (p, &row) in s.rows.iter().enumerate() {
            if !keep(si, row) {
                continue;
            }
            let v = &s.vectors[p * D..(p + 1) * D];
            if s.labels[row] == 0 {
                out.push((v, words(s, p), false));
                continue;
            }
            let score = model.map_or(0.0, |w| logit(w, v, words(s, p)));
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
                .map(|p| (&s.vectors[p * D..(p + 1) * D], words(s, p), true)),
        );
    }
    out
}

fn logit(w: &[f32], v: &[f32], words: &[(u32, f32)]) -> f32 {
    w[..D].iter().zip(v).map(|(a, x)| a * x).sum::<f32>()
        + words
            .iter()
            .map(|&(i, x)| w[D + i as usize] * x)
            .sum::<f32>()
        + w[ALL - 1]
}

/// Class-balanced logistic regression with a light L2 penalty, by full-batch Adam.
fn fit(examples: &[Example], fitting: &Fitting) -> Vec<f32> {
    let n = examples.len() as f64;
    let pos = examples.iter().filter(|e| e.2).count().max(1) as f64;
    let (wp, wn) = (
        (n / (2.0 * pos)) as f32,
        (n / (2.0 * (n - pos).max(1.0))) as f32,
    );
    let lambda = (1.0 / n) as f32;
    let mut w = vec![0.0f32; ALL];
    let (mut m, mut v) = (vec![0.0f32; ALL], vec![0.0f32; ALL]);
    let (lr, b1, b2, eps) = (0.02f32, 0.9f32, 0.999f32, 1e-8f32);
    let mut g = vec![0.0f64; ALL];
    for t in 1..=400 {
        g.iter_mut().for_each(|x| *x = 0.0);
        for (x, words, y) in examples {
            let z = logit(&w, x, words);
            let p = 1.0 / (1.0 + (-z).exp());
            let r = f64::from((p - f32::from(u8::from(*y))) * if *y { wp } else { wn });
            for (gi, xi) in g.iter_mut().zip(x.iter()) {
                *gi += r * f64::from(*xi);
            }
            for &(i, xi) in *words {
                g[D + i as usize] += r * f64::from(xi);
            }
            g[ALL - 1] += r;
        }
        for i in 0..ALL {
            let penalty = match i {
                _ if i < D => lambda * w[i],
                _ if i < ALL - 1 => fitting.word_l2 * w[i],
                _ => 0.0,
            };
            let gi = (g[i] / n) as f32 + penalty;
            m[i] = b1 * m[i] + (1.0 - b1) * gi;
            v[i] = b2 * v[i] + (1.0 - b2) * gi * gi;
            let mh = m[i] / (1.0 - b1.powi(t));
            let vh = v[i] / (1.0 - b2.powi(t));
            w[i] -= lr * mh / (vh.sqrt() + eps);
        }
    }
    w
}

/// Each answer's score: the highest of its pieces.
fn answer_scores(s: &Source, w: &[f32]) -> Vec<f32> {
    let mut out = vec![0.0f32; s.answers()];
    for (p, &row) in s.rows.iter().enumerate() {
        let z = logit(w, &s.vectors[p * D..(p + 1) * D], &s.words[p]);
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
