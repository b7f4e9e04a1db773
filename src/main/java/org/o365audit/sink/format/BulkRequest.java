package org.o365audit.sink.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.o365audit.sink.SinkRecord;

/**
 * An Elasticsearch/OpenSearch {@code _bulk} body of {@code create} actions. With {@code create} and an id
 * derived from the record, a resent batch cannot store a record twice: the copy already there answers 409,
 * which {@link BulkResponse} counts as stored. Data streams accept nothing but {@code create} anyway.
 */
public final class BulkRequest {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final HexFormat HEX = HexFormat.of();
    private final EcsDocument ecs;

    public BulkRequest() {
        this(new EcsDocument());
    }

    public BulkRequest(EcsDocument ecs) {
        this.ecs = ecs;
    }

    /**
     * NDJSON: an action line and a document line per record, every line ending in LF, the last one too.
     *
     * @param index the target index or data stream; null leaves it to the request URL
     */
    public byte[] body(List<SinkRecord> records, String index) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(records.size() * 2048);
        MessageDigest sha256 = sha256();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            // every root value, action or document, ends its line
            g.setRootValueSeparator(new SerializedString("\n"));
            for (SinkRecord r : records) {
                g.writeStartObject();
                g.writeObjectFieldStart("create");
                if (index != null && !index.isBlank()) {
                    g.writeStringField("_index", index);
                }
                g.writeStringField("_id", documentId(sha256, r));
                g.writeEndObject();
                g.writeEndObject();
                ecs.write(g, r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.size() > 0) {
            out.write('\n');
        }
        return out.toByteArray();
    }

    /**
     * Lower-case hex SHA-256 of {@code tenantId:Id}: the same record always gets the same 64-character id
     * (well inside OpenSearch's 512-byte limit), and two tenants can never collide on a record Id.
     */
    public static String documentId(SinkRecord r) {
        return documentId(sha256(), r);
    }

    private static String documentId(MessageDigest sha256, SinkRecord r) {
        return HEX.formatHex(sha256.digest((r.getTenantId() + ":" + r.getId()).getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
