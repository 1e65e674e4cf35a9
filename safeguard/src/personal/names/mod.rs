//! People's names: a list of given names and surnames from many countries
//! (`data/names/names.txt`), capitalised words that are no English word, place or day (a name
//! the list has not seen), titles ("Mr Patel", "mr patel"), and cues ("my name is", "called", "my
//! worker", "my brother"). Names that are also everyday words ("will", "hope", "grace") are
//! masked only after a cue or beside another name ("Grace Okafor"), so ordinary answers keep
//! every word.
mod cues;
mod lists;
mod second_look;
mod words;

use std::sync::LazyLock;

use regex::Regex;

use super::{Found, Kind, re};
use cues::{plain_gap, said_to_be_a_relation};
use lists::{Class, LISTS, Lists, given_word, inflected_word, misspelt_word};
use words::*;

#[doc(hidden)]
pub use second_look::{BUCKETS as SECOND_LOOK_BUCKETS, training_examples as second_look_examples};

struct Patterns {
    token: Regex,
}

static P: LazyLock<Patterns> = LazyLock::new(|| Patterns {
    token: re(r"\p{L}[\p{L}\p{M}'’\-]*"),
});

struct Token<'a> {
    start: usize,
    /// End without a possessive "'s".
    end: usize,
    text: &'a str,
    lower: String,
    capital: bool,
    initial: bool,
}

/// Where the `token` pattern matches in `text`. Most answers are ASCII, where it reads as a
/// letter followed by letters, apostrophes and hyphens: scanned by hand there, since running
/// the pattern over every word was a good part of what finding names cost.
fn token_spans(text: &str, token: &Regex) -> Vec<(usize, usize)> {
    if !text.is_ascii() {
        return token
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect();
    }
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphabetic() || b[i] == b'\'' || b[i] == b'-') {
            i += 1;
        }
        out.push((start, i));
    }
    out
}

/// Words that end a name rather than finish "Nguyen Van ...": what follows a name in a sentence.
const NOT_AFTER_VAN: &[&str] = &[
    "and", "or", "is", "was", "are", "were", "has", "had", "said", "says", "the", "a", "to", "in",
    "on", "at", "with", "from", "for", "but", "who", "because",
];

fn strip_possessive(w: &str) -> &str {
    let w = w.trim_end_matches(['\'', '’', '-']);
    w.strip_suffix("'s")
        .or_else(|| w.strip_suffix("’s"))
        .unwrap_or(w)
}

/// Whether only spaces, quotes or brackets stand between a sentence's end (or the text's start)
/// and `at`.
pub(super) fn sentence_initial(text: &str, at: usize) -> bool {
    for c in text[..at].chars().rev() {
        match c {
            ' ' | '\t' | '"' | '\'' | '“' | '‘' | '(' | '[' | '*' | '-' | '•' => continue,
            '.' | '!' | '?' | '\n' | '\r' | ':' | ';' => return true,
            _ => return false,
        }
    }
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A name on its own ("Aisha", "aisha", "Tsega" mid-sentence).
    Name,
    /// A name only beside another ("Grace" in "Grace Okafor").
    Maybe,
    /// A word that is a name only after one ("Tanaka" in "helen tanaka").
    Surname,
    Particle,
    Title,
    Other,
}

