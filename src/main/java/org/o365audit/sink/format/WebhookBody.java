package org.o365audit.sink.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.o365audit.sink.SinkBatch;
import org.o365audit.sink.SinkRecord;

/**
 * The JSON a webhook receives for one batch: {@code {"batchId","sink","count","records":[...]}}, each record
 * with what the collector knows about it and the record itself embedded byte for byte under
 * {@code record}. Every key is always there (null when unknown), so receivers can rely on the shape.
 * The bytes returned are the bytes to sign and send; re-serialising them would break the signature.
 */
public final class WebhookBody {
    private static final JsonFactory FACTORY = new JsonFactory();

    public byte[] body(SinkBatch batch) {
        return body(batch.id(), batch.sink(), batch.records());
    }

    public byte[] body(String batchId, String sink, List<SinkRecord> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + records.size() * 2048);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("batchId", batchId);
            g.writeStringField("sink", sink);
            g.writeNumberField("count", records.size());
            g.writeArrayFieldStart("records");
            for (SinkRecord r : records) {
                record(g, r);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void record(JsonGenerator g, SinkRecord r) throws IOException {
        g.writeStartObject();
        g.writeStringField("tenantId", r.getTenantId());
        g.writeStringField("tenantName", r.getTenantName());
        g.writeStringField("app", r.getApp());
        g.writeStringField("contentType", r.getContentType());
        g.writeStringField("recordTypeName", r.getRecordTypeName());
        g.writeStringField("creationTime", iso(r.getCreationTime()));
        g.writeStringField("collectedAt", iso(r.getCollectedAt()));
        g.writeFieldName("lagSeconds");
        if (r.getLagSeconds() == null) {
            g.writeNull();
        } else {
            g.writeNumber(r.getLagSeconds());
        }
        g.writeStringField("source", r.getSource());
        g.writeFieldName("record");
        RawJson.write(g, r.getRaw());
        g.writeEndObject();
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
