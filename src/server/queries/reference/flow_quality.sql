-- Every active flow of the account with its use in the window, in one statement. Flows never
-- matched in the window come back with usage 0 and no averages.
WITH account AS (
    SELECT timezone FROM accounts WHERE id = $1
),
usage AS (
    SELECT matched_flow_id                                       AS flow_id,
           count(*)                                              AS usage_count,
           count(*) FILTER (WHERE status = 'resolved')           AS resolved,
           count(*) FILTER (WHERE confidence_tier = 'guided')    AS guided,
           avg(confidence)                                       AS avg_confidence
    FROM ai_sessions
    WHERE account_id = $1
      AND created_at > $2
      AND created_at <= $3
      AND ($4::uuid IS NULL OR user_id = $4)
      AND ($5::uuid IS NULL OR client_id = $5)
      AND matched_flow_id IS NOT NULL
    GROUP BY matched_flow_id
)
SELECT t.id                                   AS flow_id,
       t.name,
       t.tree_type,
       coalesce(u.usage_count, 0)             AS usage_count,
       coalesce(u.resolved, 0)                AS resolved,
       coalesce(u.guided, 0)                  AS guided,
       u.avg_confidence,
       t.last_matched_at,
       (($3::timestamptz AT TIME ZONE account.timezone)::date
          - (t.last_matched_at AT TIME ZONE account.timezone)::date)  AS days_since_match
FROM trees t
CROSS JOIN account
LEFT JOIN usage u ON u.flow_id = t.id
WHERE t.account_id = $1
  AND t.is_active
