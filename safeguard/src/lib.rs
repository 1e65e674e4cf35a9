//! Protecting the people behind free text: [`disclosure`] screens answers for words that may tell
//! of harm, so they reach the safeguarding lead; [`personal`] masks names, contact details and
//! other personal data before analysts or exports see an answer. Pure functions on text: no web,
//! no database, no panics on any input.
pub mod disclosure;
pub mod learned;
pub mod measure;
pub mod personal;
pub mod verdict;
mod words;

pub use disclosure::{Indicator, IndicatorError, Screener, Screening};
pub use personal::{Kind, Masked, Span, mask};
