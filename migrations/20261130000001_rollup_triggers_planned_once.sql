-- The rollup triggers plan their statements once per connection, not on every write, and a
-- bulk writer folds its rows into the rollups once (#16).
--
-- The statement-level triggers ran their statements through EXECUTE: PostgreSQL parsed and
-- planned the rollup CTEs (five upserts for sessions, three for time entries, the previous-
-- entry and funnel-flag UPDATEs) on every statement that wrote a session or a log. On a
-- one-row write, the ingest API's case, that planning was nearly all the trigger's cost:
-- measured on 2 cores with synchronous_commit off, a one-row UPDATE of a session took
-- 0.3–0.5 ms without its triggers and 2.5–4 ms with them, and a one-row log insert 10 ms.
--
-- Static SQL in PL/pgSQL is planned once per connection and the plan kept. A trigger needs its
-- change set spelled for its operation (an INSERT has no old_rows to name), so this migration
-- writes one function per table and operation, each holding its statements as static SQL —
-- generated from the statement functions (session_rollup_statement, time_entry_rollup_statement,
-- previous_entry_statement and funnel_flags_statement below), which stay the one place that
-- says what a change does to the rollups; rebuild_rollups keeps using them as before. A
-- migration that changes one of those functions must run install_rollup_triggers() again.
--
-- The functions keep the SET clauses that make every join an index probe (see
-- 20261128000004_daily_rollups.sql): the cached plan is made under them, so it stays a probe
-- plan whether the change set holds one row or a COPY batch.

-- A bulk writer (the seed: new accounts, a COPY of thousands of rows at a time) defers the
-- triggers' work for its transaction — `SET LOCAL flowpilot.defer_rollups = 'on'` — and folds
-- the account once before it commits: `SELECT rebuild_rollups(account)`, one pass grouped by
-- day instead of a fold per COPY batch. It then owns what the triggers would have written on
-- the rows themselves: the sessions' funnel flags, the logs' previous_entry_at and the logs'
-- technician and client. The server's role cannot defer: its writes always fold as they go.
CREATE FUNCTION rollups_deferred() RETURNS boolean LANGUAGE sql STABLE AS $fn$
    SELECT current_setting('flowpilot.defer_rollups', true) = 'on'
       AND current_user <> 'flowpilot_app'
$fn$;

CREATE OR REPLACE FUNCTION psa_activity_logs_owner() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF rollups_deferred() THEN
        RETURN NEW;
    END IF;
    SELECT s.user_id, s.client_id INTO NEW.user_id, NEW.client_id
    FROM ai_sessions s
    WHERE s.account_id = NEW.account_id AND s.id = NEW.session_id;
    IF NOT FOUND THEN
        NEW.user_id := NULL;
        NEW.client_id := NULL;
    END IF;
    RETURN NEW;
END
$fn$;

-- The funnel flags of the sessions whose logs changed (only those that differ).
CREATE FUNCTION funnel_flags_statement(changes text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
    SELECT format($sql$
        UPDATE ai_sessions s
        SET note_pushed = f.note_pushed, time_entry_pushed = f.time_entry_pushed
        FROM (SELECT t.account_id, t.session_id,
                     EXISTS (SELECT FROM psa_activity_logs l
                             WHERE l.account_id = t.account_id AND l.session_id = t.session_id
                               AND l.activity_type = 'note_posted')       AS note_pushed,
                     EXISTS (SELECT FROM psa_activity_logs l
                             WHERE l.account_id = t.account_id AND l.session_id = t.session_id
                               AND l.activity_type = 'time_entry_posted') AS time_entry_pushed
              FROM (SELECT DISTINCT account_id, session_id FROM (%s) c
                    WHERE c.session_id IS NOT NULL) t) f
        WHERE s.account_id = f.account_id AND s.id = f.session_id
          AND (s.note_pushed, s.time_entry_pushed)
              IS DISTINCT FROM (f.note_pushed, f.time_entry_pushed)
    $sql$, changes)
$fn$;

-- Writes ai_sessions_rollup_{insert,update,delete}() and psa_activity_logs_rollup_{…}() from
-- the statement functions, and points the six rollup triggers at them.
CREATE FUNCTION install_rollup_triggers() RETURNS void LANGUAGE plpgsql AS $install$
DECLARE
    op text;
    changes text;
    transition text;
    probes constant text :=
        'SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off';
BEGIN
    FOREACH op IN ARRAY ARRAY['INSERT', 'UPDATE', 'DELETE'] LOOP
        changes := transition_changes(op);
        transition := CASE op
            WHEN 'INSERT' THEN 'NEW TABLE AS new_rows'
            WHEN 'DELETE' THEN 'OLD TABLE AS old_rows'
            ELSE 'OLD TABLE AS old_rows NEW TABLE AS new_rows' END;

        EXECUTE format('CREATE OR REPLACE FUNCTION %I() RETURNS trigger LANGUAGE plpgsql %s AS %L',
            'ai_sessions_rollup_' || lower(op), probes,
            format('BEGIN
                        IF rollups_deferred() THEN
                            RETURN NULL;
                        END IF;
                        %s;
                        RETURN NULL;
                    END', session_rollup_statement(changes)));
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON ai_sessions', 'ai_sessions_rollup_' || lower(op));
        EXECUTE format('CREATE TRIGGER %I AFTER %s ON ai_sessions REFERENCING %s
                        FOR EACH STATEMENT EXECUTE FUNCTION %I()',
            'ai_sessions_rollup_' || lower(op), op, transition, 'ai_sessions_rollup_' || lower(op));

        -- A statement that changed no row changes nothing here either (this also ends the
        -- round trip of previous_entry_statement's own UPDATE: the second time it updates no
        -- row).
        EXECUTE format('CREATE OR REPLACE FUNCTION %I() RETURNS trigger LANGUAGE plpgsql %s AS %L',
            'psa_activity_logs_rollup_' || lower(op), probes,
            format('BEGIN
                        IF rollups_deferred() THEN
                            RETURN NULL;
                        END IF;
                        PERFORM FROM %s LIMIT 1;
                        IF NOT FOUND THEN
                            RETURN NULL;
                        END IF;
                        %s;
                        %s;
                        %s;
                        RETURN NULL;
                    END',
                CASE op WHEN 'DELETE' THEN 'old_rows' ELSE 'new_rows' END,
                time_entry_rollup_statement(changes),
                previous_entry_statement(changes),
                funnel_flags_statement(changes)));
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON psa_activity_logs',
            'psa_activity_logs_rollup_' || lower(op));
        EXECUTE format('CREATE TRIGGER %I AFTER %s ON psa_activity_logs REFERENCING %s
                        FOR EACH STATEMENT EXECUTE FUNCTION %I()',
            'psa_activity_logs_rollup_' || lower(op), op, transition,
            'psa_activity_logs_rollup_' || lower(op));
    END LOOP;
END
$install$;

SELECT install_rollup_triggers();

-- The triggers' old functions, which planned on every call.
DROP FUNCTION ai_sessions_rollup();
DROP FUNCTION psa_activity_logs_rollup();
REVOKE ALL ON FUNCTION install_rollup_triggers() FROM PUBLIC;
