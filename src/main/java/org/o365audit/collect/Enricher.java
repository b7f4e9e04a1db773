package org.o365audit.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.o365audit.config.Tenant;
import org.o365audit.record.AuditEvent;
import org.o365audit.record.BlobContent;
import org.o365audit.record.BlobDefect;
import org.o365audit.record.EnrichedBatch;
import org.o365audit.record.Texts;
import org.o365audit.store.BlobKeys;
import org.springframework.stereotype.Component;

/**
 * Adds to each record what the store and the sinks need beside the untouched raw JSON: tenant, content
 * type and blob, app name, RecordType name, CreationTime as UTC and the lag from event to collection.
 * Real data varies in type (RecordType as a string, ClientIP as "&lt;null&gt;" or ip:port, no Workload):
 * none of that fails. Derived columns are cleaned of control characters and cut to their column's size
 * (the raw record keeps everything); a record that cannot be stored once-only and whole (see {@link #unfit})
 * is set aside on its own.
 */
@Component
public class Enricher {
    /** The length of audit_event.id. */
    static final int MAX_ID = 512;
    private static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

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
        String contentId = BlobKeys.of(c.blob().contentId());
        for (RecordBatch.RawRecord r : batch.records()) {
            ObjectNode j = r.json();
            String unfit = unfit(j);
            if (unfit != null) {
                defects.add(new BlobDefect(t.tenantId(), t.name(), c.blob().contentType(), c.blob().contentId(),
                        c.blob().contentUri(), false, unfit, r.raw(), now));
                continue;
            }
            String id = j.get("Id").asText();
            Integer recordType = recordType(j.get("RecordType"));
            String workload = text(j.get("Workload"));
            Instant created = storable(CreationTimes.parse(text(j.get("CreationTime"))));
            String typeName = RecordTypes.name(recordType);
            if (typeName == null && recordType == null) {
                typeName = text(j.get("RecordType"));
            }
            events.add(new AuditEvent(t.tenantId(), t.name(), id, c.blob().contentType(), contentId,
                    created, now, created == null ? null : Duration.between(created, now).getSeconds(),
                    Texts.column(workload, 128), recordType, Texts.column(typeName, 128),
                    Texts.column(text(j.get("Operation")), 512), Texts.column(text(j.get("UserId")), 512),
                    Texts.column(clientIp(j), 128), Texts.column(AppNames.of(workload, recordType), 64), r.raw(),
                    FeedSources.of(c.blob().contentType())));
        }
        return new EnrichedBatch(c.stats(), events, defects);
    }

    /**
     * Why a record cannot be stored once-only and whole, or null when it can. The same rule on H2 and
     * PostgreSQL: an Id that is missing, blank, not a string or number, or longer than the key column; any
     * string (key or value, at any depth) holding U+0000 or an unpaired surrogate, which PostgreSQL refuses.
     */
    static String unfit(ObjectNode j) {
        JsonNode idNode = j.get("Id");
        if (idNode == null || idNode.isNull()) {
            return "record has no Id";
        }
        if (!idNode.isTextual() && !idNode.isNumber()) {
            return "record Id is not a string but " + idNode.getNodeType();
        }
        String id = idNode.asText();
        if (id.isBlank()) {
            return "record has no Id";
        }
        if (id.length() > MAX_ID) {
            return "record Id is " + id.length() + " characters, more than the " + MAX_ID + " the store keys on";
        }
        String where = unstorableText(j, "");
        return where == null ? null : "record holds U+0000 or an unpaired surrogate at " + Texts.printable(where, 200)
                + ", which PostgreSQL cannot store";
    }

    /** The JSON path of the first key or string value PostgreSQL cannot store, or null. */
    private static String unstorableText(JsonNode n, String path) {
        if (n.isTextual()) {
            return Texts.unstorable(n.textValue()) ? path : null;
        }
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String p = path + "." + f.getKey();
                if (Texts.unstorable(f.getKey())) {
                    return p;
                }
                String inner = unstorableText(f.getValue(), p);
                if (inner != null) {
                    return inner;
                }
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                String inner = unstorableText(n.get(i), path + "[" + i + "]");
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    /** A CreationTime both databases keep alike (years 1900 to 9999); others stay in raw only. */
    static Instant storable(Instant t) {
        return t == null || t.isBefore(EARLIEST) || t.isAfter(LATEST) ? null : t;
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
        return ip;
    }

    private static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        return n.isValueNode() ? n.asText() : n.toString();
    }
}
