-- The window's matched sessions as rows of day × flow measures (the columns of
-- flow_day_rollups): rollup rows for the rollups' days of window.sql (filtered, the twin's, as
-- in session_facts.sql), one row per session read on a partial edge day (times its sign).
, flow_facts AS (
    SELECT r.flow_id, r.sessions, r.resolved, r.guided, r.confidence_sum, r.confidence_count
    FROM flow_day_rollups r, bounds b
    WHERE $4::uuid IS NULL AND $5::uuid IS NULL
      AND r.account_id = $1
      AND r.day BETWEEN b.rollup_from AND b.rollup_to
    UNION ALL
    SELECT r.flow_id, r.sessions, r.resolved, r.guided, r.confidence_sum, r.confidence_count
    FROM flow_dim_day_rollups r, bounds b
    WHERE $4::uuid IS NOT NULL
      AND r.account_id = $1 AND r.user_id = $4
      AND ($5::uuid IS NULL OR r.client_id = $5)
      AND r.day BETWEEN b.rollup_from AND b.rollup_to
    UNION ALL
    SELECT r.flow_id, r.sessions, r.resolved, r.guided, r.confidence_sum, r.confidence_count
    FROM flow_dim_day_rollups r, bounds b
    WHERE $4::uuid IS NULL AND $5::uuid IS NOT NULL
      AND r.account_id = $1 AND r.client_id = $5
      AND r.day BETWEEN b.rollup_from AND b.rollup_to
    UNION ALL
    SELECT s.matched_flow_id,
           s.sign,
           s.sign * (s.status = 'resolved')::int,
           s.sign * (s.confidence_tier IS NOT DISTINCT FROM 'guided')::int,
           s.sign * coalesce(s.confidence, 0),
           s.sign * (s.confidence IS NOT NULL)::int
    FROM raw_sessions s
    WHERE s.matched_flow_id IS NOT NULL
)
