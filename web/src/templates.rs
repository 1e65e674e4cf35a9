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
    "review/remasking.html",
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
    // `count`: what people read as a count (557,077), formatted as the printable report does.
    env.add_filter("count", publish::numbers::count_filter);
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
    use minijinja::context;

    #[test]
    fn every_template_parses() {
        assert!(super::ENV.templates().count() >= super::TEMPLATES.len());
    }

    #[test]
    fn counts_read_with_thousands_separators_and_links_keep_plain_numbers() {
        let entries: Vec<()> = Vec::new();
        let page = super::render(
            "review/audit.html",
            context! { entries => entries, total => 557_077, page => 1234, pages => 5571 },
        )
        .expect("the audit page");
        assert!(page.contains("557,077 entries"), "{page}");
        assert!(page.contains("Page 1,234 of 5,571."), "{page}");
        assert!(page.contains("/admin/audit?page=1233\""), "{page}");
        assert!(page.contains("/admin/audit?page=1235\""), "{page}");

        let chrome = context! {
            surveys => Vec::<(String, String)>::new(), user => "ana", role => "analyst",
            csrf => "token", can_themes => true, can_safeguarding => false, can_audit => false,
            can_export => false, can_import => false,
        };
        let page = super::render(
            "review/dashboard.html",
            context! {
                chrome => chrome,
                survey => context! { id => "big", title => "Big", opens => "2026-01-01", closes => "2026-06-30" },
                total => 557_077,
                drafts => 1_000,
                versions => vec![context! { name => "Standard", responses => 557_077, drafts => 999 }],
                channels => vec![("Online", 550_000), ("Paper", 7_077)],
                bars => vec![context! { day => "1 Mar 2026", n => 12_345, x => 0.0, y => 10.0, h => 140.0 }],
                bar_width => 40.0,
                max => 12_345,
                stops => Vec::<()>::new(),
                choice_questions => vec![context! {
                    id => "q", text => "Where?", columns => vec!["Standard"],
                    rows => vec![context! { label => "Foster care", values => vec![345_678] }],
                    breakdowns => Vec::<()>::new(),
                }],
            },
        )
        .expect("the dashboard");
        for shown in [
            "<span class=\"figure\">557,077</span> responses sent",
            "<span class=\"figure\">1,000</span> drafts",
            "<td class=\"num\">557,077</td><td class=\"num\">999</td>",
            "Online: 550,000",
            "Paper: 7,077",
            "the busiest day had 12,345.",
            "1 Mar 2026: 12,345",
            "<td class=\"num\">345,678</td>",
        ] {
            assert!(page.contains(shown), "{shown} in {page}");
        }
        assert!(
            !page.contains("557077") && !page.contains("12345"),
            "{page}"
        );
    }
}
