SELECT count(*)                                                   AS total_sessions,
       count(*) FILTER (WHERE status = 'resolved')                AS resolved_sessions,
       count(*) FILTER (WHERE status = 'escalated')               AS escalated_sessions,
       count(*) FILTER (WHERE confidence_tier = 'guided')         AS guided_sessions,
       count(matched_flow_id)                                     AS matched_sessions,
       avg(confidence)                                            AS avg_confidence,
       (avg(extract(epoch FROM resolved_at - created_at) / 60)
            FILTER (WHERE status = 'resolved' AND resolved_at IS NOT NULL))::float8
                                                                  AS avg_resolution_minutes
FROM ai_sessions
WHERE account_id = $1
  AND created_at > $2
  AND created_at <= $3
  AND ($4::uuid IS NULL OR user_id = $4)
  AND ($5::uuid IS NULL OR client_id = $5)
