//! SQL for whole tables: copying a database to or from another backend.

use super::super::copy::{Table, Value};
use super::super::{Tables, *};
use super::{Result, Tx};
use rusqlite::types::ValueRef;

impl Tables for Tx<'_> {
    fn count_rows(&self, table: &Table) -> Result<u64> {
        // Table names come from `copy::TABLES`, never from input.
        let n: i64 = self
            .tx
            .query_row(&format!("SELECT count(*) FROM {}", table.name), [], |r| r.get(0))?;
        Ok(n as u64)
    }

    fn dump_rows(&self, table: &Table, each: &mut dyn FnMut(Vec<Value>) -> Result<()>) -> Result<()> {
        let sql = format!(
            "SELECT {} FROM {} ORDER BY {}",
            table.columns.join(", "),
            table.name,
            table.key
        );
        let mut stmt = self.tx.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let mut values = Vec::with_capacity(table.columns.len());
            for i in 0..table.columns.len() {
                values.push(match r.get_ref(i)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(n) => Value::Int(n),
                    ValueRef::Text(t) => {
                        Value::Text(String::from_utf8(t.to_vec()).map_err(|_| {
                            StoreError::Corrupt(format!("text that is not UTF-8 in table {}", table.name))
                        })?)
                    }
                    ValueRef::Blob(b) => Value::Blob(b.to_vec()),
                    ValueRef::Real(_) => {
                        return Err(StoreError::Corrupt(format!("a real number in table {}", table.name)));
                    }
                });
            }
            each(values)?;
        }
        Ok(())
    }

    fn clear_rows(&self, table: &Table) -> Result<()> {
        self.tx.execute(&format!("DELETE FROM {}", table.name), [])?;
        Ok(())
    }

    fn load_row(&self, table: &Table, row: &[Value]) -> Result<()> {
        let placeholders: Vec<String> = (1..=row.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            table.name,
            table.columns.join(", "),
            placeholders.join(", ")
        );
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let params: Vec<rusqlite::types::Value> = row
            .iter()
            .map(|v| match v {
                Value::Null => rusqlite::types::Value::Null,
                Value::Int(n) => rusqlite::types::Value::Integer(*n),
                Value::Text(t) => rusqlite::types::Value::Text(t.clone()),
                Value::Blob(b) => rusqlite::types::Value::Blob(b.clone()),
            })
            .collect();
        stmt.execute(rusqlite::params_from_iter(params))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use crate::store::copy::{NOT_COPIED, TABLES};

    /// Every table of the schema is copied (or listed as not, with why), with exactly
    /// its columns: a migration that adds one cannot leave the copy behind.
    #[test]
    fn the_copy_knows_every_table_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        let mut stmt = store
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .unwrap();
        let tables: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        for name in &tables {
            if NOT_COPIED.iter().any(|(n, _)| n == name) {
                continue;
            }
            let t = TABLES
                .iter()
                .find(|t| t.name == name)
                .unwrap_or_else(|| panic!("table {name} is neither copied nor listed in NOT_COPIED"));
            let mut cols = store.conn.prepare(&format!("PRAGMA table_info({name})")).unwrap();
            let mut columns: Vec<String> = cols.query_map([], |r| r.get(1)).unwrap().map(Result::unwrap).collect();
            let mut known: Vec<String> = t.columns.iter().map(|c| c.to_string()).collect();
            columns.sort();
            known.sort();
            assert_eq!(columns, known, "columns of {name}");
        }
        assert_eq!(tables.len(), TABLES.len() + NOT_COPIED.len(), "{tables:?}");
    }
}
