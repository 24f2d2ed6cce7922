-- The window's sessions through the push funnel. Each step is within the one before: linked
-- to a ticket, then at least one note pushed, then at least one time entry logged.
SELECT count(*)                                                         AS total_sessions,
       count(*) FILTER (WHERE linked)                                   AS linked_to_ticket,
       count(*) FILTER (WHERE linked AND has_note)                      AS doc_pushed,
       count(*) FILTER (WHERE linked AND has_note AND has_time_entry)   AS time_entry_logged
FROM (
    SELECT s.psa_ticket_id IS NOT NULL AS linked,
           EXISTS (SELECT 1 FROM psa_activity_logs l
                   WHERE l.account_id = s.account_id AND l.session_id = s.id
                     AND l.activity_type = 'note_posted')               AS has_note,
           EXISTS (SELECT 1 FROM psa_activity_logs l
                   WHERE l.account_id = s.account_id AND l.session_id = s.id
                     AND l.activity_type = 'time_entry_posted')         AS has_time_entry
    FROM ai_sessions s
    WHERE s.account_id = $1
      AND s.created_at > $2
      AND s.created_at <= $3
) AS steps
