//! The review team's accounts: roles, and passwords hashed with argon2id. Storage of users and
//! sessions is in `store::review`; this module holds what does not touch the database.
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use serde::Serialize;

/// What a member of the review team may do. Each workspace page names the roles it allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the workspace: everything analysts do, and the audit log.
    Admin,
    /// Explores and corrects themes; sees masked text only.
    Analyst,
    /// The safeguarding lead: the queue of possible disclosures, with the original words.
    Safeguarding,
    /// Reads the dashboard and takes summary exports (never row-level data).
    Commissioner,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::Analyst,
        Role::Safeguarding,
        Role::Commissioner,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Analyst => "analyst",
            Role::Safeguarding => "safeguarding",
            Role::Commissioner => "commissioner",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether exports holding the responses one row each (row-level data) are open to the role:
    /// a rare combination of answers in a row can point to a child even where every published
    /// count is suppressed, so they stay with the people who analyse them.
    pub fn takes_row_level_data(self) -> bool {
        matches!(self, Role::Admin | Role::Analyst)
    }

    /// As shown to people.
    pub fn title(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Analyst => "Analyst",
            Role::Safeguarding => "Safeguarding lead",
            Role::Commissioner => "Commissioner",
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AccountError {
    #[error("a password needs at least {MIN_PASSWORD} characters")]
    PasswordTooShort,
    #[error("a user name is 1 to 64 letters, digits, dots, dashes or underscores")]
    BadName,
    #[error("could not hash the password: {0}")]
    Hash(String),
}

pub const MIN_PASSWORD: usize = 12;

pub fn check_name(name: &str) -> Result<(), AccountError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'));
    if ok {
        Ok(())
    } else {
        Err(AccountError::BadName)
    }
}

/// An argon2id hash of `password` in PHC string form, with a random salt.
pub fn hash_password(password: &str) -> Result<String, AccountError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(AccountError::PasswordTooShort);
    }
    let salt = SaltString::encode_b64(&crate::codes::random_bytes()[..16])
        .map_err(|e| AccountError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AccountError::Hash(e.to_string()))
}

/// Whether `password` matches `hash`. A malformed hash matches nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash of no one's password, verified against when the name is unknown, so that a wrong name
/// takes as long to refuse as a wrong password and names cannot be found by timing.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        hash_password("decoy password that nobody has").unwrap_or_default()
    });
    &DECOY
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash_password("correct horse battery").expect("hash");
        let b = hash_password("correct horse battery").expect("hash");
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salted");
        assert!(verify_password("correct horse battery", &a));
        assert!(!verify_password("correct horse batterz", &a));
        assert!(!verify_password("anything", "not a hash"));
        assert_eq!(hash_password("short"), Err(AccountError::PasswordTooShort));
    }

    #[test]
    fn names_and_roles() {
        assert!(check_name("sam.jones").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name("a b").is_err());
        assert!(check_name("<script>").is_err());
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
        let rows: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.takes_row_level_data())
            .collect();
        assert_eq!(rows, [Role::Admin, Role::Analyst]);
    }
}
