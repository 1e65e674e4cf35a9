//! The respondent's journey through a survey, one file for each thing the respondent does.
pub mod delete;
pub mod layout;
pub mod pages;
pub mod resume;
pub mod start;
pub mod submit;
mod view;
pub mod visit;
