package org.o365audit.simulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The most recent requests one simulated API answered, for tests to look at. Only the last {@value #KEPT} are
 * kept, so a simulator that runs for days (the demo) does not grow with every call.
 */
final class RequestLog {
    static final int KEPT = 10_000;

    private final Deque<RecordedRequest> recent = new ArrayDeque<>(); // guarded by this

    synchronized void add(RecordedRequest request) {
        recent.addLast(request);
        if (recent.size() > KEPT) {
            recent.removeFirst();
        }
    }

    /** Oldest first. */
    synchronized List<RecordedRequest> snapshot() {
        return List.copyOf(recent);
    }

    synchronized void clear() {
        recent.clear();
    }
}
