//! The review team's accounts, sessions and audit log. Session tokens are stored only as SHA-256
//! hashes, like every other code Heard hands out; the audit log records who did what and when,
//! never the words of an answer.
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{Result, Store, StoreError};
use crate::accounts::Role;
use crate::codes;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub disabled: bool,
}

/// What the database knows that a sign-in needs.
#[derive(Debug, Clone)]
pub struct SignInRecord {
    pub user: User,
    pub password_hash: String,
    pub failed_signins: i64,
    pub locked_until: i64,
}

/// The account lock after repeated failed sign-ins.
#[derive(Debug, Clone, Copy)]
pub struct LockPolicy {
    /// Failures in a row that lock the account.
    pub failures: i64,
    /// Seconds the lock lasts.
    pub seconds: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub at: String,
    pub user_name: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// Now, as Unix seconds (sessions and locks).
pub fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Now, as shown in the audit log and the queue: UTC to the second.
pub fn now_text() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%d %H:%M:%S UTC")
        .to_string()
}

/// Appends to the audit log, inside the caller's transaction: the entry and the change it
/// records are committed together or not at all.
pub fn audit(c: &Connection, user: &str, action: &str, subject: &str, detail: &str) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO audit (at, user_name, action, subject, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![now_text(), user, action, subject, detail])?;
    Ok(())
}

fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    let role: String = r.get(2)?;
    Ok(User {
        id: r.get(0)?,
        name: r.get(1)?,
        // The CHECK constraint allows only known roles; an unknown one gets the least access.
        role: Role::parse(&role).unwrap_or(Role::Commissioner),
        disabled: r.get::<_, i64>(3)? != 0,
    })
}

impl Store {
    /// Adds a user; `by` is who did it, for the audit log.
    pub async fn add_user(&self, name: &str, role: Role, hash: String, by: &str) -> Result<User> {
        let (name, by) = (name.to_owned(), by.to_owned());
        self.write(move |c| {
            let exists: Option<i64> = c
                .query_row("SELECT id FROM users WHERE name = ?1", [&name], |r| {
                    r.get(0)
                })
                .optional()?;
            if exists.is_some() {
                return Err(StoreError::Database(format!(
                    "there is already a user called {name}"
                )));
            }
            c.execute(
                "INSERT INTO users (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![name, role.as_str(), hash, now_text()],
            )?;
            let id = c.last_insert_rowid();
            audit(c, &by, "user added", &name, role.as_str())?;
            Ok(User {
                id,
                name,
                role,
                disabled: false,
            })
        })
        .await
    }

