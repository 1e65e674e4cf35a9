//! One module per `heard` subcommand; `main.rs` only parses arguments and dispatches.
pub mod check;
pub mod serve;
pub mod themes;
