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
sums AS (
    SELECT CASE WHEN grouping(day) = 0 THEN 'day'
                WHEN grouping(problem_domain) = 0 THEN 'domain'
                ELSE 'total' END                                      AS kind,
           day,
           problem_domain,
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
    GROUP BY GROUPING SETS ((), (day), (problem_domain))
)
SELECT 'total' AS kind, NULL::text AS date, NULL::text AS domain,
       coalesce(t.sessions, 0) AS sessions, coalesce(t.resolved, 0) AS resolved,
       coalesce(t.escalated, 0) AS escalated, coalesce(t.guided, 0) AS guided,
       coalesce(t.matched, 0) AS matched, t.avg_confidence, t.avg_resolution_minutes
FROM (SELECT 1) one
LEFT JOIN sums t ON t.kind = 'total'
UNION ALL
SELECT 'day', to_char(days.day, 'YYYY-MM-DD'), NULL,
       coalesce(d.sessions, 0), coalesce(d.resolved, 0), coalesce(d.escalated, 0),
       coalesce(d.guided, 0), coalesce(d.matched, 0), d.avg_confidence, d.avg_resolution_minutes
FROM days
LEFT JOIN sums d ON d.kind = 'day' AND d.day = days.day
UNION ALL
(SELECT 'domain', NULL, problem_domain, sessions, resolved, escalated, guided, matched,
        avg_confidence, avg_resolution_minutes
 FROM sums
 WHERE kind = 'domain' AND problem_domain IS NOT NULL
 ORDER BY sessions DESC, problem_domain ASC
 LIMIT 5)
