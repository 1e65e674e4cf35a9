//! Themes from free text. Pure: takes texts, returns themes; knows nothing of HTTP or SQL.
//!
//! The pipeline: words ([`text`]) → vocabulary and TF-IDF ([`features`]) → a reduced space by
//! truncated SVD, rows scaled to unit length ([`lsa`]) → with [`Method::Meaning`], each answer's
//! sentence vector from the bundled encoder beside its words ([`space`]) → k-means on the sphere
//! ([`cluster`]) → labels from each theme's most distinctive terms, and representative answers
//! ([`labels`]). The same input, options and seed give the same output.
pub mod choose_k;
pub mod cluster;
pub mod features;
pub mod labels;
pub mod least_squares;
pub mod lsa;
mod meaning;
pub mod space;
pub mod text;

use std::collections::{HashMap, HashSet};

use ndarray::{Array2, Axis};
use serde::Serialize;

pub use features::{Csr, Vocabulary};
use meaning::{encode, model_name, model_weights};
use space::Space;

/// How many themes to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum K {
    Fixed(usize),
    /// Chosen within a range (see [`choose_k`]).
    Auto {
        min: usize,
        max: usize,
    },
}

/// What answers are compared by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Sentence vectors from the bundled encoder beside the words' LSA space: "nobody listens
    /// to me" and "they never ask what I think" can meet though they share no word.
    Meaning,
    /// Words alone (stems, TF-IDF, LSA): no model, the fallback.
    Words,
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::Meaning => "meaning",
            Method::Words => "words",
        }
    }

    pub fn parse(s: &str) -> Option<Method> {
        match s {
            "meaning" => Some(Method::Meaning),
            "words" => Some(Method::Words),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    pub k: K,
    pub method: Method,
    pub seed: u64,
    /// Dimensions of the reduced (LSA) space.
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
    /// With [`Method::Meaning`], the share of each answer's vector given to meaning (the rest
    /// to words).
    pub meaning_weight: f32,
    /// With [`Method::Meaning`], the most distinct answers encoded; past it a seeded sample of
    /// them is encoded, the themes are fitted on it, and the rest are placed by quick vectors
    /// (see `space::QuickPart`) beside their words.
    pub encode_limit: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            k: K::Auto { min: 2, max: 30 },
            method: Method::Meaning,
            seed: 42,
            dims: 100,
            min_df: 2,
            max_df: 0.5,
            bigrams: true,
            runs: 5,
            quotes: 3,
            terms: 8,
            meaning_weight: 0.8,
            encode_limit: 100_000,
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
    #[error("the meaning weight must be between 0 and 1, not {0}")]
    Weight(f32),
    #[error("the sentence encoder failed: {0}")]
    Encoder(String),
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
    /// Distinct answers encoded so far, of the total to encode.
    Encoding {
        done: usize,
        total: usize,
    },
    /// Past the encode limit: placing the other distinct answers by quick vectors.
    Placing {
        total: usize,
    },
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
    /// `None` for an answer with nothing to compare (no letter or digit; with
    /// [`Method::Words`], no word known to the vocabulary).
    pub theme: Option<usize>,
    /// Cosine distance to the theme's centre, 0 (at the centre) to 2.
    pub distance: Option<f32>,
}

/// How a run was made: recorded with it, shown in the workspace and in every export.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provenance {
    /// The method used (not only asked for: a model that cannot load falls back to words).
    pub method: Method,
    /// The sentence encoder's name, with [`Method::Meaning`].
    pub model: Option<String>,
    /// `sha256:` and the digest of the encoder's weights, with [`Method::Meaning`].
    pub weights: Option<String>,
    /// A sentence for people: what was compared, and anything that did not go as asked.
    pub note: String,
}

impl Provenance {
    /// How the run was made, in one paragraph for the workspace and every export's method
    /// note: software, what was compared, the model and its checksum, and the clustering.
    pub fn describe(&self, opts: &Options) -> String {
        let model = match (&self.model, &self.weights) {
            (Some(m), Some(w)) => format!("; sentence encoder {m}, weights {w}"),
            _ => String::new(),
        };
        format!(
            "Heard {}, method \"{}\": {}{model}; words: stems (Snowball English), TF-IDF{}, LSA to {} dimensions; k-means (k-means++ starts, best of {} runs)",
            env!("CARGO_PKG_VERSION"),
            self.method.name(),
            self.note,
            if opts.bigrams { " with bigrams" } else { "" },
            opts.dims,
            opts.runs
        )
    }
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
    pub provenance: Provenance,
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
    /// The meaning weight, when the run used the encoder.
    pub meaning_weight: Option<f32>,
}

