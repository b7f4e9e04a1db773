package org.o365audit.sink.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.o365audit.sink.RecordEnvelope;
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
                RecordEnvelope.write(g, r);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
