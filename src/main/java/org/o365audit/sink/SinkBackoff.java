package org.o365audit.sink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Per sink: after a failed delivery, wait before the next try, doubling up to a ceiling (with jitter), or
 * as long as the destination's Retry-After asks. A destination that refuses (a setting to fix) is tried
 * again at least every {@code o365.sink-refusal-retry} (30 s), so the sink resumes soon after the fix.
 * A success resets it. Only the failing sink waits.
 */
@Component
public class SinkBackoff {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration CEILING = Duration.ofMinutes(5);

    private final Clock clock;
    private final Duration refusalCeiling;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    public SinkBackoff(Clock clock, @Value("${o365.sink-refusal-retry:30s}") Duration refusalCeiling) {
        this.clock = clock;
        this.refusalCeiling = refusalCeiling;
    }

    public boolean mayTry(String sink) {
        State s = states.get(sink);
        return s == null || !clock.instant().isBefore(s.notBefore);
    }

    /** Records a failure; returns the wait before the next try. */
    public Duration failed(String sink, Duration retryAfter) {
        State s = states.compute(sink, (k, old) -> new State(old == null ? 1 : old.failures + 1, null));
        long wait = jittered(s.failures, CEILING);
        if (retryAfter != null && retryAfter.toMillis() > wait) {
            wait = Math.min(retryAfter.toMillis(), Duration.ofHours(1).toMillis());
        }
        s.notBefore = clock.instant().plusMillis(wait);
        return Duration.ofMillis(wait);
    }

    /** Records a refusal (the sink stays refused until a success); returns the wait before the next try. */
    public Duration refused(String sink, String reason) {
        State s = states.compute(sink, (k, old) -> new State(old == null ? 1 : old.failures + 1, reason));
        long wait = jittered(s.failures, refusalCeiling);
        s.notBefore = clock.instant().plusMillis(wait);
        return Duration.ofMillis(wait);
    }

    /** Why the destination refuses the sink's batch, or null when it does not (or it merely fails). */
    public String refusal(String sink) {
        State s = states.get(sink);
        return s == null ? null : s.refusal;
    }

    /** The longest wait between two tries of a refused batch. */
    public Duration refusalCeiling() {
        return refusalCeiling;
    }

    private static long jittered(int failures, Duration ceiling) {
        long base = FIRST.toMillis() << Math.min(failures - 1, 20);
        long wait = Math.min(ceiling.toMillis(), base);
        return wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1);
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
        final String refusal;
        volatile Instant notBefore = Instant.EPOCH;

        State(int failures, String refusal) {
            this.failures = failures;
            this.refusal = refusal;
        }
    }
}
