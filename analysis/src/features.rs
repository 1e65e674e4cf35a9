//! From words to numbers: the vocabulary (unigram stems and frequent bigrams, rare and
//! near-universal terms dropped) and sublinear, L2-normalised TF-IDF rows in a sparse matrix.
use std::collections::HashMap;

use crate::text::{Tokenizer, Word, bigram};

/// A sparse matrix in compressed rows: row `i` is `indices[indptr[i]..indptr[i+1]]`.
#[derive(Debug, Clone, Default)]
pub struct Csr {
    pub rows: usize,
    pub cols: usize,
    pub indptr: Vec<usize>,
    pub indices: Vec<u32>,
    pub data: Vec<f32>,
}

impl Csr {
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.indptr[i], self.indptr[i + 1]);
        (&self.indices[a..b], &self.data[a..b])
    }

    pub fn nnz(&self) -> usize {
        self.data.len()
    }
}

#[derive(Debug, Clone)]
pub struct Vocabulary {
    /// Stems, or two stems joined by a space.
    pub terms: Vec<String>,
    /// The most common way each term was written, for labels.
    pub surface: Vec<String>,
    pub idf: Vec<f32>,
    index: HashMap<String, u32>,
}

impl Vocabulary {
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn id(&self, term: &str) -> Option<u32> {
        self.index.get(term).copied()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct VocabOptions {
    /// A term must appear in at least this many answers.
    pub min_df: usize,
    /// A term in more than this share of answers says nothing about any theme.
    pub max_df: f32,
    pub bigrams: bool,
}

/// The terms of one answer (ids into a corpus-wide interner), with repeats for term frequency.
fn answer_terms(words: &[Word], bigrams: bool, intern: &mut Interner) -> Vec<u32> {
    let mut ids = Vec::with_capacity(words.len() * 2);
    for (i, w) in words.iter().enumerate() {
        ids.push(intern.id(&w.stem, &w.surface));
        if bigrams
            && let Some(next) = words.get(i + 1)
            && let Some((term, surface)) = bigram(w, next)
        {
            ids.push(intern.id(&term, &surface));
        }
    }
    ids
}

#[derive(Default)]
struct Interner {
    ids: HashMap<String, u32>,
    terms: Vec<String>,
    /// Surface forms seen for each term, with counts.
    surfaces: Vec<HashMap<String, u32>>,
}

impl Interner {
    fn id(&mut self, term: &str, surface: &str) -> u32 {
        let id = match self.ids.get(term) {
            Some(&id) => id,
            None => {
                let id = self.terms.len() as u32;
                self.ids.insert(term.to_string(), id);
                self.terms.push(term.to_string());
                self.surfaces.push(HashMap::new());
                id
            }
        };
        let s = &mut self.surfaces[id as usize];
        if let Some(c) = s.get_mut(surface) {
            *c += 1;
        } else if s.len() < 16 {
            s.insert(surface.to_string(), 1);
        }
        id
    }

    fn best_surface(&self, id: u32) -> String {
        // Most common form; ties go to the shorter, then alphabetical, so output is stable.
        self.surfaces[id as usize]
            .iter()
            .max_by(|a, b| {
                a.1.cmp(b.1)
                    .then(b.0.len().cmp(&a.0.len()))
                    .then(b.0.cmp(a.0))
            })
            .map(|(s, _)| s.clone())
            .unwrap_or_else(|| self.terms[id as usize].clone())
    }
}

/// Splits `n` items into at most `parts` contiguous ranges.
pub(crate) fn chunks(n: usize, parts: usize) -> Vec<std::ops::Range<usize>> {
    let parts = parts.max(1);
    let size = n.div_ceil(parts).max(1);
    (0..n).step_by(size).map(|s| s..(s + size).min(n)).collect()
}

/// Threads to use: the machine's, up to a small fixed number.
pub(crate) fn threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8)
}

