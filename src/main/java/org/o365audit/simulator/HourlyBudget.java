package org.o365audit.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A request budget over a sliding hour, as the Power BI admin API enforces it (200 requests per hour).
 * Every request that reaches the budget is counted, refused ones included.
 */
final class HourlyBudget {

    static final Duration WINDOW = Duration.ofHours(1);

    private final List<Instant> counted = new ArrayList<>(); // in arrival order

    /**
     * Counts a request at {@code now}; empty when it is within {@code limit}, otherwise how long until a
     * request would be accepted again.
     */
    synchronized Optional<Duration> admit(Instant now, int limit) {
        forgetBefore(now);
        boolean over = counted.size() >= limit;
        // A refused request still counts, as a real service would count it: a client that keeps
        // calling while refused stays refused.
        counted.add(now);
        if (!over) {
            return Optional.empty();
        }
        // Accepted again once the count is below the limit, i.e. once all but limit - 1 of the counted
        // requests have left the hour. While only a limit's worth was counted that is the oldest one
        // leaving; with the refusals counted too it is a later one, so Retry-After is never a promise
        // that the next call breaks.
        Instant freed = counted.get(counted.size() - limit).plus(WINDOW);
        Duration wait = Duration.between(now, freed);
        return Optional.of(wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait);
    }

    synchronized int count(Instant now) {
        forgetBefore(now);
        return counted.size();
    }

    /** A request leaves the window exactly one hour after it was made. */
    private void forgetBefore(Instant now) {
        Instant horizon = now.minus(WINDOW);
        counted.removeIf(t -> !t.isAfter(horizon));
    }
}
