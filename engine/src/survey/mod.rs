//! Surveys: the model, survey files and routing.
mod file;
mod model;
mod routing;

pub use file::{Diagnostic, Loaded, Severity, load_file, load_str, survey_paths};
pub use model::*;
pub use routing::{Answers, Page, Step};
