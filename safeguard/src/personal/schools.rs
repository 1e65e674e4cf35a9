//! School names as registered ("St Mary's Church of England Primary School") and as said
//! ("Hillside High", "oakwood academy"), in capitals or in lower case: words naming the school
//! before a word for a school.
use std::sync::LazyLock;

use regex::Regex;

use super::{Found, Kind, names, re};

/// Words that end a school's name: what it is.
const KINDS: &[&str] = &[
    "school",
    "academy",
    "college",
    "high",
    "primary",
    "secondary",
    "junior",
    "juniors",
    "infant",
    "infants",
    "comprehensive",
    "grammar",
    "nursery",
];

/// Words inside a registered name between the school's own words and what it is ("St Mary's
/// Church of England Primary", "Greenfield Community College"): never enough to name one.
const MIDDLE: &[&str] = &[
    "church",
    "of",
    "england",
    "cofe",
    "ce",
    "c",
    "e",
    "rc",
    "catholic",
    "roman",
    "voluntary",
    "aided",
    "controlled",
    "methodist",
    "community",
    "foundation",
    "free",
    "federated",
    "jewish",
    "islamic",
    "muslim",
    "girls",
    "boys",
    "technology",
    "sports",
    "arts",
    "specialist",
    "upper",
    "lower",
    "middle",
    "first",
    "county",
    "and",
    "&",
    "the",
    "sixth",
    "form",
    "special",
];

/// Words before a word for a school that say which school only as "my school" does.
const GENERIC: &[&str] = &[
    "the",
    "my",
    "a",
    "an",
    "our",
    "his",
    "her",
    "their",
    "your",
    "its",
    "this",
    "that",
    "these",
    "those",
    "at",
    "in",
    "to",
    "from",
    "into",
    "i",
    "and",
    "or",
    "but",
    "new",
    "old",
    "local",
    "nearby",
    "previous",
    "last",
    "next",
    "current",
    "same",
    "different",
    "another",
    "other",
    "every",
    "each",
    "any",
    "no",
    "good",
    "bad",
    "best",
    "worst",
    "mainstream",
    "private",
    "state",
    "boarding",
    "independent",
    "faith",
    "normal",
    "proper",
    "real",
    "whole",
    "all",
    "some",
    "one",
    "two",
    "big",
    "primary",
    "secondary",
    "high",
    "junior",
    "infant",
    "after",
    "before",
    "went",
    "go",
    "goes",
    "going",
    "attend",
    "attends",
    "left",
    "leave",
    "like",
    "love",
    "hate",
    "hated",
    "liked",
    "loved",
    "started",
    "start",
    "changed",
    "change",
    "moved",
    "move",
    "for",
    "with",
    "about",
    "by",
    "on",
    "year",
    "sister's",
    "brother's",
    "mum's",
    "dad's",
];

/// Words that make a kind of schooling with "School", not a school's name, when nothing else
/// names one: "the Virtual School" (every council's service for children in care), "Sunday
/// School", "Forest School". "Sherwood Forest School" is still a school.
const SCHOOLING: &[&str] = &[
    "virtual", "sunday", "forest", "summer", "driving", "night", "holiday", "bible", "dance",
    "swimming", "drama", "stage", "music", "language", "cookery", "surf", "ski", "flight", "home",
    "saturday", "weekend", "hospital",
];

struct Patterns {
    /// A word for a school, in any case: where a name may end.
    kind: Regex,
    token: Regex,
}

static P: LazyLock<Patterns> = LazyLock::new(|| Patterns {
    kind: re(
        r"(?i)\b(?:school|academy|college|high|primary|secondary|juniors?|infants?|comprehensive|grammar|nursery)\b",
    ),
    token: re(r"[\p{L}&][\p{L}\p{M}'’.\-]*"),
});

struct Token<'a> {
    start: usize,
    end: usize,
    lower: String,
    text: &'a str,
}

impl Token<'_> {
    fn capital(&self) -> bool {
        self.text.starts_with(char::is_uppercase)
    }
}

