//! Clustering the reduced, unit-length answer vectors. k-means++ starts (our own, as matrix
//! products) and one step of linfa's k-means, several runs, seeded, fit centroids on a sample; every answer is then assigned to its nearest centroid
//! by cosine, and a few Lloyd steps over all answers refine the centroids. On unit vectors
//! Euclidean k-means and cosine (spherical) k-means agree on who is nearest, so centroids are kept
//! unit length throughout.
use linfa::DatasetBase;
use linfa::traits::Fit;
use linfa_clustering::{KMeans, KMeansInit};
use ndarray::{Array2, Axis};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256Plus;

use crate::features::{chunks, threads};
use crate::lsa::normalise_rows;

#[derive(Debug, Clone, Copy)]
pub struct KMeansOptions {
    pub runs: usize,
    pub max_iterations: u64,
    /// Most answers the linfa fit sees; the rest are assigned and refined afterwards.
    pub sample: usize,
    pub refine_steps: usize,
}

/// Indices of up to `n` rows, chosen with `seed`, in increasing order.
pub fn sample_rows(rows: &[usize], n: usize, seed: u64) -> Vec<usize> {
    if rows.len() <= n {
        return rows.to_vec();
    }
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let mut picked: Vec<usize> = rows.choose_multiple(&mut rng, n).copied().collect();
    picked.sort_unstable();
    picked
}

