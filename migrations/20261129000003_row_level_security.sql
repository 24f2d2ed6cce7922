-- The second wall between tenants (SPEC §10): the server runs every request's queries as
-- `flowpilot_app`, a role that owns nothing and cannot bypass row-level security, and every
-- tenant table lets it see and write only the rows of `app.account_id` — the account of the
-- signed-in user or API key, which the server sets on the connection each time it takes one
-- from the pool (src/server/tenant.rs). With no account set, it sees no rows at all. The
-- owner (who runs migrations, the CLI, the seed and the benchmark) is unaffected.

-- The role is cluster-wide: create it once, whoever gets there first (tests migrate many
-- databases at once).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'flowpilot_app') THEN
        CREATE ROLE flowpilot_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;
-- The owner takes the role per connection (startup option `role`): a superuser may already;
-- any other owner needs membership.
DO $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
       AND NOT pg_has_role(current_user, 'flowpilot_app', 'MEMBER') THEN
        EXECUTE format('GRANT flowpilot_app TO %I', current_user);
    END IF;
END
$$;

-- The account the current work is for; NULL (no rows) when none is set.
CREATE FUNCTION app_account() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT nullif(current_setting('app.account_id', true), '')::uuid
$$;

GRANT USAGE ON SCHEMA public TO flowpilot_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON
    accounts, users, categories, trees, ai_sessions, psa_activity_logs, api_keys,
    idempotency_keys, psa_connections, session_day_rollups, flow_day_rollups,
    time_entry_day_rollups, psa_pushes, rate_limit_buckets
    TO flowpilot_app;
-- Readiness compares the applied migrations with the build's.
GRANT SELECT ON _sqlx_migrations TO flowpilot_app;
-- auth_sessions is granted nothing: its tokens are reached only through the functions below.

-- One policy per tenant table: the rows of the current account, for reading and for writing.
-- `(SELECT app_account())` is an init plan, evaluated once per statement (not once per row), and
-- a value the planner can use as an index condition beside the query's own `account_id = $1`.
CREATE POLICY tenant ON accounts USING (id = (SELECT app_account()))
    WITH CHECK (id = (SELECT app_account()));
ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'categories', 'trees', 'ai_sessions', 'psa_activity_logs',
        'api_keys', 'idempotency_keys', 'psa_connections', 'session_day_rollups',
        'flow_day_rollups', 'time_entry_day_rollups', 'psa_pushes']
    LOOP
        EXECUTE format('CREATE POLICY tenant ON %I USING (account_id = (SELECT app_account()))
                        WITH CHECK (account_id = (SELECT app_account()))', t);
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    END LOOP;
END
$$;
-- No policy: the role is granted nothing on it either (above).
ALTER TABLE auth_sessions ENABLE ROW LEVEL SECURITY;

-- What has to happen before anyone's account is known, or across accounts, as narrow
-- functions that run as the owner. Each answers only what its caller is entitled to.

-- Sign-in: the account-less lookup of one email's password hash.
CREATE FUNCTION auth_user_by_email(email text)
RETURNS TABLE (id uuid, password_hash text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT u.id, u.password_hash FROM users u
    WHERE lower(u.email) = lower(auth_user_by_email.email) AND u.is_active
$$;

-- A new sign-in session for a user who has just proved their password.
CREATE FUNCTION auth_session_start(token_hash bytea, user_id uuid, days integer)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    INSERT INTO auth_sessions (token_hash, user_id, expires_at)
    VALUES (token_hash, user_id, now() + make_interval(days => days))
$$;

-- The user of a live session (not past its absolute expiry, used within `idle_hours`); marks
-- the session used when it was last marked more than `touch_secs` ago.
CREATE FUNCTION auth_session_user(token_hash bytea, idle_hours integer, touch_secs double precision)
RETURNS TABLE (user_id uuid, email text, role text, account_id uuid)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    stale boolean;
BEGIN
    SELECT u.id, u.email, u.role, u.account_id,
           s.last_seen_at < now() - make_interval(secs => touch_secs)
    INTO user_id, email, role, account_id, stale
    FROM auth_sessions s JOIN users u ON u.id = s.user_id
    WHERE s.token_hash = auth_session_user.token_hash AND s.expires_at > now()
      AND s.last_seen_at > now() - make_interval(hours => idle_hours) AND u.is_active;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF stale THEN
        UPDATE auth_sessions s SET last_seen_at = now()
        WHERE s.token_hash = auth_session_user.token_hash;
    END IF;
    RETURN NEXT;
END
$$;

CREATE FUNCTION auth_session_end(token_hash bytea)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DELETE FROM auth_sessions s WHERE s.token_hash = auth_session_end.token_hash
$$;

-- Housekeeping: sessions past their absolute or idle timeout, across accounts; how many.
CREATE FUNCTION auth_sessions_expire(idle_hours integer)
RETURNS bigint LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH gone AS (
        DELETE FROM auth_sessions
        WHERE expires_at < now() OR last_seen_at < now() - make_interval(hours => idle_hours)
        RETURNING 1
    )
    SELECT count(*) FROM gone
$$;

-- The account of a live API key (the ingest API's principal).
CREATE FUNCTION api_key_principal(key_hash bytea)
RETURNS TABLE (id uuid, account_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT k.id, k.account_id FROM api_keys k
    WHERE k.key_hash = api_key_principal.key_hash AND k.revoked_at IS NULL
$$;

-- The sweep's list of pending pushes nobody holds (the sweep then works each one inside its
-- own account).
CREATE FUNCTION psa_pushes_stale(settle_ms double precision, max_rows bigint)
RETURNS TABLE (account_id uuid, id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT p.account_id, p.id FROM psa_pushes p
    WHERE p.state = 'pending' AND (p.lease_until IS NULL OR p.lease_until <= now())
      AND (p.last_sent_at IS NULL OR p.last_sent_at <= now() - settle_ms * interval '1 millisecond')
    ORDER BY p.created_at LIMIT max_rows
$$;

-- Housekeeping: idempotency records and resolved pushes older than `days`, across accounts.
CREATE FUNCTION write_records_expire(days integer)
RETURNS bigint LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH keys AS (
        DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(days => days)
        RETURNING 1
    ), pushes AS (
        DELETE FROM psa_pushes
        WHERE state <> 'pending' AND created_at < now() - make_interval(days => days)
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM keys) + (SELECT count(*) FROM pushes)
$$;

-- Ending a user's sessions when their credentials change runs as the owner too, whoever
-- changes the user.
ALTER FUNCTION users_end_sessions() SECURITY DEFINER SET search_path = public, pg_temp;

DO $$
DECLARE
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['auth_user_by_email(text)', 'auth_session_start(bytea,uuid,integer)',
        'auth_session_user(bytea,integer,double precision)', 'auth_session_end(bytea)',
        'auth_sessions_expire(integer)', 'api_key_principal(bytea)',
        'psa_pushes_stale(double precision,bigint)', 'write_records_expire(integer)']
    LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO flowpilot_app', f);
    END LOOP;
END
$$;
