//! The strict form decoder: any bytes give fields or a clear error, never a panic; what decodes
//! is valid UTF-8 by construction, and encoding the fields again decodes to the same fields.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../../web/src/form.rs"]
mod form;

fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fuzz_target!(|data: &[u8]| {
    if let Ok(fields) = form::decode(data) {
        assert!(fields.len() <= form::MAX_FIELDS);
        let again: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        let round = form::decode(again.join("&").as_bytes()).expect("re-encoded fields decode");
        // Empty names with empty values vanish (as `&&` does); everything else round-trips.
        let kept: Vec<_> = fields
            .into_iter()
            .filter(|(k, v)| !(k.is_empty() && v.is_empty()))
            .collect();
        let round: Vec<_> = round
            .into_iter()
            .filter(|(k, v)| !(k.is_empty() && v.is_empty()))
            .collect();
        assert_eq!(kept, round);
    }
});
