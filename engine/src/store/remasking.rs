//! Masked copies of stored answers made again when the masker has learnt to find more: which
//! masker version the store's copies come from, and how far a re-masking has got.
use rusqlite::{OptionalExtension, params};

use super::review::audit;
use super::{Result, Store};

/// Which masker version every masked copy in the store was last made with (absent: none yet).
const MASKED_WITH: &str = "masked_with";
/// A re-masking under way: the version it applies and the last response done (`V:id`), so a
/// stop part-way through goes on where it was.
const REMASKING: &str = "remasking";

/// A masked copy made again: the copy it was made from, the new one, and the words the new one
/// hides (each lower case, with the placeholder that stands for it), which are hidden in the
/// question's theme names and terms too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remasked {
    pub response: i64,
    pub question: String,
    pub before: String,
    pub after: String,
    pub hidden: Vec<(String, String)>,
}

/// Where re-masking stands for a masker version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remasking {
    /// Every masked copy was made with this version or a later one: nothing to do.
    Done,
    /// Copies of responses after this id are still to be made again.
    From(i64),
}

impl Store {
    /// Where re-masking with masker `version` stands.
    pub fn remasking(&self, version: u32) -> Result<Remasking> {
        self.read(|c| {
            let get = |key: &str| -> Result<Option<String>> {
                Ok(c.query_row(
                    "SELECT CAST(value AS TEXT) FROM meta WHERE key = ?1",
                    [key],
                    |r| r.get(0),
                )
                .optional()?)
            };
            let done = get(MASKED_WITH)?.and_then(|v| v.parse::<u32>().ok());
            if done.is_some_and(|d| d >= version) {
                return Ok(Remasking::Done);
            }
            let reached = get(REMASKING)?
                .and_then(|v| {
                    let (v, id) = v.split_once(':')?;
                    (v.parse::<u32>().ok()? == version).then(|| id.parse::<i64>().ok())?
                })
                .unwrap_or(0);
            Ok(Remasking::From(reached))
        })
    }

    /// The masked copies of free-text answers of up to `limit` responses after response
    /// `after`, in order: (response id, question id, masked text).
    pub fn masked_answers_after(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, String)>> {
        self.read(|c| {
            let mut st = c.prepare(
                "SELECT response_id, question_id, masked FROM answers
                 WHERE masked IS NOT NULL AND response_id > ?1
                   AND response_id <= (SELECT COALESCE(MAX(id), ?1) FROM
                       (SELECT id FROM responses WHERE id > ?1 ORDER BY id LIMIT ?2))
                 ORDER BY response_id, question_id",
            )?;
            let rows = st.query_map(params![after, limit], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// The masked copies of the answers `keys` (response id, question id) as they are now.
    pub fn masked_copies(&self, keys: Vec<(i64, String)>) -> Result<Vec<(i64, String, String)>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT masked FROM answers WHERE response_id = ?1 AND question_id = ?2 AND masked IS NOT NULL",
            )?;
            let mut out = Vec::with_capacity(keys.len());
            for (response, question) in keys {
                if let Some(m) = st.query_row(params![response, question], |r| r.get(0)).optional()? {
                    out.push((response, question, m));
                }
            }
            Ok(out)
        })
    }

    /// Stores masked copies made again with masker `version`, each only if the copy is still
    /// the one it was made from (an analyst may have redacted it meanwhile), and, when none had
    /// changed, that responses up to `reached` are done. A stored copy's hidden words are
    /// hidden in its question's theme names and terms as well: a run made them from the
    /// earlier copies, so they can hold a name the newer masker hides. Returns how many copies
    /// and themes were changed, and the answers whose copy had changed, to be made again from
    /// what they hold now (a stop before then goes on from the batch they are in).
    pub async fn store_remasked(
        &self,
        version: u32,
        rows: Vec<Remasked>,
        reached: i64,
    ) -> Result<(usize, usize, Vec<(i64, String)>)> {
        self.write(move |c| {
            let mut st = c.prepare_cached(
                "UPDATE answers SET masked = ?4 WHERE response_id = ?1 AND question_id = ?2 AND masked = ?3",
            )?;
            let (mut changed, mut themes) = (0, 0);
            let mut moved = Vec::new();
            for r in rows {
                match st.execute(params![r.response, r.question, r.before, r.after])? {
                    0 => moved.push((r.response, r.question)),
                    n => {
                        changed += n;
                        themes += hide_in_themes(c, &r.question, &r.hidden)?;
                    }
                }
            }
            if moved.is_empty() {
                set_meta(c, REMASKING, &format!("{version}:{reached}"))?;
            }
            Ok((changed, themes, moved))
        })
        .await
    }

    /// Records that every masked copy is now made with masker `version`, and in the audit log
    /// how many copies changed.
    pub async fn finish_remasking(
        &self,
        version: u32,
        changed: usize,
        themes: usize,
    ) -> Result<()> {
        self.write(move |c| {
            set_meta(c, MASKED_WITH, &version.to_string())?;
            c.execute("DELETE FROM meta WHERE key = ?1", [REMASKING])?;
            if changed > 0 {
                audit(
                    c,
                    "heard",
                    "answers masked again",
                    "every survey",
                    &format!(
                        "{changed} masked answer(s) and {themes} theme name(s) or term list(s) changed by masker version {version}"
                    ),
                )?;
            }
            Ok(())
        })
        .await
    }
}

