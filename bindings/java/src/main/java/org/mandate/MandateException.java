package org.mandate;

/**
 * A call into mandate that failed: a bad argument, a call not allowed here (from inside a
 * status-change callback, say), or a fault in mandate itself. A rejected record is not one: it
 * is data, counted and listed in every report, and {@code Engine.add} returns {@code false}.
 */
public class MandateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a call failed: the {@code mandate_status} it returned. */
    public enum Status {
        /** The rule file has errors. */
        RULE_ERROR,
        /** A record was rejected. */
        REJECTED,
        /** A malformed argument, or a call not allowed here. */
        INVALID_ARGUMENT,
        /** A file could not be read or written. */
        IO_ERROR,
        /** Out of memory, or a fault in mandate itself. */
        INTERNAL_ERROR,
        /** A state file that cannot be restored. */
        STATE_ERROR;

        static Status of(int code) {
            switch (code) {
            case NativeLib.RULE_ERROR: return RULE_ERROR;
            case NativeLib.REJECTED: return REJECTED;
            case NativeLib.INVALID_ARGUMENT: return INVALID_ARGUMENT;
            case NativeLib.IO_ERROR: return IO_ERROR;
            case NativeLib.STATE_ERROR: return STATE_ERROR;
            default: return INTERNAL_ERROR;
            }
        }
    }

    private final Status status;

    /** A failure with its status and the message mandate gave. */
    public MandateException(Status status, String message) {
        super(message);
        this.status = status;
    }

    /** What kind of failure this is. */
    public Status status() {
        return status;
    }
}
