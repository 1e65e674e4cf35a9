//! How hard a survey's words are to read: a reading age from the Flesch-Kincaid grade level, and
//! a list of long or rare words. Used by `heard check` to hold each version to its target reading
//! age. See "Reading age" in surveys/FORMAT.md for the rules.
//!
//! Flesch-Kincaid grade = 0.39 × (words ÷ sentences) + 11.8 × (syllables ÷ words) − 15.59, a US
//! school grade; a child in grade G is about G + 5 years old, so reading age = grade + 5. The
//! formula was built for passages, so a version is judged on all its text together; one line is
//! only blamed when its own score is above the target, and lines under four words are judged by
//! their words alone (a formula on two words says little).
use std::collections::HashSet;
use std::sync::LazyLock;

/// Words of three or more syllables that young children know, one a line (see the file).
static FAMILIAR: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("familiar-words.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Lowest reading age reported: below this the formula means nothing.
pub const MIN_READING_AGE: f64 = 5.0;

/// Easy read: sentences of at most this many words (design notes: "15 words or fewer").
pub const EASY_READ_MAX_SENTENCE_WORDS: usize = 15;

/// Counts of a piece of text, which add up across texts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
}

impl Counts {
    /// Counts a text that is read as a unit: a question, a hint or a choice label. Its last
    /// sentence ends at the end of the text even without a full stop.
    pub fn of(text: &str) -> Counts {
        let mut c = Counts::default();
        for s in sentences(text) {
            let ws = words(s);
            if ws.is_empty() {
                continue;
            }
            c.sentences += 1;
            c.words += ws.len();
            c.syllables += ws.iter().map(|w| syllables(w)).sum::<usize>();
        }
        c
    }

    pub fn add(&mut self, other: Counts) {
        self.words += other.words;
        self.sentences += other.sentences;
        self.syllables += other.syllables;
    }

    /// The Flesch-Kincaid grade level; 0 for no words.
    pub fn grade(&self) -> f64 {
        if self.words == 0 || self.sentences == 0 {
            return 0.0;
        }
        let (w, s, y) = (
            self.words as f64,
            self.sentences as f64,
            self.syllables as f64,
        );
        0.39 * (w / s) + 11.8 * (y / w) - 15.59
    }

    /// Reading age in years: grade + 5, never below [`MIN_READING_AGE`], to one decimal place.
    pub fn reading_age(&self) -> f64 {
        ((self.grade() + 5.0).max(MIN_READING_AGE) * 10.0).round() / 10.0
    }
}

/// The sentences of a text: split after `.`, `!` or `?` (and at line breaks).
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(at, ch)) in chars.iter().enumerate() {
        let next_is_space = chars.get(i + 1).is_none_or(|(_, c)| c.is_whitespace());
        if ch == '\n' || (matches!(ch, '.' | '!' | '?') && next_is_space) {
            let s = &text[start..at + ch.len_utf8()];
            if !words(s).is_empty() {
                out.push(s);
            }
            start = at + ch.len_utf8();
        }
    }
    if !words(&text[start..]).is_empty() {
        out.push(&text[start..]);
    }
    out
}

/// The words of a text: runs of letters (with inner apostrophes and hyphens), and numbers.
pub fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .map(|w| w.trim_matches(|c: char| c == '\'' || c == '’' || c == '-'))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect()
}

