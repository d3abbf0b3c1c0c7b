-- operator_screen_share (rules/goutang-2023.mandate):
--   each x: operator, during campaign (2023-04-01..2023-12-30), every month,
--   require all_units(o: outlet within x: not o.screen or
--     sum(screen_play.seconds of o where antifraud) / sum(screen_play.seconds of o) >= 15%).
-- A monthly ratio of sums per outlet: every outlet under the operator whose record says
-- `screen: true` and that is on the roll at the month's end must reach 15% over its own screen
-- time (and that of units under it). Exact: seconds are held in millionths and the ratio is
-- compared in integers (anti / all >= 3/20). A screen outlet with no screen time has an
-- undefined ratio ("no data") and fails; a operator with no screen outlet has nothing to fail.
-- Judged when the month closes (no grace): pending until its last day has passed.
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
  -- Whether no screen outlet of the instance fails. Per outlet a subquery whose rows come by
  -- the primary keys, from the outlet to the units under it (CROSS JOIN keeps that order) and
  -- a range of each unit's screen time by (unit, day), so nothing is sorted; written as a join
  -- with GROUP BY, the same sums put every row of screen time through a sorter and take ten
  -- times as long.
  SELECT i.x, i.s, i.e,
         NOT EXISTS (
           SELECT 1 FROM under d JOIN unit o ON o.id = d.id
           WHERE d.ancestor = i.x AND d.depth > 0 AND o.kind = 'outlet' AND o.screen = 1
             AND (o.since IS NULL OR o.since <= i.e) AND (o.until IS NULL OR o.until > i.e)
             AND NOT coalesce((
               SELECT sum(p.micros) > 0 AND coalesce(sum(p.micros) FILTER (WHERE p.antifraud), 0) * 20 >= sum(p.micros) * 3
               FROM under od CROSS JOIN screen_play p ON p.unit = od.id AND p.day BETWEEN i.s AND min(i.e, :as_of)
               WHERE od.ancestor = o.id), 0))
  FROM instance i
)
SELECT 'operator_screen_share' AS obligation, x AS unit, s AS period_start,
       CASE WHEN :as_of <= e THEN 'pending'
            WHEN holds THEN 'satisfied'
            ELSE 'violated' END AS status
FROM judged
ORDER BY unit, period_start;
