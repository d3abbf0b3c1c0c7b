-- internal_training_cadence (rules/goutang-2023.mandate): a count over three-week buckets
-- counted from the campaign's start (04-01..04-21, ..., 12-09..12-29, 12-30..12-30), grace 5
-- days. The same check as bench/sql/internal_training_cadence.sql, in DuckDB: each training
-- is keyed by its bucket's start in one hash aggregate.
WITH
bucket(s, e) AS (  -- 21 days from each start, the last clipped to the campaign's end
  SELECT s, least(CAST(s + INTERVAL 20 DAY AS DATE), DATE '2023-12-30')
  FROM (SELECT CAST(unnest(generate_series(DATE '2023-04-01', DATE '2023-12-30', INTERVAL 21 DAY)) AS DATE) AS s)
  WHERE s <= getvariable('as_of')
),
instance(u, s, e) AS (  -- every village and member unit active on some day of the bucket
  SELECT x.id, b.s, b.e FROM unit x, bucket b
  WHERE x.kind IN ('village', 'member') AND (x.since IS NULL OR x.since <= b.e) AND (x."until" IS NULL OR x."until" > b.s)
),
counted(u, s, n) AS (  -- trainings of u or of any unit under it, keyed by their bucket's start
  SELECT d.ancestor, DATE '2023-04-01' + CAST((t.day - DATE '2023-04-01') // 21 * 21 AS INTEGER), count(*)
  FROM staff_training t
  JOIN under d ON d.id = t.unit
  WHERE t.day BETWEEN DATE '2023-04-01' AND least(DATE '2023-12-30', getvariable('as_of'))
  GROUP BY ALL
)
SELECT 'internal_training_cadence' AS obligation, i.u AS unit, CAST(i.s AS VARCHAR) AS period_start,
       CASE WHEN coalesce(c.n, 0) >= 1 THEN 'satisfied'
            WHEN getvariable('as_of') > i.e + INTERVAL 5 DAY THEN 'violated'
            ELSE 'pending' END AS status
FROM instance i LEFT JOIN counted c ON c.u = i.u AND c.s = i.s
ORDER BY unit, period_start;
