//! The linear map that best carries one set of vectors onto another (ridge least squares), to bring quick vectors into the encoder's space.
use ndarray::{Array2, ArrayView2};

/// The sums a least-squares map is solved from, `QᵀQ` and `QᵀE`, added a block of rows at a
/// time: in f64 for the solve, without ever holding a whole f64 copy of the rows (at 100,000
/// encoded answers that copy was 600 MB).
pub struct NormalEquations {
    qq: Array2<f64>,
    qe: Array2<f64>,
}

impl NormalEquations {
    /// For maps from `from` dimensions to `to`.
    pub fn new(from: usize, to: usize) -> Self {
        NormalEquations {
            qq: Array2::zeros((from, from)),
            qe: Array2::zeros((from, to)),
        }
    }

    /// Adds rows `q` and the rows `e` they should map to (same number of rows).
    pub fn add(&mut self, q: ArrayView2<f32>, e: ArrayView2<f32>) {
        let q = q.mapv(f64::from);
        let e = e.mapv(f64::from);
        self.qq += &q.t().dot(&q);
        self.qe += &q.t().dot(&e);
    }

    /// `W` minimising `|Q W - E|² + λ |W|²` over every row added, with λ `ridge` times the mean
    /// of `QᵀQ`'s diagonal (so the penalty does not depend on the vectors' scale). Solved
    /// through the Cholesky factor of `QᵀQ + λI`, which the ridge keeps positive definite.
    pub fn solve(mut self, ridge: f64) -> Array2<f32> {
        let (a, b) = (&mut self.qq, &self.qe);
        let d = a.nrows();
        let mean = (0..d).map(|i| a[[i, i]]).sum::<f64>() / d.max(1) as f64;
        let lambda = (ridge * mean).max(1e-12);
        for i in 0..d {
            a[[i, i]] += lambda;
        }
        let mut l = Array2::<f64>::zeros((d, d));
        for i in 0..d {
            for j in 0..=i {
                let s = a[[i, j]] - (0..j).map(|k| l[[i, k]] * l[[j, k]]).sum::<f64>();
                l[[i, j]] = if i == j {
                    s.max(1e-300).sqrt()
                } else {
                    s / l[[j, j]]
                };
            }
        }
        // L Y = B, then Lᵀ W = Y, a column at a time.
        let mut w = Array2::<f64>::zeros(b.dim());
        let mut y = vec![0.0f64; d];
        for c in 0..b.ncols() {
            for i in 0..d {
                y[i] = (b[[i, c]] - (0..i).map(|k| l[[i, k]] * y[k]).sum::<f64>()) / l[[i, i]];
            }
            for i in (0..d).rev() {
                w[[i, c]] =
                    (y[i] - (i + 1..d).map(|k| l[[k, i]] * w[[k, c]]).sum::<f64>()) / l[[i, i]];
            }
        }
        w.mapv(|x| x as f32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ridge_map(q: &Array2<f32>, e: &Array2<f32>, ridge: f64) -> Array2<f32> {
        let mut sums = NormalEquations::new(q.ncols(), e.ncols());
        // Two blocks, as a large fit adds them.
        let half = q.nrows() / 2;
        sums.add(
            q.slice(ndarray::s![..half, ..]),
            e.slice(ndarray::s![..half, ..]),
        );
        sums.add(
            q.slice(ndarray::s![half.., ..]),
            e.slice(ndarray::s![half.., ..]),
        );
        sums.solve(ridge)
    }

    #[test]
    fn recovers_a_known_map_from_exact_pairs() {
        let q = ndarray::array![[1.0f32, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, -1.0]];
        let truth = ndarray::array![[0.5f32, 2.0, -1.0], [1.5, 0.0, 3.0]];
        let e = q.dot(&truth);
        let w = ridge_map(&q, &e, 1e-9);
        for (got, want) in w.iter().zip(truth.iter()) {
            assert!((got - want).abs() < 1e-4, "{w:?}");
        }
    }

    #[test]
    fn a_larger_ridge_shrinks_the_map() {
        let q = ndarray::array![[1.0f32, 0.0], [0.0, 1.0]];
        let e = ndarray::array![[1.0f32], [1.0]];
        let small = ridge_map(&q, &e, 1e-6);
        let large = ridge_map(&q, &e, 1.0);
        assert!(large[[0, 0]] < small[[0, 0]] && large[[0, 0]] > 0.0);
        assert!((large[[0, 0]] - 0.5).abs() < 1e-5);
    }
}
