-- The records of the Goutang JSON Lines files, cleaned as mandate accepts them, in the tables
-- the checks query (bench/sql/*.sql; bench/sql/README.md says how they were checked).
--
-- The caller creates raw(line TEXT) and fills it with the lines of the registry and event
-- files, one line a row: bench/compare-sqlite.sh with the shell's `.import`, the benchmark
-- (bench/sqlite_bench.cpp) with prepared inserts. Nothing here depends on line order.
--
-- What the load keeps, following LANGUAGE.md "Records a host sends" and docs/choices.md:
--   * lines that are not valid JSON are dropped (mandate rejects them);
--   * entities: of several records for one id, the highest version whose records all agree
--     stands; an entity counts only when its chain of parents reaches a root (else mandate
--     holds it unresolved);
--   * events of the five types the checks read (activity, sms_campaign, leaflet_delivered,
--     screen_play, staff_training), when their declared fields have the declared types (a
--     screen_play whose seconds is a string is dropped, as mandate rejects it) and the time is
--     a real date or date-time; the local date is taken in the plan's zone, +08:00;
--   * an id sent several times with the same content (type, instant, unit, declared fields
--     compared as typed values: key order, the offset an instant is written with, the order of
--     a set's members do not matter) counts once; an id sent with different contents is
--     dropped altogether; a retracted id is dropped;
--   * an event counts only when its unit (and a leaflet's recipient) is a registered, resolved
--     entity, a recipient being a household or a merchant.
-- Not repeated here, because these files cannot have them: the check of a parent's kind,
-- event ids shared between types, and records longer than the size limit.

PRAGMA temp_store = MEMORY;

-- ------------------------------------------------------------------------------ entities

-- An outlet's `screen` (optional bool) is 1, 0 or NULL (left out); another type rejects the
-- record; on other kinds the key is not declared and is ignored.
CREATE TABLE entity_record (
  id TEXT NOT NULL, version INTEGER NOT NULL, kind TEXT NOT NULL, parent TEXT, name TEXT,
  since TEXT, until TEXT, screen INTEGER
);
INSERT INTO entity_record
SELECT line ->> '$.entity', coalesce(line ->> '$.version', 0), line ->> '$.kind', line ->> '$.parent',
       line ->> '$.name', line ->> '$.since', line ->> '$.until',
       CASE WHEN line ->> '$.kind' = 'outlet' THEN CASE json_type(line, '$.screen') WHEN 'true' THEN 1 WHEN 'false' THEN 0 END END
FROM raw
WHERE instr(line, '"entity"') > 0 AND json_valid(line)
  AND json_type(line, '$.entity') = 'text' AND json_type(line, '$.kind') = 'text'
  AND coalesce(json_type(line, '$.version'), 'integer') = 'integer'
  AND (line ->> '$.kind' <> 'outlet' OR coalesce(json_type(line, '$.screen') IN ('true', 'false'), 1));

-- The standing record of each entity: the highest version whose records agree.
CREATE TABLE entity (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, parent TEXT, since TEXT, until TEXT, screen INTEGER
) WITHOUT ROWID;
INSERT INTO entity
SELECT id, kind, parent, since, until, screen
FROM (SELECT id, min(kind) AS kind, min(parent) AS parent, min(since) AS since, min(until) AS until,
             min(screen) AS screen, row_number() OVER (PARTITION BY id ORDER BY version DESC) AS rank
      FROM entity_record
      GROUP BY id, version
      HAVING count(DISTINCT json_array(kind, parent, name, since, until, screen)) = 1)
WHERE rank = 1;
CREATE INDEX entity_parent ON entity(parent);

-- Resolved entities (their parents reach a root) and, for each, itself and every ancestor:
-- `of v` reads the events of v and of everything under it (depth 0 is v itself).
CREATE TABLE unit (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, since TEXT, until TEXT, screen INTEGER
) WITHOUT ROWID;
WITH RECURSIVE resolved(id) AS (
  SELECT id FROM entity WHERE parent IS NULL
  UNION
  SELECT e.id FROM entity e JOIN resolved r ON e.parent = r.id
)
INSERT INTO unit SELECT e.id, e.kind, e.since, e.until, e.screen FROM resolved r JOIN entity e USING (id);

CREATE TABLE under (
  ancestor TEXT NOT NULL, id TEXT NOT NULL, depth INTEGER NOT NULL, PRIMARY KEY (ancestor, id)
) WITHOUT ROWID;
WITH RECURSIVE up(id, ancestor, depth) AS (
  SELECT id, id, 0 FROM unit
  UNION ALL
  SELECT up.id, e.parent, up.depth + 1 FROM up JOIN entity e ON e.id = up.ancestor WHERE e.parent IS NOT NULL
)
INSERT INTO under SELECT ancestor, id, depth FROM up;
-- The checks go from an event's unit to the units it counts for.
CREATE INDEX under_id ON under(id, ancestor);

-- ------------------------------------------------------------------------------ events

-- Every event record of the types the checks read whose fields fit the type. `instant`
-- identifies its time for duplicate detection (the UTC instant of a date-time, or the date);
-- `day` is its local date at +08:00. a and b hold the type's fields:
--   activity: venue, methods (the JSON array), and in c crowded (1, 0, or NULL when left out);
--   sms_campaign: recipients; leaflet_delivered:
--   recipient; screen_play: seconds in millionths (exact: at most 6 decimals), antifraud 0/1;
--   staff_training: attendees, expected.
CREATE TABLE event_record (
  n INTEGER PRIMARY KEY, id TEXT NOT NULL, type TEXT NOT NULL, instant TEXT NOT NULL,
  day TEXT NOT NULL, unit TEXT NOT NULL, a ANY, b ANY, c ANY
);
INSERT INTO event_record
SELECT n, id, type,
       CASE zone WHEN 'date' THEN time
                 WHEN 'offset' THEN strftime('%Y-%m-%dT%H:%M:%f', time)
                 ELSE strftime('%Y-%m-%dT%H:%M:%f', time, '-8 hours') END,
       CASE zone WHEN 'date' THEN time
                 WHEN 'offset' THEN date(time, '+8 hours')
                 ELSE date(time) END,
       unit, a, b, c
FROM (
  SELECT rowid AS n, line ->> '$.id' AS id, line ->> '$.type' AS type, line ->> '$.time' AS time,
         line ->> '$.unit' AS unit,
         CASE WHEN length(line ->> '$.time') = 10 THEN 'date'
              WHEN (line ->> '$.time') GLOB '*Z' OR (line ->> '$.time') GLOB '*[+-][0-9][0-9]:[0-9][0-9]' THEN 'offset'
              ELSE 'local' END AS zone,
         CASE line ->> '$.type'
           WHEN 'activity' THEN line ->> '$.venue'
           WHEN 'sms_campaign' THEN CAST(line ->> '$.recipients' AS INTEGER)
           WHEN 'leaflet_delivered' THEN line ->> '$.recipient'
           WHEN 'screen_play' THEN CAST(round((line ->> '$.seconds') * 1000000) AS INTEGER)
           WHEN 'staff_training' THEN CAST(line ->> '$.attendees' AS INTEGER)
         END AS a,
         CASE line ->> '$.type'
           WHEN 'activity' THEN line -> '$.methods'
           WHEN 'screen_play' THEN json_type(line, '$.antifraud') = 'true'
           WHEN 'staff_training' THEN CAST(line ->> '$.expected' AS INTEGER)
         END AS b,
         CASE line ->> '$.type'
           WHEN 'activity' THEN CASE json_type(line, '$.crowded') WHEN 'true' THEN 1 WHEN 'false' THEN 0 END
         END AS c,
         CASE line ->> '$.type'  -- whether the declared fields have their types
           WHEN 'activity' THEN json_type(line, '$.venue') = 'text' AND json_type(line, '$.methods') = 'array'
                AND NOT EXISTS (SELECT 1 FROM json_each(line, '$.methods') WHERE type <> 'text')
                AND coalesce(json_type(line, '$.crowded') IN ('true', 'false'), 1)
           WHEN 'sms_campaign' THEN json_type(line, '$.recipients') = 'integer'
                OR (json_type(line, '$.recipients') = 'real' AND (line ->> '$.recipients') = CAST(line ->> '$.recipients' AS INTEGER))
           WHEN 'leaflet_delivered' THEN json_type(line, '$.recipient') = 'text'
           WHEN 'screen_play' THEN json_type(line, '$.seconds') IN ('integer', 'real')
                AND (instr(line -> '$.seconds', '.') = 0 OR length(line -> '$.seconds') - instr(line -> '$.seconds', '.') <= 6)
                AND abs(line ->> '$.seconds') <= 9000000000 AND json_type(line, '$.antifraud') IN ('true', 'false')
           WHEN 'staff_training' THEN json_type(line, '$.attendees') = 'integer' AND json_type(line, '$.expected') = 'integer'
         END AS fits
  FROM raw
  WHERE instr(line, '"type"') > 0 AND json_valid(line)
    AND line ->> '$.type' IN ('activity', 'sms_campaign', 'leaflet_delivered', 'screen_play', 'staff_training')
    AND json_type(line, '$.id') = 'text' AND json_type(line, '$.time') = 'text' AND json_type(line, '$.unit') = 'text'
)
WHERE fits
  -- a real calendar date (SQLite would read 2023-02-30 as 03-02)
  AND date(substr(time, 1, 10)) = substr(time, 1, 10)
  AND (zone = 'date' OR strftime('%Y-%m-%dT%H:%M:%f', time) IS NOT NULL);
CREATE INDEX event_record_id ON event_record(id);

-- Ids sent more than once: the first copy stands when all copies agree, none when they differ.
CREATE TABLE repeated (id TEXT PRIMARY KEY, first INTEGER NOT NULL, contents INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO repeated
SELECT r.id, min(r.n),
       count(DISTINCT json_array(r.type, r.instant, r.unit, r.a, r.c,
                                 CASE r.type WHEN 'activity'  -- a set: its distinct members, in order
                                   THEN (SELECT group_concat(value, char(31)) FROM (SELECT DISTINCT value FROM json_each(r.b) ORDER BY value))
                                   ELSE r.b END))
FROM event_record r
WHERE r.id IN (SELECT id FROM event_record GROUP BY id HAVING count(*) > 1)
GROUP BY r.id;

CREATE TABLE retraction (id TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT OR IGNORE INTO retraction
SELECT line ->> '$.retract' FROM raw
WHERE instr(line, '"retract"') > 0 AND json_valid(line) AND json_type(line, '$.retract') = 'text';

-- The events that count: one copy of each id, no id in conflict, none retracted, the unit
-- registered and resolved.
CREATE VIEW applied AS
SELECT r.* FROM event_record r
WHERE NOT EXISTS (SELECT 1 FROM repeated p WHERE p.id = r.id AND (p.contents > 1 OR p.first <> r.n))
  AND NOT EXISTS (SELECT 1 FROM retraction x WHERE x.id = r.id)
  AND EXISTS (SELECT 1 FROM unit u WHERE u.id = r.unit);

-- One table a type, clustered on how the checks read it: by unit and date, leaflets by their
-- recipient and date.
CREATE TABLE activity (
  unit TEXT NOT NULL, day TEXT NOT NULL, id TEXT NOT NULL, venue TEXT NOT NULL, crowded INTEGER,
  PRIMARY KEY (unit, day, id)
) WITHOUT ROWID;
INSERT INTO activity SELECT unit, day, id, a, c FROM applied WHERE type = 'activity';

CREATE TABLE sms_campaign (
  unit TEXT NOT NULL, day TEXT NOT NULL, id TEXT NOT NULL, recipients INTEGER NOT NULL, PRIMARY KEY (unit, day, id)
) WITHOUT ROWID;
INSERT INTO sms_campaign SELECT unit, day, id, a FROM applied WHERE type = 'sms_campaign';

CREATE TABLE leaflet_delivered (
  recipient TEXT NOT NULL, day TEXT NOT NULL, id TEXT NOT NULL, unit TEXT NOT NULL, PRIMARY KEY (recipient, day, id)
) WITHOUT ROWID;
INSERT INTO leaflet_delivered
SELECT r.a, r.day, r.id, r.unit FROM applied r
WHERE r.type = 'leaflet_delivered'
  -- a is of no one type: CAST lets the comparison use unit's primary key (without it, a scan)
  AND EXISTS (SELECT 1 FROM unit x WHERE x.id = CAST(r.a AS TEXT) AND x.kind IN ('household', 'merchant'));

CREATE TABLE screen_play (
  unit TEXT NOT NULL, day TEXT NOT NULL, id TEXT NOT NULL, antifraud INTEGER NOT NULL, micros INTEGER NOT NULL,
  PRIMARY KEY (unit, day, id)
) WITHOUT ROWID;
INSERT INTO screen_play SELECT unit, day, id, b, a FROM applied WHERE type = 'screen_play';

CREATE TABLE staff_training (
  unit TEXT NOT NULL, day TEXT NOT NULL, id TEXT NOT NULL, attendees INTEGER NOT NULL, expected INTEGER NOT NULL,
  PRIMARY KEY (unit, day, id)
) WITHOUT ROWID;
INSERT INTO staff_training SELECT unit, day, id, a, b FROM applied WHERE type = 'staff_training';

-- Every check starts from the units of a kind (each v: village). Made last: before ANALYZE,
-- an index on kind tempts the planner to drive the inserts above from the units.
CREATE INDEX unit_kind ON unit(kind);

-- The staging tables have done their work.
DROP VIEW applied;
DROP TABLE event_record;
DROP TABLE entity_record;
ANALYZE;
