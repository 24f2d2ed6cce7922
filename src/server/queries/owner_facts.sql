-- The window's sessions and time-entry hours by technician and client, as one set of rows:
-- owner_day_rollups for the rollups' days of window.sql (sessions and hours in the same row),
-- the raw sessions and the raw time entries (times their sign) for a partial edge day,
-- filtered like every statement — what Overview's breakdowns and the filter pickers count,
-- each in a single pass over it.
, owner_facts AS (
    SELECT r.user_id, r.client_id, r.sessions, r.resolved, r.escalated,
           r.resolution_minutes_sum, r.resolution_count, r.hours
    FROM owner_day_rollups r, bounds b
    WHERE r.account_id = $1
      AND r.day BETWEEN b.rollup_from AND b.rollup_to
      AND ($4::uuid IS NULL OR r.user_id = $4)
      AND ($5::uuid IS NULL OR r.client_id = $5)
    UNION ALL
    SELECT s.user_id, s.client_id, s.sign,
           s.sign * (s.status = 'resolved')::int,
           s.sign * (s.status = 'escalated')::int,
           s.sign * CASE WHEN s.status = 'resolved' AND s.resolved_at IS NOT NULL
                         THEN extract(epoch FROM s.resolved_at - s.created_at)::float8 / 60
                         ELSE 0 END,
           s.sign * (s.status = 'resolved' AND s.resolved_at IS NOT NULL)::int,
           0::float8
    FROM raw_sessions s
    UNION ALL
    SELECT l.user_id, l.client_id, 0, 0, 0, 0::float8, 0, l.sign * l.hours_logged
    FROM raw_entries l
)
-- The same rows summed by technician and by client in one grouping pass (GROUPING SETS): a row
-- per technician (dimension 'technician', id its user id) and per client.
, by_owner AS (
    SELECT CASE WHEN grouping(user_id) = 0 THEN 'technician' ELSE 'client' END AS dimension,
           coalesce(user_id, client_id)  AS id,
           sum(sessions)                 AS sessions,
           sum(resolved)                 AS resolved,
           sum(escalated)                AS escalated,
           sum(resolution_minutes_sum)   AS minutes,
           sum(resolution_count)         AS resolution_count,
           sum(hours)                    AS hours
    FROM owner_facts
    GROUP BY GROUPING SETS ((user_id), (client_id))
    HAVING coalesce(user_id, client_id) IS NOT NULL
)
