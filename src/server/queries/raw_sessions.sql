-- The sessions read row by row on the window's partial edge days (by local day; the columns
-- of the covering index, so the scan is index-only): a raw edge day's sessions inside the
-- window (sign 1), a "sub" edge day's outside it (sign −1: window.sql says which); the other
-- days come from the rollups. Every fact built from these rows is multiplied by its sign.
-- An edge read lies within two days of its end of the window: said in terms of the
-- parameters, the planner sees a range of two days, not the whole window (the edge days'
-- exact bounds come from `bounds`, which it cannot see into). The filters ($4 technician,
-- $5 client; NULL: any) apply to the edge days' rows once read: PostgreSQL cannot see an edge
-- day's bounds when it plans, and offered the filter's column beside the time range it took
-- the client index (every session of the client, 300k rows at 1M) over the few thousand of an
-- edge day. MATERIALIZED keeps the filter out.
, edge_sessions AS MATERIALIZED (
    -- A raw first day: its sessions inside the window.
    SELECT s.created_at, s.problem_domain, s.status, s.confidence_tier, s.confidence,
           s.matched_flow_id, s.psa_ticket_id, s.resolved_at, s.note_pushed, s.time_entry_pushed,
           s.user_id, s.client_id, 1 AS sign
    FROM ai_sessions s, bounds b
    WHERE s.account_id = $1
      AND s.created_at > $2 AND s.created_at <= $3
      AND s.created_at < $2 + interval '2 days'
      AND s.created_at < b.first_day_ends
      AND (s.created_at AT TIME ZONE b.tz)::date = b.first_day
      AND b.first_raw
    UNION ALL
    -- A "sub" first day: its sessions before the window, taken back from its rollup.
    SELECT s.created_at, s.problem_domain, s.status, s.confidence_tier, s.confidence,
           s.matched_flow_id, s.psa_ticket_id, s.resolved_at, s.note_pushed, s.time_entry_pushed,
           s.user_id, s.client_id, -1 AS sign
    FROM ai_sessions s, bounds b
    WHERE s.account_id = $1
      AND s.created_at <= $2
      AND s.created_at > $2 - interval '2 days'
      AND s.created_at >= b.first_day_starts
      AND (s.created_at AT TIME ZONE b.tz)::date = b.first_day
      AND b.first_sub
    UNION ALL
    -- A raw last day: its sessions inside the window.
    SELECT s.created_at, s.problem_domain, s.status, s.confidence_tier, s.confidence,
           s.matched_flow_id, s.psa_ticket_id, s.resolved_at, s.note_pushed, s.time_entry_pushed,
           s.user_id, s.client_id, 1 AS sign
    FROM ai_sessions s, bounds b
    WHERE s.account_id = $1
      AND s.created_at > $2 AND s.created_at <= $3
      AND s.created_at >= $3 - interval '2 days'
      AND s.created_at >= b.last_day_starts
      AND (s.created_at AT TIME ZONE b.tz)::date = b.last_day
      AND b.last_raw
    UNION ALL
    -- A "sub" last day: its sessions after the window (none when it ends now).
    SELECT s.created_at, s.problem_domain, s.status, s.confidence_tier, s.confidence,
           s.matched_flow_id, s.psa_ticket_id, s.resolved_at, s.note_pushed, s.time_entry_pushed,
           s.user_id, s.client_id, -1 AS sign
    FROM ai_sessions s, bounds b
    WHERE s.account_id = $1
      AND s.created_at > $3
      AND s.created_at < $3 + interval '2 days'
      AND s.created_at < b.last_day_ends
      AND (s.created_at AT TIME ZONE b.tz)::date = b.last_day
      AND b.last_sub
),
raw_sessions AS (
    SELECT *
    FROM edge_sessions s
    WHERE ($4::uuid IS NULL OR s.user_id = $4)
      AND ($5::uuid IS NULL OR s.client_id = $5)
)
