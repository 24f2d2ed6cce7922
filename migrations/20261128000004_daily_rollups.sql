-- Daily rollups (issue 7, ../shared/PERFORMANCE.md): a 90-day view reads about 90 rows per
-- domain instead of scanning a million sessions.
--
-- * A rollup day is the account's local calendar day (accounts.timezone), the day the page
--   shows. Reads take the whole days strictly inside a window from the rollups and the two
--   partial edge days from the raw rows, so every figure stays exact to the second.
-- * The database keeps the rollups current: statement-level triggers with transition tables
--   fold every INSERT, UPDATE and DELETE (COPY, cascades and `ON DELETE SET NULL` included)
--   into them in the writer's own transaction, so the next read sees the write.
-- * Rows whose counts fall to zero are kept (readers skip them); a timezone change rebuilds
--   the account's rollups.
--
-- The per-row measures below are the ones the readers compute for the edge days
-- (src/server/queries/*_facts.sql); tests/rollups.rs holds the two to the same answers.

-- The push funnel as properties of the session (SPEC §3 PSA): whether a note / a time entry
-- for it is logged, kept by the logs' trigger, so the funnel over a window's sessions is a sum
-- of daily counts.
ALTER TABLE ai_sessions
    ADD COLUMN note_pushed boolean NOT NULL DEFAULT false,
    ADD COLUMN time_entry_pushed boolean NOT NULL DEFAULT false;

UPDATE ai_sessions s
SET note_pushed = p.has_note, time_entry_pushed = p.has_time_entry
FROM (SELECT account_id, session_id,
             bool_or(activity_type = 'note_posted')       AS has_note,
             bool_or(activity_type = 'time_entry_posted') AS has_time_entry
      FROM psa_activity_logs
      WHERE session_id IS NOT NULL
      GROUP BY account_id, session_id) p
WHERE s.account_id = p.account_id AND s.id = p.session_id;

-- The edge-day reads stay index-only with the funnel flags in the covering index.
DROP INDEX ai_sessions_account_created;
CREATE INDEX ai_sessions_account_created ON ai_sessions (account_id, created_at)
    INCLUDE (problem_domain, status, confidence_tier, confidence, matched_flow_id,
             psa_ticket_id, resolved_at, note_pushed, time_entry_pushed);

-- "Distinct sessions with a time entry in the window" is not a sum of daily counts. It is the
-- number of the window's time entries whose session had no earlier time entry inside the
-- window, i.e. whose previous time entry (same session) is missing or at/before the window's
-- start. So each time entry carries when its session's previous time entry was logged.
ALTER TABLE psa_activity_logs ADD COLUMN previous_entry_at timestamptz;

UPDATE psa_activity_logs l
SET previous_entry_at = p.previous_entry_at
FROM (SELECT account_id, id,
             lag(created_at) OVER (PARTITION BY account_id, session_id
                                   ORDER BY created_at, id) AS previous_entry_at
      FROM psa_activity_logs
      WHERE activity_type = 'time_entry_posted' AND session_id IS NOT NULL) p
WHERE l.account_id = p.account_id AND l.id = p.id AND p.previous_entry_at IS NOT NULL;

-- The edge-day reads of time entries stay index-only too.
DROP INDEX psa_activity_logs_account_created;
CREATE INDEX psa_activity_logs_account_created ON psa_activity_logs (account_id, created_at)
    INCLUDE (activity_type, session_id, hours_logged, previous_entry_at);
-- Time entries by when their session's previous entry was logged (see the PSA reads).
CREATE INDEX psa_activity_logs_previous_entry ON psa_activity_logs (account_id, previous_entry_at)
    INCLUDE (created_at) WHERE previous_entry_at IS NOT NULL;

CREATE TABLE session_day_rollups (
    account_id              uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    day                     date NOT NULL,
    problem_domain          text,
    sessions                integer NOT NULL,
    resolved                integer NOT NULL,
    escalated               integer NOT NULL,
    guided                  integer NOT NULL,
    matched                 integer NOT NULL,
    confidence_sum          double precision NOT NULL,
    confidence_count        integer NOT NULL,
    resolution_minutes_sum  double precision NOT NULL,
    resolution_count        integer NOT NULL,
    -- The funnel: linked to a ticket; and a note pushed; and a time entry too.
    linked                  integer NOT NULL,
    doc_pushed              integer NOT NULL,
    time_entry_logged       integer NOT NULL,
    UNIQUE NULLS NOT DISTINCT (account_id, day, problem_domain)
);

CREATE TABLE flow_day_rollups (
    account_id        uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    day               date NOT NULL,
    flow_id           uuid NOT NULL,
    sessions          integer NOT NULL,
    resolved          integer NOT NULL,
    guided            integer NOT NULL,
    confidence_sum    double precision NOT NULL,
    confidence_count  integer NOT NULL,
    PRIMARY KEY (account_id, day, flow_id)
);

-- Time entries by the day they were logged and the local day of the session's previous one.
CREATE TABLE time_entry_day_rollups (
    account_id           uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    day                  date NOT NULL,
    previous_entry_day   date,
    entries              integer NOT NULL,
    hours                double precision NOT NULL,
    -- Entries that belong to a session (a deleted session leaves its entries behind).
    session_entries      integer NOT NULL,
    UNIQUE NULLS NOT DISTINCT (account_id, day, previous_entry_day)
);

-- The statement that folds a set of changed session rows into the rollups. `changes` is a
-- query returning ai_sessions rows plus `sign` (+1 added, -1 removed): the triggers pass their
-- transition tables (visible only to statements the trigger function runs itself, hence a
-- statement to EXECUTE rather than a function doing it), a rebuild the account's sessions.
CREATE FUNCTION session_rollup_statement(changes text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
    SELECT format($sql$
        WITH c AS MATERIALIZED (%s),
        days AS (INSERT INTO session_day_rollups AS r
        SELECT c.account_id,
               (c.created_at AT TIME ZONE a.timezone)::date,
               c.problem_domain,
               sum(c.sign),
               sum(c.sign * (c.status = 'resolved')::int),
               sum(c.sign * (c.status = 'escalated')::int),
               sum(c.sign * (c.confidence_tier IS NOT DISTINCT FROM 'guided')::int),
               sum(c.sign * (c.matched_flow_id IS NOT NULL)::int),
               coalesce(sum(c.sign * c.confidence), 0),
               sum(c.sign * (c.confidence IS NOT NULL)::int),
               coalesce(sum(c.sign * extract(epoch FROM c.resolved_at - c.created_at) / 60)
                   FILTER (WHERE c.status = 'resolved' AND c.resolved_at IS NOT NULL), 0),
               sum(c.sign * (c.status = 'resolved' AND c.resolved_at IS NOT NULL)::int),
               sum(c.sign * (c.psa_ticket_id IS NOT NULL)::int),
               sum(c.sign * (c.psa_ticket_id IS NOT NULL AND c.note_pushed)::int),
               sum(c.sign * (c.psa_ticket_id IS NOT NULL AND c.note_pushed
                                         AND c.time_entry_pushed)::int)
        FROM c
        JOIN accounts a ON a.id = c.account_id
        GROUP BY 1, 2, 3
        ON CONFLICT (account_id, day, problem_domain) DO UPDATE SET
            sessions = r.sessions + excluded.sessions,
            resolved = r.resolved + excluded.resolved,
            escalated = r.escalated + excluded.escalated,
            guided = r.guided + excluded.guided,
            matched = r.matched + excluded.matched,
            confidence_sum = r.confidence_sum + excluded.confidence_sum,
            confidence_count = r.confidence_count + excluded.confidence_count,
            resolution_minutes_sum = r.resolution_minutes_sum + excluded.resolution_minutes_sum,
            resolution_count = r.resolution_count + excluded.resolution_count,
            linked = r.linked + excluded.linked,
            doc_pushed = r.doc_pushed + excluded.doc_pushed,
            time_entry_logged = r.time_entry_logged + excluded.time_entry_logged
        )
        INSERT INTO flow_day_rollups AS r
        SELECT c.account_id,
               (c.created_at AT TIME ZONE a.timezone)::date,
               c.matched_flow_id,
               sum(c.sign),
               sum(c.sign * (c.status = 'resolved')::int),
               sum(c.sign * (c.confidence_tier IS NOT DISTINCT FROM 'guided')::int),
               coalesce(sum(c.sign * c.confidence), 0),
               sum(c.sign * (c.confidence IS NOT NULL)::int)
        FROM c
        JOIN accounts a ON a.id = c.account_id
        WHERE c.matched_flow_id IS NOT NULL
        GROUP BY 1, 2, 3
        ON CONFLICT (account_id, day, flow_id) DO UPDATE SET
            sessions = r.sessions + excluded.sessions,
            resolved = r.resolved + excluded.resolved,
            guided = r.guided + excluded.guided,
            confidence_sum = r.confidence_sum + excluded.confidence_sum,
            confidence_count = r.confidence_count + excluded.confidence_count
    $sql$, changes)
$fn$;

-- The same for time entries: `changes` returns psa_activity_logs rows plus `sign`.
CREATE FUNCTION time_entry_rollup_statement(changes text) RETURNS text LANGUAGE sql IMMUTABLE
AS $fn$
    SELECT format($sql$
        INSERT INTO time_entry_day_rollups AS r
        SELECT c.account_id,
               (c.created_at AT TIME ZONE a.timezone)::date,
               (c.previous_entry_at AT TIME ZONE a.timezone)::date,
               sum(c.sign),
               coalesce(sum(c.sign * c.hours_logged), 0),
               sum(c.sign * (c.session_id IS NOT NULL)::int)
        FROM (%s) c
        JOIN accounts a ON a.id = c.account_id
        WHERE c.activity_type = 'time_entry_posted'
        GROUP BY 1, 2, 3
        ON CONFLICT (account_id, day, previous_entry_day) DO UPDATE SET
            entries = r.entries + excluded.entries,
            hours = r.hours + excluded.hours,
            session_entries = r.session_entries + excluded.session_entries
    $sql$, changes)
$fn$;

-- A trigger's transition tables as `changes` for its operation (TG_OP): inserted rows count
-- +1, deleted rows -1, and an UPDATE folds in as its old rows removed and its new rows added
-- (groups whose changes cancel out still write a row of zero deltas, harmless and simple).
CREATE FUNCTION transition_changes(operation text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE operation
        WHEN 'INSERT' THEN 'SELECT n.*, 1 AS sign FROM new_rows n'
        WHEN 'DELETE' THEN 'SELECT o.*, -1 AS sign FROM old_rows o'
        ELSE 'SELECT o.*, -1 AS sign FROM old_rows o UNION ALL SELECT n.*, 1 AS sign FROM new_rows n'
    END
$$;

-- A trigger's change set is small beside the tables it joins, which the planner cannot see
-- well through transition tables: at 5M rows it chose full scans for every COPY batch, so
-- loading slowed as the tables grew. For the triggers' duration only (the functions' SET
-- clauses), joins are index probes, and a write costs the same in a large table as in an
-- empty one.
CREATE FUNCTION ai_sessions_rollup() RETURNS trigger LANGUAGE plpgsql
SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $fn$
BEGIN
    EXECUTE session_rollup_statement(transition_changes(TG_OP));
    RETURN NULL;
END
$fn$;

-- The statement that sets previous_entry_at on every time entry of the sessions whose time
-- entries a change added, removed, moved in time or between sessions (its rows that do not
-- cancel out). Rows already right are left alone, so the UPDATE it makes touches nothing the
-- second time round.
CREATE FUNCTION previous_entry_statement(changes text) RETURNS text LANGUAGE sql IMMUTABLE
AS $fn$
    SELECT format($sql$
        WITH moved AS (
            SELECT account_id, id, session_id, created_at
            FROM (%s) c
            WHERE c.activity_type = 'time_entry_posted' AND c.session_id IS NOT NULL
            GROUP BY account_id, id, session_id, created_at
            HAVING sum(sign) <> 0
        ),
        expected AS (
            SELECT l.account_id, l.id,
                   lag(l.created_at) OVER (PARTITION BY l.account_id, l.session_id
                                           ORDER BY l.created_at, l.id) AS previous_entry_at
            FROM psa_activity_logs l
            WHERE l.activity_type = 'time_entry_posted'
              AND (l.account_id, l.session_id) IN (SELECT account_id, session_id FROM moved)
        )
        UPDATE psa_activity_logs l SET previous_entry_at = e.previous_entry_at
        FROM expected e
        WHERE l.account_id = e.account_id AND l.id = e.id
          AND l.previous_entry_at IS DISTINCT FROM e.previous_entry_at
    $sql$, changes)
$fn$;

CREATE FUNCTION psa_activity_logs_rollup() RETURNS trigger LANGUAGE plpgsql
SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $fn$
DECLARE
    changes constant text := transition_changes(TG_OP);
BEGIN
    -- A statement that changed no row changes nothing here either (this also ends the round
    -- trip of previous_entry_statement's own UPDATE: the second time it updates no row).
    IF TG_OP = 'DELETE' THEN
        PERFORM FROM old_rows LIMIT 1;
    ELSE
        PERFORM FROM new_rows LIMIT 1;
    END IF;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    EXECUTE time_entry_rollup_statement(changes);
    EXECUTE previous_entry_statement(changes);
    -- The funnel flags of the sessions whose logs changed (only those that differ).
    EXECUTE format($sql$
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
    $sql$, changes);
    RETURN NULL;
END
$fn$;

-- Drops and recomputes one account's rollups from its rows.
CREATE FUNCTION rebuild_rollups(account uuid) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    DELETE FROM session_day_rollups WHERE account_id = account;
    DELETE FROM flow_day_rollups WHERE account_id = account;
    DELETE FROM time_entry_day_rollups WHERE account_id = account;
    EXECUTE session_rollup_statement(format(
        'SELECT s.*, 1 AS sign FROM ai_sessions s WHERE s.account_id = %L', account));
    EXECUTE time_entry_rollup_statement(format(
        'SELECT l.*, 1 AS sign FROM psa_activity_logs l WHERE l.account_id = %L', account));
END
$fn$;

CREATE FUNCTION accounts_timezone_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM rebuild_rollups(NEW.id);
    RETURN NULL;
END
$fn$;

SELECT rebuild_rollups(id) FROM accounts;

CREATE TRIGGER ai_sessions_rollup_insert AFTER INSERT ON ai_sessions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ai_sessions_rollup();
CREATE TRIGGER ai_sessions_rollup_update AFTER UPDATE ON ai_sessions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ai_sessions_rollup();
CREATE TRIGGER ai_sessions_rollup_delete AFTER DELETE ON ai_sessions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ai_sessions_rollup();

CREATE TRIGGER psa_activity_logs_rollup_insert AFTER INSERT ON psa_activity_logs
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION psa_activity_logs_rollup();
CREATE TRIGGER psa_activity_logs_rollup_update AFTER UPDATE ON psa_activity_logs
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION psa_activity_logs_rollup();
CREATE TRIGGER psa_activity_logs_rollup_delete AFTER DELETE ON psa_activity_logs
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION psa_activity_logs_rollup();

CREATE TRIGGER accounts_timezone_changed AFTER UPDATE OF timezone ON accounts
    FOR EACH ROW WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone)
    EXECUTE FUNCTION accounts_timezone_changed();
