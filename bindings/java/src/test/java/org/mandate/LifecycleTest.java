package org.mandate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Native handles: freed by close(), or by the cleaner when a Java object is collected without
 * it; a closed engine refuses every call. Isolated: it counts the process's live handles.
 */
@Isolated
class LifecycleTest {
    @Test
    void closeFreesEachHandleAndAClosedEngineRefusesEveryCall() throws Exception {
        long base = Mandate.liveNativeHandles();
        Plan plan = Fixtures.fieldsPlan();
        assertEquals(base + 1, Mandate.liveNativeHandles());
        Engine engine = new Engine(plan);
        assertEquals(base + 2, Mandate.liveNativeHandles());
        engine.onChange(c -> {});
        engine.close();
        engine.close(); // twice: nothing
        assertTrue(engine.isClosed());
        assertEquals("Engine[fields_plan, closed]", engine.toString());
        assertEquals(base + 1, Mandate.liveNativeHandles());
        LocalDate day = LocalDate.of(2023, 4, 1);
        Path path = Path.of("x.state");
        for (org.junit.jupiter.api.function.Executable call : new org.junit.jupiter.api.function.Executable[] {
                 () -> engine.add("{}"), () -> engine.add(Map.of("entity", "k1", "kind", "k")),
                 () -> engine.add(Event.of("a", "e", day, "k1")), () -> engine.add(Entity.of("k1", "k")),
                 () -> engine.retract("a"), () -> engine.addJsonl(path), () -> engine.addJsonl("", "x"),
                 () -> engine.reportJson(day), () -> engine.report(day), () -> engine.reportBytes(day, ReportFormat.CSV, Language.ZH),
                 () -> engine.onChange(c -> {}), () -> engine.unsubscribe(1), () -> engine.setWatchDate(day),
                 () -> engine.save(path), () -> engine.restore(path)}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertEquals("engine is closed", e.getMessage());
        }
        // No typed event was built for the closed engine.
        assertEquals(base + 1, Mandate.liveNativeHandles());
        plan.close();
        assertEquals(base, Mandate.liveNativeHandles());
    }

    /** Makes plans and engines, with subscribers and records, and drops them without close(). */
    private static void abandon(int count) {
        for (int i = 0; i < count; ++i) {
            Plan plan = Fixtures.fieldsPlan();
            Engine engine = new Engine(plan);
            engine.onChange(c -> {});
            assertTrue(engine.add(Map.of("entity", "k" + i, "kind", "k")));
            assertFalse(engine.add(Event.of("a", "e", LocalDate.of(2023, 4, 2), "k" + i).set("n", "not a number").set("x", 1)));
        }
    }

    /** Engines whose callbacks refer to the engine itself, as a service's methods do. */
    private static void abandonSelfReferring(int count) {
        for (int i = 0; i < count; ++i) {
            Plan plan = Fixtures.fieldsPlan();
            Engine engine = new Engine(plan);
            engine.onChange(c -> engine.plan());
            engine.add(Map.of("entity", "k1", "kind", "k"));
        }
    }

    @Test
    void aCallbackLivesAsLongAsItsEngine() throws Exception {
        try (Plan plan = Fixtures.fieldsPlan(); Engine engine = new Engine(plan)) {
            java.util.List<String> heard = new java.util.ArrayList<>();
            engine.onChange(c -> heard.add(c.rule()));
            for (int i = 0; i < 5; ++i) {
                System.gc();
                Thread.sleep(10);
            }
            engine.add(Map.of("entity", "k1", "kind", "k"));
            engine.add(Event.of("a", "e", LocalDate.of(2023, 4, 2), "k1").set("n", 1).set("x", 1));
            assertEquals(2, heard.size(), heard.toString());
        }
    }

    @Test
    void theCleanerFreesWhatIsCollectedWithoutClose() throws Exception {
        long base = Mandate.liveNativeHandles();
        abandon(50);
        abandonSelfReferring(50);
        assertTrue(Mandate.liveNativeHandles() > base, "nothing was made");
        // The cleaner runs on its own thread once the collector has found them unreachable.
        for (int i = 0; i < 200 && Mandate.liveNativeHandles() > base; ++i) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(base, Mandate.liveNativeHandles());
    }
}
