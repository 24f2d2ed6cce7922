-- Exactly one PSA effect per push (SPEC §9). A push is recorded here, committed, before the PSA
-- is called; every note and time entry it creates carries its id, so after an ambiguous failure
-- (a timeout, a dropped connection, a crash) it can be found in the PSA instead of sent again.

CREATE TABLE psa_pushes (
    account_id       uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- The marker the PSA record carries (a time entry's mobileGuid, a line in a note's text).
    id               uuid NOT NULL DEFAULT gen_random_uuid(),
    idempotency_key  text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    request_hash     bytea NOT NULL,
    session_id       uuid,
    kind             text NOT NULL CHECK (kind IN ('note', 'time_entry', 'status')),
    psa_ticket_id    text NOT NULL CHECK (length(psa_ticket_id) BETWEEN 1 AND 100),
    -- What is sent, fixed at the first attempt so every attempt sends the same record.
    payload          jsonb NOT NULL,
    -- pending: may or may not be in the PSA yet; confirmed: in the PSA and logged once;
    -- failed: the PSA refused it (nothing there), a retry with the key may send it again.
    state            text NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'confirmed', 'failed')),
    -- Requests that may have reached the PSA, counted (and committed) before each one leaves.
    sends            integer NOT NULL DEFAULT 0,
    last_sent_at     timestamptz,
    -- Who works on the push: a request or the sweep holds it until then (a crashed holder's
    -- lease runs out). The live leases of an account are its pushes in flight.
    lease_until      timestamptz,
    psa_record_id    text,
    -- The answer a confirmed push gives every retry of its key.
    answer           jsonb,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, id),
    UNIQUE (account_id, idempotency_key),
    FOREIGN KEY (account_id, session_id)
        REFERENCES ai_sessions (account_id, id) ON DELETE SET NULL (session_id)
);
CREATE INDEX psa_pushes_pending ON psa_pushes (account_id, lease_until) WHERE state = 'pending';
CREATE INDEX psa_pushes_created ON psa_pushes (created_at);

-- At most one log row per push, held by the database.
ALTER TABLE psa_activity_logs ADD COLUMN push_id uuid;
CREATE UNIQUE INDEX psa_activity_logs_push ON psa_activity_logs (account_id, push_id)
    WHERE push_id IS NOT NULL;

-- Housekeeping removes idempotency records after 7 days.
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
