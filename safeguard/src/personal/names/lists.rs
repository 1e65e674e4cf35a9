//! The word lists behind names: given names and surnames of many countries, everyday English
//! words, places, and the names that are also words; with the checks for words misspelt or
//! inflected in ways the lists lack.
use std::sync::LazyLock;

// A fast hash: checking a word for a misspelling looks up some 27 variants of it per letter.
use foldhash::{HashMap, HashSet};

use super::words::{NOT_AT_START, NOT_LOWER_PEOPLE, NOT_WITH_PEOPLE, mostly_a_thing};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    /// Only a name ("aisha", "oluwaseun", "kowalski").
    Name,
    /// Also an everyday word ("will", "hope", "brown", "london").
    Word,
}

pub(super) struct Lists {
    pub(super) names: HashMap<String, Class>,
    /// Names common in England (`first-names.txt`), sure enough to mask even when a misspelt
    /// word looks like them.
    pub(super) common: HashSet<String>,
    pub(super) words: HashSet<String>,
    pub(super) proper: HashSet<String>,
}

pub(super) fn lines(s: &str) -> impl Iterator<Item = &str> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

pub(super) static LISTS: LazyLock<Lists> = LazyLock::new(|| {
    let mut names: HashMap<String, Class> = lines(include_str!("../../../data/names/names.txt"))
        .filter_map(|l| {
            let (name, class) = l.split_once('\t')?;
            let class = if class == "w" {
                Class::Word
            } else {
                Class::Name
            };
            Some((name.to_lowercase(), class))
        })
        .collect();
    // The first list, of names common in England, fills gaps in the larger one.
    let common: HashSet<String> = lines(include_str!("../../../first-names.txt"))
        .map(str::to_lowercase)
        .collect();
    for n in &common {
        let n = n.clone();
        let class = if AMBIGUOUS.contains(&n.as_str()) {
            Class::Word
        } else {
            Class::Name
        };
        names.entry(n).or_insert(class);
    }
    for a in AMBIGUOUS {
        names.insert((*a).to_string(), Class::Word);
    }
    Lists {
        names,
        common,
        words: lines(include_str!("../../../data/names/words.txt"))
            .map(str::to_string)
            .collect(),
        proper: lines(include_str!("../../../data/names/proper.txt"))
            .map(str::to_string)
            .collect(),
    }
});

/// Names that are also everyday words, whatever the lists say: masked only with a cue.
pub(super) const AMBIGUOUS: &[&str] = &[
    "will", "may", "grace", "hope", "rose", "mark", "bill", "joy", "faith", "summer", "amber",
    "sky", "skye", "river", "april", "june", "august", "dawn", "heather", "holly", "ivy", "jade",
    "pearl", "robin", "sunny", "honey", "penny", "crystal", "star", "angel", "chance", "frank",
    "guy", "jack", "max", "miles", "rich", "ray", "sue", "pat", "drew", "gene", "lily", "daisy",
    "autumn", "storm", "rocky", "mo", "don", "art", "nick", "jean", "cliff", "dean", "king",
    "brook", "brooke", "lane", "hunter", "carter", "mason", "cooper", "taylor", "page", "paige",
    "reign", "rain", "sage", "ruby", "asia", "india", "harmony", "eve", "ace", "bo", "jay", "kit",
    "van", "rue", "justice", "precious", "blessing", "patience", "mercy", "hero", "princess",
    "nan", "gran", "young", "black", "white", "green", "brown", "long", "small", "said", "love",
];

/// Whether a lower-case word is a given name that is also an everyday word ("grace", "rose",
/// "jack", "holly"), one a cue before it can make a person's: not a month, season, thing,
/// colour or word that starts sentences ("hope", "will"), nor a short word often another thing.
pub(super) fn given_word(w: &str, lists: &Lists) -> bool {
    lists.names.get(w) == Some(&Class::Word)
        && (AMBIGUOUS.contains(&w) || lists.common.contains(w))
        && !lists.proper.contains(w)
        && !mostly_a_thing(w, NOT_WITH_PEOPLE)
        && !NOT_AT_START.contains(&w)
        && !NOT_LOWER_PEOPLE.contains(&w)
}

/// Whether `w` is an everyday word with an ending the word list lacks ("cigs", "sleepovers").
pub(super) fn inflected_word(w: &str, lists: &Lists) -> bool {
    ["s", "es", "ed", "d", "ing", "er", "y", "ie", "ies"]
        .iter()
        .any(|e| {
            w.strip_suffix(e)
                .is_some_and(|b| b.len() >= 3 && lists.words.contains(b))
        })
}

/// Whether `w` is an everyday word with one letter left out or two swapped, as children often
/// write them ("littel", "stuf", "freind").
pub(super) fn misspelt_word(w: &str, lists: &Lists) -> bool {
    let chars: Vec<char> = w.chars().collect();
    let mut buf = String::with_capacity(w.len() + 4);
    for i in 0..chars.len().saturating_sub(1) {
        buf.clear();
        buf.extend(&chars[..i]);
        buf.push(chars[i + 1]);
        buf.push(chars[i]);
        buf.extend(&chars[i + 2..]);
        if lists.words.contains(&buf) {
            return true;
        }
    }
    for i in 0..=chars.len() {
        for c in 'a'..='z' {
            buf.clear();
            buf.extend(&chars[..i]);
            buf.push(c);
            buf.extend(&chars[i..]);
            if lists.words.contains(&buf) {
                return true;
            }
        }
    }
    false
}
