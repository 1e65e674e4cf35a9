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
    let mut current: Option<(String, usize)> = None;
    let flush =
        |cur: &mut Option<(String, usize)>, out: &mut Vec<Word>, end: usize, brk: &mut bool| {
            if let Some((w, start)) = cur.take() {
                let norm: String = w
                    .chars()
                    .filter(|c| !matches!(c, '\'' | '’' | '‘'))
                    .flat_map(char::to_lowercase)
                    .collect();
                if !norm.is_empty() {
                    out.push(Word {
                        norm,
                        start,
                        end,
                        after_break: *brk,
                    });
                    *brk = false;
                }
            }
        };
    for g in text.graphemes(true) {
        let n = g.chars().count();
        let c = g.chars().next().unwrap_or(' ');
        let is_word = c.is_alphanumeric();
        let is_apos = matches!(c, '\'' | '’' | '‘');
        if is_word || (is_apos && current.is_some()) {
            match &mut current {
                Some((w, _)) => w.push_str(g),
                None => current = Some((g.to_string(), char_pos)),
            }
        } else {
            flush(&mut current, &mut out, char_pos, &mut pending_break);
            if matches!(c, '.' | ',' | ';' | '!' | '?' | '\n' | ':' | '(' | ')') {
                pending_break = true;
            }
        }
        char_pos += n;
    }
    flush(&mut current, &mut out, char_pos, &mut pending_break);
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
