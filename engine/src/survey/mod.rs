//! Surveys: the model, survey files and routing.
mod file;
mod model;
pub mod readability;
mod routing;

pub use file::{Diagnostic, Loaded, Severity, VersionReading, load_file, load_str, survey_paths};
pub use model::*;
pub use routing::{Answers, Page, Step};
