//! Regression guards on the held-out labelled sets in `data/` (never tuned on): masking recall
//! per kind at the goals of the issue, on the test set and on the evaluation sets made from
//! public packages (`data/eval/`), and screening recall no lower than measured.
use safeguard::measure::{masking, screening};
use safeguard::{Kind, Screener};

fn data(name: &str) -> String {
    std::fs::read_to_string(format!("{}/data/{name}", env!("CARGO_MANIFEST_DIR")))
        .expect("data file")
}

#[test]
fn masking_recall_meets_the_goals_on_the_test_set() {
    let scores = masking(&data("masking-test.csv")).expect("reads");
    // Card and National Insurance numbers (added in session 19) have no examples in the test
    // set written before them; they are guarded on their own set below.
    for kind in Kind::ALL.into_iter().filter(|k| *k != Kind::Identifier) {
        let k = scores.get(&kind).expect("every kind is in the test set");
        assert!(k.gold >= 35, "{kind:?}: {} examples", k.gold);
        let goal = match kind {
            Kind::Phone | Kind::Email | Kind::Url | Kind::Postcode => 0.95,
            _ => 0.8,
        };
        assert!(
            k.recall() >= goal,
            "{kind:?} recall {:.3} below {goal}: {:#?}",
            k.recall(),
            k.missed
        );
    }
}

/// Recall and precision at least `(recall, precision)` for each kind listed.
fn guard(file: &str, floors: &[(Kind, f64, f64)]) {
    let scores = masking(&data(file)).expect("reads");
    for &(kind, recall, precision) in floors {
        let k = scores.get(&kind).expect("kind is in the set");
        // The misses are not printed: the evaluation sets stay unread.
        assert!(
            k.recall() >= recall && k.precision() >= precision,
            "{file} {kind:?}: recall {:.3} (floor {recall}), precision {:.3} (floor {precision})",
            k.recall(),
            k.precision()
        );
    }
}

#[test]
fn masking_precision_holds_on_the_test_set() {
    // Names were 0.951 before names from many countries; ordinary words must stay.
    guard(
        "masking-test.csv",
        &[
            (Kind::Name, 0.9, 0.9),
            (Kind::Phone, 0.95, 0.98),
            (Kind::Date, 0.9, 0.95),
            (Kind::Address, 0.93, 0.95),
            (Kind::School, 0.95, 0.98),
            (Kind::Handle, 0.9, 0.98),
        ],
    );
}

#[test]
fn masking_meets_the_goals_on_phone_numbers_and_dates_from_cldr() {
    // Goals: phone numbers 0.95; dates 0.9 is not met (0.884, see MEASURED.md), so this guards
    // what has been reached.
    guard(
        "eval/eval-phonenumbers-babel.csv",
        &[(Kind::Phone, 0.95, 0.98), (Kind::Date, 0.88, 0.98)],
    );
}

#[test]
fn masking_meets_the_goals_on_faker_js_values() {
    // Goals: names 0.8, phone numbers, emails and links 0.95. Addresses (0.694 / 0.974 since
    // session 25; a find covering under half an address counts as wrong) and name precision
    // (0.854: street names of addresses not found) are guarded as reached.
    guard(
        "eval/eval-fakerjs.csv",
        &[
            (Kind::Name, 0.9, 0.83),
            (Kind::Phone, 0.95, 0.98),
            (Kind::Email, 0.95, 0.98),
            (Kind::Url, 0.95, 0.98),
            (Kind::Address, 0.68, 0.96),
        ],
    );
}

#[test]
fn masking_finds_card_and_national_insurance_numbers_from_faker() {
    // The goal of 0.95 set for phone numbers, emails and links, held to by numbers as rigid.
    guard("eval/eval-ids-faker.csv", &[(Kind::Identifier, 0.95, 0.98)]);
}

#[test]
fn masking_finds_passport_national_identity_numbers_and_ip_addresses_from_faker() {
    // A check set (frames written with the finder, changed once after its first measure):
    // 0.954 / 1.000 in session 24 (3 left in view), 65 of 240 left in view before it.
    guard(
        "eval/eval-refs-faker.csv",
        &[(Kind::Identifier, 0.95, 0.98)],
    );
}

#[test]
fn masking_finds_dates_with_months_named_in_other_languages() {
    // CLDR's long dates of every locale not English, every script (session 25, held out): the
    // month names come from glibc and moment.js, tuned on moment.js's, Java's and glibc's
    // dates. 0.530 / 0.994 reached in session 26; native-script months without a list entry
    // and inflected forms are the misses' kinds.
    guard(
        "eval/eval-dates-cldr-months.csv",
        &[(Kind::Date, 0.52, 0.98)],
    );
}

#[test]
fn masking_finds_dates_of_the_solar_hijri_islamic_and_ethiopian_calendars() {
    // CLDR's dates of those calendars in every style (node's ICU; session 26, held out): the
    // months come from npm moment-jalaali, moment-hijri and abushakir, tuned on dates in formats
    // written here. 0.194 with session 25's build, 0.573 / 1.000 reached.
    guard("eval/eval-dates-calendars.csv", &[(Kind::Date, 0.55, 0.98)]);
}

#[test]
fn masking_finds_school_names_from_the_register_of_schools() {
    // No goal names schools; 0.772 / 0.990 reached in session 21 (0.388 before) is guarded.
    guard("eval/eval-schools-gias.csv", &[(Kind::School, 0.75, 0.97)]);
}

#[test]
fn masking_holds_on_names_in_real_social_media_text() {
    // WNUT 2017's test split (session 22): 0.548 / 0.440 by the rules, 0.636 / 0.417 with
    // names' second look (session 27), still under the goal of 0.8: its names are mostly
    // public figures, characters and usernames, and capitalised brands and places are taken
    // for names. Guarded as reached; see MEASURED.md.
    guard("eval/eval-wnut17.csv", &[(Kind::Name, 0.63, 0.41)]);
}

#[test]
fn screening_recall_holds_on_the_test_set() {
    let s = screening(&Screener::builtin(), &data("disclosure-test.csv")).expect("reads");
    assert!(s.disclosures >= 300 && s.others >= 300);
    // The goal is 0.95; this guards what has been reached (see MEASURED.md).
    assert!(
        s.recall() >= FLOOR,
        "recall {:.3}: missed {:#?}",
        s.recall(),
        s.missed
    );
}

const FLOOR: f64 = 0.93;
