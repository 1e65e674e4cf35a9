//! Names after cues, read word by word: "my name is", "call me", "my social worker", "my
//! mum is called".
use super::lists::{Class, Lists, given_word, misspelt_word};
use super::words::{AFTER_NAME, PERSON_DOES, not_name};
use super::{Found, Kind, Token, everyday_word, unknown_lower};

/// The next word of `rest`, in lower case, if a word comes next.
fn next_word(rest: &str) -> Option<String> {
    let next: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    (!next.is_empty()).then_some(next)
}

/// Whether the next word is one that often follows a name ("said", "is", "wants").
fn before_verb(rest: &str) -> bool {
    next_word(rest)
        .is_some_and(|n| AFTER_NAME.contains(&n.as_str()) || n.ends_with('s') && n.len() > 3)
}

/// Names that are words as often at a sentence's start, made a person's after a relation only
/// by what a person does next ("my friend hope helped me", not "my mum hope you are ok").
const WORDS_AS_NAMES: &[&str] = &["hope", "faith", "joy", "mercy", "patience"];

/// Cues before a nickname, word by word: the name they point to may be one no list knows
/// ("known as bubs", "i go by jojo"), may follow a word such as "big" ("big mo", "lil jay"),
/// and after "nickname is" may be any everyday word that ends the sentence ("my nickname is
/// smudge"). Read before `CUES`, where "called" alone would stop at "me".
const NICKNAME_CUES: &[&[&str]] = &[
    &["nickname", "is"],
    &["nickname", "was"],
    &["nick", "name", "is"],
    &["nicknamed"],
    &["nicknamed", "me"],
    &["known", "as"],
    &["know", "me", "as"],
    &["knew", "me", "as"],
    &["go", "by"],
    &["goes", "by"],
    &["call", "me"],
    &["calls", "me"],
    &["called", "me"],
];
/// The nickname cues after which any everyday word ending the sentence is the nickname.
const NICKNAME_SAID: usize = 4;
/// The cues of name-calling as much as of nicknames: "call me", "calls me" and "called me" are
/// also how it is told ("my step dad calls me fatso"), so after them only a listed name is
/// one, and an insult stays in view for the people who read it.
const NAME_CALLING: &[&str] = &["call", "calls", "called"];
/// Words that stand before a nickname as part of it ("big mo", "lil jay", "young t").
const NICKNAME_PREFIXES: &[&str] = &["big", "lil", "little", "young", "yung", "baby", "wee"];

/// Greetings and thanks, and whom they are said to after one space: "thank you Sarah", "hey
/// tanner", "bye kishan". The word must be a name the list knows (in capitals if it is also
/// a word) or no everyday word: "Hi I'm", "Hi, Today" and "thanks mum" name nobody.
const GREETINGS: &[&[&str]] = &[
    &["thank", "you"],
    &["thanks"],
    &["thankyou"],
    &["cheers"],
    &["hi"],
    &["hey"],
    &["hiya"],
    &["hello"],
    &["dear"],
    &["bye"],
    &["love", "you"],
    &["miss", "you"],
];

