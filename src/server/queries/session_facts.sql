-- The window's sessions as rows of day × domain measures (the columns of
-- session_day_rollups): rollup rows for the inner days, one row per session on the edge days.
, session_facts AS (
    SELECT r.day, r.problem_domain, r.sessions, r.resolved, r.escalated, r.guided, r.matched,
           r.confidence_sum, r.confidence_count, r.resolution_minutes_sum, r.resolution_count,
           r.linked, r.doc_pushed, r.time_entry_logged
    FROM session_day_rollups r, bounds b
    WHERE r.account_id = $1
      AND r.day > b.first_day
      AND r.day < b.last_day
    UNION ALL
    SELECT (s.created_at AT TIME ZONE b.tz)::date,
           s.problem_domain,
           1,
           (s.status = 'resolved')::int,
           (s.status = 'escalated')::int,
           (s.confidence_tier IS NOT DISTINCT FROM 'guided')::int,
           (s.matched_flow_id IS NOT NULL)::int,
           coalesce(s.confidence, 0),
           (s.confidence IS NOT NULL)::int,
           CASE WHEN s.status = 'resolved' AND s.resolved_at IS NOT NULL
                THEN extract(epoch FROM s.resolved_at - s.created_at)::float8 / 60
                ELSE 0 END,
           (s.status = 'resolved' AND s.resolved_at IS NOT NULL)::int,
           (s.psa_ticket_id IS NOT NULL)::int,
           (s.psa_ticket_id IS NOT NULL AND s.note_pushed)::int,
           (s.psa_ticket_id IS NOT NULL AND s.note_pushed AND s.time_entry_pushed)::int
    FROM edge_sessions s, bounds b
)
