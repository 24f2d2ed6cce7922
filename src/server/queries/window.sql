-- The first part of every analytics statement ($1 account, $2 since, $3 until, $4 technician
-- and $5 client, NULL when not filtered — see session_facts.sql for what filters change): the window
-- in the account's local days. The whole days strictly between first_day and last_day are
-- read from the daily rollups (migrations/…_daily_rollups.sql), the partial first and last
-- day from the raw rows, so a 90-day window reads 89 rollup days plus two partial days and
-- every figure stays exact to the second. The edge reads select by local day; the instants
-- around each edge day only bound their index range (with slack for DST shifts). The window is
-- ($2, $3], so its first day is the local day of $2 + 1 µs (a range of whole days is bound as
-- `from 00:00 − 1 µs`: see queries/window.rs).
WITH bounds AS (
    SELECT a.timezone AS tz,
           (($2::timestamptz + interval '1 microsecond') AT TIME ZONE a.timezone)::date
               AS first_day,
           ($3::timestamptz AT TIME ZONE a.timezone)::date AS last_day,
           ((($2::timestamptz + interval '1 microsecond') AT TIME ZONE a.timezone)::date::timestamp
               AT TIME ZONE a.timezone) - interval '2 hours' AS first_day_starts,
           (((($2::timestamptz + interval '1 microsecond') AT TIME ZONE a.timezone)::date + 1)
               ::timestamp AT TIME ZONE a.timezone) + interval '2 hours' AS first_day_ends,
           ((($3::timestamptz AT TIME ZONE a.timezone)::date)::timestamp
               AT TIME ZONE a.timezone) - interval '2 hours' AS last_day_starts
    FROM accounts a
    WHERE a.id = $1
)
