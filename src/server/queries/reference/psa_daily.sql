-- Time entries and hours per calendar day of the window in the account's timezone,
-- zero-filled.
WITH account AS (
    SELECT timezone FROM accounts WHERE id = $1
),
days AS (
    SELECT day::date AS day
    FROM account,
         generate_series((($2::timestamptz + interval '1 microsecond') AT TIME ZONE account.timezone)::date,
                         ($3::timestamptz AT TIME ZONE account.timezone)::date,
                         interval '1 day') AS day
),
entries AS (
    SELECT (l.created_at AT TIME ZONE account.timezone)::date   AS day,
           count(*)                                              AS entries,
           sum(l.hours_logged)                                   AS hours
    FROM psa_activity_logs l, account
    WHERE l.account_id = $1
      AND l.activity_type = 'time_entry_posted'
      AND l.created_at > $2
      AND l.created_at <= $3
      -- Filtered, only the entries of the sessions that pass the filters.
      AND ($4::uuid IS NULL AND $5::uuid IS NULL
           OR EXISTS (SELECT FROM ai_sessions s
                      WHERE s.account_id = l.account_id AND s.id = l.session_id
                        AND ($4::uuid IS NULL OR s.user_id = $4)
                        AND ($5::uuid IS NULL OR s.client_id = $5)))
    GROUP BY 1
)
SELECT to_char(days.day, 'YYYY-MM-DD')   AS date,
       coalesce(entries.entries, 0)      AS entries,
       coalesce(entries.hours, 0)        AS hours
FROM days
LEFT JOIN entries USING (day)
ORDER BY days.day
