-- bank_sms_weekly (rules/goutang-2023.mandate): a count over the full Monday-to-Sunday weeks
-- of the campaign, 2023-04-03..04-09 to 2023-12-18..12-24, no grace. The same check as
-- bench/sql/bank_sms_weekly.sql, in DuckDB: each SMS campaign is keyed by its week
-- (date_trunc('week') is the Monday) in one hash aggregate, instead of a join by date range.
WITH
bucket(s, e) AS (
  SELECT s, CAST(s + INTERVAL 6 DAY AS DATE)
  FROM (SELECT CAST(unnest(generate_series(DATE '2023-04-03', DATE '2023-12-30', INTERVAL 7 DAY)) AS DATE) AS s)
  WHERE s + INTERVAL 6 DAY <= DATE '2023-12-30' AND s <= getvariable('as_of')
),
instance(b, s, e) AS (
  SELECT u.id, k.s, k.e FROM unit u, bucket k
  WHERE u.kind = 'bank' AND (u.since IS NULL OR u.since <= k.e) AND (u."until" IS NULL OR u."until" > k.s)
),
counted(b, s, n) AS (  -- SMS campaigns of b or of any unit under it, by week
  SELECT d.ancestor, CAST(date_trunc('week', m.day) AS DATE), count(*)
  FROM sms_campaign m
  JOIN under d ON d.id = m.unit
  WHERE m.day BETWEEN DATE '2023-04-03' AND least(DATE '2023-12-24', getvariable('as_of'))
  GROUP BY ALL
)
SELECT 'bank_sms_weekly' AS obligation, i.b AS unit, CAST(i.s AS VARCHAR) AS period_start,
       CASE WHEN coalesce(c.n, 0) >= 1 THEN 'satisfied'
            WHEN getvariable('as_of') > i.e THEN 'violated'
            ELSE 'pending' END AS status
FROM instance i LEFT JOIN counted c ON c.b = i.b AND c.s = i.s
ORDER BY unit, period_start;
