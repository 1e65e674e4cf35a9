//! What a theme is called and which answers stand for it: distinctive terms merged into
//! phrases a person would write (or its answers' commonest words), and representative quotes.
use std::collections::HashSet;

use ndarray::Array2;

use crate::features::{Csr, Vocabulary};

/// Members looked at when counting how often a phrase occurs in a theme: enough to tell a
/// phrase people write from a chance neighbour, cheap on a theme of 100,000 answers.
const PHRASE_SAMPLE: usize = 2_000;

struct Term {
    words: Vec<String>,
    /// Answers of the theme (in the sample) that contain it.
    df: usize,
}

impl Term {
    fn text(&self) -> String {
        self.words.join(" ")
    }

    fn shares_word(&self, other: &Term) -> bool {
        self.words.iter().any(|w| other.words.contains(w))
    }
}

/// Each theme's most distinctive terms: the ones whose mean weight in the theme most exceeds
/// their mean weight overall, with overlapping terms merged into the longest phrase that the
/// theme's answers really contain ("give care", "care leavers", "leavers money" become "care
/// leavers" and, if people wrote it, "give care leavers").
pub fn label_terms(
    texts: &[&str],
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
            let members = &members[c];
            let sample = &members[..members.len().min(PHRASE_SAMPLE)];
            let mut mean = vec![0.0f32; v];
            let mut df = vec![0usize; v];
            for &r in members {
                let (idx, val) = x.row(r);
                for (&j, &w) in idx.iter().zip(val) {
                    mean[j as usize] += w;
                }
            }
            for &r in sample {
                for &j in x.row(r).0 {
                    df[j as usize] += 1;
                }
            }
            let size = members.len().max(1) as f32;
            let mut scored: Vec<(usize, f32)> = mean
                .iter()
                .enumerate()
                .map(|(j, &m)| (j, m / size - overall[j]))
                .filter(|&(_, s)| s > 0.0)
                .collect();
            scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let lowered: Vec<String> = sample.iter().map(|&r| folded(texts[r])).collect();
            choose(
                scored.into_iter().take(keep * 4).map(|(j, _)| Term {
                    words: vocab.surface[j].split(' ').map(str::to_string).collect(),
                    df: df[j],
                }),
                &lowered,
                keep,
            )
        })
        .collect()
}

/// Picks terms in order of distinctiveness; a term that overlaps one already chosen either
/// joins it in a longer phrase the answers contain, replaces it when it is the more common
/// phrase, or is dropped, so no word is said twice.
fn choose(candidates: impl Iterator<Item = Term>, texts: &[String], keep: usize) -> Vec<String> {
    let mut chosen: Vec<Term> = Vec::new();
    for term in candidates {
        if chosen.len() >= keep {
            break;
        }
        let Some(pos) = chosen.iter().position(|c| c.shares_word(&term)) else {
            chosen.push(term);
            continue;
        };
        let covered: HashSet<&String> = chosen.iter().flat_map(|c| &c.words).collect();
        if term.words.iter().all(|w| covered.contains(w)) {
            continue;
        }
        let old = &chosen[pos];
        if let Some(phrase) = joined(old, &term, texts) {
            chosen[pos] = phrase;
        } else if term.words.len() > old.words.len()
            && old.words.iter().all(|w| term.words.contains(w))
        {
            // "virtual card" says more than "virtual".
            chosen[pos] = term;
        } else if term.words.len() == old.words.len() && term.df > old.df {
            chosen[pos] = term;
        } else {
            continue;
        }
        // The new or longer phrase may now say what another chosen term said.
        let (keep_pos, kept) = (pos, chosen[pos].words.clone());
        let mut i = 0;
        chosen.retain(|c| {
            let stays = i == keep_pos || !c.words.iter().all(|w| kept.contains(w));
            i += 1;
            stays
        });
    }
    chosen.iter().map(Term::text).collect()
}

/// "give care" and "care leavers" as "give care leavers", when at least half of the answers
/// that use the commoner of the two use the whole phrase.
fn joined(a: &Term, b: &Term, texts: &[String]) -> Option<Term> {
    let phrase = chain(&a.words, &b.words).or_else(|| chain(&b.words, &a.words))?;
    let needle = format!(" {} ", phrase.join(" ").to_lowercase());
    let df = texts.iter().filter(|t| t.contains(&needle)).count();
    (df > 0 && df * 2 >= a.df.max(b.df)).then_some(Term { words: phrase, df })
}

