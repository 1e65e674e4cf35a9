//! Themes of a free-text question as the review team sees them: the machine's runs, kept with
//! their options and seed, and the analysts' corrections (names, merges, splits, moves, quotes,
//! redactions). A new run is reconciled with the themes as corrected (see [`reconcile`]), so
//! the corrections outlive it. Every correction is written with its audit entry.
use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::review::{audit, now_text};
use super::{Result, Store, StoreError};

/// What replaces a phrase an analyst redacts by hand.
pub const REDACTED: &str = "[redacted]";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThemeRun {
    pub id: i64,
    pub status: String,
    pub options: String,
    pub seed: i64,
    pub k: Option<i64>,
    pub k_choice: Option<String>,
    pub answers: i64,
    pub software: String,
    pub started_by: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThemeRow {
    pub id: i64,
    pub label: String,
    pub named_by_analyst: bool,
    pub terms: Vec<String>,
    pub representatives: Vec<i64>,
    pub origin: String,
    pub run_id: Option<i64>,
}

/// One free-text answer, masked, with its theme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThemedAnswer {
    pub response_id: i64,
    pub version_id: String,
    pub channel: String,
    pub text: String,
    pub quote: bool,
    pub theme_id: Option<i64>,
    pub placed_by_analyst: bool,
}

/// A theme the machine made in a run: its label, terms, representatives and members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachineTheme {
    pub label: String,
    pub terms: Vec<String>,
    pub representatives: Vec<i64>,
    pub members: Vec<i64>,
}

/// A finished run's result, to reconcile with the corrected themes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunResult {
    pub k: usize,
    pub k_choice: String,
    /// How the run was made, as it turned out (the method used, the model and its checksum):
    /// replaces what was recorded when it started.
    pub software: String,
    pub answers: usize,
    pub themes: Vec<MachineTheme>,
}

/// The themes as they stand, for [`reconcile`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentTheme {
    pub id: i64,
    pub members: Vec<(i64, bool)>,
}

/// What a new run becomes once reconciled: for each machine theme, the current theme it
/// continues (or `None` for a new theme), and the answers that stay where an analyst put them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconciled {
    pub continues: Vec<Option<i64>>,
    /// Current themes no machine theme continues and no analyst placed an answer in.
    pub retired: Vec<i64>,
}

/// Matches a new run's themes to the themes as corrected. A machine theme continues the current
/// theme that holds most of its answers, if that is at least half of its answers that had a
/// theme; several machine themes may continue one theme (so a merge stays merged). Answers an
/// analyst placed stay placed, so their themes are never retired.
pub fn reconcile(current: &[CurrentTheme], new: &[MachineTheme]) -> Reconciled {
    let mut theme_of: HashMap<i64, i64> = HashMap::new();
    let mut placed_in: HashSet<i64> = HashSet::new();
    for t in current {
        for &(answer, placed) in &t.members {
            theme_of.insert(answer, t.id);
            if placed {
                placed_in.insert(t.id);
            }
        }
    }
    let continues: Vec<Option<i64>> = new
        .iter()
        .map(|m| {
            let mut overlap: BTreeMap<i64, usize> = BTreeMap::new();
            let mut had_theme = 0;
            for a in &m.members {
                if let Some(&t) = theme_of.get(a) {
                    *overlap.entry(t).or_default() += 1;
                    had_theme += 1;
                }
            }
            // Ties go to the older (smaller) theme id: deterministic.
            let best = overlap
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(&t, &n)| (t, n));
            best.filter(|&(_, n)| had_theme > 0 && 2 * n >= had_theme)
                .map(|(t, _)| t)
        })
        .collect();
    let kept: HashSet<i64> = continues.iter().flatten().copied().collect();
    let retired = current
        .iter()
        .map(|t| t.id)
        .filter(|id| !kept.contains(id) && !placed_in.contains(id))
        .collect();
    Reconciled { continues, retired }
}

fn json_ids(s: &str) -> Vec<i64> {
    serde_json::from_str(s).unwrap_or_default()
}

