SELECT problem_domain       AS domain,
       sum(sessions)::int8  AS session_count
FROM session_facts
WHERE problem_domain IS NOT NULL
GROUP BY problem_domain
HAVING sum(sessions) > 0
ORDER BY session_count DESC, domain ASC
LIMIT 5
