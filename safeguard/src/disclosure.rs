//! Screening free text for possible disclosures of harm. The indicator phrases live in a data
//! file the safeguarding lead can extend (`indicators.toml`, its format described at its top).
//! Words are matched by stem, by prefix where a phrase asks for it, and with one letter wrong in
//! longer words, so "hurst", "scard" and "sucide" still match; a phrase is set aside when a "not"
//! comes just before it in the same clause ("nobody hurts me"), and a statement of safety with a
//! "not" before it is itself a disclosure ("I don't feel safe at home"). Missing a disclosure is
//! worse than a false alarm, so where in doubt it flags.
use std::cell::RefCell;
use std::collections::HashMap;

use foldhash::HashMap as FastMap;
use std::sync::atomic::{AtomicU64, Ordering};

use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};

use crate::words::{Word, words};

/// The built-in indicators.
pub const BUILTIN: &str = include_str!("../indicators.toml");

/// Whether `norm` is a word before a phrase that says it is not so. A `match`, since
/// searching a list of them for every word read was a twentieth of screening.
fn is_negation(norm: &str) -> bool {
    matches!(
        norm,
        "not"
            | "no"
            | "never"
            | "nobody"
            | "noone"
            | "nothing"
            | "none"
            | "neither"
            | "nor"
            | "cannot"
            | "dont"
            | "didnt"
            | "doesnt"
            | "isnt"
            | "wasnt"
            | "arent"
            | "werent"
            | "cant"
            | "couldnt"
            | "wont"
            | "wouldnt"
            | "shouldnt"
            | "aint"
            | "havent"
            | "hasnt"
            | "hadnt"
            | "dnt"
            | "dosnt"
            | "doesent"
            | "didint"
            | "nt"
            | "nvr"
            | "neva"
    )
}

/// Words that do not change what a "not" applies to ("I don't really feel unsafe").
const TRANSPARENT: &[&str] = &[
    "really", "ever", "even", "actually", "at", "all", "very", "too", "that", "so", "feel", "felt",
    "feeling", "am", "im", "i", "is", "was", "been", "be", "get", "got", "being",
];

/// How many words back a "not" applies to a phrase (not counting transparent words).
const NEGATION_REACH: usize = 2;

#[derive(Debug, thiserror::Error)]
pub enum IndicatorError {
    #[error("the indicator file does not read as TOML: {0}")]
    Toml(String),
    #[error("category {category:?}: the phrase {phrase:?} has no words; remove it or add words")]
    EmptyPhrase { category: String, phrase: String },
    #[error(
        "category {category:?}: the phrase {phrase:?} starts or ends with *; a gap goes between words"
    )]
    EdgeGap { category: String, phrase: String },
    #[error("a category has no name; give each [[category]] a name = \"...\"")]
    NoName,
    #[error(
        "weak lists {phrase:?}, which no category of the file holds; add it to one or remove it"
    )]
    StrayWeak { phrase: String },
    #[error(
        "weak is for the built-in phrases: every phrase of your own file flags whatever the learned layer says; remove the weak list"
    )]
    OwnWeak,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    /// Phrases of this file's categories that ordinary answers use as often as disclosures do:
    /// weak evidence, like a single word (see [`Indicator::firm`]).
    #[serde(default)]
    weak: Vec<String>,
    #[serde(default)]
    category: Vec<CategoryFile>,
    #[serde(default)]
    negated_safety: Vec<CategoryFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryFile {
    name: String,
    phrases: Vec<String>,
}

/// Every phrase of the built-in indicators' categories, as written: masking keeps their words
/// in view (`personal::names`), so an analyst reads what a disclosure says.
pub(crate) fn builtin_phrases() -> Vec<String> {
    toml::from_str::<File>(BUILTIN)
        .map(|f| f.category.into_iter().flat_map(|c| c.phrases).collect())
        .unwrap_or_default()
}

