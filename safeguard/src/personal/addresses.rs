//! Street addresses where the cues are clear: a number and a street word, in the British and
//! American order (`14 Acacia Avenue`, `123 Main Street, Springfield`, `Apt 3B, 200 Broadway`)
//! and the continental one (`Rue de Rivoli 12`, `Calle Mayor 5`, `Hauptstraße 7`, `12 rue de
//! la Paix`), with flat and apartment numbers, and what follows the street: a town after a
//! comma, a postcode and its town (`, 28013 Madrid`, `, 00-590 Warszawa`), a US state and ZIP
//! code (`, IL 62704`), and a town with its state and ZIP code on the next line or without
//! commas (`Springfield IL 62704`); and after a word for an address, a name and a house number
//! whatever the street word (`address: Slivenecká 4`, `moved us to 1 Perry Cutting`).
use std::sync::LazyLock;

use regex::Regex;

use super::{Found, Kind, re};

/// Street words that follow the street's name. Those marked strong are street words whatever the
/// case; the rest ("park", "green", "view") count only in a capitalised name.
const STRONG: &str = r"road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|crescent|cres|terrace|boulevard|blvd|broadway|highway|hwy|parkway|pkwy|gardens|gdns|mews|grove|court|ct|place|pl|square|sq|estate|flats|towers";
const WEAK: &str = r"(?:way|hill|park|view|walk|row|rise|green|vale|parade|house|wharf|meadow|field|croft|end|alley|bend|bluff|bottom|branch|bridge|brook|burg|bypass|camp|canyon|cape|causeway|cent(?:er|re)|circle|cir|cliff|club|common|corner|course|cove|creek|crest|crossing|curve|dale|dam|divide|expressway|extension|fall|ferry|flat|ford|forest|forge|fork|fort|freeway|garden|gateway|glen|harbou?r|haven|height|hollow|inlet|island|isle|junction|key|knoll|lake|landing|light|loaf|lock|lodge|loop|mall|manor|mill|mission|motorway|mount|mountain|neck|orchard|oval|overpass|pass|passage|path|pike|pine|plain|plaza|point|port|prairie|radial|ramp|ranch|rapid|rest|ridge|route|run|shoal|shore|skyway|spring|spur|station|stravenue|stream|summit|throughway|trace|track|trafficway|trail|trl|tunnel|turnpike|underpass|union|valley|viaduct|village|ville|vista|well|gate|yard|chase|grange|copse|brow|bank|side|wood|heath|moor|close|drive|road|street|lane|avenue|court|place|square|terrace|grove|estate|flat|tower|land|river|wall|crossroad|cross|nagar|marg|chowk|colony|gali|bazaar|bagh|cottage|villa|building)s?";
/// Street words that come before the name (rue de Rivoli, Calle Mayor, Via Roma).
const BEFORE: &str = r"rue|avenue|av\.|avenida|calle|c/|carrer|paseo|passeig|plaza|pla[çc]a|camino|carretera|ronda|rambla|glorieta|traves[ií]a|callej[oó]n|pasaje|alameda|urbanizaci[oó]n|barrio|colonia|cerrada|privada|circuito|calzada|bulevar|via|viale|vicolo|piazza|piazzale|corso|largo|borgo|contrada|lungomare|rua|praça|travessa|estrada|rodovia|beco|strada|str\.|calea|aleea|bulevardul|[șs]oseaua|ulica|ul\.|aleja|al\.|plac|pl\.|osiedle|os\.|boulevard|bd|chemin|place|allée|quai|impasse|cours|passage|chauss[ée]e|route|straat|laan|plein|ulitsa|jalan|jl\.|jln\.?|gg\.|gang|đường|phố|bulevar|v[ií]a|cuesta|plazuela|sector|partida|riera|subida|bajada|pol[ií]gono|carrera|senda|muelle|prolongaci[oó]n|rotonda|traversa|localit[àa]|marginal|ladeira|viela|vila|conjunto|setor|quadra|jardim|intrarea|drumul|pia[țt]a|splaiul";
/// Street words that come after the name and before the number (Brīvības iela 12).
const AFTER: &str = r"iela|ulica|utca|út|tér|körút|caddesi|cad\.|sokak|sokağı|sk\.|küçəsi|prospekti|gatve|prospektas|bulevar|bulvarı|mahallesi|mah\.|köz|fasor|rakpart|lakótelep|sétány|ko['ʻ’]chasi|mahallasi";
/// Street words that end a compound name (Hauptstraße, Kungsgatan, Karl-Marx-Allee).
const SUFFIX: &str = r"straße|strasse|str\.|gasse|weg|platz|allee|damm|ufer|gatan|vägen|gränd|torget|stigen|backen|allén|vej|gade|allé|plads|stræde|veien|vegen|gata|gate|plassen|laan|straat|plein|gracht|kade|singel|utca|katu|kuja|polku|väylä|ranta|rinne|mäki|piha|kaari|raitti|vænget|bakken|stien|haugen|åsen|jordet|veg";

