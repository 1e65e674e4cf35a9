//! From an answer to terms: words by Unicode word boundaries, case folded, stop words and survey
//! filler dropped, Snowball English stems, and bigrams of adjacent content words. Each term keeps
//! the surface forms it came from, so labels show real words ("social workers"), not stems.
use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

/// English stop words (the common function words of English, as in the usual IR lists).
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "across",
    "after",
    "afterwards",
    "again",
    "against",
    "all",
    "almost",
    "alone",
    "along",
    "already",
    "also",
    "although",
    "always",
    "am",
    "among",
    "amongst",
    "an",
    "and",
    "another",
    "any",
    "anyhow",
    "anyone",
    "anything",
    "anyway",
    "anywhere",
    "are",
    "around",
    "as",
    "at",
    "be",
    "became",
    "because",
    "become",
    "becomes",
    "becoming",
    "been",
    "before",
    "beforehand",
    "behind",
    "being",
    "below",
    "beside",
    "besides",
    "between",
    "beyond",
    "both",
    "but",
    "by",
    "can",
    "cannot",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "done",
    "down",
    "due",
    "during",
    "each",
    "eg",
    "either",
    "else",
    "elsewhere",
    "enough",
    "etc",
    "even",
    "ever",
    "every",
    "everyone",
    "everything",
    "everywhere",
    "except",
    "few",
    "for",
    "former",
    "formerly",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "hence",
    "her",
    "here",
    "hereafter",
    "hereby",
    "herein",
    "hereupon",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "i",
    "ie",
    "if",
    "in",
    "indeed",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "last",
    "latter",
    "latterly",
    "least",
    "less",
    "may",
    "me",
    "meanwhile",
    "might",
    "mine",
    "more",
    "moreover",
    "most",
    "mostly",
    "much",
    "must",
    "my",
    "myself",
    "namely",
    "neither",
    "never",
    "nevertheless",
    "next",
    "no",
    "nobody",
    "none",
    "noone",
    "nor",
    "not",
    "now",
    "nowhere",
    "of",
    "off",
    "often",
    "on",
    "once",
    "one",
    "only",
    "onto",
    "or",
    "other",
    "others",
    "otherwise",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "per",
    "perhaps",
    "please",
    "rather",
    "re",
    "same",
    "seem",
    "seemed",
    "seeming",
    "seems",
    "several",
    "she",
    "should",
    "since",
    "so",
    "some",
    "somehow",
    "someone",
    "something",
    "sometime",
    "sometimes",
    "somewhere",
    "still",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "thence",
    "there",
    "thereafter",
    "thereby",
    "therefore",
    "therein",
    "thereupon",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "throughout",
    "thru",
    "thus",
    "to",
    "together",
    "too",
    "toward",
    "towards",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "via",
    "was",
    "we",
    "well",
    "were",
    "what",
    "whatever",
    "when",
    "whence",
    "whenever",
    "where",
    "whereafter",
    "whereas",
    "whereby",
    "wherein",
    "whereupon",
    "wherever",
    "whether",
    "which",
    "while",
    "whither",
    "who",
    "whoever",
    "whole",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "i'm",
    "i've",
    "i'd",
    "i'll",
    "you're",
    "you've",
    "it's",
    "that's",
    "there's",
    "they're",
    "we're",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "don't",
    "doesn't",
    "didn't",
    "can't",
    "couldn't",
    "won't",
    "wouldn't",
    "shouldn't",
    "haven't",
    "hasn't",
    "hadn't",
    "let's",
    "he's",
    "she's",
    "what's",
    "im",
    "ive",
    "dont",
    "cant",
    "didnt",
    "doesnt",
    "wont",
    "isnt",
    "wasnt",
];

