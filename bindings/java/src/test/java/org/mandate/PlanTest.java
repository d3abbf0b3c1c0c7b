package org.mandate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {
    @Test
    void compilesTheGoutangPlanWithItsIdAndTheFilesSha256() throws Exception {
        byte[] bytes = Files.readAllBytes(Fixtures.goutang());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        try (Plan plan = Fixtures.goutangPlan()) {
            assertEquals("goutang_antifraud_2023", plan.id());
            assertEquals(sha, plan.revision());
            assertEquals("Plan[goutang_antifraud_2023]", plan.toString());
        }
    }

    @Test
    void aBrokenRuleFileGivesEveryDiagnosticWithLineAndColumn() {
        // Line 2: April has 30 days, the date starts in column 32. Line 6: kind 'kk' in column 11.
        String source = "plan p {}\nphase c \"c\" from 2023-04-01 to 2023-04-31\nkind k \"k\"\nevent e {}\n"
                        + "obligation o {\n  each u: kk\n  during c\n  every month\n  require count(e of u) >= 1\n}\n";
        RuleException e = assertThrows(RuleException.class, () -> Plan.compile(source, "broken.mandate"));
        assertEquals(MandateException.Status.RULE_ERROR, e.status());
        List<Diagnostic> d = e.diagnostics();
        assertEquals(2, d.size());
        assertEquals(2, d.get(0).line());
        assertEquals(32, d.get(0).column());
        assertTrue(d.get(0).message().startsWith("2023-04-31 is not a date"), d.get(0).message());
        assertEquals(6, d.get(1).line());
        assertEquals(11, d.get(1).column());
        assertTrue(d.get(1).message().startsWith("unknown kind 'kk'"), d.get(1).message());
        assertEquals(2, e.line());
        assertEquals(32, e.column());
        // The whole text names the file, the positions and shows the lines with a caret.
        assertTrue(e.getMessage().contains("broken.mandate:2:32: error: 2023-04-31 is not a date"), e.getMessage());
        assertTrue(e.getMessage().contains("broken.mandate:6:11: error: unknown kind 'kk'"), e.getMessage());
        assertTrue(e.getMessage().contains("^"), e.getMessage());
    }

    @Test
    void columnsCountCodePointsNotBytes() {
        // "苟堂" is 6 bytes in UTF-8 and 2 code points: the unknown kind starts in column 29 (33 in bytes).
        String source = "plan p {}\nphase c \"c\" from 2023-04-01 to 2023-04-30\nkind k \"k\"\nevent e {}\n"
                        + "obligation o \"苟堂\" { each u: kk  during c  every month  require count(e of u) >= 1 }\n";
        RuleException e = assertThrows(RuleException.class, () -> Plan.compile(source, null));
        assertTrue(e.getMessage().startsWith("<rules>:5:29: error: unknown kind 'kk'"), e.getMessage());
        assertEquals(5, e.line());
        assertEquals(29, e.column());
    }

    @Test
    void compileFileNamesThePathAndAMissingFileIsAnIoException() throws Exception {
        Path missing = Fixtures.root().resolve("no-such.mandate");
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Plan.compileFile(missing));
        Path broken = Files.createTempFile("broken", ".mandate");
        try {
            Files.writeString(broken, "plan p {\n");
            RuleException e = assertThrows(RuleException.class, () -> Plan.compileFile(broken));
            assertTrue(e.getMessage().startsWith(broken.toString() + ":"), e.getMessage());
        } finally {
            Files.delete(broken);
        }
    }

    @Test
    void anEngineOutlivesItsPlanAndAClosedPlanMakesNoEngine() {
        Plan plan = Fixtures.fieldsPlan();
        try (Engine engine = new Engine(plan)) {
            plan.close();
            plan.close(); // twice: nothing
            assertTrue(engine.add("{\"entity\": \"k1\", \"kind\": \"k\"}"));
            assertTrue(engine.add("{\"id\": \"a\", \"type\": \"e\", \"time\": \"2023-04-02\", \"unit\": \"k1\", \"n\": 1, \"x\": 1}"));
            assertEquals("satisfied", engine.report(LocalDate.of(2023, 4, 2)).result("o", "k1", LocalDate.of(2023, 4, 1))
                                          .orElseThrow().status());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Engine(plan));
            assertEquals("plan is closed", e.getMessage());
            assertEquals("fields_plan", plan.id()); // what was read stays
        }
    }

    @Test
    void theVersionIsTheLibrarys() {
        assertTrue(Mandate.version().matches("\\d+\\.\\d+\\.\\d+"), Mandate.version());
    }
}
