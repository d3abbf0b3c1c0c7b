-- three_ones_leaflet (rules/goutang-2023.mandate): a deadline coverage. Each village with
-- households or merchants under it active on 2023-05-31 must have delivered a leaflet to every
-- one of them by then (bucket 2023-03-01..05-31, judged from 06-01). The same check as
-- bench/sql/three_ones_leaflet.sql, in DuckDB: where SQLite runs a subquery per village by
-- primary keys, DuckDB does best with set operations, so the entities to cover are joined to
-- the recipients (one hash join) and counted per village (one hash aggregate).
WITH
bucket(s, e) AS (SELECT DATE '2023-03-01', DATE '2023-05-31' WHERE DATE '2023-03-01' <= getvariable('as_of')),
covered(id) AS (  -- recipients with a leaflet in the bucket
  SELECT DISTINCT l.recipient FROM leaflet_delivered l, bucket b
  WHERE l.day BETWEEN b.s AND least(b.e, getvariable('as_of'))
),
per_village(v, entities, reached) AS (  -- the entities to cover under each village, and how many have one
  SELECT d.ancestor, count(*), count(c.id)
  FROM under d JOIN unit x ON x.id = d.id CROSS JOIN bucket b
  LEFT JOIN covered c ON c.id = x.id
  WHERE d.depth > 0 AND x.kind IN ('household', 'merchant')
    AND (x.since IS NULL OR x.since <= b.e) AND (x."until" IS NULL OR x."until" > b.e)
  GROUP BY d.ancestor
)
SELECT 'three_ones_leaflet' AS obligation, u.id AS unit, CAST(b.s AS VARCHAR) AS period_start,
       CASE WHEN getvariable('as_of') <= b.e THEN 'pending'
            WHEN p.reached = p.entities THEN 'satisfied'
            ELSE 'violated' END AS status
FROM unit u CROSS JOIN bucket b JOIN per_village p ON p.v = u.id
WHERE u.kind = 'village' AND (u.since IS NULL OR u.since <= b.e) AND (u."until" IS NULL OR u."until" > b.s)
ORDER BY unit, period_start;