/// The part `t` can play in a name. `after_name` says whether the word before could start one,
/// which is when a lower-case surname is worth checking for.
fn role(
    text: &str,
    t: &Token<'_>,
    next: Option<&Token<'_>>,
    after_name: bool,
    lists: &Lists,
) -> Role {
    let l = t.lower.as_str();
    if TITLES.contains(&l) {
        return Role::Title;
    }
    if not_name(l) {
        return Role::Other;
    }
    if PARTICLES.contains(&l) {
        return Role::Particle;
    }
    let letters = t.text.chars().filter(|c| c.is_alphabetic()).count();
    let shouted = letters >= 2 && t.text.chars().all(|c| !c.is_lowercase());
    // Acronyms in mixed case ("GCSEs", "SENCo") and game words ("V-bucks") are no names.
    if t.text.chars().filter(|c| c.is_uppercase()).count() >= 3
        || t.text.split('-').any(|part| part.chars().count() == 1)
    {
        return Role::Other;
    }
    match lists.names.get(l) {
        Some(Class::Name) if t.capital => return Role::Name,
        // In lower case a listed name must not be an everyday word or one misspelt ("hurst"
        // for hurts, "ses" for says), unless it is a name common in England.
        Some(Class::Name)
            if letters >= 3
                && !lists.words.contains(l)
                && (lists.common.contains(l) || !misspelt_word(l, lists)) =>
        {
            return Role::Name;
        }
        // One letter from a word ("gaby", "conor") yet doing what people do: "gaby gave",
        // "conor hit me".
        Some(Class::Name)
            if letters >= 3
                && !lists.words.contains(l)
                && next.is_some_and(|n| PERSON_ACTS.contains(&n.lower.as_str())) =>
        {
            return Role::Name;
        }
        Some(Class::Word) if t.capital && !shouted => return Role::Maybe,
        Some(_) => return Role::Other,
        None => {}
    }
    // A capitalised word that is no English word, place, day or language is most often a name
    // the list has not seen; acronyms ("CAMHS") and shouting are not.
    let everyday = lists.words.contains(l) || lists.words.contains(&l.replace(['\'', '’'], ""));
    if !t.capital || shouted || letters < 2 || everyday {
        // In lower case such a word can only follow a name, as its surname ("helen tanaka").
        let surname = after_name
            && !t.capital
            && !everyday
            && letters >= 3
            && !lists.proper.contains(l)
            && !misspelt_word(l, lists);
        return if surname { Role::Surname } else { Role::Other };
    }
    if lists.proper.contains(l) {
        // "Chen Nair": a place's name after a name is a surname.
        return if t.initial {
            Role::Other
        } else {
            Role::Surname
        };
    }
    if t.initial && letters >= 4 && misspelt_word(l, lists) {
        return Role::Other;
    }
    if !t.initial {
        return Role::Name;
    }
    // At a sentence's start capitals say nothing, so the next word must read as after a name,
    // or the word stands alone as an item of a list ("Tesfay\nSemhar", "Yonas, Semhar").
    let alone = next.is_none_or(|n| {
        let gap = &text[t.end..n.start];
        let base = n.lower.split(['\'', '’']).next().unwrap_or("");
        gap.contains('\n') || gap.contains(',') && n.capital && !not_name(base)
    });
    if alone && letters >= 3 && !misspelt_word(l, lists) {
        return Role::Name;
    }
    match next {
        Some(n)
            if AFTER_NAME.contains(&n.lower.as_str())
                || (n.capital
                    && !n.initial
                    && n.lower.chars().count() >= 2
                    && !not_name(n.lower.split(['\'', '’']).next().unwrap_or(""))) =>
        {
            Role::Name
        }
        _ => Role::Maybe,
    }
}