pub(super) fn theme_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ThemeRow> {
    Ok(ThemeRow {
        id: r.get(0)?,
        label: r.get(1)?,
        named_by_analyst: r.get::<_, i64>(2)? != 0,
        terms: serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or_default(),
        representatives: json_ids(&r.get::<_, String>(4)?),
        origin: r.get(5)?,
        run_id: r.get(6)?,
    })
}

pub(super) fn run_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ThemeRun> {
    Ok(ThemeRun {
        id: r.get(0)?,
        status: r.get(1)?,
        options: r.get(2)?,
        seed: r.get(3)?,
        k: r.get(4)?,
        k_choice: r.get(5)?,
        answers: r.get(6)?,
        software: r.get(7)?,
        started_by: r.get(8)?,
        started_at: r.get(9)?,
        finished_at: r.get(10)?,
        error: r.get(11)?,
    })
}

pub(super) const RUN_COLUMNS: &str = "id, status, options, seed, k, k_choice, answers, software, started_by, \
     started_at, finished_at, error";
pub(super) const THEME_COLUMNS: &str =
    "id, label, named_by_analyst, terms, representatives, origin, run_id";

fn current_themes(c: &Connection, survey: &str, question: &str) -> Result<Vec<CurrentTheme>> {
    let mut st = c.prepare_cached(
        "SELECT t.id, ta.response_id, ta.placed_by_analyst FROM themes t
         JOIN theme_answers ta ON ta.theme_id = t.id
         WHERE t.survey_id = ?1 AND t.question_id = ?2 AND t.active = 1 ORDER BY t.id",
    )?;
    let rows = st.query_map(params![survey, question], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)? != 0,
        ))
    })?;
    let mut out: Vec<CurrentTheme> = Vec::new();
    for row in rows {
        let (t, a, placed) = row?;
        match out.last_mut() {
            Some(last) if last.id == t => last.members.push((a, placed)),
            _ => out.push(CurrentTheme {
                id: t,
                members: vec![(a, placed)],
            }),
        }
    }
    Ok(out)
}

/// The theme `theme_id` of (survey, question), active, or an error naming what is wrong.
fn active_theme(c: &Connection, survey: &str, question: &str, theme_id: i64) -> Result<String> {
    c.query_row(
        "SELECT label FROM themes WHERE id = ?1 AND survey_id = ?2 AND question_id = ?3 AND active = 1",
        params![theme_id, survey, question],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| StoreError::Database(format!("theme {theme_id} is not one of this question's themes")))
}

fn subject(survey: &str, question: &str) -> String {
    format!("{survey}/{question}")
}

impl Store {
    /// Records the start of a run and returns its id.
    #[allow(clippy::too_many_arguments)]
    pub async fn start_theme_run(
        &self,
        survey: &str,
        question: &str,
        options: String,
        seed: u64,
        software: &str,
        user: &str,
    ) -> Result<i64> {
        let (s, q, sw, u) = (
            survey.to_owned(),
            question.to_owned(),
            software.to_owned(),
            user.to_owned(),
        );
        self.write(move |c| {
            c.execute(
                "INSERT INTO theme_runs (survey_id, question_id, status, options, seed, software, started_by, started_at)
                 VALUES (?1, ?2, 'running', ?3, ?4, ?5, ?6, ?7)",
                params![s, q, options, seed as i64, sw, u, now_text()],
            )?;
            let id = c.last_insert_rowid();
            audit(c, &u, "themes run started", &subject(&s, &q), &format!("run {id}, {options}"))?;
            Ok(id)
        })
        .await
    }

    pub async fn fail_theme_run(&self, run_id: i64, error: &str) -> Result<()> {
        let e = error.to_owned();
        self.write(move |c| {
            c.execute(
                "UPDATE theme_runs SET status = 'failed', error = ?2, finished_at = ?3 WHERE id = ?1",
                params![run_id, e, now_text()],
            )?;
            Ok(())
        })
        .await
    }

