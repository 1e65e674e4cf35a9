//! Survey files: reading the TOML a person wrote, checking it, and resolving it into the model.
//! Every problem found becomes a [`Diagnostic`] with file, line and column and a hint, and all
//! of them are reported at once: an author fixes a file in one pass, not one error per run.
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;
use serde_spanned::Spanned;

use super::model::*;
use super::readability::{self, Counts};

/// One problem in a survey file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub message: String,
    pub hint: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path.display(),
            self.line,
            self.column,
            sev,
            self.message
        )?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

/// The outcome of reading one file: the survey if it has no errors, and every diagnostic.
#[derive(Debug)]
pub struct Loaded {
    pub survey: Option<Survey>,
    pub diagnostics: Vec<Diagnostic>,
    /// How hard each version's text is to read, in the order of the file's versions.
    pub readability: Vec<VersionReading>,
}

/// The reading age of one version's questions, hints and choices, against its target.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionReading {
    pub version: String,
    pub target: u8,
    pub reading_age: f64,
    pub counts: Counts,
    /// Long or rare words, each with the first line it is on.
    pub hard_words: Vec<(String, usize)>,
}

impl VersionReading {
    pub fn passes(&self) -> bool {
        self.reading_age <= f64::from(self.target)
    }
}

impl Loaded {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }
}

/// Reads and checks the survey file at `path`.
pub fn load_file(path: &Path) -> Loaded {
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(src) => load_str(path, &src),
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                let src = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let mut c = Checker::new(path, &src);
                c.error(
                    offset..offset,
                    "the file is not valid UTF-8",
                    "save the file as UTF-8 (most editors have this under 'Save with encoding')",
                );
                c.finish(None)
            }
        },
        Err(e) => Loaded {
            survey: None,
            readability: Vec::new(),
            diagnostics: vec![Diagnostic {
                path: path.to_owned(),
                line: 1,
                column: 1,
                severity: Severity::Error,
                message: format!("cannot read the file: {e}"),
                hint: Some("check the path and that the file is readable".into()),
            }],
        },
    }
}

/// Reads and checks survey source text; `path` is only used in diagnostics.
pub fn load_str(path: &Path, src: &str) -> Loaded {
    let mut c = Checker::new(path, src);
    let raw: RawSurvey = match toml::from_str(src) {
        Ok(r) => r,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let msg = e.message().trim().to_string();
            let hint = hint_for_toml_error(&msg);
            c.error(span, &msg, &hint);
            return c.finish(None);
        }
    };
    let survey = c.resolve(raw);
    c.finish(survey)
}

fn hint_for_toml_error(msg: &str) -> String {
    if msg.contains("unknown field") {
        "check the spelling against surveys/FORMAT.md; keys are lower case with underscores".into()
    } else if msg.contains("invalid type") {
        "check the value's type: text goes in \"quotes\", numbers and true/false do not".into()
    } else if msg.contains("duplicate key") {
        "each key can appear once in a table".into()
    } else {
        "see surveys/FORMAT.md for the file format".into()
    }
}

// ---------------------------------------------------------------------------------------------
// The raw file, as written. Required fields are `Option` so that every missing one is reported.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSurvey {
    id: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    opens: Option<Spanned<toml::Value>>,
    closes: Option<Spanned<toml::Value>>,
    retention: Option<Spanned<String>>,
    privacy: Option<Spanned<RawPrivacy>>,
    #[serde(default)]
    version: Vec<Spanned<RawVersion>>,
    #[serde(default)]
    section: Vec<Spanned<RawSection>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrivacy {
    summary: Option<Spanned<String>>,
    #[serde(default)]
    points: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVersion {
    id: Option<Spanned<String>>,
    name: Option<Spanned<String>>,
    description: Option<Spanned<String>>,
    reading_age: Option<Spanned<i64>>,
    #[serde(default)]
    easy_read: bool,
    intro: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    id: Option<Spanned<String>>,
    title: Option<Spanned<RawText>>,
    versions: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    question: Vec<Spanned<RawQuestion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Option<Spanned<String>>,
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    text: Option<Spanned<RawText>>,
    hint: Option<Spanned<RawText>>,
    #[serde(default)]
    required: bool,
    versions: Option<Spanned<Vec<Spanned<String>>>>,
    breakdown: Option<Spanned<String>>,
    prefer_not_to_say: Option<Spanned<bool>>,
    choices: Option<Spanned<Vec<Spanned<RawChoice>>>>,
    max_choices: Option<Spanned<i64>>,
    points: Option<Spanned<i64>>,
    labels: Option<Spanned<Vec<Spanned<RawText>>>>,
    max_chars: Option<Spanned<i64>>,
    min: Option<Spanned<i64>>,
    max: Option<Spanned<i64>>,
    show_if: Option<Spanned<RawCondition>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChoice {
    id: Option<Spanned<String>>,
    label: Option<Spanned<RawText>>,
}

#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum RawText {
    One(String),
    PerVersion(BTreeMap<String, String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    question: Option<Spanned<String>>,
    equals: Option<Spanned<ScalarValue>>,
    any_of: Option<Spanned<Vec<ScalarValue>>>,
}

#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum ScalarValue {
    Str(String),
    Int(i64),
    Bool(bool),
}

impl ScalarValue {
    fn as_choice_id(&self) -> String {
        match self {
            ScalarValue::Str(s) => s.clone(),
            ScalarValue::Int(i) => i.to_string(),
            ScalarValue::Bool(true) => "yes".into(),
            ScalarValue::Bool(false) => "no".into(),
        }
    }
}

// ---------------------------------------------------------------------------------------------

struct Checker<'a> {
    path: &'a Path,
    src: &'a str,
    line_starts: Vec<usize>,
    diagnostics: Vec<Diagnostic>,
    /// Every question, hint and choice a respondent reads, for the reading-age check.
    rated: Vec<Rated>,
    readability: Vec<VersionReading>,
}