/// `left` followed by `right` where the end of one is the start of the other, overlapping by
/// fewer words than either has (so neither simply contains the other).
fn chain(left: &[String], right: &[String]) -> Option<Vec<String>> {
    (1..left.len().min(right.len()))
        .rev()
        .find(|&n| left[left.len() - n..] == right[..n])
        .map(|n| left.iter().chain(&right[n..]).cloned().collect())
}

/// Lower case, words separated by single spaces, with a space at each end so a phrase can be
/// found as whole words.
fn folded(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    format!(" {} ", words.join(" "))
}

/// A label a person can read: the three most distinctive terms; for a theme with none, the
/// words its answers have most in common, nearest its centre first (`nearest_first`: its
/// answers by distance from the centre).
pub fn label_from(terms: &[String], texts: &[&str], nearest_first: &[usize]) -> String {
    let mut words = if terms.is_empty() {
        common_words(texts, nearest_first, 3)
    } else {
        terms.iter().take(3).cloned().collect()
    };
    if words.is_empty() {
        words = common_answers(texts, nearest_first, 3);
    }
    let mut label = words.join(", ");
    if let Some(first) = label.chars().next() {
        label = first.to_uppercase().chain(label.chars().skip(1)).collect();
    }
    if label.is_empty() {
        label = "(no words to name it)".into();
    }
    label
}

/// The content words used by most of the answers `nearest_first` (ties: the word met first,
/// so the answers nearest the centre name the theme), each as it is most often written.
///
/// A theme found by meaning can have no distinctive term when every word its answers use is
/// used only once in the whole question, so the vocabulary keeps none ("more contact with my
/// siblings", "i want to see my brother and sister more often"): without this it had no name.
fn common_words(texts: &[&str], nearest_first: &[usize], keep: usize) -> Vec<String> {
    struct Seen {
        answers: usize,
        first: usize,
        written: Vec<(String, usize)>,
    }
    let tokenizer = crate::text::Tokenizer::default();
    let mut by_stem: std::collections::HashMap<String, Seen> = Default::default();
    let mut met = 0usize;
    for &r in nearest_first.iter().take(PHRASE_SAMPLE) {
        let mut in_answer: HashSet<String> = HashSet::new();
        for w in tokenizer.words(texts[r]) {
            let seen = by_stem.entry(w.stem.clone()).or_insert_with(|| {
                met += 1;
                Seen {
                    answers: 0,
                    first: met,
                    written: Vec::new(),
                }
            });
            if in_answer.insert(w.stem) {
                seen.answers += 1;
            }
            match seen.written.iter_mut().find(|(s, _)| *s == w.surface) {
                Some((_, n)) => *n += 1,
                None => seen.written.push((w.surface, 1)),
            }
        }
    }
    let mut ranked: Vec<Seen> = by_stem.into_values().collect();
    ranked.sort_by(|a, b| b.answers.cmp(&a.answers).then(a.first.cmp(&b.first)));
    ranked
        .into_iter()
        .take(keep)
        .filter_map(|s| {
            // The commonest spelling; the first met among equals (`written` is in that order).
            let mut best: Option<&(String, usize)> = None;
            for w in &s.written {
                if best.is_none_or(|b| w.1 > b.1) {
                    best = Some(w);
                }
            }
            best.map(|(w, _)| w.clone())
        })
        .collect()
}

/// The answers given most often (ties: nearest the centre first), in quotation marks, for a
/// theme of answers made only of common words ("I don't know", "not sure", "nothing"). Only
/// answers whose every word is a stop word are quoted, so a label never carries a number or a
/// name that masking missed.
fn common_answers(texts: &[&str], nearest_first: &[usize], keep: usize) -> Vec<String> {
    use unicode_segmentation::UnicodeSegmentation;
    let mut counted: Vec<(String, usize)> = Vec::new();
    for &r in nearest_first.iter().take(PHRASE_SAMPLE) {
        let words: Vec<String> = texts[r].unicode_words().map(str::to_lowercase).collect();
        let only_common = !words.is_empty()
            && words
                .iter()
                .all(|w| crate::text::is_stop_word(&w.replace('\u{2019}', "'")));
        if !only_common {
            continue;
        }
        let answer = words.join(" ");
        match counted.iter_mut().find(|(a, _)| *a == answer) {
            Some((_, n)) => *n += 1,
            None => counted.push((answer, 1)),
        }
    }
    // Stable: equal counts stay in the order met, nearest the centre first.
    counted.sort_by_key(|c| std::cmp::Reverse(c.1));
    counted
        .into_iter()
        .take(keep)
        .map(|(a, _)| format!("\u{201c}{a}\u{201d}"))
        .collect()
}

