//! A learned second look at the words no finder took: a logistic regression over each word's
//! shape, spelling and neighbours (`data/names/second-look.bin`), for names no list or cue
//! knows ("hangwani is slaying", "Samartzis").
//!
//! The rules know names from lists and cues; a name from nowhere they miss. What the words
//! around it say ("X is slaying", "thanks X", "X and I") is what this model has learnt, from the
//! Broad Twitter Corpus's people (`examples/train_names.rs`). Only words that no list knows as
//! an everyday word, place or people are looked at, as are capitalised everyday words
//! mid-sentence; everything else keeps the rules' answer, so ordinary answers lose no word a
//! list knows.
use std::sync::LazyLock;

use foldhash::HashSet;

use super::lists::{Class, LISTS, Lists, inflected_word};
use super::words::{PLACES, STREETS, not_name};
use super::{Token, tokens};
use crate::personal::{Found, Kind};

/// Hashed feature buckets: a power of two.
pub const BUCKETS: usize = 1 << 16;
/// The score at or above which a word looked at is a name, and (higher) one that is also an
/// everyday word or a name that is one ("Storm", "Dallas"): chosen on the WNUT 2017
/// development set (a tuning set) against the ordinary answers written here, where each found
/// the most names for the fewest ordinary words masked.
const NAME_AT: f32 = 0.5;
const EVERYDAY_NAME_AT: f32 = 0.7;

static WEIGHTS: LazyLock<Vec<f32>> = LazyLock::new(|| {
    let bytes = include_bytes!("../../../data/names/second-look.bin");
    let w: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    // A file of the wrong size (a bad checkout) looks at nothing rather than misreading.
    if w.len() == BUCKETS { w } else { Vec::new() }
});

/// The words of the built-in screening phrases ("upskirting", "grooming"): never a name, so
/// an analyst reads what a disclosure says. Exact words, and the starts of words written
/// with a star ("upskirt*").
static HARM_WORDS: LazyLock<(HashSet<String>, HashSet<String>)> = LazyLock::new(|| {
    let mut exact = HashSet::default();
    let mut starts = HashSet::default();
    for phrase in crate::disclosure::builtin_phrases() {
        for word in phrase.split_whitespace() {
            let word = word.to_lowercase();
            match word.strip_suffix('*') {
                Some(start) if start.chars().count() >= 4 => {
                    starts.insert(start.to_string());
                }
                Some(_) => {}
                None if word.chars().count() >= 4 => {
                    exact.insert(word);
                }
                None => {}
            }
        }
    }
    (exact, starts)
});

const POSSESSIVES: &[&str] = &[
    "my", "your", "his", "her", "our", "their", "its", "ma", "me",
];

fn place_word(l: &str) -> bool {
    PLACES.contains(&l) || STREETS.contains(&l)
}

fn harm_word(l: &str) -> bool {
    let (exact, starts) = &*HARM_WORDS;
    exact.contains(l)
        || l.char_indices()
            .skip(4)
            .map(|(i, _)| &l[..i])
            .chain(std::iter::once(l))
            .any(|start| starts.contains(start))
}

fn shape(w: &str) -> &'static str {
    let mut chars = w.chars().filter(|c| c.is_alphabetic());
    let Some(first) = chars.next() else {
        return "-";
    };
    let rest: Vec<char> = chars.collect();
    let upper_rest = rest.iter().filter(|c| c.is_uppercase()).count();
    match (first.is_uppercase(), upper_rest) {
        (true, n) if n == rest.len() && !rest.is_empty() => "XX",
        (true, 0) => "Xx",
        (true, _) => "XxX",
        (false, 0) => "x",
        (false, _) => "xX",
    }
}

/// Which lists know a lower-case word: "Nn" a name, "Nw" a name that is also a word, "W" an
/// everyday word, "P" a place or people; "U" none.
fn class(l: &str, lists: &Lists) -> String {
    let mut c = String::new();
    match lists.names.get(l) {
        Some(Class::Name) => c.push_str("Nn"),
        Some(Class::Word) => c.push_str("Nw"),
        None => {}
    }
    if lists.words.contains(l) {
        c.push('W');
    }
    if lists.proper.contains(l) {
        c.push('P');
    }
    if c.is_empty() {
        c.push('U');
    }
    c
}

