package org.o365audit.ops;

import java.time.Instant;
import java.util.Map;
import org.o365audit.config.Tenant;
import org.o365audit.graph.AuditSearchRequests;
import org.o365audit.store.AuditSearchQueries;
import org.o365audit.store.AuditSearchQuery;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedOperationParameters;
import org.springframework.jmx.export.annotation.ManagedResource;

/**
 * o365audit:type=AuditSearch,tenant=&lt;tenant&gt;: asks Microsoft Graph's audit log query API (beta) for a tenant's
 * records of a time range (routes/audit-search.camel.yaml submits, waits and stores them), and its queries' progress.
 */
@ManagedResource(description = "Audit search beyond the Management API's 7 days (Graph audit log query, beta)")
public class AuditSearchMBean {
    private final Tenant tenant;
    private final AuditSearchRequests requests;
    private final AuditSearchQueries queries;

    AuditSearchMBean(Tenant tenant, AuditSearchRequests requests, AuditSearchQueries queries) {
        this.tenant = tenant;
        this.requests = requests;
        this.queries = queries;
    }

    @ManagedOperation(description = "Search the audit log for a time range; returns the query's id")
    @ManagedOperationParameters({
            @ManagedOperationParameter(name = "from", description = "start, ISO-8601 (2026-01-01T00:00:00Z)"),
            @ManagedOperationParameter(name = "to", description = "end (exclusive), ISO-8601"),
            @ManagedOperationParameter(name = "recordTypes", description = "comma list of Graph record types, or empty"),
            @ManagedOperationParameter(name = "services", description = "comma list of services (Exchange, SharePoint...), or empty"),
            @ManagedOperationParameter(name = "operations", description = "comma list of operations, or empty"),
            @ManagedOperationParameter(name = "users", description = "comma list of userPrincipalNames, or empty")})
    public String search(String from, String to, String recordTypes, String services, String operations, String users) {
        Instant f;
        Instant t;
        try {
            f = Instant.parse(from.trim());
            t = Instant.parse(to.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("from and to are ISO-8601 instants (2026-01-01T00:00:00Z): " + e.getMessage());
        }
        return requests.request(tenant.tenantId(), f, t, AuditSearchQuery.Filters.ofCommaLists(recordTypes, services,
                operations, users), GovernanceMBean.requestedBy());
    }

    @ManagedAttribute(description = "Queries not submitted yet")
    public long getQueriesPending() {
        return count(AuditSearchQuery.PENDING);
    }

    @ManagedAttribute(description = "Queries submitted and not finished, or whose records are being read")
    public long getQueriesRunning() {
        return count(AuditSearchQuery.NOT_STARTED) + count(AuditSearchQuery.RUNNING) + count(AuditSearchQuery.SUCCEEDED);
    }

    @ManagedAttribute(description = "Queries whose records are all stored (split ones included)")
    public long getQueriesSucceeded() {
        return count(AuditSearchQuery.STORED) + count(AuditSearchQuery.SPLIT);
    }

    @ManagedAttribute(description = "Queries Microsoft failed or cancelled, or that were refused (see their detail)")
    public long getQueriesFailed() {
        return count(AuditSearchQuery.FAILED) + count(AuditSearchQuery.CANCELLED);
    }

    @ManagedAttribute(description = "Records the audit search stored (new ones; those already stored not counted)")
    public long getRecordsStored() {
        return queries.recordsStored(tenant.tenantId());
    }

    @ManagedAttribute(description = "The latest queries: id, range, status, records stored, why")
    public String[] getQueries() {
        return queries.latest(tenant.tenantId(), 50).stream().map(q -> q.id() + " " + q.from() + ".." + q.to() + " "
                + q.status() + " " + q.recordsStored() + " record(s), " + q.reason()
                + (q.detail() == null ? "" : ": " + q.detail())).toArray(String[]::new);
    }

    private long count(String status) {
        Map<String, Long> counts = queries.counts(tenant.tenantId());
        return counts.getOrDefault(status, 0L);
    }
}