const UNIT: &str = r"(?:flat|apartment|apt\.?|unit|suite|ste\.?|room|no\.?|#)\s*\d+[a-z]?";

struct Patterns {
    number_first: Regex,
    number_last: Regex,
    compound: Regex,
    unit_before: Regex,
    unit_after: Regex,
    town: Regex,
    direction: Regex,
    unit_slash: Regex,
    number_before: Regex,
    postcode_town: Regex,
    state_zip: Regex,
    town_state_zip: Regex,
    town_after_postcode: Regex,
    street_cue: Regex,
    cue: Regex,
    cued_street: Regex,
    post_cued_street: Regex,
}

/// A name in capitals and a house number, or a number and a name in capitals, whatever the
/// street word (many countries write none): an address where words around it say so.
const HOUSE: &str = concat!(
    r"\p{Lu}[\p{L}'’.\-]*(?:[ \t]+(?:\p{Lu}[\p{L}'’.\-]*|de|da|do|dos|das|di|del|van|von|der|den|la|le)){0,3}(?:[ \t]+\p{Ll}[\p{L}'’\-]{2,})?,?[ \t]+\d{1,5}[a-zA-Z]?(?:/\d{1,5}[a-zA-Z]?)?",
    r"|\d{1,5}[a-zA-Z]?,?[ \t]+\p{Lu}[\p{L}'’\-]*(?:[ \t]+\p{Lu}[\p{L}'’\-]*){0,3}",
);