/// A stem that some phrase holds, by its number in [`Screener::stems`]: words are compared by
/// number, since comparing stems as strings was a tenth of an import's screening.
type StemId = u32;

/// The number of a word's stem that no phrase holds.
const NO_STEM: StemId = StemId::MAX;

/// How many words' stems each thread remembers (see [`Screener::known`]) before it forgets
/// them all and starts again: about a megabyte and a half at most, since a server's blocking
/// threads each keep their own.
const REMEMBERED_STEMS: usize = 20_000;

/// Numbers each screener's set of stems, so a thread's remembered stems are never read
/// against another screener's numbering.
static STEM_SETS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// Words' stem numbers for the screener whose set of stems has this number: stemming was a
    /// fifth of screening, and the words of answers repeat (Zipf), so most are found here.
    static REMEMBERED: RefCell<(u64, FastMap<String, Known>)> =
        RefCell::new((u64::MAX, FastMap::default()));
}

/// What a thread remembers of a word: its stem's number and the stems of the phrases' first
/// words it may be a misspelling of (one letter away; rarely any). Finding those meant comparing
/// the word with every first word of its letter and about its length, each time it was read.
#[derive(Debug, Clone)]
struct Known {
    stem: StemId,
    slips: Box<[StemId]>,
}

/// A phrase's first word as written, its stem's number and its [`letters`].
type FirstWord = (String, StemId, u64);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    /// Matches a word with this stem (or this word with one letter wrong, if long).
    Word { word: String, stem: StemId },
    /// Matches a word starting with this.
    Prefix(String),
    /// Any zero to two words.
    Gap,
}

#[derive(Debug, Clone)]
struct Phrase {
    category: String,
    text: String,
    items: Vec<Item>,
    /// A statement of safety: a disclosure only when negated.
    safety: bool,
    /// From the safeguarding lead's own file: always flags, whatever the learned layer says.
    own: bool,
    /// Listed among its file's `weak` phrases.
    weak: bool,
    /// The stem the second word must have, when the phrase goes on with a word too short to be
    /// [`near`] another: most phrases tried at a common first word ("i", "my", "not") are
    /// passed over by this one comparison, without trying them in full.
    second: Option<StemId>,
}

/// The compiled indicators.
#[derive(Debug, Clone)]
pub struct Screener {
    phrases: Vec<Phrase>,
    /// The stems that phrases hold, numbered.
    stems: FastMap<String, StemId>,
    /// This set of stems' number among all screeners' (from [`STEM_SETS`]).
    stem_set: u64,
    /// Phrases by the stem of their first word, for speed.
    by_first: FastMap<StemId, Vec<usize>>,
    /// Phrases that start with a prefix ("suicid*"), by the prefix's first letter: only a word
    /// starting with that letter can match them.
    by_prefix_letter: HashMap<char, Vec<usize>>,
    /// The first words of phrases (word, stem), by their first letter and length in
    /// characters: where a misspelt first word is looked for, since a misspelling keeps its
    /// first letter and its length give or take one (see [`near`]). With each, its
    /// [`letters`], to pass over most of them without comparing letter by letter.
    first_words: HashMap<(char, usize), Vec<FirstWord>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Screening {
    pub flagged: bool,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub category: String,
    /// The indicator phrase from the file that matched.
    pub phrase: String,
    /// The words of the answer that triggered it, as written.
    pub words: String,
    /// Character offsets (Unicode scalar values) into the text.
    pub start: usize,
    pub end: usize,
    /// Enough on its own: a phrase of two words or more matched as written (or any phrase of the
    /// lead's own file). A single everyday word ("knife", "secret") or a word one letter from a
    /// word of harm ("rapid" and "raped") is weak evidence, and flags only when the learned layer
    /// agrees the answer reads like a disclosure.
    pub firm: bool,
    /// A phrase of its file's `weak` list, matched as written: weak evidence like a single word,
    /// but set aside (still read by a person) rather than dropped when the learned layer does
    /// not confirm it.
    #[serde(skip)]
    pub doubtful: bool,
    /// From the safeguarding lead's own file.
    pub own: bool,
}

fn stemmer() -> Stemmer {
    Stemmer::create(Algorithm::English)
}

/// A word as the screener compares it: negations become "not".
fn canonical(norm: &str) -> &str {
    if is_negation(norm) { "not" } else { norm }
}

impl Screener {
    pub fn builtin() -> Screener {
        // The built-in file is part of the binary and checked by the tests.
        Screener::from_toml(BUILTIN).unwrap_or_else(|_| Screener::empty())
    }

