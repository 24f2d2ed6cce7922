-- A flow's success rate from its day rollups, not from its sessions (#16, SPEC §12).
--
-- flow_success_rate counted every session ever matched to the flow, and a match or an outcome
-- runs it with the flow's row locked. In an account of 1M sessions the busiest flow has 33k:
-- the count read 17k heap pages, 48–75 ms warm and 466 ms cold, for every match and outcome
-- of that flow — and the flow's writers queued behind it. flow_day_rollups holds the same
-- two numbers per day (`sessions` matched to the flow, `resolved` of them), kept exact by the
-- rollup triggers on every write, this transaction's included (the triggers run at the end of
-- each statement). Summed over the flow's days: 91 rows, 0.16 ms.
--
-- The index finds a flow's days; its key never changes, so a rollup row's update stays HOT.

CREATE INDEX flow_day_rollups_flow ON flow_day_rollups (account_id, flow_id);

CREATE OR REPLACE FUNCTION flow_success_rate(account uuid, flow uuid) RETURNS double precision
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT round(sum(r.resolved)::numeric / nullif(sum(r.sessions), 0), 3)::float8
            FROM flow_day_rollups r WHERE r.account_id = account AND r.flow_id = flow);
END
$$;
