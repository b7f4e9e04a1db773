package org.o365audit.sink.format;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;
import org.o365audit.sink.SinkRecord;

/**
 * One record as an Elastic Common Schema document, following the field choices of Elastic's own
 * Microsoft 365 integration (siem-formats.md §2) so its dashboards and detections find what they expect.
 * The record itself rides along untouched under {@code o365.audit}; what the collector knows beside it
 * (tenant name, app, lag) goes under {@code o365audit}. Operations keep Microsoft's names: Elastic's few
 * renames ("Add user." to added-user-account) are left out.
 */
public final class EcsDocument {
    public static final String ECS_VERSION = "8.11.0";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int SHAREPOINT_FILE_OPERATION = 6;
    private static final int AAD_ACCOUNT_LOGON = 9;
    private static final int AAD_STS_LOGON = 15;
    private static final Pattern ADMIN_OBJECT = Pattern.compile("\\b(user|group|role)s?\\b", Pattern.CASE_INSENSITIVE);

    public ObjectNode toEcs(SinkRecord r) {
        ObjectNode doc = NODES.objectNode();
        Instant time = AuditFields.eventTime(r);
        put(doc, "@timestamp", time == null ? null : time.toString());
        doc.putObject("ecs").put("version", ECS_VERSION);
        doc.set("event", event(r));
        user(doc, r.getUserId());
        ClientAddress.of(r).ifPresent(c -> {
            for (String side : new String[] {"source", "client"}) {
                ObjectNode n = doc.putObject(side).put("ip", c.ip());
                if (c.port() != null) {
                    n.put("port", c.port());
                }
            }
            doc.putObject("related").putArray("ip").add(c.ip());
        });
        ObjectNode org = NODES.objectNode();
        String orgId = AuditFields.text(r, "OrganizationId");
        put(org, "id", orgId == null ? null : orgId.toLowerCase(Locale.ROOT));
        put(org, "name", r.getTenantName());
        putIfAny(doc, "organization", org);
        ObjectNode cloud = doc.putObject("cloud").put("provider", "azure");
        if (r.getTenantId() != null) {
            cloud.putObject("account").put("id", r.getTenantId());
        }
        if (r.getWorkload() != null) {
            cloud.putObject("service").put("name", r.getWorkload());
        }
        doc.putObject("o365").set("audit", r.getJson().deepCopy());
        doc.set("o365collector", enrichment(r));
        return doc;
    }

    private static ObjectNode event(SinkRecord r) {
        ObjectNode e = NODES.objectNode();
        put(e, "id", r.getId());
        put(e, "action", r.getOperation());
        put(e, "provider", r.getWorkload());
        put(e, "code", r.getRecordTypeName() != null ? r.getRecordTypeName() : AuditFields.text(r, "RecordType"));
        e.put("outcome", Outcome.of(r).ecs());
        e.put("kind", "event");
        e.set("category", categories(r));
        e.putArray("type").add("info");
        e.put("dataset", "o365.audit");
        return e;
    }

    /**
     * Always web (every record is an action on a cloud service); authentication for sign-ins (RecordType 9
     * and 15); iam for directory changes (RecordType 8) whose operation names a user, group or role, as
     * "Add member to role." or "Update user." do; file for SharePoint and OneDrive file operations
     * (RecordType 6). Elastic's pipeline adds more per operation; these cover the common cases.
     */
    static ArrayNode categories(SinkRecord r) {
        ArrayNode c = NODES.arrayNode().add("web");
        Integer type = r.getRecordType();
        String op = r.getOperation() == null ? "" : r.getOperation();
        if (type != null && (type == AAD_STS_LOGON || type == AAD_ACCOUNT_LOGON)) {
            c.add("authentication");
        }
        if (type != null && type == AuditFields.AZURE_ACTIVE_DIRECTORY && ADMIN_OBJECT.matcher(op).find()) {
            c.add("iam");
        }
        if (type != null && type == SHAREPOINT_FILE_OPERATION) {
            c.add("file");
        }
        return c;
    }

    /** user.id is the UserId as given; a UPN also fills email, name and domain. */
    private static void user(ObjectNode doc, String userId) {
        if (userId == null || userId.isBlank()) {
            return;
        }
        ObjectNode u = doc.putObject("user").put("id", userId);
        String domain = AuditFields.upnDomain(userId);
        if (domain != null) {
            u.put("email", userId).put("name", AuditFields.upnLocalPart(userId)).put("domain", domain);
        }
    }

    private static ObjectNode enrichment(SinkRecord r) {
        ObjectNode n = NODES.objectNode();
        put(n, "tenantName", r.getTenantName());
        put(n, "app", r.getApp());
        put(n, "contentType", r.getContentType());
        put(n, "source", r.getSource());
        put(n, "collectedAt", r.getCollectedAt() == null ? null : r.getCollectedAt().toString());
        if (r.getLagSeconds() != null) {
            n.put("lagSeconds", r.getLagSeconds());
        }
        return n;
    }

    private static void put(ObjectNode n, String field, String value) {
        if (value != null && !value.isBlank()) {
            n.put(field, value);
        }
    }

    private static void putIfAny(ObjectNode parent, String field, ObjectNode child) {
        if (!child.isEmpty()) {
            parent.set(field, child);
        }
    }
}
