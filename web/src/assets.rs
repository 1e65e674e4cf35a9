//! Static assets embedded in the binary, served under names that carry a hash of their content,
//! so browsers may cache them for a year and still never use an old one.
use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

pub struct Asset {
    pub name: &'static str,
    pub url: String,
    pub body: &'static str,
    pub content_type: &'static str,
}

fn asset(name: &'static str, ext: &str, body: &'static str, content_type: &'static str) -> Asset {
    let hash = engine::codes::hex(&engine::codes::hash(body));
    Asset {
        name,
        url: format!("/static/{name}.{}.{ext}", &hash[..10]),
        body,
        content_type,
    }
}

pub static CSS: LazyLock<Asset> = LazyLock::new(|| {
    asset(
        "heard",
        "css",
        include_str!("../static/heard.css"),
        "text/css; charset=utf-8",
    )
});
pub static JS: LazyLock<Asset> = LazyLock::new(|| {
    asset(
        "heard",
        "js",
        include_str!("../static/heard.js"),
        "text/javascript; charset=utf-8",
    )
});

pub async fn serve(Path(file): Path<String>) -> Response {
    for a in [&*CSS, &*JS] {
        if a.url.strip_prefix("/static/") == Some(file.as_str()) {
            return (
                [
                    (header::CONTENT_TYPE, a.content_type),
                    (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
                ],
                a.body,
            )
                .into_response();
        }
    }
    // The same page as any other address that is not there (and never a file read from disk).
    crate::error::AppError::NotFound.into_response()
}
