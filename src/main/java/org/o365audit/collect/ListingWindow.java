package org.o365audit.collect;

import java.time.Instant;

/** One listing call's window on contentCreated: start inclusive, end exclusive, at most 24 hours. */
public record ListingWindow(Instant start, Instant end) {
    @Override
    public String toString() {
        return start + ".." + end;
    }
}
