package org.mandate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Records as JSON text, as maps of Java values, as typed builders, and from JSON Lines. */
class RecordsTest {
    private static final LocalDate APRIL = LocalDate.of(2023, 4, 1);
    private static final LocalDate MAY = LocalDate.of(2023, 5, 1);
    private Plan plan;
    private Engine engine;

    @BeforeEach
    void open() {
        plan = Fixtures.fieldsPlan();
        engine = new Engine(plan);
        assertTrue(engine.add("{\"entity\": \"k1\", \"kind\": \"k\"}"));
        assertTrue(engine.add(Map.of("entity", "k2", "kind", "k")));
    }

    @AfterEach
    void close() {
        engine.close();
        plan.close();
    }

    private static Map<String, Object> event(String id, String time, String unit, Object... fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("type", "e");
        m.put("time", time);
        m.put("unit", unit);
        for (int i = 0; i < fields.length; i += 2)
            m.put((String) fields[i], fields[i + 1]);
        return m;
    }

    private Report.Inputs inputs() {
        return engine.report(MAY).inputs();
    }

    @Test
    void exponentsAndLargeNumbersKeepTheirValue() {
        // 1E+1 is 10: the typed path and the map path write it as JSON writes numbers.
        assertTrue(engine.add(event("a", "2023-04-02", "k1", "n", 1, "x", new BigDecimal("1E+1"))), engine.lastError());
        assertTrue(engine.add(Event.of("a", "e", "2023-04-02", "k1").set("n", 1).set("x", new BigDecimal("10.000"))));
        assertEquals(1, inputs().duplicates());
        assertEquals("satisfied", engine.report(MAY).result("big", "k1", APRIL).orElseThrow().status());
        // A huge exponent is a short text, out of range for the field, as its JSON twin is.
        assertFalse(engine.add(event("b", "2023-04-03", "k1", "n", 1, "x", new BigDecimal("1E+2000000"))));
        assertTrue(engine.lastError().startsWith("field 'x'"), engine.lastError());
        assertFalse(engine.add(Event.of("c", "e", "2023-04-03", "k1").set("n", 1).set("x", new BigDecimal("1E+2000000"))));
        assertTrue(engine.lastError().startsWith("field 'x'"), engine.lastError());
    }

    @Test
    void textThatCannotCrossIntactIsRefusedNotChanged() {
        long before = inputs().read();
        // A NUL would cut an id short on the C side: "a\0y" is not "a".
        assertThrows(IllegalArgumentException.class, () -> engine.add(Event.of("a\0y", "e", "2023-04-02", "k1").set("n", 1).set("x", 1)));
        assertThrows(IllegalArgumentException.class, () -> engine.retract("a\0zzz"));
        assertThrows(IllegalArgumentException.class, () -> engine.add(Entity.of("k9", "k").name("x\0y")));
        // A lone surrogate has no UTF-8 form: never a '?' in its place.
        assertThrows(IllegalArgumentException.class, () -> engine.add(event("a", "2023-04-02", "k1", "n", 1, "x", 1, "t", "\ud800")));
        assertThrows(IllegalArgumentException.class, () -> engine.add(Event.of("a", "e", "2023-04-02", "k1").set("n", 1).set("x", 1).set("t", "\ud800")));
        assertThrows(IllegalArgumentException.class,
                     () -> engine.add("{\"id\": \"a\", \"type\": \"e\", \"time\": \"2023-04-02\", \"unit\": \"k1\", \"n\": 1, \"x\": 1, \"t\": \"\ud800\"}"));
        assertEquals(before, inputs().read());
        // In JSON text a NUL is an escape like any other: the map path writes it so.
        assertTrue(engine.add(event("z", "2023-04-02", "k1", "n", 1, "x", 1, "t", "a\0b")), engine.lastError());
        // And a pair of surrogates is one character, 😀.
        assertTrue(engine.add(Event.of("y", "e", "2023-04-02", "k1").set("n", 1).set("x", 1).set("t", "\ud83d\ude00")));
    }

