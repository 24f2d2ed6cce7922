-- The time entries pushed in the window, in one statement (time_entry_facts.sql read once, as
-- Overview's facts are): a row for the whole window (`date` NULL) — how many, how many hours,
-- for how many sessions — and one for every calendar day of it in the account's timezone,
-- zero-filled (`sessions` there: the sessions whose first entry of the window it logged).
, days AS (
    SELECT day::date AS day
    FROM bounds, generate_series(bounds.first_day, bounds.last_day, interval '1 day') AS day
),
sums AS (
    SELECT grouping(day) = 1        AS whole,
           day,
           sum(entries)             AS entries,
           sum(hours)               AS hours,
           sum(first_entries)       AS sessions
    FROM time_entry_facts
    GROUP BY GROUPING SETS ((), (day))
)
SELECT NULL::text                         AS date,
       coalesce(t.entries, 0)::int8       AS entries,
       coalesce(t.hours, 0)::float8       AS hours,
       coalesce(t.sessions, 0)::int8      AS sessions
FROM (SELECT 1) one
LEFT JOIN sums t ON t.whole
UNION ALL
SELECT to_char(days.day, 'YYYY-MM-DD'),
       coalesce(d.entries, 0)::int8,
       coalesce(d.hours, 0)::float8,
       coalesce(d.sessions, 0)::int8
FROM days
LEFT JOIN sums d ON NOT d.whole AND d.day = days.day
ORDER BY date NULLS FIRST
