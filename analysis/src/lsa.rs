//! Latent semantic analysis: a truncated SVD of the sparse TF-IDF matrix by randomised range
//! finding with power iterations (Halko, Martinsson and Tropp), so short answers that share no
//! word but share meaning ("my carer" / "foster mum") land near each other. Everything dense is
//! small (terms x components); the large matrix stays sparse.
use ndarray::{Array2, Axis, s};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::features::{Csr, chunks, threads};

/// X (n x V, sparse) times D (V x l).
pub fn mul(x: &Csr, d: &Array2<f32>) -> Array2<f32> {
    let l = d.ncols();
    let mut out = Array2::<f32>::zeros((x.rows, l));
    let parts = chunks(x.rows, threads());
    let mut views: Vec<_> = Vec::new();
    let mut rest = out.view_mut();
    for r in &parts {
        let (a, b) = rest.split_at(Axis(0), r.len());
        views.push((r.clone(), a));
        rest = b;
    }
    std::thread::scope(|s| {
        for (r, mut view) in views {
            s.spawn(move || {
                for (k, i) in r.enumerate() {
                    let (idx, val) = x.row(i);
                    let mut row = view.row_mut(k);
                    for (&j, &v) in idx.iter().zip(val) {
                        row.scaled_add(v, &d.row(j as usize));
                    }
                }
            });
        }
    });
    out
}

