SELECT coalesce(sum(sessions), 0)::int8                                AS total_sessions,
       coalesce(sum(resolved), 0)::int8                                AS resolved_sessions,
       coalesce(sum(escalated), 0)::int8                               AS escalated_sessions,
       coalesce(sum(guided), 0)::int8                                  AS guided_sessions,
       coalesce(sum(matched), 0)::int8                                 AS matched_sessions,
       sum(confidence_sum) / nullif(sum(confidence_count), 0)          AS avg_confidence,
       sum(resolution_minutes_sum) / nullif(sum(resolution_count), 0)  AS avg_resolution_minutes
FROM session_facts