impl Model {
    /// The nearest theme of each text (none for texts with nothing to compare).
    pub fn assign(&self, texts: &[&str]) -> Result<Vec<Assignment>, AnalysisError> {
        let x = features::transform(texts, &self.vocabulary, self.bigrams);
        let words = lsa::transform(&x, &self.components);
        let meaning = match self.meaning_weight {
            Some(weight) => Some(encode(texts, weight, usize::MAX, 0, &mut |_| {})?.0),
            None => None,
        };
        let space = Space { words, meaning };
        let rows: Vec<usize> = (0..texts.len()).filter(|&i| space.has_content(i)).collect();
        let mut out = vec![
            Assignment {
                theme: None,
                distance: None
            };
            texts.len()
        ];
        if self.centroids.nrows() == 0 {
            return Ok(out);
        }
        let (best, dist) = assign_blocks(&space, &rows, &self.centroids);
        for ((&r, b), d) in rows.iter().zip(best).zip(dist) {
            out[r] = Assignment {
                theme: Some(b),
                distance: Some(d),
            };
        }
        Ok(out)
    }
}

/// Rows assigned a block at a time, so the combined space is never built whole.
fn assign_blocks(space: &Space, rows: &[usize], centroids: &Array2<f32>) -> (Vec<usize>, Vec<f32>) {
    const BLOCK: usize = 16_384;
    let mut best = Vec::with_capacity(rows.len());
    let mut dist = Vec::with_capacity(rows.len());
    for block in rows.chunks(BLOCK) {
        let e = space.block(block);
        let all: Vec<usize> = (0..block.len()).collect();
        let (b, d) = cluster::assign(&e, &all, centroids);
        best.extend(b);
        dist.extend(d);
    }
    (best, dist)
}

