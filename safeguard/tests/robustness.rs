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

    #[test]
    fn dates_and_numbers_in_other_scripts_are_masked_without_panic(
        // Digits of other scripts (read as ASCII digits, then mapped back), month and weekday
        // names beside them, joiners, right-to-left marks and the Arabic comma.
        parts in proptest::collection::vec(
            prop_oneof![
                "[۰-۹٠-٩०-९0-9０-９]{1,4}",
                Just("آبان".to_string()), Just("صفر".to_string()), Just("شنبه".to_string()),
                Just("Ocak".to_string()), Just("Pazar".to_string()), Just("ጥቅምት".to_string()),
                Just("ቀን".to_string()), Just("พ.ค.".to_string()), Just("gada".to_string()),
                "[ /.,،\u{200C}\u{200F}-]{1,2}",
            ],
            0..24,
        )
    ) {
        check(&parts.concat());
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
    // What is outside the spans is kept as it was, each span is its placeholder.
    let chars: Vec<char> = text.chars().collect();
    let mut expected = String::new();
    let mut at = 0;
    for sp in &m.spans {
        expected.extend(&chars[at..sp.start]);
        expected.push_str(sp.kind.placeholder());
        at = sp.end;
    }
    expected.extend(&chars[at..]);
    assert_eq!(m.masked, expected);
}
