//! SQL for whole tables: copying a database to or from another backend. Booleans
//! travel as 0 and 1 (as SQLite keeps them); every other column as it is.

use super::super::copy::{Table, Value};
use super::super::{Tables, *};
use super::{Result, Tx};
use ::postgres::Statement;
use ::postgres::types::{ToSql, Type};

/// A value for a parameter of type `ty`.
fn param(ty: &Type, v: &Value, table: &Table) -> Result<Box<dyn ToSql + Sync>> {
    let mismatch = || {
        StoreError::Other(format!(
            "a value of table {} does not fit its column ({ty})",
            table.name
        ))
    };
    Ok(match (ty, v) {
        (&Type::BOOL, Value::Null) => Box::new(None::<bool>),
        (&Type::BOOL, Value::Int(n)) => Box::new(*n != 0),
        (&Type::INT8, Value::Null) => Box::new(None::<i64>),
        (&Type::INT8, Value::Int(n)) => Box::new(*n),
        (&Type::INT4, Value::Null) => Box::new(None::<i32>),
        (&Type::INT4, Value::Int(n)) => Box::new(i32::try_from(*n).map_err(|_| mismatch())?),
        (&Type::TEXT, Value::Null) => Box::new(None::<String>),
        (&Type::TEXT, Value::Text(t)) => Box::new(t.clone()),
        (&Type::BYTEA, Value::Null) => Box::new(None::<Vec<u8>>),
        (&Type::BYTEA, Value::Blob(b)) => Box::new(b.clone()),
        _ => return Err(mismatch()),
    })
}

impl Tx<'_> {
    /// The statement for `sql`, prepared once per transaction.
    fn statement(&self, sql: String) -> Result<Statement> {
        if let Some(s) = self.prepared.borrow().get(&sql) {
            return Ok(s.clone());
        }
        let r = self.client().prepare(&sql);
        let stmt = self.track(r)?;
        self.prepared.borrow_mut().insert(sql, stmt.clone());
        Ok(stmt)
    }
}

impl Tables for Tx<'_> {
    fn count_rows(&self, table: &Table) -> Result<u64> {
        // Table names come from `copy::TABLES`, never from input.
        let n: i64 = self
            .one(&format!("SELECT count(*) AS n FROM {}", table.name), &[])?
            .try_get("n")
            .map_err(|e| StoreError::Other(e.to_string()))?;
        Ok(n as u64)
    }

    fn dump_rows(&self, table: &Table, each: &mut dyn FnMut(Vec<Value>) -> Result<()>) -> Result<()> {
        let sql = format!(
            "SELECT {} FROM {} ORDER BY {}",
            table.columns.join(", "),
            table.name,
            table.key
        );
        let result = self.stream(&sql, &[], &mut |r| {
            let mut values = Vec::with_capacity(table.columns.len());
            for (i, col) in r.columns().iter().enumerate() {
                let get = |e: ::postgres::Error| StoreError::Corrupt(format!("column {}: {e}", col.name()));
                values.push(match *col.type_() {
                    Type::BOOL => r
                        .try_get::<_, Option<bool>>(i)
                        .map_err(get)?
                        .map_or(Value::Null, |b| Value::Int(i64::from(b))),
                    Type::INT8 => r
                        .try_get::<_, Option<i64>>(i)
                        .map_err(get)?
                        .map_or(Value::Null, Value::Int),
                    Type::INT4 => r
                        .try_get::<_, Option<i32>>(i)
                        .map_err(get)?
                        .map_or(Value::Null, |n| Value::Int(n.into())),
                    Type::TEXT => r
                        .try_get::<_, Option<String>>(i)
                        .map_err(get)?
                        .map_or(Value::Null, Value::Text),
                    Type::BYTEA => r
                        .try_get::<_, Option<Vec<u8>>>(i)
                        .map_err(get)?
                        .map_or(Value::Null, Value::Blob),
                    ref other => {
                        return Err(StoreError::Corrupt(format!("column {} has type {other}", col.name())).into());
                    }
                });
            }
            Ok(each(values)?)
        });
        match result {
            Ok(()) => Ok(()),
            Err(crate::error::Error::Storage(e)) => Err(e),
            Err(e) => Err(StoreError::Other(e.to_string())),
        }
    }

    fn clear_rows(&self, table: &Table) -> Result<()> {
        self.exec(&format!("DELETE FROM {}", table.name), &[])?;
        Ok(())
    }

    fn load_row(&self, table: &Table, row: &[Value]) -> Result<()> {
        let placeholders: Vec<String> = (1..=row.len()).map(|i| format!("${i}")).collect();
        let stmt = self.statement(format!(
            "INSERT INTO {} ({}) VALUES ({})",
            table.name,
            table.columns.join(", "),
            placeholders.join(", ")
        ))?;
        let params = stmt
            .params()
            .iter()
            .zip(row)
            .map(|(ty, v)| param(ty, v, table))
            .collect::<Result<Vec<_>>>()?;
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
        let r = self.client().execute(&stmt, &refs);
        self.track(r)?;
        Ok(())
    }

    /// Identity columns continue after the ids that were loaded.
    fn after_load(&self) -> Result<()> {
        for t in super::super::copy::TABLES.iter().filter(|t| t.key == "id") {
            self.exec(
                &format!(
                    "SELECT setval(s, coalesce((SELECT max(id) FROM {0}), 0) + 1, false)
                     FROM pg_get_serial_sequence('{0}', 'id') AS s WHERE s IS NOT NULL",
                    t.name
                ),
                &[],
            )?;
        }
        Ok(())
    }
}
