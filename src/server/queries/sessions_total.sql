-- The sessions list's total when its drill is one a tab counts (sessions.rs decides which):
-- summed from the very facts the tabs sum — the window's rollup days and raw edge days,
-- filtered alike — so the list's total is the number that was clicked, at the rollups' speed.
-- The measure is the drill's status, tier or funnel step (at most one), else the sessions
-- (active ones: those neither resolved, escalated nor abandoned);
-- $8 (flow) is never set here.
SELECT coalesce(sum(CASE WHEN $9::text = 'resolved' THEN resolved
                         WHEN $9::text = 'escalated' THEN escalated
                         WHEN $9::text = 'abandoned' THEN abandoned
                         WHEN $9::text = 'active' THEN sessions - resolved - escalated - abandoned
                         WHEN $10::text = 'guided' THEN guided
                         WHEN $10::text = 'assisted' THEN assisted
                         WHEN $10::text = 'exploratory' THEN exploratory
                         WHEN $11::text = 'linked' THEN linked
                         WHEN $11::text = 'note_pushed' THEN doc_pushed
                         WHEN $11::text = 'time_entry' THEN time_entry_logged
                         ELSE sessions END), 0)::int8 AS total
FROM session_facts
WHERE $8::uuid IS NULL
  AND ($6::text IS NULL OR problem_domain = $6)
  AND (NOT $7::bool OR problem_domain IS NULL)
  AND ($12::date IS NULL OR day = $12)
