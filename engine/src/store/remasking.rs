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
    /// changed, that responses up to `reached` are done. Returns how many were stored, and the
    /// answers whose copy had changed, to be made again from what they hold now (a stop before
    /// then goes on from the batch they are in).
    pub async fn store_remasked(
        &self,
        version: u32,
        rows: Vec<(i64, String, String, String)>,
        reached: i64,
    ) -> Result<(usize, Vec<(i64, String)>)> {
        self.write(move |c| {
            let mut st = c.prepare_cached(
                "UPDATE answers SET masked = ?4 WHERE response_id = ?1 AND question_id = ?2 AND masked = ?3",
            )?;
            let mut changed = 0;
            let mut moved = Vec::new();
            for (response, question, before, after) in rows {
                match st.execute(params![response, question, before, after])? {
                    0 => moved.push((response, question)),
                    n => changed += n,
                }
            }
            if moved.is_empty() {
                set_meta(c, REMASKING, &format!("{version}:{reached}"))?;
            }
            Ok((changed, moved))
        })
        .await
    }

    /// Records that every masked copy is now made with masker `version`, and in the audit log
    /// how many copies changed.
    pub async fn finish_remasking(&self, version: u32, changed: usize) -> Result<()> {
        self.write(move |c| {
            set_meta(c, MASKED_WITH, &version.to_string())?;
            c.execute("DELETE FROM meta WHERE key = ?1", [REMASKING])?;
            if changed > 0 {
                audit(
                    c,
                    "heard",
                    "answers masked again",
                    "every survey",
                    &format!("{changed} masked answer(s) changed by masker version {version}"),
                )?;
            }
            Ok(())
        })
        .await
    }
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
        rt.block_on(store.finish_remasking(3, 0)).expect("finish");
        assert_eq!(store.remasking(3).expect("read"), Remasking::Done);
        assert_eq!(store.remasking(2).expect("read"), Remasking::Done);
        assert_eq!(store.remasking(4).expect("read"), Remasking::From(0));
        store.close();
    }
}
