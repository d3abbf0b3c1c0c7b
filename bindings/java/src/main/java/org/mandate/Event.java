package org.mandate;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * An event record built without JSON: its id, type, time and unit, and the fields its type
 * declares. The engine checks it exactly as its JSON twin, with the same rejection reasons, and
 * takes it for a duplicate of that twin. A builder is only read when added: change it and add it
 * again freely. Not for use by two threads at once.
 *
 * <pre>{@code
 * engine.add(Event.of("e17", "activity", OffsetDateTime.parse("2023-04-15T09:30:00+08:00"), "v01")
 *                 .set("venue", "square")
 *                 .set("methods", List.of("banner", "desk")));
 * }</pre>
 */
public final class Event {
    private final String id;
    private final String type;
    private final String time;
    private final String unit;
    private final Fields fields = new Fields();

    private Event(String id, String type, String time, String unit) {
        this.id = java.util.Objects.requireNonNull(id, "id");
        this.type = java.util.Objects.requireNonNull(type, "type");
        this.time = java.util.Objects.requireNonNull(time, "time");
        this.unit = java.util.Objects.requireNonNull(unit, "unit");
    }

    /** An event on a day (its local date in the plan's zone). */
    public static Event of(String id, String type, LocalDate time, String unit) {
        return new Event(id, type, time.toString(), unit);
    }

    /** An event at an instant with its UTC offset: its local date in the plan's zone decides its period. */
    public static Event of(String id, String type, OffsetDateTime time, String unit) {
        return new Event(id, type, DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time), unit);
    }

    /** An event whose time is given as in JSON: {@code "2023-04-15"} or {@code "2023-04-15T09:30:00+08:00"}. */
    public static Event of(String id, String type, String time, String unit) {
        return new Event(id, type, time, unit);
    }

    /**
     * Sets a declared field, replacing an earlier value: a {@code Long} or {@code Integer} (an
     * integer), a {@code BigDecimal} (an exact decimal), a {@code Double} (the digits Java prints
     * for it), a {@code Boolean}, a {@code String} (text, a ref's entity id, or a date written
     * {@code "YYYY-MM-DD"}), a {@code LocalDate}, or a {@code Collection} of those (a set). A value
     * of the wrong kind for the field is not refused here: the engine rejects the record with the
     * reason its JSON twin gets.
     *
     * @throws IllegalArgumentException for a value of a type with no meaning in a record
     */
    public Event set(String field, Object value) {
        fields.set(field, value);
        return this;
    }

    /** Sets a number field to an exact decimal. */
    public Event set(String field, BigDecimal value) {
        return set(field, (Object) value);
    }

    /** Removes a field: an optional field left unset is absent. */
    public Event unset(String field) {
        fields.unset(field);
        return this;
    }

    /** The event's id. */
    public String id() {
        return id;
    }

    /** The fields set, in the order they were first set. */
    public Map<String, Object> fields() {
        return fields.view();
    }

    com.sun.jna.Pointer build() {
        return fields.build(id, type, time, unit);
    }
}
