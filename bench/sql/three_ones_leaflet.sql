-- three_ones_leaflet (rules/goutang-2023.mandate):
--   each v: village where units(household | merchant within v) > 0, by 2023-05-31,
--   require coverage(leaflet_delivered.recipient, household | merchant within v) >= 100%.
-- A deadline coverage. The obligation names no phase, so its window starts with the plan
-- (2023-03-01) and its one bucket is 2023-03-01..2023-05-31. The entities to cover are the
-- households and merchants under v (not v itself) active on 05-31 (since <= 05-31 < until),
-- whoever delivered their leaflet. Coverage is judged when the bucket closes (from 06-01);
-- a village with nothing to cover on 05-31 has no bucket at all.
WITH
bucket(s, e) AS (SELECT '2023-03-01', '2023-05-31' WHERE '2023-03-01' <= :as_of),
instance(v, s, e) AS (
  SELECT u.id, b.s, b.e FROM unit u, bucket b
  WHERE u.kind = 'village' AND (u.since IS NULL OR u.since <= b.e) AND (u.until IS NULL OR u.until > b.s)
    AND EXISTS (SELECT 1 FROM under d JOIN unit x ON x.id = d.id
                WHERE d.ancestor = u.id AND d.depth > 0 AND x.kind IN ('household', 'merchant')
                  AND (x.since IS NULL OR x.since <= b.e) AND (x.until IS NULL OR x.until > b.e))
),
judged(v, s, e, holds) AS (
  -- Per village, by the primary key of under (the units under it), the entities to cover
  -- and how many have a leaflet; all of them, and at least one, for the coverage to hold.
  -- A subquery per village sorts nothing, as a GROUP BY over every entity would.
  SELECT i.v, i.s, i.e,
         (SELECT count(*) > 0
                 AND count(*) = count(*) FILTER (WHERE EXISTS (
                       SELECT 1 FROM leaflet_delivered l WHERE l.recipient = x.id AND l.day BETWEEN i.s AND min(i.e, :as_of)))
          FROM under d JOIN unit x ON x.id = d.id
          WHERE d.ancestor = i.v AND d.depth > 0 AND x.kind IN ('household', 'merchant')
            AND (x.since IS NULL OR x.since <= i.e) AND (x.until IS NULL OR x.until > i.e))
  FROM instance i
)
SELECT 'three_ones_leaflet' AS obligation, v AS unit, s AS period_start,
       CASE WHEN :as_of <= e THEN 'pending'
            WHEN holds THEN 'satisfied'
            ELSE 'violated' END AS status
FROM judged
ORDER BY unit, period_start;
