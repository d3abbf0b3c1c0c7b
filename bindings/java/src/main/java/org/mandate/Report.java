package org.mandate;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A report ({@code mandate.report/1}, docs/report.md) as typed Java values: its results (one
 * row per obligation bucket), outcomes, inputs and rejections. Made from the JSON text by
 * {@link #parse}; the text itself is {@link #json()}. Immutable.
 */
public final class Report {
    private final String json;
    private final String schema;
    private final String plan;
    private final String revision;
    private final LocalDate asOf;
    private final String title;
    private final List<Result> results;
    private final List<Outcome> outcomes;
    private final Inputs inputs;
    private final List<Rejection> rejected;
    private final List<IgnoredField> ignoredFields;

    private static final Gson GSON = new GsonBuilder().create();

    private Report(String json, JsonObject o) {
        this.json = json;
        schema = string(o, "schema");
        plan = string(o, "plan");
        revision = string(o, "revision");
        asOf = LocalDate.parse(string(o, "as_of"));
        title = o.has("title") ? string(o, "title") : "";
        List<Result> rs = new ArrayList<>();
        for (JsonElement e : array(o, "results"))
            rs.add(new Result(e.getAsJsonObject()));
        results = Collections.unmodifiableList(rs);
        List<Outcome> os = new ArrayList<>();
        for (JsonElement e : array(o, "outcomes"))
            os.add(new Outcome(e.getAsJsonObject()));
        outcomes = Collections.unmodifiableList(os);
        inputs = GSON.fromJson(o.get("inputs"), Inputs.class);
        List<Rejection> rj = new ArrayList<>();
        for (JsonElement e : array(o, "rejected")) {
            JsonObject r = e.getAsJsonObject();
            rj.add(new Rejection(string(r, "source"), r.get("line").getAsLong(), string(r, "reason")));
        }
        rejected = Collections.unmodifiableList(rj);
        List<IgnoredField> ig = new ArrayList<>();
        for (JsonElement e : array(o, "ignored_fields")) {
            JsonObject r = e.getAsJsonObject();
            boolean kind = r.has("kind");
            ig.add(new IgnoredField(kind ? null : string(r, "type"), kind ? string(r, "kind") : null,
                                    string(r, "field"), r.get("records").getAsLong()));
        }
        ignoredFields = Collections.unmodifiableList(ig);
    }

    /** Reads a report's JSON text. */
    public static Report parse(String json) {
        return new Report(json, JsonParser.parseString(json).getAsJsonObject());
    }

    /** The JSON text the report was read from. */
    public String json() {
        return json;
    }

    /** {@code "mandate.report/1"}. */
    public String schema() {
        return schema;
    }

    /** The plan's id. */
    public String plan() {
        return plan;
    }

    /** The SHA-256 of the rule file. */
    public String revision() {
        return revision;
    }

    /** The date the report is as of. */
    public LocalDate asOf() {
        return asOf;
    }

    /** The plan's title ("" without one). */
    public String title() {
        return title;
    }

    /** One row per obligation bucket that has started, by obligation (file order), unit, period. */
    public List<Result> results() {
        return results;
    }

    /** One row per outcome bucket that has started. */
    public List<Outcome> outcomes() {
        return outcomes;
    }

    /** How every record read was counted. */
    public Inputs inputs() {
        return inputs;
    }

    /** The rejected records, with their source, line and reason. */
    public List<Rejection> rejected() {
        return rejected;
    }

    /** Keys records carried that their type or kind does not declare. */
    public List<IgnoredField> ignoredFields() {
        return ignoredFields;
    }

    /** The row of {@code obligation}'s bucket for {@code unit} (null: none) whose period starts on {@code from}. */
    public Optional<Result> result(String obligation, String unit, LocalDate from) {
        for (Result r : results)
            if (r.obligation.equals(obligation) && java.util.Objects.equals(r.unit, unit) && r.from.equals(from))
                return Optional.of(r);
        return Optional.empty();
    }

    /** The row of {@code outcome}'s bucket for {@code unit} whose period starts on {@code from}. */
    public Optional<Outcome> outcome(String outcome, String unit, LocalDate from) {
        for (Outcome r : outcomes)
            if (r.outcome.equals(outcome) && java.util.Objects.equals(r.unit, unit) && r.from.equals(from))
                return Optional.of(r);
        return Optional.empty();
    }

    // ------------------------------------------------------------------ rows

    /** An obligation bucket. */
    public static final class Result {
        private final String obligation;
        private final String unit;
        private final LocalDate from;
        private final LocalDate to;
        private final String status;
        private final boolean met;
        private final boolean atRisk;
        private final Object value;
        private final String reason;
        private final Evidence evidence;
        private final List<String> cite;
        private final String unitName;
        private final String label;
        private final JsonObject json;

        Result(JsonObject o) {
            json = o;
            obligation = string(o, "obligation");
            unit = optionalString(o, "unit");
            JsonObject period = o.getAsJsonObject("period");
            from = LocalDate.parse(string(period, "from"));
            to = LocalDate.parse(string(period, "to"));
            status = string(o, "status");
            met = o.get("met").getAsBoolean();
            atRisk = o.get("at_risk").getAsBoolean();
            value = scalar(o.get("value"));
            reason = optionalString(o, "reason");
            evidence = new Evidence(o.getAsJsonObject("evidence"));
            cite = strings(o, "cite");
            unitName = optionalString(o, "unit_name");
            label = o.has("label") ? string(o, "label") : "";
        }

        /** The obligation's id. */
        public String obligation() { return obligation; }
        /** The unit, or null for an obligation without {@code each}. */
        public String unit() { return unit; }
        /** The first day of the period (a cumulative bucket's: its cumulative start). */
        public LocalDate from() { return from; }
        /** The last day of the period. */
        public LocalDate to() { return to; }
        /** {@code satisfied}, {@code violated}, {@code pending} or {@code excused}. */
        public String status() { return status; }
        /** Whether the requirement holds on the data as of the report date. */
        public boolean met() { return met; }
        /** A pending, unmet bucket within its warn window. */
        public boolean atRisk() { return atRisk; }
        /** The requirement's left side: a Long, a BigDecimal, a String (a date), a Boolean, or null. */
        public Object value() { return value; }
        /** {@code "no data"} when a comparison met an undefined value, else null. */
        public String reason() { return reason; }
        /** What the bucket's aggregates counted. */
        public Evidence evidence() { return evidence; }
        /** The obligation's {@code cite} lines. */
        public List<String> cite() { return cite; }
        /** The unit's name in the registry, or null. */
        public String unitName() { return unitName; }
        /** The obligation's label, "" without one. */
        public String label() { return label; }
        /** The row as JSON, for the fields this view does not name ({@code waiver}, {@code extended_to}). */
        public JsonObject json() { return json.deepCopy(); }

        @Override
        public String toString() {
            return obligation + " " + (unit == null ? "-" : unit) + " " + from + ".." + to + " " + status;
        }
    }

    /** An outcome bucket. */
    public static final class Outcome {
        private final String outcome;
        private final String unit;
        private final LocalDate from;
        private final LocalDate to;
        private final boolean fired;
        private final boolean isFinal;
        private final LocalDate finalOn;
        private final Evidence evidence;
        private final List<String> cite;
        private final String unitName;
        private final String label;

        Outcome(JsonObject o) {
            outcome = string(o, "outcome");
            unit = optionalString(o, "unit");
            JsonObject period = o.getAsJsonObject("period");
            from = LocalDate.parse(string(period, "from"));
            to = LocalDate.parse(string(period, "to"));
            fired = o.get("fired").getAsBoolean();
            isFinal = o.get("final").getAsBoolean();
            String on = optionalString(o, "final_on");
            finalOn = on == null ? null : LocalDate.parse(on);
            evidence = new Evidence(o.getAsJsonObject("evidence"));
            cite = strings(o, "cite");
            unitName = optionalString(o, "unit_name");
            label = o.has("label") ? string(o, "label") : "";
        }

        /** The outcome's id. */
        public String outcome() { return outcome; }
        /** The unit, or null. */
        public String unit() { return unit; }
        /** The first day of the period. */
        public LocalDate from() { return from; }
        /** The last day of the period. */
        public LocalDate to() { return to; }
        /** Whether its condition holds as of the report date. */
        public boolean fired() { return fired; }
        /** Whether {@code fired} can no longer change. */
        public boolean isFinal() { return isFinal; }
        /** The first day it is final, or null. */
        public LocalDate finalOn() { return finalOn; }
        /** What its condition counted. */
        public Evidence evidence() { return evidence; }
        /** The outcome's {@code cite} lines. */
        public List<String> cite() { return cite; }
        /** The unit's name, or null. */
        public String unitName() { return unitName; }
        /** The outcome's label. */
        public String label() { return label; }

        @Override
        public String toString() {
            return outcome + " " + (unit == null ? "-" : unit) + " " + from + ".." + to + (fired ? " fired" : "");
        }
    }

    /** A bucket's evidence. */
    public static final class Evidence {
        private final List<String> events;
        private final long eventCount;
        private final Map<String, Object> measures;
        private final JsonObject json;

        Evidence(JsonObject o) {
            json = o == null ? new JsonObject() : o;
            events = strings(json, "events");
            eventCount = json.has("event_count") ? json.get("event_count").getAsLong() : events.size();
            Map<String, Object> m = new LinkedHashMap<>();
            if (json.has("measures"))
                for (Map.Entry<String, JsonElement> e : json.getAsJsonObject("measures").entrySet())
                    m.put(e.getKey(), scalar(e.getValue()));
            measures = Collections.unmodifiableMap(m);
        }

        /** The ids of the events counted, in date order, at most the evidence limit. */
        public List<String> events() { return events; }
        /** How many events were counted (more than {@code events()} lists when cut short). */
        public long eventCount() { return eventCount; }
        /** Each aggregate of the requirement, by its source text, with its value. */
        public Map<String, Object> measures() { return measures; }
        /** The evidence as JSON, for {@code gap}, {@code ratio}, {@code coverage}, {@code children}, {@code violated}. */
        public JsonObject json() { return json.deepCopy(); }
    }

    /** How the records read were counted: every record in exactly one class. */
    public static final class Inputs {
        private long read, entities, applied, duplicates, retracted, retractions, unresolved, rejected, waivers;

        /** Records read: the sum of the others. */
        public long read() { return read; }
        /** Entity records. */
        public long entities() { return entities; }
        /** Events applied. */
        public long applied() { return applied; }
        /** Second and later copies of an event or waiver. */
        public long duplicates() { return duplicates; }
        /** Events and waivers whose id is retracted. */
        public long retracted() { return retracted; }
        /** Retraction records. */
        public long retractions() { return retractions; }
        /** Events naming an entity not registered or not resolved. */
        public long unresolved() { return unresolved; }
        /** Records rejected. */
        public long rejected() { return rejected; }
        /** Approved waivers. */
        public long waivers() { return waivers; }

        @Override
        public String toString() {
            return "read " + read + " = entities " + entities + " + applied " + applied + " + duplicates " + duplicates
                + " + retracted " + retracted + " + retractions " + retractions + " + unresolved " + unresolved
                + " + rejected " + rejected + " + waivers " + waivers;
        }
    }

    /**
     * A rejected record.
     *
     * @param source the file it came from ("" for a record added alone)
     * @param line its line (0 for a record added alone)
     * @param reason why it was rejected
     */
    public record Rejection(String source, long line, String reason) {}

    /**
     * A key records carried that their event type or entity kind does not declare.
     *
     * @param type the event type, or null for an entity kind's field
     * @param kind the entity kind, or null for an event type's field
     * @param field the key
     * @param records how many records carried it
     */
    public record IgnoredField(String type, String kind, String field, long records) {}

    // ------------------------------------------------------------------ reading JSON

    private static String string(JsonObject o, String key) {
        return o.get(key).getAsString();
    }

    private static String optionalString(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static JsonArray array(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? new JsonArray() : e.getAsJsonArray();
    }

    private static List<String> strings(JsonObject o, String key) {
        List<String> list = new ArrayList<>();
        for (JsonElement e : array(o, key))
            list.add(e.getAsString());
        return Collections.unmodifiableList(list);
    }

    /** A JSON scalar as Java: Long for a whole number, BigDecimal for others, String, Boolean, or null. */
    static Object scalar(JsonElement e) {
        if (e == null || e.isJsonNull())
            return null;
        if (!e.isJsonPrimitive())
            return e.deepCopy();
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean())
            return p.getAsBoolean();
        if (p.isString())
            return p.getAsString();
        BigDecimal d = p.getAsBigDecimal();
        try {
            return d.scale() <= 0 ? (Object) d.longValueExact() : d;
        } catch (ArithmeticException tooBig) {
            return d;
        }
    }
}