static P: LazyLock<Patterns> = LazyLock::new(|| Patterns {
    // 14 Acacia Avenue; 12 rue de la Paix; 45 Rue Victor Hugo
    number_first: re(&format!(
        r"(?i)(?-u:\b)\d{{1,5}}[a-z]?(?:-\d{{1,5}})?,?\s+(?:(?:{BEFORE})\s+(?:(?:de|du|des|la|le|del|de la|dei|da|do|dos|das|di)\s+|l['’]|d['’])*[\p{{L}}'’\-]+(?:\s+(?-i:\p{{Lu}})[\p{{L}}'’\-]+){{0,3}}|(?:[\p{{L}}'’\-]+\s+){{1,3}}(?:{STRONG}|{WEAK})(?-u:\b)\.?|broadway(?-u:\b))"
    )),
    // Rue de Rivoli 12; Calle Mayor 5; Via Roma 22; ul. Marszałkowska 10
    number_last: re(&format!(
        r"(?i)(?-u:\b)(?:{BEFORE})\s+(?:(?:de|du|des|la|le|del|de la|dei|da|do|dos|das|di)\s+|l['’]|d['’])*(?:[\p{{L}}'’\-]+\.?\s+){{0,3}}[\p{{L}}'’\-]+,?\s+(?:no\.?\s*|nr\.?\s*|n[°º]\s*)?\d{{1,5}}[a-z]?(?-u:\b)"
    )),
    // Hauptstraße 7; Kungsgatan 15; Karl-Marx-Allee 90; Brīvības iela 12
    compound: re(&format!(
        r"(?i)(?:(?-u:\b)[\p{{L}}\-]{{2,}}(?:{SUFFIX})|(?:(?-u:\b)(?-i:\p{{Lu}})[\p{{L}}'’\-]*\s+){{1,3}}(?:{AFTER}))\.?,?\s+(?:no\.?\s*|nr\.?\s*|n[°º]\s*)?\d{{1,5}}[a-z]?(?-u:\b)"
    )),
    unit_before: re(&format!(r"(?i)(?-u:\b){UNIT},?\s*$")),
    unit_after: re(&format!(r"(?i)^,?\s+{UNIT}(?-u:\b)")),
    town: re(r"^,\s*(\p{Lu}\p{Ll}[\p{L}'’\-]*(?:\s+\p{Lu}\p{Ll}[\p{L}'’\-]*)?)(?-u:\b)"),
    // 1600 Pennsylvania Avenue NW
    direction: re(r"^\s+(?:NW|NE|SW|SE|N|S|E|W)\.?(?-u:\b)"),
    // ul. Marszałkowska 10/12
    unit_slash: re(r"^/\d{1,5}[a-zA-Z]?(?-u:\b)"),
    // 55 rue de la Paix: the number before a continental street word.
    number_before: re(r"(?-u:\b)\d{1,5}[a-zA-Z]?,?\s+$"),
    // , 28013 Madrid; , 00-590 Warszawa; , 1010 Wien: a postcode alone could be a year, so its
    // town must follow.
    postcode_town: re(
        r"^,?\s*(?:\d{4,5}|\d{2}-\d{3}|\d{3}\s\d{2})\s+\p{Lu}\p{Ll}[\p{L}'’\-]*(?:\s+\p{Lu}\p{Ll}[\p{L}'’\-]*)?(?-u:\b)",
    ),
    // , IL 62704; , DC 20500-0003
    state_zip: re(r"^,?\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?(?-u:\b)"),
    // " Springfield IL 62704", and on the next line "Lake Ryanfort, MI 49203", as American
    // addresses are written: a town alone after a line break could be the next sentence's
    // first word, so its state and ZIP code must follow.
    town_state_zip: re(
        r"^(?:,?[ \t]+|,?[ \t]*\r?\n\s*)\p{Lu}\p{Ll}[\p{L}'’\-]*(?:[ \t]+\p{Lu}\p{Ll}[\p{L}'’\-]*){0,2},?[ \t]+[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?(?-u:\b)",
    ),
    // rue de la Paix, 75002 Paris, where the postcode was read as the street's number
    town_after_postcode: re(r"^\s+\p{Lu}\p{Ll}[\p{L}'’\-]*(?-u:\b)"),
    // "I live on Acacia Avenue", "i live just off station road", "our home is on church road".
    street_cue: re(&format!(
        r"(?i)(?-u:\b)(?:(?:live[sd]?|living|stay(?:s|ed|ing)?|moved)(?:\s+just)?|(?:home|house|flat|placement)\s+(?:is|was|were|are))\s+(?:on|in|at|to|off)\s+((?:\p{{Lu}}[\p{{L}}'’]+\s+){{1,3}}(?:{STRONG}|{WEAK})(?-u:\b))"
    )),
    // "Home address: Slivenecká 4", "i was staying at V Hájkách 419", "post it to Harmica 93",
    // "they moved us to 1 Perry Cutting": after words that say an address comes, a name in
    // capitals and a house number, or a number and a name in capitals, whatever the street word
    // (many countries write none).
    cued_street: re(&format!(
        r"(?-u:\b)(?i:address(?:\s+(?:is|was))?\s*:?|(?:live[sd]?|living|stay(?:s|ed|ing)?|moved(?:\s+(?:us|me|them|him|her))?)\s+(?:at|to)|(?:post|send|sent|write|bring|take)\s+(?:it|them|this|that|letters?|things)\s+to)\s+({HOUSE})(?-u:\b)"
    )),
    // "Harmica 93 is where my mum lives", "Thurnova 50, Karolinka was where we stayed": the
    // same before words that say someone lives there; a town after a comma is the tail's.
    post_cued_street: re(&format!(
        r"(?-u:\b)({HOUSE})(?-u:\b)(?:,[ \t]*\p{{Lu}}[\p{{L}}'’\-]*(?:[ \t]+\p{{Lu}}[\p{{L}}'’\-]*){{0,2}})?[ \t]+(?i:is|was)[ \t]+where[ \t]+(?:[\p{{L}}'’]+[ \t]+){{0,3}}?(?i:live[sd]?|living|stay(?:s|ed|ing)?)(?-u:\b)"
    )),
    cue: re(
        r"(?i)(?-u:\b)(?:live[sd]?|living|stay(?:s|ed|ing)?|moved|address|addr|lived|send (?:it|them|this|the \w+) to|at)(?-u:\b)[\s:]*$",
    ),
});

