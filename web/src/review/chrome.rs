//! The header of every workspace page: who is signed in, what they may open, and the CSRF token
//! for the sign-out form.
use serde::Serialize;

use super::access;
use super::staff::Staff;
use crate::state::SharedState;

/// What every workspace page needs for its header: who is signed in, what they may open, and the
/// CSRF token for the sign-out form.
#[derive(Serialize)]
pub struct Chrome {
    pub user: String,
    pub role: &'static str,
    pub csrf: String,
    pub surveys: Vec<(String, String)>,
    pub can_themes: bool,
    pub can_import: bool,
    pub can_export: bool,
    pub can_safeguarding: bool,
    pub can_audit: bool,
}

pub fn chrome(state: &SharedState, staff: &Staff) -> Chrome {
    Chrome {
        user: staff.user.name.clone(),
        role: staff.user.role.title(),
        csrf: staff.csrf.clone(),
        surveys: state
            .surveys
            .values()
            .map(|s| (s.id.clone(), s.title.clone()))
            .collect(),
        can_themes: staff.is(access::THEMES),
        can_import: staff.is(access::IMPORT),
        can_export: staff.is(access::EXPORT),
        can_safeguarding: staff.is(access::SAFEGUARDING),
        can_audit: staff.is(access::AUDIT),
    }
}
