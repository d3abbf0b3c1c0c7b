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

CREATE TEMP TABLE raw AS
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

-- ------------------------------------------------------------------------------ entities

-- An outlet's `screen` (optional bool) is true, false or NULL (left out); another type rejects
-- the record; on other kinds the key is not declared and is ignored.
CREATE TEMP TABLE entity_record AS
SELECT entity ->> '$' AS id, coalesce(CAST(version ->> '$' AS BIGINT), 0) AS version, kind ->> '$' AS kind,
       parent ->> '$' AS parent, name ->> '$' AS name, since ->> '$' AS since, "until" ->> '$' AS "until",
       CASE WHEN (kind ->> '$') = 'outlet' THEN CAST(screen ->> '$' AS BOOLEAN) END AS screen
FROM raw
WHERE json_type(entity) = 'VARCHAR' AND json_type(kind) = 'VARCHAR'
  AND coalesce(json_type(version) IN ('BIGINT', 'UBIGINT'), true)
  AND ((kind ->> '$') <> 'outlet' OR coalesce(json_type(screen) = 'BOOLEAN', true));

-- The standing record of each entity: the highest version whose records agree.
CREATE TABLE entity AS
SELECT id, kind, parent, CAST(since AS DATE) AS since, CAST("until" AS DATE) AS "until", screen
FROM (SELECT id, version, min(kind) AS kind, min(parent) AS parent, min(since) AS since, min("until") AS "until",
             min(screen) AS screen
      FROM entity_record
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

-- Every event record of the types the checks read whose fields fit the type, with its fields
-- typed. `instant` identifies its time for duplicate detection (the UTC instant of a
-- date-time, or the date); `day` is its local date at +08:00: a date-time with an offset (Z
-- or ±hh:mm) is moved to +08:00, one without is read as local time, a date is its own day.
CREATE TEMP TABLE event_record AS
WITH e AS (
  SELECT id ->> '$' AS id, type ->> '$' AS type, time ->> '$' AS time, unit ->> '$' AS unit,
         venue, methods, crowded, recipients, recipient, seconds, antifraud, attendees, expected
  FROM raw
  WHERE json_type(type) = 'VARCHAR'
    AND (type ->> '$') IN ('activity', 'sms_campaign', 'leaflet_delivered', 'screen_play', 'staff_training')
    AND json_type(id) = 'VARCHAR' AND json_type(time) = 'VARCHAR' AND json_type(unit) = 'VARCHAR'
),
zoned AS (
  SELECT *,
         CASE WHEN length(time) = 10 THEN NULL
              WHEN suffix(time, 'Z') THEN 0
              WHEN length(time) > 16 AND substr(time, -6, 1) IN ('+', '-') AND substr(time, -3, 1) = ':'
                THEN (CASE substr(time, -6, 1) WHEN '+' THEN 1 ELSE -1 END)
                     * (TRY_CAST(substr(time, -5, 2) AS INTEGER) * 60 + TRY_CAST(substr(time, -2, 2) AS INTEGER))
              ELSE 480 END AS offset_minutes,  -- the plan's zone, +08:00, when none is written
         CASE WHEN length(time) = 10 THEN NULL
              WHEN suffix(time, 'Z') THEN TRY_CAST(left(time, -1) AS TIMESTAMP)
              WHEN length(time) > 16 AND substr(time, -6, 1) IN ('+', '-') AND substr(time, -3, 1) = ':'
                THEN TRY_CAST(left(time, -6) AS TIMESTAMP)
              ELSE TRY_CAST(time AS TIMESTAMP) END AS written
  FROM e
),
timed AS (
  SELECT *, written - to_minutes(offset_minutes) AS utc FROM zoned
)
SELECT id, type, unit,
       CASE WHEN length(time) = 10 THEN time ELSE strftime(utc, '%Y-%m-%dT%H:%M:%S.%f') END AS instant,
       CASE WHEN length(time) = 10 THEN TRY_CAST(time AS DATE)
            ELSE CAST(utc + INTERVAL 8 HOUR AS DATE) END AS day,
       CASE WHEN type = 'activity' THEN venue ->> '$' END AS venue,
       CASE WHEN type = 'activity' THEN CAST(json_extract_string(methods, '$[*]') AS VARCHAR[]) END AS methods,
       CASE WHEN type = 'activity' THEN CAST(crowded ->> '$' AS BOOLEAN) END AS crowded,
       CASE WHEN type = 'sms_campaign' THEN CAST(CAST(recipients ->> '$' AS DOUBLE) AS BIGINT) END AS recipients,
       CASE WHEN type = 'leaflet_delivered' THEN recipient ->> '$' END AS recipient,
       -- seconds in millionths (exact: at most 6 decimals)
       CASE WHEN type = 'screen_play' THEN CAST(round(CAST(seconds ->> '$' AS DOUBLE) * 1000000) AS BIGINT) END AS micros,
       CASE WHEN type = 'screen_play' THEN CAST(antifraud ->> '$' AS BOOLEAN) END AS antifraud,
       CASE WHEN type = 'staff_training' THEN CAST(attendees ->> '$' AS BIGINT) END AS attendees,
       CASE WHEN type = 'staff_training' THEN CAST(expected ->> '$' AS BIGINT) END AS expected
FROM timed
WHERE CASE type  -- whether the declared fields have their types
        WHEN 'activity' THEN json_type(venue) = 'VARCHAR' AND json_type(methods) = 'ARRAY'
             AND list_bool_and(list_transform(json_type(methods, '$[*]'), t -> t = 'VARCHAR')) IS NOT false
             AND coalesce(json_type(crowded) = 'BOOLEAN', true)
        WHEN 'sms_campaign' THEN json_type(recipients) IN ('BIGINT', 'UBIGINT')
             OR (json_type(recipients) = 'DOUBLE' AND CAST(recipients ->> '$' AS DOUBLE) = floor(CAST(recipients ->> '$' AS DOUBLE)))
        WHEN 'leaflet_delivered' THEN json_type(recipient) = 'VARCHAR'
        WHEN 'screen_play' THEN json_type(seconds) IN ('BIGINT', 'UBIGINT', 'DOUBLE')
             AND (NOT contains(seconds ->> '$', '.')
                  OR length(seconds ->> '$') - strpos(seconds ->> '$', '.') <= 6)
             AND abs(CAST(seconds ->> '$' AS DOUBLE)) <= 9000000000 AND json_type(antifraud) = 'BOOLEAN'
        WHEN 'staff_training' THEN json_type(attendees) IN ('BIGINT', 'UBIGINT') AND json_type(expected) IN ('BIGINT', 'UBIGINT')
      END
  -- a real calendar date and time
  AND CASE WHEN length(time) = 10 THEN TRY_CAST(time AS DATE) IS NOT NULL ELSE utc IS NOT NULL END;

-- Ids sent more than once: the first copy stands when all copies agree, none when they differ.
-- (rowid stands for "first": copies that agree are interchangeable.) A set's members are
-- compared as a set: distinct and sorted.
CREATE TEMP TABLE repeated AS
SELECT id, min(rowid) AS first,
       count(DISTINCT (type, instant, unit, venue, list_sort(list_distinct(methods)), crowded, recipients, recipient,
                       micros, antifraud, attendees, expected)) AS contents
FROM event_record
WHERE id IN (SELECT id FROM event_record GROUP BY id HAVING count(*) > 1)
GROUP BY id;

CREATE TEMP TABLE retraction AS
SELECT DISTINCT retract ->> '$' AS id FROM raw WHERE json_type(retract) = 'VARCHAR';

-- The events that count: one copy of each id, no id in conflict, none retracted, the unit
-- registered and resolved. Anti- and semi-joins: hash joins, in parallel.
CREATE TEMP TABLE applied AS
SELECT r.* FROM event_record r
WHERE NOT EXISTS (SELECT 1 FROM repeated p WHERE p.id = r.id AND (p.contents > 1 OR p.first <> r.rowid))
  AND NOT EXISTS (SELECT 1 FROM retraction x WHERE x.id = r.id)
  AND EXISTS (SELECT 1 FROM unit u WHERE u.id = r.unit);

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
DROP TABLE applied;
DROP TABLE retraction;
DROP TABLE repeated;
DROP TABLE event_record;
DROP TABLE entity_record;
DROP TABLE raw;