/// In lower case a listed name is taken alone only when it is no everyday word and no slip of
/// one, which leaves "smith" in "john smith", "brown" in "sarah brown" and "ana" in "ana lopez"
/// (a slip of "anal"). Before a sure name, joined by a space, a listed name that is no word is
/// its given name ("hope sarah is ok" keeps its "hope"); after a name, see `surnames_after`.
fn given_before_sure_names(
    tokens: &[Token<'_>],
    roles: &mut [Role],
    joined: &impl Fn(usize, usize) -> bool,
    lists: &Lists,
) {
    for k in 0..tokens.len().saturating_sub(1) {
        let (t, next) = (&tokens[k], &tokens[k + 1]);
        if roles[k] == Role::Other
            && roles[k + 1] == Role::Name
            && !t.capital
            && !next.capital
            && joined(k, k + 1)
            && lists.names.get(&t.lower) == Some(&Class::Name)
            && !lists.words.contains(&t.lower)
            && may_join_a_name(t)
        {
            roles[k] = Role::Maybe;
        }
    }
}

/// Whether `t`, a listed name in lower case, can be part of a name beside another: long enough,
/// and no word that goes on a sentence after a name ("will", "may", "said").
fn may_join_a_name(t: &Token<'_>) -> bool {
    let l = t.lower.as_str();
    t.text.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && !not_name(l)
        && !AFTER_NAME.contains(&l)
        && !PERSON_DOES.contains(&l)
        && !NOT_AFTER_VAN.contains(&l)
        && !GOES_ON.contains(&l)
}

/// A name found from `from` on is followed, after one space, by a lower-case listed name (also
/// when it is an everyday word or a slip of one: "john smith", "sarah brown", "hoang minh tuan"):
/// that is its surname, masked with it.
fn surnames_after(text: &str, tokens: &[Token<'_>], from: usize, out: &mut [Found], lists: &Lists) {
    for found in &mut out[from..] {
        if found.2 != Kind::Name {
            continue;
        }
        let Ok(k) = tokens.binary_search_by_key(&(found.1 + 1), |t| t.start) else {
            continue;
        };
        let t = &tokens[k];
        if &text[found.1..t.start] == " "
            && !t.capital
            && lists.names.contains_key(&t.lower)
            && may_join_a_name(t)
        {
            found.1 = t.end;
        }
    }
}

/// "tran thi mai", "le van hung": a Vietnamese family name, "thi" or "van", and a given name,
/// all in lower case, are a name whatever words they are ("le", "mai"), as in capitals. The
/// family name must be one of the commonest, which English does not use as words ("do van
/// deliveries" is not a name).
fn lower_vietnamese(
    tokens: &[Token<'_>],
    joined: &impl Fn(usize, usize) -> bool,
    out: &mut Vec<Found>,
) {
    for k in 1..tokens.len().saturating_sub(1) {
        let (family, middle, given) = (&tokens[k - 1], &tokens[k], &tokens[k + 1]);
        // In capitals (or Title Case, where capitals were set aside) the run above decides.
        if family.capital || middle.capital || given.capital {
            continue;
        }
        if matches!(middle.lower.as_str(), "van" | "văn" | "thi" | "thị")
            && VIETNAMESE_FAMILIES.contains(&family.lower.as_str())
            && given.lower.chars().count() >= 2
            && !NOT_AFTER_VAN.contains(&given.lower.as_str())
            && !not_name(&given.lower)
            && joined(k - 1, k)
            && joined(k, k + 1)
        {
            out.push((family.start, given.end, Kind::Name));
        }
    }
}

/// Whether `w` (in lower case) is an everyday word, one with an ending the list lacks, or one
/// misspelt: what other finders ask before taking a lower-case word for part of a name.
pub(super) fn everyday_word(w: &str) -> bool {
    let lists = &*LISTS;
    w.chars().filter(|c| c.is_alphabetic()).count() < 3
        || not_name(w)
        || lists.words.contains(w)
        || lists.words.contains(&w.replace(['\'', '’'], ""))
        || inflected_word(w, lists)
        || misspelt_word(w, lists)
}

/// Whether `t` is a lower-case word in no list and no misspelling of an everyday word: a name
/// where the words around it say so ("rahaf and bashir", "i told cerys").
fn unknown_lower(t: &Token<'_>, lists: &Lists) -> bool {
    let l = t.lower.as_str();
    !t.capital
        && t.text.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && !lists.names.contains_key(l)
        && !lists.words.contains(l)
        && !lists.words.contains(&l.replace(['\'', '’'], ""))
        && !lists.proper.contains(l)
        && !not_name(l)
        && !inflected_word(l, lists)
        && !misspelt_word(l, lists)
}

/// The words of `text`, each without a possessive "'s".
fn tokens(text: &str) -> Vec<Token<'_>> {
    token_spans(text, &P.token)
        .into_iter()
        .map(|(start, end)| {
            let base = strip_possessive(&text[start..end]);
            Token {
                start,
                end: start + base.len(),
                text: base,
                lower: base.to_lowercase(),
                capital: base.starts_with(char::is_uppercase),
                initial: sentence_initial(text, start),
            }
        })
        .filter(|t| !t.text.is_empty())
        .collect()
}

pub(super) fn find(text: &str, out: &mut Vec<Found>) {
    let from = out.len();
    let lists = &*LISTS;
    let mut tokens = tokens(text);
    // In Title Case ("I Want To See My Mum More Often") capitals say nothing about names.
    let capitals = tokens.iter().filter(|t| t.capital).count();
    let title_case = tokens.len() >= 5 && capitals * 10 >= tokens.len() * 8;
    if title_case {
        for t in &mut tokens {
            t.capital = false;
        }
    }
    let mut roles: Vec<Role> = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        let after_name = roles
            .last()
            .is_some_and(|r| !matches!(r, Role::Other | Role::Particle));
        roles.push(role(text, t, tokens.get(i + 1), after_name, lists));
    }
    // Runs of name words joined by single spaces: a run is a name when it holds a sure name,
    // follows a title, or is two names from the list in capitals mid-sentence ("Will Smith").
    let joined = |a: usize, b: usize| &text[tokens[a].end..tokens[b].start] == " ";
    // A listed name in capitals mid-sentence that is no month, season or thing.
    let capital_listed_anywhere = |k: usize| {
        tokens.get(k).is_some_and(|t| {
            t.capital
                && lists.names.contains_key(&t.lower)
                && !lists.proper.contains(&t.lower)
                && !mostly_a_thing(&t.lower, NOT_WITH_PEOPLE)
        })
    };
    let capital_listed = |k: usize| capital_listed_anywhere(k) && !tokens[k].initial;
    given_before_sure_names(&tokens, &mut roles, &joined, lists);
    lower_vietnamese(&tokens, &joined, out);
    // "Le Thi Hoa", "Do Van Hung": a Vietnamese name in capitals, its middle name between, is a
    // name whatever its family and given names are as words ("Le", "Do", "Hung"), even at a
    // sentence's start, where capitals say nothing of a single word.
    for k in 1..tokens.len().saturating_sub(1) {
        let (family, middle, given) = (&tokens[k - 1], &tokens[k], &tokens[k + 1]);
        if !title_case
            && family.capital
            && middle.capital
            && given.capital
            && matches!(middle.lower.as_str(), "van" | "văn" | "thi" | "thị")
            && joined(k - 1, k)
            && joined(k, k + 1)
            && roles[k - 1] != Role::Title
        {
            out.push((family.start, given.end, Kind::Name));
        }
    }
    let mut i = 0;
    while i < tokens.len() {
        let titled = roles[i] == Role::Title
            && tokens.get(i + 1).is_some_and(|n| {
                let gap = &text[tokens[i].end..n.start];
                gap == " " || gap == ". "
            });
        let first = i + usize::from(titled);
        let title_ok = titled && title_accepts(&tokens[i], &tokens[first], roles[first]);
        let mut j = first;
        let (mut sure, mut listed) = (false, 0);
        while j < tokens.len() {
            if j > first && !joined(j - 1, j) {
                break;
            }
            match roles[j] {
                Role::Name => sure = true,
                // After "Mr" or "Dr" the next word is the name whatever it is.
                _ if j == first && title_ok => {}
                Role::Maybe => listed += usize::from(lists.names.contains_key(&tokens[j].lower)),
                Role::Surname if j > first => {}
                // A particle inside a run, before a capitalised word ("bin Ahmed").
                Role::Particle
                    if j > first
                        && tokens.get(j + 1).is_some_and(|n| n.capital)
                        && roles.get(j + 1).is_some_and(|r| *r != Role::Other)
                        && joined(j, j + 1) => {}
                // A Vietnamese middle name after a family name ("Nguyen Van An", "pham van
                // long"): the given name after it is one whatever else it is ("An", "Long").
                Role::Particle
                    if j > first
                        && tokens[j].lower == "van"
                        && roles[j - 1] == Role::Name
                        && tokens.get(j + 1).is_some_and(|n| {
                            n.lower.chars().count() >= 2
                                && !NOT_AFTER_VAN.contains(&n.lower.as_str())
                        })
                        && joined(j, j + 1) => {}
                _ if j >= first + 2
                    && tokens[j - 1].lower == "van"
                    && roles[j - 1] == Role::Particle => {}
                _ => break,
            }
            j += 1;
        }
        // "Wellington Street", "Kingsway Primary", "Hyde United", "St Mary's": a place named
        // after someone is not the person. A street is masked as an address.
        let is_place = |w: &Token<'_>| {
            w.capital && (STREETS.contains(&w.lower.as_str()) || PLACES.contains(&w.lower.as_str()))
        };
        // The street word may have joined the run itself ("Street" is a surname too).
        let place_word = if j > first + 1 && is_place(&tokens[j - 1]) {
            tokens.get(j - 1)
        } else {
            tokens
                .get(j)
                .filter(|w| j > first && joined(j - 1, j) && is_place(w))
        };
        if let Some(w) = place_word {
            if STREETS.contains(&w.lower.as_str()) {
                out.push((tokens[first].start, w.end, Kind::Address));
            }
            i = j.max(i + 1);
            continue;
        }
        if j > first && first > 0 && matches!(tokens[first - 1].lower.as_str(), "st" | "saint") {
            i = j;
            continue;
        }
        // "the Kenworth", "a Lamborghini poster", "in Compton": a word the list does not know
        // as a name (only) is a thing or a place after "the" or "in" ("the Khans", "in Jade's
        // room" are still people).
        if j > first && !titled && first > 0 {
            let before = &tokens[first - 1];
            let listed = (first..j).any(|k| {
                let l = tokens[k].lower.as_str();
                let one = l.strip_suffix('s').unwrap_or(l);
                [l, one]
                    .iter()
                    .any(|w| lists.names.get(*w) == Some(&Class::Name))
            });
            // "in Tesfay's room": what is someone's is a person's.
            let owned = text[tokens[j - 1].end..].starts_with(['\'', '’']);
            let listed = listed || owned;
            let thing =
                joined(first - 1, first) && DETERMINERS.contains(&before.lower.as_str()) && !listed;
            let place =
                joined(first - 1, first) && IN_A_PLACE.contains(&before.lower.as_str()) && !listed;
            if thing || place {
                i = j;
                continue;
            }
        }
        // "#FakeNews" is a hashtag.
        if j > first && text[..tokens[first].start].ends_with('#') {
            i = j;
            continue;
        }
        // "921 Bridie Rapids": capitalised words right after a house number are a street's.
        let after_number = text[..tokens[first].start]
            .strip_suffix(' ')
            .is_some_and(|b| b.ends_with(|c: char| c.is_ascii_digit()))
            && !titled;
        if j > first && after_number {
            i = j;
            continue;
        }
        // "eyerusalem hussain": an unknown lower-case given name before a listed surname.
        let mut first = first;
        if j > first
            && !titled
            && first > 0
            && roles[first] == Role::Name
            && !tokens[first].capital
            && joined(first - 1, first)
            && unknown_lower(&tokens[first - 1], lists)
        {
            first -= 1;
        }
        if j > first {
            // "Jun and Xiaoling": a name that is also a word, beside a sure name.
            let and_name = |a: usize, b: usize| {
                matches!(tokens.get(a).map(|t| t.lower.as_str()), Some("and" | "&"))
                    && roles.get(b) == Some(&Role::Name)
            };
            let beside = j == first + 1
                && tokens[first].capital
                && !tokens[first].initial
                && (and_name(j, j + 1) || first >= 2 && and_name(first - 1, first - 2));
            // "and then Grace said", "I told Will": a capitalised name that is also a word,
            // mid-sentence, doing or being told what people do.
            // ... and at a sentence's start, when it does ("Jade said no", "Grace helped me").
            let starts_acting = j == first + 1
                && tokens[first].capital
                && tokens[first].initial
                && capital_listed_anywhere(first)
                && !NOT_AT_START.contains(&tokens[first].lower.as_str())
                && tokens
                    .get(j)
                    .is_some_and(|n| joined(j - 1, j) && PERSON_DOES.contains(&n.lower.as_str()));
            let acts = j == first + 1
                && tokens[first].capital
                && !tokens[first].initial
                && (tokens
                    .get(j)
                    .is_some_and(|n| joined(j - 1, j) && PERSON_DOES.contains(&n.lower.as_str()))
                    || first >= 1
                        && joined(first - 1, first)
                        && matches!(
                            tokens[first - 1].lower.as_str(),
                            "told" | "asked" | "texted" | "met" | "visited"
                        ));
            // "with Jade", "I miss Ruby", "Amber and Ruby": in capitals
            // mid-sentence, where people go with, see and miss people. Not a month, a season or
            // a thing ("in May with my carers", "on Sky with my dad").
            let and_at = |k: usize| {
                k >= 1
                    && k + 1 < tokens.len()
                    && tokens[k].lower == "and"
                    && joined(k - 1, k)
                    && joined(k, k + 1)
            };
            // "me and Holly", "Jade and me"; not "and I", which goes on a sentence ("I am
            // Muslim and I pray").
            let me = |k: usize| tokens[k].lower == "me";
            // "I live with Summer", "we stayed with Autumn": where a child lives or stays, a
            // listed name in capitals is a person even if it is more often a season or thing.
            let lives_with = j == first + 1
                && tokens[first].capital
                && !tokens[first].initial
                && first >= 2
                && lists.names.contains_key(&tokens[first].lower)
                && !lists.proper.contains(&tokens[first].lower)
                && !NOT_WITH_PEOPLE.contains(&tokens[first].lower.as_str())
                && tokens[first - 1].lower == "with"
                && joined(first - 1, first)
                && joined(first - 2, first - 1)
                && WITH_PERSON.contains(&tokens[first - 2].lower.as_str())
                && tokens[first - 2].lower != "me";
            let with = j == first + 1
                && capital_listed(first)
                && (first >= 1
                    && joined(first - 1, first)
                    && WITH_PEOPLE.contains(&tokens[first - 1].lower.as_str())
                    || first >= 2
                        && and_at(first - 1)
                        && (me(first - 2) || capital_listed(first - 2))
                    || and_at(j) && (me(j + 1) || capital_listed(j + 1)));
            // "Rose is my foster carer", "Dawn is the manager": what someone is to the writer,
            // or their role, is a person's. "Grace and I are sisters": at a sentence's start,
            // with "I" or "me" (mid-sentence "and I" goes on a sentence: "I am Muslim and I
            // pray").
            let is_a_relation = j == first + 1
                && capital_listed_anywhere(first)
                && said_to_be_a_relation(text, &tokens, first);
            let and_i = j == first + 1
                && tokens[first].initial
                && capital_listed_anywhere(first)
                && !NOT_AT_START.contains(&tokens[first].lower.as_str())
                && and_at(j)
                && matches!(tokens[j + 1].lower.as_str(), "i" | "me");
            let pair = listed >= 2 && !tokens[first].initial
                || beside
                || acts
                || with
                || starts_acting
                || is_a_relation
                || and_i
                || lives_with;
            if sure || title_ok || pair {
                let s = if title_ok && FORMAL.contains(&tokens[i].lower.as_str()) {
                    tokens[i].start
                } else {
                    tokens[first].start
                };
                out.push((s, tokens[j - 1].end, Kind::Name));
            }
            i = j;
        } else {
            i += 1;
        }
    }
    // A lower-case word in no list is a name beside a name ("rahaf and bashir", "mariam and
    // amaka"), after words said of a person ("i told cerys") or before them ("yonas said").
    let is_name = |k: usize| roles.get(k) == Some(&Role::Name);
    for (k, t) in tokens.iter().enumerate() {
        if roles[k] != Role::Other && roles[k] != Role::Surname || t.capital {
            continue;
        }
        let prev = k.checked_sub(1).map(|p| tokens[p].lower.as_str());
        let next = tokens.get(k + 1).map(|n| n.lower.as_str());
        let joined_before = k > 0 && plain_gap(text, &tokens[k - 1], t);
        let joined_after = tokens.get(k + 1).is_some_and(|n| plain_gap(text, t, n));
        let beside_name = (joined_before
            && (k >= 2 && matches!(prev, Some("and" | "&" | "or")) && is_name(k - 2)
                || text[tokens[k - 1].end..t.start].contains(',') && is_name(k - 1)))
            || (joined_after && matches!(next, Some("and" | "&" | "or")) && is_name(k + 2));
        let before_prev = k.checked_sub(2).map(|p| tokens[p].lower.as_str());
        let object = joined_before
            && (prev.is_some_and(|p| BEFORE_PERSON.contains(&p))
                || matches!(prev, Some("with" | "and"))
                    && before_prev.is_some_and(|p| WITH_PERSON.contains(&p)));
        let subject = joined_after && t.initial && next.is_some_and(|n| PERSON_DOES.contains(&n));
        if (beside_name || object || subject) && unknown_lower(t, lists) {
            out.push((t.start, t.end, Kind::Name));
        }
    }
    // "i told grace about it", "me and rose went", "i live with holly and her mum": in lower
    // case, a given name that is also a word, after a word said to or with a person, where
    // what follows goes on as after one ("with rich people" does not).
    for (k, t) in tokens.iter().enumerate().skip(1) {
        // The words before first: they rule out most words at once, the lists' lookups less so.
        let prev = tokens[k - 1].lower.as_str();
        let before_prev = k.checked_sub(2).map(|p| tokens[p].lower.as_str());
        let object = BEFORE_PERSON.contains(&prev)
            || matches!(prev, "with" | "and")
                && before_prev.is_some_and(|p| WITH_PERSON.contains(&p));
        if !object
            || t.capital
            || !plain_gap(text, &tokens[k - 1], t)
            || !given_word(&t.lower, lists)
        {
            continue;
        }
        let goes_on = tokens.get(k + 1).is_none_or(|n| {
            !plain_gap(text, t, n)
                || text[t.end..n.start].contains(',')
                || AFTER_PERSON.contains(&n.lower.as_str())
                || AFTER_NAME.contains(&n.lower.as_str())
        });
        if goes_on {
            out.push((t.start, t.end, Kind::Name));
        }
    }
    // "rose is my foster carer", "will is my brother": in lower case, a listed name that is
    // also a word, starting a sentence before what it is to someone ("will is" is no verb).
    for (k, t) in tokens.iter().enumerate() {
        if !t.capital
            && t.initial
            && lists.names.get(&t.lower) == Some(&Class::Word)
            && !lists.proper.contains(&t.lower)
            && !mostly_a_thing(&t.lower, NOT_WITH_PEOPLE)
            && said_to_be_a_relation(text, &tokens, k)
        {
            out.push((t.start, t.end, Kind::Name));
        }
    }
    families(text, &tokens, title_case, out, lists);
    cues::cues(text, &tokens, lists, title_case, out);
    surnames_after(text, &tokens, from, out, lists);
    couples(text, &tokens, from, out, lists);
    // Last, so it looks only at the words no rule took; in Title Case capitals say nothing.
    if !title_case {
        second_look::find(text, &tokens, out);
    }
}

