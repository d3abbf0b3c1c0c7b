-- operator_screen_share (rules/goutang-2023.mandate):
--   each x: operator, during campaign (2023-04-01..2023-12-30), every month,
--   require sum(screen_play.seconds of x where antifraud) / sum(screen_play.seconds of x) >= 15%.
-- A monthly ratio of sums over the screens of the operator's outlets (units under it). Exact:
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
  WHERE u.kind = 'operator' AND (u.since IS NULL OR u.since <= b.e) AND (u.until IS NULL OR u.until > b.s)
),
judged(x, s, e, holds) AS (
  -- Whether the ratio holds, for each instance, over the operator and every unit under it. A
  -- subquery per instance: its rows come by the primary keys, from the instance to the units
  -- under it (CROSS JOIN keeps that order) and a range of each unit's screen time by
  -- (unit, day), and nothing is sorted. Written as a join with GROUP BY, the same sums put
  -- every row of screen time through a sorter and take ten times as long.
  SELECT i.x, i.s, i.e,
         (SELECT sum(p.micros) > 0 AND coalesce(sum(p.micros) FILTER (WHERE p.antifraud), 0) * 20 >= sum(p.micros) * 3
          FROM under d CROSS JOIN screen_play p ON p.unit = d.id AND p.day BETWEEN i.s AND min(i.e, :as_of)
          WHERE d.ancestor = i.x)
  FROM instance i
)
SELECT 'operator_screen_share' AS obligation, x AS unit, s AS period_start,
       CASE WHEN :as_of <= e THEN 'pending'
            WHEN holds THEN 'satisfied'  -- NULL (no screen time at all) is no data: violated
            ELSE 'violated' END AS status
FROM judged
ORDER BY unit, period_start;