/// Little words that never stand in a street's name, so "3 kids in the park" is no address.
const NOT_IN_STREET: &[&str] = &[
    "in", "the", "a", "an", "of", "to", "at", "on", "and", "or", "my", "our", "his", "her",
    "their", "for", "with", "from", "by", "is", "was", "are", "were", "we", "i", "you", "they",
    "he", "she", "it", "me", "us", "them", "times", "kids", "people", "years", "days", "weeks",
    "minutes", "hours", "months", "out", "up", "down", "more", "less", "than", "all", "some", "no",
    "not", "but", "so", "get", "got", "went", "go", "have", "had", "has", "be", "been",
];

const PARTICLES: &[&str] = &[
    "de", "du", "des", "la", "le", "del", "dei", "da", "do", "dos", "das", "di",
];

/// Words that start a name and a number which is no address, even after "moved to" ("moved to
/// Year 9", "staying at Ward 5", "address is Room 12").
const NOT_A_STREET: &[&str] = &[
    "year",
    "years",
    "room",
    "level",
    "set",
    "group",
    "class",
    "stage",
    "chapter",
    "page",
    "part",
    "step",
    "grade",
    "form",
    "ward",
    "bay",
    "floor",
    "platform",
    "gate",
    "terminal",
    "number",
    "no",
    "version",
    "season",
    "episode",
    "team",
    "squad",
    "top",
    "under",
    "key",
    "primary",
    "secondary",
    "junior",
    "infant",
    "sixth",
    "i",
    "iphone",
    "fifa",
    "windows",
    "day",
    "week",
    "month",
    "size",
    "age",
    "aged",
    "bus",
    "route",
    "line",
    "zone",
    "band",
];

/// Words after a number that make it a count, not a house ("moved to London 3 years ago").
const COUNTED: &[&str] = &[
    "year", "years", "yrs", "yr", "month", "months", "week", "weeks", "day", "days", "night",
    "nights", "hour", "hours", "minute", "minutes", "mins", "time", "times", "kids", "people",
    "children", "of", "more", "am", "pm", "o'clock", "or", "out", "miles", "mile",
];

/// Towns after a comma stop at words that start the rest of a sentence.
const NOT_TOWN: &[&str] = &[
    "I", "But", "And", "So", "The", "My", "We", "It", "He", "She", "They",
];

