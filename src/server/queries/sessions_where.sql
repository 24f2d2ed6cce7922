-- The sessions a view and its drill-down cover (SPEC §8): the account's, in the window ($2, $3],
-- of the technician ($4) and client ($5) when filtered, then the drill parameters — $6 domain,
-- $7 unmapped (no domain), $8 flow, $9 status, $10 tier, $11 funnel step (each within the one
-- before, as the push funnel counts them). A NULL parameter (or false) restricts nothing.
-- $12, the account-local day, is not read here: the caller narrows the window to it
-- (sessions.rs, `drill_window`), so it bounds the index range.
WHERE s.account_id = $1
  AND s.created_at > $2 AND s.created_at <= $3
  AND ($4::uuid IS NULL OR s.user_id = $4)
  AND ($5::uuid IS NULL OR s.client_id = $5)
  AND ($6::text IS NULL OR s.problem_domain = $6)
  AND (NOT $7::bool OR s.problem_domain IS NULL)
  AND ($8::uuid IS NULL OR s.matched_flow_id = $8)
  AND ($9::text IS NULL OR s.status = $9)
  AND ($10::text IS NULL OR s.confidence_tier = $10)
  AND ($11::text IS NULL OR (s.psa_ticket_id IS NOT NULL
                             AND ($11 = 'linked' OR s.note_pushed)
                             AND ($11 <> 'time_entry' OR s.time_entry_pushed)))
