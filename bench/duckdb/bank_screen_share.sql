-- bank_screen_share (rules/goutang-2023.mandate): a monthly ratio of sums. Every outlet under
-- the bank whose record says `screen: true` and that is on the roll at the month's end must
-- reach 15% anti-fraud over its own screen time (and that of units under it); a screen outlet
-- with no screen time fails ("no data"); a bank with no screen outlet has nothing to fail.
-- Judged when the month closes. The same check as bench/sql/bank_screen_share.sql, in
-- DuckDB: where SQLite runs a subquery per outlet and month by primary keys, DuckDB does best
-- with set operations: the screen time is summed per unit and month in one hash aggregate
-- (before the join, so the aggregate is small), then rolled up to the outlets over `under`.
-- Exact: seconds in millionths, the ratio compared in integers (anti_fraud * 20 >= total * 3).
WITH
bucket(s, e) AS (
  SELECT s, least(CAST(s + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE), DATE '2023-12-30')
  FROM (SELECT CAST(unnest(generate_series(DATE '2023-04-01', DATE '2023-12-30', INTERVAL 1 MONTH)) AS DATE) AS s)
  WHERE s <= getvariable('as_of')
),
monthly(unit, s, total, anti_fraud) AS (  -- screen time per unit and month
  SELECT p.unit, CAST(date_trunc('month', p.day) AS DATE), sum(p.micros), coalesce(sum(p.micros) FILTER (WHERE p.antifraud), 0)
  FROM screen_play p
  WHERE p.day BETWEEN DATE '2023-04-01' AND least(DATE '2023-12-30', getvariable('as_of'))
  GROUP BY ALL
),
outlet(x, o) AS (  -- the bank's screen outlets, by their standing record
  SELECT d.ancestor, o.id FROM under d JOIN unit o ON o.id = d.id JOIN unit x ON x.id = d.ancestor
  WHERE x.kind = 'bank' AND d.depth > 0 AND o.kind = 'outlet' AND o.screen
),
failing(x, s) AS (  -- (bank, month) with a screen outlet on the roll that misses the share
  SELECT o.x, b.s
  FROM outlet o JOIN unit u ON u.id = o.o CROSS JOIN bucket b
  LEFT JOIN (SELECT od.ancestor AS o, m.s, sum(m.total) AS total, sum(m.anti_fraud) AS anti_fraud
             FROM monthly m JOIN under od ON od.id = m.unit
             WHERE od.ancestor IN (SELECT o FROM outlet)
             GROUP BY ALL) t ON t.o = o.o AND t.s = b.s
  WHERE (u.since IS NULL OR u.since <= b.e) AND (u."until" IS NULL OR u."until" > b.e)
    AND NOT coalesce(t.total > 0 AND t.anti_fraud * 20 >= t.total * 3, false)
)
SELECT 'bank_screen_share' AS obligation, u.id AS unit, CAST(b.s AS VARCHAR) AS period_start,
       CASE WHEN getvariable('as_of') <= b.e THEN 'pending'
            WHEN f.x IS NULL THEN 'satisfied'
            ELSE 'violated' END AS status
FROM unit u CROSS JOIN bucket b LEFT JOIN (SELECT DISTINCT x, s FROM failing) f ON f.x = u.id AND f.s = b.s
WHERE u.kind = 'bank' AND (u.since IS NULL OR u.since <= b.e) AND (u."until" IS NULL OR u."until" > b.s)
ORDER BY unit, period_start;
