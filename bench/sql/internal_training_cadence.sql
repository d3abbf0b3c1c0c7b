-- internal_training_cadence (rules/goutang-2023.mandate):
--   each u: village | member, during campaign (2023-04-01..2023-12-30), every 3 weeks,
--   require count(staff_training of u) >= 1, grace 5 days.
-- A count over three-week buckets counted from the campaign's start: 04-01..04-21,
-- 04-22..05-12, ..., 12-09..12-29, and 12-30..12-30 (cut by the campaign's end), 14 in all.
-- Monotone: satisfied as soon as a training of u or of a unit under it is dated in the
-- bucket; violated once the bucket and its 5 days of grace are over without one; pending
-- until then. A bucket is reported from its first day; only events dated on or before :as_of
-- count.
WITH RECURSIVE
start(s) AS (
  SELECT '2023-04-01'
  UNION ALL
  SELECT date(s, '+21 days') FROM start WHERE date(s, '+21 days') <= '2023-12-30'
),
bucket(s, e) AS (  -- 21 days from each start, the last clipped to the campaign's end
  SELECT s, min(date(s, '+20 days'), '2023-12-30') FROM start WHERE s <= :as_of
),
instance(u, s, e) AS (  -- every village and member unit active on some day of the bucket
  SELECT x.id, b.s, b.e FROM unit x, bucket b
  WHERE x.kind IN ('village', 'member') AND (x.since IS NULL OR x.since <= b.e) AND (x.until IS NULL OR x.until > b.s)
),
counted(u, s, n) AS (  -- trainings of u or of any unit under it, keyed by their bucket's start
  SELECT d.ancestor,
         date('2023-04-01', '+' || (CAST(julianday(t.day) - julianday('2023-04-01') AS INTEGER) / 21 * 21) || ' days'),
         count(*)
  FROM staff_training t
  JOIN under d ON d.id = t.unit
  WHERE t.day BETWEEN '2023-04-01' AND min('2023-12-30', :as_of)
  GROUP BY 1, 2
)
SELECT 'internal_training_cadence' AS obligation, i.u AS unit, i.s AS period_start,
       CASE WHEN coalesce(c.n, 0) >= 1 THEN 'satisfied'
            WHEN :as_of > date(i.e, '+5 days') THEN 'violated'
            ELSE 'pending' END AS status
FROM instance i LEFT JOIN counted c ON c.u = i.u AND c.s = i.s
ORDER BY unit, period_start;