    fn empty() -> Screener {
        Screener {
            phrases: Vec::new(),
            stems: FastMap::default(),
            stem_set: STEM_SETS.fetch_add(1, Ordering::Relaxed),
            by_first: FastMap::default(),
            by_prefix_letter: HashMap::new(),
            first_words: HashMap::new(),
        }
    }

    /// The built-in indicators and those of `extra` (the same format).
    pub fn with_extra(extra: &str) -> Result<Screener, IndicatorError> {
        let mut s = Screener::from_toml(BUILTIN)?;
        s.add(extra, true)?;
        Ok(s)
    }

    pub fn from_toml(toml_text: &str) -> Result<Screener, IndicatorError> {
        let mut s = Screener::empty();
        s.add(toml_text, false)?;
        Ok(s)
    }

    /// How many phrases it knows.
    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    fn add(&mut self, toml_text: &str, own: bool) -> Result<(), IndicatorError> {
        let file: File =
            toml::from_str(toml_text).map_err(|e| IndicatorError::Toml(e.to_string()))?;
        let st = stemmer();
        let groups = file
            .category
            .into_iter()
            .map(|c| (c, false))
            .chain(file.negated_safety.into_iter().map(|c| (c, true)));
        if own && !file.weak.is_empty() {
            return Err(IndicatorError::OwnWeak);
        }
        let weak: std::collections::HashSet<&str> = file.weak.iter().map(String::as_str).collect();
        let first = self.phrases.len();
        for (cat, safety) in groups {
            if cat.name.trim().is_empty() {
                return Err(IndicatorError::NoName);
            }
            for text in cat.phrases {
                let items = text_items(&text);
                let items: Vec<Item> = items
                    .into_iter()
                    .map(|i| match i {
                        Item::Word { word, .. } => {
                            let word = canonical(&word).to_string();
                            let next = StemId::try_from(self.stems.len()).unwrap_or(NO_STEM);
                            let stem = *self
                                .stems
                                .entry(st.stem(&word).into_owned())
                                .or_insert(next);
                            Item::Word { word, stem }
                        }
                        other => other,
                    })
                    .collect();
                if items.is_empty() {
                    return Err(IndicatorError::EmptyPhrase {
                        category: cat.name.clone(),
                        phrase: text,
                    });
                }
                if items.first() == Some(&Item::Gap) || items.last() == Some(&Item::Gap) {
                    return Err(IndicatorError::EdgeGap {
                        category: cat.name.clone(),
                        phrase: text,
                    });
                }
                let index = self.phrases.len();
                match &items[0] {
                    Item::Word { word, stem } => {
                        self.by_first.entry(*stem).or_default().push(index);
                        if let Some(c) = word.chars().next() {
                            let key = (c, word.chars().count());
                            let list = self.first_words.entry(key).or_default();
                            if !list.iter().any(|(w, _, _)| w == word) {
                                list.push((word.clone(), *stem, letters(word)));
                            }
                        }
                    }
                    Item::Prefix(p) => {
                        if let Some(c) = p.chars().next() {
                            self.by_prefix_letter.entry(c).or_default().push(index);
                        }
                    }
                    // Refused above: a phrase never starts with a gap.
                    Item::Gap => {}
                }
                let second = match items.get(1) {
                    Some(Item::Word { word, stem }) if word.chars().count() < NEAR_MIN => {
                        Some(*stem)
                    }
                    _ => None,
                };
                let is_weak = weak.contains(text.as_str());
                self.phrases.push(Phrase {
                    category: cat.name.clone(),
                    text,
                    items,
                    safety,
                    own,
                    weak: is_weak,
                    second,
                });
            }
        }
        // A weak phrase no category holds is a slip in the file, said rather than ignored.
        if let Some(stray) = file
            .weak
            .iter()
            .find(|w| !self.phrases[first..].iter().any(|p| &p.text == *w))
        {
            return Err(IndicatorError::StrayWeak {
                phrase: stray.clone(),
            });
        }
        // New stems: what threads remember of the old numbering no longer holds.
        self.stem_set = STEM_SETS.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// `read` of what is known of `word` (canonical), remembered by this thread: its stem's
    /// number among the phrases' stems (or [`NO_STEM`]) and its possible misspellings.
    fn known<T>(&self, st: &Stemmer, word: &str, read: impl FnOnce(&Known) -> T) -> T {
        REMEMBERED.with_borrow_mut(|(set, known)| {
            if *set != self.stem_set || known.len() >= REMEMBERED_STEMS {
                known.clear();
                *set = self.stem_set;
            }
            if let Some(k) = known.get(word) {
                return read(k);
            }
            let stem = self.stems.get(st.stem(word).as_ref()).copied();
            let stem = stem.unwrap_or(NO_STEM);
            let k = Known {
                stem,
                slips: self.slips(word, stem),
            };
            let out = read(&k);
            known.insert(word.to_owned(), k);
            out
        })
    }

    /// The stems of phrases' first words that `word` (with stem `stem`) may be a misspelling
    /// of: of five letters or more, one letter away, and not its own stem.
    fn slips(&self, word: &str, stem: StemId) -> Box<[StemId]> {
        let length = word.chars().count();
        let Some(first) = word.chars().next().filter(|_| length >= 5) else {
            return Box::default();
        };
        let mine = letters(word);
        let mut slips: Vec<StemId> = (length - 1..=length + 1)
            .filter_map(|l| self.first_words.get(&(first, l)))
            .flatten()
            .filter(|(theirs_word, theirs_stem, theirs)| {
                *theirs_stem != stem
                    && (mine ^ theirs).count_ones() <= 2
                    && near(theirs_word, word)
                    && self.by_first.contains_key(theirs_stem)
            })
            .map(|(_, theirs_stem, _)| *theirs_stem)
            .collect();
        slips.sort_unstable();
        slips.dedup();
        slips.into_boxed_slice()
    }

    pub fn screen(&self, text: &str) -> Screening {
        let st = stemmer();
        let mut ws: Vec<Word> = words(text);
        // "no one" and "no body" are one "not".
        let mut i = 0;
        while i + 1 < ws.len() {
            if ws[i].norm == "no" && matches!(ws[i + 1].norm.as_str(), "one" | "body") {
                ws[i].norm = "nobody".into();
                ws[i].end = ws[i + 1].end;
                ws.remove(i + 1);
            }
            i += 1;
        }
        let canon: Vec<&str> = ws.iter().map(|w| canonical(&w.norm)).collect();
        // Each word's stem, and its possible misspellings as (word's index, stem) pairs.
        let mut stems: Vec<StemId> = Vec::with_capacity(canon.len());
        let mut slips: Vec<(usize, StemId)> = Vec::new();
        for (at, w) in canon.iter().enumerate() {
            stems.push(self.known(&st, w, |k| {
                slips.extend(k.slips.iter().map(|&s| (at, s)));
                k.stem
            }));
        }
        // The text's letters, for the words of what is found: made only when something is.
        let mut chars: Vec<char> = Vec::new();
        let mut found: Vec<Indicator> = Vec::new();
        let mut candidates: Vec<usize> = Vec::new();
        // The phrase lists to try at a word, each in phrase order.
        let mut lists: Vec<&[usize]> = Vec::new();
        let mut slips = slips.iter().peekable();
        for start in 0..ws.len() {
            lists.clear();
            if let Some(list) = self.by_first.get(&stems[start]) {
                lists.push(list);
            }
            if let Some(list) = canon[start]
                .chars()
                .next()
                .and_then(|c| self.by_prefix_letter.get(&c))
            {
                lists.push(list);
            }
            // A misspelt first word: try phrases whose first word is one letter away.
            while let Some((_, stem)) = slips.next_if(|(at, _)| *at == start) {
                if let Some(list) = self.by_first.get(stem) {
                    lists.push(list);
                }
            }
            in_phrase_order(&lists, &mut candidates);
            for &p in &candidates {
                let phrase = &self.phrases[p];
                if phrase.second.is_some() && phrase.second != stems.get(start + 1).copied() {
                    continue;
                }
                let Some((end, slipped)) = match_at(&phrase.items, &canon, &stems, start) else {
                    continue;
                };
                let negated = negated_before(&ws, &canon, start);
                if negated != phrase.safety {
                    continue;
                }
                // A safety statement's span includes the "not" that makes it a disclosure.
                let first = if phrase.safety {
                    negation_start(&canon, start).unwrap_or(start)
                } else {
                    start
                };
                let (s, e) = (ws[first].start, ws[end - 1].end);
                if chars.is_empty() {
                    chars = text.chars().collect();
                }
                if found
                    .iter()
                    .any(|f| f.category == phrase.category && f.start <= s && e <= f.end)
                {
                    continue;
                }
                found.push(Indicator {
                    category: phrase.category.clone(),
                    phrase: phrase.text.clone(),
                    words: chars[s.min(chars.len())..e.min(chars.len())]
                        .iter()
                        .collect(),
                    start: s,
                    end: e,
                    firm: phrase.own || (!slipped && !phrase.weak && phrase.words() >= 2),
                    doubtful: !phrase.own && !slipped && phrase.weak && phrase.words() >= 2,
                    own: phrase.own,
                });
            }
        }
        found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        Screening {
            flagged: !found.is_empty(),
            indicators: found,
        }
    }
}

impl Phrase {
    /// Its words and prefixes, gaps not counted.
    fn words(&self) -> usize {
        self.items.iter().filter(|i| **i != Item::Gap).count()
    }
}

/// The items of a phrase as written: words, prefixes ("suicid*") and gaps ("*").
fn text_items(text: &str) -> Vec<Item> {
    text.split_whitespace()
        .filter_map(|raw| {
            if raw == "*" {
                return Some(Item::Gap);
            }
            let norm: String = raw
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '*')
                .flat_map(char::to_lowercase)
                .collect();
            if let Some(p) = norm.strip_suffix('*') {
                let p = p.trim_end_matches('*');
                return (!p.is_empty()).then(|| Item::Prefix(p.to_string()));
            }
            let norm: String = norm.chars().filter(|c| *c != '*').collect();
            // Its stem is numbered when the phrase is added to a screener.
            (!norm.is_empty()).then_some(Item::Word {
                word: norm,
                stem: NO_STEM,
            })
        })
        .collect()
}

/// The end (exclusive word index) of a match of `items` starting at word `i`, if any, and
/// whether a word matched only with a letter wrong.
fn match_at(items: &[Item], canon: &[&str], stems: &[StemId], i: usize) -> Option<(usize, bool)> {
    let Some((first, rest)) = items.split_first() else {
        return Some((i, false));
    };
    match first {
        Item::Gap => (0..=2)
            .filter(|skip| i + skip <= canon.len())
            .find_map(|skip| match_at(rest, canon, stems, i + skip)),
        Item::Prefix(p) => {
            let w = canon.get(i)?;
            w.starts_with(p.as_str()).then_some(())?;
            match_at(rest, canon, stems, i + 1)
        }
        Item::Word { word, stem } => {
            let (w, s) = (canon.get(i)?, stems.get(i)?);
            // The same word has the same stem, so equal stems are the whole of "as written".
            let exact = s == stem;
            (exact || near(word, w)).then_some(())?;
            match_at(rest, canon, stems, i + 1).map(|(end, slipped)| (end, slipped || !exact))
        }
    }
}

/// The shortest word that [`near`] lets be one letter wrong.
const NEAR_MIN: usize = 5;

/// One letter added, missing, changed or two swapped, in words of five letters or more that
/// start with the same letter: people who misspell a word still get its first letter right, and
/// without that rule everyday words come one letter from words of harm ("bills", "pills").
fn near(a: &str, b: &str) -> bool {
    // Most pairs differ in first letter or length: settle those without allocating, and for
    // words in ASCII (most) without counting characters, which took 5% of an import.
    if a.chars().next() != b.chars().next() {
        return false;
    }
    let (la, lb) = if a.is_ascii() && b.is_ascii() {
        (a.len(), b.len())
    } else {
        (a.chars().count(), b.chars().count())
    };
    if la.min(lb) < NEAR_MIN || la.abs_diff(lb) > 1 {
        return a == b && !a.is_empty();
    }
    if a.is_ascii() && b.is_ascii() {
        return one_slip(a.as_bytes(), b.as_bytes());
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    one_slip(&a, &b)
}

/// The phrases of `lists` (each in phrase order, as `add` numbers them) once each, in phrase
/// order, into `out`: two lists are merged, which was most words' case, since sorting them
/// together was a seventh of screening's time in an import; more are sorted.
fn in_phrase_order(lists: &[&[usize]], out: &mut Vec<usize>) {
    out.clear();
    match lists {
        [] => {}
        [one] => out.extend_from_slice(one),
        [a, b] => {
            let (mut i, mut j) = (0, 0);
            while i < a.len() && j < b.len() {
                let (x, y) = (a[i], b[j]);
                out.push(x.min(y));
                i += usize::from(x <= y);
                j += usize::from(y <= x);
            }
            out.extend_from_slice(&a[i..]);
            out.extend_from_slice(&b[j..]);
        }
        more => {
            for l in more {
                out.extend_from_slice(l);
            }
            out.sort_unstable();
            out.dedup();
        }
    }
}

/// Which letters a word holds, one bit each (other characters share the bits above z): two
/// words [`near`] each other differ in at most two of them, since one slip adds or removes at
/// most one letter on each side, and sharing a bit only ever makes the difference smaller.
fn letters(word: &str) -> u64 {
    word.chars().fold(0, |m, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            _ => 26 + c as u32 % 38,
        };
        m | 1 << bit
    })
}

