//! Which questions are breakdowns, for the counts the database keeps by trigger (migration 6),
//! and a recount of every kept count from the answers themselves, to check them.
use rusqlite::{Connection, params};

use foldhash::{HashMap, HashMapExt};

use super::{Result, Store};
use crate::Survey;
use crate::survey::Answers;

/// The breakdown the workspace's pages count answers by (the dashboard's tables and the themes
/// explorer's shares): the care setting. Counting by every breakdown would keep a count for
/// every pair of a breakdown answer and another answer, several times the work at each
/// submission for tables no page shows.
pub const COUNTED_BREAKDOWN: &str = "care_setting";

/// The questions of `survey` that carry [`COUNTED_BREAKDOWN`] (one per version at most).
pub fn counted_breakdown_questions(survey: &Survey) -> Vec<String> {
    survey
        .questions
        .iter()
        .filter(|q| q.breakdown.as_deref() == Some(COUNTED_BREAKDOWN))
        .map(|q| q.id.clone())
        .collect()
}

/// Breakdown counts of a survey rebuilt from its answers and places in themes, for the
/// breakdown questions now in `breakdown_questions`.
fn rebuild_breakdowns(c: &Connection, survey: &str) -> Result<()> {
    c.execute("DELETE FROM breakdown_tally WHERE survey_id = ?1", [survey])?;
    c.execute(
        "DELETE FROM theme_breakdown_tally
         WHERE theme_id IN (SELECT id FROM themes WHERE survey_id = ?1)",
        [survey],
    )?;
    c.execute(
        "INSERT INTO breakdown_tally
         SELECT r.survey_id, b.question_id, b.value, a.question_id, a.value, count(*)
         FROM responses r
         JOIN breakdown_questions bq ON bq.survey_id = r.survey_id
         JOIN answers b ON b.response_id = r.id AND b.question_id = bq.question_id
         JOIN answers a ON a.response_id = r.id AND a.text IS NULL
         WHERE r.survey_id = ?1 GROUP BY 1, 2, 3, 4, 5",
        [survey],
    )?;
    c.execute(
        "INSERT INTO theme_breakdown_tally
         SELECT ta.theme_id, b.question_id, b.value, count(*)
         FROM themes t
         JOIN theme_answers ta ON ta.theme_id = t.id
         JOIN breakdown_questions bq ON bq.survey_id = t.survey_id
         JOIN answers b ON b.response_id = ta.response_id AND b.question_id = bq.question_id
         WHERE t.survey_id = ?1 GROUP BY 1, 2, 3",
        [survey],
    )?;
    Ok(())
}

