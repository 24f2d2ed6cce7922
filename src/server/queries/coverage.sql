-- One row per problem domain in the window (the NULL row is the unmapped sessions), with the
-- number of active flows filed under a category of the same name.
, sessions AS (
    SELECT problem_domain                                                  AS domain,
           sum(sessions)::int8                                             AS session_count,
           sum(resolved)::int8                                             AS resolved,
           sum(escalated)::int8                                            AS escalated,
           sum(guided)::int8                                               AS guided,
           sum(resolution_minutes_sum) / nullif(sum(resolution_count), 0)  AS avg_resolution_minutes
    FROM session_facts
    GROUP BY problem_domain
    HAVING sum(sessions) > 0
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