    @Test
    void theEngineKnowsItsPlan() {
        assertEquals(plan, engine.plan());
        assertEquals("Engine[fields_plan]", engine.toString());
    }

    @Test
    void jsonTextIsAcceptedOrRejectedWithItsReasonAndCounted() {
        assertTrue(engine.add("{\"id\": \"a\", \"type\": \"e\", \"time\": \"2023-04-02\", \"unit\": \"k1\", \"n\": 1, \"x\": 4.5}"));
        assertEquals("", engine.lastError());
        assertFalse(engine.add("{\"id\": \"b\", \"type\": \"e\", \"time\": \"2023-04-02\", \"unit\": \"k1\", \"n\": \"x\", \"x\": 1}"));
        assertEquals("field 'n' must be a whole number", engine.lastError());
        assertFalse(engine.add("{\"id\": \"c\", \"type\": \"e\","));
        assertTrue(engine.lastError().startsWith("not valid JSON"), engine.lastError());
        Report report = engine.report(MAY);
        assertEquals(5, report.inputs().read());
        assertEquals(2, report.inputs().entities());
        assertEquals(1, report.inputs().applied());
        assertEquals(2, report.inputs().rejected());
        // A record added alone is listed with source "" and line 0.
        assertEquals(new Report.Rejection("", 0, "field 'n' must be a whole number"), report.rejected().get(0));
    }

    @Test
    void aMapOfEveryValueTypeIsItsJsonTwinSoTheTwinIsADuplicate() {
        Map<String, Object> record = event("a", "2023-04-15T09:30:00+08:00", "k1", "n", 7, "x", new BigDecimal("4.50"),
                                           "b", true, "t", "苟堂\n\"quoted\"", "d", LocalDate.of(2023, 4, 10),
                                           "s", List.of("y", "x"), "r", "k2");
        assertTrue(engine.add(record), engine.lastError());
        // The same record written otherwise: 4.5 for 4.50, the set in another order, the same
        // instant in UTC, the date as text.
        assertTrue(engine.add("{\"id\": \"a\", \"type\": \"e\", \"time\": \"2023-04-15T01:30:00Z\", \"unit\": \"k1\", \"n\": 7,"
                              + " \"x\": 4.5, \"b\": true, \"t\": \"苟堂\\n\\\"quoted\\\"\", \"d\": \"2023-04-10\","
                              + " \"s\": [\"x\", \"y\"], \"r\": \"k2\"}"));
        // Other Java types for the same values: Long, Double, an OffsetDateTime, a Set.
        Map<String, Object> again = event("a", null, "k1", "n", 7L, "x", 4.5, "b", Boolean.TRUE, "t", "苟堂\n\"quoted\"",
                                          "d", "2023-04-10", "s", new TreeSet<>(Set.of("x", "y")), "r", "k2");
        again.put("time", OffsetDateTime.of(2023, 4, 15, 1, 30, 0, 0, ZoneOffset.UTC));
        assertTrue(engine.add(again), engine.lastError());
        Report.Inputs in = inputs();
        assertEquals(1, in.applied());
        assertEquals(2, in.duplicates());
        assertEquals(0, in.rejected());
        // One value changed makes a conflicting copy, not a duplicate.
        assertFalse(engine.add(event("a", "2023-04-15", "k1", "n", 8, "x", 4.5)));
        assertEquals("event id 'a' is in conflict: records with this id differ", engine.lastError());
    }

    @Test
    void numbersKeepTheirExactValue() {
        // 0.1 as a double is written as 0.1, exactly 1/10: 0.1 * 100 events would be 10.
        assertTrue(engine.add(event("a", "2023-04-02", "k1", "n", 1, "x", 9.9)));
        assertTrue(engine.add(event("b", "2023-04-03", "k1", "n", BigInteger.TWO, "x", 0.1)));
        Report report = engine.report(MAY);
        Report.Result big = report.result("big", "k1", APRIL).orElseThrow();
        assertEquals("satisfied", big.status());
        assertEquals(new BigDecimal("10"), new BigDecimal(big.value().toString()));
        // 0.1 + 0.2 is 0.30000000000000004 as a double: more than 6 fractional digits, rejected.
        assertFalse(engine.add(event("c", "2023-04-04", "k1", "n", 1, "x", 0.1 + 0.2)));
        assertEquals("field 'x' has more than 6 fractional digits", engine.lastError());
        // A float is written with the digits Java prints for it.
        assertTrue(engine.add(event("d", "2023-04-05", "k1", "n", (short) 1, "x", 0.25f)));
    }

