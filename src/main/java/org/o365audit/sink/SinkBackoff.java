package org.o365audit.sink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;

/**
 * Per sink: after a failed delivery, wait before the next try, doubling up to a ceiling (with jitter), or
 * as long as the destination's Retry-After asks. A success resets it. Only the failing sink waits.
 */
@Component
public class SinkBackoff {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration CEILING = Duration.ofMinutes(5);

    private final Clock clock;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    public SinkBackoff(Clock clock) {
        this.clock = clock;
    }

    public boolean mayTry(String sink) {
        State s = states.get(sink);
        return s == null || !clock.instant().isBefore(s.notBefore);
    }

    /** Records a failure; returns the wait before the next try. */
    public Duration failed(String sink, Duration retryAfter) {
        State s = states.compute(sink, (k, old) -> new State(old == null ? 1 : old.failures + 1, Instant.EPOCH));
        long base = FIRST.toMillis() << Math.min(s.failures - 1, 20);
        long wait = Math.min(CEILING.toMillis(), base);
        wait = wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1);
        if (retryAfter != null && retryAfter.toMillis() > wait) {
            wait = Math.min(retryAfter.toMillis(), Duration.ofHours(1).toMillis());
        }
        s.notBefore = clock.instant().plusMillis(wait);
        return Duration.ofMillis(wait);
    }

    /** Returns how many failures came before this success (0 when it was not failing). */
    public int succeeded(String sink) {
        State s = states.remove(sink);
        return s == null ? 0 : s.failures;
    }

    public int failures(String sink) {
        State s = states.get(sink);
        return s == null ? 0 : s.failures;
    }

    private static final class State {
        final int failures;
        volatile Instant notBefore;

        State(int failures, Instant notBefore) {
            this.failures = failures;
            this.notBefore = notBefore;
        }
    }
}