fn fnv1a(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The hashed features of word `i` of `words` in `text`: the word, its shape and ends, which
/// lists know it, whether it starts a sentence, and the same of the words either side.
fn features(text: &str, words: &[Token<'_>], i: usize) -> Vec<u32> {
    let lists = &*LISTS;
    let w = &words[i];
    let l = w.lower.as_str();
    let sh = shape(w.text);
    let c = class(l, lists);
    let initial = w.initial;
    let chars: Vec<char> = l.chars().collect();
    let ends = |n: usize, from_end: bool| -> String {
        if from_end {
            chars[chars.len().saturating_sub(n)..].iter().collect()
        } else {
            chars[..n.min(chars.len())].iter().collect()
        }
    };
    let side = |k: isize| -> (String, &'static str, String) {
        let j = i as isize + k;
        if j < 0 {
            return ("<s>".into(), "<s>", "<s>".into());
        }
        match words.get(j as usize) {
            Some(n) => (n.lower.clone(), shape(n.text), class(&n.lower, lists)),
            None => ("</s>".into(), "</s>", "</s>".into()),
        }
    };
    let (p1, p1s, p1c) = side(-1);
    let (n1, n1s, n1c) = side(1);
    let (p2, _, _) = side(-2);
    let (n2, _, _) = side(2);
    let marked = text[..w.start].ends_with(['@', '#']);
    let apostrophe = w.text.contains(['\'', '’']);
    [
        "b".to_string(),
        format!("w={l}"),
        format!("sh={sh}"),
        format!("c={c}"),
        format!("p3={}", ends(3, false)),
        format!("s3={}", ends(3, true)),
        format!("s2={}", ends(2, true)),
        format!("ini={initial}"),
        format!("sh,c={sh}{c}"),
        format!("sh,c,ini={sh}{c}{initial}"),
        format!("len={}", chars.len().min(8)),
        format!("p1={p1}"),
        format!("n1={n1}"),
        format!("p2={p2}"),
        format!("n2={n2}"),
        format!("p1s={p1s}"),
        format!("n1s={n1s}"),
        format!("p1c={p1c}"),
        format!("n1c={n1c}"),
        format!("p1,sh={p1}{sh}"),
        format!("n1,sh={n1}{sh}"),
        format!("p1c,c={p1c}{c}"),
        format!("n1c,c={n1c}{c}"),
        format!("at={marked}"),
        format!("p1s,sh,n1s={p1s}{sh}{n1s}"),
        format!("apos={apostrophe}"),
    ]
    .iter()
    .map(|f| fnv1a(f) % BUCKETS as u32)
    .collect()
}

/// The model's score of a word from its features: the chance that it is part of a name.
fn score(features: &[u32], weights: &[f32]) -> f32 {
    let z: f32 = features.iter().map(|&f| weights[f as usize]).sum();
    1.0 / (1.0 + (-z.clamp(-30.0, 30.0)).exp())
}

/// Whether `l` (lower case) is an everyday word as the rules judge one
/// ([`super::everyday_word`]), or one with the slips a child makes that their check lacks
/// ("hungree", "peeple": a letter wrong; "everry": one too many).
fn everyday(l: &str, lists: &Lists) -> bool {
    if super::everyday_word(l) {
        return true;
    }
    let chars: Vec<char> = l.chars().collect();
    let mut buf = String::with_capacity(l.len() + 4);
    if chars.len() >= 5 {
        for i in 0..chars.len() {
            for c in 'a'..='z' {
                if c == chars[i] {
                    continue;
                }
                buf.clear();
                buf.extend(&chars[..i]);
                buf.push(c);
                buf.extend(&chars[i + 1..]);
                if lists.words.contains(&buf) {
                    return true;
                }
            }
        }
    }
    if chars.len() >= 6 {
        for i in 0..chars.len() {
            buf.clear();
            buf.extend(&chars[..i]);
            buf.extend(&chars[i + 1..]);
            if lists.words.contains(&buf) {
                return true;
            }
        }
    }
    false
}

/// Whether a word no finder took is worth the model's look, and the score that makes it a
/// name: a word of three letters or more that no list knows as a place, people, screening
/// word or word that is never a name; no contraction, code, hashtag or word drawn out; an
/// everyday word only in capitals mid-sentence ("thanks Battles"), at the higher score.
fn look_at(text: &str, w: &Token<'_>, lists: &Lists) -> Option<f32> {
    let t = w.text;
    // Most words are everyday words in lower case or starting a sentence: answered first,
    // with one look-up.
    if (!w.capital || w.initial) && lists.words.contains(w.lower.as_str()) {
        return None;
    }
    // Learnt from English tweets: a script without capitals (Arabic, Chinese) it cannot read.
    if t.chars().filter(|c| c.is_alphabetic()).count() < 3
        || t.chars()
            .any(|c| c.is_alphabetic() && !c.is_lowercase() && !c.is_uppercase())
        || text[..w.start].ends_with(['@', '#'])
    {
        return None;
    }
    // "didn't", "I'm", "we'll" are no names; "O'Brien" and "N'Golo" may be.
    if let Some((_, after)) = t.split_once(['\'', '’'])
        && !after.starts_with(char::is_uppercase)
    {
        return None;
    }
    let l = w.lower.as_str();
    if not_name(l) || lists.proper.contains(l) || harm_word(l) || place_word(l) {
        return None;
    }
    // "touch my yansh", "his ting": a word no list knows after "my" is a thing, in lower
    // case (a person after it has a cue the rules read: "my friend jayden").
    if !w.capital {
        let before = text[..w.start].trim_end().to_lowercase();
        let last = before
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        if POSSESSIVES.contains(&last) {
            return None;
        }
    }
    // "Thorpe Park", "Hyde United", "Wellington Street": a place's name, as the rules say.
    let after = &text[w.end..];
    if let Some(next) = after.strip_prefix(' ') {
        let next: String = next
            .chars()
            .take_while(|c| c.is_alphabetic())
            .flat_map(char::to_lowercase)
            .collect();
        if place_word(&next) {
            return None;
        }
    }
    // "lmfaooooo", "annnnddddd": a letter three times over is a word drawn out, no name.
    let chars: Vec<char> = l.chars().collect();
    if chars.windows(3).any(|c| c[0] == c[1] && c[1] == c[2]) {
        return None;
    }
    // "seatbelt", "earlybird": two everyday words run together, in lower case.
    if !t.starts_with(char::is_uppercase)
        && (3..chars.len().saturating_sub(2)).any(|i| {
            let (a, b): (String, String) =
                (chars[..i].iter().collect(), chars[i..].iter().collect());
            lists.words.contains(&a) && (lists.words.contains(&b) || inflected_word(&b, lists))
        })
    {
        return None;
    }
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    let capitals = letters.iter().filter(|c| c.is_uppercase()).count();
    // Codes and initials ("AUD", "BWI"), and words run together ("FlyingItForward", "ATMs");
    // two capitals only as in "McDonald" or "DeShawn".
    if capitals == letters.len() && letters.len() <= 3 {
        return None;
    }
    let run_together = |part: &str| {
        let l: Vec<char> = part.chars().filter(|c| c.is_alphabetic()).collect();
        let caps = l.iter().filter(|c| c.is_uppercase()).count();
        let camel = caps == 2
            && l.len() >= 4
            && l[0].is_uppercase()
            && l[1].is_lowercase()
            && l[l.len() - 1].is_lowercase();
        caps >= 2 && caps < l.len() && !camel
    };
    if capitals < letters.len() && t.split(['\'', '’', '-']).any(run_together) {
        return None;
    }
    // "self-service", "JAC-LAX": a part that is a word or a code makes it no name.
    if t.contains('-') {
        let parts: Vec<&str> = t.split('-').filter(|p| !p.is_empty()).collect();
        if parts.iter().any(|p| {
            let pl = p.to_lowercase();
            p.chars().all(char::is_uppercase) || everyday(&pl, lists) || not_name(&pl)
        }) {
            return None;
        }
    }
    if everyday(l, lists) {
        let capitalised = letters[0].is_uppercase() && capitals < letters.len();
        // "Duke of Edinburgh", "Bank of England": a title or an institution.
        let of = text[w.end..].starts_with(" of ");
        return (capitalised && !w.initial && !of).then_some(EVERYDAY_NAME_AT);
    }
    if lists.names.get(l) == Some(&Class::Word) {
        return Some(EVERYDAY_NAME_AT);
    }
    Some(NAME_AT)
}

/// Adds the names the model finds among the words no finder took, each joined to a name just
/// before or after it ("Jimmy [Samartzis]").
pub(super) fn find(text: &str, words: &[Token<'_>], out: &mut Vec<Found>) {
    let weights = &*WEIGHTS;
    if weights.is_empty() {
        return;
    }
    let lists = &*LISTS;
    let taken = |w: &Token<'_>| out.iter().any(|f| w.start < f.1 && w.end > f.0);
    let named: Vec<(usize, usize)> = words
        .iter()
        .enumerate()
        .filter(|(i, w)| {
            !taken(w)
                && look_at(text, w, lists)
                    .is_some_and(|at| score(&features(text, words, *i), weights) >= at)
        })
        .map(|(_, w)| (w.start, w.end))
        .collect();
    if named.is_empty() {
        return;
    }
    // Joined with the names the rules found beside them, by a single space, into one name.
    let mut runs: Vec<(usize, usize, bool)> =
        named.into_iter().map(|(s, e)| (s, e, true)).collect();
    runs.extend(
        out.iter()
            .filter(|f| f.2 == Kind::Name)
            .map(|f| (f.0, f.1, false)),
    );
    runs.sort_unstable();
    let mut merged: Vec<(usize, usize, bool)> = Vec::new();
    for r in runs {
        match merged.last_mut() {
            Some(m) if r.0 >= m.1 && text[m.1..r.0] == *" " && (m.2 || r.2) => {
                m.1 = r.1;
                m.2 = true;
            }
            Some(m) if r.0 < m.1 => {
                m.1 = m.1.max(r.1);
                m.2 |= r.2;
            }
            _ => merged.push(r),
        }
    }
    out.extend(
        merged
            .into_iter()
            .filter(|m| m.2)
            .map(|(s, e, _)| (s, e, Kind::Name)),
    );
}

/// The words of `text` the model would look at, with their features and whether `names` (byte
/// ranges) covers them: what `examples/train_names.rs` trains on. Every word is an example,
/// not only those worth a look, so the model learns from all the words around names.
#[doc(hidden)]
pub fn training_examples(text: &str, names: &[(usize, usize)]) -> Vec<(Vec<u32>, bool)> {
    let words = tokens(text);
    (0..words.len())
        .map(|i| {
            let w = &words[i];
            let is_name = names.iter().any(|&(s, e)| w.start < e && w.end > s);
            (features(text, &words, i), is_name)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn looked_at(text: &str) -> Vec<&str> {
        let lists = &*LISTS;
        tokens(text)
            .into_iter()
            .filter(|w| look_at(text, w, lists).is_some())
            .map(|w| w.text)
            .collect()
    }

    #[test]
    fn contractions_codes_hashtags_and_everyday_words_are_not_looked_at() {
        assert!(looked_at("I'm sure we didn't go, I'd say").is_empty());
        assert!(looked_at("paid in AUD at the BWI desk #FlyingItForward ATMs").is_empty());
        assert!(looked_at("a self-service JAC-LAX seatbelt and brocoli").is_empty());
        assert!(looked_at("Hill walking is fun").is_empty());
        assert!(looked_at("my Duke of Edinburgh award and Thorpe Park").is_empty());
        assert!(looked_at("lmfaooooo no seatbelt").is_empty());
        assert!(looked_at("upskirting on the bus").is_empty());
        assert!(looked_at("he touch my yansh").is_empty());
        assert!(looked_at("٢٠ ربيع ٢ ١٤٤١ is when i moved in").is_empty());
    }

    #[test]
    fn unknown_words_and_capitals_mid_sentence_are() {
        assert_eq!(looked_at("i think hangwani is slaying"), vec!["hangwani"]);
        assert_eq!(looked_at("thanks to Battles for the help"), vec!["Battles"]);
        assert_eq!(
            looked_at("my mate O'Brien and DeShawn"),
            vec!["O'Brien", "DeShawn"]
        );
    }

    #[test]
    fn the_weights_are_the_shipped_size() {
        assert_eq!(WEIGHTS.len(), BUCKETS);
    }

    #[test]
    fn a_name_from_nowhere_is_found_and_joined_to_the_name_beside_it() {
        let mut out = Vec::new();
        let text = "big thanks to Jimmy Samartzis at the gate";
        super::super::find(text, &mut out);
        assert!(
            out.iter()
                .any(|f| &text[f.0..f.1] == "Jimmy Samartzis" && f.2 == Kind::Name),
            "{out:?}"
        );
    }
}
