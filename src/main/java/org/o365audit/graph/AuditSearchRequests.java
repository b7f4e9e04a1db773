package org.o365audit.graph;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Header;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.config.ContentType;
import org.o365audit.config.Tenant;
import org.o365audit.record.Headers;
import org.o365audit.store.AuditSearchQueries;
import org.o365audit.store.AuditSearchQuery;
import org.o365audit.store.Gaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where audit search queries come from: an operator's request (JMX, REST), and the windows lost to downtime (table
 * gap) of a tenant with audit search on, each asked for once. Overlapping gaps (the content types of one outage) are
 * asked for in one query over their whole span, without filters: the outage lost every record of that time.
 */
@Component("auditSearchRequests")
public class AuditSearchRequests {
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.graph");

    private final TenantRegistry tenants;
    private final AuditSearchQueries queries;
    private final Gaps gaps;
    private final TransactionTemplate tx;
    private final Clock clock;

    public AuditSearchRequests(TenantRegistry tenants, AuditSearchQueries queries, Gaps gaps,
            PlatformTransactionManager txManager, Clock clock) {
        this.tenants = tenants;
        this.queries = queries;
        this.gaps = gaps;
        this.tx = new TransactionTemplate(txManager);
        this.clock = clock;
    }

    /** An operator's request: a pending query of the tenant (by name or id); returns its id. */
    public String request(String tenantNameOrId, Instant from, Instant to, AuditSearchQuery.Filters filters,
            String requestedBy) {
        Tenant tenant = find(tenantNameOrId);
        if (tenant == null) {
            throw new IllegalArgumentException("no tenant '" + tenantNameOrId + "' is configured (o365.tenants[i].name"
                    + " or tenant-id)");
        }
        if (!tenant.auditSearch()) {
            throw new IllegalArgumentException("tenant " + tenant.name() + ": audit search is off (set"
                    + " o365.tenants[i].audit-search: true and grant AuditLogsQuery.Read.All)");
        }
        if (from == null || to == null || !from.isBefore(to)) {
            throw new IllegalArgumentException("tenant " + tenant.name() + ": the range needs from before to (ISO-8601,"
                    + " e.g. 2026-01-01T00:00:00Z), got " + from + ".." + to);
        }
        String id = queries.create(tenant.tenantId(), from, to, filters == null ? AuditSearchQuery.Filters.NONE : filters,
                "requested by " + requestedBy, null, clock.instant());
        LOG.info("tenant {} search: query {} for {}..{} requested by {}", tenant.name(), id, from, to, requestedBy);
        return id;
    }

    /** The tenant's configured entry, by name or tenant id; null when there is none. */
    public Tenant find(String tenantNameOrId) {
        return tenants.all().stream().filter(t -> t.name().equals(tenantNameOrId) || t.tenantId().equals(tenantNameOrId))
                .findFirst().orElse(null);
    }

    /** Route step: one pending query for each span of the tenant's gaps not asked for yet. */
    public void fromGaps(@Header(Headers.TENANT_ID) String tenantId) {
        Tenant tenant = tenants.get(tenantId);
        List<Gaps.Gap> open = gaps.unsearchedWindows(tenantId, ContentType.ALL);
        for (List<Gaps.Gap> span : spans(open)) {
            Instant from = span.get(0).from().truncatedTo(ChronoUnit.SECONDS);
            Instant to = span.stream().map(Gaps.Gap::to).max(Instant::compareTo).orElseThrow();
            tx.executeWithoutResult(s -> {
                String id = queries.create(tenantId, from, to, AuditSearchQuery.Filters.NONE,
                        "gap " + span.stream().map(g -> String.valueOf(g.gid())).toList(), null, clock.instant());
                span.forEach(g -> gaps.searchedBy(g.gid(), id));
                LOG.info("tenant {} search: query {} asks for the records of gap(s) {} ({}..{}), lost to downtime",
                        tenant.name(), id, span.stream().map(g -> g.feed() + " #" + g.gid()).toList(), from, to);
            });
        }
    }

    /** The gaps grouped into spans of overlapping (or touching) windows; they come ordered by their start. */
    static List<List<Gaps.Gap>> spans(List<Gaps.Gap> ordered) {
        List<List<Gaps.Gap>> spans = new ArrayList<>();
        Instant end = null;
        for (Gaps.Gap g : ordered) {
            if (end == null || g.from().isAfter(end)) {
                spans.add(new ArrayList<>());
                end = g.to();
            }
            spans.get(spans.size() - 1).add(g);
            end = g.to().isAfter(end) ? g.to() : end;
        }
        return spans;
    }
}
