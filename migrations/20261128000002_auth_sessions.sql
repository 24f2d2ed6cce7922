-- Signed-in browser sessions. Only a SHA-256 of the cookie token is stored, so a database
-- read does not hand out live sessions.
CREATE TABLE auth_sessions (
    token_hash  bytea PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);
