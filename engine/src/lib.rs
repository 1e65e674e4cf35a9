//! Heard's engine: the survey model, survey files, routing, answer validation and SQLite
//! storage. No HTTP here: the web crate turns requests into calls on this.
pub mod accounts;
pub mod answers;
pub mod codes;
pub mod import;
pub mod store;
pub mod survey;

pub use answers::AnswerValue;
pub use store::{Store, StoreError};
pub use survey::Survey;
