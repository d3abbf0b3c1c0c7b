-- bank_screen_share (rules/goutang-2023.mandate):
--   each x: bank, during campaign (2023-04-01..2023-12-30), every month,
--   require sum(screen_play.seconds of x where antifraud) / sum(screen_play.seconds of x) >= 15%.
-- A monthly ratio of sums over the screens of the bank's outlets (units under it). Exact:
-- seconds are held in millionths and the ratio is compared in integers (anti / all >= 3/20).
-- A month with no screen time has an undefined ratio ("no data") and is violated. Judged
-- when the month closes (no grace): pending until its last day has passed.
WITH RECURSIVE
month(s) AS (
  SELECT '2023-04-01'
  UNION ALL
  SELECT date(s, '+1 month') FROM month WHERE date(s, '+1 month') <= '2023-12-30'
),
bucket(s, e) AS (
  SELECT s, min(date(s, '+1 month', '-1 day'), '2023-12-30') FROM month WHERE s <= :as_of
),
instance(x, s, e) AS (
  SELECT u.id, b.s, b.e FROM unit u, bucket b
  WHERE u.kind = 'bank' AND (u.since IS NULL OR u.since <= b.e) AND (u.until IS NULL OR u.until > b.s)
),
summed(x, s, anti, total) AS (  -- for each bank and month, over the bank and every unit under it
  SELECT i.x, i.s, sum(p.micros) FILTER (WHERE p.antifraud), sum(p.micros)
  -- CROSS JOIN keeps this order: from each instance to the units under it, then a range of
  -- each unit's screen time by the primary key (unit, day). Left to itself, the planner
  -- scans all of screen_play and looks up every row's ancestors.
  FROM instance i
  CROSS JOIN under d ON d.ancestor = i.x
  CROSS JOIN screen_play p ON p.unit = d.id AND p.day BETWEEN i.s AND min(i.e, :as_of)
  GROUP BY i.x, i.s
)
SELECT 'bank_screen_share' AS obligation, i.x AS unit, i.s AS period_start,
       CASE WHEN :as_of <= i.e THEN 'pending'
            WHEN coalesce(m.total, 0) > 0 AND coalesce(m.anti, 0) * 20 >= m.total * 3 THEN 'satisfied'
            ELSE 'violated' END AS status
FROM instance i LEFT JOIN summed m ON m.x = i.x AND m.s = i.s
ORDER BY unit, period_start;
