-- One row per problem domain in the window (the NULL row is the unmapped sessions), with the
-- number of active flows filed under a category of the same name.
WITH sessions AS (
    SELECT problem_domain                                           AS domain,
           count(*)                                                 AS session_count,
           count(*) FILTER (WHERE status = 'resolved')              AS resolved,
           count(*) FILTER (WHERE status = 'escalated')             AS escalated,
           count(*) FILTER (WHERE confidence_tier = 'guided')       AS guided,
           (avg(extract(epoch FROM resolved_at - created_at) / 60)
                FILTER (WHERE status = 'resolved' AND resolved_at IS NOT NULL))::float8
                                                                    AS avg_resolution_minutes
    FROM ai_sessions
    WHERE account_id = $1
      AND created_at > $2
      AND created_at <= $3
      AND ($4::uuid IS NULL OR user_id = $4)
      AND ($5::uuid IS NULL OR client_id = $5)
    GROUP BY problem_domain
),
flows AS (
    SELECT c.name, count(*) AS flow_count
    FROM trees t
    JOIN categories c ON c.account_id = t.account_id AND c.id = t.category_id
    WHERE t.account_id = $1
      AND t.is_active
    GROUP BY c.name
)
SELECT sessions.domain,
       coalesce(flows.flow_count, 0)   AS flow_count,
       sessions.session_count,
       sessions.resolved,
       sessions.escalated,
       sessions.guided,
       sessions.avg_resolution_minutes
FROM sessions
LEFT JOIN flows ON flows.name = sessions.domain
ORDER BY sessions.session_count DESC, sessions.domain COLLATE "C" ASC
