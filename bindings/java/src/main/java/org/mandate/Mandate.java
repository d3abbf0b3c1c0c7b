package org.mandate;

/**
 * mandate from Java: the library's version, and a count of its native handles for tests.
 *
 * <p>Start with {@link Plan#compile(String, String)} and {@link Engine}. The classes call the C
 * library {@code libmandate_c} through JNA. It is looked for at the path the system property
 * {@code mandate.library} gives; else beside this jar as installed ({@code PREFIX/share/java}
 * and {@code PREFIX/lib}) or as built ({@code build/java} and {@code build/lib}); else by name
 * where JNA looks ({@code jna.library.path}, the system's library path).
 */
public final class Mandate {
    private Mandate() {}

    /** The version of the native library, e.g. {@code "0.1.0"}. */
    public static String version() {
        return NativeLib.text(NativeLib.LIB.mandate_version());
    }

    /**
     * How many native handles (plans, engines, event builders, diagnostics) exist now in this
     * process, made by any thread and not yet freed. A {@link Plan} or {@link Engine} frees its
     * handle on {@code close()}, or once the garbage collector finds it unreachable; tests use
     * this to check that nothing is leaked.
     */
    public static long liveNativeHandles() {
        return NativeLib.LIB.mandate_live_handles();
    }
}
