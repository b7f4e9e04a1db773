package org.o365audit.collect;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The blobs of one poll being collected at once, at most o365.parallel-blobs: the listing hands out the next blob
 * only when one of the poll's slots is free, so a window's listing is read no faster than its blobs are collected
 * and memory holds at most that many blobs. Once the poll is stopping (throttled, its token refused) the listing
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

    /** Waits for a free slot; the caller frees it with {@link #done()} whatever happens to the blob. */
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