/// Hides `hidden` words (lower case, each with its placeholder) in the names and terms of
/// `question`'s themes, analysts' names too (a commissioner receives them); returns how many
/// themes changed.
fn hide_in_themes(
    c: &rusqlite::Connection,
    question: &str,
    hidden: &[(String, String)],
) -> Result<usize> {
    if hidden.is_empty() {
        return Ok(0);
    }
    let themes: Vec<(i64, String, String)> = c
        .prepare_cached("SELECT id, label, terms FROM themes WHERE question_id = ?1")?
        .query_map([question], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut changed = 0;
    for (id, label, terms) in themes {
        let new_label = hide_words(&label, hidden);
        let new_terms = match serde_json::from_str::<Vec<String>>(&terms) {
            Ok(list) => {
                let list: Vec<String> = list.iter().map(|t| hide_words(t, hidden)).collect();
                serde_json::to_string(&list).unwrap_or(terms.clone())
            }
            Err(_) => terms.clone(),
        };
        if new_label != label || new_terms != terms {
            c.execute(
                "UPDATE themes SET label = ?2, terms = ?3 WHERE id = ?1",
                params![id, new_label, new_terms],
            )?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// `text` with each whole word that is one of `hidden` (any case) replaced by its placeholder.
fn hide_words(text: &str, hidden: &[(String, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let lower = word.to_lowercase();
        let placeholder = |w: &str| hidden.iter().find(|(h, _)| h == w).map(|(_, p)| p);
        // "Hangwani's group": the name hidden, its "'s" kept.
        let possessive = ["'s", "’s"].iter().find_map(|s| {
            let base = lower.strip_suffix(s)?;
            let p = placeholder(base)?;
            Some((p, word.get(word.len().checked_sub(s.len())?..)?))
        });
        match (placeholder(&lower), possessive) {
            (Some(p), _) => out.push_str(p),
            (None, Some((p, tail))) => {
                out.push_str(p);
                out.push_str(tail);
            }
            (None, None) => out.push_str(word),
        }
        word.clear();
    };
    for ch in text.chars() {
        // Words as re-masking cuts them (`intake::protect`): a hyphen parts two.
        if ch.is_alphanumeric() || ch == '\'' || ch == '’' {
            word.push(ch);
        } else {
            flush(&mut word, &mut out);
            out.push(ch);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn set_meta(c: &rusqlite::Connection, key: &str, value: &str) -> Result<()> {
    c.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_re_masking_goes_on_where_it_stopped_and_ends_once() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("h.db")).expect("store");
        assert_eq!(store.remasking(3).expect("read"), Remasking::From(0));
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        rt.block_on(store.store_remasked(3, vec![], 41))
            .expect("progress");
        assert_eq!(store.remasking(3).expect("read"), Remasking::From(41));
        // Another version's progress is not this one's.
        assert_eq!(store.remasking(4).expect("read"), Remasking::From(0));
        rt.block_on(store.finish_remasking(3, 0, 0))
            .expect("finish");
        assert_eq!(store.remasking(3).expect("read"), Remasking::Done);
        assert_eq!(store.remasking(2).expect("read"), Remasking::Done);
        assert_eq!(store.remasking(4).expect("read"), Remasking::From(0));
        store.close();
    }

    #[test]
    fn a_word_hidden_again_is_hidden_in_its_questions_theme_names_and_terms() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("h.db")).expect("store");
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        rt.block_on(store.write(|c| {
            c.execute_batch(
                "INSERT INTO themes (survey_id, question_id, label, named_by_analyst, terms)
                 VALUES ('s', 'better', 'Hangwani, school', 0, '[\"hangwani\",\"school trips\"]'),
                        ('s', 'better', 'Hangwani''s group', 1, '[]'),
                        ('s', 'better', 'Trips', 0, '[\"trips\"]'),
                        ('s', 'other', 'Hangwani', 0, '[\"hangwani\"]');",
            )?;
            Ok(())
        }))
        .expect("themes");
        let hidden = vec![("hangwani".to_string(), "[name]".to_string())];
        let themes = |store: &Store| -> Vec<(String, String)> {
            store
                .read(|c| {
                    Ok(c.prepare("SELECT label, terms FROM themes ORDER BY id")?
                        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                        .collect::<rusqlite::Result<_>>()?)
                })
                .expect("read")
        };
        // A copy that moved meanwhile is not stored, and hides nothing anywhere.
        let moved = Remasked {
            response: 1,
            question: "better".into(),
            before: "hangwani helps".into(),
            after: "[name] helps".into(),
            hidden: hidden.clone(),
        };
        let (copies, changed, again) = rt
            .block_on(store.store_remasked(9, vec![moved], 1))
            .expect("store");
        assert_eq!((copies, changed, again.len()), (0, 0, 1));
        assert_eq!(themes(&store)[0].0, "Hangwani, school");
        // Words are cut as re-masking cuts them: a hyphen parts two.
        assert_eq!(
            hide_words(
                "Jean-Paul's trips",
                &[
                    ("jean".to_string(), "[name]".to_string()),
                    ("paul".to_string(), "[name]".to_string())
                ]
            ),
            "[name]-[name]'s trips"
        );
        // Stored: the question's themes, analysts' names too, and no other question's.
        let changed = rt
            .block_on(store.write(move |c| hide_in_themes(c, "better", &hidden)))
            .expect("hide");
        assert_eq!(changed, 2);
        assert_eq!(
            themes(&store),
            vec![
                (
                    "[name], school".to_string(),
                    r#"["[name]","school trips"]"#.to_string()
                ),
                ("[name]'s group".to_string(), "[]".to_string()),
                ("Trips".to_string(), r#"["trips"]"#.to_string()),
                ("Hangwani".to_string(), r#"["hangwani"]"#.to_string()),
            ]
        );
        store.close();
    }
}
