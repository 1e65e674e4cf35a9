//! Helpers for end-to-end tests: a real server on loopback with a real SQLite file.
