-- The window's sessions through the push funnel. Each step is within the one before: linked to
-- a ticket, then at least one note pushed, then at least one time entry logged. A session's
-- pushes come after it was opened, so only logs posted in the window can belong to the
-- window's sessions: one pass over those (index-only), joined to the sessions.
WITH pushed AS (
    SELECT session_id,
           bool_or(activity_type = 'note_posted')          AS has_note,
           bool_or(activity_type = 'time_entry_posted')    AS has_time_entry
    FROM psa_activity_logs
    WHERE account_id = $1
      AND created_at > $2
      AND session_id IS NOT NULL
    GROUP BY session_id
)
SELECT count(*)                                                                AS total_sessions,
       count(*) FILTER (WHERE s.psa_ticket_id IS NOT NULL)                     AS linked_to_ticket,
       count(*) FILTER (WHERE s.psa_ticket_id IS NOT NULL AND p.has_note)      AS doc_pushed,
       count(*) FILTER (WHERE s.psa_ticket_id IS NOT NULL AND p.has_note
                              AND p.has_time_entry)                            AS time_entry_logged
FROM ai_sessions s
LEFT JOIN pushed p ON p.session_id = s.id
WHERE s.account_id = $1
  AND s.created_at > $2
  AND s.created_at <= $3
  AND ($4::uuid IS NULL OR s.user_id = $4)
  AND ($5::uuid IS NULL OR s.client_id = $5)
