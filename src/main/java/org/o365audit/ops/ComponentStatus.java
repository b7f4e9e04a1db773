package org.o365audit.ops;

import java.time.Duration;
import java.time.Instant;

/**
 * How one collecting component of a tenant is doing: a content type of the Management Activity API or a
 * delayed feed (Power BI, a Dataverse environment). Written by the poll's steps, read by JMX, the health
 * indicators, the status page and the metrics.
 */
public final class ComponentStatus {
    public enum State { STARTING, RUNNING, PAUSED, BACKING_OFF, ERROR }

    private final String tenantId;
    private final String tenantName;
    private final String kind;
    private final String name;
    private volatile State state = State.STARTING;
    private volatile String errorCode;
    private volatile String message = "";
    private volatile Instant lastAttempt;
    private volatile Instant lastSuccess;
    private volatile Instant newestEvent;
    private volatile Instant cursor;
    private volatile Instant settledUntil;
    private volatile long blobs;
    private volatile long records;
    private volatile long quarantined;
    private volatile long throttled;
    private volatile int consecutiveFailures;
    private volatile Backfill backfill;
    private volatile String summary = "";
    private volatile String permissions;

    ComponentStatus(String tenantId, String tenantName, String kind, String name) {
        this.tenantId = tenantId;
        this.tenantName = tenantName;
        this.kind = kind;
        this.name = name;
    }

    synchronized void attempt(Instant now) {
        lastAttempt = now;
    }

    synchronized void succeeded(Instant now) {
        lastSuccess = now;
        consecutiveFailures = 0;
        errorCode = null;
        message = "";
        if (state != State.PAUSED) {
            state = State.RUNNING;
        }
    }

    synchronized void failed(State newState, String code, String advice) {
        consecutiveFailures++;
        errorCode = code;
        message = advice;
        if (state != State.PAUSED) {
            state = newState;
        }
    }

    synchronized void collected(long blobCount, long recordCount, long quarantinedCount, Instant newest) {
        blobs += blobCount;
        records += recordCount;
        quarantined += quarantinedCount;
        if (newest != null && (newestEvent == null || newest.isAfter(newestEvent))) {
            newestEvent = newest;
        }
    }

    void throttled() {
        throttled++;
    }

    void cursor(Instant c) {
        cursor = c;
    }

    /** The cursor as stored, at start. */
    public void cursorFrom(Instant c) {
        if (c != null) {
            cursor = c;
        }
    }

    void settledUntil(Instant s) {
        settledUntil = s;
    }

    void newestEvent(Instant n) {
        if (n != null && (newestEvent == null || n.isAfter(newestEvent))) {
            newestEvent = n;
        }
    }

    synchronized void paused(boolean paused) {
        state = paused ? State.PAUSED : State.STARTING;
        if (paused) {
            message = "Paused by an operator: nothing is collected until it is resumed.";
        } else {
            message = "";
        }
    }

    void backfill(Backfill b) {
        backfill = b;
    }

    /** healthy, warning, error or paused: what the page and readiness show. */
    public String status() {
        return switch (state) {
            case PAUSED -> "paused";
            case ERROR -> "error";
            case BACKING_OFF -> "warning";
            case STARTING, RUNNING -> "healthy";
        };
    }

    public Long lagSeconds(Instant now) {
        return newestEvent == null ? null : Math.max(0, Duration.between(newestEvent, now).toSeconds());
    }

    public String tenantId() { return tenantId; }
    public String tenantName() { return tenantName; }
    public String kind() { return kind; }
    public String name() { return name; }
    public State state() { return state; }
    public String errorCode() { return errorCode; }
    public String message() { return message; }
    public Instant lastAttempt() { return lastAttempt; }
    public Instant lastSuccess() { return lastSuccess; }
    public Instant newestEvent() { return newestEvent; }
    public Instant cursor() { return cursor; }
    public Instant settledUntil() { return settledUntil; }
    public long blobs() { return blobs; }
    public long records() { return records; }
    public long quarantined() { return quarantined; }
    public long throttledCount() { return throttled; }
    public int consecutiveFailures() { return consecutiveFailures; }
    public Backfill backfill() { return backfill; }
    /** What a Graph component holds now, in words; "" for the others. */
    public String summary() { return summary; }
    /** The application permissions a Graph component needs; null for the others. */
    public String permissions() { return permissions; }

    void summary(String s) {
        summary = s == null ? "" : s;
    }

    void permissions(String p) {
        permissions = p;
    }

    /** A catch-up in progress: windows of one poll done out of planned, and when it should be done. */
    public record Backfill(int windowsDone, int windowsTotal, Instant startedAt, Instant eta) {
        public double percent() {
            return windowsTotal == 0 ? 100.0 : Math.round(1000.0 * windowsDone / windowsTotal) / 10.0;
        }
    }
}
