//! SQL for sealed secrets: the key check, and walking every secret to seal or reseal.

use super::super::{SecretStore, *};
use super::{Get, Result, Tx};
use zeroize::Zeroizing;

impl SecretStore for Tx<'_> {
    fn key_check(&self) -> Result<Option<Vec<u8>>> {
        self.opt("SELECT sealed FROM key_check WHERE one = 1", &[])?
            .map(|r| r.val("sealed"))
            .transpose()
    }

    fn put_key_check(&self, sealed: &[u8]) -> Result<()> {
        self.exec(
            "INSERT INTO key_check (one, sealed) VALUES (1, $1)
             ON CONFLICT (one) DO UPDATE SET sealed = excluded.sealed",
            &[&sealed],
        )?;
        Ok(())
    }

    fn has_sealed(&self) -> Result<bool> {
        self.one("SELECT EXISTS (SELECT 1 FROM factors WHERE sealed) AS e", &[])?
            .val("e")
    }

    fn has_secrets(&self) -> Result<bool> {
        self.one(
            "SELECT EXISTS (SELECT 1 FROM factors WHERE secret IS NOT NULL) AS e",
            &[],
        )?
        .val("e")
    }

    fn all_secrets(&self) -> Result<Vec<StoredSecret>> {
        self.rows(
            "SELECT f.id, f.user_id, u.name, f.secret, f.sealed FROM factors f JOIN users u ON u.id = f.user_id
             WHERE f.secret IS NOT NULL ORDER BY f.id",
            &[],
        )?
        .iter()
        .map(|r| {
            Ok(StoredSecret {
                factor_id: r.val("id")?,
                user_id: r.val("user_id")?,
                user_name: r.val("name")?,
                secret: Zeroizing::new(r.val("secret")?),
                sealed: r.val("sealed")?,
            })
        })
        .collect()
    }

    fn put_sealed_secret(&self, factor_id: i64, sealed: &[u8]) -> Result<()> {
        self.exec(
            "UPDATE factors SET secret = $2, sealed = true WHERE id = $1",
            &[&factor_id, &sealed],
        )?;
        Ok(())
    }
}
