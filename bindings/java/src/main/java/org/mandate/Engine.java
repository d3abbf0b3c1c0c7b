package org.mandate;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An engine: the records of one plan, and the reports they give. Records go in as JSON text,
 * as maps of Java values, or as typed {@link Event} and {@link Entity} builders; a report comes
 * out as of any date, as JSON text, a typed {@link Report}, CSV, a table, an HTML page or an
 * Excel workbook.
 *
 * <p><b>A rejected record is data, not an error</b>: {@code add} returns {@code false},
 * {@link #lastError()} says why, and the record is counted and listed in every report. Calls
 * throw only for what no report can hold: a closed engine ({@link IllegalStateException}), a
 * value with no meaning in a record ({@link IllegalArgumentException}), a call not allowed here
 * ({@link MandateException}), a file that cannot be read ({@link IOException}).
 *
 * <p><b>Threads.</b> An engine is used by one thread at a time, as the C library requires: its
 * methods are {@code synchronized}, so a shared engine is safe but its callers take turns. For
 * work in parallel give each thread its own engine over one shared {@link Plan}. Status-change
 * callbacks run on the thread that called {@code add}, inside the call.
 *
 * <p><b>Memory.</b> {@link #close()} frees the native engine at once; an engine that is not closed
 * is freed once the garbage collector finds it unreachable (a {@link Cleaner}), its callbacks
 * with it, even those that refer to the engine.
 */
public final class Engine implements AutoCloseable {
    private final Plan plan;
    private final Handle handle;
    private final Subscribers subscribers;
    private final Cleaner.Cleanable cleanable;
    private String lastError = "";

    /** The callbacks of one engine, and what they threw during the current call. */
    private static final class Subscribers {
        final Map<Integer, NativeLib.ChangeCallback> callbacks = new HashMap<>();
        Throwable thrown; // the first exception a callback threw during the current call
        int depth;        // > 0 while callbacks run

        NativeLib.ChangeCallback wrap(Consumer<StatusChange> consumer) {
            return (change, user) -> {
                ++depth;
                try {
                    consumer.accept(StatusChange.of(new NativeLib.Change(change)));
                } catch (Throwable t) {
                    if (thrown == null)
                        thrown = t;
                    else if (thrown != t)
                        thrown.addSuppressed(t);
                } finally {
                    --depth;
                }
            };
        }
    }

    /** A new engine over {@code plan}, with no records. */
    public Engine(Plan plan) {
        this.plan = Objects.requireNonNull(plan, "plan");
        Pointer pointer = plan.newEngine(p -> {
            PointerByReference ref = new PointerByReference();
            int status = NativeLib.LIB.mandate_engine_new(p, ref);
            if (status != NativeLib.OK)
                throw new MandateException(MandateException.Status.of(status), "mandate_engine_new failed");
            return ref.getValue();
        });
        subscribers = new Subscribers();
        handle = new Handle(pointer, NativeLib.LIB::mandate_engine_free);
        // The cleaner holds the native handle only. The callbacks are the engine's: the native
        // engine calls them only inside a call on this object, which keeps it (and so them)
        // reachable; once it is unreachable they may go, and freeing the engine calls none.
        cleanable = Handle.CLEANER.register(this, handle);
    }

    /** The plan this engine evaluates. */
    public Plan plan() {
        return plan;
    }

    // ------------------------------------------------------------------ records

    /**
     * Adds one record given as JSON text: an entity, an event, a waiver or a retraction.
     *
     * @return true when accepted; false when rejected (counted and listed in reports, with
     *     source "" and line 0; {@link #lastError()} says why)
     */
    public synchronized boolean add(String json) {
        byte[] bytes = NativeLib.utf8(Objects.requireNonNull(json, "json"));
        PointerByReference error = new PointerByReference();
        return done(added(call(e -> NativeLib.LIB.mandate_engine_add(e, bytes, bytes.length, error)), error));
    }

    /**
     * Adds one record given as Java values, checked exactly as its JSON twin (the JSON object
     * with the same keys and values): String (text, a ref, a date {@code "YYYY-MM-DD"}), Integer,
     * Long or BigInteger (an integer), BigDecimal (an exact decimal), Double or Float (the digits
     * Java prints for it), Boolean, LocalDate, OffsetDateTime/ZonedDateTime/LocalDateTime (an
     * event's {@code time}), a Collection of those (a set), and null (absent).
     *
     * @return true when accepted; false when rejected
     * @throws IllegalArgumentException for a key that is not a String or a value with no JSON
     *     meaning (a nested Map, a byte[], NaN, null in a set): such a map is no record, and
     *     nothing is added
     */
    public synchronized boolean add(Map<String, ?> record) {
        return add(Json.record(record));
    }

    /** Adds a typed event; as {@link #add(String)}. */
    public synchronized boolean add(Event event) {
        handle.get("engine");
        Pointer built = event.build();
        try {
            PointerByReference error = new PointerByReference();
            return done(added(call(e -> NativeLib.LIB.mandate_engine_add_event(e, built, error)), error));
        } finally {
            NativeLib.LIB.mandate_event_free(built);
        }
    }

    /** Adds a typed entity; as {@link #add(String)}. */
    public synchronized boolean add(Entity entity) {
        handle.get("engine");
        NativeLib.EntityStruct struct = entity.struct();
        Pointer fields = entity.fieldsBuilder();
        try {
            PointerByReference error = new PointerByReference();
            return done(added(call(e -> fields == null ? NativeLib.LIB.mandate_engine_add_entity(e, struct, error)
                                                       : NativeLib.LIB.mandate_engine_add_entity_fields(e, struct, fields,
                                                                                                        error)), error));
        } finally {
            if (fields != null)
                NativeLib.LIB.mandate_event_free(fields);
        }
    }

    /** Retracts an event (or waiver) id, as {@code {"retract": id}} does; as {@link #add(String)}. */
    public synchronized boolean retract(String eventId) {
        Objects.requireNonNull(eventId, "eventId");
        PointerByReference error = new PointerByReference();
        return done(added(call(e -> NativeLib.LIB.mandate_engine_retract(e, NativeLib.z(eventId), error)), error));
    }

    /** Why the last record added was rejected; "" when it was accepted. */
    public synchronized String lastError() {
        return lastError;
    }

    /**
     * Adds every line of a JSON Lines file, read in blocks (memory does not grow with its size).
     * Blank lines are not records; rejected records are listed with the path and their line.
     *
     * @return the number of records read
     * @throws IOException when the file cannot be read
     */
    public synchronized long addJsonl(Path path) throws IOException {
        byte[] name = NativeLib.path(path);
        LongByReference records = new LongByReference();
        PointerByReference error = new PointerByReference();
        int status = call(e -> NativeLib.LIB.mandate_engine_add_jsonl_file(e, name, records, error));
        String message = NativeLib.take(error);
        if (status == NativeLib.IO_ERROR)
            throw withCallbacks(new IOException(message));
        if (status != NativeLib.OK)
            throw withCallbacks(new MandateException(MandateException.Status.of(status), message));
        return done(records.getValue());
    }

    /**
     * Adds every line of JSON Lines text; rejected records are listed with {@code source} and
     * their line.
     *
     * @return the number of records read
     */
    public synchronized long addJsonl(String text, String source) {
        byte[] bytes = NativeLib.utf8(text);
        LongByReference records = new LongByReference();
        PointerByReference error = new PointerByReference();
        int status = call(e -> NativeLib.LIB.mandate_engine_add_jsonl(e, bytes, bytes.length, NativeLib.z(source), records, error));
        String message = NativeLib.take(error);
        if (status != NativeLib.OK)
            throw withCallbacks(new MandateException(MandateException.Status.of(status), message));
        return done(records.getValue());
    }

    // ------------------------------------------------------------------ reports

    /** The report as of {@code asOf}, as JSON text (the {@code mandate.report/1} contract). */
    public synchronized String reportJson(LocalDate asOf) {
        byte[] date = NativeLib.z(asOf.toString());
        PointerByReference json = new PointerByReference();
        PointerByReference error = new PointerByReference();
        int status = call(e -> NativeLib.LIB.mandate_engine_report_json(e, date, json, error));
        String message = NativeLib.take(error);
        if (status != NativeLib.OK)
            throw new MandateException(MandateException.Status.of(status), message);
        return NativeLib.take(json);
    }

    /** The report as of {@code asOf}, as a typed view of its results, outcomes and inputs. */
    public Report report(LocalDate asOf) {
        return Report.parse(reportJson(asOf));
    }

    /**
     * The report as of {@code asOf} written in {@code format}, in {@code language} (the table's,
     * page's and workbook's; JSON and CSV are the same in both): the bytes the command line
     * writes with {@code --format} (the table without colours, 100 columns wide). Text formats
     * are UTF-8.
     */
    public synchronized byte[] reportBytes(LocalDate asOf, ReportFormat format, Language language) {
        byte[] date = NativeLib.z(asOf.toString());
        PointerByReference output = new PointerByReference();
        LongByReference length = new LongByReference();
        PointerByReference error = new PointerByReference();
        int status = call(e -> NativeLib.LIB.mandate_engine_report_format(e, date, NativeLib.z(format.name), NativeLib.z(language.tag), output,
                                                                          length, error));
        String message = NativeLib.take(error);
        if (status != NativeLib.OK)
            throw new MandateException(MandateException.Status.of(status), message);
        return NativeLib.takeBytes(output, length.getValue());
    }

    /** A text report ({@code JSON}, {@code CSV}, {@code TABLE}, {@code HTML}) as a String. */
    public String reportText(LocalDate asOf, ReportFormat format, Language language) {
        if (format == ReportFormat.XLSX)
            throw new IllegalArgumentException("an xlsx workbook is not text: use reportBytes or writeReport");
        return new String(reportBytes(asOf, format, language), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Writes the report in {@code format} to {@code path}. */
    public void writeReport(LocalDate asOf, ReportFormat format, Language language, Path path) throws IOException {
        Files.write(path, reportBytes(asOf, format, language));
    }

    // ------------------------------------------------------------------ status changes

    /**
     * Calls {@code callback} inside each add, on the adding thread, for every bucket whose state
     * changed as of the watch date (default: the latest event date seen). An exception it throws
     * does not unwind through the engine: the record is applied whole, the other callbacks are
     * still called, and the first exception is thrown from the call that triggered it. Inside a
     * callback only {@code onChange} and {@code unsubscribe} may be called on this engine; any
     * other call throws {@link MandateException}.
     *
     * @return a token for {@link #unsubscribe}
     */
    public synchronized int onChange(Consumer<StatusChange> callback) {
        Objects.requireNonNull(callback, "callback");
        NativeLib.ChangeCallback wrapped = subscribers.wrap(callback);
        IntByReference token = new IntByReference();
        int status = call(e -> NativeLib.LIB.mandate_engine_subscribe(e, wrapped, null, token));
        if (status != NativeLib.OK)
            throw new MandateException(MandateException.Status.of(status), "subscribe failed");
        subscribers.callbacks.put(token.getValue(), wrapped);
        return token.getValue();
    }

    /** Stops a subscription; an unknown token does nothing. */
    public synchronized void unsubscribe(int token) {
        call(e -> NativeLib.LIB.mandate_engine_unsubscribe(e, token));
        subscribers.callbacks.remove(token);
    }

    /**
     * Sets the date changes are judged as of, or null for the latest event date seen;
     * subscribers hear of every bucket whose state differs between the old date and the new.
     */
    public synchronized void setWatchDate(LocalDate asOf) {
        byte[] date = asOf == null ? null : NativeLib.z(asOf.toString());
        int status = call(e -> NativeLib.LIB.mandate_engine_set_watch_date(e, date));
        if (status != NativeLib.OK)
            throw new MandateException(MandateException.Status.of(status), "the watch date cannot be set here");
        done(null);
    }

    // ------------------------------------------------------------------ saved state

    /**
     * Saves what every report depends on, with bytes of the host's own (how far it had read its
     * inputs, say), to {@code path}: through a temporary file renamed over it, so {@code path}
     * always holds a whole state. Subscriptions and the watch date are not saved.
     */
    public synchronized void save(Path path, byte[] host) throws IOException {
        byte[] name = NativeLib.path(path);
        byte[] bytes = host == null ? new byte[0] : host;
        PointerByReference error = new PointerByReference();
        int status = call(e -> NativeLib.LIB.mandate_engine_save(e, name, bytes.length == 0 ? null : bytes,
                                                                 bytes.length, error));
        String message = NativeLib.take(error);
        if (status == NativeLib.IO_ERROR)
            throw new IOException(message);
        if (status != NativeLib.OK)
            throw new MandateException(MandateException.Status.of(status), message);
    }

    /** Saves with no host bytes. */
    public void save(Path path) throws IOException {
        save(path, null);
    }

    /**
     * Replaces this engine's records with those saved in {@code path} by an engine of the same
     * plan revision; subscriptions stay.
     *
     * @return the host bytes saved with them
     * @throws StateException when the file is missing, not a state file, of another version or
     *     plan revision, truncated or corrupted; the engine is left as it was
     */
    public synchronized byte[] restore(Path path) throws IOException {
        byte[] name = NativeLib.path(path);
        PointerByReference host = new PointerByReference();
        LongByReference length = new LongByReference();
        PointerByReference error = new PointerByReference();
        int status = call(e -> NativeLib.LIB.mandate_engine_restore(e, name, host, length, error));
        String message = NativeLib.take(error);
        if (status == NativeLib.STATE_ERROR)
            throw new StateException(message);
        if (status != NativeLib.OK)
            throw new MandateException(MandateException.Status.of(status), message);
        byte[] bytes = NativeLib.takeBytes(host, length.getValue());
        return done(bytes == null ? new byte[0] : bytes);
    }

    // ------------------------------------------------------------------ lifetime

    /**
     * Frees the native engine and its records. Closing twice does nothing; any other call
     * afterwards throws {@link IllegalStateException}. Not from inside one of its callbacks.
     */
    @Override
    public synchronized void close() {
        if (subscribers.depth > 0)
            throw new IllegalStateException("an engine cannot be closed from inside its own callback");
        cleanable.clean();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return handle.isFreed();
    }

    @Override
    public String toString() {
        return "Engine[" + plan.id() + (isClosed() ? ", closed]" : "]");
    }

    // ------------------------------------------------------------------ the calls themselves

    private interface NativeCall {
        int apply(Pointer engine);
    }

    /**
     * Runs a native call on the engine, keeping this engine reachable until it has returned, so
     * the cleaner cannot free it meanwhile.
     */
    private int call(NativeCall body) {
        Pointer pointer = handle.get("engine");
        if (subscribers.depth == 0)
            subscribers.thrown = null; // what a failed call left behind is not this call's
        try {
            return body.apply(pointer);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Returns {@code value}, or throws the first exception a callback threw during the call. */
    private <T> T done(T value) {
        Throwable t = subscribers.thrown;
        if (t == null || subscribers.depth > 0)
            return value;
        subscribers.thrown = null;
        if (t instanceof RuntimeException)
            throw (RuntimeException) t;
        if (t instanceof Error)
            throw (Error) t;
        if (t instanceof IOException)
            throw new UncheckedIOException((IOException) t);
        MandateException wrapped = new MandateException(MandateException.Status.INTERNAL_ERROR,
                                                        "a status-change callback threw " + t);
        wrapped.initCause(t);
        throw wrapped;
    }

    /** A failure of the call itself, carrying what callbacks threw before it as suppressed. */
    private <E extends Throwable> E withCallbacks(E failure) {
        Throwable t = subscribers.thrown;
        if (t != null && subscribers.depth == 0) {
            subscribers.thrown = null;
            failure.addSuppressed(t);
        }
        return failure;
    }

    /** The outcome of an add: true, or false with the reason kept; other failures throw. */
    private boolean added(int status, PointerByReference error) {
        String message = NativeLib.take(error);
        if (status == NativeLib.OK) {
            lastError = "";
            return true;
        }
        if (status == NativeLib.REJECTED) {
            lastError = message == null ? "" : message;
            return false;
        }
        throw withCallbacks(new MandateException(MandateException.Status.of(status), message));
    }
}
