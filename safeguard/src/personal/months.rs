//! Dates whose month is named in any language the GNU C Library's or moment.js's locales know
//! (`23 Ocak 2012`, `9 gusht 2018`, `2 października 2024`, `2012. január 23.`, `2012 m. sausio
//! 23 d.`), and the numbered months of Chinese, Japanese, Korean and Vietnamese (`2012年1月23日`,
//! `23 tháng 1 năm 2012`).
//!
//! Children seeking asylum and children of migrant families write their dates of birth and of
//! arrival as they learnt them; the English and Romance month names of `dates.rs` missed most.
use std::ops::Range;
use std::sync::LazyLock;

use foldhash::HashMap;
use regex::Regex;

use super::{Found, Kind, re};

/// Whether a month name is a full name (found with a day alone), only an abbreviation (found
/// only with a year as well: "23 lip" is as likely a typo as a date), or also an English word or
/// two Latin letters (found only as a day, the name and a year: "28 sty 2024", "03 me 2012";
/// not "2019 her 3").
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Full,
    Short,
    Tiny,
}

struct Months {
    /// Each name's form, and whether it is a month of the Solar Hijri, Islamic or Ethiopian
    /// calendar, whose years (1300-1499 too) differ: "12 Hamal 1385", "۱۵ آبان ۱۳۹۵", "6 صفر 1438".
    names: HashMap<String, (Form, bool)>,
    /// The most words a name has ("mis hedra", "bisha koobaad", "sánzá ya mwambe").
    longest: usize,
    numbered: Regex,
}

/// A list of names, one a line with an optional tag after a tab (`#` starts a comment), each
/// with what its tag says, and the most words a name has.
pub(super) fn read_names<T>(
    list: &str,
    tag: impl Fn(Option<&str>) -> T,
) -> (HashMap<String, T>, usize) {
    let names: HashMap<String, T> = list
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once('\t') {
            Some((name, t)) => (name.to_string(), tag(Some(t))),
            None => (l.to_string(), tag(None)),
        })
        .collect();
    let longest = names
        .keys()
        .map(|n| n.split(' ').count())
        .max()
        .unwrap_or(1);
    (names, longest)
}

static M: LazyLock<Months> = LazyLock::new(|| {
    let (names, longest) = read_names(include_str!("../../data/months/months.txt"), |tag| {
        let tag = tag.unwrap_or("");
        let form = if tag.contains('t') {
            Form::Tiny
        } else if tag.contains('a') {
            Form::Short
        } else {
            Form::Full
        };
        (form, tag.contains('h'))
    });
    Months {
        names,
        longest,
        numbered: re(concat!(
            // 2012年1月23日, 1月23日, 2012년 1월 23일
            r"(?:(?:1[3-9]|2[0-6])\d{2}\s*[年년]\s*)?(?:1[0-2]|0?[1-9])\s*[月월]\s*(?:3[01]|[12]\d|0?[1-9])\s*[日일號号]",
            // (ngày) 23 tháng 1 (năm 2012), tháng 1 năm 2012
            r"|(?i:(?:ngày\s+)?(?:3[01]|[12]\d|0?[1-9])\s+tháng\s+(?:1[0-2]|0?[1-9])(?-u:\b)(?:,?\s+(?:năm\s+)?(?:1[3-9]|2[0-6])\d{2}(?-u:\b))?",
            r"|tháng\s+(?:1[0-2]|0?[1-9])\s+năm\s+(?:1[3-9]|2[0-6])\d{2}(?-u:\b))",
        )),
    }
});

#[derive(Clone, Copy, PartialEq, Eq)]
enum Token {
    /// A run of digits of one script: its value (up to 9,999) and how many digits it has.
    Number {
        value: u32,
        digits: usize,
    },
    Word,
}

/// The zeros of the scripts whose digits people write dates in: Arabic-Indic, Persian and Urdu,
/// Devanagari, Bengali, Gurmukhi, Gujarati, Odia, Tamil, Telugu, Kannada, Malayalam, Sinhala, Thai,
/// Lao, Tibetan, Myanmar, Khmer, Mongolian, full width; each followed by the other nine.
const ZEROS: [u32; 20] = [
    0x0660, 0x06F0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6,
    0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x17E0, 0x1810, 0xFF10, 0x07C0,
];

