package org.o365audit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One run's window of the sign-in log, its first page (fetched before the split) and what became of it. */
public final class SignInWindow {
    final Instant start;
    final Instant end;
    JsonNode firstPage;
    int stored;
    int duplicates;
    int filtered;

    SignInWindow(Instant start, Instant end) {
        this.start = start;
        this.end = end;
    }

    @Override
    public String toString() {
        return start + " to " + end;
    }
}
