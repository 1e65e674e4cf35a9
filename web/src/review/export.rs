//! The export page: commissioners, analysts and admins download a survey's summary as a
//! spreadsheet, JSON or printable report (see the `publish` crate), with the small-number
//! threshold of their choice; analysts and admins also the responses one row each (row-level
//! data: CSV, or with the spreadsheet or JSON), which a commissioner is neither offered nor given.
//! Every export is in the audit log. The report is shown in the browser, ready to print, under a
//! Content-Security-Policy that allows its own inline stylesheet and nothing else.
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Serialize;
use std::io::{Seek, SeekFrom, Write};
use tokio_util::io::ReaderStream;

use super::form_page::{FieldError, form_page};
use super::remasking;
use super::staff::{Staff, Workspace, read_staff_form};
use crate::error::{AppError, AppResult};
use crate::state::SharedState;
use publish::{DEFAULT_THRESHOLD, Format, Kind, THRESHOLDS};

/// What a download just after an upgrade is told while stored answers are masked again: a
/// notice about the page, not an error on a field, since nothing chosen was wrong.
const REMASKING: Notice = Notice {
    lead: "Your download is waiting.",
    text: "Heard has just been updated and is masking stored answers again with its newer masker, which hides more personal data. Try the download again in a few seconds: your choices are kept below. Nothing was exported.",
};
/// What a commissioner who asks for row-level data is told.
const ROWS_REFUSED: &str = "The responses one row each (row-level data) are for analysts and admins only: even with every count suppressed, a rare mix of answers in one row can point to a child. Choose the spreadsheet, JSON or the printable report, which hold the published summary. Nothing was exported.";

/// A message about the whole page, shown near its top (a bold lead, then the rest).
#[derive(Debug, Serialize)]
struct Notice {
    lead: &'static str,
    text: &'static str,
}

fn render_page(
    state: &SharedState,
    staff: &Staff,
    survey: &engine::Survey,
    format: &str,
    threshold: &str,
    error: Option<FieldError>,
    notice: Option<&Notice>,
) -> AppResult<Response> {
    let offered = |rows: bool| -> Vec<(&str, &str)> {
        Kind::ALL
            .iter()
            .filter(|k| k.rows() == rows)
            .map(|k| (k.id(), k.title()))
            .collect()
    };
    let row_level = if staff.user.role.takes_row_level_data() {
        offered(true)
    } else {
        Vec::new()
    };
    form_page(
        "review/export.html",
        state,
        staff,
        survey,
        error,
        context! {
            summaries => offered(false),
            row_level => row_level,
            format => format,
            threshold => threshold,
            min => THRESHOLDS.start(),
            max => THRESHOLDS.end(),
            notice => notice,
        },
    )
}

pub async fn form(
    State(state): State<SharedState>,
    Workspace { staff, survey }: Workspace,
) -> AppResult<Response> {
    render_page(
        &state,
        &staff,
        &survey,
        "",
        &DEFAULT_THRESHOLD.to_string(),
        None,
        None,
    )
}

pub async fn download(
    State(state): State<SharedState>,
    Workspace { survey, .. }: Workspace,
    req: Request<Body>,
) -> AppResult<Response> {
    let (staff, fields) = read_staff_form(req).await?;
    let format_field = crate::form::first(&fields, "format")
        .unwrap_or("")
        .to_string();
    let threshold_field = crate::form::first(&fields, "threshold")
        .unwrap_or("")
        .trim()
        .to_string();
    let refuse = |field: &str, message: String| {
        render_page(
            &state,
            &staff,
            &survey,
            &format_field,
            &threshold_field,
            Some(FieldError::new(field, message)),
            None,
        )
    };
    let Some(kind) = Kind::parse(&format_field) else {
        return refuse("format", "Choose what to export.".into());
    };
    if kind.rows() && !staff.user.role.takes_row_level_data() {
        let mut page = refuse("format", ROWS_REFUSED.into())?;
        *page.status_mut() = StatusCode::FORBIDDEN;
        return Ok(page);
    }
    let format = kind.format();
    let threshold = match threshold_field.parse::<i64>() {
        Ok(t) if THRESHOLDS.contains(&t) => t,
        _ => {
            return refuse(
                "threshold",
                format!(
                    "Enter a whole number from {} to {} for the smallest count shown.",
                    THRESHOLDS.start(),
                    THRESHOLDS.end()
                ),
            );
        }
    };
    // Just after an upgrade, stored answers are being masked again with the newer masker: the
    // form stays, with the notice, so the same choices can be sent again.
    if remasking::under_way(&state) {
        let page = render_page(
            &state,
            &staff,
            &survey,
            &format_field,
            &threshold_field,
            None,
            Some(&REMASKING),
        )?;
        return Ok(remasking::ask_again_soon(page));
    }
    let store = state.store.clone();
    let s = survey.clone();
    let (name, file, length, detail) = tokio::task::spawn_blocking(move || {
        // Written to an unnamed temporary file as it is read (a download is sent only once it
        // is recorded, and memory stays bounded whatever the size); the file vanishes when the
        // download ends or fails.
        let mut file = tempfile::tempfile().map_err(ExportFileError::Temporary)?;
        let export = {
            let mut out = std::io::BufWriter::new(&mut file);
            let export = publish::export(&store, &s, threshold, kind, &mut out)?;
            out.flush().map_err(ExportFileError::Temporary)?;
            export
        };
        let length = file
            .seek(SeekFrom::End(0))
            .and_then(|n| file.rewind().map(|()| n))
            .map_err(ExportFileError::Temporary)?;
        Ok::<_, ExportFileError>((export.file_name(), file, length, export.audit_detail()))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(|e| AppError::Internal(e.to_string()))?;
    state
        .store
        .log(&staff.user.name, "exported", &survey.id, &detail)
        .await?;
    let body = Body::from_stream(ReaderStream::new(tokio::fs::File::from_std(file)));
    let mut resp = (StatusCode::OK, body).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    // The report opens in the browser to be printed; the other files are saved.
    let disposition = if format == Format::Html {
        "inline"
    } else {
        "attachment"
    };
    if let Ok(v) = HeaderValue::from_str(&format!("{disposition}; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if format == Format::Html
        && let Ok(v) = HeaderValue::from_str(&format!(
            "default-src 'none'; style-src {}; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            publish::style_hash()
        ))
    {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    Ok(resp)
}

/// Why an export could not be made ready to download.
#[derive(Debug, thiserror::Error)]
enum ExportFileError {
    #[error(transparent)]
    Export(#[from] publish::ExportError),
    #[error(
        "the export could not be written to a temporary file ({0}): check the temporary folder (TMPDIR) has space"
    )]
    Temporary(std::io::Error),
}