/// Xᵀ (V x n) times D (n x l). Each thread sums its own rows, and the partial sums are added in
/// a fixed order, so the result does not depend on scheduling.
pub fn mul_t(x: &Csr, d: &Array2<f32>) -> Array2<f32> {
    let l = d.ncols();
    let parts = chunks(x.rows, threads());
    let partials: Vec<Array2<f32>> = std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|r| {
                s.spawn(move || {
                    let mut acc = Array2::<f32>::zeros((x.cols, l));
                    for i in r {
                        let (idx, val) = x.row(i);
                        let di = d.row(i);
                        for (&j, &v) in idx.iter().zip(val) {
                            acc.row_mut(j as usize).scaled_add(v, &di);
                        }
                    }
                    acc
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let mut out = Array2::<f32>::zeros((x.cols, l));
    for p in partials {
        out += &p;
    }
    out
}

/// Orthonormal columns spanning `y`'s, by eigen-decomposition of the small Gram matrix
/// (Y = Q U Λ^½ with Q = Y U Λ^-½). Two products with the tall matrix and work on an l x l matrix: much faster than
/// Gram-Schmidt over hundreds of thousands of rows. Directions with a negligible eigenvalue
/// become zero columns: answers with few distinct words make rank-deficient matrices, and zero
/// columns are harmless downstream.
fn orthonormalise(mut q: Array2<f32>) -> Array2<f32> {
    // One pass is enough for a range finder: the columns only need to be a good basis.
    let g = q.t().dot(&q).mapv(f64::from);
    let (values, vectors) = symmetric_eigen(&g);
    let top = values.first().copied().unwrap_or(0.0).max(0.0);
    let l = g.nrows();
    let mut m = Array2::<f64>::zeros((l, l));
    for (j, &v) in values.iter().enumerate() {
        if v > 1e-9 * top && v > 0.0 {
            let scale = 1.0 / v.sqrt();
            m.column_mut(j)
                .assign(&vectors.column(j).mapv(|a| a * scale));
        }
    }
    let m = m.mapv(|a| a as f32);
    // Q ← Q M a block of rows at a time: Q may be hundreds of thousands of rows, and a second
    // copy of it would double the peak memory of the whole run.
    for mut block in q.axis_chunks_iter_mut(Axis(0), 8192) {
        let product = block.dot(&m);
        block.assign(&product);
    }
    q
}

/// Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations: eigenvalues in
/// decreasing order and their eigenvectors as columns.
fn symmetric_eigen(a: &Array2<f64>) -> (Vec<f64>, Array2<f64>) {
    let n = a.nrows();
    let mut a = a.clone();
    let mut v = Array2::<f64>::eye(n);
    let total: f64 = a.iter().map(|x| x * x).sum();
    for _sweep in 0..60 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[[i, j]] * a[[i, j]])
            .sum();
        // Off-diagonal mass negligible next to the whole: eigenvalues good to ~1e-8 relative.
        if off <= 1e-16 * total || off < 1e-300 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[[p, q]];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (a[[q, q]] - a[[p, p]]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let akp = a[[k, p]];
                    let akq = a[[k, q]];
                    a[[k, p]] = c * akp - s * akq;
                    a[[k, q]] = s * akp + c * akq;
                }
                for k in 0..n {
                    let apk = a[[p, k]];
                    let aqk = a[[q, k]];
                    a[[p, k]] = c * apk - s * aqk;
                    a[[q, k]] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let vkp = v[[k, p]];
                    let vkq = v[[k, q]];
                    v[[k, p]] = c * vkp - s * vkq;
                    v[[k, q]] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| a[[j, j]].total_cmp(&a[[i, i]]).then(i.cmp(&j)));
    let values = order.iter().map(|&i| a[[i, i]]).collect();
    let mut vectors = Array2::<f64>::zeros((n, n));
    for (new, &old) in order.iter().enumerate() {
        vectors.column_mut(new).assign(&v.column(old));
    }
    (values, vectors)
}

/// The right singular vectors of X for its `dims` largest singular values (V x dims): project a
/// TF-IDF row onto them to get its place in the reduced space. Fewer columns if X is smaller.
pub fn fit(x: &Csr, dims: usize, power_iterations: usize, seed: u64) -> Array2<f32> {
    let dims = dims.min(x.rows).min(x.cols);
    if dims == 0 {
        return Array2::zeros((x.cols, 0));
    }
    let l = (dims + 10).min(x.rows).min(x.cols);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    // Gaussian test matrix by Box-Muller.
    let omega = Array2::from_shape_fn((x.cols, l), |_| {
        let u1: f32 = rng.gen_range(f32::EPSILON..1.0);
        let u2: f32 = rng.gen_range(0.0..1.0);
        (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos()
    });
    let mut q = orthonormalise(mul(x, &omega));
    drop(omega);
    for _ in 0..power_iterations {
        let z = orthonormalise(mul_t(x, &q));
        // The old Q goes before the new one is made: only one tall matrix at a time.
        drop(q);
        q = orthonormalise(mul(x, &z));
    }
    let bt = mul_t(x, &q); // V x l, Bᵀ where B = Qᵀ X
    let c = bt.t().dot(&bt).mapv(f64::from);
    let (values, vectors) = symmetric_eigen(&c);
    // W = Bᵀ U Σ⁻¹, keeping components with a non-negligible singular value.
    let keep = values
        .iter()
        .take(dims)
        .take_while(|&&v| v > 1e-12 * values[0].max(1e-300))
        .count();
    let mut u = vectors.slice(s![.., ..keep]).to_owned();
    for (j, v) in values.iter().take(keep).enumerate() {
        let sigma = v.sqrt();
        u.column_mut(j).mapv_inplace(|a| a / sigma);
    }
    bt.dot(&u.mapv(|a| a as f32))
}

/// Rows of X projected onto `components` and scaled to unit length (all-zero rows stay zero).
pub fn transform(x: &Csr, components: &Array2<f32>) -> Array2<f32> {
    let mut e = mul(x, components);
    normalise_rows(&mut e);
    e
}

pub fn normalise_rows(e: &mut Array2<f32>) {
    for mut row in e.rows_mut() {
        let n = row.dot(&row).sqrt();
        if n > 0.0 {
            row.mapv_inplace(|v| v / n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigen_decomposition_is_exact_on_a_small_matrix() {
        let a = ndarray::array![[4.0, 1.0, 0.0], [1.0, 3.0, 0.0], [0.0, 0.0, 1.0]];
        let (vals, vecs) = symmetric_eigen(&a);
        assert!(vals[0] >= vals[1] && vals[1] >= vals[2]);
        let recon = vecs
            .dot(&ndarray::Array2::from_diag(&ndarray::Array1::from(vals)))
            .dot(&vecs.t());
        for (x, y) in recon.iter().zip(a.iter()) {
            assert!((x - y).abs() < 1e-9);
        }
    }

    #[test]
    fn orthonormalised_columns_are_orthonormal() {
        let y = Array2::from_shape_fn((50, 5), |(i, j)| ((i * 7 + j * 13) % 11) as f32 + j as f32);
        let q = orthonormalise(y.clone());
        let g = q.t().dot(&q);
        // Orthonormal, up to the order of the columns.
        for i in 0..5 {
            for j in 0..5 {
                let want = if i == j { 1.0 } else { 0.0 };
                assert!((g[[i, j]] - want).abs() < 1e-3, "{g:?}");
            }
        }
        let recon = q.dot(&q.t().dot(&y));
        for (a, b) in recon.iter().zip(y.iter()) {
            assert!((a - b).abs() < 1e-2 * b.abs().max(1.0), "the span is kept");
        }
    }

    #[test]
    fn dependent_columns_become_zero() {
        let mut y = Array2::from_shape_fn((20, 3), |(i, j)| (i + j) as f32);
        let c0 = y.column(0).to_owned();
        y.column_mut(2).assign(&(&c0 * 2.0));
        let q = orthonormalise(y.clone());
        assert!(q.iter().all(|v| v.is_finite()));
        // Rank 2: two unit columns, the rest zero.
        let norms: Vec<f32> = q.columns().into_iter().map(|c| c.dot(&c).sqrt()).collect();
        assert_eq!(
            norms.iter().filter(|&&n| (n - 1.0).abs() < 1e-3).count(),
            2,
            "{norms:?}"
        );
        assert_eq!(norms.iter().filter(|&&n| n < 1e-3).count(), 1, "{norms:?}");
    }

    #[test]
    fn sparse_products_match_dense_ones() {
        let x = Csr {
            rows: 3,
            cols: 4,
            indptr: vec![0, 2, 2, 4],
            indices: vec![0, 3, 1, 2],
            data: vec![1.0, 2.0, 3.0, 4.0],
        };
        let dense = ndarray::array![
            [1.0f32, 0.0, 0.0, 2.0],
            [0.0, 0.0, 0.0, 0.0],
            [0.0, 3.0, 4.0, 0.0]
        ];
        let d = Array2::from_shape_fn((4, 2), |(i, j)| (i + j) as f32);
        assert_eq!(mul(&x, &d), dense.dot(&d));
        let d2 = Array2::from_shape_fn((3, 2), |(i, j)| (i * 2 + j) as f32);
        assert_eq!(mul_t(&x, &d2), dense.t().dot(&d2));
    }
}
