-- The window's sessions on its partial first and last day (by local day; the
-- columns of the covering index, so the scan is index-only).
, edge_sessions AS (
    SELECT s.created_at, s.problem_domain, s.status, s.confidence_tier, s.confidence,
           s.matched_flow_id, s.psa_ticket_id, s.resolved_at, s.note_pushed, s.time_entry_pushed
    FROM ai_sessions s, bounds b
    WHERE s.account_id = $1
      AND s.created_at > $2 AND s.created_at <= $3
      AND s.created_at < b.first_day_ends
      AND (s.created_at AT TIME ZONE b.tz)::date = b.first_day
    UNION ALL
    SELECT s.created_at, s.problem_domain, s.status, s.confidence_tier, s.confidence,
           s.matched_flow_id, s.psa_ticket_id, s.resolved_at, s.note_pushed, s.time_entry_pushed
    FROM ai_sessions s, bounds b
    WHERE s.account_id = $1
      AND s.created_at > $2 AND s.created_at <= $3
      AND s.created_at >= b.last_day_starts
      AND (s.created_at AT TIME ZONE b.tz)::date = b.last_day
      AND b.last_day > b.first_day
)
