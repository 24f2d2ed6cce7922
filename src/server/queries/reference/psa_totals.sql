-- Time entries pushed in the window: how many, how many hours, for how many sessions.
SELECT count(*)                          AS entries,
       coalesce(sum(hours_logged), 0)    AS hours,
       count(DISTINCT session_id)        AS sessions
FROM psa_activity_logs
WHERE account_id = $1
  AND activity_type = 'time_entry_posted'
  AND created_at > $2
  AND created_at <= $3
  -- Filtered, only the entries of the sessions that pass the filters.
  AND ($4::uuid IS NULL AND $5::uuid IS NULL
       OR EXISTS (SELECT FROM ai_sessions s
                  WHERE s.account_id = psa_activity_logs.account_id AND s.id = psa_activity_logs.session_id
                    AND ($4::uuid IS NULL OR s.user_id = $4)
                    AND ($5::uuid IS NULL OR s.client_id = $5)))
