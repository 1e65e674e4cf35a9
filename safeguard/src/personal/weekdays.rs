//! The day of the week written beside a date ("Pazartesi, 23 Ocak 2012", "28 Ocak 2024 Pazar"),
//! masked with the date: it narrows the date down, and alone it reads as a name.
use std::sync::LazyLock;

use foldhash::HashMap;

use super::months::{self, read_names};
use super::{Found, Kind};

struct Weekdays {
    /// Each name, and whether it is also an English word or two Latin letters ("sat", "ma"):
    /// then it joins a date only with a comma or a dot between ("ma, 3 mei 2012").
    names: HashMap<String, bool>,
    /// The most words a name has ("cümə axşamı", "aho faiumu").
    longest: usize,
}

static W: LazyLock<Weekdays> = LazyLock::new(|| {
    let (names, longest) = read_names(include_str!("../../data/months/weekdays.txt"), |tag| {
        tag.is_some()
    });
    Weekdays { names, longest }
});

/// What may stand between a weekday and its date: spaces and the commas, full stops and word
/// separators of several scripts (Arabic, Ethiopic, CJK).
fn gap(c: char) -> bool {
    matches!(c, ' ' | ',' | '.' | '،' | '፣' | '፥' | '፡' | '、' | '，')
}

/// Letters as month names are read, and apostrophes ("d’").
fn letter(c: char) -> bool {
    months::letter(c) || matches!(c, '\'' | '’')
}

/// A name as the list holds it: folded as month names are, dots as spaces.
fn key(words: &str) -> String {
    let out: String = months::folded(words)
        .map(|c| if c == '.' { ' ' } else { c })
        .collect();
    out.trim_end().to_string()
}

/// Widens every date found over a day of the week just before or after it.
pub(super) fn widen(text: &str, found: &mut [Found]) {
    for f in found.iter_mut().filter(|f| f.2 == Kind::Date) {
        if let Some(start) = before(text, f.0) {
            f.0 = start;
        }
        if let Some(end) = after(text, f.1) {
            f.1 = end;
        }
    }
}

/// The start of a weekday ending just before byte `start`, the longest the list knows.
fn before(text: &str, start: usize) -> Option<usize> {
    let w = &*W;
    let head = &text[..start];
    let name_end = head.trim_end_matches(gap).len();
    let between = &head[name_end..];
    if between.is_empty() || between.chars().count() > 3 {
        return None;
    }
    let punctuated = between.chars().any(|c| c != ' ');
    let mut best = None;
    let mut end = name_end;
    for _ in 0..w.longest {
        let Some((word_start, _)) = head[..end]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| letter(c))
            .last()
        else {
            break;
        };
        if let Some(&wordy) = w.names.get(&key(&head[word_start..name_end]))
            && (punctuated || !wordy)
        {
            best = Some(word_start);
        }
        // Words of one name are one space apart.
        match head[..word_start].strip_suffix(' ') {
            Some(rest) if !rest.ends_with(' ') => end = rest.len(),
            _ => break,
        }
    }
    best
}

/// The end of a weekday starting just after byte `end` ("28 Ocak 2024 Pazar", "3 Mai 2012,
/// Montag"): a full name, not an abbreviation, an English word or two letters, which a sentence
/// goes on with as often.
fn after(text: &str, end: usize) -> Option<usize> {
    let w = &*W;
    let tail = &text[end..];
    let name_start = tail.len() - tail.trim_start_matches([' ', ',', '،', '、']).len();
    if name_start == 0 || name_start > 3 {
        return None;
    }
    let mut best = None;
    let mut from = name_start;
    for _ in 0..w.longest {
        let Some(length) = tail[from..]
            .char_indices()
            .take_while(|&(_, c)| letter(c))
            .map(|(i, c)| i + c.len_utf8())
            .last()
        else {
            break;
        };
        let word_end = from + length;
        let name = &tail[name_start..word_end];
        // Latin abbreviations after a date are as often something else ("2/24 fra to mco", an
        // airport); "星期日" is a whole name.
        if (!name.is_ascii() || name.len() >= 4) && w.names.get(&key(name)) == Some(&false) {
            best = Some(end + word_end);
        }
        match tail[word_end..].strip_prefix(' ') {
            Some(rest) if !rest.starts_with(' ') && !rest.is_empty() => from = word_end + 1,
            _ => break,
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::super::months::tests::dates;

    #[test]
    fn a_weekday_beside_a_date_goes_with_it() {
        for (text, date) in [
            (
                "Date: Pazartesi, 23 Ocak 2012 geldim",
                "Pazartesi, 23 Ocak 2012",
            ),
            ("geldim 28 Ocak 2024 Pazar günü", "28 Ocak 2024 Pazar"),
            ("Date: cümə axşamı, 03 may 2012", "cümə axşamı, 03 may 2012"),
            ("we left on Thursday 3 May 2012", "Thursday 3 May 2012"),
            ("ma, 3 mei 2012 kwam ik", "ma, 3 mei 2012"),
            ("Date: ອາ. 28 ມ.ກ. 2567", "ອາ. 28 ມ.ກ. 2567"),
        ] {
            assert_eq!(dates(text), vec![date.to_string()], "{text}");
        }
    }

    #[test]
    fn english_words_beside_a_date_stay() {
        for (text, date) in [
            ("went to 3 May 2012 party", "3 May 2012"),
            ("on 3 May 2012 sun was out", "3 May 2012"),
            ("born 3 May 2012 man", "3 May 2012"),
            ("change to 24 Feb 2015 fra to mco", "24 Feb 2015"),
        ] {
            assert_eq!(dates(text), vec![date.to_string()], "{text}");
        }
    }
}
