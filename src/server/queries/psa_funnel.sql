-- The window's sessions through the push funnel. Each step is within the one before: linked to
-- a ticket, then at least one note pushed, then at least one time entry logged (the session's
-- note_pushed / time_entry_pushed flags, set when the first such push is logged).
SELECT coalesce(sum(sessions), 0)::int8           AS total_sessions,
       coalesce(sum(linked), 0)::int8             AS linked_to_ticket,
       coalesce(sum(doc_pushed), 0)::int8         AS doc_pushed,
       coalesce(sum(time_entry_logged), 0)::int8  AS time_entry_logged
FROM session_facts