/// Number of different rows of `e` (capped: k cannot usefully exceed it). Rows, not texts:
/// texts that differ only in what neither the words nor the encoder see have the same row.
fn distinct_rows(e: &Array2<f32>) -> usize {
    let mut seen: HashSet<Vec<u32>> = HashSet::new();
    for row in e.rows() {
        seen.insert(row.iter().map(|v| v.to_bits()).collect());
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
    if !(0.0..=1.0).contains(&opts.meaning_weight) {
        return Err(AnalysisError::Weight(opts.meaning_weight));
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
    let words = lsa::transform(&x, &components);

    let (meaning, provenance) = match opts.method {
        Method::Words => (None, words_only(String::new())),
        Method::Meaning => match encode(
            texts,
            opts.meaning_weight,
            opts.encode_limit.max(1),
            opts.seed,
            progress,
        ) {
            Ok((part, note)) => (
                Some(part),
                Provenance {
                    method: Method::Meaning,
                    model: Some(model_name()),
                    weights: Some(model_weights()),
                    note,
                },
            ),
            Err(e) => (
                None,
                words_only(format!(" (meaning was asked for, but {e})")),
            ),
        },
    };
    let space = Space { words, meaning };
    let rows: Vec<usize> = (0..total).filter(|&i| space.has_content(i)).collect();
    // Themes are fitted on the answers that have every part of the space: with a sample
    // encoded, the encoded ones.
    let fit_rows: Vec<usize> = match &space.meaning {
        Some(_) => rows.iter().copied().filter(|&r| space.encoded(r)).collect(),
        None => rows.clone(),
    };
    // The fitting rows, sampled if there are very many, as one matrix.
    let fit_sample = cluster::sample_rows(&fit_rows, FIT_ROWS, opts.seed ^ 0xf17);
    let e_fit = space.block(&fit_sample);
    let distinct = distinct_rows(&e_fit);
    let local: Vec<usize> = (0..fit_sample.len()).collect();

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
        K::Auto { min, max } => choose_k::choose_k(
            &e_fit, &local, distinct, min, max, kmeans, opts.seed, progress,
        ),
    };

    progress(Progress::Clustering);
    let centroids = match k {
        0 => Array2::zeros((0, space.dims())),
        1 => cluster::recompute(
            &e_fit,
            &local,
            &vec![0; local.len()],
            &Array2::zeros((1, space.dims())),
        ),
        k => cluster::fit(&e_fit, &local, k, kmeans, opts.seed).ok_or_else(|| {
            AnalysisError::Clustering(format!("k-means with k = {k} did not fit"))
        })?,
    };
    drop(e_fit);
    let (best, dist) = if k == 0 {
        (Vec::new(), Vec::new())
    } else {
        assign_blocks(&space, &rows, &centroids)
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
    let labels = labels::label_terms(texts, &x, &vocab, &members, &order, opts.terms);
    let themes: Vec<Theme> = order
        .iter()
        .enumerate()
        .map(|(id, &c)| {
            let terms = labels[id].clone();
            let nearest_first = by_distance(&members[c], &assignments);
            Theme {
                id,
                label: labels::label_from(&terms, texts, &nearest_first),
                terms,
                size: members[c].len(),
                quotes: theme_quotes(texts, &space, &nearest_first, opts.quotes),
            }
        })
        .collect();
    let centroids = centroids.select(Axis(0), &order);
    let unthemed = texts.len() - rows.len();
    let meaning_weight = space.meaning.as_ref().map(|m| m.weight);
    Ok(ThemeSet {
        k: themes.len(),
        k_choice,
        themes,
        assignments,
        unthemed,
        provenance,
        model: Model {
            vocabulary: vocab,
            components,
            centroids,
            bigrams: opts.bigrams,
            meaning_weight,
        },
    })
}

/// Most rows the k-means fit and the choice of k see; the rest are assigned afterwards.
const FIT_ROWS: usize = 50_000;

fn words_only(why: String) -> Provenance {
    Provenance {
        method: Method::Words,
        model: None,
        weights: None,
        note: format!("compared by words (stems, TF-IDF, LSA){why}"),
    }
}

/// A theme's answers, nearest its centre first (ties by row, so the order is stable).
fn by_distance(members: &[usize], assignments: &[Assignment]) -> Vec<usize> {
    let mut by_distance: Vec<(f32, usize)> = members
        .iter()
        .map(|&r| (assignments[r].distance.unwrap_or(f32::MAX), r))
        .collect();
    by_distance.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    by_distance.into_iter().map(|(_, r)| r).collect()
}

/// The theme's answers nearest its centre (`nearest_first`), near-copies skipped.
fn theme_quotes(texts: &[&str], space: &Space, nearest_first: &[usize], n: usize) -> Vec<usize> {
    // Enough candidates for `n` quotes after skipping copies.
    let candidates: Vec<usize> = nearest_first.iter().take(n * 20 + 20).copied().collect();
    let e = space.block(&candidates);
    labels::quotes(texts, &e, &candidates, n)
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
        run_with(texts, k, Method::Meaning)
    }

    fn run_with(texts: &[String], k: K, method: Method) -> ThemeSet {
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let opts = Options {
            k,
            method,
            ..Options::default()
        };
        themes(&refs, &opts, &mut |_| {}).expect("themes")
    }

    /// Two themes in words that barely repeat.
    const LISTEN: [&str; 12] = [
        "nobody listens to me",
        "they never ask what I think",
        "no one hears what I say",
        "adults ignore my opinion",
        "I am never asked my views",
        "my voice is not heard",
        "grown ups do not care about my thoughts",
        "staff brush off anything I tell them",
        "it feels like talking to a wall",
        "my ideas get dismissed",
        "people talk over me at meetings",
        "I wish someone paid attention to what I want",
    ];
    const FOOD: [&str; 12] = [
        "the food at the home is bad",
        "I want nicer meals",
        "dinner is always cold",
        "we never get enough to eat",
        "the meals are horrible",
        "I am hungry after tea",
        "breakfast is just toast",
        "more fruit and vegetables please",
        "the cooking is awful",
        "snacks are locked away",
        "portions are too small",
        "I would like pizza sometimes",
    ];

    /// A run by meaning with k fixed and at most `limit` distinct answers encoded, and how many
    /// it said it was placing by quick vectors.
    fn run_encoding(texts: &[String], k: usize, limit: usize) -> (ThemeSet, Option<usize>) {
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let opts = Options {
            k: K::Fixed(k),
            encode_limit: limit,
            ..Options::default()
        };
        let mut placing = None;
        let set = themes(&refs, &opts, &mut |p| {
            if let Progress::Placing { total } = p {
                placing = Some(total);
            }
        })
        .expect("themes");
        (set, placing)
    }

    #[test]
    fn clear_themes_are_found_and_labelled_in_real_words() {
        let t = corpus();
        let words = run_with(&t, K::Fixed(3), Method::Words);
        // "idk" has no word the vocabulary knows, "" and "😀😀" nothing at all.
        assert_eq!(words.unthemed, 3);
        assert_eq!(words.provenance.method, Method::Words);
        let set = run(&t, K::Fixed(3));
        assert_eq!(set.k, 3);
        // "idk" means something ("I don't know"), so by meaning it has a theme.
        assert_eq!(set.unthemed, 2);
        assert_eq!(set.provenance.method, Method::Meaning);
        assert_eq!(
            set.provenance.weights.as_deref(),
            Some(format!("sha256:{}", encoder::WEIGHTS_SHA256).as_str())
        );
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
            assert!((30..=31).contains(&th.size), "{}", th.size);
            assert!(!th.quotes.is_empty());
        }
        assert_eq!(set.assignments[91].theme, None);
        assert_eq!(set.assignments.len(), t.len());
    }

    #[test]
    fn k_is_chosen_automatically() {
        let t = corpus();
        let set = run_with(&t, K::Auto { min: 2, max: 8 }, Method::Words);
        assert_eq!(set.k, 3, "{}", set.k_choice);
        assert!(set.k_choice.contains("silhouette"));
        // By meaning, the lone "idk" is an answer too; without it the three themes are clear.
        let set = run(&t[..90], K::Auto { min: 2, max: 8 });
        assert_eq!(set.k, 3, "{}", set.k_choice);
    }

    #[test]
    fn new_answers_are_placed_in_existing_themes() {
        let t = corpus();
        let set = run(&t, K::Fixed(3));
        let placed = set
            .model
            .assign(&[
                "my social worker changed again",
                "…",
                "new foster carers need money",
            ])
            .expect("placed");
        assert_eq!(placed[0].theme, set.assignments[0].theme);
        assert_eq!(placed[1].theme, None);
        assert_eq!(placed[2].theme, set.assignments[2].theme);
    }

    #[test]
    fn answers_that_mean_the_same_meet_without_sharing_words() {
        let mut t = Vec::new();
        let (listen, food) = (&LISTEN[..6], &FOOD[..6]);
        for i in 0..4 {
            for (a, b) in listen.iter().zip(food) {
                t.push(format!("{a}{}", ".".repeat(i)));
                t.push(format!("{b}{}", ".".repeat(i)));
            }
        }
        let set = run(&t, K::Fixed(2));
        let theme_of = |s: &str| set.assignments[t.iter().position(|x| x == s).unwrap()].theme;
        for a in &listen[1..] {
            assert_eq!(theme_of(a), theme_of(listen[0]), "{a}");
        }
        for b in &food[1..] {
            assert_eq!(theme_of(b), theme_of(food[0]), "{b}");
        }
        assert_ne!(theme_of(listen[0]), theme_of(food[0]));
    }

    #[test]
    fn a_sample_is_encoded_past_the_limit_and_the_rest_placed_by_quick_vectors() {
        let t = corpus();
        let (set, placing) = run_encoding(&t, 3, 20);
        assert_eq!(placing, Some(71));
        assert!(
            set.provenance.note.contains("20 of 91"),
            "{}",
            set.provenance.note
        );
        let full = run(&t, K::Fixed(3));
        // Clear themes are found the same way either way.
        let agree = (0..90)
            .filter(|&i| {
                (0..90).all(|j| {
                    (set.assignments[i].theme == set.assignments[j].theme)
                        == (full.assignments[i].theme == full.assignments[j].theme)
                })
            })
            .count();
        assert_eq!(agree, 90);
    }

    #[test]
    fn answers_past_the_limit_are_placed_by_meaning_not_only_words() {
        // Two themes in words that barely repeat: placed by their words alone, most answers
        // left out of the encoded sample would share no word with it.
        let t: Vec<String> = LISTEN.iter().chain(&FOOD).map(|s| s.to_string()).collect();
        let (set, _) = run_encoding(&t, 2, 12);
        assert!(
            set.provenance.note.contains("12 of 24"),
            "{}",
            set.provenance.note
        );
        assert!(
            set.provenance.note.contains("quick vectors"),
            "{}",
            set.provenance.note
        );
        assert_eq!(set.unthemed, 0);
        let theme = |i: usize| set.assignments[i].theme;
        let majority = |range: std::ops::Range<usize>| {
            let first = range.clone().filter(|&i| theme(i) == Some(0)).count();
            if first * 2 >= range.len() {
                Some(0)
            } else {
                Some(1)
            }
        };
        let (l, f) = (majority(0..12), majority(12..24));
        assert_ne!(l, f);
        let wrong = (0..12).filter(|&i| theme(i) != l).count()
            + (12..24).filter(|&i| theme(i) != f).count();
        // Encoding all 24 puts one with the other theme; placed by words, some had none.
        assert!(wrong <= 3, "{wrong} of 24 placed with the other theme");
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
            assert!(set.k <= 2, "{}", set.k);
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
