//! Page templates, embedded in the binary so one file runs anywhere. Every template is named
//! `.html`, so minijinja escapes everything it prints; undefined values are errors, not blanks.
use std::sync::LazyLock;

use minijinja::{Environment, UndefinedBehavior};

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../templates/", $name)))),*]
    };
}

const TEMPLATES: &[(&str, &str)] = templates![
    "base.html",
    "macros.html",
    "error.html",
    "respondent/index.html",
    "respondent/start.html",
    "respondent/who.html",
    "respondent/page.html",
    "respondent/check.html",
    "respondent/saved.html",
    "respondent/done.html",
    "respondent/delete.html",
    "respondent/delete_confirm.html",
    "respondent/deleted.html",
    "review/base.html",
    "review/signin.html",
    "review/home.html",
    "review/audit.html",
    "review/dashboard.html",
    "review/questions.html",
    "review/themes.html",
    "review/theme.html",
    "review/run.html",
    "review/runs.html",
    "review/queue.html",
    "review/flag.html",
    "review/import.html",
    "review/export.html",
];

pub static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    for (name, src) in TEMPLATES {
        // The templates are part of the binary; a syntax error is caught by the tests.
        if let Err(e) = env.add_template(name, src) {
            panic!("template {name} does not parse: {e}");
        }
    }
    env.add_global("css_url", crate::assets::CSS.url.clone());
    env.add_global("js_url", crate::assets::JS.url.clone());
    env
});

/// Renders `name` with `ctx`.
pub fn render(name: &str, ctx: minijinja::Value) -> Result<String, minijinja::Error> {
    ENV.get_template(name)?.render(ctx)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_template_parses() {
        assert!(super::ENV.templates().count() >= super::TEMPLATES.len());
    }
}
