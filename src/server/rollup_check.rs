//! The daily rollups held to a rebuild: every rollup row that counts anything, read as JSON in
//! a stable order, and a comparison that allows floats their noise (sums added up write by
//! write differ from a rebuild's in the last bits: 7.199999999999999 against 7.2). The
//! benchmark checks its ingest load with it and the integration tests every kind of write; the
//! server never calls it.

use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

/// The daily rollup tables the triggers keep and `rebuild_rollups` recomputes (the migrations
/// `…_daily_rollups.sql` and `…_filter_rollups.sql`).
pub const ROLLUP_TABLES: [&str; 7] = [
    "session_day_rollups",
    "flow_day_rollups",
    "time_entry_day_rollups",
    "session_dim_day_rollups",
    "flow_dim_day_rollups",
    "time_entry_dim_day_rollups",
    "owner_day_rollups",
];

/// The rollup rows of `account` that count anything (rows left at zero by updates and deletes
/// are kept, a rebuild has none), each as JSON with its table's name under `rollup`, sorted.
pub async fn rows(conn: &mut PgConnection, account: Uuid) -> Result<Vec<Value>, sqlx::Error> {
    let mut rows = Vec::new();
    for table in ROLLUP_TABLES {
        let found: Vec<(Value,)> = sqlx::query_as(&format!(
            "SELECT to_jsonb(r) || jsonb_build_object('rollup', '{table}') FROM {table} r
             WHERE account_id = $1
               AND EXISTS (SELECT 1 FROM jsonb_each(to_jsonb(r)) e
                           WHERE jsonb_typeof(e.value) = 'number'
                             AND abs(e.value::text::float8) > 1e-9)"
        ))
        .bind(account)
        .fetch_all(&mut *conn)
        .await?;
        rows.extend(found.into_iter().map(|(row,)| row));
    }
    sort(&mut rows);
    Ok(rows)
}

/// Sorts rows by their values without the numbers: float noise cannot reorder them, and rows
/// of a rollup or a statement differ in a key that is not a number (a table, a day, a domain,
/// an id).
pub fn sort(rows: &mut [Value]) {
    rows.sort_by_cached_key(|row| without_numbers(row).to_string());
}

fn without_numbers(value: &Value) -> Value {
    match value {
        Value::Number(_) => Value::Null,
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), without_numbers(v))).collect())
        }
        other => other.clone(),
    }
}

/// Equal, numbers to within 1e-9 of the larger (or of 1).
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
            (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::{same, sort};
    use serde_json::json;

    #[test]
    fn float_noise_is_the_same_and_a_real_difference_is_not() {
        let kept =
            json!([{"day": "2026-11-30", "sessions": 9, "confidence_sum": 7.199999999999999}]);
        let rebuilt = json!([{"day": "2026-11-30", "sessions": 9, "confidence_sum": 7.2}]);
        assert!(same(&kept, &rebuilt));
        for off in [
            json!([{"day": "2026-11-30", "sessions": 10, "confidence_sum": 7.2}]),
            json!([{"day": "2026-11-30", "sessions": 9, "confidence_sum": 7.3}]),
            json!([{"day": "2026-11-29", "sessions": 9, "confidence_sum": 7.2}]),
            json!([]),
        ] {
            assert!(!same(&kept, &off), "{off}");
        }
    }

    #[test]
    fn rows_sort_by_their_keys_whatever_their_numbers() {
        let mut rows = vec![json!({"day": "b", "n": 1.0}), json!({"day": "a", "n": 2.0})];
        let mut noisy = vec![json!({"day": "b", "n": 0.9999999999}), json!({"day": "a", "n": 2.0})];
        sort(&mut rows);
        sort(&mut noisy);
        assert_eq!(rows[0]["day"], "a");
        assert!(same(&json!(rows), &json!(noisy)));
    }
}
