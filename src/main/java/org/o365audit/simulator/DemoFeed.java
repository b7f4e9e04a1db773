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
 * Power BI and Dataverse APIs, a history and trickle of events that arrive hours late. The trickles
 * also forget what the APIs no longer serve, so a demo that runs for days keeps a rolling window:
 * blobs until a day after their content expired (seven days), delayed-feed events for the history.
 */
public final class DemoFeed {

    /** An expired blob still answers AF20051 for this long before it is forgotten (then AF20050). */
    static final Duration EXPIRED_KEPT = Duration.ofDays(1);
    /** How often the trickles look for what to forget: each look scans everything held. */
    private static final Duration FORGET_EVERY = Duration.ofHours(1);

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
     * Adds a new blob per content type every {@code every}, on a daemon thread, until closed, and forgets
     * blobs that expired over a day ago. With a clock that does not move, each tick rewrites the same blobs.
     */
    public static AutoCloseable startTrickle(SimulatedTenant t, Clock clock, Duration every) {
        return schedule(trickle(t, clock, every), every, "o365-simulator-trickle-" + t.tenantId());
    }

    /** One tick of {@link #startTrickle}. */
    static Runnable trickle(SimulatedTenant t, Clock clock, Duration every) {
        DemoBlobGenerator generator = new DemoBlobGenerator(t, every);
        Instant[] forgotten = {Instant.MIN}; // when the last look for expired blobs was (one thread only)
        return () -> {
            Instant now = clock.instant();
            Instant slot = alignDown(now, every);
            for (String contentType : ContentTypes.ALL) {
                t.addBlob(generator.next(contentType, slot, now));
            }
            if (!now.isBefore(forgotten[0].plus(FORGET_EVERY))) {
                t.forgetBlobsExpiredBefore(now.minus(EXPIRED_KEPT));
                forgotten[0] = now;
            }
        };
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
     * hours in the past. With a clock that does not move, ticks add nothing new. Events and rows that
     * happened more than {@code history} ago (at least four days, so that none goes before it is visible)
     * are forgotten.
     */
    public static AutoCloseable startDelayedTrickle(SimulatedTenant t, Clock clock, Duration every, Duration history) {
        return schedule(delayedTrickle(t, clock, every, history), every, "o365-simulator-delayed-trickle-" + t.tenantId());
    }

    /** One tick of {@link #startDelayedTrickle}. */
    static Runnable delayedTrickle(SimulatedTenant t, Clock clock, Duration every, Duration history) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("trickle interval must be positive: " + every);
        }
        Duration kept = history.compareTo(ReportingDelay.MAX.plusDays(1)) > 0 ? history : ReportingDelay.MAX.plusDays(1);
        DelayedDemoGenerator generator = new DelayedDemoGenerator(t);
        // history added up to; last late tick; last look for what to forget (one thread only)
        Instant[] last = {clock.instant(), null, Instant.MIN};
        return () -> {
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
            if (!now.isBefore(last[2].plus(FORGET_EVERY))) {
                t.powerBi().forgetEventsBefore(now.minus(kept));
                t.dataverse(DelayedDemoGenerator.ENVIRONMENT).forgetAuditsBefore(now.minus(kept));
                last[2] = now;
            }
        };
    }

    static AutoCloseable schedule(Runnable tick, Duration every, String threadName) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleAtFixedRate(() -> {
            try {
                tick.run();
            } catch (RuntimeException e) {
                log.warn("{} failed; it keeps running", threadName, e);
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return scheduler::shutdownNow;
    }

    private static Instant alignDown(Instant t, Duration step) {
        long millis = step.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), millis) * millis);
    }
}