    @Test
    void aMapNoRecordCanBeMadeOfThrowsAndAddsNothing() {
        long before = inputs().read();
        IllegalArgumentException nested = assertThrows(IllegalArgumentException.class,
                () -> engine.add(event("a", "2023-04-02", "k1", "n", 1, "x", Map.of("a", 1))));
        assertTrue(nested.getMessage().contains("key 'x'"), nested.getMessage());
        assertThrows(IllegalArgumentException.class, () -> engine.add(event("a", "2023-04-02", "k1", "n", 1, "x", Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> engine.add(event("a", "2023-04-02", "k1", "n", 1, "x", new byte[] {1})));
        List<Object> withNull = new java.util.ArrayList<>();
        withNull.add(null);
        assertThrows(IllegalArgumentException.class, () -> engine.add(event("a", "2023-04-02", "k1", "n", 1, "x", 1, "s", withNull)));
        Map<Object, Object> badKey = new HashMap<>();
        badKey.put(1, "x");
        @SuppressWarnings("unchecked")
        Map<String, ?> cast = (Map<String, ?>) (Map<?, ?>) badKey;
        assertThrows(IllegalArgumentException.class, () -> engine.add(cast));
        assertThrows(NullPointerException.class, () -> engine.add((Map<String, ?>) null));
        assertEquals(before, inputs().read());
    }

    @Test
    void nullIsAbsentAndAWrongKindIsARejectedRecord() {
        Map<String, Object> r = event("a", "2023-04-02", "k1", "n", 1, "x", 1);
        r.put("t", null);
        assertTrue(engine.add(r), engine.lastError());
        assertFalse(engine.add(event("b", "2023-04-02", "k1", "n", 1, "x", 1, "b", 1)));
        assertEquals("field 'b' must be true or false", engine.lastError());
        assertFalse(engine.add(event("c", "2023-04-02", "k1", "x", 1)));
        assertEquals("field 'n' is missing", engine.lastError());
        // A LocalDateTime is local time in the plan's zone.
        Map<String, Object> local = event("d", null, "k1", "n", 1, "x", 1);
        local.put("time", LocalDateTime.of(2023, 4, 30, 23, 30));
        assertTrue(engine.add(local), engine.lastError());
        assertEquals(List.of("a", "d"), engine.report(MAY).result("o", "k1", APRIL).orElseThrow().evidence().events());
    }

    @Test
    void aTypedEventIsItsJsonTwin() {
        Event typed = Event.of("a", "e", OffsetDateTime.parse("2023-04-15T09:30:00+08:00"), "k1")
                           .set("n", 7).set("x", new BigDecimal("4.5")).set("b", true).set("t", "苟堂")
                           .set("d", LocalDate.of(2023, 4, 10)).set("s", List.of("x", "y")).set("r", "k2");
        assertTrue(engine.add(typed), engine.lastError());
        assertTrue(engine.add("{\"id\": \"a\", \"type\": \"e\", \"time\": \"2023-04-15T09:30:00+08:00\", \"unit\": \"k1\","
                              + " \"n\": 7, \"x\": 4.5, \"b\": true, \"t\": \"苟堂\", \"d\": \"2023-04-10\", \"s\": [\"y\", \"x\"],"
                              + " \"r\": \"k2\"}"), engine.lastError());
        assertEquals(1, inputs().duplicates());
        // A builder is only read: change it and add it again.
        typed.unset("t").set("n", "seven");
        assertEquals(Set.of("n", "x", "b", "d", "s", "r"), typed.fields().keySet());
        assertFalse(engine.add(typed));
        assertEquals("field 'n' must be a whole number", engine.lastError());
        assertTrue(engine.add(Event.of("b", "e", LocalDate.of(2023, 4, 20), "k2").set("n", 1L).set("x", 10.5)));
        Report report = engine.report(MAY);
        assertEquals("satisfied", report.result("big", "k2", APRIL).orElseThrow().status());
        assertEquals(new BigDecimal("10.5"), report.result("big", "k2", APRIL).orElseThrow().value());
        assertThrows(IllegalArgumentException.class, () -> Event.of("c", "e", "2023-04-01", "k1").set("n", new Object()));
        assertThrows(NullPointerException.class, () -> Event.of(null, "e", "2023-04-01", "k1"));
    }

    @Test
    void aTypedEntityWithItsFieldsIsItsJsonTwin() {
        Entity k3 = Entity.of("k3", "k").name("三号").since(LocalDate.of(2023, 1, 1)).set("quota", 30);
        assertEquals(Map.of("quota", 30L), k3.fields());
        assertEquals("k3", k3.id());
        assertTrue(engine.add(k3), engine.lastError());
        // The same entity as JSON: a duplicate of the same version counts once, as an entity.
        assertTrue(engine.add("{\"entity\": \"k3\", \"kind\": \"k\", \"name\": \"三号\", \"since\": \"2023-01-01\", \"quota\": 30}"));
        assertFalse(engine.add(Entity.of("k4", "nokind")));
        assertTrue(engine.lastError().contains("nokind"), engine.lastError());
        assertTrue(engine.add(Entity.of("k5", "k").until(LocalDate.of(2023, 4, 1)).version(2)));
        Report report = engine.report(MAY);
        assertEquals("三号", report.result("o", "k3", APRIL).orElseThrow().unitName());
        // k5 ends on 1 April (active while since <= date < until): no April bucket.
        assertTrue(report.result("o", "k5", APRIL).isEmpty());
        // k1, k2, k3 (twice: the same version, a duplicate entity record counts as an entity), k5;
        // k4's kind is not the plan's.
        assertEquals(5, report.inputs().entities());
        assertEquals(1, report.inputs().rejected());
    }

    @Test
    void aRetractionTakesAnEventBackAndAnUnknownIdIsCountedToo() {
        assertTrue(engine.add(event("a", "2023-04-02", "k1", "n", 1, "x", 1)));
        assertTrue(engine.retract("a"));
        assertTrue(engine.retract("never-seen"));
        Report report = engine.report(MAY);
        assertEquals(1, report.inputs().retracted());
        assertEquals(2, report.inputs().retractions());
        assertEquals("violated", report.result("o", "k1", APRIL).orElseThrow().status());
    }

    @Test
    void jsonLinesFromAFileAndFromTextAreListedByLine() throws IOException {
        Path file = Files.createTempFile("records", ".jsonl");
        try {
            Files.writeString(file, "{\"id\": \"a\", \"type\": \"e\", \"time\": \"2023-04-02\", \"unit\": \"k1\", \"n\": 1, \"x\": 1}\n"
                                    + "\n"
                                    + "{\"id\": \"b\", \"type\": \"e\", \"time\": \"2023-04-02\", \"unit\": \"k1\", \"n\": true, \"x\": 1}\n");
            assertEquals(2, engine.addJsonl(file));
            assertEquals(1, engine.addJsonl("{\"id\": \"c\"}\n", "inline"));
            Report report = engine.report(MAY);
            assertEquals(List.of(new Report.Rejection(file.toString(), 3, "field 'n' must be a whole number"),
                                 new Report.Rejection("inline", 1, "field 'type' is missing")),
                         report.rejected());
            assertEquals(1, report.inputs().applied());
        } finally {
            Files.delete(file);
        }
        IOException e = assertThrows(IOException.class, () -> engine.addJsonl(Path.of("/no/such/records.jsonl")));
        assertTrue(e.getMessage().contains("/no/such/records.jsonl"), e.getMessage());
    }
}
