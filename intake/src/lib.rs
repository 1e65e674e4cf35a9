//! Answers on their way in, before the store sees them: free text screened and masked
//! ([`protect`]), for web submissions and imports alike, and files of answers from other channels
//! read, mapped to questions and checked row by row ([`import`]), for `heard import` and the
//! workspace's upload page. No HTTP.
pub mod import;
pub mod protect;
