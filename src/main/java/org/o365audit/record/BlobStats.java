package org.o365audit.record;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.o365audit.api.ContentBlob;

/** What happened to one blob: records stored, already stored, set aside. Single-threaded per blob. */
public final class BlobStats {
    private final ContentBlob blob;
    private int stored;
    private int duplicates;
    private int quarantined;
    private int filtered;
    private boolean blobRejected;
    private String firstReason;
    private final Map<String, Integer> storedByApp = new TreeMap<>();
    private Instant newestEvent;

    public BlobStats(ContentBlob blob) {
        this.blob = blob;
    }

    public ContentBlob blob() {
        return blob;
    }

    /** A new record was stored: counted per app, and its time kept when it is the newest so far. */
    public void stored(AuditEvent e) {
        stored++;
        storedByApp.merge(e.app(), 1, Integer::sum);
        if (e.creationTime() != null && (newestEvent == null || e.creationTime().isAfter(newestEvent))) {
            newestEvent = e.creationTime();
        }
    }

    public Map<String, Integer> storedByApp() {
        return storedByApp;
    }

    /** CreationTime of the newest record stored (null when none had one). */
    public Instant newestEvent() {
        return newestEvent;
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

    /** Records left out on purpose (a tenant's sign-in option), never stored nor quarantined. */
    public void filtered(int n) {
        filtered += n;
    }

    public int filteredCount() {
        return filtered;
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
