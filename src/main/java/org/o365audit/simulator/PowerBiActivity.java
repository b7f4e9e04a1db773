package org.o365audit.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One tenant's Power BI activity log as the admin API ({@code GET /v1.0/myorg/admin/activityevents})
 * shows it: the events, when each becomes visible, the paging and the 200-requests-per-hour budget.
 * Thread-safe; tests change it while the collector polls.
 */
public final class PowerBiActivity {

    static final int DEFAULT_PAGE_SIZE = 5000;
    static final int DEFAULT_HOURLY_LIMIT = 200;

    private final Clock clock;
    private final List<PowerBiEvent> events = new ArrayList<>(); // guarded by this
    private final HourlyBudget budget = new HourlyBudget();
    private final ThrottleQueue throttles = new ThrottleQueue();
    private final ContinuationBook continuations = new ContinuationBook();
    private final RequestLog requests = new RequestLog();
    private volatile int pageSize = DEFAULT_PAGE_SIZE;
    private volatile int emptyPageEvery;
    private volatile int hourlyLimit = DEFAULT_HOURLY_LIMIT;

    PowerBiActivity(Clock clock) {
        this.clock = clock;
    }

    /**
     * Adds an event: a JSON object with at least {@code Id} and {@code CreationTime}
     * ({@code yyyy-MM-dd'T'HH:mm:ss}, UTC, no zone, as the API writes it), returned as given from
     * {@code visibleFrom} on. An event added twice is listed twice.
     */
    public void addEvent(String eventJson, Instant visibleFrom) {
        PowerBiEvent event = PowerBiEvent.parse(eventJson, visibleFrom);
        synchronized (this) {
            events.add(event);
        }
    }

    /** Drops the events that happened before {@code cutoff} (the API serves 28 days); the demo keeps a rolling window. */
    public synchronized void forgetEventsBefore(Instant cutoff) {
        events.removeIf(e -> e.creationTime().isBefore(cutoff));
    }

    /** Events per page; default 5000. */
    public void pageSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("page size must be positive: " + n);
        }
        pageSize = n;
    }

    /** Every n-th page of a listing is empty but carries a continuation token; 0 (default) = never. */
    public void emptyPageEvery(int n) {
        if (n != 0 && n < 2) {
            throw new IllegalArgumentException("emptyPageEvery must be 0 (never) or at least 2: " + n);
        }
        emptyPageEvery = n;
    }

    /** Requests per sliding hour before 429; default 200, the documented limit. */
    public void hourlyLimit(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("hourly limit must be positive: " + n);
        }
        hourlyLimit = n;
    }

    /** The next {@code count} calls get 429 TooManyRequests with this Retry-After. */
    public void throttleNext(int count, Duration retryAfter) {
        throttles.add(count, ThrottleStyle.HTTP_429, retryAfter);
    }

    /** Power BI requests counted against the budget in the last hour, by the simulator clock. */
    public int requestsInLastHour() {
        return budget.count(clock.instant());
    }

    /** The Power BI calls of this tenant, in order (not in the tenant's {@code requests()}); the most recent ones. */
    public List<RecordedRequest> requests() {
        return requests.snapshot();
    }

    // --- used by the HTTP handler ---

    /** The events with {@code start <= CreationTime <= end} visible at {@code now}, in listing order. */
    synchronized List<PowerBiEvent> listable(Instant start, Instant end, Instant now) {
        return events.stream()
                .filter(e -> !e.creationTime().isBefore(start) && !e.creationTime().isAfter(end))
                .filter(e -> !e.visibleFrom().isAfter(now))
                .sorted(PowerBiEvent.LISTING_ORDER)
                .toList();
    }

    /** All events, visible or not, in the order added; for tests of the demo feed. */
    synchronized List<PowerBiEvent> events() {
        return List.copyOf(events);
    }

    Clock clock() {
        return clock;
    }

    int pageSize() {
        return pageSize;
    }

    int emptyPageEvery() {
        return emptyPageEvery;
    }

    int hourlyLimit() {
        return hourlyLimit;
    }

    HourlyBudget budget() {
        return budget;
    }

    ThrottleQueue throttles() {
        return throttles;
    }

    ContinuationBook continuations() {
        return continuations;
    }

    void record(RecordedRequest request) {
        requests.add(request);
    }
}