pub(super) fn digit(ch: char) -> Option<u32> {
    if ch.is_ascii() {
        return ch.is_ascii_digit().then(|| ch as u32 - '0' as u32);
    }
    let c = ch as u32;
    ZEROS
        .iter()
        .find(|&&z| (z..z + 10).contains(&c))
        .map(|z| c - z)
}

/// Whether `ch` is part of a word of any script, as month and weekday names are read.
pub(super) fn letter(ch: char) -> bool {
    ch.is_alphabetic()
        // Joiners inside Malayalam and Sinhala words ("ഒക്‌ടോബർ").
        || matches!(ch, '\u{200C}' | '\u{200D}')
        // Combining marks of Indic and other scripts are not alphabetic in themselves; the
        // punctuation of other scripts (Arabic and Ethiopic commas and word spaces, CJK and
        // full-width marks) is no letter.
        || (!ch.is_ascii()
            && !ch.is_whitespace()
            && !ch.is_numeric()
            && !matches!(ch, '\u{2000}'..='\u{206F}' | '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF0F}'
                | '«' | '»' | '¡' | '¿' | '·' | '،' | '؛' | '\u{1360}'..='\u{1368}'))
}

/// A name as the lists hold it: lower case, without joiners.
pub(super) fn folded(word: &str) -> impl Iterator<Item = char> + '_ {
    word.chars()
        .filter(|&c| !matches!(c, '\u{200C}' | '\u{200D}'))
        .flat_map(char::to_lowercase)
}

/// Words and runs of digits, with their byte ranges; everything else separates them.
fn tokens(text: &str) -> Vec<(Token, Range<usize>)> {
    let inside = |ch: char| ch == '\'' || ch == '’' || ch == '-';
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, ch)) = chars.next() {
        let mut kind = if let Some(d) = digit(ch) {
            Token::Number {
                value: d,
                digits: 1,
            }
        } else if letter(ch) {
            Token::Word
        } else {
            continue;
        };
        let mut end = start + ch.len_utf8();
        while let Some(&(i, c)) = chars.peek() {
            match (&mut kind, digit(c)) {
                (Token::Number { value, digits }, Some(d)) => {
                    *value = value.saturating_mul(10).saturating_add(d).min(99_999);
                    *digits += 1;
                }
                (Token::Word, _) if letter(c) || inside(c) => {}
                _ => break,
            }
            end = i + c.len_utf8();
            chars.next();
        }
        if kind == Token::Word {
            end = start + text[start..end].trim_end_matches(inside).len();
        }
        out.push((kind, start..end));
    }
    out
}

