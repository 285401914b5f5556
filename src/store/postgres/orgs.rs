//! SQL for users, organizations and memberships.

use super::super::{OrgStore, *};
use super::{Get, Result, Tx};
use crate::clock::Timestamp;
use crate::factors::{FactorKind, FactorState};
use crate::policy::Role;
use ::postgres::Row;

/// An `orgs` row from the columns id, name, created_at, require_2fa, grace_secs, allow_email.
fn org_row(r: &Row) -> Result<OrgRow> {
    Ok(OrgRow {
        id: r.val("id")?,
        name: r.val("name")?,
        created_at: r.val("created_at")?,
        require_2fa: r.val("require_2fa")?,
        grace_secs: r.val("grace_secs")?,
        allow_email: r.val("allow_email")?,
    })
}

fn member_row(r: &Row) -> Result<MemberRow> {
    Ok(MemberRow {
        role: role_of(r.val("role")?),
        joined_at: r.val("joined_at")?,
        deadline: r.val("deadline")?,
        added_by: r.val("added_by")?,
    })
}

fn role_of(s: &str) -> Role {
    // The CHECK constraint admits only the three names.
    Role::parse(s).unwrap_or(Role::Member)
}

/// A user's two-factor state, as a `state` column: NULL, 'pending' or 'active'.
const TWO_FACTOR: &str =
    "(SELECT CASE WHEN count(*) = 0 THEN NULL WHEN bool_or(f.state = 'active') THEN 'active' ELSE 'pending' END
                           FROM factors f WHERE f.user_id = u.id AND f.kind <> 'backup') AS state";

fn two_factor(r: &Row) -> Result<Option<FactorState>> {
    r.val::<Option<&str>>("state")?.map(super::state_of).transpose()
}

/// The `active_kinds` column: factor kinds joined by commas, or NULL.
fn kinds(r: &Row) -> Result<Vec<FactorKind>> {
    match r.val::<Option<&str>>("active_kinds")? {
        None => Ok(vec![]),
        Some(kinds) => kinds.split(',').map(super::kind_of).collect(),
    }
}

