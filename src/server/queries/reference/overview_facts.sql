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
sessions AS (
    SELECT s.*, (s.created_at AT TIME ZONE account.timezone)::date AS day
    FROM ai_sessions s, account
    WHERE s.account_id = $1
      AND s.created_at > $2
      AND s.created_at <= $3
      AND ($4::uuid IS NULL OR s.user_id = $4)
      AND ($5::uuid IS NULL OR s.client_id = $5)
),
totals AS (
    SELECT 'total'                                                    AS kind,
           NULL::text                                                 AS date,
           NULL::text                                                 AS domain,
           count(*)                                                   AS sessions,
           count(*) FILTER (WHERE status = 'resolved')                AS resolved,
           count(*) FILTER (WHERE status = 'escalated')               AS escalated,
           count(*) FILTER (WHERE confidence_tier = 'guided')         AS guided,
           count(matched_flow_id)                                     AS matched,
           avg(confidence)                                            AS avg_confidence,
           (avg(extract(epoch FROM resolved_at - created_at) / 60)
                FILTER (WHERE status = 'resolved' AND resolved_at IS NOT NULL))::float8
                                                                      AS avg_resolution_minutes
    FROM sessions
),
by_day AS (
    SELECT day,
           count(*)                                                   AS sessions,
           count(*) FILTER (WHERE status = 'resolved')                AS resolved,
           count(*) FILTER (WHERE status = 'escalated')               AS escalated,
           count(*) FILTER (WHERE confidence_tier = 'guided')         AS guided,
           count(matched_flow_id)                                     AS matched,
           avg(confidence)                                            AS avg_confidence,
           (avg(extract(epoch FROM resolved_at - created_at) / 60)
                FILTER (WHERE status = 'resolved' AND resolved_at IS NOT NULL))::float8
                                                                      AS avg_resolution_minutes
    FROM sessions
    GROUP BY day
),
by_domain AS (
    SELECT 'domain'                                                   AS kind,
           NULL::text                                                 AS date,
           problem_domain                                             AS domain,
           count(*)                                                   AS sessions,
           count(*) FILTER (WHERE status = 'resolved')                AS resolved,
           count(*) FILTER (WHERE status = 'escalated')               AS escalated,
           count(*) FILTER (WHERE confidence_tier = 'guided')         AS guided,
           count(matched_flow_id)                                     AS matched,
           avg(confidence)                                            AS avg_confidence,
           (avg(extract(epoch FROM resolved_at - created_at) / 60)
                FILTER (WHERE status = 'resolved' AND resolved_at IS NOT NULL))::float8
                                                                      AS avg_resolution_minutes
    FROM sessions
    WHERE problem_domain IS NOT NULL
    GROUP BY problem_domain
    ORDER BY sessions DESC, domain ASC
    LIMIT 5
)
SELECT * FROM totals
UNION ALL
SELECT 'day', to_char(days.day, 'YYYY-MM-DD'), NULL,
       coalesce(d.sessions, 0), coalesce(d.resolved, 0), coalesce(d.escalated, 0),
       coalesce(d.guided, 0), coalesce(d.matched, 0), d.avg_confidence, d.avg_resolution_minutes
FROM days
LEFT JOIN by_day d USING (day)
UNION ALL
SELECT * FROM by_domain