pub(super) fn find(text: &str, out: &mut Vec<Found>) {
    // Every date here has a digit, and most answers hold none.
    let digits = text.bytes().any(|b| b.is_ascii_digit())
        || (!text.is_ascii() && text.chars().any(|c| digit(c).is_some()));
    if !digits {
        return;
    }
    let m = &*M;
    if !text.is_ascii() {
        for f in m.numbered.find_iter(text) {
            out.push((f.start(), f.end(), Kind::Date));
        }
    }
    let toks = tokens(text);
    // The value of token `i` if it is a number of `n` digits (a day may have one).
    let number = |i: usize, n: usize| match toks.get(i) {
        Some((Token::Number { value, digits }, _)) if *digits == n || (n == 2 && *digits == 1) => {
            Some(*value)
        }
        _ => None,
    };
    let day = |i: usize| number(i, 2).is_some_and(|d| (1..=31).contains(&d));
    // Buddhist years too ("2 ตุลาคม 2567"); not 1300-1899, as often a flight or a house, except
    // beside a month of a calendar whose years those are (`other`).
    let year = |i: usize, other: bool| {
        number(i, 4).is_some_and(|y| {
            (1900..=2100).contains(&y)
                || (2500..=2600).contains(&y)
                || (other && (1300..=1499).contains(&y))
        })
    };
    // Only a few spaces, dots, commas, hyphens, slashes or apostrophes between two tokens: a date
    // is written in one go.
    let close = |a: usize, b: usize| {
        let (Some(x), Some(y)) = (toks.get(a), toks.get(b)) else {
            return false;
        };
        let gap = &text[x.1.end..y.1.start];
        gap.len() <= 4
            && gap.chars().all(|c| {
                matches!(
                    c,
                    ' ' | '.' | ',' | '-' | '/' | '\'' | '’' | '،' | '፡' | '፣'
                )
            })
    };
    let word = |i: usize, w: &str| {
        toks.get(i)
            .is_some_and(|t| t.0 == Token::Word && text[t.1.clone()].eq_ignore_ascii_case(w))
    };
    // The month name of `n` words starting at token `i`, if it is one.
    let named = |i: usize, n: usize| -> Option<(Form, bool)> {
        let last = (i + n).checked_sub(1)?;
        if (i..=last).any(|k| toks.get(k).is_none_or(|t| t.0 != Token::Word))
            || (i..last).any(|k| !close(k, k + 1))
        {
            return None;
        }
        let mut name = String::new();
        for k in i..=last {
            if k > i {
                name.push(' ');
            }
            name.extend(folded(&text[toks[k].1.clone()]));
        }
        m.names.get(&name).copied()
    };
    // The longest month name starting at token `i`: its form, its calendar and its last token.
    let month = |i: usize| -> Option<(Form, bool, usize)> {
        (1..=m.longest)
            .rev()
            .find_map(|n| named(i, n).map(|(f, other)| (f, other, i + n - 1)))
    };
    for i in 0..toks.len() {
        // 23 Ocak 2012, 23 de xineru de 2012, 9 gusht, 2 października 2024 r.
        if day(i) && !digits_around(text, &toks[i].1) && close(i, i + 1) {
            let found = month(i + 1).or_else(|| {
                (linker(text, &toks[i + 1].1) && close(i + 1, i + 2))
                    .then(|| month(i + 2))
                    .flatten()
            });
            // "27. syyskuuta 2015": a full name with a case ending the lists lack, taken only
            // with a year after it.
            let inflected = || {
                (close(i + 1, i + 2)
                    && year(i + 2, false)
                    && inflected_month(text, &toks[i + 1], m))
                .then_some((Form::Short, false, i + 1))
            };
            if let Some((form, other, last)) = found.or_else(inflected) {
                let mut y = last + 1;
                if close(last, y) && (word(y, "de") || word(y, "of") || word(y, "ọdún")) {
                    y += 1;
                }
                if close(y - 1, y) && year(y, other) {
                    out.push((toks[i].1.start, toks[y].1.end, Kind::Date));
                } else if form == Form::Full {
                    out.push((toks[i].1.start, toks[last].1.end, Kind::Date));
                }
            }
        }
        // 2012. január 23., 2012 m. sausio 23 d., 2012, Ocak 23, 2024ko urtarrilaren 28a;
        // 2019. gada 21. oktobris, 2012 03 май
        if year(i, true) && !digits_around(text, &toks[i].1) {
            let j = if close(i, i + 1) && ["m", "gada", "ko", "eko"].iter().any(|w| word(i + 1, w))
            {
                i + 2
            } else {
                i + 1
            };
            // A month after the year, and the year one of its calendar's.
            let named_here = |k: usize| {
                let t = toks.get(k)?;
                month(k)
                    .filter(|&(form, _, _)| form != Form::Tiny)
                    .or_else(|| inflected_month(text, t, m).then_some((Form::Short, false, k)))
                    .filter(|&(_, other, _)| year(i, other))
            };
            if close(j - 1, j) {
                if let Some((_, _, last)) = named_here(j)
                    && close(last, last + 1)
                    && day(last + 1)
                {
                    out.push((toks[i].1.start, toks[last + 1].1.end, Kind::Date));
                } else if day(j)
                    && close(j, j + 1)
                    && let Some((_, _, last)) = named_here(j + 1)
                {
                    out.push((toks[i].1.start, toks[last].1.end, Kind::Date));
                }
            }
        }
        // Ocak 23, 2012: looked for from the day back, so that only words beside a number are
        // looked up. A word for "day" may stand before the year (Amharic "ጥቅምት 26 ቀን 2009",
        // Tigrinya "ሜይ 3 መዓልቲ 2012", also with the Ethiopic word space: "ጥሪ፡28፡መዓልት፡2024").
        let y = if close(i, i + 1) && ["ቀን", "መዓልቲ", "መዓልት"].iter().any(|w| word(i + 1, w))
        {
            i + 2
        } else {
            i + 1
        };
        if day(i) && i > 0 && close(i - 1, i) && close(y - 1, y) && year(y, true) {
            let start = (1..=m.longest.min(i)).rev().find(|&n| {
                named(i - n, n).is_some_and(|(f, other)| f != Form::Tiny && year(y, other))
            });
            if let Some(n) = start {
                out.push((toks[i - n].1.start, toks[y].1.end, Kind::Date));
            }
        }
    }
}

