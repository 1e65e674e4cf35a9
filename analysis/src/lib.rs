//! Themes from free text. Pure: takes texts, returns themes; knows nothing of HTTP or SQL.
//!
//! The pipeline: words ([`text`]) → vocabulary and TF-IDF ([`features`]) → a reduced space by
//! truncated SVD, rows scaled to unit length ([`lsa`]) → k-means on the sphere ([`cluster`]) →
//! labels from each theme's most distinctive terms, and representative answers. The same input,
//! options and seed give the same output, byte for byte.
pub mod cluster;
pub mod features;
pub mod lsa;
pub mod text;

use std::collections::{HashMap, HashSet};

use ndarray::{Array2, Axis};
use serde::Serialize;

pub use features::{Csr, Vocabulary};

/// How many themes to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum K {
    Fixed(usize),
    /// Chosen within a range by the silhouette of the clustering (see [`Options::k`]).
    Auto {
        min: usize,
        max: usize,
    },
}

#[derive(Debug, Clone)]
pub struct Options {
    pub k: K,
    pub seed: u64,
    /// Dimensions of the reduced space.
    pub dims: usize,
    pub min_df: usize,
    pub max_df: f32,
    pub bigrams: bool,
    /// k-means runs from different k-means++ starts; the best (lowest inertia) is kept.
    pub runs: usize,
    /// Representative answers kept per theme.
    pub quotes: usize,
    /// Distinctive terms kept per theme.
    pub terms: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            k: K::Auto { min: 2, max: 30 },
            seed: 42,
            dims: 100,
            min_df: 2,
            max_df: 0.5,
            bigrams: true,
            runs: 5,
            quotes: 3,
            terms: 8,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnalysisError {
    #[error("k must be at least 1")]
    ZeroK,
    #[error("the range for k is empty: {min} to {max}")]
    EmptyRange { min: usize, max: usize },
    #[error("clustering failed: {0}")]
    Clustering(String),
}

/// Where a long run has got to, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Answers read so far, of the total.
    Reading {
        done: usize,
        total: usize,
    },
    Reducing,
    /// Trying a value of k when choosing automatically.
    ChoosingK {
        k: usize,
    },
    Clustering,
    Labelling,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Theme {
    pub id: usize,
    pub label: String,
    /// The most distinctive terms, as written.
    pub terms: Vec<String>,
    pub size: usize,
    /// Indices (into the input) of the most representative answers, most typical first.
    pub quotes: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Assignment {
    /// `None` for an answer with no content words (or only words too rare to compare).
    pub theme: Option<usize>,
    /// Cosine distance to the theme's centre, 0 (at the centre) to 2.
    pub distance: Option<f32>,
}

#[derive(Debug, Clone)]
pub struct ThemeSet {
    pub k: usize,
    /// How k was chosen, for people to read.
    pub k_choice: String,
    pub themes: Vec<Theme>,
    /// One per input answer, in input order.
    pub assignments: Vec<Assignment>,
    /// Answers in no theme.
    pub unthemed: usize,
    pub model: Model,
}

/// What a run learnt, to place new answers in its themes without running again.
#[derive(Debug, Clone)]
pub struct Model {
    pub vocabulary: Vocabulary,
    pub components: Array2<f32>,
    /// Unit-length theme centres, row `i` for theme `i`.
    pub centroids: Array2<f32>,
    pub bigrams: bool,
}

impl Model {
    /// The nearest theme of each text (none for texts with no known words).
    pub fn assign(&self, texts: &[&str]) -> Vec<Assignment> {
        let x = features::transform(texts, &self.vocabulary, self.bigrams);
        let e = lsa::transform(&x, &self.components);
        let rows = content_rows(&x);
        let mut out = vec![
            Assignment {
                theme: None,
                distance: None
            };
            texts.len()
        ];
        if self.centroids.nrows() == 0 {
            return out;
        }
        let (best, dist) = cluster::assign(&e, &rows, &self.centroids);
        for ((&r, b), d) in rows.iter().zip(best).zip(dist) {
            out[r] = Assignment {
                theme: Some(b),
                distance: Some(d),
            };
        }
        out
    }
}

/// Rows with at least one term: the answers that can be themed.
fn content_rows(x: &Csr) -> Vec<usize> {
    (0..x.rows).filter(|&i| !x.row(i).0.is_empty()).collect()
}

/// Number of distinct non-empty rows: k cannot usefully exceed it.
fn distinct_rows(x: &Csr, rows: &[usize]) -> usize {
    let mut seen: HashSet<(Vec<u32>, Vec<u32>)> = HashSet::new();
    for &r in rows {
        let (i, v) = x.row(r);
        seen.insert((i.to_vec(), v.iter().map(|f| f.to_bits()).collect()));
        if seen.len() > 10_000 {
            break;
        }
    }
    seen.len()
}

/// Groups `texts` into themes.
pub fn themes(
    texts: &[&str],
    opts: &Options,
    progress: &mut dyn FnMut(Progress),
) -> Result<ThemeSet, AnalysisError> {
    match opts.k {
        K::Fixed(0) => return Err(AnalysisError::ZeroK),
        K::Auto { min, max } if min == 0 || min > max => {
            return Err(AnalysisError::EmptyRange { min, max });
        }
        _ => {}
    }
    let total = texts.len();
    progress(Progress::Reading { done: 0, total });
    let (vocab, x) = features::fit_transform(
        texts,
        features::VocabOptions {
            min_df: opts.min_df.max(1),
            max_df: opts.max_df,
            bigrams: opts.bigrams,
        },
        &mut |done| progress(Progress::Reading { done, total }),
    );
    progress(Progress::Reducing);
    let components = lsa::fit(&x, opts.dims, 2, opts.seed);
    let e = lsa::transform(&x, &components);
    let rows = content_rows(&x);
    let distinct = distinct_rows(&x, &rows);

    let kmeans = cluster::KMeansOptions {
        runs: opts.runs,
        max_iterations: 50,
        sample: 10_000,
        refine_steps: 3,
    };
    let (k, k_choice) = match opts.k {
        K::Fixed(k) => {
            let k_eff = k.min(distinct);
            let note = if k_eff < k {
                format!(
                    "k = {k_eff}: {k} was asked, but there are only {distinct} different answers with content"
                )
            } else {
                format!("k = {k}, as asked")
            };
            (k_eff, note)
        }
        K::Auto { min, max } => {
            choose_k(&e, &rows, distinct, min, max, kmeans, opts.seed, progress)
        }
    };

    progress(Progress::Clustering);
    let centroids = match k {
        0 => Array2::zeros((0, e.ncols())),
        1 => cluster::recompute(
            &e,
            &rows,
            &vec![0; rows.len()],
            &Array2::zeros((1, e.ncols())),
        ),
        k => cluster::fit(&e, &rows, k, kmeans, opts.seed).ok_or_else(|| {
            AnalysisError::Clustering(format!("k-means with k = {k} did not fit"))
        })?,
    };
    let (best, dist) = if k == 0 {
        (Vec::new(), Vec::new())
    } else {
        cluster::assign(&e, &rows, &centroids)
    };

    progress(Progress::Labelling);
    // Order themes by size, largest first; ties by their first answer, so ids are stable.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (&r, &b) in rows.iter().zip(&best) {
        members[b].push(r);
    }
    let mut order: Vec<usize> = (0..k).filter(|&c| !members[c].is_empty()).collect();
    order.sort_by(|&a, &b| {
        members[b]
            .len()
            .cmp(&members[a].len())
            .then(members[a][0].cmp(&members[b][0]))
    });
    let new_id: HashMap<usize, usize> = order.iter().enumerate().map(|(n, &o)| (o, n)).collect();

    let mut assignments = vec![
        Assignment {
            theme: None,
            distance: None
        };
        texts.len()
    ];
    for ((&r, &b), &d) in rows.iter().zip(&best).zip(&dist) {
        assignments[r] = Assignment {
            theme: new_id.get(&b).copied(),
            distance: Some(d),
        };
    }
    let labels = label_terms(&x, &vocab, &members, &order, opts.terms);
    let themes: Vec<Theme> = order
        .iter()
        .enumerate()
        .map(|(id, &c)| {
            let terms = labels[id].clone();
            Theme {
                id,
                label: label_from(&terms),
                terms,
                size: members[c].len(),
                quotes: quotes(texts, &e, &members[c], &assignments, opts.quotes),
            }
        })
        .collect();
    let centroids = centroids.select(Axis(0), &order);
    let unthemed = texts.len() - rows.len();
    Ok(ThemeSet {
        k: themes.len(),
        k_choice,
        themes,
        assignments,
        unthemed,
        model: Model {
            vocabulary: vocab,
            components,
            centroids,
            bigrams: opts.bigrams,
        },
    })
}

/// Picks k in `min..=max` with the best mean silhouette (by cosine distance) on a sample: the
/// k whose themes are most clearly apart. Tries every k in a small range, or about a dozen
/// spread evenly on a log scale in a wide one.
#[allow(clippy::too_many_arguments)]
fn choose_k(
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
    let mut best = (min, f32::NEG_INFINITY);
    let mut tried = Vec::new();
    for &k in &candidates {
        progress(Progress::ChoosingK { k });
        let Some(c) = cluster::fit(e, rows, k, quick, seed) else {
            continue;
        };
        let (assigned, _) = cluster::assign(e, &sample, &c);
        let s = silhouette(e, &sample, &assigned, k);
        tried.push(format!("{k}: {s:.3}"));
        if s > best.1 {
            best = (k, s);
        }
    }
    (
        best.0,
        format!(
            "k = {} chosen automatically between {min} and {max}: the best silhouette on a sample of {} answers ({})",
            best.0,
            sample.len(),
            tried.join(", ")
        ),
    )
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

/// Each theme's most distinctive terms: the ones whose mean weight in the theme most exceeds
/// their mean weight overall. A unigram already said by a chosen bigram is skipped.
fn label_terms(
    x: &Csr,
    vocab: &Vocabulary,
    members: &[Vec<usize>],
    order: &[usize],
    keep: usize,
) -> Vec<Vec<String>> {
    let v = vocab.len();
    let mut overall = vec![0.0f32; v];
    for i in 0..x.rows {
        let (idx, val) = x.row(i);
        for (&j, &w) in idx.iter().zip(val) {
            overall[j as usize] += w;
        }
    }
    let n = x.rows.max(1) as f32;
    overall.iter_mut().for_each(|w| *w /= n);
    order
        .iter()
        .map(|&c| {
            let mut mean = vec![0.0f32; v];
            for &r in &members[c] {
                let (idx, val) = x.row(r);
                for (&j, &w) in idx.iter().zip(val) {
                    mean[j as usize] += w;
                }
            }
            let size = members[c].len().max(1) as f32;
            let mut scored: Vec<(usize, f32)> = mean
                .iter()
                .enumerate()
                .map(|(j, &m)| (j, m / size - overall[j]))
                .filter(|&(_, s)| s > 0.0)
                .collect();
            scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let mut chosen: Vec<String> = Vec::new();
            for (j, _) in scored {
                let surface = &vocab.surface[j];
                let words: Vec<&str> = surface.split(' ').collect();
                // "virtual card" says more than "virtual": it takes the unigram's place.
                if words.len() > 1
                    && let Some(pos) = chosen
                        .iter()
                        .position(|c| !c.contains(' ') && words.contains(&c.as_str()))
                {
                    if !chosen.contains(surface) {
                        chosen[pos] = surface.clone();
                    }
                    chosen.retain(|c| {
                        c == surface || c.contains(' ') || !words.contains(&c.as_str())
                    });
                    continue;
                }
                let redundant = chosen.iter().any(|c| {
                    c.split(' ').any(|w| w == surface)
                        || words.iter().all(|w| c.split(' ').any(|cw| cw == *w))
                });
                if !redundant {
                    chosen.push(surface.clone());
                }
                if chosen.len() >= keep {
                    break;
                }
            }
            chosen
        })
        .collect()
}

/// A label a person can read: the three most distinctive terms.
fn label_from(terms: &[String]) -> String {
    let mut label = terms.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    if let Some(first) = label.chars().next() {
        label = first.to_uppercase().chain(label.chars().skip(1)).collect();
    }
    if label.is_empty() {
        label = "(no distinctive words)".into();
    }
    label
}

/// The answers nearest the theme's centre, skipping any that repeats one already chosen (the
/// same words, or nearly the same place in the reduced space).
fn quotes(
    texts: &[&str],
    e: &Array2<f32>,
    members: &[usize],
    assignments: &[Assignment],
    n: usize,
) -> Vec<usize> {
    let mut by_distance: Vec<(f32, usize)> = members
        .iter()
        .map(|&r| (assignments[r].distance.unwrap_or(f32::MAX), r))
        .collect();
    by_distance.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<usize> = Vec::new();
    let mut seen_texts: HashSet<String> = HashSet::new();
    for (_, r) in by_distance {
        if chosen.len() >= n {
            break;
        }
        let norm: String = texts[r]
            .chars()
            .filter(|c| c.is_alphanumeric() || c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if !seen_texts.insert(norm) {
            continue;
        }
        let near_duplicate = chosen.iter().any(|&c| e.row(c).dot(&e.row(r)) > 0.95);
        if near_duplicate {
            continue;
        }
        chosen.push(r);
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus() -> Vec<String> {
        let mut t = Vec::new();
        for i in 0..30 {
            t.push(format!(
                "my social worker keeps changing, that is number {i}"
            ));
            t.push(format!(
                "I want to see my brother and sister more often {i}"
            ));
            t.push(format!(
                "foster carers should get more money and support {i}"
            ));
        }
        t.push("idk".into());
        t.push(String::new());
        t.push("😀😀".into());
        t
    }

    fn run(texts: &[String], k: K) -> ThemeSet {
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let opts = Options {
            k,
            ..Options::default()
        };
        themes(&refs, &opts, &mut |_| {}).expect("themes")
    }

    #[test]
    fn clear_themes_are_found_and_labelled_in_real_words() {
        let t = corpus();
        let set = run(&t, K::Fixed(3));
        assert_eq!(set.k, 3);
        assert_eq!(set.unthemed, 3);
        let labels: Vec<&str> = set.themes.iter().map(|t| t.label.as_str()).collect();
        assert!(
            labels
                .iter()
                .any(|l| l.to_lowercase().contains("social worker")),
            "{labels:?}"
        );
        assert!(
            labels
                .iter()
                .any(|l| l.contains("brother") || l.contains("sister")),
            "{labels:?}"
        );
        assert!(
            labels
                .iter()
                .any(|l| l.contains("carers") || l.contains("money")),
            "{labels:?}"
        );
        for th in &set.themes {
            assert_eq!(th.size, 30);
            assert!(!th.quotes.is_empty());
        }
        assert_eq!(set.assignments[90].theme, None);
        assert_eq!(set.assignments.len(), t.len());
    }

    #[test]
    fn k_is_chosen_automatically() {
        let t = corpus();
        let set = run(&t, K::Auto { min: 2, max: 8 });
        assert_eq!(set.k, 3, "{}", set.k_choice);
        assert!(set.k_choice.contains("silhouette"));
    }

    #[test]
    fn new_answers_are_placed_in_existing_themes() {
        let t = corpus();
        let set = run(&t, K::Fixed(3));
        let placed = set.model.assign(&["my social worker changed again", "zzz"]);
        let social = set.assignments[0].theme;
        assert_eq!(placed[0].theme, social);
        assert_eq!(placed[1].theme, None);
    }

    #[test]
    fn the_same_input_gives_the_same_output() {
        let t = corpus();
        let a = run(&t, K::Fixed(3));
        let b = run(&t, K::Fixed(3));
        assert_eq!(a.themes, b.themes);
        assert_eq!(a.assignments, b.assignments);
    }

    #[test]
    fn degenerate_inputs_do_not_fail() {
        for texts in [
            vec![],
            vec!["one answer about social workers".to_string()],
            vec!["same words here".to_string(); 50],
            vec!["".to_string(), "idk".to_string()],
        ] {
            let set = run(&texts, K::Fixed(10));
            assert_eq!(set.assignments.len(), texts.len());
            assert!(set.k <= 1);
            let set = run(&texts, K::Auto { min: 2, max: 10 });
            assert_eq!(set.assignments.len(), texts.len());
        }
        let refs = ["a b c"];
        assert_eq!(
            themes(
                &refs,
                &Options {
                    k: K::Fixed(0),
                    ..Options::default()
                },
                &mut |_| {}
            )
            .err(),
            Some(AnalysisError::ZeroK)
        );
    }
}
