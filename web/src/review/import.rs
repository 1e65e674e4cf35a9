//! The upload page for answers gathered on other channels (paper, events, email, partners): the
//! same import as `heard import` (see `intake::import`), for admins and analysts in the browser,
//! with the same report of refused rows. The file arrives as `multipart/form-data`, read whole
//! within [`MAX_UPLOAD`] before anything is checked, so a refused CSRF token stores nothing.
use std::collections::BTreeMap;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use engine::Survey;
use engine::import::{CHOICE_SEPARATOR, Channel};
use minijinja::context;
use serde::Serialize;

use super::form_page::{FieldError, form_page};
use super::staff::{Staff, Workspace};
use crate::error::{AppError, AppResult};
use crate::state::SharedState;
use intake::import::{ImportError, Options, Report, VERSION_COLUMN};

/// The largest file the page takes: some tens of thousands of rows of paper forms.
pub const MAX_UPLOAD: usize = 8 * 1024 * 1024;
/// The largest of the page's other fields (the column mapping is the longest).
const MAX_FIELD: usize = 16 * 1024;

/// What the person filled in, kept to show the form again with their choices.
#[derive(Debug, Default, Serialize)]
struct Filled {
    channel: String,
    version: String,
    id_column: String,
    map: String,
    file_name: String,
}

/// A column a file may have, for the page's table of what each question takes.
#[derive(Serialize)]
struct Column {
    id: String,
    text: String,
    takes: String,
}

fn columns(survey: &Survey) -> Vec<Column> {
    survey
        .questions
        .iter()
        .map(|q| {
            let first = q.versions.first().map(String::as_str).unwrap_or_default();
            let choices = || {
                q.choices
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let takes = match q.kind {
                engine::survey::QuestionType::Multiple => format!(
                    "Any of: {} (by id or label, separated by “{CHOICE_SEPARATOR}”)",
                    choices()
                ),
                k if k.has_choices() => format!("One of: {} (by id or label)", choices()),
                engine::survey::QuestionType::Number => match (q.min, q.max) {
                    (Some(a), Some(b)) => format!("A whole number from {a} to {b}"),
                    _ => "A whole number".to_string(),
                },
                _ => match q.max_chars {
                    Some(n) => format!("Text, up to {n} characters"),
                    None => "Text".to_string(),
                },
            };
            let versions = if q.versions.len() < survey.versions.len() {
                format!(" Asked in: {}.", q.versions.join(", "))
            } else {
                String::new()
            };
            Column {
                id: q.id.clone(),
                text: q.text.get(first).to_string(),
                takes: format!("{takes}.{versions}"),
            }
        })
        .collect()
}

fn render_page(
    state: &SharedState,
    staff: &Staff,
    survey: &Survey,
    filled: &Filled,
    error: Option<FieldError>,
    report: Option<&Report>,
) -> AppResult<Response> {
    let channels: Vec<_> = Channel::IMPORTED
        .iter()
        .map(|c| (c.as_str(), c.label()))
        .collect();
    let versions: Vec<_> = survey
        .versions
        .iter()
        .map(|v| (v.id.clone(), v.name.clone()))
        .collect();
    let header: Vec<&str> = std::iter::once(VERSION_COLUMN)
        .chain(survey.questions.iter().map(|q| q.id.as_str()))
        .collect();
    form_page(
        "review/import.html",
        state,
        staff,
        survey,
        error,
        context! {
            channels => channels,
            versions => versions,
            columns => columns(survey),
            header => header.join(","),
            filled => filled,
            report => report,
            max_mb => MAX_UPLOAD / (1024 * 1024),
        },
    )
}

pub async fn form(
    State(state): State<SharedState>,
    Workspace { staff, survey }: Workspace,
) -> AppResult<Response> {
    render_page(&state, &staff, &survey, &Filled::default(), None, None)
}

/// The form's fields, read whole.
struct Upload {
    csrf: String,
    filled: Filled,
    file: Vec<u8>,
}

async fn read_upload(mut multipart: Multipart) -> AppResult<Upload> {
    let too_large = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge
        } else {
            AppError::BadRequest(format!("The upload could not be read: {}", e.body_text()))
        }
    };
    let mut up = Upload {
        csrf: String::new(),
        filled: Filled::default(),
        file: Vec::new(),
    };
    while let Some(mut field) = multipart.next_field().await.map_err(too_large)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            up.filled.file_name = field.file_name().unwrap_or_default().to_string();
            while let Some(chunk) = field.chunk().await.map_err(too_large)? {
                if up.file.len() + chunk.len() > MAX_UPLOAD {
                    return Err(AppError::TooLarge);
                }
                up.file.extend_from_slice(&chunk);
            }
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(too_large)? {
            if bytes.len() + chunk.len() > MAX_FIELD {
                return Err(AppError::TooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        let value = String::from_utf8(bytes)
            .map_err(|_| AppError::BadRequest(format!("The field “{name}” is not UTF-8 text.")))?;
        match name.as_str() {
            "csrf" => up.csrf = value,
            "channel" => up.filled.channel = value.trim().to_string(),
            "version" => up.filled.version = value.trim().to_string(),
            "id_column" => up.filled.id_column = value.trim().to_string(),
            "map" => up.filled.map = value,
            // Fields the form does not have are ignored, as a form post's are.
            _ => {}
        }
    }
    Ok(up)
}

/// "Column = question id" lines into a map, or the first line that is not one.
fn parse_map(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut map = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match line.rsplit_once('=') {
            Some((c, q)) if !c.trim().is_empty() && !q.trim().is_empty() => {
                map.insert(c.trim().to_string(), q.trim().to_string());
            }
            _ => {
                return Err(format!(
                    "Line {} of the column mapping should be “column name = question id”.",
                    n + 1
                ));
            }
        }
    }
    Ok(map)
}

