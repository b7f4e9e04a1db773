package org.o365audit.collect;

import org.o365audit.record.BlobStats;

/** Counters of the running poll of one tenant and content type: the current window and the whole poll. */
public final class PollStats {
    final Counts window = new Counts();
    final Counts poll = new Counts();
    int windows;
    /** A blob of this poll failed: the cursor stays before its window for the rest of the poll. */
    boolean cursorHeld;
    final long startedNanos = System.nanoTime();

    public void listed(int n) {
        window.listed += n;
        poll.listed += n;
    }

    public void add(BlobStats b) {
        for (Counts c : new Counts[] {window, poll}) {
            c.collected++;
            c.stored += b.storedCount();
            c.duplicates += b.duplicateCount();
            c.quarantined += b.quarantinedCount();
        }
    }

    public void blobFailed() {
        cursorHeld = true;
    }

    Counts closeWindow() {
        windows++;
        Counts done = window.copy();
        window.reset();
        return done;
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
