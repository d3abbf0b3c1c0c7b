package org.mandate;

import java.util.List;

/**
 * A rule file that does not compile. {@link #getMessage()} is every diagnostic rendered as the
 * command line prints it ({@code name:line:column: error: message}, with the source line and a
 * caret); {@link #diagnostics()} gives them one by one, with line and column.
 */
public class RuleException extends MandateException {
    private static final long serialVersionUID = 1L;
    private final transient List<Diagnostic> diagnostics;

    RuleException(String message, List<Diagnostic> diagnostics) {
        super(Status.RULE_ERROR, message);
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** Every diagnostic, in the order of the file; never empty. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** The first diagnostic's line. */
    public int line() {
        return diagnostics.isEmpty() ? 0 : diagnostics.get(0).line();
    }

    /** The first diagnostic's column. */
    public int column() {
        return diagnostics.isEmpty() ? 0 : diagnostics.get(0).column();
    }
}
