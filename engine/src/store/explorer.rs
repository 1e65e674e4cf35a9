//! What the themes explorer's pages read: a question's theme counts and quotes, and one theme's
//! answers a page at a time, filtered. Counts come from the kept tallies (tallies.rs) and
//! answers through indexes, so no page reads every answer of a question.
use std::collections::{BTreeMap, HashMap};

use rusqlite::types::Value;
use rusqlite::{Connection, params, params_from_iter};

use super::{Result, Store, ThemeRow, ThemedAnswer};
use crate::AnswerValue;

/// How a question's answers fall into its themes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThemeCounts {
    /// Free-text answers to the question, by channel.
    pub answers_by_channel: Vec<(String, i64)>,
    /// Answers in any theme, current or retired.
    pub themed: i64,
    /// Per theme: (version, channel, answers).
    pub by_theme: BTreeMap<i64, Vec<(String, String, i64)>>,
    /// Per theme: (breakdown question, its stored answer, answers).
    pub by_theme_group: BTreeMap<i64, Vec<(String, String, i64)>>,
}

impl ThemeCounts {
    pub fn answers(&self) -> i64 {
        self.answers_by_channel.iter().map(|(_, n)| n).sum()
    }

    pub fn size(&self, theme: i64) -> i64 {
        self.by_theme
            .get(&theme)
            .map_or(0, |v| v.iter().map(|(_, _, n)| n).sum())
    }
}

/// Whether `text`, lowercased, contains `keyword` (already lowercase): without lowercasing a
/// copy of it when both are ASCII, which most answers are.
fn contains_lowercased(text: &str, keyword: &str) -> bool {
    if text.is_ascii() && keyword.is_ascii() {
        let k = keyword.as_bytes();
        return k.is_empty()
            || text
                .as_bytes()
                .windows(k.len())
                .any(|w| w.eq_ignore_ascii_case(k));
    }
    text.to_lowercase().contains(keyword)
}

/// Which of a theme's answers to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberFilter {
    pub version: Option<String>,
    pub channel: Option<String>,
    /// Each: the response answered one of these questions with this stored answer (JSON).
    pub groups: Vec<(Vec<String>, String)>,
    /// Lowercase words the masked answer must contain (compared lowercased, in any script).
    pub keyword: Option<String>,
}

const MEMBER_COLUMNS: &str = "r.id, r.version_id, r.channel, coalesce(a.masked, ''), a.quote, \
     ta.theme_id, ta.placed_by_analyst";

pub(super) fn member(r: &rusqlite::Row<'_>) -> rusqlite::Result<ThemedAnswer> {
    Ok(ThemedAnswer {
        response_id: r.get(0)?,
        version_id: r.get(1)?,
        channel: r.get(2)?,
        text: r.get(3)?,
        quote: r.get::<_, i64>(4)? != 0,
        theme_id: r.get(5)?,
        placed_by_analyst: r.get::<_, i64>(6)? != 0,
    })
}

/// What a query of a theme's answers reads besides the theme's rows.
#[derive(Clone, Copy)]
enum Reads {
    /// Nothing: counting. A theme's row always has its answer and response (deleting either
    /// deletes it), so a count needs neither unless a filter does; joining both for every
    /// member was nearly all of a theme page's time at 557,077 responses.
    Count,
    /// Each answer's text.
    Text,
    /// Each answer's text and its response's version and channel.
    Rows,
}

/// The `FROM` and `WHERE` of a theme's answers under `f` (all but the keyword), and its
/// parameters, joining what `reads` needs and what the filters need.
fn members_sql(theme: i64, question: &str, f: &MemberFilter, reads: Reads) -> (String, Vec<Value>) {
    let mut sql = String::from("FROM theme_answers ta ");
    if matches!(reads, Reads::Rows) || f.version.is_some() || f.channel.is_some() {
        sql.push_str("JOIN responses r ON r.id = ta.response_id ");
    }
    if !matches!(reads, Reads::Count) {
        sql.push_str(
            "JOIN answers a ON a.response_id = ta.response_id AND a.question_id = ta.question_id ",
        );
    }
    sql.push_str("WHERE ta.theme_id = ? AND ta.question_id = ?");
    let mut values = vec![Value::Integer(theme), Value::Text(question.to_owned())];
    if let Some(v) = &f.version {
        sql.push_str(" AND r.version_id = ?");
        values.push(Value::Text(v.clone()));
    }
    if let Some(c) = &f.channel {
        sql.push_str(" AND r.channel = ?");
        values.push(Value::Text(c.clone()));
    }
    for (questions, value) in &f.groups {
        let marks = vec!["?"; questions.len().max(1)].join(", ");
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM answers b WHERE b.response_id = ta.response_id
               AND b.question_id IN ({marks}) AND b.value = ?)"
        ));
        if questions.is_empty() {
            values.push(Value::Null);
        }
        values.extend(questions.iter().map(|q| Value::Text(q.clone())));
        values.push(Value::Text(value.clone()));
    }
    (sql, values)
}

