package org.mandate;

import java.io.IOException;

/**
 * A state file that cannot be restored: missing, not a state file, of another format version
 * or plan revision, truncated or corrupted. The engine is left as it was.
 */
public class StateException extends IOException {
    private static final long serialVersionUID = 1L;

    StateException(String message) {
        super(message);
    }
}
