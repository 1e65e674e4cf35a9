//! Themes from free text. Pure: takes texts, returns themes; knows nothing of HTTP or SQL.
