//! Decoding form posts strictly. `application/x-www-form-urlencoded` bodies are decoded by hand
//! rather than with serde: repeated keys (checkboxes) must be kept, and bad percent-encoding or
//! invalid UTF-8 must be refused with a clear answer rather than silently replaced.
use percent_encoding::percent_decode;

/// Most fields one form may send: far above any real page, low enough to bound the work.
pub const MAX_FIELDS: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    #[error("the form was not valid UTF-8 text")]
    InvalidUtf8,
    #[error("the form had a broken %-escape")]
    BadPercentEncoding,
    #[error("the form had too many fields")]
    TooManyFields,
}

/// Decodes a urlencoded body into (name, value) pairs, in order.
pub fn decode(body: &[u8]) -> Result<Vec<(String, String)>, FormError> {
    let mut out = Vec::new();
    for part in body.split(|&b| b == b'&') {
        if part.is_empty() {
            continue;
        }
        if out.len() >= MAX_FIELDS {
            return Err(FormError::TooManyFields);
        }
        let (k, v) = match part.iter().position(|&b| b == b'=') {
            Some(i) => (&part[..i], &part[i + 1..]),
            None => (part, &[][..]),
        };
        out.push((decode_component(k)?, decode_component(v)?));
    }
    Ok(out)
}

fn decode_component(raw: &[u8]) -> Result<String, FormError> {
    // Check every `%` is followed by two hex digits: percent_decode passes broken ones through.
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%' {
            let ok = raw.len() > i + 2
                && raw[i + 1].is_ascii_hexdigit()
                && raw[i + 2].is_ascii_hexdigit();
            if !ok {
                return Err(FormError::BadPercentEncoding);
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    let plus_as_space: Vec<u8> = raw
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    let bytes: Vec<u8> = percent_decode(&plus_as_space).collect();
    String::from_utf8(bytes).map_err(|_| FormError::InvalidUtf8)
}

/// The first value of field `name`.
pub fn first<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_repeated_keys_and_plus() {
        assert_eq!(
            decode(b"a=1&b=x+y&a=%C3%A9&empty=&flag").unwrap(),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x y".into()),
                ("a".into(), "é".into()),
                ("empty".into(), "".into()),
                ("flag".into(), "".into()),
            ]
        );
    }

    #[test]
    fn refuses_bad_input() {
        assert_eq!(decode(b"a=%ZZ"), Err(FormError::BadPercentEncoding));
        assert_eq!(decode(b"a=%4"), Err(FormError::BadPercentEncoding));
        assert_eq!(decode(b"a=%FF%FE"), Err(FormError::InvalidUtf8));
        assert_eq!(decode(b"a=\xff"), Err(FormError::InvalidUtf8));
        let many = "a=1&".repeat(MAX_FIELDS + 1);
        assert_eq!(decode(many.as_bytes()), Err(FormError::TooManyFields));
    }
}