pub(super) fn find(text: &str, out: &mut Vec<Found>) {
    let p = &*P;
    // The answer's words are read only once a word for a school follows one that could be a
    // school's own: most mentions ("at school", "my school") need no more.
    let mut read: Option<(Vec<Token<'_>>, bool)> = None;
    let mut consumed = 0;
    for m in p.kind.find_iter(text) {
        if m.start() < consumed || !named_before(text, m.start()) {
            continue;
        }
        // In Title Case ("I Go To Moor Park High School") capitals say nothing.
        let (tokens, title_case) = read.get_or_insert_with(|| (tokens(text), in_title_case(text)));
        let Some(k) = tokens.iter().position(|t| t.start == m.start()) else {
            continue;
        };
        if let Some((start, end)) = school_at(text, tokens, k, *title_case) {
            out.push((start, end, Kind::School));
            consumed = end;
        }
    }
}

/// Whether the word before `at`, past any words for a school ("high school"), joined by a
/// space, could be a school's own: "at school", "my school" and "after high school" are passed
/// over without reading the answer's words.
fn named_before(text: &str, at: usize) -> bool {
    let mut end = at;
    loop {
        let Some(before) = text[..end].strip_suffix(' ') else {
            return false;
        };
        let start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphabetic() || matches!(c, '\'' | '’' | '.' | '-' | '&'))
            .last()
            .map_or(before.len(), |(i, _)| i);
        let word = before[start..].trim_end_matches(['.', '-']);
        if word.is_empty() {
            return false;
        }
        let is = |list: &[&str]| list.iter().any(|w| w.eq_ignore_ascii_case(word));
        if is(KINDS) {
            end = start;
            continue;
        }
        return !is(GENERIC);
    }
}

/// The words of `text`, with their places.
fn tokens(text: &str) -> Vec<Token<'_>> {
    P.token
        .find_iter(text)
        .map(|m| {
            let t = m.as_str().trim_end_matches(['.', '-']);
            Token {
                start: m.start(),
                end: m.start() + t.len(),
                lower: t.to_lowercase().replace('’', "'"),
                text: t,
            }
        })
        .filter(|t| !t.text.is_empty())
        .collect()
}

/// Whether most of the answer's words (five or more) start with a capital.
pub(super) fn in_title_case(text: &str) -> bool {
    let words = text
        .split_whitespace()
        .filter(|w| w.starts_with(char::is_alphabetic));
    let (mut all, mut capitals) = (0, 0);
    for w in words {
        all += 1;
        capitals += usize::from(w.starts_with(char::is_uppercase));
    }
    all >= 5 && capitals * 10 >= all * 8
}

