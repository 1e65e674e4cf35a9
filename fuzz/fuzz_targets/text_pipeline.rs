//! The text pipeline: tokenising, stemming and bigrams of any text, then themes of the lines of the
//! input, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let tokenizer = analysis::text::Tokenizer::default();
    let words = tokenizer.words(text);
    for pair in words.windows(2) {
        let _ = analysis::text::bigram(&pair[0], &pair[1]);
    }
    let texts: Vec<&str> = text.lines().take(64).collect();
    if texts.len() >= 2 {
        let opts = analysis::Options::default();
        let _ = analysis::themes(&texts, &opts, &mut |_| {});
    }
});
