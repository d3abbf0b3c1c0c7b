package org.mandate;

/** The state of an obligation bucket, as a {@link StatusChange} gives it. */
public enum BucketStatus {
    /** The bucket did not exist before, or no longer exists after. */
    ABSENT,
    /** Its period is not over and its requirement does not hold yet. */
    PENDING,
    /** Its requirement holds. */
    SATISFIED,
    /** Its period is over (with any grace) and its requirement does not hold. */
    VIOLATED,
    /** An approved waiver excuses it. */
    EXCUSED;

    static BucketStatus of(int code) {
        switch (code) {
        case 1: return PENDING;
        case 2: return SATISFIED;
        case 3: return VIOLATED;
        case 4: return EXCUSED;
        default: return ABSENT;
        }
    }
}
