package org.o365audit.sink.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.o365audit.sink.SinkRecord;

/**
 * One record as an Elastic Common Schema document, following the field choices of Elastic's own
 * Microsoft 365 integration (siem-formats.md §2) so its dashboards and detections find what they expect.
 * The record itself rides along untouched under {@code o365.audit} (its bytes as received, when they are one
 * JSON object on one line); what the collector knows beside it (tenant name, app, lag) goes under
 * {@code o365collector}. Operations keep Microsoft's names: Elastic's few renames ("Add user." to
 * added-user-account) are left out. Written straight to the request body, without a tree per record.
 */
public final class EcsDocument {
    public static final String ECS_VERSION = "8.11.0";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();
    private static final int SHAREPOINT_FILE_OPERATION = 6;
    private static final int AAD_ACCOUNT_LOGON = 9;
    private static final int AAD_STS_LOGON = 15;
    private static final Pattern ADMIN_OBJECT = Pattern.compile("\\b(user|group|role)s?\\b", Pattern.CASE_INSENSITIVE);

    /** The document as a tree (what {@link #write} writes, read back). */
    public ObjectNode toEcs(SinkRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(r.getRaw().length() + 1024);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return (ObjectNode) JSON.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document, on one line. */
    public void write(JsonGenerator g, SinkRecord r) throws IOException {
        g.writeStartObject();
        Instant time = AuditFields.eventTime(r);
        field(g, "@timestamp", time == null ? null : time.toString());
        g.writeObjectFieldStart("ecs");
        g.writeStringField("version", ECS_VERSION);
        g.writeEndObject();
        event(g, r);
        user(g, r.getUserId());
        Optional<ClientAddress> client = ClientAddress.of(r);
        if (client.isPresent()) {
            ClientAddress c = client.get();
            for (String side : new String[] {"source", "client"}) {
                g.writeObjectFieldStart(side);
                g.writeStringField("ip", c.ip());
                if (c.port() != null) {
                    g.writeNumberField("port", c.port());
                }
                g.writeEndObject();
            }
            g.writeObjectFieldStart("related");
            g.writeArrayFieldStart("ip");
            g.writeString(c.ip());
            g.writeEndArray();
            g.writeEndObject();
        }
        String orgId = AuditFields.text(r, "OrganizationId");
        String orgName = blankIsNull(r.getTenantName());
        if (orgId != null || orgName != null) {
            g.writeObjectFieldStart("organization");
            field(g, "id", orgId == null ? null : orgId.toLowerCase(Locale.ROOT));
            field(g, "name", orgName);
            g.writeEndObject();
        }
        g.writeObjectFieldStart("cloud");
        g.writeStringField("provider", "azure");
        if (r.getTenantId() != null) {
            g.writeObjectFieldStart("account");
            g.writeStringField("id", r.getTenantId());
            g.writeEndObject();
        }
        if (r.getWorkload() != null) {
            g.writeObjectFieldStart("service");
            g.writeStringField("name", r.getWorkload());
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeObjectFieldStart("o365");
        g.writeFieldName("audit");
        if (r.isCompactObject()) {
            g.writeRawValue(r.getRaw());
        } else {
            g.writeTree(r.getJson());
        }
        g.writeEndObject();
        enrichment(g, r);
        g.writeEndObject();
    }

    private static void event(JsonGenerator g, SinkRecord r) throws IOException {
        g.writeObjectFieldStart("event");
        field(g, "id", r.getId());
        field(g, "action", r.getOperation());
        field(g, "provider", r.getWorkload());
        field(g, "code", r.getRecordTypeName() != null ? r.getRecordTypeName() : AuditFields.text(r, "RecordType"));
        g.writeStringField("outcome", Outcome.of(r).ecs());
        g.writeStringField("kind", "event");
        g.writeArrayFieldStart("category");
        for (String c : categories(r)) {
            g.writeString(c);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("type");
        g.writeString("info");
        g.writeEndArray();
        g.writeStringField("dataset", "o365.audit");
        g.writeEndObject();
    }

    /**
     * Always web (every record is an action on a cloud service); authentication for sign-ins (RecordType 9
     * and 15); iam for directory changes (RecordType 8) whose operation names a user, group or role, as
     * "Add member to role." or "Update user." do; file for SharePoint and OneDrive file operations
     * (RecordType 6). Elastic's pipeline adds more per operation; these cover the common cases.
     */
    static List<String> categories(SinkRecord r) {
        List<String> c = new ArrayList<>(3);
        c.add("web");
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
    private static void user(JsonGenerator g, String userId) throws IOException {
        if (userId == null || userId.isBlank()) {
            return;
        }
        g.writeObjectFieldStart("user");
        g.writeStringField("id", userId);
        String domain = AuditFields.upnDomain(userId);
        if (domain != null) {
            g.writeStringField("email", userId);
            g.writeStringField("name", AuditFields.upnLocalPart(userId));
            g.writeStringField("domain", domain);
        }
        g.writeEndObject();
    }

    private static void enrichment(JsonGenerator g, SinkRecord r) throws IOException {
        g.writeObjectFieldStart("o365collector");
        field(g, "tenantName", r.getTenantName());
        field(g, "app", r.getApp());
        field(g, "contentType", r.getContentType());
        field(g, "source", r.getSource());
        field(g, "collectedAt", r.getCollectedAt() == null ? null : r.getCollectedAt().toString());
        if (r.getLagSeconds() != null) {
            g.writeNumberField("lagSeconds", r.getLagSeconds());
        }
        g.writeEndObject();
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value != null && !value.isBlank()) {
            g.writeStringField(name, value);
        }
    }

    private static String blankIsNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
