-- The window's sessions through the push funnel. Each step is within the one before: linked to
-- a ticket, then at least one note pushed, then at least one time entry logged — whenever it
-- was posted. (The server logs a push after it opened the session, but nothing in the schema
-- says so: a log moved to another session or written by an import may be older than its
-- session. An earlier version of this scan read only the logs posted in the window and missed
-- those.) Each linked session's logs are looked up by the (account, session) index.
SELECT count(*)                                                                AS total_sessions,
       count(*) FILTER (WHERE s.psa_ticket_id IS NOT NULL)                     AS linked_to_ticket,
       count(*) FILTER (WHERE s.psa_ticket_id IS NOT NULL AND p.has_note)      AS doc_pushed,
       count(*) FILTER (WHERE s.psa_ticket_id IS NOT NULL AND p.has_note
                              AND p.has_time_entry)                            AS time_entry_logged
FROM ai_sessions s
LEFT JOIN LATERAL (
    SELECT bool_or(l.activity_type = 'note_posted')       AS has_note,
           bool_or(l.activity_type = 'time_entry_posted') AS has_time_entry
    FROM psa_activity_logs l
    WHERE l.account_id = s.account_id
      AND l.session_id = s.id
) p ON s.psa_ticket_id IS NOT NULL
WHERE s.account_id = $1
  AND s.created_at > $2
  AND s.created_at <= $3
  AND ($4::uuid IS NULL OR s.user_id = $4)
  AND ($5::uuid IS NULL OR s.client_id = $5)
