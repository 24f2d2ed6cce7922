-- Each session carries how many PSA activities it has (#14: the sessions CSV's speed).
--
-- The sessions list and its export showed the count by probing the logs' index once per
-- session: about half of PostgreSQL's time per exported row (58k rows/s at 1M, against a budget
-- of 100k). The count now sits on the session beside the funnel flags, kept by the same
-- statement of the logs' triggers (funnel_flags_statement: one UPDATE of the sessions whose logs
-- changed, only where something differs), and in the covering index the list and the export
-- read, so an exported row is read from the index alone.
--
-- A bulk writer that defers the triggers (the seed) writes the count on its rows, as it writes
-- the flags. The count is not in any rollup: a session whose count alone changes writes
-- zero deltas to the rollups (transition_changes), as a flag change does.

ALTER TABLE ai_sessions ADD COLUMN psa_activity_count integer NOT NULL DEFAULT 0
    CHECK (psa_activity_count >= 0);

-- The existing sessions' counts. The rollups do not read the count: the triggers are deferred
-- for this statement, and nothing needs folding afterwards.
SELECT set_config('flowpilot.defer_rollups', 'on', true);
UPDATE ai_sessions s
SET psa_activity_count = c.n
FROM (SELECT account_id, session_id, count(*) AS n
      FROM psa_activity_logs
      WHERE session_id IS NOT NULL
      GROUP BY 1, 2) c
WHERE s.account_id = c.account_id AND s.id = c.session_id;
SELECT set_config('flowpilot.defer_rollups', 'off', true);

CREATE OR REPLACE FUNCTION funnel_flags_statement(changes text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT format($sql$
        UPDATE ai_sessions s
        SET note_pushed = f.note_pushed, time_entry_pushed = f.time_entry_pushed,
            psa_activity_count = f.activities
        FROM (SELECT t.account_id, t.session_id,
                     EXISTS (SELECT FROM psa_activity_logs l
                             WHERE l.account_id = t.account_id AND l.session_id = t.session_id
                               AND l.activity_type = 'note_posted')       AS note_pushed,
                     EXISTS (SELECT FROM psa_activity_logs l
                             WHERE l.account_id = t.account_id AND l.session_id = t.session_id
                               AND l.activity_type = 'time_entry_posted') AS time_entry_pushed,
                     (SELECT count(*) FROM psa_activity_logs l
                      WHERE l.account_id = t.account_id AND l.session_id = t.session_id)::int
                                                                          AS activities
              FROM (SELECT DISTINCT account_id, session_id FROM (%s) c
                    WHERE c.session_id IS NOT NULL) t) f
        WHERE s.account_id = f.account_id AND s.id = f.session_id
          AND (s.note_pushed, s.time_entry_pushed, s.psa_activity_count)
              IS DISTINCT FROM (f.note_pushed, f.time_entry_pushed, f.activities)
    $sql$, changes)
$fn$;

SELECT install_rollup_triggers();

-- The covering index of the list and the export, now with the count.
DROP INDEX ai_sessions_account_created;
CREATE INDEX ai_sessions_account_created ON ai_sessions (account_id, created_at, id)
    INCLUDE (problem_domain, status, confidence_tier, confidence, matched_flow_id,
             psa_ticket_id, resolved_at, note_pushed, time_entry_pushed, user_id, client_id,
             psa_activity_count);