pub async fn upload(
    State(state): State<SharedState>,
    Workspace { staff, survey }: Workspace,
    req: Request<Body>,
) -> AppResult<Response> {
    let multipart = Multipart::from_request(req, &state)
        .await
        .map_err(|_| AppError::UnsupportedMediaType)?;
    let up = read_upload(multipart).await?;
    if !crate::csrf::constant_eq(up.csrf.as_bytes(), staff.csrf.as_bytes()) {
        return Err(AppError::Forbidden(
            "That form was out of date or came from another site, so nothing was imported. Go \
             back, reload the page and try again."
                .into(),
        ));
    }
    let refuse = |field: &str, message: String| {
        render_page(
            &state,
            &staff,
            &survey,
            &up.filled,
            Some(FieldError::new(field, message)),
            None,
        )
    };
    let channel = match Channel::parse(&up.filled.channel) {
        Some(c) if c != Channel::Web => c,
        _ => return refuse("channel", "Choose how these answers were gathered.".into()),
    };
    if !up.filled.version.is_empty() && survey.version(&up.filled.version).is_none() {
        return refuse("version", "Choose a version from the list.".into());
    }
    let map = match parse_map(&up.filled.map) {
        Ok(m) => m,
        Err(e) => return refuse("map", e),
    };
    if up.file.is_empty() {
        return refuse(
            "file",
            if up.filled.file_name.is_empty() {
                "Choose a CSV file to import.".into()
            } else {
                format!("The file “{}” is empty.", up.filled.file_name)
            },
        );
    }
    let options = Options {
        map,
        version: (!up.filled.version.is_empty()).then(|| up.filled.version.clone()),
        id_column: (!up.filled.id_column.is_empty()).then(|| up.filled.id_column.clone()),
    };
    let result = intake::import::import(
        &state.store,
        &staff.user.name,
        &state.protector,
        &survey,
        channel,
        up.file,
        &options,
        state.today(),
    )
    .await;
    match result {
        Ok(report) => render_page(&state, &staff, &survey, &up.filled, None, Some(&report)),
        Err(ImportError::File(why)) => refuse("file", format!("Nothing was imported: {why}.")),
        Err(ImportError::Store(e)) => Err(e.into()),
        // Some rows are stored: say so, and that the same file again adds only the rest.
        Err(e @ ImportError::Stopped { .. }) => refuse("file", format!("{e}.")),
        Err(e @ ImportError::Interrupted(_)) => Err(AppError::Internal(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_mapping_is_one_pair_per_line() {
        let m = parse_map("Where you live = setting\n\n  Ideas=better  \n").unwrap();
        assert_eq!(m.get("Where you live").map(String::as_str), Some("setting"));
        assert_eq!(m.get("Ideas").map(String::as_str), Some("better"));
        assert!(parse_map("setting").unwrap_err().contains("Line 1"));
        assert!(parse_map("a = b\n= better").unwrap_err().contains("Line 2"));
    }
}
