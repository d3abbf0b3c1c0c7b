package org.mandate;

import java.time.LocalDate;

/**
 * One bucket whose state changed, as {@link Engine#onChange} hears of it.
 *
 * @param outcome true for an outcome bucket, false for an obligation bucket
 * @param rule the obligation's or outcome's id
 * @param unit the entity, or null for a rule without {@code each}
 * @param from the first day of the period
 * @param to the last day of the period
 * @param before an obligation bucket's state before ({@code ABSENT} for outcomes)
 * @param after its state after
 * @param firedBefore an outcome's {@code fired} before; null for obligations and for a bucket
 *     that did not exist
 * @param firedAfter its {@code fired} after; null as above
 * @param finalBefore an outcome's {@code final} before; null as above
 * @param finalAfter its {@code final} after; null as above
 */
public record StatusChange(boolean outcome, String rule, String unit, LocalDate from, LocalDate to,
                           BucketStatus before, BucketStatus after, Boolean firedBefore, Boolean firedAfter,
                           Boolean finalBefore, Boolean finalAfter) {
    static StatusChange of(NativeLib.Change c) {
        return new StatusChange(c.outcome != 0, NativeLib.text(c.rule), NativeLib.text(c.unit),
                                LocalDate.parse(NativeLib.text(c.from)), LocalDate.parse(NativeLib.text(c.to)),
                                BucketStatus.of(c.before), BucketStatus.of(c.after), flag(c.fired_before),
                                flag(c.fired_after), flag(c.final_before), flag(c.final_after));
    }

    private static Boolean flag(int value) {
        return value < 0 ? null : value != 0;
    }

    /** An obligation bucket that has just turned violated. */
    public boolean turnedViolated() {
        return !outcome && after == BucketStatus.VIOLATED && before != BucketStatus.VIOLATED;
    }

    /** An outcome bucket that has just fired. */
    public boolean fired() {
        return outcome && Boolean.TRUE.equals(firedAfter) && !Boolean.TRUE.equals(firedBefore);
    }
}
