package org.o365audit.sink.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.o365audit.sink.SinkRecord;
import org.o365audit.sink.format.ecs.EcsFields;
import org.o365audit.sink.format.ecs.EcsMapping;

/**
 * One record as an Elastic Common Schema document. Which ECS fields it gets, and from where, is the mapping table
 * (config/ecs-mapping.yaml, {@link EcsMapping}), which follows Elastic's own Microsoft 365 integration so that its
 * detections and dashboards find what they expect. Around those fields the document always has @timestamp,
 * ecs.version, event.dataset, the record itself untouched under {@code o365.audit} (its bytes as received, when
 * they are one JSON object on one line) and what the collector knows beside it under {@code o365collector}.
 * Written straight to the request body, without a tree per record.
 */
public final class EcsDocument {
    public static final String ECS_VERSION = "8.11.0";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private final EcsMapping mapping;

    /** With the table shipped in the jar. */
    public EcsDocument() {
        this(EcsMapping.defaults());
    }

    public EcsDocument(EcsMapping mapping) {
        this.mapping = mapping;
    }

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
        EcsFields fields = mapping.map(r);
        fields.set("ecs.version", ECS_VERSION);
        fields.set("event.dataset", "o365.audit");
        g.writeStartObject();
        Instant time = AuditFields.eventTime(r);
        if (time != null) {
            g.writeStringField("@timestamp", time.toString());
        }
        fields.write(g);
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
}