/// Runs `f`, which stores responses in bulk inside the caller's transaction, with the insert
/// count triggers dropped, and puts them back as they were: the caller then counts what it
/// stored with [`count_stored`], all at once. Dropped, not set aside by a condition: an insert
/// that may fire a trigger costs SQLite a statement journal even when the trigger stands aside.
/// All inside the caller's transaction: no other connection ever sees the schema without them,
/// and a failure takes the drop back with everything else.
pub(super) fn triggers_aside<T>(c: &Connection, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let kept: Vec<(String, String)> = {
        let mut st = c.prepare(
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'trigger' AND name IN ('response_counted', 'answer_counted')",
        )?;
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    for (name, _) in &kept {
        c.execute_batch(&format!("DROP TRIGGER {name}"))?;
    }
    let out = f();
    for (_, sql) in &kept {
        c.execute_batch(sql)?;
    }
    out
}

/// Counts responses stored with the triggers aside, as the triggers would have counted them one
/// by one: each (version, answers) of `survey` from `channel` on `day`. Counted in memory, so
/// the database sees one upsert per distinct count, not one per answer.
pub(super) fn count_stored<'a>(
    c: &Connection,
    survey: &str,
    channel: &str,
    day: &str,
    stored: impl Iterator<Item = (&'a str, &'a Answers, &'a [String])>,
) -> Result<()> {
    let breakdowns = recorded(c, survey)?;
    // Each answer's tallied value made once, so the counts below borrow their keys: cloning
    // four strings for every (breakdown, answer) pair was most of this function's time.
    // A text answer is tallied as answered (its stored value, ''), never by its words.
    let valued: Vec<(&str, Vec<Tallied<'_>>)> = stored
        .map(|(version, given, values)| {
            let values = given
                .iter()
                .zip(values)
                .map(|((q, a), v)| (q.as_str(), v.as_str(), a.text().is_some()))
                .collect();
            (version, values)
        })
        .collect();
    let mut responses: HashMap<&str, i64> = HashMap::new();
    let mut answers: HashMap<(&str, &str, &str), i64> = HashMap::new();
    let mut by_group: HashMap<(&str, &str, &str, &str), i64> = HashMap::new();
    for (version, values) in &valued {
        *responses.entry(version).or_default() += 1;
        for (q, v, _) in values {
            *answers.entry((q, version, v)).or_default() += 1;
        }
        for (bq, bv, _) in values
            .iter()
            .filter(|(q, _, _)| breakdowns.iter().any(|b| b == q))
        {
            for (q, v, _) in values.iter().filter(|(_, _, text)| !text) {
                *by_group.entry((bq, bv, q, v)).or_default() += 1;
            }
        }
    }
    let mut st = c.prepare_cached(
        "INSERT INTO response_tally VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT DO UPDATE SET n = n + excluded.n",
    )?;
    for (version, n) in responses {
        st.execute(params![survey, version, channel, day, n])?;
    }
    let mut st = c.prepare_cached(
        "INSERT INTO answer_tally VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT DO UPDATE SET n = n + excluded.n",
    )?;
    for ((q, version, value), n) in answers {
        st.execute(params![survey, q, version, channel, value, n])?;
    }
    let mut st = c.prepare_cached(
        "INSERT INTO breakdown_tally VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT DO UPDATE SET n = n + excluded.n",
    )?;
    for ((bq, bv, q, v), n) in by_group {
        st.execute(params![survey, bq, bv, q, v, n])?;
    }
    Ok(())
}

/// An answer as the tallies count it: its question, its value (`''` for free text) and whether
/// it is free text.
type Tallied<'a> = (&'a str, &'a str, bool);

/// The breakdown questions recorded for `survey`, sorted.
fn recorded(c: &Connection, survey: &str) -> Result<Vec<String>> {
    let mut st = c.prepare_cached(
        "SELECT question_id FROM breakdown_questions WHERE survey_id = ?1 ORDER BY 1",
    )?;
    let rows = st.query_map([survey], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

fn sorted(questions: &[String]) -> Vec<String> {
    let mut v = questions.to_vec();
    v.sort();
    v.dedup();
    v
}

impl Store {
    /// Whether `questions` are the breakdown questions recorded for `survey`: when not, call
    /// [`Store::ensure_breakdowns`].
    pub fn breakdowns_recorded(&self, survey: &str, questions: &[String]) -> Result<bool> {
        Ok(self.read(|c| recorded(c, survey))? == sorted(questions))
    }

    /// Records that `questions` are the breakdown questions of `survey` (from its survey file),
    /// so breakdown counts are kept for them. When they differ from those recorded, the survey's
    /// breakdown counts are rebuilt from its answers: once, in one transaction, which at hundreds
    /// of thousands of responses takes seconds and holds up other writes meanwhile.
    pub async fn ensure_breakdowns(&self, survey: &str, questions: &[String]) -> Result<()> {
        let wanted = sorted(questions);
        let s = survey.to_owned();
        self.write(move |c| {
            if recorded(c, &s)? == wanted {
                return Ok(());
            }
            c.execute("DELETE FROM breakdown_questions WHERE survey_id = ?1", [&s])?;
            let mut add = c.prepare_cached(
                "INSERT INTO breakdown_questions (survey_id, question_id) VALUES (?1, ?2)",
            )?;
            for q in &wanted {
                add.execute(params![s, q])?;
            }
            rebuild_breakdowns(c, &s)
        })
        .await
    }

    /// [`Store::ensure_breakdowns`] for the survey file's [`counted_breakdown_questions`]: before
    /// a page reads the counts, and before an import, so its rows are counted as they go in
    /// rather than all over again later.
    pub async fn ensure_counted_breakdowns(&self, survey: &Survey) -> Result<()> {
        let questions = counted_breakdown_questions(survey);
        let (s, q) = (survey.id.clone(), questions.clone());
        let recorded = self
            .read_async(move |st| st.breakdowns_recorded(&s, &q))
            .await?;
        if recorded {
            return Ok(());
        }
        self.ensure_breakdowns(&survey.id, &questions).await
    }

    /// The breakdown questions recorded for `survey` (see [`Store::ensure_breakdowns`]).
    pub fn breakdown_questions(&self, survey: &str) -> Result<Vec<String>> {
        self.read(|c| recorded(c, survey))
    }

    /// Every count the database keeps for `survey`, recounted from the answers, and the kept
    /// ones: a description of each difference, empty when they agree.
    pub fn tally_differences(&self, survey: &str) -> Result<Vec<String>> {
        const CHECKS: &[(&str, &str, &str)] = &[
            (
                "responses",
                "SELECT version_id || '/' || channel || '/' || submitted_on, count(*) FROM responses
                 WHERE survey_id = ?1 GROUP BY 1",
                "SELECT version_id || '/' || channel || '/' || submitted_on, n FROM response_tally
                 WHERE survey_id = ?1 AND n != 0",
            ),
            (
                "answers",
                "SELECT a.question_id || '/' || r.version_id || '/' || r.channel || '/'
                        || CASE WHEN a.text IS NULL THEN a.value ELSE '' END, count(*)
                 FROM answers a JOIN responses r ON r.id = a.response_id
                 WHERE r.survey_id = ?1 GROUP BY 1",
                "SELECT question_id || '/' || version_id || '/' || channel || '/' || value, n
                 FROM answer_tally WHERE survey_id = ?1 AND n != 0",
            ),
            (
                "answers by breakdown",
                "SELECT b.question_id || '/' || b.value || '/' || a.question_id || '/' || a.value, count(*)
                 FROM responses r
                 JOIN breakdown_questions bq ON bq.survey_id = r.survey_id
                 JOIN answers b ON b.response_id = r.id AND b.question_id = bq.question_id
                 JOIN answers a ON a.response_id = r.id AND a.text IS NULL
                 WHERE r.survey_id = ?1 GROUP BY 1",
                "SELECT group_question || '/' || group_value || '/' || question_id || '/' || value, n
                 FROM breakdown_tally WHERE survey_id = ?1 AND n != 0",
            ),
            (
                "themes",
                "SELECT ta.theme_id || '/' || r.version_id || '/' || r.channel, count(*)
                 FROM themes t JOIN theme_answers ta ON ta.theme_id = t.id
                 JOIN responses r ON r.id = ta.response_id
                 WHERE t.survey_id = ?1 GROUP BY 1",
                "SELECT tt.theme_id || '/' || tt.version_id || '/' || tt.channel, tt.n
                 FROM theme_tally tt JOIN themes t ON t.id = tt.theme_id
                 WHERE t.survey_id = ?1 AND tt.n != 0",
            ),
            (
                "themes by breakdown",
                "SELECT ta.theme_id || '/' || b.question_id || '/' || b.value, count(*)
                 FROM themes t JOIN theme_answers ta ON ta.theme_id = t.id
                 JOIN breakdown_questions bq ON bq.survey_id = t.survey_id
                 JOIN answers b ON b.response_id = ta.response_id AND b.question_id = bq.question_id
                 WHERE t.survey_id = ?1 GROUP BY 1",
                "SELECT tb.theme_id || '/' || tb.group_question || '/' || tb.group_value, tb.n
                 FROM theme_breakdown_tally tb JOIN themes t ON t.id = tb.theme_id
                 WHERE t.survey_id = ?1 AND tb.n != 0",
            ),
        ];
        self.read(|c| {
            let mut out = Vec::new();
            for (what, counted, kept) in CHECKS {
                let map = |sql: &str| -> Result<std::collections::BTreeMap<String, i64>> {
                    let mut st = c.prepare(sql)?;
                    let rows = st.query_map([survey], |r| Ok((r.get(0)?, r.get(1)?)))?;
                    Ok(rows.collect::<rusqlite::Result<_>>()?)
                };
                let (counted, kept) = (map(counted)?, map(kept)?);
                for (key, n) in &counted {
                    let k = kept.get(key).copied().unwrap_or(0);
                    if k != *n {
                        out.push(format!("{what} {key}: {n} stored, {k} counted"));
                    }
                }
                for (key, k) in kept.iter().filter(|(key, _)| !counted.contains_key(*key)) {
                    out.push(format!("{what} {key}: none stored, {k} counted"));
                }
            }
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::super::{
        AnswerCount, Grouping, ImportKey, ImportRow, MachineTheme, MemberFilter, Protection,
        RunResult, block,
    };
    use super::*;
    use crate::AnswerValue;
    use crate::import::Channel;
    use crate::survey::Answers;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).expect("date")
    }

    /// Answers of the `i`th made-up respondent of version `v1` (asks `care`) or `v2` (asks
    /// `home` for the same breakdown): some skip the breakdown, some skip the text.
    fn answers(i: u64, version: &str) -> Answers {
        let mut a = Answers::new();
        let settings = ["foster", "residential", "kinship"];
        if !i.is_multiple_of(5) {
            let q = if version == "v1" { "care" } else { "home" };
            a.insert(
                q.into(),
                AnswerValue::Choice(settings[(i % 3) as usize].into()),
            );
        }
        a.insert(
            "feel".into(),
            AnswerValue::Choices(
                ["safe", "heard", "happy"]
                    .iter()
                    .take((i % 4) as usize)
                    .map(|s| s.to_string())
                    .collect(),
            ),
        );
        if !i.is_multiple_of(7) {
            a.insert("age".into(), AnswerValue::Number(7 + (i % 18) as i64));
        }
        if i % 3 != 1 {
            a.insert("say".into(), AnswerValue::Text(format!("answer {i}")));
        }
        a
    }

    fn import(store: &Store, from: u64, to: u64, channel: Channel, d: u32) -> Vec<i64> {
        let rows = (from..to)
            .map(|i| {
                let version = if i % 2 == 0 { "v1" } else { "v2" };
                let answers = answers(i, version);
                ImportRow::new(
                    ImportKey::of_content("s", version, &answers, i as usize),
                    version.into(),
                    answers,
                    Protection::default(),
                )
            })
            .collect();
        block(store.import("lead", "s", channel, rows, day(d)))
            .expect("import")
            .stored
            .into_iter()
            .flatten()
            .collect()
    }

    /// The counts by the answer to `q`, read both ways: from the kept counts and by reading
    /// every answer (as for a question that is not a breakdown).
    fn both_ways(store: &Store, q: &str) -> (Vec<AnswerCount>, Vec<AnswerCount>) {
        let sort = |mut v: Vec<AnswerCount>| {
            v.sort_by(|a, b| {
                (&a.group, &a.question_id, &a.value).cmp(&(&b.group, &b.question_id, &b.value))
            });
            v
        };
        let kept = sort(
            store
                .answer_counts("s", &Grouping::Answer(q.into()))
                .expect("kept"),
        );
        let scanned = sort(
            store
                .read(|c| {
                    let mut st = c.prepare(
                        "SELECT coalesce(b.value, ''), a.question_id, a.value, count(*) FROM answers a
                         JOIN responses r ON r.id = a.response_id
                         LEFT JOIN answers b ON b.response_id = a.response_id AND b.question_id = ?2
                         WHERE r.survey_id = ?1 AND a.text IS NULL GROUP BY 1, 2, 3",
                    )?;
                    let rows = st.query_map(params!["s", q], |r| {
                        Ok(AnswerCount {
                            group: r.get(0)?,
                            question_id: r.get(1)?,
                            value: r.get(2)?,
                            n: r.get(3)?,
                        })
                    })?;
                    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
                })
                .expect("scanned"),
        );
        (kept, scanned)
    }

    fn agree(store: &Store, when: &str) {
        assert_eq!(
            store.tally_differences("s").expect("check"),
            Vec::<String>::new(),
            "{when}"
        );
        for q in ["care", "home"] {
            let (kept, scanned) = both_ways(store, q);
            assert!(!scanned.is_empty(), "{when}: nothing to compare");
            assert_eq!(kept, scanned, "{when}: by {q}");
        }
        members_agree(store, when);
    }

    /// Each theme's page says as many answers as its rows hold, read through every join,
    /// unfiltered and under each kind of filter.
    fn members_agree(store: &Store, when: &str) {
        let filters = [
            MemberFilter::default(),
            MemberFilter {
                version: Some("v1".into()),
                ..MemberFilter::default()
            },
            MemberFilter {
                channel: Some("event".into()),
                ..MemberFilter::default()
            },
            MemberFilter {
                groups: vec![(
                    vec!["care".into(), "home".into()],
                    AnswerValue::Choice("foster".into()).to_json(),
                )],
                ..MemberFilter::default()
            },
        ];
        let mut seen = [0i64; 4];
        for t in store.themes("s", "say").expect("themes") {
            for (f, seen) in filters.iter().zip(&mut seen) {
                let (page, total) = store.theme_members(t.id, "say", f, 0, 5).expect("page");
                let joined: i64 = store
                    .read(|c| {
                        Ok(c.query_row(
                            "SELECT count(*) FROM theme_answers ta
                             JOIN responses r ON r.id = ta.response_id
                             JOIN answers a ON a.response_id = ta.response_id
                                AND a.question_id = ta.question_id
                             WHERE ta.theme_id = ?1 AND ta.question_id = 'say'
                               AND (?2 IS NULL OR r.version_id = ?2)
                               AND (?3 IS NULL OR r.channel = ?3)
                               AND (?4 IS NULL OR EXISTS (SELECT 1 FROM answers b
                                   WHERE b.response_id = r.id AND b.question_id IN ('care', 'home')
                                     AND b.value = ?4))",
                            params![
                                t.id,
                                f.version,
                                f.channel,
                                f.groups.first().map(|g| g.1.clone())
                            ],
                            |r| r.get(0),
                        )?)
                    })
                    .expect("joined");
                assert_eq!(total as i64, joined, "{when}: theme {} {f:?}", t.id);
                assert_eq!(page.len() as i64, joined.min(5), "{when}: theme {}", t.id);
                *seen += joined;
            }
        }
        let themed = store.themes("s", "say").expect("themes").len();
        assert!(
            themed == 0 || seen.iter().all(|n| *n > 0),
            "{when}: a filter matched nothing, so it was not compared: {seen:?}"
        );
    }

    #[test]
    fn kept_counts_match_the_answers_through_imports_submissions_themes_and_deletions() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("t.db")).expect("open");
        // Some answers arrive before anyone says which questions are breakdowns.
        let first = import(&store, 0, 40, Channel::Paper, 1);
        block(store.ensure_breakdowns("s", &["care".into(), "home".into()])).expect("breakdowns");
        agree(&store, "after the first import");

        let second = import(&store, 40, 120, Channel::Event, 2);
        assert_eq!(
            import(&store, 40, 120, Channel::Event, 2).len(),
            0,
            "imported twice"
        );
        let mut submitted = Vec::new();
        for i in 120..150u64 {
            let version = if i % 2 == 0 { "v1" } else { "v2" };
            let token = format!("t{i}");
            let draft = block(store.create_draft("s", version, &token, day(3))).expect("draft");
            block(store.submit(draft, answers(i, version), Protection::default(), day(3)))
                .expect("submit");
            submitted.push(draft);
        }
        agree(&store, "after imports and submissions");

        // A themes run over the text answers, then an analyst's corrections.
        let texts: Vec<i64> = store
            .themed_answers("s", "say")
            .expect("texts")
            .iter()
            .map(|a| a.response_id)
            .collect();
        let run =
            block(store.start_theme_run("s", "say", "{}".into(), 1, "test", "lead")).expect("run");
        let theme = |label: &str, members: Vec<i64>| MachineTheme {
            label: label.into(),
            terms: vec![label.into()],
            representatives: members.iter().take(2).copied().collect(),
            members,
        };
        let (a, rest) = texts.split_at(texts.len() / 3);
        let (b, c) = rest.split_at(rest.len() / 2);
        block(store.finish_theme_run(
            run,
            RunResult {
                k: 3,
                k_choice: "fixed".into(),
                software: "test".into(),
                answers: texts.len(),
                themes: vec![
                    theme("a", a.to_vec()),
                    theme("b", b.to_vec()),
                    theme("c", c[1..].to_vec()),
                ],
            },
        ))
        .expect("finish");
        agree(&store, "after a themes run");
        let themes = store.themes("s", "say").expect("themes");
        block(store.move_answer("s", "say", c[0], themes[0].id, "lead")).expect("move");
        block(store.move_answer("s", "say", b[0], themes[0].id, "lead")).expect("move");
        block(store.merge_themes("s", "say", themes[1].id, vec![themes[2].id], "lead"))
            .expect("merge");
        agree(&store, "after corrections");

        // Respondents delete their responses: imported ones cannot be, so delete submitted ones
        // by their reference codes, and one imported response the way the database would.
        for draft in submitted.iter().step_by(3) {
            let code = store.reference_code(*draft);
            assert!(block(store.delete_response("s", &code)).expect("delete"));
        }
        let (gone, _) = (first[3], second[5]);
        block(store.write(move |c| {
            c.execute("DELETE FROM responses WHERE id = ?1", [gone])?;
            Ok(())
        }))
        .expect("delete imported");
        agree(&store, "after deletions");

        // A second run re-places what no analyst placed.
        let run =
            block(store.start_theme_run("s", "say", "{}".into(), 2, "test", "lead")).expect("run");
        let left: Vec<i64> = store
            .themed_answers("s", "say")
            .expect("texts")
            .iter()
            .map(|a| a.response_id)
            .collect();
        block(store.finish_theme_run(
            run,
            RunResult {
                k: 1,
                k_choice: "fixed".into(),
                software: "test".into(),
                answers: left.len(),
                themes: vec![theme("all", left)],
            },
        ))
        .expect("finish");
        agree(&store, "after a second run");

        // The survey file changes which questions are breakdowns: counts rebuilt.
        block(store.ensure_breakdowns("s", &["care".into()])).expect("breakdowns");
        assert_eq!(
            store.breakdown_questions("s").expect("read"),
            vec!["care".to_string()]
        );
        agree(&store, "after the breakdowns changed");

        // A stored answer cannot be rewritten behind the counts' back.
        let id = texts[0];
        let rewritten = block(store.write(move |c| {
            c.execute(
                "UPDATE answers SET value = '\"x\"' WHERE response_id = ?1",
                [id],
            )?;
            Ok(())
        }));
        assert!(rewritten.is_err(), "{rewritten:?}");
        agree(&store, "after a refused rewrite");
    }
}
