package org.mandate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One plan shared by two threads, each with its own engine; and one engine shared by two threads. */
class ThreadsTest {
    private static final LocalDate AS_OF = LocalDate.of(2023, 6, 10);

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoThreadsEachWithItsOwnEngineOverOnePlan() throws Exception {
        List<String> lines = Files.readAllLines(Fixtures.smallYear());
        try (Plan plan = Fixtures.goutangPlan()) {
            String expected;
            try (Engine one = new Engine(plan)) {
                for (String line : lines)
                    if (!line.isBlank())
                        one.add(line);
                expected = one.reportJson(AS_OF);
            }
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CyclicBarrier start = new CyclicBarrier(2);
            try {
                List<Future<List<String>>> futures = new ArrayList<>();
                for (int t = 0; t < 2; ++t) {
                    futures.add(pool.submit(() -> {
                        List<String> reports = new ArrayList<>();
                        start.await();
                        for (int round = 0; round < 20; ++round) {
                            try (Engine engine = new Engine(plan)) {
                                for (String line : lines)
                                    if (!line.isBlank())
                                        engine.add(line);
                                reports.add(engine.reportJson(AS_OF));
                            }
                        }
                        return reports;
                    }));
                }
                for (Future<List<String>> f : futures)
                    for (String report : f.get())
                        assertEquals(expected, report);
            } finally {
                pool.shutdown();
            }
            assertEquals(3, Report.parse(expected).inputs().rejected());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aSharedEngineTakesTurns() throws Exception {
        try (Plan plan = Fixtures.fieldsPlan(); Engine engine = new Engine(plan)) {
            engine.add("{\"entity\": \"k1\", \"kind\": \"k\"}");
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 2; ++t) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < 500; ++i)
                            engine.add(Event.of("t" + thread + "-" + i, "e", LocalDate.of(2023, 4, 1 + i % 30), "k1")
                                            .set("n", i).set("x", 1));
                        return null;
                    }));
                }
                for (Future<?> f : futures)
                    f.get();
            } finally {
                pool.shutdown();
            }
            Report report = engine.report(LocalDate.of(2023, 5, 1));
            assertEquals(1001, report.inputs().read());
            assertEquals(1000, report.inputs().applied());
            assertEquals(1000L, report.result("o", "k1", LocalDate.of(2023, 4, 1)).orElseThrow().evidence().eventCount());
        }
    }
}
