package org.o365audit.collect;

import java.time.Instant;

/**
 * One listing call's window on contentCreated: start inclusive, end exclusive, at most 24 hours. A
 * {@code requested} window comes from an operator's backfill rather than from the cursor.
 */
public record ListingWindow(Instant start, Instant end, boolean requested) {
    public ListingWindow(Instant start, Instant end) {
        this(start, end, false);
    }

    @Override
    public String toString() {
        return start + ".." + end + (requested ? " (backfill)" : "");
    }
}
