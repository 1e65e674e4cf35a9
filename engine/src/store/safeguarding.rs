//! The safeguarding queue. A flag is written in the same transaction as the response it comes
//! from, so a disclosure is either in the queue or was never acknowledged to the child. It keeps
//! its own copy of the words, so it outlives the response's deletion. Decisions are appended,
//! never overwritten: new -> reviewed -> escalated or no further action, each with a note and who
//! decided. A flag the learned layer set aside (a firm phrase in an answer it was all but sure
//! is ordinary) is stored too, as "set aside": kept out of the new flags, never out of reach.
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::review::{audit, now_text};
use super::{Cached, Result, Store, StoreError};

/// Where a flag is in its review.
pub const STATUSES: [&str; 5] = [
    "new",
    "reviewed",
    "escalated",
    "no_further_action",
    "set_aside",
];

/// The statuses a flag may move to from `from` (a final status may take further notes only).
pub fn next_statuses(from: &str) -> &'static [&'static str] {
    match from {
        "new" | "set_aside" => &["reviewed", "escalated", "no_further_action"],
        "reviewed" => &["reviewed", "escalated", "no_further_action"],
        "escalated" => &["escalated", "no_further_action"],
        _ => &["no_further_action"],
    }
}

pub fn status_title(s: &str) -> &'static str {
    match s {
        "new" => "New",
        "reviewed" => "Reviewed",
        "escalated" => "Escalated",
        "no_further_action" => "No further action",
        "set_aside" => "Set aside",
        _ => "Unknown",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    pub id: i64,
    pub response_id: Option<i64>,
    pub survey_id: String,
    pub version_id: String,
    pub question_id: String,
    pub channel: String,
    /// The answer as written: for the safeguarding lead only.
    pub text: String,
    /// The screening's indicators, as JSON.
    pub indicators: String,
    pub status: String,
    pub flagged_at: String,
    /// What triggered it (`safeguard::verdict::Trigger`, as text).
    pub trigger: String,
    /// The learned layer's score, when it ran.
    pub score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub at: String,
    pub user_name: String,
    pub status: String,
    pub note: String,
}

/// A possible disclosure found in one answer, to store with its response.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFlag {
    pub question_id: String,
    pub indicators: String,
    pub trigger: String,
    pub score: Option<f64>,
    /// Stored as "set aside" rather than "new": a firm phrase the learned layer was all but
    /// sure is ordinary, there for the lead to read, not counted among the flags waiting.
    pub set_aside: bool,
}

const FLAG_COLUMNS: &str = "id, response_id, survey_id, version_id, question_id, channel, text, \
     indicators, status, flagged_at, trigger, score";

fn flag_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Flag> {
    Ok(Flag {
        id: r.get(0)?,
        response_id: r.get(1)?,
        survey_id: r.get(2)?,
        version_id: r.get(3)?,
        question_id: r.get(4)?,
        channel: r.get(5)?,
        text: r.get(6)?,
        indicators: r.get(7)?,
        status: r.get(8)?,
        flagged_at: r.get(9)?,
        trigger: r.get(10)?,
        score: r.get(11)?,
    })
}

/// Stores the flags of response `response_id`, inside the caller's transaction; the words are
/// copied from the stored answer, and an answer flagged already keeps its first flag. Returns
/// how many were added.
pub(crate) fn insert_flags(c: &Connection, response_id: i64, flags: &[NewFlag]) -> Result<usize> {
    // Most responses have none: an import stores a dozen rows a response, and reading the
    // clock and the statement cache for each was a share of the writer's time.
    if flags.is_empty() {
        return Ok(0);
    }
    let mut st = c.prepare_cached(
        "INSERT OR IGNORE INTO flags
            (response_id, survey_id, version_id, question_id, channel, text, indicators, flagged_at,
             trigger, score, status)
         SELECT r.id, r.survey_id, r.version_id, a.question_id, r.channel, coalesce(a.text, ''), ?3, ?4,
             ?5, ?6, ?7
         FROM responses r JOIN answers a ON a.response_id = r.id
         WHERE r.id = ?1 AND a.question_id = ?2",
    )?;
    let at = now_text();
    let mut added = 0;
    for f in flags {
        added += st.execute(params![
            response_id,
            f.question_id,
            f.indicators,
            at,
            f.trigger,
            f.score,
            if f.set_aside { "set_aside" } else { "new" }
        ])?;
    }
    Ok(added)
}

