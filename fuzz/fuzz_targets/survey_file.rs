//! The survey file parser and checker: any text gives a survey or diagnostics, never a panic, and
//! every diagnostic points inside the file.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let loaded = engine::survey::load_str(std::path::Path::new("fuzz.toml"), text);
    let lines = text.lines().count().max(1);
    for d in &loaded.diagnostics {
        assert!(d.line <= lines + 1, "diagnostic past the end: {d}");
        let _ = d.to_string();
    }
    if let Some(s) = &loaded.survey {
        // A survey that loads can be walked: every version's pages, with no answers.
        for v in &s.versions {
            let pages = s.pages(&v.id).len();
            for p in 1..=pages {
                let _ = s.visible_on_page(&v.id, p, &engine::survey::Answers::new());
            }
            let _ = s.next_step(&v.id, 0, &engine::survey::Answers::new());
        }
    }
});
