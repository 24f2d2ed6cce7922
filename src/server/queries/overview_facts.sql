-- Overview's totals, its zero-filled day series and its five busiest domains, in one
-- statement: the window's facts (session_facts.sql) are read once — PostgreSQL materializes a
-- CTE that is used more than once — and summed three ways. Each row says which (`kind`:
-- 'total', 'day' with its `date`, 'domain' with its `domain`) and carries every measure.
-- One statement, not three, because the facts' edge-day rows and a filter's rollup rows are
-- what a window costs; three statements read them three times (docs/BENCHMARKS.md).
, days AS (
    SELECT day::date AS day
    FROM bounds, generate_series(bounds.first_day, bounds.last_day, interval '1 day') AS day
),
sums AS (
    SELECT CASE WHEN grouping(day) = 0 THEN 'day'
                WHEN grouping(problem_domain) = 0 THEN 'domain'
                ELSE 'total' END                                       AS kind,
           day,
           problem_domain,
           sum(sessions)                                               AS sessions,
           sum(resolved)                                               AS resolved,
           sum(escalated)                                              AS escalated,
           sum(guided)                                                 AS guided,
           sum(matched)                                                AS matched,
           sum(confidence_sum) / nullif(sum(confidence_count), 0)      AS avg_confidence,
           sum(resolution_minutes_sum) / nullif(sum(resolution_count), 0)
                                                                       AS avg_resolution_minutes
    FROM session_facts
    GROUP BY GROUPING SETS ((), (day), (problem_domain))
)
-- The totals: one row, zero without sessions (a grand total over no rows is no row).
SELECT 'total'                                  AS kind,
       NULL::text                               AS date,
       NULL::text                               AS domain,
       coalesce(t.sessions, 0)::int8            AS sessions,
       coalesce(t.resolved, 0)::int8            AS resolved,
       coalesce(t.escalated, 0)::int8           AS escalated,
       coalesce(t.guided, 0)::int8              AS guided,
       coalesce(t.matched, 0)::int8             AS matched,
       t.avg_confidence,
       t.avg_resolution_minutes
FROM (SELECT 1) one
LEFT JOIN sums t ON t.kind = 'total'
UNION ALL
-- Every calendar day of the window in the account's timezone.
SELECT 'day',
       to_char(days.day, 'YYYY-MM-DD'),
       NULL,
       coalesce(d.sessions, 0)::int8,
       coalesce(d.resolved, 0)::int8,
       coalesce(d.escalated, 0)::int8,
       coalesce(d.guided, 0)::int8,
       coalesce(d.matched, 0)::int8,
       d.avg_confidence,
       d.avg_resolution_minutes
FROM days
LEFT JOIN sums d ON d.kind = 'day' AND d.day = days.day
UNION ALL
-- The five domains with the most sessions (ties by name); unmapped sessions are no domain.
(SELECT 'domain', NULL, problem_domain, sessions::int8, resolved::int8, escalated::int8,
        guided::int8, matched::int8, avg_confidence, avg_resolution_minutes
 FROM sums
 WHERE kind = 'domain' AND problem_domain IS NOT NULL AND sessions > 0
 ORDER BY sessions DESC, problem_domain ASC
 LIMIT 5)
ORDER BY kind, date, sessions DESC, domain