/// Builds the vocabulary of `texts` and their TF-IDF rows. `progress` is told how many texts
/// have been read.
pub fn fit_transform(
    texts: &[&str],
    opts: VocabOptions,
    progress: &mut dyn FnMut(usize),
) -> (Vocabulary, Csr) {
    let tokenizer = Tokenizer::default();
    let mut intern = Interner::default();
    let mut docs: Vec<Vec<u32>> = Vec::with_capacity(texts.len());
    // Tokenising (and stemming) is the costly part: done in parallel, a block at a time so the
    // words of only one block are held at once; interning stays sequential and so stable.
    const BLOCK: usize = 20_000;
    for block_start in (0..texts.len()).step_by(BLOCK) {
        let block = &texts[block_start..(block_start + BLOCK).min(texts.len())];
        let words: Vec<Vec<Word>> = std::thread::scope(|s| {
            let handles: Vec<_> = chunks(block.len(), threads())
                .into_iter()
                .map(|r| {
                    let tok = &tokenizer;
                    let part = &block[r];
                    s.spawn(move || part.iter().map(|t| tok.words(t)).collect::<Vec<_>>())
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        });
        for w in &words {
            docs.push(answer_terms(w, opts.bigrams, &mut intern));
        }
        progress(docs.len());
    }

    // Document frequencies.
    let n = docs.len();
    let mut df = vec![0u32; intern.terms.len()];
    let mut seen = vec![u32::MAX; intern.terms.len()];
    for (d, ids) in docs.iter().enumerate() {
        for &t in ids {
            if seen[t as usize] != d as u32 {
                seen[t as usize] = d as u32;
                df[t as usize] += 1;
            }
        }
    }
    let max_df = ((opts.max_df * n as f32).floor() as usize)
        .max(opts.min_df)
        .max(1);
    // Bigrams must be frequent, not merely repeated: a higher floor that grows with the corpus.
    let bigram_min = opts.min_df.max(3).max((n as f64 * 0.0005).ceil() as usize);
    let mut remap = vec![u32::MAX; intern.terms.len()];
    let mut vocab = Vocabulary {
        terms: Vec::new(),
        surface: Vec::new(),
        idf: Vec::new(),
        index: HashMap::new(),
    };
    for (old, term) in intern.terms.iter().enumerate() {
        let f = df[old] as usize;
        let is_bigram = term.contains(' ');
        let floor = if is_bigram { bigram_min } else { opts.min_df };
        if f < floor || f > max_df {
            continue;
        }
        let id = vocab.terms.len() as u32;
        remap[old] = id;
        vocab.terms.push(term.clone());
        vocab.surface.push(intern.best_surface(old as u32));
        vocab
            .idf
            .push(((1.0 + n as f32) / (1.0 + f as f32)).ln() + 1.0);
        vocab.index.insert(term.clone(), id);
    }
    drop(intern);
    let docs: Vec<Vec<u32>> = docs
        .into_iter()
        .map(|ids| {
            ids.into_iter()
                .map(|t| remap[t as usize])
                .filter(|&t| t != u32::MAX)
                .collect()
        })
        .collect();
    let x = weigh(&docs, &vocab);
    (vocab, x)
}

/// TF-IDF rows for answers already turned into vocabulary ids.
fn weigh(docs: &[Vec<u32>], vocab: &Vocabulary) -> Csr {
    let mut x = Csr {
        rows: docs.len(),
        cols: vocab.len(),
        indptr: Vec::with_capacity(docs.len() + 1),
        indices: Vec::new(),
        data: Vec::new(),
    };
    x.indptr.push(0);
    let mut ids: Vec<u32> = Vec::new();
    for d in docs {
        ids.clear();
        ids.extend_from_slice(d);
        ids.sort_unstable();
        let start = x.data.len();
        let mut i = 0;
        while i < ids.len() {
            let mut j = i;
            while j < ids.len() && ids[j] == ids[i] {
                j += 1;
            }
            let tf = (j - i) as f32;
            x.indices.push(ids[i]);
            x.data.push((1.0 + tf.ln()) * vocab.idf[ids[i] as usize]);
            i = j;
        }
        let norm = x.data[start..].iter().map(|v| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            for v in &mut x.data[start..] {
                *v /= norm;
            }
        }
        x.indptr.push(x.data.len());
    }
    x
}

/// TF-IDF rows for new texts, with a vocabulary already built.
pub fn transform(texts: &[&str], vocab: &Vocabulary, bigrams: bool) -> Csr {
    let tokenizer = Tokenizer::default();
    let docs: Vec<Vec<u32>> = texts
        .iter()
        .map(|t| {
            let words = tokenizer.words(t);
            let mut ids = Vec::new();
            for (i, w) in words.iter().enumerate() {
                if let Some(id) = vocab.id(&w.stem) {
                    ids.push(id);
                }
                if bigrams
                    && let Some(next) = words.get(i + 1)
                    && let Some((term, _)) = bigram(w, next)
                    && let Some(id) = vocab.id(&term)
                {
                    ids.push(id);
                }
            }
            ids
        })
        .collect();
    weigh(&docs, vocab)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTS: VocabOptions = VocabOptions {
        min_df: 2,
        max_df: 0.9,
        bigrams: true,
    };

    #[test]
    fn rare_and_universal_terms_are_dropped_and_rows_are_unit_length() {
        let texts = [
            "social worker changed again",
            "my social worker never visits",
            "new social worker every month",
            "foster carers are kind",
            "foster carers listen",
            "unique zebra",
        ];
        let (vocab, x) = fit_transform(&texts, OPTS, &mut |_| {});
        assert!(
            vocab.id("social worker").is_some(),
            "a frequent bigram is kept"
        );
        assert!(vocab.id("zebra").is_none(), "a rare word is dropped");
        assert_eq!(x.rows, 6);
        for i in 0..5 {
            let (_, v) = x.row(i);
            let norm: f32 = v.iter().map(|a| a * a).sum::<f32>().sqrt();
            assert!((norm - 1.0).abs() < 1e-5);
        }
        assert_eq!(x.row(5).0.len(), 0, "an answer of rare words has no terms");
        let carer = vocab.id("carer").map(|i| vocab.surface[i as usize].clone());
        assert_eq!(
            carer.as_deref(),
            Some("carers"),
            "labels use words as written"
        );
    }

    #[test]
    fn transform_uses_the_fitted_vocabulary() {
        let texts = [
            "social worker",
            "social worker",
            "foster carer",
            "foster carer",
        ];
        let (vocab, _) = fit_transform(&texts, OPTS, &mut |_| {});
        let x = transform(&["my social worker", "nothing known"], &vocab, true);
        assert!(!x.row(0).0.is_empty());
        assert!(x.row(1).0.is_empty());
    }

    #[test]
    fn chunks_cover_everything_once() {
        for n in [0, 1, 7, 100] {
            let c = chunks(n, 3);
            assert_eq!(c.iter().map(|r| r.len()).sum::<usize>(), n);
        }
    }
}
