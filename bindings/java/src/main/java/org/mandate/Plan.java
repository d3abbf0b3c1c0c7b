package org.mandate;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled rule file. Immutable: share one plan between threads and between any number of
 * engines. Closing it (or letting it be collected) frees it; engines made from it keep what
 * they need and stay usable.
 *
 * <pre>{@code
 * try (Plan plan = Plan.compile(Files.readString(path), path.toString());
 *      Engine engine = new Engine(plan)) { ... }
 * }</pre>
 */
public final class Plan implements AutoCloseable {
    private final Handle handle;
    private final Cleaner.Cleanable cleanable;
    private final String id;
    private final String revision;

    private Plan(Pointer pointer) {
        handle = new Handle(pointer, NativeLib.LIB::mandate_plan_free);
        cleanable = Handle.CLEANER.register(this, handle);
        id = NativeLib.text(NativeLib.LIB.mandate_plan_id(pointer));
        revision = NativeLib.text(NativeLib.LIB.mandate_plan_revision(pointer));
    }

    /**
     * Parses, checks and compiles a rule file.
     *
     * @param source the rule file's text
     * @param name what diagnostics call the file ({@code null}: {@code "<rules>"})
     * @return the plan
     * @throws RuleException with every diagnostic, when the file has errors
     */
    public static Plan compile(String source, String name) {
        byte[] bytes = NativeLib.utf8(source);
        PointerByReference plan = new PointerByReference();
        PointerByReference diagnostics = new PointerByReference();
        PointerByReference error = new PointerByReference();
        int status = NativeLib.LIB.mandate_plan_compile(bytes, bytes.length, NativeLib.z(name), plan, diagnostics, error);
        String message = NativeLib.take(error);
        if (status == NativeLib.OK)
            return new Plan(plan.getValue());
        Pointer list = diagnostics.getValue();
        List<Diagnostic> found = new ArrayList<>();
        try {
            long count = NativeLib.LIB.mandate_diagnostics_count(list);
            for (long i = 0; i < count; ++i)
                found.add(new Diagnostic(NativeLib.LIB.mandate_diagnostics_line(list, i),
                                         NativeLib.LIB.mandate_diagnostics_column(list, i),
                                         NativeLib.text(NativeLib.LIB.mandate_diagnostics_message(list, i))));
        } finally {
            NativeLib.LIB.mandate_diagnostics_free(list);
        }
        if (status == NativeLib.RULE_ERROR)
            throw new RuleException(message, found);
        throw new MandateException(MandateException.Status.of(status), message);
    }

    /** Compiles the rule file at {@code path}, named by its path in diagnostics. */
    public static Plan compileFile(Path path) throws IOException {
        return compile(Files.readString(path), path.toString());
    }

    /** The plan's id, e.g. {@code "goutang_antifraud_2023"}. */
    public String id() {
        return id;
    }

    /** The SHA-256 of the rule file, in hex: saved states name it. */
    public String revision() {
        return revision;
    }

    /** Frees the compiled plan; engines made from it stay usable. Closing twice does nothing. */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** Runs {@code body} with the native plan, which cannot be freed meanwhile. */
    Pointer newEngine(java.util.function.Function<Pointer, Pointer> body) {
        try {
            synchronized (handle) {
                return body.apply(handle.get("plan"));
            }
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public String toString() {
        return "Plan[" + id + "]";
    }
}
