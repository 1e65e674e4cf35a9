//! Static assets embedded in the binary, served under names that carry a hash of their content,
//! so browsers may cache them for a year and still never use an old one.
use std::sync::LazyLock;

/// A file served from memory under `url`.
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
