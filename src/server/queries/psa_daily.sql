-- Time entries and hours per calendar day of the window in the account's timezone,
-- zero-filled.
, days AS (
    SELECT day::date AS day
    FROM bounds, generate_series(bounds.first_day, bounds.last_day, interval '1 day') AS day
),
entries AS (
    SELECT day, sum(entries) AS entries, sum(hours) AS hours
    FROM time_entry_facts
    GROUP BY day
)
SELECT to_char(days.day, 'YYYY-MM-DD')      AS date,
       coalesce(entries.entries, 0)::int8   AS entries,
       coalesce(entries.hours, 0)           AS hours
FROM days
LEFT JOIN entries USING (day)
ORDER BY days.day
