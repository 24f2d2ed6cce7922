SELECT problem_domain  AS domain,
       count(*)        AS session_count
FROM ai_sessions
WHERE account_id = $1
  AND created_at > $2
  AND created_at <= $3
  AND ($4::uuid IS NULL OR user_id = $4)
  AND ($5::uuid IS NULL OR client_id = $5)
  AND problem_domain IS NOT NULL
GROUP BY problem_domain
ORDER BY session_count DESC, domain ASC
LIMIT 5
