package org.mandate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;

/**
 * A record given as Java values, written as its JSON twin: the JSON object with the same keys
 * and values, which the engine then checks, counts and rejects exactly as it would that text.
 */
final class Json {
    private Json() {}

    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ISO_LOCAL_DATE_TIME;
    private static final DateTimeFormatter OFFSET_TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    static String record(Map<String, ?> record) {
        if (record == null)
            throw new NullPointerException("record is null");
        StringBuilder out = new StringBuilder(128);
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, ?> entry : record.entrySet()) {
            Object key = entry.getKey();
            if (!(key instanceof String))
                throw new IllegalArgumentException("a record's keys are strings, not " + describe(key));
            if (!first)
                out.append(", ");
            first = false;
            string(out, (String) key);
            out.append(": ");
            value(out, (String) key, entry.getValue(), true);
        }
        return out.append('}').toString();
    }

    private static void value(StringBuilder out, String key, Object value, boolean top) {
        if (value == null) {
            if (!top)
                throw new IllegalArgumentException("key '" + key + "': a set's member is null");
            out.append("null"); // absent
        } else if (value instanceof String) {
            string(out, (String) value);
        } else if (value instanceof Boolean) {
            out.append(value.toString());
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                   || value instanceof Byte || value instanceof BigInteger) {
            out.append(value.toString());
        } else if (value instanceof BigDecimal) {
            out.append(value.toString()); // JSON number syntax, exponent included: 1E+2000000 stays short
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d))
                throw new IllegalArgumentException("key '" + key + "': " + value + " is not a number JSON can hold");
            // The digits Java prints for it: 0.1 is exactly 1/10.
            String digits = value instanceof Float ? Float.toString((Float) value) : Double.toString(d);
            out.append(new BigDecimal(digits).toString());
        } else if (value instanceof LocalDate) {
            string(out, value.toString());
        } else if (value instanceof OffsetDateTime) {
            string(out, OFFSET_TIME.format((OffsetDateTime) value));
        } else if (value instanceof ZonedDateTime) {
            string(out, OFFSET_TIME.format(((ZonedDateTime) value).toOffsetDateTime()));
        } else if (value instanceof LocalDateTime) {
            string(out, LOCAL_TIME.format((LocalDateTime) value)); // local time in the plan's zone
        } else if (value instanceof Collection) {
            if (!top)
                throw new IllegalArgumentException("key '" + key + "': a set inside a set");
            out.append('[');
            boolean first = true;
            for (Object member : (Collection<?>) value) {
                if (!first)
                    out.append(", ");
                first = false;
                value(out, key, member, false);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("key '" + key + "': " + describe(value)
                                               + " has no meaning in a record (String, Number, Boolean, LocalDate,"
                                               + " OffsetDateTime or a Collection of those)");
        }
    }

    private static String describe(Object value) {
        return value == null ? "null" : "a " + value.getClass().getSimpleName();
    }

    static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); ++i) {
            char c = s.charAt(i);
            switch (c) {
            case '"': out.append("\\\""); break;
            case '\\': out.append("\\\\"); break;
            case '\n': out.append("\\n"); break;
            case '\r': out.append("\\r"); break;
            case '\t': out.append("\\t"); break;
            default:
                if (c < 0x20)
                    out.append(String.format("\\u%04x", (int) c));
                else
                    out.append(c);
            }
        }
        out.append('"');
    }

}