/// "the Smiths", "the Khans", "the Browns": a family, as foster carers are often named, when a
/// listed name in capitals takes an "s" after "the" (names that are also words only as
/// surnames: not "the Kings", "the Angels").
fn families(
    text: &str,
    tokens: &[Token<'_>],
    title_case: bool,
    out: &mut Vec<Found>,
    lists: &Lists,
) {
    if title_case {
        return;
    }
    for k in 1..tokens.len() {
        let (the, t) = (&tokens[k - 1], &tokens[k]);
        let Some(one) = t.lower.strip_suffix('s') else {
            continue;
        };
        if t.capital
            && the.lower == "the"
            && plain_gap(text, the, t)
            && one.chars().count() >= 3
            && lists.names.contains_key(one)
            && !mostly_a_thing(one, NOT_FAMILIES)
            && !out.iter().any(|f| f.0 <= t.start && t.start < f.1)
        {
            out.push((t.start, t.end, Kind::Name));
        }
    }
}

/// "mark and lisa taylor": a listed name in lower case before "and" and a whole name shares its
/// surname (foster carers are often named so), even when it is also a word ("mark", "will").
fn couples(text: &str, tokens: &[Token<'_>], from: usize, out: &mut Vec<Found>, lists: &Lists) {
    let whole: Vec<usize> = out[from..]
        .iter()
        .filter(|f| f.2 == Kind::Name && text[f.0..f.1].contains(' '))
        .map(|f| f.0)
        .collect();
    for start in whole {
        let Ok(k) = tokens.binary_search_by_key(&start, |t| t.start) else {
            continue;
        };
        if k < 2 || !matches!(tokens[k - 1].lower.as_str(), "and" | "&") {
            continue;
        }
        let partner = &tokens[k - 2];
        if !partner.capital
            && &text[partner.end..tokens[k - 1].start] == " "
            && &text[tokens[k - 1].end..start] == " "
            && lists.names.contains_key(&partner.lower)
            && may_join_a_name(partner)
        {
            out.push((partner.start, partner.end, Kind::Name));
        }
    }
}

/// "Mr Patel", "mr patel", "dr hoxha", "Auntie Grace", "auntie artan"; but "I miss school" and
/// "Mr and Mrs" are no names.
fn title_accepts(title: &Token<'_>, next: &Token<'_>, next_role: Role) -> bool {
    let t = title.lower.as_str();
    let n = next.lower.as_str();
    if not_name(n) || AFTER_NAME.contains(&n) || TITLES.contains(&n) {
        return false;
    }
    if FORMAL.contains(&t) && !WEAK_TITLES.contains(&t) {
        return true;
    }
    let family = !WEAK_TITLES.contains(&t);
    match next_role {
        Role::Name => true,
        Role::Maybe => next.capital && (family || title.capital),
        Role::Surname => family || next.capital,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_tokens_are_the_patterns_matches() {
        let token = &P.token;
        for t in [
            "My worker Mr O'Neil-Smith said 'no' -- twice, 2x at 10am",
            "aisha's mum's friend-'s x-y - ' '' abc123def",
            "",
            "---",
            "Z",
        ] {
            let by_pattern: Vec<(usize, usize)> =
                token.find_iter(t).map(|m| (m.start(), m.end())).collect();
            assert_eq!(token_spans(t, token), by_pattern, "{t:?}");
        }
    }
}