fn pairs3(
    c: &Connection,
    sql: &str,
    survey: &str,
    question: &str,
) -> Result<Vec<(i64, String, String, i64)>> {
    let mut st = c.prepare_cached(sql)?;
    let rows = st.query_map(params![survey, question], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

impl Store {
    /// How the free-text answers to `question` fall into its themes, from the kept counts.
    pub fn theme_counts(&self, survey: &str, question: &str) -> Result<ThemeCounts> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT channel, sum(n) FROM answer_tally
                 WHERE survey_id = ?1 AND question_id = ?2 AND value = ''
                 GROUP BY 1 HAVING sum(n) > 0 ORDER BY 1",
            )?;
            let answers_by_channel = st
                .query_map(params![survey, question], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut out = ThemeCounts {
                answers_by_channel,
                ..ThemeCounts::default()
            };
            for (t, v, ch, n) in pairs3(
                c,
                "SELECT tt.theme_id, tt.version_id, tt.channel, tt.n
                 FROM themes t JOIN theme_tally tt ON tt.theme_id = t.id
                 WHERE t.survey_id = ?1 AND t.question_id = ?2 AND tt.n > 0",
                survey,
                question,
            )? {
                out.themed += n;
                out.by_theme.entry(t).or_default().push((v, ch, n));
            }
            for (t, q, v, n) in pairs3(
                c,
                "SELECT tb.theme_id, tb.group_question, tb.group_value, tb.n
                 FROM themes t JOIN theme_breakdown_tally tb ON tb.theme_id = t.id
                 WHERE t.survey_id = ?1 AND t.question_id = ?2 AND tb.n > 0",
                survey,
                question,
            )? {
                out.by_theme_group.entry(t).or_default().push((q, v, n));
            }
            Ok(out)
        })
    }

    /// Up to `n` masked answers to quote for `theme`: those marked as quotes first, then its
    /// representatives from the last run.
    pub fn theme_quotes(&self, question: &str, theme: &ThemeRow, n: usize) -> Result<Vec<String>> {
        self.read(|c| {
            let mut marked = c.prepare_cached(
                "SELECT coalesce(a.masked, '') FROM answers a
                 JOIN theme_answers ta ON ta.response_id = a.response_id AND ta.question_id = a.question_id
                 WHERE a.quote = 1 AND a.question_id = ?1 AND ta.theme_id = ?2
                 ORDER BY a.response_id LIMIT ?3",
            )?;
            let mut out = marked
                .query_map(params![question, theme.id, n as i64], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            let mut rep = c.prepare_cached(
                "SELECT coalesce(a.masked, '') FROM answers a
                 JOIN theme_answers ta ON ta.response_id = a.response_id AND ta.question_id = a.question_id
                 WHERE a.response_id = ?1 AND a.question_id = ?2 AND ta.theme_id = ?3 AND a.quote = 0",
            )?;
            for r in &theme.representatives {
                if out.len() >= n {
                    break;
                }
                if let Some(text) = rep
                    .query_map(params![r, question, theme.id], |r| r.get(0))?
                    .next()
                {
                    out.push(text?);
                }
            }
            Ok(out)
        })
    }

    /// One page of a theme's answers to `question` under `filter`, by response, and how many
    /// match in all. Without a keyword, only the page is read; with one, the theme's answers
    /// that pass the other filters are read to find the matches.
    pub fn theme_members(
        &self,
        theme: i64,
        question: &str,
        filter: &MemberFilter,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<ThemedAnswer>, usize)> {
        self.read(|c| {
            let Some(keyword) = &filter.keyword else {
                let (count_from, values) = members_sql(theme, question, filter, Reads::Count);
                let total: i64 = c.query_row(
                    &format!("SELECT count(*) {count_from}"),
                    params_from_iter(values.iter()),
                    |r| r.get(0),
                )?;
                let (from, values) = members_sql(theme, question, filter, Reads::Rows);
                let mut page_values = values;
                page_values.push(Value::Integer(limit as i64));
                page_values.push(Value::Integer(offset as i64));
                let mut st = c.prepare(&format!(
                    "SELECT {MEMBER_COLUMNS} {from} ORDER BY ta.response_id LIMIT ? OFFSET ?"
                ))?;
                let rows = st
                    .query_map(params_from_iter(page_values.iter()), member)?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                return Ok((rows, usize::try_from(total).unwrap_or(0)));
            };
            // A search reads every answer of the theme that passes the other filters, so it
            // reads only their text, in place, and the page's rows after: at 557,077 responses
            // a theme of a hundred thousand answers is read on each search.
            let (from, values) = members_sql(theme, question, filter, Reads::Text);
            let mut st = c.prepare(&format!(
                "SELECT ta.response_id, coalesce(a.masked, '') {from} ORDER BY ta.response_id"
            ))?;
            let mut rows = st.query(params_from_iter(values.iter()))?;
            let (mut on_page, mut total) = (Vec::new(), 0usize);
            while let Some(row) = rows.next()? {
                let text = row.get_ref(1)?.as_str().unwrap_or("");
                if !contains_lowercased(text, keyword) {
                    continue;
                }
                if total >= offset && on_page.len() < limit {
                    on_page.push(row.get::<_, i64>(0)?);
                }
                total += 1;
            }
            let mut one = c.prepare_cached(&format!(
                "SELECT {MEMBER_COLUMNS} FROM theme_answers ta
                 JOIN responses r ON r.id = ta.response_id
                 JOIN answers a ON a.response_id = ta.response_id AND a.question_id = ta.question_id
                 WHERE ta.response_id = ?1 AND ta.question_id = ?2"
            ))?;
            let mut page = Vec::with_capacity(on_page.len());
            for id in on_page {
                if let Some(m) = one.query_map(params![id, question], member)?.next() {
                    page.push(m?);
                }
            }
            Ok((page, total))
        })
    }

    /// Every answer in a theme, masked (to split it).
    pub fn theme_answers(&self, theme: i64, question: &str) -> Result<Vec<ThemedAnswer>> {
        self.theme_members(
            theme,
            question,
            &MemberFilter::default(),
            0,
            usize::MAX >> 1,
        )
        .map(|(rows, _)| rows)
    }

    /// The answers of `responses` to `questions` (the breakdowns shown beside a page of answers).
    pub fn answers_of(
        &self,
        responses: &[i64],
        questions: &[String],
    ) -> Result<HashMap<i64, BTreeMap<String, AnswerValue>>> {
        self.read(|c| {
            let mut st = c.prepare_cached(&format!(
                "SELECT {} FROM answers WHERE response_id = ?1 AND question_id = ?2",
                super::respondent::VALUE
            ))?;
            let mut out: HashMap<i64, BTreeMap<String, AnswerValue>> = HashMap::new();
            for r in responses {
                for q in questions {
                    let v: Option<String> = st
                        .query_map(params![r, q], |row| row.get(0))?
                        .next()
                        .transpose()?;
                    if let Some(v) = v.as_deref().and_then(AnswerValue::from_json) {
                        out.entry(*r).or_default().insert(q.clone(), v);
                    }
                }
            }
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::contains_lowercased;

    #[test]
    fn search_compares_lowercased_in_any_script() {
        assert!(contains_lowercased("My SOCIAL worker", "social"));
        assert!(contains_lowercased("my social worker", "social w"));
        assert!(!contains_lowercased("my social worker", "socials"));
        assert!(contains_lowercased("anything", ""));
        assert!(contains_lowercased("ÉCOLE trop loin", "école"));
        assert!(contains_lowercased("Мой СОЦИАЛЬНЫЙ работник", "социальный"));
        // Lowercasing a letter outside ASCII can give an ASCII one (the Kelvin sign is "k"):
        // such a text is compared as the slow way does.
        assert!(contains_lowercased("\u{212A}ids", "kids"));
        assert!(!contains_lowercased("kid", "kids"));
    }
}
