//! `heard check`: reads survey files and reports every problem with file, line and column.
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use engine::survey::{Severity, Survey, load_file, survey_paths};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Survey files, or folders of them.
    #[arg(default_value = "surveys")]
    pub paths: Vec<PathBuf>,
}

/// Prints every diagnostic; fails if any file has an error.
pub fn run(args: CheckArgs) -> anyhow::Result<()> {
    let paths = survey_paths(&args.paths)?;
    if paths.is_empty() {
        anyhow::bail!("no survey files (*.toml) found in {:?}", args.paths);
    }
    let mut errors = 0;
    for p in &paths {
        let loaded = load_file(p);
        for d in &loaded.diagnostics {
            eprintln!("{d}");
            if d.severity == Severity::Error {
                errors += 1;
            }
        }
        if let Some(s) = &loaded.survey {
            println!(
                "{}: ok: \"{}\", {} versions, {} questions",
                p.display(),
                s.title,
                s.versions.len(),
                s.questions.len()
            );
        }
        for r in &loaded.readability {
            let words = if r.hard_words.is_empty() {
                String::new()
            } else {
                let mut list: Vec<String> = r
                    .hard_words
                    .iter()
                    .take(12)
                    .map(|(w, line)| format!("{w} (line {line})"))
                    .collect();
                if r.hard_words.len() > 12 {
                    list.push(format!("and {} more", r.hard_words.len() - 12));
                }
                format!("; long or rare words: {}", list.join(", "))
            };
            println!(
                "  version `{}`: reading age {:.1} (target {}, {}){words}",
                r.version,
                r.reading_age,
                r.target,
                if r.passes() { "ok" } else { "too hard" },
            );
        }
    }
    if errors > 0 {
        anyhow::bail!("{errors} error(s) in survey files");
    }
    Ok(())
}

/// Loads every survey, refusing to go on if any has an error or two share an id.
pub fn load_all(inputs: &[PathBuf]) -> anyhow::Result<Vec<Survey>> {
    let paths = survey_paths(inputs)?;
    if paths.is_empty() {
        anyhow::bail!("no survey files (*.toml) found in {inputs:?}: pass a folder of surveys");
    }
    let mut surveys: Vec<Survey> = Vec::new();
    let mut problems = Vec::new();
    for p in &paths {
        let loaded = load_file(p);
        for d in loaded.errors() {
            problems.push(d.to_string());
        }
        if let Some(s) = loaded.survey {
            if surveys.iter().any(|o| o.id == s.id) {
                problems.push(format!(
                    "{}: a second survey has the id `{}`",
                    p.display(),
                    s.id
                ));
            } else {
                surveys.push(s);
            }
        }
    }
    if !problems.is_empty() {
        anyhow::bail!(
            "the survey files have errors (run `heard check` for details):\n{}",
            problems.join("\n")
        );
    }
    Ok(surveys)
}

/// The survey named by id in `surveys`, or the survey file at `survey`.
pub fn find_survey(survey: &str, surveys: &[PathBuf]) -> anyhow::Result<engine::Survey> {
    let as_path = Path::new(survey);
    if as_path.is_file() {
        let mut all = load_all(&[as_path.to_path_buf()])?;
        return all.pop().context("the survey file holds no survey");
    }
    let all = load_all(surveys)?;
    let ids: Vec<String> = all.iter().map(|s| s.id.clone()).collect();
    match all.into_iter().find(|s| s.id == survey) {
        Some(s) => Ok(s),
        None => bail!(
            "no survey `{survey}` in {}; the surveys there are: {}",
            surveys
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            ids.join(", ")
        ),
    }
}
