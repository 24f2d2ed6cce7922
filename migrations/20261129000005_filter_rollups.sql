-- The technician and client filters (SPEC §7), as fast as the unfiltered reads: rollups with
-- the two dimensions, read only when a filter is set.
--
-- * Each daily rollup gets a twin keyed also by the session's technician (user_id) and client
--   (client_id): session_dim_day_rollups, flow_dim_day_rollups, time_entry_dim_day_rollups.
--   Unfiltered reads keep reading the small rollups; a filtered read sums the twin's rows of
--   its technician or client (an index each) for the inner days and reads the two edge days
--   raw, as before. Overview's breakdowns and the pickers read owner_day_rollups (technician ×
--   client × day, sessions and hours).
-- * A time entry belongs to its session's technician and client (SPEC §7: "PSA logs through
--   their session"). The log row carries them (user_id, client_id), set from the session when
--   the row is written or moved to another session, and rewritten when a session changes
--   technician or client — so the logs' own rollup trigger folds the change into the twin.
--   An entry whose session is deleted belongs to no one.
-- * The same statement functions fold every change into both rollups (one pass over the
--   change set, grouped by the twin's key, then summed again for the plain rollup).

ALTER TABLE psa_activity_logs ADD COLUMN user_id uuid, ADD COLUMN client_id uuid;

UPDATE psa_activity_logs l SET user_id = s.user_id, client_id = s.client_id
FROM ai_sessions s
WHERE s.account_id = l.account_id AND s.id = l.session_id
  AND (s.user_id IS NOT NULL OR s.client_id IS NOT NULL);

-- A log written, or moved to another session (a deleted session's logs lose theirs through the
-- foreign key's SET NULL, an UPDATE too), takes its session's technician and client.
CREATE FUNCTION psa_activity_logs_owner() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
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

CREATE TRIGGER psa_activity_logs_owner BEFORE INSERT OR UPDATE OF session_id ON psa_activity_logs
    FOR EACH ROW EXECUTE FUNCTION psa_activity_logs_owner();

-- A session that changes technician or client takes its logs along (their rollup trigger then
-- moves their hours between the twin's rows).
CREATE FUNCTION ai_sessions_owner_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    UPDATE psa_activity_logs l SET user_id = n.user_id, client_id = n.client_id
    FROM new_rows n
    JOIN old_rows o ON o.account_id = n.account_id AND o.id = n.id
    WHERE (o.user_id, o.client_id) IS DISTINCT FROM (n.user_id, n.client_id)
      AND l.account_id = n.account_id AND l.session_id = n.id;
    RETURN NULL;
END
$fn$;

CREATE TRIGGER ai_sessions_owner_changed AFTER UPDATE ON ai_sessions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ai_sessions_owner_changed();

CREATE TABLE session_dim_day_rollups (
    account_id              uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    day                     date NOT NULL,
    problem_domain          text,
    user_id                 uuid,
    client_id               uuid,
    sessions                integer NOT NULL,
    resolved                integer NOT NULL,
    escalated               integer NOT NULL,
    guided                  integer NOT NULL,
    matched                 integer NOT NULL,
    confidence_sum          double precision NOT NULL,
    confidence_count        integer NOT NULL,
    resolution_minutes_sum  double precision NOT NULL,
    resolution_count        integer NOT NULL,
    linked                  integer NOT NULL,
    doc_pushed              integer NOT NULL,
    time_entry_logged       integer NOT NULL,
    UNIQUE NULLS NOT DISTINCT (account_id, day, problem_domain, user_id, client_id)
);

CREATE TABLE flow_dim_day_rollups (
    account_id        uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    day               date NOT NULL,
    flow_id           uuid NOT NULL,
    user_id           uuid,
    client_id         uuid,
    sessions          integer NOT NULL,
    resolved          integer NOT NULL,
    guided            integer NOT NULL,
    confidence_sum    double precision NOT NULL,
    confidence_count  integer NOT NULL,
    UNIQUE NULLS NOT DISTINCT (account_id, day, flow_id, user_id, client_id)
);

CREATE TABLE time_entry_dim_day_rollups (
    account_id           uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    day                  date NOT NULL,
    previous_entry_day   date,
    user_id              uuid,
    client_id            uuid,
    entries              integer NOT NULL,
    hours                double precision NOT NULL,
    session_entries      integer NOT NULL,
    UNIQUE NULLS NOT DISTINCT (account_id, day, previous_entry_day, user_id, client_id)
);

-- Overview's breakdowns and the filter pickers count sessions and hours by technician and
-- client over every day of a window, unfiltered: a rollup without the domain (and without the
-- previous-entry day) keeps that a few hundred rows a day. Sessions and time entries each
-- fold their own columns into it.
CREATE TABLE owner_day_rollups (
    account_id              uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    day                     date NOT NULL,
    user_id                 uuid,
    client_id               uuid,
    sessions                integer NOT NULL DEFAULT 0,
    resolved                integer NOT NULL DEFAULT 0,
    escalated               integer NOT NULL DEFAULT 0,
    resolution_minutes_sum  double precision NOT NULL DEFAULT 0,
    resolution_count        integer NOT NULL DEFAULT 0,
    -- Hours of the time entries logged that day for sessions of this technician and client.
    hours                   double precision NOT NULL DEFAULT 0,
    UNIQUE NULLS NOT DISTINCT (account_id, day, user_id, client_id)
);

-- A filtered read takes one technician's or one client's rows of the window's days.
CREATE INDEX session_dim_day_rollups_user ON session_dim_day_rollups (account_id, user_id, day);
CREATE INDEX session_dim_day_rollups_client ON session_dim_day_rollups (account_id, client_id, day);
CREATE INDEX flow_dim_day_rollups_user ON flow_dim_day_rollups (account_id, user_id, day);
CREATE INDEX flow_dim_day_rollups_client ON flow_dim_day_rollups (account_id, client_id, day);
CREATE INDEX time_entry_dim_day_rollups_user ON time_entry_dim_day_rollups (account_id, user_id, day);
CREATE INDEX time_entry_dim_day_rollups_client
    ON time_entry_dim_day_rollups (account_id, client_id, day);

-- The edge days' raw reads stay index-only with the filters' columns in the covering indexes.
DROP INDEX ai_sessions_account_created;
CREATE INDEX ai_sessions_account_created ON ai_sessions (account_id, created_at)
    INCLUDE (problem_domain, status, confidence_tier, confidence, matched_flow_id,
             psa_ticket_id, resolved_at, note_pushed, time_entry_pushed, user_id, client_id);
DROP INDEX psa_activity_logs_account_created;
CREATE INDEX psa_activity_logs_account_created ON psa_activity_logs (account_id, created_at)
    INCLUDE (activity_type, session_id, hours_logged, previous_entry_at, user_id, client_id);

GRANT SELECT, INSERT, UPDATE, DELETE
    ON session_dim_day_rollups, flow_dim_day_rollups, time_entry_dim_day_rollups,
       owner_day_rollups TO flowpilot_app;
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['session_dim_day_rollups', 'flow_dim_day_rollups',
                             'time_entry_dim_day_rollups', 'owner_day_rollups']
    LOOP
        EXECUTE format('CREATE POLICY tenant ON %I USING (account_id = (SELECT app_account()))
                        WITH CHECK (account_id = (SELECT app_account()))', t);
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    END LOOP;
END
$$;

-- Sessions: grouped once by the twin's key (g), folded into the twin as they are, into the
-- plain rollup summed over technician and client, and into the owners' rollup summed over the
-- domain; flows likewise (fg).
CREATE OR REPLACE FUNCTION session_rollup_statement(changes text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT format($sql$
        WITH c AS MATERIALIZED (%s),
        g AS MATERIALIZED (
            SELECT c.account_id,
                   (c.created_at AT TIME ZONE a.timezone)::date AS day,
                   c.problem_domain,
                   c.user_id,
                   c.client_id,
                   sum(c.sign) AS sessions,
                   sum(c.sign * (c.status = 'resolved')::int) AS resolved,
                   sum(c.sign * (c.status = 'escalated')::int) AS escalated,
                   sum(c.sign * (c.confidence_tier IS NOT DISTINCT FROM 'guided')::int) AS guided,
                   sum(c.sign * (c.matched_flow_id IS NOT NULL)::int) AS matched,
                   coalesce(sum(c.sign * c.confidence), 0) AS confidence_sum,
                   sum(c.sign * (c.confidence IS NOT NULL)::int) AS confidence_count,
                   coalesce(sum(c.sign * extract(epoch FROM c.resolved_at - c.created_at) / 60)
                       FILTER (WHERE c.status = 'resolved' AND c.resolved_at IS NOT NULL), 0)
                       AS resolution_minutes_sum,
                   sum(c.sign * (c.status = 'resolved' AND c.resolved_at IS NOT NULL)::int)
                       AS resolution_count,
                   sum(c.sign * (c.psa_ticket_id IS NOT NULL)::int) AS linked,
                   sum(c.sign * (c.psa_ticket_id IS NOT NULL AND c.note_pushed)::int) AS doc_pushed,
                   sum(c.sign * (c.psa_ticket_id IS NOT NULL AND c.note_pushed
                                 AND c.time_entry_pushed)::int) AS time_entry_logged
            FROM c
            JOIN accounts a ON a.id = c.account_id
            GROUP BY 1, 2, 3, 4, 5
        ),
        days AS (INSERT INTO session_day_rollups AS r
        SELECT account_id, day, problem_domain, sum(sessions), sum(resolved), sum(escalated),
               sum(guided), sum(matched), sum(confidence_sum), sum(confidence_count),
               sum(resolution_minutes_sum), sum(resolution_count), sum(linked), sum(doc_pushed),
               sum(time_entry_logged)
        FROM g
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
        ),
        dims AS (INSERT INTO session_dim_day_rollups AS r
        SELECT * FROM g
        ON CONFLICT (account_id, day, problem_domain, user_id, client_id) DO UPDATE SET
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
        ),
        owners AS (INSERT INTO owner_day_rollups AS r (account_id, day, user_id, client_id,
            sessions, resolved, escalated, resolution_minutes_sum, resolution_count)
        SELECT account_id, day, user_id, client_id, sum(sessions), sum(resolved), sum(escalated),
               sum(resolution_minutes_sum), sum(resolution_count)
        FROM g
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (account_id, day, user_id, client_id) DO UPDATE SET
            sessions = r.sessions + excluded.sessions,
            resolved = r.resolved + excluded.resolved,
            escalated = r.escalated + excluded.escalated,
            resolution_minutes_sum = r.resolution_minutes_sum + excluded.resolution_minutes_sum,
            resolution_count = r.resolution_count + excluded.resolution_count
        ),
        fg AS MATERIALIZED (
            SELECT c.account_id,
                   (c.created_at AT TIME ZONE a.timezone)::date AS day,
                   c.matched_flow_id AS flow_id,
                   c.user_id,
                   c.client_id,
                   sum(c.sign) AS sessions,
                   sum(c.sign * (c.status = 'resolved')::int) AS resolved,
                   sum(c.sign * (c.confidence_tier IS NOT DISTINCT FROM 'guided')::int) AS guided,
                   coalesce(sum(c.sign * c.confidence), 0) AS confidence_sum,
                   sum(c.sign * (c.confidence IS NOT NULL)::int) AS confidence_count
            FROM c
            JOIN accounts a ON a.id = c.account_id
            WHERE c.matched_flow_id IS NOT NULL
            GROUP BY 1, 2, 3, 4, 5
        ),
        flows AS (INSERT INTO flow_day_rollups AS r
        SELECT account_id, day, flow_id, sum(sessions), sum(resolved), sum(guided),
               sum(confidence_sum), sum(confidence_count)
        FROM fg
        GROUP BY 1, 2, 3
        ON CONFLICT (account_id, day, flow_id) DO UPDATE SET
            sessions = r.sessions + excluded.sessions,
            resolved = r.resolved + excluded.resolved,
            guided = r.guided + excluded.guided,
            confidence_sum = r.confidence_sum + excluded.confidence_sum,
            confidence_count = r.confidence_count + excluded.confidence_count
        )
        INSERT INTO flow_dim_day_rollups AS r
        SELECT * FROM fg
        ON CONFLICT (account_id, day, flow_id, user_id, client_id) DO UPDATE SET
            sessions = r.sessions + excluded.sessions,
            resolved = r.resolved + excluded.resolved,
            guided = r.guided + excluded.guided,
            confidence_sum = r.confidence_sum + excluded.confidence_sum,
            confidence_count = r.confidence_count + excluded.confidence_count
    $sql$, changes)
$fn$;

CREATE OR REPLACE FUNCTION time_entry_rollup_statement(changes text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT format($sql$
        WITH g AS MATERIALIZED (
            SELECT c.account_id,
                   (c.created_at AT TIME ZONE a.timezone)::date AS day,
                   (c.previous_entry_at AT TIME ZONE a.timezone)::date AS previous_entry_day,
                   c.user_id,
                   c.client_id,
                   sum(c.sign) AS entries,
                   coalesce(sum(c.sign * c.hours_logged), 0) AS hours,
                   sum(c.sign * (c.session_id IS NOT NULL)::int) AS session_entries
            FROM (%s) c
            JOIN accounts a ON a.id = c.account_id
            WHERE c.activity_type = 'time_entry_posted'
            GROUP BY 1, 2, 3, 4, 5
        ),
        days AS (INSERT INTO time_entry_day_rollups AS r
        SELECT account_id, day, previous_entry_day, sum(entries), sum(hours), sum(session_entries)
        FROM g
        GROUP BY 1, 2, 3
        ON CONFLICT (account_id, day, previous_entry_day) DO UPDATE SET
            entries = r.entries + excluded.entries,
            hours = r.hours + excluded.hours,
            session_entries = r.session_entries + excluded.session_entries
        ),
        owners AS (INSERT INTO owner_day_rollups AS r (account_id, day, user_id, client_id, hours)
        SELECT account_id, day, user_id, client_id, sum(hours)
        FROM g
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (account_id, day, user_id, client_id) DO UPDATE SET
            hours = r.hours + excluded.hours
        )
        INSERT INTO time_entry_dim_day_rollups AS r
        SELECT * FROM g
        ON CONFLICT (account_id, day, previous_entry_day, user_id, client_id) DO UPDATE SET
            entries = r.entries + excluded.entries,
            hours = r.hours + excluded.hours,
            session_entries = r.session_entries + excluded.session_entries
    $sql$, changes)
$fn$;

CREATE OR REPLACE FUNCTION rebuild_rollups(account uuid) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    DELETE FROM session_day_rollups WHERE account_id = account;
    DELETE FROM flow_day_rollups WHERE account_id = account;
    DELETE FROM time_entry_day_rollups WHERE account_id = account;
    DELETE FROM session_dim_day_rollups WHERE account_id = account;
    DELETE FROM flow_dim_day_rollups WHERE account_id = account;
    DELETE FROM time_entry_dim_day_rollups WHERE account_id = account;
    DELETE FROM owner_day_rollups WHERE account_id = account;
    EXECUTE session_rollup_statement(format(
        'SELECT s.*, 1 AS sign FROM ai_sessions s WHERE s.account_id = %L', account));
    EXECUTE time_entry_rollup_statement(format(
        'SELECT l.*, 1 AS sign FROM psa_activity_logs l WHERE l.account_id = %L', account));
END
$fn$;

SELECT rebuild_rollups(id) FROM accounts;
