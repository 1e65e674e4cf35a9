//! One module per `heard` subcommand; `main.rs` only parses arguments and dispatches.
pub mod backup;
pub mod check;
pub mod csv_input;
pub mod export;
pub mod import;
pub mod mask;
pub mod screen;
pub mod serve;
pub mod themes;
pub mod user;