/// What a [`Store::record_weighing`] changed in the queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recorded {
    /// Flags raised (answers no phrase had flagged already).
    pub raised: usize,
    /// Flags set aside: firm phrases the learned layer was all but sure are ordinary.
    pub set_aside: usize,
}

/// What the learned screening layer made of one answer it read after the answer was stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Weighed {
    pub response_id: i64,
    pub question_id: String,
    /// The flag to raise, if the answer is a possible disclosure (one already raised by a
    /// phrase stays as it is).
    pub flag: Option<NewFlag>,
    /// The learned layer's score, kept with the answer's flag if it has one.
    pub score: Option<f64>,
}

// The parts of the queue (`?1` is a status), each in an order an index keeps, so that LIMIT
// stops the read at the end of a page instead of sorting every flag first (`?2` and `?3` are the
// LIMIT and OFFSET).

/// The flags of one status (the new ones), oldest first: `flags_status (status, id)`.
const NEW_OLDEST_FIRST: &str = "status = ?1 ORDER BY id";
/// One status's flags, newest first: `flags_status`, backwards.
const ONE_NEWEST_FIRST: &str = "status = ?1 ORDER BY id DESC";
/// Every flag but the new ones, newest first: the table itself, backwards by id, passing over the
/// new ones. `'new'` is written out, not `?1`, so that a partial index of the other flags
/// (`ON flags (id) WHERE status != 'new'`) would serve it; `?1` is left unused.
const REST_NEWEST_FIRST: &str = "status != 'new' ORDER BY id DESC";

/// The query of one part of the queue: `?2` flags from `?3` on.
fn queue_sql(part: &str) -> String {
    format!("SELECT {FLAG_COLUMNS} FROM flags WHERE {part} LIMIT ?2 OFFSET ?3")
}

const UNWEIGHED: &str = "SELECT a.response_id, a.question_id, a.text FROM answers a";

