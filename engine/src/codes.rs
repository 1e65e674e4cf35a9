//! Secrets a respondent holds: the browser token that ties a draft to a browser, the resume code
//! that moves a draft to another device, and the reference code that deletes a submission.
//! The database keeps only SHA-256 hashes of them, so a copy of the database cannot be used to
//! open anyone's draft. Codes are derived with HMAC from a per-database secret so the same code
//! can be shown again (a replayed submit, a second "save") without storing it.
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Crockford's base 32: no I, L, O or U, so codes are easy to read aloud and copy by hand.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters in a code: 16 characters of 5 bits each is 80 bits of randomness.
pub const CODE_CHARS: usize = 16;

/// A random secret of 32 bytes, for browser tokens and the database secret.
pub fn random_bytes() -> [u8; 32] {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    b
}

/// A browser token as it goes in a cookie: URL-safe, 256 bits.
pub fn new_token() -> String {
    hex(&random_bytes())
}

pub fn hash(s: &str) -> Vec<u8> {
    Sha256::digest(s.as_bytes()).to_vec()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// HMAC-SHA256 of `parts` under `secret`.
pub fn mac(secret: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
    for p in parts {
        m.update(&(p.len() as u64).to_be_bytes());
        m.update(p);
    }
    m.finalize().into_bytes().into()
}

/// A code of [`CODE_CHARS`] characters from the first 80 bits of `bytes`, in groups of four:
/// `7K3M-QX9D-RWTH-B2FA`.
pub fn code_from(bytes: &[u8; 32]) -> String {
    let mut bits: u128 = 0;
    for b in &bytes[..10] {
        bits = (bits << 8) | u128::from(*b);
    }
    let mut out = String::with_capacity(CODE_CHARS + 3);
    for i in 0..CODE_CHARS {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        let shift = 5 * (CODE_CHARS - 1 - i);
        out.push(ALPHABET[((bits >> shift) & 31) as usize] as char);
    }
    out
}

/// Reads a code as a person typed or pasted it: case, spaces, hyphens and dots ignored, and the
/// letters people confuse with digits (I, L, O) read as the digits. `None` if it cannot be one.
pub fn normalise_code(input: &str) -> Option<String> {
    let mut out = String::with_capacity(CODE_CHARS);
    for c in input.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' | '.' | '\t' | '\n' | '\r' | '\u{a0}' | '\u{2010}'..='\u{2015}' => continue,
            'I' | 'L' => '1',
            'O' => '0',
            c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => c,
            _ => return None,
        };
        out.push(c);
        if out.len() > CODE_CHARS {
            return None;
        }
    }
    (out.len() == CODE_CHARS).then_some(out)
}

/// The hash under which a code is stored: of its normalised form, so any way of typing it finds
/// the same row.
pub fn code_hash(code: &str) -> Option<Vec<u8>> {
    normalise_code(code).map(|c| hash(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_80_bits_in_four_groups() {
        let c = code_from(&random_bytes());
        assert_eq!(c.len(), 19);
        assert_eq!(c.split('-').count(), 4);
        assert!(c.split('-').all(|g| g.len() == 4));
    }

    #[test]
    fn typed_codes_are_normalised() {
        let c = code_from(&[7u8; 32]);
        let messy = format!("  {} ", c.to_lowercase().replace('-', " "));
        assert_eq!(normalise_code(&messy), normalise_code(&c));
        assert_eq!(code_hash(&messy), code_hash(&c));
        assert_eq!(
            normalise_code("oooo-iiii-llll-0000"),
            Some("0000111111110000".into())
        );
    }

    #[test]
    fn bad_codes_are_refused() {
        assert_eq!(normalise_code(""), None);
        assert_eq!(normalise_code("ABCD"), None);
        assert_eq!(normalise_code("ABCD-EFGH-JKMN-PQRS-T"), None);
        assert_eq!(normalise_code("ABCD-EFGH-JKMN-PQR!"), None);
        assert_eq!(normalise_code("ÅBCD-EFGH-JKMN-PQRS"), None);
    }

    #[test]
    fn different_bytes_give_different_codes() {
        assert_ne!(code_from(&[1u8; 32]), code_from(&[2u8; 32]));
        assert_ne!(mac(b"k", &[b"a", b"bc"]), mac(b"k", &[b"ab", b"c"]));
    }
}
