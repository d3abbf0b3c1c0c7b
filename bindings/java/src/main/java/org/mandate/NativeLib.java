package org.mandate;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The C interface ({@code mandate.h}) as JNA sees it, and where its library is found. Every
 * string crosses as UTF-8, whatever the locale: passed as {@link #z} bytes, read with
 * {@link #text}.
 */
final class NativeLib {
    private NativeLib() {}

    /** The status codes of {@code mandate_status}. */
    static final int OK = 0;
    static final int RULE_ERROR = 1;
    static final int REJECTED = 2;
    static final int INVALID_ARGUMENT = 3;
    static final int IO_ERROR = 4;
    static final int INTERNAL_ERROR = 5;
    static final int STATE_ERROR = 6;

    /** {@code mandate_date}: a calendar date passed by value; {0, 0, 0} means none. */
    @Structure.FieldOrder({"year", "month", "day"})
    public static class Date extends Structure implements Structure.ByValue {
        public int year;
        public int month;
        public int day;

        public Date() {}

        Date(java.time.LocalDate date) {
            if (date != null) {
                year = date.getYear();
                month = date.getMonthValue();
                day = date.getDayOfMonth();
            }
        }
    }

    /** {@code mandate_entity}, passed by pointer. */
    @Structure.FieldOrder({"id", "kind", "parent", "name", "since", "until", "version"})
    public static class EntityStruct extends Structure {
        public Pointer id;
        public Pointer kind;
        public Pointer parent;
        public Pointer name;
        public Date since;
        public Date until;
        public long version;

        public EntityStruct() {}
    }

    /** {@code mandate_change}: valid during the callback only. */
    @Structure.FieldOrder({"outcome", "rule", "unit", "from", "to", "before", "after", "fired_before",
                           "fired_after", "final_before", "final_after"})
    public static class Change extends Structure {
        public int outcome;
        public Pointer rule;
        public Pointer unit;
        public Pointer from;
        public Pointer to;
        public int before;
        public int after;
        public int fired_before;
        public int fired_after;
        public int final_before;
        public int final_after;

        public Change() {}

        public Change(Pointer p) {
            super(p);
            read();
        }
    }

    /** {@code mandate_change_callback}. */
    interface ChangeCallback extends Callback {
        void invoke(Pointer change, Pointer user);
    }

    /**
     * The functions of mandate.h a Java host needs. Strings cross as NUL-terminated UTF-8 bytes
     * ({@link #z}) and come back as pointers read with {@link #text}: JNA's own String mapping
     * follows the platform's default charset, which is ASCII under a C locale.
     */
    interface C extends Library {
        Pointer mandate_version();
        void mandate_free(Pointer text);

        int mandate_plan_compile(byte[] source, long length, byte[] name, PointerByReference plan,
                                 PointerByReference diagnostics, PointerByReference error);
        void mandate_plan_free(Pointer plan);
        Pointer mandate_plan_id(Pointer plan);
        Pointer mandate_plan_revision(Pointer plan);

        long mandate_diagnostics_count(Pointer diagnostics);
        int mandate_diagnostics_line(Pointer diagnostics, long index);
        int mandate_diagnostics_column(Pointer diagnostics, long index);
        Pointer mandate_diagnostics_message(Pointer diagnostics, long index);
        void mandate_diagnostics_free(Pointer diagnostics);

        int mandate_engine_new(Pointer plan, PointerByReference engine);
        void mandate_engine_free(Pointer engine);
        int mandate_engine_add(Pointer engine, byte[] json, long length, PointerByReference error);
        int mandate_engine_add_jsonl(Pointer engine, byte[] data, long length, byte[] source, LongByReference records,
                                     PointerByReference error);
        int mandate_engine_add_jsonl_file(Pointer engine, byte[] path, LongByReference records, PointerByReference error);
        int mandate_engine_add_entity(Pointer engine, EntityStruct entity, PointerByReference error);
        int mandate_engine_add_entity_fields(Pointer engine, EntityStruct entity, Pointer fields, PointerByReference error);
        int mandate_engine_add_event(Pointer engine, Pointer event, PointerByReference error);
        int mandate_engine_retract(Pointer engine, byte[] eventId, PointerByReference error);
        int mandate_engine_save(Pointer engine, byte[] path, byte[] host, long hostLength, PointerByReference error);
        int mandate_engine_restore(Pointer engine, byte[] path, PointerByReference host, LongByReference hostLength,
                                   PointerByReference error);
        int mandate_engine_report_json(Pointer engine, byte[] asOf, PointerByReference json, PointerByReference error);
        int mandate_engine_report_format(Pointer engine, byte[] asOf, byte[] format, byte[] language,
                                         PointerByReference output, LongByReference length, PointerByReference error);
        long mandate_live_handles();

        int mandate_engine_subscribe(Pointer engine, ChangeCallback callback, Pointer user, IntByReference token);
        int mandate_engine_unsubscribe(Pointer engine, int token);
        int mandate_engine_set_watch_date(Pointer engine, byte[] asOf);

        int mandate_event_new(byte[] id, byte[] type, byte[] time, byte[] unit, PointerByReference event);
        void mandate_event_free(Pointer event);
        int mandate_event_set_int(Pointer event, byte[] field, long value);
        int mandate_event_set_number(Pointer event, byte[] field, byte[] decimal);
        int mandate_event_set_bool(Pointer event, byte[] field, int value);
        int mandate_event_set_text(Pointer event, byte[] field, byte[] text);
        int mandate_event_set_date(Pointer event, byte[] field, Date date);
        int mandate_event_set_empty(Pointer event, byte[] field);
        int mandate_event_append_int(Pointer event, byte[] field, long value);
        int mandate_event_append_number(Pointer event, byte[] field, byte[] decimal);
        int mandate_event_append_bool(Pointer event, byte[] field, int value);
        int mandate_event_append_text(Pointer event, byte[] field, byte[] text);
        int mandate_event_append_date(Pointer event, byte[] field, Date date);
    }

    /** The loaded library: the first of the places {@link #candidates} lists that exists. */
    static final C LIB = load();

    private static C load() {
        // size_t is mapped to long, and the structs are laid out for LP64.
        if (Native.SIZE_T_SIZE != 8 || Native.POINTER_SIZE != 8)
            throw new UnsatisfiedLinkError("mandate's Java binding needs a 64-bit JVM");
        List<String> tried = new ArrayList<>();
        for (String candidate : candidates()) {
            tried.add(candidate);
            if (candidate.contains("/") && !Files.isRegularFile(Path.of(candidate)))
                continue;
            try {
                return Native.load(candidate, C.class);
            } catch (UnsatisfiedLinkError e) {
                if (candidate.contains("/"))
                    throw e; // the file is there and cannot be loaded: say why, not "not found"
            }
        }
        throw new UnsatisfiedLinkError("mandate: libmandate_c not found (tried " + String.join(", ", tried)
                                       + "); set -Dmandate.library=/path/to/libmandate_c.so");
    }

    /**
     * Where libmandate_c is looked for, in order: the system property {@code mandate.library}
     * (a path); beside the jar as installed ({@code PREFIX/share/java/mandate.jar} and
     * {@code PREFIX/lib*}/libmandate_c.so) and as built ({@code build/java/mandate.jar} and
     * {@code build/lib/}); then by name, where JNA looks ({@code jna.library.path}, the
     * system's library path).
     */
    private static List<String> candidates() {
        List<String> list = new ArrayList<>();
        String property = System.getProperty("mandate.library");
        if (property != null && !property.isEmpty()) {
            list.add(new File(property).getAbsolutePath());
            return list;
        }
        Path jar = jarDirectory();
        if (jar != null && jar.getParent() != null) {
            // As built: build/java/mandate.jar and build/lib.
            list.add(jar.getParent().resolve("lib").resolve("libmandate_c.so").toString());
            // As installed: PREFIX/share/java/mandate.jar and PREFIX/lib*.
            Path prefix = jar.getParent().getParent();
            if (prefix != null)
                for (String lib : new String[] {"lib", "lib64", "lib/x86_64-linux-gnu", "lib/aarch64-linux-gnu"})
                    list.add(prefix.resolve(lib).resolve("libmandate_c.so").toString());
        }
        list.add("mandate_c");
        return list;
    }

    private static Path jarDirectory() {
        try {
            var source = NativeLib.class.getProtectionDomain().getCodeSource();
            if (source == null)
                return null;
            Path path = Path.of(source.getLocation().toURI()).toAbsolutePath();
            return Files.isRegularFile(path) ? path.getParent() : null;
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    /** A NUL-terminated UTF-8 string at {@code p}, or null. */
    static String text(Pointer p) {
        return p == null ? null : p.getString(0, "UTF-8");
    }

    /** A {@code char*} output: read as UTF-8 and freed with mandate_free. */
    static String take(PointerByReference ref) {
        Pointer p = ref.getValue();
        if (p == null)
            return null;
        try {
            return p.getString(0, "UTF-8");
        } finally {
            LIB.mandate_free(p);
        }
    }

    /** A {@code char*} output of {@code length} bytes: copied and freed with mandate_free. */
    static byte[] takeBytes(PointerByReference ref, long length) {
        Pointer p = ref.getValue();
        if (p == null)
            return null;
        try {
            return p.getByteArray(0, Math.toIntExact(length));
        } finally {
            LIB.mandate_free(p);
        }
    }

    /**
     * A string as UTF-8 bytes. A lone surrogate has no UTF-8 form: an
     * {@link IllegalArgumentException}, never a {@code ?} in its place.
     */
    static byte[] utf8(String s) {
        return encode(s, StandardCharsets.UTF_8, "UTF-8");
    }

    private static byte[] encode(String s, Charset charset, String what) {
        try {
            ByteBuffer b = charset.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                                  .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the text has no " + what + " form (a lone surrogate?): "
                                               + s.substring(0, Math.min(s.length(), 40)));
        }
    }

    /** NUL-terminated bytes; a NUL inside would cut the text short on the C side: refused. */
    private static byte[] terminated(String s, byte[] bytes) {
        if (s.indexOf('\0') >= 0)
            throw new IllegalArgumentException("a NUL character cannot stand in this text: "
                                               + s.substring(0, Math.min(s.length(), 40)).replace("\0", "\\0"));
        return java.util.Arrays.copyOf(bytes, bytes.length + 1);
    }

    /** A string as NUL-terminated UTF-8 bytes for the C side; null stays null. */
    static byte[] z(String s) {
        return s == null ? null : terminated(s, utf8(s));
    }

    /**
     * A file name as the C library's {@code fopen} takes it: in the charset Java itself names
     * files in ({@code sun.jnu.encoding}, the locale's), NUL-terminated.
     */
    static byte[] path(java.nio.file.Path p) {
        String s = p.toString();
        String name = System.getProperty("sun.jnu.encoding");
        Charset charset = name != null && Charset.isSupported(name) ? Charset.forName(name) : Charset.defaultCharset();
        return terminated(s, encode(s, charset, charset.name()));
    }

    /** A string in native memory (NUL-terminated UTF-8), for a struct's field; null stays null. */
    static com.sun.jna.Memory memory(String s) {
        if (s == null)
            return null;
        byte[] bytes = z(s);
        com.sun.jna.Memory m = new com.sun.jna.Memory(bytes.length);
        m.write(0, bytes, 0, bytes.length);
        return m;
    }
}
