//! SQL for users, organizations and memberships.

use super::super::{OrgStore, *};
use super::{Result, Tx};
use crate::clock::Timestamp;
use crate::policy::Role;
use rusqlite::{OptionalExtension, params};

/// An `orgs` row from the columns id, name, created_at, require_2fa, grace_secs.
fn org_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OrgRow> {
    Ok(OrgRow {
        id: r.get("id")?,
        name: r.get("name")?,
        created_at: r.get("created_at")?,
        require_2fa: r.get("require_2fa")?,
        grace_secs: r.get("grace_secs")?,
        allow_email: r.get("allow_email")?,
    })
}

fn role_of(s: String) -> Role {
    // The CHECK constraint admits only the three names.
    Role::parse(&s).unwrap_or(Role::Member)
}

impl OrgStore for Tx<'_> {
    fn set_user_profile(&self, user_id: i64, email: Option<&str>, sso: Option<bool>) -> Result<()> {
        self.tx.execute(
            "UPDATE users SET email = coalesce(?2, email), sso = coalesce(?3, sso) WHERE id = ?1",
            params![user_id, email, sso],
        )?;
        Ok(())
    }

    fn set_user_email(&self, user_id: i64, email: Option<&str>) -> Result<()> {
        self.tx
            .execute("UPDATE users SET email = ?2 WHERE id = ?1", params![user_id, email])?;
        Ok(())
    }

    fn set_global_admin(&self, user_id: i64, on: bool) -> Result<()> {
        self.tx
            .execute("UPDATE users SET global_admin = ?2 WHERE id = ?1", params![user_id, on])?;
        Ok(())
    }

    /// Deletes the user and, through foreign keys, everything of theirs.
    fn delete_user(&self, user_id: i64) -> Result<()> {
        self.tx.execute("DELETE FROM users WHERE id = ?1", [user_id])?;
        Ok(())
    }

    fn list_users(&self) -> Result<Vec<UserSummary>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT u.name, u.email, u.sso, u.global_admin,
                    (SELECT CASE WHEN count(*) = 0 THEN NULL WHEN max(f.state = 'active') THEN 'active' ELSE 'pending' END
                     FROM factors f WHERE f.user_id = u.id AND f.kind <> 'backup') AS state
             FROM users u ORDER BY u.name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(UserSummary {
                name: r.get("name")?,
                email: r.get("email")?,
                sso: r.get("sso")?,
                global_admin: r.get("global_admin")?,
                enrollment: two_factor(r)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn org(&self, name: &str) -> Result<Option<OrgRow>> {
        Ok(self
            .tx
            .query_row(
                "SELECT id, name, created_at, require_2fa, grace_secs, allow_email FROM orgs WHERE name = ?1",
                [name],
                org_row,
            )
            .optional()?)
    }

    fn insert_org(&self, name: &str, now: Timestamp) -> Result<OrgRow> {
        self.tx.execute(
            "INSERT INTO orgs (name, created_at) VALUES (?1, ?2)",
            params![name, now],
        )?;
        Ok(OrgRow {
            id: self.tx.last_insert_rowid(),
            name: name.into(),
            created_at: now,
            require_2fa: false,
            grace_secs: 0,
            allow_email: false,
        })
    }

    fn delete_org(&self, org_id: i64) -> Result<()> {
        self.tx.execute("DELETE FROM orgs WHERE id = ?1", [org_id])?;
        Ok(())
    }

    fn list_orgs(&self) -> Result<Vec<OrgSummary>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT o.name, o.require_2fa, o.grace_secs,
                    (SELECT count(*) FROM memberships m WHERE m.org_id = o.id) AS members,
                    (SELECT group_concat(u.name, char(10) ORDER BY u.name) FROM memberships m JOIN users u ON u.id = m.user_id
                      WHERE m.org_id = o.id AND m.role = 'owner') AS owners
             FROM orgs o ORDER BY o.name",
        )?;
        let rows = stmt.query_map([], |r| {
            let owners: Option<String> = r.get("owners")?;
            Ok(OrgSummary {
                name: r.get("name")?,
                require_2fa: r.get("require_2fa")?,
                grace_secs: r.get("grace_secs")?,
                members: r.get("members")?,
                owners: owners
                    .map(|o| o.split('\n').map(String::from).collect())
                    .unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn membership(&self, org_id: i64, user_id: i64) -> Result<Option<MemberRow>> {
        Ok(self
            .tx
            .query_row(
                "SELECT role, joined_at, deadline, added_by FROM memberships WHERE org_id = ?1 AND user_id = ?2",
                [org_id, user_id],
                |r| {
                    Ok(MemberRow {
                        role: role_of(r.get("role")?),
                        joined_at: r.get("joined_at")?,
                        deadline: r.get("deadline")?,
                        added_by: r.get("added_by")?,
                    })
                },
            )
            .optional()?)
    }

    fn add_member(
        &self,
        org_id: i64,
        user_id: i64,
        role: Role,
        now: Timestamp,
        deadline: Option<Timestamp>,
        added_by: &str,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO memberships (org_id, user_id, role, joined_at, deadline, added_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![org_id, user_id, role.as_str(), now, deadline, added_by],
        )?;
        Ok(())
    }

    fn remove_member(&self, org_id: i64, user_id: i64) -> Result<()> {
        self.tx.execute(
            "DELETE FROM memberships WHERE org_id = ?1 AND user_id = ?2",
            [org_id, user_id],
        )?;
        Ok(())
    }

    fn set_role(&self, org_id: i64, user_id: i64, role: Role) -> Result<()> {
        self.tx.execute(
            "UPDATE memberships SET role = ?3 WHERE org_id = ?1 AND user_id = ?2",
            params![org_id, user_id, role.as_str()],
        )?;
        Ok(())
    }

    fn count_owners(&self, org_id: i64) -> Result<i64> {
        Ok(self.tx.query_row(
            "SELECT count(*) FROM memberships WHERE org_id = ?1 AND role = 'owner'",
            [org_id],
            |r| r.get(0),
        )?)
    }

    /// Turns the requirement on or off (deadlines cleared). On, `reset` gives every
    /// member who lacks active 2FA (and is not SSO-managed) a fresh deadline of now +
    /// grace; without it only members who have none yet get one.
    fn set_require_2fa(
        &self,
        org_id: i64,
        on: bool,
        grace_secs: i64,
        allow_email: bool,
        now: Timestamp,
        reset: bool,
    ) -> Result<()> {
        self.tx.execute(
            "UPDATE orgs SET require_2fa = ?2, grace_secs = ?3, allow_email = ?5,
                             required_since = CASE WHEN ?2 THEN coalesce(required_since, ?4) END
             WHERE id = ?1",
            params![org_id, on, grace_secs, now, allow_email],
        )?;
        if on {
            self.tx.execute(
                "UPDATE memberships SET deadline = ?2
                 WHERE org_id = ?1 AND (?3 OR deadline IS NULL)
                   AND user_id NOT IN (SELECT user_id FROM factors WHERE state = 'active' AND kind <> 'backup'
                                         AND (kind <> 'email' OR ?4))
                   AND user_id NOT IN (SELECT id FROM users WHERE sso)",
                params![org_id, now.saturating_add(grace_secs), reset, allow_email],
            )?;
        } else {
            self.tx
                .execute("UPDATE memberships SET deadline = NULL WHERE org_id = ?1", [org_id])?;
        }
        Ok(())
    }

    /// Sets the user's deadline in every organization that requires 2FA, to
    /// `from` + that organization's grace (after a reset, or when joining).
    fn restart_deadlines(&self, user_id: i64, from: Timestamp) -> Result<()> {
        self.tx.execute(
            "UPDATE memberships SET deadline = ?2 + (SELECT grace_secs FROM orgs WHERE orgs.id = memberships.org_id)
             WHERE user_id = ?1 AND org_id IN (SELECT id FROM orgs WHERE require_2fa)",
            params![user_id, from],
        )?;
        Ok(())
    }

    /// Organizations the user belongs to, with their membership.
    fn orgs_of(&self, user_id: i64) -> Result<Vec<(OrgRow, MemberRow)>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT o.id, o.name, o.created_at, o.require_2fa, o.grace_secs, o.allow_email, m.role, m.joined_at, m.deadline, m.added_by
             FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.user_id = ?1 ORDER BY o.name",
        )?;
        let rows = stmt.query_map([user_id], |r| {
            Ok((
                org_row(r)?,
                MemberRow {
                    role: role_of(r.get("role")?),
                    joined_at: r.get("joined_at")?,
                    deadline: r.get("deadline")?,
                    added_by: r.get("added_by")?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Streams an organization's members (one query), in name order.
    fn for_each_member(&self, org_id: i64, f: &mut dyn FnMut(MemberView) -> Result<()>) -> Result<()> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT u.name, m.role, u.sso, m.deadline, u.email,
                    (SELECT CASE WHEN count(*) = 0 THEN NULL WHEN max(f.state = 'active') THEN 'active' ELSE 'pending' END
                     FROM factors f WHERE f.user_id = u.id AND f.kind <> 'backup') AS state,
                    (SELECT max(f.last_used_at) FROM factors f WHERE f.user_id = u.id) AS last_used_at,
                    (SELECT group_concat(f.kind) FROM factors f
                      WHERE f.user_id = u.id AND f.state = 'active' AND f.kind <> 'backup') AS active_kinds
             FROM memberships m
             JOIN users u ON u.id = m.user_id
             WHERE m.org_id = ?1 ORDER BY u.name",
        )?;
        let mut rows = stmt.query([org_id])?;
        while let Some(r) = rows.next()? {
            f(MemberView {
                user: r.get("name")?,
                email: r.get("email")?,
                role: role_of(r.get("role")?),
                sso: r.get("sso")?,
                enrollment: two_factor(r)?,
                active_kinds: kinds(r)?,
                deadline: r.get("deadline")?,
                last_used_at: r.get("last_used_at")?,
            })?;
        }
        Ok(())
    }
}

/// The `active_kinds` column: factor kinds joined by commas, or NULL.
fn kinds(r: &rusqlite::Row<'_>) -> rusqlite::Result<Vec<crate::factors::FactorKind>> {
    match r.get_ref("active_kinds")?.as_str_or_null()? {
        None => Ok(vec![]),
        Some(kinds) => kinds.split(',').map(super::kind_of).collect(),
    }
}

/// The `state` column of a two-factor summary: NULL, 'pending' or 'active'.
fn two_factor(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<crate::factors::FactorState>> {
    match r.get_ref("state")?.as_str_or_null()? {
        None => Ok(None),
        Some(s) => super::state_of(s).map(Some),
    }
}
