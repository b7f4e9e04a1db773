package org.o365audit.graph;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Header;
import org.o365audit.api.ContentBlob;
import org.o365audit.collect.CollectorEvents;
import org.o365audit.collect.Enricher;
import org.o365audit.collect.FeedSources;
import org.o365audit.collect.RecordBatch;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.config.Tenant;
import org.o365audit.record.BlobContent;
import org.o365audit.record.BlobStats;
import org.o365audit.record.EnrichedBatch;
import org.o365audit.record.Headers;
import org.o365audit.store.AuditEventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies one whole read of a tenant's third-party apps (routes/app-inventory.camel.yaml): in one transaction the
 * inventory (app_principal: seen, changed, removed) and the events of what changed, stored in audit_event as records
 * of their own source (graph-apps) so that every sink delivers them like audit records. A tenant's first inventory is
 * its baseline and reports nothing (see V11__app_inventory.sql); from then on {@link AppChange} decides.
 */
@Component("appInventory")
public class AppInventory {
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.graph");

    private final TenantRegistry tenants;
    private final AppPrincipals principals;
    private final Enricher enricher;
    private final AuditEventStore store;
    private final CollectorEvents status;
    private final TransactionTemplate tx;
    private final Clock clock;

    public AppInventory(TenantRegistry tenants, AppPrincipals principals, Enricher enricher, AuditEventStore store,
            CollectorEvents status, PlatformTransactionManager txManager, Clock clock) {
        this.tenants = tenants;
        this.principals = principals;
        this.enricher = enricher;
        this.store = store;
        this.status = status;
        this.tx = new TransactionTemplate(txManager);
        this.clock = clock;
    }

    public void apply(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.COMPONENT) String component,
            List<ThirdPartyApp> apps) {
        Tenant tenant = tenants.get(tenantId);
        // stored to the millisecond on both databases, so an event's Id made from it is the same after a reread
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        BlobStats stats = tx.execute(s -> applyInTransaction(tenant, apps, now));
        int unverified = (int) apps.stream().filter(a -> !a.verified()).count();
        int grants = apps.stream().mapToInt(a -> a.permissions().size()).sum();
        if (stats != null) {
            status.collected(tenantId, component, stats, false);
        }
        status.summary(tenantId, component, String.format("%,d apps (%,d unverified publishers), %,d grants", apps.size(),
                unverified, grants));
        status.succeeded(tenantId, component);
    }

    private BlobStats applyInTransaction(Tenant tenant, List<ThirdPartyApp> apps, Instant now) {
        String tenantId = tenant.tenantId();
        boolean baseline = !principals.baselineTaken(tenantId);
        Map<String, AppPrincipals.Stored> stored = principals.of(tenantId);
        List<RecordBatch.RawRecord> events = new ArrayList<>();
        Set<String> present = new HashSet<>();
        for (ThirdPartyApp app : apps) {
            present.add(app.id());
            AppPrincipals.Stored before = stored.get(app.id());
            AppChange change = baseline ? null : AppChange.of(app, before);
            if (change != null) {
                var record = change.record(tenantId, now, before == null ? now : before.firstSeen());
                events.add(RecordBatch.RawRecord.of(record.toString(), record));
            }
            principals.seen(tenantId, app, now, permissionsChangedAt(before, app, now), before != null);
        }
        List<String> gone = stored.values().stream().filter(s -> s.removedAt() == null && !present.contains(s.id()))
                .map(AppPrincipals.Stored::id).toList();
        principals.removed(tenantId, gone, now);
        principals.ran(tenantId, now, apps.size(), apps.stream().mapToInt(a -> a.permissions().size()).sum());
        if (baseline) {
            LOG.info("tenant {} apps: baseline of {} third-party app(s) recorded; access granted from now on is reported"
                    + " as events", tenant.name(), apps.size());
        }
        if (!gone.isEmpty()) {
            LOG.info("tenant {} apps: {} app(s) no longer in the tenant", tenant.name(), gone.size());
        }
        return events.isEmpty() ? null : storeEvents(tenant, events, now);
    }

    private static Instant permissionsChangedAt(AppPrincipals.Stored before, ThirdPartyApp app, Instant now) {
        if (before == null || before.removedAt() != null || !before.permissions().equals(app.permissions())) {
            return now;
        }
        return before.permissionsChangedAt() == null ? before.firstSeen() : before.permissionsChangedAt();
    }

    private BlobStats storeEvents(Tenant tenant, List<RecordBatch.RawRecord> records, Instant now) {
        ContentBlob slice = new ContentBlob(FeedSources.GRAPH_APPS_CONTENT, "graph-apps@" + now, null, null, null);
        BlobStats stats = new BlobStats(slice);
        EnrichedBatch batch = enricher.enrich(new RecordBatch(new BlobContent(tenant, slice, null, null, stats),
                records, List.of()));
        store.store(batch);
        LOG.info("tenant {} apps: {} event(s) stored, {} already stored before", tenant.name(), stats.storedCount(),
                stats.duplicateCount());
        return stats;
    }
}
