package org.o365audit.ops;

import java.time.Instant;
import org.o365audit.collect.BackfillRequests;
import org.o365audit.collect.TenantRoutes;
import org.o365audit.collect.WindowPlanner;
import org.o365audit.config.Tenant;
import org.o365audit.store.Gaps;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedResource;

/** o365audit:type=Tenant,name=&lt;tenant&gt;: the tenant as a whole, and what an operator can do with it. */
@ManagedResource(description = "A Microsoft 365 tenant: pause, resume, backfill")
public class TenantMBean {
    private final Tenant tenant;
    private final TenantRoutes routes;
    private final CollectorStatus status;
    private final BackfillRequests backfills;
    private final WindowPlanner planner;
    private final Gaps gaps;

    TenantMBean(Tenant tenant, TenantRoutes routes, CollectorStatus status, BackfillRequests backfills,
                WindowPlanner planner, Gaps gaps) {
        this.gaps = gaps;
        this.tenant = tenant;
        this.routes = routes;
        this.status = status;
        this.backfills = backfills;
        this.planner = planner;
    }

    @ManagedAttribute(description = "The tenant's short name")
    public String getName() {
        return tenant.name();
    }

    @ManagedAttribute(description = "The tenant's GUID")
    public String getTenantId() {
        return tenant.tenantId();
    }

    @ManagedAttribute(description = "Microsoft cloud: enterprise, gcc, gcc-high, dod, china")
    public String getCloud() {
        return tenant.cloud().key();
    }

    @ManagedAttribute(description = "True while an operator has paused the tenant")
    public boolean isPaused() {
        return routes.isPaused(tenant);
    }

    @ManagedAttribute(description = "healthy, warning, error or paused: the worst of its content types and feeds")
    public String getStatus() {
        return TenantHealth.worst(status.of(tenant.tenantId()));
    }

    @ManagedAttribute(description = "Data that can no longer be collected (table gap), newest first: "
            + "content type or feed, window, blob (if one), reason")
    public String[] getGaps() {
        return gaps.of(tenant.tenantId()).stream().map(g -> g.feed() + " " + g.from() + ".." + g.to()
                + (g.contentId().isEmpty() ? "" : " blob " + g.contentId()) + ": " + g.reason()
                + (g.filled() ? " (filled " + g.filledAt() + " by " + g.filledBy() + ")" : "")).toArray(String[]::new);
    }

    @ManagedOperation(description = "Stop collecting this tenant (e.g. while its credentials are rotated); kept across restarts")
    public String pause() throws Exception {
        routes.pause(tenant);
        return "tenant " + tenant.name() + " paused";
    }

    @ManagedOperation(description = "Collect this tenant again")
    public String resume() throws Exception {
        routes.resume(tenant);
        return "tenant " + tenant.name() + " resumed";
    }

    @ManagedOperation(description = "Collect a window again: every blob listed in it that is not in the ledger yet. "
            + "Clamped to the last 7 days, which is what the API keeps. Progress: the ContentType MBean's Backfill* attributes.")
    @ManagedOperationParameter(name = "contentType", description = "e.g. Audit.Exchange")
    @ManagedOperationParameter(name = "from", description = "start, ISO-8601 UTC, e.g. 2026-11-24T00:00:00Z")
    @ManagedOperationParameter(name = "to", description = "end, ISO-8601 UTC")
    public String backfill(String contentType, String from, String to) {
        if (!tenant.contentTypes().contains(contentType)) {
            throw new IllegalArgumentException("tenant " + tenant.name() + " does not collect '" + contentType
                    + "' (it collects " + tenant.contentTypes() + ")");
        }
        Instant start = Instant.parse(from);
        Instant end = Instant.parse(to);
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("from must be before to");
        }
        var windows = planner.requested(start, end, Instant.now());
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("nothing of " + from + ".." + to + " is within the last 7 days");
        }
        Instant clampedFrom = windows.get(0).start();
        Instant clampedTo = windows.get(windows.size() - 1).end();
        backfills.request(tenant.tenantId(), contentType, clampedFrom, clampedTo);
        return "backfill of " + tenant.name() + " " + contentType + " " + clampedFrom + ".." + clampedTo + " ("
                + windows.size() + " window(s)) starts with the next poll";
    }
}
