-- The sessions list's total for a flow (a Flow Quality row: its usage, or its resolved or
-- guided sessions), summed from the facts that tab sums. Only for a drill of the flow alone
-- (with the filters, and at most that status or tier): sessions.rs decides.
SELECT coalesce(sum(CASE WHEN $9::text = 'resolved' THEN resolved
                         WHEN $10::text = 'guided' THEN guided
                         ELSE sessions END), 0)::int8 AS total
FROM flow_facts
WHERE flow_id = $8
  AND $6::text IS NULL AND NOT $7::bool AND $11::text IS NULL AND $12::date IS NULL