impl OrgStore for Tx<'_> {
    fn set_user_profile(&self, user_id: i64, email: Option<&str>, sso: Option<bool>) -> Result<()> {
        self.exec(
            "UPDATE users SET email = coalesce($2, email), sso = coalesce($3, sso) WHERE id = $1",
            &[&user_id, &email, &sso],
        )?;
        Ok(())
    }

    fn set_user_email(&self, user_id: i64, email: Option<&str>) -> Result<()> {
        self.exec("UPDATE users SET email = $2 WHERE id = $1", &[&user_id, &email])?;
        Ok(())
    }

    fn set_global_admin(&self, user_id: i64, on: bool) -> Result<()> {
        self.exec("UPDATE users SET global_admin = $2 WHERE id = $1", &[&user_id, &on])?;
        Ok(())
    }

    fn delete_user(&self, user_id: i64) -> Result<()> {
        self.exec("DELETE FROM users WHERE id = $1", &[&user_id])?;
        Ok(())
    }

    fn list_users(&self) -> Result<Vec<UserSummary>> {
        self.rows(
            &format!(
                "SELECT u.name, u.email, u.sso, u.global_admin, {TWO_FACTOR} FROM users u ORDER BY u.name COLLATE \"C\""
            ),
            &[],
        )?
        .iter()
        .map(|r| {
            Ok(UserSummary {
                name: r.val("name")?,
                email: r.val("email")?,
                sso: r.val("sso")?,
                global_admin: r.val("global_admin")?,
                enrollment: two_factor(r)?,
            })
        })
        .collect()
    }

    fn org(&self, name: &str) -> Result<Option<OrgRow>> {
        self.opt(
            "SELECT id, name, created_at, require_2fa, grace_secs, allow_email FROM orgs WHERE name = $1",
            &[&name],
        )?
        .as_ref()
        .map(org_row)
        .transpose()
    }

    fn insert_org(&self, name: &str, now: Timestamp) -> Result<OrgRow> {
        let id: i64 = self
            .one(
                "INSERT INTO orgs (name, created_at) VALUES ($1, $2) RETURNING id",
                &[&name, &now],
            )?
            .val("id")?;
        Ok(OrgRow {
            id,
            name: name.into(),
            created_at: now,
            require_2fa: false,
            grace_secs: 0,
            allow_email: false,
        })
    }

    fn delete_org(&self, org_id: i64) -> Result<()> {
        self.exec("DELETE FROM orgs WHERE id = $1", &[&org_id])?;
        Ok(())
    }

    fn list_orgs(&self) -> Result<Vec<OrgSummary>> {
        self.rows(
            "SELECT o.name, o.require_2fa, o.grace_secs,
                    (SELECT count(*) FROM memberships m WHERE m.org_id = o.id) AS members,
                    (SELECT string_agg(u.name, E'\\n' ORDER BY u.name COLLATE \"C\") FROM memberships m JOIN users u ON u.id = m.user_id
                      WHERE m.org_id = o.id AND m.role = 'owner') AS owners
             FROM orgs o ORDER BY o.name COLLATE \"C\"",
            &[],
        )?
        .iter()
        .map(|r| {
            let owners: Option<String> = r.val("owners")?;
            Ok(OrgSummary {
                name: r.val("name")?,
                require_2fa: r.val("require_2fa")?,
                grace_secs: r.val("grace_secs")?,
                members: r.val("members")?,
                owners: owners
                    .map(|o| o.split('\n').map(String::from).collect())
                    .unwrap_or_default(),
            })
        })
        .collect()
    }

    fn membership(&self, org_id: i64, user_id: i64) -> Result<Option<MemberRow>> {
        self.opt(
            "SELECT role, joined_at, deadline, added_by FROM memberships WHERE org_id = $1 AND user_id = $2",
            &[&org_id, &user_id],
        )?
        .as_ref()
        .map(member_row)
        .transpose()
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
        self.exec(
            "INSERT INTO memberships (org_id, user_id, role, joined_at, deadline, added_by) VALUES ($1, $2, $3, $4, $5, $6)",
            &[&org_id, &user_id, &role.as_str(), &now, &deadline, &added_by],
        )?;
        Ok(())
    }

    fn remove_member(&self, org_id: i64, user_id: i64) -> Result<()> {
        self.exec(
            "DELETE FROM memberships WHERE org_id = $1 AND user_id = $2",
            &[&org_id, &user_id],
        )?;
        Ok(())
    }

    fn set_role(&self, org_id: i64, user_id: i64, role: Role) -> Result<()> {
        self.exec(
            "UPDATE memberships SET role = $3 WHERE org_id = $1 AND user_id = $2",
            &[&org_id, &user_id, &role.as_str()],
        )?;
        Ok(())
    }

    fn count_owners(&self, org_id: i64) -> Result<i64> {
        self.one(
            "SELECT count(*) AS n FROM memberships WHERE org_id = $1 AND role = 'owner'",
            &[&org_id],
        )?
        .val("n")
    }

    fn set_require_2fa(
        &self,
        org_id: i64,
        on: bool,
        grace_secs: i64,
        allow_email: bool,
        now: Timestamp,
        reset: bool,
    ) -> Result<()> {
        self.exec(
            "UPDATE orgs SET require_2fa = $2, grace_secs = $3, allow_email = $5,
                             required_since = CASE WHEN $2 THEN coalesce(required_since, $4) END
             WHERE id = $1",
            &[&org_id, &on, &grace_secs, &now, &allow_email],
        )?;
        if on {
            self.exec(
                "UPDATE memberships SET deadline = $2
                 WHERE org_id = $1 AND ($3 OR deadline IS NULL)
                   AND user_id NOT IN (SELECT user_id FROM factors WHERE state = 'active' AND kind <> 'backup'
                                         AND (kind <> 'email' OR $4))
                   AND user_id NOT IN (SELECT id FROM users WHERE sso)",
                &[&org_id, &now.saturating_add(grace_secs), &reset, &allow_email],
            )?;
        } else {
            self.exec("UPDATE memberships SET deadline = NULL WHERE org_id = $1", &[&org_id])?;
        }
        Ok(())
    }

    fn restart_deadlines(&self, user_id: i64, from: Timestamp) -> Result<()> {
        self.exec(
            "UPDATE memberships SET deadline = $2 + (SELECT grace_secs FROM orgs WHERE orgs.id = memberships.org_id)
             WHERE user_id = $1 AND org_id IN (SELECT id FROM orgs WHERE require_2fa)",
            &[&user_id, &from],
        )?;
        Ok(())
    }

    fn orgs_of(&self, user_id: i64) -> Result<Vec<(OrgRow, MemberRow)>> {
        self.rows(
            "SELECT o.id, o.name, o.created_at, o.require_2fa, o.grace_secs, o.allow_email, m.role, m.joined_at, m.deadline, m.added_by
             FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.user_id = $1 ORDER BY o.name COLLATE \"C\"",
            &[&user_id],
        )?
        .iter()
        .map(|r| Ok((org_row(r)?, member_row(r)?)))
        .collect()
    }

    fn for_each_member(&self, org_id: i64, f: &mut dyn FnMut(MemberView) -> Result<()>) -> Result<()> {
        let rows = self.rows(
            &format!(
                "SELECT u.name, m.role, u.sso, m.deadline, u.email, {TWO_FACTOR},
                        (SELECT max(f.last_used_at) FROM factors f WHERE f.user_id = u.id) AS last_used_at,
                        (SELECT string_agg(f.kind, ',' ORDER BY f.id) FROM factors f
                          WHERE f.user_id = u.id AND f.state = 'active' AND f.kind <> 'backup') AS active_kinds
                 FROM memberships m
                 JOIN users u ON u.id = m.user_id
                 WHERE m.org_id = $1 ORDER BY u.name COLLATE \"C\""
            ),
            &[&org_id],
        )?;
        for r in &rows {
            f(MemberView {
                user: r.val("name")?,
                email: r.val("email")?,
                role: role_of(r.val("role")?),
                sso: r.val("sso")?,
                enrollment: two_factor(r)?,
                active_kinds: kinds(r)?,
                deadline: r.val("deadline")?,
                last_used_at: r.val("last_used_at")?,
            })?;
        }
        Ok(())
    }
}
