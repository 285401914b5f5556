//! SQL for sealed secrets: the key check, and walking every secret to seal or reseal.

use super::super::{SecretStore, *};
use super::{Result, Tx};
use rusqlite::{OptionalExtension, params};
use zeroize::Zeroizing;

impl SecretStore for Tx<'_> {
    fn key_check(&self) -> Result<Option<Vec<u8>>> {
        Ok(self
            .tx
            .query_row("SELECT sealed FROM key_check WHERE one = 1", [], |r| r.get(0))
            .optional()?)
    }

    fn put_key_check(&self, sealed: &[u8]) -> Result<()> {
        self.tx.execute(
            "INSERT INTO key_check (one, sealed) VALUES (1, ?1)
             ON CONFLICT (one) DO UPDATE SET sealed = excluded.sealed",
            [sealed],
        )?;
        Ok(())
    }

    /// Whether any secret is sealed: then a missing key must never be replaced by a
    /// new one. (Only asked when the key file is missing.)
    fn has_sealed(&self) -> Result<bool> {
        Ok(self
            .tx
            .query_row("SELECT EXISTS (SELECT 1 FROM factors WHERE sealed)", [], |r| r.get(0))?)
    }

    fn has_secrets(&self) -> Result<bool> {
        Ok(self.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM factors WHERE secret IS NOT NULL)",
            [],
            |r| r.get(0),
        )?)
    }

    /// Every stored secret (for sealing plain ones, or resealing under a new key).
    fn all_secrets(&self) -> Result<Vec<StoredSecret>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT f.id, f.user_id, u.name, f.secret, f.sealed FROM factors f JOIN users u ON u.id = f.user_id
                 WHERE f.secret IS NOT NULL ORDER BY f.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(StoredSecret {
                factor_id: r.get("id")?,
                user_id: r.get("user_id")?,
                user_name: r.get("name")?,
                secret: Zeroizing::new(r.get("secret")?),
                sealed: r.get("sealed")?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn put_sealed_secret(&self, factor_id: i64, sealed: &[u8]) -> Result<()> {
        self.tx.execute(
            "UPDATE factors SET secret = ?2, sealed = 1 WHERE id = ?1",
            params![factor_id, sealed],
        )?;
        Ok(())
    }
}
