//! Masking personal data in free text: names, phone numbers, email addresses, postal addresses
//! and postcodes, dates, links, social media handles, school names and identity or card
//! numbers, each replaced by a placeholder ("[phone number]"). Names from many countries
//! ([`names`]), phone numbers in any country's format ([`phones`]), dates as people write them
//! ([`dates`], and with a month named in other languages or scripts: [`months`], with a
//! weekday beside them: [`weekdays`]), addresses in the British, American and continental orders ([`addresses`]) and
//! card and National Insurance numbers ([`ids`]), reference numbers such as a Home Office or
//! pupil number and IP addresses ([`references`]), school names ([`schools`]) and handles
//! ([`handles`]) have their own files; emails, links and postcodes are here. Where a kind of data could be confused with
//! ordinary words, cues decide.
mod addresses;
mod dates;
mod handles;
mod ids;
mod months;
mod names;
mod phones;
mod references;
mod schools;
mod weekdays;

/// What `examples/train_names.rs` trains names' second look with.
#[doc(hidden)]
pub use names::{SECOND_LOOK_BUCKETS, second_look_examples};

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

/// What [`mask`] finds, as a number: raised whenever a change makes it find more or other
/// personal data (`tests/masker_version.rs` fails until it is), so that a store whose masked
/// copies an earlier masker made masks them again when it next starts.
pub const MASKER_VERSION: u32 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "UPPERCASE")]
pub enum Kind {
    Name,
    Phone,
    Email,
    Address,
    Postcode,
    Date,
    Url,
    Handle,
    School,
    /// A number that identifies a person: a payment card, bank account, National Insurance,
    /// NHS, passport, Home Office or other reference number, or a device's IP address.
    Identifier,
}

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::Name,
        Kind::Phone,
        Kind::Email,
        Kind::Address,
        Kind::Postcode,
        Kind::Date,
        Kind::Url,
        Kind::Handle,
        Kind::School,
        Kind::Identifier,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Name => "NAME",
            Kind::Phone => "PHONE",
            Kind::Email => "EMAIL",
            Kind::Address => "ADDRESS",
            Kind::Postcode => "POSTCODE",
            Kind::Date => "DATE",
            Kind::Url => "URL",
            Kind::Handle => "HANDLE",
            Kind::School => "SCHOOL",
            Kind::Identifier => "IDENTIFIER",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn placeholder(self) -> &'static str {
        match self {
            Kind::Name => "[name]",
            Kind::Phone => "[phone number]",
            Kind::Email => "[email address]",
            Kind::Address => "[address]",
            Kind::Postcode => "[postcode]",
            Kind::Date => "[date]",
            Kind::Url => "[link]",
            Kind::Handle => "[social media handle]",
            Kind::School => "[school name]",
            Kind::Identifier => "[ID number]",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Character offsets (Unicode scalar values) into the original text, end exclusive.
    pub start: usize,
    pub end: usize,
    #[serde(rename = "type")]
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Masked {
    pub masked: String,
    pub spans: Vec<Span>,
}

/// A find: byte range and kind, before overlaps are settled.
type Found = (usize, usize, Kind);

pub(crate) fn re(s: &str) -> Regex {
    // The patterns are constants checked by the tests; one that failed would match nothing. The
    // street and date patterns are large, so the lazy DFA gets room enough not to start over.
    regex::RegexBuilder::new(s)
        .dfa_size_limit(16 << 20)
        .build()
        .unwrap_or_else(|_| Regex::new(r"[^\s\S]").expect("empty pattern"))
}

struct Patterns {
    email: Regex,
    url: Regex,
    postcode: Regex,
}

static P: LazyLock<Patterns> = LazyLock::new(|| Patterns {
    email: re(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"),
    url: re(
        r"(?i)\b(?:https?://[^\s<>]+|www\.[^\s<>]+|[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.(?:com|co\.uk|org\.uk|org|net|uk|io|gov\.uk|ac\.uk|nhs\.uk|info|me|tv|ly|app|co)(?:/[^\s<>]*)?)",
    ),
    postcode: re(r"(?i)\b[A-Z]{1,2}[0-9][A-Z0-9]?\s?[0-9][ABD-HJLNP-UW-Z]{2}\b"),
});

fn char_offsets(text: &str) -> Vec<usize> {
    // byte index -> char index, for every byte boundary (and the end).
    let mut map = vec![0usize; text.len() + 1];
    let mut c = 0;
    for (b, ch) in text.char_indices() {
        for k in 0..ch.len_utf8() {
            map[b + k] = c;
        }
        c += 1;
    }
    map[text.len()] = c;
    map
}

/// Finds personal data in `text` and replaces each with its placeholder.
pub fn mask(text: &str) -> Masked {
    let spans = find(text);
    let mut masked = String::with_capacity(text.len());
    let mut pos = 0;
    for (i, ch) in text.chars().enumerate() {
        if let Some(s) = spans.iter().find(|s| s.start == i) {
            masked.push_str(s.kind.placeholder());
            pos = s.end;
        }
        if i >= pos {
            masked.push(ch);
        }
    }
    Masked { masked, spans }
}

/// The spans of personal data in `text`, sorted and not overlapping (byte ranges mapped to
/// character offsets).
pub fn find(text: &str) -> Vec<Span> {
    // Digits of other scripts ("۰۷۹۱۲ ۳۴۵۶۷۸", "۱۴/۰۵/۲۰۱۱", full width) are read as the ASCII
    // digits they stand for, so every finder knows them; the finds are mapped back.
    if !text.is_ascii()
        && text
            .chars()
            .any(|c| !c.is_ascii() && months::digit(c).is_some())
    {
        let mut folded = String::with_capacity(text.len());
        // The byte of `text` each byte of `folded` came from, and the end.
        let mut origin = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.char_indices() {
            match months::digit(c) {
                Some(d) if !c.is_ascii() => {
                    folded.push(char::from(b'0' + d as u8));
                    origin.push(i);
                }
                _ => {
                    folded.push(c);
                    origin.extend((0..c.len_utf8()).map(|k| i + k));
                }
            }
        }
        origin.push(text.len());
        let found = find_bytes(&folded)
            .into_iter()
            .map(|(s, e, k)| (origin[s], origin[e], k))
            .collect();
        return resolve(text, found);
    }
    resolve(text, find_bytes(text))
}

/// Every find of every finder in `text`, overlapping, as byte ranges.
fn find_bytes(text: &str) -> Vec<Found> {
    let p = &*P;
    let mut found: Vec<Found> = Vec::new();
    phones::find(text, &mut found);
    ids::find(text, &mut found);
    references::find(text, &mut found);
    dates::find(text, &mut found);
    months::find(text, &mut found);
    weekdays::widen(text, &mut found);
    addresses::find(text, &mut found);
    names::find(text, &mut found);
    schools::find(text, &mut found);
    handles::find(text, &mut found);
    let mut push = |s: usize, e: usize, k: Kind| {
        if e > s {
            found.push((s, e, k));
        }
    };
    // Patterns that cannot match without a character most answers lack are not run: each is a
    // scan of the whole text, and masking runs on every answer an import brings.
    let at = text.contains('@');
    let digits = text.bytes().any(|b| b.is_ascii_digit());
    let only = |run: bool| if run { text } else { "" };
    for m in p.email.find_iter(only(at)) {
        push(m.start(), m.end(), Kind::Email);
    }
    for m in p.url.find_iter(text) {
        let trimmed = m
            .as_str()
            .trim_end_matches(['.', ',', ')', '!', '?', ';', ':', '"', '\'']);
        push(m.start(), m.start() + trimmed.len(), Kind::Url);
    }
    for m in p.postcode.find_iter(only(digits)) {
        push(m.start(), m.end(), Kind::Postcode);
    }
    found
}

/// Keeps the longest of overlapping finds (the earlier kind in a tie), mapped to characters.
fn resolve(text: &str, mut found: Vec<Found>) -> Vec<Span> {
    let priority = |k: Kind| match k {
        Kind::Email => 0,
        Kind::Url => 1,
        // Before phone numbers: a card number of 12 to 15 digits reads as one too.
        Kind::Identifier => 2,
        Kind::Phone => 3,
        Kind::Address => 4,
        Kind::Postcode => 5,
        Kind::Date => 6,
        Kind::Handle => 7,
        Kind::School => 8,
        Kind::Name => 9,
    };
    found.sort_by(|a, b| {
        priority(a.2)
            .cmp(&priority(b.2))
            .then((b.1 - b.0).cmp(&(a.1 - a.0)))
            .then(a.0.cmp(&b.0))
    });
    let mut kept: Vec<Found> = Vec::new();
    for f in found {
        // Names and schools give way to anything already kept; others too.
        if kept.iter().all(|k| f.1 <= k.0 || f.0 >= k.1) {
            kept.push(f);
        }
    }
    kept.sort_by_key(|k| k.0);
    let map = char_offsets(text);
    kept.into_iter()
        .map(|(s, e, kind)| Span {
            start: map[s],
            end: map[e],
            kind,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(String, Kind)> {
        let chars: Vec<char> = text.chars().collect();
        find(text)
            .into_iter()
            .map(|s| (chars[s.start..s.end].iter().collect(), s.kind))
            .collect()
    }

    /// The names `kinds` finds in `t`.
    fn names_in(t: &str) -> Vec<String> {
        kinds(t)
            .into_iter()
            .filter(|(_, k)| *k == Kind::Name)
            .map(|(s, _)| s)
            .collect()
    }

    #[test]
    fn a_phone_number_near_a_word_for_a_reference_stays_a_phone_number() {
        for (t, phone) in [
            (
                "took months to get my passport sorted. Call me on 07700 90",
                "07700 90",
            ),
            ("my passport is lost, ring 07700 900123", "07700 900123"),
        ] {
            assert_eq!(kinds(t), vec![(phone.into(), Kind::Phone)], "{t}");
        }
        assert_eq!(
            kinds("my passport number is 123456789"),
            vec![("123456789".into(), Kind::Identifier)]
        );
    }

    #[test]
    fn a_name_no_list_or_cue_knows_is_found_by_the_second_look() {
        for (t, n) in [
            ("i think hangwani is slaying in that video", "hangwani"),
            ("How old are you Taylor", "Taylor"),
            ("Poor Jimmy was so upset", "Jimmy"),
            ("If Roman comes round we play games", "Roman"),
            ("happy birthday Amber love you", "Amber"),
        ] {
            assert_eq!(names_in(t), vec![n.to_string()], "{t}");
        }
    }

    #[test]
    fn a_name_that_is_a_word_is_a_person_as_someones_relation_or_beside_i() {
        let names = names_in;
        for (t, n) in [
            ("Rose is my foster carer and she is kind", "Rose"),
            ("Bill is my social worker", "Bill"),
            ("Faith is my key worker", "Faith"),
            ("Will is my brother", "Will"),
            ("Dawn was our new manager at the home", "Dawn"),
            ("Dawn is the manager at my home", "Dawn"),
            ("the best one is Mason is my best mate", "Mason"),
            ("Grace and I are sisters", "Grace"),
            ("Abbey and I share a room", "Abbey"),
            ("Ruby and me went to contact", "Ruby"),
            ("rose is my foster carer", "rose"),
            ("will was my brother at the last placement", "will"),
            ("ok. grace is the manager", "grace"),
        ] {
            assert_eq!(names(t), [n], "{t}");
        }
        for t in [
            "Summer is my favourite season",
            "May is my birthday month",
            "Hope is my reason to keep going",
            "Hope and I are not friends",
            "I am Muslim and I pray",
            "Art is my best friend at school",
            "Love is my mum's word for it",
            "Hope is the best medicine",
            "nan is my carer now",
            "summer is my favourite",
            "love is my family",
        ] {
            assert!(names(t).is_empty(), "{t}: {:?}", names(t));
        }
    }

    #[test]
    fn a_name_that_is_a_word_is_a_person_in_lower_case_after_a_cue_for_one() {
        let names = names_in;
        for (t, n) in [
            ("I live with Summer and her mum", "Summer"),
            ("I stay with Autumn at weekends", "Autumn"),
            ("me and rose went to town", "rose"),
            ("i told grace about it", "grace"),
            ("i live with holly and her kids", "holly"),
            ("my friend hope helped me", "hope"),
            ("i miss my sister rose", "rose"),
            ("my carer dawn is nice", "dawn"),
            ("my foster carer holly says i can", "holly"),
            ("my friend jack and me", "jack"),
        ] {
            assert_eq!(names(t), [n], "{t}");
        }
        for t in [
            "i live with summer and her mum",
            "i hope it gets better",
            "i live with hope that things change",
            "i like to sing with joy",
            "my brother will help me",
            "my dad is frank with me",
            "my carer is sunny",
            "my mum hope you are ok",
            "my sister rose up and left",
            "i dont know if my brother will",
            "i live with rich people",
            "i told max everything",
            "my mum patience is running out",
            "I love Summer with my family",
        ] {
            assert!(names(t).is_empty(), "{t}: {:?}", names(t));
        }
    }

    #[test]
    fn a_lower_case_name_one_letter_from_a_word_is_a_person_when_it_does_what_people_do() {
        for (text, name) in [
            ("gaby gave me her phone", "gaby"),
            ("then conor hit me", "conor"),
            ("conor said i was lying", "conor"),
        ] {
            assert_eq!(kinds(text), vec![(name.into(), Kind::Name)], "{text}");
        }
        // Alone, or before words that follow things too, it may be the word misspelt.
        for text in ["gaby is here", "the conor and more"] {
            assert_eq!(kinds(text), vec![], "{text}");
        }
    }

    #[test]
    fn a_vietnamese_given_name_after_van_is_part_of_the_name_whatever_word_it_is() {
        let names = names_in;
        assert_eq!(
            names("My key worker is Nguyen Van An and she is kind"),
            ["Nguyen Van An"]
        );
        assert_eq!(
            names("nguyen van an is my social worker"),
            ["nguyen van an"]
        );
        assert_eq!(names("my friend Pham Van Long helps me"), ["Pham Van Long"]);
        // In capitals, the family name too, whatever word it is.
        assert_eq!(names("Le Thi Hoa is my foster carer"), ["Le Thi Hoa"]);
        assert_eq!(names("My name is Do Van Hung"), ["Do Van Hung"]);
        // A van is still a van.
        assert!(names("we went in the van an hour later").is_empty());
        assert!(names("We Went In The Van An Hour Later").is_empty());
    }

    #[test]
    fn a_lower_case_name_is_masked_whole_when_one_of_its_parts_is_also_a_word() {
        let names = names_in;
        // A surname that is a word ("smith", "brown") or a slip of one ("tuan", "tuna").
        assert_eq!(names("my carer john smith helps me"), ["john smith"]);
        assert_eq!(names("i spoke to sarah brown yesterday"), ["sarah brown"]);
        assert_eq!(names("my key worker is called ahmed khan"), ["ahmed khan"]);
        assert_eq!(names("hoang minh tuan helps me"), ["hoang minh tuan"]);
        // A given name that is a slip of a word, before a sure surname.
        assert_eq!(names("i live with ana lopez"), ["ana lopez"]);
        // A Vietnamese name in lower case, whatever words its parts are.
        assert_eq!(names("le thi hoa is my carer"), ["le thi hoa"]);
        assert_eq!(names("tran thi mai is my foster mum"), ["tran thi mai"]);
        // What goes on the sentence stays.
        assert_eq!(names("mohammed will help me"), ["mohammed"]);
        assert_eq!(names("amara may come over"), ["amara"]);
        assert_eq!(names("ahmed said no"), ["ahmed"]);
        assert!(names("i do van deliveries").is_empty());
        // Carers named together share the surname.
        assert_eq!(
            names("my foster carers are mark and lisa taylor"),
            ["mark", "lisa taylor"]
        );
        assert_eq!(names("my keyworker gemma"), ["gemma"]);
        assert!(names("hope you are ok").is_empty());
    }

    #[test]
    fn finds_each_kind() {
        let t = "ring 07700 900123 or +44 20 7946 0000, email jo.b@example.co.uk, see www.example.org/help";
        let k = kinds(t);
        assert!(k.contains(&("07700 900123".into(), Kind::Phone)), "{k:?}");
        assert!(
            k.contains(&("+44 20 7946 0000".into(), Kind::Phone)),
            "{k:?}"
        );
        assert!(
            k.contains(&("jo.b@example.co.uk".into(), Kind::Email)),
            "{k:?}"
        );
        assert!(
            k.contains(&("www.example.org/help".into(), Kind::Url)),
            "{k:?}"
        );
        let k = kinds("I live at 14 Acacia Avenue, M1 1AE and I go to St Mary's Primary School");
        assert!(
            k.contains(&("14 Acacia Avenue".into(), Kind::Address)),
            "{k:?}"
        );
        assert!(k.contains(&("M1 1AE".into(), Kind::Postcode)), "{k:?}");
        assert!(
            k.iter()
                .any(|(s, k)| *k == Kind::School && s.contains("Mary's Primary School")),
            "{k:?}"
        );
        let k = kinds("my social worker Sarah and Mr Patel, born 12/03/2011, my snap is jadexo22");
        assert!(k.contains(&("Sarah".into(), Kind::Name)), "{k:?}");
        assert!(k.contains(&("Mr Patel".into(), Kind::Name)), "{k:?}");
        assert!(k.contains(&("12/03/2011".into(), Kind::Date)), "{k:?}");
        assert!(k.contains(&("jadexo22".into(), Kind::Handle)), "{k:?}");
    }

    #[test]
    fn ordinary_words_are_left_alone() {
        for t in [
            "i will try my best",
            "I hope things get better",
            "year 7 was hard",
            "24/7 support",
            "my mum is nice",
            "I want to be heard and have more say",
            "Will they listen this time",
            "may i have my own phone please",
            "we may be moving in june or august",
            "it was a grace period before the bill came",
            "mark my words i will get there",
            "I have faith that it will work out",
            "it was sunny today so we went out",
            "Hope is important when you are in care",
            "my rose plant died and i felt hope",
            "I Want To See My Mum More Often And Go Home",
            "i got 3 out of 10 and there are 30 kids in my class",
            "I was born in 2009 and came here in 2016",
            "version 1.2.3 of the app costs 2,500 pounds",
            "my mum carnt cope and my dad grabd me",
            "i go to sleepovers with ppl from school",
            "we went to london and Manchester on the train",
            "Nothing.\nIdk, maybe more trips",
            "Cafcass and Kooth helped me, and the Samaritans",
            "I want to go to Thorpe Park and see Hyde United",
            "I'd like to do my Duke of Edinburgh but it costs too much",
            "someone was upskirting girls on the bus",
            "we had brocoli and chiken for tea, lmfaooooo",
            "I love Fortnite and Roblox, and the Kooth website",
        ] {
            assert_eq!(find(t), vec![], "{t}");
        }
        // A person's name before a word for a school is the school's, masked as one.
        assert_eq!(
            kinds("I was at Kingsway Primary then St Mary's"),
            vec![("Kingsway Primary".into(), Kind::School)]
        );
    }

    #[test]
    fn everyday_names_need_a_cue_or_another_name() {
        assert_eq!(kinds("my name is will"), vec![("will".into(), Kind::Name)]);
        assert_eq!(
            kinds("I live with Grace Okafor"),
            vec![("Grace Okafor".into(), Kind::Name)]
        );
        assert_eq!(
            kinds("my social worker is called Hope"),
            vec![("Hope".into(), Kind::Name)]
        );
        assert_eq!(kinds("my friend will help me"), vec![]);
        assert_eq!(
            kinds("and then Grace said I could go"),
            vec![("Grace".into(), Kind::Name)]
        );
        assert_eq!(
            kinds("I told Will everything"),
            vec![("Will".into(), Kind::Name)]
        );
        assert_eq!(kinds("Hope said it all"), vec![]);
        assert_eq!(
            kinds("MY SOCIAL WORKER IS CALLED TESFAY AND SHE IS KIND"),
            vec![("TESFAY".into(), Kind::Name)]
        );
    }

    #[test]
    fn names_from_many_countries_in_any_case() {
        for (t, name) in [
            ("my key worker Oluwaseun is kind", "Oluwaseun"),
            ("i live with bashir and merhawi", "bashir"),
            ("i live with bashir and merhawi", "merhawi"),
            (
                "Tesfay Gebremedhin was my first social worker",
                "Tesfay Gebremedhin",
            ),
            (
                "the teacher eyerusalem hussain was good",
                "eyerusalem hussain",
            ),
            ("mr keita is my head of year", "mr keita"),
            ("Dr. Shevchenko at camhs", "Dr. Shevchenko"),
            ("i told Sipho everything", "Sipho"),
            ("my PA yan rahimi", "yan rahimi"),
            ("Abdullah bin Ahmed is my uncle", "Abdullah bin Ahmed"),
            (
                "Aisha, Nguyen Linh and Mehmet are in my house",
                "Nguyen Linh",
            ),
        ] {
            assert!(
                kinds(t).contains(&(name.into(), Kind::Name)),
                "{t}: {:?}",
                kinds(t)
            );
        }
    }

    #[test]
    fn phone_numbers_from_many_countries() {
        for p in [
            "+44 7700 900123",
            "+33 (0)6 12 34 56 78",
            "(212) 555-0147",
            "+1 (646) 555-0199 ext. 23",
            "+251 91 123 4567",
            "0044 7700 900123",
            "+86 138 0013 8000",
            "0300-1234567",
        ] {
            let t = format!("call my aunt on {p} after school");
            assert_eq!(kinds(&t), vec![(p.into(), Kind::Phone)], "{t}");
        }
        assert_eq!(
            kinds("my number is 555 0147"),
            vec![("555 0147".into(), Kind::Phone)]
        );
        // Without a cue seven digits are too few to be sure.
        assert_eq!(kinds("we raised 555 0147 pounds"), vec![]);
    }

    #[test]
    fn numbers_in_the_digits_of_other_scripts_are_found_as_in_ascii_digits() {
        for (text, found) in [
            (
                "my number is ۰۷۹۱۲ ۳۴۵۶۷۸ call me",
                ("۰۷۹۱۲ ۳۴۵۶۷۸", Kind::Phone),
            ),
            (
                "call mum ٠٧٧٠٠ ٩٠٠١٢٣ tonight",
                ("٠٧٧٠٠ ٩٠٠١٢٣", Kind::Phone),
            ),
            (
                "call ０７７００ ９００１２３ please",
                ("０７７００ ９００１２３", Kind::Phone),
            ),
            ("born ۱۴/۰۵/۲۰۱۱ in kabul", ("۱۴/۰۵/۲۰۱۱", Kind::Date)),
            ("on ୨୮-୧-୨୪ we came", ("୨୮-୧-୨୪", Kind::Date)),
        ] {
            assert_eq!(kinds(text), vec![(found.0.into(), found.1)], "{text}");
        }
        // The placeholders stand where the digits were, whatever their length in bytes.
        assert_eq!(
            mask("Aisha: ۰۷۹۱۲ ۳۴۵۶۷۸!").masked,
            "[name]: [phone number]!"
        );
        assert_eq!(kinds("i have ٣ brothers"), vec![]);
    }

    #[test]
    fn dates_as_people_write_them() {
        for d in [
            "12/03/2009",
            "2009-03-12",
            "3rd March",
            "March 3rd 2009",
            "03.12.2009",
            "the 5th of june",
            "Monday, 12 March 2018",
            "12. 3. 2009",
            "the first of may",
            "Mar. 12, 2009",
            "2009 March 12",
            "16/11/5",
            "18. 8. 9",
        ] {
            let t = format!("i came here on {d} with my brother");
            assert_eq!(kinds(&t), vec![(d.into(), Kind::Date)], "{t}");
        }
        // A two-digit year first with a single digit last only with slashes or ". ".
        for t in [
            "update 10.2.3 broke it",
            "we won 24-10-2 today",
            "ratio 16/13/5",
        ] {
            assert_eq!(kinds(t), vec![], "{t}");
        }
    }

    #[test]
    fn addresses_outside_the_uk() {
        for a in [
            "123 Main Street, Springfield",
            "Rue de Rivoli 12",
            "Calle Mayor 5",
            "12 rue de la Paix",
            "Hauptstraße 7",
            "Flat 4, 22 Elm Road",
            "Apt 3B, 200 Broadway",
            "Jl. Merdeka No. 17",
            "Atatürk Caddesi 45",
            "Rua das Flores 120",
            "12 Đường Lê Lợi",
            "Nørrebrogade 44",
            "123 Main St, Springfield, IL 62704",
            "4759 William Haven Apt. 194, West Corey, CA 90152",
            "45 Oak Street Apt 4B Springfield IL 62704",
            "426 Jordan Avenue Apt. 519\nLake Ryanfort, MI 49203",
            "9 Elm Road\nSouth Bend IN 46601",
            "1600 Pennsylvania Avenue NW, Washington, DC 20500",
            "Calle Mayor 5, 28013 Madrid",
            "Hauptstraße 12, 10115 Berlin",
            "ul. Marszałkowska 10/12, 00-590 Warszawa",
            "55 rue de la Paix, 75002 Paris",
            "10 Downing Street, London",
        ] {
            let t = format!("we used to live at {a} before");
            assert_eq!(kinds(&t), vec![(a.into(), Kind::Address)], "{t}");
        }
        // A line break ends the street unless a town with its state and ZIP code follows.
        assert_eq!(
            kinds("we used to live at 5 Oak Street\nMy carer is nice"),
            vec![("5 Oak Street".into(), Kind::Address)]
        );
        assert_eq!(kinds("i sent it via email 2 times"), vec![]);
        assert_eq!(kinds("3 kids in the park"), vec![]);
        // A year after an address is no postcode.
        assert_eq!(
            kinds("we lived at 14 Acacia Avenue, 2019 was hard"),
            vec![("14 Acacia Avenue".into(), Kind::Address)]
        );
    }

    #[test]
    fn a_name_and_a_house_number_after_an_address_cue_is_an_address_whatever_its_street_word() {
        for (t, a) in [
            ("Home address: Slivenecká 4", "Slivenecká 4"),
            (
                "i was staying at V Hájkách 419 when it happened",
                "V Hájkách 419",
            ),
            ("post it to Harmica 93 please", "Harmica 93"),
            ("my address is Harmica 93.", "Harmica 93"),
            (
                "they moved us to Teplická 9, Nová Paka last year",
                "Teplická 9, Nová Paka",
            ),
            (
                "they moved us to 1 Perry Cutting last year",
                "1 Perry Cutting",
            ),
            ("my old address was Engenkollen 5", "Engenkollen 5"),
            (
                "we live at Kozarčev vijenac 5c/8 and it is cold",
                "Kozarčev vijenac 5c/8",
            ),
        ] {
            assert_eq!(kinds(t), vec![(a.into(), Kind::Address)], "{t}");
        }
        for t in [
            "we moved to London 3 years ago",
            "i stay at Dad's 2 nights a week",
            "we moved to Leeds 2019",
            "i moved to Year 9 this term",
            "my address is Room 12 in the unit",
            "i was staying at Ward 5 for a week",
            "they moved me to Set 2 for maths",
            "we moved to Scotland 2 and a half years ago",
            "we moved to England 2½ years ago",
            "moved to Leeds 2.5 years ago",
        ] {
            assert!(
                !kinds(t).iter().any(|(_, k)| *k == Kind::Address),
                "{t}: {:?}",
                kinds(t)
            );
        }
    }

    #[test]
    fn a_name_and_a_house_number_before_is_where_someone_lives_is_an_address() {
        for (t, a) in [
            ("Harmica 93 is where my mum lives now", "Harmica 93"),
            (
                "Thurnova 50, Karolinka was where we stayed",
                "Thurnova 50, Karolinka",
            ),
            ("i think 12 Kozarčev is where my dad lived", "12 Kozarčev"),
        ] {
            assert_eq!(kinds(t), vec![(a.into(), Kind::Address)], "{t}");
        }
        for t in [
            "Year 9 is where i lived in fear",
            "Room 12 is where i stay at night",
            "Chapter 3 is where she lives with the witch",
            "Harmica 93 is where the bus goes",
            "i got 3 out of 10 and that is where we live",
        ] {
            assert!(
                !kinds(t).iter().any(|(_, k)| *k == Kind::Address),
                "{t}: {:?}",
                kinds(t)
            );
        }
    }

    #[test]
    fn a_street_called_the_something_is_an_address_where_a_home_is_spoken_of() {
        for (t, a) in [
            ("we moved to 5 the crescent", "5 the crescent"),
            ("we live at 5 The Green now", "5 The Green"),
            ("I live at 3 Rose Cottages", "3 Rose Cottages"),
        ] {
            assert_eq!(kinds(t), vec![(a.into(), Kind::Address)], "{t}");
        }
        assert_eq!(kinds("Day 5 the drive home was long"), vec![]);
        assert_eq!(kinds("I got 2 the close friends"), vec![]);
    }

    #[test]
    fn a_nickname_is_masked_and_name_calling_is_not() {
        let names = names_in;
        assert_eq!(names("my mates call me big mo cos im tall"), ["big mo"]);
        assert_eq!(names("everyone calls me lil jay at the unit"), ["lil jay"]);
        assert_eq!(names("my nickname is smudge"), ["smudge"]);
        assert_eq!(names("i go by jojo not my real name"), ["jojo"]);
        assert_eq!(names("known as big d round here"), ["big d"]);
        assert_eq!(names("people know me as big kaz"), ["big kaz"]);
        // An insult after "calls me" is what a lead and an analyst need to read.
        for t in [
            "my step dad calls me fatso and makes me get weighed",
            "they call me names at school",
            "he called me stupid",
            "she calls me fat and ugly",
            "i go by bus to school",
            "my nickname is a secret",
            "everyone calls me the baby of the family",
            "they know me as the quiet one",
        ] {
            assert!(names(t).is_empty(), "{t}: {:?}", names(t));
        }
    }

    #[test]
    fn a_name_that_is_also_a_word_is_a_person_where_people_go_with_and_miss_people() {
        let names = names_in;
        assert_eq!(names("I went to Tesco with Jade after school"), ["Jade"]);
        assert_eq!(names("I really miss Ruby since I moved"), ["Ruby"]);
        assert_eq!(names("me and Holly went to the cinema"), ["Holly"]);
        assert_eq!(names("at school Jade and me sit together"), ["Jade"]);
        assert_eq!(
            names("we saw Amber and Ruby at the park"),
            ["Amber", "Ruby"]
        );
        assert_eq!(names("Jade said no. Grace helped me"), ["Jade", "Grace"]);
        for t in [
            "Guy from the hostel says I owe him",
            "May was the worst month",
            "Hope said it all",
            "we are going away in May with my carers",
            "I love Summer because there is no school",
            "we watched it on Sky with my foster dad",
            "I am Muslim and I pray every day",
            "I need to send money from China, and I need it fast",
            "countries such as Germany, Spain, and France",
        ] {
            assert!(names(t).is_empty(), "{t}: {:?}", names(t));
        }
    }

    #[test]
    fn a_family_called_by_its_surname_is_a_name() {
        assert_eq!(names_in("we stay at the Khans on weekends"), ["Khans"]);
        assert_eq!(names_in("the Smiths are my foster carers"), ["Smiths"]);
        assert_eq!(names_in("the Browns are kind"), ["Browns"]);
        for t in [
            "we went to the Shops",
            "the Kings won again",
            "I Miss The Smiths So Much Now",
        ] {
            assert!(names_in(t).is_empty(), "{t}: {:?}", names_in(t));
        }
    }

    #[test]
    fn whom_thanks_and_greetings_are_said_to_is_a_name() {
        assert_eq!(names_in("thank you Sarah for helping me"), ["Sarah"]);
        assert_eq!(names_in("bye yonas see you soon"), ["yonas"]);
        assert_eq!(names_in("thanks Grace"), ["Grace"]);
        for t in [
            "thanks mum",
            "thank you so much",
            "Hi I'm 14",
            "Hi, Today I moved",
            "hey there",
        ] {
            assert!(names_in(t).is_empty(), "{t}: {:?}", names_in(t));
        }
    }

    #[test]
    fn what_young_people_write_online_is_no_name() {
        for t in [
            "Wtf is this survey",
            "Haha yes",
            "Lmao this is long",
            "this is fine",
        ] {
            assert!(names_in(t).is_empty(), "{t}: {:?}", names_in(t));
        }
        assert_eq!(names_in("this is Sarah my sister"), ["Sarah"]);
    }

    #[test]
    fn things_and_places_no_list_knows_are_no_names_after_the_or_in() {
        for t in [
            "we went in the Kenworth",
            "Back in Kerala my uncle was there",
            "put the GoPro on the Kenworth",
            "#FakeNews",
        ] {
            assert!(names_in(t).is_empty(), "{t}: {:?}", names_in(t));
        }
        // What is someone's is a person's; a listed name is one after "the" too.
        assert_eq!(names_in("I sleep in Tesfay's room"), ["Tesfay"]);
        assert_eq!(names_in("we watched the Heidi video"), ["Heidi"]);
    }

    #[test]
    fn a_home_on_a_street_without_a_number_is_an_address() {
        for (t, a) in [
            (
                "our childrens home is on church road near the shops",
                "church road",
            ),
            ("i live just off station road", "station road"),
            ("my placement was in oak close for 2 years", "oak close"),
            ("my nans house is in Elm Grove and i go there", "Elm Grove"),
        ] {
            assert_eq!(kinds(t), vec![(a.into(), Kind::Address)], "{t}");
        }
        assert_eq!(kinds("the home is on the bus route which is good"), vec![]);
        assert_eq!(kinds("my house is in a mess"), vec![]);
        // A weak street word that a capitalised word follows is another name's part.
        assert!(
            !kinds("we moved to Oak Hill Academy")
                .iter()
                .any(|(_, k)| *k == Kind::Address)
        );
    }

    #[test]
    fn masking_replaces_spans_with_placeholders_and_keeps_char_offsets() {
        let m = mask("Héllo, I'm Aisha: 07700 900123");
        assert_eq!(m.masked, "Héllo, I'm [name]: [phone number]");
        assert_eq!(
            m.spans[0],
            Span {
                start: 11,
                end: 16,
                kind: Kind::Name
            }
        );
    }
}