/// The answers nearest the theme's centre, skipping any that repeats one already chosen (the
/// same words, or nearly the same place in the space `e` of the candidates, row `i` for the
/// `i`-th of `by_distance`).
pub fn quotes(texts: &[&str], e: &Array2<f32>, by_distance: &[usize], n: usize) -> Vec<usize> {
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    let mut seen_texts: HashSet<String> = HashSet::new();
    for (pos, &r) in by_distance.iter().enumerate() {
        if chosen.len() >= n {
            break;
        }
        if !seen_texts.insert(folded(texts[r])) {
            continue;
        }
        let near_duplicate = chosen
            .iter()
            .any(|&(p, _)| e.row(p).dot(&e.row(pos)) > 0.95);
        if near_duplicate {
            continue;
        }
        chosen.push((pos, r));
    }
    chosen.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(s: &str, df: usize) -> Term {
        Term {
            words: s.split(' ').map(str::to_string).collect(),
            df,
        }
    }

    fn texts(v: &[&str]) -> Vec<String> {
        v.iter().map(|t| folded(t)).collect()
    }

    #[test]
    fn overlapping_fragments_become_one_phrase() {
        let answers = texts(&[
            "care leavers need money for university",
            "more money for care leavers",
            "care leavers and university",
            "we should give care to children",
            "care leavers struggle",
        ]);
        let got = choose(
            [
                term("give care", 1),
                term("care leavers", 4),
                term("leavers money", 1),
                term("money", 2),
                term("university", 2),
            ]
            .into_iter(),
            &answers,
            3,
        );
        assert_eq!(got, vec!["care leavers", "money", "university"]);
    }

    #[test]
    fn a_phrase_people_write_is_kept_whole() {
        let answers = texts(&[
            "my social worker keeps changing",
            "new social worker every month",
            "social worker visits",
        ]);
        let got = choose(
            [
                term("social", 3),
                term("social worker", 3),
                term("worker keeps", 1),
                term("visits", 1),
            ]
            .into_iter(),
            &answers,
            3,
        );
        assert_eq!(got[0], "social worker");
        assert!(!got.iter().any(|t| t == "social"));
        let answers = texts(&["the virtual card order", "virtual card order please"]);
        let got = choose(
            [term("virtual card", 2), term("card order", 2)].into_iter(),
            &answers,
            3,
        );
        assert_eq!(got, vec!["virtual card order"]);
    }

    #[test]
    fn a_theme_without_distinctive_terms_is_named_by_its_commonest_words() {
        let answers = [
            "more contact with my siblings",
            "i want to see my brother and sister more often",
            "seeing my sister every week",
        ];
        // Nearest the centre first: the third, then the second, then the first.
        let label = label_from(&[], &answers, &[2, 1, 0]);
        assert_eq!(label, "Seeing, sister, week");
        let label = label_from(&[], &answers[..2], &[0, 1]);
        assert_eq!(label, "Contact, siblings, see");
        let terms = vec!["care leavers".to_string(), "money".to_string()];
        assert_eq!(label_from(&terms, &answers, &[0]), "Care leavers, money");
        // Answers of common words alone are quoted, the commonest first.
        let dunno = ["not sure", "I don't know", "Not sure.", "07700 900123"];
        assert_eq!(
            label_from(&[], &dunno, &[3, 0, 1, 2]),
            "\u{201c}not sure\u{201d}, \u{201c}i don't know\u{201d}"
        );
        assert_eq!(
            label_from(&[], &["...", "12"], &[0, 1]),
            "(no words to name it)"
        );
    }

    #[test]
    fn chains_are_found_either_way() {
        let w = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(
            chain(&w("give care"), &w("care leavers")),
            Some(w("give care leavers"))
        );
        assert_eq!(chain(&w("care leavers"), &w("give care")), None);
        assert_eq!(chain(&w("care"), &w("care leavers")), None);
    }
}
