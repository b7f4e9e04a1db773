package org.o365audit.sink.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.o365audit.sink.SinkRecord;

/**
 * A Splunk HEC {@code /services/collector/event} body: one envelope per record, one after another, no array.
 * The record goes in as {@code event} byte for byte, so Splunk's _raw is the record's JSON as Microsoft
 * sent it, which is what the Add-on's field extractions and Splunk's O365 detections are written against.
 */
public final class HecEnvelopes {
    private static final JsonFactory FACTORY = new JsonFactory();

    public byte[] body(List<SinkRecord> records, HecOptions o) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(records.size() * 2048);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setRootValueSeparator(new SerializedString("\n"));
            for (SinkRecord r : records) {
                envelope(g, r, o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void envelope(JsonGenerator g, SinkRecord r, HecOptions o) throws IOException {
        g.writeStartObject();
        Instant time = AuditFields.eventTime(r);
        if (time != null) {
            g.writeFieldName("time");
            g.writeNumber(time(time));
        }
        field(g, "host", o.host());
        field(g, "source", o.source() != null ? o.source() : r.getContentType());
        field(g, "sourcetype", o.sourcetype());
        field(g, "index", o.index());
        g.writeFieldName("event");
        if (r.isCompactObject()) {
            g.writeRawValue(r.getRaw());
        } else {
            RawJson.write(g, r.getRaw());
        }
        // Index-time fields must be a flat object of strings: anything nested is refused with code 15.
        if (r.getTenantName() != null || r.getApp() != null || r.getContentType() != null) {
            g.writeObjectFieldStart("fields");
            field(g, "tenant", r.getTenantName());
            field(g, "app", r.getApp());
            field(g, "content_type", r.getContentType());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** Epoch seconds with exactly three decimals: HEC reads {@code time} as seconds, never milliseconds. */
    static String time(Instant t) {
        return BigDecimal.valueOf(t.toEpochMilli(), 3).toPlainString();
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }
}
