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
    SELECT l.*, (l.created_at AT TIME ZONE account.timezone)::date AS day,
           -- the session's first time entry in the window
           l.session_id IS NOT NULL
               AND NOT EXISTS (SELECT FROM psa_activity_logs e
                               WHERE e.account_id = l.account_id AND e.session_id = l.session_id
                                 AND e.activity_type = 'time_entry_posted'
                                 AND e.created_at > $2
                                 AND (e.created_at, e.id) < (l.created_at, l.id)) AS first_entry
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
),
by_day AS (
    SELECT day, count(*) AS entries, sum(hours_logged) AS hours,
           count(*) FILTER (WHERE first_entry) AS sessions
    FROM entries
    GROUP BY day
)
SELECT NULL::text                          AS date,
       count(*)                            AS entries,
       coalesce(sum(hours_logged), 0)      AS hours,
       count(DISTINCT session_id)          AS sessions
FROM entries
UNION ALL
SELECT to_char(days.day, 'YYYY-MM-DD'),
       coalesce(by_day.entries, 0),
       coalesce(by_day.hours, 0),
       coalesce(by_day.sessions, 0)
FROM days
LEFT JOIN by_day USING (day)