/// The plain lower-case letters of a word, without a possessive or contraction ("children's").
fn letters(word: &str) -> String {
    let base = word.split(['\'', '’']).next().unwrap_or(word);
    base.chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// Parts that are read as words of their own at the start of a compound ("someone").
const PREFIXES: &[&str] = &[
    "some", "care", "home", "there", "where", "house", "life", "time", "safe", "one", "like",
    "use", "hope", "every", "any", "fore",
];
/// Endings that are a syllable of their own after a silent `e` ("lovely", "statement").
const SUFFIXES: &[&str] = &["ment", "ness", "ful", "less", "ly"];

/// An estimate of the syllables in a word: vowel groups, less a silent final `e`, `-es` and
/// `-ed`, with compounds and common endings counted part by part. Hyphenated words count each
/// part; numbers count as one syllable per digit group (they are read as one word).
pub fn syllables(word: &str) -> usize {
    if word.contains('-') {
        return word
            .split('-')
            .filter(|p| !p.is_empty())
            .map(syllables)
            .sum::<usize>()
            .max(1);
    }
    let w = letters(word);
    if w.is_empty() {
        return 1;
    }
    syllables_of_letters(&w)
}

fn syllables_of_letters(w: &str) -> usize {
    if w.len() <= 3 {
        return 1;
    }
    for p in PREFIXES {
        if let Some(rest) = w.strip_prefix(p)
            && rest.len() >= 3
        {
            return syllables_of_letters(p) + syllables_of_letters(rest);
        }
    }
    for s in SUFFIXES {
        if let Some(stem) = w.strip_suffix(s)
            && stem.len() >= 3
        {
            return syllables_of_letters(stem) + 1;
        }
    }
    let b = w.as_bytes();
    let n = b.len();
    let consonant_before = |i: usize| i > 0 && !is_vowel(b[i - 1]);
    // Silent endings.
    let mut end = n;
    if b[n - 1] == b'e' && !(n >= 3 && b[n - 2] == b'l' && consonant_before(n - 2)) {
        end = n - 1;
    } else if (w.ends_with("es") && !matches!(b[n - 3], b's' | b'x' | b'z' | b'c' | b'g' | b'h'))
        || (w.ends_with("ed") && !matches!(b[n - 3], b't' | b'd'))
    {
        end = n - 2;
    }
    let body = &b[..end];
    let mut count = 0;
    let mut prev_vowel = false;
    for (i, &c) in body.iter().enumerate() {
        // A leading y is a consonant ("you", "yes").
        let v = is_vowel(c) && !(c == b'y' && i == 0);
        if v && !prev_vowel {
            count += 1;
        } else if v && prev_vowel && i >= 1 {
            // Two vowels said apart: "ia", "io", "eo" after a letter that does not soften
            // them ("piano", "radio"; but "social", "station", "region" are one).
            let pair = [body[i - 1], c];
            let softened = i >= 2 && matches!(body[i - 2], b'c' | b't' | b's' | b'g' | b'x');
            if matches!(&pair, b"ia" | b"io" | b"ua" | b"uo") && !softened {
                count += 1;
            }
        }
        prev_vowel = v;
    }
    count.max(1)
}

/// A word is long or rare when its base form (without -s, -ed, -ing, -ly, -er, -est) has three
/// or more syllables and it is not on the list of words young children know.
pub fn is_hard(word: &str) -> bool {
    if word.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    if word.contains('-') {
        return word.split('-').any(is_hard);
    }
    let w = letters(word);
    if w.len() < 5 {
        return false;
    }
    let bases = base_forms(&w);
    if bases.iter().any(|b| FAMILIAR.contains(b.as_str())) {
        return false;
    }
    bases
        .iter()
        .map(|b| syllables_of_letters(b))
        .min()
        .unwrap_or(1)
        >= 3
}

/// The word and the forms it may be an ending of: "families" → "family", "decided" → "decide".
fn base_forms(w: &str) -> Vec<String> {
    let mut out = vec![w.to_string()];
    let mut add = |stem: Option<&str>, tail: &str| {
        if let Some(s) = stem
            && s.len() >= 3
        {
            out.push(format!("{s}{tail}"));
        }
    };
    for suffix in ["s", "es", "ed", "d", "ing", "ly", "er", "est", "ers"] {
        add(w.strip_suffix(suffix), "");
    }
    for suffix in ["ing", "ed", "er", "est"] {
        add(w.strip_suffix(suffix), "e");
    }
    for suffix in ["ies", "ied", "ier", "iest", "ily"] {
        add(w.strip_suffix(suffix), "y");
    }
    out
}

/// The long or rare words of a text, each once, in order.
pub fn hard_words(text: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    words(text)
        .into_iter()
        .filter(|w| is_hard(w))
        .map(|w| w.to_lowercase())
        .filter(|w| seen.insert(w.clone()))
        .collect()
}

/// The number of words in the longest sentence of a text.
pub fn longest_sentence(text: &str) -> usize {
    sentences(text)
        .iter()
        .map(|s| words(s).len())
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_of_common_words() {
        for (w, n) in [
            ("the", 1),
            ("you", 1),
            ("care", 1),
            ("home", 1),
            ("moved", 1),
            ("lives", 1),
            ("where", 1),
            ("wanted", 2),
            ("happy", 2),
            ("social", 2),
            ("question", 2),
            ("people", 2),
            ("little", 2),
            ("children's", 2),
            ("someone", 2),
            ("something", 2),
            ("lovely", 2),
            ("because", 2),
            ("family", 3),
            ("advocate", 3),
            ("residential", 4),
            ("radio", 3),
            ("after-school", 3),
        ] {
            assert_eq!(syllables(w), n, "{w}");
        }
    }

    #[test]
    fn reading_age_of_plain_and_hard_text() {
        let easy = Counts::of("Where do you live? Do you feel safe there?");
        assert_eq!(easy.sentences, 2);
        assert_eq!(easy.words, 9);
        assert!(easy.reading_age() <= 6.0, "{}", easy.reading_age());
        let hard = Counts::of(
            "To what extent do you consider that the accommodation arrangements provided by \
             your local authority adequately reflect your individual circumstances?",
        );
        assert_eq!(hard.sentences, 1);
        assert!(hard.reading_age() > 20.0, "{}", hard.reading_age());
        let mut both = easy;
        both.add(hard);
        assert!(both.reading_age() > easy.reading_age());
        assert!(both.reading_age() < hard.reading_age());
        assert_eq!(Counts::of("").reading_age(), MIN_READING_AGE);
    }

    #[test]
    fn long_or_rare_words() {
        assert_eq!(
            hard_words("Is your advocate helping with the accommodation? Tell everyone!"),
            vec!["advocate", "accommodation"]
        );
        // Familiar words and their endings are not hard.
        assert!(hard_words("My family and families, different, holidays, decided").is_empty());
        assert!(!is_hard("2026"));
    }

    #[test]
    fn sentences_split_on_stops_not_inside_numbers() {
        assert_eq!(
            sentences("It costs 1.50 a day. Is that OK?\nYes"),
            vec!["It costs 1.50 a day.", " Is that OK?", "Yes"]
        );
        assert_eq!(longest_sentence("One two three. One two."), 3);
    }
}
