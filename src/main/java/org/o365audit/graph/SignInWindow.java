package org.o365audit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One run's window of the sign-in log, its first page (fetched before the split) and what became of it. */
public final class SignInWindow {
    final Instant start;
    final Instant end;
    /** The previous run's end (null on the first run): sign-ins before it were already seen, in the overlap. */
    final Instant fresh;
    JsonNode firstPage;
    int stored;
    int duplicates;
    int filtered;

    SignInWindow(Instant start, Instant end, Instant fresh) {
        this.start = start;
        this.end = end;
        this.fresh = fresh;
    }

    @Override
    public String toString() {
        return start + " to " + end;
    }
}
