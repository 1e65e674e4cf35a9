//! One way to show a workspace form about a survey, and to show it again with its mistake: the
//! error summary links to the field, and the reply is 422 so nothing mistakes it for success.
use axum::response::Response;
use minijinja::{Value, context};
use serde::Serialize;

use super::chrome::chrome;
use super::staff::Staff;
use crate::error::AppResult;
use crate::http::{form_status, page};
use crate::state::SharedState;
use crate::templates::render;

/// A mistake in a form: the field to correct (its element is `{field}-field`) and what to say.
#[derive(Debug, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// Renders `template` with the page's header, the survey, the form's own values in `ctx` and
/// its mistake, if any.
pub fn form_page(
    template: &str,
    state: &SharedState,
    staff: &Staff,
    survey: &engine::Survey,
    error: Option<FieldError>,
    ctx: Value,
) -> AppResult<Response> {
    let status = form_status(error.is_some());
    let body = render(
        template,
        context! {
            chrome => chrome(state, staff),
            survey => context! { id => survey.id, title => survey.title },
            error => error,
            ..ctx
        },
    )?;
    Ok(page(status, body))
}
