//! Any text at all: the screener and the masker never panic, spans stay inside the text, in
//! order and apart, and the masked text keeps everything outside the spans.
use proptest::prelude::*;
use safeguard::{Screener, mask};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn any_text_is_screened_and_masked_without_panic(text in "\\PC{0,300}") {
        check(&text);
    }

    #[test]
    fn text_like_answers_is_screened_and_masked_without_panic(
        text in "[a-zA-Z0-9 @./:'’,+()\\-\n]{0,200}"
    ) {
        check(&text);
    }
}

fn check(text: &str) {
    let n = text.chars().count();
    let s = Screener::builtin().screen(text);
    for i in &s.indicators {
        assert!(i.start < i.end && i.end <= n);
        let words: String = text.chars().skip(i.start).take(i.end - i.start).collect();
        assert_eq!(words, i.words);
    }
    let m = mask(text);
    let mut last = 0;
    for sp in &m.spans {
        assert!(
            sp.start >= last && sp.start < sp.end && sp.end <= n,
            "{:?} in {n}",
            m.spans
        );
        last = sp.end;
    }
    if m.spans.is_empty() {
        assert_eq!(m.masked, text);
    }
}
