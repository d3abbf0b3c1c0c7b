package org.mandate;

/**
 * One error in a rule file: its 1-based line and column (in code points) and the message
 * without position ("expected a period: ...").
 *
 * @param line the 1-based line
 * @param column the 1-based column, in code points
 * @param message what is wrong
 */
public record Diagnostic(int line, int column, String message) {
    @Override
    public String toString() {
        return line + ":" + column + ": " + message;
    }
}
