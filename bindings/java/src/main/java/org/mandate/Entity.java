package org.mandate;

import com.sun.jna.Pointer;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;

/**
 * An entity record of the registry built without JSON: its id and kind, and its parent, name,
 * dates, version and the fields its kind declares. Checked as its JSON twin, with the same
 * rejection reasons.
 *
 * <pre>{@code
 * engine.add(Entity.of("v01", "village").parent("goutang").name("苟堂村").since(LocalDate.of(2023, 1, 1)));
 * }</pre>
 */
public final class Entity {
    private final String id;
    private final String kind;
    private String parent;
    private String name;
    private LocalDate since;
    private LocalDate until;
    private long version;
    private final Fields fields = new Fields();

    private Entity(String id, String kind) {
        this.id = Objects.requireNonNull(id, "id");
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** An entity of a kind the plan declares. */
    public static Entity of(String id, String kind) {
        return new Entity(id, kind);
    }

    /** The entity it is within (null: a root). */
    public Entity parent(String parent) {
        this.parent = parent;
        return this;
    }

    /** Its name, as reports show it. */
    public Entity name(String name) {
        this.name = name;
        return this;
    }

    /** The first day it is active (null: always). */
    public Entity since(LocalDate since) {
        this.since = since;
        return this;
    }

    /** The day it stops being active (null: still active). */
    public Entity until(LocalDate until) {
        this.until = until;
        return this;
    }

    /** Its version: of several records for one entity the highest stands. */
    public Entity version(long version) {
        this.version = version;
        return this;
    }

    /** Sets a field its kind declares, with the values {@link Event#set} takes. */
    public Entity set(String field, Object value) {
        fields.set(field, value);
        return this;
    }

    /** The entity's id. */
    public String id() {
        return id;
    }

    /** The fields set. */
    public Map<String, Object> fields() {
        return fields.view();
    }

    NativeLib.EntityStruct struct() {
        NativeLib.EntityStruct s = new NativeLib.EntityStruct();
        s.id = NativeLib.memory(id);
        s.kind = NativeLib.memory(kind);
        s.parent = NativeLib.memory(parent);
        s.name = NativeLib.memory(name);
        s.since = new NativeLib.Date(since);
        s.until = new NativeLib.Date(until);
        s.version = version;
        return s;
    }

    /** The fields on a native builder (its id, type, time and unit are not read), or null for none. */
    Pointer fieldsBuilder() {
        return fields.isEmpty() ? null : fields.build(id, kind, "1970-01-01", id);
    }
}
