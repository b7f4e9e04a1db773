package org.o365audit.collect;

import org.o365audit.record.BlobStats;

/**
 * Counters of the running poll of one tenant and content type: the current window and the whole poll. The blobs
 * of a window are collected on several threads at once, so every access is synchronized.
 */
public final class PollStats {
    private final Counts window = new Counts();
    private final Counts poll = new Counts();
    private int windows;
    /** A blob of this poll failed: the cursor stays before its window for the rest of the poll. */
    private boolean cursorHeld;
    final long startedNanos = System.nanoTime();
    final InFlightBlobs inFlight;

    public PollStats() {
        this(1);
    }

    /** {@code parallelBlobs}: how many of the poll's blobs are collected at once (o365.parallel-blobs). */
    public PollStats(int parallelBlobs) {
        this.inFlight = new InFlightBlobs(parallelBlobs);
    }

    public synchronized void listed(int n) {
        window.listed += n;
        poll.listed += n;
    }

    public synchronized void add(BlobStats b) {
        for (Counts c : new Counts[] {window, poll}) {
            c.collected++;
            c.stored += b.storedCount();
            c.duplicates += b.duplicateCount();
            c.quarantined += b.quarantinedCount();
        }
    }

    public synchronized void blobFailed() {
        cursorHeld = true;
    }

    synchronized boolean cursorHeld() {
        return cursorHeld;
    }

    synchronized Counts closeWindow() {
        windows++;
        Counts done = window.copy();
        window.reset();
        return done;
    }

    synchronized String summary() {
        return windows + " window(s), " + poll;
    }

    static final class Counts {
        int listed;
        int collected;
        int stored;
        int duplicates;
        int quarantined;

        Counts copy() {
            Counts c = new Counts();
            c.listed = listed;
            c.collected = collected;
            c.stored = stored;
            c.duplicates = duplicates;
            c.quarantined = quarantined;
            return c;
        }

        void reset() {
            listed = 0;
            collected = 0;
            stored = 0;
            duplicates = 0;
            quarantined = 0;
        }

        @Override
        public String toString() {
            return listed + " blob(s) listed, " + collected + " new: " + stored + " record(s) stored, " + duplicates
                    + " already stored, " + quarantined + " quarantined";
        }
    }
}