    pub fn users(&self) -> Result<Vec<User>> {
        self.read(|c| {
            let mut st = c.prepare("SELECT id, name, role, disabled FROM users ORDER BY name")?;
            let rows = st.query_map([], user_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Disables a user and ends their sessions. Returns false if there is no such user.
    pub async fn disable_user(&self, name: &str, by: &str) -> Result<bool> {
        let (name, by) = (name.to_owned(), by.to_owned());
        self.write(move |c| {
            let id: Option<i64> = c
                .query_row("SELECT id FROM users WHERE name = ?1", [&name], |r| {
                    r.get(0)
                })
                .optional()?;
            let Some(id) = id else { return Ok(false) };
            c.execute("UPDATE users SET disabled = 1 WHERE id = ?1", [id])?;
            c.execute("DELETE FROM sessions WHERE user_id = ?1", [id])?;
            audit(c, &by, "user disabled", &name, "")?;
            Ok(true)
        })
        .await
    }

    pub fn signin_record(&self, name: &str) -> Result<Option<SignInRecord>> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT id, name, role, disabled, password_hash, failed_signins, locked_until
                 FROM users WHERE name = ?1",
                [name],
                |r| {
                    Ok(SignInRecord {
                        user: user_row(r)?,
                        password_hash: r.get(4)?,
                        failed_signins: r.get(5)?,
                        locked_until: r.get(6)?,
                    })
                },
            )
            .optional()?)
        })
    }

    /// Records a failed sign-in; locks the account once the failures in a row reach the policy's
    /// number. Returns the failures in a row so far (0 after a lock starts).
    pub async fn record_failed_signin(&self, user_id: i64, policy: LockPolicy) -> Result<i64> {
        self.write(move |c| {
            let (name, failed): (String, i64) = c.query_row(
                "UPDATE users SET failed_signins = failed_signins + 1 WHERE id = ?1
                 RETURNING name, failed_signins",
                [user_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if failed >= policy.failures {
                c.execute(
                    "UPDATE users SET failed_signins = 0, locked_until = ?2 WHERE id = ?1",
                    params![user_id, now_unix() + policy.seconds],
                )?;
                audit(
                    c,
                    &name,
                    "account locked",
                    &name,
                    &format!("{failed} failed sign-ins"),
                )?;
                return Ok(0);
            }
            audit(c, &name, "sign-in failed", &name, "wrong password")?;
            Ok(failed)
        })
        .await
    }

    /// Starts a session for `user_id` and returns its token (for the cookie).
    pub async fn start_session(&self, user_id: i64) -> Result<String> {
        let token = codes::new_token();
        let hash = codes::hash(&token);
        self.write(move |c| {
            let now = now_unix();
            c.execute(
                "UPDATE users SET failed_signins = 0, locked_until = 0 WHERE id = ?1",
                [user_id],
            )?;
            // Sessions long over are cleared as new ones start.
            c.execute(
                "DELETE FROM sessions WHERE last_seen < ?1",
                [now - 7 * 24 * 3600],
            )?;
            c.execute(
                "INSERT INTO sessions (token_hash, user_id, created_at, last_seen) VALUES (?1, ?2, ?3, ?3)",
                params![hash, user_id, now],
            )?;
            let name: String =
                c.query_row("SELECT name FROM users WHERE id = ?1", [user_id], |r| r.get(0))?;
            audit(c, &name, "signed in", &name, "")?;
            Ok(())
        })
        .await?;
        Ok(token)
    }

    /// The user of a live session: not disabled, seen within `idle` seconds and started within
    /// `max` seconds. Also returns when it was last seen, so the caller can refresh it sparingly.
    pub fn session_user(&self, token: &str, idle: i64, max: i64) -> Result<Option<(User, i64)>> {
        let hash = codes::hash(token);
        let now = now_unix();
        self.read(|c| {
            Ok(c.query_row(
                "SELECT u.id, u.name, u.role, u.disabled, s.last_seen FROM sessions s
                 JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = ?1 AND u.disabled = 0 AND s.last_seen >= ?2 AND s.created_at >= ?3",
                params![hash, now - idle, now - max],
                |r| Ok((user_row(r)?, r.get(4)?)),
            )
            .optional()?)
        })
    }

    pub async fn touch_session(&self, token: &str) -> Result<()> {
        let hash = codes::hash(token);
        self.write(move |c| {
            c.execute(
                "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1",
                params![hash, now_unix()],
            )?;
            Ok(())
        })
        .await
    }

    pub async fn end_session(&self, token: &str, user: &str) -> Result<()> {
        let hash = codes::hash(token);
        let user = user.to_owned();
        self.write(move |c| {
            if c.execute("DELETE FROM sessions WHERE token_hash = ?1", [hash])? > 0 {
                audit(c, &user, "signed out", &user, "")?;
            }
            Ok(())
        })
        .await
    }

    /// Writes one audit entry on its own (for actions with no other change, like an export).
    pub async fn log(&self, user: &str, action: &str, subject: &str, detail: &str) -> Result<()> {
        let (u, a, s, d) = (
            user.to_owned(),
            action.to_owned(),
            subject.to_owned(),
            detail.to_owned(),
        );
        self.write(move |c| audit(c, &u, &a, &s, &d)).await
    }

    /// The audit log, newest first.
    pub fn audit_log(&self, limit: i64, offset: i64) -> Result<(Vec<AuditEntry>, i64)> {
        self.read(|c| {
            let total: i64 = c.query_row("SELECT count(*) FROM audit", [], |r| r.get(0))?;
            let mut st = c.prepare(
                "SELECT at, user_name, action, subject, detail FROM audit ORDER BY id DESC
                 LIMIT ?1 OFFSET ?2",
            )?;
            let rows = st.query_map(params![limit, offset], |r| {
                Ok(AuditEntry {
                    at: r.get(0)?,
                    user_name: r.get(1)?,
                    action: r.get(2)?,
                    subject: r.get(3)?,
                    detail: r.get(4)?,
                })
            })?;
            Ok((rows.collect::<rusqlite::Result<Vec<_>>>()?, total))
        })
    }
}
