-- Time entries pushed in the window: how many, how many hours, for how many sessions.
SELECT coalesce(sum(entries), 0)::int8        AS entries,
       coalesce(sum(hours), 0)                AS hours,
       coalesce(sum(first_entries), 0)::int8  AS sessions
FROM time_entry_facts
