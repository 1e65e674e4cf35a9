//! Survey model, survey files, routing, answer validation and storage.
