//! Words of a text with their character offsets, lower-cased and with apostrophes dropped, as
//! both the screener and the masker read them.
use unicode_segmentation::UnicodeSegmentation;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Lower case, apostrophes removed ("Don't" -> "dont").
    pub norm: String,
    /// Character offsets into the text (end exclusive).
    pub start: usize,
    pub end: usize,
    /// Punctuation that ends a clause (. , ; ! ? and new lines) comes before this word.
    pub after_break: bool,
}

/// Splits `text` into words. Apostrophes inside a word are kept in the word, so "don't" is one.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut char_pos = 0usize;
    let mut pending_break = false;
    // The word being read, already lower case and without apostrophes, and where it started:
    // made once, not copied again, since these strings are most of what screening allocates.
    let mut current: Option<(String, usize)> = None;
    for g in text.graphemes(true) {
        let mut chars = g.chars();
        let c = chars.next().unwrap_or(' ');
        let n = 1 + chars.count();
        let is_word = c.is_alphanumeric();
        let is_apos = matches!(c, '\'' | '’' | '‘');
        if is_word || (is_apos && current.is_some()) {
            let (norm, _) = current.get_or_insert_with(|| (String::new(), char_pos));
            for ch in g.chars().filter(|ch| !matches!(ch, '\'' | '’' | '‘')) {
                norm.extend(ch.to_lowercase());
            }
        } else {
            if let Some((norm, start)) = current.take() {
                // Never empty: a word starts with a letter or digit.
                out.push(Word {
                    norm,
                    start,
                    end: char_pos,
                    after_break: std::mem::take(&mut pending_break),
                });
            }
            if matches!(c, '.' | ',' | ';' | '!' | '?' | '\n' | ':' | '(' | ')') {
                pending_break = true;
            }
        }
        char_pos += n;
    }
    if let Some((norm, start)) = current.take() {
        out.push(Word {
            norm,
            start,
            end: char_pos,
            after_break: pending_break,
        });
    }
    // A trailing apostrophe ("parents'") is not part of the word's span.
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_offsets_and_fold_apostrophes() {
        let w = words("I DON'T, feel ok");
        let norms: Vec<&str> = w.iter().map(|w| w.norm.as_str()).collect();
        assert_eq!(norms, ["i", "dont", "feel", "ok"]);
        assert_eq!((w[1].start, w[1].end), (2, 7));
        assert!(w[2].after_break);
        assert!(!w[1].after_break);
        assert!(words("").is_empty());
        assert_eq!(words("🙂 héllo")[0].norm, "héllo");
    }
}
