-- A filtered read takes its technician's or client's rows of the rollups' twins from the
-- index alone (#13, SPEC §7).
--
-- session_dim_day_rollups and its siblings hold a row per day × domain (flow, previous-entry
-- day) × technician × client: the busiest technician's 90 days are about 13k rows at 1M
-- sessions. Read through the indexes of migration …_filter_rollups.sql each row cost a visit
-- to a heap page of its own (12,136 buffers for 12,842 rows, 13.4 ms of a 27 ms statement).
-- The same indexes now carry the columns the statements read (session_facts.sql,
-- flow_facts.sql, time_entry_facts.sql), so the scan is index-only: 3.0 ms for those rows.
--
-- An index-only scan visits the heap for rows on pages not marked all-visible: the rollup
-- rows of past days stop changing and the next vacuum marks their pages. A lower
-- autovacuum threshold keeps that true between bulk writes (the default waits for a fifth of
-- the table to change).

DROP INDEX session_dim_day_rollups_user;
DROP INDEX session_dim_day_rollups_client;
CREATE INDEX session_dim_day_rollups_user ON session_dim_day_rollups (account_id, user_id, day)
    INCLUDE (problem_domain, client_id, sessions, resolved, escalated, guided, matched,
             confidence_sum, confidence_count, resolution_minutes_sum, resolution_count,
             linked, doc_pushed, time_entry_logged, abandoned, assisted, exploratory);
CREATE INDEX session_dim_day_rollups_client ON session_dim_day_rollups (account_id, client_id, day)
    INCLUDE (problem_domain, user_id, sessions, resolved, escalated, guided, matched,
             confidence_sum, confidence_count, resolution_minutes_sum, resolution_count,
             linked, doc_pushed, time_entry_logged, abandoned, assisted, exploratory);

DROP INDEX flow_dim_day_rollups_user;
DROP INDEX flow_dim_day_rollups_client;
CREATE INDEX flow_dim_day_rollups_user ON flow_dim_day_rollups (account_id, user_id, day)
    INCLUDE (flow_id, client_id, sessions, resolved, guided, confidence_sum, confidence_count);
CREATE INDEX flow_dim_day_rollups_client ON flow_dim_day_rollups (account_id, client_id, day)
    INCLUDE (flow_id, user_id, sessions, resolved, guided, confidence_sum, confidence_count);

DROP INDEX time_entry_dim_day_rollups_user;
DROP INDEX time_entry_dim_day_rollups_client;
CREATE INDEX time_entry_dim_day_rollups_user ON time_entry_dim_day_rollups (account_id, user_id, day)
    INCLUDE (previous_entry_day, client_id, entries, hours, session_entries);
CREATE INDEX time_entry_dim_day_rollups_client
    ON time_entry_dim_day_rollups (account_id, client_id, day)
    INCLUDE (previous_entry_day, user_id, entries, hours, session_entries);

ALTER TABLE session_dim_day_rollups SET (autovacuum_vacuum_scale_factor = 0.02,
                                          autovacuum_vacuum_insert_scale_factor = 0.02);
ALTER TABLE flow_dim_day_rollups SET (autovacuum_vacuum_scale_factor = 0.02,
                                       autovacuum_vacuum_insert_scale_factor = 0.02);
ALTER TABLE time_entry_dim_day_rollups SET (autovacuum_vacuum_scale_factor = 0.02,
                                             autovacuum_vacuum_insert_scale_factor = 0.02);
