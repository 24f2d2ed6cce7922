-- The window's sessions as rows of day × domain measures (the columns of
-- session_day_rollups): rollup rows for the days window.sql reads from the rollups, one row
-- per session read on a partial edge day (raw_sessions.sql: its sign, −1 for a session the
-- day's rollup counted but the window does not hold, multiplies every measure).
-- Filtered ($4 technician, $5 client), the inner days come from the rollups' twin keyed also
-- by technician and client, through the index of the technician (when set) or the client.
-- Each branch opens with a condition on the parameters alone, which PostgreSQL checks once:
-- only the branches that apply run.
, session_facts AS (
    SELECT r.day, r.problem_domain, r.sessions, r.resolved, r.escalated, r.guided, r.matched,
           r.confidence_sum, r.confidence_count, r.resolution_minutes_sum, r.resolution_count,
           r.linked, r.doc_pushed, r.time_entry_logged, r.abandoned, r.assisted, r.exploratory
    FROM session_day_rollups r, bounds b
    WHERE $4::uuid IS NULL AND $5::uuid IS NULL
      AND r.account_id = $1
      AND r.day BETWEEN b.rollup_from AND b.rollup_to
    UNION ALL
    SELECT r.day, r.problem_domain, r.sessions, r.resolved, r.escalated, r.guided, r.matched,
           r.confidence_sum, r.confidence_count, r.resolution_minutes_sum, r.resolution_count,
           r.linked, r.doc_pushed, r.time_entry_logged, r.abandoned, r.assisted, r.exploratory
    FROM session_dim_day_rollups r, bounds b
    WHERE $4::uuid IS NOT NULL
      AND r.account_id = $1 AND r.user_id = $4
      AND ($5::uuid IS NULL OR r.client_id = $5)
      AND r.day BETWEEN b.rollup_from AND b.rollup_to
    UNION ALL
    SELECT r.day, r.problem_domain, r.sessions, r.resolved, r.escalated, r.guided, r.matched,
           r.confidence_sum, r.confidence_count, r.resolution_minutes_sum, r.resolution_count,
           r.linked, r.doc_pushed, r.time_entry_logged, r.abandoned, r.assisted, r.exploratory
    FROM session_dim_day_rollups r, bounds b
    WHERE $4::uuid IS NULL AND $5::uuid IS NOT NULL
      AND r.account_id = $1 AND r.client_id = $5
      AND r.day BETWEEN b.rollup_from AND b.rollup_to
    UNION ALL
    SELECT (s.created_at AT TIME ZONE b.tz)::date,
           s.problem_domain,
           s.sign,
           s.sign * (s.status = 'resolved')::int,
           s.sign * (s.status = 'escalated')::int,
           s.sign * (s.confidence_tier IS NOT DISTINCT FROM 'guided')::int,
           s.sign * (s.matched_flow_id IS NOT NULL)::int,
           s.sign * coalesce(s.confidence, 0),
           s.sign * (s.confidence IS NOT NULL)::int,
           s.sign * CASE WHEN s.status = 'resolved' AND s.resolved_at IS NOT NULL
                         THEN extract(epoch FROM s.resolved_at - s.created_at)::float8 / 60
                         ELSE 0 END,
           s.sign * (s.status = 'resolved' AND s.resolved_at IS NOT NULL)::int,
           s.sign * (s.psa_ticket_id IS NOT NULL)::int,
           s.sign * (s.psa_ticket_id IS NOT NULL AND s.note_pushed)::int,
           s.sign * (s.psa_ticket_id IS NOT NULL AND s.note_pushed AND s.time_entry_pushed)::int,
           s.sign * (s.status = 'abandoned')::int,
           s.sign * (s.confidence_tier IS NOT DISTINCT FROM 'assisted')::int,
           s.sign * (s.confidence_tier IS NOT DISTINCT FROM 'exploratory')::int
    FROM raw_sessions s, bounds b
)