/// One text a version's respondents read, and where it is written.
struct Rated {
    versions: Vec<String>,
    text: Text,
    what: String,
    span: Range<usize>,
}

const DEFAULT_SHORT_TEXT: usize = 200;
const DEFAULT_LONG_TEXT: usize = 2000;
const MAX_TEXT_LIMIT: usize = 20_000;

fn default_scale_labels(points: usize) -> Vec<&'static str> {
    match points {
        3 => vec!["Not good", "OK", "Good"],
        _ => vec!["Very bad", "Bad", "OK", "Good", "Very good"],
    }
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

fn is_choice_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

impl<'a> Checker<'a> {
    fn new(path: &'a Path, src: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        Checker {
            path,
            src,
            line_starts,
            diagnostics: Vec::new(),
            rated: Vec::new(),
            readability: Vec::new(),
        }
    }

    fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.src.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let column = self
            .src
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0)
            + 1;
        (line + 1, column)
    }

    fn push(&mut self, severity: Severity, span: Range<usize>, message: &str, hint: &str) {
        let (line, column) = self.position(span.start);
        self.diagnostics.push(Diagnostic {
            path: self.path.to_owned(),
            line,
            column,
            severity,
            message: message.to_string(),
            hint: (!hint.is_empty()).then(|| hint.to_string()),
        });
    }

    fn error(&mut self, span: Range<usize>, message: &str, hint: &str) {
        self.push(Severity::Error, span, message, hint);
    }

    fn finish(mut self, survey: Option<Survey>) -> Loaded {
        self.diagnostics.sort_by_key(|d| (d.line, d.column));
        let has_error = self
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error);
        Loaded {
            survey: if has_error { None } else { survey },
            diagnostics: self.diagnostics,
            readability: self.readability,
        }
    }

    fn required<T: Clone>(
        &mut self,
        v: &Option<Spanned<T>>,
        key: &str,
        owner: &str,
        owner_span: Range<usize>,
    ) -> Option<(T, Range<usize>)> {
        match v {
            Some(s) => Some((s.get_ref().clone(), s.span())),
            None => {
                self.error(
                    owner_span,
                    &format!("{owner} has no `{key}`"),
                    &format!("add `{key} = ...`; see surveys/FORMAT.md"),
                );
                None
            }
        }
    }

    fn non_empty(&mut self, s: &str, span: Range<usize>, what: &str) {
        if s.trim().is_empty() {
            self.error(
                span,
                &format!("{what} is empty"),
                "write the text a person will see",
            );
        }
    }

    fn date(&mut self, v: &Spanned<toml::Value>, key: &str) -> Option<NaiveDate> {
        let hint = format!("write a date without quotes, like `{key} = 2026-09-01`");
        match v.get_ref() {
            toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
                match dt.date {
                    Some(d) => match NaiveDate::from_ymd_opt(
                        i32::from(d.year),
                        u32::from(d.month),
                        u32::from(d.day),
                    ) {
                        Some(date) => Some(date),
                        None => {
                            self.error(v.span(), &format!("`{key}` is not a real date"), &hint);
                            None
                        }
                    },
                    None => {
                        self.error(v.span(), &format!("`{key}` has no date"), &hint);
                        None
                    }
                }
            }
            toml::Value::String(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    self.error(v.span(), &format!("`{key}` is not a date: \"{s}\""), &hint);
                    None
                }
            },
            _ => {
                self.error(
                    v.span(),
                    &format!("`{key}` must be a date, with no time"),
                    &hint,
                );
                None
            }
        }
    }

    /// Resolves a text for the versions that will see it, reporting missing or unknown versions.
    fn text(
        &mut self,
        raw: &Spanned<RawText>,
        what: &str,
        asked_in: &[String],
        all_versions: &HashSet<String>,
    ) -> Text {
        let span = raw.span();
        match raw.get_ref() {
            RawText::One(s) => {
                self.non_empty(s, span, what);
                Text::One(s.clone())
            }
            RawText::PerVersion(map) => {
                for (k, v) in map {
                    if !all_versions.contains(k) {
                        self.error(
                            span.clone(),
                            &format!("{what} has wording for `{k}`, which is not a version"),
                            &format!(
                                "versions are: {}",
                                sorted(all_versions.iter().cloned()).join(", ")
                            ),
                        );
                    } else if !asked_in.contains(k) {
                        self.push(
                            Severity::Warning,
                            span.clone(),
                            &format!("{what} has wording for `{k}`, which does not ask it"),
                            "remove it, or add the version to `versions`",
                        );
                    } else {
                        self.non_empty(v, span.clone(), &format!("{what} for `{k}`"));
                    }
                }
                for v in asked_in {
                    if !map.contains_key(v) {
                        self.error(
                            span.clone(),
                            &format!("{what} has no wording for version `{v}`"),
                            &format!("add `{v} = \"...\"` to the table, or one string for all"),
                        );
                    }
                }
                Text::PerVersion(map.clone())
            }
        }
    }

    fn versions_list(
        &mut self,
        raw: &Option<Spanned<Vec<Spanned<String>>>>,
        inherited: &[String],
        known: &HashSet<String>,
        owner: &str,
    ) -> Vec<String> {
        let Some(list) = raw else {
            return inherited.to_vec();
        };
        if list.get_ref().is_empty() {
            self.error(
                list.span(),
                &format!("{owner} lists no versions"),
                "list at least one version id, or leave `versions` out to mean all",
            );
        }
        let mut out = Vec::new();
        for v in list.get_ref() {
            let id = v.get_ref();
            if !known.contains(id) {
                self.error(
                    v.span(),
                    &format!("{owner} names `{id}`, which is not a version"),
                    &format!("versions are: {}", sorted(known.iter().cloned()).join(", ")),
                );
            } else if !inherited.contains(id) {
                self.error(
                    v.span(),
                    &format!("{owner} names `{id}`, but its section is not shown to `{id}`"),
                    "add the version to the section's `versions` too",
                );
            } else if out.contains(id) {
                self.error(v.span(), &format!("`{id}` is listed twice"), "list it once");
            } else {
                out.push(id.clone());
            }
        }
        // Keep the file's version order so pages and exports are stable.
        inherited
            .iter()
            .filter(|v| out.contains(v))
            .cloned()
            .collect()
    }

    fn resolve(&mut self, raw: RawSurvey) -> Option<Survey> {
        let top = 0..0;
        let id = self.required(&raw.id, "id", "the survey", top.clone());
        if let Some((id, span)) = &id
            && !is_id(id)
        {
            self.error(
                span.clone(),
                &format!("survey id `{id}` is not usable in a web address"),
                "use lower-case letters, digits and hyphens, like `care-review`",
            );
        }
        let title = self.required(&raw.title, "title", "the survey", top.clone());
        if let Some((t, s)) = &title {
            self.non_empty(t, s.clone(), "the title");
        }
        let retention = self.required(&raw.retention, "retention", "the survey", top.clone());
        if let Some((t, s)) = &retention {
            self.non_empty(t, s.clone(), "`retention`");
        }
        let opens = raw.opens.as_ref().and_then(|v| self.date(v, "opens"));
        let closes = raw.closes.as_ref().and_then(|v| self.date(v, "closes"));
        if raw.opens.is_none() {
            self.required(&raw.opens, "opens", "the survey", top.clone());
        }
        if raw.closes.is_none() {
            self.required(&raw.closes, "closes", "the survey", top.clone());
        }
        if let (Some(o), Some(c), Some(cs)) = (opens, closes, raw.closes.as_ref())
            && o > c
        {
            self.error(
                cs.span(),
                &format!("the survey closes ({c}) before it opens ({o})"),
                "`closes` must be on or after `opens`",
            );
        }
        let privacy = match &raw.privacy {
            Some(p) => {
                let summary = self.required(&p.get_ref().summary, "summary", "[privacy]", p.span());
                if let Some((s, sp)) = &summary {
                    self.non_empty(s, sp.clone(), "the privacy summary");
                }
                for pt in &p.get_ref().points {
                    self.non_empty(pt.get_ref(), pt.span(), "a privacy point");
                }
                Some(Privacy {
                    summary: summary.map(|s| s.0).unwrap_or_default(),
                    points: p
                        .get_ref()
                        .points
                        .iter()
                        .map(|s| s.get_ref().clone())
                        .collect(),
                })
            }
            None => {
                self.error(
                    top.clone(),
                    "the survey has no [privacy] notice",
                    "add a [privacy] table with a `summary` in plain words; see surveys/FORMAT.md",
                );
                None
            }
        };

        // Versions.
        let mut versions = Vec::new();
        let mut version_ids = HashSet::new();
        if raw.version.is_empty() {
            self.error(
                top.clone(),
                "the survey has no versions",
                "add at least one [[version]] table",
            );
        }
        for rv in &raw.version {
            let span = rv.span();
            let v = rv.get_ref();
            let vid = self.required(&v.id, "id", "a [[version]]", span.clone());
            let name = self.required(&v.name, "name", "a [[version]]", span.clone());
            let age = self.required(&v.reading_age, "reading_age", "a [[version]]", span.clone());
            if let Some((vid, s)) = &vid {
                if !is_id(vid) {
                    self.error(
                        s.clone(),
                        &format!("version id `{vid}` is not a plain id"),
                        "use lower-case letters, digits and hyphens",
                    );
                }
                if !version_ids.insert(vid.clone()) {
                    self.error(
                        s.clone(),
                        &format!("duplicate version id `{vid}`"),
                        "each version needs its own id",
                    );
                }
            }
            if let Some((n, s)) = &name {
                self.non_empty(n, s.clone(), "the version name");
            }
            if let Some((a, s)) = &age
                && !(5..=25).contains(a)
            {
                self.error(
                    s.clone(),
                    &format!("reading age {a} is out of range"),
                    "use a reading age from 5 to 25",
                );
            }
            if let (Some((vid, _)), Some((name, _)), Some((age, _))) = (vid, name, age) {
                versions.push(Version {
                    id: vid,
                    name,
                    description: v
                        .description
                        .as_ref()
                        .map(|s| s.get_ref().clone())
                        .unwrap_or_default(),
                    reading_age: age.clamp(5, 25) as u8,
                    easy_read: v.easy_read,
                    intro: v.intro.as_ref().map(|s| s.get_ref().clone()),
                });
            }
        }
        let all_versions: Vec<String> = versions.iter().map(|v| v.id.clone()).collect();

        // Sections and questions.
        let mut sections = Vec::new();
        let mut questions: Vec<Question> = Vec::new();
        let mut section_ids = HashSet::new();
        let mut question_spans: HashMap<String, Range<usize>> = HashMap::new();
        for rs in &raw.section {
            let sspan = rs.span();
            let s = rs.get_ref();
            let sid = self.required(&s.id, "id", "a [[section]]", sspan.clone());
            if let Some((sid, sp)) = &sid {
                if !is_id(sid) {
                    self.error(
                        sp.clone(),
                        &format!("section id `{sid}` is not a plain id"),
                        "use lower-case letters, digits and hyphens",
                    );
                }
                if !section_ids.insert(sid.clone()) {
                    self.error(
                        sp.clone(),
                        &format!("duplicate section id `{sid}`"),
                        "each section needs its own id",
                    );
                }
            }
            let sversions =
                self.versions_list(&s.versions, &all_versions, &version_ids, "the section");
            let title = match &s.title {
                Some(t) => self.text(t, "the section title", &sversions, &version_ids),
                None => {
                    self.required(&s.title, "title", "a [[section]]", sspan.clone());
                    Text::One(String::new())
                }
            };
            if s.question.is_empty() {
                self.error(
                    sspan.clone(),
                    "the section has no questions",
                    "add [[section.question]] tables, or remove the section",
                );
            }
            let section_index = sections.len();
            sections.push(Section {
                id: sid.map(|s| s.0).unwrap_or_default(),
                title,
                versions: sversions.clone(),
            });
            for rq in &s.question {
                if let Some(q) =
                    self.question(rq, section_index, &sversions, &version_ids, &questions)
                {
                    if let Some(prev) = question_spans.get(&q.id) {
                        let prev_line = self.position(prev.start).0;
                        let span = rq
                            .get_ref()
                            .id
                            .as_ref()
                            .map(|s| s.span())
                            .unwrap_or(rq.span());
                        self.error(
                            span,
                            &format!(
                                "duplicate question id `{}` (first used on line {prev_line})",
                                q.id
                            ),
                            "question ids must be unique in the whole file",
                        );
                        continue;
                    }
                    question_spans.insert(q.id.clone(), rq.span());
                    questions.push(q);
                }
            }
        }

        // Breakdowns: one question per breakdown name in any version.
        let mut seen: HashMap<(String, String), String> = HashMap::new();
        for q in &questions {
            if let Some(b) = &q.breakdown {
                for v in &q.versions {
                    if let Some(other) = seen.insert((v.clone(), b.clone()), q.id.clone()) {
                        let span = question_spans.get(&q.id).cloned().unwrap_or(0..0);
                        self.error(
                            span,
                            &format!(
                                "version `{v}` asks two `{b}` breakdown questions: `{other}` and `{}`",
                                q.id
                            ),
                            "give each version one question per breakdown",
                        );
                    }
                }
            }
        }
        for v in &versions {
            if !questions.iter().any(|q| q.asked_in(&v.id)) {
                self.error(
                    raw.version
                        .iter()
                        .find(|rv| rv.get_ref().id.as_ref().map(|s| s.get_ref()) == Some(&v.id))
                        .map(|rv| rv.span())
                        .unwrap_or(0..0),
                    &format!("version `{}` asks no questions", v.id),
                    "add it to some sections or questions",
                );
            }
        }

        self.check_reading(&raw.version, &versions);

        Some(Survey {
            id: id?.0,
            title: title?.0,
            opens: opens?,
            closes: closes?,
            retention: retention?.0,
            privacy: privacy?,
            versions,
            sections,
            questions,
        })
    }

    /// Keeps a text respondents of `versions` read, for [`Checker::check_reading`].
    fn rate(&mut self, text: &Text, versions: &[String], what: &str, span: Range<usize>) {
        self.rated.push(Rated {
            versions: versions.to_vec(),
            text: text.clone(),
            what: what.to_string(),
            span,
        });
    }

    /// Holds each version to its target reading age (see "Reading age" in surveys/FORMAT.md).
    /// A version fails when all its questions, hints and choices together read above its
    /// target; each line that is itself above the target is then reported at its line. Easy-read
    /// versions also fail on any sentence over 15 words.
    fn check_reading(&mut self, raw: &[Spanned<RawVersion>], versions: &[Version]) {
        let rated = std::mem::take(&mut self.rated);
        for v in versions {
            let target = f64::from(v.reading_age);
            let mut counts = Counts::default();
            let mut hard_words: Vec<(String, usize)> = Vec::new();
            let mut too_hard = Vec::new();
            for r in rated.iter().filter(|r| r.versions.contains(&v.id)) {
                let text = r.text.get(&v.id);
                let c = Counts::of(text);
                counts.add(c);
                let line = self.position(r.span.start).0;
                let hard = readability::hard_words(text);
                for w in &hard {
                    if !hard_words.iter().any(|(h, _)| h == w) {
                        hard_words.push((w.clone(), line));
                    }
                }
                // A formula on one to three words says little: such lines are judged by their
                // words alone.
                let age = c.reading_age();
                if (c.words >= 4 && age > target) || (c.words < 4 && !hard.is_empty()) {
                    too_hard.push((r.span.clone(), r.what.clone(), age, c.words, hard));
                }
                let longest = readability::longest_sentence(text);
                if v.easy_read && longest > readability::EASY_READ_MAX_SENTENCE_WORDS {
                    self.error(
                        r.span.clone(),
                        &format!(
                            "{} has a sentence of {longest} words in easy-read version `{}`",
                            r.what, v.id
                        ),
                        &format!(
                            "easy read keeps each sentence to {} words or fewer, one idea each",
                            readability::EASY_READ_MAX_SENTENCE_WORDS
                        ),
                    );
                }
            }
            let reading = VersionReading {
                version: v.id.clone(),
                target: v.reading_age,
                reading_age: counts.reading_age(),
                counts,
                hard_words,
            };
            if !reading.passes() {
                let span = raw
                    .iter()
                    .find(|rv| rv.get_ref().id.as_ref().map(|s| s.get_ref()) == Some(&v.id))
                    .and_then(|rv| rv.get_ref().reading_age.as_ref().map(|a| a.span()))
                    .unwrap_or(0..0);
                self.error(
                    span,
                    &format!(
                        "version `{}` reads at age {:.1}, above its target reading age {}",
                        v.id, reading.reading_age, v.reading_age
                    ),
                    &format!(
                        "the Flesch-Kincaid reading age of all its questions, hints and choices \
                         ({} words, {} sentences, {} syllables); simplify the lines below",
                        counts.words, counts.sentences, counts.syllables
                    ),
                );
                for (span, what, age, words, hard) in too_hard {
                    let words_note = if hard.is_empty() {
                        String::new()
                    } else {
                        format!("; long or rare words: {}", hard.join(", "))
                    };
                    let age_note = if words >= 4 {
                        format!("reads at age {age:.1}")
                    } else {
                        "uses hard words".to_string()
                    };
                    self.error(
                        span,
                        &format!(
                            "{what} is too hard for version `{}` (target reading age {}): \
                             {age_note}{words_note}",
                            v.id, v.reading_age
                        ),
                        "use shorter sentences and short, everyday words",
                    );
                }
            }
            self.readability.push(reading);
        }
    }

    fn question(
        &mut self,
        rq: &Spanned<RawQuestion>,
        section: usize,
        section_versions: &[String],
        known: &HashSet<String>,
        earlier: &[Question],
    ) -> Option<Question> {
        let qspan = rq.span();
        let q = rq.get_ref();
        let (id, id_span) = self.required(&q.id, "id", "a question", qspan.clone())?;
        if !is_id(&id) {
            self.error(
                id_span.clone(),
                &format!("question id `{id}` is not a plain id"),
                "use lower-case letters, digits and hyphens, like `care-setting`",
            );
        }
        let owner = format!("question `{id}`");
        let versions = self.versions_list(&q.versions, section_versions, known, &owner);
        let kind = match &q.kind {
            None => {
                self.error(
                    qspan.clone(),
                    &format!("{owner} has no `type`"),
                    "add `type = \"single\"` (or multiple, scale, yes_no, text, long_text, number)",
                );
                return None;
            }
            Some(k) => match k.get_ref().as_str() {
                "single" => QuestionType::Single,
                "multiple" => QuestionType::Multiple,
                "scale" => QuestionType::Scale,
                "yes_no" => QuestionType::YesNo,
                "text" => QuestionType::Text,
                "long_text" => QuestionType::LongText,
                "number" => QuestionType::Number,
                other => {
                    self.error(
                        k.span(),
                        &format!("{owner} has an unknown type `{other}`"),
                        "use one of: single, multiple, scale, yes_no, text, long_text, number",
                    );
                    return None;
                }
            },
        };
        let text = match &q.text {
            Some(t) => self.text(t, &format!("the text of {owner}"), &versions, known),
            None => {
                self.required(&q.text, "text", &owner, qspan.clone());
                Text::One(String::new())
            }
        };
        let hint = q
            .hint
            .as_ref()
            .map(|h| self.text(h, &format!("the hint of {owner}"), &versions, known));
        if let Some(t) = &q.text {
            self.rate(&text, &versions, &format!("the text of {owner}"), t.span());
        }
        if let (Some(h), Some(raw)) = (&hint, &q.hint) {
            self.rate(h, &versions, &format!("the hint of {owner}"), raw.span());
        }

        // Keys that only make sense for some types.
        let only =
            |ok: bool, key: &str, span: Option<Range<usize>>, this: &mut Self, types: &str| {
                if let (false, Some(span)) = (ok, span) {
                    this.error(
                        span,
                        &format!("`{key}` does not apply to a `{}` question", kind.as_str()),
                        &format!("`{key}` is for {types} questions; remove it"),
                    );
                }
            };
        only(
            matches!(kind, QuestionType::Single | QuestionType::Multiple),
            "choices",
            q.choices.as_ref().map(|c| c.span()),
            self,
            "single and multiple",
        );
        only(
            kind.has_choices(),
            "prefer_not_to_say",
            q.prefer_not_to_say.as_ref().map(|c| c.span()),
            self,
            "choice",
        );
        only(
            kind == QuestionType::Multiple,
            "max_choices",
            q.max_choices.as_ref().map(|c| c.span()),
            self,
            "multiple",
        );
        only(
            kind == QuestionType::Scale,
            "points",
            q.points.as_ref().map(|c| c.span()),
            self,
            "scale",
        );
        only(
            kind == QuestionType::Scale,
            "labels",
            q.labels.as_ref().map(|c| c.span()),
            self,
            "scale",
        );
        only(
            kind.is_free_text(),
            "max_chars",
            q.max_chars.as_ref().map(|c| c.span()),
            self,
            "text and long_text",
        );
        only(
            kind == QuestionType::Number,
            "min",
            q.min.as_ref().map(|c| c.span()),
            self,
            "number",
        );
        only(
            kind == QuestionType::Number,
            "max",
            q.max.as_ref().map(|c| c.span()),
            self,
            "number",
        );

        let mut choices = Vec::new();
        match kind {
            QuestionType::Single | QuestionType::Multiple => match &q.choices {
                None => self.error(
                    qspan.clone(),
                    &format!("{owner} has no choices"),
                    "add `choices = [{ id = \"...\", label = \"...\" }, ...]`",
                ),
                Some(list) if list.get_ref().is_empty() => self.error(
                    list.span(),
                    &format!("{owner} has an empty list of choices"),
                    "add at least two choices",
                ),
                Some(list) => {
                    let mut ids = HashSet::new();
                    for rc in list.get_ref() {
                        let c = rc.get_ref();
                        let cid = self.required(&c.id, "id", "a choice", rc.span());
                        let label = match &c.label {
                            Some(l) => {
                                let t = self.text(l, "a choice label", &versions, known);
                                self.rate(&t, &versions, &format!("a choice of {owner}"), l.span());
                                Some(t)
                            }
                            None => {
                                self.required(&c.label, "label", "a choice", rc.span());
                                None
                            }
                        };
                        if let Some((cid, sp)) = cid {
                            if !is_choice_id(&cid) {
                                self.error(
                                    sp.clone(),
                                    &format!("choice id `{cid}` is not a plain id"),
                                    "use lower-case letters, digits, hyphens and underscores",
                                );
                            } else if cid == PREFER_NOT_TO_SAY {
                                self.error(
                                    sp.clone(),
                                    "`prefer_not_to_say` is a reserved choice id",
                                    "set `prefer_not_to_say = true` on the question instead",
                                );
                            }
                            if !ids.insert(cid.clone()) {
                                self.error(
                                    sp,
                                    &format!("duplicate choice id `{cid}` in {owner}"),
                                    "each choice of a question needs its own id",
                                );
                            }
                            if let Some(label) = label {
                                choices.push(Choice { id: cid, label });
                            }
                        }
                    }
                }
            },
            QuestionType::Scale => {
                let points = match &q.points {
                    None => 5,
                    Some(p) if matches!(p.get_ref(), 3 | 5) => *p.get_ref() as usize,
                    Some(p) => {
                        self.error(
                            p.span(),
                            &format!("a scale has 3 or 5 points, not {}", p.get_ref()),
                            "use `points = 5`, or `points = 3` for the youngest",
                        );
                        5
                    }
                };
                let labels: Vec<Text> = match &q.labels {
                    Some(ls) => {
                        if ls.get_ref().len() != points {
                            self.error(
                                ls.span(),
                                &format!(
                                    "{owner} has {} labels for {points} points",
                                    ls.get_ref().len()
                                ),
                                "give one label per point, lowest first",
                            );
                        }
                        ls.get_ref()
                            .iter()
                            .map(|l| {
                                let t = self.text(l, "a scale label", &versions, known);
                                self.rate(&t, &versions, &format!("a label of {owner}"), l.span());
                                t
                            })
                            .collect()
                    }
                    None => default_scale_labels(points)
                        .into_iter()
                        .map(|s| Text::One(s.to_string()))
                        .collect(),
                };
                for (i, label) in labels.into_iter().enumerate().take(points) {
                    choices.push(Choice {
                        id: (i + 1).to_string(),
                        label,
                    });
                }
            }
            QuestionType::YesNo => {
                choices.push(Choice {
                    id: "yes".into(),
                    label: Text::One("Yes".into()),
                });
                choices.push(Choice {
                    id: "no".into(),
                    label: Text::One("No".into()),
                });
            }
            _ => {}
        }
        if kind.has_choices() && q.prefer_not_to_say.as_ref().is_some_and(|p| *p.get_ref()) {
            choices.push(Choice {
                id: PREFER_NOT_TO_SAY.into(),
                label: Text::One("Prefer not to say".into()),
            });
        }
        // Labels Heard writes (yes/no, default scale labels, "Prefer not to say") count towards
        // the version's reading age too; they are blamed on the question's first line.
        let generated = match kind {
            QuestionType::YesNo => choices.len(),
            QuestionType::Scale if q.labels.is_none() => choices.len(),
            _ if kind.has_choices() => {
                usize::from(q.prefer_not_to_say.as_ref().is_some_and(|p| *p.get_ref()))
            }
            _ => 0,
        };
        for c in &choices[choices.len() - generated.min(choices.len())..] {
            self.rate(
                &c.label,
                &versions,
                &format!("a choice of {owner}"),
                qspan.clone(),
            );
        }

        let max_choices = match (&q.max_choices, kind) {
            (Some(m), QuestionType::Multiple) => {
                let n = *m.get_ref();
                if n < 1 || n as usize > choices.len().max(1) {
                    self.error(
                        m.span(),
                        &format!(
                            "`max_choices` is {n}, but there are {} choices",
                            choices.len()
                        ),
                        "use a number from 1 to the number of choices",
                    );
                    None
                } else {
                    Some(n as usize)
                }
            }
            _ => None,
        };
        let max_chars = if kind.is_free_text() {
            let default = if kind == QuestionType::Text {
                DEFAULT_SHORT_TEXT
            } else {
                DEFAULT_LONG_TEXT
            };
            match &q.max_chars {
                None => Some(default),
                Some(m) => {
                    let n = *m.get_ref();
                    if n < 1 || n as usize > MAX_TEXT_LIMIT {
                        self.error(
                            m.span(),
                            &format!("`max_chars` is {n}"),
                            &format!("use a limit from 1 to {MAX_TEXT_LIMIT} characters"),
                        );
                        Some(default)
                    } else {
                        Some(n as usize)
                    }
                }
            }
        } else {
            None
        };
        let (min, max) = (
            q.min.as_ref().map(|m| *m.get_ref()),
            q.max.as_ref().map(|m| *m.get_ref()),
        );
        if let (Some(lo), Some(hi), Some(ms)) = (min, max, q.max.as_ref())
            && lo > hi
        {
            self.error(
                ms.span(),
                &format!("`max` ({hi}) is less than `min` ({lo})"),
                "`max` must be at least `min`",
            );
        }

        let breakdown = match &q.breakdown {
            Some(b) => {
                let name = b.get_ref();
                if kind != QuestionType::Single {
                    self.error(
                        b.span(),
                        &format!(
                            "a breakdown must be a `single` question, not `{}`",
                            kind.as_str()
                        ),
                        "people are counted in one group each, so use `type = \"single\"`",
                    );
                }
                if name.is_empty() || !name.bytes().all(|c| c.is_ascii_lowercase() || c == b'_') {
                    self.error(
                        b.span(),
                        &format!("breakdown name `{name}` is not a plain name"),
                        "use lower-case letters and underscores, like `care_setting`",
                    );
                }
                Some(name.clone())
            }
            None => None,
        };

        let show_if = q
            .show_if
            .as_ref()
            .and_then(|c| self.condition(c, &owner, &versions, earlier));

        Some(Question {
            line: self.position(qspan.start).0,
            id,
            section,
            kind,
            text,
            hint,
            required: q.required,
            versions,
            breakdown,
            choices,
            max_choices,
            max_chars,
            min,
            max,
            show_if,
        })
    }

    fn condition(
        &mut self,
        rc: &Spanned<RawCondition>,
        owner: &str,
        versions: &[String],
        earlier: &[Question],
    ) -> Option<Condition> {
        let c = rc.get_ref();
        let (target, tspan) = self.required(&c.question, "question", "`show_if`", rc.span())?;
        let values: Vec<(String, Range<usize>)> = match (&c.equals, &c.any_of) {
            (Some(e), None) => vec![(e.get_ref().as_choice_id(), e.span())],
            (None, Some(a)) if !a.get_ref().is_empty() => a
                .get_ref()
                .iter()
                .map(|v| (v.as_choice_id(), a.span()))
                .collect(),
            (None, Some(a)) => {
                self.error(a.span(), "`any_of` is empty", "list at least one choice id");
                return None;
            }
            _ => {
                self.error(
                    rc.span(),
                    &format!("the condition of {owner} needs one of `equals` or `any_of`"),
                    "write `show_if = { question = \"...\", equals = \"...\" }`",
                );
                return None;
            }
        };
        let Some(t) = earlier.iter().find(|q| q.id == target) else {
            self.error(
                tspan,
                &format!("{owner} is shown if `{target}`, which is not an earlier question"),
                "a condition can only name a question asked before it",
            );
            return None;
        };
        if !t.kind.has_choices() {
            self.error(
                tspan,
                &format!(
                    "{owner} depends on `{target}`, a `{}` question",
                    t.kind.as_str()
                ),
                "conditions can only use single, multiple, scale or yes_no questions",
            );
            return None;
        }
        let missing: Vec<&String> = versions.iter().filter(|v| !t.asked_in(v)).collect();
        if !missing.is_empty() {
            self.error(
                tspan.clone(),
                &format!(
                    "{owner} depends on `{target}`, which version `{}` does not ask",
                    missing[0]
                ),
                "restrict this question's `versions`, or ask the earlier question in them too",
            );
        }
        for (v, span) in &values {
            if t.choice(v).is_none() {
                self.error(
                    span.clone(),
                    &format!("`{target}` has no choice `{v}`"),
                    &format!(
                        "its choices are: {}",
                        t.choices
                            .iter()
                            .map(|c| c.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
        Some(Condition {
            question: target,
            values: values.into_iter().map(|v| v.0).collect(),
        })
    }
}

fn sorted(it: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = it.collect();
    v.sort();
    v
}

/// Reads every `*.toml` file in the given files or folders, in a stable order.
pub fn survey_paths(inputs: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}
