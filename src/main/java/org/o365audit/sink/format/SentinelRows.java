package org.o365audit.sink.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.o365audit.sink.SinkRecord;

/**
 * A record as one row of the Logs Ingestion API's stream (config/sentinel/dcr.json declares the same columns):
 * what the collector knows about the record flattened to columns, and the record itself, embedded byte for byte,
 * as the dynamic column {@code Record}. A request body is a JSON array of rows: {@link #body} joins rows written
 * once by {@link #row}, so a part of a batch is measured before it is sent.
 */
public final class SentinelRows {
    /** The stream's columns in the order the rows carry them, with their DCR types. */
    public static final List<String[]> COLUMNS = List.of(
            new String[] {"TimeGenerated", "datetime"}, new String[] {"TenantId", "string"},
            new String[] {"TenantName", "string"}, new String[] {"App", "string"},
            new String[] {"ContentType", "string"}, new String[] {"RecordType", "int"},
            new String[] {"RecordTypeName", "string"}, new String[] {"Operation", "string"},
            new String[] {"UserId", "string"}, new String[] {"ClientIP", "string"},
            new String[] {"Workload", "string"}, new String[] {"RecordId", "string"},
            new String[] {"CreationTime", "datetime"}, new String[] {"CollectedAt", "datetime"},
            new String[] {"LagSeconds", "long"}, new String[] {"Source", "string"},
            new String[] {"ActorDisplayName", "string"}, new String[] {"ActorDepartment", "string"},
            new String[] {"ActorGroups", "string"}, new String[] {"ActorOnPremisesSync", "boolean"},
            new String[] {"ActorAppId", "string"}, new String[] {"ActorAppName", "string"},
            new String[] {"Record", "dynamic"});

    private static final JsonFactory FACTORY = new JsonFactory();

    private SentinelRows() {
    }

    /** One row: a JSON object of the columns above (a column the collector does not know is left out). */
    public static byte[] row(SinkRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(r.getRaw().length() + 768);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            // TimeGenerated: when the activity happened; a record without a readable CreationTime gets its collection time
            time(g, "TimeGenerated", r.getCreationTime() != null ? r.getCreationTime() : r.getCollectedAt());
            string(g, "TenantId", r.getTenantId());
            string(g, "TenantName", r.getTenantName());
            string(g, "App", r.getApp());
            string(g, "ContentType", r.getContentType());
            if (r.getRecordType() != null) {
                g.writeNumberField("RecordType", r.getRecordType());
            }
            string(g, "RecordTypeName", r.getRecordTypeName());
            string(g, "Operation", r.getOperation());
            string(g, "UserId", r.getUserId());
            string(g, "ClientIP", r.getClientIp());
            string(g, "Workload", r.getWorkload());
            string(g, "RecordId", r.getId());
            time(g, "CreationTime", r.getCreationTime());
            time(g, "CollectedAt", r.getCollectedAt());
            if (r.getLagSeconds() != null) {
                g.writeNumberField("LagSeconds", r.getLagSeconds());
            }
            string(g, "Source", r.getSource());
            string(g, "ActorDisplayName", r.getActorDisplayName());
            string(g, "ActorDepartment", r.getActorDepartment());
            string(g, "ActorGroups", r.getActorGroups());
            if (r.getActorOnPremisesSync() != null) {
                g.writeBooleanField("ActorOnPremisesSync", r.getActorOnPremisesSync());
            }
            string(g, "ActorAppId", r.getActorAppId());
            string(g, "ActorAppName", r.getActorAppName());
            g.writeFieldName("Record");
            RawJson.write(g, r.getRaw());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The size of {@link #body} of these rows, without writing it. */
    public static long size(List<byte[]> rows) {
        long n = 2 + Math.max(0, rows.size() - 1);
        for (byte[] row : rows) {
            n += row.length;
        }
        return n;
    }

    /** {@code [row,row,...]} */
    public static byte[] body(List<byte[]> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, size(rows)));
        out.write('[');
        for (int i = 0; i < rows.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(rows.get(i));
        }
        out.write(']');
        return out.toByteArray();
    }

    private static void string(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void time(JsonGenerator g, String name, Instant value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value.toString());
        }
    }
}