/// Whether a word is a full month name of five letters or more with up to three letters added
/// ("syyskuuta", the partitive of "syyskuu"), as many languages inflect a month in a date.
fn inflected_month(text: &str, t: &(Token, Range<usize>), m: &Months) -> bool {
    if t.0 != Token::Word {
        return false;
    }
    let w: Vec<char> = text[t.1.clone()]
        .chars()
        .flat_map(char::to_lowercase)
        .collect();
    (1..=3).any(|k| {
        w.len() >= 5 + k && {
            let stem: String = w[..w.len() - k].iter().collect();
            m.names
                .get(&stem)
                .is_some_and(|&(form, _)| form == Form::Full)
        }
    })
}

/// A short word that joins a day to its month in some languages ("23 de xineru", "23 ta Jan").
fn linker(text: &str, r: &Range<usize>) -> bool {
    // Welsh "28 mis Ionawr", Hausa "21 ga Oktoba", Māori "03 o Haratua", Walloon "21 d’ octôbe",
    // Yoruba "21 oṣù Ọ̀wàrà".
    [
        "de", "di", "del", "of", "ta", "dhen", "mis", "ga", "o", "d", "oṣù",
    ]
    .iter()
    .any(|w| text[r.clone()].eq_ignore_ascii_case(w))
}

