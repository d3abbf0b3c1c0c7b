-- village_monthly_activity (rules/goutang-2023.mandate):
--   each v: village, during campaign (2023-04-01..2023-12-30), every month,
--   require count(activity of v where venue in ["park", "square", "fitness", "school"] or crowded) >= 1,
--   grace 5 days (an activity counts at a listed venue, or anywhere its record says crowded).
-- A monthly count. Monotone: satisfied as soon as one activity counts; violated once the
-- month and its 5 days of grace are over without one; pending until then. A month is
-- reported from its first day; only events dated on or before :as_of count.
WITH RECURSIVE
month(s) AS (
  SELECT '2023-04-01'
  UNION ALL
  SELECT date(s, '+1 month') FROM month WHERE date(s, '+1 month') <= '2023-12-30'
),
bucket(s, e) AS (  -- calendar months clipped to the campaign (December ends on the 30th)
  SELECT s, min(date(s, '+1 month', '-1 day'), '2023-12-30') FROM month WHERE s <= :as_of
),
instance(v, s, e) AS (  -- every village registered and active on some day of the month
  SELECT u.id, b.s, b.e FROM unit u, bucket b
  WHERE u.kind = 'village' AND (u.since IS NULL OR u.since <= b.e) AND (u.until IS NULL OR u.until > b.s)
),
counted(v, s, n) AS (  -- qualifying activities of v or of any unit under it, by calendar month
  -- One pass over the activities, each keyed by its month: joining every activity to every
  -- bucket by a date range costs ten times as much here.
  SELECT d.ancestor, substr(a.day, 1, 7) || '-01', count(*)
  FROM activity a
  JOIN under d ON d.id = a.unit
  WHERE (a.venue IN ('park', 'square', 'fitness', 'school') OR a.crowded = 1)
    AND a.day BETWEEN '2023-04-01' AND min('2023-12-30', :as_of)
  GROUP BY 1, 2
)
SELECT 'village_monthly_activity' AS obligation, i.v AS unit, i.s AS period_start,
       CASE WHEN coalesce(c.n, 0) >= 1 THEN 'satisfied'
            WHEN :as_of > date(i.e, '+5 days') THEN 'violated'
            ELSE 'pending' END AS status
FROM instance i LEFT JOIN counted c ON c.v = i.v AND c.s = i.s
ORDER BY unit, period_start;
