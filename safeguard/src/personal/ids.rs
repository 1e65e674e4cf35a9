//! Numbers that identify a person or their money: payment card numbers (12 to 19 digits that
//! pass the card check digit) and UK National Insurance numbers (`QQ 12 34 56 C`).
use std::sync::LazyLock;

use regex::Regex;

use super::{Found, Kind, re};

struct Patterns {
    card: Regex,
    card_cue: Regex,
    insurance: Regex,
}

static P: LazyLock<Patterns> = LazyLock::new(|| Patterns {
    // Digits in groups split by single spaces or hyphens, as cards print them.
    card: re(r"(?-u:\b)\d(?:[ \-]?\d){11,18}(?-u:\b)"),
    card_cue: re(r"(?i)(?-u:\b)(?:card|visa|amex|mastercard|maestro|debit|credit|bank)"),
    // Two letters, three pairs of digits and a letter. Only A to D end an allocated number, but
    // any letter is taken: a number of this shape with another is a mistyped one, still a
    // person's.
    insurance: re(r"(?i)(?-u:\b)[a-z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[a-z](?-u:\b)"),
});

/// The Luhn check every payment card number passes (and nine in ten other numbers fail).
fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(*d);
            if i % 2 == 1 {
                let twice = d * 2;
                if twice > 9 { twice - 9 } else { twice }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

pub(super) fn find(text: &str, out: &mut Vec<Found>) {
    let p = &*P;
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    if digits >= 12 {
        for m in p.card.find_iter(text) {
            let s = m.as_str();
            let ds: Vec<u8> = s
                .bytes()
                .filter(u8::is_ascii_digit)
                .map(|b| b - b'0')
                .collect();
            // Not an international phone number ("+44 ..."), nor digits all alike.
            let plus = text[..m.start()].trim_end().ends_with('+');
            let uniform = ds.iter().all(|d| *d == ds[0]);
            // Up to 15 digits it could as well be a phone number, which answers hold far more
            // often: a card then needs a word for one near it.
            let cued = ds.len() >= 16 || {
                let near = |i: usize| text.floor_char_boundary(i);
                let before = &text[near(m.start().saturating_sub(40))..m.start()];
                let after = &text[m.end()..near(m.end() + 40)];
                p.card_cue.is_match(before) || p.card_cue.is_match(after)
            };
            if !plus && !uniform && cued && luhn(&ds) {
                out.push((m.start(), m.end(), Kind::Identifier));
            }
        }
    }
    if digits >= 6 {
        for m in p.insurance.find_iter(text) {
            out.push((m.start(), m.end(), Kind::Identifier));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        find(text, &mut out);
        out.iter().map(|(s, e, _)| &text[*s..*e]).collect()
    }

    #[test]
    fn card_numbers_pass_the_check_and_others_stay() {
        assert_eq!(
            found("my card is 4111 1111 1111 1111 ok"),
            ["4111 1111 1111 1111"]
        );
        assert_eq!(found("4111-1111-1111-1111"), ["4111-1111-1111-1111"]);
        assert_eq!(found("amex 3782 822463 10005"), ["3782 822463 10005"]);
        // One digit wrong fails the check.
        assert!(found("4111 1111 1111 1112").is_empty());
        assert!(found("ring +44 7700 900123 4").is_empty());
        assert!(found("0000 0000 0000 0000").is_empty());
        // 15 digits that pass the check, with no word for a card, are left to the phone finder.
        assert!(found("ring 3782 822463 10005").is_empty());
        assert!(found("in 2019 2020 and 2021 we moved").is_empty());
    }

    #[test]
    fn national_insurance_numbers_in_any_case_and_spacing() {
        assert_eq!(found("my NI is QQ 12 34 56 C"), ["QQ 12 34 56 C"]);
        assert_eq!(found("ni number qq123456c."), ["qq123456c"]);
        assert!(found("i got 12 34 56 in my tests").is_empty());
        assert!(found("year 10 and 11").is_empty());
    }

    #[test]
    fn a_card_number_is_masked_as_one_not_as_a_phone_number() {
        let m = super::super::mask("amex 3782 822463 10005 and ring 07700 900123");
        assert_eq!(m.masked, "amex [ID number] and ring [phone number]");
    }
}
