package org.o365audit.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Dataverse (Dynamics 365) environment of a tenant, as its Web API shows the {@code audits} table
 * under {@link #url()}. Thread-safe; tests change it while the collector polls.
 */
public final class DataverseEnvironment {

    /** {@code Prefer: odata.maxpagesize} default and maximum. */
    static final int MAX_PAGE_SIZE = 5000;

    private final SimulatedTenant owner;
    private final String name;
    private final String url;
    private final Map<String, DataverseAudit> rows = new ConcurrentHashMap<>();
    private final ThrottleQueue throttles = new ThrottleQueue();
    private final SkipTokens skipTokens = new SkipTokens();
    private final RequestLog requests = new RequestLog();

    DataverseEnvironment(SimulatedTenant owner, String name, String baseUrl) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.name = name;
        this.url = baseUrl + "/dataverse/" + name;
    }

    public String name() {
        return name;
    }

    /** The environment URL ({@code https://contoso.crm.dynamics.com} in real life); the Web API is below it. */
    public String url() {
        return url;
    }

    /**
     * Adds an audit row (at least {@code auditid} and {@code createdon}, e.g. {@code 2026-11-24T10:00:00Z}),
     * returned as given from {@code visibleFrom} on. A row with the same auditid is replaced: it is the
     * table's primary key.
     */
    public void addAudit(String auditRowJson, Instant visibleFrom) {
        DataverseAudit row = DataverseAudit.parse(auditRowJson, visibleFrom);
        rows.put(row.auditId(), row);
    }

    /** Drops the rows created before {@code cutoff}, as the environment's audit retention does; the demo keeps a rolling window. */
    public void forgetAuditsBefore(Instant cutoff) {
        rows.values().removeIf(r -> r.createdOn().isBefore(cutoff));
    }

    /** The next {@code count} calls get 429 with this Retry-After and the service-protection body. */
    public void throttleNext(int count, Duration retryAfter) {
        throttles.add(count, ThrottleStyle.HTTP_429, retryAfter);
    }

    /** The calls to this environment's Web API, in order (not in the tenant's {@code requests()}); the most recent ones. */
    public List<RecordedRequest> requests() {
        return requests.snapshot();
    }

    // --- used by the HTTP handler ---

    /** Rows with {@code from <= createdon < to} visible at {@code now}, in {@link DataverseAudit#ORDER}. */
    List<DataverseAudit> listable(Instant from, Instant to, Instant now) {
        return rows.values().stream()
                .filter(r -> !r.createdOn().isBefore(from) && r.createdOn().isBefore(to))
                .filter(r -> !r.visibleFrom().isAfter(now))
                .sorted(DataverseAudit.ORDER)
                .toList();
    }

    /** All rows, visible or not, in table order; for tests of the demo feed. */
    List<DataverseAudit> rows() {
        return rows.values().stream().sorted(DataverseAudit.ORDER).toList();
    }

    SimulatedTenant owner() {
        return owner;
    }

    Clock clock() {
        return owner.clock();
    }

    ThrottleQueue throttles() {
        return throttles;
    }

    SkipTokens skipTokens() {
        return skipTokens;
    }

    void record(RecordedRequest request) {
        requests.add(request);
    }
}
