-- Fewer round trips and no per-call planning on every ingest request (#16, SPEC §12).
--
-- Profiled with pg_stat_statements (track = all) under the ingest load: `api_key_principal`
-- cost 0.15 ms a call of which its query was 0.012 ms. A SQL function with a SET clause (the
-- search_path every SECURITY DEFINER function here carries) is never inlined, and PostgreSQL
-- plans a non-inlined SQL function's body on every call; PL/pgSQL keeps the plan for the
-- connection. The functions below are PL/pgSQL for that reason.
--
-- Each one also does in one round trip what the server sent as two or three statements; the
-- rule each holds is stated once, here, and the Rust side calls it.

-- The key's principal, same answer as before, its plan kept.
CREATE OR REPLACE FUNCTION api_key_principal(key_hash bytea)
RETURNS TABLE (id uuid, account_id uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN QUERY SELECT k.id, k.account_id FROM api_keys k
                 WHERE k.key_hash = api_key_principal.key_hash AND k.revoked_at IS NULL;
END
$$;

-- Counts `cost` hits on a rate-limit bucket (a fixed window of `window_ms`) and returns its
-- hits in the window and when the window ends. A window that has ended starts over: every SET
-- expression sees the row as it was. (server/rate_limit.rs judges the answer.)
CREATE FUNCTION rate_limit_add(bucket text, window_ms double precision, cost integer)
RETURNS TABLE (hits integer, resets_at timestamptz)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    RETURN QUERY
    INSERT INTO rate_limit_buckets AS b (bucket, hits, resets_at)
    VALUES (rate_limit_add.bucket, cost, now() + window_ms * interval '1 millisecond')
    ON CONFLICT ON CONSTRAINT rate_limit_buckets_pkey DO UPDATE SET
        hits = CASE WHEN b.resets_at <= now() THEN cost ELSE b.hits + cost END,
        resets_at = CASE WHEN b.resets_at <= now() THEN EXCLUDED.resets_at ELSE b.resets_at END
    RETURNING b.hits, b.resets_at;
END
$$;

-- An idempotency key's claim (server/idempotency.rs): waits for any concurrent holder of the
-- key to end, then returns the stored answer of an earlier success, or no row. Two statements,
-- so the read takes its snapshot after the lock is held and sees what the holder committed.
CREATE FUNCTION idempotency_claim(account uuid, idempotency_key text)
RETURNS TABLE (request_hash bytea, status_code integer, response_body jsonb)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(account::text || ':' || idempotency_key, 0));
    RETURN QUERY SELECT k.request_hash, k.status_code, k.response_body FROM idempotency_keys k
                 WHERE k.account_id = account AND k.key = idempotency_key;
END
$$;

-- A flow's success rate (SPEC): resolved ÷ all sessions matched to it, 3 decimals, null when
-- none. The caller holds the flow's row lock, so the count sees every committed match.
CREATE FUNCTION flow_success_rate(account uuid, flow uuid) RETURNS double precision
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT round(count(*) FILTER (WHERE s.status = 'resolved')::numeric
                         / nullif(count(*), 0), 3)::float8
            FROM ai_sessions s WHERE s.account_id = account AND s.matched_flow_id = flow);
END
$$;

GRANT EXECUTE ON FUNCTION rate_limit_add(text, double precision, integer),
    idempotency_claim(uuid, text), flow_success_rate(uuid, uuid) TO flowpilot_app;
