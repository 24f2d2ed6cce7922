-- The perimeter (SPEC §10): limiter state every server instance shares, and sign-in sessions
-- that time out and end when the user's credentials change.

-- One row per limited thing (a user's data source, an API key, a sign-in email or client IP):
-- its hits in the current fixed window, which ends at resets_at. UNLOGGED: no WAL per request;
-- a crash of PostgreSQL resets the limits, nothing else.
CREATE UNLOGGED TABLE rate_limit_buckets (
    bucket     text PRIMARY KEY,
    hits       integer NOT NULL,
    resets_at  timestamptz NOT NULL
);
CREATE INDEX rate_limit_buckets_resets ON rate_limit_buckets (resets_at);

-- Idle timeout: a session unused for 12 hours ends (expires_at stays the absolute 7 days).
ALTER TABLE auth_sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();

-- All of a user's sessions end when their password, role, account or active flag changes —
-- whoever changes it (the CLI, an admin tool, an account deleted under them).
CREATE FUNCTION users_end_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM auth_sessions WHERE user_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER users_end_sessions
    AFTER UPDATE OF password_hash, role, account_id, is_active ON users
    FOR EACH ROW
    WHEN (OLD.password_hash IS DISTINCT FROM NEW.password_hash
          OR OLD.role IS DISTINCT FROM NEW.role
          OR OLD.account_id IS DISTINCT FROM NEW.account_id
          OR OLD.is_active IS DISTINCT FROM NEW.is_active)
    EXECUTE FUNCTION users_end_sessions();
