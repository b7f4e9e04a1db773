package org.o365audit.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * At most {@code limit} requests in any sliding {@code period} (Power BI's admin API allows 200 per hour
 * per tenant). A request that would exceed it ends the cycle with {@link TenantBackingOffException} (no
 * thread sleeps on it) and a later cycle resumes. Counted in memory.
 */
public final class RequestBudget {
    private final int limit;
    private final Duration period;
    private final Clock clock;
    private final Deque<Instant> sent = new ArrayDeque<>();

    public RequestBudget(int limit, Duration period, Clock clock) {
        this.limit = limit;
        this.period = period;
        this.clock = clock;
    }

    public synchronized void acquire(String tenantName) {
        Instant now = clock.instant();
        while (!sent.isEmpty() && !sent.peekFirst().isAfter(now.minus(period))) {
            sent.pollFirst();
        }
        if (sent.size() >= limit) {
            throw new TenantBackingOffException(tenantName, sent.peekFirst().plus(period));
        }
        sent.addLast(now);
    }

    public synchronized int usedInPeriod() {
        Instant now = clock.instant();
        return (int) sent.stream().filter(t -> t.isAfter(now.minus(period))).count();
    }
}