pub(super) fn find(text: &str, out: &mut Vec<Found>) {
    let p = &*P;
    let mut spans: Vec<(usize, usize)> = Vec::new();
    // Most answers hold no number and no word for living somewhere: nothing to look for.
    let numbered = text.bytes().any(|b| b.is_ascii_digit());
    let lower = text.to_lowercase();
    let lives = [
        "live",
        "stay",
        "moved",
        "home",
        "house",
        "flat",
        "placement",
    ]
    .iter()
    .any(|w| lower.contains(w));
    if !numbered && !lives {
        return;
    }
    for m in p.number_first.find_iter(if numbered { text } else { "" }) {
        let words: Vec<&str> = m.as_str().split_whitespace().skip(1).collect();
        let Some((last, name)) = words.split_last() else {
            continue;
        };
        // "5 The Crescent", "we moved to 5 the crescent": a street called "the" and its word,
        // in capitals or where the sentence is about a home ("day 5 the drive home" is not).
        let the_street = matches!(name, [the] if the.eq_ignore_ascii_case("the"))
            && (name[0].starts_with('T') && last.starts_with(char::is_uppercase)
                || about_a_home(&text[..m.start()]));
        if !the_street
            && words
                .iter()
                .any(|w| NOT_IN_STREET.contains(&w.to_lowercase().as_str()))
        {
            continue;
        }
        let cued = p.cue.is_match(&text[..m.start()]) || the_street;
        if before_word(m.as_str()) {
            // 12 rue de la Paix: the name after the street word is capitalised, or a cue says so.
            if last.starts_with(char::is_uppercase) || cued {
                spans.push((m.start(), m.end()));
            }
            continue;
        }
        // A weak street word ("park", "view") in lower case needs a cue: "14 acacia avenue"
        // is an address, "2 big parks" is not.
        let capital = name.iter().all(|w| w.starts_with(char::is_uppercase))
            && last.starts_with(char::is_uppercase);
        if !capital && !strong_word(last) && !cued {
            continue;
        }
        spans.push((m.start(), m.end()));
    }
    for (r, continental) in [(&p.number_last, true), (&p.compound, false)] {
        for m in r.find_iter(if numbered { text } else { "" }) {
            let words: Vec<&str> = m.as_str().split_whitespace().collect();
            if words
                .iter()
                .skip(1)
                .any(|w| NOT_IN_STREET.contains(&w.to_lowercase().as_str()))
            {
                continue;
            }
            // "via email 2" is no street: the name after "via" or "rue" (or a compound's first
            // word) is capitalised, or a cue comes before.
            let named = words
                .iter()
                .skip(usize::from(continental))
                .find(|w| !PARTICLES.contains(&w.to_lowercase().as_str()))
                .is_some_and(|w| w.starts_with(char::is_uppercase));
            if !named && !p.cue.is_match(&text[..m.start()]) {
                continue;
            }
            spans.push((m.start(), m.end()));
        }
    }
    // "I live on Acacia Avenue": a street without a number, after a cue.
    for c in p.street_cue.captures_iter(if lives { text } else { "" }) {
        let Some(m) = c.get(1) else { continue };
        // A weak street word needs a street's name before it ("on the bus route" is none) and
        // must end the name ("moved to Oak Hill Academy" names a school).
        let words: Vec<&str> = m.as_str().split_whitespace().collect();
        let weak = words.last().is_some_and(|w| !strong_word(w));
        let goes_on = text[m.end()..]
            .strip_prefix(' ')
            .is_some_and(|r| r.starts_with(char::is_uppercase));
        if weak
            && (goes_on
                || words
                    .iter()
                    .any(|w| NOT_IN_STREET.contains(&w.to_lowercase().as_str())))
        {
            continue;
        }
        spans.push((m.start(), m.end()));
    }
    // Its cue words are rare; most answers with a number have none, and the pattern is large.
    let address_cue = numbered
        && [
            "address", "liv", "stay", "moved", "post", "send", "sent", "write", "bring", "take",
        ]
        .iter()
        .any(|w| lower.contains(w));
    let post_cue = numbered && lower.contains("where");
    let cued = p
        .cued_street
        .captures_iter(if address_cue { text } else { "" })
        .chain(
            p.post_cued_street
                .captures_iter(if post_cue { text } else { "" }),
        );
    for c in cued {
        let Some(m) = c.get(1) else { continue };
        let first = m.as_str().split_whitespace().next().unwrap_or("");
        let number_first = first.starts_with(|ch: char| ch.is_ascii_digit());
        let name_first = if number_first {
            m.as_str().split_whitespace().nth(1).unwrap_or("")
        } else {
            first
        };
        let name = name_first.trim_end_matches([',', '.']).to_lowercase();
        if NOT_A_STREET.contains(&name.as_str()) || NOT_IN_STREET.contains(&name.as_str()) {
            continue;
        }
        // "we moved to London 3 years ago", "i stay at Dad's 2 nights", "moved to Leeds 2019":
        // a place and a count or a year, no house.
        let number = m
            .as_str()
            .split_whitespace()
            .find(|w| w.starts_with(|ch: char| ch.is_ascii_digit()))
            .unwrap_or("");
        let year = number.len() == 4 && (number.starts_with("19") || number.starts_with("20"));
        let rest = text[m.end()..].to_lowercase();
        let next = rest
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_end_matches(|ch: char| !ch.is_alphanumeric());
        // "2 and a half years", "2½ years", "2.5 years".
        let part = rest.starts_with(['½', '¼', '¾'])
            || rest
                .strip_prefix('.')
                .is_some_and(|r| r.starts_with(|ch: char| ch.is_ascii_digit()))
            || rest.trim_start().starts_with("and a half")
            || rest.trim_start().starts_with("or ");
        if !number_first && (year || part || COUNTED.contains(&next) || name.ends_with("'s")) {
            continue;
        }
        spans.push((m.start(), m.end()));
    }
    for (mut s, mut e) in spans {
        if let Some(u) = p.unit_before.find(&text[..s]) {
            s = u.start();
        } else if starts_before_word(&text[s..e])
            && let Some(n) = p.number_before.find(&text[..s])
        {
            s = n.start();
        }
        for r in [&p.unit_slash, &p.unit_after, &p.direction] {
            if let Some(u) = r.find(&text[e..]) {
                e += u.end();
            }
        }
        // "rue de la Paix, 75002" then " Paris": the number read as the street's was its
        // postcode, and the town follows it.
        let postcode_last = text[s..e].rsplit_once(", ").is_some_and(|(_, n)| {
            (4..=5).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit())
        });
        if postcode_last
            && let Some(t) = p.town_after_postcode.find(&text[e..])
            && !NOT_TOWN.contains(&t.as_str().trim())
        {
            e += t.end();
        }
        e += tail(p, &text[e..]);
        out.push((s, e, Kind::Address));
    }
}

