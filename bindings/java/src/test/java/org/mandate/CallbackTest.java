package org.mandate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** onChange: what subscribers hear, and what happens when one throws or calls back in. */
class CallbackTest {
    private static final LocalDate APRIL = LocalDate.of(2023, 4, 1);
    private static final String K1 = "{\"entity\": \"k1\", \"kind\": \"k\"}";
    private Plan plan;
    private Engine engine;

    @BeforeEach
    void open() {
        plan = Fixtures.fieldsPlan();
        engine = new Engine(plan);
        assertTrue(engine.add(K1));
    }

    @AfterEach
    void close() {
        engine.close();
        plan.close();
    }

    private static String event(String id, String date) {
        return "{\"id\": \"" + id + "\", \"type\": \"e\", \"time\": \"" + date + "\", \"unit\": \"k1\", \"n\": 1, \"x\": 4}";
    }

    @Test
    void subscribersHearEachBucketThatChanges() {
        List<StatusChange> heard = new ArrayList<>();
        int token = engine.onChange(heard::add);
        // The first event, 2 April: both April buckets of k1 start; o is met, big (4 of 10) pending.
        assertTrue(engine.add(event("a", "2023-04-02")));
        assertEquals(List.of(new StatusChange(false, "o", "k1", APRIL, LocalDate.of(2023, 4, 30), BucketStatus.ABSENT,
                                              BucketStatus.SATISFIED, null, null, null, null),
                             new StatusChange(false, "big", "k1", APRIL, LocalDate.of(2023, 4, 30), BucketStatus.ABSENT,
                                              BucketStatus.PENDING, null, null, null, null)),
                     heard.stream().sorted((a, b) -> a.rule().equals("o") ? -1 : 1).toList());
        heard.clear();
        // 1 May: April is over; big is violated, and May's buckets start (o pending).
        assertTrue(engine.add(event("b", "2023-05-01")));
        assertTrue(heard.contains(new StatusChange(false, "big", "k1", APRIL, LocalDate.of(2023, 4, 30), BucketStatus.PENDING,
                                                   BucketStatus.VIOLATED, null, null, null, null)), heard.toString());
        assertTrue(heard.stream().anyMatch(StatusChange::turnedViolated));
        heard.clear();
        engine.unsubscribe(token);
        engine.unsubscribe(token); // unknown now: nothing
        assertTrue(engine.add(event("c", "2023-06-02")));
        assertEquals(List.of(), heard);
    }

    @Test
    void theWatchDateMovesWhatSubscribersJudge() {
        assertTrue(engine.add(event("a", "2023-04-02")));
        List<StatusChange> heard = new ArrayList<>();
        engine.onChange(heard::add);
        engine.setWatchDate(LocalDate.of(2023, 5, 1));
        assertTrue(heard.contains(new StatusChange(false, "big", "k1", APRIL, LocalDate.of(2023, 4, 30), BucketStatus.PENDING,
                                                   BucketStatus.VIOLATED, null, null, null, null)), heard.toString());
        heard.clear();
        engine.setWatchDate(null);
        assertTrue(heard.contains(new StatusChange(false, "big", "k1", APRIL, LocalDate.of(2023, 4, 30), BucketStatus.VIOLATED,
                                                   BucketStatus.PENDING, null, null, null, null)), heard.toString());
    }

    @Test
    void anExceptionFromACallbackIsThrownFromTheAddAfterTheRecordIsApplied() {
        List<String> second = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("boom");
        engine.onChange(c -> { throw boom; });
        engine.onChange(c -> second.add(c.rule()));
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> engine.add(event("a", "2023-04-02")));
        assertSame(boom, thrown);
        // Both buckets were heard by the other subscriber, and the record is in.
        assertEquals(2, second.size());
        Report report = engine.report(LocalDate.of(2023, 4, 2));
        assertEquals(1, report.inputs().applied());
        assertEquals("satisfied", report.result("o", "k1", APRIL).orElseThrow().status());
        // The same exception thrown twice (once per bucket) is thrown once, not suppressed into itself.
        assertEquals(0, thrown.getSuppressed().length);
        // The next call that changes nothing does not throw it again.
        assertTrue(engine.add(event("a", "2023-04-02")));
    }

    @Test
    void aCheckedExceptionThrownByACallbackIsWrappedWithItsCause() {
        Exception checked = new Exception("checked");
        engine.onChange(c -> sneakyThrow(checked));
        MandateException e = assertThrows(MandateException.class, () -> engine.add(event("a", "2023-04-02")));
        assertSame(checked, e.getCause());
        assertEquals(1, engine.report(LocalDate.of(2023, 4, 2)).inputs().applied());
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    @Test
    void laterExceptionsAreSuppressedIntoTheFirst() {
        engine.onChange(c -> { throw new UncheckedIOException(new IOException("first")); });
        engine.onChange(c -> { throw new ArithmeticException("second"); });
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> engine.add(event("a", "2023-04-02")));
        assertEquals("first", e.getCause().getMessage());
        assertEquals(3, e.getSuppressed().length); // the second subscriber once, the first and second again
    }

    @Test
    void insideACallbackOnlySubscribingIsAllowed() {
        List<Throwable> refused = new ArrayList<>();
        List<String> late = new ArrayList<>();
        int[] tokens = new int[1];
        tokens[0] = engine.onChange(c -> {
            for (Runnable call : List.<Runnable>of(() -> engine.add(event("z", "2023-04-03")),
                                                   () -> engine.reportJson(APRIL),
                                                   () -> engine.setWatchDate(APRIL),
                                                   engine::close)) {
                try {
                    call.run();
                } catch (RuntimeException e) {
                    refused.add(e);
                }
            }
            engine.onChange(x -> late.add(x.rule()));
            engine.unsubscribe(tokens[0]);
        });
        assertTrue(engine.add(event("a", "2023-04-02")));
        assertEquals(4, refused.size(), refused.toString());
        for (int i = 0; i < 3; ++i)
            assertEquals(MandateException.Status.INVALID_ARGUMENT, ((MandateException) refused.get(i)).status());
        assertTrue(refused.get(3) instanceof IllegalStateException);
        assertFalse(engine.isClosed());
        assertTrue(engine.add(event("b", "2023-05-01")));
        assertFalse(late.isEmpty());
        // What the refused add would have added is not there.
        assertNull(engine.report(LocalDate.of(2023, 5, 1)).result("o", "k1", APRIL).orElseThrow().evidence().events().stream()
                         .filter("z"::equals).findFirst().orElse(null));
    }
}