/// Cues before a name, word by word ("my name is", "this is"); strong cues allow an everyday
/// word as the name ("my name is will").
const CUES: &[&[&str]] = &[
    &["name", "is"],
    &["my", "names"],
    &["called"],
    &["named"],
    &["this", "is"],
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

/// What kind of cue points to a name.
#[derive(Clone, Copy, PartialEq)]
enum Cue {
    /// "my mum", "her social worker is called".
    Relation,
    /// "this is": "this is Sarah", but "this is long": as after a relation, an everyday word
    /// after it is no name.
    Introduction,
    /// "my name is", "called".
    Strong,
    /// "call me", "known as"; `said` for "my nickname is", `calling` for "calls me".
    Nickname { said: bool, calling: bool },
    /// "thank you", "hey".
    Greeting,
}

/// Where the words of `cue` stand at `i`, if they do: the index after them.
fn cue_words(text: &str, tokens: &[Token<'_>], i: usize, cue: &[&str]) -> Option<usize> {
    let n = cue.len();
    (i + n < tokens.len()
        && (0..n).all(|k| tokens[i + k].lower == cue[k])
        && (1..=n).all(|k| plain_gap(text, &tokens[i + k - 1], &tokens[i + k])))
    .then_some(i + n)
}

/// Whether a cue can start with `w`: most words start none, and are passed over at once.
fn starts_a_cue(w: &str) -> bool {
    static FIRST: std::sync::LazyLock<foldhash::HashSet<&str>> = std::sync::LazyLock::new(|| {
        NICKNAME_CUES
            .iter()
            .chain(GREETINGS)
            .chain(CUES)
            .map(|c| c[0])
            .chain(POSSESSIVES.iter().copied())
            .chain(["name"])
            .collect()
    });
    FIRST.contains(w)
}

/// The word a cue at `i` points to, and the kind of cue.
fn cue_at(text: &str, tokens: &[Token<'_>], i: usize) -> Option<(usize, Cue)> {
    let t = &tokens[i];
    if !starts_a_cue(&t.lower) {
        return None;
    }
    if t.lower == "name" && (text[t.end..].starts_with("'s") || text[t.end..].starts_with("’s")) {
        return Some((i + 1, Cue::Strong));
    }
    // The longest first: "nicknamed me" before "nicknamed".
    let mut nickname: Option<(usize, Cue)> = None;
    for (n, cue) in NICKNAME_CUES.iter().enumerate() {
        if let Some(j) = cue_words(text, tokens, i, cue)
            && nickname.is_none_or(|(k, _)| j > k)
        {
            let (said, calling) = (n < NICKNAME_SAID, NAME_CALLING.contains(&cue[0]));
            nickname = Some((j, Cue::Nickname { said, calling }));
        }
    }
    if nickname.is_some() {
        return nickname;
    }
    for cue in GREETINGS {
        if let Some(j) = cue_words(text, tokens, i, cue)
            && &text[tokens[j - 1].end..tokens[j].start] == " "
        {
            return Some((j, Cue::Greeting));
        }
    }
    for cue in CUES {
        if let Some(j) = cue_words(text, tokens, i, cue) {
            let introduction = cue == &["this", "is"];
            return Some((
                j,
                if introduction {
                    Cue::Introduction
                } else {
                    Cue::Strong
                },
            ));
        }
    }
    let mut j = relation_at(text, tokens, i, false)?;
    let step = |j: usize| j < tokens.len() && plain_gap(text, &tokens[j - 1], &tokens[j]);
    if step(j) && matches!(tokens[j].lower.as_str(), "is" | "was" | "are") {
        j += 1;
        if step(j) && tokens[j].lower == "called" {
            j += 1;
        }
    }
    step(j).then_some((j, Cue::Relation))
}

/// Whether the word at `i` is said to be someone's relation or role: "is" or "was" after it,
/// then one ("Rose is my foster carer", "will was my brother", "Dawn is the manager").
pub(super) fn said_to_be_a_relation(text: &str, tokens: &[Token<'_>], i: usize) -> bool {
    let joined = |a: usize| {
        tokens
            .get(a + 1)
            .is_some_and(|b| plain_gap(text, &tokens[a], b))
    };
    joined(i)
        && matches!(tokens[i + 1].lower.as_str(), "is" | "was")
        && joined(i + 1)
        && relation_at(text, tokens, i + 2, true).is_some()
}

/// Where a person's relation or role to someone ("my mum", "her new social worker", "our key
/// worker"; with `the`, "the manager" too) stands at `i`, if one does: the index after it.
fn relation_at(text: &str, tokens: &[Token<'_>], i: usize, the: bool) -> Option<usize> {
    let first = tokens.get(i)?.lower.as_str();
    if !(POSSESSIVES.contains(&first) || the && first == "the") {
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
        Some(j + 2)
    } else if step(j) && RELATIONS.contains(&tokens[j].lower.as_str()) {
        Some(j + 1)
    } else {
        None
    }
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
        let Some((mut k, cue)) = cue_at(text, tokens, i) else {
            continue;
        };
        let calling = matches!(cue, Cue::Nickname { calling: true, .. });
        let strong = !matches!(cue, Cue::Relation | Cue::Introduction) && !calling;
        let nickname = matches!(cue, Cue::Nickname { .. });
        // "call me big mo": the word before the nickname is part of it, and the nickname after
        // it may be a letter ("young t").
        let mut prefix = None;
        if nickname
            && let (Some(p), Some(n)) = (tokens.get(k), tokens.get(k + 1))
            && NICKNAME_PREFIXES.contains(&p.lower.as_str())
            && plain_gap(text, p, n)
        {
            prefix = Some(p.start);
            k += 1;
        }
        let Some(t) = tokens.get(k) else { continue };
        let lower = t.lower.as_str();
        if not_name(lower) || t.text.chars().count() < 2 && prefix.is_none() {
            continue;
        }
        if cue == Cue::Greeting {
            let named = match lists.names.get(lower) {
                Some(Class::Name) => true,
                Some(Class::Word) => t.capital && !title_case,
                None => !everyday_word(lower) && !lists.proper.contains(lower),
            };
            if named {
                out.push((t.start, t.end, Kind::Name));
            }
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
        // "my friend grace", not "my carer is sunny", which says what someone is like.
        let right_after = k > 0 && !matches!(tokens[k - 1].lower.as_str(), "is" | "was" | "are");
        let given_relation = |w: &str, rest: &str, ends: bool| {
            given_word(w, lists) && (ends || before_verb(rest))
                || WORDS_AS_NAMES.contains(&w)
                    && next_word(rest).is_some_and(|n| PERSON_DOES.contains(&n.as_str()))
        };
        let ok = capital
            || match lists.names.get(lower) {
                Some(Class::Name) => true,
                Some(Class::Word) => {
                    strong && ends
                        || prefix.is_some()
                        || cue == Cue::Relation && right_after && given_relation(lower, rest, ends)
                }
                None if matches!(cue, Cue::Nickname { said: true, .. }) => {
                    ends || !lists.words.contains(lower)
                }
                // "known as bubs", "i go by jojo", "known as big d": after a nickname's cue a
                // word no list knows, whatever follows it; never after "call me".
                None if calling => false,
                None if nickname && (prefix.is_some() || unknown_lower(t, lists)) => {
                    !lists.words.contains(lower) || prefix.is_some() && t.text.chars().count() == 1
                }
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
        out.push((prefix.unwrap_or(t.start), end, Kind::Name));
    }
}
