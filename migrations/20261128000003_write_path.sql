-- The write path (SPEC §5): API keys for the FlowPilot engine, idempotency records, and each
-- account's PSA connection.

CREATE TABLE api_keys (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id  uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name        text NOT NULL DEFAULT '',
    -- SHA-256 of the key; the key itself is shown once and never stored.
    key_hash    bytea NOT NULL UNIQUE,
    prefix      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX api_keys_account ON api_keys (account_id);

-- A POST with an Idempotency-Key records its answer in the same transaction as its effect, so
-- a retry replays the answer instead of repeating the effect.
CREATE TABLE idempotency_keys (
    account_id     uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key            text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    request_hash   bytea NOT NULL,
    status_code    integer NOT NULL,
    response_body  jsonb NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, key)
);

CREATE TABLE psa_connections (
    account_id             uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    provider               text NOT NULL DEFAULT 'connectwise' CHECK (provider IN ('connectwise')),
    site_url               text NOT NULL CHECK (site_url ~ '^https?://'),
    company_id             text NOT NULL,
    public_key             text NOT NULL,
    -- AES-256-GCM: 12-byte nonce followed by the ciphertext, under FLOWPILOT_SECRET_KEY.
    private_key_encrypted  bytea NOT NULL,
    client_id              text NOT NULL,
    updated_at             timestamptz NOT NULL DEFAULT now()
);
