-- Every active flow of the account with its use in the window, in one statement. Flows never
-- matched in the window come back with usage 0 and no averages.
, usage AS (
    SELECT flow_id,
           sum(sessions)::int8                                   AS usage_count,
           sum(resolved)::int8                                   AS resolved,
           sum(guided)::int8                                     AS guided,
           sum(confidence_sum) / nullif(sum(confidence_count), 0)  AS avg_confidence
    FROM flow_facts
    GROUP BY flow_id
)
SELECT t.id                                   AS flow_id,
       t.name,
       t.tree_type,
       coalesce(u.usage_count, 0)             AS usage_count,
       coalesce(u.resolved, 0)                AS resolved,
       coalesce(u.guided, 0)                  AS guided,
       u.avg_confidence,
       t.last_matched_at,
       (($3::timestamptz AT TIME ZONE b.tz)::date
          - (t.last_matched_at AT TIME ZONE b.tz)::date)  AS days_since_match
FROM trees t
CROSS JOIN bounds b
LEFT JOIN usage u ON u.flow_id = t.id
WHERE t.account_id = $1
  AND t.is_active
