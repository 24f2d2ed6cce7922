-- Every calendar day of the window in the account's timezone, zero-filled.
, days AS (
    SELECT day::date AS day
    FROM bounds, generate_series(bounds.first_day, bounds.last_day, interval '1 day') AS day
),
counts AS (
    SELECT day,
           sum(sessions)   AS sessions,
           sum(resolved)   AS resolved,
           sum(escalated)  AS escalated
    FROM session_facts
    GROUP BY day
)
SELECT to_char(days.day, 'YYYY-MM-DD')       AS date,
       coalesce(counts.sessions, 0)::int8    AS sessions,
       coalesce(counts.resolved, 0)::int8    AS resolved,
       coalesce(counts.escalated, 0)::int8   AS escalated
FROM days
LEFT JOIN counts USING (day)
ORDER BY days.day