/// Whether a number is part of a longer one ("1.23 Ocak", "12:23"): then it is no day or year.
fn digits_around(text: &str, r: &Range<usize>) -> bool {
    let before = text[..r.start].chars().next_back();
    let before2 = text[..r.start].chars().rev().nth(1);
    let after = text[r.end..].chars().next();
    // Letters glued in front make a code ("ua1619", "b12"); after, a day ("19JUN").
    before.is_some_and(char::is_alphanumeric)
        || matches!(before, Some(':' | '+' | '£' | '$' | '€'))
        || (matches!(before, Some('.' | ',' | '/' | '-'))
            && before2.is_some_and(|c| digit(c).is_some()))
        || matches!(after, Some(':'))
        || (matches!(after, Some('.' | ',' | '/'))
            && text[r.end..]
                .chars()
                .nth(1)
                .is_some_and(|c| digit(c).is_some()))
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::Kind;
    use super::super::find;

    /// The dates found in `t`, as written (the weekdays' tests use it too).
    pub(in super::super) fn dates(t: &str) -> Vec<String> {
        let chars: Vec<char> = t.chars().collect();
        find(t)
            .into_iter()
            .filter(|s| s.kind == Kind::Date)
            .map(|s| chars[s.start..s.end].iter().collect())
            .collect()
    }

    #[test]
    fn months_of_many_languages_with_a_day() {
        for (text, date) in [
            ("i was born 23 Ocak 2012 in turkey", "23 Ocak 2012"),
            ("came on 9 gusht 2018 with my uncle", "9 gusht 2018"),
            ("urodziny 2 października 2024 r.", "2 października 2024"),
            ("my birthday is 9 gusht", "9 gusht"),
            ("data: 2012. január 23. ok", "2012. január 23"),
            ("2012 m. sausio 23 d. atvykau", "2012 m. sausio 23"),
            ("born 23 января 2012", "23 января 2012"),
            ("arrived 2 Bisha Tobnaad 2024", "2 Bisha Tobnaad 2024"),
            ("she came Ocak 23, 2012 alone", "Ocak 23, 2012"),
            ("Date: 23 de xineru de 2012", "23 de xineru de 2012"),
            ("2012年1月23日に来た", "2012年1月23日"),
            ("생일은 2012년 1월 23일", "2012년 1월 23일"),
            ("sinh ngày 23 tháng 1 năm 2012", "ngày 23 tháng 1 năm 2012"),
            ("وصلت ١٤ نيسان ٢٠١١ مع أخي", "١٤ نيسان ٢٠١١"),
            ("born २७ सितंबर २०१५", "२७ सितंबर २०१५"),
            ("came 14 四月 2011", "14 四月 2011"),
            ("Date: 3 ta’ Frar 2022", "3 ta’ Frar 2022"),
            ("saavuin 27. syyskuuta 2015", "27. syyskuuta 2015"),
            ("urodziny 28 sty 2024 r.", "28 sty 2024"),
            ("born 3 मई 2012 in delhi", "3 मई 2012"),
            ("data: 2019. gada 21. oktobris", "2019. gada 21. oktobris"),
            (
                "jaio nintzen 2024ko urtarrilaren 28an",
                "2024ko urtarrilaren 28",
            ),
            ("приехал 2012 03 май", "2012 03 май"),
            ("ganwyd 28 mis Ionawr 2024", "28 mis Ionawr 2024"),
            ("na zo 21 ga Oktoba", "21 ga Oktoba"),
            ("เกิด 3 พ.ค. 2555 ที่", "3 พ.ค. 2555"),
            ("ജനനം 21 ഒക്‌ടോബർ 2019", "21 ഒക്‌ടോബർ 2019"),
            ("生日 2012年05月03號", "2012年05月03號"),
            // The Solar Hijri, Islamic and Ethiopian calendars, with their years.
            ("تولد ۱۵ آبان ۱۳۹۵ در", "۱۵ آبان ۱۳۹۵"),
            ("زیږیدلی ۱۲ حمل ۱۳۸۵", "۱۲ حمل ۱۳۸۵"),
            ("born 2 Ordibehesht 1387 in", "2 Ordibehesht 1387"),
            ("ولدت 6 صفر 1438 هـ", "6 صفر 1438"),
            ("ولدت ربيع الثاني 15، 1429", "ربيع الثاني 15، 1429"),
            ("۱۳۹۵ آبان ۱۵، شنبه", "۱۳۹۵ آبان ۱۵، شنبه"),
            // Not 1385 beside a Gregorian month.
            ("born 23 Ocak 1385", "23 Ocak"),
            ("ተወለድኩ ጥቅምት 26 ቀን 2009", "ጥቅምት 26 ቀን 2009"),
            ("ተወሊደ ጥሪ፡28፡መዓልት፡2024፡፡", "ጥሪ፡28፡መዓልት፡2024"),
        ] {
            assert_eq!(dates(text), vec![date.to_string()], "{text}");
        }
    }

    #[test]
    fn numbers_beside_words_stay() {
        for text in [
            "i have 2 brothers and 3 sisters",
            "we won 3 nil in 2019",
            "year 9 2018 was hard",
            "it costs 1.23 ocak",
            "lip 23 is sore",
            "23 lip",
            "at 12:23 sausio",
            "i have 2 syyskuuta",
            "page 9 of 2018 pages",
            // A month that is an English word, or two letters, only between a day and a year.
            "in 2019 her 3 kids were taken",
            "i gave her 23, 2019 was bad",
            "in 2019 me 3 and him went",
            "i have 3 sty",
            // Years before 1900 only beside a month of a calendar whose years they are.
            "flight 1387 ordibehesht",
        ] {
            assert_eq!(dates(text), Vec::<String>::new(), "{text}");
        }
        // A flight number before a date is no year.
        assert_eq!(dates("upgrades for ua1619 feb 25 please"), vec!["feb 25"]);
    }
}
