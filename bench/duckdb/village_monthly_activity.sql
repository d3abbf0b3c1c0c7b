-- village_monthly_activity (rules/goutang-2023.mandate): a monthly count with 5 days of grace.
-- The same check as bench/sql/village_monthly_activity.sql (which says what it means), in
-- DuckDB: dates are DATE, the months come from generate_series, the as-of date is the
-- variable `as_of` (a DATE). Each activity is keyed by its month in one hash aggregate.
WITH
bucket(s, e) AS (  -- calendar months clipped to the campaign (December ends on the 30th)
  SELECT s, least(CAST(s + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE), DATE '2023-12-30')
  FROM (SELECT CAST(unnest(generate_series(DATE '2023-04-01', DATE '2023-12-30', INTERVAL 1 MONTH)) AS DATE) AS s)
  WHERE s <= getvariable('as_of')
),
instance(v, s, e) AS (  -- every village registered and active on some day of the month
  SELECT u.id, b.s, b.e FROM unit u, bucket b
  WHERE u.kind = 'village' AND (u.since IS NULL OR u.since <= b.e) AND (u."until" IS NULL OR u."until" > b.s)
),
counted(v, s, n) AS (  -- qualifying activities of v or of any unit under it, by calendar month
  SELECT d.ancestor, CAST(date_trunc('month', a.day) AS DATE), count(*)
  FROM activity a
  JOIN under d ON d.id = a.unit
  WHERE (a.venue IN ('park', 'square', 'fitness', 'school') OR a.crowded)
    AND a.day BETWEEN DATE '2023-04-01' AND least(DATE '2023-12-30', getvariable('as_of'))
  GROUP BY ALL
)
SELECT 'village_monthly_activity' AS obligation, i.v AS unit, CAST(i.s AS VARCHAR) AS period_start,
       CASE WHEN coalesce(c.n, 0) >= 1 THEN 'satisfied'
            WHEN getvariable('as_of') > i.e + INTERVAL 5 DAY THEN 'violated'
            ELSE 'pending' END AS status
FROM instance i LEFT JOIN counted c ON c.v = i.v AND c.s = i.s
ORDER BY unit, period_start;
