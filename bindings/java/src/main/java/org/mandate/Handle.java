package org.mandate;

import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.util.function.Consumer;

/**
 * A native handle that is freed exactly once: by {@code close()}, or by the cleaner once its
 * Java owner is unreachable. The owner must not be reachable from the handle (nor from anything
 * the handle keeps), or it would never be collected.
 */
final class Handle implements Runnable {
    static final Cleaner CLEANER = Cleaner.create();

    private Pointer pointer;
    private final Consumer<Pointer> free;

    Handle(Pointer pointer, Consumer<Pointer> free) {
        this.pointer = pointer;
        this.free = free;
    }

    /** The pointer, or an {@link IllegalStateException} naming {@code what} once freed. */
    synchronized Pointer get(String what) {
        if (pointer == null)
            throw new IllegalStateException(what + " is closed");
        return pointer;
    }

    synchronized boolean isFreed() {
        return pointer == null;
    }

    @Override
    public synchronized void run() {
        Pointer p = pointer;
        pointer = null;
        if (p != null)
            free.accept(p);
    }
}
