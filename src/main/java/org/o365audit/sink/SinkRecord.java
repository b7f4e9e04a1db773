package org.o365audit.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.util.Map;

/**
 * One stored audit record on its way to a sink: the raw JSON exactly as Microsoft sent it, the fields the
 * collector derived from it, and its place in the delivery order (epoch, seq). Getters follow the JavaBean
 * convention so that a sink filter can say {@code ${body.app} == 'Exchange'} or
 * {@code ${body.record[Operation]} == 'Add member to role.'} in Camel's simple language.
 */
public final class SinkRecord {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final long epoch;
    private final long seq;
    private final String tenantId;
    private final String tenantName;
    private final String contentType;
    private final String id;
    private final Instant creationTime;
    private final Instant collectedAt;
    private final Long lagSeconds;
    private final String workload;
    private final Integer recordType;
    private final String recordTypeName;
    private final String operation;
    private final String userId;
    private final String clientIp;
    private final String app;
    private final String source;
    private final String raw;
    private final Actor actor;
    private ObjectNode parsed;
    private Map<String, String> topLevel;
    private Map<String, int[]> spans;
    private boolean scanned;
    private boolean compact;

    public SinkRecord(long epoch, long seq, String tenantId, String tenantName, String contentType, String id,
                      Instant creationTime, Instant collectedAt, Long lagSeconds, String workload, Integer recordType,
                      String recordTypeName, String operation, String userId, String clientIp, String app,
                      String source, String raw) {
        this(epoch, seq, tenantId, tenantName, contentType, id, creationTime, collectedAt, lagSeconds, workload,
                recordType, recordTypeName, operation, userId, clientIp, app, source, raw, Actor.UNKNOWN);
    }

    public SinkRecord(long epoch, long seq, String tenantId, String tenantName, String contentType, String id,
                      Instant creationTime, Instant collectedAt, Long lagSeconds, String workload, Integer recordType,
                      String recordTypeName, String operation, String userId, String clientIp, String app,
                      String source, String raw, Actor actor) {
        this.actor = actor == null ? Actor.UNKNOWN : actor;
        this.epoch = epoch;
        this.seq = seq;
        this.tenantId = tenantId;
        this.tenantName = tenantName;
        this.contentType = contentType;
        this.id = id;
        this.creationTime = creationTime;
        this.collectedAt = collectedAt;
        this.lagSeconds = lagSeconds;
        this.workload = workload;
        this.recordType = recordType;
        this.recordTypeName = recordTypeName;
        this.operation = operation;
        this.userId = userId;
        this.clientIp = clientIp;
        this.app = app;
        this.source = source;
        this.raw = raw;
    }

    public long getEpoch() { return epoch; }
    public long getSeq() { return seq; }
    public String getTenantId() { return tenantId; }
    public String getTenantName() { return tenantName; }
    public String getContentType() { return contentType; }
    /** The record's own Id (unique per tenant). */
    public String getId() { return id; }
    /** CreationTime read as UTC; null when the record had none that could be read. */
    public Instant getCreationTime() { return creationTime; }
    public Instant getCollectedAt() { return collectedAt; }
    public Long getLagSeconds() { return lagSeconds; }
    public String getWorkload() { return workload; }
    public Integer getRecordType() { return recordType; }
    public String getRecordTypeName() { return recordTypeName; }
    public String getOperation() { return operation; }
    public String getUserId() { return userId; }
    /** ClientIP as the collector normalised it (port and "<null>" removed); null when absent. */
    public String getClientIp() { return clientIp; }
    /** The Microsoft 365 app (Exchange, SharePoint, Teams, Power BI, ...). */
    public String getApp() { return app; }
    /** management-api, powerbi or dataverse. */
    public String getSource() { return source; }
    /** The record's JSON exactly as received. */
    public String getRaw() { return raw; }
    /** The acting user's display name in the directory at collection (accounts component); null when not known. */
    public String getActorDisplayName() { return actor.displayName(); }
    public String getActorDepartment() { return actor.department(); }
    /** The acting user's Microsoft 365 groups, display names sorted and joined with "; ". */
    public String getActorGroups() { return actor.groups(); }
    /** Whether the acting user's account is synced from on-premises; null when not known. */
    public Boolean getActorOnPremisesSync() { return actor.onPremisesSync(); }
    /** The app id of the inventoried app (apps component) that performed the activity; null when none. */
    public String getActorAppId() { return actor.appId(); }
    public String getActorAppName() { return actor.appName(); }

    /** What the collector added about who performed the activity, from the directory and the app inventory. */
    public record Actor(String displayName, String department, String groups, Boolean onPremisesSync, String appId,
                        String appName) {
        public static final Actor UNKNOWN = new Actor(null, null, null, null, null, null);
    }

    /** The record parsed (once, on first use); a record that is not a JSON object gives an empty one. */
    public ObjectNode getJson() {
        if (parsed == null) {
            try {
                var node = JSON.readTree(raw);
                parsed = node instanceof ObjectNode o ? o : JSON.createObjectNode();
            } catch (JsonProcessingException e) {
                parsed = JSON.createObjectNode();
            }
        }
        return parsed;
    }

    /** The record as a map, for filters: {@code ${body.record[Workload]}}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> getRecord() {
        return JSON.convertValue(getJson(), Map.class);
    }

    /**
     * A top-level field of the record as text ("" for an object or array), or null. Read in one streaming pass over
     * the raw JSON, without a tree, the first time a field is asked for.
     */
    public String field(String name) {
        scan();
        if (topLevel == null) {
            var v = getJson().get(name);
            return v == null || v.isNull() ? null : v.asText();
        }
        return topLevel.get(name);
    }

    /**
     * The value of a top-level field as a tree, or null: an object or list is parsed from its own stretch of the raw
     * JSON only (a mapping that reads one nested field does not pay for parsing the whole record); a scalar comes as
     * its text.
     */
    public JsonNode fieldTree(String name) {
        scan();
        if (topLevel == null || parsed != null) {
            return getJson().get(name);
        }
        int[] span = spans.get(name);
        if (span == null) {
            String v = topLevel.get(name);
            return v == null ? null : TextNode.valueOf(v);
        }
        try {
            return JSON.readTree(raw.substring(span[0], span[1]));
        } catch (JsonProcessingException e) {
            return getJson().get(name);
        }
    }

    /**
     * Whether the raw JSON is one JSON object on one line with no key twice in any object: then a sink can embed
     * it byte for byte into NDJSON or a larger JSON document, and every parser reads the same record from it.
     * Else the record is written from its parsed form.
     */
    public boolean isCompactObject() {
        scan();
        return compact;
    }

    private void scan() {
        if (!scanned) {
            scanned = true;
            TopLevelFields.Scan scan = TopLevelFields.read(raw);
            topLevel = scan == null ? null : scan.fields();
            spans = scan == null ? null : scan.spans();
            compact = topLevel != null && raw.indexOf('\n') < 0 && raw.indexOf('\r') < 0;
        }
    }

    @Override
    public String toString() {
        return "SinkRecord[" + tenantName + " " + id + " @" + epoch + "/" + seq + "]";
    }
}
