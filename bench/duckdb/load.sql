-- The records of the Goutang JSON Lines files, cleaned as mandate accepts them, in the tables
-- the checks query (bench/duckdb/*.sql): the DuckDB counterpart of bench/sql/load.sql, which
-- says what is kept and why; the rules are the same, written for DuckDB.
--
-- The caller sets the variable `files` to the list of files to read (the registry, then the
-- events: `SET VARIABLE files = ['registry.jsonl', 'events.jsonl']`). Nothing here depends on
-- the order of the lines.
--
-- One pass of DuckDB's own JSON reader over both files, in parallel: every key any record
-- type has is a column of type JSON, so a value keeps its JSON type (a `"seconds": "600"` is
-- a string, not coerced to a number, and is rejected as mandate rejects it) and each line is
-- parsed once; a line that is not valid JSON (the generator cuts some short) is skipped by
-- ignore_errors, as mandate rejects it. Typed columns (VARCHAR, DOUBLE, ...) would coerce
-- mistyped values instead of rejecting them.
--
-- Differences from bench/sql/load.sql that the records here cannot show: a key whose value is
-- JSON null reads as a missing key; a number's decimals are counted on its shortest form
-- (1.50 is 1.5).

SET preserve_insertion_order = false;  -- no table here has an order worth keeping

-- The lines, parsed once: a view, read by the one pass below.
CREATE TEMP VIEW raw AS
SELECT *
FROM read_ndjson(getvariable('files'), ignore_errors = true, maximum_object_size = 16777216,
  columns = {
    entity: 'JSON', kind: 'JSON', parent: 'JSON', name: 'JSON', since: 'JSON', "until": 'JSON',
    version: 'JSON', screen: 'JSON',
    id: 'JSON', type: 'JSON', time: 'JSON', unit: 'JSON',
    venue: 'JSON', methods: 'JSON', crowded: 'JSON', recipients: 'JSON', recipient: 'JSON',
    seconds: 'JSON', antifraud: 'JSON', attendees: 'JSON', expected: 'JSON',
    retract: 'JSON'
  });

-- Every record the checks can use, in one pass over the files, with typed values only (the
-- JSON text is not kept: holding the parsed county as JSON columns took 9.5 GB, this a
-- fraction of it). A line is an entity record, an event record of the five types the checks
-- read whose declared fields have their types, a retraction, or any of them at once (as in
-- bench/sql/load.sql, each is read independently).
--   entity records: an outlet's `screen` (optional bool) is true, false or NULL (left out);
--     another type rejects the record; on other kinds the key is not declared and is ignored;
--   event records: `instant` identifies the time for duplicate detection (the UTC instant of
--     a date-time, or the date); `day` is the local date at +08:00: a date-time with an
--     offset (Z or ±hh:mm) is moved to +08:00, one without is read as local time, a date is
--     its own day. Screen time is kept in millionths of a second (exact: at most 6 decimals).
CREATE TEMP TABLE record AS
WITH typed AS (
  SELECT *,
         json_type(entity) = 'VARCHAR' AND json_type(kind) = 'VARCHAR'
           AND coalesce(json_type(version) IN ('BIGINT', 'UBIGINT'), true)
           AND ((kind ->> '$') <> 'outlet' OR coalesce(json_type(screen) = 'BOOLEAN', true)) AS is_entity,
         CASE WHEN json_type(type) = 'VARCHAR' AND json_type(id) = 'VARCHAR' AND json_type(time) = 'VARCHAR'
                   AND json_type(unit) = 'VARCHAR' THEN type ->> '$' END AS event_type,
         time ->> '$' AS time_text
  FROM raw
),
fitting AS (
  SELECT *,
         coalesce(CASE event_type  -- whether the declared fields have their types
           WHEN 'activity' THEN json_type(venue) = 'VARCHAR' AND json_type(methods) = 'ARRAY'
                AND list_bool_and(list_transform(json_type(methods, '$[*]'), t -> t = 'VARCHAR')) IS NOT false
                AND coalesce(json_type(crowded) = 'BOOLEAN', true)
           WHEN 'sms_campaign' THEN json_type(recipients) IN ('BIGINT', 'UBIGINT')
                OR (json_type(recipients) = 'DOUBLE'
                    AND CAST(recipients ->> '$' AS DOUBLE) = floor(CAST(recipients ->> '$' AS DOUBLE)))
           WHEN 'leaflet_delivered' THEN json_type(recipient) = 'VARCHAR'
           WHEN 'screen_play' THEN json_type(seconds) IN ('BIGINT', 'UBIGINT', 'DOUBLE')
                AND (NOT contains(seconds ->> '$', '.') OR length(seconds ->> '$') - strpos(seconds ->> '$', '.') <= 6)
                AND abs(CAST(seconds ->> '$' AS DOUBLE)) <= 9000000000 AND json_type(antifraud) = 'BOOLEAN'
           WHEN 'staff_training' THEN json_type(attendees) IN ('BIGINT', 'UBIGINT') AND json_type(expected) IN ('BIGINT', 'UBIGINT')
         END, false) AS fits,
         CASE WHEN length(time_text) = 10 THEN NULL
              WHEN suffix(time_text, 'Z') THEN 0
              WHEN length(time_text) > 16 AND substr(time_text, -6, 1) IN ('+', '-') AND substr(time_text, -3, 1) = ':'
                THEN (CASE substr(time_text, -6, 1) WHEN '+' THEN 1 ELSE -1 END)
                     * (TRY_CAST(substr(time_text, -5, 2) AS INTEGER) * 60 + TRY_CAST(substr(time_text, -2, 2) AS INTEGER))
              ELSE 480 END AS offset_minutes,  -- the plan's zone, +08:00, when none is written
         CASE WHEN length(time_text) = 10 THEN NULL
              WHEN suffix(time_text, 'Z') THEN TRY_CAST(left(time_text, -1) AS TIMESTAMP)
              WHEN length(time_text) > 16 AND substr(time_text, -6, 1) IN ('+', '-') AND substr(time_text, -3, 1) = ':'
                THEN TRY_CAST(left(time_text, -6) AS TIMESTAMP)
              ELSE TRY_CAST(time_text AS TIMESTAMP) END AS written
  FROM typed
),
event AS (
  SELECT *, written - to_minutes(offset_minutes) AS utc,
         event_type IS NOT NULL AND fits AS is_event
  FROM fitting
)
SELECT
  -- the entity record
  CASE WHEN is_entity THEN entity ->> '$' END AS entity,
  CASE WHEN is_entity THEN coalesce(CAST(version ->> '$' AS BIGINT), 0) END AS version,
  CASE WHEN is_entity THEN kind ->> '$' END AS kind,
  CASE WHEN is_entity THEN parent ->> '$' END AS parent,
  CASE WHEN is_entity THEN name ->> '$' END AS name,
  CASE WHEN is_entity THEN since ->> '$' END AS since,
  CASE WHEN is_entity THEN "until" ->> '$' END AS "until",
  CASE WHEN is_entity AND (kind ->> '$') = 'outlet' THEN CAST(screen ->> '$' AS BOOLEAN) END AS screen,
  -- the event record
  CASE WHEN is_event THEN id ->> '$' END AS id,
  CASE WHEN is_event THEN event_type END AS type,
  CASE WHEN is_event THEN unit ->> '$' END AS unit,
  CASE WHEN is_event THEN CASE WHEN length(time_text) = 10 THEN time_text ELSE strftime(utc, '%Y-%m-%dT%H:%M:%S.%f') END END AS instant,
  CASE WHEN is_event THEN CASE WHEN length(time_text) = 10 THEN TRY_CAST(time_text AS DATE)
                               ELSE CAST(utc + INTERVAL 8 HOUR AS DATE) END END AS day,
  CASE WHEN is_event AND event_type = 'activity' THEN venue ->> '$' END AS venue,
  CASE WHEN is_event AND event_type = 'activity' THEN CAST(json_extract_string(methods, '$[*]') AS VARCHAR[]) END AS methods,
  CASE WHEN is_event AND event_type = 'activity' THEN CAST(crowded ->> '$' AS BOOLEAN) END AS crowded,
  CASE WHEN is_event AND event_type = 'sms_campaign' THEN CAST(CAST(recipients ->> '$' AS DOUBLE) AS BIGINT) END AS recipients,
  CASE WHEN is_event AND event_type = 'leaflet_delivered' THEN recipient ->> '$' END AS recipient,
  CASE WHEN is_event AND event_type = 'screen_play' THEN CAST(round(CAST(seconds ->> '$' AS DOUBLE) * 1000000) AS BIGINT) END AS micros,
  CASE WHEN is_event AND event_type = 'screen_play' THEN CAST(antifraud ->> '$' AS BOOLEAN) END AS antifraud,
  CASE WHEN is_event AND event_type = 'staff_training' THEN CAST(attendees ->> '$' AS BIGINT) END AS attendees,
  CASE WHEN is_event AND event_type = 'staff_training' THEN CAST(expected ->> '$' AS BIGINT) END AS expected,
  -- the retraction
  CASE WHEN json_type(retract) = 'VARCHAR' THEN retract ->> '$' END AS retract
FROM event
WHERE is_entity
   OR (is_event
       -- a real calendar date and time
       AND CASE WHEN length(time_text) = 10 THEN TRY_CAST(time_text AS DATE) IS NOT NULL ELSE utc IS NOT NULL END)
   OR json_type(retract) = 'VARCHAR';

-- ------------------------------------------------------------------------------ entities

-- The standing record of each entity: the highest version whose records agree.
CREATE TABLE entity AS
SELECT id, kind, parent, CAST(since AS DATE) AS since, CAST("until" AS DATE) AS "until", screen
FROM (SELECT id, version, min(kind) AS kind, min(parent) AS parent, min(since) AS since, min("until") AS "until",
             min(screen) AS screen
      FROM (SELECT entity AS id, version, kind, parent, name, since, "until", screen FROM record WHERE entity IS NOT NULL)
      GROUP BY id, version
      HAVING count(DISTINCT (kind, parent, name, since, "until", screen)) = 1)
QUALIFY row_number() OVER (PARTITION BY id ORDER BY version DESC) = 1;

-- Resolved entities (their parents reach a root) and, for each, itself and every ancestor:
-- `of v` reads the events of v and of everything under it (depth 0 is v itself).
CREATE TABLE unit AS
WITH RECURSIVE resolved(id) AS (
  SELECT id FROM entity WHERE parent IS NULL
  UNION
  SELECT e.id FROM entity e JOIN resolved r ON e.parent = r.id
)
SELECT e.id, e.kind, e.since, e."until", e.screen FROM resolved r JOIN entity e USING (id);

CREATE TABLE under AS
WITH RECURSIVE up(id, ancestor, depth) AS (
  SELECT id, id, 0 FROM unit
  UNION ALL
  SELECT up.id, e.parent, up.depth + 1 FROM up JOIN entity e ON e.id = up.ancestor WHERE e.parent IS NOT NULL
)
SELECT ancestor, id, depth FROM up;

-- ------------------------------------------------------------------------------ events

-- Ids sent more than once: the first copy stands when all copies agree, none when they differ.
-- (record's rowid stands for "first": copies that agree are interchangeable.) A set's members
-- are compared as a set: distinct and sorted.
CREATE TEMP TABLE repeated AS
SELECT id, min(rowid) AS first,
       count(DISTINCT (type, instant, unit, venue, list_sort(list_distinct(methods)), crowded, recipients, recipient,
                       micros, antifraud, attendees, expected)) AS contents
FROM record
WHERE id IN (SELECT id FROM record WHERE id IS NOT NULL GROUP BY id HAVING count(*) > 1)
GROUP BY id;

-- Ids none of whose copies count: sent with different contents, or retracted.
CREATE TEMP TABLE dropped_id AS
SELECT id FROM repeated WHERE contents > 1
UNION
SELECT retract FROM record WHERE retract IS NOT NULL;

-- The other copies of ids sent more than once with the same contents.
CREATE TEMP TABLE other_copy AS
SELECT r.rowid AS n FROM record r JOIN repeated p ON p.id = r.id WHERE p.contents = 1 AND r.rowid <> p.first;

-- The events that count: one copy of each id, no id in conflict, none retracted, the unit
-- registered and resolved. Anti- and semi-joins on equality against small tables: hash
-- joins, in parallel. (Written as NOT EXISTS with the copy's condition inside, DuckDB took
-- 7 s and 5 GB more for this step.) A view: each table below reads its type's rows through it,
-- where a table of all the applied events would copy 10 M rows once more.
CREATE TEMP VIEW applied AS
SELECT r.id, r.type, r.unit, r.day, r.venue, r.crowded, r.recipients, r.recipient, r.micros, r.antifraud,
       r.attendees, r.expected
FROM (SELECT rowid AS n, * FROM record WHERE id IS NOT NULL) r
ANTI JOIN dropped_id x ON x.id = r.id
ANTI JOIN other_copy c ON c.n = r.n
SEMI JOIN unit u ON u.id = r.unit;

-- One table a type, with only the columns the checks read.
CREATE TABLE activity AS
SELECT unit, day, id, venue, crowded FROM applied WHERE type = 'activity';

CREATE TABLE sms_campaign AS
SELECT unit, day, id, recipients FROM applied WHERE type = 'sms_campaign';

CREATE TABLE leaflet_delivered AS
SELECT r.recipient, r.day, r.id, r.unit FROM applied r
WHERE r.type = 'leaflet_delivered'
  AND EXISTS (SELECT 1 FROM unit x WHERE x.id = r.recipient AND x.kind IN ('household', 'merchant'));

CREATE TABLE screen_play AS
SELECT unit, day, id, antifraud, micros FROM applied WHERE type = 'screen_play';

CREATE TABLE staff_training AS
SELECT unit, day, id, attendees, expected FROM applied WHERE type = 'staff_training';

-- The staging tables have done their work.
DROP VIEW applied;
DROP TABLE other_copy;
DROP TABLE dropped_id;
DROP TABLE repeated;
DROP TABLE record;
DROP VIEW raw;
