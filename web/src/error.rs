//! One error type for every handler. It renders a page a person can act on, with the status that
//! says what happened, and logs internal failures once, without any respondent's text.
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("page not found")]
    NotFound,
    #[error("{0}")]
    BadRequest(String),
    #[error("the form was too large")]
    TooLarge,
    #[error("the form was not sent as a form")]
    UnsupportedMediaType,
    #[error("{0}")]
    Forbidden(String),
    #[error("not open to the {0} role")]
    NotYourRole(String),
    #[error("too many tries")]
    TooManyRequests,
    #[error("the request took too long")]
    Timeout,
    #[error("that kind of request is not taken here")]
    MethodNotAllowed,
    #[error("{title}")]
    Gone { title: String, message: String },
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<engine::StoreError> for AppError {
    fn from(e: engine::StoreError) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl From<minijinja::Error> for AppError {
    fn from(e: minijinja::Error) -> Self {
        AppError::Internal(format!("template: {e:#}"))
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        AppError::Internal(format!("background task: {e}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, title, message) = match &self {
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page not found".to_string(),
                "Check the web address, or go back to the start.".to_string(),
            ),
            AppError::BadRequest(m) => (
                StatusCode::BAD_REQUEST,
                "Something was wrong with that form".to_string(),
                format!("{m}. Nothing was saved from it. Go back and try again."),
            ),
            AppError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "That was too much to send".to_string(),
                "Nothing was saved from it. Go back and make your answers shorter.".to_string(),
            ),
            AppError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Something was wrong with that form".to_string(),
                "Nothing was saved from it. Go back and try again.".to_string(),
            ),
            AppError::Forbidden(m) => (
                StatusCode::FORBIDDEN,
                "Your session has ended".to_string(),
                m.clone(),
            ),
            AppError::NotYourRole(role) => (
                StatusCode::FORBIDDEN,
                "This page is not part of your role".to_string(),
                format!(
                    "You are signed in as: {role}. Ask an administrator if you need to see it."
                ),
            ),
            AppError::TooManyRequests => (
                StatusCode::TOO_MANY_REQUESTS,
                "Too many tries".to_string(),
                "Wait a few minutes, then try again.".to_string(),
            ),
            AppError::Timeout => (
                StatusCode::REQUEST_TIMEOUT,
                "That took too long".to_string(),
                "Nothing was saved from it. Check your connection, go back and try again."
                    .to_string(),
            ),
            AppError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "Page not found".to_string(),
                "Check the web address, or go back to the start.".to_string(),
            ),
            AppError::Gone { title, message } => (StatusCode::GONE, title.clone(), message.clone()),
            AppError::Internal(e) => {
                tracing::error!(error = %e, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Sorry, something went wrong".to_string(),
                    "Your answers so far are saved. Try again in a few minutes.".to_string(),
                )
            }
        };
        let body = crate::templates::render(
            "error.html",
            context! { title => title, message => message, status => status.as_u16() },
        )
        .unwrap_or_else(|_| {
            format!(
                "<!doctype html><title>{}</title><h1>{}</h1>",
                status, status
            )
        });
        let mut resp = (status, Html(body)).into_response();
        resp.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
        resp
    }
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// The page for an error answered outside the handlers (a path that does not decode, a
    /// method a route does not take), which the framework would give as bare text.
    /// What an extractor's rejection (say, a path that is not valid UTF-8) becomes: the page the
    /// router's middleware would make of it.
    pub fn rejected(status: StatusCode) -> AppError {
        AppError::for_status(status)
            .unwrap_or_else(|| AppError::Internal(format!("a request was rejected with {status}")))
    }

    pub fn for_status(status: StatusCode) -> Option<AppError> {
        Some(match status {
            StatusCode::BAD_REQUEST => {
                AppError::BadRequest("The web address or form could not be read".into())
            }
            StatusCode::NOT_FOUND => AppError::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => AppError::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType,
            StatusCode::REQUEST_TIMEOUT => AppError::Timeout,
            _ => return None,
        })
    }
}