/// Words that carry no theme in survey answers: hedges, fillers and non-answers.
const SURVEY_FILLER: &[&str] = &[
    "think",
    "thinks",
    "thought",
    "really",
    "just",
    "like",
    "get",
    "got",
    "getting",
    "lot",
    "lots",
    "thing",
    "things",
    "stuff",
    "kind",
    "sort",
    "bit",
    "quite",
    "maybe",
    "probably",
    "actually",
    "basically",
    "literally",
    "definitely",
    "honestly",
    "totally",
    "pretty",
    "want",
    "wants",
    "feel",
    "feels",
    "know",
    "mean",
    "say",
    "said",
    "make",
    "makes",
    "made",
    "go",
    "going",
    "way",
    "idk",
    "dunno",
    "nothing",
    "yes",
    "yeah",
    "yep",
    "nope",
    "ok",
    "okay",
    "na",
    "n/a",
    "lol",
    "etc",
    "ya",
    "u",
    "ur",
    "tbh",
    "hmm",
    "um",
    "uh",
    "oh",
    "sure",
    "need",
    "needs",
];

pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word) || SURVEY_FILLER.contains(&word)
}

/// A content word of an answer: its stem and the lower-cased word as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub stem: String,
    pub surface: String,
    /// Position among all words of the answer, stop words included: bigrams are only made of
    /// words that stood next to each other.
    pub position: usize,
}

/// Longest word kept: anything longer is not a word a person wrote (a URL, a key mash).
const MAX_WORD_CHARS: usize = 40;

pub struct Tokenizer {
    stemmer: Stemmer,
}

impl Default for Tokenizer {
    fn default() -> Self {
        Tokenizer {
            stemmer: Stemmer::create(Algorithm::English),
        }
    }
}

impl Tokenizer {
    /// The content words of `text`, in order.
    pub fn words(&self, text: &str) -> Vec<Word> {
        let mut out = Vec::new();
        for (position, raw) in text.unicode_words().enumerate() {
            let lower: String = raw
                .chars()
                .flat_map(char::to_lowercase)
                .map(|c| if c == '\u{2019}' { '\'' } else { c })
                .collect();
            let chars = lower.chars().count();
            if !(2..=MAX_WORD_CHARS).contains(&chars) {
                continue;
            }
            // A word needs a letter: numbers alone carry no theme.
            if !lower.chars().any(char::is_alphabetic) {
                continue;
            }
            if is_stop_word(&lower) {
                continue;
            }
            let stem = self.stemmer.stem(&lower).into_owned();
            if stem.chars().count() < 2 {
                continue;
            }
            out.push(Word {
                stem,
                surface: lower,
                position,
            });
        }
        out
    }
}

/// A term of the vocabulary: a stem, or two stems joined by a space for a bigram.
pub fn bigram(a: &Word, b: &Word) -> Option<(String, String)> {
    (b.position == a.position + 1).then(|| {
        (
            format!("{} {}", a.stem, b.stem),
            format!("{} {}", a.surface, b.surface),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(t: &str) -> Vec<String> {
        Tokenizer::default()
            .words(t)
            .into_iter()
            .map(|w| w.stem)
            .collect()
    }

    #[test]
    fn words_are_folded_filtered_and_stemmed() {
        assert_eq!(
            stems("My Social Workers keep CHANGING!"),
            vec!["social", "worker", "keep", "chang"]
        );
        assert_eq!(
            stems("I really just think it's nothing"),
            Vec::<String>::new()
        );
        assert_eq!(stems("idk 😀 123 !!"), Vec::<String>::new());
    }

    #[test]
    fn curly_apostrophes_are_stop_words_too() {
        assert_eq!(stems("I don\u{2019}t know"), Vec::<String>::new());
    }

    #[test]
    fn surface_forms_are_kept() {
        let w = Tokenizer::default().words("foster carers");
        assert_eq!(w[1].surface, "carers");
        assert_eq!(
            bigram(&w[0], &w[1]),
            Some(("foster carer".into(), "foster carers".into()))
        );
    }

    #[test]
    fn bigrams_only_join_neighbours() {
        let w = Tokenizer::default().words("social and worker");
        assert_eq!(bigram(&w[0], &w[1]), None);
    }

    #[test]
    fn mixed_scripts_and_control_characters_do_not_break_it() {
        let w = Tokenizer::default().words("Привет\u{0}мир 你好 café\u{7}naïve");
        assert!(!w.is_empty());
        assert!(Tokenizer::default().words(&"a".repeat(100_000)).is_empty());
    }
}
