-- three_ones_leaflet (rules/goutang-2023.mandate):
--   each v: village, by 2023-05-31,
--   require coverage(leaflet_delivered.recipient, household | merchant within v) >= 100%.
-- A deadline coverage. The obligation names no phase, so its window starts with the plan
-- (2023-03-01) and its one bucket is 2023-03-01..2023-05-31. The entities to cover are the
-- households and merchants under v (not v itself) active on 05-31 (since <= 05-31 < until),
-- whoever delivered their leaflet. Coverage is judged when the bucket closes (from 06-01);
-- a village with nothing to cover has an undefined coverage and is violated.
WITH
bucket(s, e) AS (SELECT '2023-03-01', '2023-05-31' WHERE '2023-03-01' <= :as_of),
instance(v, s, e) AS (
  SELECT u.id, b.s, b.e FROM unit u, bucket b
  WHERE u.kind = 'village' AND (u.since IS NULL OR u.since <= b.e) AND (u.until IS NULL OR u.until > b.s)
),
target(v, x, s, e) AS (  -- what each village must cover
  SELECT i.v, d.id, i.s, i.e
  -- CROSS JOIN keeps this order: from each village to the units under it (a range of the
  -- primary key of under), rather than a scan of every entity's ancestors.
  FROM instance i
  CROSS JOIN under d ON d.ancestor = i.v AND d.depth > 0
  JOIN unit x ON x.id = d.id
  WHERE x.kind IN ('household', 'merchant')
    AND (x.since IS NULL OR x.since <= i.e) AND (x.until IS NULL OR x.until > i.e)
),
covered(v, total, reached) AS (
  SELECT t.v, count(*),
         count(*) FILTER (WHERE EXISTS (SELECT 1 FROM leaflet_delivered l
                                        WHERE l.recipient = t.x AND l.day BETWEEN t.s AND min(t.e, :as_of)))
  FROM target t
  GROUP BY t.v
)
SELECT 'three_ones_leaflet' AS obligation, i.v AS unit, i.s AS period_start,
       CASE WHEN :as_of <= i.e THEN 'pending'
            WHEN coalesce(c.total, 0) > 0 AND c.reached = c.total THEN 'satisfied'
            ELSE 'violated' END AS status
FROM instance i LEFT JOIN covered c ON c.v = i.v
ORDER BY unit, period_start;
