package org.o365audit.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * At most {@code limit} requests in any sliding {@code period} (Power BI's admin API allows 200 per hour
 * per tenant). A request that would exceed it waits when the wait is short, else the cycle ends with
 * {@link TenantBackingOffException} and a later one resumes. Counted in memory.
 */
public final class RequestBudget {
    private final int limit;
    private final Duration period;
    private final Duration maxWait;
    private final Clock clock;
    private final Deque<Instant> sent = new ArrayDeque<>();

    public RequestBudget(int limit, Duration period, Duration maxWait, Clock clock) {
        this.limit = limit;
        this.period = period;
        this.maxWait = maxWait;
        this.clock = clock;
    }

    public void acquire(String tenantName) {
        while (true) {
            Instant until;
            synchronized (this) {
                Instant now = clock.instant();
                while (!sent.isEmpty() && !sent.peekFirst().isAfter(now.minus(period))) {
                    sent.pollFirst();
                }
                if (sent.size() < limit) {
                    sent.addLast(now);
                    return;
                }
                until = sent.peekFirst().plus(period);
            }
            Duration wait = Duration.between(clock.instant(), until);
            if (wait.compareTo(maxWait) > 0) {
                throw new TenantBackingOffException(tenantName, until);
            }
            try {
                Thread.sleep(Math.max(1, wait.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TenantBackingOffException(tenantName, until);
            }
        }
    }

    public synchronized int usedInPeriod() {
        Instant now = clock.instant();
        return (int) sent.stream().filter(t -> t.isAfter(now.minus(period))).count();
    }
}
