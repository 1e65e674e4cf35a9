//! Numbers that identify a person or their money: payment card numbers (12 to 19 digits that
//! pass the card check digit), bank accounts (IBANs that pass their check; a sort code or
//! account number said to be one), NHS numbers (ten digits said to be one that pass its check),
//! UK National Insurance numbers (`QQ 12 34 56 C`) and US Social Security numbers.
use std::sync::LazyLock;

use regex::Regex;

use super::{Found, Kind, re};

struct Patterns {
    card: Regex,
    card_cue: Regex,
    insurance: Regex,
    iban: Regex,
    bank: Regex,
    nhs: Regex,
    nhs_cue: Regex,
    social_security: Regex,
}

static P: LazyLock<Patterns> = LazyLock::new(|| Patterns {
    // Digits in groups split by single spaces or hyphens, as cards print them.
    card: re(r"(?-u:\b)\d(?:[ \-]?\d){11,18}(?-u:\b)"),
    card_cue: re(r"(?i)(?-u:\b)(?:card|visa|amex|mastercard|maestro|debit|credit|bank)"),
    // Two letters, three pairs of digits and a letter. Only A to D end an allocated number, but
    // any letter is taken: a number of this shape with another is a mistyped one, still a
    // person's.
    insurance: re(r"(?i)(?-u:\b)[a-z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[a-z](?-u:\b)"),
    // A country's letters, two check digits, then up to 30 letters and digits, run together or
    // in fours as banks print them; its check (below) decides.
    iban: re(r"(?i)(?-u:\b)[a-z]{2}\d{2}(?:[ ]?[a-z0-9]{4}){2,7}(?:[ ]?[a-z0-9]{1,4})?(?-u:\b)"),
    // "sort code 20-00-00", "account number 12345678", "acc no: 12345678".
    bank: re(
        r"(?i)(?-u:\b)(?:sort\s?code|account\s?(?:number|no\.?|num)|acc(?:ount)?\s?no\.?)\s*(?:is|was|:|-)?\s*(\d{2}[ \-]?\d{2}[ \-]?\d{2}(?:\d{2})?)(?-u:\b)",
    ),
    // Ten digits, run together or spaced 3-3-4 as the NHS prints them.
    nhs: re(r"(?-u:\b)\d{3}[ \-]?\d{3}[ \-]?\d{4}(?-u:\b)"),
    nhs_cue: re(r"(?i)(?-u:\b)(?:nhs|health\s?(?:number|no))"),
    // "123-45-6789": three, two and four digits with hyphens, or with spaces after a word for
    // it.
    social_security: re(
        r"(?i)(?:(?-u:\b)(?:ssn|social\s?security(?:\s?(?:number|no))?)\s*(?:is|:|#)?\s*(\d{3}[ \-]?\d{2}[ \-]?\d{4})|(?-u:\b)(\d{3}-\d{2}-\d{4}))(?-u:\b)",
    ),
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

/// The check every IBAN passes (ISO 13616: its first four characters moved to the end, letters
/// read as 10 to 35, the number leaves 1 divided by 97), and 96 in 97 other strings fail.
fn iban_checks(s: &str) -> bool {
    let chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    if !(15..=34).contains(&chars.len()) {
        return false;
    }
    let mut rest: u32 = 0;
    for c in chars[4..].iter().chain(&chars[..4]) {
        let Some(v) = c.to_digit(36) else {
            return false;
        };
        rest = if v < 10 {
            rest * 10 + v
        } else {
            rest * 100 + v
        } % 97;
    }
    rest == 1
}

/// The NHS number's check: the first nine digits weighted 10 down to 2, and the tenth the
/// weight's remainder from 11 (a remainder of 10 is never issued).
fn nhs_checks(digits: &[u8]) -> bool {
    let sum: u32 = digits[..9]
        .iter()
        .zip((2..=10).rev())
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    u32::from(digits[9]) == check
}

/// The digits of `s`, as numbers.
fn digits_of(s: &str) -> Vec<u8> {
    s.bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect()
}

/// Whether a "+" stands before `at`: an international phone number's country code.
fn after_plus(text: &str, at: usize) -> bool {
    text[..at].trim_end().ends_with('+')
}

/// Whether a pattern matches within 40 characters before or after `start..end`.
fn near(text: &str, start: usize, end: usize, cue: &Regex) -> bool {
    let at = |i: usize| text.floor_char_boundary(i);
    cue.is_match(&text[at(start.saturating_sub(40))..start])
        || cue.is_match(&text[end..at(end + 40)])
}

pub(super) fn find(text: &str, out: &mut Vec<Found>) {
    let p = &*P;
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    if digits >= 12 {
        for m in p.card.find_iter(text) {
            let ds = digits_of(m.as_str());
            // Not an international phone number ("+44 ..."), nor digits all alike.
            let plus = after_plus(text, m.start());
            let uniform = ds.iter().all(|d| *d == ds[0]);
            // Up to 15 digits it could as well be a phone number, which answers hold far more
            // often: a card then needs a word for one near it.
            let cued = ds.len() >= 16 || near(text, m.start(), m.end(), &p.card_cue);
            if !plus && !uniform && cued && luhn(&ds) {
                out.push((m.start(), m.end(), Kind::Identifier));
            }
        }
    }
    if digits >= 6 {
        for m in p.insurance.find_iter(text) {
            out.push((m.start(), m.end(), Kind::Identifier));
        }
        for c in p.bank.captures_iter(text) {
            if let Some(m) = c.get(1) {
                out.push((m.start(), m.end(), Kind::Identifier));
            }
        }
    }
    if digits >= 9 {
        for c in p.social_security.captures_iter(text) {
            if let Some(m) = c.get(1).or_else(|| c.get(2)) {
                // Never issued: area 000, 666 or 9xx, group 00, serial 0000.
                let ds = digits_of(m.as_str());
                let (area, group, serial) = (&ds[..3], &ds[3..5], &ds[5..]);
                if !matches!(area, [0, 0, 0] | [6, 6, 6] | [9, ..])
                    && group != [0, 0]
                    && serial != [0, 0, 0, 0]
                {
                    out.push((m.start(), m.end(), Kind::Identifier));
                }
            }
        }
    }
    if digits >= 10 {
        for m in p.nhs.find_iter(text) {
            let ds = digits_of(m.as_str());
            // Ten digits are as often a phone number (North America's are spaced 3-3-4 too),
            // which the phone finder masks: an NHS number needs a word for one near it.
            if !after_plus(text, m.start())
                && near(text, m.start(), m.end(), &p.nhs_cue)
                && nhs_checks(&ds)
            {
                out.push((m.start(), m.end(), Kind::Identifier));
            }
        }
    }
    if digits >= 2 {
        for m in p.iban.find_iter(text) {
            // A group of four after it may be a word ("... 3210 then"): shorter by a group at a
            // time until the check passes.
            let mut s = m.as_str();
            loop {
                if iban_checks(s) {
                    out.push((m.start(), m.start() + s.len(), Kind::Identifier));
                    break;
                }
                match s.rfind(' ') {
                    Some(cut) => s = &s[..cut],
                    None => break,
                }
            }
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
    fn bank_accounts_pass_their_check_or_are_said_to_be_one() {
        assert_eq!(
            found("pay it to GB82 WEST 1234 5698 7654 32 thanks"),
            ["GB82 WEST 1234 5698 7654 32"]
        );
        assert_eq!(
            found("my iban is DE89370400440532013000."),
            ["DE89370400440532013000"]
        );
        assert_eq!(found("gb82west12345698765432"), ["gb82west12345698765432"]);
        // A word after a whole group of four is not part of it.
        assert_eq!(
            found("GB82 WEST 1234 5698 7654 32 then"),
            ["GB82 WEST 1234 5698 7654 32"]
        );
        // One character wrong fails the check.
        assert!(found("GB82 WEST 1234 5698 7654 33").is_empty());
        assert_eq!(
            found("sort code 20-00-00 and account number 12345678"),
            ["20-00-00", "12345678"]
        );
        assert_eq!(found("acc no: 31926819"), ["31926819"]);
        assert!(found("i scored 20-00-00 in the quiz").is_empty());
    }

    #[test]
    fn nhs_numbers_pass_their_check() {
        assert_eq!(found("my nhs number is 943 476 5919"), ["943 476 5919"]);
        assert_eq!(found("9434765919 is my NHS number"), ["9434765919"]);
        // With no word for one, it may be a phone number: left to that finder.
        assert!(found("ring 9434765919").is_empty());
        assert!(found("ring 943 476 5919").is_empty());
        assert!(found("my nhs number is 943 476 5918").is_empty());
    }

    #[test]
    fn social_security_numbers_with_hyphens_or_said_to_be_one() {
        assert_eq!(found("my ssn is 123-45-6789"), ["123-45-6789"]);
        assert_eq!(found("123-45-6789"), ["123-45-6789"]);
        assert_eq!(found("social security number 123 45 6789"), ["123 45 6789"]);
        // Never issued.
        assert!(found("000-12-3456").is_empty());
        assert!(found("666-12-3456").is_empty());
        assert!(found("the score was 123 45 6789").is_empty());
    }

    #[test]
    fn identifiers_are_masked_as_such_not_as_phone_numbers() {
        let m = super::super::mask("amex 3782 822463 10005 and ring 07700 900123");
        assert_eq!(m.masked, "amex [ID number] and ring [phone number]");
        let m = super::super::mask("my NHS number is 943 476 5919");
        assert_eq!(m.masked, "my NHS number is [ID number]");
        let m = super::super::mask("sort code 20-00-00 account number 12345678");
        assert_eq!(m.masked, "sort code [ID number] account number [ID number]");
    }
}
