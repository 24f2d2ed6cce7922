-- Overview's breakdowns by a scan of the raw rows: the window's sessions by technician and by
-- client, the 20 busiest of each, and the hours their sessions' time entries logged in the
-- window (time entries reach their session's technician and client through the session).
WITH s AS (
    SELECT user_id, client_id, status, created_at, resolved_at
    FROM ai_sessions
    WHERE account_id = $1
      AND created_at > $2
      AND created_at <= $3
      AND ($4::uuid IS NULL OR user_id = $4)
      AND ($5::uuid IS NULL OR client_id = $5)
),
e AS (
    SELECT s.user_id, s.client_id, l.hours_logged
    FROM psa_activity_logs l
    JOIN ai_sessions s ON s.account_id = l.account_id AND s.id = l.session_id
    WHERE l.account_id = $1
      AND l.activity_type = 'time_entry_posted'
      AND l.created_at > $2
      AND l.created_at <= $3
      AND ($4::uuid IS NULL OR s.user_id = $4)
      AND ($5::uuid IS NULL OR s.client_id = $5)
),
by_owner AS (
    SELECT 'technician' AS dimension, user_id AS id, count(*) AS sessions,
           count(*) FILTER (WHERE status = 'resolved') AS resolved,
           count(*) FILTER (WHERE status = 'escalated') AS escalated,
           (avg(extract(epoch FROM resolved_at - created_at) / 60)
                FILTER (WHERE status = 'resolved' AND resolved_at IS NOT NULL))::float8
               AS avg_resolution_minutes
    FROM s
    WHERE user_id IS NOT NULL
    GROUP BY user_id
    UNION ALL
    SELECT 'client', client_id, count(*),
           count(*) FILTER (WHERE status = 'resolved'),
           count(*) FILTER (WHERE status = 'escalated'),
           (avg(extract(epoch FROM resolved_at - created_at) / 60)
                FILTER (WHERE status = 'resolved' AND resolved_at IS NOT NULL))::float8
    FROM s
    WHERE client_id IS NOT NULL
    GROUP BY client_id
),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY dimension ORDER BY sessions DESC, id) AS rank
    FROM by_owner
),
hours AS (
    SELECT 'technician' AS dimension, user_id AS id, sum(hours_logged) AS hours
    FROM e
    WHERE user_id IS NOT NULL
    GROUP BY user_id
    UNION ALL
    SELECT 'client', client_id, sum(hours_logged)
    FROM e
    WHERE client_id IS NOT NULL
    GROUP BY client_id
)
SELECT k.dimension,
       k.id,
       coalesce(u.email, c.name, '')      AS name,
       k.sessions,
       k.resolved,
       k.escalated,
       k.avg_resolution_minutes,
       coalesce(h.hours, 0)::float8       AS hours_logged
FROM ranked k
LEFT JOIN hours h ON h.dimension = k.dimension AND h.id = k.id
LEFT JOIN users u ON k.dimension = 'technician' AND u.id = k.id
LEFT JOIN clients c ON k.dimension = 'client' AND c.account_id = $1 AND c.id = k.id
WHERE k.rank <= 20
ORDER BY k.dimension, k.rank
