-- The first part of every analytics statement ($1 account, $2 since, $3 until, $4 technician
-- and $5 client, NULL when not filtered — see session_facts.sql for what filters change): the window
-- in the account's local days. The days between first_day and last_day are read from the
-- daily rollups (migrations/…_daily_rollups.sql), the edge days as below, so a 90-day window
-- reads about 90 rollup days and part of a day of raw rows, and every figure stays exact to
-- the second. The edge reads select by local day; the instants
-- around each edge day only bound their index range (with slack for DST shifts). The window is
-- ($2, $3], so its first day is the local day of $2 + 1 µs (a range of whole days is bound as
-- `from 00:00 − 1 µs`: see queries/window.rs).
-- An edge day the window covers whole (a range of whole days, a day's drill-down) is read from
-- the rollups like the inner days. A partial edge day is read one of two ways, whichever reads
-- fewer rows: its sessions inside the window one by one ("raw"), or its whole day from the
-- rollups less its sessions outside the window ("sub": every measure is a sum, so a row read
-- with sign −1 takes back what the rollup counted). A window ending now has nothing after it,
-- so its last day costs nothing; a partial first day costs at most half a day. A one-day window
-- that is partial is read raw, once (as its first day, or as its last when it starts at
-- midnight). rollup_from … rollup_to are the days read from the rollups; first_raw/last_raw
-- and first_sub/last_sub say how the edge days are read.
WITH bounds AS (
    SELECT d.*,
           d.first_day + (NOT (d.first_whole OR d.first_sub))::int        AS rollup_from,
           d.last_day - (NOT (d.last_whole OR d.last_sub))::int           AS rollup_to,
           NOT (d.first_whole OR d.first_sub)                             AS first_raw,
           NOT (d.last_whole OR d.last_sub)
               AND (d.last_day > d.first_day OR d.first_whole)            AS last_raw
    FROM (
        SELECT y.*,
               NOT y.first_whole AND y.last_day > y.first_day
                   AND $2::timestamptz - y.first_day_start < y.first_day_end - $2::timestamptz
                                                                          AS first_sub,
               NOT y.last_whole AND y.last_day > y.first_day
                   AND y.last_day_end - $3::timestamptz < $3::timestamptz - y.last_day_start
                                                                          AS last_sub
        FROM (
            SELECT x.*,
                   $2::timestamptz + interval '1 microsecond' = x.first_day_start AS first_whole,
                   $3::timestamptz + interval '1 microsecond' = x.last_day_end    AS last_whole,
                   -- The instants bounding the edge reads' index ranges, with slack for DST.
                   x.first_day_start - interval '2 hours'                         AS first_day_starts,
                   x.first_day_end + interval '2 hours'                           AS first_day_ends,
                   x.last_day_start - interval '2 hours'                          AS last_day_starts,
                   x.last_day_end + interval '2 hours'                            AS last_day_ends
            FROM (
                SELECT w.*,
                       (w.first_day::timestamp AT TIME ZONE w.tz)       AS first_day_start,
                       ((w.first_day + 1)::timestamp AT TIME ZONE w.tz) AS first_day_end,
                       (w.last_day::timestamp AT TIME ZONE w.tz)        AS last_day_start,
                       ((w.last_day + 1)::timestamp AT TIME ZONE w.tz)  AS last_day_end
                FROM (
                    SELECT a.timezone AS tz,
                           (($2::timestamptz + interval '1 microsecond') AT TIME ZONE a.timezone)::date
                               AS first_day,
                           ($3::timestamptz AT TIME ZONE a.timezone)::date AS last_day
                    FROM accounts a
                    WHERE a.id = $1
                ) w
            ) x
        ) y
    ) d
)
