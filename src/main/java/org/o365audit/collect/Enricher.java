package org.o365audit.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.o365audit.config.Tenant;
import org.springframework.stereotype.Component;

/**
 * Adds to each record what the store and the sinks need beside the untouched raw JSON: tenant, content
 * type and blob, app name, RecordType name, CreationTime as UTC and the lag from event to collection.
 * Real data varies in type (RecordType as a string, ClientIP as "&lt;null&gt;" or ip:port, no Workload):
 * none of that fails. A record without an Id cannot be stored once-only and is set aside.
 */
@Component
public class Enricher {
    private final Clock clock;

    public Enricher(Clock clock) {
        this.clock = clock;
    }

    public EnrichedBatch enrich(RecordBatch batch) {
        BlobContent c = batch.content();
        Tenant t = c.tenant();
        Instant now = clock.instant();
        List<AuditEvent> events = new ArrayList<>(batch.records().size());
        List<BlobDefect> defects = new ArrayList<>(batch.defects());
        for (RecordBatch.RawRecord r : batch.records()) {
            ObjectNode j = r.json();
            String id = text(j.get("Id"));
            if (id == null || id.isBlank()) {
                defects.add(new BlobDefect(t.tenantId(), t.name(), c.blob().contentType(), c.blob().contentId(),
                        c.blob().contentUri(), false, "record has no Id", r.raw(), now));
                continue;
            }
            Integer recordType = recordType(j.get("RecordType"));
            String workload = text(j.get("Workload"));
            Instant created = CreationTimes.parse(text(j.get("CreationTime")));
            String typeName = RecordTypes.name(recordType);
            if (typeName == null && recordType == null) {
                typeName = text(j.get("RecordType"));
            }
            events.add(new AuditEvent(t.tenantId(), t.name(), id, c.blob().contentType(), c.blob().contentId(),
                    created, now, created == null ? null : Duration.between(created, now).getSeconds(),
                    workload, recordType, typeName, text(j.get("Operation")), text(j.get("UserId")),
                    clientIp(j), AppNames.of(workload, recordType), r.raw(), FeedSources.of(c.blob().contentType())));
        }
        return new EnrichedBatch(c.stats(), events, defects);
    }

    /** RecordType as a number, or a number in a string; a name in a string gives null. */
    static Integer recordType(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.canConvertToInt() && n.isIntegralNumber()) {
            return n.intValue();
        }
        try {
            return Integer.valueOf(n.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The client address without port: "1.2.3.4:5678" → 1.2.3.4, "[2a01::1]:443" → 2a01::1, "&lt;null&gt;" → null. */
    static String clientIp(ObjectNode j) {
        String ip = text(j.get("ClientIP"));
        if (ip == null || ip.isBlank() || "<null>".equals(ip) || "null".equalsIgnoreCase(ip)) {
            ip = text(j.get("ClientIPAddress"));
        }
        if (ip == null || ip.isBlank() || "<null>".equals(ip) || "null".equalsIgnoreCase(ip)) {
            ip = text(j.get("ActorIpAddress"));
        }
        if (ip == null || ip.isBlank() || "<null>".equals(ip) || "null".equalsIgnoreCase(ip)) {
            return null;
        }
        ip = ip.trim();
        if (ip.startsWith("[")) {
            int close = ip.indexOf(']');
            return close > 0 ? ip.substring(1, close) : ip;
        }
        int colon = ip.indexOf(':');
        if (colon > 0 && colon == ip.lastIndexOf(':') && ip.substring(colon + 1).matches("\\d{1,5}")) {
            return ip.substring(0, colon);
        }
        return ip.length() > 128 ? ip.substring(0, 128) : ip;
    }

    private static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        return n.isValueNode() ? n.asText() : n.toString();
    }
}
