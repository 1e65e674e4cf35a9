//! The printable report: one self-contained HTML file (its stylesheet inline, no script, no
//! requests) that reads on screen and prints to clean A4 pages. Charts are SVG bars drawn here,
//! dark on white so they survive greyscale printing, each with a text alternative and the same
//! figures in a table.
use std::sync::LazyLock;

use base64::Engine;
use minijinja::context;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::ExportError;
use crate::numbers::{count_filter, thousands};
use crate::summary::{ChoiceQuestion, Figure, Summary};
use crate::suppress::Mark;

/// The report's stylesheet: screen and print (A4).
const STYLE: &str = include_str!("../templates/report.css");

/// The report's template, embedded. Named `.html`, so minijinja escapes everything it prints;
/// undefined values are errors, not blanks.
/// A syntax error is caught by the tests, and would be an export's error, not a panic.
static TEMPLATE: LazyLock<Result<minijinja::Environment<'static>, minijinja::Error>> =
    LazyLock::new(|| {
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.add_filter("count", count_filter);
        env.add_template("report.html", include_str!("../templates/report.html"))?;
        Ok(env)
    });

/// `'sha256-...'` of [`STYLE`], for the Content-Security-Policy the workspace serves it under.
pub fn style_hash() -> &'static str {
    static HASH: LazyLock<String> = LazyLock::new(|| {
        let digest = Sha256::digest(STYLE.as_bytes());
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        )
    });
    &HASH
}

/// How a count reads in the report. A count hidden to protect another is not "fewer than": it
/// may be large, and the report must not say what is false.
fn words(f: Figure, threshold: i64) -> String {
    match (f.shown(), f.mark) {
        (Some(n), _) => thousands(n),
        (None, Mark::Secondary) => HIDDEN.to_string(),
        (None, _) => format!("fewer than {}", thousands(threshold)),
    }
}

/// What a count hidden by secondary suppression reads as.
const HIDDEN: &str = "hidden";

#[derive(Serialize)]
struct Bar {
    label: String,
    /// Top of the label line.
    y: f64,
    width: f64,
    value: String,
    value_x: f64,
}

#[derive(Serialize)]
struct Chart {
    height: f64,
    bars: Vec<Bar>,
    desc: String,
}

const CHART_WIDTH: f64 = 600.0;
const LABEL_CHARS: usize = 80;

fn chart(q: &ChoiceQuestion, threshold: i64) -> Chart {
    let row = 40.0;
    let bar_area = CHART_WIDTH - 150.0;
    let mut bars = Vec::new();
    let mut desc = Vec::new();
    for (i, c) in q.choices.iter().enumerate() {
        let y = i as f64 * row;
        let (width, value) = match (c.n.shown(), c.percent) {
            (Some(n), Some(p)) => (bar_area * p / 100.0, format!("{p}% ({})", thousands(n))),
            _ => (0.0, words(c.n, threshold)),
        };
        let label = if c.label.chars().count() > LABEL_CHARS {
            c.label.chars().take(LABEL_CHARS - 1).collect::<String>() + "…"
        } else {
            c.label.clone()
        };
        desc.push(format!("{}: {value}", c.label));
        bars.push(Bar {
            label,
            y,
            width,
            value_x: width + 6.0,
            value,
        });
    }
    Chart {
        height: q.choices.len() as f64 * row + 4.0,
        bars,
        desc: format!(
            "Bar chart of the share of the {} respondents who answered choosing each answer: {}.",
            words(q.answered, threshold),
            desc.join("; ")
        ),
    }
}

