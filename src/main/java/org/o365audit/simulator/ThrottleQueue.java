package org.o365audit.simulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** Throttled answers queued for the next API calls of a tenant. */
final class ThrottleQueue {

    record Throttle(ThrottleStyle style, Duration retryAfter) {
    }

    private final Deque<Throttle> pending = new ArrayDeque<>();

    synchronized void add(int count, ThrottleStyle style, Duration retryAfter) {
        for (int i = 0; i < count; i++) {
            pending.addLast(new Throttle(style, retryAfter));
        }
    }

    /** The throttle for the current call, if one is pending. */
    synchronized Optional<Throttle> take() {
        return Optional.ofNullable(pending.pollFirst());
    }
}
