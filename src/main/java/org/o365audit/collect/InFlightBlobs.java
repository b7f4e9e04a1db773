package org.o365audit.collect;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The blobs of one poll being collected at once, at most o365.parallel-blobs: a blob takes a slot before it is
 * downloaded and frees it when it is done, and the listing hands out the next blob only when a slot is free, so a
 * window's listing is read no faster than its blobs are collected and memory holds at most that many blobs. Once the poll is stopping (throttled, its token refused) the listing
 * hands out no more, and the poll ends only after its blobs in flight have finished.
 */
public final class InFlightBlobs {
    private final int slots;
    private final Semaphore free;
    private volatile boolean stopping;

    public InFlightBlobs(int slots) {
        this.slots = slots;
        this.free = new Semaphore(slots);
    }

    /**
     * Waits until a slot is free, without taking it: the listing hands out its next blob only then. The blob takes
     * the slot itself once it runs ({@link #take()}); were the listing to take it, a split that ends early (and
     * drains the rest of its iterator without running those blobs) would wait for slots that nobody frees.
     */
    void awaitFree() {
        take();
        done();
    }

    /** Waits for a free slot and takes it; {@link #done()} frees it, whatever happens to the blob. */
    void take() {
        try {
            free.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a blob slot", e);
        }
    }

    void done() {
        free.release();
    }

    /** No further blob of this poll is started. */
    void stop() {
        stopping = true;
    }

    boolean stopping() {
        return stopping;
    }

    /** Waits until no blob of the poll is in flight, at most {@code patience}; false when some still are. */
    boolean awaitIdle(Duration patience) {
        try {
            if (free.tryAcquire(slots, patience.toMillis(), TimeUnit.MILLISECONDS)) {
                free.release(slots);
                return true;
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    int inFlight() {
        return slots - free.availablePermits();
    }
}