/// How much of `rest`, which follows a street, still belongs to its address: towns after
/// commas, a postcode with its town, a state with its ZIP code, in any order people write
/// them. A British postcode is left to be found as one.
fn tail(p: &Patterns, rest: &str) -> usize {
    let mut at = 0;
    // A town, a region and a code at most, and one more.
    for _ in 0..4 {
        let r = &rest[at..];
        let step = [&p.town_state_zip, &p.state_zip, &p.postcode_town]
            .iter()
            .find_map(|re| re.find(r).map(|m| m.end()))
            .or_else(|| {
                let t = p.town.captures(r)?.get(1)?;
                let first = t.as_str().split_whitespace().next().unwrap_or("");
                (!NOT_TOWN.contains(&first)).then_some(t.end())
            });
        match step {
            Some(n) => at += n,
            None => break,
        }
    }
    at
}

/// Whether the words just before a number speak of where someone lives.
fn about_a_home(before: &str) -> bool {
    let mut from = before.len().saturating_sub(40);
    while !before.is_char_boundary(from) {
        from += 1;
    }
    let near = before[from..].to_lowercase();
    ["live", "stay", "moved", "address", "house", "home", "flat"]
        .iter()
        .any(|w| near.contains(w))
}

/// Whether a find starts with a continental street word (rue de la Paix 12, Calle Mayor 5).
fn starts_before_word(s: &str) -> bool {
    before_word(&format!("0 {s}"))
}

fn strong_word(w: &str) -> bool {
    let w = w.trim_end_matches('.').to_lowercase();
    STRONG.split('|').any(|s| s == w)
}

/// Whether a number-first match has a continental street word after the number (12 rue de ...).
fn before_word(s: &str) -> bool {
    s.split_whitespace().nth(1).is_some_and(|w| {
        let w = w.to_lowercase();
        BEFORE
            .split('|')
            .any(|b| b.trim_end_matches("\\.?").trim_end_matches("\\.") == w.trim_end_matches('.'))
    })
}
