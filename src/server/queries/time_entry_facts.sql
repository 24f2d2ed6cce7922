-- The window's time entries as rows of (day, entries, hours, first_entries), where
-- first_entries counts entries whose session had no earlier time entry inside the window —
-- summed, the distinct sessions with a time entry in the window. Inner days come from
-- time_entry_day_rollups; an entry there is a first one when its session's previous entry
-- was before the first day, and for a previous entry on the first day itself the raw rows
-- tell whether it came before the window opened. Edge days are read entry by entry, within
-- two days of their end of the window as raw_sessions.sql says (so the planner, seeing two
-- days, reads a rarely seen technician's edge entries through the index, not the table).
-- Filtered ($4 technician, $5 client: the entries of the sessions that pass them, SPEC §7;
-- each log carries its session's technician and client), the inner days come from the
-- rollups' twin as in session_facts.sql, and every raw read is restricted alike.
, raw_entries AS (
    SELECT l.created_at, l.session_id, l.hours_logged, l.previous_entry_at, l.user_id, l.client_id
    FROM psa_activity_logs l, bounds b
    WHERE l.account_id = $1
      AND l.created_at > $2 AND l.created_at <= $3
      AND l.created_at < $2 + interval '2 days'
      AND l.created_at < b.first_day_ends
      AND (l.created_at AT TIME ZONE b.tz)::date = b.first_day
      AND l.activity_type = 'time_entry_posted'
      AND ($4::uuid IS NULL OR l.user_id = $4)
      AND ($5::uuid IS NULL OR l.client_id = $5)
    UNION ALL
    SELECT l.created_at, l.session_id, l.hours_logged, l.previous_entry_at, l.user_id, l.client_id
    FROM psa_activity_logs l, bounds b
    WHERE l.account_id = $1
      AND l.created_at > $2 AND l.created_at <= $3
      AND l.created_at >= $3 - interval '2 days'
      AND l.created_at >= b.last_day_starts
      AND (l.created_at AT TIME ZONE b.tz)::date = b.last_day
      AND b.last_day > b.first_day
      AND l.activity_type = 'time_entry_posted'
      AND ($4::uuid IS NULL OR l.user_id = $4)
      AND ($5::uuid IS NULL OR l.client_id = $5)
),
time_entry_facts AS (
    SELECT r.day,
           r.entries,
           r.hours,
           CASE WHEN r.previous_entry_day IS NULL OR r.previous_entry_day < b.first_day
                THEN r.session_entries ELSE 0 END                          AS first_entries
    FROM time_entry_day_rollups r, bounds b
    WHERE $4::uuid IS NULL AND $5::uuid IS NULL
      AND r.account_id = $1
      AND r.day > b.first_day
      AND r.day < b.last_day
    UNION ALL
    SELECT r.day,
           r.entries,
           r.hours,
           CASE WHEN r.previous_entry_day IS NULL OR r.previous_entry_day < b.first_day
                THEN r.session_entries ELSE 0 END                          AS first_entries
    FROM time_entry_dim_day_rollups r, bounds b
    WHERE $4::uuid IS NOT NULL
      AND r.account_id = $1 AND r.user_id = $4
      AND ($5::uuid IS NULL OR r.client_id = $5)
      AND r.day > b.first_day
      AND r.day < b.last_day
    UNION ALL
    SELECT r.day,
           r.entries,
           r.hours,
           CASE WHEN r.previous_entry_day IS NULL OR r.previous_entry_day < b.first_day
                THEN r.session_entries ELSE 0 END                          AS first_entries
    FROM time_entry_dim_day_rollups r, bounds b
    WHERE $4::uuid IS NULL AND $5::uuid IS NOT NULL
      AND r.account_id = $1 AND r.client_id = $5
      AND r.day > b.first_day
      AND r.day < b.last_day
    UNION ALL
    SELECT (l.created_at AT TIME ZONE b.tz)::date, 0, 0, 1
    FROM psa_activity_logs l, bounds b
    WHERE l.account_id = $1
      AND l.previous_entry_at > $2 - interval '2 days'
      AND l.previous_entry_at >= b.first_day_starts AND l.previous_entry_at <= $2
      AND (l.previous_entry_at AT TIME ZONE b.tz)::date = b.first_day
      AND (l.created_at AT TIME ZONE b.tz)::date > b.first_day
      AND (l.created_at AT TIME ZONE b.tz)::date < b.last_day
      AND l.session_id IS NOT NULL
      AND ($4::uuid IS NULL OR l.user_id = $4)
      AND ($5::uuid IS NULL OR l.client_id = $5)
    UNION ALL
    SELECT (l.created_at AT TIME ZONE b.tz)::date,
           1,
           l.hours_logged,
           (l.session_id IS NOT NULL
            AND (l.previous_entry_at IS NULL OR l.previous_entry_at <= $2))::int
    FROM raw_entries l, bounds b
)