/// [`near`] on letters (bytes of ASCII words, which are most, so nothing is allocated; chars
/// otherwise).
fn one_slip<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    if a.len().min(b.len()) < NEAR_MIN || a.len().abs_diff(b.len()) > 1 || a == b || a[0] != b[0] {
        return a == b && !a.is_empty();
    }
    // Damerau-Levenshtein distance of at most one.
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        if a.len() > b.len() {
            i += 1;
        } else if b.len() > a.len() {
            j += 1;
        } else if i + 1 < a.len() && a[i] == b[i + 1] && a[i + 1] == b[i] {
            i += 2;
            j += 2;
        } else {
            i += 1;
            j += 1;
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
}

/// The word index of a "not" that applies to the phrase starting at `start`, if any.
fn negation_start(canon: &[&str], start: usize) -> Option<usize> {
    let mut counted = 0;
    let mut j = start;
    while j > 0 && counted < NEGATION_REACH + 3 {
        j -= 1;
        let w = canon[j];
        if w == "not" {
            return Some(j);
        }
        if w == "but" || w == "until" || w == "because" || w == "cos" {
            return None;
        }
        if !TRANSPARENT.contains(&w) {
            counted += 1;
            if counted >= NEGATION_REACH {
                return None;
            }
        }
    }
    None
}

