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
    let mut r = Reader::default();
    if text.is_ascii() {
        // Every character of an ASCII text is a grapheme of its own (but "\r\n", whose two are
        // both breaks), so it needs no segmenting, which was most of what reading words cost.
        for (pos, b) in text.bytes().enumerate() {
            let c = b as char;
            if c.is_ascii_alphanumeric() || (c == '\'' && r.in_word()) {
                let norm = r.word_at(pos);
                if c != '\'' {
                    norm.push(c.to_ascii_lowercase());
                }
            } else {
                r.other(pos, c);
            }
        }
        return r.finish(text.len());
    }
    let mut char_pos = 0usize;
    for g in text.graphemes(true) {
        let mut chars = g.chars();
        let c = chars.next().unwrap_or(' ');
        let n = 1 + chars.count();
        let is_apos = matches!(c, '\'' | '’' | '‘');
        if c.is_alphanumeric() || (is_apos && r.in_word()) {
            let norm = r.word_at(char_pos);
            for ch in g.chars().filter(|ch| !matches!(ch, '\'' | '’' | '‘')) {
                norm.extend(ch.to_lowercase());
            }
        } else {
            // "\r\n" is one grapheme, read as its '\r'.
            r.other(char_pos, c);
        }
        char_pos += n;
    }
    r.finish(char_pos)
}

/// Words read so far, and the one being read.
#[derive(Default)]
struct Reader {
    out: Vec<Word>,
    pending_break: bool,
    // The word being read, already lower case and without apostrophes, and where it started:
    // made once, not copied again, since these strings are most of what screening allocates.
    current: Option<(String, usize)>,
}

impl Reader {
    fn in_word(&self) -> bool {
        self.current.is_some()
    }

    /// The word being read, begun at `pos` if none is.
    fn word_at(&mut self, pos: usize) -> &mut String {
        &mut self.current.get_or_insert_with(|| (String::new(), pos)).0
    }

    /// A character that is no part of a word, at `pos`: it ends the word being read.
    fn other(&mut self, pos: usize, c: char) {
        self.end_word(pos);
        if matches!(
            c,
            '.' | ',' | ';' | '!' | '?' | '\n' | '\r' | ':' | '(' | ')'
        ) {
            self.pending_break = true;
        }
    }

    fn end_word(&mut self, end: usize) {
        // Never empty: a word starts with a letter or digit. A trailing apostrophe
        // ("parents'") is inside the word's span.
        if let Some((norm, start)) = self.current.take() {
            self.out.push(Word {
                norm,
                start,
                end,
                after_break: std::mem::take(&mut self.pending_break),
            });
        }
    }

    fn finish(mut self, end: usize) -> Vec<Word> {
        self.end_word(end);
        self.out
    }
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

    #[test]
    fn ascii_texts_read_as_the_general_reader_reads_them() {
        // The general reader, made to take an ASCII text by a character outside it at the end.
        let general = |t: &str| {
            let mut w = words(&format!("{t}é"));
            if w.last().is_some_and(|l| l.norm.ends_with('é')) {
                let last = w.last_mut().expect("a word");
                last.norm.pop();
                last.end -= 1;
                if last.norm.is_empty() {
                    w.pop();
                }
            }
            w
        };
        for t in [
            "I DON'T, feel ok",
            "line one\r\nline two\nthree",
            "'quoted' parents' house... (really)  x2 4u",
            "",
            "   ",
            "ok?no;yes:maybe!",
        ] {
            assert_eq!(words(t), general(t), "{t:?}");
        }
        assert!(words("one\r\ntwo")[1].after_break);
    }
}
