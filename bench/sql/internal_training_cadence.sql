-- internal_training_cadence (rules/goutang-2023.mandate):
--   each u: village | member, during campaign (2023-04-01..2023-12-30), one bucket,
--   require gap(staff_training of u) < 21 days.
-- The three-week gap: the longest run of consecutive days of the campaign, up to and
-- including :as_of, without a training of u or of a unit under it; with none at all, the
-- whole campaign up to :as_of. Judged when the campaign closes (from 12-31).
WITH
bucket(s, e, last) AS (  -- `last`: the last day that exists yet
  SELECT '2023-04-01', '2023-12-30', min('2023-12-30', :as_of) WHERE '2023-04-01' <= :as_of
),
instance(u, s, e, last) AS (
  SELECT x.id, b.s, b.e, b.last FROM unit x, bucket b
  WHERE x.kind IN ('village', 'member') AND (x.since IS NULL OR x.since <= b.e) AND (x.until IS NULL OR x.until > b.s)
),
trained(u, day) AS (  -- the days with a training, per unit it counts for
  SELECT DISTINCT d.ancestor, t.day
  FROM bucket b
  JOIN staff_training t ON t.day BETWEEN b.s AND b.last
  JOIN under d ON d.id = t.unit
),
run(u, days) AS (
  -- the days without a training before each training day, since the one before or the start
  SELECT t.u, CAST(julianday(t.day) - julianday(coalesce(lag(t.day) OVER w, date(b.s, '-1 day'))) AS INTEGER) - 1
  FROM trained t, bucket b
  WINDOW w AS (PARTITION BY t.u ORDER BY t.day)
  UNION ALL
  -- and after the last one (the whole bucket so far when there was none)
  SELECT i.u, CAST(julianday(i.last) - julianday(coalesce(max(t.day), date(i.s, '-1 day'))) AS INTEGER)
  FROM instance i LEFT JOIN trained t ON t.u = i.u
  GROUP BY i.u
),
longest(u, days) AS (SELECT u, max(days) FROM run GROUP BY u)
SELECT 'internal_training_cadence' AS obligation, i.u AS unit, i.s AS period_start,
       CASE WHEN :as_of <= i.e THEN 'pending'
            WHEN g.days < 21 THEN 'satisfied'
            ELSE 'violated' END AS status
FROM instance i JOIN longest g ON g.u = i.u
ORDER BY unit, period_start;
