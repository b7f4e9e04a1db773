package org.o365audit.collect;

import org.o365audit.api.ContentBlob;

/** What happened to one blob: records stored, already stored, set aside. Single-threaded per blob. */
public final class BlobStats {
    private final ContentBlob blob;
    private int stored;
    private int duplicates;
    private int quarantined;
    private boolean blobRejected;
    private String firstReason;

    public BlobStats(ContentBlob blob) {
        this.blob = blob;
    }

    public ContentBlob blob() {
        return blob;
    }

    public void stored() {
        stored++;
    }

    public void duplicate() {
        duplicates++;
    }

    public void quarantined(int n) {
        quarantined += n;
    }

    /** Keeps the first reason something was set aside, for the error line in the log. */
    public void reason(String reason) {
        if (firstReason == null) {
            firstReason = reason;
        }
    }

    public String firstReason() {
        return firstReason;
    }

    public void rejectBlob() {
        blobRejected = true;
    }

    public int storedCount() {
        return stored;
    }

    public int duplicateCount() {
        return duplicates;
    }

    public int quarantinedCount() {
        return quarantined;
    }

    public boolean blobRejected() {
        return blobRejected;
    }
}
