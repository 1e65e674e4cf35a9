//! The review team's workspace under `/admin`: sign-in, the dashboard, the themes explorer with
//! the analysts' corrections, the safeguarding queue, imports, exports and the audit log. Every
//! route is listed in [`access::ROUTES`] with the roles that may use it; [`access::guard`]
//! enforces it before any handler runs, and a route missing from the list is refused to everyone.
pub mod access;
pub mod account;
pub mod audit;
pub mod chrome;
pub mod corrections;
pub mod counts;
pub mod dashboard;
pub mod export;
pub mod form_page;
pub mod import;
pub mod question;
pub mod queue_pages;
pub mod remasking;
pub mod safeguarding;
pub mod staff;
pub mod theme_answers;
pub mod themes;
pub mod themes_runs;
