//! Names after cues, read word by word: "my name is", "call me", "my social worker", "my
//! mum is called".
use super::lists::{Class, Lists, misspelt_word};
use super::words::{AFTER_NAME, not_name};
use super::{Found, Kind, Token, unknown_lower};

/// Whether the next word is one that often follows a name ("said", "is", "wants").
fn before_verb(rest: &str) -> bool {
    let next: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    AFTER_NAME.contains(&next.as_str()) || next.ends_with('s') && next.len() > 3
}

/// Cues before a name, word by word ("my name is", "call me"); strong cues allow an everyday
/// word as the name ("my name is will").
const CUES: &[&[&str]] = &[
    &["name", "is"],
    &["my", "names"],
    &["called"],
    &["named"],
    &["call", "me"],
    &["this", "is"],
    &["known", "as"],
];
const POSSESSIVES: &[&str] = &["my", "our", "her", "his", "their", "your"];
const RELATION_ADJECTIVES: &[&str] = &[
    "little", "big", "older", "younger", "best", "old", "new", "foster", "step", "half", "birth",
    "first", "last", "other", "lovely", "real",
];
const RELATIONS_2: &[[&str; 2]] = &[
    ["social", "worker"],
    ["foster", "carer"],
    ["key", "worker"],
    ["support", "worker"],
    ["youth", "worker"],
    ["case", "worker"],
    ["personal", "advisor"],
    ["personal", "adviser"],
];
const RELATIONS: &[&str] = &[
    "sw",
    "worker",
    "brother",
    "sister",
    "bro",
    "sis",
    "mum",
    "mam",
    "mom",
    "dad",
    "mother",
    "father",
    "stepmum",
    "stepdad",
    "stepbrother",
    "stepsister",
    "carer",
    "carers",
    "friend",
    "mate",
    "boyfriend",
    "girlfriend",
    "bf",
    "gf",
    "teacher",
    "keyworker",
    "caseworker",
    "pa",
    "iro",
    "advocate",
    "nan",
    "nana",
    "nanna",
    "gran",
    "granny",
    "grandma",
    "grandad",
    "grandpa",
    "grandmother",
    "grandfather",
    "aunt",
    "auntie",
    "aunty",
    "uncle",
    "cousin",
    "son",
    "daughter",
    "baby",
    "partner",
    "therapist",
    "counsellor",
    "manager",
    "boss",
    "neighbour",
    "tutor",
    "mentor",
    "coach",
    "doctor",
    "nurse",
    "imam",
    "solicitor",
    "interpreter",
    "guardian",
    "twin",
    "wife",
    "husband",
    "roommate",
    "housemate",
    "flatmate",
];

/// Whether only spaces (and a comma) stand between two words.
pub(super) fn plain_gap(text: &str, a: &Token<'_>, b: &Token<'_>) -> bool {
    text[a.end..b.start].chars().all(|c| c == ' ' || c == ',')
}

/// The word a cue at `i` points to, and whether the cue is a strong one.
fn cue_at(text: &str, tokens: &[Token<'_>], i: usize) -> Option<(usize, bool)> {
    let t = &tokens[i];
    if t.lower == "name" && (text[t.end..].starts_with("'s") || text[t.end..].starts_with("’s")) {
        return Some((i + 1, true));
    }
    for cue in CUES {
        let n = cue.len();
        if i + n < tokens.len()
            && (0..n).all(|k| tokens[i + k].lower == cue[k])
            && (1..=n).all(|k| plain_gap(text, &tokens[i + k - 1], &tokens[i + k]))
        {
            return Some((i + n, true));
        }
    }
    if !POSSESSIVES.contains(&t.lower.as_str()) {
        return None;
    }
    let mut j = i + 1;
    let step = |j: usize| j < tokens.len() && plain_gap(text, &tokens[j - 1], &tokens[j]);
    while step(j) && RELATION_ADJECTIVES.contains(&tokens[j].lower.as_str()) {
        j += 1;
    }
    if step(j)
        && step(j + 1)
        && RELATIONS_2
            .iter()
            .any(|r| tokens[j].lower == r[0] && tokens[j + 1].lower == r[1])
    {
        j += 2;
    } else if step(j) && RELATIONS.contains(&tokens[j].lower.as_str()) {
        j += 1;
    } else {
        return None;
    }
    if step(j) && matches!(tokens[j].lower.as_str(), "is" | "was" | "are") {
        j += 1;
        if step(j) && tokens[j].lower == "called" {
            j += 1;
        }
    }
    step(j).then_some((j, false))
}

/// Names after cues. In Title Case (`title_case`) a capital after a cue says nothing either.
pub(super) fn cues(
    text: &str,
    tokens: &[Token<'_>],
    lists: &Lists,
    title_case: bool,
    out: &mut Vec<Found>,
) {
    for i in 0..tokens.len() {
        let Some((k, strong)) = cue_at(text, tokens, i) else {
            continue;
        };
        let Some(t) = tokens.get(k) else { continue };
        let lower = t.lower.as_str();
        if not_name(lower) || t.text.chars().count() < 2 {
            continue;
        }
        // After a cue a capitalised word is a name; in lower case a name only from the list,
        // and an everyday word only after "my name is" with nothing following ("my name is
        // will", not "my friend will help").
        let capital = t.capital && !title_case;
        let rest = &text[t.end..];
        let ends = rest
            .trim_start()
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
            || rest.trim_start().to_lowercase().starts_with("and ");
        let ok = capital
            || match lists.names.get(lower) {
                Some(Class::Name) => true,
                Some(Class::Word) => strong && ends,
                // "my mum tsega": an unknown word, no everyday one or a misspelling of one, and
                // only where a name ends ("my mum tsega wants", not "my mum carnt cope").
                None => {
                    !lists.words.contains(lower)
                        && (strong && ends
                            || (!misspelt_word(lower, lists) && (ends || before_verb(rest))))
                }
            };
        if !ok {
            continue;
        }
        let end = match tokens.get(k + 1) {
            Some(n) if capital && n.capital && &text[t.end..n.start] == " " => n.end,
            // "my PA yan rahimi"
            Some(n) if !capital && &text[t.end..n.start] == " " && unknown_lower(n, lists) => n.end,
            _ => t.end,
        };
        out.push((t.start, end, Kind::Name));
    }
}
