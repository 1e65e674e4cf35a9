//! The Heard web app and the commands of the `heard` binary.
pub mod commands;
