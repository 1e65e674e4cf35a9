//! Clustering the reduced, unit-length answer vectors. linfa's k-means (k-means++ start, several
//! runs, seeded) fits centroids on a sample; every answer is then assigned to its nearest centroid
//! by cosine, and a few Lloyd steps over all answers refine the centroids. On unit vectors
//! Euclidean k-means and cosine (spherical) k-means agree on who is nearest, so centroids are kept
//! unit length throughout.
use linfa::DatasetBase;
use linfa::traits::Fit;
use linfa_clustering::{KMeans, KMeansInit};
use ndarray::{Array2, Axis};
use rand::SeedableRng;
use rand::seq::SliceRandom;
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
/// Each of `runs` runs starts from linfa's k-means (k-means++ seeding and one step, on a sample
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
        let data = e.select(Axis(0), &start_rows).mapv(f64::from);
        let Ok(model) = KMeans::params_with_rng(k, Xoshiro256Plus::seed_from_u64(run_seed))
            .n_runs(1)
            .max_n_iterations(1)
            .init_method(KMeansInit::KMeansPlusPlus)
            .fit(&DatasetBase::from(data))
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
}
