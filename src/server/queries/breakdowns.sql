-- Overview's breakdowns (SPEC §7): the 20 busiest technicians and clients of the window
-- (owner_facts.sql) with their names and the hours their sessions' time entries logged in it.
, ranked AS (
    SELECT *, row_number() OVER (PARTITION BY dimension ORDER BY sessions DESC, id) AS rank
    FROM by_owner
    WHERE sessions > 0
)
SELECT k.dimension,
       k.id,
       coalesce(u.email, c.name, '')                                         AS name,
       k.sessions,
       k.resolved,
       k.escalated,
       (k.minutes / nullif(k.resolution_count, 0))::float8                   AS avg_resolution_minutes,
       k.hours::float8                                                       AS hours_logged
FROM ranked k
LEFT JOIN users u ON k.dimension = 'technician' AND u.id = k.id
LEFT JOIN clients c ON k.dimension = 'client' AND c.account_id = $1 AND c.id = k.id
WHERE k.rank <= 20
ORDER BY k.dimension, k.rank
