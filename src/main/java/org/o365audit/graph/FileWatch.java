package org.o365audit.graph;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * The last step of a files run: in one transaction the files read (file_item: saved, or marked deleted), the events
 * of their sharing changes ({@link FileSharingChange}, stored in audit_event as source graph-files so that every
 * sink delivers them) and the tenant's file_cursor. A run killed before the commit leaves nothing, and the next one
 * reads the same activities again; one that finds the cursor moved since it started (another node ran meanwhile)
 * applies nothing.
 */
@Component("fileWatch")
public class FileWatch {
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.graph");

    private final TenantRegistry tenants;
    private final FileItems items;
    private final Enricher enricher;
    private final AuditEventStore store;
    private final CollectorEvents status;
    private final TransactionTemplate tx;
    private final Clock clock;

    public FileWatch(TenantRegistry tenants, FileItems items, Enricher enricher, AuditEventStore store,
            CollectorEvents status, PlatformTransactionManager txManager, Clock clock) {
        this.tenants = tenants;
        this.items = items;
        this.enricher = enricher;
        this.store = store;
        this.status = status;
        this.tx = new TransactionTemplate(txManager);
        this.clock = clock;
    }

    public void apply(@Header(Headers.COMPONENT) String component, FileWork work) {
        Tenant tenant = tenants.get(work.tenantId());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        BlobStats stats = tx.execute(s -> applyInTransaction(tenant, work, now));
        if (stats != null) {
            status.collected(tenant.tenantId(), component, stats, false);
        }
        int[] counts = items.counts(tenant.tenantId());
        status.summary(tenant.tenantId(), component, String.format("%,d files watched (%,d public, %,d external)",
                counts[0], counts[1], counts[2]));
        status.succeeded(tenant.tenantId(), component);
    }

    private BlobStats applyInTransaction(Tenant tenant, FileWork work, Instant now) {
        String tenantId = tenant.tenantId();
        if (!Arrays.equals(items.cursor(tenantId, true), work.from())) {
            LOG.info("tenant {} files: another run applied these activities meanwhile; nothing applied", tenant.name());
            return null;
        }
        List<RecordBatch.RawRecord> events = new ArrayList<>();
        for (FileRead read : work.reads()) {
            if (read.state() == null) {
                if (read.known() != null && !read.known().deleted()) {
                    items.deleted(tenantId, read.known(), read.cause(), now);
                }
                continue;
            }
            FileState file = read.state();
            // the row as it is now: a file named twice in one run (its URL and a re-read) is compared with its last save
            StoredFile before = items.find(tenantId, file.driveId(), file.itemId()).orElse(null);
            SharingLevel was = before == null || before.deleted() ? null : before.level();
            String operation = FileSharingChange.operation(was, file.sharing().level());
            String siteUrl = read.cause() != null && read.cause().siteUrl() != null ? read.cause().siteUrl()
                    : before == null ? null : before.siteUrl();
            if (operation != null) {
                String cause = read.cause() != null ? read.cause().recordId()
                        : "refresh@" + (before == null || before.checkedAt() == null ? 0 : before.checkedAt().toEpochMilli());
                var record = new FileSharingChange(operation, was, file, siteUrl, cause, read.cause()).record(tenantId, now);
                events.add(RecordBatch.RawRecord.of(record.toString(), record));
            }
            items.save(tenantId, file, siteUrl, read.cause(), before != null, now);
        }
        items.moveCursor(tenantId, work.to(), now);
        if (work.activities() > 0 || !work.reads().isEmpty()) {
            LOG.info("tenant {} files: {} activit(ies) ({} skipped), {} file(s) read, {} event(s)", tenant.name(),
                    work.activities(), work.skippedRecords(), work.reads().size(), events.size());
        }
        return events.isEmpty() ? null : storeEvents(tenant, events, now);
    }

    private BlobStats storeEvents(Tenant tenant, List<RecordBatch.RawRecord> records, Instant now) {
        ContentBlob slice = new ContentBlob(FeedSources.GRAPH_FILES_CONTENT, "graph-files@" + now, null, null, null);
        BlobStats stats = new BlobStats(slice);
        EnrichedBatch batch = enricher.enrich(new RecordBatch(new BlobContent(tenant, slice, null, null, stats),
                records, List.of()));
        store.store(batch);
        LOG.info("tenant {} files: {} event(s) stored, {} already stored before", tenant.name(), stats.storedCount(),
                stats.duplicateCount());
        return stats;
    }
}
