-- bank_sms_weekly (rules/goutang-2023.mandate):
--   each b: bank, during campaign (2023-04-01..2023-12-30), every full week,
--   require count(sms_campaign of b) >= 1.
-- A full-week count: Monday-to-Sunday weeks (week_start monday) that lie wholly inside the
-- campaign, 2023-04-03..04-09 to 2023-12-18..12-24; the weeks the campaign cuts short are not
-- judged. Monotone, no grace: satisfied once an SMS campaign counts, violated from the day
-- after the week without one, pending until then.
WITH RECURSIVE
week(s) AS (
  SELECT date('2023-04-01', 'weekday 1')  -- the first Monday on or after the campaign's start
  UNION ALL
  SELECT date(s, '+7 days') FROM week WHERE date(s, '+13 days') <= '2023-12-30'
),
bucket(s, e) AS (
  SELECT s, date(s, '+6 days') FROM week WHERE date(s, '+6 days') <= '2023-12-30' AND s <= :as_of
),
instance(b, s, e) AS (
  SELECT u.id, k.s, k.e FROM unit u, bucket k
  WHERE u.kind = 'bank' AND (u.since IS NULL OR u.since <= k.e) AND (u.until IS NULL OR u.until > k.s)
),
counted(b, s, n) AS (  -- SMS campaigns of b or of any unit under it
  SELECT d.ancestor, k.s, count(*)
  FROM bucket k
  JOIN sms_campaign m ON m.day BETWEEN k.s AND min(k.e, :as_of)
  JOIN under d ON d.id = m.unit
  GROUP BY d.ancestor, k.s
)
SELECT 'bank_sms_weekly' AS obligation, i.b AS unit, i.s AS period_start,
       CASE WHEN coalesce(c.n, 0) >= 1 THEN 'satisfied'
            WHEN :as_of > i.e THEN 'violated'
            ELSE 'pending' END AS status
FROM instance i LEFT JOIN counted c ON c.b = i.b AND c.s = i.s
ORDER BY unit, period_start;
