-- The sessions list (SPEC §8) pages newest first by (created_at, id). With `id` a key column
-- of the covering index, the index itself is in the list's order, so a page — the first or
-- the 100th, after its cursor — is the next 50 entries of an index-only scan that passes the
-- drill and the filters, whatever plan PostgreSQL caches for the prepared statement (with `id`
-- only included, a generic plan sorted every session of the window: 390 ms at 1M). Only the
-- page's rows are then read from the table. Counting a drill's rows (the totals the rollups do
-- not keep) is index-only too.
DROP INDEX ai_sessions_account_created;
CREATE INDEX ai_sessions_account_created ON ai_sessions (account_id, created_at, id)
    INCLUDE (problem_domain, status, confidence_tier, confidence, matched_flow_id,
             psa_ticket_id, resolved_at, note_pushed, time_entry_pushed, user_id, client_id);
