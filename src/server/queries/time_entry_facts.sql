-- The window's time entries as rows of (day, entries, hours, first_entries), where
-- first_entries counts entries whose session had no earlier time entry inside the window —
-- summed, the distinct sessions with a time entry in the window. The rollups' days of
-- window.sql come from time_entry_day_rollups; an entry there is a first one when its
-- session's previous entry was before the first day, and for a previous entry on a partial
-- first day the raw rows tell whether it came before the window opened (a whole first day is
-- all inside). A partial edge day's entries are read one by one as raw_sessions.sql reads its
-- sessions — inside the window (sign 1) or, for a "sub" day, outside it (sign −1, taking back
-- what the day's rollup counted) — each read within two days of its end of the window (so the
-- planner, seeing two days, reads a rarely seen technician's edge entries through the index,
-- not the table). Filtered ($4 technician, $5 client: the entries of the sessions that pass
-- them, SPEC §7; each log carries its session's technician and client), the rollup days come
-- from the rollups' twin as in session_facts.sql, and every raw read is restricted alike.
, raw_entries AS (
    SELECT l.created_at, l.session_id, l.hours_logged, l.previous_entry_at, l.user_id, l.client_id,
           1 AS sign
    FROM psa_activity_logs l, bounds b
    WHERE l.account_id = $1
      AND l.created_at > $2 AND l.created_at <= $3
      AND l.created_at < $2 + interval '2 days'
      AND l.created_at < b.first_day_ends
      AND (l.created_at AT TIME ZONE b.tz)::date = b.first_day
      AND b.first_raw
      AND l.activity_type = 'time_entry_posted'
      AND ($4::uuid IS NULL OR l.user_id = $4)
      AND ($5::uuid IS NULL OR l.client_id = $5)
    UNION ALL
    SELECT l.created_at, l.session_id, l.hours_logged, l.previous_entry_at, l.user_id, l.client_id,
           -1 AS sign
    FROM psa_activity_logs l, bounds b
    WHERE l.account_id = $1
      AND l.created_at <= $2
      AND l.created_at > $2 - interval '2 days'
      AND l.created_at >= b.first_day_starts
      AND (l.created_at AT TIME ZONE b.tz)::date = b.first_day
      AND b.first_sub
      AND l.activity_type = 'time_entry_posted'
      AND ($4::uuid IS NULL OR l.user_id = $4)
      AND ($5::uuid IS NULL OR l.client_id = $5)
    UNION ALL
    SELECT l.created_at, l.session_id, l.hours_logged, l.previous_entry_at, l.user_id, l.client_id,
           1 AS sign
    FROM psa_activity_logs l, bounds b
    WHERE l.account_id = $1
      AND l.created_at > $2 AND l.created_at <= $3
      AND l.created_at >= $3 - interval '2 days'
      AND l.created_at >= b.last_day_starts
      AND (l.created_at AT TIME ZONE b.tz)::date = b.last_day
      AND b.last_raw
      AND l.activity_type = 'time_entry_posted'
      AND ($4::uuid IS NULL OR l.user_id = $4)
      AND ($5::uuid IS NULL OR l.client_id = $5)
    UNION ALL
    SELECT l.created_at, l.session_id, l.hours_logged, l.previous_entry_at, l.user_id, l.client_id,
           -1 AS sign
    FROM psa_activity_logs l, bounds b
    WHERE l.account_id = $1
      AND l.created_at > $3
      AND l.created_at < $3 + interval '2 days'
      AND l.created_at < b.last_day_ends
      AND (l.created_at AT TIME ZONE b.tz)::date = b.last_day
      AND b.last_sub
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
      AND r.day BETWEEN b.rollup_from AND b.rollup_to
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
      AND r.day BETWEEN b.rollup_from AND b.rollup_to
    UNION ALL
    SELECT r.day,
           r.entries,
           r.hours,
           CASE WHEN r.previous_entry_day IS NULL OR r.previous_entry_day < b.first_day
                THEN r.session_entries ELSE 0 END                          AS first_entries
    FROM time_entry_dim_day_rollups r, bounds b
    WHERE $4::uuid IS NULL AND $5::uuid IS NOT NULL
      AND r.account_id = $1 AND r.client_id = $5
      AND r.day BETWEEN b.rollup_from AND b.rollup_to
    UNION ALL
    SELECT (l.created_at AT TIME ZONE b.tz)::date, 0, 0, 1
    FROM psa_activity_logs l, bounds b
    WHERE l.account_id = $1
      -- on a "sub" edge day, only the entries inside the window (said through `bounds`, so
      -- the planner keeps to the previous entries' index: as index bounds these took the
      -- created_at index over the whole window, 200 ms at 1M)
      AND (NOT b.first_sub OR l.created_at > $2)
      AND (NOT b.last_sub OR l.created_at <= $3)
      AND l.previous_entry_at > $2 - interval '2 days'
      AND l.previous_entry_at >= b.first_day_starts AND l.previous_entry_at <= $2
      AND (l.previous_entry_at AT TIME ZONE b.tz)::date = b.first_day
      AND (l.created_at AT TIME ZONE b.tz)::date BETWEEN b.rollup_from AND b.rollup_to
      AND l.session_id IS NOT NULL
      AND ($4::uuid IS NULL OR l.user_id = $4)
      AND ($5::uuid IS NULL OR l.client_id = $5)
    UNION ALL
    SELECT (l.created_at AT TIME ZONE b.tz)::date,
           l.sign,
           l.sign * l.hours_logged,
           CASE WHEN l.sign > 0
                -- inside the window: a first entry when its previous one is not
                THEN (l.session_id IS NOT NULL
                      AND (l.previous_entry_at IS NULL OR l.previous_entry_at <= $2))::int
                -- outside, taken back: what the day's rollup counted for it (rule above)
                ELSE -(l.session_id IS NOT NULL
                       AND (l.previous_entry_at IS NULL
                            OR (l.previous_entry_at AT TIME ZONE b.tz)::date < b.first_day))::int
           END
    FROM raw_entries l, bounds b
)
