-- Time entries pushed in the window: how many, how many hours, for how many sessions.
SELECT count(*)                          AS entries,
       coalesce(sum(hours_logged), 0)    AS hours,
       count(DISTINCT session_id)        AS sessions
FROM psa_activity_logs
WHERE account_id = $1
  AND activity_type = 'time_entry_posted'
  AND created_at > $2
  AND created_at <= $3