/// Whether a "not" comes just before word `start`, in the same clause.
fn negated_before(ws: &[Word], canon: &[&str], start: usize) -> bool {
    let Some(j) = negation_start(canon, start) else {
        return false;
    };
    // A clause break between the "not" and the phrase ends the "not"'s reach.
    !ws[j + 1..=start].iter().any(|w| w.after_break)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrase_lists_come_out_once_each_in_order() {
        let mut out = Vec::new();
        in_phrase_order(&[], &mut out);
        assert!(out.is_empty());
        in_phrase_order(&[&[2, 5, 9]], &mut out);
        assert_eq!(out, [2, 5, 9]);
        in_phrase_order(&[&[1, 4, 9], &[2, 4, 10, 11]], &mut out);
        assert_eq!(out, [1, 2, 4, 9, 10, 11]);
        in_phrase_order(&[&[3], &[1, 3], &[3, 7]], &mut out);
        assert_eq!(out, [1, 3, 7]);
    }

    fn flags(s: &str) -> bool {
        Screener::builtin().screen(s).flagged
    }

    #[test]
    fn the_builtin_file_compiles_and_is_substantial() {
        let s = Screener::from_toml(BUILTIN).expect("builtin parses");
        assert!(s.len() > 200, "{} phrases", s.len());
    }

    #[test]
    fn disclosures_flag_through_spelling_slang_and_case() {
        for s in [
            "he hits me when he is drunk",
            "my step dad hurst me",
            "I WANT TO KILL MYSELF",
            "sometimes i think about sucide",
            "i cut myself last week",
            "i dont feel safe at home",
            "i do not feel safe",
            "im scard of my mums boyfriend",
            "i ran away 3 times",
            "my friend gets hit by her dad",
            "they make me carry stuff for them",
            "kms",
            "i just want to unalive",
            "no one listens when i say he hits me",
        ] {
            assert!(flags(s), "should flag: {s}");
        }
    }

    #[test]
    fn negation_and_figures_of_speech_do_not_flag() {
        for s in [
            "i dont feel unsafe",
            "nobody hurts me here",
            "i have never been hit at this placement",
            "im not scared at home",
            "i feel safe with my foster carers",
            "we hit the park on saturdays",
            "my social worker hit the nail on the head",
            "more money for care leavers",
            "help paying rent and bills when i turn 18",
        ] {
            assert!(!flags(s), "should not flag: {s}");
        }
    }

    /// Session 16's phrases (from `disclosure-tune-5.csv`) and the ordinary answers they were
    /// worded to leave alone.
    #[test]
    fn harassment_and_abuse_in_other_words_flag_and_their_lookalikes_do_not() {
        for s in [
            "i got felt up at the festival",
            "someone spiked my drink at the prom afterparty",
            "Was followed to my door",
            "ex broke the non-mol again tonight",
            "he controls every penny and i have to show him receipts",
            "pops whoops me with an extension cord",
            "the belt comes out if we're loud",
            "my parents went away and left me with my little brother for a week",
        ] {
            assert!(flags(s), "should flag: {s}");
        }
        for s in [
            "I broke my wrist playing football last year",
            "i spilt juice down my top at lunch",
            "the talk was followed by questions from the young people",
            "I'd like to share my photos of the trip",
            "mum left me with my nan for the weekend",
        ] {
            assert!(!flags(s), "should not flag: {s}");
        }
    }

    #[test]
    fn indicators_carry_the_words_and_offsets() {
        let r = Screener::builtin().screen("Honestly, he hits me.");
        let i = &r.indicators[0];
        assert_eq!(i.words, "hits me");
        assert_eq!((i.start, i.end), (13, 20));
        assert_eq!(i.category, "being hurt");
    }

    /// Stems are numbered per screener and remembered per thread: two screeners used in turn
    /// on one thread each match by their own numbering.
    #[test]
    fn screeners_used_in_turn_on_one_thread_each_keep_their_phrases() {
        let builtin = Screener::builtin();
        let own = Screener::with_extra(
            "[[category]]\nname = \"local\"\nphrases = [\"blue vans\", \"garages\"]\n",
        )
        .expect("extra");
        for _ in 0..2 {
            assert!(!builtin.screen("a blue van parks in the garage").flagged);
            assert!(own.screen("a blue van parks in the garage").flagged);
            assert!(builtin.screen("he hits me").flagged);
            assert!(own.screen("he hits me").flagged);
        }
    }

    #[test]
    fn a_phrase_is_passed_over_by_its_second_word_only_where_no_slip_could_match() {
        let s = Screener::from_toml(
            "[[category]]\nname = \"x\"\nphrases = [\"my dad hits\", \"they threatened me\", \
             \"grab* her arm\", \"left * alone\"]",
        )
        .expect("phrases");
        let found = |t: &str| s.screen(t).indicators.len();
        // A short second word must be there, in any form of its stem.
        assert_eq!(found("my dad hits me"), 1);
        assert_eq!(found("my dads hits me"), 1);
        assert_eq!(found("my mum hits me"), 0);
        assert_eq!(found("my"), 0);
        // A long second word may still be one letter wrong.
        assert_eq!(found("they threatend me"), 1);
        // After a prefix, the short word follows the one word the prefix took.
        assert_eq!(found("he grabbed her arm"), 1);
        assert_eq!(found("he grabbed his arm"), 0);
        // A gap second is not a word: left out of the check.
        assert_eq!(found("they left me alone"), 1);
    }

    #[test]
    fn the_lead_can_add_phrases_and_bad_files_are_explained() {
        let s = Screener::with_extra("[[category]]\nname = \"local\"\nphrases = [\"blue van\"]\n")
            .expect("extra");
        assert!(s.screen("a man in a blue van follows me").flagged);
        assert!(matches!(
            Screener::from_toml("[[category]]\nname = \"x\"\nphrases = [\"* hit\"]"),
            Err(IndicatorError::EdgeGap { .. })
        ));
        assert!(matches!(
            Screener::from_toml("nonsense ="),
            Err(IndicatorError::Toml(_))
        ));
        // The lead's own phrases always flag.
        assert!(matches!(
            Screener::with_extra(
                "weak = [\"blue van\"]\n[[category]]\nname = \"x\"\nphrases = [\"blue van\"]"
            ),
            Err(IndicatorError::OwnWeak)
        ));
        // A weak phrase must be one of the file's.
        assert!(matches!(
            Screener::from_toml(
                "weak = [\"blue car\"]\n[[category]]\nname = \"x\"\nphrases = [\"blue van\"]"
            ),
            Err(IndicatorError::StrayWeak { .. })
        ));
        let s = Screener::from_toml(
            "weak = [\"blue van\"]\n[[category]]\nname = \"x\"\nphrases = [\"blue van\", \"red van\"]",
        )
        .expect("weak list");
        let found = s.screen("a blue van and a red van");
        assert_eq!(
            found
                .indicators
                .iter()
                .map(|i| (i.phrase.as_str(), i.firm, i.doubtful))
                .collect::<Vec<_>>(),
            [("blue van", false, true), ("red van", true, false)]
        );
    }

    #[test]
    fn near_allows_one_slip_in_long_words_only() {
        assert!(near("suicide", "sucide"));
        assert!(near("scared", "scard"));
        assert!(near("hurts", "hurst"));
        assert!(!near("hit", "hat"));
        assert!(!near("suicide", "suicidal"));
        assert!(
            !near("pills", "bills"),
            "a different first letter is another word"
        );
    }
}
