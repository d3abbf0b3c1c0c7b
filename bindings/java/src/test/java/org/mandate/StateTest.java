package org.mandate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** save and restore: the records, the host's bytes, and files that cannot be restored. */
class StateTest {
    private static final LocalDate AS_OF = LocalDate.of(2023, 6, 10);
    private Path dir;

    @BeforeEach
    void makeDir() throws IOException {
        dir = Files.createTempDirectory("mandate-state");
    }

    @AfterEach
    void removeDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator)
                Files.delete(p);
        }
        Files.delete(dir);
    }

    @Test
    void aRestoredEngineGivesTheSameReportAndTheHostBytes() throws Exception {
        Path state = dir.resolve("engine.state");
        byte[] host = "offset=1234\0行".getBytes(StandardCharsets.UTF_8);
        try (Plan plan = Fixtures.goutangPlan()) {
            String before;
            try (Engine engine = new Engine(plan)) {
                engine.addJsonl(Fixtures.smallYear());
                before = engine.reportJson(AS_OF);
                engine.save(state, host);
            }
            try (Engine engine = new Engine(plan)) {
                assertArrayEquals(host, engine.restore(state));
                assertEquals(before, engine.reportJson(AS_OF));
                // A duplicate of a restored event is still a duplicate.
                assertTrue(engine.add("{\"id\": \"act-apr\", \"type\": \"activity\", \"time\": \"2023-04-15T09:30:00+08:00\","
                                      + " \"unit\": \"v01\","
                                      + " \"venue\": \"square\", \"methods\": [\"banner\", \"desk\"]}"));
                assertEquals(2, engine.report(AS_OF).inputs().duplicates());
            }
            try (Engine engine = new Engine(plan)) {
                engine.save(state);
                assertArrayEquals(new byte[0], engine.restore(state));
            }
        }
    }

    @Test
    void aFileThatCannotBeRestoredLeavesTheEngineAsItWas() throws Exception {
        Path garbage = dir.resolve("garbage.state");
        Files.writeString(garbage, "not a state file");
        Path other = dir.resolve("other.state");
        try (Plan fields = Fixtures.fieldsPlan(); Engine engine = new Engine(fields)) {
            engine.save(other);
        }
        try (Plan plan = Fixtures.goutangPlan(); Engine engine = new Engine(plan)) {
            engine.addJsonl(Fixtures.smallYear());
            String before = engine.reportJson(AS_OF);
            StateException missing = assertThrows(StateException.class, () -> engine.restore(dir.resolve("missing.state")));
            assertTrue(missing.getMessage().contains("missing.state"), missing.getMessage());
            assertThrows(StateException.class, () -> engine.restore(garbage));
            StateException otherPlan = assertThrows(StateException.class, () -> engine.restore(other));
            assertTrue(otherPlan.getMessage().contains("revision") || otherPlan.getMessage().contains("plan"),
                       otherPlan.getMessage());
            assertEquals(before, engine.reportJson(AS_OF));
            IOException unwritable = assertThrows(IOException.class, () -> engine.save(dir.resolve("no/such/dir/x.state")));
            assertTrue(!(unwritable instanceof StateException));
        }
    }
}