/// Unit-length centroids (k x dims) for the rows `rows` of `e`, or `None` if linfa cannot start
/// (k larger than the distinct rows of the sample).
///
/// Each of `runs` runs starts from k-means++ seeds and one step of linfa's k-means, on a sample
/// of at most `START_SAMPLE` rows, seeded from `seed` and the run number), then converges by
/// Lloyd steps done as matrix products on the fitting sample; the run with the least inertia
/// (sum of cosine distances) is kept, then refined over every row. linfa's own iterations
/// measure each point-centroid distance one pair at a time, which is far slower on 100
/// dimensions than one matrix product per step.
pub fn fit(
    e: &Array2<f32>,
    rows: &[usize],
    k: usize,
    opts: KMeansOptions,
    seed: u64,
) -> Option<Array2<f32>> {
    const START_SAMPLE: usize = 2_000;
    let sample = sample_rows(rows, opts.sample, seed);
    let mut best: Option<(f64, Array2<f32>)> = None;
    for run in 0..opts.runs.max(1) {
        let run_seed = seed.wrapping_add((run as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let start_rows = sample_rows(&sample, START_SAMPLE, run_seed);
        let data = e.select(Axis(0), &start_rows);
        let mut rng = Xoshiro256Plus::seed_from_u64(run_seed);
        let Some(seeds) = plus_plus(&data, k, &mut rng) else {
            continue;
        };
        let Ok(model) = KMeans::params_with_rng(k, rng)
            .n_runs(1)
            .max_n_iterations(1)
            .init_method(KMeansInit::Precomputed(seeds.mapv(f64::from)))
            .fit(&DatasetBase::from(data.mapv(f64::from)))
        else {
            continue;
        };
        let mut centroids = model.centroids().mapv(|v| v as f32);
        normalise_rows(&mut centroids);
        let mut inertia = f64::INFINITY;
        for _ in 0..opts.max_iterations {
            let (assigned, dist) = assign(e, &sample, &centroids);
            let now: f64 = dist.iter().map(|&d| f64::from(d)).sum();
            // Converged when a step improves the inertia by less than 0.01%.
            let converged = inertia.is_finite() && inertia - now <= 1e-4 * inertia;
            inertia = inertia.min(now);
            if converged {
                break;
            }
            centroids = recompute(e, &sample, &assigned, &centroids);
        }
        if best.as_ref().is_none_or(|(b, _)| inertia < *b) {
            best = Some((inertia, centroids));
        }
    }
    let (_, mut centroids) = best?;
    for _ in 0..opts.refine_steps {
        let (assigned, _) = assign(e, rows, &centroids);
        centroids = recompute(e, rows, &assigned, &centroids);
    }
    Some(centroids)
}

/// k-means++ starting centroids for the rows of `data`, or `None` if it has fewer than `k`
/// different rows. Greedy, as scikit-learn's: of `2 + ln k` candidates drawn in proportion to
/// their squared distance from the centroids so far, the one that lowers the total most is
/// kept. linfa's own k-means++ measured every row against every centroid at every step, one pair
/// at a time (k squared passes: at k = 150 it was most of a two-minute run); here each
/// candidate's distances to all rows are one matrix product, and each row keeps its distance to
/// the nearest centroid so far.
fn plus_plus(data: &Array2<f32>, k: usize, rng: &mut Xoshiro256Plus) -> Option<Array2<f32>> {
    let n = data.nrows();
    if k == 0 || k > n {
        return None;
    }
    let norms: Vec<f32> = data.rows().into_iter().map(|r| r.dot(&r)).collect();
    let trials = 2 + (k as f64).ln() as usize;
    let mut chosen = vec![rng.gen_range(0..n)];
    let mut nearest = squared_distances(data, &norms, &chosen).row(0).to_vec();
    while chosen.len() < k {
        let total: f64 = nearest.iter().map(|&d| f64::from(d)).sum();
        if total <= 0.0 {
            return None;
        }
        let candidates: Vec<usize> = (0..trials).map(|_| draw(&nearest, total, rng)).collect();
        let d = squared_distances(data, &norms, &candidates);
        let (best, _) = d
            .rows()
            .into_iter()
            .map(|row| {
                row.iter()
                    .zip(&nearest)
                    .map(|(&a, &b)| f64::from(a.min(b)))
                    .sum::<f64>()
            })
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(&b.1))?;
        for (near, &v) in nearest.iter_mut().zip(d.row(best)) {
            *near = near.min(v);
        }
        chosen.push(candidates[best]);
    }
    Some(data.select(Axis(0), &chosen))
}

/// Squared Euclidean distance from each of the rows `picks` to every row of `data` (picks x n),
/// from one product; rounding below 1e-6 counts as zero, so a copy of a centroid is never drawn.
fn squared_distances(data: &Array2<f32>, norms: &[f32], picks: &[usize]) -> Array2<f32> {
    let mut d = data.select(Axis(0), picks).dot(&data.t());
    for (mut row, &p) in d.rows_mut().into_iter().zip(picks) {
        for (v, &x) in row.iter_mut().zip(norms) {
            let sq = norms[p] + x - 2.0 * *v;
            *v = if sq > 1e-6 { sq } else { 0.0 };
        }
    }
    d
}

/// A row drawn with probability in proportion to its weight (`total` is their sum).
fn draw(weights: &[f32], total: f64, rng: &mut Xoshiro256Plus) -> usize {
    let mut left = rng.r#gen::<f64>() * total;
    for (i, &w) in weights.iter().enumerate() {
        left -= f64::from(w);
        if left < 0.0 && w > 0.0 {
            return i;
        }
    }
    // Rounding can leave a sliver past the last row: the last row with any weight.
    weights.iter().rposition(|&w| w > 0.0).unwrap_or(0)
}

/// Nearest centroid and cosine distance (1 - cosine similarity) of each of `rows`.
pub fn assign(e: &Array2<f32>, rows: &[usize], centroids: &Array2<f32>) -> (Vec<usize>, Vec<f32>) {
    let parts = chunks(rows.len(), threads());
    let results: Vec<(Vec<usize>, Vec<f32>)> = std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|r| {
                let part = &rows[r];
                s.spawn(move || {
                    let mut best = Vec::with_capacity(part.len());
                    let mut dist = Vec::with_capacity(part.len());
                    for block in part.chunks(4096) {
                        let sims = e.select(Axis(0), block).dot(&centroids.t());
                        for row in sims.rows() {
                            let (j, sim) = row.iter().enumerate().fold(
                                (0, f32::NEG_INFINITY),
                                |acc, (j, &v)| {
                                    if v > acc.1 { (j, v) } else { acc }
                                },
                            );
                            best.push(j);
                            dist.push((1.0 - sim).max(0.0));
                        }
                    }
                    (best, dist)
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let mut best = Vec::with_capacity(rows.len());
    let mut dist = Vec::with_capacity(rows.len());
    for (b, d) in results {
        best.extend(b);
        dist.extend(d);
    }
    (best, dist)
}

/// Mean of each cluster's rows, unit length; a cluster left empty keeps its old centroid.
pub fn recompute(
    e: &Array2<f32>,
    rows: &[usize],
    assigned: &[usize],
    old: &Array2<f32>,
) -> Array2<f32> {
    let mut sums = Array2::<f32>::zeros(old.raw_dim());
    let mut counts = vec![0usize; old.nrows()];
    for (&r, &c) in rows.iter().zip(assigned) {
        sums.row_mut(c).scaled_add(1.0, &e.row(r));
        counts[c] += 1;
    }
    for (c, &n) in counts.iter().enumerate() {
        if n == 0 {
            sums.row_mut(c).assign(&old.row(c));
        }
    }
    normalise_rows(&mut sums);
    sums
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_obvious_groups_are_found() {
        let mut e = Array2::<f32>::zeros((20, 2));
        for i in 0..20 {
            e[[i, if i < 10 { 0 } else { 1 }]] = 1.0;
            e[[i, if i < 10 { 1 } else { 0 }]] = 0.05 * (i % 3) as f32;
        }
        normalise_rows(&mut e);
        let rows: Vec<usize> = (0..20).collect();
        let opts = KMeansOptions {
            runs: 3,
            max_iterations: 100,
            sample: 1000,
            refine_steps: 2,
        };
        let c = fit(&e, &rows, 2, opts, 7).expect("fits");
        let (a, d) = assign(&e, &rows, &c);
        assert!(a[..10].iter().all(|&x| x == a[0]));
        assert!(a[10..].iter().all(|&x| x == a[10]));
        assert_ne!(a[0], a[10]);
        assert!(d.iter().all(|&x| (0.0..=2.0).contains(&x)));
    }

    #[test]
    fn plus_plus_starts_at_different_rows_or_not_at_all() {
        let mut e = Array2::<f32>::zeros((30, 3));
        for i in 0..30 {
            // Three different rows, ten copies of each.
            e[[i, i % 3]] = 1.0;
        }
        let mut rng = Xoshiro256Plus::seed_from_u64(1);
        let seeds = plus_plus(&e, 3, &mut rng).expect("three different rows");
        let mut found: Vec<usize> = seeds
            .rows()
            .into_iter()
            .map(|r| r.iter().position(|&v| v == 1.0).expect("a row of e"))
            .collect();
        found.sort_unstable();
        assert_eq!(found, vec![0, 1, 2]);
        assert!(plus_plus(&e, 4, &mut rng).is_none());
        let again = plus_plus(&e, 3, &mut Xoshiro256Plus::seed_from_u64(1));
        assert_eq!(again, Some(seeds));
    }
}