impl Store {
    /// Free-text answers the learned layer has yet to read, those holding a phrase first, then
    /// oldest first: (response, question, text).
    pub fn unweighed_answers(&self, limit: i64) -> Result<Vec<(i64, String, String)>> {
        self.read(|c| {
            let mut out = Vec::new();
            // Each through its own partial index: the phrased, then the rest.
            for mark in [-1, 0] {
                let left = limit - out.len() as i64;
                if left <= 0 {
                    break;
                }
                let mut st = c.prepare_cached(&format!(
                    "{UNWEIGHED} WHERE a.weighed = ?2 AND a.text IS NOT NULL
                     ORDER BY a.response_id LIMIT ?1"
                ))?;
                let rows = st.query_map(params![left, mark], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?;
                out.extend(rows.collect::<rusqlite::Result<Vec<_>>>()?);
            }
            Ok(out)
        })
    }

    /// The unread answers of the response with this reference code: read before the response
    /// is deleted, so a disclosure in it still reaches the queue.
    pub fn unweighed_answers_of_code(
        &self,
        survey_id: &str,
        code: &str,
    ) -> Result<Vec<(i64, String, String)>> {
        let Some(h) = crate::codes::code_hash(code) else {
            return Ok(Vec::new());
        };
        self.read(|c| {
            let mut st = c.prepare_cached(&format!(
                "{UNWEIGHED} JOIN responses r ON r.id = a.response_id
                 WHERE r.reference_hash = ?1 AND r.survey_id = ?2
                   AND a.weighed <= 0 AND a.text IS NOT NULL"
            ))?;
            let rows = st.query_map(params![h, survey_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Records what the learned layer made of answers already stored: flags raised, scores
    /// kept, firm-phrase flags it was all but sure are ordinary set aside (while still new and
    /// undecided), and each answer marked read, in one transaction.
    pub async fn record_weighing(&self, rows: Vec<Weighed>) -> Result<Recorded> {
        self.write(move |c| {
            let mut done = Recorded::default();
            for w in &rows {
                // An answer read twice (the loop and a deletion at once) or deleted since it
                // was read is recorded once, or not at all: its response may be gone.
                let unread = c
                    .prepare_cached(
                        "UPDATE answers SET weighed = 1
                         WHERE response_id = ?1 AND question_id = ?2 AND weighed <= 0",
                    )?
                    .execute(params![w.response_id, w.question_id])?;
                if unread == 0 {
                    continue;
                }
                if let Some(flag) = &w.flag {
                    let added = insert_flags(c, w.response_id, std::slice::from_ref(flag))?;
                    if !flag.set_aside {
                        done.raised += added;
                    } else {
                        // A firm phrase flagged unread at submission or import, which the
                        // learned layer is all but sure is ordinary: set aside, unless a person
                        // has decided on it meanwhile.
                        done.set_aside += added
                            + c.prepare_cached(
                                "UPDATE flags SET status = 'set_aside', trigger = ?3
                                 WHERE response_id = ?1 AND question_id = ?2 AND status = 'new'
                                   AND trigger = 'phrase'
                                   AND NOT EXISTS (SELECT 1 FROM flag_decisions d WHERE d.flag_id = flags.id)",
                            )?
                            .execute(params![w.response_id, w.question_id, flag.trigger])?;
                    }
                }
                c.prepare_cached(
                    "UPDATE flags SET score = ?3
                     WHERE response_id = ?1 AND question_id = ?2 AND score IS NULL",
                )?
                .execute(params![w.response_id, w.question_id, w.score])?;
            }
            Ok(done)
        })
        .await
    }

    /// A page of the queue: new flags first (oldest first, so none waits longest), then the
    /// rest, newest first; `limit` flags from `offset` on, and how many flags there are in all.
    /// `status` narrows both to one status.
    ///
    /// Each part is read in an order an index keeps (`NEW_OLDEST_FIRST` and the parts beside it),
    /// stopping at the end of the page: a page never reads, let alone sorts, every flag.
    pub fn flags(&self, status: Option<&str>, limit: i64, offset: i64) -> Result<(Vec<Flag>, i64)> {
        let (limit, offset) = (limit.max(0), offset.max(0));
        self.read(|c| {
            // One snapshot: the total and the page agree, whatever is decided meanwhile.
            let tx = c.unchecked_transaction()?;
            let page = |filter: &str, status: &str, limit: i64, offset: i64| {
                let mut st = tx.prepare_cached(&queue_sql(filter))?;
                let rows = st.query_map(params![status, limit, offset], flag_row)?;
                rows.collect::<rusqlite::Result<Vec<_>>>()
            };
            let count = |status: &str| -> rusqlite::Result<i64> {
                tx.prepare_cached("SELECT count(*) FROM flags WHERE status = ?1")?
                    .query_row([status], |r| r.get(0))
            };
            let (flags, total) = match status {
                Some(s) => {
                    let total = count(s)?;
                    let part = if s == "new" {
                        NEW_OLDEST_FIRST
                    } else {
                        ONE_NEWEST_FIRST
                    };
                    let flags = if offset < total && limit > 0 {
                        page(part, s, limit, offset)?
                    } else {
                        Vec::new()
                    };
                    (flags, total)
                }
                None => {
                    let new = count("new")?;
                    let total: i64 = tx
                        .prepare_cached("SELECT count(*) FROM flags")?
                        .query_row([], |r| r.get(0))?;
                    let mut flags = if offset < new && limit > 0 {
                        page(NEW_OLDEST_FIRST, "new", limit, offset)?
                    } else {
                        Vec::new()
                    };
                    let room = limit - flags.len() as i64;
                    if room > 0 && offset + (flags.len() as i64) < total {
                        flags.extend(page(REST_NEWEST_FIRST, "new", room, (offset - new).max(0))?);
                    }
                    (flags, total)
                }
            };
            tx.finish()?;
            Ok((flags, total))
        })
    }

    /// How many flags have each status.
    pub fn flag_counts(&self) -> Result<Vec<(String, i64)>> {
        self.read(|c| {
            let mut st = c.prepare("SELECT status, count(*) FROM flags GROUP BY status")?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let found: Vec<(String, i64)> = rows.collect::<rusqlite::Result<_>>()?;
            Ok(STATUSES
                .iter()
                .map(|s| {
                    let n = found.iter().find(|(f, _)| f == s).map_or(0, |(_, n)| *n);
                    (s.to_string(), n)
                })
                .collect())
        })
    }

    pub fn flag(&self, id: i64) -> Result<Option<(Flag, Vec<Decision>)>> {
        self.read(|c| {
            let flag = c
                .query_row(
                    &format!("SELECT {FLAG_COLUMNS} FROM flags WHERE id = ?1"),
                    [id],
                    flag_row,
                )
                .optional()?;
            let Some(flag) = flag else { return Ok(None) };
            let mut st = c.prepare(
                "SELECT at, user_name, status, note FROM flag_decisions WHERE flag_id = ?1 ORDER BY id",
            )?;
            let rows = st.query_map([id], |r| {
                Ok(Decision {
                    at: r.get(0)?,
                    user_name: r.get(1)?,
                    status: r.get(2)?,
                    note: r.get(3)?,
                })
            })?;
            Ok(Some((flag, rows.collect::<rusqlite::Result<Vec<_>>>()?)))
        })
    }

    /// Records a decision on flag `id`. Refuses a move the flow does not allow (say, back to
    /// new); returns false if there is no such flag.
    pub async fn decide_flag(&self, id: i64, status: &str, note: &str, user: &str) -> Result<bool> {
        let (status, note, user) = (status.to_owned(), note.to_owned(), user.to_owned());
        self.write(move |c| {
            let from: Option<String> = c
                .query_row("SELECT status FROM flags WHERE id = ?1", [id], |r| r.get(0))
                .optional()?;
            let Some(from) = from else { return Ok(false) };
            if !next_statuses(&from).contains(&status.as_str()) {
                return Err(StoreError::Database(format!(
                    "a flag that is {} cannot become {}",
                    status_title(&from),
                    status_title(&status)
                )));
            }
            c.execute("UPDATE flags SET status = ?2 WHERE id = ?1", params![id, status])?;
            c.execute(
                "INSERT INTO flag_decisions (flag_id, at, user_name, status, note) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, now_text(), user, status, note],
            )?;
            // The note may hold a child's details: the audit log says what was decided, not why.
            audit(c, &user, "safeguarding decision", &format!("flag {id}"), &format!("{from} -> {status}"))?;
            Ok(true)
        })
        .await
    }

    /// Whether the response sent from draft `draft_id` may tell of harm, for the extra help on
    /// the confirmation page: flagged (one set aside as ordinary does not count), or holding an
    /// indicator phrase the learned layer has yet to read (`weighed = -1`, marked as it was
    /// submitted: a weak phrase waits for the reading, the child does not).
    pub fn draft_needs_help(&self, draft_id: i64) -> Result<bool> {
        self.read(|c| {
            Ok(c.one(
                "SELECT EXISTS (SELECT 1 FROM flags f JOIN responses r ON r.id = f.response_id
                 WHERE r.draft_id = ?1 AND f.status != 'set_aside')
                 OR EXISTS (SELECT 1 FROM answers a JOIN responses r ON r.id = a.response_id
                 WHERE r.draft_id = ?1 AND a.weighed = -1)",
                [draft_id],
                |r| r.get(0),
            )?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store with `n` flags, stored straight into the table; their statuses interleave, so
    /// the new ones and the rest alternate in id order.
    fn store_with_flags(n: i64) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("t.db")).expect("open");
        store
            .write_blocking(move |c| {
                for i in 1..=n {
                    let status = match i % 5 {
                        0 | 3 => "new",
                        1 => "reviewed",
                        2 => "escalated",
                        _ => "no_further_action",
                    };
                    c.execute(
                        "INSERT INTO flags (survey_id, version_id, question_id, channel, text,
                             indicators, status, flagged_at)
                         VALUES ('s', 'v', 'q', 'web', ?1, '[]', ?2, '2026-05-01T00:00:00Z')",
                        params![format!("answer {i}"), status],
                    )?;
                }
                Ok(())
            })
            .expect("flags");
        (dir, store)
    }

    /// Every page of `limit` flags of the queue (narrowed to `status`), in turn, with the total
    /// each page gave.
    fn pages(store: &Store, status: Option<&str>, limit: i64) -> Vec<(Vec<i64>, i64)> {
        let mut out = Vec::new();
        let mut offset = 0;
        loop {
            let (flags, total) = store.flags(status, limit, offset).expect("a page");
            if flags.is_empty() {
                return out;
            }
            assert!(flags.len() as i64 <= limit, "a page is at most {limit}");
            out.push((flags.iter().map(|f| f.id).collect(), total));
            offset += limit;
        }
    }

    #[test]
    fn the_queue_comes_a_page_at_a_time_in_its_order_with_every_flag_once() {
        let (_dir, store) = store_with_flags(233);
        // The order, worked out apart from the store: new oldest first, then the rest newest
        // first.
        let status_of = |id: i64| match id % 5 {
            0 | 3 => "new",
            1 => "reviewed",
            2 => "escalated",
            _ => "no_further_action",
        };
        let new: Vec<i64> = (1..=233).filter(|&i| status_of(i) == "new").collect();
        let rest: Vec<i64> = (1..=233).rev().filter(|&i| status_of(i) != "new").collect();
        let queue: Vec<i64> = new.iter().chain(&rest).copied().collect();
        assert_eq!((new.len(), queue.len()), (93, 233));

        let first = pages(&store, None, 50);
        assert_eq!(first.len(), 5, "233 flags are five pages of 50");
        assert_eq!(first[0].0, queue[..50], "page 1: the oldest new flags");
        assert_eq!(
            first[1].0,
            queue[50..100],
            "page 2 runs from new flags to the newest others"
        );
        assert_eq!(
            first[4].0,
            queue[200..],
            "the last page: the 33 oldest others"
        );
        assert!(first.iter().all(|(_, total)| *total == 233));

        // Every flag once, in order, whatever the page size and whether a page starts or ends
        // where the new flags end.
        for limit in [1, 7, 50, 93, 94, 232, 233, 1000] {
            let seen: Vec<i64> = pages(&store, None, limit)
                .into_iter()
                .flat_map(|(ids, _)| ids)
                .collect();
            assert_eq!(seen, queue, "pages of {limit}");
        }
        for status in STATUSES {
            let want: Vec<i64> = queue
                .iter()
                .copied()
                .filter(|&i| status_of(i) == status)
                .collect();
            let got = pages(&store, Some(status), 20);
            assert!(got.iter().all(|(_, total)| *total == want.len() as i64));
            let seen: Vec<i64> = got.into_iter().flat_map(|(ids, _)| ids).collect();
            assert_eq!(seen, want, "{status}, a page at a time");
        }

        // Past the end, or asked for nothing: no flags, and still the total.
        assert_eq!(store.flags(None, 50, 233).expect("read"), (vec![], 233));
        assert_eq!(
            store.flags(None, 50, i64::MAX).expect("read"),
            (vec![], 233)
        );
        assert_eq!(
            store.flags(Some("new"), 50, 93).expect("read"),
            (vec![], 93)
        );
        assert_eq!(store.flags(None, 0, 0).expect("read"), (vec![], 233));
        // A negative limit is no flags (SQLite would read it as no limit at all), a negative
        // offset the start.
        assert_eq!(store.flags(None, -1, 0).expect("read").0.len(), 0);
        let (flags, _) = store.flags(None, 3, -10).expect("read");
        assert_eq!(flags.iter().map(|f| f.id).collect::<Vec<_>>(), queue[..3]);
        assert_eq!(store.flags(Some("lost"), 50, 0).expect("read"), (vec![], 0));
    }

    #[test]
    fn each_part_of_the_queue_is_read_in_index_order_without_a_sort() {
        let (_dir, store) = store_with_flags(3);
        for part in [NEW_OLDEST_FIRST, ONE_NEWEST_FIRST, REST_NEWEST_FIRST] {
            let plan = store
                .read(|c| {
                    let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {}", queue_sql(part)))?;
                    let rows = st.query_map(params!["new", 50, 100], |r| r.get::<_, String>(3))?;
                    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?.join("; "))
                })
                .expect("plan");
            assert!(!plan.contains("TEMP B-TREE"), "{part}: {plan}");
            if part.starts_with("status = ") {
                assert!(plan.contains("INDEX flags_status"), "{part}: {plan}");
            }
        }
    }
}