/// The school named by the word for a school at `k`, if its own words come before it: the
/// byte range from its first word to the last of its words for a school.
fn school_at(
    text: &str,
    tokens: &[Token<'_>],
    k: usize,
    title_case: bool,
) -> Option<(usize, usize)> {
    let joined = |a: usize, b: usize| {
        let gap = &text[tokens[a].end..tokens[b].start];
        gap == " " || gap == ". "
    };
    let is_kind = |k: usize| KINDS.contains(&tokens[k].lower.as_str());
    // The run of words for a school, and what may stand inside it: "Primary School", "High
    // School and Sixth Form".
    let mut end = k;
    let mut j = k + 1;
    while j < tokens.len() && joined(j - 1, j) {
        if is_kind(j) {
            end = j;
        } else if !MIDDLE.contains(&tokens[j].lower.as_str()) {
            break;
        }
        j += 1;
    }
    // "... High School and Sixth Form".
    let words: Vec<&str> = (end + 1..(end + 4).min(tokens.len()))
        .map(|i| tokens[i].lower.as_str())
        .collect();
    if matches!(words[..], ["and" | "&", "sixth", "form"])
        && (end + 1..end + 4).all(|i| joined(i - 1, i))
    {
        end += 3;
    }
    let start = name_before(text, tokens, k, title_case, &joined)?;
    Some((tokens[start].start, tokens[end].end))
}

/// Where the school's own words before the word for a school at `k` start, if there are any:
/// capitalised words ("Oakwood", "Moor Park"), words in lower case that are no everyday word
/// ("oakwood", "kingsway"), or any word after "St" ("st marys").
fn name_before(
    text: &str,
    tokens: &[Token<'_>],
    k: usize,
    title_case: bool,
    joined: &impl Fn(usize, usize) -> bool,
) -> Option<usize> {
    let mut start = None;
    let mut own = false;
    let mut i = k;
    while i > 0 && k - i < 6 && joined(i - 1, i) {
        let t = &tokens[i - 1];
        let l = t.lower.as_str();
        let saint = matches!(l, "st" | "saint");
        let after_saint = i >= 2 && joined(i - 2, i - 1) && {
            let s = tokens[i - 2].lower.as_str();
            s == "st" || s == "saint"
        };
        if MIDDLE.contains(&l) || KINDS.contains(&l) {
            if GENERIC.contains(&l) && !own {
                break;
            }
            i -= 1;
            continue;
        }
        let distinct = if saint || after_saint {
            true
        } else if GENERIC.contains(&l) {
            false
        } else {
            let capital = t.capital() && !title_case && !names::sentence_initial(text, t.start);
            capital || !names::everyday_word(l.trim_end_matches("'s"))
        };
        // A capitalised word at a sentence's start joins a name already begun ("Moor Park").
        let joins = distinct || own && t.capital() && !GENERIC.contains(&l);
        if !joins {
            break;
        }
        // "Jayden's school" is a person's school; "St Mary's School" is a school.
        let possessive = l.ends_with("'s") || l.ends_with('\'');
        if i == k
            && possessive
            && !after_saint
            && matches!(tokens[k].lower.as_str(), "school" | "college")
        {
            break;
        }
        own |= distinct;
        start = Some(i - 1);
        i -= 1;
    }
    let start = start.filter(|_| own)?;
    // The name starts at its first own word: "and", "the" or "of" before it are the sentence's.
    let first =
        (start..k).find(|&s| !MIDDLE.contains(&tokens[s].lower.as_str()) || tokens[s].capital())?;
    let schooling = first + 1 == k && SCHOOLING.contains(&tokens[first].lower.as_str());
    (!schooling).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schools(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        find(text, &mut out);
        out.iter().map(|(s, e, _)| &text[*s..*e]).collect()
    }

    #[test]
    fn a_school_is_found_as_registered_and_as_said_in_any_case() {
        assert_eq!(
            schools("Miss Patel at St Mary's Primary School is the best"),
            ["St Mary's Primary School"]
        );
        assert_eq!(schools("i go to St Mary's Primary"), ["St Mary's Primary"]);
        assert_eq!(schools("i go to st marys primary"), ["st marys primary"]);
        assert_eq!(schools("i go to oakwood academy"), ["oakwood academy"]);
        assert_eq!(
            schools("Moor Park High School and Sixth Form is ok"),
            ["Moor Park High School and Sixth Form"]
        );
        assert_eq!(
            schools("my brother is at Hillside High and i miss him"),
            ["Hillside High"]
        );
        assert_eq!(
            schools("I went to St Peter's C of E Junior School"),
            ["St Peter's C of E Junior School"]
        );
        assert_eq!(
            schools("he teaches at Greenfield Community College"),
            ["Greenfield Community College"]
        );
        assert_eq!(
            schools("I go to Sherwood Forest School"),
            ["Sherwood Forest School"]
        );
    }

    #[test]
    fn a_word_for_school_with_no_name_before_it_is_left() {
        for t in [
            "i go to primary school",
            "I go to a good school",
            "i left secondary school",
            "my sister goes to grammar school",
            "I Love My Primary School",
            "High school is hard",
            "After High School I want a job",
            "i go to a special school",
            "sixth form college is better",
            "my frends school is bigger",
            "Jayden's school has a pool",
            "so high",
            // Kinds of schooling, not schools: the Virtual School is every council's service
            // for children in care.
            "the Virtual School paid for my tutor",
            "I go to Sunday School at church",
            "we do Forest School on fridays",
        ] {
            assert!(schools(t).is_empty(), "{t}: {:?}", schools(t));
        }
    }
}
