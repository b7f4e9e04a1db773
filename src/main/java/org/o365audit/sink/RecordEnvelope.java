package org.o365audit.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON object the files and webhook sinks write per record: what the collector knows about the record
 * (tenant, app, RecordType name, UTC time, lag, where it came from, the acting user's directory entry and the
 * acting app) and, under "record", the record itself.
 * Always one line, so NDJSON stays one record per line even if a source pretty-printed its JSON.
 */
public final class RecordEnvelope {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private RecordEnvelope() {
    }

    public static void write(JsonGenerator g, SinkRecord r) throws IOException {
        g.writeStartObject();
        g.writeStringField("tenantId", r.getTenantId());
        g.writeStringField("tenantName", r.getTenantName());
        g.writeStringField("app", r.getApp());
        g.writeStringField("contentType", r.getContentType());
        g.writeStringField("recordTypeName", r.getRecordTypeName());
        g.writeStringField("creationTime", r.getCreationTime() == null ? null : r.getCreationTime().toString());
        g.writeStringField("collectedAt", r.getCollectedAt() == null ? null : r.getCollectedAt().toString());
        if (r.getLagSeconds() == null) {
            g.writeNullField("lagSeconds");
        } else {
            g.writeNumberField("lagSeconds", r.getLagSeconds());
        }
        g.writeStringField("source", r.getSource());
        g.writeStringField("actorDisplayName", r.getActorDisplayName());
        g.writeStringField("actorDepartment", r.getActorDepartment());
        g.writeStringField("actorGroups", r.getActorGroups());
        if (r.getActorOnPremisesSync() == null) {
            g.writeNullField("actorOnPremisesSync");
        } else {
            g.writeBooleanField("actorOnPremisesSync", r.getActorOnPremisesSync());
        }
        g.writeStringField("actorAppId", r.getActorAppId());
        g.writeStringField("actorAppName", r.getActorAppName());
        g.writeFieldName("record");
        String raw = r.getRaw();
        if (raw.indexOf('\n') < 0 && raw.indexOf('\r') < 0) {
            g.writeRawValue(raw);
        } else {
            g.writeTree(r.getJson());
        }
        g.writeEndObject();
    }

    /** NDJSON lines, one per record, each with its newline. */
    public static byte[] lines(List<SinkRecord> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(records.size() * 1024);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setRootValueSeparator(new SerializedString("\n"));
            for (SinkRecord r : records) {
                write(g, r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!records.isEmpty()) {
            out.write('\n');
        }
        return out.toByteArray();
    }
}
