-- Every status and tier a drill-down can ask for is counted by the rollups (#14, SPEC §8).
--
-- The sessions list's total was summed from the rollups for the drills a tab links to, and
-- counted row by row for the others: `status=abandoned` read every session of the window
-- (p95 571 ms at 1M over 90 days, on every page, since each page carries the total). The day
-- rollups (session_day_rollups and its twin keyed by technician and client) now also count
-- abandoned sessions and the assisted and exploratory tiers; active sessions are what is left
-- of the sessions once resolved, escalated and abandoned are taken away. Every single drill
-- parameter then has its total from the rollups (sessions.rs, TotalFrom).
--
-- session_rollup_statement is the one definition of what a session adds to the rollups: it is
-- restated here with the three measures, the triggers are written again from it and every
-- account's rollups are rebuilt.

ALTER TABLE session_day_rollups
    ADD COLUMN abandoned integer NOT NULL DEFAULT 0,
    ADD COLUMN assisted integer NOT NULL DEFAULT 0,
    ADD COLUMN exploratory integer NOT NULL DEFAULT 0;
ALTER TABLE session_dim_day_rollups
    ADD COLUMN abandoned integer NOT NULL DEFAULT 0,
    ADD COLUMN assisted integer NOT NULL DEFAULT 0,
    ADD COLUMN exploratory integer NOT NULL DEFAULT 0;

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
                                 AND c.time_entry_pushed)::int) AS time_entry_logged,
                   sum(c.sign * (c.status = 'abandoned')::int) AS abandoned,
                   sum(c.sign * (c.confidence_tier IS NOT DISTINCT FROM 'assisted')::int)
                       AS assisted,
                   sum(c.sign * (c.confidence_tier IS NOT DISTINCT FROM 'exploratory')::int)
                       AS exploratory
            FROM c
            JOIN accounts a ON a.id = c.account_id
            GROUP BY 1, 2, 3, 4, 5
        ),
        days AS (INSERT INTO session_day_rollups AS r
        SELECT account_id, day, problem_domain, sum(sessions), sum(resolved), sum(escalated),
               sum(guided), sum(matched), sum(confidence_sum), sum(confidence_count),
               sum(resolution_minutes_sum), sum(resolution_count), sum(linked), sum(doc_pushed),
               sum(time_entry_logged), sum(abandoned), sum(assisted), sum(exploratory)
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
            time_entry_logged = r.time_entry_logged + excluded.time_entry_logged,
            abandoned = r.abandoned + excluded.abandoned,
            assisted = r.assisted + excluded.assisted,
            exploratory = r.exploratory + excluded.exploratory
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
            time_entry_logged = r.time_entry_logged + excluded.time_entry_logged,
            abandoned = r.abandoned + excluded.abandoned,
            assisted = r.assisted + excluded.assisted,
            exploratory = r.exploratory + excluded.exploratory
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

SELECT install_rollup_triggers();
SELECT rebuild_rollups(id) FROM accounts;
