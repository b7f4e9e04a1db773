package org.o365audit.graph;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.o365audit.config.Tenant;
import org.o365audit.store.AuditSearchQueries;
import org.o365audit.store.AuditSearchQuery;
import org.springframework.stereotype.Component;

/**
 * The audit search's progress as metrics: {@code o365.audit.search.queries{tenant,status}} (queries in each status,
 * counted again at each run) and {@code o365.audit.search.records{tenant}} (records newly stored, a counter).
 */
@Component
public class AuditSearchProgress {
    private final AuditSearchQueries queries;
    private final MeterRegistry meters;
    private final Map<String, Map<String, Long>> counts = new ConcurrentHashMap<>();

    public AuditSearchProgress(AuditSearchQueries queries, MeterRegistry meters) {
        this.queries = queries;
        this.meters = meters;
    }

    /** Counts the tenant's queries by status again; registers the tenant's gauges the first time. */
    public Map<String, Long> refresh(Tenant tenant) {
        Map<String, Long> now = queries.counts(tenant.tenantId());
        Map<String, Long> held = counts.computeIfAbsent(tenant.tenantId(), k -> {
            Map<String, Long> m = new ConcurrentHashMap<>();
            for (String status : AuditSearchQuery.STATUSES) {
                m.put(status, 0L);
                Gauge.builder("o365.audit.search.queries", m, x -> x.getOrDefault(status, 0L))
                        .description("Audit search queries (Graph audit log query API) in each status")
                        .tags("tenant", tenant.name(), "status", status).register(meters);
            }
            return m;
        });
        held.putAll(now);
        return now;
    }

    public void stored(Tenant tenant, int records) {
        Counter.builder("o365.audit.search.records").description("Records stored by the audit search, new ones only")
                .tags("tenant", tenant.name()).register(meters).increment(records);
    }
}
