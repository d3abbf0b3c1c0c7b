package org.mandate;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The declared fields of a typed record, kept as Java values and set on a native event builder
 * ({@code mandate_event_set_*}) when the record is added.
 */
final class Fields {
    private final Map<String, Object> values = new LinkedHashMap<>();

    /** Sets a field to a value, or to a set when {@code value} is a Collection. */
    void set(String field, Object value) {
        if (value instanceof Collection) {
            Collection<?> members = (Collection<?>) value;
            List<Object> list = new ArrayList<>(members.size());
            for (Object member : members)
                list.add(normal(field, member));
            values.put(checkName(field), list);
        } else {
            values.put(checkName(field), normal(field, value));
        }
    }

    void unset(String field) {
        values.remove(field);
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    Map<String, Object> view() {
        return java.util.Collections.unmodifiableMap(values);
    }

    private static String checkName(String field) {
        if (field == null)
            throw new NullPointerException("field is null");
        return field;
    }

    /** A member value as the builder keeps it: Long, BigDecimal, Boolean, String or LocalDate. */
    private static Object normal(String field, Object value) {
        if (value == null)
            throw new NullPointerException("field '" + field + "': null (unset the field to leave it absent)");
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte)
            return ((Number) value).longValue();
        if (value instanceof BigInteger)
            return new BigDecimal((BigInteger) value);
        if (value instanceof BigDecimal)
            return value;
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d))
                throw new IllegalArgumentException("field '" + field + "': " + value + " is not a number JSON can hold");
            return new BigDecimal(value instanceof Float ? Float.toString((Float) value) : Double.toString(d));
        }
        if (value instanceof Boolean || value instanceof String || value instanceof LocalDate)
            return value;
        throw new IllegalArgumentException("field '" + field + "': a " + value.getClass().getSimpleName()
                                           + " has no meaning in a record (Number, Boolean, String or LocalDate)");
    }

    /** A native builder with these fields; the caller frees it with mandate_event_free. */
    Pointer build(String id, String type, String time, String unit) {
        PointerByReference ref = new PointerByReference();
        check(NativeLib.LIB.mandate_event_new(NativeLib.z(id), NativeLib.z(type), NativeLib.z(time), NativeLib.z(unit), ref),
              "the event's id, type, time or unit");
        Pointer event = ref.getValue();
        try {
            for (Map.Entry<String, Object> entry : values.entrySet()) {
                String field = entry.getKey();
                Object value = entry.getValue();
                if (value instanceof List) {
                    check(NativeLib.LIB.mandate_event_set_empty(event, NativeLib.z(field)), field);
                    for (Object member : (List<?>) value)
                        put(event, field, member, true);
                } else {
                    put(event, field, value, false);
                }
            }
            return event;
        } catch (RuntimeException | Error e) {
            NativeLib.LIB.mandate_event_free(event);
            throw e;
        }
    }

    /** Sets a field's value ({@code append}: adds a member to the set it is). */
    private static void put(Pointer event, String field, Object v, boolean append) {
        NativeLib.C c = NativeLib.LIB;
        byte[] name = NativeLib.z(field);
        int status;
        if (v instanceof Long)
            status = append ? c.mandate_event_append_int(event, name, (Long) v) : c.mandate_event_set_int(event, name, (Long) v);
        else if (v instanceof BigDecimal) {
            byte[] digits = NativeLib.z(v.toString());
            status = append ? c.mandate_event_append_number(event, name, digits) : c.mandate_event_set_number(event, name, digits);
        } else if (v instanceof Boolean) {
            int b = (Boolean) v ? 1 : 0;
            status = append ? c.mandate_event_append_bool(event, name, b) : c.mandate_event_set_bool(event, name, b);
        } else if (v instanceof String) {
            byte[] text = NativeLib.z((String) v);
            status = append ? c.mandate_event_append_text(event, name, text) : c.mandate_event_set_text(event, name, text);
        } else {
            NativeLib.Date date = new NativeLib.Date((LocalDate) v);
            status = append ? c.mandate_event_append_date(event, name, date) : c.mandate_event_set_date(event, name, date);
        }
        check(status, field);
    }

    private static void check(int status, String what) {
        if (status != NativeLib.OK)
            throw new IllegalArgumentException("mandate refused " + what + " ("
                                               + MandateException.Status.of(status) + ")");
    }
}
