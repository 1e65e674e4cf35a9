//! Choosing how many themes when the analyst asks for "auto".
use ndarray::{Array2, Axis};

use crate::Progress;
use crate::cluster;

/// Picks k in `min..=max` with the best mean silhouette (by cosine distance) on a sample: the
/// k whose themes are most clearly apart. Tries every k in a small range, or about a dozen
/// spread evenly on a log scale in a wide one.
#[allow(clippy::too_many_arguments)]
pub fn choose_k(
    e: &Array2<f32>,
    rows: &[usize],
    distinct: usize,
    min: usize,
    max: usize,
    kmeans: cluster::KMeansOptions,
    seed: u64,
    progress: &mut dyn FnMut(Progress),
) -> (usize, String) {
    let max = max.min(distinct).min(rows.len().saturating_sub(1));
    if distinct <= 1 || max < min.max(2) {
        let k = distinct.min(min.max(1)).min(rows.len());
        return (
            k,
            format!("k = {k}: too few different answers to compare several values"),
        );
    }
    let min = min.max(2);
    let candidates: Vec<usize> = if max - min <= 12 {
        (min..=max).collect()
    } else {
        let mut c: Vec<usize> = (0..12)
            .map(|i| {
                let t = i as f64 / 11.0;
                ((min as f64) * ((max as f64) / (min as f64)).powf(t)).round() as usize
            })
            .collect();
        c.dedup();
        c
    };
    let sample = cluster::sample_rows(rows, 2_000, seed ^ 0x5eed);
    let quick = cluster::KMeansOptions {
        runs: kmeans.runs.min(3),
        sample: 5_000,
        refine_steps: 0,
        ..kmeans
    };
    // Two halves of the answers, each fitted with its own seed: a k whose themes are really in
    // the answers gives the same grouping of the sample from either half.
    let mut halves = (Vec::new(), Vec::new());
    for (i, &r) in cluster::sample_rows(rows, 20_000, seed ^ 0x4a1f)
        .iter()
        .enumerate()
    {
        if i % 2 == 0 {
            halves.0.push(r)
        } else {
            halves.1.push(r)
        }
    }
    let rule = std::env::var("HEARD_K_RULE").unwrap_or_default();
    let mut scores: Vec<(usize, f32, f32)> = Vec::new();
    for &k in &candidates {
        progress(Progress::ChoosingK { k });
        let Some(c) = cluster::fit(e, rows, k, quick, seed) else {
            continue;
        };
        let (assigned, _) = cluster::assign(e, &sample, &c);
        let s = silhouette(e, &sample, &assigned, k);
        let stab = match (
            cluster::fit(e, &halves.0, k, quick, seed ^ 0xa),
            cluster::fit(e, &halves.1, k, quick, seed ^ 0xb),
        ) {
            (Some(a), Some(b)) => {
                let (x, _) = cluster::assign(e, &sample, &a);
                let (y, _) = cluster::assign(e, &sample, &b);
                nmi(&x, &y) as f32
            }
            _ => 0.0,
        };
        scores.push((k, s, stab));
    }
    let best = match rule.as_str() {
        "stability" => scores
            .iter()
            .max_by(|a, b| a.2.total_cmp(&b.2).then(b.0.cmp(&a.0)))
            .map_or(min, |s| s.0),
        "stable-largest" => {
            let top = scores.iter().map(|s| s.2).fold(0.0f32, f32::max);
            scores
                .iter()
                .filter(|s| s.2 >= top - 0.05)
                .map(|s| s.0)
                .max()
                .unwrap_or(min)
        }
        _ => scores
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map_or(min, |s| s.0),
    };
    let tried: Vec<String> = scores
        .iter()
        .map(|(k, s, st)| format!("{k}: {s:.3}/{st:.3}"))
        .collect();
    (
        best,
        format!(
            "k = {best} chosen automatically between {min} and {max}: the best silhouette on a sample of {} answers ({})",
            sample.len(),
            tried.join(", ")
        ),
    )
}

/// Normalised mutual information of two labellings of the same items (arithmetic mean).
pub fn nmi(a: &[usize], b: &[usize]) -> f64 {
    use std::collections::HashMap;
    let n = a.len() as f64;
    if a.is_empty() {
        return 0.0;
    }
    let mut joint: HashMap<(usize, usize), f64> = HashMap::new();
    let mut pa: HashMap<usize, f64> = HashMap::new();
    let mut pb: HashMap<usize, f64> = HashMap::new();
    for (&x, &y) in a.iter().zip(b) {
        *joint.entry((x, y)).or_default() += 1.0;
        *pa.entry(x).or_default() += 1.0;
        *pb.entry(y).or_default() += 1.0;
    }
    let h = |m: &HashMap<usize, f64>| -> f64 { m.values().map(|&c| -(c / n) * (c / n).ln()).sum() };
    let mi: f64 = joint
        .iter()
        .map(|(&(x, y), &c)| (c / n) * ((c * n) / (pa[&x] * pb[&y])).ln())
        .sum();
    let denom = (h(&pa) + h(&pb)) / 2.0;
    if denom <= 0.0 { 1.0 } else { mi / denom }
}

/// Mean silhouette by cosine distance of the sample `rows` under `assigned`.
fn silhouette(e: &Array2<f32>, rows: &[usize], assigned: &[usize], k: usize) -> f32 {
    let sub = e.select(Axis(0), rows);
    let sims = sub.dot(&sub.t());
    let mut total = 0.0f32;
    let mut counted = 0usize;
    for i in 0..rows.len() {
        let mut sum = vec![0.0f32; k];
        let mut n = vec![0usize; k];
        for j in 0..rows.len() {
            if i != j {
                sum[assigned[j]] += 1.0 - sims[[i, j]];
                n[assigned[j]] += 1;
            }
        }
        let own = assigned[i];
        if n[own] == 0 {
            continue;
        }
        let a = sum[own] / n[own] as f32;
        let b = (0..k)
            .filter(|&c| c != own && n[c] > 0)
            .map(|c| sum[c] / n[c] as f32)
            .fold(f32::INFINITY, f32::min);
        if b.is_finite() {
            total += (b - a) / a.max(b).max(1e-12);
            counted += 1;
        }
    }
    if counted == 0 {
        -1.0
    } else {
        total / counted as f32
    }
}
