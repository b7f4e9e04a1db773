package org.o365audit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.o365audit.api.ContentBlob;
import org.o365audit.collect.Enricher;
import org.o365audit.collect.FeedSources;
import org.o365audit.collect.RecordBatch;
import org.o365audit.config.Tenant;
import org.o365audit.record.BlobContent;
import org.o365audit.record.BlobDefect;
import org.o365audit.record.BlobStats;
import org.o365audit.record.EnrichedBatch;
import org.o365audit.record.Texts;
import org.o365audit.store.AuditEventStore;
import org.o365audit.store.AuditSearchQuery;
import org.springframework.stereotype.Component;

/**
 * Stores one page of an audit search query's records. Each record's {@code auditData} is the Management Activity
 * API's record itself, with the same {@code Id}: it goes through the same enrichment and the same once-only insert
 * (audit_event is keyed by tenant and Id), so a record the Management API delivered too is stored once. Stored this
 * way first, it has source audit-search (content type AuditSearch, blob {@code audit-search:<query id>}). A record
 * without a usable auditData is set aside alone, in quarantine, naming tenant, query and record id.
 */
@Component
public class AuditSearchRecords {
    private final Enricher enricher;
    private final AuditEventStore store;

    public AuditSearchRecords(Enricher enricher, AuditEventStore store) {
        this.enricher = enricher;
        this.store = store;
    }

    /** Stores the page's records in the caller's transaction; returns what was stored, already there, set aside. */
    public BlobStats store(Tenant tenant, AuditSearchQuery query, JsonNode page, Instant now) {
        ContentBlob slice = new ContentBlob(FeedSources.AUDIT_SEARCH_CONTENT, "audit-search:" + query.id(), null, null, null);
        BlobStats stats = new BlobStats(slice);
        List<RecordBatch.RawRecord> records = new ArrayList<>();
        List<BlobDefect> defects = new ArrayList<>();
        for (JsonNode r : page.path("value")) {
            JsonNode data = r.get("auditData");
            String recordId = r.path("id").asText("(no id)");
            if (data == null || !data.isObject() || data.isEmpty()) {
                defects.add(new BlobDefect(tenant.tenantId(), tenant.name(), slice.contentType(), slice.contentId(), null,
                        false, "audit search query " + query.id() + " record " + Texts.printable(recordId, 200) + ": "
                        + (data == null || data.isNull() ? "no auditData" : "auditData is not a record but "
                        + data.getNodeType()), r.toString(), now));
                continue;
            }
            records.add(RecordBatch.RawRecord.of(data.toString(), (ObjectNode) data));
        }
        EnrichedBatch batch = enricher.enrich(new RecordBatch(new BlobContent(tenant, slice, null, null, stats), records,
                defects));
        store.store(batch);
        return stats;
    }
}
