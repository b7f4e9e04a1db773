package org.o365audit.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills a simulated tenant with a realistic feed for the demo: a history of blobs in all five
 * content types built from the corpus, and optionally a live trickle of new blobs; and, for the
 * Power BI and Dataverse APIs, a history and trickle of events that arrive hours late.
 */
public final class DemoFeed {

    private static final Logger log = LoggerFactory.getLogger(DemoFeed.class);

    private DemoFeed() {
    }

    /**
     * Adds one blob per content type for every {@code blobInterval} slot of the last {@code history}.
     * Slots are multiples of the interval since the epoch, so populating twice gives the same blobs.
     */
    public static void populate(SimulatedTenant t, Clock clock, Duration history, Duration blobInterval) {
        Instant now = clock.instant();
        DemoBlobGenerator generator = new DemoBlobGenerator(t, blobInterval);
        Instant first = alignDown(now.minus(history), blobInterval);
        if (first.isBefore(now.minus(history))) {
            first = first.plus(blobInterval);
        }
        int count = 0;
        for (String contentType : ContentTypes.ALL) {
            for (Instant slot = first; !slot.isAfter(now); slot = slot.plus(blobInterval)) {
                t.addBlob(generator.next(contentType, slot, now));
                count++;
            }
        }
        log.info("Simulated tenant {}: {} demo blobs over the last {}", t.tenantId(), count, history);
    }

    /**
     * Adds a new blob per content type every {@code every}, on a daemon thread, until closed.
     * With a clock that does not move, each tick rewrites the same blobs.
     */
    public static AutoCloseable startTrickle(SimulatedTenant t, Clock clock, Duration every) {
        DemoBlobGenerator generator = new DemoBlobGenerator(t, every);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "o365-simulator-trickle-" + t.tenantId());
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleAtFixedRate(() -> {
            try {
                Instant now = clock.instant();
                Instant slot = alignDown(now, every);
                for (String contentType : ContentTypes.ALL) {
                    t.addBlob(generator.next(contentType, slot, now));
                }
            } catch (RuntimeException e) {
                log.warn("Demo trickle for tenant {} failed; it keeps running", t.tenantId(), e);
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return scheduler::shutdownNow;
    }

    /**
     * Adds the Power BI activity events and the audit rows of the Dataverse environment {@code contoso}
     * that happened in the last {@code history}, a few per hour. Each becomes visible 1 to 72 hours
     * after it happened, so some of them appear only later, with times hours or days in the past.
     */
    public static void populateDelayed(SimulatedTenant t, Clock clock, Duration history) {
        Instant now = clock.instant();
        int count = new DelayedDemoGenerator(t).addHistory(now.minus(history), now);
        log.info("Simulated tenant {}: {} Power BI events and Dataverse audit rows over the last {}, each visible"
                + " 1-72 h after it happened", t.tenantId(), count, history);
    }

    /**
     * Every {@code every}, on a daemon thread until closed: continues the delayed history up to now
     * (visible hours later) and adds one Power BI event and one audit row that happened 1 to 72 hours
     * ago and are visible at once, so that while the demo runs events keep appearing whose time lies
     * hours in the past. With a clock that does not move, ticks add nothing new.
     */
    public static AutoCloseable startDelayedTrickle(SimulatedTenant t, Clock clock, Duration every) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("trickle interval must be positive: " + every);
        }
        DelayedDemoGenerator generator = new DelayedDemoGenerator(t);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "o365-simulator-delayed-trickle-" + t.tenantId());
            thread.setDaemon(true);
            return thread;
        });
        Instant[] last = {clock.instant(), null}; // history added up to; last late tick (scheduler thread only)
        scheduler.scheduleAtFixedRate(() -> {
            try {
                Instant now = clock.instant();
                if (now.isAfter(last[0])) {
                    generator.addHistory(last[0], now);
                    last[0] = now;
                }
                Instant tick = alignDown(now, every);
                if (!tick.equals(last[1])) {
                    generator.addLate(tick);
                    last[1] = tick;
                }
            } catch (RuntimeException e) {
                log.warn("Delayed demo trickle for tenant {} failed; it keeps running", t.tenantId(), e);
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return scheduler::shutdownNow;
    }

    private static Instant alignDown(Instant t, Duration step) {
        long millis = step.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), millis) * millis);
    }
}