    /// Stores a finished run, reconciled with the corrected themes: continued themes keep their
    /// ids and analyst names, answers an analyst placed stay placed, the rest follow the run.
    pub async fn finish_theme_run(&self, run_id: i64, result: RunResult) -> Result<()> {
        // Alone: a run places every answer to a question, hundreds of thousands of rows at the
        // largest, which inside a shared transaction's savepoint slows as the square of its size.
        self.write_alone(move |c| {
            let (survey, question): (String, String) = c.query_row(
                "SELECT survey_id, question_id FROM theme_runs WHERE id = ?1",
                [run_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let current = current_themes(c, &survey, &question)?;
            let placed: HashSet<i64> = current
                .iter()
                .flat_map(|t| t.members.iter().filter(|m| m.1).map(|m| m.0))
                .collect();
            let plan = reconcile(&current, &result.themes);
            // Several machine themes continuing one theme: the largest gives its terms.
            let mut largest: HashMap<i64, usize> = HashMap::new();
            for (i, cont) in plan.continues.iter().enumerate() {
                if let Some(t) = cont {
                    let e = largest.entry(*t).or_insert(i);
                    if result.themes[i].members.len() > result.themes[*e].members.len() {
                        *e = i;
                    }
                }
            }
            for id in &plan.retired {
                c.execute("UPDATE themes SET active = 0 WHERE id = ?1", [id])?;
            }
            // Answers not placed by an analyst are re-assigned by this run (or left unthemed).
            c.execute(
                "DELETE FROM theme_answers WHERE placed_by_analyst = 0 AND question_id = ?2
                 AND response_id IN (SELECT id FROM responses WHERE survey_id = ?1)",
                params![survey, question],
            )?;
            let mut assign = c.prepare_cached(
                "INSERT OR IGNORE INTO theme_answers (response_id, question_id, theme_id) VALUES (?1, ?2, ?3)",
            )?;
            for (i, m) in result.themes.iter().enumerate() {
                let terms = serde_json::to_string(&m.terms).unwrap_or_else(|_| "[]".into());
                let reps = serde_json::to_string(&m.representatives).unwrap_or_else(|_| "[]".into());
                let id = match plan.continues[i] {
                    Some(t) => {
                        if largest.get(&t) == Some(&i) {
                            c.execute(
                                "UPDATE themes SET terms = ?2, representatives = ?3, run_id = ?4,
                                 label = CASE WHEN named_by_analyst = 1 THEN label ELSE ?5 END
                                 WHERE id = ?1",
                                params![t, terms, reps, run_id, m.label],
                            )?;
                        }
                        t
                    }
                    None => {
                        c.execute(
                            "INSERT INTO themes (survey_id, question_id, label, terms, representatives, run_id)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                            params![survey, question, m.label, terms, reps, run_id],
                        )?;
                        c.last_insert_rowid()
                    }
                };
                for a in &m.members {
                    if !placed.contains(a) {
                        assign.execute(params![a, question, id])?;
                    }
                }
            }
            c.execute(
                "UPDATE theme_runs SET status = 'done', k = ?2, k_choice = ?3, answers = ?4, finished_at = ?5,
                 software = ?6 WHERE id = ?1",
                params![
                    run_id,
                    result.k as i64,
                    result.k_choice,
                    result.answers as i64,
                    now_text(),
                    result.software
                ],
            )?;
            Ok(())
        })
        .await
    }

    pub fn theme_runs(&self, survey: &str, question: &str) -> Result<Vec<ThemeRun>> {
        self.read(|c| {
            let mut st = c.prepare(&format!(
                "SELECT {RUN_COLUMNS} FROM theme_runs WHERE survey_id = ?1 AND question_id = ?2 ORDER BY id DESC"
            ))?;
            let rows = st.query_map(params![survey, question], run_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    pub fn theme_run(&self, run_id: i64) -> Result<Option<ThemeRun>> {
        self.read(|c| {
            Ok(c.query_row(
                &format!("SELECT {RUN_COLUMNS} FROM theme_runs WHERE id = ?1"),
                [run_id],
                run_row,
            )
            .optional()?)
        })
    }

    /// Runs left 'running' by a server that stopped: marked failed at start-up.
    pub async fn fail_interrupted_runs(&self) -> Result<usize> {
        self.write(|c| {
            Ok(c.execute(
                "UPDATE theme_runs SET status = 'failed', error = 'the server stopped during the run',
                 finished_at = ?1 WHERE status = 'running'",
                [now_text()],
            )?)
        })
        .await
    }

    /// The active themes of a question.
    pub fn themes(&self, survey: &str, question: &str) -> Result<Vec<ThemeRow>> {
        self.read(|c| {
            let mut st = c.prepare(&format!(
                "SELECT {THEME_COLUMNS} FROM themes WHERE survey_id = ?1 AND question_id = ?2 AND active = 1
                 ORDER BY id"
            ))?;
            let rows = st.query_map(params![survey, question], theme_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Every answer to a free-text question, masked, with its theme.
    pub fn themed_answers(&self, survey: &str, question: &str) -> Result<Vec<ThemedAnswer>> {
        self.read(|c| {
            let mut st = c.prepare(
                "SELECT r.id, r.version_id, r.channel, coalesce(a.masked, ''), a.quote, ta.theme_id,
                        coalesce(ta.placed_by_analyst, 0)
                 FROM responses r JOIN answers a ON a.response_id = r.id AND a.question_id = ?2
                 LEFT JOIN theme_answers ta ON ta.response_id = r.id AND ta.question_id = ?2
                 WHERE r.survey_id = ?1 AND a.text IS NOT NULL ORDER BY r.id",
            )?;
            let rows = st.query_map(params![survey, question], super::explorer::member)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    pub async fn rename_theme(
        &self,
        survey: &str,
        question: &str,
        theme_id: i64,
        label: &str,
        user: &str,
    ) -> Result<()> {
        let (s, q, l, u) = (
            survey.to_owned(),
            question.to_owned(),
            label.to_owned(),
            user.to_owned(),
        );
        self.write(move |c| {
            let old = active_theme(c, &s, &q, theme_id)?;
            c.execute(
                "UPDATE themes SET label = ?2, named_by_analyst = 1 WHERE id = ?1",
                params![theme_id, l],
            )?;
            audit(
                c,
                &u,
                "theme renamed",
                &subject(&s, &q),
                &format!("theme {theme_id}: {old} -> {l}"),
            )
        })
        .await
    }

    /// Merges `others` into `into`: their answers move (keeping whether an analyst placed them)
    /// and they are retired.
    pub async fn merge_themes(
        &self,
        survey: &str,
        question: &str,
        into: i64,
        others: Vec<i64>,
        user: &str,
    ) -> Result<()> {
        let (s, q, u) = (survey.to_owned(), question.to_owned(), user.to_owned());
        self.write(move |c| {
            active_theme(c, &s, &q, into)?;
            for o in others.iter().filter(|&&o| o != into) {
                active_theme(c, &s, &q, *o)?;
                c.execute(
                    "UPDATE theme_answers SET theme_id = ?2 WHERE theme_id = ?1",
                    params![o, into],
                )?;
                c.execute("UPDATE themes SET active = 0 WHERE id = ?1", [o])?;
            }
            let list: Vec<String> = others.iter().map(|o| o.to_string()).collect();
            audit(
                c,
                &u,
                "themes merged",
                &subject(&s, &q),
                &format!("themes {} into {into}", list.join(", ")),
            )
        })
        .await
    }

    /// Replaces theme `theme_id` by `parts` (made by clustering inside it). The answers are
    /// placed by an analyst's decision, so they keep their new themes through later runs.
    pub async fn split_theme(
        &self,
        survey: &str,
        question: &str,
        theme_id: i64,
        parts: Vec<MachineTheme>,
        user: &str,
    ) -> Result<Vec<i64>> {
        let (s, q, u) = (survey.to_owned(), question.to_owned(), user.to_owned());
        self.write(move |c| {
            active_theme(c, &s, &q, theme_id)?;
            let mut ids = Vec::new();
            for p in &parts {
                c.execute(
                    "INSERT INTO themes (survey_id, question_id, label, terms, representatives, origin)
                     VALUES (?1, ?2, ?3, ?4, ?5, 'split')",
                    params![
                        s, q, p.label,
                        serde_json::to_string(&p.terms).unwrap_or_else(|_| "[]".into()),
                        serde_json::to_string(&p.representatives).unwrap_or_else(|_| "[]".into())
                    ],
                )?;
                let id = c.last_insert_rowid();
                for a in &p.members {
                    c.execute(
                        "UPDATE theme_answers SET theme_id = ?3, placed_by_analyst = 1
                         WHERE response_id = ?1 AND question_id = ?2 AND theme_id = ?4",
                        params![a, q, id, theme_id],
                    )?;
                }
                ids.push(id);
            }
            // Anything the split did not cover stays in the old theme, which then stays active.
            let left: i64 = c.query_row("SELECT count(*) FROM theme_answers WHERE theme_id = ?1", [theme_id], |r| r.get(0))?;
            if left == 0 {
                c.execute("UPDATE themes SET active = 0 WHERE id = ?1", [theme_id])?;
            }
            let list: Vec<String> = ids.iter().map(|o| o.to_string()).collect();
            audit(c, &u, "theme split", &subject(&s, &q), &format!("theme {theme_id} into {}", list.join(", ")))?;
            Ok(ids)
        })
        .await
    }

    /// Puts one answer in theme `theme_id`; it stays there through later runs.
    pub async fn move_answer(
        &self,
        survey: &str,
        question: &str,
        response_id: i64,
        theme_id: i64,
        user: &str,
    ) -> Result<()> {
        let (s, q, u) = (survey.to_owned(), question.to_owned(), user.to_owned());
        self.write(move |c| {
            active_theme(c, &s, &q, theme_id)?;
            let exists: bool = c.query_row(
                "SELECT EXISTS (SELECT 1 FROM answers a JOIN responses r ON r.id = a.response_id
                 WHERE r.id = ?1 AND r.survey_id = ?2 AND a.question_id = ?3 AND a.text IS NOT NULL)",
                params![response_id, s, q],
                |r| r.get(0),
            )?;
            if !exists {
                return Err(StoreError::Database(format!("there is no answer {response_id} to this question")));
            }
            c.execute(
                "INSERT INTO theme_answers (response_id, question_id, theme_id, placed_by_analyst) VALUES (?1, ?2, ?3, 1)
                 ON CONFLICT (response_id, question_id) DO UPDATE SET theme_id = ?3, placed_by_analyst = 1",
                params![response_id, q, theme_id],
            )?;
            audit(c, &u, "answer moved", &subject(&s, &q), &format!("answer {response_id} to theme {theme_id}"))
        })
        .await
    }

    /// Marks (or unmarks) an answer as a quote for reports.
    pub async fn mark_quote(
        &self,
        survey: &str,
        question: &str,
        response_id: i64,
        quote: bool,
        user: &str,
    ) -> Result<bool> {
        let (s, q, u) = (survey.to_owned(), question.to_owned(), user.to_owned());
        self.write(move |c| {
            let n = c.execute(
                "UPDATE answers SET quote = ?4 WHERE response_id = ?1 AND question_id = ?3
                 AND text IS NOT NULL AND response_id IN (SELECT id FROM responses WHERE survey_id = ?2)",
                params![response_id, s, q, quote as i64],
            )?;
            if n > 0 {
                let what = if quote { "marked as a quote" } else { "unmarked as a quote" };
                audit(c, &u, what, &subject(&s, &q), &format!("answer {response_id}"))?;
            }
            Ok(n > 0)
        })
        .await
    }

    /// Replaces every occurrence of `phrase` in the masked text of one answer by [`REDACTED`].
    /// Returns how many were replaced. The original stays for the safeguarding lead only.
    pub async fn redact(
        &self,
        survey: &str,
        question: &str,
        response_id: i64,
        phrase: &str,
        user: &str,
    ) -> Result<usize> {
        let (s, q, p, u) = (
            survey.to_owned(),
            question.to_owned(),
            phrase.to_owned(),
            user.to_owned(),
        );
        self.write(move |c| {
            let masked: Option<String> = c
                .query_row(
                    "SELECT a.masked FROM answers a JOIN responses r ON r.id = a.response_id
                     WHERE r.id = ?1 AND r.survey_id = ?2 AND a.question_id = ?3 AND a.text IS NOT NULL",
                    params![response_id, s, q],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            let Some(masked) = masked else {
                return Err(StoreError::Database(format!("there is no answer {response_id} to this question")));
            };
            let n = masked.matches(p.as_str()).count();
            if n == 0 || p.trim().is_empty() {
                return Ok(0);
            }
            c.execute(
                "UPDATE answers SET masked = ?4 WHERE response_id = ?1 AND question_id = ?3
                 AND response_id IN (SELECT id FROM responses WHERE survey_id = ?2)",
                params![response_id, s, q, masked.replace(p.as_str(), REDACTED)],
            )?;
            // The phrase itself is personal data: the log says how much, not what.
            audit(c, &u, "redacted", &subject(&s, &q), &format!("answer {response_id}: {n} place(s), {} characters", p.chars().count()))?;
            Ok(n)
        })
        .await
    }

    /// Free-text answers stored without masked text (from before screening and masking
    /// existed): the caller screens and masks them with [`Store::protect_stored`].
    pub fn answers_without_mask(&self, limit: i64) -> Result<Vec<(i64, String, String)>> {
        self.read(|c| {
            let mut st = c.prepare(UNMASKED)?;
            let rows = st.query_map([limit], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Stores the masked text and flags of responses already stored.
    pub async fn protect_stored(&self, rows: Vec<(i64, super::Protection)>) -> Result<()> {
        self.write(move |c| {
            for (response_id, p) in &rows {
                super::respondent::protect(c, *response_id, p)?;
            }
            Ok(())
        })
        .await
    }
}

/// Answers with text and no masked copy, oldest first (read through `answers_unmasked`).
const UNMASKED: &str = "SELECT response_id, question_id, text FROM answers
     WHERE text IS NOT NULL AND masked IS NULL ORDER BY response_id LIMIT ?1";

#[cfg(test)]
mod tests {
    use super::*;

    fn machine(members: &[i64]) -> MachineTheme {
        MachineTheme {
            label: "m".into(),
            terms: vec![],
            representatives: vec![],
            members: members.to_vec(),
        }
    }

    #[test]
    fn the_start_up_backfill_finds_unmasked_answers_through_their_index() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("h.db")).expect("store");
        let plan = store
            .read(|c| {
                let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {UNMASKED}"))?;
                let rows = st.query_map([10], |r| r.get::<_, String>(3))?;
                Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?.join("; "))
            })
            .expect("plan");
        assert!(
            plan.contains("INDEX answers_unmasked") && !plan.contains("TEMP B-TREE"),
            "{plan}"
        );
    }

    #[test]
    fn a_run_continues_the_themes_it_mostly_overlaps_and_keeps_merges() {
        let current = vec![
            CurrentTheme {
                id: 10,
                members: vec![(1, false), (2, false), (3, false), (4, false)],
            },
            CurrentTheme {
                id: 11,
                members: vec![(5, false), (6, false)],
            },
            CurrentTheme {
                id: 12,
                members: vec![(7, true)],
            },
        ];
        // The machine splits theme 10 in two again (an analyst had merged it) and finds new answers.
        let new = vec![
            machine(&[1, 2, 20]),
            machine(&[3, 4, 21]),
            machine(&[30, 31]),
            machine(&[5, 7]),
        ];
        let r = reconcile(&current, &new);
        assert_eq!(r.continues, vec![Some(10), Some(10), None, Some(11)]);
        // 12 holds an answer an analyst placed: it is kept though no machine theme continues it.
        assert!(r.retired.is_empty());
        let r = reconcile(&current[..2], &[machine(&[1, 2, 3])]);
        assert_eq!(r.retired, vec![11]);
    }

    #[test]
    fn a_machine_theme_with_only_a_minority_from_one_theme_is_new() {
        let current = vec![
            CurrentTheme {
                id: 1,
                members: vec![(1, false)],
            },
            CurrentTheme {
                id: 2,
                members: vec![(2, false)],
            },
            CurrentTheme {
                id: 3,
                members: vec![(3, false)],
            },
        ];
        let r = reconcile(&current, &[machine(&[1, 2, 3])]);
        assert_eq!(r.continues, vec![None]);
        assert_eq!(r.retired, vec![1, 2, 3]);
    }
}