pub fn html(s: &Summary) -> Result<Vec<u8>, ExportError> {
    let t = s.threshold;
    let questions: Vec<_> = s
        .questions
        .iter()
        .map(|q| {
            let tables: Vec<_> = q
                .breakdowns
                .iter()
                .map(|b| {
                    let rows: Vec<_> = b
                        .rows
                        .iter()
                        .map(|r| {
                            let cells: Vec<String> = r
                                .cells
                                .iter()
                                .zip(&r.percents)
                                .map(|(f, p)| cell(*f, *p, t))
                                .collect();
                            context! { label => r.label, cells => cells, total => cell(r.total, r.percent, t) }
                        })
                        .collect();
                    context! {
                        title => b.title,
                        groups => b.groups.iter().map(|g| g.label.clone()).collect::<Vec<_>>(),
                        rows => rows,
                        totals => b.totals.iter().map(|f| words(*f, t)).collect::<Vec<_>>(),
                        total => words(b.total, t),
                    }
                })
                .collect();
            context! {
                id => q.id,
                text => q.text,
                several => q.several,
                answered => words(q.answered, t),
                chart => chart(q, t),
                tables => tables,
            }
        })
        .collect();
    let free_text: Vec<_> = s
        .free_text
        .iter()
        .map(|f| {
            let themes: Vec<_> = f
                .themes
                .iter()
                .map(|th| {
                    context! {
                        label => th.label,
                        size => words(th.size, t),
                        percent => th.percent,
                        quotes => th.quotes,
                    }
                })
                .collect();
            context! {
                id => f.id,
                text => f.text,
                answers => words(f.answers, t),
                unthemed => words(f.unthemed, t),
                unthemed_any => f.unthemed.shown() != Some(0),
                themes => themes,
                run => f.run,
            }
        })
        .collect();
    let groups = |g: &[crate::summary::Group]| -> Vec<_> {
        g.iter()
            .map(|g| context! { label => g.label, n => words(g.n, t), percent => g.percent })
            .collect()
    };
    let env = TEMPLATE
        .as_ref()
        .map_err(|e| ExportError::Write(e.to_string()))?;
    let body = env
        .get_template("report.html")
        .and_then(|template| {
            template.render(context! {
                style => minijinja::Value::from_safe_string(STYLE.to_string()),
                s => s,
                total => words(s.responses.total, t),
                by_version => groups(&s.responses.by_version),
                by_channel => groups(&s.responses.by_channel),
                questions => questions,
                free_text => free_text,
                chart_width => CHART_WIDTH,
            })
        })
        .map_err(|e| ExportError::Write(e.to_string()))?;
    Ok(body.into_bytes())
}

/// A table cell: "1,023 (45.1%)", "fewer than 5" or "hidden".
fn cell(f: Figure, p: Option<f64>, threshold: i64) -> String {
    match (f.shown(), p) {
        (Some(n), Some(p)) => format!("{} ({p}%)", thousands(n)),
        _ => words(f, threshold),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_report_template_parses() {
        let env = super::TEMPLATE
            .as_ref()
            .expect("the report template parses");
        assert!(env.get_template("report.html").is_ok());
        assert!(super::style_hash().starts_with("'sha256-"));
    }

    #[test]
    fn every_count_reads_with_thousands_separators() {
        let bytes = super::html(&crate::summary::large_for_tests()).expect("the report");
        let html = String::from_utf8(bytes).expect("UTF-8");
        for shown in [
            // Headline, versions and channels, and the method note.
            "<span class=\"figure\">557,077</span> responses",
            "557,077 in all",
            "Standard 557,077",
            "Paper 7,077",
            // The chart, its text alternative and the tables.
            "62.1% (345,678)",
            "of the 557,077 respondents",
            "Foster care: 62.1% (345,678)",
            "340,000 (61.8%)",
            "5,678 (80.2%)",
            "<td class=\"num\">7,077</td>",
            // Themes and how they were made.
            "412,345 answers, grouped into 1 themes (288,889 in no theme)",
            "123,456 answers (29.9%)",
            "seed 4242, 412,345 answers",
        ] {
            assert!(html.contains(shown), "{shown} in {html}");
        }
        for plain in ["557077", "345678", "412345", "4,242"] {
            assert!(!html.contains(plain), "{plain} in {html}");
        }
    }
}
