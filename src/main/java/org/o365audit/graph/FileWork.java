package org.o365audit.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of a tenant's files component: the activities it took from the audit feed (the latest per file URL, so a
 * file touched many times is read once), the known files due for a re-read, the cursor it started from and the one
 * it leaves, and what Graph showed ({@link #reads}, filled by {@link FileReads}).
 */
public final class FileWork {
    private final String tenantId;
    private final long[] from;
    private final long[] to;
    private final Map<String, FileActivity> latest = new LinkedHashMap<>();
    private final List<StoredFile> stale;
    private final List<FileRead> reads = new ArrayList<>();
    private int activities;
    private int skipped;

    public FileWork(String tenantId, long[] from, long[] to, List<StoredFile> stale) {
        this.tenantId = tenantId;
        this.from = from;
        this.to = to;
        this.stale = stale;
    }

    void add(FileActivity a) {
        latest.put(FileActivity.urlKey(a.fileUrl()), a);
        activities++;
    }

    void skipped() {
        skipped++;
    }

    public String tenantId() {
        return tenantId;
    }

    public long[] from() {
        return from;
    }

    public long[] to() {
        return to;
    }

    public Map<String, FileActivity> latestByUrl() {
        return latest;
    }

    public List<StoredFile> stale() {
        return stale;
    }

    public List<FileRead> reads() {
        return reads;
    }

    public int activities() {
        return activities;
    }

    public int skippedRecords() {
        return skipped;
    }
}
