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
 * content types built from the corpus, and optionally a live trickle of new blobs.
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

    private static Instant alignDown(Instant t, Duration step) {
        long millis = step.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), millis) * millis);
    }
}
