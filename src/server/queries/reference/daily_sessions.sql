-- Every calendar day of the window in the account's timezone, zero-filled.
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
counts AS (
    SELECT (s.created_at AT TIME ZONE account.timezone)::date   AS day,
           count(*)                                              AS sessions,
           count(*) FILTER (WHERE s.status = 'resolved')         AS resolved,
           count(*) FILTER (WHERE s.status = 'escalated')        AS escalated
    FROM ai_sessions s, account
    WHERE s.account_id = $1
      AND s.created_at > $2
      AND s.created_at <= $3
      AND ($4::uuid IS NULL OR s.user_id = $4)
      AND ($5::uuid IS NULL OR s.client_id = $5)
    GROUP BY 1
)
SELECT to_char(days.day, 'YYYY-MM-DD')   AS date,
       coalesce(counts.sessions, 0)      AS sessions,
       coalesce(counts.resolved, 0)      AS resolved,
       coalesce(counts.escalated, 0)     AS escalated
FROM days
LEFT JOIN counts USING (day)
ORDER BY days.day
